"""The OWL ontology and the SHACL shapes: declarations, reuse, hierarchy, concept schemes, and
validation of good data, bad data, the curated data and through the CLI.

The bad-data fixtures live in ``tests/data/shacl/``: ``good.ttl`` conforms, every other file
breaks one rule (its header comment says which). To keep the number of pySHACL runs small, all
fixture files are loaded into one store (each into its own named graph, with distinct IRIs) and
validated once; each rule's test then looks at the results for that file's focus nodes and
requires exactly the one expected result there.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME

from cli import cli
from graph.store import OxigraphStore
from graph.store.loaded import loaded_sources
from graph.validation import ValidationReport, Violation, validate_store
from loaders.load import load_paths
from ontology import ONTOLOGY_PATH, SHAPES_PATH
from ontology.vocab import (
    AGREEMENT_CLASSES,
    AGREEMENT_STATUSES,
    CAMEO_DEFAULTS,
    CKG,
    EVENT_CLASSES,
    ID,
    ORG,
    ORGANISATION_CLASSES,
    PREFIXES,
    SCHEMA,
    SINGLE_VALUED,
)

# The vocabulary's terms are plain IRI strings; rdflib's graphs want its own term types.
CKG, ID, ORG, SCHEMA = (rdflib.Namespace(ns) for ns in (CKG, ID, ORG, SCHEMA))
AGREEMENT_CLASSES = {k: rdflib.URIRef(v) for k, v in AGREEMENT_CLASSES.items()}
EVENT_CLASSES = {k: rdflib.URIRef(v) for k, v in EVENT_CLASSES.items()}
ORGANISATION_CLASSES = {k: tuple(map(rdflib.URIRef, v)) for k, v in ORGANISATION_CLASSES.items()}
SINGLE_VALUED = tuple(map(rdflib.URIRef, SINGLE_VALUED))

ROOT = Path(__file__).resolve().parents[1]
SHACL_DATA = Path(__file__).resolve().parent / "data" / "shacl"
GOOD = SHACL_DATA / "good.ttl"
CONTRACT = ROOT / "ontology" / "README.md"
VOCAB_SOURCE = ROOT / "ontology" / "vocab.py"
LOADER_SOURCES = sorted((ROOT / "loaders").glob("*.py"))

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
ONTOLOGY_IRI = rdflib.URIRef("https://w3id.org/customs-kg/ontology")
DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
SECONDS_FOR_A_SMALL_GRAPH = 60


# -- fixtures --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_PATH, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_PATH, format="turtle")


def qname(term: rdflib.term.Node) -> str:
    """``org:Membership`` for an IRI of a namespace of ontology.vocab.PREFIXES."""
    for prefix, namespace in PREFIXES.items():
        if str(term).startswith(namespace):
            return f"{prefix}:{str(term)[len(namespace):]}"
    return str(term)


def ckg_name(term: rdflib.term.Node) -> str:
    return str(term)[len(str(CKG)):]


def declared(ontology: rdflib.Graph) -> dict[str, set[rdflib.URIRef]]:
    """Local name -> declaration types of every ckg: term the ontology declares."""
    names: dict[str, set[rdflib.URIRef]] = {}
    for kind in DECLARATION_TYPES:
        for term in ontology.subjects(RDF.type, kind):
            if isinstance(term, rdflib.URIRef) and str(term).startswith(str(CKG)):
                names.setdefault(ckg_name(term), set()).add(kind)
    return names


def ckg_terms_in_text(text: str) -> set[str]:
    """ckg: terms named in Turtle, SPARQL, Markdown (``ckg:party``) or Python (``CKG.party``)."""
    return (set(re.findall(r"\bckg:([A-Za-z]\w*)", text))
            | set(re.findall(r"\bCKG\.([A-Za-z]\w*)", text))
            | set(re.findall(r"\bCKG\[\"([A-Za-z]\w*)\"\]", text)))


def mermaid_diagram(text: str) -> str:
    match = re.search(r"```mermaid\n(.*?)```", text, re.S)
    assert match, "ontology/README.md has no mermaid class diagram"
    return match.group(1)


def vocab_terms() -> set[str]:
    """Every ckg: term ontology/vocab.py names, in its tables and anywhere in its source."""
    terms = set(AGREEMENT_CLASSES.values()) | set(EVENT_CLASSES.values()) | set(SINGLE_VALUED)
    terms |= {cls for classes in ORGANISATION_CLASSES.values() for cls in classes}
    names = {ckg_name(t) for t in terms if str(t).startswith(str(CKG))}
    return names | ckg_terms_in_text(VOCAB_SOURCE.read_text(encoding="utf-8"))


def term_sources() -> dict[str, set[str]]:
    contract = CONTRACT.read_text(encoding="utf-8")
    diagram_classes = {name for name, label in
                       re.findall(r"^\s*class (\w+)(\[)?", mermaid_diagram(contract), re.M)
                       if not label}  # class Person["schema:Person"] is a reused term
    return {
        "ontology/README.md": ckg_terms_in_text(contract) | diagram_classes,
        "ontology/vocab.py": vocab_terms(),
        "ontology/shapes.ttl": ckg_terms_in_text(SHAPES_PATH.read_text(encoding="utf-8")),
        "loaders/*.py": set().union(*(ckg_terms_in_text(p.read_text(encoding="utf-8"))
                                      for p in LOADER_SOURCES)),
    }


def superclasses(graph: rdflib.Graph, cls: rdflib.URIRef) -> set[rdflib.URIRef]:
    """cls and all its superclasses (rdfs:subClassOf, transitively)."""
    return set(graph.transitive_objects(cls, RDFS.subClassOf))


def subclasses(graph: rdflib.Graph, cls: rdflib.URIRef) -> set[rdflib.URIRef]:
    """cls and all its subclasses (rdfs:subClassOf, transitively)."""
    return set(graph.transitive_subjects(RDFS.subClassOf, cls))


# -- the ontology ----------------------------------------------------------------------------------
def test_ontology_parses_and_declares_itself(ontology):
    assert len(ontology) > 100
    assert set(ontology.subjects(RDF.type, OWL.Ontology)) == {ONTOLOGY_IRI}
    assert ontology.value(ONTOLOGY_IRI, RDFS.label) is not None
    assert ontology.value(ONTOLOGY_IRI, RDFS.comment) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) is not None


def test_ontology_has_a_version(ontology):
    version = ontology.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert version is not None, "the ontology has no owl:versionInfo"
    assert re.fullmatch(r"\d+\.\d+\.\d+", str(version)), version
    version_iri = ontology.value(ONTOLOGY_IRI, OWL.versionIRI)
    assert version_iri == rdflib.URIRef(f"{ONTOLOGY_IRI}/{version}")


@pytest.mark.parametrize("source", list(term_sources()))
def test_terms_in_use_are_declared_with_label_and_comment(ontology, source):
    names = term_sources()[source]
    assert names, f"no ckg: terms found in {source}"
    known = declared(ontology)
    missing = sorted(names - set(known))
    assert not missing, f"ckg: terms of {source} not declared in the ontology: {missing}"
    undocumented = sorted(name for name in names
                          if ontology.value(CKG[name], RDFS.label) is None
                          or ontology.value(CKG[name], RDFS.comment) is None)
    assert not undocumented, f"terms of {source} without rdfs:label or rdfs:comment: {undocumented}"


def test_every_declared_term_is_documented(ontology):
    for name in declared(ontology):
        term = CKG[name]
        for prop in (RDFS.label, RDFS.comment):
            values = list(ontology.objects(term, prop))
            assert values, f"ckg:{name} has no {prop}"
            assert any(v.language == "en" for v in values), f"ckg:{name} has no English {prop}"
        assert ontology.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI, name


def test_classes_and_properties_are_kept_apart(ontology):
    """No term is both a class and a property; the vocab's class tables name classes."""
    known = declared(ontology)
    both = sorted(n for n, kinds in known.items() if OWL.Class in kinds and len(kinds) > 1)
    assert not both, f"declared both as class and property: {both}"
    classes = set(AGREEMENT_CLASSES.values()) | set(EVENT_CLASSES.values())
    classes |= {cls for group in ORGANISATION_CLASSES.values() for cls in group}
    for cls in classes:
        assert OWL.Class in known[ckg_name(cls)], cls
    for prop in SINGLE_VALUED:
        if str(prop).startswith(str(CKG)):
            assert (prop, RDF.type, OWL.FunctionalProperty) in ontology, prop


def test_contract_uses_only_known_prefixes():
    text = CONTRACT.read_text(encoding="utf-8")
    spans = re.findall(r"`([^`]*)`", text) + [mermaid_diagram(text)]
    prefixes = {p for span in spans for p in re.findall(r"\b([a-z]+):[A-Za-z]", span)}
    assert prefixes, "no prefixed names in the contract"
    unknown = sorted(prefixes - set(PREFIXES))
    assert not unknown, f"prefixes of the contract not in ontology.vocab.PREFIXES: {unknown}"


# -- reuse of W3C ORG, schema.org, Dublin Core, PROV-O, OWL-Time, SKOS -----------------------------
@pytest.mark.parametrize(("term", "relation", "reused"), [
    (CKG.Agency, RDFS.subClassOf, ORG.FormalOrganization),
    (CKG.EconomicUnion, RDFS.subClassOf, ORG.FormalOrganization),
    (CKG.InternationalOrganisation, RDFS.subClassOf, ORG.FormalOrganization),
    (CKG.RegionalCustomsUnit, RDFS.subClassOf, ORG.OrganizationalUnit),
    (CKG.Agency, RDFS.subClassOf, SCHEMA.GovernmentOrganization),
    (CKG.Country, RDFS.subClassOf, SCHEMA.Country),
    (CKG.Agreement, RDFS.subClassOf, SCHEMA.CreativeWork),
    (CKG.Event, RDFS.subClassOf, SCHEMA.Event),
    (CKG.validFrom, RDFS.subPropertyOf, SCHEMA.validFrom),
    (CKG.validUntil, RDFS.subPropertyOf, SCHEMA.validThrough),
    (CKG.kind, RDFS.subPropertyOf, DCTERMS.type),
    (CKG.signingDate, RDFS.subPropertyOf, DCTERMS.date),
    (CKG.entryIntoForceDate, RDFS.subPropertyOf, DCTERMS.date),
    (CKG.Event, RDFS.subClassOf, PROV.Activity),
    (CKG.Country, RDFS.subClassOf, PROV.Agent),
    (CKG.SourceDocument, RDFS.subClassOf, PROV.Entity),
    (CKG.LoadedFile, RDFS.subClassOf, PROV.Entity),
    (CKG.participant, RDFS.subPropertyOf, PROV.wasAssociatedWith),
    (CKG.outcome, RDFS.subPropertyOf, PROV.generated),
    (CKG.isoAlpha2, RDFS.subPropertyOf, SKOS.notation),
    (CKG.outcomeNote, RDFS.subPropertyOf, SKOS.note),
    (CKG.kind, RDFS.range, SKOS.Concept),
    (CKG.status, RDFS.range, SKOS.Concept),
])
def test_ontology_specialises_reused_vocabularies(ontology, term, relation, reused):
    assert (term, relation, reused) in ontology


@pytest.mark.parametrize("namespace", [ORG, SCHEMA, DCTERMS, PROV, TIME, SKOS],
                         ids=["org", "schema", "dct", "prov", "time", "skos"])
def test_ontology_references_each_reused_vocabulary(ontology, namespace):
    assert (ONTOLOGY_IRI, DCTERMS.references, rdflib.URIRef(str(namespace))) in ontology


def test_schema_org_is_always_https(ontology, shapes):
    for graph in (ontology, shapes):
        http = {str(t) for triple in graph for t in triple if str(t).startswith("http://schema.org")}
        assert not http, f"schema.org terms with http:// instead of https://: {sorted(http)}"


@pytest.fixture(scope="module")
def curated_graph(curated_store) -> rdflib.Graph:
    from graph.validation import store_as_graph

    return store_as_graph(curated_store)


@pytest.mark.parametrize("term", [
    ORG.Membership, ORG.member, ORG.organization, ORG.memberOf, ORG.memberDuring,
    ORG.subOrganizationOf, ORG.Post, ORG.postIn, ORG.holds,
    SCHEMA.Person, SCHEMA.startDate, SCHEMA.about, SCHEMA.url, SCHEMA.superEvent,
    DCTERMS.title, DCTERMS.identifier,
    PROV.wasDerivedFrom, PROV.generatedAtTime, PROV.wasAttributedTo,
    TIME.Interval, TIME.Instant, TIME.hasBeginning, TIME.inXSDDate,
    SKOS.prefLabel, SKOS.altLabel, SKOS.Concept, SKOS.inScheme,
], ids=lambda t: qname(t))
def test_curated_data_uses_reused_terms_directly(curated_graph, term):
    used = ((None, term, None) in curated_graph) or ((None, RDF.type, term) in curated_graph)
    assert used, f"{term} is not used in the curated data"


# -- the class hierarchy ---------------------------------------------------------------------------
@pytest.mark.parametrize(("kind", "cls"), list(AGREEMENT_CLASSES.items()))
def test_agreement_kind_classes_are_agreements(ontology, kind, cls):
    assert CKG.Agreement in superclasses(ontology, cls), f"{kind}: {cls} is not a ckg:Agreement"


@pytest.mark.parametrize(("kind", "cls"), list(EVENT_CLASSES.items()))
def test_event_kind_classes_are_events(ontology, kind, cls):
    assert CKG.Event in superclasses(ontology, cls), f"{kind}: {cls} is not a ckg:Event"


def test_specific_subclass_links(ontology):
    assert (CKG.Minutes, RDFS.subClassOf, CKG.Protocol) in ontology
    assert (CKG.Protocol, RDFS.subClassOf, CKG.Agreement) in ontology
    assert (CKG.CustomsAdministration, RDFS.subClassOf, CKG.Agency) in ontology
    assert (CKG.RegionalCustomsUnit, RDFS.subClassOf, CKG.CustomsAdministration) in ontology
    assert (CKG.EventSummary, RDFS.subClassOf, CKG.Event) in ontology
    for cls in (CKG.Ministry, CKG.GovernmentBody):
        assert CKG.Agency in superclasses(ontology, cls), cls
    for kind, cls in EVENT_CLASSES.items():
        if cls != CKG.Event:
            assert (cls, RDFS.subClassOf, CKG.Event) in ontology, kind


@pytest.mark.parametrize(("kind", "classes"), list(ORGANISATION_CLASSES.items()))
def test_organisation_classes_write_out_every_superclass(ontology, kind, classes):
    """The loaders type an organisation with all its ckg: classes, so shapes need no inference."""
    needed = {sup for cls in classes for sup in superclasses(ontology, cls)
              if str(sup).startswith(str(CKG))}
    assert needed <= set(classes), f"{kind}: missing {sorted(needed - set(classes))}"


def test_diagram_subclass_arrows_match_the_ontology(ontology):
    arrows = re.findall(r"^\s*(\w+) <\|-- (\w+)\s*$",
                        mermaid_diagram(CONTRACT.read_text(encoding="utf-8")), re.M)
    assert arrows
    for parent, child in arrows:
        assert (CKG[child], RDFS.subClassOf, CKG[parent]) in ontology, f"{child} <: {parent}"


# -- concept schemes -------------------------------------------------------------------------------
def concepts_of(ontology: rdflib.Graph, scheme: rdflib.URIRef) -> set[rdflib.term.Node]:
    return set(ontology.subjects(SKOS.inScheme, scheme))


@pytest.mark.parametrize("scheme", ["agreement-kinds", "event-kinds", "agreement-statuses",
                                    "topics"])
def test_concept_scheme_exists(ontology, scheme):
    iri = ID[f"scheme/{scheme}"]
    assert (iri, RDF.type, SKOS.ConceptScheme) in ontology
    assert ontology.value(iri, SKOS.prefLabel) is not None
    assert ontology.value(iri, SKOS.definition) is not None
    for concept in concepts_of(ontology, iri):
        assert (concept, RDF.type, SKOS.Concept) in ontology, concept
        assert ontology.value(concept, SKOS.prefLabel) is not None, concept
        assert ((concept, SKOS.topConceptOf, iri) in ontology
                or ontology.value(concept, SKOS.broader) is not None), concept


def test_agreement_kinds_scheme_matches_the_vocab(ontology):
    scheme = ID["scheme/agreement-kinds"]
    assert concepts_of(ontology, scheme) == {ID[f"kind/agreement/{k}"] for k in AGREEMENT_CLASSES}
    for kind, cls in AGREEMENT_CLASSES.items():
        concept = ID[f"kind/agreement/{kind}"]
        assert str(ontology.value(concept, SKOS.notation)) == kind
        assert ontology.value(concept, CKG.agreementClass) == cls, kind
    assert (ID["kind/agreement/minutes"], SKOS.broader, ID["kind/agreement/protocol"]) in ontology


def test_event_kinds_scheme_has_cameo_codes(ontology):
    scheme = ID["scheme/event-kinds"]
    assert concepts_of(ontology, scheme) == {ID[f"kind/event/{k}"] for k in EVENT_CLASSES}
    assert set(CAMEO_DEFAULTS) == set(EVENT_CLASSES)
    for kind, cls in EVENT_CLASSES.items():
        concept = ID[f"kind/event/{kind}"]
        assert str(ontology.value(concept, SKOS.notation)) == kind
        assert ontology.value(concept, CKG.eventClass) == cls, kind
        codes = [str(c) for c in ontology.objects(concept, CKG.cameoCode)]
        assert codes == [CAMEO_DEFAULTS[kind]], f"{kind}: CAMEO {codes}"
        assert re.fullmatch(r"[0-9]{2,4}", codes[0])


def test_agreement_statuses_scheme_matches_the_vocab(ontology):
    scheme = ID["scheme/agreement-statuses"]
    assert concepts_of(ontology, scheme) == {ID[f"status/{s}"] for s in AGREEMENT_STATUSES}
    for status in AGREEMENT_STATUSES:
        assert str(ontology.value(ID[f"status/{status}"], SKOS.notation)) == status


def test_curated_kinds_are_concepts_of_the_schemes(ontology, curated_graph):
    """Every ckg:kind the loaders wrote is a concept of the right scheme, and its subject has
    the class that kind maps to."""
    kinds = list(curated_graph.subject_objects(CKG.kind))
    assert kinds
    for subject, kind in kinds:
        cls = ontology.value(kind, CKG.agreementClass) or ontology.value(kind, CKG.eventClass)
        assert cls is not None, f"{subject}: ckg:kind {kind} is not a kind concept"
        assert (subject, RDF.type, cls) in curated_graph, f"{subject} is not a {cls}"
    for subject, status in curated_graph.subject_objects(CKG.status):
        assert (status, SKOS.inScheme, ID["scheme/agreement-statuses"]) in ontology, subject


# -- the shapes ------------------------------------------------------------------------------------
def node_shapes(shapes: rdflib.Graph) -> set[rdflib.term.Node]:
    return set(shapes.subjects(RDF.type, SH.NodeShape))


def test_shapes_parse(shapes):
    assert len(shapes) > 50
    named = {s for s in node_shapes(shapes) if isinstance(s, rdflib.URIRef)}
    for shape in ("Agreement", "Event", "EventDate", "Agency", "DateValues", "ValidityOrder"):
        assert rdflib.URIRef(f"https://w3id.org/customs-kg/shapes#{shape}") in named, shape


def test_shape_targets_include_every_subclass(ontology, shapes):
    """Data typed with a subclass only (hand-written RDF) is still checked: no inference runs."""
    for shape in node_shapes(shapes):
        targets = set(shapes.objects(shape, SH.targetClass))
        for target in targets:
            missing = {sub for sub in subclasses(ontology, target) if sub not in targets}
            assert not missing, f"{shape} targets {target} but not its subclasses {missing}"


def test_every_targeted_constraint_has_a_message(shapes):
    targeting = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
    for shape in node_shapes(shapes):
        if not any(shapes.value(shape, t) is not None for t in targeting):
            continue  # a building block, used inside a constraint that has the message
        if shapes.value(shape, SH.message) is None:
            for prop in shapes.objects(shape, SH.property):
                path = shapes.value(prop, SH.path)
                assert shapes.value(prop, SH.message) is not None, f"{shape} {path}: no message"
        for sparql in shapes.objects(shape, SH.sparql):
            assert shapes.value(sparql, SH.message) is not None, shape


def test_only_the_event_date_is_a_warning(shapes):
    severities = dict(shapes.subject_objects(SH.severity))
    assert severities == {rdflib.URIRef("https://w3id.org/customs-kg/shapes#EventDate"): SH.Warning}


# -- validation ------------------------------------------------------------------------------------
SMALL_VALIDATION = textwrap.dedent("""
    import rdflib
    from ontology.validation import validate_graph
    graph = rdflib.Graph().parse(data='''
        @prefix ckg: <https://w3id.org/customs-kg/ontology#> .
        @prefix dct: <http://purl.org/dc/terms/> .
        <https://w3id.org/customs-kg/id/agreement/a> a ckg:Agreement ; dct:title "A" ;
            ckg:kind <https://w3id.org/customs-kg/id/kind/agreement/other> ;
            ckg:party <https://w3id.org/customs-kg/id/country/RU> .
    ''', format="turtle")
    conforms, _, text = validate_graph(graph)
    assert conforms, text
""")


@pytest.fixture(scope="session")
def validation_speed() -> str | None:
    """None if validating a one-agreement graph takes seconds, else what went wrong.

    Run in a child process with a time limit, so that a validation which takes many minutes
    (pySHACL deep-copying the ontology's concept schemes into the data graph) fails the tests
    that need it quickly instead of stalling the suite.
    """
    try:
        done = subprocess.run([sys.executable, "-c", SMALL_VALIDATION], cwd=ROOT,
                              capture_output=True, text=True, timeout=SECONDS_FOR_A_SMALL_GRAPH)
    except subprocess.TimeoutExpired:
        return (f"validate_graph on a one-agreement graph took more than "
                f"{SECONDS_FOR_A_SMALL_GRAPH} s")
    if done.returncode != 0:
        return f"validate_graph on a one-agreement graph failed:\n{done.stderr}"
    return None


@pytest.fixture(scope="session")
def validation_usable(validation_speed) -> None:
    if validation_speed is not None:
        pytest.fail(f"SHACL validation is unusable: {validation_speed}", pytrace=False)


def test_validating_a_small_graph_takes_seconds(validation_speed):
    assert validation_speed is None, validation_speed


def validate_files(*paths: Path) -> ValidationReport:
    store = OxigraphStore(None)
    try:
        load_paths(store, paths, with_reference=False)
        return validate_store(store)
    finally:
        store.close()


@pytest.fixture(scope="module")
def fixtures_report(validation_usable) -> ValidationReport:
    """good.ttl and every bad file in one store, validated once."""
    return validate_files(*sorted(SHACL_DATA.glob("*.ttl")))


@pytest.fixture(scope="module")
def warning_report(validation_usable) -> ValidationReport:
    return validate_files(GOOD, SHACL_DATA / "event-without-date.ttl")


@pytest.fixture(scope="module")
def curated_report(validation_usable, curated_store) -> ValidationReport:
    return validate_store(curated_store)


def results_for(report: ValidationReport, focus: str) -> list[Violation]:
    return [v for v in report.violations if v.focus == str(ID[focus])]


# file, focus node, result path (None: the node itself), severity, words the message must have
RULES = [
    ("agreement-without-title.ttl", "agreement/test-no-title", DCTERMS.title, "Violation",
     ["no title", "dct:title"]),
    ("agreement-without-kind.ttl", "agreement/test-no-kind", CKG.kind, "Violation",
     ["no kind", "ckg:kind"]),
    ("agreement-without-party.ttl", "agreement/test-no-party", CKG.party, "Violation",
     ["no party", "ckg:party"]),
    ("date-invalid.ttl", "agreement/test-invalid-date", CKG.signingDate, "Violation",
     ["ckg:signingDate", "not a valid", "xsd:date"]),
    ("date-plain-string.ttl", "event/test-plain-string-date", SCHEMA.startDate, "Violation",
     ["schema:startDate", "not a valid", "xsd:date"]),
    ("validity-end-before-start.ttl", "agreement/test-validity-reversed", None, "Violation",
     ["ckg:validUntil", "before", "ckg:validFrom", "2019-12-31", "2020-03-01"]),
    ("validity-end-before-start-mixed-precision.ttl", "agreement/test-validity-reversed-mixed",
     None, "Violation", ["ckg:validUntil", "before", "ckg:validFrom", "2019-06-30", "2020"]),
    ("validity-end-before-start-mixed-precision.ttl",
     "agreement/test-validity-reversed-month-year", None, "Violation",
     ["ckg:validUntil", "before", "ckg:validFrom", "2018-12", "2019"]),
    ("event-without-participant.ttl", "event/test-no-participant", CKG.participant, "Violation",
     ["no participant", "ckg:participant"]),
    ("event-without-date.ttl", "event/test-no-date", None, "Warning",
     ["no date", "schema:startDate", "ckg:dateText"]),
    ("agency-without-country-or-parent.ttl", "agency/test-orphan-agency", None, "Violation",
     ["neither", "ckg:country", "org:subOrganizationOf"]),
    ("evidence-confidence-out-of-range.ttl", "derivation/test-bad-confidence", CKG.confidence,
     "Violation", ["ckg:confidence", "from 0 to 1"]),
]


def test_every_fixture_file_is_covered():
    files = {path.name for path in SHACL_DATA.glob("*.ttl")}
    assert files == {rule[0] for rule in RULES} | {GOOD.name}


@pytest.mark.parametrize(("file", "focus", "path", "severity", "words"), RULES,
                         ids=[rule[1].split("/", 1)[1] for rule in RULES])
def test_bad_data_gives_one_result_naming_the_problem(fixtures_report, file, focus, path,
                                                      severity, words):
    subjects = set(rdflib.Graph().parse(SHACL_DATA / file, format="turtle").subjects())
    assert ID[focus] in subjects, f"{focus} is not in {file}"
    results = results_for(fixtures_report, focus)
    assert len(results) == 1, f"{file}: expected one result on {focus}, got {results}"
    result = results[0]
    assert result.severity == severity, result
    if path is not None:
        assert result.path == str(path), result
    missing = [word for word in words if word not in result.message]
    assert not missing, f"{file}: message {result.message!r} does not name {missing}"
    assert [Path(f).name for f in result.files] == [file], result


def test_bad_data_does_not_conform(fixtures_report):
    assert not fixtures_report.conforms
    lines = fixtures_report.text().splitlines()
    for file, focus, _path, severity, _words in RULES:
        [result] = results_for(fixtures_report, focus)
        line = next((line for line in lines if focus in line and result.message in line), None)
        assert line is not None, f"no line of the report names {focus} and {result.message!r}"
        assert severity in line, line
        assert file in line, f"the report line does not name the file stating {focus}: {line}"


def test_good_data_gives_no_results(fixtures_report):
    good = {str(s) for s in rdflib.Graph().parse(GOOD, format="turtle").subjects()}
    assert good
    on_good = [v for v in fixtures_report.violations if v.focus in good]
    assert not on_good, on_good


def test_event_without_a_date_is_a_warning_only(warning_report):
    assert warning_report.conforms, warning_report.text()
    assert [(v.focus, v.severity) for v in warning_report.violations] == [
        (str(ID["event/test-no-date"]), "Warning")]


def test_curated_and_reference_data_conform(curated_store, curated_report):
    paths = {source.path for source in loaded_sources(curated_store)}
    assert {"reference:countries", "reference:unions", "reference:agencies"} <= paths
    assert curated_report.conforms, curated_report.text()
    violations = [v for v in curated_report.violations if v.severity != "Warning"]
    assert not violations, violations
    assert curated_report.text().startswith("valid")


# -- the CLI ---------------------------------------------------------------------------------------
def test_cli_validate_reports_bad_rdf_and_exits_1(validation_usable, runner, tmp_path):
    store = tmp_path / "kg"
    bad = SHACL_DATA / "agreement-without-party.ttl"
    loaded = runner.invoke(cli, ["--store", str(store), "load", str(bad)])
    assert loaded.exit_code == 0, loaded.output  # loading RDF does not validate it
    result = runner.invoke(cli, ["--store", str(store), "validate"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not result.output.startswith("valid"), result.output
    problems = [line for line in result.output.splitlines() if "Violation" in line]
    assert len(problems) == 1, result.output
    line = problems[0]
    assert "agreement/test-no-party" in line, line  # the focus node
    assert "agreement has no party (ckg:party)" in line, line  # the message
    assert bad.name in line, line  # the file that states the focus node


def test_cli_validate_ill_typed_date_prints_the_report_only(validation_usable, runner, tmp_path):
    """Run as a user runs it (a child process, no pytest log capture): an ill-typed date is a
    violation in the report, not a logged traceback on stderr."""
    store = tmp_path / "kg"
    bad = SHACL_DATA / "date-invalid.ttl"
    loaded = runner.invoke(cli, ["--store", str(store), "load", str(bad)])
    assert loaded.exit_code == 0, loaded.output
    done = subprocess.run([sys.executable, "-m", "cli", "--store", str(store), "validate"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    problems = [line for line in done.stdout.splitlines() if "Violation" in line]
    assert len(problems) == 1, done.stdout
    assert "agreement/test-invalid-date" in problems[0], problems
    assert "ckg:signingDate is not a valid xsd:date" in problems[0], problems
    assert "Traceback" not in done.stderr, f"validate wrote a traceback to stderr:\n{done.stderr}"
    assert "Failed to convert" not in done.stderr, done.stderr


def test_cli_validate_curated_data_exits_0(validation_usable, runner, curated_store_dir,
                                           tmp_path):
    store = tmp_path / "kg"
    shutil.copytree(curated_store_dir, store)
    result = runner.invoke(cli, ["--store", str(store), "validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("valid: the graph conforms"), result.output
