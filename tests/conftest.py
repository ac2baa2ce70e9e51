"""Shared fixtures: real stores (pyoxigraph on disk, `oxigraph serve`, Virtuoso, Jena TDB2 processes), no mocks."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from coopkg.iris import IriMinter
from coopkg.store import EmbeddedRepository, RemoteRepository, Repository
from coopkg.store.changelog import ChangeLog
from coopkg.store.sparql_http import Credentials

ROOT = Path(__file__).resolve().parents[1]
BASE = "http://coopkg.test/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str:
    candidate = Path(sys.executable).parent / "oxigraph"
    found = str(candidate) if candidate.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the `oxigraph` server (PyPI package oxigraph, a dev dependency) is not installed")
    return found


class ServerProcess:
    """A server run as a subprocess by the tests that need it, and stopped by them."""

    url: str
    process: subprocess.Popen[bytes]

    def _start(self, command: list[str], ready: Callable[[], bool], *, env: dict[str, str] | None = None,
               seconds: float = 60, log: Path | None = None) -> None:  # fmt: skip
        output = log.open("ab") if log else subprocess.DEVNULL
        self.process = subprocess.Popen(command, env=env, stdout=output, stderr=output)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if ready():
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{command[0]} {command[1:3]} did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


class OxigraphServer(ServerProcess):
    """A real `oxigraph serve` on 127.0.0.1, union default graph like the embedded store."""

    def __init__(self, location: Path) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        command = [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                   "--union-default-graph"]  # fmt: skip
        self._start(command, lambda: httpx.get(f"{self.url}/query", params={"query": "ASK {}"}, timeout=1).is_success,
                    seconds=20)  # fmt: skip

    def repository(self) -> RemoteRepository:
        return RemoteRepository(f"{self.url}/query", f"{self.url}/update", gsp_url=f"{self.url}/store", timeout=30)


def virtuoso_binary() -> str:
    found = shutil.which("virtuoso-t")
    if not found:
        pytest.fail(
            "Virtuoso (`virtuoso-t`, Debian's virtuoso-opensource-7-bin, installed by `make services`) is missing"
        )
    return found


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {dir}
CaseMode = 2
DefaultIsolation = 4
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


class VirtuosoServer(ServerProcess):
    """A real Virtuoso Open Source 7.2 (Debian's) on 127.0.0.1, with its own database directory and ini.

    Its defaults are kept (10,000 rows at most per answer, no multi-operation transactions) but one:
    ``DefaultIsolation = 4`` (repeatable read), which the README asks of a Virtuoso that coopkg uses,
    because with the default (read committed) a reader counted 0 or 1,638 of a 2,000-triple graph
    being replaced. The `dba` account gets a password of its own; writes go through the
    Digest-protected endpoints."""

    USER, PASSWORD = "dba", "coopkg-test-secret"

    def __init__(self, location: Path, *, max_rows: int = 10_000) -> None:
        location.mkdir(parents=True, exist_ok=True)
        http_port, sql_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{http_port}"
        ini = location / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=location, sql_port=sql_port, http_port=http_port, max_rows=max_rows))
        command = [virtuoso_binary(), "+foreground", "+configfile", str(ini)]
        self._start(command, lambda: httpx.get(f"{self.url}/sparql", params={"query": "ASK {}"}, timeout=2).is_success,
                    seconds=120)  # fmt: skip
        isql = shutil.which("isql-vt") or "isql-vt"
        done = subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec=user_set_password('dba', '{self.PASSWORD}');"],
                              capture_output=True, text=True, timeout=60)  # fmt: skip
        if done.returncode != 0:
            self.stop()
            raise RuntimeError(f"cannot set Virtuoso's dba password: {done.stdout} {done.stderr}")

    def endpoint(self) -> Endpoint:
        credentials = Credentials(self.USER, self.PASSWORD, "digest")
        return Endpoint(f"{self.url}/sparql", f"{self.url}/sparql-auth", f"{self.url}/sparql-graph-crud-auth",
                        credentials=credentials)  # fmt: skip


JAVA_JARS = Path("/usr/share/java")
# Debian's Jena 4.5 (libapache-jena-java) and the jars it needs, by their unversioned names: not
# /usr/share/java/* whole, where other packages' jars (several SLF4J bindings…) come first.
JENA_JARS = ("jena-base", "jena-core", "jena-arq", "jena-iri", "jena-dboe-base", "jena-dboe-index",
             "jena-dboe-storage", "jena-dboe-trans-data", "jena-dboe-transaction", "jena-tdb2", "commons-cli",
             "commons-codec", "commons-compress", "commons-csv", "commons-io", "commons-lang3", "dexx.collection",
             "gson", "guava", "jackson-core", "jackson-databind", "jackson-annotations", "jsonld-java",
             "jakarta.json-api", "protobuf", "slf4j-api", "slf4j-nop", "thrift", "titanium-json-ld", "httpclient",
             "httpcore")  # fmt: skip
JENA_SOURCE = Path(__file__).parent / "jena" / "JenaEndpoint.java"
_XERCES_RESOURCES = "org/apache/jena/ext/xerces/"


def compile_jena_endpoint(classes: Path) -> str:
    """tests/jena/JenaEndpoint.java compiled into ``classes``; the class path to run it with.

    Debian's jena-core moved Jena's copy of Xerces to the package ``xerces`` but left its message
    files under org/apache/jena/ext/xerces/: without them in their place, Jena's first use of an XSD
    datatype fails (a regular expression's parser cannot load its messages: "internal error").
    They are copied where the moved classes look for them."""
    javac = shutil.which("javac")
    if not javac:
        pytest.fail("no `javac`: `make tools` installs Debian's openjdk-17-jdk-headless (see .ci/tools)")
    jars = [JAVA_JARS / f"{name}.jar" for name in JENA_JARS]
    missing = [jar.name for jar in jars if not jar.exists()]
    if missing:
        pytest.fail(f"Jena (Debian's libapache-jena-java, installed by `make services`) is missing {missing}")
    classpath = ":".join(map(str, jars))
    done = subprocess.run([javac, "-d", str(classes), "-cp", classpath, str(JENA_SOURCE)], capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    with zipfile.ZipFile(JAVA_JARS / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(_XERCES_RESOURCES) and name.endswith(".properties"):
                target = classes / "xerces" / name.removeprefix(_XERCES_RESOURCES)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return f"{classes}:{classpath}"


class JenaServer(ServerProcess):
    """tests/jena/JenaEndpoint.java on 127.0.0.1: an in-memory TDB2 dataset, union default graph, no
    Graph Store Protocol (Debian has no Fuseki). Its Server header says Apache Jena, as Fuseki's does:
    the remote backend talks to it in the ``jena`` dialect (coopkg.store.engines)."""

    def __init__(self, classpath: str) -> None:
        java = shutil.which("java")
        if not java:
            pytest.fail("no `java`: `make tools` installs Debian's openjdk-17-jdk-headless (see .ci/tools)")
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        # C1 only: a JVM that lives for one module spends less CPU compiling than C2 would save it.
        command = [
            java,
            "-Xmx1g",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            classpath,
            "JenaEndpoint",
            str(port),
        ]
        self._start(command, lambda: httpx.get(f"{self.url}/query", params={"query": "ASK {}"}, timeout=2).is_success,
                    seconds=60)  # fmt: skip

    def endpoint(self) -> Endpoint:
        return Endpoint(f"{self.url}/query", f"{self.url}/update")


WRITE_TOKEN = "test-token"


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it receives (and answers none)."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(128)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return  # closed
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.socket.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    running = Listener()
    yield running
    running.close()


class CoopkgServer(ServerProcess):
    """A real `coopkg serve` (supervisor and workers) over the corpus, with a write token.

    The query limit is 10 s: short enough for tests of what happens past it, long enough that a cold
    first view on a loaded machine (two test workers, a browser) is not a 503. Tests of the limits
    themselves pass ``COOPKG_QUERY_TIMEOUT="3"``. ``log``: a file for the server's output (else discarded);
    ``corpus=False``: a store with the ontology and reference data only (``coopkg init``); ``prepared``:
    neither, the (remote) store was prepared by another process."""

    def __init__(self, tmp: Path, log: Path | None = None, *, corpus: bool = True, prepared: bool = False,
                 **extra_env: str) -> None:  # fmt: skip
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("COOPKG_")}
        env.update(COOPKG_STORE=str(tmp / "store"), COOPKG_BASE_IRI=self.url + "/", COOPKG_WRITE_TOKEN=WRITE_TOKEN,
                   COOPKG_QUERY_TIMEOUT="10", COOPKG_MAX_BODY_BYTES="200000", COOPKG_CORS_ORIGINS="https://example.org",
                   COOPKG_MIN_WORKER_LIFETIME="5")  # fmt: skip
        env.update(extra_env)
        self.env = env
        command = ["ingest", str(ROOT / "data" / "corpus")] if corpus else ["init"]
        if not prepared:
            done = subprocess.run([sys.executable, "-m", "coopkg.cli", *command], env=env, capture_output=True,
                                  text=True, timeout=300)  # fmt: skip
            assert done.returncode == 0, done.stderr
        # The first answer waits for the workers' first views: seconds on Virtuoso, on a loaded machine.
        self._start([sys.executable, "-m", "coopkg.cli", "serve", "--port", str(port)],
                    lambda: httpx.get(self.url + "/", timeout=15).status_code == 200, env=env, seconds=120, log=log)  # fmt: skip

    def workers(self) -> set[int]:
        """The supervisor's worker processes (not multiprocessing's resource tracker nor forkserver)."""
        return supervised_workers(self.process.pid)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return b""


def _children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except FileNotFoundError:
        return set()


def forkservers(supervisor: int) -> set[int]:
    """The supervisor's multiprocessing forkserver (its workers' parent), as a set: empty or one."""
    return {c for c in _children(supervisor) if b"multiprocessing.forkserver" in _cmdline(c)}


def supervised_workers(supervisor: int) -> set[int]:
    """A uvicorn supervisor's workers: forked by its forkserver, or spawned by the supervisor itself."""
    spawned = {c for c in _children(supervisor) if b"spawn_main" in _cmdline(c)}
    return spawned.union(*(_children(f) for f in forkservers(supervisor)))


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CoopkgServer]:
    """One `coopkg serve` over the corpus for the tests that only read (the pages, the explorer API).

    They test what pages show, not limits: the query limit is the default one, so that a loaded machine
    (two test workers, a browser) does not turn a cold first view into a 503."""
    server = CoopkgServer(tmp_path_factory.mktemp("corpus-site"), COOPKG_QUERY_TIMEOUT="30")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One Virtuoso per test session (per xdist worker): it starts in seconds, but not in no time."""
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def jena_classpath(tmp_path_factory: pytest.TempPathFactory) -> str:
    """JenaEndpoint.java compiled once per test session (per xdist worker)."""
    return compile_jena_endpoint(tmp_path_factory.mktemp("jena-classes"))


@pytest.fixture(scope="module")
def jena_server(jena_classpath: str) -> Iterator[JenaServer]:
    """One Jena endpoint per module that uses it: its JVM is gone when the module is done."""
    server = JenaServer(jena_classpath)
    yield server
    server.stop()


@pytest.fixture
def minter() -> IriMinter:
    return IriMinter(BASE)


class Endpoint:
    """A SPARQL endpoint pair the remote tests run against: an engine they start, or one given."""

    def __init__(self, query_url: str, update_url: str, gsp_url: str | None = None, *,
                 credentials: Credentials | None = None, engine: str | None = None) -> None:  # fmt: skip
        self.query_url, self.update_url, self.gsp_url = query_url, update_url, gsp_url
        self.credentials = credentials
        self.engine = engine  # None: told from the endpoint's Server header

    def repository(self, change_log: ChangeLog | None = None) -> RemoteRepository:
        return RemoteRepository(self.query_url, self.update_url, gsp_url=self.gsp_url, timeout=60,
                                change_log=change_log, credentials=self.credentials, engine=self.engine,
                                skolem_prefix=f"{BASE}.well-known/genid/")  # fmt: skip

    def env(self) -> dict[str, str]:
        """The settings of a coopkg process over this endpoint."""
        env = {"COOPKG_BACKEND": "remote", "COOPKG_QUERY_URL": self.query_url, "COOPKG_UPDATE_URL": self.update_url}
        if self.gsp_url:
            env["COOPKG_GSP_URL"] = self.gsp_url
        if self.credentials is not None and self.credentials.user:
            env.update(COOPKG_REMOTE_USER=self.credentials.user, COOPKG_REMOTE_PASSWORD=self.credentials.password or "",
                       COOPKG_REMOTE_AUTH=self.credentials.scheme)  # fmt: skip
        if self.engine:
            env["COOPKG_ENGINE"] = self.engine
        return env

    def settings(self) -> dict[str, str]:
        """The same settings, as overrides for ``get_settings``."""
        return {name.removeprefix("COOPKG_").lower(): value for name, value in self.env().items()}

    def empty(self) -> None:
        """Remove every graph but the engine's own (Virtuoso's system graphs hold its configuration)."""
        cleaner = self.repository()
        try:
            hidden = cleaner.dialect.hidden_graphs
            if not hidden:
                cleaner.update("DROP ALL")
                return
            rows = cleaner.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows()
            graphs = [r["g"].value for r in rows if r["g"].value not in hidden]
            if graphs:
                cleaner.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
        finally:
            cleaner.close()


def external_endpoint() -> Endpoint | None:
    """An endpoint given by the environment (COOPKG_TEST_QUERY_URL, COOPKG_TEST_UPDATE_URL, optional
    COOPKG_TEST_GSP_URL, COOPKG_TEST_REMOTE_USER/_PASSWORD/_AUTH and COOPKG_TEST_ENGINE): the remote tests
    run against it too.
    Its data is erased (all but the engine's own graphs): give a scratch dataset."""
    query_url, update_url = os.environ.get("COOPKG_TEST_QUERY_URL"), os.environ.get("COOPKG_TEST_UPDATE_URL")
    if not query_url and not update_url:
        return None
    if not query_url or not update_url:
        raise pytest.UsageError("give both COOPKG_TEST_QUERY_URL and COOPKG_TEST_UPDATE_URL (or neither)")
    user = os.environ.get("COOPKG_TEST_REMOTE_USER")
    credentials = Credentials(user, os.environ.get("COOPKG_TEST_REMOTE_PASSWORD"),
                              os.environ.get("COOPKG_TEST_REMOTE_AUTH", "basic")) if user else None  # fmt: skip
    return Endpoint(query_url, update_url, os.environ.get("COOPKG_TEST_GSP_URL") or None, credentials=credentials,
                    engine=os.environ.get("COOPKG_TEST_ENGINE") or None)  # fmt: skip


def remote_kinds(*, every_engine: bool = False) -> list[str]:
    """The engines the remote tests run against: `oxigraph serve` ("remote") and the one given; the
    tests marked ``engines`` (tests/test_engines.py, where what engines do differently is tested) on
    Virtuoso and Jena TDB2 too. The other remote tests check what the backend does on any engine; they passed on
    Virtuoso as well, but run there they made the whole suite minutes longer."""
    engines = ["virtuoso", "jena"] if every_engine else []
    return ["remote", *engines, *(["external"] if external_endpoint() is not None else [])]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Read at collection, not import: the environment can name an endpoint for the remote tests.
    every_engine = metafunc.definition.get_closest_marker("engines") is not None
    if "repo" in metafunc.fixturenames:
        metafunc.parametrize("repo", ["embedded", *remote_kinds(every_engine=every_engine)], indirect=True)
    if "endpoint" in metafunc.fixturenames:
        metafunc.parametrize("endpoint", remote_kinds(every_engine=every_engine), indirect=True)


@pytest.fixture
def endpoint(request: pytest.FixtureRequest) -> Endpoint:
    """Each remote endpoint (the started `oxigraph serve`, Virtuoso and Jena, and the external one if given), emptied."""
    return _endpoint_of(request)


@pytest.fixture
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Repository]:
    """Each backend, empty at the start of every test: embedded, `oxigraph serve`, Virtuoso, Jena, and the external endpoint if given."""
    if request.param == "embedded":
        repository: Repository = EmbeddedRepository(tmp_path / "store")
    else:
        repository = _endpoint_of(request).repository()
    yield repository
    repository.close()


def _endpoint_of(request: pytest.FixtureRequest) -> Endpoint:
    """The endpoint of the kind the test is parametrized with, emptied."""
    if request.param == "external":
        found = external_endpoint()
        assert found is not None
    elif request.param == "virtuoso":
        found = request.getfixturevalue("virtuoso_server").endpoint()
    elif request.param == "jena":
        found = request.getfixturevalue("jena_server").endpoint()
    else:
        server: OxigraphServer = request.getfixturevalue("oxigraph_server")
        found = Endpoint(f"{server.url}/query", f"{server.url}/update", f"{server.url}/store")
    found.empty()
    return found


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[EmbeddedRepository]:
    repository = EmbeddedRepository(tmp_path / "store")
    yield repository
    repository.close()


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running the real `coopkg` command on a private store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPKG_")}
    env.update(COOPKG_STORE=str(tmp_path / "cli-store"), COOPKG_BASE_IRI=BASE, NO_COLOR="1", COLUMNS="200")
    return env


def within(seconds: float, condition: Callable[[], object]) -> bool:
    """Whether ``condition`` holds before ``seconds`` have passed (polled every 50 ms)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())
