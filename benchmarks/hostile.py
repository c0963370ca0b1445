"""How each hostile input's cost grows: every shape of frontlines.testing at a size and at
twice that size, the time of each stage and the ratio (near 2 for a linear stage, 4 for a
quadratic one), and the peak memory.

Each measurement runs in a fresh process (so peak memory is that input's), with the stages
`read` (decode and reader), `segment`, `dates`, `parse` (spaCy) and `extract` (actors,
places, events); `--stages` picks some.  Prints figures, asserts nothing.

    python benchmarks/hostile.py [--size 250000] [--shapes NAME,...] [--stages read,segment,...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

STAGES = ("read", "segment", "dates", "parse", "extract")
PIPELINE = {"segment": ("segment",), "dates": ("dates",), "parse": ("parse",),
            "extract": ("actors", "places", "events")}
LIMIT_S = 300


def measure(shape_name: str, size: int, stages: tuple[str, ...]) -> dict:
    """Times (s) of the stages and peak memory (MB) on one input, in a child process."""
    code = f"""
import json, resource, time
from frontlines.testing import shape
from frontlines.ingest import read_string
from frontlines.ingest.loading import decode
from frontlines.model import Analysis
from frontlines.registry import stages
made = shape({shape_name!r})
data = made.make({size})
times = {{}}
started = time.perf_counter()
try:
    doc = read_string(decode(data, "x"), source="x" + made.suffix)
except Exception as err:
    print(json.dumps({{"refused": str(err)[:120]}}))
    raise SystemExit
times["read"] = time.perf_counter() - started
analysis = Analysis(document=doc)
for name, parts in {[(s, PIPELINE[s]) for s in stages if s != "read"]!r}:
    started = time.perf_counter()
    for part in parts:
        stages.get(part)(analysis)
    times[name] = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"times": times, "peak_mb": rss, "sentences": len(analysis.sentences)}}))
"""
    try:
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=LIMIT_S)
    except subprocess.TimeoutExpired:
        return {"timeout": LIMIT_S}
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed"}
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    from frontlines.testing import SHAPES

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=250_000, help="bytes of the smaller input")
    parser.add_argument("--shapes", default=",".join(s.name for s in SHAPES))
    parser.add_argument("--stages", default="read,segment,dates")
    args = parser.parse_args()
    stages = tuple(s for s in STAGES if s in args.stages.split(","))
    print(f"sizes {args.size:,} and {2 * args.size:,} bytes; stages {', '.join(stages)}; "
          "ratio = time at 2x / time at 1x (2 is linear)")
    header = f"{'shape':<22}" + "".join(f"{s + ' s':>10}{'ratio':>7}" for s in stages) + f"{'peak MB':>9}"
    print(header)
    for name in args.shapes.split(","):
        started = time.perf_counter()
        small, large = measure(name, args.size, stages), measure(name, 2 * args.size, stages)
        if "times" not in small or "times" not in large:
            print(f"{name:<22}{json.dumps(large if 'times' in small else small)[:100]}")
            continue
        cells = ""
        for stage in stages:
            one, two = small["times"][stage], large["times"][stage]
            ratio = two / one if one > 0.005 else float("nan")
            cells += f"{two:>10.2f}{ratio:>7.1f}"
        print(f"{name:<22}{cells}{large['peak_mb']:>9.0f}   ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
