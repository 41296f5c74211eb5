"""Records documents (YAML, JSON, CSV): parse and read them, write them back as one file, and
read a record's fields (values as text or lists, and where a value comes from for error
messages).

Hostile input is bounded before anything else sees it: a file over the size limit
(``$CUSTOMS_KG_MAX_FILE_SIZE``, default 64 MB) is not read; YAML nesting is limited while it is
composed, and a document nested deeper than ``MAX_DEPTH``, whose aliases expand to more than
``MAX_ALIAS_EXPANSION`` extra values (a "billion laughs" bomb) or refer to themselves, or whose
strings hold lone surrogate escapes (``"\\ud800"``), is refused in one line.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph.errors import RecordError, SourceError

RECORD_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".csv": "csv"}
SECTIONS = ("countries", "unions", "agencies", "memberships", "people", "agreements", "events")


MAX_DEPTH = 100
MAX_ALIAS_EXPANSION = 1_000_000
SIZE_ENV = "CUSTOMS_KG_MAX_FILE_SIZE"
DEFAULT_MAX_SIZE = 64 * 1024 * 1024


class _TooDeep(Exception):
    def __init__(self, mark: Any) -> None:
        self.mark = mark


class _RecordsYamlLoader(yaml.SafeLoader):
    """Safe YAML that keeps dates as written ("2019-13-45" is a date error of ours, not YAML's)
    and stops composing at ``MAX_DEPTH`` levels of nesting."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


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
    except _TooDeep as err:
        where = f" at line {err.mark.line + 1}" if err.mark else ""
        raise SourceError(f"{name}: nested more than {MAX_DEPTH} levels deep{where}") from None
    except RecursionError:
        raise SourceError(f"{name}: nested more than {MAX_DEPTH} levels deep") from None
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
    for document in documents:
        _check_bounds(document, name)
    for position, document in enumerate(documents):
        if not isinstance(document, dict):
            where = f" (document {position + 1})" if len(documents) > 1 else ""
            raise SourceError(f"{name}{where}: expected a mapping of records (agencies, "
                              f"agreements, …) at the top, found a {type(document).__name__}")
    return documents or [{}]


def _check_bounds(document: Any, name: str) -> None:
    """Refuse a parsed document nested deeper than MAX_DEPTH, whose shared values (YAML
    aliases) expand to more than MAX_ALIAS_EXPANSION extra values or contain themselves, or
    with a lone surrogate in a string. Iterative, and each shared value is measured once."""
    measured: dict[int, tuple[int, int]] = {}  # id → (values when expanded, depth)
    active: set[int] = set()
    distinct = 0
    stack: list[tuple[Any, bool]] = [(document, False)]
    while stack:
        node, done = stack.pop()
        if isinstance(node, str):
            _check_text(node, name)
            continue
        if not isinstance(node, (dict, list)):
            continue
        key = id(node)
        children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
        if done:
            size, depth = 1, 1
            for child in children:
                if isinstance(child, (dict, list)):
                    child_size, child_depth = measured[id(child)]
                    size, depth = size + child_size, max(depth, child_depth + 1)
                else:
                    size += 1
            measured[key] = (size, depth)
            active.discard(key)
            if depth > MAX_DEPTH:
                raise SourceError(f"{name}: nested more than {MAX_DEPTH} levels deep")
            if size - distinct > MAX_ALIAS_EXPANSION:
                raise SourceError(f"{name}: refused: its YAML aliases expand to more than "
                                  f"{MAX_ALIAS_EXPANSION:,} values (an alias bomb?)")
            continue
        if key in measured:
            continue
        if key in active:
            raise SourceError(f"{name}: refused: a YAML alias refers to a value that "
                              "contains it")
        active.add(key)
        distinct += 1 + len(children)
        stack.append((node, True))
        stack.extend((child, False) for child in children)


def _check_text(text: str, name: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        code = ord(text[err.start])
        raise SourceError(f"{name}: a string holds a lone surrogate escape (\\u{code:04x}), "
                          "which is no character") from None


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
    try:
        return _read_csv(text, name)
    except csv.Error as err:
        raise SourceError(f"{name}: malformed CSV: {err}") from None


def _read_csv(text: str, name: str) -> dict:
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


def max_file_size(variable: str = SIZE_ENV, default: int = DEFAULT_MAX_SIZE) -> int:
    """The largest records file read, in bytes: ``$CUSTOMS_KG_MAX_FILE_SIZE`` (a number of
    bytes, or with a K, M or G suffix), default 64 MB."""
    text = os.environ.get(variable, "").strip().upper().removesuffix("B")
    if not text:
        return default
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1], 1)
    try:
        return int(float(text.rstrip("KMG")) * scale)
    except ValueError:
        raise SourceError(f"${variable}={text!r} is not a size like 64M") from None


def check_size(path: Path, name: str, limit: int | None = None, variable: str = "") -> None:
    """SourceError when the file is over the size limit (``variable`` names the setting of
    ``limit`` when given)."""
    limit = max_file_size() if limit is None else limit
    try:
        size = path.stat().st_size
    except OSError as err:
        raise SourceError(f"{name}: cannot read: {err.strerror}") from err
    if size > limit:
        raise SourceError(f"{name}: {_megabytes(size)} is over the {_megabytes(limit)} limit "
                          f"for {variable and 'an RDF file' or 'a file read into memory'} "
                          f"(raise ${variable or SIZE_ENV})")


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MB" if size >= 1 << 20 else f"{size:,} bytes"


def _read_text(path: Path, name: str) -> str:
    check_size(path, name)
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
