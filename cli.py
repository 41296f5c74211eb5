"""customs-kg: the command line. Parses options, calls one library function, formats output."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from pyoxigraph import Literal, NamedNode

from graph.errors import CustomsKGError
from graph.names import ORGANISATION_KINDS, cached_index
from graph.queries.catalog import conflicts, graph_stats, search_entities
from graph.queries.items import display_path
from graph.queries.relations import links_between, timeline
from graph.store import RDF_FORMATS, STORE_ENV, GraphStore, open_store, store_location
from graph.store.loaded import loaded_sources


class Settings:
    def __init__(self, store: str | None) -> None:
        self.store = store_location(store)


@contextmanager
def opened(ctx: click.Context, writable: bool = False) -> Iterator[GraphStore]:
    """Open the store for a command; its errors become one-line messages."""
    store = open_store(ctx.find_object(Settings).store, writable=writable)
    try:
        yield store
    finally:
        store.close()


def reports_errors(command: Callable) -> Callable:
    """Turn customs-kg's errors into a one-line message and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CustomsKGError as err:
            raise click.ClickException(str(err)) from err

    return wrapper


def output_format_option(*choices: str, default: str = "table") -> Callable:
    return click.option("--format", "-f", "fmt", type=click.Choice(choices), default=default,
                        show_default=True, help="Output format.")


@click.group()
@click.version_option(package_name="customs-kg")
@click.option("--store", "store", envvar=STORE_ENV, metavar="PATH|URL",
              help=f"Store directory, or a SPARQL endpoint URL (default ./.customs-kg; "
                   f"also ${STORE_ENV}).")
@click.pass_context
def cli(ctx: click.Context, store: str | None) -> None:
    """customs-kg: a knowledge graph of international customs cooperation."""
    ctx.obj = Settings(store)


# -- loading --------------------------------------------------------------------------------
def _publication_date(ctx: click.Context, param: click.Parameter, value: str | None
                      ) -> str | None:
    if value is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date YYYY-MM-DD") from None
    return value


published_option = click.option(
    "--published", metavar="YYYY-MM-DD", callback=_publication_date,
    help="Publication date of articles whose header gives none (resolves \"on Monday\", "
         "\"September 9\").")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@published_option
@click.pass_context
@reports_errors
def load(ctx: click.Context, paths: tuple[Path, ...], published: str | None) -> None:
    """Load records (YAML, JSON, CSV), RDF files or folders, and articles, all or nothing.

    Each file becomes its own named graph with its path, hash and load time; a changed file
    replaces its graph, an unchanged one is skipped. An article (.txt, .md, .html, named
    one by one, not taken from folders) goes through the extractor: its records load with
    the sentence each came from.
    """
    from loaders.load import load_paths

    with opened(ctx, writable=True) as store:
        if sys.stderr.isatty():
            with click.progressbar(length=1, label="loading", file=sys.stderr,
                                   item_show_func=lambda name: name) as bar:

                def progress(done: int, total: int, name: str) -> None:
                    bar.length = total
                    bar.update(1 if done else 0, name)

                results = load_paths(store, paths, progress=progress, published=published)
        else:
            results = load_paths(store, paths, published=published)
    for result in results:
        click.echo(f"{result.status:9}  {result.triples:>9,} triples  {result.path}")


@cli.command()
@click.argument("articles", nargs=-1, type=click.Path(exists=True, dir_okay=False,
                                                      path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every article's records to FILE (one document per article).")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Write one file per article into DIR: NAME.txt gives NAME.yaml.")
@click.option("--format", "-f", "fmt", type=click.Choice(["yaml", "json"]), default="yaml",
              show_default=True, help="Records format.")
@published_option
@click.option("--evaluate", "corpus", type=click.Path(exists=True, file_okay=False,
                                                      path_type=Path),
              metavar="CORPUS_DIR",
              help="Measure instead: extract CORPUS_DIR/articles and score against "
                   "CORPUS_DIR/gold (precision, recall, F1, date accuracy).")
@click.option("--json", "as_json", is_flag=True, help="With --evaluate: the report as JSON.")
@reports_errors
def extract(articles: tuple[Path, ...], output: Path | None, out_dir: Path | None, fmt: str,
            published: str | None, corpus: Path | None, as_json: bool) -> None:
    """Propose the records ARTICLES state (plain text, Markdown or HTML news articles),
    each with its evidence: the sentence it came from, its span and a confidence.

    The output is in the records format, one document per article, so 'customs-kg load'
    takes it unchanged. With --evaluate, score the extractor on a corpus instead.
    """
    from loaders.articles import extract_files, write_records_files
    from loaders.articles.evaluate import evaluate, format_report, report_json
    from loaders.records import format_records

    if corpus is not None:
        if articles or output or out_dir:
            raise click.UsageError("--evaluate takes a corpus folder, not articles or outputs")
        report = evaluate(corpus)
        click.echo(report_json(report) if as_json else format_report(report))
        return
    if not articles:
        raise click.UsageError("give one or more articles, or --evaluate CORPUS_DIR")
    if as_json:
        raise click.UsageError("--json goes with --evaluate; use --format json for records")
    if output and out_dir:
        raise click.UsageError("give -o FILE or --out-dir DIR, not both")
    if out_dir is not None:
        for path in write_records_files(list(articles), out_dir, fmt=fmt, published=published):
            click.echo(str(path))
        return
    text = format_records(extract_files(list(articles), published=published), fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as err:
        raise click.ClickException(f"{output}: cannot write: {err.strerror}") from err


@cli.command()
@click.argument("source")
@click.pass_context
@reports_errors
def remove(ctx: click.Context, source: str) -> None:
    """Drop one loaded source's named graph (a path, file name or graph IRI)."""
    from loaders.load import remove_source

    with opened(ctx, writable=True) as store:
        info = remove_source(store, source)
    click.echo(f"removed {info.path} ({info.triples:,} triples)")


@cli.command()
@output_format_option("table", "json", "csv")
@click.pass_context
@reports_errors
def sources(ctx: click.Context, fmt: str) -> None:
    """What is loaded: path, content hash, load time, triples."""
    with opened(ctx) as store:
        rows = [{"path": display_path(s.path), "hash": s.hash, "format": s.format,
                 "triples": s.triples, "loaded_at": s.loaded_at, "loader": s.loader,
                 "graph": s.graph}
                for s in loaded_sources(store)]
    emit_rows(rows, fmt, ["path", "triples", "loaded_at", "hash"])


# -- questions ------------------------------------------------------------------------------
def resolve(store: GraphStore, names: tuple[str, ...]) -> list[NamedNode]:
    index = cached_index(store, organisations_only=True)
    return [index.require(name, ORGANISATION_KINDS).iri for name in names]


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--only", type=click.Choice(["agreements", "events"]),
              help="Only agreements or only events.")
@output_format_option("table", "json", "csv")
@click.pass_context
@reports_errors
def links(ctx: click.Context, a: str, b: str, only: str | None, fmt: str) -> None:
    """Agreements and events that link A and B, with dates, the path between them and the
    sources behind each answer."""
    types = ("agreement", "event") if only is None else (only[:-1],)
    with opened(ctx) as store:
        first, second = resolve(store, (a, b))
        answers = links_between(store, first, second, types)
    emit_items(answers, fmt)


@cli.command("timeline")
@click.argument("entities", nargs=-1)
@click.option("--since", help="Earliest date (2019, 2019-06 or 2019-06-30).")
@click.option("--until", help="Latest date (2019, 2019-06 or 2019-06-30).")
@output_format_option("table", "json", "csv")
@click.pass_context
@reports_errors
def timeline_command(ctx: click.Context, entities: tuple[str, ...], since: str | None,
                     until: str | None, fmt: str) -> None:
    """Events and agreements of ENTITIES (and their units), in time order."""
    from ontology.dates import parse_date

    for option, value in (("--since", since), ("--until", until)):
        if value is not None:
            try:
                parse_date(value)
            except ValueError as err:
                raise click.BadParameter(str(err), param_hint=option) from None
    with opened(ctx) as store:
        nodes = resolve(store, entities) if entities else []
        answers = timeline(store, nodes, since, until)
    emit_items(answers, fmt)


# -- partner networks -----------------------------------------------------------------------
def network_options(command: Callable) -> Callable:
    """--level, --since and --until, shared by the partner-network commands."""
    from graph.network import LEVELS

    for option in reversed((
        click.option("--level", type=click.Choice(LEVELS), default="country",
                     show_default=True,
                     help="country: agencies count for their country; agency: each "
                          "organisation as itself."),
        click.option("--since", callback=check_date,
                     help="Only agreements and events from this date (2019, 2019-06 or "
                          "2019-06-30)."),
        click.option("--until", callback=check_date,
                     help="Only agreements and events up to this date."),
    )):
        command = option(command)
    return command


def check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from ontology.dates import parse_date

    if value is not None:
        try:
            parse_date(value)
        except ValueError as err:
            raise click.BadParameter(str(err)) from None
    return value


@cli.command("partners")
@click.argument("entity")
@network_options
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="Also partners of partners, up to N steps away.")
@click.option("--limit", type=click.IntRange(min=0), default=0,
              help="At most N partners (default: all).")
@output_format_option("table", "json", "csv")
@click.pass_context
@reports_errors
def partners_command(ctx: click.Context, entity: str, level: str, since: str | None,
                     until: str | None, depth: int, limit: int, fmt: str) -> None:
    """ENTITY's partners (its agencies' and units' too), ranked by the agreements and events
    they share, with the evidence for each."""
    from graph.network import partners

    with opened(ctx) as store:
        (node,) = resolve(store, (entity,))
        answers = partners(store, node, level, since, until, depth)
    emit_partners(answers[:limit] if limit else answers, fmt)


@cli.command("path")
@click.argument("a")
@click.argument("b")
@click.option("--since", callback=check_date, help="Only agreements and events from this date.")
@click.option("--until", callback=check_date, help="Only agreements and events up to this date.")
@output_format_option("table", "json")
@click.pass_context
@reports_errors
def path_command(ctx: click.Context, a: str, b: str, since: str | None, until: str | None,
                 fmt: str) -> None:
    """The shortest chain of cooperation between A and B, each step explained: shared
    agreements and events, and the parents, countries and unions on the way."""
    from graph.network import shortest_path

    with opened(ctx) as store:
        first, second = resolve(store, (a, b))
        found = shortest_path(store, first, second, since, until)
    if fmt == "json":
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    steps = found["length"]
    click.echo(f"{found['from']['label']} → {found['to']['label']}: "
               f"{steps} step{'s' if steps != 1 else ''}")
    click.echo(found["text"])
    click.echo()
    for number, step in enumerate(found["steps"], 1):
        click.echo(f"{number:2}. {step['text']}")


NETWORK_SUFFIXES = {".graphml": "graphml", ".gexf": "gexf", ".json": "json", ".html": "html",
                    ".htm": "html"}


@cli.command("network")
@network_options
@click.option("--format", "-f", "fmt", type=click.Choice(["graphml", "gexf", "json", "html"]),
              help="Output format (default: from the file name).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of standard output.")
@click.pass_context
@reports_errors
def network_command(ctx: click.Context, level: str, since: str | None, until: str | None,
                    fmt: str | None, output: Path | None) -> None:
    """The whole partner network with degree, weighted degree, betweenness and community on
    every node: GraphML, GEXF (with time spells for Gephi's timeline), node-link JSON, or one
    self-contained HTML page."""
    from graph.network import network, write_network

    fmt = fmt or NETWORK_SUFFIXES.get(output.suffix.lower() if output else "")
    if fmt is None:
        raise click.UsageError("give --format graphml|gexf|json|html (or an -o FILE ending "
                               "in one of those)")
    with opened(ctx) as store:
        graph = network(store, level, since, until)
    if output is None:
        sys.stdout.flush()
        write_network(graph, sys.stdout.buffer, fmt)
        sys.stdout.buffer.flush()
        return
    write_network(graph, output, fmt)
    click.echo(f"{graph.number_of_nodes():,} organisations, {graph.number_of_edges():,} "
               f"partnerships, {graph.graph['communities']} communities (betweenness "
               f"{graph.graph['betweenness']}) → {output}", err=True)


def _years(first: int | None, last: int | None) -> str:
    if first is None:
        return "undated"
    return str(first) if first == last else f"{first}–{last}"


def emit_partners(answers: list[dict[str, Any]], fmt: str, shown: int = 5) -> None:
    """Partners as JSON, CSV (one row each, evidence as IRIs), or readable blocks with the
    ``shown`` latest agreements and events of each."""
    if fmt == "json":
        click.echo(json.dumps(answers, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["rank", "partner", "kind", "country", "distance", "weight",
                         "agreements", "events", "first_year", "last_year", "via", "iri",
                         "evidence"])
        for a in answers:
            items = a["evidence"]["agreements"] + a["evidence"]["events"]
            writer.writerow([a["rank"], a["label"], a["kind"], a["country"] or "",
                             a["distance"], a["weight"], a["agreements"], a["events"],
                             a["first_year"] or "", a["last_year"] or "",
                             "; ".join(v["label"] for v in a["via"]), a["iri"],
                             " ".join(i["iri"] for i in items)])
        click.echo(out.getvalue(), nl=False)
        return
    if not answers:
        click.echo("no partners found")
        return
    for a in answers:
        counts = [f"{a['agreements']} agreement{'s' if a['agreements'] != 1 else ''}",
                  f"{a['events']} event{'s' if a['events'] != 1 else ''}"]
        extra = f", {a['distance']} steps away" if a["distance"] > 1 else ""
        click.echo(f"{a['rank']:3}. {a['label']}{extra}  weight {a['weight']}: "
                   f"{', '.join(counts)}, {_years(a['first_year'], a['last_year'])}")
        if a["via"]:
            click.echo(f"       via {', '.join(v['label'] for v in a['via'])}")
        items = sorted(a["evidence"]["agreements"] + a["evidence"]["events"],
                       key=lambda i: (i["date"] is not None, i["date"] or ""), reverse=True)
        for item in items[:shown]:
            count = (f" ({item['count']} event{'s' if item['count'] != 1 else ''})"
                     if item.get("count") else "")
            through = "".join(f" ({t['member']['label']} as a member of the "
                              f"{t['union']['label']})" for t in item.get("through", ()))
            click.echo(f"       {item['date'] or 'undated':10}  {item['kind']}: "
                       f"{item['label']}{count}{through}")
        if len(items) > shown:
            click.echo(f"       … and {len(items) - shown} more (--format json lists all)")


@cli.command()
@click.argument("text", required=False)
@click.option("--limit", default=50, show_default=True, help="At most this many.")
@output_format_option("table", "json", "csv")
@click.pass_context
@reports_errors
def entities(ctx: click.Context, text: str | None, limit: int, fmt: str) -> None:
    """Search entities by name or alias (loosely); all of them without TEXT."""
    with opened(ctx) as store:
        rows = search_entities(store, text, limit)
    for row in rows:
        row["aliases"] = "; ".join(row["aliases"]) if fmt != "json" else row["aliases"]
    emit_rows(rows, fmt, ["kind", "label", "code", "aliases", "iri"])


@cli.command("conflicts")
@output_format_option("table", "json")
@click.pass_context
@reports_errors
def conflicts_command(ctx: click.Context, fmt: str) -> None:
    """Facts that sources state differently (e.g. two signing dates), with each source."""
    with opened(ctx) as store:
        found = conflicts(store)
    if fmt == "json":
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("no conflicts")
    for conflict in found:
        click.echo(f"{conflict['label']}: {conflict['field']}")
        for value in conflict["values"]:
            click.echo(f"  {value['value']:12}  " + "; ".join(
                _source_text(s) for s in value["sources"]))


@cli.command()
@output_format_option("table", "json")
@click.pass_context
@reports_errors
def stats(ctx: click.Context, fmt: str) -> None:
    """Triples, named graphs and entities per class."""
    with opened(ctx) as store:
        found = graph_stats(store)
    if fmt == "json":
        click.echo(json.dumps(found, indent=2))
        return
    click.echo(f"triples       {found['triples']:>10,}")
    click.echo(f"named graphs  {found['graphs']:>10,}")
    for name, count in sorted(found["entities"].items()):
        click.echo(f"{name:24} {count:>7,}")


# -- SPARQL, export, validation -------------------------------------------------------------
def parse_binding(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not name:
        raise click.BadParameter(f"'{text}' is not name=value", param_hint="--bind")
    try:
        if value.startswith("<") and value.endswith(">"):
            return name, NamedNode(value[1:-1])
        if value.startswith(("http://", "https://", "urn:")):
            return name, NamedNode(value)
        if "^^" in value:
            lexical, _, datatype = value.rpartition("^^")
            datatype = datatype.strip("<>")
            if datatype.startswith("xsd:"):
                datatype = "http://www.w3.org/2001/XMLSchema#" + datatype[4:]
            return name, Literal(lexical, datatype=NamedNode(datatype))
    except ValueError as err:
        raise click.BadParameter(f"'{value}' is not a valid IRI: {err}",
                                 param_hint="--bind") from None
    return name, Literal(value)


@cli.command()
@click.argument("query", required=False)
@click.option("--file", "-f", "query_file", type=click.File("r"), help="Read the query from FILE.")
@click.option("--bind", "binds", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME to VALUE: <iri>, a URL, text, or text^^xsd:type. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(
    ["table", "json", "csv", "tsv", "xml", "turtle", "ntriples", "jsonld", "rdfxml"]),
    default="table", show_default=True, help="Results format (W3C formats for SELECT/ASK).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of standard output.")
@click.pass_context
@reports_errors
def sparql(ctx: click.Context, query: str | None, query_file: io.TextIOBase | None,
           binds: tuple[str, ...], fmt: str, output: Path | None) -> None:
    """Run a SPARQL query over the union of all loaded graphs.

    The project's prefixes (ckg:, id:, org:, schema:, dct:, prov:, skos:, time:, …) are
    declared already; a query's own PREFIX lines win.
    """
    if (query is None) == (query_file is None):
        raise click.UsageError("give a query, or -f FILE (not both)")
    text = query if query is not None else query_file.read()
    bindings = dict(parse_binding(b) for b in binds)
    with opened(ctx) as store:
        data = (store.serialize_query(text, bindings, "json", graph_fallback="turtle")
                if fmt == "table" else store.serialize_query(text, bindings, fmt))
    if fmt == "table":
        data = results_table(data).encode()
    if output:
        output.write_bytes(data)
    else:
        click.echo(data.decode(), nl=False)


def results_table(data: bytes) -> str:
    """SPARQL JSON results as an aligned text table."""
    try:
        results = json.loads(data)
    except ValueError:
        return data.decode()
    if "boolean" in results:
        return f"{str(results['boolean']).lower()}\n"
    names = results["head"]["vars"]
    rows = [[b.get(v, {}).get("value", "") for v in names]
            for b in results["results"]["bindings"]]
    return text_table(names, rows) + f"{len(rows)} row{'s' if len(rows) != 1 else ''}\n"


@cli.command()
@click.option("--format", "fmt", type=click.Choice(
    ["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"]),
    default="trig", show_default=True,
    help="Dataset formats (nquads, trig) keep each source's named graph.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of standard output.")
@click.pass_context
@reports_errors
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Export the graph."""
    buffer = io.BytesIO()
    with opened(ctx) as store:
        store.dump(buffer, RDF_FORMATS[fmt])
    if output:
        output.write_bytes(buffer.getvalue())
    else:
        click.echo(buffer.getvalue().decode(), nl=False)


@cli.command()
@output_format_option("table", "turtle")
@click.pass_context
@reports_errors
def validate(ctx: click.Context, fmt: str) -> None:
    """Check the graph against the SHACL shapes; exit 1 on violations."""
    from graph.validation import validate_store

    with opened(ctx) as store:
        report = validate_store(store)
    if fmt == "turtle":
        click.echo(report.turtle, nl=False)
    else:
        click.echo(report.text())
    if not report.conforms:
        ctx.exit(1)


# -- output ---------------------------------------------------------------------------------
def text_table(names: list[str], rows: list[list[str]]) -> str:
    widths = [min(max([len(n), *(len(r[i]) for r in rows)]), 80) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in rows:
        cells = [c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


def emit_rows(rows: list[dict[str, Any]], fmt: str, columns: list[str]) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else columns,
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(out.getvalue(), nl=False)
    else:
        click.echo(text_table(columns, [[str(r.get(c) if r.get(c) is not None else "")
                                         for c in columns] for r in rows]), nl=False)


def _source_text(source: dict[str, Any]) -> str:
    return source["file"] + (f" ({source['title']})" if source.get("title") else "")


def _evidence_text(source: dict[str, Any], width: int = 120) -> str | None:
    """The sentence behind an answer, where it is (the article file, else the source
    document's id) and the extractor's confidence; None without evidence."""
    from loaders.load import ARTICLE_SUFFIXES

    sentence = " ".join((source.get("sentence") or "").split())
    if not sentence:
        return None
    if len(sentence) > width:
        sentence = sentence[:width - 1].rstrip() + "…"
    file = Path(source["file"])
    where = (file.name if file.suffix.lower() in ARTICLE_SUFFIXES
             else (source.get("document") or file.name).rsplit("/", 1)[-1])
    if source.get("span"):
        where += ":{}-{}".format(*source["span"])
    if source.get("confidence") is not None:
        where += f", confidence {source['confidence']:.2f}"
    return f'"{sentence}" ({where})'


def _names(entries: list[dict[str, Any]]) -> str:
    return ", ".join(e["label"] for e in entries if e)


def emit_items(items: list[dict[str, Any]], fmt: str) -> None:
    """Agreements and events as JSON, CSV, or readable blocks."""
    if fmt == "json":
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["date", "type", "kind", "label", "parties", "via", "sources",
                         "conflicts", "iri"])
        for item in items:
            writer.writerow([item["date"] or "", item["type"], item["kind"], item["label"],
                             "; ".join(e["label"] for e in item.get("parties") or
                                       item.get("participants") or []),
                             "; ".join(item["via"] or []),
                             "; ".join(s["file"] for s in item["sources"]),
                             "; ".join(c["field"] for c in item["conflicts"]), item["iri"]])
        click.echo(out.getvalue(), nl=False)
        return
    if not items:
        click.echo("nothing found")
        return
    for item in items:
        date = item["date"] or "undated"
        extra = " (planned)" if item.get("planned") else ""
        if item.get("count"):
            extra += f" ({item['count']} event{'s' if item['count'] != 1 else ''})"
        click.echo(f"{date:10}  {item['type']}: {item['kind']}{extra}")
        click.echo(f"            {item['label']}")
        if item["type"] == "agreement":
            dates = [f"{k.replace('_', ' ')} {item[k]}" for k in
                     ("signed", "in_force", "valid_from", "valid_to") if item.get(k)]
            if dates:
                click.echo("            " + "; ".join(dates))
            click.echo(f"            parties: {_names(item['parties'])}")
            if item["implementers"]:
                click.echo(f"            implemented by: {_names(item['implementers'])}")
        else:
            click.echo(f"            participants: {_names(item['participants'])}")
        if item.get("place"):
            click.echo(f"            place: {item['place']['label']}")
        for via in item["via"] or []:
            click.echo(f"            via: {via}")
        for conflict in item["conflicts"]:
            claims = " vs ".join(
                f"{v['value']} ({', '.join(s['file'] for s in v['sources'])})"
                for v in conflict["values"])
            click.echo(f"            CONFLICT {conflict['field']}: {claims}")
        click.echo("            sources: " + "; ".join(_source_text(s) for s in item["sources"]))
        for evidence in filter(None, map(_evidence_text, item["sources"])):
            click.echo(f"              {evidence}")


# -- Neo4j mirror ---------------------------------------------------------------------------
def neo4j_connection_options(command: Callable) -> Callable:
    """--uri/--user/--password/--database, defaulting to $NEO4J_URI, $NEO4J_USERNAME, …"""
    options = [
        click.option("--uri", envvar="NEO4J_URI", default="bolt://localhost:7687",
                     show_default=True, help="Bolt URI of the server (also $NEO4J_URI)."),
        click.option("--user", envvar="NEO4J_USERNAME", default="neo4j", show_default=True,
                     help="User name (also $NEO4J_USERNAME)."),
        click.option("--password", envvar="NEO4J_PASSWORD", default="",
                     help="Password (also $NEO4J_PASSWORD)."),
        click.option("--database", envvar="NEO4J_DATABASE", default="neo4j",
                     show_default=True, help="Database (also $NEO4J_DATABASE)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _neo4j_settings(uri: str, user: str, password: str, database: str) -> Any:
    from graph.neo4j.mirror import Neo4jSettings

    return Neo4jSettings(uri, user, password, database)


def _stage_printer() -> Callable[[str, int, int], None] | None:
    """Progress on standard error, one line per stage, when it is a terminal."""
    if not sys.stderr.isatty():
        return None
    seen: set[str] = set()

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in seen:
            seen.add(stage)
            click.echo(stage, err=True)

    return progress


@cli.group("neo4j")
def neo4j_group() -> None:
    """Mirror the graph into Neo4j for Neo4j Browser: sync, status, style, guide."""


@neo4j_group.command("sync")
@click.option("--full", is_flag=True, help="Rebuild the mirror instead of writing what changed.")
@neo4j_connection_options
@click.pass_context
@reports_errors
def neo4j_sync(ctx: click.Context, full: bool, uri: str, user: str, password: str,
               database: str) -> None:
    """Write the graph to Neo4j: only what changed since the last sync, or all with --full.

    Creates the constraints and indexes it needs; a second run with nothing changed writes
    nothing; an interrupted run is completed by the next one.
    """
    from graph.neo4j.mirror import mirror_to_neo4j

    settings = _neo4j_settings(uri, user, password, database)
    with opened(ctx) as store:
        report = mirror_to_neo4j(store, settings, full=full, progress=_stage_printer())
    click.echo(report.text())


@neo4j_group.command("status")
@output_format_option("table", "json")
@neo4j_connection_options
@click.pass_context
@reports_errors
def neo4j_status(ctx: click.Context, fmt: str, uri: str, user: str, password: str,
                 database: str) -> None:
    """Compare node counts per label and relationship counts per type between the graph's
    projection and the server; exit 1 when they differ or a file changed since the sync."""
    from graph.neo4j.mirror import mirror_status

    with opened(ctx) as store:
        report = mirror_status(store, _neo4j_settings(uri, user, password, database))
    if fmt == "json":
        click.echo(json.dumps({"in_sync": report.in_sync, "synced_at": report.synced_at,
                               "not_synced": report.stale, "counts": report.rows()}, indent=2))
    else:
        click.echo(report.text())
    if not report.in_sync:
        ctx.exit(1)


@neo4j_group.command("style")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (e.g. customs-kg.grass) instead of standard output.")
def neo4j_style(output: Path | None) -> None:
    """A Neo4j Browser style: a colour and caption per label, captions per relationship type.

    Drag the file onto Neo4j Browser to apply it.
    """
    from graph.neo4j.browser import write_style

    _write_text(write_style(), output)


@neo4j_group.command("guide")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (e.g. guide.html) instead of standard output.")
@click.option("--country", default="RU", show_default=True, help="Example country (ISO code).")
@click.option("--partner", default="VN", show_default=True, help="Second example country.")
@click.option("--agency", default="ru-fcs", show_default=True, help="Example agency id.")
@click.option("--union", default="eaeu", show_default=True, help="Example union id.")
def neo4j_guide(output: Path | None, country: str, partner: str, agency: str,
                union: str) -> None:
    """A Neo4j Browser guide with the analyst queries as clickable Cypher.

    Serve it over HTTP (python -m http.server 8001) and run :play http://localhost:8001/FILE
    in Browser.
    """
    from graph.neo4j.browser import write_guide

    try:
        text = write_guide(country=country, partner=partner, agency=agency, union=union)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    _write_text(text, output)


def _write_text(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
