"""Docs that cannot rot: every `frontlines` command shown in the README's shell examples runs
against the bundled example and succeeds.

A command is skipped only for a reason named below (a server, the network, a cluster, a
file the reader downloads by hand). A file an example names that does not exist is written
from the commented lines that follow the command in the README (its CSV example), else the
bundled article stands for it ("report.txt").
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontlines.cli import cli

from .conftest import EXAMPLE, ROOT
from .test_store_corpus import shared_cache_dir, shared_gazetteer_cache  # noqa: F401

README = ROOT / "README.md"
# Commands the suite cannot run here, and where what they do is tested instead.
SKIPPED = {
    r"^serve\b": "starts a server (tests/test_web_api.py, tests/test_web_browser.py)",
    r"^gazetteer download\b": "needs the network",
    r"--engine dask": "starts a Dask cluster (tests/test_scale.py)",
    r"postgres(?:ql)?://": "needs a PostgreSQL server (tests/test_store_postgres.py)",
    r"^gazetteer import SY\.": "a GeoNames dump downloaded by hand (tests/test_geo_gazetteer.py)",
    r"^profile (?:check sahel|suggest reports/)": "the author's own draft and reports (tests/test_profile_cli.py)",
}


def readme_commands(text: str) -> list[tuple[str, list[str]]]:
    """(command, commented lines after it) for each `frontlines` command in a sh block."""
    commands: list[tuple[str, list[str]]] = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, re.S | re.M):
        lines = block.replace("\\\n", " ").split("\n")
        for index, line in enumerate(lines):
            code = re.split(r"\s+#\s", line, maxsplit=1)[0].strip()
            match = re.match(r"^(?:\.venv/bin/)?frontlines\s+(.*)$", code)
            if not match:
                continue
            following = []
            for after in lines[index + 1:]:
                if not after.startswith("#   "):
                    break
                following.append(after[4:])
            commands.append((match.group(1), following))
    return commands


COMMANDS = readme_commands(README.read_text(encoding="utf-8"))


def test_the_readme_shows_commands():
    shown = {command.split()[0] for command, _ in COMMANDS}
    assert {"extract", "sentences", "ingest", "events", "changes", "summary", "timeline",
            "documents", "regeocode", "places", "gazetteer", "eval"} <= shown


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A folder like a fresh clone's: the example and test data, the demo store."""
    folder = tmp_path_factory.mktemp("readme")
    for name in ("examples", "tests"):
        (folder / name).symlink_to(ROOT / name)
    (folder / "out").mkdir()
    home = folder / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRONTLINES_HOME", str(home))
        patch.setenv("FRONTLINES_CACHE", str(shared_cache_dir(tmp_path_factory)))
        patch.delenv("FRONTLINES_DB", raising=False)
        patch.chdir(folder)
        for db in ("out/demo.db", "frontlines.db"):  # what `make demo` and a first ingest leave
            result = CliRunner().invoke(cli, ["ingest", str(EXAMPLE), "--db", db])
            assert result.exit_code == 0, result.output
    return folder, home


def _arguments(command: str, following: list[str], folder: Path) -> list[str]:
    args = shlex.split(command)
    for index, arg in enumerate(args):
        if not re.search(r"\.(?:txt|csv|html?)$", arg) or (folder / arg).exists():
            continue
        if following:
            (folder / arg).write_text("\n".join(following) + "\n", encoding="utf-8")
        else:
            args[index] = str(EXAMPLE)
    if ">" in args:  # a shell redirection: the test reads the output itself
        args = args[:args.index(">")]
    return args


@pytest.mark.parametrize(("command", "following"), COMMANDS, ids=[c for c, _ in COMMANDS])
def test_readme_command_runs(command, following, workspace, monkeypatch):
    for pattern, why in SKIPPED.items():
        if re.search(pattern, command):
            pytest.skip(why)
    folder, home = workspace
    monkeypatch.setenv("FRONTLINES_HOME", str(home))
    monkeypatch.delenv("FRONTLINES_DB", raising=False)
    monkeypatch.chdir(folder)
    args = _arguments(command, following, folder)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, f"frontlines {command}\n{result.output}\n{result.exception!r}"
    assert result.stdout.strip() or os.listdir(folder / "out"), f"frontlines {command} printed nothing"
