"""Reviewing extracted claims: the claims least certain first with their sentences, decisions
(accept, reject, correct) written to a reviewed records file and loaded, rejected claims gone
from the answers but kept in their source's graph, decisions that survive reloading the
source, and a reviewed file that loads in a fresh store and conforms to the shapes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from curated import ID, KZ, MN
from needs import require_corpus
from pyoxigraph import NamedNode

from graph.errors import CustomsKGError, RecordError
from graph.presentation import review_text
from graph.queries.catalog import conflicts
from graph.queries.relations import links_between, timeline
from graph.queries.review import (
    UnknownClaim,
    claim_id,
    rejected_claims,
    review_claims,
)
from graph.store import OxigraphStore
from graph.store.loaded import loaded_sources
from graph.validation import validate_store
from loaders.load import load_paths
from loaders.review import (
    ClaimDecision,
    ReviewError,
    decisions_from_file,
    record_decisions,
    review_interactively,
)

EXTRACTOR = "customs-kg-extract 0.2.0"
WIRE = f"""\
source: {{id: wire-001, title: Customs wire, published: "2019-05-20"}}
agencies:
  - name: Mongolian Customs Risk Unit
    country: MN
    evidence: {{source: wire-001, extractor: {EXTRACTOR}, confidence: 0.7}}
agreements:
  - title: Memorandum on risk profiles
    kind: memorandum
    parties: [Mongolian Customs Risk Unit, KZ]
    signed: "2019-05"
    status: signed
    evidence:
      source: wire-001
      sentence: The Mongolian Customs Risk Unit and Kazakhstan signed a memorandum in May.
      span: [0, 74]
      extractor: {EXTRACTOR}
      confidence: 0.55
events:
  - kind: meeting
    date: "2019-05-14"
    participants: [MN, KZ]
    place: Ulaanbaatar
    evidence:
      source: wire-001
      sentence: Mongolia and Kazakhstan met on 14 May.
      span: [75, 113]
      extractor: {EXTRACTOR}
      confidence: 0.3
  - kind: visit
    date: "2019-05-02"
    participants: [MN, KZ]
    evidence:
      source: wire-001
      sentence: A delegation visited on 2 May.
      extractor: {EXTRACTOR}
"""
MEMO = ID + "agreement/memorandum-on-risk-profiles"
WHEN = "2026-12-03T09:30:00+00:00"


@pytest.fixture(scope="module")
def reference_store(tmp_path_factory) -> Path:
    """A store on disk holding the reference data only, copied for each test (loading the
    reference data is most of a small load's time)."""
    path = tmp_path_factory.mktemp("reference") / "kg"
    store = OxigraphStore(path, writable=True)
    try:
        load_paths(store, [])
    finally:
        store.close()
    return path


@pytest.fixture
def store(tmp_path, reference_store):
    shutil.copytree(reference_store, tmp_path / "kg")
    store = OxigraphStore(tmp_path / "kg", writable=True)
    yield store
    store.close()


@pytest.fixture
def wire(tmp_path) -> Path:
    path = tmp_path / "wire.yaml"
    path.write_text(WIRE, encoding="utf-8")
    return path


@pytest.fixture
def loaded(store, wire):
    load_paths(store, [wire])
    return store


def by_kind(claims) -> dict:
    return {c.kind: c for c in claims}


def labels(answers) -> list[str]:
    return [a["label"] for a in answers]


def graph_of(store, path: Path) -> str:
    return next(s.graph for s in loaded_sources(store) if s.path == str(path.resolve()))


def states(store, graph: str, item: str) -> bool:
    return store.ask("ASK { GRAPH ?g { ?item ?p ?o } }",
                     {"g": NamedNode(graph), "item": NamedNode(item)})


# -- listing ----------------------------------------------------------------------------------
def test_claims_least_certain_first_with_their_sentence(loaded):
    claims = review_claims(loaded)
    assert [c.kind for c in claims] == ["visit", "meeting", "memorandum"]
    assert [c.confidence for c in claims] == [None, 0.3, 0.55]  # no confidence counts as 0
    memo = claims[-1]
    assert memo.item.startswith(MEMO)
    assert memo.id == claim_id(memo.item, ID + "source/wire-001") and len(memo.id) == 8
    assert memo.sentence.startswith("The Mongolian Customs Risk Unit")
    assert memo.span == [0, 74] and memo.extractor == EXTRACTOR
    assert memo.dates == {"signed": "2019-05"}
    # the risk unit only this extracted file knows: its own entity, marked unresolved
    assert [p["label"] for p in memo.roles["parties"]] == [
        "Kazakhstan (KZ)", "Mongolian Customs Risk Unit (unresolved)"]
    text = review_text(claims, "table")
    assert text.index(claims[0].id) < text.index(claims[1].id) < text.index(memo.id)
    assert '"Mongolia and Kazakhstan met on 14 May." (wire-001:75-113)' in text
    assert text.endswith("3 claims\n")


def test_curated_records_are_no_claims(store, tmp_path):
    path = tmp_path / "curated.yaml"
    path.write_text(WIRE.replace(f"extractor: {EXTRACTOR}, ", "")
                    .replace(f"      extractor: {EXTRACTOR}\n", ""), encoding="utf-8")
    load_paths(store, [path])
    assert review_claims(store) == []
    assert review_text([], "table") == "nothing to review\n"


# -- reject -----------------------------------------------------------------------------------
def test_a_rejected_claim_leaves_the_answers_but_stays_in_its_graph(loaded, wire, tmp_path):
    meeting = by_kind(review_claims(loaded))["meeting"]
    assert "Meeting: Mongolia – Kazakhstan (2019-05-14)" in labels(
        links_between(loaded, NamedNode(MN), NamedNode(KZ)))
    reviewed = tmp_path / "reviewed.yaml"
    result = record_decisions(loaded, reviewed, [ClaimDecision(meeting.id, "reject",
                                                               note="no such meeting")],
                              reviewer="jdoe", when=WHEN)
    assert result.total == 1 and result.loads[-1].status == "loaded"
    graph = graph_of(loaded, wire)
    assert rejected_claims(loaded) == {(meeting.item, graph)}
    for answers in (links_between(loaded, NamedNode(MN), NamedNode(KZ)),
                    timeline(loaded, [NamedNode(MN)])):
        assert meeting.item not in [a["iri"] for a in answers]
        assert MEMO in " ".join(a["iri"] for a in answers)
    assert states(loaded, graph, meeting.item)
    # the audit trail: who, when, what
    entry = yaml.safe_load(reviewed.read_text())["reviews"][0]
    assert entry == {"claim": meeting.id, "item": meeting.item[len(ID):], "source": "wire-001",
                     "decision": "reject", "reviewer": "jdoe", "at": WHEN,
                     "note": "no such meeting"}
    assert review_claims(loaded) and meeting.id not in [c.id for c in review_claims(loaded)]
    decided = {c.id: c for c in review_claims(loaded, include_decided=True)}
    assert decided[meeting.id].decision.decision == "reject"
    assert decided[meeting.id].decision.reviewer == "jdoe"


def test_a_rejection_survives_reloading_the_source(loaded, wire, tmp_path):
    meeting = by_kind(review_claims(loaded))["meeting"]
    record_decisions(loaded, tmp_path / "reviewed.yaml", [ClaimDecision(meeting.id, "reject")],
                     reviewer="jdoe", when=WHEN)
    before = graph_of(loaded, wire)
    assert load_paths(loaded, [wire])[-1].status == "unchanged"
    wire.write_text(WIRE.replace("status: signed", "status: signed\n    notes: re-read"),
                    encoding="utf-8")
    assert load_paths(loaded, [wire])[-1].status == "replaced"
    after = graph_of(loaded, wire)
    assert after != before
    assert rejected_claims(loaded) == {(meeting.item, after)}
    assert meeting.item not in [a["iri"] for a in timeline(loaded, [NamedNode(MN)])]
    assert meeting.id in [c.id for c in review_claims(loaded, include_decided=True)]


# -- accept -----------------------------------------------------------------------------------
def test_an_accepted_claim_is_curated(loaded, tmp_path):
    memo = by_kind(review_claims(loaded))["memorandum"]

    def certainty() -> dict:
        answers = links_between(loaded, NamedNode(MN), NamedNode(KZ))
        return next(a for a in answers if a["iri"] == memo.item)["certainty"]

    assert certainty()["basis"] == "extracted"
    record_decisions(loaded, tmp_path / "reviewed.yaml", [ClaimDecision(memo.id, "accept")],
                     reviewer="jdoe", when=WHEN)
    assert certainty()["basis"] == "curated"
    assert rejected_claims(loaded) == set()


# -- correct ----------------------------------------------------------------------------------
def test_a_correction_shows_the_corrected_value_only(loaded, tmp_path):
    memo = by_kind(review_claims(loaded))["memorandum"]
    reviewed = tmp_path / "reviewed.yaml"
    record_decisions(loaded, reviewed, [ClaimDecision(memo.id, "correct", {"signed": "2019-06"},
                                                      "signed in June")],
                     reviewer="jdoe", when=WHEN)
    answer = next(a for a in links_between(loaded, NamedNode(MN), NamedNode(KZ))
                  if a["iri"] == memo.item)
    assert answer["signed"] == "2019-06" and answer["date"] == "2019-06"
    assert answer["conflicts"] == []
    assert [Path(s["file"]).name for s in answer["sources"]] == ["reviewed.yaml"]
    assert answer["certainty"]["basis"] == "curated"
    assert answer["label"] == "Memorandum on risk profiles"
    assert [p["label"] for p in answer["parties"]] == ["Kazakhstan (KZ)",
                                                      "Mongolian Customs Risk Unit"]
    document = yaml.safe_load(reviewed.read_text())
    assert document["reviews"][0]["changes"] == {"signed": {"from": "2019-05", "to": "2019-06"}}
    restated = document["agreements"][0]
    assert restated["id"] == memo.item.rsplit("/", 1)[-1] and restated["signed"] == "2019-06"
    # the agency only the extracted source knew is restated, so the file stands alone
    assert [a["name"] for a in document["agencies"]] == ["Mongolian Customs Risk Unit"]
    assert document["agencies"][0]["country"] == "MN"


def test_a_correction_needs_a_change_and_known_fields(loaded, tmp_path):
    memo = by_kind(review_claims(loaded))["memorandum"]
    reviewed = tmp_path / "reviewed.yaml"
    with pytest.raises(ReviewError, match=f"claim {memo.id}: a correction needs"):
        record_decisions(loaded, reviewed, [ClaimDecision(memo.id, "correct")])
    with pytest.raises(ReviewError, match="has no field 'date'"):
        record_decisions(loaded, reviewed, [ClaimDecision(memo.id, "correct", {"date": "2019"})])
    assert not reviewed.exists()


def test_a_failed_load_leaves_the_reviewed_file_as_it_was(loaded, tmp_path):
    claims = by_kind(review_claims(loaded))
    reviewed = tmp_path / "reviewed.yaml"
    record_decisions(loaded, reviewed, [ClaimDecision(claims["visit"].id, "reject")],
                     reviewer="jdoe", when=WHEN)
    before = reviewed.read_text()
    with pytest.raises(RecordError, match="parties"):
        record_decisions(loaded, reviewed, [ClaimDecision(
            claims["memorandum"].id, "correct", {"parties": ["Nowhere Customs Board", "KZ"]})])
    assert reviewed.read_text() == before
    assert len(rejected_claims(loaded)) == 1


# -- the reviewed file ------------------------------------------------------------------------
def test_a_later_decision_replaces_the_earlier(loaded, tmp_path):
    meeting = by_kind(review_claims(loaded))["meeting"]
    reviewed = tmp_path / "reviewed.yaml"
    record_decisions(loaded, reviewed, [ClaimDecision(meeting.id, "reject")], "jdoe", WHEN)
    result = record_decisions(loaded, reviewed, [ClaimDecision(meeting.id, "accept")], "ann",
                              "2026-12-03T10:00:00+00:00")
    assert result.replaced == [meeting.id] and result.total == 1
    assert [(r["decision"], r["reviewer"]) for r in
            yaml.safe_load(reviewed.read_text())["reviews"]] == [("accept", "ann")]
    assert rejected_claims(loaded) == set()
    assert meeting.item in [a["iri"] for a in timeline(loaded, [NamedNode(MN)])]


def test_the_reviewed_file_loads_in_a_fresh_store(loaded, wire, tmp_path):
    claims = by_kind(review_claims(loaded))
    reviewed = tmp_path / "reviewed.yaml"
    record_decisions(loaded, reviewed, [
        ClaimDecision(claims["meeting"].id, "reject"),
        ClaimDecision(claims["visit"].id, "accept"),
        ClaimDecision(claims["memorandum"].id, "correct", {"signed": "2019-06"})],
        reviewer="jdoe", when=WHEN)
    fresh = OxigraphStore(tmp_path / "fresh", writable=True)
    try:
        assert load_paths(fresh, [reviewed])[-1].status == "loaded"
        answers = links_between(fresh, NamedNode(MN), NamedNode(KZ))
        assert [(a["label"], a["signed"]) for a in answers] == [
            ("Memorandum on risk profiles", "2019-06")]
        load_paths(fresh, [wire])  # the source after its review: the decisions hold
        assert {item for item, _ in rejected_claims(fresh)} == {claims["meeting"].item,
                                                                 claims["memorandum"].item}
        assert review_claims(fresh) == []
    finally:
        fresh.close()


def test_the_store_conforms_to_the_shapes_after_a_review(loaded, tmp_path):
    claims = by_kind(review_claims(loaded))
    record_decisions(loaded, tmp_path / "reviewed.yaml", [
        ClaimDecision(claims["meeting"].id, "reject", note="wrong"),
        ClaimDecision(claims["visit"].id, "accept"),
        ClaimDecision(claims["memorandum"].id, "correct", {"signed": "2019-06"})],
        reviewer="jdoe", when=WHEN)
    report = validate_store(loaded)
    assert report.conforms, report.text()


def test_a_corrected_kind_conforms_and_the_old_value_is_no_conflict(loaded, tmp_path):
    """The rejected claim's graph still states the old kind and date; validation and
    ``conflicts`` read the item as corrected."""
    memo = by_kind(review_claims(loaded))["memorandum"]
    record_decisions(loaded, tmp_path / "reviewed.yaml", [
        ClaimDecision(memo.id, "correct", {"kind": "protocol", "signed": "2019-06"})],
        reviewer="jdoe", when=WHEN)
    report = validate_store(loaded)
    assert report.conforms, report.text()
    assert [c for c in conflicts(loaded) if c["iri"] == memo.item] == []
    (answer,) = [a for a in links_between(loaded, NamedNode(MN), NamedNode(KZ))
                 if a["iri"] == memo.item]
    assert (answer["kind"], answer["signed"]) == ("protocol", "2019-06")


def test_unknown_claim_ids_are_one_line_errors(loaded, tmp_path):
    reviewed = tmp_path / "reviewed.yaml"
    with pytest.raises(UnknownClaim) as caught:
        record_decisions(loaded, reviewed, [ClaimDecision("deadbeef", "reject")])
    assert isinstance(caught.value, CustomsKGError)
    assert str(caught.value) == "no extracted claim 'deadbeef' (see 'customs-kg review')"
    assert not reviewed.exists()
    with pytest.raises(ReviewError, match="unknown decision 'maybe'"):
        record_decisions(loaded, reviewed, [ClaimDecision("deadbeef", "maybe")])


def test_a_review_whose_claim_id_does_not_match_is_an_error(store, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(f"""reviews:
  - claim: "00000000"
    item: event/x
    source: wire-001
    decision: reject
    reviewer: jdoe
    at: "{WHEN}"
""")
    with pytest.raises(RecordError, match=r"record reviews\[0\], field 'claim'"):
        load_paths(store, [path])
    path.write_text(path.read_text().replace("decision: reject", "decision: rejected"))
    with pytest.raises(RecordError, match="decision"):
        load_paths(store, [path])


# -- exported, filled in, applied -------------------------------------------------------------
def test_an_exported_file_filled_in_is_applied(loaded, tmp_path):
    claims = review_claims(loaded)
    exported = tmp_path / "claims.yaml"
    exported.write_text(review_text(claims, "yaml"))
    document = yaml.safe_load(exported.read_text())
    entries = {e["id"]: e for e in document["claims"]}
    kinds = by_kind(claims)
    entries[kinds["visit"].id]["decision"] = "reject"
    entries[kinds["memorandum"].id].update(decision="correct", note="typo in the date")
    entries[kinds["memorandum"].id]["record"]["signed"] = "2019-04"
    exported.write_text(yaml.safe_dump(document, sort_keys=False))  # meeting left blank
    decisions = decisions_from_file(exported)
    assert [(d.claim, d.decision) for d in decisions] == [(kinds["visit"].id, "reject"),
                                                          (kinds["memorandum"].id, "correct")]
    result = record_decisions(loaded, tmp_path / "reviewed.yaml", decisions, "jdoe", WHEN)
    assert result.recorded[1]["changes"] == {"signed": {"from": "2019-05", "to": "2019-04"}}
    assert [c.kind for c in review_claims(loaded)] == ["meeting"]


# -- interactive --------------------------------------------------------------------------------
def test_the_interactive_review(loaded, tmp_path):
    answers = iter(["x", "r", "not a visit", "s", "c", "date: 2019", "signed: 2019-07", "", ""])
    said: list[str] = []
    result = review_interactively(loaded, tmp_path / "reviewed.yaml", lambda _: next(answers),
                                  said.append, reviewer="jdoe", when=WHEN)
    assert [(r["decision"], r.get("note")) for r in result.recorded] == [
        ("reject", "not a visit"), ("correct", None)]
    assert said[0].startswith("[1/3] ") and "answer a (accept)" in said[1]
    assert "write one of title, kind, parties" in " ".join(said)
    assert any('"The Mongolian Customs Risk Unit and Kazakhstan' in s for s in said)
    assert [c.kind for c in review_claims(loaded)] == ["meeting"]


def test_the_interactive_review_with_nothing_decided(loaded, tmp_path):
    said: list[str] = []

    def ask(_):
        raise EOFError

    assert review_interactively(loaded, tmp_path / "r.yaml", ask, said.append) is None
    assert said[-1] == "no decisions" and not (tmp_path / "r.yaml").exists()


# -- a real article ---------------------------------------------------------------------------
ARTICLE = "seed_003_vietnam_russia_talks"


def test_an_article_reviewed_and_reloaded(store, tmp_path):
    corpus = require_corpus()
    article = tmp_path / f"{ARTICLE}.txt"
    shutil.copy2(corpus / "articles" / f"{ARTICLE}.txt", article)
    load_paths(store, [article, corpus / "gold" / f"{ARTICLE}.yaml"])
    claims = review_claims(store)
    assert claims and all(c.sentence and c.files == [article.name] for c in claims)
    assert [c.confidence for c in claims] == sorted(c.confidence for c in claims)
    plan = next(c for c in claims if c.label.startswith("joint cooperation plan"))
    # the article and its gold disagree on a kind (a violation of their own), which a review
    # neither adds to nor hides
    before = {(v.focus, v.message) for v in validate_store(store).violations}
    reviewed = tmp_path / "reviewed.yaml"
    record_decisions(store, reviewed, [ClaimDecision(plan.id, "reject")], "jdoe", WHEN)
    graph = graph_of(store, article)
    assert (plan.item, graph) in rejected_claims(store) and states(store, graph, plan.item)
    vn, ru = NamedNode(ID + "country/VN"), NamedNode(ID + "country/RU")

    def files_stating(item: str) -> list[str]:
        answer = next((a for a in links_between(store, vn, ru) if a["iri"] == item), None)
        return [] if answer is None else [Path(s["file"]).name for s in answer["sources"]]

    # the gold file (curated) states the plan too: it stays, without the article behind it
    assert files_stating(plan.item) == [f"{ARTICLE}.yaml"]
    # reload the article, changed: same claims, same IDs, still rejected
    article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert load_paths(store, [article])[-1].status == "replaced"
    again = {c.id for c in review_claims(store, include_decided=True)}
    assert {c.id for c in claims} <= again
    assert (plan.item, graph_of(store, article)) in rejected_claims(store)
    assert files_stating(plan.item) == [f"{ARTICLE}.yaml"]
    assert plan.id not in [c.id for c in review_claims(store)]
    assert {(v.focus, v.message) for v in validate_store(store).violations} == before


def test_an_event_corrected_is_dated_and_named_anew(loaded, tmp_path):
    meeting = by_kind(review_claims(loaded))["meeting"]
    record_decisions(loaded, tmp_path / "reviewed.yaml", [
        ClaimDecision(meeting.id, "correct", {"date": "2019-05-15", "kind": "talks"})],
        reviewer="jdoe", when=WHEN)
    answer = next(a for a in timeline(loaded, [NamedNode(KZ)]) if a["iri"] == meeting.item)
    assert (answer["date"], answer["kind"], answer["place"]["label"]) == (
        "2019-05-15", "talks", "Ulaanbaatar")
    assert answer["label"] == "Talks: Kazakhstan – Mongolia (2019-05-15)"
    assert [p["label"] for p in answer["participants"]] == ["Kazakhstan (KZ)", "Mongolia (MN)"]


def test_a_reviewed_file_in_json(loaded, tmp_path):
    visit = by_kind(review_claims(loaded))["visit"]
    reviewed = tmp_path / "reviewed.json"
    record_decisions(loaded, reviewed, [ClaimDecision(visit.id, "r")], "jdoe", WHEN)
    assert yaml.safe_load(reviewed.read_text())["reviews"][0]["decision"] == "reject"
    assert {item for item, _ in rejected_claims(loaded)} == {visit.item}
    with pytest.raises(ReviewError, match="YAML .* or JSON"):
        record_decisions(loaded, tmp_path / "reviewed.csv", [ClaimDecision(visit.id, "r")])
