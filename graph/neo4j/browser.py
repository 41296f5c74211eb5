"""Neo4j Browser helpers for the mirror: a style (``.grass``) with a colour and caption per label,
and a Browser guide whose analyst queries run with a click.

Use in Browser: drag the ``.grass`` file onto the Browser window (or its style panel); serve the
guide over HTTP from an allowed host (``localhost`` is allowed by default) and run
``:play http://localhost:8001/guide.html`` (see ``docs/neo4j.md``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from graph.neo4j.mapping import NODE_LABELS, PARTNER_OF, RELATIONSHIP_TYPES, RESOURCE


@dataclass(frozen=True)
class LabelStyle:
    color: str
    caption: str = "{name}"
    diameter: int = 50


# Rules are applied in file order, so a node's most specific label (listed later) wins.
LABEL_STYLES: dict[str, LabelStyle] = {
    RESOURCE: LabelStyle("#A5ABB6", diameter=40),
    "Country": LabelStyle("#4C8EDA", diameter=65),
    "Union": LabelStyle("#2E7D32", diameter=70),
    "InternationalOrganisation": LabelStyle("#57C7E3", diameter=60),
    "Agency": LabelStyle("#F79767"),
    "CustomsAdministration": LabelStyle("#F16667"),
    "RegionalCustomsUnit": LabelStyle("#FFC454", diameter=40),
    "Ministry": LabelStyle("#D9C8AE", diameter=45),
    "GovernmentBody": LabelStyle("#C9A26B", diameter=45),
    "Agreement": LabelStyle("#DA7194", diameter=45),
    "MutualAssistanceAgreement": LabelStyle("#C2185B", diameter=45),
    "FreeTradeAgreement": LabelStyle("#AD1457", diameter=55),
    "CooperationPlan": LabelStyle("#E57399", diameter=45),
    "MemorandumOfUnderstanding": LabelStyle("#F48FB1", diameter=45),
    "MutualRecognitionArrangement": LabelStyle("#EC407A", diameter=45),
    "Protocol": LabelStyle("#CE93D8", diameter=40),
    "Minutes": LabelStyle("#BA68C8", diameter=40),
    "Event": LabelStyle("#569480", diameter=40),
    "Talks": LabelStyle("#00897B", diameter=45),
    "WorkingMeeting": LabelStyle("#4DB6AC", diameter=40),
    "Forum": LabelStyle("#26A69A", diameter=40),
    "Visit": LabelStyle("#80CBC4", diameter=40),
    "Signing": LabelStyle("#00695C", diameter=45),
    "Training": LabelStyle("#A5D6A7", diameter=40),
    "DataExchange": LabelStyle("#66BB6A", diameter=40),
    "EventSummary": LabelStyle("#B2DFDB", diameter=50),
    "Person": LabelStyle("#C990C0", diameter=45),
    "Post": LabelStyle("#E1BEE7", "{role}", diameter=35),
    "Place": LabelStyle("#8DCC93", diameter=40),
    "Topic": LabelStyle("#ECB5C9", diameter=30),
    "Source": LabelStyle("#9E9E9E", "{id}", diameter=35),
}


@dataclass(frozen=True)
class TypeStyle:
    color: str = "#A5ABB6"
    caption: str = "<type>"
    width: int = 1


TYPE_STYLES: dict[str, TypeStyle] = {
    PARTNER_OF: TypeStyle("#FF6D00", "{weight}", 3),
    "MEMBER_OF": TypeStyle("#2E7D32", "<type>", 2),
    "EXECUTIVE_BODY_OF": TypeStyle("#1B5E20", "<type>", 2),
    "COLLECTIVE_BODY_OF": TypeStyle("#66BB6A", "<type>", 2),
    "PARTY_TO": TypeStyle("#AD1457"),
    "IMPLEMENTS": TypeStyle("#C2185B"),
    "PARTICIPATED_IN": TypeStyle("#00897B"),
    "HOSTED": TypeStyle("#00695C", width=2),
    "PRODUCED": TypeStyle("#BA68C8", width=2),
    "DERIVED_FROM": TypeStyle("#D0D0D0", ""),
    "MENTIONS": TypeStyle("#D0D0D0", ""),
}


def _text_colour(colour: str) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 160 else "#FFFFFF"


def _darker(colour: str) -> str:
    return "#" + "".join(f"{int(int(colour[i:i + 2], 16) * 0.8):02x}" for i in (1, 3, 5))


def write_style() -> str:
    """The Browser style sheet (GraSS) for every label and relationship type of the mapping."""
    missing = set(NODE_LABELS) - set(LABEL_STYLES)
    assert not missing, f"labels without a style: {missing}"
    blocks = [
        "node {\n  diameter: 50px;\n  color: #A5ABB6;\n  border-color: #9AA1AC;\n"
        "  border-width: 2px;\n  text-color-internal: #FFFFFF;\n  font-size: 10px;\n"
        "  caption: \"{name}\";\n}",
        "relationship {\n  color: #A5ABB6;\n  shaft-width: 1px;\n  font-size: 8px;\n"
        "  padding: 3px;\n  text-color-external: #000000;\n  text-color-internal: #FFFFFF;\n"
        "  caption: \"<type>\";\n}",
    ]
    for label, style in LABEL_STYLES.items():
        blocks.append(
            f"node.{label} {{\n  color: {style.color};\n  border-color: {_darker(style.color)};\n"
            f"  text-color-internal: {_text_colour(style.color)};\n"
            f"  diameter: {style.diameter}px;\n  caption: \"{style.caption}\";\n}}")
    for rel_type in RELATIONSHIP_TYPES:
        style = TYPE_STYLES.get(rel_type, TypeStyle())
        blocks.append(
            f"relationship.{rel_type} {{\n  color: {style.color};\n"
            f"  shaft-width: {style.width}px;\n  caption: \"{style.caption}\";\n}}")
    return "\n\n".join(blocks) + "\n"


# -- the guide --------------------------------------------------------------------------------
@dataclass(frozen=True)
class GuideQuery:
    caption: str
    cypher: str


@dataclass(frozen=True)
class GuideSlide:
    title: str
    lead: str
    queries: tuple[GuideQuery, ...]


_PLAIN = re.compile(r"[A-Za-z0-9_.-]+")


def guide_slides(country: str = "RU", partner: str = "VN", agency: str = "ru-fcs",
                 union: str = "eaeu") -> list[GuideSlide]:
    """The analyst queries, with example values inlined (edit them in the editor)."""
    for value in (country, partner, agency, union):
        if not _PLAIN.fullmatch(value):
            raise ValueError(f"'{value}': letters, digits, '.', '_' and '-' only")
    return [
        GuideSlide("The mirror", "What the customs-kg knowledge graph looks like in Neo4j.", (
            GuideQuery("Nodes per label", "MATCH (n:Resource) UNWIND labels(n) AS label\n"
                       "RETURN label, count(*) AS nodes ORDER BY nodes DESC"),
            GuideQuery("Relationships per type", "MATCH (:Resource)-[r]->(:Resource)\n"
                       "RETURN type(r) AS type, count(*) AS relationships "
                       "ORDER BY relationships DESC"),
            GuideQuery("When it was synced, from which files",
                       "MATCH (s:SyncState) RETURN s.synced_at AS synced, s.paths AS files"),
        )),
        GuideSlide("Partner network of a country",
                   f"Countries that share agreements or events with {country}; the caption of "
                   "a PARTNER_OF relationship is its weight (agreements + events).", (
            GuideQuery("The network", f"MATCH p = (:Country {{iso: '{country}'}})"
                       "-[:PARTNER_OF]-(:Country)\nRETURN p"),
            GuideQuery("Ranked, with the evidence counts",
                       f"MATCH (c:Country {{iso: '{country}'}})-[r:PARTNER_OF]-(p:Country)\n"
                       "RETURN p.name AS partner, r.agreements AS agreements, "
                       "r.events AS events,\n       r.first_year AS first, "
                       "r.last_year AS last, r.weight AS weight\nORDER BY weight DESC, partner"),
            GuideQuery("Agency level: the agencies of the country and theirs",
                       f"MATCH p = (:Country {{iso: '{country}'}})<-[:IN_COUNTRY]-(:Agency)"
                       "-[:PARTNER_OF]-(:Agency)\nRETURN p"),
        )),
        GuideSlide("Agreements between two countries",
                   f"Agreements {country} and {partner} are parties to or implement, "
                   "themselves or through their agencies, and those through a union.", (
            GuideQuery("Directly or through their agencies",
                       f"MATCH (a:Country {{iso: '{country}'}}), (b:Country {{iso: '{partner}'}})\n"
                       "MATCH p = (a)<-[:IN_COUNTRY*0..1]-()-[:PARTY_TO|IMPLEMENTS]->"
                       "(ag:Agreement)\n      <-[:PARTY_TO|IMPLEMENTS]-()"
                       "-[:IN_COUNTRY*0..1]->(b)\nRETURN p"),
            GuideQuery("As a table",
                       f"MATCH (a:Country {{iso: '{country}'}}), (b:Country {{iso: '{partner}'}})\n"
                       "MATCH (a)<-[:IN_COUNTRY*0..1]-()-[:PARTY_TO|IMPLEMENTS]->(ag:Agreement)"
                       "\n      <-[:PARTY_TO|IMPLEMENTS]-()-[:IN_COUNTRY*0..1]->(b)\n"
                       "RETURN DISTINCT toString(ag.signed) AS signed, ag.kind AS kind, "
                       "ag.name AS agreement,\n       ag.conflicts AS conflicts, "
                       "ag.sources AS sources\nORDER BY signed"),
            GuideQuery("Through a union one of them belongs to",
                       f"MATCH p = (:Country {{iso: '{country}'}})-[:MEMBER_OF]->(:Union)"
                       "-[:PARTY_TO]->(:Agreement)\n      "
                       f"<-[:PARTY_TO]-(:Country {{iso: '{partner}'}})\nRETURN p"),
        )),
        GuideSlide("An agency's timeline",
                   f"Events and agreements of {agency} and its units, in time order; partial "
                   "dates are text ('2019'), so the dates are compared as text.", (
            GuideQuery("Timeline",
                       f"MATCH (a:Agency {{id: '{agency}'}})<-[:PART_OF*0..]-(unit:Agency)\n"
                       "MATCH (unit)-[role:PARTICIPATED_IN|HOSTED|PARTY_TO|IMPLEMENTS]->(x)\n"
                       "RETURN coalesce(toString(x.start_date), toString(x.signed), "
                       "toString(x.valid_from)) AS date,\n"
                       "       CASE WHEN x:Agreement THEN 'agreement' ELSE 'event' END AS what,\n"
                       "       x.name AS name, type(role) AS role, unit.name AS by\n"
                       "ORDER BY date, name"),
            GuideQuery("As a picture",
                       f"MATCH p = (:Agency {{id: '{agency}'}})<-[:PART_OF*0..]-(:Agency)"
                       "-[:PARTICIPATED_IN|HOSTED|PARTY_TO|IMPLEMENTS]->()\nRETURN p"),
            GuideQuery("Its people and posts",
                       f"MATCH p = (:Agency {{id: '{agency}'}})<-[:POST_IN]-(:Post)"
                       "<-[:HOLDS]-(:Person)\nRETURN p"),
        )),
        GuideSlide("A union and its members", f"The {union} union, who belongs since when, and "
                   "what it signed.", (
            GuideQuery("Members", f"MATCH p = (:Country)-[:MEMBER_OF]->(:Union {{id: '{union}'}})"
                       "\nRETURN p"),
            GuideQuery("Membership dates",
                       f"MATCH (c:Country)-[m:MEMBER_OF]->(:Union {{id: '{union}'}})\n"
                       "RETURN c.name AS member, toString(m.since) AS since, "
                       "toString(m.until) AS until\nORDER BY since, member"),
            GuideQuery("Its agreements and their other parties",
                       f"MATCH p = (:Union {{id: '{union}'}})-[:PARTY_TO]->(:Agreement)"
                       "<-[:PARTY_TO]-()\nRETURN p"),
        )),
        GuideSlide("Sources and conflicts", "Every node and relationship lists the files it "
                   "comes from (sources); facts the sources state differently are kept side by "
                   "side; agreements, events and partnerships say how sure they are (basis, "
                   "confidence).", (
            GuideQuery("Conflicting facts",
                       "MATCH (n:Resource) WHERE n.conflicts IS NOT NULL\n"
                       "RETURN n.name AS name, n.conflicts AS conflicting, "
                       "n.sources AS sources"),
            GuideQuery("How sure the agreements and events are (extracted: only from articles)",
                       "MATCH (x:Resource) WHERE x.basis IS NOT NULL\n"
                       "RETURN x.basis AS basis, count(*) AS items, "
                       "min(x.confidence) AS least_confidence\nORDER BY basis"),
            GuideQuery("What one source document states",
                       "MATCH p = (:Source)<-[:DERIVED_FROM]-(x)\nWHERE NOT x:Country\n"
                       "RETURN p LIMIT 100"),
        )),
    ]


def write_guide(**values: str) -> str:
    """A Neo4j Browser guide (``:play URL``) with the analyst queries as clickable Cypher."""
    slides = []
    for slide in guide_slides(**values):
        figures = "\n".join(
            f"      <figure>\n        <pre class=\"pre-scrollable code runnable\">"
            f"{html.escape(q.cypher, quote=False)}</pre>\n"
            f"        <figcaption>{html.escape(q.caption)}</figcaption>\n      </figure>"
            for q in slide.queries)
        slides.append(
            f"  <slide class=\"row-fluid\">\n    <div class=\"col-sm-3\">\n"
            f"      <h3>{html.escape(slide.title)}</h3>\n"
            f"      <p class=\"lead\">{html.escape(slide.lead)}</p>\n    </div>\n"
            f"    <div class=\"col-sm-9\">\n{figures}\n    </div>\n  </slide>")
    return ("<article class=\"guide\">\n<carousel class=\"deck container-fluid\">\n"
            + "\n".join(slides) + "\n</carousel>\n</article>\n")
