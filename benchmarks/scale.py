"""Scale-out benchmark: documents/s of ingest with the local engine and on Dask, 1 and 2 workers.

Builds a synthetic corpus of `--documents` news texts (default 2,000 of about `--words` 130
words) by recombining the narrative paragraphs of the bundled texts (`examples/`, the gold set
and the store's test corpus) under a distinct headline and dateline each, so every document
has its own id.  Starts a PostgreSQL server the way the tests do (`tests/pg.py`: `initdb`
into a temporary folder, a free loopback port), then ingests the whole corpus from files:

* the local engine (one process) into a new SQLite file, and into a new PostgreSQL database;
* the Dask engine on a local cluster of each `--workers` count (default 1 and 2) into a new
  PostgreSQL database: each worker extracts and stores its partitions itself, the client
  only schedules.

For each: documents per second, and for Dask the speed-up over one worker and the parallel
efficiency (speed-up / workers).  The cluster's start-up (about a second per worker) is
measured apart and left out of the rates; so is the first build of the gazetteer index.

The store's own cost per document is printed too (documents extracted beforehand, then
stored one transaction each): milliseconds and SQL statements per document, on SQLite and
on PostgreSQL.  Efficiency needs free cores: the load average before the runs is printed
beside the core count.

`--scheduler tcp://HOST:8786 --db postgresql://...` measures an existing cluster and database
instead; `--corpus DIR` writes the corpus to a folder every worker can read.

Prints figures, asserts nothing, exits 0.
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

sys.path.insert(0, str(ROOT))

SOURCES = [ROOT / "examples", ROOT / "tests" / "data" / "gold", ROOT / "tests" / "data" / "corpus"]
WORDS = 130
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


def write_corpus(folder: Path, count: int, seed: int, words_per_document: int = WORDS) -> int:
    """`count` documents of about `words_per_document` words each; the words written."""
    pool, rng, total = paragraphs(), random.Random(seed), 0
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        day = START + timedelta(days=n % 14)
        body, words = [], 0
        while words < words_per_document:
            body.append(rng.choice(pool))
            words += len(body[-1].split())
        outlet = OUTLETS[n % len(OUTLETS)]
        text = (f"{outlet} report {n}: fighting across Syria\n\n{day.strftime('%-d %B %Y')}\n\n"
                + "\n\n".join(body) + "\n")
        (folder / f"{n:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text.split())
    return total


def timed_ingest(folder: Path, db: str | Path, **engine) -> tuple[float, object]:
    """Seconds and summary of one ingest, each document within the command's default time
    and memory budget (as `frontlines ingest` runs it)."""
    from frontlines.budget import default_timeout

    with open_store(db) as store:
        started = time.perf_counter()
        summary = ingest_paths(store, [folder], progress=False, report=lambda _m: None,
                               timeout=default_timeout(), **engine)
        return time.perf_counter() - started, summary


class Databases:
    """A new database per run: an SQLite file, or a PostgreSQL database on the server this
    benchmark started (or the one given with --db, emptied of nothing: use a new one)."""

    def __init__(self, tmp: Path, given: str | None) -> None:
        self.tmp, self.given, self.server = tmp, given, None

    def sqlite(self, name: str) -> Path:
        return self.tmp / f"{name}.db"

    def postgres(self) -> str | None:
        if self.given:
            return self.given
        if self.server is None:
            from tests import pg

            try:
                self.server = pg.start()
            except pg.Unavailable as err:
                print(f"  PostgreSQL runs skipped: {err}")
                self.given = ""
                return None
        return self.server.create_database()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


def dask_runs(folder: Path, dbs: Databases, args) -> list[tuple[str, int, float]]:
    """(label, workers, seconds) per Dask run, each into a new PostgreSQL database."""
    from distributed import Client, LocalCluster

    from frontlines.scale.driver import PLUGIN_NAME
    from frontlines.scale.worker import PipelinePlugin

    if args.scheduler:
        with Client(args.scheduler) as client:
            count = len(client.nthreads())
            client.register_plugin(PipelinePlugin("syria"), name=PLUGIN_NAME)
        seconds, _ = timed_ingest(folder, dbs.postgres() or dbs.sqlite("remote"), engine="dask",
                                  scheduler=args.scheduler)
        return [(f"dask, {args.scheduler}", count, seconds)]
    runs = []
    for count in args.workers:
        db = dbs.postgres()
        if db is None:
            break
        started = time.perf_counter()
        with LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            client.register_plugin(PipelinePlugin("syria"), name=PLUGIN_NAME)  # warm, untimed
            print(f"  local cluster of {count} worker(s) up and warm in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
            seconds, summary = timed_ingest(folder, db, engine="dask",
                                            scheduler=cluster.scheduler_address)
        print(f"  dask, {count} worker(s), PostgreSQL: {summary.line('store')}", flush=True)
        runs.append((f"dask, {count} worker(s) -> PostgreSQL", count, seconds))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=2_000)
    parser.add_argument("--words", type=int, default=WORDS, help="words per document (about)")
    parser.add_argument("--workers", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2],
                        help="comma-separated local cluster sizes (default 1,2)")
    parser.add_argument("--scheduler", help="an existing Dask scheduler to measure instead")
    parser.add_argument("--db", help="an existing (empty) PostgreSQL database instead of our own")
    parser.add_argument("--corpus", type=Path, help="folder for the corpus (default: temporary)")
    parser.add_argument("--no-local", action="store_true", help="skip the local engine's runs")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        os.environ.setdefault("FRONTLINES_HOME", str(tmp / "home"))
        folder = args.corpus or tmp / "corpus"
        words = write_corpus(folder, args.documents, args.seed, args.words)
        print(f"scale: {args.documents} documents, {words / args.documents:.0f} words each on "
              f"average, recombined from {len(paragraphs())} bundled paragraphs, in {folder}")
        print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}, "
              f"Python {platform.python_version()}; load average before the runs "
              f"{os.getloadavg()[0]:.1f} (efficiency needs free cores)")
        import frontlines

        frontlines.extract("Rebels captured Homs on 8 December 2024.")  # builds the gazetteer index once
        dbs = Databases(tmp, args.db)
        try:
            report(args, folder, dbs)
        finally:
            dbs.stop()


def merge_cost(folder: Path, db: str | Path, count: int = MERGE_SAMPLE) -> tuple[float, float, int]:
    """The store alone: milliseconds and SQL statements per document, over the first `count`
    documents, extracted beforehand, then stored one transaction each."""
    import sqlalchemy as sa

    from frontlines.corpus import Options, analyse_file

    records = [analyse_file(path, Options(), lambda _doc_id: False)
               for path in sorted(folder.iterdir())[:count]]
    statements = [0]

    def counted(*_args, **_kwargs) -> None:
        statements[0] += 1

    with open_store(db) as store:
        sa.event.listen(store.engine, "before_cursor_execute", counted)
        started = time.perf_counter()
        for record in records:
            store.ingest_record(record)
        seconds = time.perf_counter() - started
    return 1000 * seconds / len(records), statements[0] / len(records), len(records)


def report(args, folder: Path, dbs: Databases) -> None:
    rows = []
    if not args.no_local:
        for label, db in (("local engine -> SQLite", dbs.sqlite("local")),
                          ("local engine -> PostgreSQL", dbs.postgres())):
            if db is None:
                continue
            seconds, summary = timed_ingest(folder, db)
            print(f"  {label}: {summary.line('store')}", flush=True)
            rows.append((label, 0, seconds))
        for label, db in (("SQLite", dbs.sqlite("merge")), ("PostgreSQL", dbs.postgres())):
            if db is not None:
                ms, statements, count = merge_cost(folder, db)
                print(f"  store alone, {label} (the first {count} documents extracted, then "
                      f"stored): {ms:.1f} ms and {statements:.1f} statements per document "
                      f"({1000 / ms:.0f} docs/s)", flush=True)
    try:
        rows += dask_runs(folder, dbs, args)
    except ImportError:
        print('dask is not installed: pip install "frontlines[dask]" for the Dask figures')
    one = next((s for _label, n, s in rows if n == 1), None)
    print(f"{'engine':<36} {'workers':>7} {'seconds':>8} {'docs/s':>8} {'speed-up':>9} {'efficiency':>10}")
    for label, count, secs in rows:
        rate = args.documents / secs
        speedup = one / secs if one and count else None
        cells = (f"{speedup:>9.2f} {speedup / count:>10.2f}" if speedup else f"{'':>9} {'':>10}")
        print(f"{label:<36} {count or '-':>7} {secs:>8.1f} {rate:>8.1f} {cells}")
    print(f"machine: {os.cpu_count()} CPUs; load average after the runs {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
