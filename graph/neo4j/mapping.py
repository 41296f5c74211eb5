"""How the RDF graph reads as a Neo4j property graph: the mapping, declared once, and how RDF
literals become Neo4j values. ``graph.neo4j.projection`` applies it to a store.

The mapping (``CLASS_LABELS``, ``PROPERTIES``, ``LINKS``, ``REIFIED``) is the whole contract:

* a resource with a class in ``CLASS_LABELS`` becomes a node labelled ``:Resource`` plus the
  class's labels (``ckg:CustomsAdministration`` → ``:Resource:Agency:CustomsAdministration``);
  other resources (memberships, loaded files, OWL-Time instants) are not nodes;
* a predicate in ``PROPERTIES`` becomes a node property: complete ``xsd:date`` values as Neo4j
  dates, partial ones (``xsd:gYear``, ``xsd:gYearMonth``) as their text with ``<name>_precision``
  ``year``/``month``; numbers and booleans as such; language-tagged text under ``<name>_<lang>``
  (``name_vi``; a single-valued property stated only with tags also gets its plain name, in
  English if there is one); multi-valued properties always as sorted lists; a single-valued
  property that the sources state differently keeps the lowest value, lists every value as
  text in ``<name>_values`` and is named in the node's ``conflicts`` list (never silently
  overwritten);
* a predicate in ``LINKS`` becomes a relationship between two nodes, in the direction that reads
  naturally (``ckg:party`` on an agreement → ``(party)-[:PARTY_TO]->(agreement)``);
* a class in ``REIFIED`` (``org:Membership``) becomes one relationship with properties
  (``(country)-[:MEMBER_OF {since, until}]->(union)``);
* every node carries ``uri`` and ``sources`` (the paths of the loaded files that state something
  about it as a subject); every relationship carries ``uri`` (the IRI of the RDF resource whose
  statement it mirrors: the agreement for ``PARTY_TO``, the membership for ``MEMBER_OF``) and
  ``sources`` (the files stating it).

Agreement and Event nodes also carry how sure they are (``basis``, ``confidence``,
``headlineOnly``; ``graph.neo4j.projection.add_certainty``), and the statements of extracted
claims a loaded review rejects are not mirrored.

``PARTNER_OF`` relationships are derived, not mapped: they are the edges of the partner
networks of ``graph.network`` (what ``customs-kg partners`` and ``network`` answer, under the
default ``PartnerWeights``), at the country and the agency level; see
``graph.neo4j.projection.partner_rows``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pyoxigraph import Literal, NamedNode

from ontology.vocab import CKG, DCTERMS, ORG, PROV, RDFS, SCHEMA, SKOS, XSD

MAPPING_VERSION = "2"
"""Bumped whenever the mapping changes: a mirror synced with another version is rebuilt (see
``graph.neo4j.projection.PROJECTION_VERSION``, which adds the partner weights)."""

RESOURCE = "Resource"
"""The label every mirrored node has; ``uri`` is unique under it."""
PARTNER_OF = "PARTNER_OF"

# -- the mapping ------------------------------------------------------------------------------
CLASS_LABELS: dict[str, tuple[str, ...]] = {
    str(CKG.Country): ("Country",),
    str(CKG.EconomicUnion): ("Union",),
    str(CKG.InternationalOrganisation): ("InternationalOrganisation",),
    str(CKG.Agency): ("Agency",),
    str(CKG.CustomsAdministration): ("Agency", "CustomsAdministration"),
    str(CKG.RegionalCustomsUnit): ("Agency", "CustomsAdministration", "RegionalCustomsUnit"),
    str(CKG.Ministry): ("Agency", "Ministry"),
    str(CKG.GovernmentBody): ("Agency", "GovernmentBody"),
    str(CKG.Agreement): ("Agreement",),
    str(CKG.MutualAssistanceAgreement): ("Agreement", "MutualAssistanceAgreement"),
    str(CKG.FreeTradeAgreement): ("Agreement", "FreeTradeAgreement"),
    str(CKG.CooperationPlan): ("Agreement", "CooperationPlan"),
    str(CKG.MemorandumOfUnderstanding): ("Agreement", "MemorandumOfUnderstanding"),
    str(CKG.MutualRecognitionArrangement): ("Agreement", "MutualRecognitionArrangement"),
    str(CKG.Protocol): ("Agreement", "Protocol"),
    str(CKG.Minutes): ("Agreement", "Protocol", "Minutes"),
    str(CKG.Event): ("Event",),
    str(CKG.Talks): ("Event", "Talks"),
    str(CKG.WorkingMeeting): ("Event", "WorkingMeeting"),
    str(CKG.Forum): ("Event", "Forum"),
    str(CKG.Visit): ("Event", "Visit"),
    str(CKG.Signing): ("Event", "Signing"),
    str(CKG.Training): ("Event", "Training"),
    str(CKG.DataExchange): ("Event", "DataExchange"),
    str(CKG.EventSummary): ("Event", "EventSummary"),
    str(SCHEMA.Person): ("Person",),
    str(ORG.Post): ("Post",),
    str(SCHEMA.Place): ("Place",),
    str(SKOS.Concept): ("Topic",),
    str(CKG.SourceDocument): ("Source",),
}
"""RDF class → node labels (superclasses written out: no inference needed)."""


@dataclass(frozen=True)
class Property:
    """How a predicate's values become one node property."""

    name: str
    many: bool = False
    """Always a list (aliases, notes); else one value, conflicts kept beside it."""
    iri: str = "never"
    """What an IRI value becomes: ``never`` (ignored), ``local`` (its last path segment, as for
    ``id:kind/agreement/free-trade`` → ``free-trade``) or ``text`` (the IRI itself)."""


PROPERTIES: dict[str, Property] = {
    str(SKOS.prefLabel): Property("name"),
    str(SCHEMA.name): Property("name"),
    str(SKOS.altLabel): Property("aliases", many=True),
    str(SKOS.hiddenLabel): Property("hidden_labels", many=True),
    str(DCTERMS.identifier): Property("id"),
    str(DCTERMS.title): Property("title"),
    str(RDFS.comment): Property("notes", many=True),
    str(SCHEMA.url): Property("url", many=True),
    str(CKG.isoAlpha2): Property("iso"),
    str(CKG.isoAlpha3): Property("iso3"),
    str(CKG.isoNumeric): Property("iso_numeric"),
    str(CKG.kind): Property("kind", iri="local"),
    str(CKG.status): Property("status", iri="local"),
    str(CKG.signingDate): Property("signed"),
    str(CKG.entryIntoForceDate): Property("in_force"),
    str(CKG.validFrom): Property("valid_from"),
    str(CKG.validUntil): Property("valid_until"),
    str(SCHEMA.startDate): Property("start_date"),
    str(SCHEMA.endDate): Property("end_date"),
    str(CKG.dateText): Property("date_text"),
    str(CKG.outcomeNote): Property("outcome_notes", many=True),
    str(CKG.planned): Property("planned"),
    str(CKG.cameoCode): Property("cameo_code"),
    str(CKG.eventCount): Property("event_count"),
    str(CKG.reliability): Property("reliability"),
    str(DCTERMS.publisher): Property("publisher", iri="text"),
    str(DCTERMS.issued): Property("issued"),
    str(SCHEMA.roleName): Property("role"),
}
"""Predicate → node property."""


@dataclass(frozen=True)
class Link:
    """How a predicate between two resources becomes a relationship."""

    type: str
    reverse: bool = False
    """``(object)-[:TYPE]->(subject)`` instead of ``(subject)-[:TYPE]->(object)``."""


LINKS: dict[str, Link] = {
    str(CKG.country): Link("IN_COUNTRY"),  # agency → its country
    str(ORG.subOrganizationOf): Link("PART_OF"),  # unit → parent agency
    str(SCHEMA.superEvent): Link("PART_OF"),  # event → the summary it is counted in
    str(CKG.nationalCustomsAdministration): Link("NATIONAL_CUSTOMS"),  # country → agency
    str(CKG.party): Link("PARTY_TO", reverse=True),  # party → agreement
    str(CKG.implementedBy): Link("IMPLEMENTS", reverse=True),  # agency → agreement
    str(CKG.participant): Link("PARTICIPATED_IN", reverse=True),  # organisation → event
    str(SCHEMA.organizer): Link("HOSTED", reverse=True),  # host → event
    str(SCHEMA.attendee): Link("ATTENDED", reverse=True),  # person → event
    str(CKG.outcome): Link("PRODUCED"),  # event → agreement signed there
    str(SCHEMA.about): Link("ABOUT"),  # event or agreement → topic
    str(SCHEMA.location): Link("HELD_IN"),  # event or agreement → place or country
    str(SCHEMA.containedInPlace): Link("LOCATED_IN"),  # place → country
    str(ORG.holds): Link("HOLDS"),  # person → post
    str(ORG.postIn): Link("POST_IN"),  # post → agency
    str(PROV.wasDerivedFrom): Link("DERIVED_FROM"),  # statement's subject → source document
    str(SCHEMA.mentions): Link("MENTIONS"),  # source document → what it mentions
    str(CKG.executiveBodyOf): Link("EXECUTIVE_BODY_OF"),  # body → the union it serves
    str(CKG.collectiveBodyOf): Link("COLLECTIVE_BODY_OF"),  # body → union (its member states)
}
"""Predicate → relationship. Not mirrored (their content is there another way):
``org:memberOf`` (the memberships are), ``org:heldBy`` (``HOLDS`` is), ``skos:inScheme``,
``org:memberDuring`` and the OWL-Time resources (the membership's dates are)."""


@dataclass(frozen=True)
class Reified:
    """A class whose resources each become one relationship, not a node."""

    rdf_class: str
    type: str
    start: str
    """Predicate naming the start node."""
    end: str
    """Predicate naming the end node."""
    properties: Mapping[str, Property]


REIFIED: tuple[Reified, ...] = (
    Reified(str(ORG.Membership), "MEMBER_OF", str(ORG.member), str(ORG.organization),
            {str(SCHEMA.startDate): Property("since"), str(SCHEMA.endDate): Property("until")}),
)

NODE_LABELS: tuple[str, ...] = tuple(dict.fromkeys(
    label for labels in CLASS_LABELS.values() for label in labels))
RELATIONSHIP_TYPES: tuple[str, ...] = tuple(dict.fromkeys(
    [*(link.type for link in LINKS.values()), *(r.type for r in REIFIED), PARTNER_OF]))

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
for _name in (RESOURCE, *NODE_LABELS, *RELATIONSHIP_TYPES):
    # Labels and types are written into Cypher text (they cannot be parameters): plain names only.
    assert _NAME.fullmatch(_name), _name

# -- literals ---------------------------------------------------------------------------------
_XSD = str(XSD)
_PARTIAL_DATES = {_XSD + "gYear": "year", _XSD + "gYearMonth": "month"}
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger",
                                "positiveInteger", "negativeInteger", "nonPositiveInteger")}
_FLOATS = {_XSD + t for t in ("decimal", "double", "float")}


@dataclass(frozen=True)
class Value:
    """One converted literal: what Neo4j stores, its text, and its date precision if partial."""

    value: Any
    text: str
    precision: str | None = None


def convert(term: object, prop: Property) -> tuple[Value, str | None] | None:
    """A property value and its language tag from an RDF term; None for what is not mapped."""
    if isinstance(term, NamedNode):
        if prop.iri == "local":
            text = term.value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            return Value(text, text), None
        if prop.iri == "text":
            return Value(term.value, term.value), None
        return None
    if not isinstance(term, Literal):
        return None
    text = term.value
    if term.language:
        return Value(text, text), term.language.lower().replace("-", "_")
    datatype = term.datatype.value
    try:
        if datatype == _XSD + "date":
            return Value(dt.date.fromisoformat(text[:10]), text[:10]), None
        if datatype in _PARTIAL_DATES:
            return Value(text, text, _PARTIAL_DATES[datatype]), None
        if datatype in _INTEGERS:
            return Value(int(text), text), None
        if datatype in _FLOATS:
            return Value(float(text), text), None
        if datatype == _XSD + "boolean":
            return Value(text.strip() in ("true", "1"), text), None
        if datatype == _XSD + "dateTime":
            return Value(dt.datetime.fromisoformat(text.replace("Z", "+00:00")), text), None
    except ValueError:
        pass  # an ill-typed literal is kept as its text
    return Value(text, text), None


class PropertyBag:
    """The values stated for one node's (or relationship's) properties, merged by the rules
    above when :meth:`properties` is asked for."""

    __slots__ = ("values", "tagged")

    def __init__(self) -> None:
        self.values: dict[tuple[str, bool], dict[str, Value]] = {}
        self.tagged: dict[str, dict[str, Value]] = {}

    def add(self, prop: Property, term: object) -> None:
        converted = convert(term, prop)
        if converted is None:
            return
        value, language = converted
        if language:
            self.values.setdefault((f"{prop.name}_{language}", prop.many), {})[value.text] = value
            if not prop.many:
                self.tagged.setdefault(prop.name, {}).setdefault(language, value)
            return
        self.values.setdefault((prop.name, prop.many), {})[value.text] = value

    def properties(self) -> dict[str, Any]:
        # A single-valued property stated only with language tags also gets its plain name
        # (English if there is one, else the first tag), so captions and queries find it.
        for name, by_language in self.tagged.items():
            if (name, False) not in self.values:
                language = "en" if "en" in by_language else sorted(by_language)[0]
                value = by_language[language]
                self.values[(name, False)] = {value.text: value}
        props: dict[str, Any] = {}
        conflicts: list[str] = []
        for (key, many), found in sorted(self.values.items()):
            values = [found[text] for text in sorted(found)]
            if many:
                kinds = {type(v.value) for v in values}
                # Neo4j lists hold one type: mixed values (a date and a year) stay as text.
                props[key] = [v.value if len(kinds) == 1 else v.text for v in values]
                continue
            first = values[0]
            props[key] = first.value
            if first.precision:
                props[f"{key}_precision"] = first.precision
            if len(values) > 1:
                props[f"{key}_values"] = [v.text for v in values]
                conflicts.append(key)
        if conflicts:
            props["conflicts"] = conflicts
        return props

