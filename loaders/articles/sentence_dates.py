"""The dates of an article's sentences: read forwards only in a clause that announces, a
dateline's date set aside, "that day" and "a day later" resolved against the last full date,
and the year a sentence-initial "In 2019, …" sets for those that follow."""

from __future__ import annotations

import datetime as dt
import re

from loaders.articles.dates import (
    DateMention,
    anaphoric_shift,
    dateline_length,
    find_dates,
    is_future_between,
    is_future_context,
    tells_past_between,
)
from loaders.articles.sentences import Sentence, clause_end, clause_start


def sentence_dates(sentence: Sentence, published: dt.date | None) -> list[DateMention]:
    """The dates of a sentence; a bare "4 June" or "Monday" read forwards only in a clause
    that announces ("signed … on 4 June, under which checks will start …": the 4 June past)."""
    text = sentence.text
    if not is_future_context(text):
        return find_dates(text, published, offset=sentence.start)
    ahead = find_dates(text, published, offset=sentence.start, future=True)
    past = find_dates(text, published, offset=sentence.start)
    if [(d.start, d.end) for d in past] != [(d.start, d.end) for d in ahead]:
        return ahead
    chosen = []
    for back, forward in zip(past, ahead, strict=True):
        at = back.start - sentence.start
        start = clause_start(text, at)
        chosen.append(forward if is_future_between(text, start, clause_end(text, at)) and
                      not tells_past_between(text, start, at) else back)
    return chosen


def drop_dateline_dates(sentences: list[Sentence], dates: dict[int, list[DateMention]]
                         ) -> None:
    """A paragraph's dateline ("BELGRADE, May 8 (Xinhua) --") dates the story, not what it
    tells: its date is no event's or agreement's."""
    paragraph = -1
    for sentence in sentences:
        if sentence.paragraph == paragraph:
            continue
        paragraph = sentence.paragraph
        length = dateline_length(sentence.text)
        if length:
            dates[sentence.index] = [d for d in dates.get(sentence.index, [])
                                     if d.start >= sentence.start + length]


def resolve_anaphoric_dates(sentences: list[Sentence], dates: dict[int, list[DateMention]]
                             ) -> None:
    """"that day", "the same day": the last full date the article gave before; "a day later",
    "the day before": that date moved by the days they say."""
    last: str | None = None
    for sentence in sentences:
        resolved = []
        for date in dates.get(sentence.index, []):
            if date.kind == "anaphoric":
                value = last and (dt.date.fromisoformat(last) + dt.timedelta(
                    days=anaphoric_shift(date.text))).isoformat()
                date = DateMention(date.start, date.end, date.text, value, "anaphoric")
            elif date.value and date.precision == "day":
                last = date.value.split("/")[0]
            resolved.append(date)
        dates[sentence.index] = resolved


def context_years(sentences: list[Sentence]) -> dict[int, str]:
    """The year a sentence-initial "In 2019, …" sets for the sentences that follow."""
    years: dict[int, str] = {}
    year = None
    for sentence in sentences:
        match = re.match(r"^(?:[A-Z][\w ]{0,25},\s*)?(?:[Ii]n|[Dd]uring|[Tt]hroughout)\s+"
                         r"((?:19|20)\d\d)\b", sentence.text)
        if match:
            year = match.group(1)
        if year:
            years[sentence.index] = year
    return years
