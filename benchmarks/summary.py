"""One table of the figures that matter: speed, start-up, memory and ingest rate.

Runs short versions of the other benchmarks in this folder (it imports their functions, so
the figures are measured the same way) and prints the machine, then one Markdown table:

* words/s of `frontlines.extract` on ~500-word documents on one core, spaCy `en_core_web_sm`
  NER alone and its full pipeline on the same text, and extract's ratio to the full pipeline
  (throughput.py);
* start-up: `python -m frontlines extract` on the bundled article to its first output line
  (median of 5), and the gazetteer's first-use index build, start-up + first lookup and peak
  memory (geocoder.py);
* peak memory (max RSS) of `frontlines extract --json` on the bundled article and on a
  10 MB text (1 MB with --quick, or when 10 MB would take over the time budget);
* ingest into SQLite: documents/s of the store alone on pre-extracted documents
  (ingest_growth.py), and of `frontlines ingest FOLDER` end to end (read, extract, store).

Everything runs in a temporary FRONTLINES_HOME: the user's gazetteer and cache are not
touched, and the index build is a real first use.  Prints figures, asserts nothing, exits 0.
`make bench` runs it; `--quick` takes ~5 minutes (the 1 MB text ~100 s of it), the default longer.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import geocoder as geo_bench  # noqa: E402
import ingest_growth  # noqa: E402  (puts src/ on sys.path)
import throughput  # noqa: E402

Row = tuple[str, str, str]  # measure, value, detail


def extraction_rows(words: int, repeat: int) -> list[Row]:
    paras = throughput.corpus(throughput.narrative_paragraphs(), words)
    docs = throughput.documents(paras, 500)
    total = throughput.word_count(paras)
    nlp, about = throughput.load_spacy_ner()
    full, _ = throughput.load_spacy_full() if nlp is not None else (None, about)
    best = throughput.throughput(paras, docs, nlp, repeat, full)
    ours = total / best["frontlines"][0]
    rows = [("extract throughput, one core", f"{ours:,.0f} words/s",
             f"{total:,} words in {len(docs)} documents of ~500 words, CPU time, best of {repeat}")]
    if nlp is None:
        rows.append(("spaCy en_core_web_sm NER alone", "skipped", about))
        return rows
    theirs = total / best["spacy"][0]
    rows.append(("spaCy en_core_web_sm NER alone", f"{theirs:,.0f} words/s", about))
    if full is not None:
        whole = total / best["full"][0]
        rows.append(("spaCy en_core_web_sm full pipeline", f"{whole:,.0f} words/s", "same text, same core"))
        rows.append(("ratio frontlines / spaCy full pipeline", f"{ours / whole:.2f}", "target >= 1.2"))
    return rows


# Start-up + first lookup in a fresh interpreter.  Peak memory is the kernel's high-water
# mark of this process (VmHWM, reset by exec); ru_maxrss would count the RSS of the parent it
# was forked from, and this parent holds the benchmarks' imports by now.
STARTUP = """
import resource, sys, time
t0 = time.perf_counter()
from frontlines.geo import Geocoder
geo = Geocoder.default(sys.argv[1])
first = geo.resolve(sys.argv[2])
t1 = time.perf_counter()
try:
    peak = next(int(line.split()[1]) for line in open("/proc/self/status")
                if line.startswith("VmHWM")) / 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(t1 - t0, peak, first.place.name)
"""


def _startup(env: dict[str, str], focus: str, name: str) -> tuple[float, float]:
    """(seconds, peak MB) of the best of 3 fresh starts, after one that builds the index."""
    command = [sys.executable, "-c", STARTUP, focus, name]
    runs = []
    for _ in range(4):
        out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        runs.append(out.stdout.split())
    return min(float(r[0]) for r in runs[1:]), max(float(r[1]) for r in runs[1:])


def gazetteer_rows(env: dict[str, str]) -> list[Row]:
    build_s, size = geo_bench._child(geo_bench.BUILD, env).split()
    seconds, peak = _startup(env, "SY", "Al-Rastan")
    started = time.perf_counter()
    geo_bench._child(STARTUP.replace("sys.argv[1]", '"UA"').replace("sys.argv[2]", '"Kupiansk"'), env)
    ua_build = time.perf_counter() - started
    ua_seconds, ua_peak = _startup(env, "UA", "Kupiansk")
    return [
        ("gazetteer index build, first use", f"{float(build_s):.1f} s",
         f"{int(size) / 1e6:.0f} MB on disk; a profile focused outside Syria and its neighbours"
         f" builds its own once (UA: {ua_build:.1f} s)"),
        ("gazetteer start-up + first lookup", f"{seconds:.3f} s",
         f"fresh interpreter, best of 3; peak RSS {peak:.0f} MB"
         f" (UA focus: {ua_seconds:.3f} s, {ua_peak:.0f} MB)"),
    ]


def cli_rows(workdir: Path, big_mb: float, budget: float) -> list[Row]:
    median, best, cpu, _ = throughput.startup_seconds()
    rows = [("start-up to first result, `frontlines extract` bundled article", f"{median:.2f} s",
             f"median of 5 runs (best {best:.2f} s, CPU {cpu:.2f} s): interpreter, imports, spaCy,"
             f" profile, gazetteer, the article extracted")]
    article_words = len(throughput.ARTICLE.read_text(encoding="utf-8").split())
    seconds, rss, code, _ = throughput.run_cli(throughput.ARTICLE)
    rows.append(("peak memory, extract bundled article", f"{rss:.0f} MB",
                 f"{article_words:,} words in {seconds:.1f} s{_status(code)}"))
    paragraphs = throughput.narrative_paragraphs()
    probe_mb = min(1.0, big_mb)
    probe = throughput._run_synthetic(paragraphs, workdir, probe_mb, budget)
    if probe is None:
        return rows + [(f"peak memory, extract {probe_mb:g} MB text", "timeout",
                        f"killed after {budget:.0f} s")]
    size, result, note = probe_mb, probe, ""
    if big_mb > probe_mb:
        predicted = probe[1] * (big_mb / probe_mb) ** 1.1  # about linear in the size
        big = (throughput._run_synthetic(paragraphs, workdir, big_mb, budget * 1.5)
               if predicted <= budget else None)
        if big is not None:
            size, result = big_mb, big
        else:
            note = f"; {big_mb:g} MB skipped (~{predicted:.0f} s, over the {budget:.0f} s budget)"
    words, seconds, rss, code = result
    rows.append((f"peak memory, extract {size:g} MB text", f"{rss:.0f} MB",
                 f"{words:,} words in {seconds:.1f} s{_status(code)}{note}"))
    return rows


def ingest_rows(workdir: Path, store_docs: int, cli_docs: int) -> list[Row]:
    rng = random.Random(7)
    pool = ingest_growth.true_events(rng)
    batch = [ingest_growth.document(j, store_docs, pool, rng) for j in range(store_docs)]
    db = workdir / "store.db"
    with ingest_growth.open_store(db) as store:
        started = time.perf_counter()
        for analysis in batch:
            store.ingest_analysis(analysis)
        seconds = time.perf_counter() - started
    rows = [("ingest into SQLite, store only", f"{store_docs / seconds:,.0f} docs/s",
             f"{store_docs:,} pre-extracted news-length documents, merged into one store")]

    folder = workdir / "news"
    folder.mkdir()
    paras = throughput.corpus(throughput.narrative_paragraphs(), cli_docs * 520)
    docs = throughput.documents(paras, 500)[:cli_docs]
    for i, text in enumerate(docs):
        (folder / f"story-{i:04d}.txt").write_text(text, encoding="utf-8")
    words = throughput.word_count(docs)
    cli = [sys.executable, "-m", "frontlines", "ingest", str(folder), "--db", str(workdir / "cli.db")]
    started = time.perf_counter()
    done = subprocess.run(cli, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    rows.append(("ingest into SQLite, `frontlines ingest` end to end",
                 f"{len(docs) / seconds:,.1f} docs/s",
                 f"{len(docs)} files of ~500 words ({words / seconds:,.0f} words/s): read, extract,"
                 f" store; one process{_status(done.returncode)}"))
    return rows


def _status(code: int) -> str:
    return "" if code == 0 else f" (exit code {code})"


def print_table(rows: list[Row]) -> None:
    widths = [max(len(r[i]) for r in rows + [("measure", "value", "detail")]) for i in range(3)]
    line = "| " + " | ".join(f"{{:<{w}}}" for w in widths) + " |"
    print(line.format("measure", "value", "detail"))
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for row in rows:
        print(line.format(*row))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="smaller runs (1 MB big text, fewer words and documents): ~5 minutes")
    parser.add_argument("--words", type=int, help="throughput corpus size (default 100000; quick 20000)")
    parser.add_argument("--big-mb", type=float, help="size of the big text (default 10; quick 1)")
    parser.add_argument("--budget", type=float, default=180.0,
                        help="seconds allowed for the big text (default 180)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    words = args.words or (20_000 if args.quick else 100_000)
    big_mb = args.big_mb or (1.0 if args.quick else 10.0)
    store_docs, cli_docs = (500, 40) if args.quick else (3_000, 200)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        env = {**os.environ, "FRONTLINES_HOME": str(home), "FRONTLINES_CACHE": str(home / "cache")}
        os.environ.update(env)  # this process and every child: a first use, nothing of the user's
        pinned = throughput.pin_one_core()
        rows = gazetteer_rows(env)
        rows += extraction_rows(words, 1 if args.quick else 2)
        rows += cli_rows(Path(tmp), big_mb, args.budget)
        rows += ingest_rows(Path(tmp), store_docs, cli_docs)
    print(f"machine: {throughput.machine()}; {pinned}")
    print(f"frontlines benchmarks summary ({'quick' if args.quick else 'default'} run,"
          f" {time.perf_counter() - started:.0f} s; {time.strftime('%Y-%m-%d')})\n")
    print_table(rows)


if __name__ == "__main__":
    main()
