"""Reliability of the Bolt store (issue 13, points 4, 11 and 12): bounded waits, clear errors, no secrets shown.

A fake server on 127.0.0.1 plays each way a Bolt server can fail: it accepts TCP and
never answers; it answers the handshake and then nothing; it logs in and never
answers a statement; it refuses the login. The last tests use the FalkorDB server
(marked ``bolt``): a password it cannot take, and that no other host can reach it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import socket
import struct
import subprocess
import threading
import time

import pytest

from coopgraph.graph.bolt_store import (
    BoltAuthError, BoltStore, BoltTimeoutError, BoltUnavailableError, Timeouts, redact_uri, split_uri,
)
from coopgraph.graph.errors import StoreError
from coopgraph.graph.model import Dataset
from tests.faults import COOPGRAPH, one_clear_line

SECRETS = ("hunter2-in-the-uri", "s3cret-in-the-env")
WHAT_TO_CHECK = ("scheme", "port", "server is up", "credentials")


def _chunk(payload: bytes) -> bytes:
    return struct.pack(">H", len(payload)) + payload + b"\x00\x00"


def _packstream(value) -> bytes:
    if isinstance(value, str):
        data = value.encode()
        return (bytes([0x80 + len(data)]) if len(data) < 16 else bytes([0xD0, len(data)])) + data
    assert isinstance(value, dict) and len(value) < 16
    return bytes([0xA0 + len(value)]) + b"".join(_packstream(k) + _packstream(v) for k, v in value.items())


def _message(signature: int, fields: dict) -> bytes:
    return _chunk(bytes([0xB1, signature]) + _packstream(fields))


SUCCESS_HELLO = _message(0x70, {"server": "Neo4j/4.4.0", "connection_id": "bolt-1"})
SUCCESS = _message(0x70, {})
UNAUTHORIZED = _message(0x7F, {"code": "Neo.ClientError.Security.Unauthorized",
                               "message": "The client is unauthorized due to authentication failure."})


class FakeBolt:
    """A listener on 127.0.0.1 that fails in one way: ``silent``, ``handshake``, ``no-answer`` or ``unauthorized``."""

    def __init__(self, mode: str):
        self.mode = mode
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self.stop = threading.Event()
        if mode != "silent":  # silent: the kernel accepts the TCP connection; nobody ever reads it
            threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.held.append(conn)
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _read_message(self, reader) -> bytes:
        body = b""
        while True:
            size = struct.unpack(">H", reader.read(2))[0]
            if size == 0:
                return body
            body += reader.read(size)

    def _talk(self, conn: socket.socket) -> None:
        with contextlib.suppress(Exception):
            reader = conn.makefile("rb")
            reader.read(20)                                  # preamble and four proposed versions
            if self.mode == "handshake":
                return                                       # ... and never a reply
            conn.sendall(b"\x00\x00\x04\x04")                # Bolt 4.4
            while not self.stop.is_set():
                message = self._read_message(reader)
                signature = message[1]
                if signature == 0x01:                        # HELLO
                    conn.sendall(UNAUTHORIZED if self.mode == "unauthorized" else SUCCESS_HELLO)
                elif signature == 0x10:                      # RUN: never answered
                    self.stop.wait()
                else:
                    conn.sendall(SUCCESS)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.stop.set()
        for conn in self.held:
            with contextlib.suppress(OSError):
                conn.close()
        self.sock.close()


@pytest.fixture
def fake():
    servers = []

    def make(mode: str) -> FakeBolt:
        servers.append(FakeBolt(mode))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def coopgraph(*args, env=None, timeout=120):
    environment = {**os.environ, "NEO4J_PASSWORD": SECRETS[1], **(env or {})}
    started = time.monotonic()
    done = subprocess.run([*COOPGRAPH, *map(str, args)], capture_output=True, text=True, env=environment, timeout=timeout)
    return done, time.monotonic() - started


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, text


# -- 4. a server that never answers: a clear error within the time-outs ----------------------------------------

def test_push_to_a_server_that_accepts_tcp_and_never_answers_fails_within_the_deadline(fake, store_path):
    server = fake("silent")
    result, seconds = coopgraph("push", "--store", store_path, "--uri", server.uri,
                                env={"COOPGRAPH_BOLT_CONNECT_TIMEOUT": "1.5"})
    assert result.returncode == 1 and seconds < 20
    line = one_clear_line(result.stderr)
    assert f"cannot talk to {server.uri} within the connection time-out of 1.5 s" in line
    assert all(word in line for word in WHAT_TO_CHECK), line
    assert_no_secret(result.stdout, result.stderr)


def test_a_server_that_never_finishes_the_handshake_is_bounded_by_the_connection_time_out(fake):
    server = fake("handshake")
    started = time.monotonic()
    with pytest.raises(BoltUnavailableError, match="within the connection time-out of 1 s"):
        BoltStore(server.uri, timeouts=Timeouts(connect=1)).write(Dataset())
    assert time.monotonic() - started < 5


def test_a_statement_that_gets_no_answer_is_bounded_by_the_statement_time_out(fake):
    server = fake("no-answer")
    store = BoltStore(server.uri, timeouts=Timeouts(connect=2, query=1.0, deadline=None), dialect="neo4j")
    started = time.monotonic()
    with pytest.raises(BoltTimeoutError) as info:
        store.counts()
    assert time.monotonic() - started < 6
    assert "within 1 s (the statement time-out of 1 s ($COOPGRAPH_BOLT_QUERY_TIMEOUT))" in str(info.value)
    assert all(word in str(info.value) for word in WHAT_TO_CHECK)


def test_the_overall_deadline_bounds_everything(fake, bundled_store_file):
    from coopgraph.graph.store import open_store

    server = fake("no-answer")
    started = time.monotonic()
    with pytest.raises(BoltTimeoutError, match=r"overall deadline of 1.5 s \(\$COOPGRAPH_BOLT_DEADLINE\)"):
        BoltStore(server.uri, timeouts=Timeouts(connect=5, query=60, deadline=1.5)).write(
            open_store(bundled_store_file).dataset())
    assert time.monotonic() - started < 6


def test_time_outs_come_from_the_environment_and_bad_values_are_refused():
    assert Timeouts.from_env({}) == Timeouts()
    assert Timeouts.from_env({"COOPGRAPH_BOLT_QUERY_TIMEOUT": "7"}).query == 7
    with pytest.raises(StoreError, match="COOPGRAPH_BOLT_DEADLINE is 'soon', not a number"):
        Timeouts.from_env({"COOPGRAPH_BOLT_DEADLINE": "soon"})


# -- 11. credentials and errors ---------------------------------------------------------------------------------

def test_a_password_in_the_uri_or_the_environment_is_never_printed(fake, store_path):
    silent = fake("silent")
    uris = [f"bolt://neo4j:{SECRETS[0]}@127.0.0.1:{silent.port}", f"bolt://neo4j:{SECRETS[0]}@127.0.0.1:1",
            f"neo4j://neo4j:{SECRETS[0]}@127.0.0.1:1", f"http://neo4j:{SECRETS[0]}@localhost:7474",
            f"bolt://neo4j:{SECRETS[0]}@[::1:7687", f"bolt://neo4j:{SECRETS[0]}@127.0.0.1:99999"]
    for uri in uris:       # the library: every error, whatever went wrong
        with pytest.raises(StoreError) as info:
            BoltStore(uri, password=SECRETS[1], timeouts=Timeouts(connect=0.5)).counts()
        assert_no_secret(str(info.value))
    # and the command line (the password in the URI and in $NEO4J_PASSWORD; a server that never answers)
    result, _ = coopgraph("push", "--store", store_path, "--uri", uris[0], env={"COOPGRAPH_BOLT_CONNECT_TIMEOUT": "1"})
    assert result.returncode == 1, result.stderr
    assert "neo4j:***@" in one_clear_line(result.stderr)
    assert_no_secret(result.stdout, result.stderr)


def test_uris_are_shown_without_their_password_and_credentials_go_to_the_login():
    assert redact_uri("neo4j+s://me:p%40ss@db:7687/x") == "neo4j+s://me:***@db:7687/x"
    assert split_uri("bolt://me:p%40ss@db:7687") == ("bolt://db:7687", "me", "p@ss")
    store = BoltStore("bolt://me:pw@127.0.0.1:1", dialect="neo4j")
    assert store.uri == "bolt://me:***@127.0.0.1:1"


@pytest.mark.parametrize("uri, expected", [
    ("http://localhost:7474", "its scheme is 'http' (http(s) is the browser's port"),
    ("https://db.example", "its scheme is 'https'"),
    ("localhost:7687", "not a Bolt URI"),
    ("bolt://", "names no host"),
    ("bolt://localhost:notaport", "is not a valid URI"),
])
def test_a_uri_that_is_not_bolt_is_refused_with_what_to_write(uri, expected):
    with pytest.raises(StoreError) as info:
        BoltStore(uri)
    assert expected in str(info.value) and "aiohttp" not in str(info.value)


def test_the_issues_http_uri_on_the_command_line(store_path):
    result, _ = coopgraph("push", "--store", store_path, "--uri", "http://localhost:7474")
    assert result.returncode == 1
    line = one_clear_line(result.stderr)
    assert "is not a Bolt URI" in line and "bolt://HOST:7687" in line and "aiohttp" not in line


def test_a_refused_login_says_so_not_unknown_error(fake):
    server = fake("unauthorized")
    result, _ = coopgraph("stats", "--backend", "neo4j", "--uri", server.uri, "--user", "analyst")
    assert result.returncode == 1
    line = one_clear_line(result.stderr)
    assert f"{server.uri} refused the login of user 'analyst'" in line and "$NEO4J_PASSWORD" in line
    assert "unknown error" not in line
    assert_no_secret(result.stdout, result.stderr)
    with pytest.raises(BoltAuthError):
        BoltStore(server.uri, user="analyst", password="pw", dialect="neo4j").counts()


def test_a_closed_port_is_unavailable_not_a_traceback():
    with pytest.raises(BoltUnavailableError, match="Connection refused"):
        BoltStore("bolt://127.0.0.1:1", dialect="neo4j", timeouts=Timeouts(connect=2)).counts()


@pytest.mark.bolt
def test_a_password_given_to_falkordb_reads_as_a_login_problem(falkordb_server):
    result, _ = coopgraph("stats", "--backend", "neo4j", "--uri", falkordb_server.uri,
                          env={"COOPGRAPH_BOLT_CONNECT_TIMEOUT": "5"})
    assert result.returncode == 1
    line = one_clear_line(result.stderr)
    assert "refused the session with a login" in line and "unset $NEO4J_PASSWORD" in line, line
    assert "loading documents failed" not in line
    assert_no_secret(result.stdout, result.stderr)


# -- 12. the test server is unreachable from other hosts ---------------------------------------------------------

@pytest.mark.bolt
def test_the_bolt_test_server_cannot_be_reached_from_another_host(falkordb_server):
    from tests import bolt_server

    assert bolt_server.network_is_private()
    assert set(bolt_server.interface_addresses()) == {"lo"}
    here = os.readlink(f"/proc/self/task/{threading.get_native_id()}/ns/net")
    assert os.readlink(f"/proc/{falkordb_server.pid}/ns/net") == here
    assert bolt_server.bolt_handshake_ok("127.0.0.1", falkordb_server.bolt_port)
    if "fd" not in bolt_server.HOST_NETWORK:
        return  # the session started in a private namespace (unshare --net): nothing else to knock from
    assert bolt_server.HOST_NETWORK["namespace"] != here
    # step back into the machine's own namespace, in a thread of its own, and knock on every address it has
    outcomes = {}

    def knock() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        assert libc.setns(bolt_server.HOST_NETWORK["fd"], 0x40000000) == 0, ctypes.get_errno()
        for name, address in bolt_server.HOST_NETWORK["addresses"].items():
            for port in (falkordb_server.bolt_port, falkordb_server.port):
                try:
                    socket.create_connection((address, port), timeout=2).close()
                    outcomes[name, port] = "reached"
                except OSError as exc:
                    outcomes[name, port] = type(exc).__name__

    worker = threading.Thread(target=knock)
    worker.start()
    worker.join()
    assert outcomes and "reached" not in outcomes.values(), outcomes
