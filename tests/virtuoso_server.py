"""A real Virtuoso for tests: Debian's ``virtuoso-opensource`` (``virtuoso-t``) on free loopback
ports, its database in a temporary directory, no service manager.

The server gets a minimal ``virtuoso.ini`` of its own (database, SQL and HTTP ports, small
buffers). Once its HTTP port answers a SPARQL query, ``isql`` creates a SQL user with the
``SPARQL_UPDATE`` role: that user reads and writes through the digest-authenticated
``/sparql-auth`` (SPARQL 1.1 Protocol) and ``/sparql-graph-crud-auth`` (Graph Store Protocol);
the anonymous ``/sparql`` stays read-only. ``ResultSetMaxRows`` is left at 10000, the value
Debian's configuration ships, so tests meet the limit a team meets.

Usage::

    with VirtuosoServer() as server:
        store = SparqlEndpointStore(server.auth_url, server.auth_url, server.crud_url,
                                    user=server.user, password=server.password)

A server that cannot start raises :class:`VirtuosoError` with the tail of its log.
``python tests/virtuoso_server.py`` starts one by hand and prints its URLs.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import pytest

HOST = "127.0.0.1"
RESULT_SET_MAX_ROWS = 10000  # Debian's virtuoso.ini

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
EnabledDavVSP = 0
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
"""


class VirtuosoError(RuntimeError):
    """The test Virtuoso could not be started (the message ends with its log tail)."""


def executable() -> str | None:
    """``virtuoso-t`` on PATH, or None."""
    return shutil.which("virtuoso-t")


def _isql() -> str | None:
    return shutil.which("isql-vt") or shutil.which("isql")


def _stop_with_parent() -> None:
    """In the child before exec: ask Linux to stop it when the test process dies, so that a
    killed test run leaves no server behind (elsewhere, nothing)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class VirtuosoServer:
    """``virtuoso-t -f`` in a temporary directory; ``user``/``password`` may update.

    Attributes once started: :attr:`http_url` (``http://127.0.0.1:PORT``), :attr:`sparql_url`
    (anonymous, read-only), :attr:`auth_url` (``/sparql-auth``), :attr:`crud_url`
    (``/sparql-graph-crud-auth``), :attr:`version` and :attr:`start_seconds`.
    """

    user = "kg"

    def __init__(self, *, start_timeout: float = 120.0, attempts: int = 3) -> None:
        self.password = secrets.token_urlsafe(12)
        self.start_timeout = start_timeout
        self.attempts = attempts
        self.dir: Path | None = None
        self.sql_port = self.http_port = 0
        self.version = ""
        self.start_seconds: float | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def http_url(self) -> str:
        return f"http://{HOST}:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        return self.http_url + "/sparql"

    @property
    def auth_url(self) -> str:
        return self.http_url + "/sparql-auth"

    @property
    def crud_url(self) -> str:
        return self.http_url + "/sparql-graph-crud-auth"

    @property
    def log_path(self) -> Path:
        assert self.dir is not None
        return self.dir / "virtuoso.log"

    def start(self) -> VirtuosoServer:
        """Start the server, wait for its SPARQL endpoint, create the updating user."""
        program = executable()
        if program is None:
            raise VirtuosoError("virtuoso-t is not on PATH (apt-get install virtuoso-opensource)")
        began = time.monotonic()
        for attempt in range(self.attempts):
            self.dir = Path(tempfile.mkdtemp(prefix="virtuoso-"))
            self.sql_port, self.http_port = _free_port(), _free_port()
            (self.dir / "virtuoso.ini").write_text(_INI.format(
                dir=self.dir, host=HOST, sql_port=self.sql_port, http_port=self.http_port,
                max_rows=RESULT_SET_MAX_ROWS))
            with open(self.dir / "console.log", "wb") as console:
                self._proc = subprocess.Popen(
                    [program, "-f", "-c", str(self.dir / "virtuoso.ini")],
                    cwd=self.dir, stdout=console, stderr=subprocess.STDOUT,
                    preexec_fn=_stop_with_parent)
            try:
                self._wait(began)
                break
            except VirtuosoError:
                clash = "Address already in use" in self._tail()
                self.stop()
                if not clash or attempt == self.attempts - 1:
                    raise
        self._sql(f"DB.DBA.USER_CREATE('{self.user}', '{self.password}');\n"
                  f'GRANT SPARQL_UPDATE TO "{self.user}";\n')
        found = re.search(r"\b\d+\.\d+\.\d+\b", self._sql("SELECT sys_stat('st_dbms_ver');"))
        self.version = found.group() if found else "unknown"
        self.start_seconds = time.monotonic() - began
        return self

    def stop(self) -> None:
        """Stop the server and remove its directory."""
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self) -> VirtuosoServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    # -- internals --------------------------------------------------------------------------
    def _wait(self, began: float) -> None:
        assert self._proc is not None
        while not self._answers():
            if self._proc.poll() is not None:
                raise VirtuosoError(f"virtuoso-t exited with {self._proc.returncode}: "
                                    f"{self._tail()}")
            if time.monotonic() - began > self.start_timeout:
                raise VirtuosoError(f"Virtuoso did not answer at {self.sparql_url} within "
                                    f"{self.start_timeout:.0f} s: {self._tail()}")
            time.sleep(0.25)

    def _answers(self) -> bool:
        body = urllib.parse.urlencode({"query": "ASK {}"}).encode("ascii")
        request = urllib.request.Request(
            self.sparql_url, data=body, method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def _sql(self, script: str) -> str:
        """Run SQL as ``dba`` (the new database's default password) through isql."""
        isql = _isql()
        if isql is None:
            raise VirtuosoError("isql-vt is not on PATH (it comes with virtuoso-opensource)")
        done = subprocess.run([isql, f"{HOST}:{self.sql_port}", "dba", "dba"], input=script,
                              capture_output=True, text=True, timeout=60)
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise VirtuosoError(f"isql failed: {done.stdout[-1000:]} {done.stderr[-1000:]}")
        return done.stdout

    def _tail(self) -> str:
        if self.dir is None:
            return ""
        text = ""
        for name in ("virtuoso.log", "console.log"):
            path = self.dir / name
            if path.is_file():
                text += path.read_text(errors="replace")[-1500:]
        return text


_SHARED: VirtuosoServer | None = None


def shared_server() -> VirtuosoServer:
    """One server for the whole test process (every test module that needs Virtuoso),
    started on first use and stopped when the process exits."""
    global _SHARED
    if _SHARED is None:
        server = VirtuosoServer().start()
        atexit.register(server.stop)
        _SHARED = server
    return _SHARED


def virtuoso(unavailable: Callable[[str], None]) -> VirtuosoServer:
    """The shared server for a test fixture: without ``virtuoso-t``, ``unavailable`` (from
    ``tests/needs.py``: a skip, or a failure in CI); a server that cannot start fails."""
    if executable() is None:
        unavailable("needs Virtuoso's virtuoso-t "
                    "(apt-get install virtuoso-opensource; .ci/run installs it)")
    try:
        return shared_server()
    except VirtuosoError as err:
        pytest.fail(f"Virtuoso did not start: {err}")


if __name__ == "__main__":
    with VirtuosoServer() as server:
        print(f"Virtuoso {server.version} at {server.http_url} "
              f"(user {server.user}, password {server.password}), "
              f"started in {server.start_seconds:.1f} s; Ctrl-C stops it")
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop it on kill too
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
