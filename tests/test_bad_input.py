"""Bad input through the command line: one line "Error: …" naming the file, the record and the
field, exit code 1 or 2, no traceback, and a store left exactly as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from curated import SEEDS

from cli import cli
from graph.store.lock import StoreLock

ROOT = Path(__file__).resolve().parents[1]

BAD_TURTLE = "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c\nex:d ex:e .\n"
NOT_UTF8 = b"\xff\xfe\x00\x01binary\x80\x81 \xc3\x28\n"

# name: (file name, content, expected first part of the one error line, exact?)
BAD_FILES = {
    "malformed-yaml": (
        "malformed.yaml",
        "agreements:\n  - id: a1\n    title: x\n   bad: [\n",
        "Error: malformed.yaml: malformed YAML at line 4, column 4: expected <block end>, "
        "but found '<block mapping start>'",
        True,
    ),
    "malformed-json": (
        "malformed.json",
        '{"agreements": [{"id": "a1",}]}',
        "Error: malformed.json: malformed JSON at line 1, column 29: "
        "Expecting property name enclosed in double quotes",
        True,
    ),
    "unknown-country-code": (
        "country.yaml",
        "agencies:\n  - {name: Foo Customs, country: XQ}\n",
        "Error: country.yaml, record agencies[0] \"Foo Customs\", field 'country': "
        "unknown country code 'XQ'",
        True,
    ),
    "unknown-country-code-as-party": (
        "party-code.yaml",
        "agreements:\n  - {id: a1, title: T, parties: [XQ, RU]}\n",
        "Error: party-code.yaml, record agreements[0] \"a1\", field 'parties[0]': "
        "unknown country code 'XQ'",
        True,
    ),
    "impossible-date": (
        "date.yaml",
        "agreements:\n  - id: a1\n    title: Agreement one\n    parties: [RU, VN]\n"
        "    signed: 2019-13-45\n",
        "Error: date.yaml, record agreements[0] \"a1\", field 'signed': "
        "'2019-13-45' is not a real calendar date",
        True,
    ),
    "impossible-event-date": (
        "event-date.yaml",
        "events:\n  - {id: e1, kind: meeting, date: \"2019-13-45\", participants: [RU]}\n",
        "Error: event-date.yaml, record events[0] \"e1\", field 'date': "
        "'2019-13-45' is not a real calendar date",
        True,
    ),
    "impossible-date-in-csv": (
        "agreements.csv",
        "title,parties,signed\nCSV agreement,RU;VN,2019-13-45\n",
        "Error: agreements.csv, record agreements[0] \"CSV agreement\", field 'signed': "
        "'2019-13-45' is not a real calendar date",
        True,
    ),
    "validity-ends-before-it-starts": (
        "validity.yaml",
        "agreements:\n  - id: a1\n    title: Agreement one\n    parties: [RU, VN]\n"
        "    valid_from: \"2020-01-01\"\n    valid_to: \"2019-06\"\n",
        "Error: validity.yaml, record agreements[0] \"a1\", field 'valid_to': "
        "valid_to 2019-06 is before valid_from 2020-01-01",
        True,
    ),
    "interval-ends-before-it-starts": (
        "interval.yaml",
        "events:\n  - {id: e1, kind: forum, date: \"2019-06-29/2019-06-27\"}\n",
        "Error: interval.yaml, record events[0] \"e1\", field 'date': "
        "interval '2019-06-29/2019-06-27' ends before it starts",
        True,
    ),
    "party-resolves-to-nothing": (
        "party.yaml",
        "agreements:\n  - id: a1\n    title: Agreement one\n"
        "    parties: [RU, Atlantis Customs Board]\n",
        "Error: party.yaml, record agreements[0] \"a1\", field 'parties[1]': "
        "'Atlantis Customs Board' resolves to no country, union or agency",
        False,  # then suggestions, which depend on the gazetteer
    ),
    "participant-resolves-to-nothing": (
        "participant.yaml",
        "events:\n  - {id: e1, kind: talks, participants: [Customs of Nowhere Land]}\n",
        "Error: participant.yaml, record events[0] \"e1\", field 'participants[0]': "
        "'Customs of Nowhere Land' resolves to no country, union or agency",
        False,
    ),
    "unknown-field": (
        "unknown.yaml",
        "agreements:\n  - id: a1\n    title: Agreement one\n    parties: [RU, VN]\n"
        "    sigend: \"2019\"\n",
        "Error: unknown.yaml, record agreements[0] \"a1\", field 'sigend': "
        "unknown field — did you mean 'signed'?",
        True,
    ),
    "bad-turtle": (
        "bad.ttl",
        BAD_TURTLE,
        "Error: bad.ttl: invalid Turtle: Parser error at line 3",
        False,  # then the parser's own words
    ),
    "binary-turtle": (
        "binary.ttl",
        NOT_UTF8,
        "Error: binary.ttl: invalid Turtle: ",
        False,
    ),
    "binary-yaml": (
        "binary.yaml",
        NOT_UTF8,
        "Error: binary.yaml: not UTF-8 text (invalid start byte at byte 0)",
        True,
    ),
    "csv-without-title-or-name": (
        "table.csv",
        "foo,bar\n1,2\n",
        "Error: table.csv: a CSV of records needs a 'title' column (agreements) or a 'name' "
        "column (agencies); found foo, bar",
        True,
    ),
    "unsupported-file-type": (
        "notes.docx",
        "hello\n",
        "Error: notes.docx: unsupported file type '.docx'",
        False,
    ),
}


@pytest.fixture
def store(curated_store_dir, tmp_path, monkeypatch) -> str:
    """An on-disk store in tmp_path holding data/ (a copy of the session's curated store); the
    working directory is tmp_path/work, so files are named as given."""
    location = tmp_path / "kg"
    shutil.copytree(curated_store_dir, location)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return str(location)


def export(runner, store: str) -> list[bytes]:
    """The whole store as sorted N-Quads lines (load times included)."""
    result = runner.invoke(cli, ["--store", store, "export", "--format", "nquads"])
    assert result.exit_code == 0, result.output
    lines = sorted(result.stdout_bytes.splitlines())
    assert len(lines) > 1000
    return lines


def assert_one_error_line(result, expected: str, exact: bool = True) -> str:
    """The command failed cleanly: exit 1 or 2, one line "Error: …", no traceback."""
    assert result.exit_code in (1, 2), result.output
    assert type(result.exception) is SystemExit, repr(result.exception)
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    line = lines[0]
    assert line.startswith("Error: ")
    if exact:
        assert line == expected
    else:
        assert line.startswith(expected), line
    return line


def write_bad(name: str, content: str | bytes) -> Path:
    path = Path(name)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_loading_a_bad_file_fails_cleanly_and_changes_nothing(runner, store, case):
    name, content, expected, exact = BAD_FILES[case]
    write_bad(name, content)
    before = export(runner, store)

    result = runner.invoke(cli, ["--store", store, "load", name])

    assert_one_error_line(result, expected, exact)
    assert export(runner, store) == before


@pytest.mark.parametrize("case", ["impossible-date", "unknown-field", "bad-turtle",
                                  "binary-turtle", "malformed-yaml"])
def test_a_bad_file_after_good_ones_loads_none_of_them(runner, store, tmp_path, case):
    name, content, expected, exact = BAD_FILES[case]
    Path("good.yaml").write_text(
        "source: {id: good}\nagreements:\n  - {id: good-one, title: Good, parties: [RU, VN]}\n",
        encoding="utf-8")
    Path("good.ttl").write_text(
        "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n",
        encoding="utf-8")
    write_bad(name, content)
    before = export(runner, store)

    result = runner.invoke(cli, ["--store", store, "load", "good.yaml", "good.ttl", name])

    assert_one_error_line(result, expected, exact)
    assert export(runner, store) == before
    sources = runner.invoke(cli, ["--store", store, "sources", "--format", "csv"])
    assert "good." not in sources.output


def test_a_bad_change_to_a_loaded_file_keeps_the_old_version(runner, store):
    path = Path("report.yaml")
    path.write_text("agreements:\n  - {id: r1, title: Report one, parties: [RU, VN], "
                    "signed: \"2019\"}\n", encoding="utf-8")
    assert runner.invoke(cli, ["--store", store, "load", str(path)]).exit_code == 0
    before = export(runner, store)
    path.write_text("agreements:\n  - {id: r1, title: Report one, parties: [RU, VN], "
                    "signed: \"2019-02-30\"}\n", encoding="utf-8")

    result = runner.invoke(cli, ["--store", store, "load", str(path)])

    assert_one_error_line(result, "Error: report.yaml, record agreements[0] \"r1\", "
                                  "field 'signed': '2019-02-30' is not a real calendar date")
    assert export(runner, store) == before


def test_a_path_that_does_not_exist(runner, store):
    before = export(runner, store)
    result = runner.invoke(cli, ["--store", store, "load", "missing.yaml"])
    assert_one_error_line(result, "Error: missing.yaml: no such file or folder")
    assert export(runner, store) == before


def test_removing_a_source_that_is_not_loaded(runner, store):
    before = export(runner, store)
    result = runner.invoke(cli, ["--store", store, "remove", "missing.yaml"])
    assert_one_error_line(result, "Error: no loaded source 'missing.yaml' "
                                  "(see 'customs-kg sources')")
    assert export(runner, store) == before


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p }",
    "SELEKT ?s WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s ?p ?o ",
])
def test_a_sparql_syntax_error(runner, store, query):
    before = export(runner, store)

    result = runner.invoke(cli, ["--store", store, "sparql", query])

    assert_one_error_line(result, "Error: SPARQL error: error at 1:", exact=False)
    assert export(runner, store) == before


def test_a_sparql_syntax_error_in_a_query_file(runner, store):
    Path("bad.rq").write_text("SELECT * WHERE {\n  ?s ?p\n}\n", encoding="utf-8")
    before = export(runner, store)

    result = runner.invoke(cli, ["--store", store, "sparql", "-f", "bad.rq"])

    assert_one_error_line(result, "Error: SPARQL error: error at ", exact=False)
    assert export(runner, store) == before


# -- a locked store -------------------------------------------------------------------------------
@pytest.mark.parametrize("command", [["load", "new.yaml"], ["remove", "established-facts.yaml"],
                                     ["load", *map(str, SEEDS)]], ids=["load", "remove", "reload"])
def test_a_store_locked_by_this_process(runner, store, command):
    Path("new.yaml").write_text("agreements:\n  - {id: n1, title: New, parties: [RU, VN]}\n",
                                encoding="utf-8")
    before = export(runner, store)
    lock = StoreLock(Path(store), exclusive=True)
    try:
        result = runner.invoke(cli, ["--store", store, *command])
    finally:
        lock.release()

    assert_one_error_line(result, f"Error: store {store} is locked by pid {os.getpid()}")
    assert export(runner, store) == before


HOLD_THE_STORE = """
import sys
from graph.store import OxigraphStore
store = OxigraphStore(sys.argv[1], writable=True)
print("holding", flush=True)
sys.stdin.read()
store.close()
"""


def test_a_store_held_by_another_writer(runner, store, monkeypatch):
    monkeypatch.setenv("CUSTOMS_KG_LOCK_WAIT", "0")  # a reader gives up at once (no wait line)
    Path("new.yaml").write_text("agreements:\n  - {id: n1, title: New, parties: [RU, VN]}\n",
                                encoding="utf-8")
    before = export(runner, store)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_STORE, store],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        result = runner.invoke(cli, ["--store", store, "load", "new.yaml"])
        reading = runner.invoke(cli, ["--store", store, "sources"])
    finally:
        holder.communicate("", timeout=60)

    assert holder.returncode == 0
    assert_one_error_line(result, f"Error: store {store} is locked by pid {holder.pid}")
    assert_one_error_line(reading, f"Error: store {store} is locked by pid {holder.pid}")
    assert export(runner, store) == before
    # Once the writer is gone the same load goes through.
    loaded = runner.invoke(cli, ["--store", store, "load", "new.yaml"])
    assert loaded.exit_code == 0, loaded.output
    assert export(runner, store) != before
