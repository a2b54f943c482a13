"""The first document of a `check`, read from the moment the command starts.

The pre-commit hook checking one template used to wait some 80 ms for its file: the child
reading it was forked only once click and the checker were imported, and the parent then sat
idle. `start` reads the command line before either is imported and, when it is a `check` of
files with only options that leave reading at its defaults, forks the first file's reading at
once. Nothing is guessed beyond that: `take` hands the reading to `cli.check` only when it
serves the file with the limits and password that `check` settled on (`Reading.serves`);
otherwise the child is ended and the file read as before. A command line this module does
not know (another option anywhere, `--help`) starts nothing.
"""

from __future__ import annotations

import atexit
import os

from ..limits import DEFAULT_SECONDS
from .isolated import Reading
from .limits import ReadLimits

# `check` options that change neither which file comes first nor how a file is read
_FLAGS = frozenset({"--quiet", "-q", "--no-suppress", "--no-config", "--no-baseline"})
_VALUED = frozenset({"--format", "--output", "-o", "--lang", "--ui-lang", "--criteria", "--library", "--fail-on",
                     "--baseline", "--write-baseline", "--annotate"})

_ahead: Reading | None = None


def first_file(args: list[str]) -> str | None:
    """The first path of `check ARGS` when every option in ARGS is one of those above; None
    for any other command line."""
    if not args or args[0] != "check":
        return None
    paths: list[str] = []
    rest = iter(args[1:])
    for arg in rest:
        if arg == "--":
            paths.extend(rest)
        elif arg in _FLAGS or (arg.startswith("--") and arg.partition("=")[0] in _VALUED and "=" in arg):
            continue
        elif arg in _VALUED:
            if next(rest, None) is None:
                return None
        elif arg.startswith("-") and arg != "-":
            return None
        else:
            paths.append(arg)
    return paths[0] if paths else None


def start(args: list[str]) -> None:
    """Fork the reading of the first file of `check ARGS` now, if `first_file` names one."""
    global _ahead
    path = first_file(args)
    if path is None or not hasattr(os, "fork") or _ahead is not None:
        return
    _ahead = Reading(path, ReadLimits(), None, DEFAULT_SECONDS or None)
    atexit.register(_close)  # a usage error, --help or a crash ends the command before `take`


def take(path: str, limits: ReadLimits, password: str | None, timeout: float | None) -> Reading:
    """The reading of `path` started by `start` when it serves these limits and password,
    else a reading started now."""
    global _ahead
    early, _ahead = _ahead, None
    if early is not None:
        if early.serves(path, limits, password):
            return early
        early.close()
    return Reading(path, limits, password, timeout)


def _close() -> None:
    global _ahead
    early, _ahead = _ahead, None
    if early is not None:
        early.close()
