"""An article to a records document: the agencies, countries, people, agreements and events it
states, each with evidence (the sentence it came from, the extractor's version, a confidence).

Every record carries ``evidence``::

    evidence:
      source: 04_vietnamplus_vietnam_netherlands_mou   # the document's source id
      span: [412, 655]          # characters of the input text (the file as read) …
      sentence: "Deputy Minister of Finance …"          # … and the sentence they hold
      extractor: customs-kg-extract 0.2.0
      confidence: 0.8           # 0–1: how sure the extractor is of the record

``evidence`` is part of the records format (``$defs/evidence`` of the records schema):
``customs-kg load`` turns it into PROV-O statements. ``evidence=False`` (or ``strip_evidence``)
gives the bare records.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

from graph.errors import SourceError
from loaders.articles.agreements import find_agreements
from loaders.articles.agreements.analysis import Agreement
from loaders.articles.confidence import (
    agency_confidence,
    agreement_confidence,
    event_confidence,
)
from loaders.articles.dates import (
    DateMention,
)
from loaders.articles.document import main_parties
from loaders.articles.entities import recognise_entities
from loaders.articles.entities.analysis import AgencyEntity, EntityAnalysis
from loaders.articles.events import find_events
from loaders.articles.events.registry import Event
from loaders.articles.evidence import quoted_sentence
from loaders.articles.reading import Article, parse_article, read_article
from loaders.articles.sentence_dates import (
    context_years,
    drop_dateline_dates,
    resolve_anaphoric_dates,
    sentence_dates,
)
from loaders.articles.sentences import Sentence, clause_end, split_sentences
from loaders.articles.summaries import Summary, find_summaries
from loaders.records import format_records

EXTRACTOR_VERSION = "0.2.0"
EXTRACTOR = f"customs-kg-extract {EXTRACTOR_VERSION}"
SECTIONS = ("countries", "agencies", "people", "agreements", "events")

_ENGLISH = frozenset({"the", "of", "and", "to", "in", "a", "is", "was", "for", "on", "with",
                      "that", "by", "as", "at", "from", "it", "be", "are", "were", "has",
                      "have", "which", "this", "its", "an", "will", "their", "also"})
_GENERIC_TITLE_WORDS = frozenset({"free", "trade", "agreement", "mutual", "recognition",
                                  "arrangement", "memorandum", "of", "understanding",
                                  "cooperation", "protocol", "treaty", "convention", "mou",
                                  "fta", "mra", "the", "a", "an", "plan", "minutes",
                                  "assistance", "administrative", "customs", "accord", "pact"})


def _check_language(article: Article) -> None:
    """SourceError for a text that is not English prose (the extractor reads English)."""
    body = article.text[article.body_start:]
    letters = [c for c in body if c.isalpha()]
    if not letters:
        return
    latin = sum(1 for c in letters if c.isascii())
    words = re.findall(r"[a-z]+", body.lower())
    if len(letters) >= 200 and latin / len(letters) < 0.5:
        raise SourceError(f"{article.name}: the text is not in English (mostly non-Latin "
                          f"script); the extractor reads English articles")
    if len(words) >= 40 and sum(w in _ENGLISH for w in words) / len(words) < 0.08:
        raise SourceError(f"{article.name}: the text does not look like English; the "
                          f"extractor reads English articles")


_LABEL = re.compile(r"(?i)\W*(?:(?:press|news|media)\s+(?:release|statement)|for\s+immediate\s+"
                    r"release|press\s+note|news)\W*")


def _without_label(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences less a label line that opens the text ("PRESS RELEASE"), renumbered:
    the headline is the line after it."""
    if len(sentences) < 2 or not _LABEL.fullmatch(sentences[0].text) or \
            sentences[1].paragraph == sentences[0].paragraph:
        return sentences
    return [Sentence(s.start, s.end, s.text, s.paragraph - 1, n)
            for n, s in enumerate(sentences[1:])]


def _without_repeats(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences less those that repeat an earlier one word for word (a page's <title>
    and its <h1>, a caption printed twice): one statement, one set of records."""
    seen: set[str] = set()
    kept = []
    for sentence in sentences:
        key = " ".join(sentence.text.lower().split())
        if key in seen:
            continue
        seen.add(key)
        kept.append(sentence)
    return kept


def _main_pair(entities: EntityAnalysis) -> list[str]:
    """The two bodies the article is most about (for "the two sides", "the parties")."""
    counts = Counter({key: len(agency.mentions) for key, agency in entities.agencies.items()
                      if agency.kind not in ("union",) and not agency.collective})
    pair = [key for key, _ in counts.most_common(2)]
    if len(pair) < 2:
        countries = Counter({code: len(ms) for code, ms in entities.country_mentions.items()})
        for code, _ in countries.most_common():
            if len(pair) >= 2:
                break
            if code not in pair and all(entities.country_of(p) != code for p in pair):
                pair.append(code)
    return pair


_MEMBERS = re.compile(r"(?i)\bmember\s+(?:states|countries|nations)(?:\s+of|\s*[:,]|"
                      r"\s*,?\s*namely)?\s+|"
                      # "with the customs administrations of A, B and C": counterparts too
                      r"\bwith\s+the\s+customs\s+(?:administrations|services|authorities)\s+"
                      r"of\s+(?:the\s+)?")
# Unions that take part as a party under a code of their own, as the corpus writes them.
_UNION_CODES = {"eu": "EU"}


class _Builder:
    """Turns what the passes found into records with evidence."""

    def __init__(self, article: Article, sentences: list[Sentence], entities: EntityAnalysis,
                 source_id: str, evidence: bool) -> None:
        self.article = article
        self.sentences = {s.index: s for s in sentences}
        self.entities = entities
        self.source_id = source_id
        self.evidence = evidence
        self.emitted: dict[str, str] = {}  # agency key -> reference written in records
        self._references: dict[tuple[int, tuple[str, ...]], list[str]] = {}

    def _evidence(self, sentence: int | None, confidence: float) -> dict[str, Any]:
        item: dict[str, Any] = {"source": self.source_id}
        if sentence is not None and sentence in self.sentences:
            s = self.sentences[sentence]
            start, end = self.article.input_span(s.start, s.end)
            item["span"] = [start, end]
            item["sentence"] = quoted_sentence(s.text)
        item["extractor"] = EXTRACTOR
        item["confidence"] = round(min(max(confidence, 0.05), 0.99), 2)
        return item

    def _with_evidence(self, record: dict[str, Any], sentence: int | None,
                       confidence: float) -> dict[str, Any]:
        if self.evidence:
            record["evidence"] = self._evidence(sentence, confidence)
        return record

    def reference(self, key: str) -> str | None:
        """How records refer to an entity: an ISO code, or the agency's written name."""
        if re.fullmatch(r"[A-Z]{2}", key):
            return key
        agency = self.entities.agencies.get(key)
        if agency is not None and agency.reference in _UNION_CODES:
            return _UNION_CODES[agency.reference]  # the EU as a party: "EU"
        if key in self.emitted:
            return self.emitted[key]
        if agency is not None:
            return self._agency_name(agency)
        return None

    def references(self, keys: list[str]) -> list[str]:
        """The references of these keys, each once, in order; the same keys (the events of a
        long sentence share their participants) are looked up once while ``emitted`` stays."""
        memo_key = (len(self.emitted), tuple(keys))
        out = self._references.get(memo_key)
        if out is None:
            out = list(dict.fromkeys(ref for ref in map(self.reference, keys) if ref))
            self._references[memo_key] = out
        return list(out)

    def _agency_name(self, agency: AgencyEntity) -> str:
        if agency.reference:
            from loaders.articles.gazetteer import gazetteer

            body = gazetteer().bodies.get(agency.reference)
            if body is not None:
                return body.name
        return agency.name

    # -- sections -----------------------------------------------------------------------------
    def agencies(self, involved: set[str]) -> list[dict[str, Any]]:
        records = []
        for key, agency in self.entities.agencies.items():
            if not agency.mentions:
                continue
            mentions = [m for m in agency.mentions if m.role != "anaphora"]
            if not mentions:
                continue
            if agency.reference in _UNION_CODES:
                continue  # the EU: "EU" among the countries, parties and participants
            if agency.kind == "union" or agency.collective:
                real = [m for m in mentions if m.role != "locative"]
                if key not in involved and len(real) < (1 if agency.kind == "union" else 2):
                    continue
            name = self._agency_name(agency)
            aliases = [a for a in agency.aliases if a != name]
            for mention in mentions:  # "CAREC": the form the article uses for a known body
                if mention.role == "acronym" and mention.text not in aliases + [name]:
                    aliases.append(mention.text)
            if agency.reference and agency.name != name and agency.name not in aliases:
                aliases.insert(0, agency.name)
            record: dict[str, Any] = {"name": name, "country": agency.country,
                                      "kind": agency.kind}
            if aliases:
                record["aliases"] = aliases
            if agency.parent and not agency.country:
                from loaders.articles.gazetteer import gazetteer

                parent = gazetteer().bodies.get(agency.parent)
                if parent is not None:
                    record["parent"] = parent.name
            self.emitted[key] = name
            records.append(self._with_evidence(record, mentions[0].sentence,
                                               agency_confidence(agency, mentions,
                                                                 key in involved)))
        return records

    def countries(self, involved: set[str]) -> list[Any]:
        """Countries as parties and participants: those of the agencies, those taking part
        in an event or agreement, those the title or two sentences name. A country named
        once in passing ("cars from Japan") is left out."""
        codes: list[tuple[int, str]] = []
        taking_part = {self.entities.country_of(key) for key in involved} | involved
        members = self._listed_members()
        for code, mentions in self.entities.country_mentions.items():
            standalone = [m for m in mentions if m.role != "inside"]
            if standalone and (code in taking_part or len(standalone) >= 2 or
                               any(m.sentence == 0 for m in standalone) or
                               any((m.sentence, m.start) in members for m in standalone)):
                codes.append((min(m.start for m in standalone), code))
        for key in self.emitted:
            agency = self.entities.agencies[key]
            if agency.country and agency.mentions:
                codes.append((min(m.start for m in agency.mentions), agency.country))
        for key in involved:
            agency = self.entities.agencies.get(key)
            if agency is not None and agency.reference in _UNION_CODES and agency.mentions:
                codes.append((min(m.start for m in agency.mentions),
                              _UNION_CODES[agency.reference]))
        order: dict[str, int] = {}
        for position, code in sorted(codes):
            order.setdefault(code, position)
        records = []
        for code in order:
            mentions = self.entities.country_mentions.get(code, [])
            sentence = mentions[0].sentence if mentions else None
            confidence = 0.9 if len(mentions) > 1 else 0.75
            if self.evidence:
                records.append(self._with_evidence({"code": code}, sentence, confidence))
            else:
                records.append(code)
        return records

    def _listed_members(self) -> set[tuple[int, int]]:
        """Where countries are named as a bloc's members ("the SACU Member States of
        Botswana, Eswatini and Lesotho") or as counterparts by their administrations ("with the
        customs administrations of A, B and C"): (sentence, start) of each, taking part."""
        found: set[tuple[int, int]] = set()
        for index, sentence in self.sentences.items():
            for match in _MEMBERS.finditer(sentence.text):
                stop = sentence.start + clause_end(sentence.text, match.end())
                at = sentence.start + match.end()
                for mention in self.entities.starting_in(index, at, stop):
                    gap = self.article.text[at:mention.start]
                    if not re.fullmatch(r"(?i)[\s,]*(?:and\s+)?(?:the\s+)?", gap):
                        break
                    if mention.kind == "country":
                        found.add((index, mention.start))
                    at = mention.end
        return found

    def people(self) -> list[dict[str, Any]]:
        records = []
        for person in self.entities.people.values():
            if not person.organisation or not person.mentions:
                continue
            organisation = self.reference(person.organisation)
            if organisation is None:
                continue
            post = {"title": _post_title(person.post), "organisation": organisation}
            record = {"name": person.name, "posts": [post]}
            records.append(self._with_evidence(record, person.mentions[0].sentence, 0.7))
        return records

    def agreement(self, agreement: Agreement) -> dict[str, Any]:
        parties = self.references(_dedupe_parties(agreement.parties, self.entities))
        title = agreement.title
        aliases = list(agreement.aliases)
        if set(re.findall(r"[a-z]+", title.lower())) <= _GENERIC_TITLE_WORDS and parties:
            short = [self._short(p) for p in agreement.parties[:2]]
            aliases.insert(0, title)
            title = f"{'–'.join(short)} {title}"
        record: dict[str, Any] = {"title": title}
        for acronym in sorted(agreement.acronyms):
            if acronym not in title.split() and f"({acronym})" not in title:
                aliases.append(acronym)
        if aliases:
            record["aliases"] = list(dict.fromkeys(aliases))
        record["kind"] = agreement.kind
        if parties:
            record["parties"] = parties
        signed = agreement.signed.value if agreement.signed else None
        in_force = agreement.in_force.value if agreement.in_force else None
        valid = agreement.valid.value if agreement.valid else None
        record["signed"] = signed.split("/")[0] if signed else None
        record["in_force"] = in_force.split("/")[0] if in_force else None
        applies = agreement.valid_from.value if agreement.valid_from is not None else None
        if applies and "/" in applies and (not valid or len(applies) > len(valid)):
            # "applies from 15 July to 15 September": finer than the plan's years
            record["valid_from"], record["valid_to"] = applies.split("/")
        elif valid and "/" in valid:
            record["valid_from"], record["valid_to"] = valid.split("/")
        elif applies:
            record["valid_from"] = applies.split("/")[0]
        if agreement.valid_to and not record.get("valid_to"):
            record["valid_to"] = agreement.valid_to
        published = self.article.published
        if agreement.renewed_years and not record.get("valid_to") and published:
            record["valid_to"] = str(published.year + agreement.renewed_years)
        if record["signed"] and record["in_force"] and record["in_force"] < record["signed"]:
            record["in_force"] = None
        date_text = agreement.date_text
        if date_text is None and agreement.signed is not None and (
                agreement.signed.kind in ("relative", "anaphoric") or not signed):
            date_text = agreement.signed.text
        if date_text:
            record["date_text"] = date_text
        status = agreement.status
        if status == "in-force" and published and record["in_force"] and \
                record["in_force"] > published.isoformat()[:len(record["in_force"])]:
            status = "signed" if record["signed"] else None  # "is expected to take effect …"
        if status:
            record["status"] = status
        first = agreement.mentions[0].sentence if agreement.mentions else None
        return self._with_evidence(record, first, agreement_confidence(agreement, parties))

    def _short(self, key: str) -> str:
        if re.fullmatch(r"[A-Z]{2}", key):
            from loaders.articles.gazetteer import gazetteer

            return gazetteer().country_names.get(key, key)
        agency = self.entities.agencies.get(key)
        if agency is None:
            return key
        names = list(agency.aliases)
        if agency.reference:
            from loaders.articles.gazetteer import gazetteer

            body = gazetteer().bodies.get(agency.reference)
            names += body.aliases if body else []
        acronyms = [a for a in names if re.fullmatch(r"[A-Z]{2,6}", a)]
        return acronyms[0] if acronyms else self._agency_name(agency)

    def event(self, event: Event, titles: dict[str, str]) -> dict[str, Any]:
        record: dict[str, Any] = {"kind": event.kind, "date": event.date_value}
        if event.date_text:
            record["date_text"] = event.date_text
        record["place"] = event.place
        record["participants"] = self.references(event.participants)
        if event.topics:
            record["topics"] = event.topics
        outcomes = [titles[k] for k in event.outcomes if k in titles]
        if outcomes:
            record["outcomes"] = outcomes
        if event.planned:
            record["planned"] = True
        return self._with_evidence(record, event.sentence,
                                   event_confidence(event.confidence, record["participants"],
                                                    event.date_value, event.planned,
                                                    event.within))

    def summary(self, summary: Summary, year: str | None) -> dict[str, Any]:
        record: dict[str, Any] = {"kind": summary.kind, "date": year,
                                  "participants": self.references(summary.participants),
                                  "aggregate": True, "count": summary.count}
        return self._with_evidence(record, summary.sentence,
                                   event_confidence(0.6, record["participants"], year, False))


def _post_title(post: str | None) -> str:
    if not post:
        return "Staff"
    title = re.split(r"\s+(?:of|to|for|at|in charge of)\s+", post, maxsplit=1)[0]
    return title[:1].upper() + title[1:]


def _dedupe_parties(keys: list[str], entities: EntityAnalysis) -> list[str]:
    """Parties without a country whose own agency signs too (SG beside Singapore Customs)."""
    agencies = [k for k in keys if not re.fullmatch(r"[A-Z]{2}", k)]
    covered = {entities.country_of(k) for k in agencies}
    kept = [k for k in keys if not (re.fullmatch(r"[A-Z]{2}", k) and k in covered)]
    unions = [k for k in kept if entities.agencies.get(k) is not None and
              entities.agencies[k].kind == "union" and len(kept) > 2]
    return [k for k in kept if k not in unions]


def _source_id(name: str) -> str:
    stem = Path(name).stem if name else "article"
    slug = re.sub(r"[^A-Za-z0-9._~-]+", "-", stem).strip("-._~") or "article"
    return slug


def extract_article(text: str, *, name: str, published: str | dt.date | None = None,
                    evidence: bool = True) -> dict[str, Any]:
    """The records an article states, as a records document (see docs/records.md).

    ``text`` is the file's text (plain, Markdown or HTML, with or without the corpus header);
    ``published`` is used when the header gives no publication date. SourceError for a text
    that is no article (binary, too large, not English); an empty article gives no records.
    """
    article = parse_article(text, name=name, published=published)
    return extract(article, evidence=evidence)


def extract_file(path: str | Path, *, published: str | dt.date | None = None,
                 evidence: bool = True) -> dict[str, Any]:
    """``extract_article`` for a file on disk."""
    return extract(read_article(path, published=published), evidence=evidence)


def extract_files(paths: list[str | Path], *, published: str | dt.date | None = None
                  ) -> list[dict[str, Any]]:
    """The records document of each article, in order; the first SourceError stops it."""
    return [extract_file(path, published=published) for path in paths]


def write_records_files(paths: list[str | Path], out_dir: str | Path, *, fmt: str = "yaml",
                        published: str | dt.date | None = None) -> list[Path]:
    """Extract each article into ``out_dir/NAME.yaml`` (or ``.json``), one file per article
    named after it, all or nothing: every article is read before anything is written."""
    suffix = ".json" if fmt == "json" else ".yaml"
    targets: dict[Path, Path] = {}
    for path in map(Path, paths):
        target = Path(out_dir) / (path.stem + suffix)
        if target in targets:
            raise SourceError(f"{targets[target]} and {path} would both be written to {target}")
        targets[target] = path
    documents = extract_files(list(targets.values()), published=published)
    try:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        for target, document in zip(targets, documents, strict=True):
            target.write_text(format_records([document], fmt), encoding="utf-8")
    except OSError as err:
        raise SourceError(f"{err.filename or out_dir}: cannot write: {err.strerror}") from err
    return list(targets)


def extract(article: Article, *, evidence: bool = True) -> dict[str, Any]:
    """The records document of an Article already read."""
    source_id = _source_id(article.name)
    source: dict[str, Any] = {"id": source_id}
    if article.title:
        source["title"] = article.title[:300]
    if article.source and re.match(r"https?://", article.source):
        source["url"] = article.source
    source["published"] = article.published.isoformat() if article.published else "unknown"
    document: dict[str, Any] = {"source": source}
    if not article.text[article.body_start:].strip():
        return document
    _check_language(article)
    sentences = _without_repeats(_without_label(split_sentences(article.text,
                                                                article.body_start)))
    entities = recognise_entities(article.text, sentences)
    dates = {s.index: sentence_dates(s, article.published) for s in sentences}
    drop_dateline_dates(sentences, dates)
    resolve_anaphoric_dates(sentences, dates)
    pair = _main_pair(entities)
    agreements = find_agreements(article.text, sentences, entities, dates, pair,
                                 main_parties(sentences, entities, pair))
    summaries = find_summaries(sentences, entities, pair)
    summary_sentences = {s.sentence for s in summaries}
    events = find_events(sentences, entities, agreements, dates, article.published,
                         summary_sentences, pair)
    years = context_years(sentences)

    involved: set[str] = set()
    for agreement in agreements.agreements.values():
        involved.update(agreement.parties)
    for event in events:
        involved.update(event.participants)
    for summary in summaries:
        involved.update(summary.participants)

    builder = _Builder(article, sentences, entities, source_id, evidence)
    agency_records = builder.agencies(involved)
    agreement_records = [builder.agreement(a) for a in agreements.agreements.values()]
    titles = {key: record["title"] for key, record in
              zip(agreements.agreements, agreement_records, strict=True)}
    event_records = [builder.event(e, titles) for e in events]
    event_records += [builder.summary(s, _summary_year(s, dates, years, article.published))
                      for s in summaries]
    document["countries"] = builder.countries(involved)
    document["agencies"] = agency_records
    document["people"] = builder.people()
    document["agreements"] = agreement_records
    document["events"] = event_records
    return document


def _summary_year(summary: Summary, dates: dict[int, list[DateMention]],
                  years: dict[int, str], published: dt.date | None = None) -> str | None:
    """The period a summary line covers: a year ("in 2019", "last year") or a part of one
    ("in the first quarter of 2024"), else the year the paragraph set."""
    for date in dates.get(summary.sentence, []):
        if not date.value:
            continue
        parts = date.value.split("/")
        if date.open_end and published and len(parts) == 1:  # "since February 2022"
            return f"{date.value}/{published.isoformat()[:len(date.value)]}"
        if date.precision == "year":  # "in 2019", "last year", "in the 2019-2023 period"
            return date.value
        if date.precision == "month" and len(parts) == 2 and parts[0][:4] == parts[1][:4]:
            return date.value
    return years.get(summary.sentence)


def strip_evidence(document: dict[str, Any]) -> dict[str, Any]:
    """The document without ``evidence`` (country objects back to codes): the bare records."""
    clean = copy.deepcopy(document)
    for section in SECTIONS:
        items = clean.get(section)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if isinstance(item, dict):
                item.pop("evidence", None)
                if section == "countries" and set(item) == {"code"}:
                    items[i] = item["code"]
    return clean
