"""customs-kg: the command line. Parses options, calls one library function, formats output."""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from pyoxigraph import Literal, NamedNode

from graph.errors import CustomsKGError
from graph.queries.catalog import conflicts, graph_stats, search_entities
from graph.queries.items import display_path
from graph.queries.relations import links_between, timeline
from graph.store import RDF_FORMATS, STORE_ENV, GraphStore, open_store, store_location
from loaders.load import load_paths, loaded_sources, remove_source
from loaders.resolve import ORGANISATION_KINDS, index_from_store


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
@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
@reports_errors
def load(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Load records (YAML, JSON, CSV) and RDF files or folders, all or nothing.

    Each file becomes its own named graph with its path, hash and load time; a changed file
    replaces its graph, an unchanged one is skipped.
    """
    with opened(ctx, writable=True) as store:
        if sys.stderr.isatty():
            with click.progressbar(length=1, label="loading", file=sys.stderr,
                                   item_show_func=lambda name: name) as bar:

                def progress(done: int, total: int, name: str) -> None:
                    bar.length = total
                    bar.update(1 if done else 0, name)

                results = load_paths(store, paths, progress=progress)
        else:
            results = load_paths(store, paths)
    for result in results:
        click.echo(f"{result.status:9}  {result.triples:>9,} triples  {result.path}")


@cli.command()
@click.argument("source")
@click.pass_context
@reports_errors
def remove(ctx: click.Context, source: str) -> None:
    """Drop one loaded source's named graph (a path, file name or graph IRI)."""
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
    index = index_from_store(store)
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
    from loaders.dates import parse_date

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


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
