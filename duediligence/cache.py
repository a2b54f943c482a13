"""On-disk caches for derived data that is slow to rebuild: lemma expansions, sentence spans.

Pre-commit hooks start a fresh process for every commit; re-reading spaCy's lookup tables
each time would cost most of the start-up budget. Entries are keyed by what they derive
from (the spacy-lookups-data version is part of the file name), written atomically, and
a cache that cannot be read or written is simply bypassed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable


def cache_dir() -> Path:
    override = os.environ.get("DUEDILIGENCE_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "duediligence"


@lru_cache(maxsize=1)
def lookups_version() -> str:
    """The version of spaCy's lemma tables, part of every key derived from them: the Version
    line of its METADATA beside the package, as `importlib.metadata` reads it, without the
    tens of milliseconds that importing `importlib.metadata` costs every start."""
    from importlib.util import find_spec

    spec = find_spec("spacy_lookups_data")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        site = Path(folder).parent
        try:
            infos = [n for n in os.listdir(site) if n.startswith("spacy_lookups_data-") and n.endswith(".dist-info")]
            if len(infos) == 1:
                for line in (site / infos[0] / "METADATA").read_text(encoding="utf-8").splitlines():
                    if line.startswith("Version:"):
                        return line.split(":", 1)[1].strip()
                    if not line:
                        break
        except OSError:
            pass
    from importlib import metadata

    try:
        return metadata.version("spacy-lookups-data")
    except metadata.PackageNotFoundError:
        return "none"


_memory: dict[str, Any] | None = None


def _path() -> Path:
    return cache_dir() / f"derived-{lookups_version()}.json"


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


class SpanCache:
    """Sentence spans per block text, in SQLite so parallel workers can share it safely.

    The key hashes the cache format, the language and the text, so a change in how sentences
    are split (bump `FORMAT`) never serves stale spans. An unusable cache is bypassed.
    """

    FORMAT = "spans-1"
    _shared: "SpanCache | None" = None

    def __init__(self, path: Path | None) -> None:
        self._db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), timeout=5, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS spans (key TEXT PRIMARY KEY, spans TEXT NOT NULL)")
        except (sqlite3.Error, OSError):
            self._db = None

    @classmethod
    def shared(cls) -> "SpanCache":
        if cls._shared is None:
            disabled = os.environ.get("DUEDILIGENCE_NO_CACHE")
            cls._shared = cls(None if disabled else cache_dir() / "sentences.sqlite")
        return cls._shared

    def key(self, lang: str, text: str) -> str:
        return hashlib.sha1(f"{self.FORMAT}|{lang}|{text}".encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, key: str) -> list[tuple[int, int]] | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT spans FROM spans WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return [tuple(s) for s in json.loads(row[0])] if row else None  # type: ignore[misc]

    def put(self, key: str, spans: list[tuple[int, int]]) -> None:
        if self._db is None:
            return
        try:
            self._db.execute("INSERT OR REPLACE INTO spans VALUES (?, ?)", (key, json.dumps(spans)))
        except sqlite3.Error:
            pass
