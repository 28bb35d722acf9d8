"""Rules of Leichte Sprache that a definition's summary (``leichte_sprache``) must keep.

Leichte Sprache (easy-to-read German, BITV 2.0 § 4) writes one statement per sentence
in short sentences, explains words instead of abbreviating them, writes numbers as
digits and addresses the reader as "Sie". What of it can be measured is checked here
when a definition loads; a text that breaks a rule is refused with its path, so no
summary reaches citizens that only claims to be easy to read. Active voice, explained
terms and few negations stay with the writer (``docs/leichte-sprache.md``).

The summary's texts are German only (Leichte Sprache is German) and may name the city
as ``{city}``.
"""

from __future__ import annotations

import re
from typing import Any

from app.service_definitions.problems import Problem, problem

MAX_WORDS = 15  # per sentence
MAX_HEADING_WORDS = 8  # per title or heading
MAX_WORD_LETTERS = 15  # per part of a word; longer words are split: Melde-Bescheinigung
PLACEHOLDERS = ("city",)

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Sentence-ending marks inside a sentence mean a second statement (or an abbreviation:
# "z. B.", "Nr."); ordinals and dates ("15. Februar") are digits before the dot.
_INNER_END = re.compile(r"(?<!\d)[.!?;](?=\s|$)")
_ALL_CAPS = re.compile(r"\b[A-ZÄÖÜ]{2,}\b")
_NUMBER_WORDS = frozenset(
    [
        "zwei",
        "drei",
        "vier",
        "fünf",
        "sechs",
        "sieben",
        "acht",
        "neun",
        "zehn",
        "elf",
        "zwölf",
        "zwanzig",
        "dreißig",
        "vierzig",
        "fünfzig",
        "hundert",
        "tausend",
    ]
)
_INFORMAL = frozenset(
    [
        "du",
        "dich",
        "dir",
        "dein",
        "deine",
        "deinen",
        "deinem",
        "deiner",
        "deines",
        "euch",
        "euer",
        "eure",
    ]
)
_WORD = re.compile(r"[\wÄÖÜäöüß]+(?:-[\wÄÖÜäöüß]+)*")


def _words(text: str) -> list[str]:
    """The words of ``text``; a word joined by hyphens (Hunde-Steuer) counts once."""
    return _WORD.findall(_PLACEHOLDER.sub("Stadt", text))


def _common(text: str, path: str) -> list[Problem]:
    """The rules every text of the summary keeps, headings included."""
    found = [
        problem(path, "leichte_sprache.placeholder", name=name, known=", ".join(PLACEHOLDERS))
        for name in _PLACEHOLDER.findall(text)
        if name not in PLACEHOLDERS
    ]
    plain = _PLACEHOLDER.sub("Stadt", text)
    found += [
        problem(path, "leichte_sprache.abbreviation", word=word)
        for word in _ALL_CAPS.findall(plain)
    ]
    for word in _words(plain):
        lower = word.lower()
        if lower in _NUMBER_WORDS:
            found.append(problem(path, "leichte_sprache.number_word", word=word))
        if lower in _INFORMAL:
            found.append(problem(path, "leichte_sprache.informal", word=word))
        if any(len(part) > MAX_WORD_LETTERS for part in word.split("-")):
            found.append(
                problem(path, "leichte_sprache.long_word", word=word, limit=MAX_WORD_LETTERS)
            )
    return found


def _heading(text: str, path: str) -> list[Problem]:
    found = _common(text, path)
    count = len(_words(text))
    if count > MAX_HEADING_WORDS:
        found.append(
            problem(path, "leichte_sprache.too_many_words", words=count, limit=MAX_HEADING_WORDS)
        )
    return found


def _sentence(text: str, path: str) -> list[Problem]:
    found = _common(text, path)
    body = text.strip()
    if not body or body[-1] not in ".!?:":
        found.append(problem(path, "leichte_sprache.sentence_end"))
    if _INNER_END.search(body[:-1]):
        found.append(problem(path, "leichte_sprache.one_statement"))
    count = len(_words(body))
    if count > MAX_WORDS:
        found.append(problem(path, "leichte_sprache.too_many_words", words=count, limit=MAX_WORDS))
    return found


def problems(data: dict[str, Any]) -> list[Problem]:
    """Every rule of Leichte Sprache the definition's ``leichte_sprache`` breaks, with
    its path (``leichte_sprache.sections[1].sentences[0]``); empty without a summary."""
    summary = data.get("leichte_sprache")
    if not summary:
        return []
    found = _heading(summary["title"], "leichte_sprache.title")
    for index, section in enumerate(summary["sections"]):
        path = f"leichte_sprache.sections[{index}]"
        found += _heading(section["heading"], f"{path}.heading")
        for number, sentence in enumerate(section["sentences"]):
            found += _sentence(sentence, f"{path}.sentences[{number}]")
    return found
