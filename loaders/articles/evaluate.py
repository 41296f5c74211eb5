"""Accuracy of the extractor on a corpus (``articles/`` and ``gold/`` as in
``../shared/corpus``): precision, recall and F1 per category, and how often the dates of
matched items are right, by the rules of the corpus's reference scorer (``score.py``, which is
not shipped: its rules are restated here, and a test holds the two to the same figures).

Names are compared in a normal form (lower case, punctuation and the words "the", "of",
"and", "for", "in", "on", "a" dropped) by rapidfuzz's token set ratio, 85 out of 100 or more.
Agencies match by name, alias or acronym. Countries are sets of codes. An agreement matches a
gold one with a close title (70 or more) when they share a party (or the gold names none), or
with a compatible kind when they share two parties (one, if the gold names one); an event
matches when it shares a participant (or, the gold naming none, its topics are close) and its
date is not wrong. A party or participant is a country code, or a name, which also stands for
the country its document's agency record gives. Each gold item matches one extracted item at
most, best score first. Dates are checked on matched items where the gold gives one, at the
gold's precision (the start of a range): agreements on each of signed, in force, valid from and
valid to, events on their date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from graph.errors import SourceError
from loaders.articles.extract import extract_file

CATEGORIES = ("agencies", "countries", "agreements", "events")
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
AGREEMENT_DATES = ("signed", "in_force", "valid_from", "valid_to")
_COMPATIBLE_KINDS = {("memorandum", "mutual-assistance"), ("mutual-assistance", "memorandum"),
                     ("talks", "meeting"), ("meeting", "talks"), ("visit", "meeting"),
                     ("meeting", "visit"), ("signing", "meeting"), ("meeting", "signing")}
_NAME_STOP = re.compile(r"\b(the|of|and|for|in|on|a)\b")
_CODE = re.compile(r"[A-Za-z]{2}")


def normal_form(value: Any) -> str:
    """A name as the scorer compares it: lower case, no punctuation, no small words."""
    text = re.sub(r"[^\w\s]", " ", str(value or "").lower())
    return " ".join(_NAME_STOP.sub(" ", text).split())


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _text_of(value: Any) -> str:
    """A party or participant: a string, or a record with a name, label, code or id."""
    if isinstance(value, dict):
        for key in ("name", "label", "title", "code", "iso", "id"):
            if value.get(key):
                return str(value[key])
        return ""
    return str(value)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value).strip() or None


def _similarity(a: str, b: str) -> float:
    return fuzz.token_set_ratio(a, b)


def names_match(a: Any, b: Any) -> bool:
    """Two names are one: equal, or a token set ratio of 85 or more, in normal form."""
    a, b = normal_form(a), normal_form(b)
    if not a or not b:
        return False
    return a == b or _similarity(a, b) >= 85


class _Names:
    """The agency names, aliases, acronyms and ids of one document, each with the record's
    name and country, for reading its parties and participants."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.by_key: dict[str, tuple[Any, str | None]] = {}
        for agency in _list(document.get("agencies")):
            if not isinstance(agency, dict):
                agency = {"name": agency}
            name = agency.get("name") or agency.get("label") or agency.get("id")
            country = agency.get("country") or agency.get("jurisdiction")
            if isinstance(country, dict):
                country = country.get("code") or country.get("iso")
            keys = [name, agency.get("id"), *_list(agency.get("aliases")),
                    *_list(agency.get("acronym"))]
            for key in keys:
                if key:
                    self.by_key[normal_form(key)] = (name, str(country).upper()
                                                     if country else None)

    def keys(self, reference: Any) -> set[tuple[str, str]]:
        """What a party or participant stands for: a country code, or a name (with the
        record's name and country when the document has a record of it)."""
        text = _text_of(reference).strip()
        if _CODE.fullmatch(text):
            return {("country", text.upper())}
        key = normal_form(text)
        keys = {("name", key)}
        if key in self.by_key:
            name, country = self.by_key[key]
            keys.add(("name", normal_form(name)))
            if country:
                keys.add(("country", country))
        return keys

    def all_keys(self, references: Any) -> list[set[tuple[str, str]]]:
        return [self.keys(x) for x in _list(references)]


def _same(a: set[tuple[str, str]], b: set[tuple[str, str]]) -> bool:
    for kind_a, value_a in a:
        for kind_b, value_b in b:
            if kind_a == kind_b == "country" and value_a == value_b:
                return True
            if kind_a == kind_b == "name" and names_match(value_a, value_b):
                return True
    return False


def _shared(gold: list[set[tuple[str, str]]], predicted: list[set[tuple[str, str]]]) -> int:
    """How many of the gold's parties (participants) the extracted item shares."""
    return sum(1 for g in gold if any(_same(g, p) for p in predicted))


def date_right(predicted: Any, gold: Any) -> bool | None:
    """Whether a date agrees with the gold at the gold's precision (the start of a range, as
    the scorer reads it: 2019-09-09 is right for 2019-09); None when the gold gives none."""
    if gold in (None, ""):
        return None
    return str(predicted or "").split("/")[0].startswith(str(gold).split("/")[0])


def _greedy(gold: list[Any], predicted: list[Any],
            score: Callable[[Any, Any], float]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), best score first (ties: the later
    gold item, then the later extracted one, first, as the scorer sorts them)."""
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            s = score(g, p)
            if s > 0:
                pairs.append((s, i, j))
    pairs.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    matched = []
    for _, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        matched.append((i, j))
    return matched


def _counts(tp: int, fp: int, fn: int) -> dict[str, Any]:
    gold, predicted = tp + fn, tp + fp
    precision = tp / predicted if predicted else (1.0 if gold == 0 else 0.0)
    recall = tp / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 3),
            "recall": round(recall, 3), "f1": round(f1, 3)}


def _agency_score(gold: Any, predicted: Any) -> float:
    gold = gold if isinstance(gold, dict) else {"name": gold}
    predicted = predicted if isinstance(predicted, dict) else {"name": predicted}
    gold_names = [gold.get("name"), *_list(gold.get("aliases"))]
    predicted_names = [predicted.get("name") or predicted.get("label"),
                       *_list(predicted.get("aliases")), *_list(predicted.get("acronym"))]
    best = max((_similarity(normal_form(a), normal_form(b))
                for a in gold_names for b in predicted_names if a and b), default=0)
    return best if best >= 85 else 0


def _country_code(value: Any) -> str:
    text = _text_of(value)
    if isinstance(value, dict):
        text = value.get("code") or value.get("iso") or value.get("alpha2") or text
    return str(text).upper()


def _label(item: Any, key: str) -> str:
    if isinstance(item, dict):
        return str(item.get(key) or item.get("name") or "")
    return str(item)


class _ArticleScore:
    """The matching of one article's extracted records against its gold."""

    def __init__(self, predicted: dict[str, Any], gold: dict[str, Any]) -> None:
        self.predicted = predicted or {}
        self.gold = gold or {}
        self.gold_names, self.predicted_names = _Names(self.gold), _Names(self.predicted)
        self.result: dict[str, Any] = {}
        #: per category, the matched (gold item, extracted item) and the unmatched extracted
        self.pairs: dict[str, list[tuple[Any, Any]]] = {}
        self.unmatched: dict[str, list[Any]] = {}

    def run(self) -> dict[str, Any]:
        self._agencies()
        self._countries()
        self._agreements()
        self._events()
        return self.result

    def _record(self, category: str, gold: list[Any], predicted: list[Any],
                pairs: list[tuple[int, int]], label: Callable[[Any], str]) -> dict[str, Any]:
        matched_g = {i for i, _ in pairs}
        matched_p = {j for _, j in pairs}
        self.pairs[category] = [(gold[i], predicted[j]) for i, j in pairs]
        self.unmatched[category] = [p for j, p in enumerate(predicted) if j not in matched_p]
        result = {"tp": len(pairs), "fp": len(predicted) - len(pairs),
                  "fn": len(gold) - len(pairs),
                  "missed": [label(g) for i, g in enumerate(gold) if i not in matched_g],
                  "extra": [label(p) for j, p in enumerate(predicted) if j not in matched_p]}
        self.result[category] = result
        return result

    def _agencies(self) -> None:
        gold, predicted = _list(self.gold.get("agencies")), _list(self.predicted.get("agencies"))
        self._record("agencies", gold, predicted, _greedy(gold, predicted, _agency_score),
                     lambda a: _label(a, "name"))

    def _countries(self) -> None:
        gold = {str(c).upper() for c in _list(self.gold.get("countries"))}
        records = {_country_code(c): c for c in _list(self.predicted.get("countries"))}
        predicted = set(records)
        self.pairs["countries"] = [(code, records[code]) for code in sorted(gold & predicted)]
        self.unmatched["countries"] = [records[code] for code in sorted(predicted - gold)]
        self.result["countries"] = {"tp": len(gold & predicted), "fp": len(predicted - gold),
                                    "fn": len(gold - predicted), "missed": sorted(gold - predicted),
                                    "extra": sorted(predicted - gold)}

    def _agreement_score(self, gold: dict[str, Any], predicted: dict[str, Any]) -> float:
        title = _similarity(normal_form(gold.get("title")),
                            normal_form(predicted.get("title") or predicted.get("label")))
        gold_kind, kind = gold.get("kind"), predicted.get("kind")
        kind_ok = gold_kind == kind or (gold_kind, kind) in _COMPATIBLE_KINDS or \
            gold_kind == "other"
        gold_parties = self.gold_names.all_keys(gold.get("parties"))
        shared = _shared(gold_parties, self.predicted_names.all_keys(predicted.get("parties")))
        if title >= 70 and (shared or not gold_parties):
            return 2 + title / 100 + shared
        if kind_ok and shared >= min(2, len(gold_parties)) and shared:
            return 1 + title / 100 + shared
        return 0

    def _agreements(self) -> None:
        gold = [g for g in _list(self.gold.get("agreements"))]
        predicted = _list(self.predicted.get("agreements"))
        pairs = _greedy(gold, predicted, self._agreement_score)
        result = self._record("agreements", gold, predicted, pairs,
                              lambda a: _label(a, "title"))
        checked = right = 0
        wrong = []
        for i, j in pairs:
            verdicts = {f: date_right(predicted[j].get(f), gold[i].get(f))
                        for f in AGREEMENT_DATES}
            checked += sum(v is not None for v in verdicts.values())
            right += sum(v is True for v in verdicts.values())
            if False in verdicts.values():
                wrong.append({"title": gold[i].get("title"),
                              "gold": {f: _text(gold[i].get(f)) for f in AGREEMENT_DATES},
                              "extracted": {f: _text(predicted[j].get(f))
                                            for f in AGREEMENT_DATES}})
        result.update({"dates_checked": checked, "dates_right": right, "wrong_dates": wrong})

    def _event_score(self, gold: dict[str, Any], predicted: dict[str, Any]) -> float:
        gold_participants = self.gold_names.all_keys(gold.get("participants"))
        shared = _shared(gold_participants,
                         self.predicted_names.all_keys(predicted.get("participants")))
        if not shared and gold_participants:
            return 0
        if not gold_participants:  # named without participants: compare the topics
            topics = _similarity(
                normal_form(" ".join(map(str, _list(gold.get("topics"))))),
                normal_form(" ".join(map(str, _list(predicted.get("topics"))
                                         + [predicted.get("title") or ""]))))
            if topics < 60:
                return 0
        right = date_right(_event_date(predicted), gold.get("date"))
        if right is False:
            return 0
        gold_kind, kind = gold.get("kind"), predicted.get("kind")
        same_kind = gold_kind == kind or (gold_kind, kind) in _COMPATIBLE_KINDS
        return shared + (1 if same_kind else 0) + (1 if right else 0)

    def _events(self) -> None:
        gold, predicted = _list(self.gold.get("events")), _list(self.predicted.get("events"))
        pairs = _greedy(gold, predicted, self._event_score)
        result = self._record("events", gold, predicted, pairs,
                              lambda e: f"{e.get('kind')} {_text(e.get('date'))}")
        verdicts = [date_right(_event_date(predicted[j]), gold[i].get("date"))
                    for i, j in pairs]
        result.update({"dates_checked": sum(v is not None for v in verdicts),
                       "dates_right": sum(v is True for v in verdicts),
                       "wrong_dates": [{"kind": gold[i].get("kind"),
                                        "gold": _text(gold[i].get("date")),
                                        "extracted": _text(_event_date(predicted[j]))}
                                       for (i, j), v in zip(pairs, verdicts, strict=True)
                                       if v is False]})


def _event_date(event: dict[str, Any]) -> Any:
    return event.get("date") or event.get("start")


def _read_gold(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise SourceError(f"{path}: cannot read the gold file: {err}") from err
    return document or {}


def score_article(predicted: dict[str, Any], gold: dict[str, Any]) -> dict[str, Any]:
    """The matching of one article's records against its gold, per category."""
    return _ArticleScore(predicted, gold).run()


# -- calibration ----------------------------------------------------------------------------------
#: The confidence bands of the calibration table: each band holds confidences from its bound up
#: to the next one.
BANDS = (0.0, 0.5, 0.65, 0.8)


def band_of(confidence: float) -> str:
    """The calibration band of a confidence, as the table names it ("0.50-0.64")."""
    low = max(b for b in BANDS if confidence >= b - 1e-9)
    index = BANDS.index(low)
    high = BANDS[index + 1] - 0.01 if index + 1 < len(BANDS) else 1.0
    return f"{low:.2f}-{high:.2f}"


def _confidence(item: Any) -> float | None:
    if isinstance(item, dict) and isinstance(item.get("evidence"), dict):
        value = item["evidence"].get("confidence")
        return float(value) if value is not None else None
    return None


def _calibration_items(score: _ArticleScore) -> Iterable[tuple[str, float, bool]]:
    """(category, confidence, matched) of every extracted item with a confidence."""
    for category in CATEGORIES:
        for matched, items in ((True, [p for _, p in score.pairs.get(category, [])]),
                               (False, score.unmatched.get(category, []))):
            for item in items:
                confidence = _confidence(item)
                if confidence is not None:
                    yield category, confidence, matched


def _calibration_table(items: list[tuple[str, float, bool]]) -> dict[str, list[dict[str, Any]]]:
    table: dict[str, list[dict[str, Any]]] = {}
    labels = [band_of(b) for b in BANDS]
    for category in CATEGORIES:
        rows = []
        for label in labels:
            inside = [m for c, conf, m in items if c == category and band_of(conf) == label]
            if inside:
                rows.append({"band": label, "count": len(inside), "matched": sum(inside),
                             "share": round(sum(inside) / len(inside), 3)})
        table[category] = rows
    return table


# -- the corpus ---------------------------------------------------------------------------------
def _article_for(articles_dir: Path, stem: str) -> Path | None:
    for suffix in ARTICLE_SUFFIXES:
        for candidate in (articles_dir / (stem + suffix), articles_dir / (stem + suffix.upper())):
            if candidate.is_file():
                return candidate
    return None


def evaluate(corpus_dir: str | Path,
             extractor: Callable[[Path], dict[str, Any]] | None = None) -> dict[str, Any]:
    """Extract every article of ``corpus_dir/articles`` that has a gold file in
    ``corpus_dir/gold`` and score the records as the reference scorer does; a report with
    totals, per-article detail and the calibration of the confidences.

    A gold file without its article counts as an article with no records (``no_article``),
    as the scorer counts a gold file without predictions; an article without a gold file is
    ``skipped``."""
    corpus = Path(corpus_dir)
    articles_dir, gold_dir = corpus / "articles", corpus / "gold"
    if not articles_dir.is_dir() or not gold_dir.is_dir():
        raise SourceError(f"{corpus}: a corpus needs the folders articles/ and gold/")
    extractor = extractor or extract_file
    per_article = []
    totals = {c: [0, 0, 0] for c in CATEGORIES}
    dates = {"agreements": [0, 0], "events": [0, 0]}
    calibration: list[tuple[str, float, bool]] = []
    seconds = 0.0
    gold_stems = {p.stem for p in gold_dir.glob("*.yaml")}
    skipped = [p.name for p in sorted(articles_dir.iterdir())
               if p.suffix.lower() in ARTICLE_SUFFIXES and p.stem not in gold_stems]
    no_article = []
    for gold_path in sorted(gold_dir.glob("*.yaml")):
        path = _article_for(articles_dir, gold_path.stem)
        predicted: dict[str, Any] = {}
        if path is None:
            no_article.append(gold_path.name)
        else:
            started = time.perf_counter()
            predicted = extractor(path)
            seconds += time.perf_counter() - started
        score = _ArticleScore(predicted, _read_gold(gold_path))
        result = score.run()
        calibration.extend(_calibration_items(score))
        for category in CATEGORIES:
            for n, key in enumerate(("tp", "fp", "fn")):
                totals[category][n] += result[category][key]
        for category in dates:
            dates[category][0] += result[category]["dates_checked"]
            dates[category][1] += result[category]["dates_right"]
        if path is not None:
            per_article.append({"article": path.name, **result})
    checked = sum(c for c, _ in dates.values())
    right = sum(r for _, r in dates.values())
    return {
        "corpus": str(corpus),
        "articles": len(per_article),
        "skipped": skipped,
        "no_article": no_article,
        "extraction_seconds": round(seconds, 3),
        "categories": {c: _counts(*totals[c]) for c in CATEGORIES},
        "dates": {
            "checked": checked, "right": right,
            "accuracy": round(right / checked, 3) if checked else None,
            **{c: {"checked": n, "right": r, "accuracy": round(r / n, 3) if n else None}
               for c, (n, r) in dates.items()},
        },
        "calibration": _calibration_table(calibration),
        "per_article": per_article,
    }


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_calibration(report: dict[str, Any]) -> str:
    """The calibration table: per category and confidence band, how many extracted items
    there are and what share of them the gold has."""
    lines = [f"{'calibration':<12}{'band':>11}{'items':>7}{'right':>7}{'share':>7}"]
    for category, rows in report["calibration"].items():
        for row in rows:
            lines.append(f"{category:<12}{row['band']:>11}{row['count']:>7}{row['matched']:>7}"
                         f"{row['share']:>7.3f}")
    return "\n".join(lines)


def format_report(report: dict[str, Any], *, calibration: bool = False) -> str:
    """The report as a small table, for a terminal; with ``calibration``, the calibration
    table after it."""
    lines = [f"{report['articles']} articles from {report['corpus']} "
             f"(extraction {report['extraction_seconds']:.2f} s)",
             f"{'category':<12}{'P':>7}{'R':>7}{'F1':>7}{'TP':>5}{'FP':>5}{'FN':>5}"]
    for category, c in report["categories"].items():
        lines.append(f"{category:<12}{c['precision']:>7.3f}{c['recall']:>7.3f}{c['f1']:>7.3f}"
                     f"{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}")
    d = report["dates"]
    lines.append(f"dates right on {d['right']}/{d['checked']} checked on matched items "
                 f"({_share(d['accuracy'])}): agreements {d['agreements']['right']}/"
                 f"{d['agreements']['checked']}, events {d['events']['right']}/"
                 f"{d['events']['checked']}")
    if report.get("no_article"):
        lines.append(f"no article for: {', '.join(report['no_article'])}")
    if calibration:
        lines.append(format_calibration(report))
    return "\n".join(lines)


def report_json(report: dict[str, Any]) -> str:
    """The report as JSON text."""
    return json.dumps(report, indent=2, ensure_ascii=False)
