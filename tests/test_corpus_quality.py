"""Scores on the real documents of `../shared/corpus` (and the development article): floors that
catch a regression.  Overall they are the issue's targets (changes F1 >= 0.80, events F1 >= 0.75
over all 36 documents); each folder's are the figures it reaches today, a little below (the
issue asks no folder below 0.70/0.65).  The hidden set of other documents is what counts.
Skipped without `../shared`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from frontlines.cli import cli

from .conftest import SHARED

CORPUS = SHARED / "corpus"
# folder -> (changes F1, events F1) floors
FLOORS = {
    "syria-2024": (0.83, 0.78),
    "syria-history": (0.87, 0.76),
    "other-wars": (0.88, 0.77),
}
ALL_FLOORS = (0.80, 0.75)
DEV_FLOORS = (0.95, 0.90)


def _scores(folder) -> tuple[float, float]:
    result = CliRunner().invoke(cli, ["eval", "--gold", str(folder), "--no-errors"])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    values = dict(part.split("=") for part in last.split())
    return float(values["changes_f1"]), float(values["events_f1"])


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpus")
@pytest.mark.parametrize("folder", sorted(FLOORS))
def test_each_corpus_folder_scores_above_its_floor(folder):
    changes, events = _scores(CORPUS / folder)
    assert changes >= FLOORS[folder][0] and events >= FLOORS[folder][1], (changes, events)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpus")
def test_all_corpus_documents_together_score_above_the_floor(tmp_path):
    for folder in FLOORS:
        for path in (CORPUS / folder).iterdir():
            if path.name.endswith((".txt", ".gold.json")):
                (tmp_path / path.name).symlink_to(path)
    changes, events = _scores(tmp_path)
    assert changes >= ALL_FLOORS[0] and events >= ALL_FLOORS[1], (changes, events)


@pytest.mark.skipif(not (SHARED / "dev").is_dir(), reason="needs ../shared/dev")
def test_the_development_article_keeps_its_scores():
    changes, events = _scores(SHARED / "dev")
    assert changes >= DEV_FLOORS[0] and events >= DEV_FLOORS[1], (changes, events)
