"""The Bolt store: the same graph in Neo4j (or any server speaking Bolt and Cypher).

Loading creates uniqueness constraints (or indexes) first, then sends
``UNWIND $rows`` batches that ``MERGE`` on stable ids, so loading twice changes
nothing and a large load is fast. The graph model (deals as ``:Deal`` nodes that
their claims pass through) is :mod:`coopgraph.graph.neo4j_model`'s. Labels and
relationship types come only from the schema and that model's declared names
(``Deal``, ``DEAL_ITEM``), checked before they are formatted into a statement;
every value travels as a parameter. A failed batch raises :class:`BatchError` naming the
rows it held; re-running the load completes it.

The password is never an argument on a command line: the CLI reads it from
``$NEO4J_PASSWORD`` (or from the URI's ``user:password@``), and it is never
printed: URIs are shown with ``***`` for it, and errors are scrubbed of it.

Every exchange with the server is bounded in time (:class:`Timeouts`): the
connection (TCP connect, Bolt handshake and login), each statement, and the
whole session (an overall deadline). A server that accepts the connection and
never answers is reported within them, with what to check.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import queue
import threading
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from coopgraph.graph.errors import StoreError
from coopgraph.graph.model import Claim, Dataset, Entity
from coopgraph.graph.neo4j_model import (
    ENTITY_LABEL, claim_from_properties, claim_properties, deal_from_properties, deal_item_links, deal_item_type,
    deal_label, deal_nodes, deal_properties, document_from_properties, document_properties, entity_from_properties,
    entity_properties, route, without_nulls,
)
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.graph.store import Store

DEFAULT_BATCH = 1000
#: URI schemes the official driver speaks Bolt with
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_what_to_check = ("check the URI's scheme (bolt:// or neo4j://) and port (the server's Bolt port, 7687 by default; not the "
          "browser's 7474), that the server is up and speaks Bolt, and the credentials (--user or $NEO4J_USER, "
          "$NEO4J_PASSWORD)")


class BoltUnavailableError(StoreError):
    """The server could not be reached, did not answer in time, or refused the login: nothing was sent or read."""


class BoltTimeoutError(BoltUnavailableError):
    """The server did not answer within a time-out or the overall deadline."""


class BoltAuthError(BoltUnavailableError):
    """The server refused the credentials."""


@dataclass(frozen=True)
class Timeouts:
    """How long to wait for a Bolt server, in seconds (docs/reliability.md).

    ``connect`` bounds opening a connection (TCP connect, Bolt handshake and login);
    ``query`` bounds one statement, from sending it to its last row; ``deadline`` bounds
    everything one store does, from its first exchange (``None``: no overall bound).
    The environment overrides the defaults: ``$COOPGRAPH_BOLT_CONNECT_TIMEOUT``,
    ``$COOPGRAPH_BOLT_QUERY_TIMEOUT``, ``$COOPGRAPH_BOLT_DEADLINE`` (``0``: none).

    >>> Timeouts.from_env({"COOPGRAPH_BOLT_CONNECT_TIMEOUT": "2.5", "COOPGRAPH_BOLT_DEADLINE": "0"})
    Timeouts(connect=2.5, query=300.0, deadline=None)
    """

    connect: float = 15.0
    query: float = 300.0
    deadline: float | None = 3600.0

    @classmethod
    def from_env(cls, environ: Any = None) -> "Timeouts":
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for field, name in (("connect", "COOPGRAPH_BOLT_CONNECT_TIMEOUT"), ("query", "COOPGRAPH_BOLT_QUERY_TIMEOUT"),
                            ("deadline", "COOPGRAPH_BOLT_DEADLINE")):
            text = environ.get(name)
            if text is None or not text.strip():
                continue
            try:
                seconds = float(text)
            except ValueError:
                raise StoreError(f"${name} is '{text}', not a number of seconds") from None
            if seconds < 0 or seconds != seconds:
                raise StoreError(f"${name} is '{text}'; give a positive number of seconds")
            values[field] = None if field == "deadline" and seconds == 0 else seconds
        return cls(**values)


def redact_uri(uri: str | None) -> str:
    """``uri`` with any password in it replaced by ``***``, for messages.

    >>> redact_uri("bolt://neo4j:s3cret@db.example:7687")
    'bolt://neo4j:***@db.example:7687'
    >>> redact_uri("bolt://localhost:7687")
    'bolt://localhost:7687'
    """
    if not uri:
        return "the Bolt server"
    try:
        parts = urllib.parse.urlsplit(uri)
    except ValueError:
        return "<an unreadable URI>"
    if parts.password is None and "@" not in parts.netloc:
        return uri
    user = parts.username or ""
    host = parts.netloc.rsplit("@", 1)[1]
    login = f"{user}:***" if parts.password is not None else (user or "***")
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{login}@{host}"))


def split_uri(uri: str | None) -> tuple[str, str | None, str | None]:
    """``(uri without credentials, user, password)``; refuses what is not a Bolt URI.

    The driver takes no credentials in a Bolt URI, and echoes the URI in its error,
    so they are taken out here and passed as the login instead.

    >>> split_uri("bolt://reader:pw@localhost:7687")
    ('bolt://localhost:7687', 'reader', 'pw')
    >>> split_uri("http://localhost:7474")
    Traceback (most recent call last):
    ...
    coopgraph.graph.errors.StoreError: --uri http://localhost:7474 is not a Bolt URI: ...
    """
    if not uri:
        raise StoreError("no Bolt URI: pass --uri or set $NEO4J_URI")
    try:
        parts = urllib.parse.urlsplit(uri.strip())
        port = parts.port
    except ValueError as exc:
        raise StoreError(f"--uri {redact_uri(uri)} is not a valid URI ({exc}); write it as bolt://HOST:7687") from None
    scheme = parts.scheme.lower()
    if scheme not in BOLT_SCHEMES:
        said = f"its scheme is '{scheme}'" if scheme else "it has no scheme"
        why = " (http(s) is the browser's port, and this driver needs Bolt)" if scheme in ("http", "https") else ""
        raise StoreError(f"--uri {redact_uri(uri)} is not a Bolt URI: {said}{why}; use bolt://HOST:7687, or neo4j://, "
                         "bolt+s:// or neo4j+s:// for a cluster or TLS")
    if not parts.hostname:
        raise StoreError(f"--uri {redact_uri(uri)} names no host; write it as {scheme}://HOST:7687")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host if port is None else f"{host}:{port}"
    clean = urllib.parse.urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))
    user = urllib.parse.unquote(parts.username) if parts.username else None
    password = urllib.parse.unquote(parts.password) if parts.password is not None else None
    return clean, user, password


def _scrub(text: str, *secrets: str | None) -> str:
    """``text`` with every secret replaced by ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
            quoted = urllib.parse.quote(secret, safe="")
            if quoted != secret:
                text = text.replace(quoted, "***")
    return text


class _Worker:
    """One daemon thread that runs the driver's calls, so that the caller can stop waiting.

    The driver has no client-side read time-out once a connection is up; a call that
    outlives its time-out is abandoned (its thread is a daemon: it never holds the
    process open) and the worker is replaced.
    """

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._loop, name="coopgraph-bolt", daemon=True).start()

    def _loop(self) -> None:
        while True:
            job = self.jobs.get()
            fn, box, done = job
            try:
                box["value"] = fn()
            except BaseException as exc:  # handed to the caller's thread
                box["error"] = exc
            finally:
                done.set()

    def call(self, fn: Callable[[], Any], timeout: float) -> tuple[bool, Any]:
        """``(True, result)``, or ``(False, None)`` when ``fn`` did not finish within ``timeout`` seconds."""
        box: dict[str, Any] = {}
        done = threading.Event()
        self.jobs.put((fn, box, done))
        if not done.wait(max(timeout, 0.0)):
            return False, None
        if "error" in box:
            raise box["error"]
        return True, box.get("value")


class BatchError(StoreError):
    """A batch failed; ``rows`` holds the ids it carried."""

    def __init__(self, what: str, rows: list[str], cause: Exception):
        self.rows = rows
        shown = ", ".join(rows[:10]) + (f" … ({len(rows)} in all)" if len(rows) > 10 else "")
        super().__init__(f"loading {what} failed for the batch holding {shown}: {cause}; "
                         "the load can be re-run (it merges on ids, so nothing is duplicated)")


def _escape_for_inlining(value: Any) -> Any:
    r"""Backslash-escape ``\\`` and ``'`` in every string of a parameter value.

    FalkorDB's Bolt endpoint pastes string parameters into a single-quoted
    Cypher literal without escaping them: a quote breaks the statement and a
    backslash sequence is read as an escape. Escaping first makes the value
    arrive exactly as sent.

    >>> _escape_for_inlining({"name": "it's", "aliases": ["a\\b"]})
    {'name': "it\\'s", 'aliases': ['a\\\\b']}
    """
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(value, list):
        return [_escape_for_inlining(v) for v in value]
    if isinstance(value, dict):
        return {k: _escape_for_inlining(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Dialect:
    """The few places where servers speaking Cypher differ."""

    name: str
    constraints: tuple[str, ...]
    #: how parameter values must be prepared before they are sent
    prepare: Callable[[Any], Any] = staticmethod(lambda value: value)
    #: largest statement plus parameters the server takes, in bytes (``None``: no limit)
    max_bytes: int | None = None


NEO4J = Dialect("neo4j", (
    "CREATE CONSTRAINT coopgraph_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT coopgraph_document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
    "CREATE CONSTRAINT coopgraph_deal_id IF NOT EXISTS FOR (d:Deal) REQUIRE d.id IS UNIQUE",
))
# FalkorDB takes unique constraints only as a Redis command; over Bolt an index gives the fast MERGE look-up.
FALKORDB = Dialect("falkordb", (
    "CREATE INDEX FOR (n:Entity) ON (n.id)",
    "CREATE INDEX FOR (d:Document) ON (d.id)",
    "CREATE INDEX FOR (d:Deal) ON (d.id)",
), _escape_for_inlining, max_bytes=3000)
# FalkorDB 4.16's Bolt endpoint crashes (the whole server) when a statement with its inlined
# parameters passes about 4 KB (measured: 4,050 bytes work, 4,080 do not); 3,000 leaves room.
DIALECTS = {d.name: d for d in (NEO4J, FALKORDB)}

# -- statements (labels and types are formatted in only after the schema has checked them) --------------
DOCUMENTS_MERGE = "UNWIND $rows AS row MERGE (d:Document {id: row.id}) SET d = row"
ENTITIES_MERGE = "UNWIND $rows AS row MERGE (n:Entity {{id: row.id}}) SET n = row SET n:{label}"
# a deal with a record: its properties are the record's; a deal without one (implied, or named by claims only)
# is created once and never overwrites a node that has a record
DEALS_MERGE = "UNWIND $rows AS row MERGE (d:{deal} {{id: row.id}}) SET d = row"
DEAL_NODES_MERGE = "UNWIND $rows AS row MERGE (d:{deal} {{id: row.id}}) ON CREATE SET d = row"
CLAIMS_MERGE = ("UNWIND $rows AS row MATCH (s:Entity {{id: row.s}}) MATCH (o:Entity {{id: row.o}}) "
                "MERGE (s)-[r:{rel_type} {{claim_id: row.props.claim_id}}]->(o) SET r = row.props")
CLAIM_MERGE_ONE = ("MATCH (s:Entity {{id: $s}}) MATCH (o:Entity {{id: $o}}) "
                   "MERGE (s)-[r:{rel_type} {{claim_id: $claim_id}}]->(o) SET r = $props")
# a claim with a deal role runs supplier -> deal or deal -> recipient: {start}/{end} are Entity or the deal label
DEAL_CLAIMS_MERGE = ("UNWIND $rows AS row MATCH (s:{start} {{id: row.s}}) MATCH (o:{end} {{id: row.o}}) "
                     "MERGE (s)-[r:{rel_type} {{claim_id: row.props.claim_id}}]->(o) SET r = row.props")
DEAL_CLAIM_MERGE_ONE = ("MATCH (s:{start} {{id: $s}}) MATCH (o:{end} {{id: $o}}) "
                        "MERGE (s)-[r:{rel_type} {{claim_id: $claim_id}}]->(o) SET r = $props")
# the structural deal -> item link (no claim), and the deal's display label from its item's name
DEAL_ITEMS_MERGE = ("UNWIND $rows AS row MATCH (d:{deal} {{id: row.d}}) MATCH (i:Entity {{id: row.i}}) "
                    "MERGE (d)-[:{deal_item}]->(i) "
                    "SET d.label = coalesce(d.name, CASE WHEN d.variant IS NULL THEN i.name "
                    "ELSE i.name + ' (' + d.variant + ')' END)")
ENTITY_MERGE_ONE = "MERGE (n:Entity {{id: $id}}) SET n = $props SET n:{label}"
DELETE_ALL = "MATCH (n) WHERE n:Entity OR n:Document OR n:Deal DETACH DELETE n"
READ_DOCUMENTS = "MATCH (d:Document) RETURN properties(d) AS p ORDER BY p.id"
READ_ENTITIES = "MATCH (n:Entity) RETURN properties(n) AS p ORDER BY p.id"
READ_DEALS = "MATCH (d:Deal) WHERE d.has_record = true RETURN properties(d) AS p ORDER BY p.id"
READ_CLAIMS = "MATCH (s)-[r]->(o) WHERE r.claim_id IS NOT NULL RETURN s.id AS s, o.id AS o, properties(r) AS p"
READ_ENTITY = "MATCH (n:Entity {id: $id}) RETURN properties(n) AS p"
FIND_ENTITIES = ("MATCH (n:Entity) WHERE toLower(n.id) CONTAINS $text OR toLower(n.name) CONTAINS $text "
                 "OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) CONTAINS $text) "
                 "RETURN properties(n) AS p ORDER BY CASE WHEN toLower(n.name) = $text THEN 0 ELSE 1 END, p.id LIMIT $limit")
# the entity's own relationships, then the claims of the deals whose item it is
CLAIMS_OF = ("MATCH (n:Entity {id: $id})-[r]-() WHERE r.claim_id IS NOT NULL "
             "RETURN startNode(r).id AS s, endNode(r).id AS o, properties(r) AS p "
             "UNION ALL "
             "MATCH (n:Entity {id: $id})<-[:DEAL_ITEM]-(:Deal)-[r]-() WHERE r.claim_id IS NOT NULL "
             "RETURN startNode(r).id AS s, endNode(r).id AS o, properties(r) AS p")
COUNT_DOCUMENTS = "MATCH (d:Document) RETURN count(d) AS n"
COUNT_ENTITIES = "MATCH (n:Entity) RETURN count(n) AS n"
COUNT_DEALS = "MATCH (d:Deal) WHERE d.has_record = true RETURN count(d) AS n"
COUNT_CLAIMS = "MATCH ()-[r]->() WHERE r.claim_id IS NOT NULL RETURN count(r) AS n, sum(size(r.documents)) AS c"
DETECT_NEO4J = "CALL dbms.components() YIELD name RETURN name"


def statements(schema: Schema | None = None) -> dict[str, str]:
    """Every statement the store can send, with each schema label and type filled in (for linting)."""
    schema = schema or load_schema()
    templates = {"ENTITIES_MERGE", "ENTITY_MERGE_ONE", "CLAIMS_MERGE", "CLAIM_MERGE_ONE", "DEALS_MERGE",
                 "DEAL_NODES_MERGE", "DEAL_CLAIMS_MERGE", "DEAL_CLAIM_MERGE_ONE", "DEAL_ITEMS_MERGE"}
    out = {name: value for name, value in globals().items()
           if name.isupper() and isinstance(value, str) and name not in templates and " " in value}
    for etype in schema.entity_types:
        out[f"ENTITIES_MERGE[{etype}]"] = ENTITIES_MERGE.format(label=schema.label(etype))
        out[f"ENTITY_MERGE_ONE[{etype}]"] = ENTITY_MERGE_ONE.format(label=schema.label(etype))
    deal, roles = deal_label(schema), schema.deal_relations
    out["DEALS_MERGE"] = DEALS_MERGE.format(deal=deal)
    out["DEAL_NODES_MERGE"] = DEAL_NODES_MERGE.format(deal=deal)
    out["DEAL_ITEMS_MERGE"] = DEAL_ITEMS_MERGE.format(deal=deal, deal_item=deal_item_type(schema))
    for relation in schema.relation_types:
        rel_type = schema.rel_type(relation)
        out[f"CLAIMS_MERGE[{relation}]"] = CLAIMS_MERGE.format(rel_type=rel_type)
        out[f"CLAIM_MERGE_ONE[{relation}]"] = CLAIM_MERGE_ONE.format(rel_type=rel_type)
        if relation in roles:
            start, end = (ENTITY_LABEL, deal) if roles[relation] == "supplier" else (deal, ENTITY_LABEL)
            out[f"DEAL_CLAIMS_MERGE[{relation}]"] = DEAL_CLAIMS_MERGE.format(start=start, end=end, rel_type=rel_type)
            out[f"DEAL_CLAIM_MERGE_ONE[{relation}]"] = DEAL_CLAIM_MERGE_ONE.format(start=start, end=end,
                                                                                  rel_type=rel_type)
    for dialect in DIALECTS.values():
        for i, text in enumerate(dialect.constraints):
            out[f"{dialect.name}.constraint[{i}]"] = text
    return out


_DRIVERS: dict[tuple, Any] = {}
_WORKER: "_Worker | None" = None


def connect(uri: str | None, user: str | None = None, password: str | None = None,
            timeouts: Timeouts | None = None) -> Any:
    """An official ``neo4j`` driver for ``uri``, one per server and credentials, closed at exit.

    Sharing one driver per server keeps its connection pool for every store a
    process opens; with no password the connection is made without auth.
    Credentials in the URI (``bolt://user:password@host``) are used as the login
    unless ``user``/``password`` are given. Creating a driver sends nothing.
    """
    uri, uri_user, uri_password = split_uri(uri)
    user = uri_user or user
    password = password if password else uri_password
    key = (uri, user, password)
    if key not in _DRIVERS:
        import logging

        import neo4j

        # the driver logs its retries as warnings; with no logging set up Python would print them on standard
        # error beside coopgraph's own one-line error (an application that configures logging still gets them)
        logging.getLogger("neo4j").addHandler(logging.NullHandler())
        timeouts = timeouts or Timeouts.from_env()
        auth = (user or "neo4j", password) if password else None
        try:
            _DRIVERS[key] = neo4j.GraphDatabase.driver(
                uri, auth=auth, connection_timeout=timeouts.connect,
                connection_acquisition_timeout=timeouts.connect, max_transaction_retry_time=timeouts.connect)
        except Exception as exc:
            raise StoreError(f"cannot use {redact_uri(uri)}: {_scrub(str(exc), password, uri_password)}") from None
        if len(_DRIVERS) == 1:
            atexit.register(_close_drivers)
    return _DRIVERS[key]


def _forget_driver(driver: Any) -> None:
    """Drop a driver whose connection hangs: it is not closed (closing could wait on the hung call)."""
    for key in [k for k, d in _DRIVERS.items() if d is driver]:
        del _DRIVERS[key]


def _close_drivers() -> None:
    for driver in _DRIVERS.values():
        with contextlib.suppress(Exception):
            driver.close()
    _DRIVERS.clear()


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, default=str).encode("utf-8"))


def _batches(rows: list[Any], size: int, max_bytes: int | None = None, statement: str = "") -> Iterator[list[Any]]:
    """Rows in batches of at most ``size`` rows and, when given, ``max_bytes`` bytes with the statement."""
    if max_bytes is None:
        for start in range(0, len(rows), size):
            yield rows[start:start + size]
        return
    budget = max_bytes - len(statement.encode("utf-8")) - 64
    batch: list[Any] = []
    used = 0
    for row in rows:
        cost = _size(row) + 16
        if batch and (len(batch) >= size or used + cost > budget):
            yield batch
            batch, used = [], 0
        batch.append(row)
        used += cost
    if batch:
        yield batch


class BoltStore(Store):
    """A store on a Bolt server, behind the same interface as the embedded store.

    Parameters
    ----------
    uri : str
        ``bolt://host:7687`` or ``neo4j://...``.
    user, password : str, optional
        Basic auth; with no password the connection is made without auth.
    database : str, optional
        Database name (Neo4j); the server default otherwise.
    driver : neo4j.Driver, optional
        An open driver to use instead of making one (it is then not closed here).
    dialect : {"neo4j", "falkordb"}, optional
        Detected from the server when not given.
    batch_size : int
        Rows per ``UNWIND`` batch.
    progress : callable, optional
        ``progress(done, total, what)`` after every batch (the CLI draws a bar).
    """

    backend = "neo4j"

    def __init__(self, uri: str | None = None, *, user: str | None = None, password: str | None = None,
                 database: str | None = None, driver: Any = None, dialect: str | None = None,
                 batch_size: int = DEFAULT_BATCH, progress: Callable[[int, int, str], None] | None = None,
                 schema: Schema | None = None, timeouts: Timeouts | None = None):
        self.uri = redact_uri(uri) if uri else None   # shown in messages: never with a password
        self.database = database
        self.batch_size = batch_size
        self.progress = progress
        self.schema = schema or load_schema()
        deal_label(self.schema), deal_item_type(self.schema)  # the model's own names must not clash with the schema's
        self.timeouts = timeouts or Timeouts.from_env()
        self._secrets = (password, split_uri(uri)[2] if uri else None)
        self._user = (split_uri(uri)[1] if uri else None) or user or "neo4j"
        self._password_given = bool(password or self._secrets[1])
        self.driver = driver if driver is not None else connect(uri, user, password, self.timeouts)
        self._verified = driver is not None   # a driver handed in is the caller's, already in use
        self._dialect = DIALECTS[dialect] if dialect else None
        self._started: float | None = None

    # -- plumbing ----------------------------------------------------------------
    def _call(self, fn: Callable[[], Any], limit: float, what: str) -> Any:
        """Run ``fn`` (a driver call) for at most ``limit`` seconds and what is left of the deadline."""
        now = time.monotonic()
        if self._started is None:
            self._started = now
        timeout, which = limit, what
        if self.timeouts.deadline is not None:
            left = self._started + self.timeouts.deadline - now
            if left < timeout:
                timeout, which = left, f"the overall deadline of {self.timeouts.deadline:g} s ($COOPGRAPH_BOLT_DEADLINE)"
        if timeout <= 0:
            raise BoltTimeoutError(f"{self.uri}: {which} has passed; nothing more was sent")
        global _WORKER
        if _WORKER is None:
            _WORKER = _Worker()
        try:
            finished, value = _WORKER.call(fn, timeout)
        except Exception as exc:
            raise self._error(exc) from None
        if not finished:
            _WORKER = None  # it is stuck in the driver: the next call gets a new one
            _forget_driver(self.driver)
            raise BoltTimeoutError(f"no answer from {self.uri} within {timeout:g} s ({which}); {_what_to_check}")
        return value

    def _error(self, exc: Exception) -> StoreError:
        """The one-line error for a driver exception, scrubbed of the password."""
        import neo4j.exceptions as errors

        detail = " ".join(_scrub(f"{type(exc).__name__}: {exc}", *self._secrets).split())  # one line
        if isinstance(exc, errors.AuthError):
            return BoltAuthError(f"{self.uri} refused the login of user '{self._user}' ({' '.join(_scrub(str(exc), *self._secrets).split())}); "
                                 "check --user or $NEO4J_USER and $NEO4J_PASSWORD")
        if isinstance(exc, (errors.ServiceUnavailable, errors.SessionExpired, OSError)) or (
                isinstance(exc, errors.DriverError) and not isinstance(exc, errors.ResultError)):
            late = any(word in detail.lower() for word in ("deadline", "timed out", "timeout"))
            within = (f" within the connection time-out of {self.timeouts.connect:g} s ($COOPGRAPH_BOLT_CONNECT_TIMEOUT)"
                      if late else "")
            return BoltUnavailableError(f"cannot talk to {self.uri}{within} ({detail}); {_what_to_check}")
        return StoreError(f"{self.uri}: {detail}")

    def _verify(self) -> None:
        """The first exchange: open a connection and log in, under the connection time-out."""
        if not self._verified:
            self._call(self.driver.verify_connectivity, 2 * self.timeouts.connect + 1,
                       f"the connection time-out of {self.timeouts.connect:g} s ($COOPGRAPH_BOLT_CONNECT_TIMEOUT)")
            self._verified = True

    def _run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        # One auto-commit transaction a statement: each batch commits on its own, so a failed
        # batch leaves the earlier ones and a re-run completes the load (MERGE on ids).
        # (Managed transactions cost FalkorDB ~40 ms a round trip against ~1 ms for these.)
        if params and self._dialect is not None:
            params = {k: self._dialect.prepare(v) for k, v in params.items()}
        if not self._verified:
            try:
                self._verify()
            except StoreError as exc:
                if type(exc) is StoreError and self._password_given:
                    # FalkorDB (no logins) answers any login with a generic error; so may a server that refuses it
                    raise BoltAuthError(f"{self.uri} refused the session with a login ({exc}); if the server takes "
                                        "no login (FalkorDB), unset $NEO4J_PASSWORD; otherwise check --user or "
                                        "$NEO4J_USER and $NEO4J_PASSWORD") from None
                raise
        session_options = {"database": self.database} if self.database else {}

        def run() -> list[dict[str, Any]]:
            with self.driver.session(**session_options) as session:
                return [record.data() for record in session.run(query, params)]

        return self._call(run, self.timeouts.query,
                          f"the statement time-out of {self.timeouts.query:g} s ($COOPGRAPH_BOLT_QUERY_TIMEOUT)")

    def run_cypher(self, statement: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read query (a pack query, say) and return its rows as dicts."""
        return self._run(statement, **(params or {}))

    @property
    def dialect(self) -> Dialect:
        if self._dialect is None:
            try:
                self._run(DETECT_NEO4J)
                self._dialect = NEO4J
            except BoltUnavailableError:
                raise
            except StoreError:
                self._dialect = FALKORDB
        return self._dialect

    def close(self) -> None:
        # drivers are shared per server and closed when the process exits (see connect)
        self._graph_cache = None

    # -- writing ---------------------------------------------------------------
    def ensure_constraints(self) -> None:
        """Create the uniqueness constraints (Neo4j) or indexes (FalkorDB); existing ones are kept."""
        for statement in self.dialect.constraints:
            try:
                self._run(statement)
            except BoltUnavailableError:
                raise
            except StoreError:
                if self.dialect is NEO4J:  # IF NOT EXISTS makes a repeat harmless there, so this is real
                    raise
                # FalkorDB has no IF NOT EXISTS and answers a repeated index with a generic error

    def exists(self) -> bool:
        return self.counts()["entities"] > 0

    def write(self, dataset: Dataset, *, replace: bool = False, batched: bool = True) -> dict[str, int]:
        """Merge ``dataset`` into the server in batches (``batched=False``: one statement a row).

        With ``replace``, coopgraph's nodes (``:Entity``, ``:Document``, ``:Deal``) are deleted first.
        Deals become ``:Deal`` nodes that their claims pass through (:mod:`coopgraph.graph.neo4j_model`).
        """
        deal, deal_item = deal_label(self.schema), deal_item_type(self.schema)
        roles = self.schema.deal_relations
        # check every label and type before anything is sent
        by_label: dict[str, list[dict]] = {}
        for entity in dataset.entities.values():
            by_label.setdefault(self.schema.label(entity.type), []).append(without_nulls(entity_properties(entity)))
        by_type: dict[tuple[str, str, str], list[dict]] = {}
        for claim in dataset.claims.values():
            routed = route(claim, roles)
            ends = ((deal if routed.start_is_deal else ENTITY_LABEL), (deal if routed.end_is_deal else ENTITY_LABEL))
            row = {"s": routed.start, "o": routed.end,
                   "props": without_nulls(claim_properties(claim, through_deal=routed.deal is not None))}
            by_type.setdefault((self.schema.rel_type(claim.relation), *ends), []).append(row)
        nodes = deal_nodes(dataset, roles)
        recorded = [without_nulls(deal_properties(n)) for n in nodes.values() if n.record is not None]
        unrecorded = [without_nulls(deal_properties(n)) for n in nodes.values() if n.record is None]
        links = [{"d": d, "i": i} for d, i in deal_item_links(nodes)]

        self.ensure_constraints()
        if replace:
            self._run(DELETE_ALL)
        total = len(dataset.documents) + len(dataset.entities) + len(nodes) + len(dataset.claims) + len(links)
        done = 0

        def tick(n: int, what: str) -> None:
            nonlocal done
            done += n
            if self.progress:
                self.progress(done, total, what)

        docs = [without_nulls(document_properties(d)) for d in dataset.documents.values()]
        for batch in self._batches(docs, DOCUMENTS_MERGE):
            self._batch(DOCUMENTS_MERGE, batch, "documents", [r["id"] for r in batch])
            tick(len(batch), "documents")
        for label, rows in sorted(by_label.items()):
            if batched:
                statement = ENTITIES_MERGE.format(label=label)
                for batch in self._batches(rows, statement):
                    self._batch(statement, batch, f"{label} entities", [r["id"] for r in batch])
                    tick(len(batch), "entities")
            else:
                statement = ENTITY_MERGE_ONE.format(label=label)
                for row in rows:
                    self._batch(statement, {"id": row["id"], "props": row}, f"{label} entity", [row["id"]], single=True)
                    tick(1, "entities")
        for template, rows in ((DEALS_MERGE, recorded), (DEAL_NODES_MERGE, unrecorded)):
            statement = template.format(deal=deal)
            for batch in self._rows(rows, statement, batched):
                self._batch(statement, batch, "deals", [r["id"] for r in batch])
                tick(len(batch), "deals")
        for (rel_type, start, end), rows in sorted(by_type.items()):
            plain = start == end == ENTITY_LABEL
            if batched:
                statement = (CLAIMS_MERGE.format(rel_type=rel_type) if plain else
                             DEAL_CLAIMS_MERGE.format(start=start, end=end, rel_type=rel_type))
                for batch in self._batches(rows, statement):
                    self._batch(statement, batch, f"{rel_type} claims", [r["props"]["claim_id"] for r in batch])
                    tick(len(batch), "claims")
            else:
                statement = (CLAIM_MERGE_ONE.format(rel_type=rel_type) if plain else
                             DEAL_CLAIM_MERGE_ONE.format(start=start, end=end, rel_type=rel_type))
                for row in rows:
                    claim = row["props"]["claim_id"]
                    self._batch(statement, {**row, "claim_id": claim}, f"{rel_type} claim", [claim], single=True)
                    tick(1, "claims")
        statement = DEAL_ITEMS_MERGE.format(deal=deal, deal_item=deal_item)
        for batch in self._rows(links, statement, batched):
            self._batch(statement, batch, "deal items", [r["d"] for r in batch])
            tick(len(batch), "deal items")
        self._graph_cache = None
        return self.counts()

    def _rows(self, rows: list[Any], statement: str, batched: bool) -> Iterator[list[Any]]:
        return self._batches(rows, statement) if batched else ([row] for row in rows)

    def _batches(self, rows: list[Any], statement: str) -> Iterator[list[Any]]:
        return _batches(rows, self.batch_size, self.dialect.max_bytes, statement)

    def _batch(self, statement: str, rows: Any, what: str, ids: list[str], single: bool = False) -> None:
        limit = self.dialect.max_bytes
        if limit is not None and len(statement.encode("utf-8")) + _size(rows) + 64 > limit:
            raise BatchError(what, ids, StoreError(
                f"a single row is larger than the {limit} bytes a {self.dialect.name} statement may carry"))
        try:
            if single:
                self._run(statement, **rows)
            else:
                self._run(statement, rows=rows)
        except BoltUnavailableError:
            raise  # nothing to do with the rows: say what to check instead
        except StoreError as exc:
            raise BatchError(what, ids, exc) from None

    # -- reading ---------------------------------------------------------------
    def dataset(self, claims: bool = True) -> Dataset:
        data = Dataset()
        for row in self._run(READ_DOCUMENTS):
            doc = document_from_properties(row["p"])
            data.documents[doc.id] = doc
        for row in self._run(READ_ENTITIES):
            entity = entity_from_properties(row["p"])
            data.entities[entity.id] = entity
        for row in self._run(READ_DEALS):
            deal = deal_from_properties(row["p"])
            data.deals[deal.id] = deal
        if not claims:
            return data
        for row in self._run(READ_CLAIMS):
            claim = claim_from_properties(row["s"], row["o"], row["p"])
            data.claims[claim.id] = claim
        data.claims = dict(sorted(data.claims.items()))
        return data

    def entity(self, entity_id: str) -> Entity | None:
        rows = self._run(READ_ENTITY, id=entity_id)
        return entity_from_properties(rows[0]["p"]) if rows else None

    def find_entities(self, text: str, limit: int = 50) -> list[Entity]:
        rows = self._run(FIND_ENTITIES, text=" ".join(text.casefold().split()), limit=limit)
        return [entity_from_properties(r["p"]) for r in rows]

    def claims_of(self, entity_id: str) -> list[Claim]:
        from coopgraph.graph.sqlite_store import claim_sort_key

        claims = {}
        for row in self._run(CLAIMS_OF, id=entity_id):
            claim = claim_from_properties(row["s"], row["o"], row["p"])
            if entity_id in (claim.subject, claim.object):
                claims[claim.id] = claim
        return sorted(claims.values(), key=claim_sort_key)

    def counts(self) -> dict[str, int]:
        claims = self._run(COUNT_CLAIMS)[0]
        return {"documents": self._run(COUNT_DOCUMENTS)[0]["n"], "entities": self._run(COUNT_ENTITIES)[0]["n"],
                "claims": claims["n"], "citations": int(claims["c"] or 0), "deals": self._run(COUNT_DEALS)[0]["n"]}


def bolt_store_from_env(uri: str | None = None, **kwargs: Any) -> BoltStore:
    """A :class:`BoltStore` for ``uri`` (default ``$NEO4J_URI``) with ``$NEO4J_USER``/``$NEO4J_PASSWORD``."""
    return BoltStore(uri or os.environ.get("NEO4J_URI", "bolt://localhost:7687"), user=os.environ.get("NEO4J_USER", "neo4j"),
                     password=os.environ.get("NEO4J_PASSWORD"), database=os.environ.get("NEO4J_DATABASE"), **kwargs)


