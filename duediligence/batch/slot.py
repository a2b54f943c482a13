"""The parent's handle on one worker process (see `worker.py` for the protocol).

A slot holds at most one document at a time, so the parent always knows which document a
worker is on and since when; past the time limit it kills the process and starts a fresh one.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duediligence

STARTUP_LIMIT = 180.0  # seconds for a worker to import and warm up before it counts as broken
# The worker answers `timeout` itself at the time limit; the parent kills it only this much
# later (or the limit again, if shorter), when it is stuck where no signal reaches.
KILL_GRACE = 5.0
_PACKAGE_ROOT = str(Path(duediligence.__file__).resolve().parent.parent)


class WorkerDied(Exception):
    """The worker process ended without answering; the message carries its last stderr lines."""


def worker_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The worker's environment: this very copy of duediligence first on the path, installed
    or not, and no relative or empty `PYTHONPATH` entry, which would mean the working folder."""
    env = dict(os.environ)
    env.update(extra or {})
    inherited = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and os.path.isabs(p)]
    env["PYTHONPATH"] = os.pathsep.join([_PACKAGE_ROOT, *inherited])
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def worker_command() -> list[str]:
    """`-P`: `python -m` would put the working folder first on `sys.path`, so a `duediligence/`
    folder where the audit is started (a source checkout, a planted package) would be imported
    instead of the installed code."""
    return [sys.executable, "-P", "-m", "duediligence.batch.worker"]


class Slot:
    def __init__(self, settings_json: str, env: dict[str, str] | None = None) -> None:
        self.settings_json = settings_json
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._stderr, env=worker_env(env), close_fds=True)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._stdin = self.proc.stdin
        self._fd = self.proc.stdout.fileno()
        os.set_blocking(self._fd, False)
        self._buffer = b""
        self.started = time.monotonic()
        self.ready: dict[str, Any] | None = None  # the worker's ready message
        self.task: Any = None  # what the slot is working on, for the caller
        self.deadline: float | None = None
        self.peak_rss_kb = 0
        self.documents = 0
        self._write(settings_json)

    def fileno(self) -> int:
        return self._fd

    @property
    def busy(self) -> bool:
        return self.task is not None

    def _write(self, line: str) -> None:
        try:
            self._stdin.write((line + "\n").encode("utf-8"))
            self._stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # the death shows up as end-of-file on stdout

    def send(self, task: Any, request_id: int, path: str, timeout: float | None, settings_json: str | None = None) -> None:
        """Ask for one document; `settings_json` when the file's settings differ from the slot's."""
        self.task = task
        self.deadline = None if timeout is None else time.monotonic() + timeout + min(KILL_GRACE, timeout)
        request: dict[str, Any] = {"id": request_id, "path": path}
        if settings_json is not None:
            request["settings"] = settings_json
        self._write(json.dumps(request, ensure_ascii=False))

    def receive(self) -> list[dict[str, Any]]:
        """The complete messages available now; raises `WorkerDied` at end of file."""
        chunks = []
        eof = False
        while True:
            try:
                chunk = os.read(self._fd, 1 << 20)
            except BlockingIOError:
                break
            if not chunk:
                eof = True
                break
            chunks.append(chunk)
        self._buffer += b"".join(chunks)
        *lines, self._buffer = self._buffer.split(b"\n")
        messages = [json.loads(line) for line in lines if line.strip()]
        for m in messages:
            self.peak_rss_kb = max(self.peak_rss_kb, int(m.get("rss_kb") or 0))
            if m.get("ready"):
                self.ready = m
            elif "id" in m:
                self.task, self.deadline = None, None
                self.documents += 1
        if eof and not messages:
            self.proc.wait()
            raise WorkerDied(self.describe_death())
        return messages

    def describe_death(self) -> str:
        code = self.proc.returncode
        how = f"was killed by signal {-code}" if code is not None and code < 0 else f"exited with code {code}"
        tail = self.stderr_tail()
        return f"the worker process {how}" + (f": {tail}" if tail else "")

    def stderr_tail(self, lines: int = 3) -> str:
        try:
            self._stderr.seek(0)
            text = self._stderr.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""
        return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._close_files()

    def close(self, grace: float = 5.0) -> None:
        """Ask the worker to finish (end of its input); kill it if it does not."""
        try:
            self._stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._close_files()

    def _close_files(self) -> None:
        for f in (self._stdin, self.proc.stdout, self._stderr):
            try:
                if f is not None:
                    f.close()
            except OSError:
                pass

    # --- one document at a time, for callers without an event loop (Dask tasks) ---------------

    def wait(self, until: float | None) -> list[dict[str, Any]]:
        """Messages arriving before `until` (monotonic); [] when the time is up."""
        while True:
            left = None if until is None else until - time.monotonic()
            if left is not None and left <= 0:
                return []
            readable, _, _ = select.select([self._fd], [], [], left)
            if readable:
                messages = self.receive()
                if messages:
                    return messages

    def wait_ready(self) -> dict[str, Any]:
        limit = self.started + STARTUP_LIMIT
        while self.ready is None:
            if not self.wait(limit) and time.monotonic() >= limit:
                self.kill()
                raise WorkerDied(f"the worker process did not start within {STARTUP_LIMIT:.0f} s")
        return self.ready

    def run_one(self, path: str, timeout: float | None, settings_json: str | None = None) -> dict[str, Any] | None:
        """The answer for one document, or None when the time limit passed (the slot is then killed)."""
        self.wait_ready()
        self.send(path, self.documents + 1, path, timeout, settings_json)
        while True:
            messages = self.wait(self.deadline)
            for m in messages:
                if "id" in m:
                    return m
            if not messages:
                self.kill()
                return None
