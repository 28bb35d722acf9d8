"""Send options, topic derivation and the payload size limit."""

from __future__ import annotations

import re

import pytest

from app.push.message import (
    MAX_PAYLOAD_BYTES,
    MAX_TTL_SECONDS,
    PayloadTooLarge,
    SendOptions,
    Urgency,
    encode_payload,
    topic_for,
)

TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def test_topic_is_stable_and_valid():
    topic = topic_for(42)

    # A fixed value: a topic that changed between releases would no longer
    # replace messages queued before the update.
    assert topic == "OVYD6yIXGoS8Qh1KIjf7o8CiyixbGKgg"
    assert topic_for("42") == topic
    assert TOPIC.match(topic) and len(topic) == 32


def test_topics_differ_per_application_namespace_and_key():
    topics = {
        topic_for(42),
        topic_for(43),
        topic_for(42, namespace="broadcast"),
        topic_for(42, key=b"instance secret"),
    }

    assert len(topics) == 4
    assert all(TOPIC.match(topic) for topic in topics)


def test_topic_does_not_reveal_the_identifier():
    assert "42" not in topic_for(42, namespace="x")
    assert "application" not in topic_for(42)


def test_default_options_keep_messages_a_week_at_normal_urgency():
    options = SendOptions()

    assert (options.ttl, options.urgency, options.topic) == (604800, Urgency.NORMAL, None)


def test_urgency_accepts_header_values():
    assert SendOptions(urgency="very-low").urgency is Urgency.VERY_LOW


@pytest.mark.parametrize(
    "kwargs",
    [
        {"ttl": -1},
        {"ttl": MAX_TTL_SECONDS + 1},
        {"urgency": "urgent"},
        {"topic": ""},
        {"topic": "a" * 33},
        {"topic": "has space"},
        {"topic": "plus+slash/"},
    ],
)
def test_invalid_options_are_refused(kwargs):
    with pytest.raises(ValueError):
        SendOptions(**kwargs)


@pytest.mark.parametrize("ttl", [1.5, "60", True])
def test_ttl_must_be_whole_seconds(ttl):
    with pytest.raises(TypeError):
        SendOptions(ttl=ttl)


def test_encode_payload_accepts_bytes_text_and_mappings():
    assert encode_payload(b"\x00raw") == b"\x00raw"
    assert encode_payload("Bürger") == "Bürger".encode()
    assert encode_payload({"title": "Größe", "n": 1}) == '{"title":"Größe","n":1}'.encode()


def test_encode_payload_limit_counts_bytes_not_characters():
    assert len(encode_payload("ä" * (MAX_PAYLOAD_BYTES // 2))) == MAX_PAYLOAD_BYTES - 1
    with pytest.raises(PayloadTooLarge, match=f"at most {MAX_PAYLOAD_BYTES}"):
        encode_payload("ä" * (MAX_PAYLOAD_BYTES // 2 + 1))


def test_encode_payload_refuses_empty():
    with pytest.raises(ValueError, match="empty"):
        encode_payload(b"")
