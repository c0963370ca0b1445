"""Store growth benchmark: documents/s of ingest, batch after batch, into one growing store.

Ingests `--documents` synthetic news-length documents (default 20,000, ~450 words each) in
batches of `--batch` (default 1,000) into one SQLite store and prints, for every batch, the
documents per second, the rows stored so far and the file size; then the speed of the last
batch relative to the first.  Merging looks its candidates up through the (place, type, date)
indexes, so the speed should stay flat as the store grows (the issue asks that the last batch
runs at no less than half the speed of the first).

By default the documents are pre-extracted: each is a real `Analysis` (document text, ~25
sentences with dates and footnotes, a reference list) with contract-shaped event and change
rows made directly, so the figures measure the store — sentences, references, places,
candidate lookups, merges — and not extraction.  `--extract` runs the full pipeline on the
same texts instead (much slower; use it with fewer documents).

The coverage moves through two years of a war: document j reports events of the days around
its position in time, drawn from a pool of "true" events at 400 places, with the usual
variations of re-reports (a day off, a side missing, another spelling of the place); with
the defaults about five reports in six merge into a stored row, so the rows it is merged
against keep growing.

Prints figures, asserts nothing, exits 0.  The default run takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from frontlines.model import (  # noqa: E402
    Analysis,
    Document,
    Reference,
    Sentence,
    SentenceDate,
)
from frontlines.store import open_store  # noqa: E402

START = date(2023, 1, 1)
DAYS = 730
PLACES = 400
EVENTS_PER_DAY = 12
TYPES = (("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
         ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Violence against civilians", "Attack"), ("Strategic developments", "Looting/property destruction"))
SIDES = ("government", "opposition", "sdf", "isis")
FILLER = ("Aid agencies said thousands of families had left their homes in the area in recent days, "
          "and prices of bread and fuel rose sharply in the markets of the region.")
PUBLISHERS = ("Reuters", "AFP", "Al Jazeera", "Syrian Observatory for Human Rights", "Enab Baladi")


def place(n: int) -> dict:
    lat, lon = 32.5 + (n * 37 % 400) / 100, 35.8 + (n * 53 % 600) / 100
    return {"place_id": f"gn:{900000 + n}", "name": f"Tell Qasr {n}", "latitude": lat, "longitude": lon}


def true_events(rng: random.Random) -> dict[int, list[dict]]:
    """The events that "really" happened, by day."""
    by_day: dict[int, list[dict]] = {}
    for day in range(DAYS):
        for _ in range(EVENTS_PER_DAY):
            kind = rng.choice(TYPES)
            side1, side2 = rng.sample(SIDES, 2)
            by_day.setdefault(day, []).append({"place": place(rng.randrange(PLACES)), "type": kind,
                                               "side1": side1, "side2": side2, "day": day,
                                               "capture": rng.random() < 0.15})
    return by_day


def document(j: int, total: int, pool: dict[int, list[dict]], rng: random.Random) -> Analysis:
    """Document j: a news story about the days around its place in the two years."""
    today = min(DAYS - 1, j * DAYS // total)
    published = START + timedelta(days=today)
    reported = [rng.choice(pool[max(0, today - rng.randrange(3))]) for _ in range(rng.randint(3, 6))]
    sentences_text = [f"Story {j}: fighting across the region, published {published.isoformat()}."]
    for k, true in enumerate(reported):
        sentences_text.append(_sentence(true, k, j))
    while len(sentences_text) < 25:
        sentences_text.append(f"{FILLER} ({j}.{len(sentences_text)})")
    text, sentences = _layout(sentences_text, published)
    doc = Document(text=text, title=sentences_text[0], published=published, source=f"synthetic/{j}.txt",
                   references={n: Reference(number=n, text=f"Report {j}-{n}. {p}.", title=f"Report {j}-{n}",
                                            publisher=p, url=f"https://example.org/{j}/{n}")
                               for n, p in enumerate(rng.sample(PUBLISHERS, 3), start=1)})
    analysis = Analysis(document=doc, sentences=sentences)
    for k, true in enumerate(reported):
        sentence = sentences[k + 1]
        analysis.events.append(_event_row(true, sentence, doc, rng))
        if true["capture"]:
            analysis.control_changes.append(_change_row(true, sentence, doc, rng))
    return analysis


def _sentence(true: dict, k: int, j: int) -> str:
    """Each story words it its own way (the same wording would be a reprint)."""
    when = (START + timedelta(days=true["day"])).strftime("%-d %B %Y")
    return (f"On {when}, {true['side1']} forces were reported in {true['place']['name']} "
            f"({true['type'][1].lower()}) against {true['side2']} positions, story {j} said.[{k % 3 + 1}]")


def _layout(texts: list[str], published: date) -> tuple[str, list[Sentence]]:
    sentences, parts, offset = [], [], 0
    for i, text in enumerate(texts):
        sentences.append(Sentence(index=i, start=offset, end=offset + len(text), text=text,
                                  paragraph=i // 4, footnotes=[i % 3 + 1] if i else [],
                                  date=SentenceDate(published, "day", "published")))
        parts.append(text)
        offset += len(text) + 1
    return " ".join(parts), sentences


def _event_row(true: dict, sentence: Sentence, doc: Document, rng: random.Random) -> dict:
    day = START + timedelta(days=true["day"] + rng.choice((0, 0, 0, 1, -1)))
    spot = true["place"]
    return {
        "event_id_cnty": None, "event_date": day.isoformat(), "year": day.year, "time_precision": 1,
        "disorder_type": "Political violence", "event_type": true["type"][0],
        "sub_event_type": true["type"][1], "actor1": None, "actor2": None, "location": spot["name"],
        "latitude": spot["latitude"], "longitude": spot["longitude"], "geo_precision": 1,
        "notes": sentence.text, "fatalities": rng.choice((None, 0, 1, 3)),
        "side1": true["side1"] if rng.random() > 0.2 else None, "side2": true["side2"],
        "claim": "reported", "evidence": sentence.text, "evidence_span": [sentence.start, sentence.end],
        "sources": [{"number": n, "title": doc.references[n].title, "publisher": doc.references[n].publisher,
                     "date": None, "url": doc.references[n].url} for n in sentence.footnotes],
        "geonames_id": int(spot["place_id"][3:]), "place_id": spot["place_id"],
        "place_aliases": [spot["name"], spot["name"].replace("Tell", "Tal")],
        "confidence": round(rng.uniform(0.5, 0.95), 2), "doc_id": doc.doc_id, "corroboration": [],
    }


def _change_row(true: dict, sentence: Sentence, doc: Document, rng: random.Random) -> dict:
    day = START + timedelta(days=true["day"] + rng.choice((0, 0, 1)))
    spot = true["place"]
    return {
        "place": spot["name"], "place_aliases": [spot["name"]], "geonames_id": int(spot["place_id"][3:]),
        "place_id": spot["place_id"], "latitude": spot["latitude"], "longitude": spot["longitude"],
        "date": day.isoformat(), "date_precision": "day", "new_controller": true["side1"],
        "previous_controller": true["side2"], "kind": "capture",
        "claim": "reported" if rng.random() > 0.1 else "denied", "evidence": sentence.text,
        "evidence_span": [sentence.start, sentence.end], "sources": [],
        "confidence": round(rng.uniform(0.5, 0.95), 2), "doc_id": doc.doc_id,
    }


def extracted(analysis: Analysis) -> Analysis:
    """The full pipeline over the same text (for --extract)."""
    from frontlines.pipeline import run

    doc = analysis.document
    return run(Document(text=doc.text, title=doc.title, published=doc.published, source=doc.source))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--db", help="store to ingest into (default: a new temporary file)")
    parser.add_argument("--extract", action="store_true",
                        help="run the extraction pipeline instead of ingesting pre-extracted rows")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    pool = true_events(rng)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "growth.db"
        run_batches(db, args, pool, rng)


def run_batches(db: Path, args, pool, rng) -> None:
    mode = "full extraction pipeline" if args.extract else "pre-extracted contract rows (measures the store, not extraction)"
    print(f"ingest_growth: {args.documents} documents in batches of {args.batch} into {db}")
    print(f"documents: synthetic news stories (~25 sentences, 3 references, 3-6 events); {mode}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"{'batch':>5} {'documents':>9} {'seconds':>8} {'docs/s':>8} {'events':>8} {'changes':>8} "
          f"{'mentions':>9} {'MB':>7}")
    speeds = []
    with open_store(db) as store:
        for number, first in enumerate(range(0, args.documents, args.batch), start=1):
            size = min(args.batch, args.documents - first)
            batch = [document(j, args.documents, pool, rng) for j in range(first, first + size)]
            started = time.perf_counter()
            for analysis in batch:
                store.ingest_analysis(extracted(analysis) if args.extract else analysis)
            seconds = time.perf_counter() - started
            speeds.append(size / seconds)
            counts = store.counts()
            megabytes = sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6
            print(f"{number:>5} {first + size:>9} {seconds:>8.2f} {speeds[-1]:>8.1f} {counts['events']:>8} "
                  f"{counts['changes']:>8} {counts['event_mentions'] + counts['change_mentions']:>9} "
                  f"{megabytes:>7.1f}", flush=True)
    if speeds:
        print(f"first batch {speeds[0]:.1f} docs/s, last batch {speeds[-1]:.1f} docs/s: "
              f"last/first = {speeds[-1] / speeds[0]:.2f} (the issue asks >= 0.5)")


if __name__ == "__main__":
    main()
