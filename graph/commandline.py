"""The command line's building blocks: the commands' error handling, the store a command
opens, terminal helpers and the options several commands share. ``cli.py`` declares the
commands with them; like it, this module imports heavy libraries only inside functions."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import click

from graph.errors import CustomsKGError, UsageProblem

STORE_ENV = "CUSTOMS_KG_STORE"
LEVELS = ("country", "agency")
NETWORK_FORMATS = {".graphml": "graphml", ".gexf": "gexf", ".json": "json", ".html": "html"}
NOTICE_FROM = 1_000_000
"""From this many triples on, a command that builds a kept index from the whole store (after
a large load) says so on standard error first: at 10M triples that takes a minute or two."""
PREPARE_FROM = 1_000_000
"""A load or removal of this many triples or more in a store on disk runs ``prepare`` after
it, unless told ``--no-prepare``."""


class CustomsKGCommand(click.Command):
    """A command whose ``UsageProblem`` is a usage error: its own usage line, exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageProblem as err:
            raise click.UsageError(str(err), ctx) from err


class CustomsKGGroup(click.Group):
    """Turns customs-kg's errors, from any command, into one line and exit code 1."""

    command_class = CustomsKGCommand

    def invoke(self, ctx: click.Context) -> Any:
        from graph.builds import watching

        try:
            with watching(_notice_build):
                return super().invoke(ctx)
        except CustomsKGError as err:
            raise click.ClickException(str(err)) from err


_NOTICED: set[tuple[str, str]] = set()


def _notice_build(store: Any, name: str, what: str) -> None:
    """Say on standard error, once, that a kept index is being built from a big store."""
    from graph.builds import KEPT

    if what != "build" or name not in KEPT or (store.location, name) in _NOTICED:
        return
    from graph.store.loaded import loaded_sources

    triples = sum(s.triples for s in loaded_sources(store))
    if triples >= NOTICE_FROM:
        _NOTICED.add((store.location, name))
        click.echo(f"customs-kg: building {KEPT[name]} from {triples:,} triples, "
                   "once after a large load ('customs-kg prepare' does it ahead of time)",
                   err=True)


@contextmanager
def opened(writable: bool = False) -> Iterator[Any]:
    """The store named by --store (or $CUSTOMS_KG_STORE, or ./.customs-kg), for one command."""
    from graph.store import open_store, store_location

    store = open_store(store_location(click.get_current_context().obj), writable=writable)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def terminal_progress() -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress bar on standard error, fed ``(done, total, what)``, when it is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=1, label="working", file=sys.stderr,
                           item_show_func=lambda name: name) as bar:

        def progress(done: int, total: int, name: str) -> None:
            bar.length = max(total, 1)
            bar.pos = min(done, bar.length)
            bar.update(0, name)

        yield progress


def show_loaded(results: list[Any], then_prepare: bool | None) -> None:
    """What a load did, a line a file; then ``prepare_after`` the triples it added."""
    from graph import presentation

    echo(presentation.loaded_text(results))
    prepare_after(sum(r.triples for r in results if r.status != "unchanged"), then_prepare)


def show_removed(store: Any, removed: list[Any], then_prepare: bool | None) -> None:
    """What a removal from ``store`` (closed by now) did, a line a source
    (``loaders.load.SourceInfo``); then ``prepare_after`` the triples it removed."""
    from graph.queries.items import display_path

    for info in removed:
        click.echo(f"removed {display_path(info.path, store)} ({info.triples:,} triples)")
    prepare_after(sum(info.triples for info in removed), then_prepare)


def prepare_after(changed: int, then_prepare: bool | None) -> None:
    """After a load or a removal of ``changed`` triples: ``prepare`` when asked
    (``then_prepare``), or by default when ``changed`` reaches ``PREPARE_FROM`` in a store on
    disk (the first questions would otherwise build the kept indexes from the whole store:
    minutes at 10M triples), saying so first on standard error. A preparation that fails or is
    interrupted (exit 130) unasked says so there too: the change stands."""
    from graph.preparation import kept_beside

    location = click.get_current_context().obj
    if then_prepare:
        show_prepared(location, None)
    elif then_prepare is None and changed >= PREPARE_FROM and kept_beside(location):
        click.echo(f"customs-kg: {changed:,} triples changed: preparing the indexes kept beside "
                   "the store for the first questions (--no-prepare leaves it to them)", err=True)
        later = ("the first questions build what they need; 'customs-kg prepare' tries again")
        try:
            show_prepared(location, None)
        except CustomsKGError as err:
            click.echo(f"customs-kg: done, but not prepared: {err} ({later})", err=True)
        except KeyboardInterrupt:
            click.echo(f"customs-kg: done, but not prepared: interrupted ({later})", err=True)
            raise click.exceptions.Exit(130) from None


prepare_option = click.option(
    "--prepare/--no-prepare", "then_prepare", default=None,
    help="Then run 'prepare' (default: after 1M+ triples changed in a store on disk).")


def show_prepared(location: str | None, processes: int | None) -> None:
    """``graph.preparation.prepare_store``, a line a part, then the time it all took."""
    import time

    from graph import presentation
    from graph.preparation import prepare_store

    start = time.perf_counter()
    done = prepare_store(location, processes)
    echo(presentation.prepared_text(done, time.perf_counter() - start))


@click.command("prepare", cls=CustomsKGCommand)
@click.option("--processes", type=click.IntRange(min=1), metavar="N",
              help="At most N at once (default: one per CPU; 1: one after the other).")
@click.pass_context
def prepare_command(ctx: click.Context, processes: int | None) -> None:
    """Build the indexes kept beside the store now, not on the first question after a large
    load (minutes at 10M triples): names, items and their order, partner facts, paths, and
    every country's partners."""
    show_prepared(ctx.obj, processes)


def ask(question: str) -> str:
    """An answer typed at the terminal ("" for none); EOFError at the end of input."""
    try:
        return click.prompt(question, default="", show_default=False, prompt_suffix="")
    except click.Abort:
        raise EOFError from None


echo = partial(click.echo, nl=False)


def parsed(parse: str, many: bool = False) -> Callable:
    """An option callback reading the value(s) with ``parse`` ("module:function", imported
    only when the option is given); its errors are bad parameters."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        module, name = parse.split(":")
        read = getattr(importlib.import_module(module), name)
        try:
            return dict(map(read, value)) if many else None if value is None else read(value)
        except (CustomsKGError, ValueError) as err:
            raise click.BadParameter(str(err)) from None

    return callback


def date_option(name: str, help_text: str, day: bool = False) -> Callable:
    """An option taking a date: 2019, 2019-06 or 2019-06-30 (only a day with ``day``)."""
    return click.option(name, callback=parsed(f"ontology.dates:{'day' if day else 'date'}_text"),
                        metavar="YYYY-MM-DD" if day else "DATE", help=help_text)


def format_option(*choices: str, default: str | None = "table") -> Callable:
    return click.option("--format", "-f", "fmt", type=click.Choice(choices), default=default,
                        show_default=default is not None, help="Output format.")


def output_option(example: str = "FILE") -> Callable:
    return click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                        help=f"Write to {example} instead of standard output.")


def period_options(command: Callable) -> Callable:
    command = date_option("--until", "Only agreements and events up to this date.")(command)
    return date_option("--since", "Only agreements and events from this date (2019, 2019-06 "
                       "or 2019-06-30).")(command)


def certainty_options(command: Callable) -> Callable:
    """--min-confidence and --curated-only, shared by the relation questions."""
    command = click.option("--curated-only", is_flag=True,
                           help="Only what curated files or reference data state, nothing "
                                "only extracted from articles.")(command)
    return click.option("--min-confidence", type=click.FloatRange(0, 1), metavar="X",
                        help="Leave out what only extraction gives with a confidence below X "
                             "(0–1).")(command)


def page_options(noun: str = "answers") -> Callable:
    """--limit, --offset and --all: which page of the answers to show."""

    def decorate(command: Callable) -> Callable:
        command = click.option("--all", "show_all", is_flag=True,
                               help=f"Every one of the {noun}, however many.")(command)
        command = click.option("--offset", type=click.IntRange(min=0), default=0,
                               help="Skip this many first (the next page: --offset 50).")(command)
        return click.option("--limit", type=click.IntRange(min=1), default=50,
                            show_default=True, help=f"At most this many {noun}.")(command)

    return decorate


level_option = click.option(
    "--level", type=click.Choice(LEVELS), default="country", show_default=True,
    help="country: agencies count for their country; agency: each organisation as itself.")
weights_option = click.option(
    "--weights", callback=parsed("graph.network:parse_weights"), metavar="KEY=N,…",
    help="What a shared item adds to a partnership: binding=5 (free trade, mutual assistance, "
         "mutual recognition), agreement=3 (any other), event=1, summary_cap=3 (a summary "
         "line of many events counts at most this many; none: no cap).")
def partner_options(command: Callable) -> Callable:
    """--depth, --limit and --evidence: how far, how many partners, how many items each."""
    command = click.option(
        "--evidence", type=click.IntRange(min=0), metavar="N",
        help="List the N latest agreements and events under each partner (default: 5 in the "
             "table, all in JSON and CSV); the counts still count all.")(command)
    command = click.option("--limit", type=click.IntRange(min=0), default=0,
                           help="At most N partners (default: all).")(command)
    return click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
                        help="Also partners of partners, up to N steps away.")(command)


published_option = date_option(
    "--published", "Publication date of articles whose header gives none (resolves \"on "
    "Monday\", \"September 9\").", day=True)


def resolve(store: Any, names: tuple[str, ...]) -> list[Any]:
    """The entities NAMES name (``graph.names.resolve_names``); a best match that is not one
    of the entity's own names is said on standard error."""
    from graph.names import resolve_names

    matches = resolve_names(store, names)
    for name, match in zip(names, matches, strict=True):
        if match.note(name):
            click.echo(match.note(name), err=True)
    return [match.entity.iri for match in matches]


def paging(limit: int, offset: int, show_all: bool, min_confidence: float | None,
           curated_only: bool) -> Any:
    """The page of answers the options ask for (``graph.queries.paging.Paging``)."""
    from graph.queries.paging import Paging

    return Paging(None if show_all else limit, offset, min_confidence, curated_only)


def show_page(answers: Any, fmt: str, limit: int, offset: int, show_all: bool,
              **_: Any) -> None:
    """The answers, then which of how many they are (on standard error beside JSON/CSV)."""
    from graph import presentation as show

    echo(show.items_text(answers, fmt))
    note = show.page_note(len(answers), answers.total, offset, None if show_all else limit)
    if note:
        click.echo(note, err=fmt != "table")
