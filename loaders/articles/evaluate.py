"""Accuracy of the extractor on a corpus (``articles/`` and ``gold/`` as in
``../shared/corpus``): precision, recall and F1 per category, and how often the dates of
matched items are right.

Matching is lenient, as the corpus README says: names match by name or alias, by a fuzzy
match, or when both name the same body of the reference data ("Mongolian customs" and the
Mongolian Customs General Administration); agreements match by title (or alias) with a
compatible kind (a memorandum on mutual assistance may be either kind); events by kind and
participants. Each gold item matches at most one extracted item. A date is right when it
agrees with the gold at the precision the gold gives; a null gold date wants a null date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from graph.errors import SourceError
from graph.names import normalise_name
from loaders.articles.extract import extract_file
from loaders.articles.gazetteer import gazetteer

CATEGORIES = ("agencies", "countries", "agreements", "events")
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_COMPATIBLE_AGREEMENTS = [{"memorandum", "mutual-assistance"}, {"minutes", "other"},
                          {"memorandum", "cooperation-plan"}]
_COMPATIBLE_EVENTS = [{"talks", "meeting"}, {"meeting", "forum"}, {"meeting", "other"},
                      {"signing", "other"}, {"meeting", "training"}]
_STOP = {"the", "a", "an", "of", "on", "in", "and", "for", "to", "between", "with"}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value).strip() or None


def _names(item: dict[str, Any], key: str) -> list[str]:
    names = [item.get(key)] + list(item.get("aliases") or [])
    return [str(n) for n in names if n]


def resolve_body(name: str) -> str | None:
    """The reference body a name means, with the loose forms the resolver accepts
    ("Mongolian customs", "customs service of China"), or None."""
    gaz = gazetteer()
    key = normalise_name(name)
    if key in gaz.body_names:
        return gaz.body_names[key][0]
    if name.strip() in gaz.acronyms:
        return gaz.acronyms[name.strip()][0]
    for pattern in (r"^(?P<c>.+?)s? customs(?: service| administration| authorit(?:y|ies)|"
                    r" agency)?$",
                    r"^customs(?: service| administration| authorit(?:y|ies)| agency)? of "
                    r"(?P<c>.+)$"):
        match = re.match(pattern, key)
        if match:
            place = match.group("c")
            code = gaz.countries.get(place) or gaz.demonyms.get(place)
            if code and code in gaz.national_customs:
                return gaz.national_customs[code]
    return gaz.fuzzy_body(name, cutoff=94)


def _name_score(a: list[str], b: list[str]) -> float:
    """How well two lists of names match, out of 100."""
    na = {normalise_name(x) for x in a}
    nb = {normalise_name(x) for x in b}
    if na & nb:
        return 100.0
    ra = {resolve_body(x) for x in a} - {None}
    rb = {resolve_body(x) for x in b} - {None}
    if ra & rb:
        return 95.0
    return max((fuzz.token_sort_ratio(x, y) for x in na for y in nb), default=0.0)


def _title_score(a: list[str], b: list[str]) -> float:
    best = 0.0
    for x in a:
        for y in b:
            nx, ny = normalise_name(x), normalise_name(y)
            if nx == ny:
                return 100.0
            shared = (set(nx.split()) & set(ny.split())) - _STOP
            score = fuzz.token_sort_ratio(nx, ny)
            if len(shared) >= 2:
                score = max(score, 0.9 * fuzz.token_set_ratio(nx, ny))
            if min(len(nx), len(ny)) >= 12:
                score = max(score, 0.85 * fuzz.partial_ratio(nx, ny))
            best = max(best, score)
    return best


def _greedy(scores: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs (predicted, gold), best score first."""
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, p, g in sorted(scores, key=lambda s: -s[0]):
        if p in used_p or g in used_g:
            continue
        used_p.add(p)
        used_g.add(g)
        pairs.append((p, g))
    return pairs


def _counts(tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 3),
            "recall": round(recall, 3), "f1": round(f1, 3)}


def date_right(predicted: Any, gold: Any) -> bool:
    """A date agrees with the gold at the gold's precision; a null gold wants null."""
    gold_text, predicted_text = _text(gold), _text(predicted)
    if gold_text is None:
        return predicted_text is None
    if predicted_text is None:
        return False
    gold_parts, predicted_parts = gold_text.split("/"), predicted_text.split("/")
    if len(gold_parts) != len(predicted_parts):
        return False
    return all(len(p) >= len(g) and p[:len(g)] == g
               for p, g in zip(predicted_parts, gold_parts, strict=True))


class _ArticleScore:
    """The matching of one article's extracted records against its gold."""

    def __init__(self, predicted: dict[str, Any], gold: dict[str, Any]) -> None:
        self.predicted = predicted
        self.gold = gold
        self.result: dict[str, Any] = {}
        self.agency_pairs: dict[int, int] = {}  # gold index -> predicted index

    def run(self) -> dict[str, Any]:
        self._agencies()
        self._countries()
        self._agreements()
        self._events()
        return self.result

    # -- agencies and countries -------------------------------------------------------------
    def _agencies(self) -> None:
        pred = [a for a in self.predicted.get("agencies") or [] if isinstance(a, dict)]
        gold = self.gold.get("agencies") or []
        scores = []
        for i, p in enumerate(pred):
            for j, g in enumerate(gold):
                score = _name_score(_names(p, "name"), _names(g, "name"))
                if score >= 88:
                    scores.append((score, i, j))
        pairs = _greedy(scores)
        self.agency_pairs = {g: p for p, g in pairs}
        self.result["agencies"] = {"tp": len(pairs), "fp": len(pred) - len(pairs),
                                   "fn": len(gold) - len(pairs),
                                   "missed": [gold[j]["name"] for j in range(len(gold))
                                              if j not in self.agency_pairs],
                                   "extra": [pred[i]["name"] for i in range(len(pred))
                                             if i not in {p for p, _ in pairs}]}
        self._pred_agencies, self._gold_agencies = pred, gold

    def _countries(self) -> None:
        pred = {(c["code"] if isinstance(c, dict) else str(c)).upper()
                for c in self.predicted.get("countries") or []}
        gold = {str(c).upper() for c in self.gold.get("countries") or []}
        self.result["countries"] = {"tp": len(pred & gold), "fp": len(pred - gold),
                                    "fn": len(gold - pred), "missed": sorted(gold - pred),
                                    "extra": sorted(pred - gold)}

    def _canonical(self, reference: str, side: str) -> set[str]:
        """Keys a participant or party stands for, in a space both sides share: ISO codes,
        reference bodies, and the body's country."""
        text = str(reference).strip()
        if re.fullmatch(r"[A-Z]{2}", text):
            return {text}
        agencies = self._pred_agencies if side == "pred" else self._gold_agencies
        record = next((a for a in agencies if normalise_name(text) in
                       {normalise_name(n) for n in _names(a, "name")}), None)
        keys: set[str] = set()
        names = _names(record, "name") if record else [text]
        body = next((b for b in (resolve_body(n) for n in names) if b), None)
        if body:
            keys.add("ref:" + body)
        if record is not None:
            if side == "gold":
                j = self._gold_agencies.index(record)
                if j in self.agency_pairs:
                    keys.add(f"pred:{self.agency_pairs[j]}")
            else:
                keys.add(f"pred:{self._pred_agencies.index(record)}")
            country = record.get("country")
            if country:
                keys.add(str(country).upper())
        if not keys:
            code = gazetteer().countries.get(normalise_name(text))
            keys.add(code or "name:" + normalise_name(text))
        return keys

    def _overlap(self, pred: list[str], gold: list[str]) -> float:
        p: set[str] = set().union(*[self._canonical(x, "pred") for x in pred]) if pred else set()
        g: set[str] = set().union(*[self._canonical(x, "gold") for x in gold]) if gold else set()
        if not p and not g:
            return 1.0
        if not p or not g:
            return 0.0
        return 2 * len(p & g) / (len(p) + len(g))

    # -- agreements ---------------------------------------------------------------------------
    def _agreements(self) -> None:
        pred = self.predicted.get("agreements") or []
        gold = self.gold.get("agreements") or []
        scores = []
        for i, p in enumerate(pred):
            for j, g in enumerate(gold):
                title = _title_score(_names(p, "title"), _names(g, "title"))
                kinds = {p.get("kind") or "other", g.get("kind") or "other"}
                kind_ok = len(kinds) == 1 or kinds in _COMPATIBLE_AGREEMENTS
                parties = self._overlap(p.get("parties") or [], g.get("parties") or [])
                if (title >= 70 and kind_ok) or title >= 85 or \
                        (kind_ok and title >= 50 and parties >= 0.5):
                    scores.append((title / 100 + 0.2 * kind_ok + 0.2 * parties, i, j))
        pairs = _greedy(scores)
        fields = ("signed", "in_force", "valid_from", "valid_to")
        right = sum(all(date_right(pred[p].get(f), gold[g].get(f)) for f in fields)
                    for p, g in pairs)
        self.result["agreements"] = {
            "tp": len(pairs), "fp": len(pred) - len(pairs), "fn": len(gold) - len(pairs),
            "dates_right": right,
            "missed": [gold[j]["title"] for j in range(len(gold))
                       if j not in {g for _, g in pairs}],
            "extra": [pred[i].get("title") for i in range(len(pred))
                      if i not in {p for p, _ in pairs}],
            "wrong_dates": [{"title": gold[g]["title"],
                             "gold": {f: _text(gold[g].get(f)) for f in fields},
                             "extracted": {f: _text(pred[p].get(f)) for f in fields}}
                            for p, g in pairs if not all(date_right(pred[p].get(f),
                                                                    gold[g].get(f))
                                                         for f in fields)]}

    # -- events -------------------------------------------------------------------------------
    def _events(self) -> None:
        pred = self.predicted.get("events") or []
        gold = self.gold.get("events") or []
        scores = []
        for i, p in enumerate(pred):
            for j, g in enumerate(gold):
                kinds = {p.get("kind") or "other", g.get("kind") or "other"}
                kind = 1.0 if len(kinds) == 1 else (0.5 if kinds in _COMPATIBLE_EVENTS else 0)
                if not kind or bool(p.get("aggregate")) != bool(g.get("aggregate")):
                    continue
                overlap = self._overlap(p.get("participants") or [],
                                        g.get("participants") or [])
                if overlap == 0:
                    continue
                score = kind + overlap + 0.3 * date_right(p.get("date"), g.get("date"))
                if g.get("aggregate"):
                    score += 0.5 * (p.get("count") == g.get("count"))
                scores.append((score, i, j))
        pairs = _greedy(scores)
        right = sum(date_right(pred[p].get("date"), gold[g].get("date")) for p, g in pairs)
        self.result["events"] = {
            "tp": len(pairs), "fp": len(pred) - len(pairs), "fn": len(gold) - len(pairs),
            "dates_right": right,
            "missed": [f"{gold[j].get('kind')} {_text(gold[j].get('date'))}"
                       for j in range(len(gold)) if j not in {g for _, g in pairs}],
            "extra": [f"{pred[i].get('kind')} {_text(pred[i].get('date'))}"
                      for i in range(len(pred)) if i not in {p for p, _ in pairs}],
            "wrong_dates": [{"kind": gold[g].get("kind"), "gold": _text(gold[g].get("date")),
                             "extracted": _text(pred[p].get("date"))}
                            for p, g in pairs if not date_right(pred[p].get("date"),
                                                                gold[g].get("date"))]}


def _read_gold(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise SourceError(f"{path}: cannot read the gold file: {err}") from err
    return document or {}


def score_article(predicted: dict[str, Any], gold: dict[str, Any]) -> dict[str, Any]:
    """The matching of one article's records against its gold, per category."""
    return _ArticleScore(predicted, gold).run()


def evaluate(corpus_dir: str | Path,
             extractor: Callable[[Path], dict[str, Any]] | None = None) -> dict[str, Any]:
    """Extract every article of ``corpus_dir/articles`` that has a gold file in
    ``corpus_dir/gold`` and score the records; a report with totals and per-article detail."""
    corpus = Path(corpus_dir)
    articles_dir, gold_dir = corpus / "articles", corpus / "gold"
    if not articles_dir.is_dir() or not gold_dir.is_dir():
        raise SourceError(f"{corpus}: a corpus needs the folders articles/ and gold/")
    extractor = extractor or (lambda path: extract_file(path, evidence=False))
    per_article = []
    totals = {c: [0, 0, 0] for c in CATEGORIES}
    dates = {"agreements": [0, 0], "events": [0, 0]}
    seconds = 0.0
    skipped = []
    for path in sorted(articles_dir.iterdir()):
        if path.suffix.lower() not in ARTICLE_SUFFIXES:
            continue
        gold_path = gold_dir / (path.stem + ".yaml")
        if not gold_path.exists():
            skipped.append(path.name)
            continue
        started = time.perf_counter()
        predicted = extractor(path)
        seconds += time.perf_counter() - started
        result = score_article(predicted, _read_gold(gold_path))
        for category in CATEGORIES:
            for n, key in enumerate(("tp", "fp", "fn")):
                totals[category][n] += result[category][key]
        for category in dates:
            dates[category][0] += result[category]["tp"]
            dates[category][1] += result[category]["dates_right"]
        per_article.append({"article": path.name, **result})
    matched = sum(m for m, _ in dates.values())
    right = sum(r for _, r in dates.values())
    return {
        "corpus": str(corpus),
        "articles": len(per_article),
        "skipped": skipped,
        "extraction_seconds": round(seconds, 3),
        "categories": {c: _counts(*totals[c]) for c in CATEGORIES},
        "dates": {
            "matched": matched, "right": right,
            "accuracy": round(right / matched, 3) if matched else 1.0,
            **{c: {"matched": m, "right": r, "accuracy": round(r / m, 3) if m else 1.0}
               for c, (m, r) in dates.items()},
        },
        "per_article": per_article,
    }


def format_report(report: dict[str, Any]) -> str:
    """The report as a small table, for a terminal."""
    lines = [f"{report['articles']} articles from {report['corpus']} "
             f"(extraction {report['extraction_seconds']:.2f} s)",
             f"{'category':<12}{'P':>7}{'R':>7}{'F1':>7}{'TP':>5}{'FP':>5}{'FN':>5}"]
    for category, c in report["categories"].items():
        lines.append(f"{category:<12}{c['precision']:>7.3f}{c['recall']:>7.3f}{c['f1']:>7.3f}"
                     f"{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}")
    d = report["dates"]
    lines.append(f"dates right on {d['right']}/{d['matched']} matched items "
                 f"({d['accuracy']:.3f}): agreements {d['agreements']['right']}/"
                 f"{d['agreements']['matched']}, events {d['events']['right']}/"
                 f"{d['events']['matched']}")
    return "\n".join(lines)


def report_json(report: dict[str, Any]) -> str:
    """The report as JSON text."""
    return json.dumps(report, indent=2, ensure_ascii=False)
