"""One checker: a clause library and the `Settings` of a file, used by every entry point.

The Python API (`duediligence.check`), `check`, `fix`, the audit workers (local and Dask) and
the web server all build a `Checker` through `Checkers`, so one file under one configuration
gets the same findings wherever it is checked. `Checkers` resolves the configuration per file
and keeps one checker (library, compiled matchers) per distinct analysis settings.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .library import Library, load_library
from .limits import DEFAULT_SECONDS
from .matchers import Matchers
from .pipeline import Options, analyse, check_document
from .settings import Settings, resolve_settings, select

if TYPE_CHECKING:
    from .model import DocumentResult, RawDocument, Report
    from .read import ReadLimits
    from .read.isolated import Reading


class Checker:
    """Checks documents with one library under one `Settings`; unknown criterion ids in the
    settings are refused (`settings.select`). Only the settings' `analysis()` values matter to a
    checker: fail-on, format and baseline are the caller's."""

    def __init__(self, library: Library, settings: Settings) -> None:
        self.library = select(library, settings)
        self.settings = settings
        self.matchers = Matchers(self.library)
        # `expect` by canonical id, so an alias there works as it does in `criteria` and `ignore`
        self.expected = tuple(library.get(e).id for e in settings.expect)

    def options(self, limits: "ReadLimits | None" = None, password: str | None = None,
                timeout: float | None = DEFAULT_SECONDS) -> Options:
        base = Options(language=self.settings.language, suppress=self.settings.suppress, expected=self.expected,
                       password=password, timeout=timeout)
        return base if limits is None else replace(base, limits=limits)

    def check(self, path: str | Path, limits: "ReadLimits | None" = None, password: str | None = None,
              timeout: float | None = DEFAULT_SECONDS, reading: "Reading | None" = None) -> "DocumentResult":
        """The result for one file; never raises for a problem with the input (see `pipeline`).
        `timeout`: seconds for the document (the default limit of every entry point); None: no limit.
        `reading`: the file's reading, started before this checker was built (`read.isolated.Reading`)."""
        return check_document(str(path), self.library, self.matchers, self.options(limits, password, timeout), reading)

    def analyse(self, raw: "RawDocument", language: str | None = None) -> "DocumentResult":
        """The analysis of a document already read (a worker's warm-up), optionally in a forced language."""
        options = self.options()
        return analyse(raw, self.library, self.matchers, options if language is None else replace(options, language=language))


class Checkers:
    """Checkers by analysis settings, each library folder set loaded once."""

    def __init__(self) -> None:
        self._libraries: dict[tuple[str, ...], Library] = {}
        self._checkers: dict[str, Checker] = {}

    def library(self, folders: tuple[str, ...]) -> Library:
        """The whole library of built-in and extra folders (raises `LibraryError`)."""
        if folders not in self._libraries:
            self._libraries[folders] = load_library([Path(f) for f in folders])
        return self._libraries[folders]

    def get(self, settings: Settings) -> Checker:
        key = json.dumps(settings.analysis(), sort_keys=True)
        if key not in self._checkers:
            self._checkers[key] = Checker(self.library(settings.library), settings)
        return self._checkers[key]

    def for_file(self, path: str | Path, command_line: dict[str, Any] | None = None,
                 read_files: bool = True) -> Checker:
        """The checker for `path` under its own configuration (raises `ConfigError`, `LibraryError`)."""
        return self.get(resolve_settings(path, command_line, read_files))


def report_of(results: "list[DocumentResult] | tuple[DocumentResult, ...]", checker: Checker) -> "Report":
    """The report of a run, named by the tool and the (first) checker's library."""
    from .model import Report
    from .version import __version__

    return Report(__version__, checker.library.version, tuple(c.id for c in checker.library.criteria), tuple(results))
