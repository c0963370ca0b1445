"""The app on uvicorn in a background thread, on a free local port (tests, benchmarks, notebooks)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any


class BackgroundServer:
    """`with BackgroundServer(app) as server: ... server.url ...`: started on entry (within
    `timeout` seconds), stopped and joined on exit."""

    def __init__(self, app: Any, *, host: str = "127.0.0.1", timeout: float = 20.0) -> None:
        import uvicorn

        self.socket = socket.socket()
        self.socket.bind((host, 0))
        self.url = f"http://{host}:{self.socket.getsockname()[1]}"
        self.timeout = timeout
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]},
                                       name="frontlines-web", daemon=True)

    def __enter__(self) -> BackgroundServer:
        self.thread.start()
        deadline = time.monotonic() + self.timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                self.__exit__()
                raise RuntimeError(f"the web app did not start within {self.timeout:.0f} s")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=self.timeout)
        self.socket.close()
