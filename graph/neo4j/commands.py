"""The ``customs-kg neo4j`` commands: sync the mirror, compare it, style and guide Neo4j
Browser. Declared here, beside the mirror, with ``graph.commandline``'s building blocks;
``cli.py`` adds the group. The mirror itself is imported only when a command runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from graph import presentation as show
from graph.commandline import (
    CustomsKGGroup,
    echo,
    format_option,
    opened,
    output_option,
    terminal_progress,
)
from graph.output import write_output


def neo4j_options(command: Callable) -> Callable:
    """--uri/--user/--password/--database, defaulting to $NEO4J_URI, $NEO4J_USERNAME, …"""
    for name, default, help_text in reversed((
            ("uri", "bolt://localhost:7687", "Bolt URI of the server (also $NEO4J_URI)."),
            ("user", "neo4j", "User name (also $NEO4J_USERNAME)."),
            ("password", "", "Password (also $NEO4J_PASSWORD)."),
            ("database", "neo4j", "Database (also $NEO4J_DATABASE)."))):
        command = click.option(
            f"--{name}", envvar="NEO4J_" + ("USERNAME" if name == "user" else name.upper()),
            default=default, show_default=name != "password", help=help_text)(command)
    return command


@click.group("neo4j", cls=CustomsKGGroup)
def neo4j_group() -> None:
    """Mirror the graph into Neo4j for Neo4j Browser: sync, status, style, guide."""


@neo4j_group.command("sync")
@click.option("--full", is_flag=True, help="Rebuild the mirror instead of writing what changed.")
@neo4j_options
def neo4j_sync(full: bool, **connection: str) -> None:
    """Write the graph to Neo4j: only what changed since the last sync, or all with --full.

    Creates the constraints and indexes it needs; a second run with nothing changed writes
    nothing; an interrupted run is completed by the next one.
    """
    from graph.neo4j.mirror import Neo4jSettings, mirror_to_neo4j

    with opened() as store, terminal_progress() as progress:
        stages = progress and (lambda stage, done, total: progress(done, total, stage))
        report = mirror_to_neo4j(store, Neo4jSettings(**connection), full=full, progress=stages)
    click.echo(report.text())


@neo4j_group.command("status")
@format_option("table", "json")
@neo4j_options
@click.pass_context
def neo4j_status(ctx: click.Context, fmt: str, **connection: str) -> None:
    """Compare node counts per label and relationship counts per type between the graph's
    projection and the server; exit 1 when they differ or a file changed since the sync."""
    from graph.neo4j.mirror import Neo4jSettings, mirror_status

    with opened() as store:
        report = mirror_status(store, Neo4jSettings(**connection))
    echo(show.mirror_status_text(report, fmt))
    ctx.exit(0 if report.in_sync else 1)


@neo4j_group.command("style")
@output_option("FILE (e.g. customs-kg.grass)")
def neo4j_style(output: Path | None) -> None:
    """A Neo4j Browser style: a colour and caption per label, captions per relationship type.

    Drag the file onto Neo4j Browser to apply it.
    """
    from graph.neo4j.browser import write_style

    write_output(write_style(), output)


@neo4j_group.command("guide")
@output_option("FILE (e.g. guide.html)")
@click.option("--country", default="RU", show_default=True, help="Example country (ISO code).")
@click.option("--partner", default="VN", show_default=True, help="Second example country.")
@click.option("--agency", default="ru-fcs", show_default=True, help="Example agency id.")
@click.option("--union", default="eaeu", show_default=True, help="Example union id.")
def neo4j_guide(output: Path | None, **examples: str) -> None:
    """A Neo4j Browser guide with the analyst queries as clickable Cypher.

    Serve it over HTTP (python -m http.server 8001) and run :play http://localhost:8001/FILE
    in Browser.
    """
    from graph.neo4j.browser import write_guide

    try:
        text = write_guide(**examples)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    write_output(text, output)
