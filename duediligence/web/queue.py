"""Checks in worker processes behind a bounded queue, for a server that stays up.

The same worker processes as `audit` (`batch.slot.Slot`, one document at a time each), run by
one thread for as long as the server lives: an upload waits in a first-come queue whose
length is bounded (beyond it `submit` refuses, so the page can say "try again later" instead
of timing out), and knows its place in it. A worker past the time limit is killed and
replaced; one that dies on a document (a crash in a native reader) costs that document an
`internal` error; the server and the other documents go on.
"""

from __future__ import annotations

import os
import select
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

from ..batch.pool import timeout_result
from ..batch.slot import STARTUP_LIMIT, Slot, WorkerDied
from ..batch.worker import internal_error


class QueueFull(Exception):
    """More documents are waiting than the queue holds."""


@dataclass
class Upload:
    """One uploaded document on its way through the queue; the page polls its state."""

    id: str  # random; also the name of the server's folder for it
    account: str
    file_name: str  # as the browser named it: shown, never used as a path
    path: str  # where the server wrote it
    size: int
    state: str = "queued"  # queued | checking | done | failed
    check_id: int | None = None
    error: dict[str, str] | None = None
    counts: dict[str, int] = field(default_factory=dict)  # status -> findings, once done
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    settings_json: str | None = None  # its own settings, when its configuration differs from the server's


# Called in the queue's thread with the upload and the worker's answer; returns the check id.
Finish = Callable[[Upload, dict[str, Any]], int]


class CheckQueue:
    def __init__(self, settings_json: str, workers: int, capacity: int, timeout: float | None, finish: Finish,
                 env: dict[str, str] | None = None) -> None:
        self.settings_json = settings_json
        self.workers = max(1, workers)
        self.capacity = capacity
        self.timeout = timeout or None
        self.finish = finish
        self.env = env
        self._waiting: deque[Upload] = deque()
        self._uploads: dict[str, Upload] = {}
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = os.pipe()
        self._stop = threading.Event()
        self._slots: list[Slot] = []
        self._thread = threading.Thread(target=self._run, name="duediligence-checks", daemon=True)
        self.restarts = 0
        self.broken: str | None = None  # why workers cannot start, after repeated failures
        self._startup_failures = 0

    # --- the server's side ---------------------------------------------------------------------

    def start(self) -> None:
        self._slots = [Slot(self.settings_json, self.env) for _ in range(self.workers)]
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        for slot in self._slots:
            slot.kill()

    def submit(self, upload: Upload) -> int:
        """Queue the upload; returns its place (1: next). Raises QueueFull."""
        with self._lock:
            if len(self._waiting) >= self.capacity:
                raise QueueFull(f"{len(self._waiting)} documents are waiting")
            self._waiting.append(upload)
            self._uploads[upload.id] = upload
            place = len(self._waiting)
        self._wake()
        return place

    def get(self, upload_id: str) -> Upload | None:
        with self._lock:
            return self._uploads.get(upload_id)

    def place(self, upload: Upload) -> int:
        """1-based place among the waiting uploads; 0 once a worker has it."""
        with self._lock:
            try:
                return self._waiting.index(upload) + 1
            except ValueError:
                return 0

    def pending(self, account: str) -> list[Upload]:
        with self._lock:
            return [u for u in self._uploads.values() if u.account == account and u.state in ("queued", "checking")]

    def ready_workers(self) -> int:
        return sum(1 for s in self._slots if s.ready is not None and s.proc.poll() is None)

    def worker_pids(self) -> list[int]:
        return [s.proc.pid for s in self._slots if s.proc.poll() is None]

    def _wake(self) -> None:
        try:
            os.write(self._wake_w, b"x")
        except OSError:
            pass

    # --- the queue's thread --------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            self._dispatch()
            slots = self._slots if self.broken is None else []  # broken: only fail what comes in
            watched: list[Any] = [*slots, self._wake_r]
            readable, _, _ = select.select(watched, [], [], self._wait_seconds())
            if self._wake_r in readable:
                os.read(self._wake_r, 4096)
            for i, slot in enumerate(slots):
                self._slots[i] = self._serve(slot, slot in readable)
            self._forget_old()

    def _dispatch(self) -> None:
        if self.broken is not None:
            with self._lock:
                stuck, self._waiting = list(self._waiting), deque()
            for upload in stuck:
                upload.state = "checking"
                self._done(upload, internal_error(upload.path, f"{upload.file_name}: {self.broken}"))
            return
        for slot in self._slots:
            if slot.ready is None or slot.busy:
                continue
            with self._lock:
                if not self._waiting:
                    return
                upload = self._waiting.popleft()
                upload.state = "checking"
            slot.send(upload, id(upload), upload.path, self.timeout, upload.settings_json)

    def _serve(self, slot: Slot, readable: bool) -> Slot:
        """Take the slot's answers; returns the slot, or its replacement when it died or overran."""
        upload: Upload | None = slot.task
        try:
            messages = slot.receive() if readable else []
        except WorkerDied as died:
            if upload is not None:
                self._done(upload, internal_error(upload.path, f"{os.path.basename(upload.path)}: {died}"))
            elif slot.ready is None:
                self._startup_failures += 1
                if self._startup_failures > 3 * self.workers:
                    self.broken = f"the worker processes cannot start ({died})"
            return self._replace(slot)
        if slot.ready is not None:
            self._startup_failures = 0
        for m in messages:
            if "id" in m and upload is not None:
                self._done(upload, m["result"])
        now = time.monotonic()
        if slot.busy and slot.deadline is not None and now > slot.deadline:
            assert self.timeout is not None and upload is not None
            self._done(upload, timeout_result(upload.path, self.timeout))
            return self._replace(slot)
        if slot.ready is None and now > slot.started + STARTUP_LIMIT:
            return self._replace(slot)
        return slot

    def _replace(self, slot: Slot) -> Slot:
        slot.kill()
        self.restarts += 1
        return Slot(self.settings_json, self.env)

    def _done(self, upload: Upload, answer: dict[str, Any]) -> None:
        try:
            upload.check_id = self.finish(upload, answer)
            upload.state = "done"
        except Exception as exc:  # the record failed (disk full, database locked): say so, keep serving
            upload.state, upload.error = "failed", {"code": "internal", "message": f"{upload.file_name}: {exc}"}
        upload.finished = time.monotonic()

    def _wait_seconds(self) -> float:
        limits = [s.deadline for s in self._slots if s.deadline is not None]
        limits += [s.started + STARTUP_LIMIT for s in self._slots if s.ready is None]
        return max(0.0, min([1.0, *(t - time.monotonic() for t in limits)]))

    def _forget_old(self, keep: float = 3600.0) -> None:
        """Finished uploads are polled for a while, then only the history knows them."""
        cutoff = time.monotonic() - keep
        with self._lock:
            for key in [k for k, u in self._uploads.items() if u.finished is not None and u.finished < cutoff]:
                del self._uploads[key]
