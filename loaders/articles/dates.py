"""Dates in article text: absolute, partial ("In 2019"), ranges ("2019–2023 period", "from 30
June till 4 July") and relative ones ("on Monday", "today", "September 9"), resolved against
the publication date when there is one, otherwise kept at the precision the words support."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6}

_MONTH = (r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|"
          r"November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|"
          r"Oct\.?|Nov\.?|Dec\.?)")
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{0}>(?:1[89]|20)\d\d)(?![\d,.]\d)"
_DASH = r"\s*(?:-|–|—|to|till|until|through|and)\s*"
_YEAR_DASH = r"\s*(?:-|–|—|/|to|till|until|through)\s*"


def _p(template: str, *names: str) -> str:
    return template.format(*names)


def _m(name: str) -> str:
    return _MONTH.format(name)


def _d(name: str) -> str:
    return _DAY.format(name)


def _y(name: str) -> str:
    return _YEAR.format(name)


# Most specific first; overlapping matches keep the earliest-listed longest one.
_PATTERNS: list[tuple[str, re.Pattern]] = [(kind, re.compile(pattern, re.I)) for kind, pattern in [
    # June 27-29, 2019 / 27-29 June 2019
    ("day-range", rf"\b{_m('m1')}\s+{_d('d1')}{_DASH}{_d('d2')},?\s+{_y('y1')}"),
    ("day-range", rf"\b{_d('d1')}{_DASH}{_d('d2')}\s+(?:of\s+)?{_m('m1')},?\s+{_y('y1')}"),
    # from 30 June till 4 July (2019) / from June 30 to July 4 (2019)
    ("range", rf"\b(?:from\s+|between\s+)?{_d('d1')}\s+(?:of\s+)?{_m('m1')}(?:,?\s+{_y('y1')})?"
              rf"{_DASH}{_d('d2')}\s+(?:of\s+)?{_m('m2')}(?:,?\s+{_y('y2')})?"),
    ("range", rf"\b(?:from\s+|between\s+)?{_m('m1')}\s+{_d('d1')}(?:,?\s+{_y('y1')})?"
              rf"{_DASH}{_m('m2')}\s+{_d('d2')}(?:,?\s+{_y('y2')})?"),
    # October 5, 2016 / 5 October 2016 / 2016-10-05
    ("day", rf"\b{_m('m1')}\s+{_d('d1')}(?:,\s*|\s+){_y('y1')}"),
    ("day", rf"\b{_d('d1')}\s+(?:of\s+)?{_m('m1')},?\s+{_y('y1')}"),
    ("day", r"\b(?P<y1>(?:19|20)\d\d)-(?P<m1>[01]\d)-(?P<d1>[0-3]\d)\b"),
    ("day-dmy", r"\b(?P<d1>[0-3]?\d)\.(?P<m1>[01]?\d)\.(?P<y1>(?:19|20)\d\d)\b"),
    # October 2016
    ("month", rf"\b{_m('m1')},?\s+(?:of\s+)?{_y('y1')}"),
    # 2019-2023 / 2019–2023 / from 2019 to 2023 / between 2019 and 2023
    ("year-range", rf"\b(?:from\s+)?{_y('y1')}{_YEAR_DASH}{_y('y2')}"),
    ("year-range", rf"\bbetween\s+{_y('y1')}\s+and\s+{_y('y2')}"),
    # September 9 / 15 April (no year)
    ("day-no-year", rf"\b{_m('m1')}\s+{_d('d1')}\b(?!\s*(?:-|–)\s*\d)"),
    ("day-no-year", rf"\b{_d('d1')}\s+(?:of\s+)?{_m('m1')}\b"),
    ("relative", r"\b(?:(?P<rel>last|next|this|past|coming)\s+)?(?P<wd>Monday|Tuesday|Wednesday|"
                 r"Thursday|Friday|Saturday|Sunday)\b"),
    ("relative", r"\b(?P<word>today|yesterday|tomorrow|tonight)\b"),
    ("relative", r"\b(?:earlier\s+|later\s+)?(?P<rel>last|next|this|past|coming)\s+"
                 r"(?P<unit>week|month|year)\b"),
    ("anaphoric", r"\b(?P<ana>that day|the same day|the day before|the following day|"
                  r"the next day|that date)\b"),
    # In 2019 / dated 2015 / 2019 (a year standing alone)
    ("year", rf"(?<![\d/.-]){_y('y1')}(?![\d/-])"),
    # in October (no day, no year)
    ("month-no-year", rf"\b(?:in|since|from|until|by)\s+(?:early\s+|mid-?|late\s+)?{_m('m1')}\b"
                      rf"(?!\s+\d)"),
]]


@dataclass(frozen=True)
class DateMention:
    """A date in the text: its span, its words and its value (ISO date, partial date or
    ISO interval), None when the words give no usable date (no publication date to resolve
    "on Monday" against)."""

    start: int
    end: int
    text: str
    value: str | None
    kind: str  # absolute | partial | range | relative | anaphoric
    open_end: bool = False  # "from October 5": a start with no end

    @property
    def precision(self) -> str | None:
        if not self.value:
            return None
        first = self.value.split("/")[0]
        return {4: "year", 7: "month", 10: "day"}[len(first)]


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _weekday(published: dt.date, weekday: int, rel: str | None, future: bool) -> dt.date:
    """The day a weekday name means, seen from the publication date."""
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if rel in ("next", "coming") or (future and rel not in ("last", "past")):
        return published + dt.timedelta(days=ahead or 7)
    if rel in ("last", "past"):
        return published - dt.timedelta(days=back or 7)
    return published - dt.timedelta(days=back)


def _value(kind: str, match: re.Match, published: dt.date | None,
           future: bool) -> tuple[str | None, str]:
    """The ISO value of a match and its kind of mention."""
    g = match.groupdict()
    year = published.year if published else None
    if kind == "day-range":
        y, m = int(g["y1"]), _month(g["m1"])
        a, b = _iso(y, m, int(g["d1"])), _iso(y, m, int(g["d2"]))
        return (f"{a}/{b}" if a and b and a <= b else None), "range"
    if kind == "range":
        m1, m2 = _month(g["m1"]), _month(g["m2"])
        y2 = int(g["y2"]) if g.get("y2") else (int(g["y1"]) if g.get("y1") else year)
        y1 = int(g["y1"]) if g.get("y1") else (y2 - (m1 > m2) if y2 else None)
        if y1 is None or y2 is None:
            return None, "range"
        a, b = _iso(y1, m1, int(g["d1"])), _iso(y2, m2, int(g["d2"]))
        return (f"{a}/{b}" if a and b and a <= b else None), "range"
    if kind == "day":
        return _iso(int(g["y1"]), _month(g["m1"]) if not g["m1"].isdigit() else int(g["m1"]),
                    int(g["d1"])), "absolute"
    if kind == "day-dmy":
        return _iso(int(g["y1"]), int(g["m1"]), int(g["d1"])), "absolute"
    if kind == "month":
        return _iso(int(g["y1"]), _month(g["m1"])), "partial"
    if kind == "year-range":
        y1, y2 = int(g["y1"]), int(g["y2"])
        return (f"{y1}/{y2}" if y1 <= y2 else None), "range"
    if kind == "day-no-year":
        return (_iso(year, _month(g["m1"]), int(g["d1"])) if year else None), "relative"
    if kind == "month-no-year":
        return (_iso(year, _month(g["m1"])) if year else None), "relative"
    if kind == "year":
        return str(int(g["y1"])), "partial"
    if kind == "anaphoric":
        return None, "anaphoric"
    # relative
    if published is None:
        return None, "relative"
    if g.get("wd"):
        day = _weekday(published, WEEKDAYS[g["wd"].lower()], (g.get("rel") or "").lower(), future)
        return day.isoformat(), "relative"
    if g.get("word"):
        shift = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[g["word"].lower()]
        return (published + dt.timedelta(days=shift)).isoformat(), "relative"
    rel, unit = g["rel"].lower(), g["unit"].lower()
    if rel == "past":
        return None, "relative"  # "over the past year": the last twelve months
    step = {"last": -1, "next": 1, "coming": 1, "this": 0}[rel]
    if unit == "year":
        return str(published.year + step), "relative"
    if unit == "month":
        month = published.month + step
        year_shift, month = divmod(month - 1, 12)
        return _iso(published.year + year_shift, month + 1), "relative"
    return None, "relative"  # a week is not a records date


def find_dates(text: str, published: dt.date | None = None, *, offset: int = 0,
               future: bool = False) -> list[DateMention]:
    """The dates in ``text`` in order, longest first where they overlap; spans are shifted by
    ``offset``. ``future`` reads a bare weekday forwards ("will meet on Monday")."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            if kind == "year" and not _plausible_year(text, start, end):
                continue
            if kind == "day-no-year" and not _plausible_day(text, match):
                continue
            value, mention_kind = _value(kind, match, published, future)
            open_end = kind in ("day", "day-no-year", "month") and bool(re.search(
                r"(?i)\b(?:from|since|starting)\s+$", text[max(0, start - 12):start]))
            found.append(DateMention(start + offset, end + offset, match.group(0), value,
                                     mention_kind, open_end))
            taken.append((start, end))
    return sorted(found, key=lambda d: d.start)


def _plausible_year(text: str, start: int, end: int) -> bool:
    """A four-digit number reads as a year, not an amount ("2,000 tons", "2019 cars")."""
    before = text[max(0, start - 12):start].lower()
    after = text[end:end + 12].lower()
    if re.search(r"[$€£¥]\s*$|\bno\.?\s*$|#\s*$", before):
        return False
    if re.match(r"\s*(?:%|percent|per cent|tons?|tonnes?|kg|km|units|cars|people|usd|dollars)\b",
                after):
        return False
    return True


def _plausible_day(text: str, match: re.Match) -> bool:
    """"May 5" is a date; "may 5" (a verb) is not; a day over 31 is no day."""
    month = match.group("m1")
    if month[0].islower():
        return False
    return 1 <= int(match.group("d1")) <= 31


def is_future_context(sentence: str) -> bool:
    """True when a sentence announces something ("will", "is to", "plans to", "next")."""
    return bool(re.search(r"\b(will|shall|is to|are to|plans? to|planned|intends? to|"
                          r"is scheduled|are scheduled|is expected|are expected|upcoming|"
                          r"going to|to be held)\b", sentence, re.I))
