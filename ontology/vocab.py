"""Namespaces and terms of the customs-kg ontology, for code that writes or queries the graph.

The Turtle ontology (``customs-kg.ttl``) declares every ``CKG`` term used here; a test keeps the
two in step. Terms from W3C ORG, schema.org, Dublin Core, PROV-O, OWL-Time and SKOS are reused
wherever they fit.
"""

from __future__ import annotations


class Namespace(str):
    """An IRI prefix whose terms are IRIs as text: ``CKG.Agency``, ``ID["country/RU"]``.

    Plain strings, so that pyoxigraph's ``NamedNode(CKG.party)`` and rdflib's
    ``URIRef(CKG.party)`` both take them, and so that the commands that only read the store
    start without importing rdflib.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return str.__add__(self, name)

    def __getitem__(self, name: str) -> str:  # type: ignore[override]
        return str.__add__(self, name)

    # Terms whose names str's own methods would hide (dct:title, dct:format).
    title = property(lambda self: str.__add__(self, "title"))  # type: ignore[assignment]
    format = property(lambda self: str.__add__(self, "format"))  # type: ignore[assignment]


DCTERMS = Namespace("http://purl.org/dc/terms/")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
PROV = Namespace("http://www.w3.org/ns/prov#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
TIME = Namespace("http://www.w3.org/2006/time#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

CKG = Namespace("https://w3id.org/customs-kg/ontology#")
"""The ontology: classes and properties."""
ID = Namespace("https://w3id.org/customs-kg/id/")
"""Instances: ``ID['agency/fcs-russia']``, ``ID['country/RU']``, ``ID['event/…']``."""
GRAPH = Namespace("https://w3id.org/customs-kg/graph/")
"""Named graphs: one per loaded file, plus ``GRAPH.meta`` for the load log."""
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")

META_GRAPH = GRAPH["meta"]
"""Named graph holding one provenance record per loaded file (path, hash, load time)."""

PREFIXES: dict[str, str] = {
    "ckg": str(CKG),
    "id": str(ID),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "dct": str(DCTERMS),
    "prov": str(PROV),
    "time": str(TIME),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
"""The prologue every named query starts with."""

# --- Agreement kinds: records `kind` -> ontology class -------------------------------------
AGREEMENT_CLASSES = {
    "mutual-assistance": CKG.MutualAssistanceAgreement,
    "free-trade": CKG.FreeTradeAgreement,
    "cooperation-plan": CKG.CooperationPlan,
    "memorandum": CKG.MemorandumOfUnderstanding,
    "mutual-recognition": CKG.MutualRecognitionArrangement,
    "protocol": CKG.Protocol,
    "minutes": CKG.Minutes,
    "other": CKG.Agreement,
}

# --- Event kinds: records `kind` -> ontology class, default CAMEO code ----------------------
EVENT_CLASSES = {
    "talks": CKG.Talks,
    "meeting": CKG.WorkingMeeting,
    "forum": CKG.Forum,
    "visit": CKG.Visit,
    "signing": CKG.Signing,
    "training": CKG.Training,
    "data-exchange": CKG.DataExchange,
    "other": CKG.Event,
}

CAMEO_DEFAULTS = {
    "talks": "046",  # engage in negotiation
    "meeting": "040",  # consult, not specified
    "forum": "040",
    "visit": "042",  # make a visit
    "signing": "057",  # sign formal agreement
    "training": "061",  # cooperate economically (technical cooperation)
    "data-exchange": "064",  # share intelligence or information
    "other": "040",
}

# --- Organisation kinds: records `kind` of an agency -> ontology classes --------------------
ORGANISATION_CLASSES = {  # superclasses written out, so queries and shapes need no inference
    "customs": (CKG.Agency, CKG.CustomsAdministration),
    "regional-customs": (CKG.Agency, CKG.CustomsAdministration, CKG.RegionalCustomsUnit),
    "ministry": (CKG.Agency, CKG.Ministry),
    "agency": (CKG.Agency,),
    "government": (CKG.Agency, CKG.GovernmentBody),
    "union": (CKG.EconomicUnion,),
    "international": (CKG.InternationalOrganisation,),
}

AGREEMENT_STATUSES = ("planned", "draft", "signed", "in-force", "expired", "terminated")

# Properties whose value is one fact per subject: two sources giving two values is a conflict.
SINGLE_VALUED = (
    CKG.signingDate,
    CKG.entryIntoForceDate,
    CKG.validFrom,
    CKG.validUntil,
    SCHEMA.startDate,
    SCHEMA.endDate,
    CKG.country,
    CKG.eventCount,
)

__all__ = [
    "CKG",
    "ID",
    "GRAPH",
    "ORG",
    "SCHEMA",
    "DCTERMS",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "TIME",
    "XSD",
    "META_GRAPH",
    "PREFIXES",
    "SPARQL_PREFIXES",
    "AGREEMENT_CLASSES",
    "EVENT_CLASSES",
    "CAMEO_DEFAULTS",
    "ORGANISATION_CLASSES",
    "AGREEMENT_STATUSES",
    "SINGLE_VALUED",
]
