"""The items dated in a period, found from the index: the date values a period can hold are
listed (a year, its months, its days), so that the store looks each one up instead of reading
and comparing every date it holds.

Overlap of an item's dates with a period: lexical forms of partial dates compare in time order,
and "~" sorts after every digit and "-", so "2019~" is the end of 2019. An item overlaps the
period when one of its start dates (start, signing, entry into force, start of validity) is at
most the period's end and its end (end, end of validity; else that start date) is at least the
period's start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode

from ontology.dates import parse_date
from ontology.vocab import XSD

STARTS = "schema:startDate|ckg:signingDate|ckg:entryIntoForceDate|ckg:validFrom"
ENDS = "schema:endDate|ckg:validUntil"
MAX_LISTED_YEARS = 6
"""Periods up to this many calendar years have their date values listed (378 a year, typed
and plain); longer or open periods compare every end date and start date instead."""

_TYPES = {4: NamedNode(str(XSD.gYear)), 7: NamedNode(str(XSD.gYearMonth)),
          10: NamedNode(str(XSD.date))}


def bounds(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """The period's first lexical form and its end ("2019-12-31" → "2019-12-31~")."""
    low = parse_date(since).iso if since else None
    high = parse_date(until).iso + "~" if until else None
    return low, high


def _forms(year: int) -> Iterator[str]:
    yield f"{year:04d}"
    for month in range(1, 13):
        yield f"{year:04d}-{month:02d}"
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day.isoformat()
        day += dt.timedelta(days=1)


def listed_values(low: str, high: str) -> list[Literal] | None:
    """Every date literal (xsd:gYear, xsd:gYearMonth, xsd:date, or a plain string of those
    forms) whose span overlaps [low, high], or None when the period is too long to list."""
    first, last = int(low[:4]), int(high[:4])
    if last - first + 1 > MAX_LISTED_YEARS or first < 1 or last > 9998:
        return None
    values: list[Literal] = []
    for year in range(first, last + 1):
        for form in _forms(year):
            if form <= high and form + "~" >= low:
                values.append(Literal(form, datatype=_TYPES[len(form)]))
                values.append(Literal(form))
    return values


def candidates_pattern(low: str | None, high: str | None) -> str:
    """A SELECT subquery of the ?item that may overlap the period (a superset, found fast):
    a start date among the listed values, or an end date at or after the period's start.
    The bounds are parsed dates written by pyoxigraph, never an analyst's text."""
    assert low is not None or high is not None
    low_term = str(Literal(low)) if low else None
    high_term = str(Literal(high)) if high else None
    values = listed_values(low, high) if low and high else None
    if values is not None:
        starts = (f"{{ VALUES ?d {{ {' '.join(str(v) for v in values)} }}\n"
                  f"      ?item {STARTS} ?d }}")
    else:
        tests = [f"STR(?d) <= {high_term}" if high_term else "",
                 f'CONCAT(STR(?d), "~") >= {low_term}' if low_term else ""]
        starts = f"{{ ?item {STARTS} ?d . FILTER({' && '.join(t for t in tests if t)}) }}"
    if low_term is None:
        return f"{{ SELECT DISTINCT ?item WHERE {{ {starts} }} }}"
    ends = f'{{ ?item {ENDS} ?e . FILTER(CONCAT(STR(?e), "~") >= {low_term}) }}'
    return f"{{ SELECT DISTINCT ?item WHERE {{\n    {starts}\n    UNION\n    {ends} }} }}"


def overlaps(starts: list[str], ends: list[str], low: str | None, high: str | None) -> bool:
    """The exact test, on a candidate's date values: a start at most the period's end, and its
    end (any end date; without one, that start) at least the period's start."""
    for start in starts:
        if high is not None and start > high:
            continue
        if low is None or any(end + "~" >= low for end in (ends or [start])):
            return True
    return False
