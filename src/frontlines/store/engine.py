"""Database connections: where the store lives, SQLite (WAL, one writer) or PostgreSQL (many), locks."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from ..errors import StoreError

DEFAULT_DB = "frontlines.db"
DB_ENV = "FRONTLINES_DB"
SQLITE_HEADER = b"SQLite format 3\x00"
# A writer waits this long for another writer's transaction before giving up.
BUSY_TIMEOUT_S = 60.0
# SQLite accepts at most 32766 bound parameters; long lists of keys go in slices of this size.
CHUNK = 500
# PostgreSQL URLs without a driver name get psycopg 3 (SQLAlchemy would pick psycopg2).
POSTGRES_SCHEMES = frozenset({"postgres", "postgresql"})
POSTGRES_DRIVER = "postgresql+psycopg"
# SQLSTATEs of a transaction PostgreSQL aborted for clashing with another one: run it again.
RETRY_SQLSTATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected
# Namespaces of PostgreSQL's advisory locks (the first of their two keys).
LOCK_SCHEMA, LOCK_PLACE = 1, 2
# All of a transaction's locks in one statement, taken in the order of the (sorted) keys.
_ADVISORY_LOCKS = sa.text(
    "SELECT count(pg_advisory_xact_lock(:namespace, hashtext(key))) "
    "FROM unnest(CAST(:keys AS text[])) AS locked(key)")


def database_url(db: str | os.PathLike | None) -> tuple[str, Path | None]:
    """The SQLAlchemy URL of `db` (None: $FRONTLINES_DB or ./frontlines.db) and, for an
    SQLite file, its path."""
    if db is None:
        db = os.environ.get(DB_ENV) or DEFAULT_DB
    text = str(db)
    if "://" not in text:
        path = Path(text).expanduser()
        return f"sqlite:///{path}", path
    if text.startswith("postgres://"):  # the short scheme of Heroku and libpq
        text = "postgresql://" + text[len("postgres://"):]
    url = sa.engine.make_url(text)
    if url.get_backend_name() == "sqlite":
        return text, Path(url.database) if url.database and url.database != ":memory:" else None
    if url.drivername in POSTGRES_SCHEMES:
        url = url.set(drivername=POSTGRES_DRIVER)
    return url.render_as_string(hide_password=False), None


def check_sqlite_file(path: Path, *, create: bool) -> None:
    """Refuse early, with a message naming the file, what SQLite would fail on obscurely."""
    name = str(path)
    if path.is_dir():
        raise StoreError("is a directory, not a database file", name)
    if not path.exists():
        if not create:
            raise StoreError("no such database; run `frontlines ingest` first", name)
        if not path.parent.exists():
            raise StoreError(f"folder {path.parent} does not exist", name)
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as err:
        raise StoreError(f"cannot read the database: {err.strerror or err}", name) from None
    if header and header != SQLITE_HEADER:
        raise StoreError("not a frontlines database (not an SQLite file: foreign or corrupt)", name)


def make_engine(url: str) -> Engine:
    """An engine; for SQLite: WAL (readers never wait for the writer), foreign keys, and
    transactions begun by us, IMMEDIATE for writes so that one writer at a time merges.
    PostgreSQL writers run READ COMMITTED (each statement sees what others committed) and
    serialise where they meet through advisory locks (`advisory_locks`)."""
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True, isolation_level="READ COMMITTED")
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection, _record) -> None:
    # pysqlite's own implicit transactions start late (at the first write); we issue BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    _to_wal(cursor)
    # In WAL mode NORMAL loses no committed transaction when the process dies, only on power loss.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _to_wal(cursor, timeout: float = BUSY_TIMEOUT_S) -> None:
    """Put the database in WAL mode.  Two processes opening a new database at once may both
    hold its read lock and both want the write lock to switch the mode: SQLite then answers
    one of them "database is locked" at once, without waiting, to break the deadlock; that
    one tries again (the other has switched it by then)."""
    deadline = time.monotonic() + timeout
    delay = 0.01
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get("frontlines_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction that writes: all of it is stored, or (killed, failed) none of it."""
    with engine.connect() as conn:
        conn = conn.execution_options(frontlines_write=True)
        with conn.begin():
            yield conn


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A consistent snapshot to read from, which never waits for a writer (SQLite's WAL;
    PostgreSQL's REPEATABLE READ, in which a read-only transaction never fails)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ",
                                          postgresql_readonly=True)
        with conn.begin():
            yield conn


def advisory_locks(conn: Connection, namespace: int, keys: Iterable[str]) -> None:
    """Serialise PostgreSQL writers that touch the same keys, until the transaction ends.
    The locks are taken in sorted order, so two writers never deadlock; SQLite's BEGIN
    IMMEDIATE already admits one writer at a time."""
    if conn.dialect.name != "postgresql":
        return
    ordered = sorted(set(keys))
    if ordered:
        conn.execute(_ADVISORY_LOCKS, {"namespace": namespace, "keys": ordered})


def worth_retrying(err: DBAPIError) -> bool:
    """A write that clashed with a concurrent one (the same document or row stored first, a
    serialization failure, a deadlock): running the transaction again resolves it."""
    if isinstance(err, IntegrityError):
        return True
    return getattr(err.orig, "sqlstate", None) in RETRY_SQLSTATES
