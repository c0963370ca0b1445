"""The store on PostgreSQL: URLs, two ingests at once, what the server refuses, migrations
(`tests/test_store.py` runs the whole store suite on both backends)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

import pytest
import sqlalchemy as sa

from frontlines.corpus import ingest_paths
from frontlines.errors import FrontlinesError
from frontlines.store import SCHEMA_VERSION, StoreError, open_store
from frontlines.store.engine import read_transaction, write_transaction
from frontlines.store.schema import change_mentions, event_mentions, meta

from .pg import free_port
from .test_ingest_cli import comparable
from .test_store import analysis, change, database  # noqa: F401 - the fixture, on both backends
from .test_store_corpus import shared_cache_dir, shared_gazetteer_cache  # noqa: F401

REPORTS = 24
CAPTURED = ("Talbiseh", "Ar Rastan", "Hama")
STRUCK = ("Homs", "Idlib", "Saraqib", "Ariha")


@pytest.fixture
def postgres_url(postgres_server):
    url = postgres_server.create_database()
    yield url
    postgres_server.drop_database(url)


def test_a_plain_postgresql_url_opens_through_psycopg(postgres_url):
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    with open_store(plain) as store:
        assert store.engine.dialect.driver == "psycopg"
        assert store.name == plain.replace("postgresql://", "postgresql+psycopg://")
        assert store.counts()["documents"] == 0


def test_an_unreachable_server_is_a_clear_error():
    url = f"postgresql://nobody:secret@127.0.0.1:{free_port()}/frontlines"
    with pytest.raises(FrontlinesError, match="cannot open the database") as info:
        open_store(url)
    assert "secret" not in str(info.value) and "127.0.0.1" in str(info.value)


def write_reports(folder, count: int) -> None:
    """Short reports, distinct in content, of the same captures and strikes on one day: every
    report merges into a row another report started."""
    folder.mkdir()
    for i in range(count):
        text = (f"Report {i} from the front\n\n8 December 2024\n\nOpposition forces captured "
                f"{CAPTURED[i % 3]} on 8 December 2024, a monitor said in its report number {i}. "
                f"Government warplanes struck {STRUCK[i % 4]} on 8 December 2024, killing "
                f"{i % 9 + 2} people.\n")
        (folder / f"report-{i:02d}.txt").write_text(text, encoding="utf-8")


def test_two_ingests_at_once_lose_nothing_and_duplicate_nothing(database, tmp_path):  # noqa: F811
    """Two `frontlines ingest` processes into one new database (an SQLite file, a PostgreSQL
    database), over the same reports in opposite orders, so that they meet in the middle and
    merge into the same rows: the store they leave is the one a single ingest makes."""
    reports = tmp_path / "reports"
    write_reports(reports, REPORTS)
    with open_store(tmp_path / "sequential.db") as clean:  # also builds the gazetteer index
        ingest_paths(clean, [reports], progress=False)
        expected = comparable(clean)
    files = sorted(str(path) for path in reports.iterdir())
    command = [sys.executable, "-m", "frontlines", "ingest", "--db", str(database)]
    runs = [subprocess.Popen([*command, *order], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=os.environ.copy()) for order in (files, files[::-1])]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    stored = [int(out.split(" stored,")[0].rsplit(" ", 1)[1]) for out, _ in outputs]
    assert sum(stored) == REPORTS and min(stored) > 0, outputs  # both wrote
    with open_store(database) as shared:
        assert comparable(shared) == expected
        assert [c["corroboration"] for c in shared.changes()] == [REPORTS // 3] * 3
        assert _mention_keys_are_unique(shared)


def _mention_keys_are_unique(store) -> bool:
    with read_transaction(store.engine) as conn:
        keys = [k for table in (event_mentions, change_mentions)
                for k in conn.execute(sa.select(table.c.mention_key)).scalars()]
    return max(Counter(keys).values()) == 1


def test_a_value_the_server_refuses_is_that_documents_error(postgres_url):
    """PostgreSQL stores no NUL character in a text (SQLite does; the readers refuse files
    with one): an error of the document, not of the database, so a batch goes on."""
    with open_store(postgres_url) as store:
        with pytest.raises(FrontlinesError, match="NUL") as info:
            store.ingest_analysis(analysis("Rebels\x00 captured Homs.", changes=[change("2024-12-08")]))
        assert not isinstance(info.value, StoreError)
        assert "refused this document's data" in str(info.value)
        assert store.ingest_analysis(analysis("Rebels captured Homs.", changes=[change("2024-12-08")]))["changes"] == 1
        assert store.counts()["documents"] == 1


def test_a_version_1_store_gets_the_source_index(database):  # noqa: F811 - the fixture
    """Migration 1 -> 2 on either backend: the indexes that find a file's documents and
    a row's reports by origin."""
    added = {"documents": "ix_documents_source", "event_mentions": "ix_event_mentions_origin",
             "change_mentions": "ix_change_mentions_origin"}
    open_store(database).close()
    with open_store(database) as store, write_transaction(store.engine) as conn:
        for index in added.values():
            conn.exec_driver_sql(f"DROP INDEX {index}")
        conn.execute(sa.update(meta).where(meta.c.key == "schema_version").values(value="1"))
    with open_store(database) as store, read_transaction(store.engine) as conn:
        version = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        found = {table: {i["name"] for i in sa.inspect(conn).get_indexes(table)} for table in added}
    assert version == str(SCHEMA_VERSION)
    assert all(index in found[table] for table, index in added.items())
