"""Readers: one module per format, chosen from the file's bytes, never its extension.

Every reader returns a `RawDocument` whose blocks keep their location (page, paragraph,
line) and raises `InputError` with a stable code for anything wrong with the input.
A new format is one new module plus one line in `READERS`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from importlib import import_module
from typing import Protocol

from ..errors import InputError
from ..model import Format, RawDocument


@dataclass(frozen=True)
class ReadLimits:
    """Safe defaults against hostile or runaway inputs; all configurable."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2000
    max_decompressed_bytes: int = 500 * 1024 * 1024
    max_text_chars: int = 20_000_000
    ocr: str = "auto"  # auto: OCR a PDF without text layer; always; never


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
        from .docx import zip_names

        names = zip_names(data)
        if names is None:
            raise InputError("corrupt-docx", f"{label}: a damaged or truncated zip package, not a readable Word document")
        if "word/document.xml" in names:
            return Format.DOCX
        raise InputError("unsupported-format", f"{label}: a zip package that is not a Word document (.docx)")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError("unsupported-format", f"{label}: an old binary Office file (.doc); save it as .docx or PDF")
    from .text import looks_like_text

    kind = looks_like_text(data)
    if kind is None:
        raise InputError("unsupported-format", f"{label}: not PDF, DOCX, plain text or Markdown")
    return kind


def read_document(path: str | os.PathLike[str], limits: ReadLimits = ReadLimits(), password: str | None = None) -> RawDocument:
    name = os.fspath(path)
    label = os.path.basename(name) or name
    if not os.path.lexists(name):
        raise InputError("not-found", f"{name}: no such file")
    if os.path.isdir(name):
        raise InputError("is-directory", f"{name}: is a folder; give the files inside it (e.g. {name}/*.pdf)")
    try:
        size = os.path.getsize(name)
        if size > limits.max_file_bytes:
            raise InputError("too-large", f"{label}: {size:,} bytes is more than the limit of {limits.max_file_bytes:,}")
        with open(name, "rb") as fh:
            data = fh.read()
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError("not-found", f"{name}: the file disappeared before it could be read") from None
    except OSError as exc:
        raise InputError("unreadable", f"{label}: cannot be read ({exc.strerror or exc})") from None
    fmt = sniff(data, name)
    reader = import_module(f"{__name__}.{READERS[fmt]}")
    doc: RawDocument = reader.read(name, data, limits, password)
    if sum(len(b.text) for b in doc.blocks) > limits.max_text_chars:
        raise InputError("too-large", f"{label}: more text than the limit of {limits.max_text_chars:,} characters")
    return doc


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
