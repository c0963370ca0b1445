"""Wikipedia "detailed map" Lua modules: read their marks as places and control, write control back."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..errors import ConfigError, InputError
from ..home import home_dir

# --- a tokenizer for the Lua these modules are written in ---------------------------------

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>--\[(?P<ceq>=*)\[.*?\](?P=ceq)\]|--[^\n]*)
  | (?P<long>\[(?P<leq>=*)\[(?P<body>.*?)\](?P=leq)\])
  | (?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')
  | (?P<number>0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_]\w*)
  | (?P<punct>\.\.\.|\.\.|==|~=|<=|>=|[{}\[\]()=,;.:+\-*/%^#<>])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_ESCAPE = re.compile(r"\\(?:(\d{1,3})|x([0-9a-fA-F]{2})|u\{([0-9a-fA-F]+)\}|z\s*|(.))", re.DOTALL)


@dataclass(slots=True)
class Token:
    kind: str  # string | number | name | punct | other
    value: Any


def tokenize(text: str) -> list[Token]:
    """Lua tokens, without whitespace and comments; long brackets `[[...]]` are strings."""
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        if kind == "long":
            tokens.append(Token("string", match.group("body").removeprefix("\n")))
        elif kind == "string":
            tokens.append(Token("string", _unescape(match.group()[1:-1])))
        elif kind == "number":
            tokens.append(Token("number", _number(match.group())))
        else:
            tokens.append(Token(kind, match.group()))
    return tokens


def _unescape(body: str) -> str:
    def replace(match: re.Match) -> str:
        decimal, hexa, code, char = match.groups()
        if decimal:
            return chr(int(decimal))
        if hexa or code:
            return chr(int(hexa or code, 16))
        return "" if char is None else _ESCAPES.get(char, char)
    return _ESCAPE.sub(replace, body)


def _number(text: str) -> float | int:
    if text.lower().startswith("0x"):
        return int(text, 16)
    value = float(text)
    return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value


# --- a parser for table constructors ---------------------------------------------------------

_CONSTANTS = {"true": True, "false": False, "nil": None}
_OPEN, _CLOSE = {"{": "}", "(": ")", "[": "]"}, {"}", ")", "]"}


class _Parser:
    """Table constructors and the plain values in them; any other expression is skipped."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self, ahead: int = 0) -> Token | None:
        j = self.i + ahead
        return self.tokens[j] if j < len(self.tokens) else None

    def is_punct(self, value: str, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        return token is not None and token.kind == "punct" and token.value == value

    def tables(self) -> list[Any]:
        """Every outermost table in the module, wherever it stands (`return {...}`, `p.x = {...}`)."""
        found = []
        while self.i < len(self.tokens):
            if self.is_punct("{"):
                found.append(self.table())
            else:
                self.i += 1
        return found

    def table(self) -> dict | list:
        self.i += 1  # "{"
        named: dict[Any, Any] = {}
        positional: list[Any] = []
        while self.peek() is not None and not self.is_punct("}"):
            if self.is_punct(",") or self.is_punct(";"):
                self.i += 1
            elif self.peek().kind == "name" and self.is_punct("=", 1):
                key = self.peek().value
                self.i += 2
                named[key] = self.value()
            elif self.is_punct("["):
                self.i += 1
                key = self.value()
                self.skip_to("]")
                self.i += 1
                if self.is_punct("="):
                    self.i += 1
                named[key] = self.value()
            else:
                positional.append(self.value())
        self.i += 1  # "}"
        if not named:
            return positional
        named.update({n: v for n, v in enumerate(positional, start=1)})
        return named

    def value(self) -> Any:
        token = self.peek()
        if token is None:
            return None
        if self.is_punct("{"):
            return self.table()
        if token.kind == "punct" and token.value == "-" and self.peek(1) and self.peek(1).kind == "number":
            self.i += 2
            return -self.tokens[self.i - 1].value
        if token.kind == "string":
            return self.concatenation()
        if token.kind == "number" or (token.kind == "name" and token.value in _CONSTANTS):
            self.i += 1
            if self.at_value_end():
                return _CONSTANTS.get(token.value, token.value) if token.kind == "name" else token.value
        self.skip_to(",", ";", "}")  # an expression we do not evaluate
        return None

    def concatenation(self) -> str | None:
        """A string, or strings joined with `..`; None for any other expression."""
        parts = [self.peek().value]
        self.i += 1
        while self.is_punct("..") and self.peek(1) is not None and self.peek(1).kind == "string":
            parts.append(self.peek(1).value)
            self.i += 2
        if self.at_value_end():
            return "".join(parts)
        self.skip_to(",", ";", "}")
        return None

    def at_value_end(self) -> bool:
        token = self.peek()
        return token is None or (token.kind == "punct" and token.value in (",", ";", "}", "]"))

    def skip_to(self, *stops: str) -> None:
        """Advance to the next stop token outside any nested brackets."""
        depth = 0
        while (token := self.peek()) is not None:
            if token.kind == "punct":
                if depth == 0 and token.value in stops:
                    return
                if token.value in _OPEN:
                    depth += 1
                elif token.value in _CLOSE:
                    if depth == 0:
                        return
                    depth -= 1
            self.i += 1


def parse_tables(text: str) -> list[Any]:
    """The outermost table constructors of a Lua module, as Python dicts and lists."""
    return _Parser(tokenize(text)).tables()


def module_marks(text: str) -> list[dict]:
    """Every mark entry (a table with `lat` and `long`) of a detailed-map module, in order."""
    marks: list[dict] = []
    stack: list[Any] = list(reversed(parse_tables(text)))
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "lat" in node and ("long" in node or "lon" in node):
                marks.append(node)
                continue
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return marks


# --- marks <-> sides ---------------------------------------------------------------------------

# Colour words a marker file name may carry; those without a side in the table give no controller.
COLOUR_WORDS = frozenset({
    "red", "green", "lime", "yellow", "grey", "gray", "black", "blue", "purple", "orange",
    "olive", "white", "brown", "pink", "cyan", "magenta", "violet", "maroon", "navy", "teal",
})


@dataclass(frozen=True, slots=True)
class MarkTable:
    """How one profile's sides look on a detailed map (see wikimap_marks.toml)."""

    colours: dict[str, str]
    marks: dict[str, str]
    defaults: dict[str, str] = field(default_factory=dict)


def load_marks(profile: str) -> MarkTable:
    """The profile's table from $FRONTLINES_HOME/wikimap_marks.toml, else the shipped file."""
    for text in _mark_files():
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(f"wikimap_marks.toml: {err}") from None
        if profile in data:
            entry = data[profile]
            return MarkTable(colours=dict(entry.get("colours", {})), marks=dict(entry.get("marks", {})),
                             defaults={k: str(v) for k, v in entry.get("defaults", {}).items()})
    raise ConfigError(f"no detailed-map marker colours for profile {profile!r}; add a [{profile}.colours]"
                      f" table to {home_dir() / 'wikimap_marks.toml'}")


def _mark_files() -> list[str]:
    user = home_dir() / "wikimap_marks.toml"
    shipped = resources.files(__package__) / "wikimap_marks.toml"
    return [p.read_text(encoding="utf-8") for p in (user, shipped) if p.is_file()]


def mark_sides(mark: str, table: MarkTable) -> list[str | None]:
    """The side of each colour word in a marker file name, in order (None: a colour with no side)."""
    words = re.findall(r"[a-z]+", mark.lower())
    return [table.colours.get(word) for word in words if word in COLOUR_WORDS]


_LINK = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")
_MARKUP = re.compile(r"<[^>]*>|'{2,}")


def label_name(entry: dict) -> str | None:
    """The place name a mark shows: its label's link text, else its `link`."""
    label = entry.get("label")
    text = _LINK.sub(r"\1", label) if isinstance(label, str) else ""
    text = " ".join(_MARKUP.sub(" ", text).split())
    if not text and isinstance(entry.get("link"), str):
        text = " ".join(entry["link"].split())
    return text or None


def _coordinate(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None  # NaN


def import_rows(text: str, table: MarkTable) -> tuple[list[dict], list[dict]]:
    """Places with a controller, and the places left without one (mixed, contested, unknown colour).

    Modules stack marks on one spot (a border-post icon under a coloured dot, a siege ring
    round a town): a labelled mark whose file carries no colour takes the colour of an
    unlabelled mark on the same spot; unlabelled marks are never places of their own.
    """
    spots: dict[tuple[float, float], list[dict]] = {}
    for entry in module_marks(text):
        lat, lon = _coordinate(entry.get("lat")), _coordinate(entry.get("long", entry.get("lon")))
        if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
            spots.setdefault((round(lat, 4), round(lon, 4)), []).append(entry)
    placed: list[dict] = []
    unplaced: list[dict] = []
    for (lat, lon), entries in spots.items():
        decorations = [(e, sides) for e in entries if not label_name(e)
                       and (sides := mark_sides(str(e.get("mark", "")), table))]
        named = {label_name(e): e for e in entries if label_name(e)}
        for name, entry in named.items():
            sides = mark_sides(str(entry.get("mark", "")), table)
            if not sides and decorations:
                entry, sides = decorations[0]
            row = {"place": name, "latitude": lat, "longitude": lon, "mark": entry.get("mark")}
            if len(set(sides)) == 1 and sides[0] is not None:
                placed.append({**row, "controller": sides[0]})
            else:
                unplaced.append({**row, "controller": None,
                                 "sides": sorted({s for s in sides if s}), "why": _why(sides)})
    return placed, unplaced


def _why(sides: list[str | None]) -> str:
    if not sides:
        return "no colour in the marker's file name"
    if None in sides:
        return "a colour with no side in wikimap_marks.toml"
    return "mixed or contested control"


def read_module(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text (a Lua module is saved as UTF-8)", path) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", path) from None


# --- export ------------------------------------------------------------------------------------


def lua_string(value: str) -> str:
    """A double-quoted Lua string literal."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


def _degrees(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def mark_entry(row: dict, mark: str, defaults: dict[str, str]) -> str:
    """One entry in the modules' own layout: `{ lat = "..", long = "..", mark = "..", ... }`."""
    # A label is wiki markup: brackets and pipes in a name would break the link.
    name = re.sub(r"[\[\]{}|]", "", row["place"]).strip()
    fields = {"lat": _degrees(row["latitude"]), "long": _degrees(row["longitude"]), "mark": mark,
              "marksize": defaults.get("marksize"), "label": f"[[{name}]]"}
    fields.update({k: v for k, v in defaults.items() if k not in fields})
    body = ", ".join(f"{key} = {lua_string(value)}" for key, value in fields.items() if value is not None)
    return "{ " + body + " }"


def export_module(rows: list[dict], table: MarkTable, *, day: str, title: str = "") -> str:
    """The control state on `day` as a detailed-map module's `marks` table."""
    lines = [f"-- Control on {day}{' — ' + title if title else ''}, written by frontlines.",
             "-- Each place's evidence and sources: `frontlines control --date " + day + "`.",
             "return {", "\tmarks = {"]
    for row in sorted(rows, key=lambda r: (r.get("place") or "").casefold()):
        if not row.get("place") or row.get("latitude") is None or row.get("longitude") is None:
            continue
        mark = table.marks.get(row.get("controller") or "")
        entry = mark_entry(row, mark, table.defaults) if mark else None
        if entry is None:
            name = " ".join(str(row["place"]).split())
            lines.append(f"\t\t-- {name}: held by {row.get('controller') or 'no one known'},"
                         " which has no marker in wikimap_marks.toml")
        else:
            lines.append(f"\t\t{entry},")
    lines += ["\t},", "}", ""]
    return "\n".join(lines)
