"""One name lookup for every question, and names scoped to the sources that bring them.

- ``links``, ``timeline``, ``partners``, ``path`` and ``entities`` resolve a name the same way:
  an exact name, else the one entity that fits best (said on standard error), else an error
  listing the candidates or suggesting the closest; abbreviations and country names in other
  languages resolve; two names of the same entity are a usage error.
- What articles (extracted sources) name is theirs: loading the corpus articles changes the
  resolution of no curated or reference name, and adds no name to a curated entity.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from curated import FCS, GDVC, ID, RU, SEEDS, SIBERIAN, VN
from pyoxigraph import NamedNode

from cli import cli
from graph.errors import EntityNotFound, RecordError
from graph.names import (
    ALL_KINDS,
    GENERIC_NAMES,
    ORGANISATION_KINDS,
    AmbiguousName,
    EntityIndex,
    GenericName,
    cached_index,
    country_translations,
    index_from_store,
    normalise_name,
)
from graph.queries.catalog import search_entities
from graph.store import OxigraphStore
from graph.store.cache import CACHE_DIR
from loaders.load import load_paths

COUNTRY = ID + "country/"


@pytest.fixture(scope="module")
def index(curated_store) -> EntityIndex:
    """The index user queries resolve with, over the curated data."""
    built = index_from_store(curated_store, organisations_only=True)
    built.with_extracted = True
    return built


@pytest.fixture(scope="module")
def store_dir(curated_store_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("names") / "kg"
    shutil.copytree(curated_store_dir, path)
    return path


def run(store: Path, *args: str):
    return CliRunner().invoke(cli, ["--store", str(store), *args])


# -- abbreviations and other languages -----------------------------------------------------------
@pytest.mark.parametrize("text, code", [
    ("RF", "RU"), ("PRC", "CN"), ("UAE", "AE"), ("UK", "GB"), ("US", "US"), ("U.S.", "US"),
    ("USA", "US"), ("ROK", "KR"), ("DPRK", "KP"), ("KSA", "SA"), ("SRV", "VN"), ("ROC", "TW"),
    ("RSA", "ZA"), ("Russian Federation", "RU"),
])
def test_abbreviations_name_their_country(index, text, code):
    match = index.match(text, ORGANISATION_KINDS)
    assert (match.entity.iri.value, match.exact) == (COUNTRY + code, True)


@pytest.mark.parametrize("text, code", [
    ("Россия", "RU"), ("Российская Федерация", "RU"), ("Việt Nam", "VN"), ("Вьетнам", "VN"),
    ("中国", "CN"), ("Китай", "CN"), ("Chine", "CN"), ("Deutschland", "DE"),
    ("Allemagne", "DE"), ("Казахстан", "KZ"), ("대한민국", "KR"), ("Монголия", "MN"),
    ("Federación Rusa", "RU"), ("Russische Föderation", "RU"),
])
def test_country_names_in_other_languages(index, text, code):
    assert index.match(text, ORGANISATION_KINDS).entity.iri.value == COUNTRY + code


def test_a_translation_two_countries_share_names_neither():
    table = country_translations()
    assert normalise_name("Корея") not in table  # North and South Korea in Russian
    assert table[normalise_name("대한민국")] == "KR"


def test_a_translated_name_is_said(index):
    match = index.match("中国", ORGANISATION_KINDS)
    assert match.note("中国") == "中国 → China (CN)"


def test_english_names_win_over_translations(index):
    # "Georgia" is a country in English and nothing else; translations never outrank it
    assert index.match("Georgia", ORGANISATION_KINDS).entity.iri.value == COUNTRY + "GE"


# -- best match, ambiguity, nothing --------------------------------------------------------------
def test_an_unambiguous_best_match_is_accepted_and_said(index):
    match = index.match("Siberian Customs", ORGANISATION_KINDS)
    assert match.entity.iri.value == SIBERIAN
    assert match.note("Siberian Customs") == "Siberian Customs → Siberian Customs Directorate"


@pytest.mark.parametrize("text, iri", [("Russia", RU), ("RU", RU), ("VN", VN), ("FCS", FCS),
                                       ("GDVC", GDVC), ("Viet Nam", VN)])
def test_an_exact_name_is_not_said(index, text, iri):
    match = index.match(text, ORGANISATION_KINDS)
    assert (match.entity.iri.value, match.note(text)) == (iri, None)


def test_a_loose_form_is_said(index):
    assert index.match("Vietnamese customs", ORGANISATION_KINDS).note("Vietnamese customs") \
        == "Vietnamese customs → General Department of Vietnam Customs"


def test_an_ambiguous_name_lists_the_candidates(index):
    with pytest.raises(AmbiguousName) as err:
        index.match("Federal Customs", ORGANISATION_KINDS)
    assert str(err.value).startswith("'Federal Customs' is ambiguous: it may be ")
    assert "Federal Customs Service of Russia" in err.value.suggestions
    assert "Federal Customs Administration of Germany" in err.value.suggestions
    assert str(err.value).endswith("; give a fuller name")


def test_part_of_a_word_is_no_match(index):
    # "RF" once suggested Brazil's RFB; a name's first letters are not the name
    with pytest.raises(EntityNotFound):
        index.match("RFB Brazil Customs Secretariat", ORGANISATION_KINDS)
    assert index.match("RF", ORGANISATION_KINDS).entity.iri.value == RU


def test_a_misspelt_name_gets_a_suggestion(index):
    with pytest.raises(EntityNotFound) as err:
        index.match("Vietnm", ORGANISATION_KINDS)
    assert str(err.value) == "no entity 'Vietnm' — did you mean Vietnam (VN)?"


@pytest.mark.parametrize("text", ["customs", "the customs service", "Customs Administration",
                                  "the government", "the Ministry", "the Union"])
def test_a_generic_phrase_names_nothing(index, text):
    with pytest.raises(GenericName) as err:
        index.match(text, ORGANISATION_KINDS)
    assert str(err.value) == (f"'{text}' is a generic phrase, no entity's name; give the "
                              "body's own name")


@pytest.mark.parametrize("text", ["Siberian Customs", "Vietnam", "RF", "Vietnamese customs",
                                  "Mongolian Customs General", "EAEU"])
def test_entities_ranks_first_what_the_questions_resolve_to(curated_store, index, text):
    [first] = search_entities(curated_store, text, limit=1)
    assert first["iri"] == index.match(text, ORGANISATION_KINDS).entity.iri.value


# -- the commands --------------------------------------------------------------------------------
def test_links_accepts_the_best_match_and_says_so(store_dir):
    result = run(store_dir, "links", "Siberian Customs", "Mongolia")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Siberian Customs → Siberian Customs Directorate\n"
    assert result.stdout == run(store_dir, "links", "Siberian Customs Directorate",
                                "Mongolia").stdout


@pytest.mark.parametrize("args", [("links", "RF", "Vietnam"), ("links", "Россия", "Вьетнам"),
                                  ("links", "Российская Федерация", "SRV")])
def test_links_by_abbreviation_or_in_another_language(store_dir, args):
    result = run(store_dir, *args)
    assert result.exit_code == 0, result.output
    assert result.stdout == run(store_dir, "links", "Russia", "Vietnam").stdout


@pytest.mark.parametrize("args", [
    ("timeline", "Siberian Customs"), ("partners", "Siberian Customs"),
    ("path", "Siberian Customs", "Vietnam"),
])
def test_every_question_resolves_the_same_way(store_dir, args):
    result = run(store_dir, *args)
    assert result.exit_code == 0, result.output
    assert result.stderr == "Siberian Customs → Siberian Customs Directorate\n"
    full = tuple("Siberian Customs Directorate" if a == "Siberian Customs" else a for a in args)
    assert result.stdout == run(store_dir, *full).stdout


@pytest.mark.parametrize("args, names", [
    (("links", "Russia", "Russia"), ("Russia", "Russia")),
    (("links", "Russia", "RF"), ("Russia", "RF")),
    (("path", "Vietnam", "VN"), ("Vietnam", "VN")),
    (("timeline", "Mongolia", "Russia", "Россия"), ("Russia", "Россия")),
])
def test_the_same_entity_twice_is_a_usage_error(store_dir, args, names):
    result = run(store_dir, *args)
    assert result.exit_code == 2
    shown = "Russia (RU)" if "Russia" in names else "Vietnam (VN)"
    assert result.stderr.endswith(
        f"Error: '{names[0]}' and '{names[1]}' are the same entity, {shown}\n")


def test_an_ambiguous_name_is_an_error_listing_the_candidates(store_dir):
    result = run(store_dir, "links", "Federal Customs", "Vietnam")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: 'Federal Customs' is ambiguous: it may be ")
    assert "Federal Customs Service of Russia" in result.stderr


def test_the_translations_are_cached_beside_the_store(store_dir):
    assert run(store_dir, "partners", "中国").exit_code == 0
    assert list((store_dir / CACHE_DIR).glob("country-translations-*.marshal"))


# -- scopes while loading ------------------------------------------------------------------------
def test_an_extracted_sources_names_are_its_own():
    index = EntityIndex()
    fcs = NamedNode(FCS)
    index.add(fcs, "agency", "Federal Customs Service of Russia", ["FCS"])
    with index.within("article-1"):
        index.add(fcs, "agency", None, ["Russian customs bureau"])
        assert index.resolve("Russian customs bureau").iri == fcs
        new = NamedNode(ID + "agency/x-customs-service")
        index.add(new, "agency", "Customs Service")
        assert index.resolve("Customs Service").iri == new  # its own mention
    with index.within("article-2"):
        assert index.resolve("Russian customs bureau") is None
        assert index.resolve("Customs Service") is None
    assert index.resolve("Russian customs bureau") is None
    assert index.resolve("Customs Service") is None
    assert "Russian customs bureau" not in index.get(fcs).names
    index.with_extracted = True  # a user's query: an entity only an article knows...
    assert index.resolve("Customs Service") is None  # ...but not by a generic phrase


def test_a_curated_records_generic_name_resolves_only_while_it_loads(memory_store, tmp_path):
    path = tmp_path / "curated.yaml"
    path.write_text("source: {id: curated}\nagencies:\n  - {name: The Customs Service, "
                    "country: MN, id: mn-the-customs-service}\nevents:\n  - {kind: meeting, "
                    "date: '2020', participants: [The Customs Service, Russia]}\n",
                    encoding="utf-8")
    load_paths(memory_store, [path])
    index = index_from_store(memory_store)
    assert index.resolve("The Customs Service") is None
    assert index.resolve("mn-the-customs-service").label == "The Customs Service"


def test_generic_names_are_normalised():
    assert all(name == normalise_name(name) for name in GENERIC_NAMES)


# -- articles change no curated name --------------------------------------------------------------
@pytest.fixture(scope="module")
def with_articles(corpus):
    """The curated data, the index of it, then the corpus articles loaded through the
    extractor into the same store."""
    store = OxigraphStore(None)
    load_paths(store, SEEDS)
    before = index_from_store(store)
    articles = sorted((corpus / "articles").glob("*.txt"))
    assert len(articles) >= 20
    load_paths(store, articles)
    yield store, before
    store.close()


def every_name(index: EntityIndex) -> list[str]:
    return sorted({name for entity in index.entities.values() for name in entity.names}
                  | {entity.label for entity in index.entities.values()})


def test_articles_change_the_resolution_of_no_curated_name(with_articles):
    store, before = with_articles
    names = every_name(before)
    assert len(names) > 1000
    loading = index_from_store(store)  # what the next load resolves records with
    for after in (loading, cached_index(store)):  # and what the questions resolve with
        changed = [name for name in names
                   if [e.iri for e in after.candidates(name, ALL_KINDS)]
                   != [e.iri for e in before.candidates(name, ALL_KINDS)]]
        assert changed == []


def test_articles_add_no_name_to_a_curated_entity(with_articles):
    store, before = with_articles
    after = cached_index(store)
    grown = {e.label: sorted(after.get(iri).names - e.names)
             for iri, e in before.entities.items() if after.get(iri).names != e.names}
    assert grown == {}


@pytest.mark.parametrize("text", [
    "STUDENTS",  # a garbled "STU" in seed 000, once an alias of the Siberian directorate
    "Federal Customs Office of the PRC",  # an article's wrong name for China's customs
    "Treasury", "Ministry of Finance", "the Union", "the Commission", "Free Trade Agreement",
    "Customs Service",
])
def test_what_only_articles_call_a_curated_entity_resolves_nowhere_else(with_articles, text):
    store, before = with_articles
    assert before.resolve(text) is None
    assert index_from_store(store).resolve(text) is None
    found = cached_index(store).resolve(text)
    assert found is None or found.iri.value not in before.entities


def test_an_entity_only_articles_know_is_found_by_the_user_only(with_articles):
    store, before = with_articles
    assert before.resolve("Oleg Pankratov") is None
    assert index_from_store(store).resolve("Oleg Pankratov") is None
    assert cached_index(store).resolve("Oleg Pankratov").kind == "person"


@pytest.mark.parametrize("name", ["Customs Service", "the customs administration",
                                  "Ministry of Finance"])
def test_a_generic_phrase_in_a_records_file_is_still_refused(with_articles, tmp_path, name):
    store, _ = with_articles
    path = tmp_path / "generic.yaml"
    path.write_text(f"source: {{id: generic}}\nevents:\n  - {{kind: meeting, date: '2020', "
                    f"participants: ['{name}', Federal Customs Service of Russia]}}\n",
                    encoding="utf-8")
    with pytest.raises(RecordError) as err:
        load_paths(store, [path])
    assert f"'{name}' resolves to no country, union or agency — did you mean " in str(err.value)


EXTRACTED_ZETA = """
source: {id: zeta-report, title: An extracted report}
agencies:
  - name: Zeta Customs Bureau
    country: CN
    aliases: [ZCB]
    evidence: {source: zeta-report, sentence: "The Zeta Customs Bureau (ZCB) met.",
               extractor: customs-kg-extract 0.2.0, confidence: 0.5}
"""
CURATED_USING_ZCB = """
source: {id: curated-report, title: A curated report}
events:
  - kind: meeting
    date: 2019
    participants: [ZCB, VN]
"""


@pytest.mark.parametrize("together", [True, False], ids=["one-load", "two-loads"])
def test_an_extracted_alias_never_resolves_a_curated_file(memory_store, tmp_path, together):
    # whether the extracted file is loaded with the curated one or before it, its alias is its
    # own: the curated file's "ZCB" names nothing
    extracted = tmp_path / "zeta.yaml"
    extracted.write_text(EXTRACTED_ZETA, encoding="utf-8")
    curated = tmp_path / "curated.yaml"
    curated.write_text(CURATED_USING_ZCB, encoding="utf-8")
    if not together:
        load_paths(memory_store, [extracted])
    with pytest.raises(RecordError, match="'ZCB' resolves to no country, union or agency"):
        load_paths(memory_store, [extracted, curated] if together else [curated])


def test_an_extracted_records_own_alias_resolves_its_own_mentions(memory_store, tmp_path):
    extracted = tmp_path / "zeta.yaml"
    extracted.write_text(EXTRACTED_ZETA + """events:
  - kind: meeting
    date: 2019
    participants: [ZCB, VN]
    evidence: {source: zeta-report, sentence: "ZCB met Vietnam.",
               extractor: customs-kg-extract 0.2.0, confidence: 0.5}
""", encoding="utf-8")
    [result] = [r for r in load_paths(memory_store, [extracted]) if r.path.endswith("zeta.yaml")]
    assert result.status == "loaded"


# -- unresolved mentions ----------------------------------------------------------------------
ZETA_MEETING = """events:
  - kind: meeting
    date: 2019
    participants: [Zeta Customs Bureau, Federal Customs Service of Russia, VN]
    evidence: {source: zeta-report, sentence: "The ZCB met the FCS of Russia and Vietnam.",
               extractor: customs-kg-extract 0.2.0, confidence: 0.5}
"""
ZETA_IRI = ID + "agency/cn-zeta-customs-bureau"


def participant_labels(store) -> list[str]:
    from graph.queries.relations import links_between

    answers = links_between(store, NamedNode(ID + "country/CN"), NamedNode(VN))
    return sorted({p["label"] for a in answers for p in a["participants"]})


def test_a_mention_that_resolves_to_nothing_known_is_marked_unresolved(memory_store, tmp_path):
    load_paths(memory_store, SEEDS)
    extracted = tmp_path / "zeta.yaml"
    extracted.write_text(EXTRACTED_ZETA + ZETA_MEETING, encoding="utf-8")
    load_paths(memory_store, [extracted])
    marked = {row["e"].value for row in memory_store.select(
        "SELECT ?e WHERE { ?e ckg:unresolved true }")}
    assert marked == {ZETA_IRI}  # the FCS and Vietnam resolved to what is known
    assert participant_labels(memory_store) == [
        "Federal Customs Service of Russia", "Vietnam (VN)",
        "Zeta Customs Bureau (unresolved)"]
    (found,) = [e for e in search_entities(memory_store, "Zeta Customs Bureau")
                if e["iri"] == ZETA_IRI]
    assert found["unresolved"] is True
    # a curated record of the same body: known from then on, no longer unresolved
    curated = tmp_path / "curated.yaml"
    curated.write_text("source: {id: gazette}\nagencies:\n  - {name: Zeta Customs Bureau, "
                       "country: CN}\n", encoding="utf-8")
    load_paths(memory_store, [curated])
    assert "Zeta Customs Bureau" in participant_labels(memory_store)


def test_an_unresolved_mention_of_a_near_name_is_not_merged(memory_store, tmp_path):
    load_paths(memory_store, SEEDS)
    extracted = tmp_path / "near.yaml"
    extracted.write_text("""source: {id: near-report, title: Another report}
agencies:
  - name: Federal Customs Service of Vietnam
    country: VN
    evidence: {source: near-report, extractor: customs-kg-extract 0.2.0, confidence: 0.6}
""", encoding="utf-8")
    load_paths(memory_store, [extracted])
    (row,) = memory_store.select("SELECT ?e WHERE { ?e ckg:unresolved true }")
    assert row["e"].value not in (FCS, GDVC)
    assert memory_store.ask("ASK { ?e ckg:country ?vn ; ckg:unresolved true }",
                            {"vn": NamedNode(VN)})
