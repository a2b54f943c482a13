"""One audit: discover, open or resume the run, serve unchanged files from the cache, analyse the rest.

The parent never imports the pipeline: a fully cached re-run only hashes files and copies
rows, and workers start on the first file that needs analysis.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import ConfigError
from ..limits import DEFAULT_SECONDS
from ..read import ReadLimits
from .discover import discover
from .pool import Job, LocalPool, RunnerError
from .progress import Progress
from .settings import AuditSettings, cache_key
from .store import CodeCount, Coverage, Run, RunTotals, Store
from .worker import internal_error


@dataclass(frozen=True)
class AuditRequest:
    inputs: tuple[str, ...]
    settings: AuditSettings = field(default_factory=AuditSettings)
    db_path: str = "duediligence.db"
    jobs: int = 0  # 0: every core this process may use
    timeout: float | None = DEFAULT_SECONDS
    use_cache: bool = True
    executor: str = "local"  # local | dask
    scheduler: str | None = None  # Dask scheduler address
    worker_env: dict[str, str] | None = None  # extra environment for local workers
    # With `read_config`, each file is checked under its own configuration (found above it, with its
    # per-path overrides) with `command_line` on top, as `check` does; `settings` is then the run's
    # own (the first input's), recorded with the run and sent to workers as their default. A file
    # whose configuration is broken (invalid TOML, an unknown key or criterion) gets a `config`
    # error and the run goes on.
    read_config: bool = False
    command_line: dict[str, Any] | None = None
    exclude: tuple[str, ...] = ()  # patterns of files under folders and globs to skip (discover.skip_reason)


@dataclass(frozen=True)
class AuditOutcome:
    run: Run
    resumed: bool
    totals: RunTotals
    coverage: list[Coverage]
    codes: list[CodeCount]  # per eForms code, how many documents could tick it
    skipped: int
    missing_inputs: tuple[str, ...]
    analysed_now: int
    cached_now: int
    seconds: float
    peak_rss_kb: tuple[int, ...]  # per worker process of this session
    skip_reasons: tuple[tuple[str, int], ...] = ()  # why files were skipped, with how many


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run_key(inputs: tuple[str, ...], settings: AuditSettings, library_version: str) -> str:
    """The same command (same inputs, settings, tool and library) resumes the same unfinished run."""
    text = json.dumps([[os.path.abspath(i) for i in inputs], settings.fingerprint(), __version__, library_version])
    return hashlib.sha256(text.encode()).hexdigest()


def file_facts(path: str, max_bytes: int = ReadLimits.max_file_bytes) -> tuple[int | None, str | None]:
    """Size and SHA-256 of the file, or no hash where the worker will refuse it anyway: not a
    regular file (a pipe would block the parent for good, /dev/zero never end), larger than the
    limit, or unreadable. The worker then says why."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return None, None
        if info.st_size > max_bytes:
            return info.st_size, None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for a pipe since the stat
                return None, None
            digest = hashlib.sha256()
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
                if fh.tell() > max_bytes:  # grew past the limit while read
                    return fh.tell(), None
            return fh.tell(), digest.hexdigest()
    except OSError:
        return None, None


class _FileSettings:
    """Each file's settings and the version of the library they load, every library read once
    (the parent validates criterion ids and keys the cache; it never builds a checker)."""

    def __init__(self, request: AuditRequest) -> None:
        self.request = request
        self._libraries: dict[tuple[str, ...], Any] = {}

    def __call__(self, path: str) -> tuple[AuditSettings, str]:
        """Raises `ConfigError` for a broken configuration governing `path` (the caller records
        it as that document's `config` error)."""
        from ..settings import resolve_settings, select

        run = self.request.settings
        resolved = resolve_settings(path, self.request.command_line) if self.request.read_config else run.to_settings()
        own = AuditSettings.from_settings(resolved, run.password, run.analyser) if self.request.read_config else run
        if own.library_dirs not in self._libraries:
            from ..library import load_library

            self._libraries[own.library_dirs] = load_library([Path(d) for d in own.library_dirs])
        library = self._libraries[own.library_dirs]
        select(library, resolved)  # an unknown criterion id: a ConfigError naming its source
        return own, library.version


def audit(request: AuditRequest, progress: Progress | None = None) -> AuditOutcome:
    progress = progress or Progress()
    started = time.monotonic()
    found = discover(request.inputs, request.exclude)
    library = request.settings.load_library()
    criteria = tuple(c.id for c in library.criteria)
    jobs = request.jobs or default_jobs()
    with Store(request.db_path) as store:
        run, resumed = store.open_run(
            run_key(request.inputs, request.settings, library.version), tool_version=__version__,
            library_version=library.version, criteria=criteria, settings=request.settings.public(),
            inputs=request.inputs, executor=request.executor, jobs=jobs,
            eforms={c.id: c.eforms for c in library.criteria})
        planned = [os.path.abspath(m) for m in found.missing] + list(found.files)
        store.set_plan(run.id, len(planned), found.skipped)
        done = store.done_paths(run.id)
        progress.start(len(planned), len(done & set(planned)))
        counts = {"analysed": 0, "cached": 0}

        def record(job: Job, result: dict[str, Any], rss_kb: int) -> None:
            if result.get("sha256") is None and job.sha256 is not None:
                result = {**result, "sha256": job.sha256}
            result = {**result, "path": job.path}
            store.add_result(run.id, job.path, job.size, job.cache_key, result)  # False: another audit was first
            counts["analysed"] += 1
            progress.advance(failed=result.get("error") is not None, cached=False, pages=result.get("pages"))

        todo: list[Job] = []
        settings_for = _FileSettings(request)
        status = "interrupted"
        peaks: tuple[int, ...] = ()
        try:
            for path in planned:
                if path in done:
                    continue
                if not os.path.lexists(path):
                    record(Job(path, None, None, None), internal_error(path, f"{path}: no such file or folder", "not-found"), 0)
                    continue
                try:
                    own, library_version = settings_for(path)
                except ConfigError as exc:  # its configuration file is broken: this document fails, the run goes on
                    record(Job(path, None, None, None), internal_error(path, str(exc), "config"), 0)
                    continue
                size, sha = file_facts(path)
                key = None if sha is None else cache_key(sha, __version__, library_version, own)
                source = store.cached(key) if key is not None and request.use_cache else None
                if source is not None:
                    copied = store.copy_cached(run.id, source, path) or {"error_code": None, "pages": None}
                    counts["cached"] += 1
                    progress.advance(failed=copied["error_code"] is not None, cached=True, pages=copied["pages"])
                else:
                    own_json = None if own == request.settings else replace(own, timeout=request.timeout).to_json()
                    todo.append(Job(path, size, sha, key, own_json))
            if todo:
                peaks = _execute(request, jobs, library.version, todo, record, progress)
            status = "finished"
        finally:
            progress.finish()
            store.end_session(run.id, status, time.monotonic() - started)
        return AuditOutcome(
            run=store.run(run.id), resumed=resumed, totals=store.totals(run.id), coverage=store.coverage(run.id),
            codes=store.code_counts(run.id), skipped=found.skipped, missing_inputs=found.missing,
            analysed_now=counts["analysed"], cached_now=counts["cached"], seconds=time.monotonic() - started,
            peak_rss_kb=peaks, skip_reasons=found.reasons)


def _execute(request: AuditRequest, jobs: int, library_version: str, todo: list[Job],
             record: Any, progress: Progress) -> tuple[int, ...]:
    if request.executor == "dask":
        from .dask_executor import DaskExecutor

        if not request.scheduler:
            raise RunnerError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        dask = DaskExecutor(request.scheduler, request.settings, request.timeout, library_version, tick=progress.tick)
        dask.run(todo, record)
        return ()
    pool = LocalPool(request.settings, jobs, request.timeout, env=request.worker_env, tick=progress.tick)
    pool.run(todo, record)
    return tuple(pool.peak_rss_kb)
