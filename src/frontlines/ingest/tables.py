"""CSV tables as input, checked cell by cell: every problem names the row and the column.

ACLED exports and initial-state tables come from spreadsheets and scripts: a cell can hold
anything.  Rows are read with the row number a spreadsheet shows (the header is row 1), and
each value is range-checked before it reaches the store, so a bad cell is one line naming
the file, the row and the column, and never a crash further on.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from datetime import date

from ..errors import InputError

MAX_FIELD = 131_072  # characters in one cell (Python's csv default): no real cell is longer
FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_FATALITIES = 1_000_000


class CellError(ValueError):
    """A cell that fails its check: the reason, without the row and column."""


def csv_rows(text: str, source: str | None) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {lower-cased column: value}) for every data row; an oversized cell or a
    broken quote is an InputError naming the row (and the column when it is known)."""
    reader = csv.reader(io.StringIO(text))
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, len(text) + 1))  # lengths are checked below, per cell
    try:
        header = [c.strip().lower() for c in next(reader, [])]
        number = 1
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                raise InputError(f"row {number}: malformed CSV ({err})", source) from None
            for column, value in zip(header, cells):
                if len(value) > MAX_FIELD:
                    raise InputError(cell_message(number, column or "?", CellError(
                        f"a value of {len(value):,} characters (the limit is {MAX_FIELD:,})")), source)
            yield number, {k: v for k, v in zip(header, cells) if k}
    finally:
        csv.field_size_limit(previous)


def cell_message(row: int, column: str, err: Exception) -> str:
    return f"row {row}, column {column}: {err}"


def checked(row: int, column: str, source: str | None, check, value):
    """`check(value)`, with a failure turned into an InputError naming the row and column."""
    try:
        return check(value)
    except CellError as err:
        raise InputError(cell_message(row, column, err), source) from None


def number(value: str | None, low: float, high: float, *, integer: bool = False) -> float | int | None:
    """A finite number within [low, high] (None when the cell is empty)."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        found = float(text)
    except ValueError:
        raise CellError(f"{_shown(text)} is not a number") from None
    if not math.isfinite(found):
        raise CellError(f"{_shown(text)} is not a finite number")
    if not low <= found <= high:
        raise CellError(f"{_shown(text)} is out of range ({low:g} to {high:g})")
    if integer:
        if found != int(found):
            raise CellError(f"{_shown(text)} is not a whole number")
        return int(found)
    return found


def latitude(value: str | None) -> float | None:
    return number(value, -90, 90)


def longitude(value: str | None) -> float | None:
    return number(value, -180, 180)


def fatalities(value: str | None) -> int | None:
    found = number(value, 0, MAX_FATALITIES, integer=True)
    return None if found is None else int(found)


def year(value: str | None) -> int | None:
    found = number(value, FIRST_YEAR, LAST_YEAR, integer=True)
    return None if found is None else int(found)


def day_in_range(day: date | None, text: str | None) -> date | None:
    """A parsed day, refused outside the years a war report can be about."""
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CellError(f"{_shown(text or str(day))} is out of range (years {FIRST_YEAR}-{LAST_YEAR})")
    return day


def iso_day(value: str | None) -> date | None:
    """A day written YYYY-MM-DD (or YYYY-Www-D, an ISO week date), or None when empty."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return day_in_range(date.fromisoformat(text), text)
    except ValueError:
        raise CellError(f"{_shown(text)} is not a date (YYYY-MM-DD)") from None


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def read_initial_state(text: str, source: str | None) -> list[dict]:
    """The rows of an initial-state table (place, controller[, latitude, longitude, place_id,
    as_of]), checked; a place set twice is refused with both its rows."""
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for row_number, raw in csv_rows(text, source):
        row = {key: value.strip() for key, value in raw.items()}
        if not row.get("controller"):
            continue
        for column, check in (("latitude", latitude), ("longitude", longitude), ("as_of", iso_day)):
            row[column] = checked(row_number, column, source, check, row.get(column))
        key = (row.get("place_id") or row.get("place") or "").casefold()
        if not key:
            raise InputError(cell_message(row_number, "place", CellError("no place named")), source)
        if key in seen:
            raise InputError(cell_message(row_number, "place", CellError(
                f"{_shown(row.get('place') or key)} is set already in row {seen[key]}")), source)
        seen[key] = row_number
        rows.append({**row, "row": row_number})
    return rows
