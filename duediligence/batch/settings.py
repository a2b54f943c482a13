"""The wire form of a file's `Settings` for audit and web workers, resolved by the parent.

The parent resolves the configuration per file (workers, on Dask, see only a copy of the
bytes); workers receive these settings as JSON and build the same `checker.Checker` from them.
Their hash is part of each cache key, beside the file's bytes, the tool version and the
library version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..settings import Settings

if TYPE_CHECKING:
    from ..checker import Checker
    from ..library import Library

DEFAULT_ANALYSER = "duediligence.batch.worker:document_checker"


@dataclass(frozen=True)
class AuditSettings:
    criteria: tuple[str, ...] = ()  # empty: every criterion of the library
    ignore: tuple[str, ...] = ()
    library_dirs: tuple[str, ...] = ()  # absolute
    language: str = "auto"
    suppress: bool = True
    expected: tuple[str, ...] = ()
    password: str | None = None
    # Seconds per document, enforced by the worker itself (the parent kills a worker that
    # overruns it anyway); a limit, not part of what a result depends on.
    timeout: float | None = None
    # "module:factory" building the per-document function in each worker; tests inject fakes here.
    analyser: str = DEFAULT_ANALYSER

    @classmethod
    def from_settings(cls, settings: Settings, password: str | None = None,
                      analyser: str = DEFAULT_ANALYSER, timeout: float | None = None) -> "AuditSettings":
        """The analysis values of `settings` (what changes findings) and the worker's own knobs."""
        return cls(criteria=settings.criteria, ignore=settings.ignore, library_dirs=settings.library,
                   language=settings.language, suppress=settings.suppress, expected=settings.expect,
                   password=password, timeout=timeout, analyser=analyser)

    def to_settings(self) -> Settings:
        return Settings(criteria=self.criteria, ignore=self.ignore, expect=self.expected, language=self.language,
                        library=self.library_dirs, suppress=self.suppress)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "AuditSettings":
        raw: dict[str, Any] = json.loads(text)
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
        return cls(**values)

    def public(self) -> dict[str, Any]:
        """The settings as recorded in the database: no password."""
        out = asdict(self)
        out["password"] = None if self.password is None else "***"
        return out

    def fingerprint(self) -> str:
        """Everything besides bytes and versions that changes a result; a password only by its presence."""
        public = {k: v for k, v in self.public().items() if k != "timeout"}
        return hashlib.sha256(json.dumps(public, sort_keys=True).encode()).hexdigest()[:16]

    def load_library(self) -> "Library":
        """The part of the library these settings check (raises `ConfigError` for an unknown id)."""
        from ..library import load_library
        from ..settings import select

        return select(load_library([Path(d) for d in self.library_dirs]), self.to_settings())

    def checker(self) -> "Checker":
        from ..checker import Checker
        from ..library import load_library

        return Checker(load_library([Path(d) for d in self.library_dirs]), self.to_settings())


def cache_key(sha256: str, tool_version: str, library_version: str, settings: AuditSettings) -> str:
    text = "\0".join((sha256, tool_version, library_version, settings.fingerprint()))
    return hashlib.sha256(text.encode()).hexdigest()
