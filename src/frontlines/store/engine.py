"""Database connections: where the store lives, SQLite set up for WAL and one writer, clear errors."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from ..errors import FrontlinesError

DEFAULT_DB = "frontlines.db"
DB_ENV = "FRONTLINES_DB"
SQLITE_HEADER = b"SQLite format 3\x00"
# A writer waits this long for another writer's transaction before giving up.
BUSY_TIMEOUT_S = 60.0


class StoreError(FrontlinesError):
    """The database itself failed (missing, foreign, corrupt, locked): not one document's fault."""


def database_url(db: str | os.PathLike | None) -> tuple[str, Path | None]:
    """The SQLAlchemy URL of `db` (None: $FRONTLINES_DB or ./frontlines.db) and, for an
    SQLite file, its path."""
    if db is None:
        db = os.environ.get(DB_ENV) or DEFAULT_DB
    text = str(db)
    if "://" not in text:
        path = Path(text).expanduser()
        return f"sqlite:///{path}", path
    url = sa.engine.make_url(text)
    if url.get_backend_name() == "sqlite":
        return text, Path(url.database) if url.database and url.database != ":memory:" else None
    return text, None


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
    transactions begun by us, IMMEDIATE for writes so that one writer at a time merges."""
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection, _record) -> None:
    # pysqlite's own implicit transactions start late (at the first write); we issue BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL loses no committed transaction when the process dies, only on power loss.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


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
    """A consistent snapshot to read from, which never waits for a writer (WAL)."""
    with engine.connect() as conn, conn.begin():
        yield conn
