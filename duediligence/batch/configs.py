"""Which configuration file governs each audited document, and what that means for the run.

An audit runs with one set of settings: the configuration above its first path, and the
flags. A document under a configuration file that is broken gets a `config` error and the run
goes on (one broken file in a subfolder stopped the whole audit); a document under a valid one
that asks for other settings is counted, so the summary says that this audit did not apply them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .settings import AuditSettings


@dataclass(frozen=True)
class Governance:
    broken: dict[str, str] = field(default_factory=dict)  # document -> the configuration error
    other: tuple[tuple[str, int], ...] = ()  # configuration file -> documents it wants checked otherwise


def govern(paths: list[str], flags: dict[str, Any], settings: AuditSettings) -> Governance:
    from ..config import ConfigError, resolve

    broken: dict[str, str] = {}
    other: Counter[str] = Counter()
    for path in paths:
        try:
            config = resolve(Path(path), flags)
        except ConfigError as exc:
            broken[path] = str(exc)
            continue
        wanted = (tuple(config["criteria"]), tuple(config["ignore"]), tuple(config["library"]), config["language"],
                  config["suppress"], tuple(config["expect"]))
        used = (settings.criteria, settings.ignore, settings.library_dirs, settings.language, settings.suppress,
                settings.expected)
        if wanted != used and config.file is not None:
            other[config.file] += 1
    return Governance(broken, tuple(other.most_common()))
