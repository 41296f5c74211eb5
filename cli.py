"""customs-kg: the command line. Parses options, calls one library function, prints its answer
(formatted by ``graph.presentation``). Heavy libraries are imported by the commands that use
them, so ``customs-kg --help`` starts fast."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import click

from graph import presentation as show
from graph.commandline import (
    NETWORK_FORMATS,
    STORE_ENV,
    CustomsKGGroup,
    ask,
    certainty_options,
    echo,
    format_option,
    level_option,
    opened,
    output_option,
    page_options,
    paging,
    parsed,
    partner_options,
    period_options,
    prepare_command,
    prepare_option,
    published_option,
    resolve,
    show_loaded,
    show_page,
    show_removed,
    terminal_progress,
    weights_option,
)
from graph.neo4j.commands import neo4j_group
from graph.output import write_output


@click.group(cls=CustomsKGGroup)
@click.version_option(package_name="customs-kg")
@click.option("--store", envvar=STORE_ENV, metavar="PATH|URL",
              help=f"Store directory, or a SPARQL endpoint URL (default ./.customs-kg; "
                   f"also ${STORE_ENV}).")
@click.pass_context
def cli(ctx: click.Context, store: str | None) -> None:
    """customs-kg: a knowledge graph of international customs cooperation."""
    ctx.obj = store


# -- loading --------------------------------------------------------------------------------
@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@published_option
@prepare_option
def load(paths: tuple[Path, ...], published: str | None, then_prepare: bool | None) -> None:
    """Load records (YAML, JSON, CSV), RDF files or folders, and articles, all or nothing.

    Each file becomes its own named graph with its path, hash and load time; a changed file
    replaces its graph, an unchanged one is skipped. An article (.txt, .md, .html, named
    one by one, not taken from folders) goes through the extractor: its records load with
    the sentence each came from.
    """
    from loaders.load import load_paths

    with opened(writable=True) as store, terminal_progress() as progress:
        results = load_paths(store, paths, progress=progress, published=published)
    show_loaded(results, then_prepare)


@cli.command()
@click.argument("articles", nargs=-1,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_option("FILE (every article's records, one document each)")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Write one file per article into DIR: NAME.txt gives NAME.yaml.")
@format_option("yaml", "json", default="yaml")
@published_option
@click.option("--evaluate", "corpus", metavar="CORPUS_DIR",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Measure instead: extract CORPUS_DIR/articles and score against "
                   "CORPUS_DIR/gold (precision, recall, F1, date accuracy).")
@click.option("--json", "as_json", is_flag=True, help="With --evaluate: the report as JSON.")
@click.option("--calibration", is_flag=True,
              help="With --evaluate: how often items of each confidence band are right.")
def extract(articles: tuple[Path, ...], output: Path | None, out_dir: Path | None, fmt: str,
            published: str | None, corpus: Path | None, as_json: bool,
            calibration: bool) -> None:
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
        return click.echo(report_json(report) if as_json
                          else format_report(report, calibration=calibration))
    if not articles:
        raise click.UsageError("give one or more articles, or --evaluate CORPUS_DIR")
    if as_json or calibration:
        raise click.UsageError("--json and --calibration go with --evaluate")
    if output and out_dir:
        raise click.UsageError("give -o FILE or --out-dir DIR, not both")
    if out_dir is not None:
        written = write_records_files(list(articles), out_dir, fmt=fmt, published=published)
        return click.echo("\n".join(map(str, written)))
    write_output(format_records(extract_files(list(articles), published=published), fmt), output)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@prepare_option
def remove(sources: tuple[str, ...], then_prepare: bool | None) -> None:
    """Drop loaded sources' named graphs (paths, file names or graph IRIs), all or nothing."""
    from loaders.load import remove_sources

    with opened(writable=True) as store:
        removed = remove_sources(store, sources)
    show_removed(store, removed, then_prepare)


@cli.command()
@format_option("table", "json", "csv")
def sources(fmt: str) -> None:
    """What is loaded: path, content hash, load time, triples."""
    from graph.queries.items import loaded_files

    with opened() as store:
        echo(show.rows_text(loaded_files(store), fmt, ["path", "triples", "loaded_at", "hash"]))


# -- questions ------------------------------------------------------------------------------
@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--only", type=click.Choice(["agreements", "events"]),
              help="Only agreements or only events.")
@certainty_options
@page_options()
@format_option("table", "json", "csv")
def links(a: str, b: str, only: str | None, fmt: str, **page: Any) -> None:
    """Agreements and events that link A and B, with dates, the path between them, the
    sources behind each answer and how certain it is; a page at a time (--limit, --all)."""
    from graph.queries.relations import links_between

    with opened() as store:
        first, second = resolve(store, (a, b))
        answers = links_between(store, first, second,
                                ("agreement", "event") if only is None else (only[:-1],),
                                paging=paging(**page))
    show_page(answers, fmt, **page)


@cli.command("timeline")
@click.argument("entities", nargs=-1)
@period_options
@certainty_options
@page_options()
@format_option("table", "json", "csv")
def timeline_command(entities: tuple[str, ...], since: str | None, until: str | None,
                     fmt: str, **page: Any) -> None:
    """Events and agreements of ENTITIES (and their units), in time order, each with its
    sources and how certain it is; a page at a time (--limit, --offset, --all)."""
    from graph.queries.relations import timeline

    with opened() as store:
        nodes = resolve(store, entities) if entities else []
        answers = timeline(store, nodes, since, until, paging=paging(**page))
    show_page(answers, fmt, **page)


@cli.command()
@click.argument("text", required=False)
@page_options("entities")
@format_option("table", "json", "csv")
def entities(text: str | None, limit: int, offset: int, show_all: bool, fmt: str) -> None:
    """Search entities by name or alias (loosely), best first; every entity without TEXT, by
    kind and name. Says how many there are when it shows only some."""
    from graph.queries.catalog import search_entities

    with opened() as store:
        found = search_entities(store, text, limit=None)
    page, note = show.entities_text(found, fmt, offset, None if show_all else limit)
    echo(page)
    if note:
        click.echo(note, err=fmt != "table")


@cli.command("conflicts")
@format_option("table", "json")
def conflicts_command(fmt: str) -> None:
    """Facts that sources state differently (e.g. two signing dates), with each source."""
    from graph.queries.catalog import conflicts

    with opened() as store:
        echo(show.conflicts_text(conflicts(store), fmt))


@cli.command()
@format_option("table", "json")
def stats(fmt: str) -> None:
    """Triples, named graphs and entities per class."""
    from graph.queries.catalog import graph_stats

    with opened() as store:
        echo(show.stats_text(graph_stats(store), fmt))


@cli.command()
@click.option("--accept", multiple=True, metavar="ID", help="Accept claim ID. Repeatable.")
@click.option("--reject", multiple=True, metavar="ID", help="Reject claim ID. Repeatable.")
@click.option("--apply", "filled", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="FILE", help="Record the decisions of FILE, a --format yaml list filled in.")
@click.option("-i", "--interactive", is_flag=True, help="Decide claim by claim at the terminal.")
@click.option("--note", help="Why, recorded with --accept/--reject.")
@click.option("--by", "reviewer", metavar="NAME", help="The reviewer (default: your user name).")
@click.option("--file", "reviewed", type=click.Path(dir_okay=False, path_type=Path),
              default="reviews.yaml", show_default=True, help="The reviewed records file.")
@click.option("--all", "include_decided", is_flag=True, help="List decided claims too.")
@format_option("table", "json", "yaml")
@output_option()
def review(accept: tuple[str, ...], reject: tuple[str, ...], filled: Path | None,
           interactive: bool, note: str | None, reviewer: str | None, reviewed: Path,
           include_decided: bool, fmt: str, output: Path | None) -> None:
    """Review what the extractor claims, least certain first, with the sentence behind each:
    accept, reject or correct. Decisions go to a records file (who, when, what changed) that
    is loaded at once; rejected claims leave every answer, and stay decided when the article
    is loaded again. --format yaml lists claims with blank decisions to fill in for --apply."""
    from graph.queries.review import review_claims
    from loaders import review as decide

    given = [decide.ClaimDecision(i, word, note=note)
             for word, ids in (("accept", accept), ("reject", reject)) for i in ids]
    if sum(map(bool, (given, filled, interactive))) > 1:
        raise click.UsageError("give --accept/--reject, --apply FILE or -i, one of them")
    with opened(writable=bool(given or filled or interactive)) as store:
        if given or filled:
            result = decide.record_decisions(
                store, reviewed, given or decide.decisions_from_file(filled), reviewer)
        elif interactive:
            result = decide.review_interactively(store, reviewed, ask, click.echo,
                                                 reviewer=reviewer)
        else:
            return write_output(show.review_text(review_claims(
                store, include_decided=include_decided), fmt), output)
    if result is not None:
        click.echo(show.review_result(result))


# -- partner networks -----------------------------------------------------------------------
@cli.command("partners")
@click.argument("entity")
@level_option
@period_options
@partner_options
@weights_option
@certainty_options
@format_option("table", "json", "csv")
def partners_command(entity: str, level: str, since: str | None, until: str | None,
                     depth: int, limit: int, evidence: int | None, weights: Any, fmt: str,
                     **certainty: Any) -> None:
    """ENTITY's partners (its agencies' and units' too), ranked by the agreements and events
    they share, with the evidence for each."""
    from graph.network import partners

    shown = evidence if evidence is not None or fmt != "table" else show.PARTNER_ITEMS_SHOWN
    with opened() as store:
        (node,) = resolve(store, (entity,))
        answers = partners(store, node, level, since, until, depth, weights=weights,
                           shown=shown, **certainty)
    echo(show.partners_text(answers[:limit] if limit else answers, fmt, shown or 0))


@cli.command("path")
@click.argument("a")
@click.argument("b")
@period_options
@weights_option
@certainty_options
@format_option("table", "json")
def path_command(a: str, b: str, since: str | None, until: str | None, weights: Any,
                 fmt: str, **certainty: Any) -> None:
    """The shortest chain of cooperation between A and B, each step explained: shared
    agreements and events, and the parents, countries and unions on the way."""
    from graph.network import shortest_path

    with opened() as store:
        first, second = resolve(store, (a, b))
        echo(show.path_text(shortest_path(store, first, second, since, until, weights,
                                                **certainty), fmt))


@cli.command("network")
@level_option
@period_options
@weights_option
@certainty_options
@format_option("graphml", "gexf", "json", "html", default=None)
@output_option()
def network_command(level: str, since: str | None, until: str | None, weights: Any,
                    fmt: str | None, output: Path | None, **certainty: Any) -> None:
    """The whole partner network with degree, weighted degree, betweenness and community on
    every node: GraphML, GEXF (with time spells for Gephi's timeline), node-link JSON, or one
    self-contained HTML page (the format defaults to the -o file's suffix)."""
    from graph.network import network, whole_network, write_network

    fmt = fmt or NETWORK_FORMATS.get(output.suffix.lower() if output else "")
    if fmt is None:
        raise click.UsageError("give --format graphml|gexf|json|html (or an -o FILE ending "
                               "in one of those)")
    with opened() as store:
        if fmt == "gexf":  # no networkx graph needed; the edges' lines begun at once
            graph = whole_network(store, level, since, until, weights, **certainty,
                                  edges_ahead=True)
        else:
            graph = network(store, level, since, until, weights, **certainty)
    write_output(lambda file: write_network(graph, file, fmt), output)
    if output is not None:
        click.echo(show.network_summary(graph, output), err=True)


# -- SPARQL, export, validation -------------------------------------------------------------
@cli.command()
@click.argument("query", required=False)
@click.option("--file", "-f", "query_file", type=click.File("r"), help="Read the query from FILE.")
@click.option("--bind", "bindings", multiple=True, metavar="NAME=VALUE",
              callback=parsed("graph.store.bindings:parse_binding", many=True),
              help="Bind ?NAME to VALUE: <iri>, a URL, text, or text^^xsd:type. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(
    ["table", "json", "csv", "tsv", "xml", "turtle", "ntriples", "jsonld", "rdfxml"]),
    default="table", show_default=True, help="Results format (W3C formats for SELECT/ASK).")
@click.option("--allow-service", is_flag=True,
              help="Let SERVICE clauses query remote endpoints (refused otherwise).")
@output_option()
def sparql(query: str | None, query_file: IO[str] | None, bindings: dict[str, Any], fmt: str,
           allow_service: bool, output: Path | None) -> None:
    """Run a SPARQL query over the union of all loaded graphs.

    The project's prefixes (ckg:, id:, org:, schema:, dct:, prov:, skos:, time:, …) are
    declared already; a query's own PREFIX lines win.
    """

    if (query is None) == (query_file is None):
        raise click.UsageError("give a query, or -f FILE (not both)")
    text = query if query is not None else query_file.read()
    with opened() as store:
        data = store.serialize_query(text, bindings, "json" if fmt == "table" else fmt,
                                     "turtle" if fmt == "table" else None,
                                     allow_service=allow_service)
    write_output(show.results_table(data) if fmt == "table" else data, output)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(
    ["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"]),
    default="trig", show_default=True,
    help="Dataset formats (nquads, trig) keep each source's named graph.")
@output_option("FILE (e.g. customs-kg.trig)")
def export(fmt: str, output: Path | None) -> None:
    """Export the graph: every loaded file's named graph with its provenance (Turtle and TriG
    with the project's prefixes)."""
    from graph.store import RDF_FORMATS

    with opened() as store:
        write_output(lambda file: store.dump(file, RDF_FORMATS[fmt]), output)


@cli.command()
@format_option("table", "turtle")
@click.pass_context
def validate(ctx: click.Context, fmt: str) -> None:
    """Check the graph against the SHACL shapes; exit 1 on violations."""
    from graph.validation import validate_store

    with opened() as store:
        report = validate_store(store)
    echo(report.turtle if fmt == "turtle" else report.text() + "\n")
    ctx.exit(0 if report.conforms else 1)


cli.add_command(neo4j_group)
cli.add_command(prepare_command)

main = cli
"""The ``customs-kg`` console script."""

if __name__ == "__main__":
    cli()
