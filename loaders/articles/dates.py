"""Dates in article text: absolute, partial ("In 2019"), ranges ("2019–2023 period", "from 30
June till 4 July") and relative ones ("on Monday", "today", "September 9"), resolved against
the publication date when there is one, otherwise kept at the precision the words support."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from dataclasses import dataclass

from loaders.articles.sentences import search_between

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
_MONTH_DASH = r"\s*(?:-|–|—|to|till|until|through)\s*"
# Parts of a year: "the first half of 2024", "the third quarter of the year", "H2 2024".
_PART = (r"(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?P<unit>half|quarter|"
         r"semester)|"
         r"(?P<hq>[HQ])(?P<n>[1-4]))")
_PART_MONTHS = {("half", 1): (1, 6), ("half", 2): (7, 12), ("quarter", 1): (1, 3),
                ("quarter", 2): (4, 6), ("quarter", 3): (7, 9), ("quarter", 4): (10, 12)}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
             "4th": 4}


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
    # January-June 2024 / from January to March 2024 / between March and May 2024
    ("month-range", rf"\b(?:from\s+)?{_m('m1')}{_MONTH_DASH}{_m('m2')},?\s+{_y('y1')}"),
    ("month-range", rf"\bbetween\s+{_m('m1')}\s+and\s+{_m('m2')},?\s+{_y('y1')}"),
    # the first half of 2024 / the second quarter of the year / H1 2024
    ("part", rf"\b(?:the\s+)?{_PART}\s+(?:of\s+)?(?:(?P<this>the\s+(?:current\s+)?year|"
             rf"this\s+year|next\s+year)|{_y('y1')})"),
    # in the autumn (of 2024) / spring 2025 / scheduled for the autumn: seasons of the
    # northern hemisphere
    ("season", rf"\b(?:(?:in|during|by)\s+)?(?:the\s+)?(?P<season>spring|summer|autumn)\s+"
               rf"(?:of\s+)?{_y('y1')}|\b(?:in|during|(?:(?<=scheduled\s)|(?<=planned\s)|(?<=slated\s)|"
               rf"(?<=expected\s))for)\s+the\s+(?P<season2>spring|summer|autumn|"
               rf"fall)\b(?!\s+(?:session|term|semester|of\s+(?!(?:19|20)\d\d)))"),
    # October 5, 2016 / 5 October 2016 / 2016-10-05
    ("day", rf"\b{_m('m1')}\s+{_d('d1')}(?:,\s*|\s+){_y('y1')}"),
    ("day", rf"\b{_d('d1')}\s+(?:of\s+)?{_m('m1')}(?:,?\s+|\s+of\s+){_y('y1')}"),
    ("day", r"\b(?P<y1>(?:19|20)\d\d)-(?P<m1>[01]\d)-(?P<d1>[0-3]\d)\b"),
    ("day-dmy", r"\b(?P<d1>[0-3]?\d)\.(?P<m1>[01]?\d)\.(?P<y1>(?:19|20)\d\d)\b"),
    # October 2016
    ("month", rf"\b{_m('m1')},?\s+(?:of\s+)?{_y('y1')}"),
    # 2019-2023 / 2019–2023 / from 2019 to 2023 / between 2019 and 2023
    ("year-range", rf"\b(?:from\s+)?{_y('y1')}{_YEAR_DASH}{_y('y2')}"),
    ("year-range", rf"\bbetween\s+{_y('y1')}\s+and\s+{_y('y2')}"),
    # February 22-23 / 22-23 February / from March 20 to 22 (no year)
    ("day-range-no-year", rf"\b{_m('m1')}\s+{_d('d1')}{_DASH}{_d('d2')}\b(?!\s*(?:,\s*)?\d)"),
    ("day-range-no-year", rf"\b{_d('d1')}{_DASH}{_d('d2')}\s+(?:of\s+)?{_m('m1')}\b"),
    # September 9 / 15 April (no year)
    ("day-no-year", rf"\b{_m('m1')}\s+{_d('d1')}\b(?!\s*(?:-|–)\s*\d)"),
    ("day-no-year", rf"\b{_d('d1')}\s+(?:of\s+)?{_m('m1')}\b"),
    # Tuesday last week / on Tuesday of next week: the weekday of that week
    ("week-day", r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s+"
                 r"(?:of\s+)?(?P<rel>last|next|this|the\s+previous|the\s+following)\s+week\b"),
    ("relative", r"\b(?:(?P<rel>last|next|this|past|coming)\s+)?(?P<wd>Monday|Tuesday|Wednesday|"
                 r"Thursday|Friday|Saturday|Sunday)\b"),
    # three days ago / a week ago / a fortnight ago
    ("ago", r"\b(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
            r"(?P<unit>days?|weeks?|fortnight)\s+ago\b"),
    ("relative", r"\b(?P<word>today|yesterday|tomorrow|tonight)\b"),
    ("relative", r"\b(?:earlier\s+|later\s+)?(?P<rel>last|next|this|past|coming)\s+"
                 r"(?P<unit>week|month|year)\b"),
    ("anaphoric", r"\b(?P<ana>that day|the same day|the day before|the following day|"
                  r"the next day|that date|the day after|the previous day|"
                  r"(?:a|one|two|three|four|five|six|seven|\d)\s+days?\s+(?:later|earlier|"
                  r"before|after)|a\s+week\s+(?:later|earlier))\b"),
    # since the beginning of the year / by the end of 2025
    ("year-edge", rf"\b(?:the\s+)?(?P<edge>beginning|start|end)\s+of\s+(?:(?P<this>the|this)\s+"
                  rf"year|{_y('y1')})\b"),
    # In 2019 / dated 2015 / 2019 (a year standing alone)
    ("year", rf"(?<![\d/.-]){_y('y1')}(?![\d/-])"),
    # last October / next March: the nearest such month before or after publication
    ("month-rel", rf"\b(?P<rel>last|next|this|coming)\s+{_m('m1')}\b(?!\s+\d)"),
    # in October (no day, no year)
    ("month-no-year", rf"\b(?:in|since|from|until|by|for)\s+(?:early\s+|mid-?|late\s+)?"
                      rf"{_m('m1')}\b(?!\s+\d)"),
    # at the end of February / the beginning of March (no year)
    ("month-no-year", rf"\b(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+{_m('m1')}\b"
                      rf"(?!\s+\d)"),
]]


_DATELINE = re.compile(
    rf"^(?:[A-Z][\w.'’-]*(?:[ ,]+[A-Z][\w.'’-]*){{0,3}}\s*,\s*)?"
    # a date in another calendar first: "Riyadh, Rajab 15, 1446, January 15, 2025, SPA --"
    rf"(?:[A-Z][\w'’-]+\s+\d{{1,2}},\s+1[34]\d\d,\s+)?"
    rf"(?:{_m('m1')}\s+{_d('d1')}|{_d('d2')}\s+{_m('m2')})(?:,?\s+{_y('y1')})?"
    rf"(?:\s*\([^)]{{1,40}}\)|,\s*[A-Z]{{2,10}})?\s*(?:--|–|—|-)\s+")


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
    if kind == "day-range-no-year":
        if year is None:
            return None, "relative"
        m = _month(g["m1"])
        a, b = _iso(year, m, int(g["d1"])), _iso(year, m, int(g["d2"]))
        return (f"{a}/{b}" if a and b and a < b else None), "relative"
    if kind == "month-range":
        y, m1, m2 = int(g["y1"]), _month(g["m1"]), _month(g["m2"])
        return (f"{_iso(y, m1)}/{_iso(y, m2)}" if m1 < m2 else None), "range"
    if kind == "part":
        return _part_value(g, published)
    if kind == "season":
        first, last = _SEASONS[(g.get("season") or g.get("season2") or "").lower()]
        if g.get("y1"):
            y = int(g["y1"])
            return f"{_iso(y, first)}/{_iso(y, last)}", "range"
        if published is None:
            return None, "relative"
        return f"{_iso(published.year, first)}/{_iso(published.year, last)}", "relative"
    if kind == "year-edge":
        month = 12 if g["edge"].lower() == "end" else 1
        if g.get("y1"):
            return _iso(int(g["y1"]), month), "partial"
        return (_iso(published.year, month) if published else None), "relative"
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
    if kind == "month-rel":
        if published is None:
            return None, "relative"
        month, rel = _month(g["m1"]), g["rel"].lower()
        year = published.year
        if rel == "last" and month >= published.month:
            year -= 1
        elif rel in ("next", "coming") and month <= published.month:
            year += 1
        return _iso(year, month), "relative"
    if kind == "month-no-year":
        return (_iso(year, _month(g["m1"])) if year else None), "relative"
    if kind == "year":
        return str(int(g["y1"])), "partial"
    if kind == "anaphoric":
        return None, "anaphoric"
    if kind == "ago":
        if published is None:
            return None, "relative"
        n = _count(g["n"]) * {"day": 1, "week": 7, "fortnight": 14}[g["unit"].lower().rstrip("s")]
        return (published - dt.timedelta(days=n)).isoformat(), "relative"
    if kind == "week-day":
        if published is None:
            return None, "relative"
        step = {"last": -1, "the previous": -1, "next": 1, "the following": 1}.get(
            " ".join(g["rel"].lower().split()), 0)
        monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=step)
        return (monday + dt.timedelta(days=WEEKDAYS[g["wd"].lower()])).isoformat(), "relative"
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
    return _week_month(published, step), "relative"


def _week_month(published: dt.date, step: int) -> str | None:
    """"last week", "this week": the month the week (Monday to Sunday) lies in, None when it
    spans two."""
    monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=step)
    sunday = monday + dt.timedelta(days=6)
    return _iso(monday.year, monday.month) if monday.month == sunday.month else None


_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word.lower()]


def anaphoric_shift(text: str) -> int:
    """The days an anaphoric date lies after the last one told ("a day later": 1, "the day
    before": -1, "that day": 0)."""
    low = " ".join(text.lower().split())
    if low in ("the following day", "the next day", "the day after"):
        return 1
    if low in ("the day before", "the previous day"):
        return -1
    match = re.fullmatch(r"(\w+) (day|days|week) (later|after|earlier|before)", low)
    if not match:
        return 0
    days = _count(match.group(1)) * (7 if match.group(2) == "week" else 1)
    return days if match.group(3) in ("later", "after") else -days


def _part_value(g: dict[str, str | None], published: dt.date | None
                ) -> tuple[str | None, str]:
    """"the first half of 2024" -> 2024-01/2024-06; "the year" is the publication year."""
    if g.get("hq"):
        unit, n = ("half" if g["hq"] == "H" else "quarter"), int(g["n"] or 0)
    else:
        unit, n = (g["unit"] or "").lower(), _ORDINALS[(g["ord"] or "").lower()]
        unit = "half" if unit == "semester" else unit  # "the first semester of 2026"
    months = _PART_MONTHS.get((unit, n))
    if months is None:
        return None, "partial"
    if g.get("y1"):
        year, kind = int(g["y1"]), "range"
    elif published is not None:
        year = published.year + (1 if "next" in (g.get("this") or "").lower() else 0)
        kind = "relative"
    else:
        return None, "relative"
    return f"{_iso(year, months[0])}/{_iso(year, months[1])}", kind


def _ahead(value: str, published: dt.date) -> str:
    """A day or month without a year that an announcement gives: the next one to come."""
    first = value.split("/")[0]
    if first >= published.isoformat()[:len(first)]:
        return value
    return "/".join(f"{int(part[:4]) + 1}{part[4:]}" for part in value.split("/"))


def dateline_length(text: str) -> int:
    """The length of a news dateline that opens ``text`` ("BELGRADE, May 8 (Xinhua) --",
    "Bali, 10 November 2023 -"), 0 if there is none: its date is the story's, not an event's."""
    match = _DATELINE.match(text)
    return match.end() if match else 0


@functools.lru_cache(maxsize=16)
def _date_matches(text: str) -> tuple[tuple[str, re.Match[str]], ...]:
    """The date expressions of ``text``, pattern by pattern (longest first where they
    overlap), read once per text: ``find_dates`` asks again for a sentence that announces."""
    taken_starts: list[int] = []  # the spans taken, which never overlap, in order
    taken_ends: list[int] = []
    found = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            before = bisect.bisect_left(taken_starts, end)  # spans starting before the end
            if before and taken_ends[before - 1] > start:
                continue
            if kind == "year" and not _plausible_year(text, start, end):
                continue
            if kind == "day-no-year" and not _plausible_day(text, match):
                continue
            found.append((kind, match))
            at = bisect.bisect_left(taken_starts, start)
            taken_starts.insert(at, start)
            taken_ends.insert(at, end)
    return tuple(found)


def find_dates(text: str, published: dt.date | None = None, *, offset: int = 0,
               future: bool = False) -> list[DateMention]:
    """The dates in ``text`` in order, longest first where they overlap; spans are shifted by
    ``offset``. ``future`` reads a bare weekday forwards ("will meet on Monday")."""
    found: list[DateMention] = []
    for kind, match in _date_matches(text):
        start, end = match.span()
        value, mention_kind = _value(kind, match, published, future)
        if future and published and value and (
                kind in ("day-no-year", "month-no-year", "day-range-no-year") or
                kind == "season" and mention_kind == "relative" and
                value.split("/")[-1] < published.isoformat()[:7]):
            value = _ahead(value, published)  # "will start on June 1": the next June 1
        open_end = kind in ("day", "day-no-year", "month", "month-no-year", "year",
                            "year-edge") and bool(re.search(
            r"(?i)\b(?:from|since|starting)\s+$", text[max(0, start - 12):start]))
        found.append(DateMention(start + offset, end + offset, match.group(0), value,
                                 mention_kind, open_end))
    return _without_glossed(_without_restated(sorted(found, key=lambda d: d.start), text,
                                              offset), text, offset)


_PRECISION_RANK = {"day": 3, "month": 2, "year": 1, None: 0}


def _without_glossed(dates: list[DateMention], text: str, offset: int) -> list[DateMention]:
    """"13 and 14 Falgun 2081 (25 and 26 February 2025)": a date in another calendar with
    its Gregorian gloss in brackets (or the other way round) is one date: the more precise
    of the two is kept (the first when they are as precise)."""
    dropped: set[int] = set()
    for i in range(len(dates) - 1):
        first, second = dates[i], dates[i + 1]
        if not re.fullmatch(r"\s*\(\s*(?:[\w'’-]+\s+){0,3}",
                            text[first.end - offset:second.start - offset]) or \
                not re.match(r"\s*\)", text[second.end - offset:]):
            continue
        if _PRECISION_RANK.get(second.precision, 0) > _PRECISION_RANK.get(first.precision, 0):
            dropped.add(i)
        else:
            dropped.add(i + 1)
    return [d for i, d in enumerate(dates) if i not in dropped]


def _without_restated(dates: list[DateMention], text: str, offset: int) -> list[DateMention]:
    """"Wednesday, 6 November 2024", "Tomorrow, Wednesday - 06 November 2024": a weekday or
    "tomorrow" right before the full date it names is that date, not one of its own."""
    kept: list[DateMention] = []
    skip: set[int] = set()
    for i, date in enumerate(dates):
        if i in skip:
            continue
        restated = False
        last = date  # the chain of dates with nothing but punctuation between them
        for other in dates[i + 1:]:
            if not re.fullmatch(r"[\s,–—-]*(?:the\s+)?",
                                text[last.end - offset:other.start - offset]):
                break
            if other.kind == "absolute" and other.precision == "day":
                restated = date.kind == "relative"
                break
            last = other
        if restated:  # one mention over all of it, the full date's value
            end = dates.index(other)
            skip.update(range(i, end + 1))
            kept.append(DateMention(date.start, other.end,
                                    text[date.start - offset:other.end - offset], other.value,
                                    other.kind, other.open_end))
        else:
            kept.append(date)
    return kept


def _plausible_year(text: str, start: int, end: int) -> bool:
    """A four-digit number reads as a year, not an amount ("2,000 tons", "2019 cars"), nor
    the first word of a name ("at the 2025 China-ASEAN Customs Cooperation Forum")."""
    if re.search(r"\bthe\s+$", text[max(0, start - 5):start]) and re.match(
            r"\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)+\s+(?:Forum|Conference|Summit|Expo|Meeting|"
            r"Session|Games|Congress|Symposium|Exhibition)\b", text[end:end + 80]):
        return False
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


_FUTURE = re.compile(r"\b(will|shall|is to|are to|plans? to|planned|intends? to|"
                     r"is scheduled|are scheduled|is expected|are expected|upcoming|"
                     r"going to|to be held|(?:is|are)\s+(?:due|set|slated)\s+to|"
                     r"agreed\s+to\s+(?:hold|sign|meet|conduct|organi[sz]e|launch|start|"
                     r"begin|extend|introduce|open|establish|set\s+up|resume))\b", re.I)


def is_future_context(sentence: str) -> bool:
    """True when a sentence announces something ("will", "is to", "plans to", "next")."""
    return _FUTURE.search(sentence) is not None


def is_future_between(text: str, start: int, end: int) -> bool:
    """``is_future_context(text[start:end])`` for a clause of a long text, without reading
    the clause again for each question (``search_between``)."""
    return search_between(_FUTURE, text, start, end)


# "… will be extended from 1 August, under an arrangement it signed … in May": the words
# since the last comma tell the past
_PAST_VERB = re.compile(r"(?i)\b(?:signed|concluded|inked|initial(?:l)?ed|ratified|approved|"
                        r"held|met)\b")


def tells_past(before: str) -> bool:
    """True when the words right before a date (since the last comma) tell something done."""
    local = before[before.rfind(",") + 1:]
    return bool(_PAST_VERB.search(local)) and not is_future_context(local)


@functools.lru_cache(maxsize=32)
def _commas(text: str) -> list[int]:
    return [i for i, char in enumerate(text) if char == ","]


def tells_past_between(text: str, start: int, end: int) -> bool:
    """``tells_past(text[start:end])`` for the words before a date in a long text."""
    if end - start <= 400:
        return tells_past(text[start:end])
    commas = _commas(text)
    i = bisect.bisect_left(commas, end) - 1
    local = commas[i] + 1 if i >= 0 and commas[i] >= start else start
    return search_between(_PAST_VERB, text, local, end) and \
        not is_future_between(text, local, end)
