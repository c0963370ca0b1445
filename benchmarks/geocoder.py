"""Geocoder benchmark: index build time, start-up time and peak memory, lookups per second."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "examples" / "homs-offensive-2024.txt"
NAMES = [
    "Ar Rastan", "Al-Rastan", "Talbiseh", "Talbisah", "Tadmur", "Palmyra", "Karyetin",
    "Al-Qaryatayn", "al-Qusair", "Homs", "Hama", "Idlib", "Aleppo", "Daraa", "Deir Ezzor", "Raqqa",
    "Kobani", "Tripoli", "Moscow", "Teir Maalah", "Deir Ful", "Arida", "Jousieh", "Ghasibiyya",
    "Beirut", "Latakia",
]

BUILD = """
import time
t0 = time.perf_counter()
from frontlines.geo.build import base_index_path
path = base_index_path()
print(time.perf_counter() - t0, path.stat().st_size)
"""

# Run in a fresh interpreter, so that start-up and memory are what a user's first call costs.
STARTUP = """
import resource, time
t0 = time.perf_counter()
from frontlines.geo import Geocoder
geo = Geocoder.default()
first = geo.resolve("Al-Rastan")
t1 = time.perf_counter()
print(t1 - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, first.place.name)
"""


def _child(code: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


def _lookups_per_second(seconds: float = 1.0) -> tuple[float, float]:
    """Resolutions per second without the per-process lookup cache, and with it."""
    from frontlines.geo import Geocoder

    geo = Geocoder.default()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        geo._cache.clear()  # measure the index, not the memo
        for name in NAMES:
            geo.resolve(name)
        count += len(NAMES)
    cold = count / (time.perf_counter() - start)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for name in NAMES:
            geo.resolve(name)
        count += len(NAMES)
    return cold, count / (time.perf_counter() - start)


def _scan_rate() -> float:
    """Characters per second of place scanning + resolution over the bundled article."""
    from frontlines.extract.places import place_mentions
    from frontlines.geo import Geocoder
    from frontlines.ingest import read_document
    from frontlines.pipeline import run
    from frontlines.profiles import load_profile

    doc = read_document(ARTICLE)
    analysis = run(doc, stage_names=("segment", "dates"))
    geo = Geocoder.default()
    geo._cache.clear()
    start = time.perf_counter()
    place_mentions(analysis, load_profile("syria"), geo)
    return len(doc.text) / (time.perf_counter() - start)


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "FRONTLINES_HOME": home, "FRONTLINES_CACHE": str(Path(home) / "cache")}
        os.environ.update(env)
        build_s, size = _child(BUILD, env).split()
        print(f"index build (first use):      {float(build_s):6.2f} s,"
              f" {int(size) / 1e6:.1f} MB on disk")
        runs = [_child(STARTUP, env).split() for _ in range(3)]
        startup = min(float(r[0]) for r in runs)
        memory = max(float(r[1]) for r in runs)
        print(f"start-up + first lookup:      {startup:6.3f} s (best of 3, fresh interpreter)")
        print(f"peak memory (RSS) after that: {memory:6.1f} MB")
        cold, warm = _lookups_per_second()
        print(f"lookups per second:           {cold:8.0f} uncached, {warm:8.0f} repeated names")
        print(f"article scan + resolution:    {_scan_rate() / 1000:8.1f} k characters/s")


if __name__ == "__main__":
    main()
