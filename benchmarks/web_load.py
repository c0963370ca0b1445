"""A bounded load test of `frontlines serve`: concurrent clients over every GET endpoint.

Builds a synthetic store (21,000 events by default, as benchmarks/web_render.py makes them),
starts `frontlines serve` on a free loopback port, and has `--clients` threads send
`--requests` requests in all over a mix of the GET endpoints (pages of events and changes,
one day's rows, control, the map and the areas on a random day, the base map around a random
view, places, a place, documents, a document, the timeline, the summary, info).
Prints per endpoint the count, the errors (any 5xx or failed request), p50, p95 and p99
in milliseconds, then the total rate, the server's peak memory and the CPU time the server
and the clients used (the clients share the machine with the server).  Targets: no errors,
`/api/control` p99 < 500 ms.  Loopback only, a fixed request count: it stops by itself.
Prints figures, asserts nothing.

    python benchmarks/web_load.py [--events 21000] [--clients 20] [--requests 3000] [--db FILE]
                                  [--skip "map of a day,areas of a day"]

`--db FILE` serves that store, building it there first when it does not exist (keep it to
measure again without rebuilding).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_render import START, build_store

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def serve(db: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "frontlines", "serve", "--db", str(db),
                                "--host", HOST, "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://{HOST}:{port}/api/info", timeout=60).status_code == 200:
                # The base map's town index is built once per data home (FRONTLINES_HOME), on
                # the first map a user opens: done here, before the clock starts.
                # (503 while it is built: asked again until it is there.)
                while httpx.get(f"http://{HOST}:{port}/api/basemap?south=32&west=35&north=37&east=42",
                                timeout=900).status_code != 200:
                    time.sleep(2)
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"the server did not start: {process.stderr.read() if process.stderr else ''}")


def request_mix(days: int, places: int, doc_ids: list[str], rnd: random.Random) -> list[tuple[str, str]]:
    """(endpoint name, path) for one request of each kind, with random parameters."""
    day = (START + timedelta(days=rnd.randrange(days))).isoformat()
    south, west = rnd.uniform(32.0, 35.0), rnd.uniform(35.5, 39.0)
    return [
        ("map of a day", f"/api/map?date={day}"),
        ("areas of a day", f"/api/areas?date={day}"),
        ("basemap", f"/api/basemap?south={south:.2f}&west={west:.2f}&north={south + 2:.2f}&east={west + 3:.2f}"),
        ("document", f"/api/documents/{rnd.choice(doc_ids)}"),
        ("events page", f"/api/events?limit=100&offset={rnd.randrange(0, 20000, 100)}"),
        ("events of a day", f"/api/events?since={day}&until={day}&limit=1000"),
        ("events limit=1", "/api/events?limit=1"),
        ("changes of a day", f"/api/changes?since={day}&until={day}"),
        ("control", f"/api/control?date={day}"),
        ("control", f"/api/control?date={day}"),
        ("places", "/api/places"),
        ("place", f"/api/places/user:synthetic-{rnd.randrange(places)}"),
        ("documents", "/api/documents"),
        ("timeline", "/api/timeline"),
        ("timeline of a day", f"/api/timeline?since={day}&until={day}"),
        ("summary", "/api/summary"),
        ("summary of a day", f"/api/summary?since={day}&until={day}"),
        ("info", "/api/info"),
    ]


def run_clients(base: str, clients: int, total: int, days: int, places: int,
                skip: frozenset[str] = frozenset()) -> tuple[dict, float]:
    doc_ids = [d["doc_id"] for d in httpx.get(f"{base}/api/documents", timeout=120).json()]
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    counter = iter(range(total))

    def client(seed: int) -> None:
        rnd = random.Random(seed)
        with httpx.Client(base_url=base, timeout=120) as http:
            while True:
                with lock:
                    if next(counter, None) is None:
                        return
                name, path = rnd.choice([r for r in request_mix(days, places, doc_ids, rnd) if r[0] not in skip])
                started = time.perf_counter()
                try:
                    response = http.get(path)
                    failed = f"{response.status_code} {response.text[:80]}" if response.status_code >= 500 else None
                except httpx.HTTPError as err:
                    failed = f"{type(err).__name__}"
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    timings[name].append(elapsed)
                    if failed:
                        errors[name].append(failed)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(seed,)) for seed in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"timings": timings, "errors": errors}, time.perf_counter() - started


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of a process so far (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_memory_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=21_000)
    parser.add_argument("--places", type=int, default=600)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--db", type=Path, help="the store to serve (built there first when missing)")
    parser.add_argument("--skip", default="", metavar="NAMES",
                        help="endpoints left out of the mix, by their names in the report, comma-separated")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the server on the way out
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("FRONTLINES_HOME", tmp)
        db = args.db or Path(tmp) / "load.db"
        if not db.exists():
            build_store(db, args.events, args.places, args.days).close()
        port = free_port()
        server = serve(db, port)
        try:
            results, elapsed = run_clients(f"http://{HOST}:{port}", args.clients, args.requests,
                                           args.days, args.places,
                                           frozenset(filter(None, args.skip.split(","))))
        finally:
            memory, cpu = peak_memory_mb(server.pid), cpu_seconds(server.pid)
            server.terminate()
            server.wait(timeout=30)
    report(results, elapsed, args, memory, cpu)


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(len(values) * share))]


def report(results: dict, elapsed: float, args: argparse.Namespace, memory: float | None,
           cpu: float | None) -> None:
    timings, errors = results["timings"], results["errors"]
    print(f"{args.requests} requests from {args.clients} clients in {elapsed:.1f} s "
          f"({args.requests / elapsed:.1f} req/s); {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} at the end")
    print(f"{'endpoint':<20} {'count':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name in sorted(timings):
        values = sorted(timings[name])
        print(f"{name:<20} {len(values):>6} {len(errors[name]):>6} {statistics.median(values):>8.0f} "
              f"{percentile(values, 0.95):>8.0f} {percentile(values, 0.99):>8.0f}")
    total_errors = sum(len(v) for v in errors.values())
    print(f"errors (5xx or failed): {total_errors}")
    for name, found in errors.items():
        if found:
            print(f"  {name}: {found[0]}")
    if memory is not None:
        print(f"server peak memory: {memory:.0f} MB")
    if cpu is not None:
        print(f"server CPU time: {cpu:.1f} s; the clients' (this process): {time.process_time():.1f} s")


if __name__ == "__main__":
    main()
