"""The article extractor: reading formats, dates, entities, records with evidence, bad input,
and its measured accuracy on the development corpus (``../shared/corpus``).

The sentences below are the tests' own; the corpus articles are read from the corpus folder.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import jsonschema
import pytest

from graph.errors import SourceError
from loaders.articles import extract_article, extract_file, strip_evidence
from loaders.articles.dates import dateline_length, find_dates
from loaders.articles.entities import recognise_entities
from loaders.articles.evaluate import date_right, evaluate, format_report, report_json
from loaders.articles.reading import parse_article, read_article
from loaders.articles.sentences import clause_end, split_sentences
from loaders.records import check_schema, records_schema

HEADER = "source: https://example.org/news/1\npublished: {published}\n---\n"
TALKS = (
    "Kazakhstan and Uzbekistan customs agree on border controls\n"
    "The State Revenue Committee of Kazakhstan and the Customs Committee of the Republic of "
    "Uzbekistan held talks in Tashkent on June 6-7, 2022. The delegations were led by Deputy "
    "Chairman of the State Revenue Committee Zhanat Yerzhanov.\n"
    "Following the talks, the sides signed a roadmap for the development of customs "
    "cooperation for 2022-2024.\n"
    "The next meeting of the working group will be held in Astana in October.\n"
)


def _article(body: str, published: str = "2022-06-08") -> str:
    return HEADER.format(published=published) + body


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(records_schema())


def _entities(text: str):
    return recognise_entities(text, split_sentences(text))


# -- reading ---------------------------------------------------------------------------------
def test_header_is_optional_and_published_can_be_given():
    with_header = parse_article(_article("Title\nBody text."), name="a.txt")
    assert with_header.published == dt.date(2022, 6, 8)
    assert with_header.source == "https://example.org/news/1"
    assert with_header.title == "Title"
    bare = parse_article("Title\nBody text.", name="b.txt", published="2020-01-31")
    assert bare.published == dt.date(2020, 1, 31) and bare.body_start == 0
    unknown = parse_article(_article("Title\nBody.", published="unknown"), name="c.txt")
    assert unknown.published is None


def test_markdown_keeps_offsets(tmp_path: Path):
    path = tmp_path / "note.md"
    path.write_text("# Customs news\n\nThe **Korea Customs Service** met [Japan Customs]"
                    "(https://example.org) in Seoul on 3 May 2021.\n", encoding="utf-8")
    article = read_article(path)
    assert article.format == "markdown"
    assert "**" not in article.text and "https://" not in article.text
    assert len(article.text) == len(path.read_text(encoding="utf-8"))
    document = extract_file(path)
    names = {a["name"] for a in document["agencies"]}
    assert {"Korea Customs Service", "Japan Customs"} <= names
    event = document["events"][0]
    start, end = event["evidence"]["span"]
    assert path.read_text(encoding="utf-8")[start:end].startswith("The **Korea")


def test_html_drops_scripts_styles_and_navigation():
    page = ("<html><head><title>Customs pact</title><meta property='article:published_time' "
            "content='2024-02-14T10:00:00Z'><script>var s = 'Treaty of Doom signed by the "
            "Ministry of Secrets';</script><style>p{}</style></head><body><nav>Home</nav>"
            "<h1>Customs pact</h1><p>The Central Board of Indirect Taxes and Customs &amp; "
            "Singapore Customs signed a Memorandum of Understanding on data exchange on "
            "13 February 2024.</p></body></html>")
    article = parse_article(page, name="page.html")
    assert article.format == "html" and article.published == dt.date(2024, 2, 14)
    assert "Doom" not in article.text and "Home" not in article.text
    assert "Customs & Singapore" in article.text
    document = extract_article(page, name="page.html")
    assert document["agreements"][0]["signed"] == "2024-02-13"
    sentence = document["agreements"][0]["evidence"]["sentence"]
    start, end = document["agreements"][0]["evidence"]["span"]
    assert page[start:end].startswith("The Central Board")
    assert sentence.startswith("The Central Board")
    assert not any("Secrets" in a["name"] for a in document["agencies"])


def test_a_page_date_stated_in_its_text_and_a_figure_caption():
    page = ("<html><body><h2>Customs of Peru and Chile meet</h2><span>Published on 04/06/2025"
            "</span><p>The customs services of Peru and Chile held talks in Tacna on 3 June. "
            "The next meeting is scheduled for the autumn in Arica.</p><figure><img src='a.jpg'>"
            "<figcaption>The two heads of customs at the close of the talks, Tacna, 3 June "
            "2025.</figcaption></figure></body></html>")
    article = parse_article(page, name="page.html")
    assert article.published == dt.date(2025, 6, 4)
    events = extract_article(page, name="page.html", evidence=False)["events"]
    assert [(e["kind"], e["date"]) for e in events] == [("talks", "2025-06-03"),
                                                        ("meeting", "2025-09/2025-11")]
    american = parse_article("<p>Posted on 06/24/2025</p><p>Customs news.</p>", name="a.html")
    assert american.published == dt.date(2025, 6, 24)


def test_sentences_keep_abbreviations_together():
    text = "U.S. Customs met Mr. Ho in the U.K. on Monday. Mark A. Morgan spoke. It ended."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "U.S. Customs met Mr. Ho in the U.K. on Monday.", "Mark A. Morgan spoke.", "It ended."]
    assert all(text[s.start:s.end] == s.text for s in sentences)


# -- dates -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("words", "published", "value"), [
    ("signed on October 5, 2016", None, "2016-10-05"),
    ("signed on 31 May 2018", None, "2018-05-31"),
    ("In 2019 the directorate", None, "2019"),
    ("in March 2020", None, "2020-03"),
    ("a plan for 2019-2023 period", None, "2019/2023"),
    ("from 30 June till 4 July", "2019-08-01", "2019-06-30/2019-07-04"),
    ("from 30 June till 4 July", None, None),
    ("June 27-29, 2019", None, "2019-06-27/2019-06-29"),
    ("on September 9", "2019-09-10", "2019-09-09"),
    ("on September 9", None, None),
    ("on Tuesday", "2024-04-11", "2024-04-09"),
    ("said Thursday", "2024-04-11", "2024-04-11"),
    ("on Monday", None, None),
    ("today", "2020-12-16", "2020-12-16"),
    ("last year", "2020-12-16", "2019"),
])
def test_dates(words, published, value):
    day = dt.date.fromisoformat(published) if published else None
    found = find_dates(words, day)
    assert len(found) == 1
    assert found[0].value == value


def test_amounts_are_no_dates_and_weekdays_read_forward_in_announcements():
    assert find_dates("2,000 tons and 1500 cars", None) == []
    assert find_dates("the 50th anniversary", None) == []
    future = find_dates("they will meet on Monday", dt.date(2024, 4, 11), future=True)
    assert future[0].value == "2024-04-15"


def test_relative_dates_resolve_against_the_publication_date_and_keep_their_words():
    body = ("Customs talks\nThe Federal Customs Service of Russia and Mongolian customs held "
            "talks in Ulaanbaatar on 15 April. The heads of the two services signed a protocol "
            "on transit that day.\n")
    dated = extract_article(_article(body, "2010-08-03"), name="x.txt", evidence=False)
    assert dated["events"][0]["date"] == "2010-04-15"
    assert dated["agreements"][0]["signed"] == "2010-04-15"
    undated = extract_article(_article(body, "unknown"), name="x.txt", evidence=False)
    assert undated["events"][0]["date"] is None
    assert undated["events"][0]["date_text"] == "on 15 April"


# -- entities --------------------------------------------------------------------------------
def test_gazetteer_names_acronyms_and_loose_forms():
    result = _entities("The FCS of Russia met Vietnam Customs, Mongolian customs and the "
                       "customs service of the Republic of Korea. KCS officers attended.")
    keys = {m.key for ms in result.by_sentence.values() for m in ms if m.kind == "agency"}
    assert {"ru-fcs", "vn-gdvc", "mn-customs", "kr-kcs"} <= keys


def test_garbled_and_unknown_names():
    result = _entities("The Federal Customs Servise of Russia and the Federal Customs Office of "
                       "the PRC met in Chita.")
    agencies = {a.name: a for a in result.agencies.values() if a.mentions}
    assert "Federal Customs Service of Russia" in agencies
    unknown = agencies["Federal Customs Office of the PRC"]
    assert unknown.country == "CN" and unknown.reference is None


def test_demonyms_and_regions():
    result = _entities("Talks on the Russian-Mongolian border. Latin American and "
                       "Inter-American bodies. Let us see the U.S. delegation.")
    assert set(result.country_mentions) == {"RU", "MN", "US"}


def test_people_get_their_posts_and_organisations():
    result = _entities("Head of the Federal Customs Service of Russia, Vladimir Bulavin, met "
                       "Mr. Karbuzov, Chairman of the Customs Control Committee, and KCS "
                       "Commissioner Ko Kwang-hyo.")
    people = {p.name: p for p in result.people.values()}
    assert people["Vladimir Bulavin"].organisation == "ru-fcs"
    assert people["Karbuzov"].organisation == "kz-customs-control-committee"
    assert people["Ko Kwang-hyo"].organisation == "kr-kcs"
    assert people["Ko Kwang-hyo"].post == "Commissioner"


# -- records ---------------------------------------------------------------------------------
def test_an_article_of_our_own_gives_the_records_it_states():
    document = extract_article(_article(TALKS), name="talks.txt", evidence=False)
    check_schema(document, "talks.txt")
    assert document["countries"] == ["KZ", "UZ"]
    assert [a["name"] for a in document["agencies"]] == [
        "State Revenue Committee of Kazakhstan", "Customs Committee of the Republic of Uzbekistan"]
    plan = document["agreements"][0]
    assert plan["kind"] == "cooperation-plan"
    assert (plan["valid_from"], plan["valid_to"]) == ("2022", "2024")
    talks, planned = document["events"]
    assert talks["kind"] == "talks" and talks["date"] == "2022-06-06/2022-06-07"
    assert talks["place"] == "Tashkent" and plan["title"] in talks["outcomes"]
    assert planned["planned"] is True and planned["date"] == "2022-10"
    assert document["people"][0]["name"] == "Zhanat Yerzhanov"


def test_each_corpus_article_gives_schema_valid_records_with_evidence(corpus: Path):
    validator = _validator()
    for path in sorted((corpus / "articles").iterdir()):
        document = extract_file(path)
        errors = [e.message for e in validator.iter_errors(document)]
        assert not errors, (path.name, errors[:3])
        check_schema(document, path.name)
        check_schema(strip_evidence(document), path.name)
        check_schema(extract_file(path, evidence=False), path.name)
        raw = path.read_text(encoding="utf-8")
        for section in ("agencies", "people", "agreements", "events"):
            for record in document[section]:
                evidence = record["evidence"]
                assert evidence["source"] == document["source"]["id"]
                assert evidence["extractor"].startswith("customs-kg-extract ")
                assert 0 < evidence["confidence"] < 1
                start, end = evidence["span"]
                assert raw[start:end] == evidence["sentence"]


# -- bad input -------------------------------------------------------------------------------
def test_empty_article_gives_no_records(tmp_path: Path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    assert set(extract_file(tmp_path / "empty.txt")) == {"source"}
    assert set(extract_article(_article("\n  \n"), name="blank.txt")) == {"source"}


def test_binary_file_is_a_source_error(tmp_path: Path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(SourceError, match="binary"):
        extract_file(path)


def test_huge_file_is_refused_quickly(tmp_path: Path):
    path = tmp_path / "huge.txt"
    path.write_text("Customs news. " * 750_000, encoding="utf-8")  # 10.5 MB
    started = time.perf_counter()
    with pytest.raises(SourceError, match="too large"):
        extract_file(path)
    with pytest.raises(SourceError, match="too large"):
        extract_article(path.read_text(encoding="utf-8"), name="huge.txt")
    assert time.perf_counter() - started < 2


def test_html_of_scripts_only_gives_no_records():
    page = "<html><body><script>" + "document.write('Customs Agreement');" * 200 + \
           "</script></body></html>"
    document = extract_article(page, name="script.html")
    assert not any(document.get(section) for section in ("agencies", "agreements", "events"))


def test_another_language_is_a_clear_error():
    russian = ("Федеральная таможенная служба России и Главное таможенное управление Китая "
               "подписали протокол о сотрудничестве в области обмена информацией. ") * 5
    with pytest.raises(SourceError, match="not in English"):
        extract_article(russian, name="ru.txt")
    french = ("La douane française et la douane belge ont signé un accord de coopération "
              "pour lutter contre la fraude et le trafic de stupéfiants aux frontières. ") * 4
    with pytest.raises(SourceError, match="English"):
        extract_article(french, name="fr.txt")


def test_not_utf8_text_is_read_or_refused(tmp_path: Path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Customs news\nThe Douane of C\xf4te d'Ivoire met Japan Customs."
                     .encode("latin-1"))
    document = extract_file(path, evidence=False)
    assert "Japan Customs" in {a["name"] for a in document["agencies"]}


# -- evaluation ------------------------------------------------------------------------------
def test_date_matching_follows_the_gold_precision():
    assert date_right("2019-09-09", "2019")
    assert date_right("2023-11-02", "2023-11")
    assert not date_right("2019", "2019-09-09")
    assert date_right(None, None) is None and date_right("2019", None) is None
    assert date_right("2019-06-27/2019-06-29", "2019-06-27/2019-06-29")


def test_corpus_scores_meet_the_targets(development_ten: Path):
    """The targets, on the ten corpus articles the rules were developed on (conftest.py's
    DEVELOPMENT_TEN)."""
    started = time.perf_counter()
    report = evaluate(development_ten)
    elapsed = time.perf_counter() - started
    categories = report["categories"]
    assert report["articles"] == 10
    assert categories["agencies"]["f1"] >= 0.85
    assert categories["countries"]["f1"] >= 0.85
    assert categories["agreements"]["f1"] >= 0.75
    assert categories["events"]["f1"] >= 0.65
    assert report["dates"]["accuracy"] >= 0.8
    assert report["extraction_seconds"] < 5 and elapsed < 10
    assert json.loads(report_json(report))["categories"] == categories
    assert "agencies" in format_report(report)


def test_whole_corpus_scores_stay_above_the_floors(corpus: Path):
    """All twenty corpus articles, ten of them (files 27-45) new to the rules, scored as the
    reference scorer (score.py) scores them. Measured before issue 10's part 2: agencies
    0.807, countries 0.792, agreements 0.617, events 0.788, dates 36/36; after it (2026-12-03):
    0.901, 1.000, 0.968, 0.954, dates 45/47 (more items matched, two without the date the
    gold gives). The floors are today's figures, so that the extractor does not get worse."""
    report = evaluate(corpus)
    categories = report["categories"]
    assert report["articles"] == len(list((corpus / "gold").glob("*.yaml")))
    assert categories["agencies"]["f1"] >= 0.938  # 0.90 before the JCCC became a body
    assert categories["countries"]["f1"] >= 1.0
    assert categories["agreements"]["f1"] >= 0.968
    assert categories["events"]["f1"] >= 0.954
    assert report["dates"]["accuracy"] >= 0.95


# -- the check set of the tests' own articles (tests/data/articles) ---------------------------
CHECK_SET = Path(__file__).parent / "data" / "articles"
# Reached with batch 23-30 (30 articles), as the reference scorer scores them: agencies 0.995,
# countries 0.993, agreements 0.714 (ten agreements the rules give no parties), events 0.995,
# dates 129/129. The floors are those figures.
# Today's figures (2026-12-03, after issue 10's part 2). Agencies were 0.995 before it: the EU
# now takes part as "EU" (the corpus README's convention) and has no agency record, which
# article 20's gold lists.
# Batch 31-40 (issue 10) joined the set on 2026-12-03: scored alone before any rule changed,
# agencies 0.867, countries 0.971, agreements 0.863, events 0.483, dates 28/40; after the
# round of rules it led to, 0.891, 0.980, 0.906, 0.815, 48/51 (docs/extractor.md). Articles
# 01-30 kept the figures above. The floors were the whole set's figures (40 articles) after it.
# Batch 41-50 (issue 10) joined on 2026-12-03, scored alone before any rule was adapted to it:
# 0.793, 0.907, 0.687, 0.594, dates 39/49 at 0012b79 and at 231070e; the whole set of 50 then
# reads 0.910, 0.966, 0.863, 0.882, 222/235 at 0012b79. The floors are the whole set's figures
# at c47e40d (agencies 0.9255, countries 0.9655, agreements 0.8632, events 0.8903, dates 227/239).
# Batch 51-60 joined on 2026-12-03, scored before any rule was adapted to it (0.913, 0.979,
# 0.655, 0.703, dates 39/53; the whole set of 60 then 0.954, 0.987, 0.894, 0.904, 289/307);
# after the rounds it led to, the whole set of 60 reads 0.962, 0.991, 0.944, 0.954, 317/323:
# the floors of that time (0.96, 0.99, 0.944, 0.954, dates 0.98).
# Batch 61-70 joined on 2026-12-03, scored before any rule was adapted to it (0.912, 0.926,
# 0.863, 0.744, dates 47/55 at 96dbd12; the whole set of 70 then 0.956, 0.984, 0.931, 0.919,
# 364/378); after the rounds it led to, the batch reads 0.985, 1.000, 0.963, 0.946, 59/61 and
# the whole set of 70 0.966, 0.992, 0.947, 0.957, 376/384 (at bdef48c/cb70ba8): the floors below.
CHECK_SET_FLOORS = {"agencies": 0.965, "countries": 0.992, "agreements": 0.947, "events": 0.956}
CHECK_SET_DATES_FLOOR = 0.979


def test_check_set_scores_stay_above_their_floors():
    report = evaluate(CHECK_SET)
    assert report["articles"] == len(list((CHECK_SET / "gold").glob("*.yaml"))) >= 20
    assert not report["skipped"]
    for category, floor in CHECK_SET_FLOORS.items():
        assert report["categories"][category]["f1"] >= floor, (category, report["categories"])
    assert report["dates"]["accuracy"] >= CHECK_SET_DATES_FLOOR, report["dates"]


def test_check_set_articles_give_schema_valid_records():
    validator = _validator()
    for path in sorted((CHECK_SET / "articles").iterdir()):
        document = extract_file(path)
        assert not [e.message for e in validator.iter_errors(document)], path.name
        check_schema(document, path.name)


# -- general rules: dates ----------------------------------------------------------------------
@pytest.mark.parametrize(("words", "value"), [
    ("from March 20 to 22", "2024-03-20/2024-03-22"),
    ("talks on February 22-23 between", "2024-02-22/2024-02-23"),
    ("on 22-23 February", "2024-02-22/2024-02-23"),
    ("in the first half of 2025", "2025-01/2025-06"),
    ("in the second half of the year", "2024-07/2024-12"),
    ("in the fourth quarter of 2024", "2024-10/2024-12"),
    ("in H2 2023", "2023-07/2023-12"),
    ("in January-June 2024", "2024-01/2024-06"),
    ("between March and May 2023", "2023-03/2023-05"),
    ("since the beginning of the year", "2024-01"),
    ("by the end of 2025", "2025-12"),
    ("is planned for October", "2024-10"),
    ("in the autumn", "2024-09/2024-11"),
    ("is scheduled for the autumn", "2024-09/2024-11"),
    ("in the spring of 2025", "2025-03/2025-05"),
    ("during the summer 2023", "2023-06/2023-08"),
])
def test_partial_dates_and_ranges_without_a_year(words, value):
    found = find_dates(words, dt.date(2024, 3, 25))
    assert [d.value for d in found] == [value]


def test_seasons_are_dates_only_as_a_time():
    assert find_dates("the autumn session of the council", dt.date(2024, 3, 25)) == []
    assert find_dates("prices may fall in the fall of demand", dt.date(2024, 3, 25)) == []
    assert find_dates("preparations for the spring campaign", dt.date(2024, 3, 25)) == []
    assert find_dates("in the spring", None)[0].value is None
    # announced in December: the next spring
    assert find_dates("will meet in the spring", dt.date(2024, 12, 2),
                      future=True)[0].value == "2025-03/2025-05"


def test_a_dash_between_names_joins_them_and_under_which_opens_a_clause():
    text = ("They signed a protocol on the Oybek – Fotehobod crossing on 5 May, under which "
            "trucks will be checked once. TASHKENT – The customs said.")
    assert text[:clause_end(text, 10)].endswith("on 5 May")
    assert clause_end(text, text.index("TASHKENT")) == text.index(" – The")


def test_months_joined_by_and_are_no_range_and_from_opens_a_period():
    assert [d.value for d in find_dates("in March and May 2024", None)] == [None, "2024-05"]
    since = find_dates("exchanges from July 2023", None)
    assert since[0].value == "2023-07" and since[0].open_end


def test_a_dateline_dates_the_story_not_its_events():
    assert dateline_length("BELGRADE, May 8 (Xinhua) -- China's customs") == 28
    assert dateline_length("Bali, 10 November 2023 - The Directorate") == 25
    assert dateline_length("On May 8 - the sides met") == 0
    body = ("Customs pilot\nTASHKENT, February 27 -- The Customs Committee of the Republic of "
            "Uzbekistan and the Customs Service of Tajikistan will start joint customs control "
            "at the border from March 1.\n")
    events = extract_article(_article(body, "2024-02-27"), name="x.txt", evidence=False)["events"]
    assert [(e["kind"], e["date"], e.get("planned")) for e in events] == [
        ("other", "2024-03-01", True)]


# -- general rules: agencies, countries, people -------------------------------------------------
def test_an_acronym_the_article_defines_wins_over_the_gazetteers():
    result = _entities("Guatemala's Superintendency of Tax Administration (SAT) met CBP. SAT "
                       "officers attended.")
    agencies = {a.name: a for a in result.agencies.values() if a.mentions}
    assert set(agencies) == {"Superintendency of Tax Administration",
                             "U.S. Customs and Border Protection"}
    sat = agencies["Superintendency of Tax Administration"]
    assert sat.country == "GT" and len(sat.mentions) == 3
    assert "Guatemala's Superintendency of Tax Administration" in sat.aliases


def test_a_name_the_gazetteer_lacks_joins_the_body_its_acronym_names():
    result = _entities("The Directorate General of Customs and Excise (DJBC) of Indonesia met "
                       "the ABF.")
    names = {a.name for a in result.agencies.values() if a.mentions}
    assert names == {"Directorate General of Customs and Excise of Indonesia",
                     "Australian Border Force"}


def test_organisation_names_split_and_join_where_a_reader_would():
    result = _entities("Osaka Customs and Nagoya Customs held a seminar with the Customs and "
                       "Tariff Bureau and the Regional Office for Capacity Building in Bangkok. "
                       "He met the attaché of the Embassy of Japan in the Russian Federation. "
                       "The 11th Korea-Thailand Customs Heads Meeting opened.")
    agencies = {a.name: a for a in result.agencies.values() if a.mentions}
    assert set(agencies) == {"Osaka Customs", "Nagoya Customs", "Customs and Tariff Bureau",
                             "Regional Office for Capacity Building",
                             "Embassy of Japan in the Russian Federation"}
    assert agencies["Osaka Customs"].country == "JP"  # an ISO 3166-2 region of Japan
    assert agencies["Nagoya Customs"].country is None  # a city is not one


def test_a_fuzzy_match_keeps_the_words_that_set_a_name_apart():
    result = _entities("Director General of Customs and Excise Wirasakti spoke.")
    assert not [a for a in result.agencies.values() if a.reference == "gb-hmce"]


def test_people_named_by_one_name_or_with_a_country_for_a_surname():
    result = _entities("The Directorate General of Customs and Excise (DJBC) of Indonesia "
                       "hosted the talks. Director General of Customs and Excise Wirasakti "
                       "opened them. Wirasakti said the DJBC would act. Serbian Finance Minister "
                       "Petar Mali attended. Head of Vladivostok customs Andrei Kovalenko met "
                       "with the customs attaché of the Embassy of Japan in the Russian "
                       "Federation Takeshi Nakamura.")
    people = {p.name: p for p in result.people.values()}
    assert people["Wirasakti"].organisation == "id-djbc" and len(people["Wirasakti"].mentions) == 2
    assert people["Petar Mali"].country == "RS" and "ML" not in result.country_mentions
    ministry = result.agencies[people["Petar Mali"].organisation]
    assert ministry.name == "Ministry of Finance of Serbia"
    assert people["Takeshi Nakamura"].post.startswith("attaché")
    assert result.agencies[people["Takeshi Nakamura"].organisation].country == "JP"
    assert people["Andrei Kovalenko"].organisation == "ru-vladivostok-customs"
    none = _entities("EEC Minister in charge of Customs Cooperation, Eldar Alisherov, spoke.")
    assert {p.name for p in none.people.values()} == {"Eldar Alisherov"}


def test_names_do_not_grow_over_a_date_or_another_body():
    text = ("The Commission and the State Revenue Committee signed a roadmap. A seminar was held "
            "at the centre of the State Revenue Committee on October 10.")
    names = {a.name for a in _entities(text).agencies.values()}
    assert "Commission and the State Revenue Committee" not in names
    assert "State Revenue Committee on October" not in names


def test_a_ministry_named_through_a_post_takes_its_country():
    result = _entities("The agreement was signed at the Ministry of Finance in Accra by the "
                       "Minister for Finance of Ghana, Kwame Asante Boateng.")
    ministry = next(a for a in result.agencies.values() if a.kind == "ministry")
    assert (ministry.name, ministry.country) == ("Ministry of Finance of Ghana", "GH")
    assert "Ministry of Finance" in ministry.aliases


def test_a_director_general_for_a_field_heads_a_directorate_general():
    result = _entities("The meeting was co-chaired by the Director-General for Taxation and "
                       "Customs Union of the European Commission, Nikos Varelas.")
    names = {a.name for a in result.agencies.values() if a.mentions}
    assert names == {"Directorate-General for Taxation and Customs Union", "European Commission"}


def test_capitals_are_countries_only_as_the_subject_of_a_deal():
    signed = extract_article("Customs deal\nMoscow and Beijing signed a protocol on customs "
                             "cooperation on 5 May 2023.", name="x.txt", evidence=False)
    assert signed["countries"] == ["RU", "CN"]
    assert signed["agreements"][0]["parties"] == ["RU", "CN"]
    place = _entities("Talks were held in Moscow and Beijing signed nothing.")
    assert not place.country_mentions


# -- general rules: agreements ------------------------------------------------------------------
def test_titles_stop_at_a_new_object_or_a_verb_and_plans_keep_their_years():
    body = ("Customs talks\nThe Customs Committee of the Republic of Uzbekistan and the Customs "
            "Service of Tajikistan signed a protocol on the organisation of joint customs control "
            "and an action plan for 2024-2025 on 23 February 2024. Both agencies adopted a Joint "
            "Action Plan 2026-2028. A protocol on data exchange entered into force on 1 October "
            "2023.\n")
    agreements = extract_article(_article(body, "2024-02-27"), name="x.txt",
                                 evidence=False)["agreements"]
    by_title = {a["title"]: a for a in agreements}
    assert set(by_title) == {"protocol on the organisation of joint customs control",
                             "action plan for 2024-2025", "Joint Action Plan 2026-2028",
                             "protocol on data exchange"}
    assert by_title["action plan for 2024-2025"]["signed"] == "2024-02-23"
    adopted = by_title["Joint Action Plan 2026-2028"]
    assert (adopted["valid_from"], adopted["valid_to"], adopted["signed"]) == ("2026", "2028",
                                                                               None)
    assert len(adopted["parties"]) == 2  # "Both agencies" adopted it, nobody signed it
    assert by_title["protocol on data exchange"]["in_force"] == "2023-10-01"


def test_a_headline_agreement_is_the_one_the_body_names_and_unnamed_minutes_are_kept():
    body = ("Vietnam, Cambodia customs to sign MoU on transit goods\nThe General Department of "
            "Vietnam Customs and the General Department of Customs and Excise of Cambodia met in "
            "Siem Reap on March 21. Following the meeting, the sides signed the minutes. They "
            "agreed to sign a memorandum of understanding on the control of goods in transit "
            "next month. The agreement on a joint patrol was reached.\n")
    document = extract_article(_article(body, "2024-03-25"), name="x.txt", evidence=False)
    titles = [a["title"] for a in document["agreements"]]
    assert titles == ["minutes of the meeting",
                      "memorandum of understanding on the control of goods in transit"]
    mou = document["agreements"][1]
    assert "MoU on transit goods" in mou["aliases"] and mou["signed"] is None
    assert document["agreements"][0]["signed"] == "2024-03-21"
    planned = [e for e in document["events"] if e.get("planned")]
    assert [(e["kind"], e["date"]) for e in planned] == [("signing", "2024-04")]


def test_an_in_force_date_may_come_before_the_agreement_and_may_lie_ahead():
    body = ("Customs data\nThe full exchange is scheduled to start on 15 May 2025, when the Free "
            "Trade Agreement between the EAEU and Iran enters into force.\n")
    document = extract_article(_article(body, "2024-10-02"), name="x.txt", evidence=False)
    fta = document["agreements"][0]
    assert fta["title"] == "Free Trade Agreement between the EAEU and Iran"
    assert fta["in_force"] == "2025-05-15" and "status" not in fta
    assert [(e["kind"], e["date"]) for e in document["events"]] == [("other", "2025-05-15")]


# -- general rules: events ----------------------------------------------------------------------
def test_announced_events_from_months_quarters_and_until():
    body = ("Customs pilot\nThe Korea Customs Service and the Thai Customs Department held talks "
            "in Bangkok on 20 November 2023. The two customs administrations will begin "
            "exchanging data from March 2024. Test exchanges will be carried out in the first "
            "quarter of 2025, and the full exchange is scheduled to start on 15 May 2025. A "
            "pilot will start from June 1. The pilot will run until August 31. If the pilot is "
            "successful, it will be extended in the second half of 2025.\n")
    events = extract_article(_article(body, "2023-11-24"), name="x.txt", evidence=False)["events"]
    planned = [(e["kind"], e["date"], len(e["participants"])) for e in events if e.get("planned")]
    assert planned == [("other", "2024-03", 2), ("other", "2025-01/2025-03", 2),
                       ("other", "2025-05-15", 2), ("other", "2024-06-01/2024-08-31", 2)]


def test_signings_on_the_sidelines_or_during_a_visit_are_events_of_their_own():
    body = ("Customs pact\nThe 29th regional meeting of heads of customs was held in Ulaanbaatar "
            "from 14 to 16 May 2024. On the margins of the meeting, the Mongolian Customs General "
            "Administration and the Korea Customs Service signed a memorandum of understanding "
            "on customs laboratories. The General Administration of Customs of China and the "
            "Customs Administration of Serbia on Wednesday signed an arrangement on the mutual "
            "recognition of authorized economic operators during a state visit to Serbia.\n")
    events = extract_article(_article(body, "2024-05-09"), name="x.txt", evidence=False)["events"]
    assert [(e["kind"], e["date"]) for e in events] == [
        ("meeting", "2024-05-14/2024-05-16"), ("signing", "2024-05"), ("visit", "2024-05-08"),
        ("signing", "2024-05-08")]


def test_a_signing_on_the_sidelines_dates_the_meeting_it_was_held_at():
    body = ("Customs pact\nThe Korea Customs Service signed an AEO mutual recognition "
            "arrangement with the Thai Customs Department in Bangkok on Thursday. The two heads "
            "signed the arrangement on the sidelines of the 11th Korea-Thailand Customs Heads "
            "Meeting.\n")
    document = extract_article(_article(body, "2023-11-24"), name="x.txt", evidence=False)
    assert [a["name"] for a in document["agencies"]] == ["Korea Customs Service",
                                                         "Thai Customs Department"]
    assert [(e["kind"], e["date"]) for e in document["events"]] == [
        ("signing", "2023-11-23"), ("meeting", "2023-11-23")]


def test_what_is_only_considered_offered_or_conditional_is_no_event():
    body = ("Customs talks\nThe Far Eastern Customs Directorate and Harbin Customs held a working "
            "meeting in Khabarovsk on 18 April 2024. They discussed the possibility of holding a "
            "joint seminar. Harbin Customs invited the delegation to visit Harbin next year. "
            "Both sides agreed to start negotiations on an agreement. If the pilot succeeds, "
            "a workshop will be held in May.\n")
    events = extract_article(_article(body, "2024-04-22"), name="x.txt", evidence=False)["events"]
    assert [(e["kind"], e["date"]) for e in events] == [("meeting", "2024-04-18")]


def test_a_reception_is_a_visit_and_the_visit_is_the_meeting_told_before():
    received = ("Customs visit\nThe Comptroller-General of the Nigeria Customs Service on Tuesday "
                "received the Director General of Customs of the Republic of Benin in Abuja. "
                "During the visit, the two administrations agreed to set up joint patrols. The "
                "joint patrols will begin next month.\n")
    events = extract_article(_article(received, "2024-02-22"), name="x.txt",
                             evidence=False)["events"]
    assert [(e["kind"], e["date"], e.get("planned", False)) for e in events] == [
        ("visit", "2024-02-20", False), ("other", "2024-03", True)]
    assert len(events[0]["participants"]) == 2
    met = ("Customs visit\nOn February 14, Head of Vladivostok customs Andrei Kovalenko met with "
           "the customs attaché of the Embassy of Japan in the Russian Federation Takeshi "
           "Nakamura. At the end of the visit the guest thanked his hosts.\n")
    events = extract_article(_article(met, "2024-02-16"), name="x.txt", evidence=False)["events"]
    assert [(e["kind"], e["date"]) for e in events] == [("visit", "2024-02-14")]


def test_those_who_took_part_join_the_event_just_told():
    body = ("Customs data\nThe Eurasian Economic Commission held a videoconference with the "
            "Islamic Republic of Iran Customs Administration on 30 September. Representatives "
            "of the customs authorities of the EAEU member states took part.\n")
    document = extract_article(_article(body, "2024-10-02"), name="x.txt", evidence=False)
    assert document["events"][0]["participants"] == [
        "Eurasian Economic Commission", "Islamic Republic of Iran Customs Administration",
        "customs authorities of the EAEU countries"]


def test_joint_operations_and_joint_trainings_are_events():
    body = ("Border operation\nThe Ghana Revenue Authority and the Togolese Revenue Office "
            "conducted a joint anti-smuggling operation at the Aflao border from 3 to 9 March "
            "2025. The operation led to 40 seizures. In February, the two authorities also "
            "held a joint training on risk profiling in Lome. The operation of the Aflao "
            "checkpoint and the training centre in Accra were discussed.\n")
    events = extract_article(_article(body, "2025-03-14"), name="x.txt", evidence=False)["events"]
    assert [(e["kind"], e["date"], len(e["participants"])) for e in events] == [
        ("other", "2025-03-03/2025-03-09", 2), ("training", "2025-02", 2)]


def test_a_hosted_delegation_is_a_visit_and_days_of_talks_are_talks():
    hosted = ("Customs visit\nIn May, the Zambia Revenue Authority hosted a delegation of the "
              "Malawi Revenue Authority in Lusaka.\n")
    events = extract_article(_article(hosted, "2024-06-03"), name="x.txt",
                             evidence=False)["events"]
    assert [(e["kind"], e["date"], len(e["participants"])) for e in events] == [
        ("visit", "2024-05", 2)]
    talks = ("Customs talks\nThe Customs Administration of Serbia and the Customs Administration "
             "of Montenegro held three days of talks in Podgorica on 4 and 5 June.\n")
    events = extract_article(_article(talks, "2024-06-10"), name="x.txt",
                             evidence=False)["events"]
    assert [(e["kind"], e["date"]) for e in events] == [("talks", "2024-06-04/2024-06-05")]


def test_what_an_announcement_holds_names_its_kind_and_a_later_clause_may_announce():
    body = ("Customs cooperation\nThe Customs Administration of Serbia and the Customs "
            "Administration of Montenegro signed a protocol at the talks in Podgorica on 4 June, "
            "under which joint checks will start from September 2024. The sides also agreed to "
            "hold quarterly video conferences, the first of which is scheduled for July 2. With "
            "the support of the World Customs Organization, officers of both authorities will be "
            "trained in Budva in October. The parties agreed to extend the working hours of the "
            "Dobrakovo crossing from 1 August.\n")
    events = extract_article(_article(body, "2024-06-10"), name="x.txt", evidence=False)["events"]
    planned = [(e["kind"], e["date"]) for e in events if e.get("planned")]
    assert planned == [("other", "2024-09"), ("meeting", "2024-07-02"),
                       ("training", "2024-10"), ("other", "2024-08-01")]
    signing = [e for e in events if e["kind"] == "signing"]
    assert signing and signing[0]["date"] == "2024-06-04"


def test_a_past_mention_of_the_meeting_is_not_the_one_announced():
    body = ("Customs committee\nThe Customs Administration of Serbia and the Customs "
            "Administration of Montenegro held the second meeting of their joint committee in "
            "Belgrade on 3 and 4 June. The two sides signed the minutes of the meeting and agreed "
            "that the next meeting will be held in Podgorica in the second half of the year. On "
            "the sidelines of the meeting, the Montenegrin delegation took part in the Belgrade "
            "Logistics Forum, held on June 4.\n")
    document = extract_article(_article(body, "2024-06-10"), name="x.txt", evidence=False)
    events = document["events"]
    assert [(e["kind"], e["date"], e.get("planned", False)) for e in events] == [
        ("meeting", "2024-06-03/2024-06-04", False), ("meeting", "2024-07/2024-12", True),
        ("forum", "2024-06-04", False)]
    assert events[0]["outcomes"] == ["minutes of the meeting"]
    assert not events[1].get("outcomes")
    assert document["agreements"][0]["signed"] == "2024-06"
    assert events[2]["place"] is None


def test_the_one_met_during_a_visit_is_its_host_and_a_joint_meeting_has_both_sides():
    body = ("Customs visit\nOn 9 and 10 October, the Head of the Customs Administration of Serbia "
            "paid a working visit to Podgorica, where he met with the Director of the Customs "
            "Administration of Montenegro. The results were reviewed at a joint evaluation "
            "meeting in Bar on 11 October, attended by officials of the Customs Administration "
            "of Montenegro.\n")
    events = extract_article(_article(body, "2024-10-14"), name="x.txt", evidence=False)["events"]
    assert [(e["kind"], e["date"]) for e in events] == [
        ("visit", "2024-10-09/2024-10-10"), ("meeting", "2024-10-11")]
    assert "ME" in events[0]["participants"]  # the host met in Podgorica
    assert "Customs Administration of Serbia" in events[1]["participants"]


# -- general rules: summary lines ---------------------------------------------------------------
def test_summary_counts_in_words_with_the_noun_left_out_or_shared():
    body = ("Review\nIn 2023, the Mongolian Customs General Administration held three bilateral "
            "meetings with the General Administration of Customs of China, two with the Federal "
            "Customs Service of Russia and one with the Korea Customs Service. Its officers took "
            "part in a dozen training courses organised by the World Customs Organization. In "
            "the first quarter of 2024, it held 6 working meetings and 2 video conferences with "
            "Japan Customs. Since the beginning of the year it has held 14 bilateral events with "
            "the Korea Customs Service, including 6 working meetings and 3 expert "
            "consultations.\n")
    events = extract_article(_article(body, "2024-10-19"), name="x.txt", evidence=False)["events"]
    summaries = [(e["kind"], e["count"], e["date"], e["participants"][-1]) for e in events
                 if e.get("aggregate")]
    assert summaries == [
        ("meeting", 3, "2023", "General Administration of Customs of the People's Republic of "
                               "China"),
        ("meeting", 2, "2023", "Federal Customs Service of Russia"),
        ("meeting", 1, "2023", "Korea Customs Service"),
        ("training", 12, "2023", "World Customs Organization"),
        ("meeting", 6, "2024-01/2024-03", "Japan Customs"),
        ("meeting", 2, "2024-01/2024-03", "Japan Customs"),
        ("meeting", 14, "2024-01/2024-10", "Korea Customs Service")]


def test_summaries_of_the_two_sides_and_of_a_named_subject():
    body = ("Review\nThe General Department of Vietnam Customs and the Lao Customs Department met "
            "in Vientiane. In the 2019-2023 period, the customs forces of the two countries "
            "conducted nine joint patrols. The General Department of Vietnam Customs and the Lao "
            "Customs Department carried out three joint operations in 2023.\n")
    events = extract_article(_article(body, "2024-01-12"), name="x.txt", evidence=False)["events"]
    summaries = [(e["kind"], e["count"], e["date"], len(e["participants"])) for e in events
                 if e.get("aggregate")]
    assert summaries == [("other", 9, "2019/2023", 2), ("other", 3, "2023", 2)]


def test_a_compass_word_gives_a_body_no_country():
    """"East" is a region of Cameroon, but "East African Community Secretariat" is not
    Cameroon's."""
    result = _entities("The East African Community Secretariat opened the customs meeting.")
    (body,) = [a for a in result.agencies.values() if a.name.startswith("East African")]
    assert body.country is None
    assert "CM" not in result.country_mentions


def test_a_joint_committee_of_two_countries_is_no_agency():
    result = _entities("The Jordanian-Iraqi Joint Customs Committee met in Amman on Monday.")
    assert not [a for a in result.agencies.values() if "Committee" in a.name
                or a.name.lower().startswith("joint")]
    assert {"JO", "IQ"} <= set(result.country_mentions)


def test_holders_of_a_post_in_the_plural_are_no_agency():
    result = _entities("The Heads of Customs Administrations of the Pacific met in Suva. "
                       "Directors of Customs of the region attended.")
    assert not [a.name for a in result.agencies.values()
                if a.name.startswith(("Heads", "Directors"))]


def test_a_short_form_of_a_longer_name_is_the_same_body():
    result = _entities("Canada's Border Agency hosted the talks. The Border Agency of Canada "
                       "signed a memorandum with the Bureau of Customs.")
    bodies = [a for a in result.agencies.values() if "Border Agency" in a.name]
    assert len(bodies) == 1 and bodies[0].name == "Border Agency of Canada"
    assert len(bodies[0].mentions) == 2


def test_a_body_named_again_in_brackets_is_one_body():
    result = _entities("Brazil's Federal Revenue Service (Receita Federal) met Paraguayan "
                       "customs. Receita Federal reported the seizure.")
    brazil = [a for a in result.agencies.values() if a.country == "BR"]
    assert len(brazil) == 1
    names = {brazil[0].name, *brazil[0].aliases}
    assert {"Receita Federal", "Federal Revenue Service"} <= names
