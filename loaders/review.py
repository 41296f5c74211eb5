"""Reviewing extracted claims: an analyst's decisions (accept, reject, correct) written to a
reviewed records file and loaded into the store, all or nothing.

The reviewed file is a records document (see docs/records.md, ``reviews:``) that loads like any
curated file: its own ``source`` (an analyst review, reliability high), one ``reviews:`` entry
per claim (the latest decision on a claim replaces an earlier one), and for each correction a
record restating the item, corrected, under its own id (with the organisations it names that
only extracted sources know, restated too, so that the file loads in a fresh store).

Decisions come from the command line (``record_decisions`` with claim IDs), from an exported
file the analyst filled in (``decisions_from_file``), or from ``review_interactively``, which
asks and tells through the callables it is given.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode

from graph.errors import CustomsKGError, SourceError
from graph.names import ORGANISATION_KINDS, EntityIndex, loading_index
from graph.presentation import review_claim_block
from graph.queries.review import (
    COUNTRY_PREFIX,
    DECISIONS,
    ReviewClaim,
    document_id,
    item_id,
    review_claims,
)
from graph.store import GraphStore
from loaders.load import FileLoad, load_paths, load_time
from loaders.records import RECORD_SUFFIXES, format_records, parse_record_documents
from ontology.vocab import CKG, ID

REVIEW_SOURCE = {"id": "customs-kg-review", "title": "Analyst review", "reliability": "high"}
"""The source document of a reviewed file: the analyst's review, trusted above any article."""
AGREEMENT_FIELDS = ("title", "kind", "parties", "implementers", "signed", "in_force",
                    "valid_from", "valid_to", "status", "place", "date_text")
EVENT_FIELDS = ("title", "kind", "date", "participants", "host", "people", "planned", "place",
                "date_text")
LIST_FIELDS = ("parties", "implementers", "participants", "people")
ROLE_FIELDS = ("parties", "implementers", "participants", "host")
ABBREVIATIONS = {"a": "accept", "r": "reject", "c": "correct"}
KIND_OF_CLASS = {str(CKG.RegionalCustomsUnit): "regional-customs",
                 str(CKG.CustomsAdministration): "customs", str(CKG.Ministry): "ministry",
                 str(CKG.GovernmentBody): "government"}


class ReviewError(CustomsKGError):
    """A decision that cannot be recorded: an unknown decision word, a correction without a
    change, a field a claim does not have. The message is one line naming the claim."""


@dataclass
class ClaimDecision:
    """An analyst's decision on one claim. ``changes``: for ``correct``, the records fields to
    change and their new values; ``record``: the claim's record as the analyst edited it (an
    exported file), whose fields that differ from the claim's are changes too."""

    claim: str
    decision: str  # accept | reject | correct
    changes: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    record: dict[str, Any] | None = None


@dataclass
class ReviewResult:
    """What ``record_decisions`` did: the reviewed file, the reviews it wrote now, the claims
    whose earlier decision they replace, how many decisions the file holds, and the load."""

    path: str
    recorded: list[dict[str, Any]]
    replaced: list[str]
    total: int
    loads: list[FileLoad]


def default_reviewer() -> str:
    """The operating-system user, the reviewer when none is given."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"


def fields_of(claim: ReviewClaim) -> tuple[str, ...]:
    return AGREEMENT_FIELDS if claim.type == "agreement" else EVENT_FIELDS


def record_decisions(store: GraphStore, path: str | Path, decisions: Iterable[ClaimDecision],
                     reviewer: str | None = None, when: str | None = None) -> ReviewResult:
    """Merge ``decisions`` into the reviewed records file ``path`` (created if missing; its
    earlier decisions kept, a later decision on a claim replacing the earlier one), then load
    that file into ``store``, all or nothing: if the load fails the file is put back as it was
    and the error raised. ``reviewer`` defaults to the OS user, ``when`` (ISO date and time) to
    now or ``$SOURCE_DATE_EPOCH``. UnknownClaim for an ID the store does not hold."""
    decisions = list(decisions)
    path = Path(path)
    fmt = RECORD_SUFFIXES.get(path.suffix.lower())
    if fmt not in ("yaml", "json"):
        raise ReviewError(f"{path}: a reviewed file is YAML (.yaml, .yml) or JSON (.json)")
    for decision in decisions:
        decision.decision = ABBREVIATIONS.get(decision.decision, decision.decision)
        if decision.decision not in DECISIONS:
            raise ReviewError(f"claim {decision.claim}: unknown decision '{decision.decision}' "
                              f"(expected accept, reject or correct)")
    claims = {c.id: c for c in review_claims(store, ids=[d.claim for d in decisions])}
    reviewer = (reviewer or "").strip() or default_reviewer()
    at = when or load_time()
    try:
        old_text = path.read_text(encoding="utf-8") if path.exists() else None
    except (OSError, UnicodeDecodeError) as err:
        raise SourceError(f"{path}: cannot read: {err}") from err
    document = _reviewed_document(old_text, fmt, str(path))
    if not decisions:
        return ReviewResult(str(path), [], [], len(document.get("reviews") or []), [])
    index: EntityIndex | None = None
    recorded: list[dict[str, Any]] = []
    replaced: list[str] = []
    for decision in decisions:
        claim = claims[decision.claim]
        changes = _changes(claim, decision)
        entry: dict[str, Any] = {"claim": claim.id, "item": item_id(claim.item),
                                 "source": document_id(claim.document),
                                 "decision": decision.decision, "reviewer": reviewer, "at": at}
        if changes:
            original = claim.record()
            entry["changes"] = {k: {"from": original.get(k), "to": v}
                                for k, v in changes.items()}
        if decision.note:
            entry["note"] = decision.note
        reviews = document.setdefault("reviews", [])
        if any(r.get("claim") == claim.id for r in reviews):
            replaced.append(claim.id)
        document["reviews"] = [r for r in reviews if r.get("claim") != claim.id] + [entry]
        if decision.decision == "correct":
            if index is None:
                index = loading_index(store, [])
            _put_record(document, claim, _restate(store, index, claim, changes, document))
        recorded.append(entry)
    _drop_uncorrected(document)
    text = format_records([document], fmt)
    if fmt == "yaml":
        text = HEADER + text
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise ReviewError(f"{path}: cannot write: {err.strerror}") from err
    try:
        loads = load_paths(store, [path])
    except BaseException:
        if old_text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(old_text, encoding="utf-8")
        raise
    return ReviewResult(str(path), recorded, replaced, len(document["reviews"]), loads)


HEADER = ("# Reviewed claims (customs-kg review): the analyst's decisions on extracted claims,\n"
          "# and the records that corrections restate. Loads like any records file.\n")


def _reviewed_document(text: str | None, fmt: str, name: str) -> dict[str, Any]:
    if text is None or not text.strip():
        return {"source": dict(REVIEW_SOURCE)}
    documents = parse_record_documents(text, fmt, name)
    if len(documents) != 1:
        raise SourceError(f"{name}: a reviewed file holds one records document, not "
                          f"{len(documents)}")
    document = documents[0]
    document.setdefault("source", dict(REVIEW_SOURCE))
    return document


def _changes(claim: ReviewClaim, decision: ClaimDecision) -> dict[str, Any]:
    """The fields a decision changes: its ``changes``, and the fields of its edited ``record``
    that differ from the claim's; checked against the fields the claim's kind of record has."""
    allowed = fields_of(claim)
    changes = dict(decision.changes or {})
    if decision.record is not None:
        original = claim.record()
        for key, value in decision.record.items():
            if key in allowed and _normal(value) != _normal(original.get(key)):
                changes.setdefault(key, value)
    for key in changes:
        if key not in allowed:
            raise ReviewError(f"claim {claim.id}: an {claim.type} has no field '{key}' "
                              f"(fields: {', '.join(allowed)})")
    if decision.decision == "correct" and not changes:
        raise ReviewError(f"claim {claim.id}: a correction needs at least one changed field")
    if decision.decision != "correct" and changes:
        raise ReviewError(f"claim {claim.id}: changes given but the decision is "
                          f"'{decision.decision}' (use correct)")
    return {k: ([] if v is None else v) if k in LIST_FIELDS else v for k, v in changes.items()}


def _normal(value: Any) -> Any:
    if value in ("", []):
        return None
    if isinstance(value, list):
        return [str(v) for v in value]
    return None if value is None else str(value)


def _restate(store: GraphStore, index: EntityIndex, claim: ReviewClaim,
             changes: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """The curated record of a correction: the claim as its source states it, with the
    changes; references that curated sources do not resolve are restated in ``document``."""
    record = claim.record()
    for role in ROLE_FIELDS:
        if role in changes:
            continue
        entries = claim.roles.get(role, [])
        refs = [_reference(store, index, e["iri"], e["label"], document) for e in entries]
        if role in record:
            record[role] = refs if role != "host" else (refs or [None])[0]
    place = (claim.roles.get("place") or [None])[0]
    if place is not None and "place" not in changes and place["iri"].startswith(COUNTRY_PREFIX):
        record["place"] = place["iri"][len(COUNTRY_PREFIX):]
    if claim.type == "event" and "title" not in changes:
        record.pop("title", None)  # an event's title is made from its kind, date and who
    record.update(changes)
    restated = {k: v for k, v in record.items() if v not in (None, [], "", False)}
    if claim.type == "agreement" and not restated.get("parties"):
        restated["parties"] = []  # the source names no party (ckg:partiesUnlisted)
    return restated


def _reference(store: GraphStore, index: EntityIndex, iri: str, label: str,
               document: dict[str, Any]) -> str:
    """A text that names ``iri`` for a curated record: a country's code, or an id or name
    curated sources and reference data resolve to it; else the id of the organisation, which
    is then restated in ``document`` (an organisation only extracted sources knew)."""
    if iri.startswith(COUNTRY_PREFIX):
        return iri[len(COUNTRY_PREFIX):]
    entity = index.get(iri)
    segment = iri.rsplit("/", 1)[-1]
    for text in (segment, label, *(sorted(entity.names) if entity else [])):
        found = index.resolve(text, ORGANISATION_KINDS)
        if found is not None and found.iri.value == iri:
            return text
    folder = iri[len(str(ID)):].split("/", 1)[0]
    name = entity.label if entity else label
    if folder == "union":
        _put(document, "unions", {"id": segment, "name": name, "kind": "union"})
        return segment
    record: dict[str, Any] = {"id": segment, "name": name}
    if folder == "org":
        record.update({"country": None, "kind": "international"})
    else:
        country = entity.country.value if entity and entity.country else None
        if country and country.startswith(COUNTRY_PREFIX):
            record["country"] = country[len(COUNTRY_PREFIX):]
        record["kind"] = _agency_kind(store, iri)
    _put(document, "agencies", record)
    return segment


def _agency_kind(store: GraphStore, iri: str) -> str:
    classes = {row["c"].value for row in store.select(
        "SELECT DISTINCT ?c WHERE { ?e a ?c }", {"e": NamedNode(iri)})}
    return next((kind for cls, kind in KIND_OF_CLASS.items() if cls in classes), "agency")


def _put(document: dict[str, Any], section: str, record: dict[str, Any]) -> None:
    records = document.setdefault(section, [])
    if all(r.get("id") != record["id"] for r in records):
        records.append(record)


def _put_record(document: dict[str, Any], claim: ReviewClaim, record: dict[str, Any]) -> None:
    section = "agreements" if claim.type == "agreement" else "events"
    records = [r for r in document.get(section) or [] if r.get("id") != record["id"]]
    document[section] = records + [record]


def _drop_uncorrected(document: dict[str, Any]) -> None:
    """Restated records of items no correction names any more (a later decision replaced
    it); the organisations they restated stay."""
    corrected = {r["item"] for r in document.get("reviews") or [] if r.get("decision") == "correct"}
    for section, folder in (("agreements", "agreement"), ("events", "event")):
        if section in document:
            kept = [r for r in document[section] if f"{folder}/{r.get('id')}" in corrected]
            if kept:
                document[section] = kept
            else:
                del document[section]


# -- an exported file, filled in ----------------------------------------------------------
def decisions_from_file(path: str | Path) -> list[ClaimDecision]:
    """The decisions of a file ``review_text(claims, "yaml")`` wrote (``--export``) and the
    analyst filled in: each claim with a ``decision`` (accept, reject, correct; blank: not
    decided yet), its ``note``, and for a correction its edited ``record`` or ``changes``."""
    path = Path(path)
    name = str(path)
    fmt = RECORD_SUFFIXES.get(path.suffix.lower(), "yaml")
    if fmt == "csv":
        raise SourceError(f"{name}: decisions are YAML or JSON")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise SourceError(f"{name}: cannot read: {err.strerror}") from err
    documents = parse_record_documents(text, fmt, name) if text.strip() else [{}]
    entries = documents[0].get("claims")
    if not isinstance(entries, list):
        raise SourceError(f"{name}: expected a list of claims under 'claims:'")
    decisions = []
    for pos, entry in enumerate(entries):
        if not isinstance(entry, dict) or not entry.get("id"):
            raise SourceError(f"{name}: claims[{pos}] has no id")
        word = str(entry.get("decision") or "").strip().lower()
        if not word:
            continue
        word = ABBREVIATIONS.get(word, word)
        if word not in DECISIONS:
            raise ReviewError(f"{name}: claim {entry['id']}: unknown decision '{word}' "
                              f"(expected accept, reject or correct)")
        record = entry.get("record") if word == "correct" else None
        decisions.append(ClaimDecision(str(entry["id"]), word, dict(entry.get("changes") or {}),
                                       (str(entry["note"]).strip() or None)
                                       if entry.get("note") else None,
                                       record if isinstance(record, dict) else None))
    return decisions


# -- interactive ---------------------------------------------------------------------------
def review_interactively(store: GraphStore, path: str | Path, ask: Callable[[str], str],
                         say: Callable[[str], None], *, claims: list[ReviewClaim] | None = None,
                         reviewer: str | None = None, when: str | None = None
                         ) -> ReviewResult | None:
    """Show each claim (least certain first) with ``say`` and ``ask`` for a decision: accept,
    reject, correct (then the changed fields, one ``field: value`` per answer, an empty answer
    to finish), skip or quit; then a note. The decisions are recorded together at the end (or
    on quit, or at the end of input) with ``record_decisions``; None when none was made."""
    claims = review_claims(store) if claims is None else claims
    if not claims:
        say("nothing to review")
        return None
    decisions: list[ClaimDecision] = []
    for number, claim in enumerate(claims, 1):
        say(f"[{number}/{len(claims)}] " + review_claim_block(claim.as_dict()).rstrip("\n"))
        answer = _ask(ask, "accept, reject, correct, skip or quit? [a/r/c/s/q] ")
        while answer not in ("a", "r", "c", "s", "q", "accept", "reject", "correct", "skip",
                             "quit"):
            say("answer a (accept), r (reject), c (correct), s (skip) or q (quit)")
            answer = _ask(ask, "accept, reject, correct, skip or quit? [a/r/c/s/q] ")
        if answer[0] == "q":
            break
        if answer[0] == "s":
            continue
        decision = ClaimDecision(claim.id, ABBREVIATIONS[answer[0]])
        if decision.decision == "correct":
            decision.changes = _ask_changes(ask, say, claim)
            if not decision.changes:
                say("no change given: skipped")
                continue
        decision.note = _ask(ask, "note (empty for none): ", lower=False) or None
        decisions.append(decision)
    if not decisions:
        say("no decisions")
        return None
    return record_decisions(store, path, decisions, reviewer, when)


def _ask(ask: Callable[[str], str], prompt: str, lower: bool = True) -> str:
    try:
        answer = ask(prompt).strip()
    except EOFError:
        return "q" if lower else ""
    return answer.lower() if lower else answer


def _ask_changes(ask: Callable[[str], str], say: Callable[[str], None],
                 claim: ReviewClaim) -> dict[str, Any]:
    allowed = fields_of(claim)
    say(f"fields: {', '.join(allowed)}; lists separated by ';', 'none' to clear")
    changes: dict[str, Any] = {}
    while True:
        answer = _ask(ask, "field: value (empty to finish): ", lower=False)
        if not answer or answer == "q":
            return changes
        match = re.fullmatch(r"\s*([a-z_]+)\s*[:=]\s*(.*)", answer)
        if match is None or match.group(1) not in allowed:
            say(f"write one of {', '.join(allowed)}, a colon, and the value")
            continue
        key, value = match.group(1), match.group(2).strip()
        if value.lower() in ("none", "null", ""):
            changes[key] = [] if key in LIST_FIELDS else None
        elif key in LIST_FIELDS:
            changes[key] = [v.strip() for v in value.split(";") if v.strip()]
        elif key == "planned":
            changes[key] = value.lower() in ("true", "yes", "y", "1")
        else:
            changes[key] = value
