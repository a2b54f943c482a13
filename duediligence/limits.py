"""Time and memory every entry point grants one document: check, the hook, audit workers, the web.

A hostile file must cost its own answer (a `timeout` or `too-large` error), never the run, the
machine's memory, or the other documents' results. The defaults hold unless a flag changes them.
"""

from __future__ import annotations

import os

DEFAULT_SECONDS = 60.0  # per document, reading and analysis together
DEFAULT_MEMORY_BYTES = 768 * 1024 * 1024  # what reading one document may add to the process: with the
# process itself, a document stays under 1 GB (a 2,000-page PDF takes about 100 MB to read)
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes(pid: int | str = "self") -> int | None:
    """The resident memory of a process, or None where /proc does not tell (not Linux, gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def cap_address_space(extra: int) -> None:
    """Let this process grow by about `extra` bytes of address space from now, then fail its
    allocations (Python raises MemoryError) instead of taking the machine's memory.

    Address space, not resident memory, is what the kernel can cap; reserved but untouched
    memory counts too, hence a budget above the resident ceiling that callers watch."""
    try:
        import resource
    except ImportError:  # not a Unix
        return
    used = _address_space()
    if used is None:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = used + extra
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft == resource.RLIM_INFINITY or wanted < soft:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
        except (ValueError, OSError):
            pass
