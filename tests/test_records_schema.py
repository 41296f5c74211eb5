"""The JSON Schema of the records format: valid itself, accepts the curated data and the gold
files of the development corpus, and rejects typical mistakes at the right place."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from needs import CORPUS, corpus_files

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_PATH = ROOT / "loaders" / "records.schema.json"
DATA = ROOT / "data"

DATA_FILES = sorted(DATA.glob("*.yaml"))
GOLD_FILES = sorted((CORPUS / "gold").glob("*.yaml"))


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema) -> Draft202012Validator:
    return Draft202012Validator(schema)


def _errors(validator: Draft202012Validator, document: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
            for e in validator.iter_errors(document)]


def test_schema_is_a_valid_draft_2020_12_schema(schema):
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://w3id.org/customs-kg/records.schema.json"


def test_every_property_has_a_title_and_a_description(schema):
    missing = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, sub in node.get("properties", {}).items():
                if not (sub.get("title") and sub.get("description")):
                    missing.append(f"{where}/{key}")
            for key, sub in node.items():
                walk(sub, f"{where}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}/{i}")

    walk(schema, "#")
    assert not missing


def test_the_curated_data_is_there():
    names = {p.name for p in DATA_FILES}
    assert {"established-facts.yaml", "seed-000-siberian-customs-2019.yaml",
            "seed-003-vietnam-russia-talks.yaml"} <= names


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_curated_data_validates(validator, path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert _errors(validator, document) == []


def test_the_gold_files_are_there(corpus):
    assert len(GOLD_FILES) >= 10, f"fewer than ten gold files under {corpus / 'gold'}"


@pytest.mark.usefixtures("corpus")
@pytest.mark.parametrize("path", corpus_files("gold"))
def test_gold_files_validate(validator, path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert _errors(validator, document) == []


def test_documented_example_shapes_validate(validator):
    """Forms docs/records.md allows: unquoted YAML dates, plain-string sources, members by code,
    agency people shorthand, country objects, intervals, summaries."""
    document = yaml.safe_load("""
source: seed document 003
countries: [VN, {code: VN, aliases: [Viet Nam]}]
unions:
  - {id: eaeu, name: Eurasian Economic Union, kind: union,
     members: [RU, {member: AM, since: 2015-01-02, until: null}]}
agencies:
  - id: fcs-russia
    name: Federal Customs Service of Russia
    country: RU
    parent: null
    kind: customs
    people: [{name: Vladimir Bulavin, post: Head, since: 2016-07}]
memberships:
  - {member: AM, organisation: EAEU, since: 2015-01-02, until: null}
people:
  - {name: Nguyen Van Can, posts: [{title: Director General, organisation: GDVC}]}
agreements:
  - {id: vn-eaeu-fta, signed: 2015-05-29, in_force: 2016-10-05, place: Burabay,
     status: in-force, source: {id: x, published: unknown, reliability: high}}
  - {title: Some plan, valid_from: 2019, valid_to: "2023", place: {name: Burabay, country: KZ}}
events:
  - {id: summary-1, kind: meeting, date: "2019-06-27/2019-06-29", aggregate: true, count: 5}
  - {kind: data-exchange, date: 2019-10-05, planned: true, part_of: summary-1, cameo: "064"}
""")
    assert isinstance(document["agreements"][0]["signed"], dt.date)  # YAML read a date
    assert _errors(validator, document) == []


@pytest.mark.parametrize(("document", "path", "validator_name"), [
    pytest.param({"agreements": [{"title": "A", "kind": "treaty"}]},
                 ["agreements", 0, "kind"], "enum", id="bad-agreement-kind"),
    pytest.param({"events": [{"kind": "meeting"}, {"kind": "party"}]},
                 ["events", 1, "kind"], "enum", id="bad-event-kind"),
    pytest.param({"agencies": [{"name": "X", "kind": "police"}]},
                 ["agencies", 0, "kind"], "enum", id="bad-agency-kind"),
    pytest.param({"agreements": [{"title": "A", "status": "ratified"}]},
                 ["agreements", 0, "status"], "enum", id="bad-status"),
    pytest.param({"source": {"title": "T", "reliability": "very high"}},
                 ["source", "reliability"], "enum", id="bad-reliability"),
    pytest.param({"agreements": [{"title": "A", "signed": "2019-9-9"}]},
                 ["agreements", 0, "signed"], "pattern", id="bad-date-pattern"),
    pytest.param({"agreements": [{"title": "A", "signed": "2019-06-27/2019-06-29"}]},
                 ["agreements", 0, "signed"], "pattern", id="interval-on-agreement"),
    pytest.param({"events": [{"date": "2019-06-27/"}]},
                 ["events", 0, "date"], "pattern", id="half-interval"),
    pytest.param({"agreements": [{"title": "A", "sigend": "2019"}]},
                 ["agreements", 0], "additionalProperties", id="unknown-agreement-key"),
    pytest.param({"agreement": []}, [], "additionalProperties", id="unknown-section"),
    pytest.param({"agreements": [{"kind": "other"}]},
                 ["agreements", 0], "anyOf", id="agreement-without-title-or-id"),
    pytest.param({"agreements": [{"title": "A", "parties": ["VN", 7]}]},
                 ["agreements", 0, "parties", 1], "type", id="reference-not-a-string"),
    pytest.param({"events": [{"count": 0}]}, ["events", 0, "count"], "minimum",
                 id="count-below-one"),
    pytest.param({"events": [{"cameo": 46}]}, ["events", 0, "cameo"], "type",
                 id="unquoted-cameo"),
    pytest.param({"events": [{"part_of": "the big summary"}]}, ["events", 0, "part_of"],
                 "pattern", id="part-of-not-an-id"),
])
def test_invalid_documents_are_rejected_at_the_right_place(validator, document, path,
                                                           validator_name):
    errors = list(validator.iter_errors(document))
    assert errors, "the document should be rejected"
    located = [e for e in errors if list(e.absolute_path) == path]
    assert located, [list(e.absolute_path) for e in errors]
    kinds = {e.validator for e in located} | {c.validator for e in located for c in e.context}
    assert validator_name in kinds
