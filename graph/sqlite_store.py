"""The embedded store: one SQLite file, written all or nothing.

SQLite (standard library) keeps documents, entities, claims and citations in
plain tables a user can inspect with ``sqlite3``. A load that adds to the store
runs in one transaction; a ``replace`` builds a new file beside the old one and
renames it over, so a failed or killed load leaves the previous store as it was.

A store file carries a marker of its own (``PRAGMA application_id`` =
:data:`APPLICATION_ID`, ``user_version`` = the layout, and the ``meta`` row
``schema_version``): any other file given as the store is refused and left
untouched, and a damaged store is reported with how to rebuild it, never
replaced silently. Every write holds the store's lock (a ``flock`` on
``.<name>.lock`` beside it), so writers, first builds included, take turns;
readers never wait for it and see the store before or after a write, never
half of one. Temporary files of writes that were killed are swept by the
next write. docs/reliability.md lists these promises and the tests behind them.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sqlite3
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from coopgraph.graph.bulk import add_multi_edges, paused_gc
from coopgraph.graph.errors import DamagedStoreError, NotAStoreError, StoreBusyError, StoreError, describe_fault
from coopgraph.graph.model import Citation, Claim, Dataset, Deal, Document, Entity, Value
from coopgraph.graph.store import Store
from coopgraph.graph.tempfiles import SWEEP_AGE, remove_unheld

if TYPE_CHECKING:
    import networkx as nx

SCHEMA_VERSION = "3"
#: ``PRAGMA application_id`` of every coopgraph store: the bytes ``cgph``
APPLICATION_ID = 0x63677068
#: seconds a writer waits for another process's write lock ($COOPGRAPH_LOCK_TIMEOUT overrides)
LOCK_TIMEOUT = 600.0
#: seconds a connection waits for SQLite's own file lock (a reader finishing while a writer commits)
BUSY_TIMEOUT = 120.0
#: a temporary build file no process holds is swept once it is this many seconds old
_TEMP_PREFIX, _TEMP_SUFFIX = ".coopgraph-", ".sqlite.tmp"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_STORE_TABLES = {"meta", "documents", "entities", "claims", "citations"}
#: called with the store path when a writer has to wait for another process's lock (the CLI says so)
on_lock_wait: Callable[[Path], None] | None = None
# Each table's columns and keys; the layout is the same whether a store is written new or migrated.
#
# The foreign keys are declared for the tools that read the file (Datasette links a claim to its entities,
# docs/sqlite.md); coopgraph validates before it writes and leaves PRAGMA foreign_keys off, so the order of a
# bulk insert does not matter. A claim's deal is NULL for an implied deal; every named deal has its row.
#
# Layout 3: a table looked up by its key is stored in that key's order (WITHOUT ROWID), so the key is the
# table and no index repeats it. `citations` is keyed by what it guarantees unique (a claim cites a passage
# once) and starts with claim_id, so a claim's citations are one range of the table; layout 2 kept the same
# rows twice, in the table and in a unique index over all of its text. `names` is keyed by entity (what a
# write replaces); the name search reads every row in that order, so no index on `folded` is kept. `claims`
# keeps its rowid: it has two indexes besides the id's, which would otherwise each repeat the id. A key's
# columns come first (SQLite 3.40's integrity_check misreads a NOT NULL column declared between them).
_TABLE_DEFS = {
    "meta": "key TEXT PRIMARY KEY, value TEXT NOT NULL",
    "documents": """id TEXT PRIMARY KEY, title TEXT NOT NULL, date TEXT NOT NULL,
    author TEXT, publisher TEXT, url TEXT, kind TEXT""",
    "entities": """id TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL,
    aliases TEXT NOT NULL, country TEXT REFERENCES entities(id), description TEXT, wikidata TEXT,
    attributes TEXT NOT NULL""",
    "names": """entity_id TEXT NOT NULL REFERENCES entities(id), name TEXT NOT NULL, folded TEXT NOT NULL,
    PRIMARY KEY (entity_id, name)""",
    "claims": """id TEXT NOT NULL, subject TEXT NOT NULL REFERENCES entities(id), relation TEXT NOT NULL,
    object TEXT NOT NULL REFERENCES entities(id),
    date TEXT, start TEXT, "end" TEXT, circa INTEGER NOT NULL, status TEXT NOT NULL,
    confidence REAL NOT NULL, quantity INTEGER, unit TEXT,
    value_amount REAL, value_currency TEXT, value_estimate INTEGER,
    key TEXT, notes TEXT, attributes TEXT NOT NULL, deal TEXT REFERENCES deals(id)""",
    "deals": """id TEXT PRIMARY KEY, item TEXT NOT NULL REFERENCES entities(id), supplier TEXT REFERENCES entities(id),
    recipient TEXT REFERENCES entities(id), variant TEXT, name TEXT, notes TEXT""",
    "citations": """claim_id TEXT NOT NULL REFERENCES claims(id), document TEXT NOT NULL REFERENCES documents(id),
    locator TEXT NOT NULL, quote TEXT NOT NULL, seq INTEGER NOT NULL,
    PRIMARY KEY (claim_id, document, locator, quote)""",
}
#: the tables stored in the order of their primary key, which then needs no index of its own
_KEYED = {"documents", "entities", "names", "deals", "citations"}


def _create(name: str, table: str | None = None) -> str:
    """``CREATE TABLE`` for the table ``name`` of the layout, created as ``table`` (default: ``name``)."""
    return f"CREATE TABLE IF NOT EXISTS {table or name} ({_TABLE_DEFS[name]}){' WITHOUT ROWID' if name in _KEYED else ''}"


_TABLES = "".join(_create(name) + ";\n" for name in _TABLE_DEFS)
# Created after a bulk insert into a new file (building an index once is faster than keeping it up to date).
_INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS claims_id ON claims(id);
CREATE INDEX IF NOT EXISTS claims_subject ON claims(subject);
CREATE INDEX IF NOT EXISTS claims_object ON claims(object);
"""
_DDL = _TABLES + _INDEXES


def _rebuild(name: str, columns: str, order: str) -> list[str]:
    """Statements that rebuild the table ``name`` in the current layout, its rows kept (the steps SQLite's
    ALTER TABLE documentation gives); indexes of the old table go with it."""
    return [_create(name, f"{name}__new"),
            f"INSERT OR IGNORE INTO {name}__new ({columns}) SELECT {columns} FROM {name} ORDER BY {order}",
            f"DROP TABLE {name}",
            f"ALTER TABLE {name}__new RENAME TO {name}"]


#: what each older store layout lacks, and the statements that add it (run in one transaction)
_MIGRATIONS = {
    "1": ("stores before deals (transfers as one fact)",
          ['ALTER TABLE claims ADD COLUMN deal TEXT',
           "CREATE TABLE IF NOT EXISTS deals (id TEXT PRIMARY KEY, item TEXT NOT NULL, supplier TEXT, recipient TEXT, "
           "variant TEXT, name TEXT, notes TEXT)"]),
    "2": ("citations, names, entities, deals and documents stored in the order of their keys, "
          "without indexes that repeated them (a smaller file)",
          [*_rebuild("documents", "id, title, date, author, publisher, url, kind", "id"),
           *_rebuild("entities", "id, type, name, aliases, country, description, wikidata, attributes", "id"),
           *_rebuild("names", "entity_id, name, folded", "entity_id, name"),
           *_rebuild("deals", "id, item, supplier, recipient, variant, name, notes", "id"),
           *_rebuild("citations", "claim_id, seq, document, locator, quote", "claim_id, document, locator, quote")]),
}
#: older layouts this coopgraph reads as they are: a store of one of them is migrated when it is opened, or,
#: when it cannot be (a read-only file or disk, a full disk), read as it is
_READ_AS_IS = {"2"}
#: layouts whose migration rebuilds tables: the file is compacted afterwards, to give the freed pages back
_COMPACT_AFTER = {"2"}


def fold(text: str) -> str:
    """Case- and space-insensitive form of a name, for look-ups.

    >>> fold("  Su-27  Flanker ")
    'su-27 flanker'
    """
    return " ".join(text.casefold().split())


def _rebuild_hint(path: Path) -> str:
    return (f"rebuild it with 'coopgraph load --replace --store {path} [YOUR FILES]' (the bundled data plus your files; "
            f"copy the damaged file first if you want to try 'sqlite3 {path} .recover')")


def probe(path: str | os.PathLike) -> str:
    """What the file at ``path`` is, read from its header without opening it for writing.

    Returns ``"missing"`` (no file, or an empty one: nothing there to lose), ``"store"``
    (a file with coopgraph's marker) or ``"unmarked"`` (a coopgraph store written before
    the marker: ``meta.schema_version`` and the store's tables, no application id).

    Raises
    ------
    NotAStoreError
        Any other file: another program's SQLite database, or no SQLite database at all.
        The file is not modified.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> probe(folder / "none.sqlite")
    'missing'
    >>> (folder / "notes.txt").write_text("my notes")
    8
    >>> probe(folder / "notes.txt")
    Traceback (most recent call last):
    ...
    coopgraph.graph.errors.NotAStoreError: ...notes.txt is not a coopgraph store (not an SQLite database); it was left untouched...
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        raise NotAStoreError(f"{path} is a folder, not a coopgraph store; give a file name") from None
    except OSError as exc:
        raise StoreError(f"cannot read the store {path}: {describe_fault(exc)}") from None
    if not header:
        return "missing"
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise NotAStoreError(
            f"{path} is not a coopgraph store (not an SQLite database); it was left untouched. "
            "Pick another --store path; if it was a coopgraph store it is damaged beyond reading: "
            f"move it aside and run 'coopgraph load --replace --store {path} [YOUR FILES]'")
    app_id = int.from_bytes(header[68:72], "big")
    if app_id == APPLICATION_ID:
        return "store"
    if app_id != 0:
        raise NotAStoreError(f"{path} is another program's SQLite database (application id 0x{app_id:08x}), "
                             "not a coopgraph store; it was left untouched. Pick another --store path")
    # no marker: a store written before it had one, or another program's database
    try:
        with contextlib.closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True,
                                                timeout=BUSY_TIMEOUT)) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = (conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                       if _STORE_TABLES <= tables else None)
    except sqlite3.DatabaseError as exc:
        raise NotAStoreError(f"{path} cannot be read as a coopgraph store ({exc}); it was left untouched. "
                             "If it is another program's database, pick another --store path; if it was a "
                             f"coopgraph store, {_rebuild_hint(path)}") from None
    if version is None:
        raise NotAStoreError(f"{path} is an SQLite database of another program (no coopgraph marker or tables), "
                             "not a coopgraph store; it was left untouched. Pick another --store path")
    return "unmarked"


def _store_error(exc: BaseException, path: Path, doing: str) -> StoreError:
    """The one-line error for a SQLite or OS failure on the store at ``path``."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if code is not None else None
    if primary == sqlite3.SQLITE_BUSY:
        return StoreBusyError(f"cannot {doing} {path}: another process kept it busy for {BUSY_TIMEOUT:.0f} s; "
                              "run the command again when it is done")
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or (
            primary == sqlite3.SQLITE_ERROR and isinstance(exc, sqlite3.OperationalError)
            and ("no such" in str(exc) or "malformed" in str(exc))):
        return DamagedStoreError(f"{path} is a damaged coopgraph store ({exc}); it was left as it is; {_rebuild_hint(path)}")
    written = "; nothing was written and the store is as it was" if doing.startswith("write") else ""
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_AUTH):
        # SQLite says "readonly" or "unable to open" for a read-only file system and for permissions alike
        cause = _why_not_writable(path)
        if cause is not None:
            return StoreError(f"cannot {doing} {path}: {describe_fault(OSError(cause[0], str(exc), cause[1]))}{written}")
    return StoreError(f"cannot {doing} {path}: {describe_fault(exc)}{written}")


def _why_not_writable(path: Path) -> tuple[int, str] | None:
    """``(errno, file)`` saying why ``path`` cannot be written, when the file system tells."""
    import errno

    folder = path.parent
    with contextlib.suppress(OSError):
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return errno.EROFS, str(folder)
    if path.exists() and not os.access(path, os.W_OK):
        return errno.EACCES, str(path)
    if not os.access(folder, os.W_OK | os.X_OK):
        return errno.EACCES, str(folder)
    return None


def _writable(path: Path) -> bool:
    """Whether this process may write the store at ``path`` (the file, and the lock file beside it)."""
    if _why_not_writable(path) is not None:
        return False
    with contextlib.suppress(OSError):
        if not path.stat().st_mode & 0o222:  # root passes access() on a read-only file
            return False
    return True


def _compact(path: Path) -> None:
    """Give the pages a migration freed back to the file system (``VACUUM``), under the caller's write lock.

    Best effort: when it fails (a full disk, say) the store stays as the migration
    left it, complete and only larger.
    """
    with contextlib.suppress(sqlite3.Error), contextlib.closing(
            sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT)) as conn:
        conn.execute("VACUUM")


_HELD: dict[tuple[int, str], list] = {}  # (thread, lock file) -> [descriptor, depth]


def lock_path(path: Path) -> Path:
    """The lock file of the store at ``path``: ``.<name>.lock`` beside it, there while a write holds it."""
    return path.parent / f".{path.name}.lock"


@contextlib.contextmanager
def write_lock(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the store's write lock (re-entrant within a thread); wait up to ``timeout`` seconds for it.

    The lock is an exclusive ``flock`` on :func:`lock_path`. The system drops it when
    its holder ends, however it ends (``kill -9`` included), so a killed writer never
    leaves the store locked. The holder removes the file when it is done (a lock file
    left by a killed writer is simply locked and removed by the next one); a waiter
    that got the lock of a file removed meanwhile tries again with the new one.
    """
    target = lock_path(Path(path))
    key = (threading.get_ident(), str(target.resolve() if target.parent.exists() else target))
    held = _HELD.get(key)
    if held is not None:
        held[1] += 1
        try:
            yield
        finally:
            held[1] -= 1
        return
    if timeout is None:
        timeout = float(os.environ.get("COOPGRAPH_LOCK_TIMEOUT", LOCK_TIMEOUT))
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o644)  # the folder is the caller's to make (or not)
        except OSError as exc:
            raise StoreError(f"cannot write the store {path}: {describe_fault(exc)}; nothing was written") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise StoreBusyError(f"another coopgraph process has been writing {path} for over {timeout:.0f} s "
                                     f"(it holds {target}); run the command again when it is done, or raise "
                                     "$COOPGRAPH_LOCK_TIMEOUT") from None
            if not told and on_lock_wait is not None:
                on_lock_wait(Path(path))
                told = True
            time.sleep(0.05)
            continue
        try:
            current = os.stat(target).st_ino
        except FileNotFoundError:
            current = None
        if current == os.fstat(fd).st_ino:
            break
        os.close(fd)  # the holder before removed this file as it finished: lock the new one
    _HELD[key] = [fd, 1]
    try:
        yield
    finally:
        del _HELD[key]
        with contextlib.suppress(OSError):
            target.unlink()  # while still holding it: a waiter on this file notices and retries
        os.close(fd)


def sweep_temp_files(folder: Path) -> list[Path]:
    """Remove the temporary build files in ``folder`` that no process holds (left by killed writes).

    A writer holds a ``flock`` on its temporary file for as long as it builds it; a
    file that is free and more than :data:`SWEEP_AGE` seconds old belongs to nobody.
    Returns the files removed.
    """
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith(_TEMP_PREFIX) and p.name.endswith(_TEMP_SUFFIX)]
    except OSError:
        return []
    return remove_unheld(candidates, SWEEP_AGE)


class SQLiteStore(Store):
    """The embedded, single-file store.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coopgraph.graph.model import Dataset, Entity
    >>> store = SQLiteStore(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite")
    >>> store.write(Dataset(entities={"state:x": Entity("state:x", "state", "Xland")}))["entities"]
    1
    >>> [e.id for e in store.find_entities("xla")]
    ['state:x']
    """

    backend = "embedded"
    reads_parts = True

    def __init__(self, path: Path):
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        #: set when opening the store migrated it from an older layout: what was done, for the user
        self.migrated: str | None = None

    # -- connection -------------------------------------------------------------
    def exists(self) -> bool:
        """True when the file holds a coopgraph store; False when there is no file (or an empty one).

        Raises :class:`NotAStoreError` for any other file and :class:`DamagedStoreError`
        for a store that cannot be read; neither file is modified.
        """
        if probe(self.path) == "missing":
            return False
        rows = self._query("SELECT value FROM meta WHERE key = 'schema_version'")
        if not rows:
            raise DamagedStoreError(f"{self.path} is a damaged coopgraph store (its meta row is missing); "
                                    f"it was left as it is; {_rebuild_hint(self.path)}")
        return True

    def writing(self) -> contextlib.AbstractContextManager:
        """Hold this store's write lock (see :func:`write_lock`); re-entrant.

        A file that is not a coopgraph store is refused first, before anything
        (the lock file included) is created beside it.
        """
        probe(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)  # as writing the store would
        except OSError as exc:
            raise StoreError(f"cannot write the store {self.path}: {describe_fault(exc)}; nothing was written") from None
        return write_lock(self.path)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            if probe(self.path) == "missing":
                return _empty_connection()
            try:
                self._migrate()
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT)
                conn.execute("PRAGMA query_only = ON")
                self._conn = conn
            except sqlite3.Error as exc:
                raise _store_error(exc, self.path, "open the store") from None
        return self._conn

    def _migrate(self) -> None:
        """Bring a store written by an older coopgraph up to :data:`SCHEMA_VERSION`, in one transaction.

        Nothing is lost: the new columns and tables start empty, claims written
        before deals existed keep their ids and pair as implied deals
        (:mod:`coopgraph.graph.deals`), and tables rebuilt in a new layout keep
        every row. A migration that rebuilt tables then compacts the file.

        A store of a layout this coopgraph reads as it is (:data:`_READ_AS_IS`) is
        read without being migrated when it cannot be written (a read-only file or
        disk) or when its migration fails (a full disk): it is left as it was, and
        the next open tries again.
        """
        version = self._layout()
        if version is None or version == SCHEMA_VERSION:
            return
        if version not in _READ_AS_IS:
            self._run_migrations(version)
        elif _writable(self.path):
            with contextlib.suppress(sqlite3.Error, StoreError):
                self._run_migrations(version)

    def _run_migrations(self, version: str) -> None:
        done = []
        with self.writing():
            with _write_transaction(self.path) as conn:
                current = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
                if current == SCHEMA_VERSION:
                    return  # another process migrated it while this one waited for the lock
                while current in _MIGRATIONS:
                    what, statements = _MIGRATIONS[current]
                    for statement in statements:
                        conn.execute(statement)
                    following = str(int(current) + 1)
                    done.append((current, following, what))
                    current = following
                if current != SCHEMA_VERSION:
                    raise StoreError(f"{self.path} was written by a newer coopgraph (store layout {version}); "
                                     "upgrade coopgraph, or rebuild the store with 'coopgraph load --replace'")
                conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))
                _stamp(conn)
            if any(step in _COMPACT_AFTER for step, _, _ in done):
                _compact(self.path)
        steps = (done[0][2] if len(done) == 1
                 else "; ".join(f"layout {old} to {new}: {what}" for old, new, what in done))
        self.migrated = (f"migrated store {self.path} from layout {version} to {SCHEMA_VERSION} ({steps}); "
                         "its claims are unchanged. Its bundled data is the older release's: "
                         "'coopgraph load --replace [FILES]' rebuilds it with the current bundled data plus your files")

    def _layout(self) -> str | None:
        """The store's layout version (``meta.schema_version``), read without writing."""
        try:
            with contextlib.closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT)) as conn:
                conn.execute("PRAGMA query_only = ON")
                row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path, "open the store") from None
        if row is None:
            raise DamagedStoreError(f"{self.path} is a damaged coopgraph store (its meta row is missing); "
                                    f"it was left as it is; {_rebuild_hint(self.path)}")
        return row[0]

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._graph_cache = None

    def _query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        try:
            return self._connection().execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path, "read the store") from None

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Run several reads in one read transaction, so that they all see the same store."""
        conn = self._connection()
        if conn.in_transaction:
            yield
            return
        try:
            conn.execute("BEGIN")
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path, "read the store") from None
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("COMMIT")

    # -- writing ---------------------------------------------------------------
    def write(self, dataset: Dataset, *, replace: bool = False) -> dict[str, int]:
        """Write ``dataset``; all of it or, on any error, none of it.

        Holds the store's write lock. A file that is not a coopgraph store is never
        written, even with ``replace``; a damaged store only with ``replace`` (which
        rebuilds it).
        """
        self.close()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot write the store {self.path}: {describe_fault(exc)}; nothing was written") from None
        with self.writing():
            sweep_temp_files(self.path.parent)
            state = probe(self.path)
            if state != "missing" and replace and (not os.access(self.path, os.W_OK)
                                                   or not self.path.stat().st_mode & 0o222):  # root passes access()
                raise StoreError(f"cannot write the store {self.path}: the file is read-only (permission denied); "
                                 "nothing was written. Make it writable (chmod u+w) or use another --store path")
            with paused_gc():
                if replace or not self.exists():
                    self.close()
                    self._write_new_file(dataset)
                else:
                    self.close()
                    self._add_in_transaction(dataset)
            return self.counts()

    def _write_new_file(self, dataset: Dataset) -> None:
        """Build the store in a temporary file, copy it into a second one, and rename that over the store.

        The copy (``VACUUM INTO``) fills every page: a table stored in key order
        (``citations``) that grows row by row, even in key order, keeps about a
        tenth of each page empty (SQLite balances its pages as they split), and
        a copy writes each table and index whole. At 100k claims the file is 6%
        smaller for about a tenth of a second.
        """
        temps: list[tuple[int, Path]] = []
        try:
            build = self._temp_file(temps)
            conn = sqlite3.connect(build)
            try:
                conn.execute("PRAGMA journal_mode = OFF")
                conn.execute("PRAGMA synchronous = OFF")
                _stamp(conn)
                conn.executescript(_TABLES)
                with conn:
                    _insert(conn, dataset, fresh=True)
                    conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
                conn.executescript(_INDEXES)
                conn.commit()
                packed = self._temp_file(temps)
                conn.execute("VACUUM INTO ?", (str(packed),))
            finally:
                conn.close()
            os.fsync(temps[-1][0])
            os.replace(packed, self.path)
            _fsync_folder(self.path.parent)
        except BaseException as exc:
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise _store_error(exc, self.path, "write the store") from None
            raise
        finally:
            for handle, tmp in temps:
                tmp.unlink(missing_ok=True)  # the build file, and the packed one unless it was renamed
                os.close(handle)

    def _temp_file(self, temps: list[tuple[int, Path]]) -> Path:
        """A new empty temporary file beside the store, locked by this process until it is closed.

        The lock is held until the file is renamed or removed: a sweep by another
        writer leaves a file in use alone.
        """
        handle, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX, dir=self.path.parent)
        temps.append((handle, Path(name)))
        fcntl.flock(handle, fcntl.LOCK_EX)
        return Path(name)

    def _add_in_transaction(self, dataset: Dataset) -> None:
        try:
            with _write_transaction(self.path) as conn:
                _stamp(conn)
                _insert(conn, dataset)
        except (sqlite3.Error, OSError) as exc:
            raise _store_error(exc, self.path, "write the store") from None

    # -- reading ---------------------------------------------------------------
    def dataset(self, claims: bool = True) -> Dataset:
        with paused_gc(), self._snapshot():
            return self._read_dataset(claims)

    def _read_dataset(self, claims: bool) -> Dataset:
        data = Dataset()
        for row in self._query("SELECT id, title, date, author, publisher, url, kind FROM documents ORDER BY id"):
            data.documents[row[0]] = Document(*row)
        for row in self._query(_ENTITY_SELECT + " ORDER BY id"):
            entity = _entity(row)
            data.entities[entity.id] = entity
        data.deals = self._deals()
        if not claims:
            return data
        citations = self._citations_by_claim(None)
        for row in self._query(_CLAIM_SELECT + " ORDER BY id"):
            claim = _claim(row, citations.get(row[0], ()))
            data.claims[row[0]] = claim
        return data

    def deal_records(self, deal_ids: Iterable[str]) -> dict[str, Deal]:
        ids = sorted(set(deal_ids))
        if not ids:
            return {}
        rows = self._query(_DEAL_SELECT + f" WHERE id IN ({','.join('?' * len(ids))})", ids)
        return {row[0]: Deal(*row) for row in rows}

    def _deals(self) -> dict[str, Deal]:
        return {row[0]: Deal(*row) for row in self._query(_DEAL_SELECT + " ORDER BY id")}

    def graph(self) -> "nx.MultiDiGraph":
        """The compute graph, built straight from the tables (no intermediate objects).

        Gives the same graph as ``build_graph(self.dataset())`` in a fraction of the time,
        which is what every graph report waits for at start-up.
        """
        cached = getattr(self, "_graph_cache", None)
        if cached is not None:
            return cached
        with paused_gc(), self._snapshot():
            self._graph_cache = self._build_graph()
        return self._graph_cache

    def _build_graph(self) -> "nx.MultiDiGraph":
        import networkx as nx

        from coopgraph.graph.deals import attach_deals
        from coopgraph.graph.schema import load_schema

        schema = load_schema()
        flows = {name: rel.flow for name, rel in schema.relation_types.items()}
        graph = nx.MultiDiGraph()
        graph.graph["documents"] = {row[0]: dict(zip(("id", "title", "date", "author", "publisher", "url", "kind"), row))
                                    for row in self._query("SELECT id, title, date, author, publisher, url, kind FROM documents ORDER BY id")}
        graph.add_nodes_from(map(_graph_node, self._query(_ENTITY_SELECT + " ORDER BY id")))
        citations: dict[str, list] = {}
        for claim, document, locator, quote in self._query(
                "SELECT claim_id, document, locator, quote FROM citations ORDER BY claim_id, seq"):
            citations.setdefault(claim, []).append({"document": document, "locator": locator, "quote": quote})
        add_multi_edges(graph, (_graph_edge(row, flows, citations) for row in self._query(_CLAIM_SELECT + " ORDER BY id")))
        attach_deals(graph, schema.deal_relations, self._deals())
        return graph

    # -- one entity's part of the graph (reports that need no more than it) ------------------
    def node_named(self, text: str) -> str | None:
        """The id ``text`` names when the store's name look-up settles it: an exact id, or the one
        entity whose name, alias, id or id without its type (``su-27``) is ``text`` but for case
        and spaces; ``None`` when it takes more (no exact match, or several).

        It answers as :func:`coopgraph.queries.selectors.resolve_node` does on the whole graph
        whenever it answers: the names table holds every name, alias and id folded, and the
        id's tail is read off the ``entities`` table, both with SQLite scanning, not Python.
        What it leaves (``None``) is for :meth:`name_graph` and ``resolve_node``.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from coopgraph.loaders import open_or_build
        >>> store = open_or_build(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite")
        >>> store.node_named("su-27"), store.node_named("SU-27"), store.node_named("Su27")
        ('system:su-27', 'system:su-27', None)
        """
        if self.entity(text) is not None:
            return text
        wanted = fold(text)
        if not wanted:
            return None
        with self._snapshot():
            found = {eid for (eid,) in self._query("SELECT DISTINCT entity_id FROM names WHERE folded = ?", (wanted,))}
            # the id's tail (the part after "type:"): LIKE is case-blind for ASCII, and fold() checks each hit;
            # ids are ASCII slugs (loaders.validate), but one that is not (non-ASCII, or with spaces) is checked too
            like = "%" + wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            found |= {eid for (eid,) in self._query(
                "SELECT id FROM entities WHERE substr(id, instr(id, ':') + 1) LIKE ? ESCAPE '\\' "
                "OR length(id) != length(CAST(id AS BLOB)) OR instr(id, ' ')", (like,))
                if fold(eid.split(":", 1)[-1]) == wanted}
        return next(iter(found)) if len(found) == 1 else None

    def name_graph(self) -> "nx.MultiDiGraph":
        """Every entity as a node with its ``name`` and ``aliases``, and no claims: what
        :func:`~coopgraph.queries.selectors.resolve_node` reads to resolve a name (and to say
        which names are close when none matches), at a fraction of the cost of :meth:`graph`."""
        import networkx as nx

        graph = nx.MultiDiGraph()
        graph.add_nodes_from((eid, {"name": name, "aliases": _loads(aliases)})
                             for eid, name, aliases in self._query("SELECT id, name, aliases FROM entities ORDER BY id"))
        return graph

    def entity_graph(self, entity_ids: Iterable[str], relations: Iterable[str] | None = None,
                     depth: int = 0) -> "nx.MultiDiGraph":
        """The part of :meth:`graph` around ``entity_ids``, read through the claims' subject and object indexes.

        The claims (of ``relations``, or all) that the entities take part in, then, ``depth``
        times over, those that the entities at their other ends take part in: a breadth-first
        walk, one query a level. Nodes are the entities and every endpoint reached. Nodes,
        edges and their attributes are those of :meth:`graph` (citations, and the ``deal``,
        ``deal_role`` and ``item`` that :func:`~coopgraph.graph.deals.attach_deals` gives),
        and ``graph.graph["documents"]`` holds every document. The deals' summaries
        (``graph.graph["deals"]``) are left out: each needs every claim of its deal.

        A report that reads no further than that from the entities (the lineage of one
        entity to ``depth + 1`` levels; the timeline of one entity with ``depth=0``)
        answers on it as on the whole graph. Ids that name no entity are left out.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from coopgraph.loaders import open_or_build
        >>> store = open_or_build(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite")
        >>> part = store.entity_graph(["system:j-11"], ["copy_of", "derived_from", "licensed_to"])
        >>> sorted(part.nodes)
        ['system:j-11', 'system:su-27', 'system:su-30']
        >>> sorted({data["type"] for _, _, data in part.edges(data=True)})
        ['copy_of', 'derived_from']
        """
        with paused_gc(), self._snapshot():
            return self._entity_graph(list(dict.fromkeys(entity_ids)), None if relations is None else sorted(set(relations)),
                                      depth)

    def _entity_graph(self, entity_ids: list[str], relations: list[str] | None, depth: int) -> "nx.MultiDiGraph":
        import networkx as nx

        from coopgraph.graph.deals import deal_item, implied_deal_id
        from coopgraph.graph.schema import load_schema

        schema = load_schema()
        flows = {name: rel.flow for name, rel in schema.relation_types.items()}
        # one statement a level: the ids go in as one JSON parameter, which any number of them fits
        where = ("(subject IN (SELECT value FROM json_each(?1)) OR object IN (SELECT value FROM json_each(?1)))"
                 + ("" if relations is None else " AND relation IN (SELECT value FROM json_each(?2))"))
        params: tuple = () if relations is None else (json.dumps(relations),)
        rows: dict[str, tuple] = {}
        nodes = dict.fromkeys(entity_ids)
        frontier = list(entity_ids)
        for _level in range(depth + 1):
            if not frontier:
                break
            reached: dict[str, None] = {}
            for row in self._query(_CLAIM_SELECT + " WHERE " + where, (json.dumps(frontier), *params)):
                if row[0] in rows:
                    continue
                rows[row[0]] = row
                for end in (row[1], row[3]):
                    if end not in nodes:
                        reached[end] = None
            nodes.update(reached)
            frontier = list(reached)
        graph = nx.MultiDiGraph()
        graph.graph["documents"] = {row[0]: dict(zip(("id", "title", "date", "author", "publisher", "url", "kind"), row))
                                    for row in self._query("SELECT id, title, date, author, publisher, url, kind FROM documents ORDER BY id")}
        graph.add_nodes_from(map(_graph_node, self._query(
            _ENTITY_SELECT + " WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", (json.dumps(list(nodes)),))))
        claim_ids = sorted(rows)
        citations: dict[str, list] = {}
        if claim_ids:
            for claim, document, locator, quote in self._query(
                    "SELECT claim_id, document, locator, quote FROM citations "
                    "WHERE claim_id IN (SELECT value FROM json_each(?)) ORDER BY claim_id, seq", (json.dumps(claim_ids),)):
                citations.setdefault(claim, []).append({"document": document, "locator": locator, "quote": quote})
        add_multi_edges(graph, (_graph_edge(rows[cid], flows, citations) for cid in claim_ids))
        # each deal claim's deal, role and item, as attach_deals gives them; not the deals' summaries
        # (graph.graph["deals"]): a summary needs every claim of its deal, which this part may not hold
        roles = schema.deal_relations
        for u, v, data in graph.edges(data=True):
            role = roles.get(data["type"])
            if role is None:
                continue
            item = deal_item(role, u, v)
            data["deal"] = data["deal"] or implied_deal_id(item, data["date"], data["start"], data["end"], data["quantity"],
                                                           data["claim_key"], data["citations"])
            data["deal_role"] = role
            data["item"] = item
        return graph

    def claim_counts(self, entity_ids: Iterable[str]) -> dict[str, int]:
        """How many claims each entity takes part in, a claim about itself counted twice (the degree
        of its node in :meth:`graph`), counted on the claims' subject and object indexes.

        >>> import tempfile, pathlib
        >>> from coopgraph.loaders import open_or_build
        >>> store = open_or_build(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite")
        >>> store.claim_counts(["system:su-35"]) == {"system:su-35": store.graph().degree("system:su-35")}
        True
        """
        ids = json.dumps(list(dict.fromkeys(entity_ids)))
        counts = dict.fromkeys(json.loads(ids), 0)
        with self._snapshot():
            for column in ("subject", "object"):
                for entity, n in self._query(f"SELECT {column}, count(*) FROM claims WHERE {column} IN "
                                             f"(SELECT value FROM json_each(?)) GROUP BY {column}", (ids,)):
                    counts[entity] += n
        return counts

    def summary(self) -> dict:
        """The same report as :func:`coopgraph.graph.summary.dataset_stats`, counted by SQLite."""
        with self._snapshot():
            return self._summary()

    def _summary(self) -> dict:
        q = self._query
        first = "CAST(substr(COALESCE(date, start, \"end\"), 1, 4) AS INTEGER)"
        last_text = "COALESCE(\"end\", date, start)"
        last = f"CAST(substr({last_text}, 1, 4) AS INTEGER) + CASE WHEN {last_text} LIKE '%s' THEN 9 ELSE 0 END"
        span = q(f"SELECT MIN({first}), MAX({last}), SUM(COALESCE(date, start, \"end\") IS NULL) FROM claims")[0]
        # distinct (claim, document) pairs come straight off the citations' key, in its order
        citing = dict(q("SELECT document, COUNT(*) FROM (SELECT DISTINCT claim_id, document FROM citations) GROUP BY document"))
        return {
            "totals": {"documents": q("SELECT COUNT(*) FROM documents")[0][0], "entities": q("SELECT COUNT(*) FROM entities")[0][0],
                       "claims": q("SELECT COUNT(*) FROM claims")[0][0], "citations": q("SELECT COUNT(*) FROM citations")[0][0]},
            "entity_types": dict(q("SELECT type, COUNT(*) FROM entities GROUP BY type ORDER BY type")),
            "relation_types": dict(q("SELECT relation, COUNT(*) FROM claims GROUP BY relation ORDER BY relation")),
            "documents": {doc: citing.get(doc, 0) for (doc,) in q("SELECT id FROM documents ORDER BY id")},
            "years": {"first": span[0], "last": span[1], "undated_claims": span[2] or 0},
        }

    def entity(self, entity_id: str) -> Entity | None:
        rows = self._query(_ENTITY_SELECT + " WHERE id = ?", (entity_id,))
        return _entity(rows[0]) if rows else None

    def entities(self, entity_ids: Iterable[str]) -> dict[str, Entity]:
        # one statement for them all (a hub names thousands), the ids as one JSON parameter: no limit on how many
        wanted = list(dict.fromkeys(entity_ids))
        if not wanted:
            return {}
        rows = self._query(_ENTITY_SELECT + " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(wanted),))
        found = {row[0]: _entity(row) for row in rows}
        return {entity_id: found[entity_id] for entity_id in wanted if entity_id in found}

    def find_entities(self, text: str, limit: int = 50) -> list[Entity]:
        folded = fold(text)
        pattern = "%" + folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self._query(
            """SELECT entity_id, MIN(CASE WHEN folded = ? THEN 0 WHEN folded LIKE ? ESCAPE '\\' THEN 1 ELSE 2 END) AS rank
               FROM names WHERE folded LIKE ? ESCAPE '\\' OR entity_id = ?
               GROUP BY entity_id ORDER BY rank, entity_id LIMIT ?""",
            (folded, folded.replace("%", "") + "%", pattern, text, limit),
        )
        known = self.entities(eid for eid, _ in rows)
        return [known[eid] for eid, _ in rows if eid in known]

    def claims_of(self, entity_id: str) -> list[Claim]:
        rows = self._query(_CLAIM_SELECT + " WHERE subject = ? OR object = ?", (entity_id, entity_id))
        citations = self._citations_by_claim([row[0] for row in rows])
        claims = [_claim(row, citations.get(row[0], ())) for row in rows]
        return sorted(claims, key=claim_sort_key)

    def counts(self) -> dict[str, int]:
        tables = ("documents", "entities", "claims", "citations", "deals")
        if not self.exists():
            return dict.fromkeys(tables, 0)
        with self._snapshot():
            return {table: self._query(f"SELECT COUNT(*) FROM {table}")[0][0] for table in tables}

    def _citations_by_claim(self, claim_ids: list[str] | None) -> dict[str, tuple[Citation, ...]]:
        sql = "SELECT claim_id, document, locator, quote FROM citations"
        params: list = []
        if claim_ids is not None:
            if not claim_ids:
                return {}
            sql += f" WHERE claim_id IN ({','.join('?' * len(claim_ids))})"
            params = claim_ids
        grouped: dict[str, list[Citation]] = {}
        for claim, document, locator, quote in self._query(sql + " ORDER BY claim_id, seq", params):
            grouped.setdefault(claim, []).append(Citation(document, locator, quote))
        return {k: tuple(v) for k, v in grouped.items()}


    # -- merge decisions (record linkage) ----------------------------------------
    # Additive: a `merges` table created on first use, so older stores keep
    # working.  The plan (what to redirect, what to restore) is computed in
    # coopgraph.loaders.resolve_names; the store only applies it atomically.
    def merges(self) -> list[dict]:
        """The recorded merge decisions, oldest first: ``merged``, ``into``, ``decided``, ``note``, ``undo``."""
        if not self.exists() or not self._query("SELECT 1 FROM sqlite_master WHERE name = 'merges'"):
            return []
        rows = self._query("SELECT merged, into_id, decided, note, undo FROM merges ORDER BY decided, merged")
        return [{"merged": m, "into": i, "decided": d, "note": n, "undo": json.loads(u)} for m, i, d, n, u in rows]

    def apply_merge_change(self, upsert: Dataset, delete_claims: Iterable[str] = (), delete_entities: Iterable[str] = (),
                           *, record: dict | None = None, forget: str | None = None,
                           delete_deals: Iterable[str] = ()) -> dict[str, int]:
        """In one transaction: delete claims, entities and deals, write ``upsert`` (its claims' citations
        replaced, not added to; its deals replacing those with their ids), and record (``record``) or
        forget (``forget``) a merge decision."""
        self.close()
        with self.writing():
            if not self.exists():
                raise StoreError(f"{self.path} holds no coopgraph store")
            self.close()
            try:
                self._apply_merge_change(upsert, delete_claims, delete_entities, record, forget, delete_deals)
            except (sqlite3.Error, OSError) as exc:
                raise _store_error(exc, self.path, "write the store") from None
            return self.counts()

    def _apply_merge_change(self, upsert, delete_claims, delete_entities, record, forget, delete_deals) -> None:
        with _write_transaction(self.path) as conn:
            _stamp(conn)
            conn.execute(_MERGES_DDL)
            for cid in list(delete_claims) + list(upsert.claims):
                conn.execute("DELETE FROM citations WHERE claim_id = ?", (cid,))
            conn.executemany("DELETE FROM claims WHERE id = ?", ((cid,) for cid in delete_claims))
            for eid in delete_entities:
                conn.execute("DELETE FROM names WHERE entity_id = ?", (eid,))
                conn.execute("DELETE FROM entities WHERE id = ?", (eid,))
            conn.executemany("DELETE FROM deals WHERE id = ?", ((did,) for did in delete_deals))
            _insert(conn, upsert)
            if record is not None:
                conn.execute("INSERT OR REPLACE INTO merges VALUES (?, ?, ?, ?, ?)",
                             (record["merged"], record["into"], record["decided"], record.get("note"),
                              json.dumps(record["undo"], ensure_ascii=False, sort_keys=True)))
            if forget is not None:
                conn.execute("DELETE FROM merges WHERE merged = ?", (forget,))


_MERGES_DDL = """CREATE TABLE IF NOT EXISTS merges (
    merged TEXT PRIMARY KEY, into_id TEXT NOT NULL, decided TEXT NOT NULL, note TEXT, undo TEXT NOT NULL)"""


def claim_sort_key(claim: Claim) -> tuple:
    """Dated claims first, in date order; undated after; ties by id."""
    first = claim.first_date
    return (first is None, first.sort_key if first else (0, 0, 0), claim.id)


_ENTITY_SELECT = "SELECT id, type, name, aliases, country, description, wikidata, attributes FROM entities"
_CLAIM_SELECT = (
    'SELECT id, subject, relation, object, date, start, "end", circa, status, confidence, quantity, unit, '
    "value_amount, value_currency, value_estimate, key, notes, attributes, deal FROM claims"
)
_DEAL_SELECT = "SELECT id, item, supplier, recipient, variant, name, notes FROM deals"


def _graph_node(row: tuple) -> tuple[str, dict[str, Any]]:
    """An entity row (:data:`_ENTITY_SELECT`) as a node of the compute graph."""
    eid, etype, name, aliases, country, description, wikidata, attributes = row
    return eid, {"type": etype, "name": name, "aliases": _loads(aliases), "country": country, "description": description,
                 "wikidata": wikidata, "attributes": _loads(attributes)}


def _graph_edge(row: tuple, flows: dict[str, str], citations: dict[str, list]) -> tuple[str, str, str, dict[str, Any]]:
    """A claim row (:data:`_CLAIM_SELECT`) as an edge of the compute graph, with its citations."""
    (cid, subject, relation, obj, date, start, end, circa, status, confidence, quantity, unit,
     amount, currency, estimate, key, notes, attributes, deal) = row
    return subject, obj, cid, {
        "id": cid, "type": relation, "flow": flows.get(relation, "none"), "date": date, "start": start, "end": end,
        "circa": bool(circa), "status": status, "confidence": confidence, "quantity": quantity, "unit": unit,
        "value": None if amount is None else {"amount": amount, "currency": currency, "estimate": bool(estimate)},
        "citations": citations.get(cid, []), "notes": notes, "attributes": _loads(attributes), "claim_key": key,
        "deal": deal}


def _entity(row: tuple) -> Entity:
    eid, etype, name, aliases, country, description, wikidata, attributes = row
    return Entity(eid, etype, name, tuple(_loads(aliases)), country, description, wikidata, _loads(attributes))


def _claim(row: tuple, citations: tuple[Citation, ...]) -> Claim:
    (cid, subject, relation, obj, date, start, end, circa, status, confidence, quantity, unit,
     amount, currency, estimate, key, notes, attributes, deal) = row
    value = Value(amount, currency, bool(estimate)) if amount is not None else None
    return Claim(subject, relation, obj, date, start, end, bool(circa), status, confidence, quantity, unit,
                 value, key, citations, notes, _loads(attributes), deal)


def _insert(conn: sqlite3.Connection, dataset: Dataset, fresh: bool = False) -> None:
    """Write ``dataset``; ``fresh`` when the tables were empty (a new file), which allows plain inserts.

    Rows go in in the order of their keys: a table stored in key order then grows
    at its end instead of at random pages, and the claims' rowids follow their ids.
    """
    conn.executemany(
        "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((d.id, d.title, d.date, d.author, d.publisher, d.url, d.kind) for _, d in sorted(dataset.documents.items())),
    )
    entities = [e for _, e in sorted(dataset.entities.items())]
    conn.executemany(
        "INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ((e.id, e.type, e.name, _json(list(e.aliases)), e.country, e.description, e.wikidata, _json(e.attributes))
         for e in entities),
    )
    if entities and not fresh:
        conn.executemany("DELETE FROM names WHERE entity_id = ?", [(e.id,) for e in entities])
    if entities:
        conn.executemany(
            "INSERT INTO names VALUES (?, ?, ?)",
            ((e.id, name, fold(name)) for e in entities for name in dict.fromkeys(e.names + (e.id,))),
        )
    conn.executemany(
        "INSERT OR REPLACE INTO deals VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((d.id, d.item, d.supplier, d.recipient, d.variant, d.name, d.notes) for _, d in sorted(dataset.deals.items())),
    )
    claims = dataset.claims
    claim_ids = sorted(claims)
    conn.executemany(
        "INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((cid, c.subject, c.relation, c.object, c.date, c.start, c.end, int(c.circa), c.status, c.confidence,
          c.quantity, c.unit, c.value.amount if c.value else None, c.value.currency if c.value else None,
          int(c.value.estimate) if c.value else None, c.key, c.notes, _json(c.attributes), c.deal)
         for cid, c in ((cid, claims[cid]) for cid in claim_ids)),
    )
    if fresh:
        conn.executemany(
            "INSERT INTO citations (claim_id, seq, document, locator, quote) VALUES (?, ?, ?, ?, ?)",
            ((cid, seq, cit.document, cit.locator, cit.quote)
             for cid in claim_ids for seq, cit in enumerate(claims[cid].citations)))
        return
    # A restated claim keeps the citations it had and gains the new ones.
    conn.executemany(
        """INSERT OR IGNORE INTO citations (claim_id, seq, document, locator, quote)
           SELECT ?, COALESCE((SELECT MAX(seq) + 1 FROM citations WHERE claim_id = ?), 0), ?, ?, ?""",
        ((cid, cid, cit.document, cit.locator, cit.quote) for cid in claim_ids for cit in claims[cid].citations),
    )


def _loads(text: str) -> list | dict:
    # the reverse of _json, with the same shortcut: most of these columns hold "[]" or "{}"
    if text == "{}":
        return {}
    if text == "[]":
        return []
    return json.loads(text)


def _json(value: list | dict) -> str:
    # most entities have no aliases and most claims no attributes: skip the encoder for those
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@contextlib.contextmanager
def _write_transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """One immediate transaction on ``path``: committed if the block ends, rolled back on any error.

    The error that ended the block is the one raised: when SQLite has already rolled
    the transaction back itself (a full disk, an I/O error), no second ROLLBACK hides it.
    """
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()


def _stamp(conn: sqlite3.Connection) -> None:
    """Write coopgraph's marker into the file's header (inside the caller's transaction, if any)."""
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    if conn.execute("PRAGMA user_version").fetchone()[0] != int(SCHEMA_VERSION):
        conn.execute(f"PRAGMA user_version = {int(SCHEMA_VERSION)}")


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: not every file system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _empty_connection() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(_DDL)
    return conn
