"""A throwaway PostgreSQL server for the tests: initdb into a temporary folder, a loopback port."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

# Debian installs the server binaries here, one folder per major version.
BIN_GLOB = "/usr/lib/postgresql/*/bin"
SUPERUSER = "frontlines"
# When the tests run as root: initdb and postgres refuse root, so they run as this user.
SERVICE_USER = "postgres"
# Durability is of no use to a test server; these make it start and write faster.
FAST = ("-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        "-c max_connections=50 -c shared_buffers=32MB")


class Unavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine (the tests that need one skip)."""


def bin_dir() -> Path:
    """The folder of initdb and pg_ctl: $PG_BIN, the newest Debian install, or the PATH."""
    candidates = [os.environ.get("PG_BIN", "")]
    candidates += sorted(glob.glob(BIN_GLOB), key=_major, reverse=True)
    which = shutil.which("initdb")
    candidates.append(str(Path(which).parent) if which else "")
    for folder in filter(None, candidates):
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    raise Unavailable("PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's "
                      "`postgresql` package (.ci/run does) or set PG_BIN")


def _major(folder: str) -> int:
    digits = Path(folder).parent.name
    return int(digits) if digits.isdigit() else 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A running server in its own folder; `create_database` gives each test an empty one."""

    def __init__(self, root: Path, port: int, binaries: Path, user: str | None) -> None:
        self.root, self.port, self.binaries, self.user = root, port, binaries, user
        self.data = root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; its URL."""
        name = f"test_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.url().replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(statement)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """A server binary, as the unprivileged user when we are root."""
        return subprocess.run([str(self.binaries / args[0]), *args[1:]], user=self.user,
                              capture_output=True, text=True, timeout=60, check=False)

    def stop(self) -> None:
        try:
            self.run("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start() -> Server:
    """initdb into a new temporary folder and start the server on a free loopback port."""
    binaries = bin_dir()
    user = _service_user()
    root = Path(tempfile.mkdtemp(prefix="frontlines-pg-"))
    if user is not None:
        shutil.chown(root, user)
    server = Server(root, free_port(), binaries, user)
    try:
        _init(server)
        _launch(server)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server


def _service_user() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        raise Unavailable(f"running as root and there is no {SERVICE_USER!r} user to run the "
                          "server as (Debian's `postgresql` package creates it)") from None
    return SERVICE_USER


def _init(server: Server) -> None:
    done = server.run("initdb", "-D", str(server.data), "-U", SUPERUSER, "--auth=trust",
                      "--no-locale", "--encoding=UTF8", "--no-sync", "--no-instructions")
    if done.returncode:
        raise RuntimeError(f"initdb failed: {done.stderr or done.stdout}")


def _launch(server: Server) -> None:
    options = f"-c listen_addresses=127.0.0.1 -p {server.port} -k {server.root} {FAST}"
    done = server.run("pg_ctl", "start", "-D", str(server.data), "-l", str(server.root / "log"),
                      "-w", "-t", "30", "-o", options)
    if done.returncode:
        log = (server.root / "log").read_text(errors="replace") if (server.root / "log").exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {done.stderr or done.stdout}\n{log[-2000:]}")
