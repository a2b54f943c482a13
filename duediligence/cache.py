"""A small on-disk cache for derived data that is slow to rebuild (lemma expansions).

Pre-commit hooks start a fresh process for every commit; re-reading spaCy's lookup tables
each time would cost most of the start-up budget. Entries are keyed by what they derive
from (the spacy-lookups-data version is part of the file name), written atomically, and
a cache that cannot be read or written is simply bypassed.
"""

from __future__ import annotations

import json
import os
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any, Callable


def cache_dir() -> Path:
    override = os.environ.get("DUEDILIGENCE_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "duediligence"


def _lookups_version() -> str:
    try:
        return metadata.version("spacy-lookups-data")
    except metadata.PackageNotFoundError:
        return "none"


_memory: dict[str, Any] | None = None


def _path() -> Path:
    return cache_dir() / f"derived-{_lookups_version()}.json"


def cached_json(key: str, produce: Callable[[], Any]) -> Any:
    """Return the cached value for `key`, producing and storing it on a miss."""
    global _memory
    if _memory is None:
        try:
            _memory = json.loads(_path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            _memory = {}
    if key in _memory:
        return _memory[key]
    value = produce()
    _memory[key] = value
    try:
        target = _path()
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(_memory, fh)
        os.replace(tmp, target)
    except OSError:
        pass
    return value
