"""Extraction in several processes (`extract --jobs`, `ingest --jobs`): the same output in
the same order as one process, the pipeline loaded once per process, failures per file."""

from __future__ import annotations

import io
import json
import os
import shutil
from concurrent.futures import Future

import pytest
from click.testing import CliRunner

from frontlines.cli import cli
from frontlines.cli.extract import write_json
from frontlines.parallel import in_order, loads, ordered_map
from frontlines.store import open_store

from .test_scale import snapshot
from .test_store_corpus import CORPUS, shared_cache_dir, shared_gazetteer_cache  # noqa: F401

STORIES = (
    "On 3 March 2023, government forces shelled Saraqib, killing four civilians.",
    "Rebels captured Kafr Nabl on 4 March 2023 after two days of fighting.",
    "Turkish drones struck a convoy near Qamishli on 5 March 2023.",
    "Opposition fighters withdrew from Maarat al-Numan on 6 March 2023, a monitor said.",
)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def stories(tmp_path):
    """Four one-sentence reports and, between them, a binary file (a failure)."""
    paths = []
    for number, text in enumerate(STORIES):
        path = tmp_path / f"story-{number}.txt"
        path.write_text(f"Report {number}\n\n{text}\n", encoding="utf-8")
        paths.append(str(path))
        if number == 1:
            binary = tmp_path / "binary.txt"
            binary.write_bytes(b"\x00\x01binary" * 50)
            paths.append(str(binary))
    return paths


def test_extract_with_two_jobs_prints_what_one_job_prints_in_the_same_order(stories):
    one = invoke("extract", *stories, "--json", "--published", "2023-03-07")
    two = invoke("extract", *stories, "--json", "--published", "2023-03-07", "--jobs", "2")
    assert one == two
    code, out, err = two
    assert code == 1 and err.count("\n") == 1 and "binary.txt: binary data" in err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["document"]["source"] for line in lines] == [p for p in stories if "story" in p]
    assert sum(len(line["events"]) for line in lines) >= 3


def test_ingest_with_two_jobs_gives_the_store_one_process_gives(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    shutil.copy(CORPUS / "04-daily-homs-falls.txt", corpus / "04-copy.txt")  # stored once
    (corpus / "zz-binary.txt").write_bytes(b"\x00\x01binary" * 50)
    single, pooled = str(tmp_path / "single.db"), str(tmp_path / "pooled.db")
    code, out_single, err_single = invoke("ingest", str(corpus), "--db", single)
    code_pooled, out_pooled, err_pooled = invoke("ingest", str(corpus), "--db", pooled, "--jobs", "2")
    assert (code, code_pooled) == (1, 1) and err_single == err_pooled
    assert out_pooled.replace(pooled, single) == out_single
    assert ", 1 skipped (already stored), 1 failed;" in out_single
    expected, got = snapshot(single), snapshot(pooled)
    assert got["counts"]["events"] > 10 and got == expected  # the same rows, ids included


def test_jobs_and_the_dask_engine_do_not_mix(tmp_path):
    code, _, err = invoke("ingest", str(CORPUS), "--db", str(tmp_path / "x.db"), "--engine", "dask",
                          "--jobs", "2")
    assert code == 2 and "--jobs runs the local engine" in err


def _process_and_loads(_item: int) -> tuple[int, dict]:
    return os.getpid(), loads()


def test_each_process_of_a_pool_loads_the_pipeline_once():
    seen = dict(ordered_map(_process_and_loads, range(12), jobs=2))
    assert 1 <= len(seen) <= 2 and os.getpid() not in seen
    assert list(seen.values()) == [{"warmed": 1, "profiles": 1, "gazetteers": 1}] * len(seen)


def test_results_come_in_input_order_with_a_bounded_number_in_flight():
    submitted: list[int] = []
    futures: dict[int, Future] = {}

    def submit(item: int) -> Future | None:
        submitted.append(item)
        if item % 5 == 0:
            return None  # work the caller does itself, in its place
        futures[item] = Future()
        return futures[item]

    handed = []
    for item, future in in_order(submit, range(20), window=3):
        assert len(submitted) - len(handed) <= 3  # never more than the window ahead
        handed.append(item)
        assert (future is None) == (item % 5 == 0)
    assert handed == list(range(20)) and submitted == handed


@pytest.mark.parametrize("indent", [None, 2])
def test_streamed_json_is_exactly_what_json_dumps_writes(indent):
    import frontlines

    contract = frontlines.extract("\n\n".join(STORIES), published=None).to_contract()
    contract["document"]["infobox"] = {"Result": "a \"quoted\"\nvalue", "Nested": {"list": [1, 2]}}
    out = io.StringIO()
    write_json(contract, out, indent=indent)
    assert contract["events"]
    assert out.getvalue() == json.dumps(contract, ensure_ascii=False, indent=indent, default=str) + "\n"


def test_plugins_are_looked_up_only_for_a_name_that_is_not_built_in(monkeypatch):
    import importlib.metadata

    from frontlines.registry import Registry

    asked: list[str] = []

    class EntryPoint:
        name = "shout"

        def load(self):
            return str.upper

    def entry_points(*, group: str):
        asked.append(group)
        return [EntryPoint()]

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    registry = Registry("readers")
    registry.register("text")(str.lower)
    assert registry.get("text") is str.lower and asked == []  # a built-in name: no scan
    assert registry.get("shout") is str.upper and asked == ["frontlines.readers"]
    registry.get("shout")
    assert asked == ["frontlines.readers"]  # scanned once


# -- each file within its budget, in a pool's process or a Dask worker ---------------------------


@pytest.fixture
def stalling(monkeypatch):
    """The pipeline stalls on a document that says 'stalls' (in the budgeted worker, forked
    from this process, the patch holds too); the kept workers end with the test."""
    import time

    from frontlines import pipeline
    from frontlines.budget import release_budgets

    real = pipeline.run

    def run(doc, **kwargs):
        if "stalls" in doc.text:
            time.sleep(120)
        return real(doc, **kwargs)

    monkeypatch.setattr(pipeline, "run", run)
    yield
    release_budgets()


def test_a_partition_abandons_a_file_over_its_budget_and_extracts_the_others(stories, stalling,
                                                                            tmp_path):
    from frontlines.budget import budget_message
    from frontlines.corpus import Failure, Options, analyse_partition

    stalled = tmp_path / "stalled.txt"
    stalled.write_text("Report\n\nThe convoy stalls near Hama on 3 March 2023.\n", encoding="utf-8")
    names = [stories[0], str(stalled), stories[3]]
    results = analyse_partition([(name, name) for name in names], Options(timeout=15.0), {})
    assert results[1] == Failure(f"{stalled}: {budget_message(15.0)}")
    assert isinstance(results[0], dict) and isinstance(results[2], dict), results  # the next worker works
    assert [r["document"]["source"] for r in (results[0], results[2])] == [stories[0], stories[3]]


def test_a_file_over_its_budget_is_abandoned_with_two_jobs_and_the_rest_is_stored(tmp_path):
    from frontlines.testing import shape

    folder = tmp_path / "batch"
    folder.mkdir()
    for number, text in enumerate(STORIES[:2]):
        (folder / f"a-{number}.txt").write_text(f"Report {number}\n\n{text}\n", encoding="utf-8")
    slow = folder / "b-slow.txt"
    slow.write_bytes(shape("list-of-places").make(1_000_000))  # minutes to extract
    (folder / "c-last.txt").write_text(f"Report 9\n\n{STORIES[2]}\n", encoding="utf-8")
    db = str(tmp_path / "store.db")
    code, out, err = invoke("ingest", str(folder), "--db", db, "--jobs", "2",
                            "--timeout-per-file", "5")
    assert code == 1 and "4 documents read, 3 stored" in out
    failures = [line for line in err.splitlines() if "rows undated" not in line]
    assert failures == [f"frontlines: {slow}: abandoned after 5 s (the time budget per file; "
                        "raise it with --timeout-per-file)"]
    with open_store(db, create=False) as store:
        assert sorted(d["source"] for d in store.documents()) == sorted(
            str(p) for p in folder.iterdir() if p != slow)


def _budgeted_pid(queue) -> None:
    from frontlines.budget import release_budgets, within_budget

    try:
        queue.put(within_budget("item", os.getpid, 30.0))
    except Exception as err:  # sent back to the test
        queue.put(repr(err))
    finally:
        release_budgets()


def test_a_daemonic_process_like_a_dask_worker_runs_its_files_within_the_budget():
    import multiprocessing

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    daemon = context.Process(target=_budgeted_pid, args=(queue,), daemon=True)
    daemon.start()
    answer = queue.get(timeout=60)
    daemon.join(timeout=60)
    assert isinstance(answer, int) and answer not in (os.getpid(), daemon.pid), answer
