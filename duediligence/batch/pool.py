"""The local executor: N worker processes, one document each at a time, with a time limit.

Not `ProcessPoolExecutor`: it cannot stop one hung task. Here each worker is a slot the
parent can kill. A worker answers `timeout` itself at the time limit (its reader runs in a
child it kills); one still silent `KILL_GRACE` seconds later is killed and replaced, the
document recorded as `timeout`, and the others go on. A worker that dies on a document costs
that document an `internal` error, never the run.
"""

from __future__ import annotations

import os
import select
import time
from collections import deque
from dataclasses import dataclass, replace
from typing import Any, Callable

from .settings import AuditSettings
from .slot import STARTUP_LIMIT, Slot, WorkerDied
from .worker import internal_error


@dataclass(frozen=True)
class Job:
    """One document to analyse; `sha256` and `size` come from the parent's own read."""

    path: str
    size: int | None
    sha256: str | None
    cache_key: str | None
    settings_json: str | None = None  # the file's own settings, when its configuration differs from the run's


# (job, document JSON, the worker's peak resident memory in KiB)
Record = Callable[[Job, dict[str, Any], int], None]


class RunnerError(Exception):
    """The audit cannot go on (workers cannot start, cluster unreachable, version mismatch)."""


def timeout_result(path: str, timeout: float) -> dict[str, Any]:
    return internal_error(path, f"{os.path.basename(path)}: still running after the time limit of {timeout:g} s",
                          code="timeout", seconds=timeout)


class LocalPool:
    def __init__(self, settings: AuditSettings, jobs: int, timeout: float | None,
                 env: dict[str, str] | None = None, tick: Callable[[], None] | None = None) -> None:
        self.settings_json = replace(settings, timeout=timeout).to_json()
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.env = env
        self.tick = tick or (lambda: None)
        self.peak_rss_kb: list[int] = []  # per worker process that ever ran
        self.restarts = 0

    def _start(self) -> Slot:
        return Slot(self.settings_json, self.env)

    def _retire(self, slot: Slot, killed: bool) -> None:
        self.peak_rss_kb.append(slot.peak_rss_kb)
        slot.kill() if killed else slot.close()

    def run(self, jobs: list[Job], record: Record) -> None:
        queue = deque(jobs)
        slots = [self._start() for _ in range(min(self.jobs, len(queue)))]
        request_id = 0
        ever_ready = False
        startup_failures = 0
        try:
            while queue or any(s.busy for s in slots):
                for s in slots:
                    if s.ready is not None and not s.busy and queue:
                        job = queue.popleft()
                        request_id += 1
                        s.send(job, request_id, job.path, self.timeout, job.settings_json)
                readable, _, _ = select.select(slots, [], [], self._wait_seconds(slots))
                for i, s in enumerate(slots):
                    job = s.task
                    try:
                        messages = s.receive() if s in readable else []
                    except WorkerDied as died:
                        if job is not None:
                            record(job, internal_error(job.path, f"{os.path.basename(job.path)}: {died}"), s.peak_rss_kb)
                        elif s.ready is None:
                            startup_failures += 1
                            if startup_failures > len(slots) * (1 if not ever_ready else 3):
                                raise RunnerError(f"worker processes cannot start: {died}") from None
                        slots[i] = self._replace(s, killed=False)
                        continue
                    for m in messages:
                        if "id" in m:
                            record(job, m["result"], int(m.get("rss_kb") or 0))
                    ever_ready = ever_ready or s.ready is not None
                    now = time.monotonic()
                    if s.busy and s.deadline is not None and now > s.deadline:
                        assert self.timeout is not None
                        slots[i] = self._replace(s, killed=True)
                        record(job, timeout_result(job.path, self.timeout), s.peak_rss_kb)
                    elif s.ready is None and now > s.started + STARTUP_LIMIT:
                        startup_failures += 1
                        slots[i] = self._replace(s, killed=True)
                self.tick()
        finally:
            for s in slots:
                self._retire(s, killed=s.busy)

    def _replace(self, slot: Slot, killed: bool) -> Slot:
        self._retire(slot, killed=True if killed else slot.proc.poll() is None)
        self.restarts += 1
        return self._start()

    def _wait_seconds(self, slots: list[Slot]) -> float:
        limits = [s.deadline for s in slots if s.deadline is not None]
        limits += [s.started + STARTUP_LIMIT for s in slots if s.ready is None]
        if not limits:
            return 0.5
        return max(0.0, min(0.5, min(limits) - time.monotonic()))
