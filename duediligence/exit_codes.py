"""Exit codes, decided in one place (the linter contract users know from ruff and sqlfluff).

0 nothing at or above `--fail-on`, 1 such findings, 2 a usage error or an input that could
not be read (the other inputs are still checked and reported). `check` and `audit` both
import from here, so neither command module needs the other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from .model import Status

if TYPE_CHECKING:
    from .model import Report

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FAIL_ON: dict[str, set[Status]] = {"missing": {Status.MISSING}, "weak": {Status.MISSING, Status.WEAK}, "never": set()}


def exit_code(report: "Report", fail_on: str) -> int:
    """Findings a baseline covers never fail a run; only new or worse ones do."""
    from .baseline import reported

    if any(d.error is not None for d in report.documents):
        return EXIT_ERROR
    failing = FAIL_ON[fail_on]
    if any(f.status in failing for d in report.documents for f in reported(d)):
        return EXIT_FINDINGS
    return EXIT_OK


def documents_exit_code(failed: bool, statuses: Mapping[str, set[str]], fail_on_of: Callable[[str], str]) -> int:
    """A batch's exit code, each document judged by its own fail-on (`fail_on_of(path)`): one
    folder's `fail-on = "never"` neither hides another's missing clauses nor fails on its own."""
    if failed:
        return EXIT_ERROR
    hit = any(statuses_seen & {s.value for s in FAIL_ON[fail_on_of(path)]} for path, statuses_seen in statuses.items())
    return EXIT_FINDINGS if hit else EXIT_OK
