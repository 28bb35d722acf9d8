"""Lists name an application's definition version by its key alone
(``definitions.by_id``): a published version's content hash is remembered per
process, a draft's is read again every time because saving a draft changes it."""

from __future__ import annotations

from app.applications import definitions
from app.db import db
from app.models import User
from tests.api.test_list_query_counts import counted


def _titled(data: dict, title: str) -> dict:
    return {**data, "title": {"de": title, "en": title}}


def test_a_published_version_is_read_once_per_process(app):
    with db.connection_context():
        record = definitions.published("waste_bins")
        definitions.forget_frozen_versions()
        with counted() as first:
            found = definitions.by_id(record.id)
        with counted() as again:
            assert definitions.by_id(record.id) is found
        assert first  # the version's key and content hash, then its content if unparsed
        assert again == []
        assert found.fingerprint == record.fingerprint


def test_a_draft_is_read_again_after_each_save_and_remembered_once_published(app):
    with db.connection_context():
        admin = User.create(email="admin@example.org", role="admin")
        base = definitions.published("waste_bins")
        data = {**base.data, "version": base.version + 1}
        draft = definitions.store_draft(
            definitions.parse_definition(_titled(data, "Erster Stand"), source="admin"), admin
        )
        assert definitions.by_id(draft.id).data["title"]["de"] == "Erster Stand"

        saved = definitions.update_draft(draft, _titled(data, "Zweiter Stand"), admin)
        # A remembered draft would still say "Erster Stand".
        assert definitions.by_id(draft.id).data["title"]["de"] == "Zweiter Stand"

        published = definitions.publish_draft(saved, admin)
        assert definitions.by_id(draft.id).fingerprint == published.fingerprint
        with counted() as again:
            definitions.by_id(draft.id)
        assert again == []
