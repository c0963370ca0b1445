"""`frontlines eval`: the profile each gold file names, maximum matching, the reference scorer's line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from frontlines.cli import cli
from frontlines.evaluation import match

from .conftest import SHARED

CORPUS = SHARED / "corpus"
SCORER = SHARED / "eval" / "score.py"
FOLDERS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []


def test_matching_is_maximum_not_greedy():
    # Gold 0 fits both system items, gold 1 only the first: a greedy fit in gold order pairs
    # gold 0 with system 0 and leaves gold 1 alone; the maximum matching pairs both.
    gold = [{"fits": {0, 1}}, {"fits": {0}}]
    system = [0, 1]
    pairs = match(gold, system, lambda g, s: s in g["fits"])
    assert sorted(pairs) == [(0, 1), (1, 0)]


def _gold(doc_id: str, conflict: str | None, place: str, side: str) -> dict:
    return {"doc_id": doc_id, "published": "2031-05-04", "conflict": conflict, "events": [],
            "control_changes": [{"place": place, "aliases": [], "lat": None, "lon": None,
                                 "date": "2031-05-03", "new_controller": side, "kind": "capture",
                                 "previous_controller": None, "claim": "reported", "evidence": ""}]}


def test_each_gold_file_runs_with_its_conflicts_profile(tmp_path):
    # A war we do not ship: its profile sits in profiles/ beside the gold files.
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "lakeland.toml").write_text(
        '[profile]\nname = "lakeland"\niso = "SY"\n\n[sides.blue]\n[sides.red]\n\n'
        '[[actors]]\nname = "Blue Legion"\nside = "blue"\ntype = "Rebel group"\ninter = 2\n'
        'aliases = ["Blue Legion fighters"]\n\n'
        '[[actors]]\nname = "Red Guard"\nside = "red"\ntype = "State forces"\ninter = 1\n')
    (tmp_path / "a.txt").write_text("On 3 May 2031, Blue Legion fighters captured Hama.\n")
    (tmp_path / "a.gold.json").write_text(json.dumps(_gold("a", "lakeland", "Hama", "blue")))
    (tmp_path / "b.txt").write_text("On 3 May 2031, rebels captured Homs.\n")
    (tmp_path / "b.gold.json").write_text(json.dumps(_gold("b", "syria", "Homs", "opposition")))
    result = CliRunner().invoke(cli, ["eval", "--gold", str(tmp_path), "--no-errors"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("changes_f1=1.000")


def test_a_gold_file_naming_an_unknown_profile_is_an_error_and_scores_nothing(tmp_path):
    (tmp_path / "a.txt").write_text("On 3 May 2031, rebels captured Homs.\n")
    (tmp_path / "a.gold.json").write_text(json.dumps(_gold("a", "atlantis", "Homs", "opposition")))
    result = CliRunner().invoke(cli, ["eval", "--gold", str(tmp_path), "--no-errors"])
    assert result.exit_code == 1
    assert "a.gold.json: no profile named 'atlantis'" in result.output
    assert result.output.strip().splitlines()[-1] == "changes_f1=0.000 events_f1=0.000"


def test_eval_on_a_folder_without_gold_files_is_an_error(tmp_path):
    (tmp_path / "a.txt").write_text("Some text.\n")
    result = CliRunner().invoke(cli, ["eval", "--gold", str(tmp_path)])
    assert result.exit_code == 1
    assert "no gold files" in result.output


@pytest.mark.skipif(not SCORER.exists(), reason="../shared is not beside the repo")
@pytest.mark.parametrize("folder", FOLDERS)
def test_eval_prints_the_reference_scorers_line_on_every_corpus_folder(folder, tmp_path):
    """`eval --gold DIR` == score.py on `extract --json --profile CONFLICT --published P` outputs."""
    gold_dir = CORPUS / folder
    runner = CliRunner()
    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        args = ["extract", str(gold_dir / f"{name}.txt"), "--json", "--profile", gold["conflict"]]
        if gold.get("published"):
            args += ["--published", gold["published"]]
        extracted = runner.invoke(cli, args)
        assert extracted.exit_code == 0, extracted.output
        (tmp_path / f"{name}.json").write_text(extracted.stdout, encoding="utf-8")
    reference = subprocess.run([sys.executable, str(SCORER), "--dir", str(gold_dir), "--system-dir", str(tmp_path)],
                               capture_output=True, text=True, timeout=120, check=True)
    ours = runner.invoke(cli, ["eval", "--gold", str(gold_dir), "--no-errors"])
    assert ours.exit_code == 0, ours.output
    assert ours.stdout.strip().splitlines()[-1] == reference.stdout.strip().splitlines()[-1]
