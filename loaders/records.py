"""Records (YAML, JSON, CSV) to RDF: parse a document, check every field, resolve references,
and build the quads of one named graph."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from pyoxigraph import Literal, NamedNode, Quad
from rapidfuzz import fuzz, process

from graph.errors import RecordError, SourceError
from graph.names import ORGANISATION_KINDS, Entity, EntityIndex, normalise_name
from ontology.dates import PartialDate, parse_date, parse_interval
from ontology.vocab import (
    AGREEMENT_CLASSES,
    AGREEMENT_STATUSES,
    CAMEO_DEFAULTS,
    CKG,
    DCTERMS,
    EVENT_CLASSES,
    ID,
    ORG,
    ORGANISATION_CLASSES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    TIME,
    XSD,
)

RECORD_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".csv": "csv"}
SECTIONS = ("countries", "unions", "agencies", "memberships", "people", "agreements", "events")


def n(term: Any) -> NamedNode:
    """A pyoxigraph NamedNode for an rdflib URIRef (the vocabulary is written with rdflib)."""
    return NamedNode(str(term))


A = n(RDF.type)
PREF, ALT, HIDDEN = n(SKOS.prefLabel), n(SKOS.altLabel), n(SKOS.hiddenLabel)
IDENT = n(DCTERMS.identifier)
XSD_BOOLEAN, XSD_INTEGER, XSD_DECIMAL = n(XSD.boolean), n(XSD.integer), n(XSD.decimal)


def slugify(text: str, limit: int = 60) -> str:
    """A readable IRI segment; long texts keep a hash so two never collide."""
    slug = re.sub(r"[^a-z0-9]+", "-", normalise_name(text)).strip("-") or "x"
    if len(slug) > limit:
        digest = hashlib.sha1(text.encode()).hexdigest()[:8]
        slug = slug[:limit].rstrip("-") + "-" + digest
    return slug


def extractor_agent(extractor: str) -> NamedNode:
    """The prov:SoftwareAgent of an extractor named in evidence: ``customs-kg-extract 0.1.0``
    is ``id:loader/extractor-0.1.0``; another tool is ``id:loader/<its name, slugified>``."""
    match = re.fullmatch(r"customs-kg-extract\s+(\S+)", extractor.strip())
    version = re.sub(r"[^A-Za-z0-9._~-]+", "-", match.group(1)) if match else None
    name = f"extractor-{version}" if version else slugify(extractor)
    return n(ID[f"loader/{name}"])


# -- reading ----------------------------------------------------------------------------------
@cache
def records_schema() -> dict:
    """The JSON Schema of the records format (``loaders/records.schema.json``)."""
    return json.loads(resources.files("loaders").joinpath("records.schema.json").read_text())


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


def _record_label(section: str, position: int, record: Any) -> str:
    label = f"{section}[{position}]"
    if isinstance(record, dict):
        title = record.get("id") or record.get("name") or record.get("title")
        if isinstance(title, str):
            label += f' "{title if len(title) <= 50 else title[:47] + "…"}"'
    return label


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
        record = _record_label(str(path[0]), path[1], document[path[0]][path[1]])
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
    elif (err.validator in ("anyOf", "oneOf", "pattern")
          and re.match(r"^\d{4}(-|/|$)", str(err.instance))):
        message = _date_problem(err.instance)
    elif err.validator in ("enum", "pattern", "type", "anyOf", "oneOf"):
        message = f"{err.instance!r} is not valid here" + (
            f" (expected one of: {', '.join(str(v) for v in err.validator_value if v)})"
            if err.validator == "enum" else "")
    raise RecordError(message, file=name, record=record, field=field)


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
    return f"{value!r} is not a date like 2019, 2019-09, 2019-09-09 or an interval START/END"


# -- converting -------------------------------------------------------------------------------
@dataclass
class Context:
    """Where a value comes from, for error messages."""

    file: str
    record: str | None = None

    def error(self, message: str, field: str | None = None) -> RecordError:
        return RecordError(message, file=self.file, record=self.record, field=field)


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value).strip() or None


class RecordsConverter:
    """Turns records documents into quads, resolving references with ``index``.

    Call ``declare`` on every document of a load first (so files may refer to each other),
    then ``convert`` each one into its named graph.
    """

    def __init__(self, index: EntityIndex) -> None:
        self.index = index
        self._declared: dict[tuple[str, str, int], NamedNode] = {}
        self._label_owner: dict[str, tuple[str, str, int]] = {}

    # -- identity ---------------------------------------------------------------------------
    def _org_iri(self, doc_key: str, pos: int, record: dict, ctx: Context,
                 section: str) -> NamedNode:
        key = (doc_key, section, pos)
        if key in self._declared:
            return self._declared[key]
        name = _text(record.get("name"))
        if not name:
            raise ctx.error("missing name", "name")
        kind = record.get("kind") or ("union" if section == "unions" else None)
        country = self._country_of(record, ctx)
        parent = record.get("parent")
        if kind is None:
            kind = "customs" if country or parent else "international"
        entity_kind = ("union" if kind == "union" else
                       "international" if kind == "international" else "agency")
        explicit = _text(record.get("id"))
        iri = None
        if explicit:
            known = self.index.candidates(explicit, ORGANISATION_KINDS)
            iri = known[0].iri if known and known[0].iri.value.endswith("/" + explicit) else None
        if iri is None and not explicit:
            for candidate_name in [name, *_as_list(record.get("aliases"))]:
                for entity in self.index.candidates(str(candidate_name), ORGANISATION_KINDS):
                    if self._same_org(entity, entity_kind, country):
                        iri = entity.iri
                        break
                if iri is not None:
                    break
        if iri is None:
            folder = {"union": "union", "international": "org"}.get(entity_kind, "agency")
            slug = explicit or slugify(
                (country.code.lower() + " " if country is not None and country.code else "")
                + name)
            iri = ID[f"{folder}/{slug}"]
            iri = n(iri)
        self._declared[key] = iri
        self._claim_label(iri, key)
        entity = self.index.add(iri, entity_kind, name, [str(a) for a in
                                _as_list(record.get("aliases"))], explicit or
                                iri.value.rsplit("/", 1)[-1])
        if country is not None and entity.country is None:
            entity.country = country.iri
        if record.get("national") and country is not None:
            self.index.set_national_customs(country.iri, iri)
        return iri

    @staticmethod
    def _same_org(entity: Entity, kind: str, country: Entity | None) -> bool:
        if entity.kind in ("union", "international"):
            return kind in ("union", "international") or country is None
        if entity.kind != "agency":
            return False
        return country is None or entity.country is None or entity.country == country.iri

    def _country_of(self, record: dict, ctx: Context) -> Entity | None:
        value = _text(record.get("country"))
        if value is None:
            return None
        if re.fullmatch(r"[A-Za-z]{2,3}", value):
            country = self.index.country_by_code(value)
            if country is None:
                raise ctx.error(f"unknown country code '{value}'", "country")
            return country
        country = self.index.resolve(value, frozenset({"country"}))
        if country is None:
            suggestions = self.index.suggest(value, frozenset({"country"}))
            hint = f" — did you mean {' or '.join(suggestions)}?" if suggestions else ""
            raise ctx.error(f"unknown country '{value}'{hint}", "country")
        return country

    def _agreement_iri(self, doc_key: str, pos: int, record: dict, ctx: Context) -> NamedNode:
        key = (doc_key, "agreements", pos)
        if key in self._declared:
            return self._declared[key]
        explicit = _text(record.get("id"))
        title = _text(record.get("title"))
        parties = {e.iri.value for p in _as_list(record.get("parties"))
                   for e in self.index.candidates(str(p), ORGANISATION_KINDS)[:1]}
        iri = None
        if explicit:
            iri = n(ID[f"agreement/{explicit}"])
        else:
            if not title:
                raise ctx.error("an agreement needs a title or an id", "title")
            for name in [title, *_as_list(record.get("aliases"))]:
                for entity in self.index.candidates(str(name), frozenset({"agreement"})):
                    if not parties or self._shares_party(entity.iri, parties):
                        iri = entity.iri
                        break
                if iri is not None:
                    break
            if iri is None:
                digest = hashlib.sha1("|".join(sorted(parties)).encode()).hexdigest()[:6]
                iri = n(ID[f"agreement/{slugify(title)}-{digest}"])
        self._declared[key] = iri
        self._claim_label(iri, key)
        entity = self.index.add(iri, "agreement", title, [str(a) for a in
                                _as_list(record.get("aliases"))],
                                explicit or iri.value.rsplit("/", 1)[-1])
        entity.parties |= parties
        return iri

    def _claim_label(self, iri: NamedNode, key: tuple[str, str, int]) -> None:
        """The first record to name an entity unknown so far gives its preferred label."""
        if self.index.get(iri) is None:
            self._label_owner.setdefault(iri.value, key)

    def _label_of(self, iri: NamedNode, key: tuple[str, str, int], name: str | None,
                  aliases: list) -> tuple[str | None, list]:
        """(preferred label, aliases) this record may state: another record's entity keeps
        its label, and this record's name becomes an alias of it."""
        if self._label_owner.get(iri.value) == key or name is None:
            return name, aliases
        return None, [name, *aliases]

    def _shares_party(self, agreement: NamedNode, parties: set[str]) -> bool:
        entity = self.index.get(agreement)
        return entity is None or not entity.parties or bool(entity.parties & parties)

    def declare(self, document: dict, doc_key: str, name: str) -> None:
        """Register the entities a document declares, so other documents can refer to them."""
        for section in ("countries", "unions", "agencies", "agreements", "people"):
            for pos, record in enumerate(_as_list(document.get(section))):
                ctx = Context(name, _record_label(section, pos, record))
                if section == "countries":
                    self._declare_country(record, ctx)
                elif section in ("unions", "agencies"):
                    self._org_iri(doc_key, pos, record, ctx, section)
                elif section == "agreements":
                    self._agreement_iri(doc_key, pos, record, ctx)
                else:
                    self._person_iri(record, ctx)

    def _declare_country(self, record: Any, ctx: Context) -> Entity:
        if isinstance(record, dict):
            code = _text(record.get("code"))
            if code is None:
                raise ctx.error("a country needs a code", "code")
            country = self.index.country_by_code(code)
            if country is None and record.get("name"):
                iri = n(ID[f"country/{code.upper()}"])
                country = self.index.add(iri, "country", str(record["name"]),
                                         [str(a) for a in _as_list(record.get("aliases"))],
                                         code.upper())
                self.index.add_code(iri, code)
                for alt in ("alpha3",):
                    if record.get(alt):
                        self.index.add_code(iri, str(record[alt]))
                for demonym in _as_list(record.get("demonyms")):
                    self.index.add_demonym(str(demonym), iri)
            elif country is None:
                raise ctx.error(f"unknown country code '{code}'", "code")
            else:
                self.index.add(country.iri, "country", None,
                               [str(a) for a in _as_list(record.get("aliases"))])
            return country
        value = _text(record) or ""
        country = (self.index.country_by_code(value) if re.fullmatch(r"[A-Za-z]{2,3}", value)
                   else self.index.resolve(value, frozenset({"country"})))
        if country is None:
            raise ctx.error(f"unknown country '{value}'", "code")
        return country

    def _person_iri(self, record: dict, ctx: Context) -> NamedNode:
        name = _text(record.get("name"))
        if not name:
            raise ctx.error("missing name", "name")
        explicit = _text(record.get("id"))
        known = self.index.resolve(explicit or name, frozenset({"person"}))
        iri = known.iri if known else n(ID[f"person/{explicit or slugify(name)}"])
        self.index.add(iri, "person", name, [str(a) for a in _as_list(record.get("aliases"))],
                       explicit or iri.value.rsplit("/", 1)[-1])
        return iri

    # -- references -------------------------------------------------------------------------
    def _org(self, value: Any, ctx: Context, field: str) -> NamedNode:
        text = _text(value)
        if text is None:
            raise ctx.error("empty reference", field)
        entity = self.index.resolve(text, ORGANISATION_KINDS)
        if entity is None:
            if re.fullmatch(r"[A-Z]{2}", text):
                raise ctx.error(f"unknown country code '{text}'", field)
            suggestions = self.index.suggest(text, ORGANISATION_KINDS)
            hint = f" — did you mean {' or '.join(suggestions)}?" if suggestions else ""
            raise ctx.error(f"'{text}' resolves to no country, union or agency{hint}", field)
        return entity.iri

    # -- conversion -------------------------------------------------------------------------
    def convert(self, document: dict, doc_key: str, name: str, graph: NamedNode,
                now_source: NamedNode | None = None) -> tuple[list[Quad], list[NamedNode]]:
        """The quads of one document in ``graph``, and the source documents it names."""
        self._graph = graph
        self._quads: list[Quad] = []
        self._sources: list[NamedNode] = []
        self._parents: list[tuple[NamedNode, Context]] = []
        file_source = self._source(document.get("source"), Context(name), "source")
        if file_source is None:
            # No source named: the file itself is the document its statements come from.
            file_source = self._source({"id": f"file-{slugify(name)}", "title": name},
                                       Context(name), "source")
        for section in SECTIONS:
            value = document.get(section)
            if value is None:
                continue
            if not isinstance(value, list):
                raise RecordError(f"expected a list of records, found {type(value).__name__}",
                                  file=name, field=section)
            for pos, record in enumerate(value):
                ctx = Context(name, _record_label(section, pos, record))
                if section != "countries" and not isinstance(record, dict):
                    raise ctx.error(f"expected a record (a mapping), found {record!r}")
                source = (self._source(record.get("source"), ctx, "source")
                          if isinstance(record, dict) and record.get("source") else file_source)
                getattr(self, f"_convert_{section}")(doc_key, pos, record, ctx, source)
        for parent, ctx in self._parents:
            if parent.value not in self.index.events:
                raise ctx.error(f"no event has the id '{parent.value.rsplit('/', 1)[-1]}'",
                                "part_of")
        return self._quads, self._sources

    def _add(self, s: NamedNode, p: Any, o: Any) -> None:
        self._quads.append(Quad(s, p if isinstance(p, NamedNode) else n(p),
                                o if isinstance(o, (NamedNode, Literal)) else n(o), self._graph))

    def _lit(self, s: NamedNode, p: Any, value: Any) -> None:
        text = _text(value)
        if text is not None:
            self._add(s, p, Literal(text))

    def _date(self, s: NamedNode, p: Any, value: Any, ctx: Context, field: str
              ) -> PartialDate | None:
        if value is None or value == "":
            return None
        try:
            date = parse_date(value)
        except ValueError as err:
            raise ctx.error(str(err), field) from None
        self._add(s, p, date.literal())
        return date

    def _labels(self, s: NamedNode, label: str | None, aliases: Iterable[Any]) -> None:
        if label:
            self._add(s, PREF, Literal(label))
        for alias in aliases:
            text = _text(alias)
            if text and text != label:
                self._add(s, ALT, Literal(text))

    def _provenance(self, s: NamedNode, source: NamedNode | None) -> None:
        if source is not None:
            self._add(s, PROV.wasDerivedFrom, source)

    def _evidence(self, s: NamedNode, evidence: Any, source: NamedNode | None,
                  ctx: Context) -> None:
        """A record's ``evidence`` as PROV-O: ``s prov:qualifiedDerivation d``, the derivation
        naming the source document, the extraction activity and its agent (the extractor),
        the sentence, its span and the confidence. IRIs are made from the content, so the same
        evidence stated twice is one derivation."""
        if not isinstance(evidence, dict):
            return
        doc_id = _text(evidence.get("source"))
        if doc_id is None:
            raise ctx.error("evidence needs the id of its source document", "evidence.source")
        document = n(ID[f"source/{doc_id}"])
        if document != source:
            self._add(document, A, CKG.SourceDocument)
            self._add(document, IDENT, Literal(doc_id))
            self._add(s, PROV.wasDerivedFrom, document)
        span = evidence.get("span")
        if span is not None and span[1] < span[0]:
            raise ctx.error(f"span {span} ends before it starts", "evidence.span")
        sentence = evidence.get("sentence")
        extractor = _text(evidence.get("extractor"))
        confidence = evidence.get("confidence")
        basis = json.dumps([s.value, doc_id, span, sentence, extractor, confidence])
        derivation = n(ID[f"derivation/{hashlib.sha1(basis.encode()).hexdigest()[:16]}"])
        self._add(s, PROV.qualifiedDerivation, derivation)
        self._add(derivation, A, PROV.Derivation)
        self._add(derivation, PROV.entity, document)
        if extractor is not None:
            agent = extractor_agent(extractor)
            activity = n(ID[f"extraction/{slugify(doc_id)}-{agent.value.rsplit('/', 1)[-1]}"])
            self._add(derivation, PROV.hadActivity, activity)
            self._add(activity, A, PROV.Activity)
            self._add(activity, PROV.used, document)
            self._add(activity, PROV.wasAssociatedWith, agent)
            self._add(agent, A, PROV.SoftwareAgent)
            self._add(agent, RDFS.label, Literal(extractor))
        if sentence:
            self._add(derivation, CKG.sentence, Literal(str(sentence)))
        if span is not None:
            self._add(derivation, CKG.spanStart, Literal(str(span[0]), datatype=XSD_INTEGER))
            self._add(derivation, CKG.spanEnd, Literal(str(span[1]), datatype=XSD_INTEGER))
        if confidence is not None:
            value = format(Decimal(str(confidence)).normalize(), "f")
            self._add(derivation, CKG.confidence, Literal(value, datatype=XSD_DECIMAL))

    def _source(self, value: Any, ctx: Context, field: str) -> NamedNode | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = {"url": value} if re.match(r"https?://", value) else {"title": value}
        if not isinstance(value, dict):
            raise ctx.error("a source is a string or a mapping", field)
        key = _text(value.get("id")) or slugify(str(value.get("url") or value.get("title")))
        iri = n(ID[f"source/{key}"])
        self._add(iri, A, CKG.SourceDocument)
        self._add(iri, IDENT, Literal(key))
        self._lit(iri, DCTERMS.title, value.get("title"))
        if value.get("title"):
            self._add(iri, PREF, Literal(str(value["title"]).strip()))
        if value.get("url"):
            self._add(iri, SCHEMA.url, Literal(str(value["url"]), datatype=n(XSD.anyURI)))
        self._lit(iri, DCTERMS.publisher, value.get("publisher"))
        published = value.get("published")
        if published not in (None, "", "unknown"):
            self._date(iri, DCTERMS.issued, published, ctx, f"{field}.published")
        reliability = value.get("reliability") or "medium"
        if reliability not in ("high", "medium", "low"):
            raise ctx.error(f"reliability '{reliability}' is not high, medium or low",
                            f"{field}.reliability")
        self._add(iri, CKG.reliability, Literal(reliability))
        if iri not in self._sources:
            self._sources.append(iri)
        return iri

    def _topics(self, s: NamedNode, topics: Any) -> None:
        for topic in _as_list(topics):
            text = _text(topic)
            if not text:
                continue
            iri = n(ID[f"topic/{slugify(text)}"])
            self._add(iri, A, SKOS.Concept)
            self._add(iri, SKOS.inScheme, ID["scheme/topics"])
            self._add(iri, PREF, Literal(text))
            self._add(s, SCHEMA.about, iri)

    def _place(self, s: NamedNode, value: Any, ctx: Context) -> None:
        if value is None:
            return
        record = value if isinstance(value, dict) else {"name": value}
        name = _text(record.get("name"))
        if not name:
            return
        country = self.index.resolve(name, frozenset({"country"}))
        if country is not None:
            self._add(s, SCHEMA.location, country.iri)
            return
        iri = n(ID[f"place/{slugify(name)}"])
        self._add(iri, A, SCHEMA.Place)
        self._add(iri, PREF, Literal(name))
        container = self._country_of(record, ctx)
        if container is not None:
            self._add(iri, SCHEMA.containedInPlace, container.iri)
        self._add(s, SCHEMA.location, iri)

    # -- sections ---------------------------------------------------------------------------
    def _convert_countries(self, doc_key, pos, record, ctx, source) -> None:
        country = self._declare_country(record, ctx)
        if isinstance(record, dict):
            iri = country.iri
            if record.get("name"):
                self._add(iri, A, CKG.Country)
                self._add(iri, IDENT, Literal(country.code or iri.value.rsplit("/", 1)[-1]))
                self._add(iri, CKG.isoAlpha2, Literal(str(record["code"]).upper()))
                self._lit(iri, CKG.isoAlpha3, record.get("alpha3"))
                self._lit(iri, CKG.isoNumeric, record.get("numeric"))
            self._labels(iri, _text(record.get("name")), _as_list(record.get("aliases")))
            for demonym in _as_list(record.get("demonyms")):
                self._add(iri, HIDDEN, Literal(str(demonym)))
            self._provenance(iri, source)
            self._evidence(iri, record.get("evidence"), source, ctx)
        if source is not None:
            self._add(source, SCHEMA.mentions, country.iri)

    def _convert_unions(self, doc_key, pos, record, ctx, source) -> None:
        iri = self._convert_org(doc_key, pos, record, ctx, source, "unions")
        for member in _as_list(record.get("members")):
            if not isinstance(member, dict):
                member = {"member": member}
            self._membership({**member, "organisation": iri}, ctx, source, iri)

    def _convert_agencies(self, doc_key, pos, record, ctx, source) -> None:
        self._convert_org(doc_key, pos, record, ctx, source, "agencies")

    def _convert_org(self, doc_key, pos, record, ctx, source, section) -> NamedNode:
        iri = self._org_iri(doc_key, pos, record, ctx, section)
        entity = self.index.get(iri)
        kind = record.get("kind") or {"union": "union", "international": "international"}.get(
            entity.kind if entity else "", "customs")
        if kind not in ORGANISATION_CLASSES:
            raise ctx.error(f"unknown kind '{kind}' (expected one of: "
                            f"{', '.join(ORGANISATION_CLASSES)})", "kind")
        for cls in ORGANISATION_CLASSES[kind]:
            self._add(iri, A, cls)
        self._add(iri, IDENT, Literal(iri.value.rsplit("/", 1)[-1]))
        self._labels(iri, *self._label_of(iri, (doc_key, section, pos), _text(record.get("name")),
                                          _as_list(record.get("aliases"))))
        country = self._country_of(record, ctx)
        if country is not None:
            self._add(iri, CKG.country, country.iri)
            if record.get("national"):
                self._add(country.iri, CKG.nationalCustomsAdministration, iri)
        if record.get("parent") is not None:
            parent = self._org(record["parent"], ctx, "parent")
            if parent == iri:
                raise ctx.error("an organisation cannot be its own parent", "parent")
            self._add(iri, ORG.subOrganizationOf, parent)
        if record.get("url"):
            self._add(iri, SCHEMA.url, Literal(str(record["url"]), datatype=n(XSD.anyURI)))
        self._lit(iri, RDFS.comment, record.get("notes"))
        self._provenance(iri, source)
        self._evidence(iri, record.get("evidence"), source, ctx)
        for pos_p, person in enumerate(_as_list(record.get("people"))):
            pctx = Context(ctx.file, f"{ctx.record}.people[{pos_p}]")
            if not isinstance(person, dict):
                person = {"name": person}
            self._person({"name": person.get("name"), "id": person.get("id"),
                          "posts": [{"title": person.get("post") or "Staff", "organisation": iri,
                                     "since": person.get("since"),
                                     "until": person.get("until")}]}, pctx, source)
        return iri

    def _membership(self, record: dict, ctx: Context, source, org_iri=None) -> None:
        member = self._org(record.get("member"), ctx, "member")
        org = org_iri or self._org(record.get("organisation"), ctx, "organisation")
        slug = f"{member.value.rsplit('/', 1)[-1]}-{org.value.rsplit('/', 1)[-1]}".lower()
        iri = n(ID[f"membership/{slug}"])
        self._add(iri, A, ORG.Membership)
        self._add(iri, ORG.member, member)
        self._add(iri, ORG.organization, org)
        self._add(member, ORG.memberOf, org)
        start = self._date(iri, SCHEMA.startDate, record.get("since"), ctx, "since")
        end = self._date(iri, SCHEMA.endDate, record.get("until"), ctx, "until")
        if start and end and end.latest < start.earliest:
            raise ctx.error(f"until {end} is before since {start}", "until")
        if start or end:
            during = n(f"{iri.value}/during")
            self._add(iri, ORG.memberDuring, during)
            self._add(during, A, TIME.Interval)
            for date, prop, suffix in ((start, TIME.hasBeginning, "start"),
                                       (end, TIME.hasEnd, "end")):
                if date is None:
                    continue
                instant = n(f"{iri.value}/{suffix}")
                self._add(during, prop, instant)
                self._add(instant, A, TIME.Instant)
                in_xsd = {"day": TIME.inXSDDate, "month": TIME.inXSDgYearMonth,
                          "year": TIME.inXSDgYear}[date.precision]
                self._add(instant, in_xsd, date.literal())
        self._provenance(iri, source)

    def _convert_memberships(self, doc_key, pos, record, ctx, source) -> None:
        self._membership(record, ctx, source)

    def _convert_people(self, doc_key, pos, record, ctx, source) -> None:
        self._person(record, ctx, source)

    def _person(self, record: dict, ctx: Context, source) -> NamedNode:
        iri = self._person_iri(record, ctx)
        name = _text(record.get("name"))
        self._add(iri, A, SCHEMA.Person)
        self._add(iri, IDENT, Literal(iri.value.rsplit("/", 1)[-1]))
        self._add(iri, SCHEMA.name, Literal(name))
        self._labels(iri, name, _as_list(record.get("aliases")))
        for pos, post in enumerate(_as_list(record.get("posts"))):
            field = f"posts[{pos}]"
            title = _text(post.get("title")) or "Staff"
            org = post.get("organisation")
            org_iri = org if isinstance(org, NamedNode) else self._org(
                org, ctx, f"{field}.organisation")
            org_entity = self.index.get(org_iri)
            post_iri = n(ID[f"post/{org_iri.value.rsplit('/', 1)[-1]}-{slugify(title)}"])
            self._add(post_iri, A, ORG.Post)
            self._add(post_iri, ORG.postIn, org_iri)
            self._add(post_iri, ORG.heldBy, iri)
            self._add(iri, ORG.holds, post_iri)
            self._add(post_iri, SCHEMA.roleName, Literal(title))
            self._add(post_iri, PREF, Literal(
                f"{title} of {org_entity.label}" if org_entity else title))
            start = self._date(post_iri, SCHEMA.startDate, post.get("since"), ctx,
                               f"{field}.since")
            end = self._date(post_iri, SCHEMA.endDate, post.get("until"), ctx, f"{field}.until")
            if start and end and end.latest < start.earliest:
                raise ctx.error(f"until {end} is before since {start}", f"{field}.until")
        self._provenance(iri, source)
        self._evidence(iri, record.get("evidence"), source, ctx)
        return iri

    def _convert_agreements(self, doc_key, pos, record, ctx, source) -> None:
        iri = self._agreement_iri(doc_key, pos, record, ctx)
        kind = record.get("kind") or "other"
        if kind not in AGREEMENT_CLASSES:
            raise ctx.error(f"unknown kind '{kind}' (expected one of: "
                            f"{', '.join(AGREEMENT_CLASSES)})", "kind")
        self._add(iri, A, AGREEMENT_CLASSES[kind])
        if AGREEMENT_CLASSES[kind] != CKG.Agreement:
            self._add(iri, A, CKG.Agreement)
        self._add(iri, CKG.kind, ID[f"kind/agreement/{kind}"])
        self._add(iri, IDENT, Literal(iri.value.rsplit("/", 1)[-1]))
        title, aliases = self._label_of(iri, (doc_key, "agreements", pos),
                                        _text(record.get("title")),
                                        _as_list(record.get("aliases")))
        if title:
            self._add(iri, DCTERMS.title, Literal(title))
        self._labels(iri, title, aliases)
        for field in ("parties", "implementers"):
            prop = CKG.party if field == "parties" else CKG.implementedBy
            for i, party in enumerate(_as_list(record.get(field))):
                self._add(iri, prop, self._org(party, ctx, f"{field}[{i}]"))
        dates = {}
        for field, prop in (("signed", CKG.signingDate), ("in_force", CKG.entryIntoForceDate),
                            ("valid_from", CKG.validFrom), ("valid_to", CKG.validUntil)):
            dates[field] = self._date(iri, prop, record.get(field), ctx, field)
        if dates["valid_from"] and dates["valid_to"] and \
                dates["valid_to"].latest < dates["valid_from"].earliest:
            raise ctx.error(f"valid_to {dates['valid_to']} is before valid_from "
                            f"{dates['valid_from']}", "valid_to")
        if dates["signed"] and dates["in_force"] and \
                dates["in_force"].latest < dates["signed"].earliest:
            raise ctx.error(f"in_force {dates['in_force']} is before signed {dates['signed']}",
                            "in_force")
        status = record.get("status")
        if status is not None:
            if status not in AGREEMENT_STATUSES:
                raise ctx.error(f"unknown status '{status}' (expected one of: "
                                f"{', '.join(AGREEMENT_STATUSES)})", "status")
            self._add(iri, CKG.status, ID[f"status/{status}"])
        self._lit(iri, CKG.dateText, record.get("date_text"))
        self._place(iri, record.get("place"), ctx)
        self._topics(iri, record.get("topics"))
        self._lit(iri, RDFS.comment, record.get("notes"))
        self._provenance(iri, source)
        self._evidence(iri, record.get("evidence"), source, ctx)

    def _event_iri(self, record: dict, participants: list[NamedNode]) -> NamedNode:
        explicit = _text(record.get("id"))
        if explicit:
            return n(ID[f"event/{explicit}"])
        basis = json.dumps([record.get("kind"), str(record.get("date")), record.get("title"),
                            sorted(p.value for p in participants), str(record.get("place")),
                            record.get("date_text"), record.get("count")], default=str)
        digest = hashlib.sha1(basis.encode()).hexdigest()[:10]
        date = str(record.get("date") or "undated").replace("/", "-")
        return n(ID[f"event/{record.get('kind') or 'other'}-{slugify(date)}-{digest}"])

    def _convert_events(self, doc_key, pos, record, ctx, source) -> None:
        kind = record.get("kind") or "other"
        if kind not in EVENT_CLASSES:
            raise ctx.error(f"unknown kind '{kind}' (expected one of: "
                            f"{', '.join(EVENT_CLASSES)})", "kind")
        participants = [self._org(p, ctx, f"participants[{i}]")
                        for i, p in enumerate(_as_list(record.get("participants")))]
        iri = self._event_iri(record, participants)
        self._add(iri, A, EVENT_CLASSES[kind])
        if EVENT_CLASSES[kind] != CKG.Event:
            self._add(iri, A, CKG.Event)
        self._add(iri, CKG.kind, ID[f"kind/event/{kind}"])
        self._add(iri, IDENT, Literal(iri.value.rsplit("/", 1)[-1]))
        for participant in participants:
            self._add(iri, CKG.participant, participant)
        title = _text(record.get("title")) or self._event_title(kind, participants, record)
        self._add(iri, PREF, Literal(title))
        if record.get("date") not in (None, ""):
            try:
                start, end = parse_interval(record["date"])
            except ValueError as err:
                raise ctx.error(str(err), "date") from None
            self._add(iri, SCHEMA.startDate, start.literal())
            if end is not None:
                self._add(iri, SCHEMA.endDate, end.literal())
        self._lit(iri, CKG.dateText, record.get("date_text"))
        self._place(iri, record.get("place"), ctx)
        if record.get("host") is not None:
            self._add(iri, SCHEMA.organizer, self._org(record["host"], ctx, "host"))
        for person in _as_list(record.get("people")):
            known = self.index.resolve(str(person), frozenset({"person"}))
            self._add(iri, SCHEMA.attendee,
                      known.iri if known else self._person({"name": person}, ctx, None))
        self._topics(iri, record.get("topics"))
        for outcome in _as_list(record.get("outcomes")):
            text = _text(outcome)
            if not text:
                continue
            agreement = self.index.resolve(text, frozenset({"agreement"}))
            if agreement is not None:
                self._add(iri, CKG.outcome, agreement.iri)
            else:
                self._add(iri, CKG.outcomeNote, Literal(text))
        if record.get("planned"):
            self._add(iri, CKG.planned, Literal("true", datatype=XSD_BOOLEAN))
        if record.get("aggregate") or record.get("count") is not None:
            self._add(iri, A, CKG.EventSummary)
            count = record.get("count")
            if count is not None:
                if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                    raise ctx.error(f"count must be a positive whole number, not {count!r}",
                                    "count")
                self._add(iri, CKG.eventCount, Literal(str(count), datatype=XSD_INTEGER))
        self.index.events.add(iri.value)
        if record.get("part_of") is not None:
            parent = n(ID[f"event/{record['part_of']}"])
            self._add(iri, SCHEMA.superEvent, parent)
            self._parents.append((parent, ctx))
        cameo = _text(record.get("cameo")) or CAMEO_DEFAULTS[kind]
        if not re.fullmatch(r"\d{2,4}", cameo):
            raise ctx.error(f"CAMEO code '{cameo}' is not 2 to 4 digits", "cameo")
        self._add(iri, CKG.cameoCode, Literal(cameo))
        self._lit(iri, RDFS.comment, record.get("notes"))
        self._provenance(iri, source)
        self._evidence(iri, record.get("evidence"), source, ctx)

    def _event_title(self, kind: str, participants: list[NamedNode], record: dict) -> str:
        names = [self.index.get(p).label if self.index.get(p) else p.value.rsplit("/", 1)[-1]
                 for p in participants]
        head = kind.replace("-", " ").capitalize()
        if record.get("count") is not None:
            head = f"{record['count']} × {kind.replace('-', ' ')}"
        text = head + (": " + " – ".join(names) if names else "")
        return text + (f" ({record['date']})" if record.get("date") else "")
