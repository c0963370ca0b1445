"""The profile schema as data (keys, ACLED values) and its checks, each problem with its line.

`problems(data, text)` lists every mistake of a parsed profile; the loader refuses a profile
with an error (`severity == "error"`), `frontlines profile check` prints them all.  SCHEMA.md
beside this file documents the same fields for authors.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

# Allowed keys of every table; a key outside these is a typo that would be silently ignored.
KEYS = {
    "top": {"profile", "sides", "actors", "holders", "capitals", "regions"},
    "profile": {"name", "title", "country", "iso", "iso_numeric", "region", "neighbours",
                "default_holder", "capital"},
    "side": {"label", "colour", "description"},
    "actor": {"name", "side", "type", "inter", "aliases", "adjectives", "kinds", "periods", "states"},
    "holder": {"side", "until"},  # also an actor's period
    "capital": {"name", "phrases"},
    "region": {"name", "aliases"},
}

# ACLED's actor types and their inter codes.
ACTOR_TYPES = {
    "State forces": 1, "Rebel group": 2, "Political militia": 3, "Identity militia": 4,
    "Rioters": 5, "Protesters": 6, "Civilians": 7, "External/Other forces": 8,
}

KINDS = ("air", "artillery", "ground")

# ACLED's regions, each with the ISO 3166-1 alpha-2 codes of its countries (ACLED's own country
# lists; a country missing here falls back to its continent in `acled_region`).
ACLED_REGIONS: dict[str, tuple[str, ...]] = {
    "Middle East": ("AE", "BH", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY",
                    "TR", "YE"),
    "Northern Africa": ("DZ", "EG", "EH", "LY", "MA", "SD", "TN"),
    "Western Africa": ("BF", "BJ", "CI", "CV", "GH", "GM", "GN", "GW", "LR", "ML", "MR", "NE", "NG",
                       "SH", "SL", "SN", "TG"),
    "Middle Africa": ("AO", "CD", "CF", "CG", "CM", "GA", "GQ", "ST", "TD"),
    "Eastern Africa": ("BI", "DJ", "ER", "ET", "KE", "KM", "MU", "RW", "SC", "SO", "SS", "TZ", "UG",
                       "YT", "RE"),
    "Southern Africa": ("BW", "LS", "MG", "MW", "MZ", "NA", "SZ", "ZA", "ZM", "ZW"),
    "South Asia": ("AF", "BD", "BT", "IN", "LK", "MV", "NP", "PK"),
    "Southeast Asia": ("BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "TL", "VN"),
    "East Asia": ("CN", "HK", "JP", "KP", "KR", "MN", "MO", "TW"),
    "Caucasus and Central Asia": ("AM", "AZ", "GE", "KG", "KZ", "TJ", "TM", "UZ"),
    "Europe": (),
    "North America": ("BM", "CA", "GL", "PM", "US"),
    "Central America": ("BZ", "CR", "GT", "HN", "MX", "NI", "PA", "SV"),
    "South America": (),
    "Caribbean": (),
    "Oceania": (),
    "Antarctica": (),
}
_CONTINENT_REGION = {"EU": "Europe", "SA": "South America", "OC": "Oceania", "AN": "Antarctica",
                     "NA": "Caribbean", "AS": "Southeast Asia", "AF": "Eastern Africa"}


def acled_region(iso: str, continent: str = "") -> str:
    """ACLED's region of a country, from its code (and GeoNames' continent code as fallback)."""
    for region, members in ACLED_REGIONS.items():
        if iso.upper() in members:
            return region
    return _CONTINENT_REGION.get(continent.upper(), "")


@dataclass(frozen=True, slots=True)
class Problem:
    line: int  # 1-based line in the profile's text, 0 when unknown
    message: str
    severity: str = "error"  # "error": the profile is refused; "warning": it loads, but is likely wrong


def parse_date(value: object) -> date:
    """A holder's `until`: a TOML date or an ISO string."""
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def problems(data: dict, text: str = "", english_words: frozenset[str] = frozenset()) -> list[Problem]:
    """Every mistake in a parsed profile (`text` is its source, for line numbers).

    `english_words` are the words an acronym must not spell (see `authoring.english_words`)."""
    where = _Locator(text)
    found: list[Problem] = []

    def report(message: str, line: int, severity: str = "error") -> None:
        found.append(Problem(line, message, severity))

    for key in data.keys() - KEYS["top"]:
        report(f"unknown table [{key}] (known: {', '.join(sorted(KEYS['top']))})", where.header(key))
    meta = data.get("profile")
    if not isinstance(meta, dict) or not meta.get("name"):
        report("[profile] needs a `name`", where.header("profile"))
        meta = meta if isinstance(meta, dict) else {}
    _unknown_keys(meta, "profile", "[profile]", where.key_in("profile", 0), report)
    sides = data.get("sides")
    if not isinstance(sides, dict) or not sides:
        report("no [sides.KEY] tables: a profile needs at least two sides", where.header("sides"))
        sides = {}
    for key, side in sides.items():
        _unknown_keys(side, "side", f"[sides.{key}]", where.key_in(f"sides.{key}", 0), report)
        colour = side.get("colour")
        if colour is not None and not re.fullmatch(r"#[0-9a-fA-F]{6}", str(colour)):
            report(f"[sides.{key}] colour {colour!r} is not #rrggbb", where.key_in(f"sides.{key}", 0)("colour"))
    _check_meta(meta, sides, where, report)
    _check_holders(data.get("holders", []), meta, sides, where, report)
    for i, capital in enumerate(data.get("capitals", [])):
        _unknown_keys(capital, "capital", "[[capitals]]", where.key_in("capitals", i), report)
        if not capital.get("name"):
            report("a [[capitals]] entry needs a `name`", where.table("capitals", i))
    for i, region in enumerate(data.get("regions", [])):
        _unknown_keys(region, "region", "[[regions]]", where.key_in("regions", i), report)
        if not region.get("name"):
            report("a [[regions]] entry needs a `name`", where.table("regions", i))
    _check_actors(data.get("actors", []), sides, where, report, english_words)
    return sorted(found, key=lambda p: p.line)


def _unknown_keys(table: dict, kind: str, label: str, line_of, report) -> None:
    for key in sorted(table.keys() - KEYS[kind]):
        report(f"{label}: unknown key `{key}` (known: {', '.join(sorted(KEYS[kind]))})", line_of(key))


def _check_meta(meta: dict, sides: dict, where: _Locator, report) -> None:
    line = where.key_in("profile", 0)
    region = meta.get("region")
    if region and region not in ACLED_REGIONS:
        report(f"region {region!r} is not an ACLED region ({', '.join(ACLED_REGIONS)})", line("region"))
    iso = meta.get("iso", "")
    if iso and not re.fullmatch(r"[A-Z]{2}", str(iso)):
        report(f"iso {iso!r} is not an ISO 3166-1 alpha-2 code (two capital letters)", line("iso"))
    numeric = meta.get("iso_numeric")
    if numeric is not None and not (isinstance(numeric, int) and 0 < numeric < 1000):
        report(f"iso_numeric {numeric!r} is not an ISO 3166-1 numeric code", line("iso_numeric"))
    neighbours = meta.get("neighbours", [])
    if not isinstance(neighbours, list) or any(not re.fullmatch(r"[A-Z]{2}", str(n)) for n in neighbours):
        report("neighbours must be a list of alpha-2 codes such as [\"LB\", \"TR\"]", line("neighbours"))
    holder = meta.get("default_holder")
    if holder is not None and holder not in sides:
        report(f"default_holder {holder!r} is not a side", line("default_holder"))


def _check_holders(holders: list, meta: dict, sides: dict, where: _Locator, report) -> None:
    if holders and meta.get("default_holder") is not None:
        report("give either default_holder or [[holders]], not both", where.key_in("profile", 0)("default_holder"))
    for i, holder in enumerate(holders):
        _unknown_keys(holder, "holder", "[[holders]]", where.key_in("holders", i), report)
    _check_periods(holders, "[[holders]]", sides, lambda i, key: where.key_in("holders", i)(key), report,
                   open_end=True)


def _check_periods(periods: list, label: str, sides: dict, line, report, open_end: bool = False) -> None:
    """Dated sides (`until` + `side`) in date order; with `open_end` the last may have no `until`."""
    previous: date | None = None
    for i, period in enumerate(periods):
        if not isinstance(period, dict):
            report(f"{label}: a period is {{ until = \"YYYY-MM-DD\", side = \"KEY\" }}", line(i, "periods"))
            continue
        if period.get("side") not in sides:
            report(f"{label} side {period.get('side')!r} is not a side", line(i, "side"))
        if "until" not in period and open_end and i == len(periods) - 1:
            continue
        try:
            until = parse_date(period.get("until"))
        except (TypeError, ValueError):
            report(f"{label} until {period.get('until')!r} is not a date (YYYY-MM-DD)"
                   + ("; only the last may leave it out" if open_end else ""), line(i, "until"))
            continue
        if previous is not None and until <= previous:
            report(f"{label}: periods must be in date order", line(i, "until"))
        previous = until


def _check_actors(actors: list, sides: dict, where: _Locator, report, english_words: frozenset[str]) -> None:
    owner: dict[str, tuple[str, int]] = {}
    adjective_owner: dict[tuple[str, str], str] = {}
    with_actors = set()
    for i, actor in enumerate(actors):
        line = where.key_in("actors", i)
        name = actor.get("name")
        _unknown_keys(actor, "actor", f"actor {name!r}", line, report)
        if not name:
            report("an [[actors]] entry needs a `name`", where.table("actors", i))
            continue
        side = actor.get("side")
        if side not in sides:
            report(f"actor {name!r}: side {side!r} is not one of the [sides.*] tables", line("side"))
        with_actors.add(side)
        _check_periods(actor.get("periods", []), f"actor {name!r}: period", sides,
                       lambda _, key, line=line: line("periods"), report)
        kind = actor.get("type", "Rebel group")
        if kind not in ACTOR_TYPES:
            report(f"actor {name!r}: type {kind!r} is not an ACLED actor type ({', '.join(ACTOR_TYPES)})",
                   line("type"))
        elif "inter" in actor and actor["inter"] != ACTOR_TYPES[kind]:
            report(f"actor {name!r}: inter {actor['inter']!r} does not fit type {kind!r} "
                   f"(expected {ACTOR_TYPES[kind]})", line("inter"))
        for k in actor.get("kinds", []):
            if k not in KINDS:
                report(f"actor {name!r}: kind {k!r} is not one of {', '.join(KINDS)}", line("kinds"))
        for state in actor.get("states", []):
            if not isinstance(state, str) or not state.strip():
                report(f"actor {name!r}: a state's name must be a non-empty string, not {state!r}", line("states"))
        for adjective in actor.get("adjectives", []):
            for k in actor.get("kinds") or ["ground"]:
                first = adjective_owner.setdefault((adjective.lower(), k), name)
                if first != name:
                    report(f"actor {name!r}: adjective {adjective!r} for {k} already names actor {first!r} "
                           "(the first listed wins; give each actor its own kinds)", line("adjectives"), "warning")
        for alias in (name, *actor.get("aliases", [])):
            # the alias's line is looked up only for a problem to report (a search per alias
            # of a profile cost every start-up 30 ms)
            alias_line = functools.partial(where.value_in, "actors", i, alias)
            key = alias_key(alias)
            first = owner.setdefault(key, (name, i))
            if first[0] != name:
                report(f"alias {alias!r} of actor {name!r} already names actor {first[0]!r} "
                       "(the first actor listed gets it)", alias_line(), "warning")
            if re.fullmatch(r"[A-Z]{2,}", alias) and alias.lower() in english_words:
                report(f"actor {name!r}: the bare acronym {alias!r} is the English word {alias.lower()!r}; "
                       f"write it with a noun ('{alias} fighters', '{alias} forces')", alias_line(), "warning")
    for key in sides:
        if key not in with_actors:
            report(f"side {key!r} has no actors: texts can never name it", where.header(f"sides.{key}"), "warning")


def alias_key(text: str) -> str:
    """How an alias is compared: case, curly apostrophes and full stops ignored."""
    return " ".join(t.rstrip(".") for t in text.lower().replace("’", "'").split())


class _Locator:
    """Line numbers in the profile's source for tables, keys and quoted values."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.tables: list[tuple[str, int]] = []  # (header, 0-based line)
        for n, raw in enumerate(self.lines):
            match = re.match(r"\s*\[\[?\s*([\w.\-\"]+)\s*\]\]?", raw)
            if match:
                self.tables.append((match.group(1).replace('"', ""), n))

    def header(self, name: str) -> int:
        return next((n + 1 for header, n in self.tables if header == name or header.startswith(name + ".")), 0)

    def table(self, name: str, index: int) -> int:
        starts = [n for header, n in self.tables if header == name]
        return starts[index] + 1 if index < len(starts) else 0

    def _span(self, name: str, index: int) -> range:
        start = self.table(name, index)
        if not start:
            return range(0)
        following = [n for _, n in self.tables if n >= start]
        return range(start - 1, following[0] if following else len(self.lines))

    def key_in(self, name: str, index: int):
        """A function: key -> the line of `key =` inside the index-th [name] table."""
        def line_of(key: str) -> int:
            for n in self._span(name, index):
                if re.match(rf"\s*{re.escape(key)}\s*=", self.lines[n]):
                    return n + 1
            return self.table(name, index)
        return line_of

    def value_in(self, name: str, index: int, value: str) -> int:
        """The line of the index-th [name] table where `value` stands quoted (a plain search:
        one regex per alias of a profile cost a start-up a third of a second)."""
        quoted = [f"{a}{value}{b}" for a in "\"'" for b in "\"'"]
        return next((n + 1 for n in self._span(name, index) if any(q in self.lines[n] for q in quoted)),
                    self.table(name, index))
