"""Hostile input and failing machines: every bomb and failure ends in one line on stderr, exit
code ≠ 0, well under 10 s and 1 GB, and the store as it was.

Each case runs `customs-kg` as a child process and reads its resource use with ``os.wait4``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from needs import unavailable

from graph.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
SMALL = """agreements:
  - {id: hostile-a1, title: Hostile test agreement, parties: [RU, VN], signed: 2019-09-09}
"""


def run_child(store: Path, *args: str, env: dict | None = None, limit: float = 10.0):
    """Run the CLI; (exit code, stdout, stderr, seconds, max RSS in MB)."""
    environment = {**os.environ, "CUSTOMS_KG_STORE": str(store), "CUSTOMS_KG_LOCK_WAIT": "5",
                   **(env or {})}
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen([sys.executable, "-c", "from cli import main; main()",
                                    *args], cwd=ROOT, env=environment, stdout=out, stderr=err)
        timer = threading.Timer(limit * 3, process.kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (process.returncode, out.read().decode(errors="replace"),
                err.read().decode(errors="replace"), time.monotonic() - started,
                usage.ru_maxrss / 1024)


def content(store: Path) -> tuple:
    opened = OxigraphStore(store)
    try:
        rows = opened.select("SELECT ?path ?hash WHERE { GRAPH ?g { ?g ckg:path ?path ; "
                             "ckg:contentHash ?hash } }")
        return (sorted((r["path"].value, r["hash"].value) for r in rows), len(opened))
    finally:
        opened.close()


@pytest.fixture(scope="module")
def base_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "small.yaml").write_text(SMALL, encoding="utf-8")
    code, _, err, _, _ = run_child(folder / "kg", "load", str(folder / "small.yaml"),
                                   limit=120)
    assert code == 0, err
    return folder / "kg"


@pytest.fixture
def store(base_store, tmp_path) -> Path:
    copy = tmp_path / "kg"
    shutil.copytree(base_store, copy)
    return copy


def assert_refused(store: Path, args: list[str], expected: str, env: dict | None = None):
    before = content(store)
    code, out, err, seconds, rss = run_child(store, *args, env=env)
    lines = err.strip().splitlines()
    assert code != 0, out
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    assert expected in lines[0]
    assert "Traceback" not in err
    assert seconds < 10, f"{seconds:.1f} s"
    assert rss < 1024, f"{rss:.0f} MB"
    assert content(store) == before
    print(f"\n{args[0]} {Path(args[-1]).name}: {lines[0]} ({seconds:.1f} s, {rss:.0f} MB)")
    return lines[0]


def billion_laughs_xml() -> str:
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE rdf:RDF [", ' <!ENTITY lol "lol">']
    for level in range(1, 10):
        previous = "lol" if level == 1 else f"lol{level - 1}"
        lines.append(f' <!ENTITY lol{level} "' + f"&{previous};" * 10 + '">')
    lines += ["]>", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
              'xmlns:ex="http://example.org/">',
              '<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p>'
              "</rdf:Description></rdf:RDF>"]
    return "\n".join(lines) + "\n"


def alias_bomb_yaml() -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
    return text


BOMBS = {
    "xml-entity-bomb": ("bomb.rdf", billion_laughs_xml(), "entity expansion bomb"),
    "yaml-alias-bomb": ("bomb.yaml", alias_bomb_yaml(), "alias bomb"),
    "yaml-recursive-alias": ("loop.yaml", "a: &a [*a]\n", "refers to a value that contains"),
    "deep-json": ("deep.json", "[" * 5000 + "]" * 5000, "nested more than 100 levels"),
    "deep-yaml": ("deep.yaml", "[" * 5000 + "]" * 5000, "nested more than 100 levels"),
    "deep-json-ld": ("deep.jsonld", '{"@id": "http://e/a", "http://e/p": '
                     + '{"http://e/p": ' * 5000 + "1" + "}" * 5001,
                     "nested more than 256 levels"),
    "surrogate-json": ("s.json", '{"agreements": [{"id": "s1", "title": "\\ud800 x", '
                       '"parties": ["RU", "VN"]}]}', "lone surrogate escape (\\ud800)"),
    "surrogate-yaml": ("s.yaml", 'agreements:\n  - {id: s1, title: "\\udfff x", '
                       "parties: [RU, VN]}\n", "lone surrogate escape (\\udfff)"),
    "huge-value-in-schema-error": (
        "huge.yaml", "agreements:\n  - {id: h1, title: T, parties: [RU, VN], kind: ["
        + ",".join(["x" * 100] * 5000) + "]}\n", "is not valid here"),
    "bad-csv": ("bad.csv", "title,parties\n" + '"' + "x" * 200_000 + '",RU\n',
                "malformed CSV"),
}


@pytest.mark.parametrize("case", BOMBS)
def test_a_bomb_is_refused_in_one_line(store, tmp_path, case):
    name, text, expected = BOMBS[case]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    line = assert_refused(store, ["load", str(path)], expected)
    assert len(line) < 400


def test_a_file_over_the_size_limit(store, tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(SMALL + "#" * 5000 + "\n", encoding="utf-8")
    assert_refused(store, ["load", str(path)], "over the 4,096 bytes limit",
                   env={"CUSTOMS_KG_MAX_FILE_SIZE": "4K"})


def test_a_file_name_that_is_not_utf8(store, tmp_path):
    path = os.path.join(os.fsencode(tmp_path), b"bad-\xff.yaml")
    with open(path, "wb") as handle:
        handle.write(SMALL.encode())
    before = content(store)
    code, _, err, seconds, _ = run_child(store, "load", os.fsdecode(path))
    assert code == 1 and err.count("\n") == 1, err
    assert "the file name is not UTF-8" in err and seconds < 10
    assert content(store) == before


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
])
def test_sparql_service_is_refused(store, query):
    assert_refused(store, ["sparql", query], "SERVICE queries reach other endpoints")


def test_a_service_error_gives_the_status_not_the_body(store):
    """With allow_service, a failing endpoint is told by its HTTP status alone."""
    import http.server

    class Failing(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the http.server API)
            self.do_GET()

        def do_GET(self):  # noqa: N802
            body = b"SECRET REMOTE BODY"
            self.send_response(503)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    opened = OxigraphStore(store)
    try:
        query = (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{server.server_port}/q> "
                 "{ ?s ?p ?o } }")
        with pytest.raises(Exception) as caught:
            opened.serialize_query(query, None, "json", allow_service=True)
    finally:
        opened.close()
        server.shutdown()
        server.server_close()
    assert str(caught.value) == "SPARQL error: a SERVICE endpoint answered HTTP 503"


def test_a_corrupt_store_is_named_in_one_line(store):
    for sst in (store / "oxigraph").glob("*.sst"):
        data = bytearray(sst.read_bytes())
        middle = len(data) // 2
        data[middle:middle + 64] = b"\xde\xad" * 32
        sst.write_bytes(bytes(data))
    (store / "oxigraph" / "CURRENT").write_text("MANIFEST-999999\n")
    code, _, err, seconds, _ = run_child(store, "sources")
    assert code == 1 and err.count("\n") == 1, err
    assert err.startswith(f"Error: cannot open store {store}: ") and seconds < 10


def mount_tmpfs(target: Path, *options: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs",
                             str(target)], capture_output=True)
    return result.returncode == 0


@pytest.fixture
def tmpfs(tmp_path):
    target = tmp_path / "mnt"
    if os.geteuid() != 0 or not mount_tmpfs(target, "size=64m"):
        unavailable("needs root and mount(8) for a tmpfs (.ci/run runs as root)")
    yield target
    subprocess.run(["umount", "-l", str(target)], capture_output=True)


def test_a_read_only_store_answers_queries(base_store, tmpfs):
    store = tmpfs / "kg"
    shutil.copytree(base_store, store)
    for lock in ("access.lock", "writer.lock"):
        (store / lock).unlink(missing_ok=True)
    before = content(store)
    remounted = subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], capture_output=True)
    if remounted.returncode != 0:
        pytest.skip("cannot remount read-only")
    code, out, err, _, _ = run_child(store, "sources", "--format", "json")
    assert code == 0, err
    assert len(json.loads(out)) == len(before[0])
    code, out, err, _, _ = run_child(store, "sparql", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
                                     "--format", "csv")
    assert code == 0, err
    code, _, err, _, _ = run_child(store, "load", "x.yaml")
    assert code != 0 and err.count("\n") == 1 and "Traceback" not in err, err


def test_a_full_disk_during_a_records_load(store, tmp_path):
    """ENOSPC where the records are written (injected through the fault hook)."""
    path = tmp_path / "more.yaml"
    path.write_text(SMALL.replace("hostile-a1", "hostile-a2"), encoding="utf-8")
    assert_refused(store, ["load", str(path)], "No space left on device",
                   env={"CUSTOMS_KG_FAULT": "enospc:add-quads"})


def test_a_really_full_disk_during_a_bulk_load(base_store, tmpfs, tmp_path):
    """A store on a small tmpfs: the bulk load runs out of space; one line, the store as it
    was, and no bulk-*.sst left taking the space."""
    subprocess.run(["umount", "-l", str(tmpfs)], check=True)
    assert mount_tmpfs(tmpfs, "size=24m")
    store = tmpfs / "kg"
    shutil.copytree(base_store, store)
    big = tmp_path / "big.nt"
    with open(big, "w", encoding="utf-8") as out:
        for i in range(400_000):
            out.write(f'<http://e/s{i}> <http://e/p> "value {i} with some padding text" .\n')
    assert_refused(store, ["load", str(big)], "No space left on device")
    assert not list((store / "oxigraph").glob("bulk-*.sst"))
    assert not (store / "journal.json").exists()
