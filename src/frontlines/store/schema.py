"""The store's tables (SQLAlchemy Core, portable SQL) and their versioned migrations."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import FrontlinesError

APPLICATION = "frontlines"
SCHEMA_VERSION = 3

# SQLite needs INTEGER (not BIGINT) for an auto-incrementing rowid key; PostgreSQL gets BIGINT
# (a BIGSERIAL key).
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def short_text(length: int) -> sa.types.TypeEngine:
    """A short string: VARCHAR(length) in SQLite, which never enforces the length, and TEXT
    in PostgreSQL, which would refuse a longer value: both backends store the same values."""
    return sa.String(length).with_variant(sa.Text(), "postgresql")


metadata = sa.MetaData()

meta = sa.Table(
    "meta", metadata,
    sa.Column("key", short_text(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

documents = sa.Table(
    "documents", metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("doc_id", short_text(64), nullable=False, unique=True),  # content hash
    sa.Column("title", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("published", sa.Date),
    # Where the date came from: given, dates-file, declared, dateline, file-name, default.
    sa.Column("published_source", short_text(16)),
    sa.Column("source", sa.Text),  # the path or name it was read from
    sa.Column("format", short_text(32)),
    sa.Column("profile", short_text(64)),
    sa.Column("length", sa.Integer),
    sa.Column("narrative_end", sa.Integer),
    sa.Column("infobox", sa.JSON),
    sa.Column("warnings", sa.JSON),
    sa.Column("text", sa.Text),
    sa.Column("n_events", sa.Integer, nullable=False, default=0),
    sa.Column("n_changes", sa.Integer, nullable=False, default=0),
    sa.Column("ingested_at", sa.DateTime(timezone=True)),
)
# Which documents a file gave (the distributed engine skips them before extracting).
sa.Index("ix_documents_source", documents.c.source)

references = sa.Table(
    "doc_references", metadata,  # "references" is a reserved word in SQL
    sa.Column("document_id", Id, sa.ForeignKey("documents.id"), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("text", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("publisher", sa.Text),
    sa.Column("date", short_text(32)),
    sa.Column("url", sa.Text),
)

sentences = sa.Table(
    "sentences", metadata,
    sa.Column("document_id", Id, sa.ForeignKey("documents.id"), primary_key=True),
    sa.Column("idx", sa.Integer, primary_key=True),
    sa.Column("span_start", sa.Integer, nullable=False),
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("paragraph", sa.Integer),
    sa.Column("section", sa.Text),
    sa.Column("zone", short_text(32)),
    sa.Column("footnotes", sa.JSON),
    sa.Column("date", sa.Date),
    sa.Column("precision", short_text(16)),
    sa.Column("basis", short_text(16)),
)

places = sa.Table(
    "places", metadata,
    sa.Column("place_id", short_text(128), primary_key=True),  # "gn:<id>" or "name:<key>"
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("geonames_id", sa.BigInteger),
    sa.Column("admin1", sa.Text),
    sa.Column("country", sa.Text),
    sa.Column("aliases", sa.JSON),
)

# Every spelling a place was met under, folded, so `--place Rastan` finds "gn:172946".
place_names = sa.Table(
    "place_names", metadata,
    sa.Column("name", short_text(256), primary_key=True),
    sa.Column("place_id", short_text(128), sa.ForeignKey("places.place_id"), primary_key=True),
)

initial_state = sa.Table(
    "initial_state", metadata,
    sa.Column("place_id", short_text(128), sa.ForeignKey("places.place_id"), primary_key=True),
    sa.Column("controller", short_text(64), nullable=False),
    sa.Column("as_of", sa.Date),
    sa.Column("source_name", sa.Text),
)

# A merged event: the merge keys and the merged values; the reports themselves are mentions.
events = sa.Table(
    "events", metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("place_id", short_text(128)),
    sa.Column("event_type", short_text(64)),
    sa.Column("sub_event_type", short_text(64)),
    sa.Column("event_date", sa.Date),
    sa.Column("precision", short_text(16)),
    # The days the date may stand for (a month-precision date covers the month); merging
    # compares these windows, and the candidate query scans an index on date_lo.
    sa.Column("date_lo", sa.Date),
    sa.Column("date_hi", sa.Date),
    sa.Column("side1", short_text(64)),
    sa.Column("side2", short_text(64)),
    sa.Column("claim", short_text(16)),
    sa.Column("fatalities", sa.Integer),
    sa.Column("confidence", sa.Float),
    sa.Column("best_confidence", sa.Float),
    sa.Column("corroboration", sa.Integer, nullable=False, default=1),
    sa.Column("lead_mention_id", Id),
)
sa.Index("ix_events_candidates", events.c.place_id, events.c.event_type, events.c.date_lo)
sa.Index("ix_events_date", events.c.event_date)

changes = sa.Table(
    "changes", metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("place_id", short_text(128), nullable=False),
    sa.Column("new_controller", short_text(64)),
    sa.Column("claim_class", short_text(16), nullable=False),  # fact | denied | unconfirmed
    sa.Column("date", sa.Date),
    sa.Column("date_precision", short_text(16)),
    sa.Column("date_lo", sa.Date),
    sa.Column("date_hi", sa.Date),
    sa.Column("previous_controller", short_text(64)),
    sa.Column("kind", short_text(16)),
    sa.Column("claim", short_text(16)),
    sa.Column("confidence", sa.Float),
    sa.Column("best_confidence", sa.Float),
    sa.Column("corroboration", sa.Integer, nullable=False, default=1),
    sa.Column("lead_mention_id", Id),
)
sa.Index("ix_changes_candidates", changes.c.place_id, changes.c.new_controller,
         changes.c.claim_class, changes.c.date_lo)
sa.Index("ix_changes_date", changes.c.date)


def _mention_table(name: str, target: str) -> sa.Table:
    """One report of a merged row: the document, its evidence and sources, the row it gave."""
    table = sa.Table(
        name, metadata,
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("target_id", Id, sa.ForeignKey(f"{target}.id"), nullable=False),
        sa.Column("document_id", Id, sa.ForeignKey("documents.id"), nullable=False),
        # Reports from one origin (a document; ACLED as a whole) never merge with each other.
        sa.Column("origin", short_text(128), nullable=False),
        sa.Column("mention_key", short_text(256), nullable=False, unique=True),
        sa.Column("evidence", sa.Text),
        # The evidence sentence, normalised and hashed: a verbatim copy of a sentence already
        # on the row (a syndicated wire story) is a reprint and adds no corroboration.
        sa.Column("evidence_key", short_text(40)),
        sa.Column("reprint", sa.Boolean, nullable=False, default=False),
        sa.Column("span_start", sa.Integer),
        sa.Column("span_end", sa.Integer),
        sa.Column("claim", short_text(16)),
        sa.Column("confidence", sa.Float),
        sa.Column("data", sa.JSON, nullable=False),  # the contract row as extracted
    )
    sa.Index(f"ix_{name}_target", table.c.target_id, table.c.evidence_key)
    sa.Index(f"ix_{name}_origin", table.c.target_id, table.c.origin)
    sa.Index(f"ix_{name}_document", table.c.document_id)
    return table


event_mentions = _mention_table("event_mentions", "events")
change_mentions = _mention_table("change_mentions", "changes")

# Migrations from version N to N+1, run in order inside one transaction.  A fresh database
# gets the current tables directly, so a migration only ever meets databases of its version.
def _add_indexes(*names: str) -> Callable[[Connection], None]:
    """A migration that creates indexes the tables above declare."""
    def migration(conn: Connection) -> None:
        for table in metadata.sorted_tables:
            for index in table.indexes:
                if index.name in names:
                    index.create(conn)
    return migration


def _add_column(table: sa.Table, name: str) -> Callable[[Connection], None]:
    """A migration that adds a nullable column the tables above declare (none when a
    database has it already)."""
    def migration(conn: Connection) -> None:
        if any(c["name"] == name for c in sa.inspect(conn).get_columns(table.name)):
            return
        kind = table.c[name].type.compile(dialect=conn.dialect)
        conn.execute(sa.text(f"ALTER TABLE {table.name} ADD COLUMN {name} {kind}"))
    return migration


MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    # 2: a file's documents found by name; a row's reports found by origin (merging).
    1: _add_indexes("ix_documents_source", "ix_event_mentions_origin", "ix_change_mentions_origin"),
    # 3: where each document's publication date came from.
    2: _add_column(documents, "published_source"),
}


def stored_version(conn: Connection) -> int | None:
    """The schema version of the database, None when it has no frontlines tables at all.

    Raises FrontlinesError for a database that holds someone else's tables."""
    names = set(sa.inspect(conn).get_table_names())
    if "meta" not in names:
        if names:
            shown = ", ".join(sorted(names)[:5])
            raise FrontlinesError(f"not a frontlines database: it holds other tables ({shown})")
        return None
    rows = dict(conn.execute(sa.select(meta.c.key, meta.c.value)).all())
    if rows.get("application") != APPLICATION:
        raise FrontlinesError("not a frontlines database: its meta table belongs to another program")
    try:
        return int(rows["schema_version"])
    except (KeyError, ValueError):
        raise FrontlinesError("damaged frontlines database: no valid schema version") from None


def migrate(conn: Connection) -> int:
    """Create or upgrade the schema inside the caller's (write) transaction; the new version."""
    current = SCHEMA_VERSION
    version = stored_version(conn)
    if version is None:
        metadata.create_all(conn)
        conn.execute(sa.insert(meta), [
            {"key": "application", "value": APPLICATION},
            {"key": "schema_version", "value": str(current)},
        ])
        return current
    if version > current:
        raise FrontlinesError(f"the database has schema version {version}, newer than this "
                              f"frontlines supports ({current}); upgrade frontlines")
    while version < current:
        MIGRATIONS[version](conn)
        version += 1
        conn.execute(sa.update(meta).where(meta.c.key == "schema_version")
                     .values(value=str(version)))
    return version
