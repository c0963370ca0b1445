"""Geocoding benchmark: over every gold place with coordinates in the corpus folders, the share
of those the system names that lie within 10 km and the number more than 100 km off, out of
the box and after `gazetteer import syria_places.csv` (and the places the import moves further
from their gold point); and the located rows that fall outside
the profile's country and its neighbours while the text never names their country.

    python benchmarks/geocoding.py [--shared ../shared] [--list]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEAR_KM = 10.0
FOLDERS = ("corpus/syria-2024", "corpus/syria-history", "corpus/other-wars", "dev")

# Runs in a fresh interpreter per configuration, so each gets its own FRONTLINES_HOME.
RUN = """
import json
import sys
from pathlib import Path
from frontlines.geo.audit import GeocodingScore, foreign_rows, run_gold_folder, score_document
from frontlines.geo.countries import countries_named
from frontlines.profiles import available_profiles, load_profile

shared, folders, show = Path(sys.argv[1]), sys.argv[2].split(","), sys.argv[3] == "1"
total, outside, skipped = GeocodingScore(), [], 0
for folder in folders:
    for name, gold, analysis in run_gold_folder(shared / folder, available_profiles()):
        score = score_document(name, gold, analysis)
        total.gold_places += score.gold_places
        total.placements += score.placements
        profile = load_profile(analysis.profile)
        allowed = {profile.iso, *profile.neighbours}
        named = countries_named(analysis.document.text)
        outside += [(name, row) for row in foreign_rows(analysis, allowed, named)]
print(total.summary() + f", outside the war's countries {len(outside)}")
print("PLACEMENTS " + json.dumps([[p.doc, p.place, round(p.km, 3)] for p in total.placements]))
if show:
    for p in sorted(total.placements, key=lambda p: -p.km):
        if p.km > 10:
            print(f"  {p.km:8.1f} km  {p.doc}: {p.place} (system: {p.system_name} {p.system})")
    for name, row in outside:
        print(f"  outside: {name}: {row}")
"""


def run(shared: Path, home: str, show: bool) -> tuple[str, dict[tuple[str, str], float]]:
    """The figures of one configuration, and the distance of each named gold place."""
    env = {**os.environ, "FRONTLINES_HOME": home}
    out = subprocess.run([sys.executable, "-c", RUN, str(shared), ",".join(FOLDERS), "1" if show else "0"],
                         env=env, capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    placed = next(line for line in lines if line.startswith("PLACEMENTS "))
    distances = {(doc, place): km for doc, place, km in json.loads(placed.split(" ", 1)[1])}
    return "\n".join(line for line in lines if line is not placed), distances


def worse(before: dict, after: dict, slack_km: float = 1.0) -> tuple[list[str], list[str]]:
    """Places the import made worse (lost, or moved further and now beyond 10 km), and those
    whose point only moved within 10 km (the imported record of the same town)."""
    out, shifted = [], []
    for key, km in sorted(before.items()):
        new = after.get(key)
        line = (f"  {key[0]}: {key[1]} {km:.1f} km -> "
                + ("not named" if new is None else f"{new:.1f} km"))
        if new is None or (new > km + slack_km and new > NEAR_KM):
            out.append("  worse:" + line[1:])
        elif new > km + slack_km:
            shifted.append("  moved:" + line[1:])
    return out, shifted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--list", action="store_true", help="list placements off by more than 10 km")
    args = parser.parse_args()
    if not (args.shared / "corpus").is_dir():
        sys.exit(f"{args.shared}: no corpus folder (pass --shared)")
    with tempfile.TemporaryDirectory() as home:
        text, before = run(args.shared, home, args.list)
        print("out of the box:      ", text)
        places = args.shared / "data" / "syria_places.csv"
        env = {**os.environ, "FRONTLINES_HOME": home}
        subprocess.run([sys.executable, "-m", "frontlines", "gazetteer", "import", str(places)],
                       env=env, check=True, capture_output=True)
        text, after = run(args.shared, home, args.list)
        print("with syria_places:   ", text)
        changed, shifted = worse(before, after)
        print(f"places worse after the import: {len(changed)}; points moved within "
              f"{NEAR_KM:.0f} km: {len(shifted)}", *changed, *(shifted if args.list else ()), sep="\n")


if __name__ == "__main__":
    main()
