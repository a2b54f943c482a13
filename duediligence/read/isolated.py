"""Reading an untrusted file in a child process, where a hostile file costs that file only.

The PDF libraries are native code: a crafted PDF can crash them (pdf_oxide segfaults on deeply
nested arrays), spin in them where no Python signal reaches (a million text runs on one
baseline), or make them allocate gigabytes. So every file is read in a forked child of its own:
the parent waits for its answer with the document's deadline, watches its resident memory, and
kills it (with any OCR process it started) past either limit. A child that dies on its own is a
file the library could not survive: `corrupt-pdf` or `corrupt-docx`, and the run goes on.

Forking keeps the parent's imports and pays no start-up; where there is no fork (Windows) the
file is read in-process, with the in-process limits only.
"""

from __future__ import annotations

import dataclasses
import faulthandler
import os
import pickle
import select
import signal
import stat
import sys
import tempfile
import time
from typing import Any

from ..errors import InputError
from ..limits import cap_address_space, resident_bytes
from ..model import Notice, RawDocument
from . import ReadLimits, read_document

_POLL_SECONDS = 0.05
# The child's address space may exceed its resident ceiling by this much (reserved, untouched
# memory counts there); past it an allocation fails at once instead of after the next poll.
_ADDRESS_SPACE_FACTOR = 2
_MAXRSS_UNIT = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, kibibytes on Linux
_OUT_OF_MEMORY = (b"memory allocation of", b"out of memory", b"bad_alloc", b"MemoryError", b"Cannot allocate memory")


class ReaderCrashed(Exception):
    """A bug of ours in the child (not the file's fault): reported as `internal`, never `corrupt-*`."""


def _preload(path: str) -> None:
    """Import the readers' libraries in the parent once, so that no child pays for it; the PDF
    libraries (a tenth of a second) only once a PDF comes, not for a hook checking a DOCX."""
    from . import docx, pdf, text  # noqa: F401

    if _native_kind(path) == "pdf":
        import pdf_oxide  # noqa: F401
        import pypdfium2  # noqa: F401


class Reading:
    """A file being read in a child process from now on, for `read_isolated` to collect later:
    the pre-commit hook reads its DOCX while the parent loads the library. The child imports the
    reader it needs itself (no `_preload`: a single file would pay the import twice, once in each
    process). The document's deadline counts from here. `close` ends a child never collected."""

    def __init__(self, path: str, limits: ReadLimits, password: str | None, timeout: float | None) -> None:
        self.path, self.limits, self.password = path, limits, password
        self.started = time.perf_counter()
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self._child: _Child | None = _Child(path, limits, password, tolerant=False) if hasattr(os, "fork") else None

    def serves(self, path: str, limits: ReadLimits, password: str | None) -> bool:
        """Whether this reading is of `path` with these limits and password, and not yet collected."""
        return self._child is not None and (self.path, self.limits, self.password) == (path, limits, password)

    def take(self) -> "_Child":
        child, self._child = self._child, None
        assert child is not None
        return child

    def close(self) -> None:
        if self._child is not None:
            self.take().abandon()


def read_isolated(path: str, limits: ReadLimits, password: str | None, deadline: float | None,
                  reading: Reading | None = None) -> RawDocument:
    """`read_document` in a child process; `deadline` is on the `time.monotonic` clock. A
    `reading` of this file started earlier is collected instead of starting another.

    Raises `InputError` like `read_document` (also `timeout` past the deadline and `too-large`
    past `limits.max_memory_bytes`), `ReaderCrashed` for a bug of ours.
    """
    if not hasattr(os, "fork"):
        return read_document(path, limits, password)
    started = reading.take() if reading is not None and reading.serves(path, limits, password) else None
    if started is None:
        _preload(path)
    try:
        return (started or _Child(path, limits, password, tolerant=False)).answer(deadline)
    except _NativeCrash as crash:
        if crash.code != "corrupt-pdf":
            raise
        # pdf_oxide died on it (a segfault): pdfium, the slower but more tolerant reader, gets
        # the whole file in a child of its own; only when it dies too is the PDF damaged.
        try:
            doc = _Child(path, limits, password, tolerant=True).answer(deadline)
        except _NativeCrash:
            raise crash from None
        label = os.path.basename(path) or path
        retried = Notice("pdf-reader-crashed", f"{label}: the fast PDF reader crashed on this file ({crash.how}); "
                         "pdfium read it instead", (("file", label), ("how", crash.how)))
        return dataclasses.replace(doc, warnings=(*doc.warnings, retried))


class _NativeCrash(InputError):
    """A reader's native library killed its child process (corrupt-pdf, corrupt-docx); `how`
    says how the child ended ("signal SIGSEGV")."""

    def __init__(self, code: str, message: str, how: str) -> None:
        super().__init__(code, message)
        self.how = how


class _Child:
    """The child process reading one file, forked at construction; `answer` waits for it."""

    def __init__(self, path: str, limits: ReadLimits, password: str | None, tolerant: bool) -> None:
        self.path, self.limits = path, limits
        self.label = os.path.basename(path) or path
        self.errors = tempfile.TemporaryFile()
        self.reading, writing = os.pipe()
        self.base = resident_bytes() or 0
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            os.close(self.reading)
            _child(writing, self.errors.fileno(), path, limits, password, tolerant)
        os.close(writing)

    def answer(self, deadline: float | None) -> RawDocument:
        """The document, or the reading's error, once the child has said it (or the limits ended it)."""
        try:
            payload, status, peak = _collect(self.pid, self.reading, deadline, self.base, self.limits, self.label)
        finally:
            os.close(self.reading)
            _kill(self.pid)
        try:
            return _answer(payload, status, peak, self.path, self.label, self.errors, self.limits)
        finally:
            self.errors.close()

    def abandon(self) -> None:
        """End the child without its answer (the run stopped before it was needed)."""
        os.close(self.reading)
        _kill(self.pid)
        self.errors.close()


def _child(writing: int, errors: int, path: str, limits: ReadLimits, password: str | None, tolerant: bool) -> None:
    try:
        if tolerant:
            from .pdf import read_with_pdfium_only

            read_with_pdfium_only()
        faulthandler.disable()  # a native crash here is the parent's to report, in one line
        os.setpgid(0, 0)  # its own process group: killing it kills its tesseract too
        _die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        os.dup2(errors, 2)  # what native libraries print on their way down, for the parent to read
        cap_address_space(limits.max_memory_bytes * _ADDRESS_SPACE_FACTOR)
        message: tuple[Any, ...]
        try:
            message = ("ok", read_document(path, limits, password))
        except InputError as exc:
            message = ("input", exc.code, exc.message)
        except MemoryError:
            message = ("memory",)
        except BaseException as exc:  # noqa: B036 - the parent reports it; the child must end here
            message = ("bug", f"{type(exc).__name__}: {exc}")
        try:
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("memory",))
        view = memoryview(data)
        while view:
            view = view[os.write(writing, view):]
    finally:
        os._exit(0)


def _die_with_parent() -> None:
    """Linux: the child gets SIGKILL when the parent dies (an audit worker killed at its time limit)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _collect(pid: int, reading: int, deadline: float | None, base: int, limits: ReadLimits,
             label: str) -> tuple[bytes, int, int]:
    """The child's whole answer, its wait status and its peak resident memory above `base`."""
    chunks: list[bytes] = []
    peak = 0
    while True:
        wait = _POLL_SECONDS
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise InputError("timeout", f"{label}: reading took longer than the time limit (--timeout)")
            wait = min(wait, left)
        ready, _, _ = select.select([reading], [], [], wait)
        if ready:
            chunk = os.read(reading, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        used = (resident_bytes(pid) or base) - base
        peak = max(peak, used)
        if used > limits.max_memory_bytes:
            raise InputError("too-large", f"{label}: reading it needs more than {limits.max_memory_bytes // 2**20:,} MB "
                                          "of memory (the limit)")
    return b"".join(chunks), *_reap(pid, base, peak)


def _reap(pid: int, base: int, sampled: int) -> tuple[int, int]:
    """The ended child's wait status and its peak resident memory above `base`: the kernel's
    high-water mark where it has one, since a native allocator that fails at the address-space
    cap aborts without a word (pdfium: SIGABRT), often between two of the parent's samples."""
    if not hasattr(os, "wait4"):
        return os.waitpid(pid, 0)[1], sampled
    _, status, usage = os.wait4(pid, 0)
    return status, max(sampled, usage.ru_maxrss * _MAXRSS_UNIT - base)


def _kill(pid: int) -> None:
    """End the child and its process group if they still run; reap the child."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _answer(payload: bytes, status: int, peak: int, path: str, label: str, errors: Any,
            limits: ReadLimits) -> RawDocument:
    if payload:
        message = pickle.loads(payload)  # noqa: S301 - our own child's answer
        kind = message[0]
        if kind == "ok":
            doc: RawDocument = message[1]
            return doc
        if kind == "input":
            raise InputError(message[1], message[2])
        if kind == "memory":
            raise InputError("too-large", f"{label}: reading it needs more memory than the limit of "
                                          f"{limits.max_memory_bytes // 2**20:,} MB")
        raise ReaderCrashed(f"{label}: {message[1]}")
    errors.seek(0)
    said = errors.read()[-4096:]
    if any(sign in said for sign in _OUT_OF_MEMORY) or peak > limits.max_memory_bytes * 0.9:
        raise InputError("too-large", f"{label}: reading it needs more memory than the limit of "
                                      f"{limits.max_memory_bytes // 2**20:,} MB")
    how = (f"signal {signal.Signals(os.WTERMSIG(status)).name}" if os.WIFSIGNALED(status)
           else f"exit code {os.WEXITSTATUS(status)}")
    code = _crash_code(path)
    if code is None:
        raise ReaderCrashed(f"{label}: the reader process ended without an answer ({how})")
    kind_name = "PDF" if code == "corrupt-pdf" else "Word"
    raise _NativeCrash(code, f"{label}: the {kind_name} library crashed on this file ({how}); it is damaged or crafted", how)


def _crash_code(path: str) -> str | None:
    """corrupt-pdf or corrupt-docx from the file's first bytes; None when a native library of a
    reader cannot be what crashed (text), which makes the crash ours."""
    kind = _native_kind(path)
    return None if kind is None else f"corrupt-{kind}"


def _native_kind(path: str) -> str | None:
    """pdf or docx when the file's first bytes say so (a reader with native libraries), else None.
    Only a regular file is opened, without blocking: a named pipe must not hang the parent."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            head = os.read(fd, 1024) if stat.S_ISREG(os.fstat(fd).st_mode) else b""
        finally:
            os.close(fd)
    except OSError:
        return None
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    return None
