"""How answers read: aligned tables, item blocks, partner lists, paths, CSV and JSON.

Every function takes what a query returned (plain dicts and lists) and gives back the text a
command prints; nothing here queries the store or echoes, so the CLI stays option parsing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

TABLE_CELL_WIDTH = 80
"""Table cells are cut to this many characters (with "…"); other formats keep every character."""


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 event``, ``2 events``."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def json_text(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def text_table(names: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Rows as an aligned text table under a header line and a rule."""
    widths = [min(max([len(n), *(len(r[i]) for r in rows)]), TABLE_CELL_WIDTH)
              for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in rows:
        cells = [c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


def loaded_text(results: list[Any]) -> str:
    """What a load did, a line a file: loaded, replaced or unchanged, its triples, its path."""
    return "".join(f"{r.status:9}  {r.triples:>9,} triples  {r.path}\n" for r in results)


def prepared_text(done: Sequence[Any], seconds: float) -> str:
    """What ``prepare`` did, a line a part (``graph.preparation.Prepared``): what it built
    from the whole store, what it brought up to date; then how long it all took."""
    from graph.builds import FILLED, KEPT

    lines = []
    for part in done:
        said = [f"{verb} {', '.join({**FILLED, **KEPT}.get(name, name) for name in names)}"
                for verb, names in (("built", part.built), ("updated", part.patched)) if names]
        lines.append(f"{part.job:9}  {part.seconds:7.1f} s  {'; '.join(said) or 'up to date'}")
    return "\n".join([*lines, f"prepared in {seconds:.1f} s"]) + "\n"


def rows_text(rows: list[dict[str, Any]], fmt: str, columns: list[str]) -> str:
    """Records as JSON (every key), CSV (every key) or a table of ``columns``."""
    if fmt == "json":
        return json_text(rows)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else columns,
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    return text_table(columns, [[str(r.get(c) if r.get(c) is not None else "")
                                 for c in columns] for r in rows])


def results_table(data: bytes) -> str:
    """SPARQL JSON results as an aligned text table (other results as they are)."""
    try:
        results = json.loads(data)
    except ValueError:
        return data.decode()
    if "boolean" in results:
        return f"{str(results['boolean']).lower()}\n"
    names = results["head"]["vars"]
    rows = [[b.get(v, {}).get("value", "") for v in names]
            for b in results["results"]["bindings"]]
    return text_table(names, rows) + plural(len(rows), "row") + "\n"


# -- agreements and events ------------------------------------------------------------------
ITEM_DATES = ("signed", "in_force", "valid_from", "valid_to")
ITEM_CSV_COLUMNS = ("date", "type", "kind", "label", *ITEM_DATES, "end", "planned", "parties",
                    "implementers", "place", "via", "notes", "sources", "certainty",
                    "confidence", "headline_only", "conflicts", "iri")


def source_text(source: dict[str, Any]) -> str:
    """A source's file and title; ``as 2015`` when it stated the value only at a coarser
    precision."""
    stated = f" [as {source['stated']}]" if source.get("stated") else ""
    return source["file"] + (f" ({source['title']})" if source.get("title") else "") + stated


def evidence_text(source: dict[str, Any], width: int = 120) -> str | None:
    """The sentence behind an answer, where it is (the article file when the extractor read
    the file itself, else the source document's id) and the extractor's confidence; None
    without evidence."""
    sentence = " ".join((source.get("sentence") or "").split())
    if not sentence:
        return None
    if len(sentence) > width:
        sentence = sentence[:width - 1].rstrip() + "…"
    file = Path(source["file"])
    where = (file.name if source.get("loader", "").startswith("extractor")
             else (source.get("document") or file.name).rsplit("/", 1)[-1])
    if source.get("span"):
        where += ":{}-{}".format(*source["span"])
    if source.get("confidence") is not None:
        where += f", confidence {source['confidence']:.2f}"
    return f'"{sentence}" ({where})'


def certainty_text(found: dict[str, Any] | None) -> str:
    """``curated``, ``reference data``, ``extracted only, confidence 0.62`` or, when the only
    evidence is a headline, ``extracted only, confidence 0.62, only in a headline``."""
    if not found:
        return "unknown"
    if found["basis"] != "extracted":
        return {"reference": "reference data"}.get(found["basis"], found["basis"])
    confidence = found.get("confidence")
    return ("extracted only" + (f", confidence {confidence:.2f}" if confidence is not None
                                else ", no confidence given")
            + (", only in a headline" if found.get("headline_only") else ""))


def _claimed_by(source: dict[str, Any]) -> str:
    """A source in a CONFLICT line: its file, and the coarser value it stated, if it did."""
    return source["file"] + (f" as {source['stated']}" if source.get("stated") else "")


def _names(entries: list[dict[str, Any]]) -> str:
    return ", ".join(e["label"] for e in entries if e)


def items_text(items: list[dict[str, Any]], fmt: str) -> str:
    """Agreements and events as JSON, CSV (one row each, every date its own column), or
    readable blocks."""
    if fmt == "json":
        return json_text(items)
    if fmt == "csv":
        return csv_text(ITEM_CSV_COLUMNS, ([
            item["date"] or "", item["type"], item["kind"], item["label"],
            *(item.get(k) or "" for k in ITEM_DATES), item.get("end") or "",
            "true" if item.get("planned") else "",
            "; ".join(e["label"] for e in item.get("parties") or item.get("participants") or []),
            "; ".join(e["label"] for e in item.get("implementers") or []),
            (item.get("place") or {}).get("label", ""),
            "; ".join(item["via"] or []), "; ".join(item.get("notes") or []),
            "; ".join(s["file"] for s in item["sources"]),
            item["certainty"]["basis"], item["certainty"]["confidence"] or "",
            "true" if item["certainty"].get("headline_only") else "",
            "; ".join(c["field"] for c in item["conflicts"]), item["iri"],
        ] for item in items))
    if not items:
        return "nothing found\n"
    return "".join(item_block(item) for item in items)


def item_block(item: dict[str, Any]) -> str:
    """One agreement or event: date and kind, label, dates, who, where, via, notes, conflicts,
    sources and the sentences behind it."""
    indent = " " * 12
    extra = " (planned)" if item.get("planned") else ""
    if item.get("count"):
        extra += f" ({plural(item['count'], 'event')})"
    lines = [f"{item['date'] or 'undated':10}  {item['type']}: {item['kind']}{extra}",
             indent + item["label"]]
    if item["type"] == "agreement":
        dates = [f"{k.replace('_', ' ')} {item[k]}" for k in ITEM_DATES if item.get(k)]
        if dates:
            lines.append(indent + "; ".join(dates))
        lines.append(f"{indent}parties: {_names(item['parties'])}")
        if item["implementers"]:
            lines.append(f"{indent}implemented by: {_names(item['implementers'])}")
    else:
        lines.append(f"{indent}participants: {_names(item['participants'])}")
    if item.get("place"):
        lines.append(f"{indent}place: {item['place']['label']}")
    lines += [f"{indent}via: {via}" for via in item["via"] or []]
    lines += [f"{indent}note: {note}" for note in item.get("notes") or []]
    for conflict in item["conflicts"]:
        claims = " vs ".join(f"{v['value']} ({', '.join(map(_claimed_by, v['sources']))})"
                             for v in conflict["values"])
        lines.append(f"{indent}CONFLICT {conflict['field']}: {claims}")
    lines.append(f"{indent}certainty: {certainty_text(item.get('certainty'))}")
    lines.append(f"{indent}sources: " + "; ".join(source_text(s) for s in item["sources"]))
    lines += [f"{indent}  {e}" for e in filter(None, map(evidence_text, item["sources"]))]
    return "\n".join(lines) + "\n"


def conflicts_text(found: list[dict[str, Any]], fmt: str) -> str:
    """Facts that sources state differently, each value with its sources."""
    if fmt == "json":
        return json_text(found)
    if not found:
        return "no conflicts\n"
    lines = []
    for conflict in found:
        lines.append(f"{conflict['label']}: {conflict['field']}")
        lines += [f"  {value['value']:12}  " + "; ".join(source_text(s) for s in value["sources"])
                  for value in conflict["values"]]
    return "\n".join(lines) + "\n"


STATS_SOURCES = 5
"""How many of the sources that state the most agreements ``stats`` lists."""


def cut(text: str, width: int) -> str:
    """``text``, cut to ``width`` characters with "…"."""
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def stats_text(found: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json_text(found)
    lines = [f"triples       {found['triples']:>10,}", f"named graphs  {found['graphs']:>10,}"]
    lines += [f"{name:24} {count:>7,}" for name, count in sorted(found["entities"].items())]
    coverage = found.get("coverage")
    if coverage and coverage["agreements"]:
        lines += ["", f"agreements              {coverage['agreements']:>7,}"]
        lines += [f"  {kind:22} {count:>7,}" for kind, count in coverage["by_kind"].items()]
        lines += [f"parties: countries      {coverage['countries']:>7,}",
                  f"parties: unions         {coverage['unions']:>7,}",
                  f"sources of agreements   {coverage['sources']:>7,}"]
        top = coverage["by_source"][:STATS_SOURCES]
        lines += [f"  {row['agreements']:>5,}  {cut(row['title'] or row['source'], 70)}"
                  for row in top]
        if len(coverage["by_source"]) > len(top):
            lines.append(f"  … and {len(coverage['by_source']) - len(top):,} more sources "
                         "(--format json lists all)")
    return "\n".join(lines) + "\n"


# -- partner networks -----------------------------------------------------------------------
PARTNER_CSV_COLUMNS = ("rank", "partner", "kind", "country", "distance", "weight", "agreements",
                       "events", "first_year", "last_year", "certainty", "confidence",
                       "curated_items", "extracted_items", "via", "iri", "evidence")


def years_text(first: int | None, last: int | None) -> str:
    if first is None:
        return "undated"
    return str(first) if first == last else f"{first}–{last}"


def _sure_text(found: dict[str, Any] | None) -> str:
    """A partnership's or a step's certainty: ``curated``, ``curated (and 1 extracted
    only)``, ``extracted only, confidence 0.80``."""
    text = certainty_text(found)
    if found and found["basis"] != "extracted" and found.get("extracted_items"):
        text += f" (and {found['extracted_items']:,} extracted only)"
    return text


def _item_sure(item: dict[str, Any]) -> str:
    """`` [extracted 0.80]`` after an agreement or event only extraction gives (nothing after a
    curated one)."""
    found = item.get("certainty") or {}
    if found.get("basis") != "extracted":
        return ""
    confidence = found.get("confidence")
    return (" [extracted" + (f" {confidence:.2f}" if confidence is not None else "")
            + (", headline only" if found.get("headline_only") else "") + "]")


PARTNER_ITEMS_SHOWN = 5
"""Agreements and events listed under each partner in the table (the latest)."""


def partners_text(answers: list[dict[str, Any]], fmt: str,
                  shown: int = PARTNER_ITEMS_SHOWN) -> str:
    """Partners as JSON, CSV (one row each, evidence as IRIs), or readable blocks with the
    ``shown`` latest agreements and events of each; each partner says how certain it is, each
    item only extraction gives says so."""
    if fmt == "json":
        return json_text(answers)
    if fmt == "csv":
        return csv_text(PARTNER_CSV_COLUMNS, ([
            a["rank"], a["label"], a["kind"], a["country"] or "", a["distance"], a["weight"],
            a["agreements"], a["events"], a["first_year"] or "", a["last_year"] or "",
            a["certainty"]["basis"], a["certainty"]["confidence"] or "",
            a["certainty"]["curated_items"], a["certainty"]["extracted_items"],
            "; ".join(v["label"] for v in a["via"]), a["iri"],
            " ".join(i["iri"] for i in a["evidence"]["agreements"] + a["evidence"]["events"]),
        ] for a in answers))
    if not answers:
        return "no partners found\n"
    lines = []
    for a in answers:
        counts = f"{plural(a['agreements'], 'agreement')}, {plural(a['events'], 'event')}"
        extra = f", {a['distance']} steps away" if a["distance"] > 1 else ""
        lines.append(f"{a['rank']:3}. {a['label']}{extra}  weight {a['weight']}: {counts}, "
                     f"{years_text(a['first_year'], a['last_year'])}; "
                     f"{_sure_text(a.get('certainty'))}")
        if a["via"]:
            lines.append(f"       via {', '.join(v['label'] for v in a['via'])}")
        items = sorted(a["evidence"]["agreements"] + a["evidence"]["events"],
                       key=lambda i: (i["date"] is not None, i["date"] or ""), reverse=True)
        for item in items[:shown]:
            count = f" ({plural(item['count'], 'event')})" if item.get("count") else ""
            through = "".join(f" ({t['member']['label']} as a member of the "
                              f"{t['union']['label']}"
                              + (f", through {t['body']['label']}" if t.get("body") else "")
                              + ")" for t in item.get("through", ()))
            through += "".join(f" ({b['body']['label']} for the {b['union']['label']})"
                               for b in item.get("body", ()) if not item.get("through"))
            lines.append(f"       {item['date'] or 'undated':10}  {item['kind']}: "
                         f"{item['label']}{count}{through}{_item_sure(item)}")
        if a["agreements"] + a["events"] > shown:
            lines.append(f"       … and {a['agreements'] + a['events'] - shown} more "
                         "(--format json lists all)")
    return "\n".join(lines) + "\n"


def path_text(found: dict[str, Any], fmt: str, shown: int = 5) -> str:
    """A chain of cooperation: the summary sentence, then each step with how certain it is
    (a step through shared agreements and events) and the agreements and events behind it
    (``shown`` of them at most)."""
    if fmt == "json":
        return json_text(found)
    steps = found["length"]
    lines = [f"{found['from']['label']} → {found['to']['label']}: {plural(steps, 'step')}",
             found["text"], ""]
    for number, step in enumerate(found["steps"], 1):
        sure = f" [{_sure_text(step['certainty'])}]" if step.get("certainty") else ""
        lines.append(f"{number:2}. {step['text']}{sure}")
        evidence = step.get("evidence") or {}
        items = sorted(evidence.get("agreements", []) + evidence.get("events", []),
                       key=lambda i: (i["date"] is not None, i["date"] or ""), reverse=True)
        if len(items) > 1:  # the step's text names one; list them all beneath it
            lines += [f"      {i['date'] or 'undated':10}  {i['kind']}: {i['label']}"
                      f"{_item_sure(i)}" for i in items[:shown]]
            if len(items) > shown:
                lines.append(f"      … and {len(items) - shown} more (--format json lists all)")
    return "\n".join(lines) + "\n"


def network_summary(graph: Any, output: Path) -> str:
    """What a written network holds: ``15 organisations, 12 partnerships, 4 communities``."""
    data = graph.graph
    return (f"{plural(graph.number_of_nodes(), 'organisation')}, "
            f"{plural(graph.number_of_edges(), 'partnership')}, "
            f"{plural(data['communities'], 'community', 'communities')} (betweenness "
            f"{data['betweenness']}) → {output}")


# -- entities -------------------------------------------------------------------------------
ENTITY_COLUMNS = ["kind", "label", "code", "aliases", "iri"]


def entities_text(found: list[dict[str, Any]], fmt: str, offset: int = 0,
                  limit: int | None = 50) -> tuple[str, str | None]:
    """One page of entities (``limit`` from ``offset``; all with None), and a note saying
    which of how many it shows and how to see the others (None when it shows them all)."""
    page = found[offset:] if limit is None else found[offset:offset + limit]
    rows = [{**row, "aliases": row["aliases"] if fmt == "json" else "; ".join(row["aliases"])}
            for row in page]
    if fmt == "table":
        rows = [{**row, "label": row["label"] + " (unresolved)"} if row.get("unresolved")
                else row for row in rows]
    return (rows_text(rows, fmt, ENTITY_COLUMNS),
            page_note(len(page), len(found), offset, limit, ("entity", "entities")))


def page_note(shown: int, total: int | None, offset: int, limit: int | None,
              noun: tuple[str, str] = ("answer", "answers")) -> str | None:
    """Which of how many answers a page shows and how to see the others; None when it shows
    them all. ``total`` None: unknown (a certainty filter stopped counting at the page's end)."""
    if limit is None or (offset == 0 and shown < limit and (total is None or shown == total)):
        return None
    end = offset + shown
    which = f"{offset + 1:,}–{end:,}" if shown else "none"
    if total is None:
        more = (f"; more may follow: --offset {end} for the next {limit:,}, --all for every "
                f"one" if shown == limit else ", the last")
        return f"{noun[1]} {which}{more}"
    if offset == 0 and shown == total:
        return None
    more = (f"; --offset {end} for the next {min(limit, total - end):,}, --all for every one"
            if end < total else "")
    return f"{which} of {plural(total, *noun)}{more}"


# -- claims to review -----------------------------------------------------------------------
REVIEW_EXPORT_HEADER = """\
# Extracted claims to review (customs-kg review), least certain first. Give each a decision:
#   accept   the claim is right (the item then counts as curated)
#   reject   the claim is wrong (it leaves the answers; its source's graph keeps it)
#   correct  edit its record below to read as it should (or list changes: {field: value})
# A blank decision is decided later. Then: customs-kg review --apply THIS-FILE
"""


def review_claim_block(claim: dict[str, Any]) -> str:
    """One claim to review: its ID and confidence, the item as its source states it, the
    sentence behind it and any decision already made."""
    indent = " " * 10
    confidence = claim.get("confidence")
    shown = format(confidence, ".2f") if confidence is not None else " n/a"
    head = f"{claim['id']}  conf {shown}"
    lines = [f"{head}  {claim['date'] or 'undated'}  {claim['type']}: {claim['kind']}"
             + (" (planned)" if claim.get("planned") else ""),
             indent + (claim["label"] or claim["item"])]
    dates = [f"{k.replace('_', ' ')} {v}" for k, v in claim.get("dates", {}).items()]
    if dates:
        lines.append(indent + "; ".join(dates))
    for role in ("parties", "implementers", "participants"):
        if claim.get(role):
            lines.append(f"{indent}{role}: {_names(claim[role])}")
    if claim.get("host"):
        lines.append(f"{indent}host: {_names(claim['host'])}")
    if claim.get("place"):
        lines.append(f"{indent}place: {claim['place']['label']}")
    if claim.get("date_text"):
        lines.append(f"{indent}date as worded: {claim['date_text']}")
    sentence = " ".join((claim.get("sentence") or "").split())
    where = claim["source"] + (":{}-{}".format(*claim["span"]) if claim.get("span") else "")
    lines.append(f'{indent}"{sentence}" ({where})' if sentence else f"{indent}source: {where}")
    decided = claim.get("decision")
    if decided:
        lines.append(f"{indent}decision: {decided['decision']} by {decided.get('reviewer') or '?'}"
                     f" at {decided['at']}" + (f" ({decided['note']})" if decided.get("note")
                                               else ""))
    return "\n".join(lines) + "\n"


def review_text(claims: list[Any], fmt: str) -> str:
    """Claims to review (dicts of ``ReviewClaim.as_dict``, or the claims themselves) as
    readable blocks (``table``), JSON, or the YAML file an analyst fills in with decisions
    (``yaml``: each claim's id, a blank ``decision`` and ``note``, and its record to edit for a
    correction; read back by ``loaders.review.decisions_from_file``)."""
    rows = [c.as_dict() if hasattr(c, "as_dict") else c for c in claims]
    if fmt == "json":
        return json_text(rows)
    if fmt == "yaml":
        import yaml

        entries = [{"id": c["id"], "decision": None, "note": None, "type": c["type"],
                    "label": c["label"], "source": c["source"],
                    "confidence": c.get("confidence"), "sentence": c.get("sentence"),
                    "record": c.get("record")} for c in rows]
        return REVIEW_EXPORT_HEADER + yaml.safe_dump({"claims": entries}, sort_keys=False,
                                                     allow_unicode=True, width=100)
    if not rows:
        return "nothing to review\n"
    return "\n".join(review_claim_block(c) for c in rows) + plural(len(rows), "claim") + "\n"


def review_result(result: Any) -> str:
    """What a review recorded (a ``loaders.review.ReviewResult``): one line per decision, then
    the reviewed file with how many decisions it holds."""
    lines = [f"{r['decision']:8} {r['claim']}" + (" (replaces an earlier decision)"
                                                  if r["claim"] in result.replaced else "")
             for r in result.recorded]
    lines.append(f"{result.path}: {plural(result.total, 'decision')}, loaded")
    return "\n".join(lines)


def mirror_status_text(report: Any, fmt: str) -> str:
    """A Neo4j mirror's status (``graph.neo4j.mirror.StatusReport``) as a table or JSON."""
    if fmt == "json":
        return json_text({"in_sync": report.in_sync, "synced_at": report.synced_at,
                          "not_synced": report.stale, "counts": report.rows()})
    return report.text() + "\n"
