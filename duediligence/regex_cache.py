"""Compiled regular expressions kept on disk, so a fresh process (a pre-commit hook) does not
parse and compile the library's term sets again.

`re.compile` spends most of its time in Python (re._parser, re._compiler) building the code
that the C matcher runs; for the library's few hundred alternations that is over 100 ms at
every start. That code is stored here, keyed by the pattern source itself (so any change in
the clause library or in how terms become patterns misses the cache), in a file named after
the tool version, the Python version and the matcher's format (`_sre.MAGIC`). A cache that
cannot be read, written or used is bypassed and `re.compile` is called as usual.

A first start (an empty cache folder: a new machine, a new version) would still compile them
all, about half a second of a one-second hook; `data/patterns.marshal.gz`, written by
tools/build_set_sources.py, holds what checking the samples compiles, for the Python that
built it, and seeds an empty cache. Under any other Python or tool version it is not used.
"""

from __future__ import annotations

import gzip
import marshal
import re
import sys
from pathlib import Path
from typing import Any, Callable

from .marshal_store import MarshalStore

_used: set[str] = set()
# Past this many entries the file keeps only what this process used: every edit of the clause
# library leaves the patterns of the sets it changed behind.
_MAX_ENTRIES = 1500


PREBUILT_PATTERNS = "data/patterns.marshal.gz"


def made_by() -> str:
    """What the entries are valid for: the tool version (the pattern sources it builds), the
    Python version and the matcher's code format."""
    import _sre

    from .version import __version__

    python = f"{sys.implementation.name}{sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]}"
    return f"{__version__}-{python}-{_sre.MAGIC}"


def _path() -> Path:
    from .cache import cache_dir

    return cache_dir() / f"patterns-{made_by()}.marshal"


def _kept(entries: dict[str, Any]) -> dict[str, Any]:
    return entries if len(entries) <= _MAX_ENTRIES else {k: v for k, v in entries.items() if k in _used}


def prebuilt() -> dict[str, Any]:
    """The shipped entries (a fresh dict), or none when the file is missing, damaged or was made
    by another Python or tool version."""
    from importlib import resources

    try:
        made, entries = marshal.loads(gzip.decompress((resources.files("duediligence") / PREBUILT_PATTERNS).read_bytes()))
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return entries if made == made_by() and isinstance(entries, dict) else {}


def used_entries() -> dict[str, Any]:
    """The entries this process compiled or read, by key: what tools/build_set_sources.py ships."""
    entries = _load()
    return {key: entries[key] for key in sorted(_used) if key in entries}


_store = MarshalStore(_path, _kept, prebuilt)


def _load() -> dict[str, Any]:
    return _store.entries


def remembered(key: str, produce: Callable[[], Any]) -> Any:
    """A value derived from `key` alone (made of str, int, list, tuple, None), kept beside the
    patterns because it is needed to build them."""
    entries = _load()
    _used.add(key)
    if key in entries:
        return entries[key]
    value = produce()
    entries[key] = value
    _store.changed()
    return value


def recall(key: str, produce: Callable[[], Any]) -> Any:
    """Like `remembered`, for plain data (dicts, lists, scalars) that its caller may change: each
    call gets a fresh copy. Data that cannot be marshalled is produced each time."""
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
    _store.changed()
    return value


def compile_pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, from the on-disk cache when it holds the pattern; raises
    what `re.compile` raises for a bad pattern."""
    import _sre

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
    _store.changed()
    return pattern  # type: ignore[no-any-return]
