"""Scale-out benchmark: documents/s of ingest with the local engine and on Dask, 1 and 2 workers.

Builds a synthetic corpus of `--documents` news-length texts (default 2,000, ~500 words each)
by recombining the narrative paragraphs of the bundled texts (`examples/`, the gold set and
the store's test corpus) under a distinct headline and dateline each, so every document has
its own id.  Then ingests the whole corpus, from files into a new SQLite store, with the
local engine, and with the Dask engine on a local cluster of each `--workers` count (default
1 and 2): documents per second, the speed-up over one worker and the parallel efficiency
(speed-up / workers).  The cluster's start-up (about a second per worker) is measured apart
and left out of the rates; so is the first build of the gazetteer index.

Extraction runs on the workers; merging into the store runs in this process, in file order,
and on a small machine it competes with the workers for the same cores.  The rate of that
merge alone (documents extracted beforehand, then stored) is printed too: it is the ceiling
of any number of workers feeding one ingest.

`--scheduler tcp://HOST:8786` measures an existing cluster instead (its workers, whatever
their number); `--corpus DIR` writes the corpus to a folder every worker can read.

Prints figures, asserts nothing, exits 0.  The default run takes a few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from frontlines.corpus import ingest_paths  # noqa: E402
from frontlines.store import open_store  # noqa: E402

SOURCES = [ROOT / "examples", ROOT / "tests" / "data" / "gold", ROOT / "tests" / "data" / "corpus"]
WORDS = 500
MIN_PARAGRAPH_WORDS = 25
START = date(2024, 11, 27)
OUTLETS = ("Wire", "Monitor", "Gazette", "Daily", "Agency", "Review")
MERGE_SAMPLE = 300


def paragraphs() -> list[str]:
    """The narrative paragraphs of the bundled texts: prose of some length, ending a sentence."""
    found = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
                block = " ".join(block.split())
                if len(block.split()) >= MIN_PARAGRAPH_WORDS and block.endswith((".", ".\"", "]")):
                    found.append(block)
    return found


def write_corpus(folder: Path, count: int, seed: int) -> int:
    """`count` documents of about WORDS words each; the number of words written."""
    pool, rng, total = paragraphs(), random.Random(seed), 0
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        day = START + timedelta(days=n % 14)
        body, words = [], 0
        while words < WORDS:
            body.append(rng.choice(pool))
            words += len(body[-1].split())
        outlet = OUTLETS[n % len(OUTLETS)]
        text = (f"{outlet} report {n}: fighting across Syria\n\n{day.strftime('%-d %B %Y')}\n\n"
                + "\n\n".join(body) + "\n")
        (folder / f"{n:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text.split())
    return total


def timed_ingest(folder: Path, db: Path, **engine) -> tuple[float, object]:
    with open_store(db) as store:
        started = time.perf_counter()
        summary = ingest_paths(store, [folder], progress=False, report=lambda _m: None, **engine)
        return time.perf_counter() - started, summary


def dask_runs(folder: Path, tmp: Path, args) -> list[tuple[str, int, float]]:
    """(label, workers, seconds) per Dask run."""
    from distributed import Client, LocalCluster

    from frontlines.scale.driver import PLUGIN_NAME
    from frontlines.scale.worker import PipelinePlugin

    if args.scheduler:
        with Client(args.scheduler) as client:
            count = len(client.nthreads())
            client.register_plugin(PipelinePlugin("syria"), name=PLUGIN_NAME)
        seconds, _ = timed_ingest(folder, tmp / "dask-remote.db", engine="dask",
                                  scheduler=args.scheduler)
        return [(f"dask, {args.scheduler}", count, seconds)]
    runs = []
    for count in args.workers:
        started = time.perf_counter()
        with LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            client.register_plugin(PipelinePlugin("syria"), name=PLUGIN_NAME)  # warm, untimed
            print(f"  local cluster of {count} worker(s) up and warm in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
            seconds, _ = timed_ingest(folder, tmp / f"dask-{count}.db", engine="dask",
                                      scheduler=cluster.scheduler_address)
        runs.append((f"dask, {count} worker(s)", count, seconds))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=2_000)
    parser.add_argument("--workers", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2],
                        help="comma-separated local cluster sizes (default 1,2)")
    parser.add_argument("--scheduler", help="an existing Dask scheduler to measure instead")
    parser.add_argument("--corpus", type=Path, help="folder for the corpus (default: temporary)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        os.environ.setdefault("FRONTLINES_HOME", str(tmp / "home"))
        folder = args.corpus or tmp / "corpus"
        words = write_corpus(folder, args.documents, args.seed)
        print(f"scale: {args.documents} documents, {words / args.documents:.0f} words each on "
              f"average, recombined from {len(paragraphs())} bundled paragraphs, in {folder}")
        print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}, "
              f"Python {platform.python_version()}; store: a new SQLite file per run")
        import frontlines

        frontlines.extract("Rebels captured Homs on 8 December 2024.")  # builds the gazetteer index once
        report(args, folder, tmp)


def merge_rate(folder: Path, db: Path, count: int = MERGE_SAMPLE) -> tuple[float, int]:
    """Documents/s of the store alone, and over how many: the first `count` documents,
    extracted, then stored."""
    from frontlines.corpus import Options, analyse_file

    records = [analyse_file(path, Options(), lambda _doc_id: False)
               for path in sorted(folder.iterdir())[:count]]
    with open_store(db) as store:
        started = time.perf_counter()
        for record in records:
            store.ingest_record(record)
        return len(records) / (time.perf_counter() - started), len(records)


def report(args, folder: Path, tmp: Path) -> None:
    seconds, summary = timed_ingest(folder, tmp / "local.db")
    rows = [("local engine (this process)", 0, seconds)]
    print(f"  local engine: {summary.line('store')}", flush=True)
    rate, count = merge_rate(folder, tmp / "merge.db")
    print(f"  merge alone (the client's share; the first {count} documents extracted, then "
          f"stored): {rate:.1f} docs/s", flush=True)
    try:
        rows += dask_runs(folder, tmp, args)
    except ImportError:
        print('dask is not installed: pip install "frontlines[dask]" for the Dask figures')
    one = next((s for _label, n, s in rows if n == 1), None)
    print(f"{'engine':<32} {'workers':>7} {'seconds':>8} {'docs/s':>8} {'speed-up':>9} {'efficiency':>10}")
    for label, count, secs in rows:
        rate = args.documents / secs
        speedup = one / secs if one and count else None
        cells = (f"{speedup:>9.2f} {speedup / count:>10.2f}" if speedup else f"{'':>9} {'':>10}")
        print(f"{label:<32} {count or '-':>7} {secs:>8.1f} {rate:>8.1f} {cells}")


if __name__ == "__main__":
    main()
