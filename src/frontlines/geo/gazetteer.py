"""Gazetteer storage: SQLite files of places and their name keys (the base index and the user's)."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError
from ..home import home_dir
from .names import (
    RULES_VERSION,
    deletion_keys,
    keys_for,
    name_tokens,
    normalize_name,
    useful_alias,
)

USER_DB = "gazetteer.sqlite"

# Fuzzy matching only looks at skeletons this long: shorter ones are too easily one edit apart.
FUZZY_MIN_SKELETON = 4

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS countries(iso TEXT PRIMARY KEY, name TEXT, neighbours TEXT);
CREATE TABLE IF NOT EXISTS places(
    rid INTEGER PRIMARY KEY, place_id TEXT UNIQUE NOT NULL, geonames_id INTEGER,
    name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, iso TEXT, admin1 TEXT,
    admin2 TEXT, feature_code TEXT, population INTEGER, source TEXT);
CREATE TABLE IF NOT EXISTS names(
    rid INTEGER NOT NULL, name TEXT NOT NULL, norm TEXT NOT NULL, skel TEXT, shape TEXT);
CREATE TABLE IF NOT EXISTS fuzzy(key TEXT NOT NULL, skel TEXT NOT NULL);
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS names_norm ON names(norm);
CREATE INDEX IF NOT EXISTS names_skel ON names(skel);
CREATE INDEX IF NOT EXISTS names_rid ON names(rid);
CREATE INDEX IF NOT EXISTS fuzzy_key ON fuzzy(key);
CREATE INDEX IF NOT EXISTS places_gn ON places(geonames_id);
"""

PLACE_COLUMNS = ("rid, place_id, geonames_id, name, lat, lon, iso, admin1, admin2, feature_code,"
                 " population, source")
_SET_RULES = "INSERT OR REPLACE INTO meta(key, value) VALUES('rules', ?)"


def user_db_path() -> Path:
    return home_dir() / USER_DB


@dataclass(slots=True)
class PlaceRecord:
    """One place as a source gives it, before it is indexed."""

    name: str
    lat: float
    lon: float
    iso: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    feature_code: str | None = None
    population: int | None = None
    geonames_id: int | None = None
    place_id: str | None = None
    source: str | None = None
    aliases: list[str] = field(default_factory=list)
    # Index skeleton keys (transliteration matching) and fuzzy keys for this place.
    translit: bool = True
    fuzzy: bool = True

    def resolved_id(self) -> str:
        """gn:<geonameid> when GeoNames knows it, else a stable id from name and position."""
        if self.place_id:
            return self.place_id
        if self.geonames_id:
            return f"gn:{self.geonames_id}"
        digest = hashlib.sha1(f"{self.name}|{self.lat:.4f}|{self.lon:.4f}".encode()).hexdigest()
        return f"user:{digest[:10]}"


def _all_names(record: PlaceRecord, filter_aliases: bool) -> list[str]:
    """The record's name and its aliases, without junk or duplicates (spellings that differ
    only in diacritics, case or punctuation; "Ar Rastan" and "Rastan" are both kept)."""
    seen: set[str] = set()
    names = []
    for i, name in enumerate([record.name, *record.aliases]):
        name = name.strip()
        if not name or (filter_aliases and i > 0 and not useful_alias(name)):
            continue
        key = " ".join(name_tokens(name))
        if key and key not in seen:
            seen.add(key)
            names.append(name)
    return names


def _name_row(rid: int | None, name: str, translit: bool, iso: str | None = None) -> tuple:
    """A names-table row: exact key always, transliteration keys (in the romanisation of the
    place's country) when the place wants them."""
    if not translit:
        return rid, name, normalize_name(name), None, None
    keys = keys_for(name, iso)
    return rid, name, keys.norm, keys.skel, keys.shape


class GazetteerDB:
    """One gazetteer file.  Connections are per thread; writes happen in transactions."""

    def __init__(self, path: Path, *, create: bool = False) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise ConfigError("gazetteer file does not exist", str(self.path))
        self._local = threading.local()
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.connect() as conn:
                conn.executescript(SCHEMA + INDEXES)

    def connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(str(self.path), check_same_thread=False)
            except sqlite3.Error as err:
                raise ConfigError(f"cannot open gazetteer: {err}", str(self.path)) from None
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- metadata ---------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.connect().execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.connect() as conn:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", (key, value))

    def count(self) -> tuple[int, int]:
        conn = self.connect()
        places = conn.execute("SELECT count(*) FROM places").fetchone()[0]
        names = conn.execute("SELECT count(*) FROM names").fetchone()[0]
        return places, names

    # -- writing ----------------------------------------------------------------------

    def add_records(self, records: Iterable[PlaceRecord], *, filter_aliases: bool = True) -> int:
        """Insert or replace places (same place id: the new record wins). Returns the count."""
        conn = self.connect()
        count = 0
        skeletons: set[str] = set()
        with conn:
            for record in records:
                skeletons |= self._add_one(conn, record, filter_aliases)
                count += 1
            self._add_fuzzy(conn, skeletons)
            conn.execute(_SET_RULES, (RULES_VERSION,))
            self._bump_generation(conn)
        return count

    def _add_one(self, conn: sqlite3.Connection, record: PlaceRecord,
                 filter_aliases: bool) -> set[str]:
        """Write one place and its names; return the skeletons that want fuzzy keys."""
        place_id = record.resolved_id()
        old = conn.execute("SELECT rid FROM places WHERE place_id=?", (place_id,)).fetchone()
        if old:
            conn.execute("DELETE FROM names WHERE rid=?", old)
            conn.execute("DELETE FROM places WHERE rid=?", old)
        cur = conn.execute(
            "INSERT INTO places(place_id, geonames_id, name, lat, lon, iso, admin1, admin2,"
            " feature_code, population, source) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
            (place_id, record.geonames_id, record.name, record.lat, record.lon, record.iso,
             record.admin1, record.admin2, record.feature_code, record.population, record.source),
        )
        names = _all_names(record, filter_aliases)
        rows = [_name_row(cur.lastrowid, name, record.translit, record.iso) for name in names]
        conn.executemany("INSERT INTO names(rid, name, norm, skel, shape) VALUES(?,?,?,?,?)", rows)
        if not record.fuzzy:
            return set()
        return {row[3] for row in rows if row[3] and len(row[3]) >= FUZZY_MIN_SKELETON}

    @staticmethod
    def _add_fuzzy(conn: sqlite3.Connection, skeletons: set[str]) -> None:
        """Index the one-deletion neighbourhood of new skeletons (symmetric-delete fuzzy search)."""
        if not skeletons:
            return
        known = {row[0] for row in conn.execute("SELECT DISTINCT skel FROM fuzzy")}
        rows = [(key, skel) for skel in skeletons - known for key in deletion_keys(skel)]
        conn.executemany("INSERT INTO fuzzy(key, skel) VALUES(?, ?)", rows)

    @staticmethod
    def _bump_generation(conn: sqlite3.Connection) -> None:
        row = conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        value = str(int(row[0]) + 1 if row else 1)
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES('generation', ?)", (value,))

    def set_countries(self, rows: Iterable[tuple[str, str, str]]) -> None:
        with self.connect() as conn:
            conn.executemany("INSERT OR REPLACE INTO countries VALUES(?,?,?)", rows)

    def rekey(self) -> None:
        """Recompute every name's keys: the normalisation rules changed since they were stored."""
        conn = self.connect()
        rows = conn.execute("SELECT n.rowid, n.rid, n.name, n.skel IS NOT NULL, p.iso FROM names n"
                            " JOIN places p ON p.rid = n.rid").fetchall()
        with conn:
            conn.execute("DELETE FROM fuzzy")
            updated = [(*_name_row(rid, name, bool(translit), iso)[2:], rowid)
                       for rowid, rid, name, translit, iso in rows]
            conn.executemany("UPDATE names SET norm=?, skel=?, shape=? WHERE rowid=?", updated)
            skeletons = {row[1] for row in updated if row[1] and len(row[1]) >= FUZZY_MIN_SKELETON}
            self._add_fuzzy(conn, skeletons)
            conn.execute(_SET_RULES, (RULES_VERSION,))
            self._bump_generation(conn)

    # -- reading ----------------------------------------------------------------------

    def names_by(self, column: str, values: Sequence[str], shape: str | None = None) -> list[tuple]:
        """(place row..., matched name, skel, shape) for names whose `column` is in values
        (and whose shape is `shape`, when given)."""
        if not values:
            return []
        marks = ",".join("?" * len(values))
        columns = ", ".join("p." + c.strip() for c in PLACE_COLUMNS.split(","))
        query = (f"SELECT {columns}, n.name, n.skel, n.shape FROM names n"
                 f" JOIN places p ON p.rid = n.rid WHERE n.{column} IN ({marks})")
        if shape is not None:
            return self.connect().execute(query + " AND n.shape = ?", (*values, shape)).fetchall()
        return self.connect().execute(query, tuple(values)).fetchall()

    def fuzzy_skeletons(self, skel: str) -> set[str]:
        """Indexed skeletons with one consonant more than `skel` (not at the start).  Those
        with one consonant less are deletion_keys(skel), looked up directly."""
        rows = self.connect().execute("SELECT skel FROM fuzzy WHERE key = ?", (skel,))
        return {row[0] for row in rows}

    def places_by_ids(self, place_ids: Sequence[str]) -> dict[str, tuple]:
        if not place_ids:
            return {}
        marks = ",".join("?" * len(place_ids))
        rows = self.connect().execute(
            f"SELECT {PLACE_COLUMNS} FROM places WHERE place_id IN ({marks})", tuple(place_ids)
        )
        return {row[1]: row for row in rows}

    def division(self, iso: str, code: str, admin1: str, admin2: str | None = None) -> tuple | None:
        """The division record (ADM1 or ADM2) of a country with these admin names."""
        query = f"SELECT {PLACE_COLUMNS} FROM places WHERE feature_code=? AND iso=? AND admin1=?"
        params: tuple = (code, iso, admin1)
        if code == "ADM2":
            query += " AND admin2=?"
            params += (admin2 or "",)
        return self.connect().execute(query + " LIMIT 1", params).fetchone()

    def division_points(self, iso: str, code: str = "ADM1") -> list[tuple[float, float]]:
        """The representative points of a country's divisions of one level."""
        rows = self.connect().execute(
            "SELECT lat, lon FROM places WHERE iso=? AND feature_code=?", (iso, code))
        return [(lat, lon) for lat, lon in rows]

    def countries(self) -> dict[str, tuple[str, str]]:
        rows = self.connect().execute("SELECT iso, name, neighbours FROM countries")
        return {iso: (name, neighbours or "") for iso, name, neighbours in rows}

    def aliases(self, rid: int, limit: int = 12) -> list[str]:
        rows = self.connect().execute("SELECT name FROM names WHERE rid=? LIMIT ?", (rid, limit))
        return [r[0] for r in rows]


def user_gazetteer() -> GazetteerDB:
    """The user's gazetteer, created on first use and re-keyed if the normalisation rules
    changed since its names were stored."""
    db = GazetteerDB(user_db_path(), create=True)
    if db.get_meta("rules") not in (None, RULES_VERSION):
        db.rekey()
    return db


def existing_user_gazetteer() -> GazetteerDB | None:
    """The user's gazetteer when there is one (reading never creates it)."""
    return user_gazetteer() if user_db_path().exists() else None
