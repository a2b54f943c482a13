"""Readers: one module per format, chosen from the file's bytes, never its extension.

Every reader returns a `RawDocument` whose blocks keep their location (page, paragraph,
line) and raises `InputError` with a stable code for anything wrong with the input.
A new format is one new module plus one line in `READERS`.
"""

from __future__ import annotations

import os
import stat
from importlib import import_module
from typing import Protocol

from ..errors import InputError
from ..model import Format, Notice, RawDocument
from .limits import ReadLimits, digest

__all__ = ["ReadLimits", "digest", "read_document", "sniff"]


class Reader(Protocol):
    def __call__(self, path: str, data: bytes, limits: ReadLimits, password: str | None) -> RawDocument: ...


READERS: dict[Format, str] = {
    Format.PDF: "pdf",
    Format.DOCX: "docx",
    Format.TEXT: "text",
    Format.MARKDOWN: "text",
}


def sniff(data: bytes, name: str = "") -> Format:
    """The format the bytes are in; raises `InputError` for empty or unknown content."""
    label = os.path.basename(name) or "input"
    if not data:
        raise InputError("empty-file", f"{label}: the file is empty (0 bytes)")
    head = data[:1024]
    if b"%PDF-" in head:
        return Format.PDF
    if data[:4] == b"PK\x03\x04":
        from .docx import zip_kind, zip_names

        names = zip_names(data)
        if names is None:
            raise InputError("corrupt-docx", f"{label}: a damaged or truncated zip package, not a readable Word document")
        other = zip_kind(names)
        if other is not None:
            raise InputError("unsupported-format", f"{label}: {other}")
        return Format.DOCX
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError("unsupported-format", f"{label}: an old binary Office file (.doc); save it as .docx or PDF")
    from .text import looks_like_text

    kind = looks_like_text(data)
    if kind is None:
        named = os.path.splitext(label)[1].lower()
        hint = f" (named {named}, but the bytes do not say so)" if named in (".pdf", ".docx") else ""
        raise InputError("unsupported-format", f"{label}: not PDF, DOCX, plain text or Markdown{hint}")
    return kind


def read_document(path: str | os.PathLike[str], limits: ReadLimits = ReadLimits(), password: str | None = None) -> RawDocument:
    """Read one document into blocks, choosing the reader from the file's bytes.

    Raises `InputError` (see `errors.ERROR_CODES`) for anything wrong with the input; the
    message is one line naming the file and the cause.
    """
    name = os.fspath(path)
    label = os.path.basename(name) or name
    data = _load(name, label, limits)
    fmt = sniff(data, name)
    reader = import_module(f"{__name__}.{READERS[fmt]}")
    try:
        doc: RawDocument = reader.read(name, data, limits, password)
    except (InputError, MemoryError):
        raise
    except RecursionError:
        if fmt not in _CORRUPT:
            raise
        raise InputError(_CORRUPT[fmt], f"{label}: the document structure is nested too deeply to read") from None
    except Exception as exc:
        if fmt not in _CORRUPT or not raised_by_a_library(exc):
            raise  # a bug of ours: `internal`, never passed off as a damaged file
        raise InputError(_CORRUPT[fmt], f"{label}: the file is damaged and cannot be read ({type(exc).__name__}: {exc})") from None
    if sum(len(b.text) for b in doc.blocks) > limits.max_text_chars:
        raise InputError("too-large", f"{label}: more text than the limit of {limits.max_text_chars:,} characters")
    if len(doc.blocks) > limits.max_blocks:
        raise InputError("too-large", f"{label}: more than the limit of {limits.max_blocks:,} paragraphs")
    named = _NAMED.get(os.path.splitext(label)[1].lower())
    if named is not None and named is not fmt:
        from dataclasses import replace

        what = {Format.PDF: "a PDF", Format.DOCX: "a Word document"}.get(fmt, "plain text")
        ext = os.path.splitext(label)[1]
        said = Notice("misnamed", f"{label}: named {ext}, but it is {what} inside; read as {what}",
                      (("file", label), ("ext", ext), ("format", fmt.value)))
        doc = replace(doc, warnings=(said, *doc.warnings))
    return doc


_NAMED = {".pdf": Format.PDF, ".docx": Format.DOCX}


_CORRUPT = {Format.PDF: "corrupt-pdf", Format.DOCX: "corrupt-docx"}
_OWN_CODE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def raised_by_a_library(exc: BaseException) -> bool:
    """Whether `exc` is a library tripping over a malformed file (pdfium, python-docx, lxml,
    zipfile): bad input. Raised in our own code, it is a bug of ours, whatever the input."""
    if _library_error(exc):
        return True
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame is not None and not os.path.abspath(frame.tb_frame.f_code.co_filename).startswith(_OWN_CODE)


def _library_error(exc: BaseException) -> bool:
    """Errors that libraries raise from compiled code, so no frame of theirs shows where."""
    import zipfile
    import zlib

    if isinstance(exc, (zipfile.BadZipFile, zlib.error)):
        return True
    module = type(exc).__module__ or ""
    return module.split(".")[0] in ("lxml", "pypdfium2", "pdf_oxide", "docx")


def _load(name: str, label: str, limits: ReadLimits) -> bytes:
    """The file's bytes, after the checks that need no reading (existence, kind, size).

    Opened without blocking, so a pipe put in place of a checked file cannot hang the run,
    and read no further than the limit for what the first bytes say the file is."""
    try:
        os.stat(name)
    except FileNotFoundError:
        what = "a broken link" if os.path.islink(name) else "no such file"
        raise InputError("not-found", f"{name}: {what}") from None
    except OSError as exc:
        raise InputError("unreadable", f"{label}: cannot be read ({exc.strerror or exc})") from None
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError("not-found", f"{name}: the file disappeared before it could be read") from None
    except IsADirectoryError:
        raise InputError("is-directory", f"{name}: is a folder; give the files inside it (e.g. {name}/*.pdf)") from None
    except OSError as exc:
        raise InputError("unreadable", f"{label}: cannot be read ({exc.strerror or exc})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError("is-directory", f"{name}: is a folder; give the files inside it (e.g. {name}/*.pdf)")
        raise InputError("unreadable", f"{label}: not a regular file (a pipe, socket or device)")
    with os.fdopen(fd, "rb") as fh:
        try:
            head = fh.read(1024)
            limit = limits.max_file_bytes if _binary(head) else min(limits.max_file_bytes, _TEXT_BYTES * limits.max_text_chars)
            if info.st_size > limit:
                raise InputError("too-large", f"{label}: {info.st_size:,} bytes is more than the limit of {limit:,}"
                                              + ("" if limit == limits.max_file_bytes else
                                                 f" for a text file (at most {limits.max_text_chars:,} characters)"))
            data = head + fh.read(limit + 1 - len(head))  # the file may grow while it is read
        except OSError as exc:
            raise InputError("unreadable", f"{label}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise InputError("too-large", f"{label}: more than the limit of {limit:,} bytes")
    return data


_TEXT_BYTES = 4  # the most bytes one character takes (UTF-8, a UTF-16 surrogate pair)


def _binary(head: bytes) -> bool:
    """Whether the first bytes announce a PDF, a zip package or an old Office file: all else may be text."""
    return b"%PDF-" in head or head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"))
