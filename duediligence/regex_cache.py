"""Compiled regular expressions kept on disk, so a fresh process (a pre-commit hook) does not
parse and compile the library's term sets again.

`re.compile` spends most of its time in Python (re._parser, re._compiler) building the code
that the C matcher runs; for the library's few hundred alternations that is over 100 ms at
every start. That code is stored here, keyed by the pattern source itself (so any change in
the clause library or in how terms become patterns misses the cache), in a file named after
the tool version, the Python version and the matcher's format (`_sre.MAGIC`). A cache that
cannot be read, written or used is bypassed and `re.compile` is called as usual.
"""

from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

_entries: dict[str, tuple[Any, ...]] | None = None
_dirty = False
_used: set[str] = set()
# Past this many entries the file keeps only what this process used: every edit of the clause
# library leaves the patterns of the sets it changed behind.
_MAX_ENTRIES = 1500


def _path() -> Path:
    import _sre

    from .version import __version__
    from .cache import cache_dir

    python = f"{sys.implementation.name}{sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]}"
    return cache_dir() / f"patterns-{__version__}-{python}-{_sre.MAGIC}.marshal"


def _load() -> dict[str, tuple[Any, ...]]:
    global _entries
    if _entries is None:
        _entries = {}
        if not os.environ.get("DUEDILIGENCE_NO_CACHE"):
            try:
                loaded = marshal.loads(_path().read_bytes())
                if isinstance(loaded, dict):
                    _entries = loaded
            except (OSError, ValueError, EOFError, TypeError):
                pass
            atexit.register(_save)
    return _entries


def _save() -> None:
    if not _dirty or _entries is None:
        return
    try:
        target = _path()
        target.parent.mkdir(parents=True, exist_ok=True)
        kept = _entries if len(_entries) <= _MAX_ENTRIES else {k: v for k, v in _entries.items() if k in _used}
        data = marshal.dumps(kept)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except (OSError, ValueError):
        pass


def remembered(key: str, produce: Callable[[], Any]) -> Any:
    """A value derived from `key` alone (made of str, int, list, tuple, None), kept beside the
    patterns because it is needed to build them."""
    global _dirty
    entries = _load()
    _used.add(key)
    if key in entries:
        return entries[key]
    value = produce()
    entries[key] = value
    _dirty = True
    return value


def recall(key: str, produce: Callable[[], Any]) -> Any:
    """Like `remembered`, for plain data (dicts, lists, scalars) that its caller may change: each
    call gets a fresh copy. Data that cannot be marshalled is produced each time."""
    global _dirty
    entries = _load()
    _used.add(key)
    held = entries.get(key)
    if isinstance(held, bytes):
        return marshal.loads(held)
    value = produce()
    try:
        entries[key] = marshal.dumps(value)
    except ValueError:
        return value
    _dirty = True
    return value


def compile_pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, from the on-disk cache when it holds the pattern; raises
    what `re.compile` raises for a bad pattern."""
    import _sre

    global _dirty
    entries = _load()
    flags = int(flags)  # a RegexFlag would not marshal
    key = source if not flags else f"{flags}|{source}"
    _used.add(key)
    held = entries.get(key)
    if held is not None:
        try:
            return _sre.compile(source, *held)  # type: ignore[no-any-return]
        except (TypeError, ValueError, RuntimeError):
            pass
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(source, flags)
        code = [int(op) for op in _compiler._code(parsed, flags)]  # named opcodes are ints to marshal
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        args = (int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        pattern = _sre.compile(source, *args)
    except Exception:  # noqa: BLE001  (a bad pattern, or internals of another Python: the public API decides)
        return re.compile(source, flags)
    entries[key] = args
    _dirty = True
    return pattern  # type: ignore[no-any-return]
