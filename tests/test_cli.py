"""The command line: contract output, the debugging view, and bad input in batches."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import EXAMPLE


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "frontlines", *args],
        capture_output=True, text=True, input=stdin, timeout=120,
    )


def test_extract_json_is_the_contract():
    result = run("extract", str(EXAMPLE), "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"document", "events", "control_changes"}
    assert out["document"]["title"] == "2024 Homs offensive"
    assert out["document"]["references"][0]["publisher"] == "Reuters"
    assert len(out["document"]["doc_id"]) == 16


def test_extract_several_files_gives_one_object_per_line(tmp_path):
    other = tmp_path / "news.txt"
    other.write_text("Rebels captured the town of Talbiseh on Friday, a monitor said.")
    result = run("extract", str(EXAMPLE), str(other), "--json", "--published", "2024-12-07")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().split("\n")
    assert len(lines) == 2
    assert json.loads(lines[1])["document"]["published"] == "2024-12-07"


def test_sentences_view_shows_dates_and_sources():
    result = run("sentences", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    airstrike = next(line for line in lines if "Government forces called an airstrike against" in line)
    assert "2024-12-06" in airstrike
    prison = next(line for line in lines if "By night, rebels took over Homs Central Prison" in line)
    assert "2024-12-07" in prison
    assert any("[33] Syrian rebels take over Al-Qusayr crossing, reports of Israeli strike in the area; "
               "Israel National News" in line
               for line in lines)
    assert "Taqsis" not in result.stdout  # related-article blurbs are not the narrative


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda p: p / "missing.txt", "no such file"),
        (lambda p: p, "is a directory"),
        (lambda p: _write(p / "blob.bin", bytes(range(256)) * 10), "binary"),
        (lambda p: _write(p / "empty.txt", b""), "empty"),
    ],
)
def test_bad_input_is_one_line_with_the_file_and_a_nonzero_exit(tmp_path, make, reason):
    path = make(tmp_path)
    result = run("extract", str(path), str(EXAMPLE), "--json")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().split("\n")
    assert line.startswith(f"frontlines: {path}: ") and reason in line
    # The good file of the batch was still processed.
    assert json.loads(result.stdout)["document"]["title"] == "2024 Homs offensive"


def test_too_large_file(tmp_path):
    path = _write(tmp_path / "big.txt", b"Rebels advanced. " * 200)
    result = subprocess.run(
        [sys.executable, "-m", "frontlines", "extract", str(path)],
        capture_output=True, text=True, env={"FRONTLINES_MAX_BYTES": "1000", "PATH": ""},
    )
    assert result.returncode == 1 and "too large" in result.stderr and "Traceback" not in result.stderr


def test_bad_published_date_is_a_usage_error():
    result = run("extract", str(EXAMPLE), "--published", "6/12/2024")
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr


def _write(path, data: bytes):
    path.write_bytes(data)
    return path
