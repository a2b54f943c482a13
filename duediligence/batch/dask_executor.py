"""The Dask executor: the same audit on a `distributed` cluster, recorded by the client.

The client reads each file and sends its bytes, so workers need no shared folder, only the
same duediligence installed. On a worker every task thread keeps one worker process (the
same `Slot` as locally): the library is loaded once per thread, and a document past its time
limit is killed with that process, not left running in the Dask worker. Only a bounded
number of documents is in flight, so the client's memory stays flat on large corpora.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from dataclasses import replace
from typing import Any, Callable

from .pool import Job, Record, RunnerError, timeout_result
from .settings import AuditSettings
from .slot import Slot, WorkerDied
from .worker import internal_error

_local = threading.local()


def analyse_on_worker(name: str, data: bytes, settings_json: str, timeout: float | None,
                      file_settings_json: str | None = None) -> dict[str, Any]:
    """Runs inside a Dask worker: one document, in this thread's worker process, under the run's
    settings or the file's own (`file_settings_json`, resolved by the client from its configuration)."""
    slot: Slot | None = getattr(_local, "slot", None)
    if slot is not None and slot.settings_json != settings_json:  # another audit, other settings
        slot.close()
        slot = None
    if slot is None or slot.proc.poll() is not None:
        slot = _local.slot = Slot(settings_json)
    folder = tempfile.mkdtemp(prefix="duediligence-")
    path = os.path.join(folder, os.path.basename(name))
    try:
        with open(path, "wb") as fh:
            fh.write(data)
        try:
            ready = slot.wait_ready()
            answer = slot.run_one(path, timeout, file_settings_json)
        except WorkerDied as died:
            _local.slot = None
            if slot.ready is None:  # cannot start at all (other version, missing library folder): stop the run
                return {"startup_error": str(died)}
            return {"result": internal_error(name, f"{os.path.basename(name)}: {died}"), "rss_kb": slot.peak_rss_kb}
        if answer is None:
            _local.slot = None
            assert timeout is not None
            return {"result": timeout_result(name, timeout), "rss_kb": slot.peak_rss_kb, **_versions(ready)}
        return {"result": answer["result"], "rss_kb": answer.get("rss_kb", 0), **_versions(ready)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _versions(ready: dict[str, Any]) -> dict[str, Any]:
    return {"tool_version": ready.get("tool_version"), "library_version": ready.get("library_version")}


class DaskExecutor:
    def __init__(self, address: str, settings: AuditSettings, timeout: float | None, library_version: str,
                 tick: Callable[[], None] | None = None) -> None:
        self.address = address
        self.settings = settings
        self.timeout = timeout
        self.library_version = library_version
        self.tick = tick or (lambda: None)

    def run(self, jobs: list[Job], record: Record) -> None:
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise RunnerError("--executor dask needs the dask extra: pip install 'duediligence[dask]'") from None
        from .. import __version__

        try:
            client = Client(self.address, timeout="20s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as exc:
            raise RunnerError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
        try:
            threads = sum(client.nthreads().values()) or 1  # type: ignore[no-untyped-call]
            pending = iter(jobs)
            running: dict[Any, Job] = {}
            completed = as_completed()  # type: ignore[no-untyped-call]
            settings_json = replace(self.settings, timeout=self.timeout).to_json()

            def submit_next() -> bool:
                for job in pending:
                    try:
                        with open(job.path, "rb") as fh:
                            data = fh.read()
                    except OSError as exc:
                        record(job, internal_error(job.path, f"{job.path}: cannot be read ({exc.strerror or exc})",
                                                   "unreadable"), 0)
                        continue
                    future = client.submit(analyse_on_worker, job.path, data, settings_json, self.timeout,
                                           job.settings_json, pure=False)
                    running[future] = job
                    completed.add(future)  # type: ignore[no-untyped-call]
                    return True
                return False

            for _ in range(2 * threads):
                if not submit_next():
                    break
            for future in completed:
                job = running.pop(future)
                try:
                    answer = future.result()
                except Exception as exc:  # the task itself failed (worker lost twice, unpicklable, ...)
                    answer = {"result": internal_error(job.path, f"{os.path.basename(job.path)}: Dask task failed: {exc}"),
                              "rss_kb": 0}
                if "startup_error" in answer:
                    raise RunnerError(f"a worker process cannot start on the Dask cluster: {answer['startup_error']}")
                self._check_versions(answer, __version__)
                record(job, answer["result"], int(answer.get("rss_kb") or 0))
                submit_next()
                self.tick()
        finally:
            client.close()  # type: ignore[no-untyped-call]

    def _check_versions(self, answer: dict[str, Any], tool_version: str) -> None:
        """The worker's ready message names the versions it loaded for the run's settings."""
        theirs = (answer.get("tool_version"), answer.get("library_version"))
        if None in theirs:
            return
        if theirs != (tool_version, self.library_version):
            raise RunnerError(
                f"a Dask worker runs duediligence {theirs[0]} with clause library {theirs[1]}, this client "
                f"{tool_version} with {self.library_version}: install the same version and library on every worker")
