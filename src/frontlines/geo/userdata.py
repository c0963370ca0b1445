"""The user's own places: import a GeoNames dump or CSV, download a country dump, add one place."""

from __future__ import annotations

import shutil
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..home import home_dir
from .gazetteer import PlaceRecord, user_gazetteer
from .geocoder import Geocoder
from .sources import DEFAULT_CLASSES, KIND_CODES, read_places_file

GEONAMES_DUMP_URL = "https://download.geonames.org/export/dump/"
DOWNLOAD_TIMEOUT = 60  # seconds without data before a download gives up


@dataclass(slots=True)
class ImportReport:
    path: str
    places: int
    total_places: int
    total_names: int


def _changed() -> None:
    """Make this process's geocoders see the new places."""
    Geocoder.reset_default()


def import_file(path: str | Path, *, country: str = "SY",
                classes: frozenset[str] = DEFAULT_CLASSES) -> ImportReport:
    """Add the places of a GeoNames dump (SY.txt / SY.zip) or a CSV to the user's gazetteer.

    Re-importing a file replaces its places (same GeoNames or source id) instead of doubling them.
    """
    records = list(read_places_file(path, country=country, classes=classes))
    if not records:
        raise ConfigError("no places of the imported kinds in the file", str(path))
    db = user_gazetteer()
    count = db.add_records(records)
    _changed()
    places, names = db.count()
    return ImportReport(str(path), count, places, names)


def download(country_code: str, *, url_base: str = GEONAMES_DUMP_URL,
             keep: bool = False) -> ImportReport:
    """Fetch GeoNames' dump for one country (<url_base><CC>.zip) and import it."""
    code = country_code.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ConfigError(f"not a two-letter country code: {country_code!r}")
    url = url_base.rstrip("/") + f"/{code}.zip"
    folder = home_dir() / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{code}.zip"
    _fetch(url, target)
    try:
        report = import_file(target, country=code)
    finally:
        if not keep:
            target.unlink(missing_ok=True)
    report.path = url
    return report


def _fetch(url: str, target: Path) -> None:
    """Download to a temporary file next to the target, then move it into place."""
    handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=".download-", delete=False)
    try:
        with handle, urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as response:
            shutil.copyfileobj(response, handle)
        Path(handle.name).replace(target)
    except urllib.error.HTTPError as err:
        raise ConfigError(f"download failed: HTTP {err.code} {err.reason}", url) from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", None) or err
        raise ConfigError(f"download failed: {reason} (is this machine online?)", url) from None
    finally:
        Path(handle.name).unlink(missing_ok=True)


def add_place(name: str, lat: float, lon: float, *, aliases: list[str] | tuple[str, ...] = (),
              admin1: str | None = None, country: str = "SY", kind: str = "village") -> str:
    """Add (or update) one place in the user's gazetteer; returns its place id."""
    if not name.strip():
        raise ConfigError("a place needs a name")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ConfigError(f"latitude/longitude {lat}, {lon} out of range")
    record = PlaceRecord(
        name=name.strip(), lat=lat, lon=lon, iso=country.upper(), admin1=admin1,
        feature_code=KIND_CODES.get(kind.lower(), kind.upper()), source="user",
        aliases=[a for a in aliases if a.strip()],
    )
    # The user's own spellings are all wanted, even the ones an import would filter out.
    user_gazetteer().add_records([record], filter_aliases=False)
    _changed()
    return record.resolved_id()
