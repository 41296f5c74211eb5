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
from loaders.articles.dates import find_dates
from loaders.articles.entities import recognise_entities
from loaders.articles.evaluate import date_right, evaluate, format_report, report_json
from loaders.articles.reading import parse_article, read_article
from loaders.articles.sentences import split_sentences
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
    assert date_right(None, None) and not date_right("2019", None)
    assert date_right("2019-06-27/2019-06-29", "2019-06-27/2019-06-29")


def test_corpus_scores_meet_the_targets(corpus: Path):
    started = time.perf_counter()
    report = evaluate(corpus)
    elapsed = time.perf_counter() - started
    categories = report["categories"]
    assert report["articles"] == len(list((corpus / "gold").glob("*.yaml")))
    assert categories["agencies"]["f1"] >= 0.85
    assert categories["countries"]["f1"] >= 0.85
    assert categories["agreements"]["f1"] >= 0.75
    assert categories["events"]["f1"] >= 0.65
    assert report["dates"]["accuracy"] >= 0.8
    assert report["extraction_seconds"] < 5 and elapsed < 10
    assert json.loads(report_json(report))["categories"] == categories
    assert "agencies" in format_report(report)
