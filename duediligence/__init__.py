"""duediligence: checks tender documents for human-rights, TruStone, fair-trade, fossil-free
and ethical-banking clauses, and says what to add.

Library use::

    from duediligence import check
    report = check(["bestek.pdf"])
"""

from __future__ import annotations

from .version import __version__

__all__ = ["__version__", "check"]


def check(paths: list[str], criteria: list[str] | None = None, language: str = "auto"):  # type: ignore[no-untyped-def]
    """Check documents with the built-in clause library; returns a `model.Report`."""
    from .library import load_library
    from .pipeline import Options, check_paths

    return check_paths(list(paths), load_library(only=criteria), Options(language=language))
