"""Partial dates (a year, a year-month, a day) and intervals, kept at their precision."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

XSD = "http://www.w3.org/2001/XMLSchema#"
_DATATYPES = {4: NamedNode(XSD + "gYear"), 7: NamedNode(XSD + "gYearMonth"),
              10: NamedNode(XSD + "date")}
_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day; its ISO text sorts in time order."""

    iso: str

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month", 10: "day"}[len(self.iso)]

    @property
    def earliest(self) -> str:
        """The first day the date may mean, as ``YYYY-MM-DD``."""
        return (self.iso + "-01-01")[:10] if len(self.iso) == 4 else (self.iso + "-01")[:10]

    @property
    def latest(self) -> str:
        """The last day the date may mean, as ``YYYY-MM-DD``."""
        if len(self.iso) == 10:
            return self.iso
        year = int(self.iso[:4])
        if len(self.iso) == 4:
            return f"{year}-12-31"
        month = int(self.iso[5:7])
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return (nxt - dt.timedelta(days=1)).isoformat()

    def literal(self) -> Literal:
        return Literal(self.iso, datatype=_DATATYPES[len(self.iso)])

    def __str__(self) -> str:
        return self.iso


def parse_date(value: object) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (or a date from YAML); raise ValueError."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value.isoformat())
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a date like 2019, 2019-09 or 2019-09-09, got {value!r}")
    text = value.strip()
    match = _PATTERN.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a date like 2019, 2019-09 or 2019-09-09")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(f"'{text}' is not a real calendar date") from None
    return PartialDate(text)


def date_text(value: str) -> str:
    """``value`` when it is a date at any precision (``parse_date``); ValueError if not."""
    parse_date(value)
    return value


def day_text(value: str) -> str:
    """``value`` when it is a whole day, ``YYYY-MM-DD``; ValueError if not."""
    try:
        if len(str(parse_date(value))) == 10:
            return value
    except ValueError:
        pass
    raise ValueError(f"'{value}' is not a date YYYY-MM-DD")


def parse_interval(value: object) -> tuple[PartialDate, PartialDate | None]:
    """Parse a date or an ISO interval ``START/END``; the end may not come before the start."""
    if isinstance(value, str) and "/" in value:
        start_text, _, end_text = value.partition("/")
        start, end = parse_date(start_text), parse_date(end_text)
        if end.latest < start.earliest:
            raise ValueError(f"interval '{value}' ends before it starts")
        return start, end
    return parse_date(value), None


def date_from_literal(literal: Literal) -> PartialDate | None:
    """The PartialDate a date literal of the graph holds, or None if it holds none."""
    try:
        return parse_date(literal.value)
    except ValueError:
        return None
