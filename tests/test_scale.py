"""The Dask engine: the same store as the local engine, failures per document, the pipeline
loaded once per worker, reruns skipped before extraction, a PostgreSQL store behind it."""

from __future__ import annotations

import shutil
import signal
from contextlib import contextmanager

import pytest
from click.testing import CliRunner

from frontlines.cli import cli
from frontlines.corpus import ingest_paths
from frontlines.store import open_store

from .conftest import DATA, EXAMPLE
from .test_store_corpus import CORPUS, shared_cache_dir, shared_gazetteer_cache  # noqa: F401

distributed = pytest.importorskip("distributed", reason='the dask engine needs "frontlines[dask]"')

# Every Dask test ends within this, whatever the cluster does.
DEADLINE_S = 120
BINARY = "zz-binary.txt"


@contextmanager
def deadline(seconds: int = DEADLINE_S):
    """Fail (rather than hang) when the cluster does not answer in time."""
    def expired(_signum, _frame):
        raise TimeoutError(f"the Dask engine did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """About 40 documents: the test corpus (stories, an HTML page, an ACLED export), the gold
    texts, the bundled article, a copy of a story under another name (stored once) and a
    binary file (a failure)."""
    folder = tmp_path_factory.mktemp("scale") / "corpus"
    shutil.copytree(CORPUS, folder)
    for text in sorted((DATA / "gold").glob("*.txt")):
        shutil.copy(text, folder / f"gold-{text.name}")
    shutil.copy(EXAMPLE, folder / EXAMPLE.name)
    shutil.copy(CORPUS / "04-daily-homs-falls.txt", folder / "04-copy.txt")
    (folder / BINARY).write_bytes(b"\x00\x01\x02binary" * 100)
    return folder


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two worker processes of one thread each, shared by the tests that name its scheduler."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRONTLINES_HOME", str(tmp_path_factory.mktemp("worker_home")))
        patch.setenv("FRONTLINES_CACHE", str(shared_cache_dir(tmp_path_factory)))
        with deadline(), distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                                  dashboard_address=None) as local:
            yield local


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def snapshot(db) -> dict:
    """Everything a user reads back, apart from ingest times."""
    with open_store(db, create=False) as store:
        documents = [{k: v for k, v in d.items() if k != "ingested_at"} for d in store.documents()]
        return {"events": store.events(), "changes": store.changes(), "documents": documents,
                "counts": store.counts(), "places": store.places()}


def ingest(db, paths, **options) -> tuple:
    messages: list[str] = []
    with deadline(), open_store(db) as store:
        summary = ingest_paths(store, paths, report=messages.append, progress=False, **options)
    return summary, messages


def test_dask_with_two_workers_gives_the_same_store_as_the_local_engine(corpus, tmp_path):
    local, dask = str(tmp_path / "local.db"), str(tmp_path / "dask.db")
    code, out_local, err_local = invoke("ingest", str(corpus), "--db", local)
    with deadline():
        code_dask, out_dask, err_dask = invoke("ingest", str(corpus), "--db", dask,
                                               "--engine", "dask", "--workers", "2")
    assert (code, code_dask) == (1, 1)  # the binary file failed, in both
    assert f"{corpus / BINARY}: binary data" in err_dask
    assert err_dask.count("frontlines:") == 1 and err_dask == err_local
    assert out_dask.replace(dask, local) == out_local
    assert ", 1 skipped (already stored), 1 failed;" in out_local  # the copy, the binary file
    expected, got = snapshot(local), snapshot(dask)
    assert got["counts"]["documents"] >= 35 and got["counts"]["events"] > 100
    assert got == expected


def test_a_failed_document_is_reported_and_the_others_are_stored(corpus, cluster, tmp_path):
    missing = corpus / "missing.txt"
    paths = [corpus / BINARY, missing, *sorted(CORPUS.glob("0*.txt"))]
    summary, messages = ingest(tmp_path / "failures.db", paths, engine="dask",
                               scheduler=cluster.scheduler_address)
    assert (summary.read, summary.failed, summary.stored) == (len(paths), 2, len(paths) - 2)
    assert messages[0] == f"{corpus / BINARY}: binary data, not a text document"
    assert messages[1].startswith(f"{missing}: ")


def test_each_worker_loads_the_pipeline_once_and_a_rerun_extracts_nothing(corpus, cluster,
                                                                          tmp_path, monkeypatch):
    from frontlines.scale import driver
    from frontlines.scale.worker import pipeline_loads

    monkeypatch.setattr(driver, "PARTITION_SIZE", 2)  # many tasks per worker
    db = tmp_path / "cached.db"
    first, _ = ingest(db, [corpus], engine="dask", scheduler=cluster.scheduler_address)
    assert first.stored > 30
    with distributed.Client(cluster) as client:
        loads = client.run(pipeline_loads)
    assert list(loads.values()) == [{"warmed": 1, "profiles": 1, "gazetteers": 1}] * 2

    def no_extraction(store, records, **_options):
        if records:
            raise AssertionError("a stored document was extracted again")
        return []

    # The workers skip, before extracting, what the store holds from a file of that name
    # (this client refuses any record; the workers are other processes).  The copy of a
    # story is stored under one of its two names: the other one would be extracted again.
    monkeypatch.setattr("frontlines.store.Store.ingest_records", no_extraction)
    with open_store(db) as store:
        sources = {d["source"] for d in store.documents()}
    rerun = [path for path in sorted(corpus.iterdir())
             if str(path) in sources or path.suffix == ".csv" or path.name == BINARY]
    again, messages = ingest(db, rerun, engine="dask", scheduler=cluster.scheduler_address)
    assert (again.stored, again.failed, again.skipped) == (0, 1, len(rerun) - 1), messages


def test_the_dask_engine_fills_a_postgresql_store_like_the_local_engine_fills_sqlite(
        corpus, cluster, tmp_path, postgres_server, monkeypatch):
    """On PostgreSQL the workers store what they extract, several at once, and the client
    stores nothing but the CSV tables.  Every report lands once, on a row of its place and
    type, and the documents are the same.  Which stored row a report joins may differ from
    a sequential ingest: merging is greedy, so a report that fits two rows, or a row whose
    side the first report fills in, depends on the order of arrival, as with two
    `frontlines ingest` commands at once (`tests/test_store_postgres.py`)."""
    from frontlines.store import Store

    monkeypatch.setattr(Store, "ingest_records", None)  # the client never stores a batch
    url = postgres_server.create_database()
    try:
        local_messages: list[str] = []
        # The reference, in this process: a generous deadline (which also replaces the one
        # the cluster fixture set for its start-up).
        with deadline(DEADLINE_S * 5), open_store(tmp_path / "local.db") as store:
            local = ingest_paths(store, [corpus], report=local_messages.append, progress=False)
        shared, messages = ingest(url, [corpus], engine="dask", scheduler=cluster.scheduler_address)
        counted = ("read", "stored", "skipped", "failed", "events", "changes")
        assert [getattr(shared, name) for name in counted] == [
            getattr(local, name) for name in counted], (messages, local_messages)
        assert (shared.failed, shared.skipped) == (1, 1)
        expected, got = snapshot(tmp_path / "local.db"), snapshot(url)
        by_id = lambda documents: sorted(documents, key=lambda d: d["doc_id"])  # noqa: E731
        assert by_id(got["documents"]) == by_id(expected["documents"])  # stored in another order
        assert reports(url) == reports(tmp_path / "local.db")
        assert len(reports(url)) > 100
    finally:
        postgres_server.drop_database(url)


def reports(db) -> dict[str, tuple]:
    """Every stored report (mention) by its key: the document, evidence and the place and
    type (or new controller) of the row it is on."""
    import sqlalchemy as sa

    from frontlines.store.engine import read_transaction
    from frontlines.store.schema import change_mentions, changes, documents, event_mentions, events

    found = {}
    with open_store(db, create=False) as store, read_transaction(store.engine) as conn:
        for rows, mentions, key in ((events, event_mentions, events.c.event_type),
                                    (changes, change_mentions, changes.c.new_controller)):
            query = (sa.select(mentions.c.mention_key, documents.c.doc_id, mentions.c.evidence,
                               rows.c.place_id, key)
                     .join(rows, rows.c.id == mentions.c.target_id)
                     .join(documents, documents.c.id == mentions.c.document_id))
            found.update({r[0]: tuple(r[1:]) for r in conn.execute(query)})
    return found


def test_engine_options_are_checked(tmp_path):
    code, _, err = invoke("ingest", str(CORPUS), "--db", str(tmp_path / "x.db"), "--workers", "2")
    assert code == 2 and "--scheduler and --workers need --engine dask" in err
    code, _, err = invoke("ingest", str(CORPUS), "--db", str(tmp_path / "x.db"), "--engine", "dask",
                          "--workers", "2", "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and "a --scheduler has its own workers" in err


def test_an_unreachable_scheduler_is_one_line_and_exit_1(tmp_path, monkeypatch):
    from frontlines.scale import driver

    monkeypatch.setattr(driver, "CONNECT_TIMEOUT_S", 1.0)
    with deadline(30):
        code, out, err = invoke("ingest", str(CORPUS), "--db", str(tmp_path / "x.db"),
                                "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9")
    assert code == 1 and out == ""
    assert err.startswith("frontlines: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert err.count("\n") == 1
