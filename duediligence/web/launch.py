"""A `duediligence serve` of its own on loopback, for scripts: tests, benchmarks, screenshots.

Starts the real command in a folder (its configuration and database live there) on a free
port, waits until every worker process has warmed up, and stops it again.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import TracebackType


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalServer:
    def __init__(self, folder: Path, workers: int = 1, start_timeout: float = 180.0,
                 env: dict[str, str] | None = None) -> None:
        self.folder = folder
        self.env = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
        self.workers = workers
        self.start_timeout = start_timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "LocalServer":
        log = self.log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-P", "-m", "duediligence", "serve", "--port", str(self.port), "--workers", str(self.workers)],
            cwd=self.folder, stdout=log, stderr=log, env=self.env)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server stopped at start: {self.log.read_text(errors='replace')[-2000:]}")
            health = self.health()
            if health and health["ready"] >= self.workers:
                return self
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"the server was not ready within {self.start_timeout:.0f} s")

    def health(self) -> dict | None:  # type: ignore[type-arg]
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                return json.loads(response.read())  # type: ignore[no-any-return]
        except OSError:
            return None

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
