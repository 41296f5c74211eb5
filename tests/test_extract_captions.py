"""Photo captions ("(Photo: …)", "Pictured: …") show what the text tells: they make no event,
date none and sign nothing. The sentences are the tests' own."""

from __future__ import annotations

import pytest

from loaders.articles import extract_article
from loaders.articles.sentences import is_caption

HEADER = "source: https://example.org/news/12\npublished: 2025-03-06\n---\nCustoms news\n"
BODY = ("The Estonian Tax and Customs Board and Finnish Customs held a meeting in Tallinn on 3 "
        "March 2025 on ferry traffic.\n")


def _events(caption: str) -> list[dict]:
    document = extract_article(HEADER + BODY + caption + "\n", name="captions.txt",
                               evidence=False)
    return document["events"]


@pytest.mark.parametrize("caption", [
    "(Photo: the heads of the two services at the meeting in Tallinn on Monday)",
    "Pictured: Finnish Customs officers visiting the port of Tallinn on Tuesday.",
    "Photo caption: the delegations of Estonia and Finland held talks in Helsinki on 5 March "
    "2025.",
])
def test_a_caption_adds_no_event_and_moves_no_date(caption: str):
    events = _events(caption)
    assert [(e["kind"], e["date"]) for e in events] == [("meeting", "2025-03-03")]


def test_a_caption_signs_nothing():
    document = extract_article(
        HEADER + "The Estonian Tax and Customs Board and Finnish Customs signed a memorandum "
        "on ferry checks in Tallinn on 3 March 2025.\nPhoto: the two services sign the "
        "memorandum on 4 March 2025.\n", name="captions.txt", evidence=False)
    (memorandum,) = document["agreements"]
    assert memorandum["signed"] == "2025-03-03"
    assert [e["date"] for e in document["events"]] == ["2025-03-03"]


@pytest.mark.parametrize(("text", "caption"), [
    ("Photo: delegates in Riga", True), ("(Pictured: the signing)", True),
    ("Photographers attended the signing.", False), ("The image of customs improved.", False)])
def test_what_is_a_caption(text: str, caption: bool):
    assert is_caption(text) is caption
