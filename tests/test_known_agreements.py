"""An extracted record that states an agreement the curated data holds under a name of its own
("the MRA", "the customs mutual assistance agreement") links to the known agreement: same kind
(a specific one), same parties at the level of countries and unions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from graph.names import index_from_store
from graph.queries.relations import links_between
from graph.store import OxigraphStore
from loaders.load import load_paths
from ontology.vocab import ID

DATA = Path(__file__).resolve().parent.parent / "data" / "agreements"
JP, NZ, KR, VN = (ID + f"country/{code}" for code in ("JP", "NZ", "KR", "VN"))
JP_NZ_MRA = ID + "agreement/aeo-mra-jp-nz"
EXTRACTOR = "customs-kg-extract 0.2.0"


def extracted(tmp_path: Path, title: str, kind: str, parties: list[str],
              signed: str | None = None, name: str = "article.yaml",
              extractor: str | None = EXTRACTOR) -> Path:
    """A records file as the extractor writes it: one agreement with its evidence."""
    evidence = f"{{source: article, sentence: 'They signed {title}.'" + (
        f", extractor: {extractor}, confidence: 0.7}}" if extractor else "}")
    path = tmp_path / name
    path.write_text(
        "source: {id: article, title: A news article}\n"
        "agreements:\n"
        f"  - title: {title}\n"
        f"    kind: {kind}\n"
        f"    parties: [{', '.join(parties)}]\n"
        + (f"    signed: '{signed}'\n" if signed else "")
        + f"    evidence: {evidence}\n", encoding="utf-8")
    return path


def agreements_between(store, a: str, b: str) -> list[dict]:
    return links_between(store, NamedNode(a), NamedNode(b), ("agreement",))


def source_files(answer: dict) -> set[str]:
    return {Path(s["file"]).name for s in answer["sources"]}


@pytest.fixture
def nz_store(memory_store):
    """The NZ Customs list of AEO MRAs, JP–NZ among them (no date)."""
    load_paths(memory_store, [DATA / "nz-customs-mras.yaml"])
    return memory_store


@pytest.mark.parametrize("parties", [["JP", "NZ"], ["Japan Customs",
                                                      "New Zealand Customs Service"]],
                         ids=["countries", "agencies"])
def test_the_mra_of_an_article_is_the_known_mra(nz_store, tmp_path, parties):
    article = extracted(tmp_path, "the MRA", "mutual-recognition", parties, "2008")
    load_paths(nz_store, [article])
    (answer,) = agreements_between(nz_store, JP, NZ)
    assert answer["iri"] == JP_NZ_MRA
    assert answer["label"] == "New Zealand–Japan AEO mutual recognition arrangement"
    assert source_files(answer) == {"nz-customs-mras.yaml", "article.yaml"}
    assert answer["signed"] == "2008"  # the article's claim adds to the known agreement


def test_loaded_together_the_article_links_too(memory_store, tmp_path):
    article = extracted(tmp_path, "an AEO mutual recognition arrangement",
                        "mutual-recognition", ["NZ", "JP"])
    load_paths(memory_store, [DATA / "nz-customs-mras.yaml", article])
    (answer,) = agreements_between(memory_store, JP, NZ)
    assert answer["iri"] == JP_NZ_MRA
    assert source_files(answer) == {"nz-customs-mras.yaml", "article.yaml"}


@pytest.mark.parametrize("kind,parties", [
    ("mutual-assistance", ["JP", "NZ"]),    # another kind
    ("memorandum", ["JP", "NZ"]),           # not a specific kind
    ("mutual-recognition", ["JP", "KR"]),   # other parties
    ("mutual-recognition", ["JP", "NZ", "KR"]),
    ("mutual-recognition", ["Japan Customs", "JP"]),  # one country: no pair
], ids=["kind", "memorandum", "parties", "three-parties", "one-country"])
def test_another_kind_or_other_parties_do_not_link(nz_store, tmp_path, kind, parties):
    article = extracted(tmp_path, "the agreement of the article", kind, parties)
    load_paths(nz_store, [article])
    iris = {row["e"].value for row in nz_store.select(
        "SELECT DISTINCT ?e WHERE { GRAPH ?g { ?e a ckg:Agreement } }")}
    assert JP_NZ_MRA in iris
    stated = {row["e"].value for row in nz_store.select(
        "SELECT DISTINCT ?e WHERE { GRAPH ?g { ?e a ckg:Agreement ; prov:qualifiedDerivation "
        "?d } }")}
    (own,) = stated
    assert own != JP_NZ_MRA


TWO_CMAAS = """source: {id: two-cmaas, title: A list of customs agreements, reliability: high}
agreements:
  - id: cmaa-kr-vn-1995
    title: Korea–Viet Nam customs agreement of 1995
    kind: mutual-assistance
    parties: [KR, VN]
    signed: '1995'
  - id: cmaa-kr-vn-2015
    title: Korea–Viet Nam customs mutual assistance agreement of 2015
    kind: mutual-assistance
    parties: [KR, VN]
    signed: '2015-05-05'
"""


@pytest.mark.parametrize("signed,expected", [
    ("2015-05", ID + "agreement/cmaa-kr-vn-2015"),
    ("1995", ID + "agreement/cmaa-kr-vn-1995"),
    ("2001", None),  # neither year: its own agreement
    (None, None),
], ids=["2015", "1995", "other-year", "no-date"])
def test_of_two_known_agreements_only_the_years_one_links(memory_store, tmp_path, signed,
                                                         expected):
    curated = tmp_path / "two-cmaas.yaml"
    curated.write_text(TWO_CMAAS, encoding="utf-8")
    load_paths(memory_store, [curated])
    article = extracted(tmp_path, "the CMAA", "mutual-assistance", ["KR", "VN"], signed)
    load_paths(memory_store, [article])
    answers = agreements_between(memory_store, KR, VN)
    linked = [a["iri"] for a in answers if "article.yaml" in source_files(a)]
    if expected is None:
        assert len(answers) == 3
        (own,) = linked
        assert own not in (ID + "agreement/cmaa-kr-vn-1995", ID + "agreement/cmaa-kr-vn-2015")
    else:
        assert len(answers) == 2
        assert linked == [expected]


def test_a_curated_record_keeps_its_own_agreement(nz_store, tmp_path):
    curated = extracted(tmp_path, "the MRA", "mutual-recognition", ["JP", "NZ"], "2008",
                        extractor=None)
    load_paths(nz_store, [curated])
    answers = agreements_between(nz_store, JP, NZ)
    assert len(answers) == 2
    assert {a["iri"] for a in answers if "article.yaml" in source_files(a)} != {JP_NZ_MRA}


def test_an_extracted_only_agreement_is_never_linked(memory_store, tmp_path):
    first = extracted(tmp_path, "the MRA", "mutual-recognition", ["JP", "NZ"],
                      name="first.yaml")
    load_paths(memory_store, [first])
    second = extracted(tmp_path, "a mutual recognition arrangement", "mutual-recognition",
                       ["JP", "NZ"], name="second.yaml")
    second.write_text(second.read_text(encoding="utf-8").replace("id: article",
                                                                 "id: second-article"),
                      encoding="utf-8")
    load_paths(memory_store, [second])
    answers = agreements_between(memory_store, JP, NZ)
    assert sorted(source_files(a).pop() for a in answers) == ["first.yaml", "second.yaml"]


def test_the_index_keeps_kinds_in_its_cache(tmp_path):
    # an on-disk store: the index read back from the cache finds the known agreement too
    from graph.names import cached_index

    store = OxigraphStore(tmp_path / "kg", writable=True)
    try:
        load_paths(store, [DATA / "nz-customs-mras.yaml"])
        built = index_from_store(store)
        cached_index(store)  # written
        again = cached_index(store)  # read back
        for index in (built, again):
            (found,) = index.known_agreements("mutual-recognition", [JP, NZ])
            assert found.iri.value == JP_NZ_MRA
            assert index.known_agreements("mutual-assistance", [JP, NZ]) == []
            assert index.known_agreements("mutual-recognition", [JP]) == []
    finally:
        store.close()


# -- real articles ----------------------------------------------------------------------------
@pytest.mark.parametrize("article,known,pair", [
    ("17_wco_singapore_australia_aeo_mra", "wco-singapore-australia-mra.yaml", ("SG", "AU")),
    ("19_usembassy_us_uk_cmaa", "ice-us-uk-cmaa-2020.yaml", ("US", "GB")),
], ids=["sg-au-mra", "us-gb-cmaa"])
def test_an_articles_agreement_is_the_known_one(memory_store, tmp_path, article, known, pair):
    from needs import require_corpus

    text = tmp_path / f"{article}.txt"
    shutil.copy2(require_corpus() / "articles" / text.name, text)
    load_paths(memory_store, [DATA / known])
    load_paths(memory_store, [text])
    a, b = (ID + f"country/{code}" for code in pair)
    stated = [x for x in agreements_between(memory_store, a, b)
              if x["kind"] in ("mutual-recognition", "mutual-assistance")]
    (answer,) = stated  # the article's MRA (CMAA) is the known one, not a second agreement
    assert source_files(answer) == {known, text.name}
