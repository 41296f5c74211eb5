"""The form names are compared in, and the phrases that are nobody's name."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES_AND_DOTS = re.compile(r"['’ʼ`.]")
_NOT_WORD = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")


def normalise_name(text: str) -> str:
    """The form names are matched in: case-folded, unaccented, no punctuation, no leading "the".

    Apostrophes and dots vanish ("U.S." -> "us", "China's" -> "chinas"), "&" reads "and", any
    other punctuation separates words ("Guinea-Bissau" -> "guinea bissau").
    """
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.replace("&", " and ")
    text = _APOSTROPHES_AND_DOTS.sub("", text)
    text = _NOT_WORD.sub(" ", text)
    text = unicodedata.normalize("NFC", _SPACES.sub(" ", text).strip())
    if text.startswith("the "):
        text = text[4:]
    return text

GENERIC_NAMES = frozenset(normalise_name(name) for name in (
    "customs", "the customs", "customs service", "customs services", "the customs service",
    "customs administration", "customs administrations", "the customs administration",
    "customs authority", "customs authorities", "the customs authorities", "customs office",
    "customs agency", "customs department", "customs committee", "customs house",
    "the government", "government", "governments", "the ministry", "ministry",
    "ministry of finance", "finance ministry", "the agency", "agency", "the administration",
    "administration", "the authorities", "authorities", "the authority", "the department",
    "department", "the service", "service", "the committee", "the commission", "commission",
    "the union", "union", "the council", "council", "the secretariat", "the parties",
    "parties", "the sides", "both sides", "the two sides", "the two countries", "the country",
    "the state", "state", "member states", "the member states", "the organisation",
    "the organization", "the bureau", "the directorate", "the office", "the board",
))
"""Phrases that name no body by themselves (compared normalised): they never become names of
an entity in the index, whoever states them (a record still declares its body; only its
mentions in the same load resolve to it)."""


def is_generic_name(text: str) -> bool:
    """Whether ``text`` is a generic phrase (see ``GENERIC_NAMES``)."""
    return normalise_name(text) in GENERIC_NAMES


