"""The store: an embedded SQLite file by default, or a PostgreSQL database; opened with `open_store`."""

from __future__ import annotations

import os

from sqlalchemy.exc import DatabaseError, NoSuchModuleError, OperationalError

from ..errors import FrontlinesError
from . import schema
from .core import Store, store_name
from .engine import (
    DB_ENV,
    DEFAULT_DB,
    LOCK_SCHEMA,
    StoreError,
    advisory_locks,
    check_sqlite_file,
    database_url,
    make_engine,
    read_transaction,
    write_transaction,
)
from .schema import SCHEMA_VERSION

__all__ = ["DB_ENV", "DEFAULT_DB", "SCHEMA_VERSION", "Store", "StoreError", "open_store"]


def open_store(db: str | os.PathLike | None = None, *, create: bool = True) -> Store:
    """Open (and create or migrate) a store: None means $FRONTLINES_DB or ./frontlines.db; a
    path is an SQLite file; a URL is used as is ("sqlite:///...", or
    "postgresql://user@host/dbname" for a shared PostgreSQL database, through psycopg 3).
    A file that is not a frontlines database, or is damaged, raises FrontlinesError naming
    it.  With create=False a missing SQLite file is an error rather than a new empty store."""
    url, path = database_url(db)
    name = store_name(path, url)
    if path is not None:
        check_sqlite_file(path, create=create)
    try:
        engine = make_engine(url)
    except (ImportError, NoSuchModuleError) as err:  # no driver for the database installed
        raise StoreError(f"{err}; for PostgreSQL: pip install \"frontlines[postgres]\"", name) from None
    try:
        _prepare(engine)
    except FrontlinesError as err:
        engine.dispose()
        raise StoreError(err.message, name) from None
    except OperationalError as err:
        engine.dispose()
        if path is None:  # a server: unreachable, no such database, refused
            raise StoreError(f"cannot open the database: {_reason(err)}", name) from None
        raise StoreError(f"not a usable frontlines database ({_reason(err)})", name) from None
    except DatabaseError as err:
        engine.dispose()
        raise StoreError(f"not a usable frontlines database ({_reason(err)})", name) from None
    return Store(engine, name=name)


def _prepare(engine) -> None:
    """Check the schema with a plain read (readers must not wait for a running ingest);
    take the write lock only to create or migrate."""
    with read_transaction(engine) as conn:
        version = schema.stored_version(conn)
    if version == schema.SCHEMA_VERSION:
        return
    with write_transaction(engine) as conn:
        advisory_locks(conn, LOCK_SCHEMA, ["schema"])  # two first ingests at once: one creates
        schema.migrate(conn)


def _reason(err: DatabaseError) -> str:
    text = (str(err.orig) if err.orig is not None else str(err)).strip().partition("\n")[0]
    return "corrupt or not an SQLite file" if "not a database" in text or "malformed" in text else text
