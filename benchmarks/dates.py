"""Dates benchmark: characters per second of temporal anchoring (finding every time phrase
and dating every sentence) on news, monitor and encyclopedia text, without the parse."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXTS = sorted((ROOT / "tests" / "data" / "gold").glob("*.txt")) + [ROOT / "examples" / "homs-offensive-2024.txt"]
TARGET_CHARS = 300_000


def corpus() -> str:
    pieces, size = [], 0
    while size < TARGET_CHARS:
        for path in TEXTS:
            text = path.read_text(encoding="utf-8")
            pieces.append(text)
            size += len(text)
    return "\n\n".join(pieces)


def main() -> None:
    from frontlines.model import Document
    from frontlines.text.anchoring import anchor_dates
    from frontlines.text.sentences import segment

    text = corpus()
    sentences = segment(Document(text=text))
    best = float("inf")
    for _ in range(3):
        for sentence in sentences:
            sentence.times, sentence.date = [], None
        started = time.perf_counter()
        anchor_dates(sentences, published=date(2024, 12, 9))
        best = min(best, time.perf_counter() - started)
    print(f"anchoring: {len(text):,} chars, {len(sentences):,} sentences, {best:.2f} s, "
          f"{len(text) / best:,.0f} chars/s (best of 3)")


if __name__ == "__main__":
    main()
