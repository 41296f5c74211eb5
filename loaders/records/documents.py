"""Records documents (YAML, JSON, CSV): parse and read them, write them back as one file, and
read a record's fields (values as text or lists, and where a value comes from for error
messages)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph.errors import RecordError, SourceError

RECORD_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".csv": "csv"}
SECTIONS = ("countries", "unions", "agencies", "memberships", "people", "agreements", "events")


class _RecordsYamlLoader(yaml.SafeLoader):
    """Safe YAML that keeps dates as written ("2019-13-45" is a date error of ours, not YAML's)."""


_RecordsYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_record_documents(text: str, fmt: str, name: str) -> list[dict]:
    """Parse the records documents of a text in ``fmt`` (yaml, json, csv); SourceError if
    malformed. A file usually holds one document; a YAML stream (documents separated by
    ``---``) or a JSON array holds one per source, as ``customs-kg extract`` writes them for
    several articles."""
    if fmt == "csv":
        return [_parse_csv(text, name)]
    try:
        if fmt == "yaml":
            documents = [d for d in yaml.load_all(text, _RecordsYamlLoader) if d is not None]
        else:
            data = json.loads(text)
            documents = data if isinstance(data, list) else [data]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SourceError(f"{name}: malformed YAML{where}: {err.problem or err}") from err
    except yaml.YAMLError as err:
        raise SourceError(f"{name}: malformed YAML: {' '.join(str(err).split())}") from err
    except json.JSONDecodeError as err:
        raise SourceError(
            f"{name}: malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}"
        ) from err
    for position, document in enumerate(documents):
        if not isinstance(document, dict):
            where = f" (document {position + 1})" if len(documents) > 1 else ""
            raise SourceError(f"{name}{where}: expected a mapping of records (agencies, "
                              f"agreements, …) at the top, found a {type(document).__name__}")
    return documents or [{}]


def parse_records(text: str, fmt: str, name: str) -> dict:
    """Parse a records document in ``fmt`` (yaml, json, csv); SourceError if malformed or if
    the text holds several documents."""
    documents = parse_record_documents(text, fmt, name)
    if len(documents) > 1:
        raise SourceError(f"{name}: {len(documents)} records documents where one was expected")
    return documents[0]


_CSV_LIST_COLUMNS = {"aliases", "parties", "implementers", "participants", "topics", "outcomes",
                     "people"}


def _parse_csv(text: str, name: str) -> dict:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    if "title" in header:
        section = "agreements"
    elif "name" in header:
        section = "agencies"
    else:
        raise SourceError(f"{name}: a CSV of records needs a 'title' column (agreements) "
                          f"or a 'name' column (agencies); found {', '.join(header) or 'none'}")
    rows = []
    for row in reader:
        record: dict[str, Any] = {}
        for key, value in row.items():
            if key is None:
                raise SourceError(f"{name}: line {reader.line_num} has more cells than the header")
            value = (value or "").strip()
            if key in _CSV_LIST_COLUMNS:
                record[key] = [v.strip() for v in value.split(";") if v.strip()]
            else:
                record[key] = value or None
        rows.append(record)
    return {section: rows}


def _read_text(path: Path, name: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise SourceError(f"{name}: not UTF-8 text ({err.reason} at byte {err.start})") from err
    except OSError as err:
        raise SourceError(f"{name}: cannot read: {err.strerror}") from err


def read_records(path: Path, display: str | None = None) -> dict:
    """Read and parse a records file; SourceError if it cannot be read or parsed."""
    name = display or str(path)
    return parse_records(_read_text(path, name), RECORD_SUFFIXES[path.suffix.lower()], name)


def read_record_documents(path: Path, display: str | None = None) -> list[dict]:
    """Read and parse every records document of a file (see ``parse_record_documents``)."""
    name = display or str(path)
    return parse_record_documents(_read_text(path, name), RECORD_SUFFIXES[path.suffix.lower()],
                                  name)


def format_records(documents: list[dict], fmt: str) -> str:
    """Records documents as the text of one file ``customs-kg load`` reads back: YAML (a stream
    of documents when there are several) or JSON (an array when there are several)."""
    if fmt == "json":
        data: Any = documents[0] if len(documents) == 1 else documents
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump_all(documents, sort_keys=False, allow_unicode=True, width=100,
                              explicit_start=len(documents) > 1)


# -- a record's fields ----------------------------------------------------------------------
def record_label(section: str, position: int, record: Any) -> str:
    """How an error message names a record: ``agencies[3] "Federal Customs Service"``."""
    label = f"{section}[{position}]"
    if isinstance(record, dict):
        title = record.get("id") or record.get("name") or record.get("title")
        if isinstance(title, str):
            label += f' "{title if len(title) <= 50 else title[:47] + "…"}"'
    return label


@dataclass
class Context:
    """Where a value comes from, for error messages."""

    file: str
    record: str | None = None

    def error(self, message: str, field: str | None = None) -> RecordError:
        return RecordError(message, file=self.file, record=self.record, field=field)


def as_list(value: Any) -> list:
    """A field that holds one value or a list of them, as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def as_text(value: Any) -> str | None:
    """A field's value as stripped text; None when absent or blank."""
    if value is None:
        return None
    return str(value).strip() or None
