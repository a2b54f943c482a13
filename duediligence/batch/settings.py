"""What every worker of one audit must agree on, resolved once by the parent.

Workers (local processes or Dask workers on other machines) receive these settings as JSON
and load the same library from them; their hash is part of each cache key, beside the
file's bytes, the tool version and the library version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..library import Library
    from ..pipeline import Options

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
        from ..library import load_library

        library = load_library([Path(d) for d in self.library_dirs], only=list(self.criteria) or None)
        return library.without(self.ignore) if self.ignore else library

    def options(self) -> "Options":
        from ..pipeline import Options

        return Options(language=self.language, suppress=self.suppress, expected=self.expected, password=self.password,
                       timeout=self.timeout)


def cache_key(sha256: str, tool_version: str, library_version: str, settings: AuditSettings) -> str:
    text = "\0".join((sha256, tool_version, library_version, settings.fingerprint()))
    return hashlib.sha256(text.encode()).hexdigest()
