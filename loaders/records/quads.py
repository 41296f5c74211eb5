"""Records documents to the quads of one named graph: every section's records as RDF with the
project's ontology, their dates checked, their sources and evidence as PROV-O."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from graph.errors import RecordError
from graph.names import normalise_name
from loaders.records.documents import SECTIONS, Context, as_list, as_text, record_label
from loaders.records.identity import RecordIdentity, extractor_agent, n, record_scope, slugify
from loaders.records.reviews import convert_reviews
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

A = n(RDF.type)
PREF, ALT, HIDDEN = n(SKOS.prefLabel), n(SKOS.altLabel), n(SKOS.hiddenLabel)
IDENT = n(DCTERMS.identifier)
XSD_BOOLEAN, XSD_INTEGER, XSD_DECIMAL = n(XSD.boolean), n(XSD.integer), n(XSD.decimal)


class RecordsConverter(RecordIdentity):
    """Turns records documents into quads, resolving references with ``index``.

    Call ``declare`` on every document of a load first (so files may refer to each other),
    then ``convert`` each one into its named graph.
    """

    # -- conversion -------------------------------------------------------------------------
    def convert(self, document: dict, doc_key: str, name: str, graph: NamedNode,
                now_source: NamedNode | None = None, extracted: bool = False
                ) -> tuple[list[Quad], list[NamedNode]]:
        """The quads of one document in ``graph``, and the source documents it names; the
        records of an extracted source resolve names in its own scope (see ``declare``)."""
        self._graph = graph
        self._doc_key = doc_key
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
                ctx = Context(name, record_label(section, pos, record))
                if section != "countries" and not isinstance(record, dict):
                    raise ctx.error(f"expected a record (a mapping), found {record!r}")
                source = (self._source(record.get("source"), ctx, "source")
                          if isinstance(record, dict) and record.get("source") else file_source)
                with self.index.within(record_scope(record, graph, extracted)):
                    getattr(self, f"_convert_{section}")(doc_key, pos, record, ctx, source)
        if document.get("reviews"):
            convert_reviews(self, document, name, file_source)
        for parent, ctx in self._parents:
            if parent.value not in self.index.events:
                raise ctx.error(f"no event has the id '{parent.value.rsplit('/', 1)[-1]}'",
                                "part_of")
        return self._quads, self._sources

    def _add(self, s: NamedNode, p: Any, o: Any) -> None:
        self._quads.append(Quad(s, p if isinstance(p, NamedNode) else n(p),
                                o if isinstance(o, (NamedNode, Literal)) else n(o), self._graph))

    def _lit(self, s: NamedNode, p: Any, value: Any) -> None:
        text = as_text(value)
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
            text = as_text(alias)
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
        doc_id = as_text(evidence.get("source"))
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
        extractor = as_text(evidence.get("extractor"))
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
        key = as_text(value.get("id")) or slugify(str(value.get("url") or value.get("title")))
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
        if value.get("retrieved") not in (None, ""):
            self._date(iri, CKG.retrievedOn, value["retrieved"], ctx, f"{field}.retrieved")
        reliability = value.get("reliability") or "medium"
        if reliability not in ("high", "medium", "low"):
            raise ctx.error(f"reliability '{reliability}' is not high, medium or low",
                            f"{field}.reliability")
        self._add(iri, CKG.reliability, Literal(reliability))
        if iri not in self._sources:
            self._sources.append(iri)
        return iri

    def _topics(self, s: NamedNode, topics: Any) -> None:
        for topic in as_list(topics):
            text = as_text(topic)
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
        name = as_text(record.get("name"))
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
        if container is not None and container.kind == "country":
            self._add(iri, SCHEMA.containedInPlace, container.iri)
        self._add(s, SCHEMA.location, iri)

    # -- sections ---------------------------------------------------------------------------
    def _convert_countries(self, doc_key, pos, record, ctx, source) -> None:
        country = self._declare_country(record, ctx)
        if isinstance(record, dict):
            iri = country.iri
            if record.get("name") and country.kind == "country":
                self._add(iri, A, CKG.Country)
                self._add(iri, IDENT, Literal(country.code or iri.value.rsplit("/", 1)[-1]))
                self._add(iri, CKG.isoAlpha2, Literal(str(record["code"]).upper()))
                self._lit(iri, CKG.isoAlpha3, record.get("alpha3"))
                self._lit(iri, CKG.isoNumeric, record.get("numeric"))
            self._labels(iri, as_text(record.get("name")), as_list(record.get("aliases")))
            for demonym in as_list(record.get("demonyms")):
                self._add(iri, HIDDEN, Literal(str(demonym)))
            self._provenance(iri, source)
            self._evidence(iri, record.get("evidence"), source, ctx)
        if source is not None:
            self._add(source, SCHEMA.mentions, country.iri)

    def _convert_unions(self, doc_key, pos, record, ctx, source) -> None:
        iri = self._convert_org(doc_key, pos, record, ctx, source, "unions")
        for member in as_list(record.get("members")):
            if not isinstance(member, dict):
                member = {"member": member}
            self._membership({**member, "organisation": iri}, ctx, source, iri)

    def _convert_agencies(self, doc_key, pos, record, ctx, source) -> None:
        self._convert_org(doc_key, pos, record, ctx, source, "agencies")

    def _convert_org(self, doc_key, pos, record, ctx, source, section) -> NamedNode:
        iri = self._org_iri(doc_key, pos, record, ctx, section)
        entity = self.index.get(iri)
        if entity is not None and entity.kind == "country":
            # A government given as an agency is its country: "Government of Vietnam" becomes
            # a name of the country; the bare "government" names nothing.
            name = as_text(record.get("name"))
            if name and normalise_name(name) != "government":
                self._add(iri, ALT, Literal(name))
            self._provenance(iri, source)
            if source is not None:
                self._add(source, SCHEMA.mentions, iri)
            return iri
        kind = record.get("kind") or {"union": "union", "international": "international"}.get(
            entity.kind if entity else "", "customs")
        if kind not in ORGANISATION_CLASSES:
            raise ctx.error(f"unknown kind '{kind}' (expected one of: "
                            f"{', '.join(ORGANISATION_CLASSES)})", "kind")
        for cls in ORGANISATION_CLASSES[kind]:
            self._add(iri, A, cls)
        if self.index.scope is not None and self.index.is_extracted_only(iri.value):
            # an extracted mention that resolved to no known body of its country: its own
            # entity, marked so (never merged into a near name)
            self._add(iri, CKG.unresolved, Literal("true", datatype=XSD_BOOLEAN))
        self._add(iri, IDENT, Literal(iri.value.rsplit("/", 1)[-1]))
        self._labels(iri, *self._label_of(iri, (doc_key, section, pos), as_text(record.get("name")),
                                          as_list(record.get("aliases"))))
        country = self._country_of(record, ctx)
        if country is not None and country.kind != "country":
            # A union given as the country (``country: EU``): the body is the union's.
            if record.get("parent") is None and country.iri != iri:
                self._add(iri, ORG.subOrganizationOf, country.iri)
        elif country is not None:
            self._add(iri, CKG.country, country.iri)
            if record.get("national"):
                self._add(country.iri, CKG.nationalCustomsAdministration, iri)
        for field, prop in (("executive_body_of", CKG.executiveBodyOf),
                            ("collective_body_of", CKG.collectiveBodyOf)):
            if record.get(field) is not None:
                union = self._org(record[field], ctx, field)
                found = self.index.get(union)
                if found is None or found.kind != "union" or union == iri:
                    raise ctx.error(f"'{record[field]}' is not an economic union", field)
                self._add(iri, prop, union)
        if record.get("executive_body_of") is None and record.get("collective_body_of") is None \
                and country is None:
            union = self._collective_union([record.get("name"), *as_list(record.get("aliases"))])
            if union is not None and union.iri != iri:
                self._add(iri, CKG.collectiveBodyOf, union.iri)
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
        for pos_p, person in enumerate(as_list(record.get("people"))):
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
        name = as_text(record.get("name"))
        self._add(iri, A, SCHEMA.Person)
        self._add(iri, IDENT, Literal(iri.value.rsplit("/", 1)[-1]))
        self._add(iri, SCHEMA.name, Literal(name))
        self._labels(iri, name, as_list(record.get("aliases")))
        for pos, post in enumerate(as_list(record.get("posts"))):
            field = f"posts[{pos}]"
            title = as_text(post.get("title")) or "Staff"
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
                                        as_text(record.get("title")),
                                        as_list(record.get("aliases")))
        if title:
            self._add(iri, DCTERMS.title, Literal(title))
        self._labels(iri, title, aliases)
        for field in ("parties", "implementers"):
            prop = CKG.party if field == "parties" else CKG.implementedBy
            for i, party in enumerate(as_list(record.get(field))):
                self._add(iri, prop, self._org(party, ctx, f"{field}[{i}]"))
        if record.get("parties") == []:
            # The source names the agreement but lists none of its parties (a multilateral
            # convention mentioned in passing): said so, rather than left looking incomplete.
            self._add(iri, CKG.partiesUnlisted, Literal("true", datatype=XSD_BOOLEAN))
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
        explicit = as_text(record.get("id"))
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
                        for i, p in enumerate(as_list(record.get("participants")))]
        iri = self._event_iri(record, participants)
        self._add(iri, A, EVENT_CLASSES[kind])
        if EVENT_CLASSES[kind] != CKG.Event:
            self._add(iri, A, CKG.Event)
        self._add(iri, CKG.kind, ID[f"kind/event/{kind}"])
        self._add(iri, IDENT, Literal(iri.value.rsplit("/", 1)[-1]))
        for participant in participants:
            self._add(iri, CKG.participant, participant)
        title = as_text(record.get("title")) or self._event_title(kind, participants, record)
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
        for person in as_list(record.get("people")):
            known = self.index.resolve(str(person), frozenset({"person"}))
            self._add(iri, SCHEMA.attendee,
                      known.iri if known else self._person({"name": person}, ctx, None))
        self._topics(iri, record.get("topics"))
        for outcome in as_list(record.get("outcomes")):
            text = as_text(outcome)
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
        cameo = as_text(record.get("cameo")) or CAMEO_DEFAULTS[kind]
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
