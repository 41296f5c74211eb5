"""Validation at scale: the shapes run as SPARQL queries in the store (``validate_store``) find
exactly what pySHACL finds over a copy of the whole store in rdflib (``validate_with_pyshacl``,
the reference), on the curated seeds with the reference data, the SHACL fixture files, and a
deliberately bad pair of files whose problems only show across graphs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from curated import SEEDS

from graph.queries.shape_checks import shape_checks
from graph.store import OxigraphStore
from graph.validation import ValidationReport, validate_store, validate_with_pyshacl
from loaders.load import load_paths

SHACL_DATA = Path(__file__).resolve().parent / "data" / "shacl"
PREFIXES = """
@prefix ckg: <https://w3id.org/customs-kg/ontology#> .
@prefix agreement: <https://w3id.org/customs-kg/id/agreement/> .
@prefix event: <https://w3id.org/customs-kg/id/event/> .
@prefix agency: <https://w3id.org/customs-kg/id/agency/> .
@prefix country: <https://w3id.org/customs-kg/id/country/> .
@prefix membership: <https://w3id.org/customs-kg/id/membership/> .
@prefix source: <https://w3id.org/customs-kg/id/source/> .
@prefix derivation: <https://w3id.org/customs-kg/id/derivation/> .
@prefix kind-agreement: <https://w3id.org/customs-kg/id/kind/agreement/> .
@prefix kind-event: <https://w3id.org/customs-kg/id/kind/event/> .
@prefix status: <https://w3id.org/customs-kg/id/status/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
# One file breaks a rule of every kind the shapes have; with the second, an agreement is typed
# in one file and titled twice across both (a title missing in one, one too many in the union).
BAD = PREFIXES + """
agreement:x-split a ckg:Agreement ; dct:title "Split" ; ckg:party country:RU ;
    ckg:kind kind-agreement:protocol ; ckg:status status:not-a-status ;
    ckg:validFrom "2020-02-30"^^xsd:date ; ckg:validUntil "2019"^^xsd:gYear .
agreement:x-kinds a ckg:MutualAssistanceAgreement ; dct:title "Kinds" ;
    ckg:kind kind-agreement:protocol, kind-event:talks ; ckg:partiesUnlisted "yes" ;
    ckg:party "Russia" ; ckg:signingDate "2019-1-5" .
event:x-bad a ckg:Talks, ckg:Event ; ckg:kind kind-event:talks ;
    ckg:participant country:RU ; ckg:cameoCode "4a", "12345" ;
    ckg:eventCount 0, "x"^^xsd:integer ; ckg:planned "maybe"^^xsd:boolean ;
    schema:startDate "2019-05-03"^^xsd:date ; schema:endDate "2019-05-01"^^xsd:date ;
    ckg:outcome "a plan" .
event:x-undated a ckg:Event ; ckg:kind kind-event:meeting ; ckg:participant country:VN .
agency:x-two-countries a ckg:CustomsAdministration ; ckg:country country:RU, "VN" ;
    ckg:unresolved "perhaps" .
country:XX a ckg:Country ; ckg:isoAlpha2 "xx", "XY" ; ckg:isoAlpha3 "XX1" ;
    ckg:isoNumeric 12 .
membership:x a org:Membership ; org:member country:RU, country:VN .
source:x a ckg:SourceDocument ; ckg:reliability "very high" ; ckg:retrievedOn "yesterday" ;
    dct:issued "2019-13"^^xsd:gYearMonth .
derivation:x ckg:confidence "1.5"^^xsd:decimal, "0.5"^^xsd:float ; ckg:spanStart -1 ;
    ckg:spanEnd "3"^^xsd:decimal .
"""
OTHER = PREFIXES + """
agreement:x-split dct:title "Split, again" ; ckg:validUntil "2021-06"^^xsd:gYearMonth .
agreement:x-titled-here dct:title "Only a title here" .
"""


def results(report: ValidationReport) -> Counter:
    return Counter((v.focus, v.path, v.message, v.severity, tuple(v.files))
                   for v in report.violations)


def both(paths: list[Path], with_reference: bool) -> tuple[ValidationReport, ValidationReport]:
    store = OxigraphStore(None)
    try:
        load_paths(store, paths, with_reference=with_reference)
        return validate_store(store), validate_with_pyshacl(store)
    finally:
        store.close()


def test_every_shape_compiles():
    checks = shape_checks()
    assert {c.component for c in checks} >= {"MinCountConstraintComponent",
                                              "DatatypeConstraintComponent",
                                              "SPARQLConstraint", "OrConstraintComponent"}


def test_seeds_and_fixture_files_give_what_pyshacl_gives():
    paths = [*SEEDS, *sorted(SHACL_DATA.glob("*.ttl"))]
    fast, reference = both(paths, with_reference=True)
    assert results(fast) == results(reference)
    assert fast.conforms == reference.conforms is False
    assert len(fast.violations) >= 12


def test_curated_seeds_alone_conform_as_with_pyshacl():
    fast, reference = both(list(SEEDS), with_reference=True)
    assert fast.conforms and reference.conforms
    assert results(fast) == results(reference)


@pytest.fixture
def bad_files(tmp_path: Path) -> list[Path]:
    bad, other = tmp_path / "bad.ttl", tmp_path / "other.ttl"
    bad.write_text(BAD, encoding="utf-8")
    other.write_text(OTHER, encoding="utf-8")
    return [bad, other]


def test_a_bad_file_and_problems_across_graphs_give_what_pyshacl_gives(bad_files):
    fast, reference = both([*SEEDS, *bad_files], with_reference=True)
    assert results(fast) == results(reference)
    assert not fast.conforms
    focus = {v.focus.rsplit("/", 1)[-1] for v in fast.violations}
    assert {"x-split", "x-kinds", "x-bad", "x-undated", "x-two-countries", "XX", "x"} <= focus
    titles = [v for v in fast.violations if "more than one title" in v.message]
    assert [sorted(Path(f).name for f in v.files) for v in titles] == [["bad.ttl", "other.ttl"]]
