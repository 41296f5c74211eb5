"""The ``reviews:`` section of a records document: an analyst's decisions on extracted claims,
as ``ckg:Review`` entities in the file's named graph.

A review names the claim by the item's IRI (``agreement/<id>``, ``event/<id>``) and the id of
the source document stating it, so a decision holds for every load of that source (reloading
an article keeps its items' IRIs). Besides the review itself:

- ``accept``: the item ``prov:wasDerivedFrom`` this file's source document, in this file's graph
  (a curated file states it: the answers count it as curated);
- ``correct``: the record of this file with the item's id restates it, corrected; it keeps
  the item's title as its label even when the extracted source named it first;
- ``reject`` (and ``correct``): nothing more; ``graph.queries.review.rejected_claims`` takes the
  claim out of the answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from pyoxigraph import Literal, NamedNode

from graph.queries.review import claim_id
from loaders.records.documents import Context, as_list, as_text, record_label
from loaders.records.identity import n, slugify
from ontology.vocab import CKG, DCTERMS, ID, PROV, RDF, RDFS, SKOS, XSD


def review_iri(review: dict) -> NamedNode:
    """``id:review/<claim>-<digest of decision, reviewer and time>``: one decision, one IRI."""
    claim = claim_id(str(ID) + str(review["item"]), str(ID) + "source/" + str(review["source"]))
    basis = json.dumps([review.get("decision"), review.get("reviewer"), str(review.get("at"))])
    return n(ID[f"review/{claim}-{hashlib.sha1(basis.encode()).hexdigest()[:6]}"])


def convert_reviews(converter: Any, document: dict, name: str, source: NamedNode | None
                    ) -> None:
    """Add the quads of ``document``'s reviews to ``converter`` (a RecordsConverter in the
    middle of ``convert``); ``source``: the document's source, which accepted items are
    derived from. RecordError naming the review and field for a wrong one."""
    restated = _restated_records(document)
    for pos, review in enumerate(as_list(document.get("reviews"))):
        ctx = Context(name, record_label("reviews", pos, review))
        if not isinstance(review, dict):
            raise ctx.error(f"expected a review (a mapping), found {review!r}")
        item_path, doc_id = as_text(review.get("item")), as_text(review.get("source"))
        if item_path is None or doc_id is None:
            raise ctx.error("a review needs the item and the source", "item")
        item, doc = n(ID[item_path]), n(ID[f"source/{doc_id}"])
        expected = claim_id(item.value, doc.value)
        if review.get("claim") not in (None, "") and review["claim"] != expected:
            raise ctx.error(f"claim '{review['claim']}' is not the ID of {item_path} stated by "
                            f"{doc_id} ('{expected}')", "claim")
        decision = review.get("decision")
        at = _time(review.get("at"), ctx)
        reviewer = as_text(review.get("reviewer"))
        if reviewer is None:
            raise ctx.error("a review needs its reviewer", "reviewer")
        iri = review_iri(review)
        add = converter._add
        add(iri, RDF.type, CKG.Review)
        add(iri, RDF.type, PROV.Entity)
        add(iri, CKG.claimId, Literal(expected))
        add(iri, CKG.reviewedItem, item)
        add(iri, CKG.reviewedSource, doc)
        add(iri, CKG.decision, Literal(str(decision)))
        add(iri, PROV.generatedAtTime, Literal(at, datatype=n(XSD.dateTime)))
        agent = n(ID[f"reviewer/{slugify(reviewer)}"])
        add(iri, PROV.wasAttributedTo, agent)
        add(agent, RDF.type, PROV.Person)
        add(agent, RDF.type, PROV.Agent)
        add(agent, RDFS.label, Literal(reviewer))
        note = as_text(review.get("note"))
        if note:
            add(iri, RDFS.comment, Literal(note))
        for field, change in sorted((review.get("changes") or {}).items()):
            change = change or {}
            add(iri, CKG.changeNote, Literal(
                f"{field}: {_shown(change.get('from'))} → {_shown(change.get('to'))}"))
        if source is not None:
            add(iri, PROV.wasDerivedFrom, source)
        if decision == "accept" and source is not None:
            add(item, PROV.wasDerivedFrom, source)
        elif decision == "correct":
            record = restated.get(item_path)
            if record is None:
                raise ctx.error(f"a correction needs a record with id "
                                f"'{item_path.split('/', 1)[1]}' in the file's "
                                f"{item_path.split('/', 1)[0]}s", "decision")
            title = as_text(record.get("title"))
            if title and item_path.startswith("agreement/"):
                # The corrected title is the item's label, even when the extracted source (whose
                # statements the correction replaces) named it first.
                add(item, DCTERMS.title, Literal(title))
                add(item, SKOS.prefLabel, Literal(title))


def _restated_records(document: dict) -> dict[str, dict]:
    """The records of the document that have an id, by their item path (``agreement/<id>``)."""
    found: dict[str, dict] = {}
    for section, folder in (("agreements", "agreement"), ("events", "event")):
        for record in as_list(document.get(section)):
            if isinstance(record, dict) and as_text(record.get("id")):
                found[f"{folder}/{as_text(record['id'])}"] = record
    return found


def _time(value: Any, ctx: Context) -> str:
    """The review time as an xsd:dateTime lexical form, in UTC."""
    text = as_text(value)
    try:
        when = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        raise ctx.error(f"'{text}' is not a date and time like 2026-12-03T09:30:00+00:00",
                        "at") from None
    if when.tzinfo is None:
        raise ctx.error(f"'{text}' has no time zone (add +00:00 or Z)", "at")
    return when.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def _shown(value: Any) -> str:
    if value is None or value == []:
        return "none"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)
