"""Baselines: only new or worse findings on a set of legacy templates.

`check --write-baseline FILE PATHS…` records, per document, the status of every criterion;
`check --baseline FILE` (or `baseline = "…"` in the configuration) then reports only findings
that are new or got worse (ok → weak, weak → missing) and lists those that got better, so the
baseline can shrink. Exit codes follow the findings the baseline does not cover.

A document is known by its path relative to the baseline file's folder, compared without case,
with `/` for any separator and Unicode in one normal form, so the file means the same on
Windows, macOS and Linux. Its content hash is kept too: a renamed but unchanged file still
finds its entry. Findings are keyed by criterion, never by line, so edits elsewhere in a
template leave its baseline as it was.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .model import BaselineMatch, DocumentResult, Finding, Status

FORMAT_KEY = "duediligence-baseline"
VERSION = 1
# How bad a status is: a finding is covered when it is no worse than the baseline said.
RANK = {Status.OK.value: 0, Status.NOT_APPLICABLE.value: 0, Status.SUPPRESSED.value: 0,
        Status.WEAK.value: 1, Status.MISSING.value: 2}
NEW, WORSE, SAME, BETTER = "new", "worse", "same", "better"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BaselineError(Exception):
    """An unusable baseline file; the message is one line naming the file and the problem."""


@dataclass(frozen=True)
class Entry:
    path: str  # relative to the baseline file's folder, with '/'
    sha256: str | None
    statuses: dict[str, str]


@dataclass(frozen=True)
class Baseline:
    file: Path
    entries: tuple[Entry, ...] = ()

    @property
    def folder(self) -> Path:
        return self.file.resolve().parent

    def match(self, path: str, sha256: str | None) -> BaselineMatch:
        """The entry for the document at `path`: the same path, else (a rename) the one entry with
        the same bytes whose own file no longer exists."""
        key = normal(identity(path, self.folder))
        for e in self.entries:
            if normal(e.path) == key:
                return BaselineMatch(str(self.file), e.path, "path", e.statuses)
        # a rename: the same bytes, recorded under a path that is gone
        same = [e for e in self.entries if sha256 and e.sha256 == sha256 and not (self.folder / e.path).exists()]
        if len(same) == 1:
            return BaselineMatch(str(self.file), same[0].path, "content", same[0].statuses)
        return BaselineMatch(str(self.file), None, None, {})


def identity(path: str | Path, folder: Path) -> str:
    """A document's path relative to `folder` (absolute when on another drive), with '/'."""
    target = Path(path).resolve()
    try:
        relative = os.path.relpath(target, folder)
    except ValueError:
        relative = str(target)
    return relative.replace(os.sep, "/")


def normal(key: str) -> str:
    """The form two spellings of one path share: NFC, case-folded, '/' separators, no './'."""
    text = unicodedata.normalize("NFC", key).replace("\\", "/").casefold()
    while text.startswith("./"):
        text = text[2:]
    return text


# --- reading and writing ---------------------------------------------------------------------


def load(file: Path) -> Baseline:
    """Read and validate a baseline file; every problem is one line naming the file."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"{file}: no such baseline file (write one with `duediligence check --write-baseline"
                            f" {file} PATHS…`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{file}: cannot read the baseline: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{file}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    return Baseline(file, _entries(file, raw))


def _entries(file: Path, raw: Any) -> tuple[Entry, ...]:
    def fail(where: str, problem: str) -> BaselineError:
        return BaselineError(f"{file}: {where}: {problem}")

    if not isinstance(raw, dict) or FORMAT_KEY not in raw:
        raise BaselineError(f"{file}: not a duediligence baseline (no {FORMAT_KEY!r} key)")
    version = raw[FORMAT_KEY]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise fail(FORMAT_KEY, f"expected a version number, got {version!r}")
    if version > VERSION:
        raise fail(FORMAT_KEY, f"version {version} is newer than this duediligence reads ({VERSION}); upgrade it")
    documents = raw.get("documents")
    if not isinstance(documents, dict):
        raise fail("documents", "expected an object of document path -> {sha256, findings}")
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    for path, doc in documents.items():
        where = f"documents[{path!r}]"
        if not path.strip():
            raise fail("documents", "a document path is empty")
        if normal(path) in seen:
            raise fail(where, f"the same document as {seen[normal(path)]!r} (paths compare without case)")
        seen[normal(path)] = path
        if not isinstance(doc, dict) or not isinstance(doc.get("findings"), dict):
            raise fail(where, "expected {\"sha256\": ..., \"findings\": {criterion: status}}")
        sha = doc.get("sha256")
        if sha is not None and (not isinstance(sha, str) or not _SHA256.match(sha)):
            raise fail(f"{where}.sha256", "expected 64 lower-case hex digits or null")
        statuses: dict[str, str] = {}
        for criterion, status in doc["findings"].items():
            if status not in RANK:
                raise fail(f"{where}.findings.{criterion}", f"{status!r} is not a status ({', '.join(RANK)})")
            statuses[criterion] = status
        entries.append(Entry(path, sha, statuses))
    return tuple(entries)


@dataclass(frozen=True)
class Written:
    """What `write` recorded, for the one line the command prints."""

    baseline: Baseline
    documents: int  # checked in this run and recorded
    kept: int  # entries of documents not checked in this run, kept from the earlier file
    counts: dict[str, int]  # status -> findings recorded in this run


def write(file: Path, results: Iterable[DocumentResult], tool_version: str, library_version: str) -> Written:
    """Record the findings of `results` in `file`. Entries of documents this run did not check
    stay while their file exists, so baselining one changed template keeps the others; a deleted
    or renamed template's old entry goes. Documents that could not be read are not recorded
    (an entry they had stays)."""
    try:
        previous = load(file) if file.exists() else Baseline(file)
    except BaselineError as exc:  # never overwrite what cannot be read: it may hold other documents
        raise BaselineError(f"{exc}; move it away to write a new baseline") from None
    folder = file.resolve().parent
    fresh: dict[str, Entry] = {}
    counts: Counter[str] = Counter()
    for r in results:
        if r.error is None:
            counts.update(f.status.value for f in r.findings if RANK[f.status.value] > 0)
            key = identity(r.path, folder)
            fresh[normal(key)] = Entry(key, r.sha256, {f.criterion: f.status.value for f in r.findings})
    kept = [e for e in previous.entries if normal(e.path) not in fresh and (folder / e.path).exists()]
    entries = sorted([*fresh.values(), *kept], key=lambda e: normal(e.path))
    body = {
        FORMAT_KEY: VERSION,
        "tool_version": tool_version,
        "library_version": library_version,
        "documents": {e.path: {"sha256": e.sha256, "findings": dict(sorted(e.statuses.items()))} for e in entries},
    }
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(f".{file.name}.tmp")
    partial.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, file)
    return Written(Baseline(file, tuple(entries)), len(fresh), len(kept), dict(counts))


# --- comparing -----------------------------------------------------------------------------------


def compare(result: DocumentResult, baseline: Baseline) -> DocumentResult:
    """The result with the baseline entry it is judged against."""
    if result.error is not None:
        return replace(result, baseline=BaselineMatch(str(baseline.file), None, None, {}))
    return replace(result, baseline=baseline.match(result.path, result.sha256))


def state(f: Finding, match: BaselineMatch) -> str:
    """new (no entry), worse, same or better than the baseline."""
    was = match.statuses.get(f.criterion)
    if was is None:
        return NEW
    now, before = RANK[f.status.value], RANK[was]
    return WORSE if now > before else BETTER if now < before else SAME


def covered(d: DocumentResult, f: Finding) -> bool:
    """A weak or missing finding the baseline already knows, at that status or a worse one."""
    return d.baseline is not None and RANK[f.status.value] > 0 and state(f, d.baseline) in (SAME, BETTER)


def reported(d: DocumentResult) -> tuple[Finding, ...]:
    """The findings a report shows and exit codes count: all but those the baseline covers."""
    return tuple(f for f in d.findings if not covered(d, f))


def improved(d: DocumentResult) -> tuple[tuple[Finding, str], ...]:
    """(finding, status in the baseline) for each finding better than its baseline entry."""
    if d.baseline is None:
        return ()
    return tuple((f, d.baseline.statuses[f.criterion]) for f in d.findings if state(f, d.baseline) == BETTER)


def was_worse(d: DocumentResult, f: Finding) -> str | None:
    """The baseline's status when this finding got worse since, else None."""
    if d.baseline is None or state(f, d.baseline) != WORSE:
        return None
    return d.baseline.statuses[f.criterion]


class Baselines:
    """The baselines of one `check` run: each file read once, whichever documents use it."""

    def __init__(self) -> None:
        self._loaded: dict[Path, Baseline] = {}
        self.summary = ""

    def compare(self, result: DocumentResult, file: Path) -> DocumentResult:
        if file not in self._loaded:
            self._loaded[file] = load(file)
        return compare(result, self._loaded[file])

    def record(self, file: Path, results: list[DocumentResult], tool_version: str,
               library_version: str) -> list[DocumentResult]:
        """Write `file` from `results` and return them judged against it (all covered now)."""
        done = write(file, results, tool_version, library_version)
        counts = ", ".join(f"{n} {status}" for status, n in sorted(done.counts.items())) or "no weak or missing findings"
        kept = f"; {done.kept} other document{'s' * (done.kept != 1)} kept" if done.kept else ""
        self.summary = (f"baseline written to {file}: {done.documents} document{'s' * (done.documents != 1)}"
                        f" ({counts}){kept}")
        return [compare(r, done.baseline) for r in results]
