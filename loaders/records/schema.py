"""The records JSON Schema (``loaders/records.schema.json``) and the check of a document against
it, its first error told as a RecordError in the converter's words (record, field, "did you
mean", why a date is not one)."""

from __future__ import annotations

import json
import re
import reprlib
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from rapidfuzz import fuzz, process

from graph.errors import RecordError
from loaders.records.documents import record_label
from ontology.dates import parse_date


@cache
def records_schema() -> dict:
    """The JSON Schema of the records format (``loaders/records.schema.json``)."""
    return json.loads(resources.files("loaders").joinpath("records.schema.json").read_text())


def check_schema(document: dict, name: str) -> None:
    """Check a document against the records JSON Schema; the first error as a RecordError."""
    validator = jsonschema.Draft202012Validator(records_schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    err = jsonschema.exceptions.best_match(errors)
    path = list(err.absolute_path)
    record = field = None
    if len(path) >= 2 and isinstance(path[1], int):
        record = record_label(str(path[0]), path[1], document[path[0]][path[1]])
        field = _field_path(path[2:])
    elif path:
        field = _field_path(path)
    message = err.message
    if err.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", err.message)
        prefix = f"{field}." if field else ""
        field = prefix + extra[0] if extra else field
        known = list(err.schema.get("properties", {}))
        guess = process.extractOne(extra[0], known, scorer=fuzz.ratio, score_cutoff=60) \
            if extra and known else None
        message = "unknown field" + (f" — did you mean '{guess[0]}'?" if guess else "")
    elif (err.validator in ("anyOf", "oneOf", "pattern") and isinstance(err.instance, str)
          and re.match(r"^\d{4}(-|/|$)", err.instance)):
        message = _date_problem(err.instance)
    elif err.validator in ("enum", "pattern", "type", "anyOf", "oneOf"):
        message = f"{_short(err.instance)} is not valid here" + (
            f" (expected one of: {', '.join(str(v) for v in err.validator_value if v)})"
            if err.validator == "enum" else "")
    raise RecordError(message, file=name, record=record, field=field)


def _short(value: Any) -> str:
    """A value as an error shows it: its repr, cut short (never a whole big value)."""
    shortener = reprlib.Repr()
    shortener.maxstring = shortener.maxother = 40
    shortener.maxlist = shortener.maxdict = 3
    shortener.maxlevel = 2
    return shortener.repr(value)


def _field_path(path: list) -> str | None:
    """``['parties', 0, 'name']`` as ``parties[0].name``, the converter's spelling."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or None


def _date_problem(value: Any) -> str:
    """Why ``value`` is not a records date (or interval)."""
    text = str(value)
    for part in text.split("/", 1):
        try:
            parse_date(part.strip())
        except ValueError as err:
            return str(err)
    return f"{_short(value)} is not a date like 2019, 2019-09, 2019-09-09 or an interval START/END"
