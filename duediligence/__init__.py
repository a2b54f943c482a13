"""duediligence: checks tender documents for human-rights, TruStone, fair-trade, fossil-free
and ethical-banking clauses, and says what to add.

Library use::

    from duediligence import check
    report = check(["bestek.pdf"])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .version import __version__

if TYPE_CHECKING:
    from .model import Report

__all__ = ["__version__", "check"]


def check(paths: "list[str]", criteria: "list[str] | None" = None, language: "str | None" = None,
          read_config: bool = True) -> "Report":
    """Check documents as `duediligence check` does; returns a `model.Report`.

    Each file is checked under its own configuration (`.duediligence.toml` or `[tool.duediligence]`
    found above it, with its per-path overrides) unless `read_config` is false; `criteria` and
    `language` win over the configuration as the command-line flags do. Raises
    `config.ConfigError` or `errors.LibraryError` for a bad configuration or library."""
    from .checker import Checkers, report_of
    from .settings import Settings

    checkers = Checkers()
    flags = {"criteria": list(criteria) if criteria else None, "language": language}
    used = [checkers.for_file(p, flags, read_files=read_config) for p in paths] or [checkers.get(Settings())]
    return report_of([c.check(p) for c, p in zip(used, paths)], used[0])
