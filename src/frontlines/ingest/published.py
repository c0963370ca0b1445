"""The document's own date: the day a document speaks from, and where that day came from.

In order: a date given for this document (`--published`, a row of `--dates FILE.csv`), the
date the page declares (HTML metadata, a date line near the top: "Published: Dec 6, 2024"),
a wire dateline ("DAMASCUS, Dec 8 (Reuters) -", "KYIV, Sept 11, 2022 —", "Moscow, (APP -
29th Oct, 2024)"), a date in the file name ("…-2024-12-07.txt"), and last a batch-wide
default.  `resolve_published` sets `Document.published` and `Document.published_source`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..model import Document

if TYPE_CHECKING:
    from ..text.dates import TimePhrase

# Document.published_source values.
GIVEN = "given"  # --published, or the caller of the API
DATES_FILE = "dates-file"  # a row of --dates FILE.csv
DECLARED = "declared"  # page metadata or a date line in the text
DATELINE = "dateline"
FILE_NAME = "file-name"
DEFAULT = "default"  # a batch-wide --published, for a document with no date of its own

_PLACE = r"[A-Z][\w'’.-]*(?:[ /][A-Z][\w'’.-]*){0,3}"
_DASH = r"(?:--|[-–—])"
# "KYIV, Sept 11, 2022 —", "HOMS, Syria, May 16 (Xinhua) --", "DAMASCUS, Dec 8 (Reuters) -"
_DATE_FIRST = re.compile(
    rf"\s*(?P<place>{_PLACE})(?:,\s*{_PLACE})?,\s*(?P<date>[^()\n,]{{3,24}}(?:,\s*\d{{4}})?)"
    rf"\s*(?:\([^)\n]{{1,60}}\))?\s*{_DASH}\s"
)
# "Moscow, (APP - UrduPoint / Pakistan Point News - 29th Oct, 2024)", "BEIRUT (AP, Dec 8) —"
_AGENCY_FIRST = re.compile(rf"\s*(?P<place>{_PLACE})(?:,\s*{_PLACE})?,?\s*\((?P<inside>[^)\n]{{1,80}})\)")
# A capitalised first word that starts a sentence, not a place: "On 6 December, ..."
_NOT_PLACES = frozenset(
    "on in by at as from since until after before during the a an and but while when".split()
)
_DATELINE_REACH = 600  # the dateline opens the story: look only this far in
# "report-2024-12-07.txt", "2024_12_07_story.html", "20241207-story.txt"
_FILE_NAME_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[-_.]?)(?P<m>0[1-9]|1[0-2])(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
)


def resolve_published(
    doc: Document,
    *,
    given: date | None = None,
    given_source: str = GIVEN,
    default: date | None = None,
) -> Document:
    """Choose the document's date: `given` wins; then what the document carries (declared,
    dateline, file name); then the batch's `default`.  Returns the document."""
    if given is not None:
        doc.published, doc.published_source = given, given_source
        return doc
    if doc.published is not None:  # a reader found it in the page's metadata
        doc.published_source = doc.published_source or DECLARED
        return doc
    for source, find in ((DECLARED, _date_line), (DATELINE, dateline_date), (FILE_NAME, _file_name)):
        found = find(doc)
        if found is not None:
            doc.published, doc.published_source = found, source
            return doc
    if default is not None:
        doc.published, doc.published_source = default, DEFAULT
    return doc


def _date_line(doc: Document) -> date | None:
    from ..text.layout import guess_published

    return guess_published(doc.text)


def _file_name(doc: Document) -> date | None:
    return file_name_date(doc.source) if doc.source else None


def file_name_date(path: str) -> date | None:
    """A full date in a file's name ("story-2024-12-07.txt"); None for "2013-06" or none."""
    for found in _FILE_NAME_DATE.finditer(Path(path).name):
        try:
            return date(int(found["y"]), int(found["m"]), int(found["d"]))
        except ValueError:
            continue
    return None


def dateline_date(doc: Document) -> date | None:
    """The date of a wire dateline opening the story; a dateline without a year takes the
    year of the file name, the title, or else the latest full date the text states."""
    head = doc.text[:_DATELINE_REACH]
    for line in _opening_lines(head):
        phrase = _dateline_phrase(line)
        if phrase is None:
            continue
        if phrase.year is not None:
            return _day(phrase.year, phrase.month, phrase.day)
        year = _year_hint(doc, phrase.month or 1, phrase.day or 1)
        return _day(year, phrase.month, phrase.day) if year else None
    return None


def _opening_lines(head: str) -> list[str]:
    return [line for line in head.splitlines() if line.strip()][:4]


def _dateline_phrase(line: str) -> TimePhrase | None:
    from ..text.dates import scan

    for pattern, group in ((_DATE_FIRST, "date"), (_AGENCY_FIRST, "inside")):
        found = pattern.match(line)
        if found is None or found["place"].split()[0].lower() in _NOT_PLACES:
            continue
        days = [p for p in scan(found[group]) if p.month is not None and p.day is not None
                and p.precision == "day" and p.kind in ("explicit", "partial")]
        if len(days) == 1:
            return days[0]
    return None


def _year_hint(doc: Document, month: int, day: int) -> int | None:
    """The year a yearless dateline belongs to."""
    from ..text.dates import find_time_expressions

    named = file_name_date(doc.source) if doc.source else None
    if named is not None:
        return named.year
    title_year = re.search(r"\b(19[5-9]\d|20\d\d)\b", doc.title or "")
    if title_year:
        return int(title_year.group(1))
    stated = [t.value for t in find_time_expressions(doc.text[:20000])
              if t.value is not None and t.precision == "day" and t.role == "event"]
    if not stated:
        return None
    latest = max(stated)
    candidate = _day(latest.year, month, day)
    # The dateline is on or after what the story reports: "Jan 2" after "30 December 2024".
    return latest.year + 1 if candidate and candidate < latest and month < latest.month - 6 else latest.year


def _day(year: int | None, month: int | None, day: int | None) -> date | None:
    try:
        return date(year, month, day) if year and month and day else None
    except ValueError:
        return None


def read_dates_file(path: str | Path) -> dict[str, date]:
    """`--dates FILE.csv`: a `path,published` table, one document a row.  Keys are the paths
    as written and their resolved forms, so either spelling finds a row."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read the dates file: {err}", name) from None
    reader = csv.DictReader(io.StringIO(text))
    columns = {c.strip().lower() for c in reader.fieldnames or []}
    if not {"path", "published"} <= columns:
        raise InputError("a dates file needs the columns path,published", name)
    table: dict[str, date] = {}
    for line, row in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        try:
            when = date.fromisoformat(row["published"])
        except ValueError:
            raise InputError(f"line {line}: {row['published']!r} is not a date YYYY-MM-DD", name) from None
        base = Path(name).parent
        for key in _path_keys(row["path"], base):
            table[key] = when
    return table


def date_for(table: Mapping[str, date], path: str | Path) -> date | None:
    """The row of a dates table for a document path, by path as given, resolved, or name."""
    for key in _path_keys(str(path), Path.cwd()):
        if key in table:
            return table[key]
    return None


def _path_keys(path: str, base: Path) -> list[str]:
    given = Path(path)
    resolved = given if given.is_absolute() else base / given
    return [path, str(resolved.resolve()), str(given.resolve())]


def reading_dates(
    path: str | Path,
    *,
    published: date | None = None,
    override: bool = False,
    table: Mapping[str, date] | None = None,
) -> dict[str, object]:
    """The date arguments of `read_document` for one file of a batch: its row of the dates
    table; else the batch's `published`, forced on it (`override`) or only where the
    document carries no date of its own."""
    row = date_for(table, path) if table else None
    if row is not None:
        return {"published": row, "published_source": DATES_FILE}
    if published is not None and override:
        return {"published": published}
    return {"default_published": published}


def names_one_file(paths: object) -> bool:
    """Whether a command was given exactly one file (not a folder): its --published is then
    that document's own date, not a batch default."""
    items = list(paths) if not isinstance(paths, (str, Path)) else [paths]
    return len(items) == 1 and Path(items[0]).is_file()


def undated_warning(contract: Mapping[str, object]) -> str | None:
    """"12 rows undated: no publication date; pass --published or --dates" for a document
    (an output contract, or a stored record) some of whose events or changes have no date."""
    events = contract.get("events") or []
    changes = contract.get("control_changes") or []
    undated = sum(1 for row in events if not row.get("event_date"))  # type: ignore[union-attr]
    undated += sum(1 for row in changes if not row.get("date"))  # type: ignore[union-attr]
    if not undated:
        return None
    document = contract.get("document") or {}
    rows = f"{undated} row{'s' if undated != 1 else ''} undated"
    if not document.get("published"):  # type: ignore[union-attr]
        return f"{rows}: no publication date; pass --published or --dates"
    return f"{rows}: the text gives no date for them"
