"""An infobox flattened into plain lines (a copied or mirrored encyclopedia article): its
labelled fields ("Date", "Result", "Strength", ...) read back as a dict, as the HTML and
wikitext readers give theirs.

The labels are those of the "Infobox military conflict" template; a value runs from its
label to the next label, over as many lines as it takes ("Territorial" / "changes" is one
label split over two lines).  Only the lines before the first paragraph of running prose
are read: an infobox comes before the article's lead.  Footnote markers stay in the values,
so that each value can cite its references.
"""

from __future__ import annotations

import re

# Label (as printed) -> the field name the wikitext template uses.
LABELS = {
    "date": "date", "location": "place", "place": "place", "result": "result",
    "territorial changes": "territory", "belligerents": "combatants",
    "commanders and leaders": "commanders", "units involved": "units", "strength": "strength",
    "casualties and losses": "casualties", "status": "status",
}
_ORDERED = sorted(LABELS, key=len, reverse=True)
# An image file name flags printed before a unit ("Flag of X.svg  Syrian Armed Forces").
_IMAGE = re.compile(r"^.*?\.(?:svg|png|jpe?g|gif|webp)\b\s*", re.IGNORECASE)
_PROSE_WORDS = 12
# Two columns flattened into one line: "Unknown 2,000 fighters" is "Unknown" and "2,000 fighters".
_UNKNOWN_FIRST = re.compile(r"^(Unknown)\s+(?=\S)", re.IGNORECASE)


def _is_prose(line: str) -> bool:
    return len(line.split()) >= _PROSE_WORDS and bool(re.search(r"[.!?](?:\s*\[\d+\])*\s*$", line))


def _label_at(line: str) -> tuple[str, str] | None:
    """(label, rest of the line) when the line starts with an infobox label."""
    lowered = line.lower()
    for label in _ORDERED:
        if lowered.startswith(label):
            rest = line[len(label):]
            # "Date5 December 2024" (label glued to its value) or "Result Opposition victory";
            # not "Locations", "Dates" or a map caption ("Location of Homs within Syria").
            if rest.strip().lower().startswith(("of ", "in ", "within ")):
                return None
            if not rest or not rest[0].isalpha() or rest[0].isupper():
                return label, rest.strip(" :")
    return None


def flattened_infobox(text: str) -> dict[str, str]:
    """The fields of a flattened infobox at the top of `text`; empty when there is none."""
    lines = [" ".join(line.replace("\u00a0", " ").split()) for line in text.split("\n")]
    lines = [line for line in lines if line]
    fields: dict[str, list[str]] = {}
    current: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        if _is_prose(line):
            break
        joined = f"{line} {lines[index + 1]}" if index + 1 < len(lines) else line
        found = _label_at(line)
        two_lines = _label_at(joined)
        if two_lines and len(two_lines[0]) > len(line) and not two_lines[1]:
            found, index = two_lines, index + 1  # "Territorial" + "changes"
        if found is not None:
            current = LABELS[found[0]]
            fields.setdefault(current, [])
            if found[1]:
                fields[current].append(found[1])
        elif current is not None:
            fields[current].append(_IMAGE.sub("", line))
        index += 1
    return {name: _joined(name, values) for name, values in fields.items() if any(values)}


def _joined(name: str, values: list[str]) -> str:
    if name == "strength" and values:
        values = [part for value in values for part in _UNKNOWN_FIRST.sub(r"\1\n", value).split("\n")]
    separator = " " if name == "date" else "; "
    return separator.join(v for v in values if v)
