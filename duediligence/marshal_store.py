"""A dictionary of derived data kept in one marshal file of the cache folder.

The pattern cache (`regex_cache`) and the prefilter's databases (`prefilter`) are read whole at
their first use in a process and written whole at its exit when something was added; a store
with a `seed` (the shipped patterns) starts from it when its file is missing or unreadable and
writes it to the cache folder at exit, so only the first start reads the seed. Writing
goes through a temporary file and `os.replace`, so concurrent runs (parallel hooks, batch
workers) each leave a complete file behind, the last one winning; a file that cannot be read
or is damaged reads as empty, a folder that cannot be written is not written, and with
DUEDILIGENCE_NO_CACHE set nothing touches the disk.
"""

from __future__ import annotations

import atexit
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any, Callable


class MarshalStore:
    """The entries of one file, loaded on first use; `changed` marks them for writing at exit."""

    def __init__(self, path: Callable[[], Path], kept: Callable[[dict[str, Any]], dict[str, Any]] = lambda e: e,
                 seed: Callable[[], dict[str, Any]] | None = None) -> None:
        """`path` names the file (called late: it may depend on the cache folder's setting);
        `kept` chooses what is written of the entries; `seed` gives the entries to start from
        when the file holds none (a fresh dict each call: the store adds to it)."""
        self._path = path
        self._kept = kept
        self._seed = seed
        self._entries: dict[str, Any] | None = None
        self._changed = False

    @property
    def entries(self) -> dict[str, Any]:
        if self._entries is None:
            self._entries = {}
            if not os.environ.get("DUEDILIGENCE_NO_CACHE"):
                try:
                    loaded = marshal.loads(self._path().read_bytes())
                    if isinstance(loaded, dict):
                        self._entries = loaded
                except (OSError, ValueError, EOFError, TypeError):
                    pass
                if not self._entries and self._seed is not None:
                    self._entries = self._seed()
                    self._changed = bool(self._entries)
                atexit.register(self.save)
        return self._entries

    def changed(self) -> None:
        self._changed = True

    def save(self) -> None:
        if not self._changed or self._entries is None:
            return
        try:
            target = self._path()
            target.parent.mkdir(parents=True, exist_ok=True)
            data = marshal.dumps(self._kept(self._entries))
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except (OSError, ValueError):
            pass
