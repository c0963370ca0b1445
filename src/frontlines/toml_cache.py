"""Parsed TOML kept from one run to the next: a start-up reads the profile and the trigger
lexicon in about a millisecond each instead of tomllib's ~15 and ~10.

`loads(text, source)` is `tomllib.loads(text)`.  What it parsed for a file (`source`) is kept in
the cache folder with a digest of the text, so an edited file is parsed anew (and its entry
replaced: one entry a file).  The table comes back as tomllib gives it: the same keys in the same
order, the same strings, numbers, booleans and lists; dates, times and date-times, which marshal
cannot write, are kept as tagged tuples (TOML has no tuples) and rebuilt as the same objects.
A cache that cannot be read or written is parsing as ever.  $FRONTLINES_TOML_CACHE=0 turns it off.
"""

from __future__ import annotations

import datetime
import hashlib
import marshal
import os
import sys
import threading
import tomllib
from pathlib import Path
from typing import Any

ENV = "FRONTLINES_TOML_CACHE"
FORMAT = (1, sys.version_info[:2])
_DATE, _TIME, _DATETIME = "date", "time", "datetime"


def loads(text: str, source: str | os.PathLike) -> dict[str, Any]:
    """`tomllib.loads(text)` (raising as it does), the text of file `source`."""
    if os.environ.get(ENV, "1") == "0":
        return tomllib.loads(text)
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    path = _path(source)
    try:
        form, kept_digest, dated, packed = marshal.loads(path.read_bytes())
        if form == FORMAT and kept_digest == digest:
            return _unpacked(packed) if dated else packed
    except (OSError, ValueError, EOFError, TypeError):
        pass
    data = tomllib.loads(text)
    _write(path, digest, data)
    return data


def _path(source: str | os.PathLike) -> Path:
    from .home import cache_dir

    name = hashlib.sha1(os.fsencode(os.path.abspath(source))).hexdigest()[:16]
    return cache_dir() / "toml" / f"{name}.marshal"


def _write(path: Path, digest: str, data: dict) -> None:
    try:
        dated = [False]
        packed = _packed(data, dated)
        blob = marshal.dumps((FORMAT, digest, True, packed) if dated[0] else
                             (FORMAT, digest, False, data))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)
    except (OSError, ValueError, TypeError):
        pass


def _packed(value: Any, dated: list[bool]) -> Any:
    """The value with every date, time and date-time as a tagged tuple (ValueError for one
    with a time zone tomllib does not make)."""
    if isinstance(value, dict):
        return {key: _packed(item, dated) for key, item in value.items()}
    if isinstance(value, list):
        return [_packed(item, dated) for item in value]
    if isinstance(value, datetime.datetime):
        dated[0] = True
        offset = value.utcoffset()
        if value.tzinfo is not None and value.tzinfo != datetime.timezone(offset):
            raise ValueError("a time zone other than a fixed offset")
        return (_DATETIME, value.year, value.month, value.day, value.hour, value.minute, value.second,
                value.microsecond, None if offset is None else offset // datetime.timedelta(microseconds=1))
    if isinstance(value, datetime.date):
        dated[0] = True
        return (_DATE, value.year, value.month, value.day)
    if isinstance(value, datetime.time):
        dated[0] = True
        if value.tzinfo is not None:
            raise ValueError("a time with a time zone")
        return (_TIME, value.hour, value.minute, value.second, value.microsecond)
    return value


def _unpacked(value: Any) -> Any:
    if type(value) is dict:
        return {key: _unpacked(item) for key, item in value.items()}
    if type(value) is list:
        return [_unpacked(item) for item in value]
    if type(value) is tuple:
        kind, *fields = value
        if kind == _DATE:
            return datetime.date(*fields)
        if kind == _TIME:
            return datetime.time(*fields)
        *moment, offset = fields
        zone = None if offset is None else datetime.timezone(datetime.timedelta(microseconds=offset))
        return datetime.datetime(*moment, tzinfo=zone)
    return value
