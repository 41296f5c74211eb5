"""A real Bolt server for tests: ArcadeDB's embedded wheel with its Neo4j Bolt plugin.

Neo4j itself cannot be installed from the registries this project reaches, so tests talk to
ArcadeDB (PyPI ``arcadedb-embedded``, which bundles its own Java runtime) through the official
``neo4j`` driver. ArcadeDB answers Bolt as "Neo4j/5.26.0 compatible"; the Cypher differences
that matter are in ``docs/neo4j-arcadedb-notes.md``.

The server runs in a child Python process, not in the test process, because the wheel starts
its JVM in-process through JPype: a JVM can be started once per process, is configured once,
writes ``./log/`` into the current directory and cannot be stopped cleanly. In a child it gets
a temporary root directory as its working directory, its console output goes to a log file,
and :meth:`BoltTestServer.stop` ends it for good. The child also stops when the parent dies:
it waits on a pipe from the parent and shuts the server down when that pipe closes.

Usage::

    with BoltTestServer(database="kg") as server:
        driver = neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password))
        driver.execute_query("RETURN 1", database_=server.database)

A server that cannot start raises :class:`BoltServerError` carrying the tail of its log; it
never skips silently. ``python tests/bolt_test_server.py`` starts one by hand and prints its
settings.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"
"""The ``server_plugins`` value that starts ArcadeDB's Bolt listener."""

READY_LINE = "ARCADEDB-BOLT-READY"
# What ArcadeDB logs when a port it was given is taken (Bolt: "busy" / "Unable to listen").
_PORT_CLASH = re.compile(r"Address already in use|Unable to listen|Port \S+ busy")
_HOST = "127.0.0.1"

# The child: reads its settings from the first line of stdin (so the password is not on a
# command line), starts the server, then blocks on stdin until the parent closes it or dies.
_CHILD = r"""
import json, sys
cfg = json.loads(sys.stdin.readline())
from arcadedb_embedded.server import ArcadeDBServer
server = ArcadeDBServer(
    cfg["root"], cfg["password"], config=cfg["config"], jvm_kwargs={"heap_size": cfg["heap"]}
)
server.start()
print(cfg["ready"], flush=True)
try:
    sys.stdin.buffer.read()
finally:
    server.stop()
    print("ARCADEDB-BOLT-STOPPED", flush=True)
"""


class BoltServerError(RuntimeError):
    """The test Bolt server could not be started (the message ends with its log tail)."""


@dataclass(frozen=True)
class BoltSettings:
    """Where a Bolt server is and how to log in: what a test needs to open a driver."""

    uri: str
    user: str
    password: str
    database: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> BoltSettings:
        """Settings of an external server from ``NEO4J_URI``, ``NEO4J_USERNAME``,
        ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE`` (defaults: ``neo4j``, empty, ``neo4j``)."""
        env = os.environ if env is None else env
        uri = env.get("NEO4J_URI", "").strip()
        if not uri:
            raise BoltServerError("NEO4J_URI is not set")
        return cls(
            uri=uri,
            user=env.get("NEO4J_USERNAME", "neo4j"),
            password=env.get("NEO4J_PASSWORD", ""),
            database=env.get("NEO4J_DATABASE", "neo4j"),
        )


def free_port(host: str = _HOST) -> int:
    """A TCP port nothing listens on right now (the OS picks it; another process may take it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class BoltTestServer:
    """An ArcadeDB server with the Bolt plugin on free loopback ports, in a temporary root.

    Attributes once started: :attr:`uri` (``bolt://127.0.0.1:PORT``), :attr:`user`
    (``root``), :attr:`password`, :attr:`database`, :attr:`http_url`, :attr:`root_dir`,
    :attr:`log_path` and :attr:`start_seconds` (wall time from spawning the child to a
    successful Bolt query).
    """

    user = "root"

    def __init__(
        self,
        *,
        database: str = "kg",
        password: str | None = None,
        root_dir: str | os.PathLike[str] | None = None,
        python: str | None = None,
        heap_size: str = "2g",
        start_timeout: float = 120.0,
        extra_config: Mapping[str, object] | None = None,
        attempts: int = 3,
    ) -> None:
        """Configure, without starting.

        Args:
            database: created over the HTTP API once the server is up.
            password: root's password (ArcadeDB wants 8+ characters); random by default.
            root_dir: the server's root (databases, config, logs); a new temporary directory,
                removed by :meth:`stop`, when omitted. A given directory is kept.
            python: interpreter that has ``arcadedb-embedded`` installed; defaults to
                ``$ARCADEDB_PYTHON`` or else this interpreter.
            heap_size: the JVM's maximum heap (``-Xmx``).
            start_timeout: seconds allowed for start-up, database creation and the first Bolt
                query together.
            extra_config: more ArcadeDBServer config keys (``snake_case`` ArcadeDB settings).
            attempts: start-ups tried when the picked ports were taken in the meantime.
        """
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", database):
            raise ValueError(f"database name {database!r}: letters, digits and _ only")
        if password is not None and len(password) < 8:
            raise ValueError("ArcadeDB needs a root password of at least 8 characters")
        self.database = database
        self.password = password or secrets.token_urlsafe(18)
        self.python = python or os.environ.get("ARCADEDB_PYTHON") or sys.executable
        self.heap_size = heap_size
        self.start_timeout = start_timeout
        self.extra_config = dict(extra_config or {})
        self.attempts = max(1, attempts)
        self._own_root = root_dir is None
        self._root_arg = Path(root_dir).resolve() if root_dir is not None else None
        self.root_dir: Path | None = None
        self.log_path: Path | None = None
        self.bolt_port = 0
        self.http_port = 0
        self.start_seconds: float | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None
        self._log_offset = 0  # where the current attempt's output starts in the log

    # -- public surface -------------------------------------------------------------------

    @property
    def uri(self) -> str:
        return f"bolt://{_HOST}:{self.bolt_port}"

    @property
    def http_url(self) -> str:
        return f"http://{_HOST}:{self.http_port}"

    @property
    def settings(self) -> BoltSettings:
        return BoltSettings(self.uri, self.user, self.password, self.database)

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> BoltTestServer:
        """Start the server, create the database, and wait until Bolt answers a query.

        Raises:
            BoltServerError: the child exited, a step timed out, or the ports stayed taken;
                the message ends with the tail of the server's log.
        """
        if self._proc is not None:
            raise BoltServerError("server already started")
        began = time.monotonic()
        if self._own_root:
            self.root_dir = Path(tempfile.mkdtemp(prefix="arcadedb-bolt-"))
        else:
            assert self._root_arg is not None
            self._root_arg.mkdir(parents=True, exist_ok=True)
            self.root_dir = self._root_arg
        try:
            for attempt in range(1, self.attempts + 1):
                try:
                    self._start_once(deadline=began + self.start_timeout)
                    break
                except BoltServerError:
                    port_clash = _PORT_CLASH.search(self._attempt_log()) is not None
                    self._terminate()
                    if not port_clash or attempt == self.attempts:
                        raise
        except BaseException:
            self.stop()
            raise
        self.start_seconds = time.monotonic() - began
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the server (cleanly if it will, killed if not) and remove a temporary root."""
        self._terminate(timeout)
        if self._own_root and self.root_dir is not None:
            shutil.rmtree(self.root_dir, ignore_errors=True)
            self.root_dir = None

    def log_tail(self, lines: int = 40) -> str:
        """The last lines the server printed (its console log)."""
        if self.log_path is None or not self.log_path.exists():
            return "(no server log)"
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> BoltTestServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<BoltTestServer {self.uri} db={self.database!r} {state}>"

    # -- start-up steps -------------------------------------------------------------------

    def _start_once(self, deadline: float) -> None:
        assert self.root_dir is not None
        self.bolt_port, self.http_port = free_port(), free_port()
        while self.http_port == self.bolt_port:
            self.http_port = free_port()
        self.log_path = self.root_dir / "server-console.log"
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        config: dict[str, object] = {
            "host": _HOST,
            "http_port": self.http_port,
            "bolt_port": self.bolt_port,
            "server_plugins": BOLT_PLUGIN,
            **self.extra_config,
        }
        env = dict(os.environ)
        env.setdefault("ARCADEDB_JVM_ERROR_FILE", str(self.root_dir / "log" / "hs_err_pid%p.log"))
        log_file = open(self.log_path, "ab")  # closed in _terminate
        self._log_file = log_file
        try:
            self._proc = subprocess.Popen(
                [self.python, "-c", _CHILD],
                stdin=subprocess.PIPE,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                cwd=self.root_dir,  # the engine writes ./log/ here
                env=env,
                start_new_session=True,  # a ^C in the terminal goes to pytest, not the JVM
            )
        except OSError as err:
            raise BoltServerError(f"cannot run {self.python}: {err}") from err
        assert self._proc.stdin is not None
        line = json.dumps({
            "root": str(self.root_dir),
            "password": self.password,
            "config": config,
            "heap": self.heap_size,
            "ready": READY_LINE,
        })
        try:
            self._proc.stdin.write(line.encode() + b"\n")
            self._proc.stdin.flush()
        except BrokenPipeError:
            pass  # the child is gone already: _wait_for reports it with the log

        self._wait_for("the server to start", deadline, self._log_says_ready)
        self._ensure_database()
        self._wait_for("Bolt to answer a query", deadline, self._bolt_answers)

    def _wait_for(self, what: str, deadline: float, ready: Callable[[], bool]) -> None:
        last_error = ""
        while True:
            if self._proc is None or self._proc.poll() is not None:
                code = None if self._proc is None else self._proc.returncode
                raise self._error(f"the ArcadeDB process exited (code {code}) before {what}")
            try:
                if ready():
                    return
            except Exception as err:  # kept to report on timeout
                last_error = f"{type(err).__name__}: {err}"
            if time.monotonic() > deadline:
                detail = f"; last error: {last_error}" if last_error else ""
                raise self._error(
                    f"timed out after {self.start_timeout:.0f} s waiting for {what}{detail}"
                )
            time.sleep(0.1)

    def _attempt_log(self) -> str:
        """What the server printed during the current start attempt."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        with open(self.log_path, "rb") as log:
            log.seek(self._log_offset)
            return log.read().decode("utf-8", errors="replace")

    def _log_says_ready(self) -> bool:
        return READY_LINE in self._attempt_log()

    def _http(self, method: str, path: str, body: dict[str, object] | None = None) -> object:
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        request = urllib.request.Request(
            self.http_url + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", errors="replace")
            raise BoltServerError(f"HTTP {method} {path}: {err.code} {detail}") from err
        return json.loads(raw) if raw else None

    def _ensure_database(self) -> None:
        try:
            listed = self._http("GET", "/api/v1/databases")
            existing = listed.get("result", []) if isinstance(listed, dict) else []
            if self.database not in existing:
                command = f"create database {self.database}"
                self._http("POST", "/api/v1/server", {"command": command})
        except (BoltServerError, OSError) as err:
            raise self._error(f"cannot create database {self.database!r}: {err}") from err

    def _bolt_answers(self) -> bool:
        import neo4j  # imported here so the module loads without the driver

        with neo4j.GraphDatabase.driver(
            self.uri,
            auth=(self.user, self.password),
            connection_timeout=5.0,
            connection_acquisition_timeout=5.0,
            max_connection_pool_size=1,
        ) as driver:
            driver.verify_connectivity()
            records, _, _ = driver.execute_query("RETURN 1 AS ok", database_=self.database)
            return bool(records) and records[0]["ok"] == 1

    def _error(self, message: str) -> BoltServerError:
        return BoltServerError(
            f"{message}\n  python: {self.python}\n  root: {self.root_dir}\n"
            f"--- last lines of {self.log_path} ---\n{self.log_tail()}"
        )

    def _terminate(self, timeout: float = 30.0) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.stdin is not None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()  # EOF: the child stops the server and exits
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                # SIGTERM works but is not clean: the JVM's shutdown under JPype has been
                # seen to crash (SIGSEGV in libpython) on the way out.
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        log_file, self._log_file = self._log_file, None
        if log_file is not None:
            log_file.close()


def main(argv: list[str] | None = None) -> int:
    """Start a server by hand, print its settings as environment lines, run until ^C."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database", default="kg")
    parser.add_argument("--password")
    parser.add_argument("--root-dir")
    args = parser.parse_args(argv)
    with BoltTestServer(
        database=args.database, password=args.password, root_dir=args.root_dir
    ) as server:
        print(f"NEO4J_URI={server.uri}")
        print(f"NEO4J_USERNAME={server.user}")
        print(f"NEO4J_PASSWORD={server.password}")
        print(f"NEO4J_DATABASE={server.database}")
        print(f"# started in {server.start_seconds:.1f} s; HTTP {server.http_url}; ^C stops",
              flush=True)
        try:
            while server.running:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        if not server.running:
            print(server.log_tail(), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
