"""Accuracy on annotated documents: the development article and our own gold set.

The figures are floors that catch regressions; the hidden set of other documents is what
counts, so nothing here is tuned to a particular sentence.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from frontlines.cli import cli

from .conftest import DATA, EXAMPLE, SHARED

DEV_GOLD = SHARED / "dev" / "homs-offensive-2024.gold.json"
SCORER = SHARED / "eval" / "score.py"
needs_shared = pytest.mark.skipif(not DEV_GOLD.exists(), reason="../shared is not beside the repo")


def _scores(last_line: str) -> dict[str, float]:
    return {k: float(v) for k, v in (part.split("=") for part in last_line.split())}


@needs_shared
def test_dev_article_meets_the_acceptance_thresholds(tmp_path):
    out = tmp_path / "out.json"
    result = subprocess.run([sys.executable, "-m", "frontlines", "extract", str(EXAMPLE), "--json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out.write_text(result.stdout)
    scored = subprocess.run([sys.executable, str(SCORER), str(DEV_GOLD), str(out)],
                            capture_output=True, text=True, timeout=60)
    scores = _scores(scored.stdout.strip().splitlines()[-1])
    assert scores["changes_f1"] >= 0.90
    assert scores["events_f1"] >= 0.80


@needs_shared
def test_eval_command_prints_the_same_line_as_the_shared_scorer(tmp_path):
    runner = CliRunner()
    ours = runner.invoke(cli, ["eval", "--gold", str(SHARED / "dev")])
    assert ours.exit_code == 0, ours.output
    out = tmp_path / "homs-offensive-2024.json"
    result = subprocess.run([sys.executable, "-m", "frontlines", "extract", str(EXAMPLE), "--json"],
                            capture_output=True, text=True, timeout=300)
    out.write_text(result.stdout)
    reference = subprocess.run([sys.executable, str(SCORER), "--dir", str(SHARED / "dev"), "--system-dir", str(tmp_path)],
                               capture_output=True, text=True, timeout=60)
    assert ours.output.strip().splitlines()[-1] == reference.stdout.strip().splitlines()[-1]


def test_own_gold_set_scores_above_its_floor():
    result = CliRunner().invoke(cli, ["eval", "--gold", str(DATA / "gold"), "--no-errors"])
    assert result.exit_code == 0, result.output
    scores = _scores(result.output.strip().splitlines()[-1])
    assert scores["changes_f1"] >= 0.84  # written for the regex rules; the corpora floors matter more
    assert scores["events_f1"] >= 0.76


def test_eval_lists_misses_and_extras(tmp_path):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "one.txt").write_text("On 5 December 2024, rebels captured Hama.")
    (gold_dir / "one.gold.json").write_text(json.dumps({
        "doc_id": "one", "published": None, "control_changes": [
            {"place": "Hama", "aliases": [], "lat": None, "lon": None, "date": "2024-12-05",
             "new_controller": "opposition", "previous_controller": "government", "kind": "capture",
             "claim": "reported", "evidence": "rebels captured Hama"},
            {"place": "Homs", "aliases": [], "lat": None, "lon": None, "date": "2024-12-08",
             "new_controller": "opposition", "previous_controller": "government", "kind": "capture",
             "claim": "reported", "evidence": "rebels captured Hama"}],
        "events": []}))
    result = CliRunner().invoke(cli, ["eval", "--gold", str(gold_dir)])
    assert "missed change 2024-12-08 Homs" in result.output
    assert "extra  event  2024-12-05 Hama" in result.output
    assert result.output.strip().splitlines()[-1] == "changes_f1=0.667 events_f1=0.000"
