"""Uploads read from the request stream straight into folders the server names.

The browser's file name is only displayed: each file goes to `<files>/<random>/document.<ext>`,
created exclusively with owner-only permissions, and the extension is one of the four the
checker reads. The request body is counted as it streams in: past the size limit reading
stops and the partial files are removed, so a 300 MB upload is refused without being held in
memory or written out whole. The CSRF field must come before the first file.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from python_multipart.multipart import MultipartParser, parse_options_header

EXTENSIONS = (".pdf", ".docx", ".txt", ".md")
STORED_NAME = "document"
_FIELD_LIMIT = 1024  # bytes of a plain form field (the CSRF token)
_OVERHEAD = 64 * 1024  # multipart boundaries and part headers beyond the files themselves


class UploadRefused(Exception):
    """The whole request is refused: `code` is `too-large`, `csrf` or `bad-request`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Received:
    """One file of the request: where the server put it, or why it was not kept."""

    file_name: str
    path: Path | None = None
    size: int = 0
    sha256: str | None = None
    error: str | None = None  # an error code of `errors.ERROR_CODES`, or None
    _digest: Any = field(default=None, repr=False)
    _file: IO[bytes] | None = field(default=None, repr=False)


def display_name(raw: str) -> str:
    """The browser's file name made safe to show: its last path part, no control characters."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C").strip()
    return name[:200] or STORED_NAME


def allowed_extension(name: str) -> str | None:
    ext = os.path.splitext(name)[1].lower()
    return ext if ext in EXTENSIONS else None


def request_limit(max_file_bytes: int) -> int:
    """Bytes one upload request may hold: the file limit plus the form's own overhead."""
    return max_file_bytes + _OVERHEAD


class UploadReader:
    def __init__(self, root: Path, max_bytes: int, csrf: str | None, max_files: int = 20) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.csrf = csrf  # the session's token, when the request did not carry it in a header
        self.max_files = max_files
        self.files: list[Received] = []
        self._fields: dict[str, bytearray] = {}
        self._headers: dict[bytes, bytes] = {}
        self._header_name = b""
        self._header_value = b""
        self._current: Received | None = None
        self._field: str | None = None

    async def read(self, content_type: str, chunks: AsyncIterator[bytes]) -> list[Received]:
        """Stream the body into files; raises UploadRefused (and removes what it wrote) when refused."""
        kind, params = parse_options_header(content_type)
        boundary = params.get(b"boundary")
        if kind != b"multipart/form-data" or not boundary:
            raise UploadRefused("bad-request", "expected a multipart/form-data upload")
        parser = MultipartParser(boundary, {
            "on_part_begin": self._part_begin, "on_header_field": self._header_field,
            "on_header_value": self._header_value_data, "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished, "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        })
        total = 0
        limit = request_limit(self.max_bytes)
        try:
            async for chunk in chunks:
                total += len(chunk)
                if total > limit:
                    raise UploadRefused("too-large", f"the upload is larger than the limit of {self.max_bytes // 2**20} MB")
                parser.write(chunk)
            parser.finalize()
        except UploadRefused:
            self.discard()
            raise
        except Exception as exc:  # a malformed body from a hand-made request
            self.discard()
            raise UploadRefused("bad-request", f"the upload could not be read ({type(exc).__name__})") from None
        return self.files

    def discard(self) -> None:
        for received in self.files:
            _close(received)
            if received.path is not None:
                _remove(received.path)
                received.path = None

    # --- parser callbacks ------------------------------------------------------------------------

    def _part_begin(self) -> None:
        self._headers, self._current, self._field = {}, None, None

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_name.lower()] = self._header_value
        self._header_name, self._header_value = b"", b""

    def _headers_finished(self) -> None:
        _disposition, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" not in options:
            self._field = name
            self._fields[name] = bytearray()
            return
        if self.csrf is not None and bytes(self._fields.get("csrf", b"")).decode("ascii", "replace") != self.csrf:
            raise UploadRefused("csrf", "the form's security token is missing or stale; reload the page")
        received = Received(display_name(options[b"filename"].decode("utf-8", "replace")))
        self.files.append(received)
        if len(self.files) > self.max_files:
            received.error = "too-large"
            return
        ext = allowed_extension(received.file_name)
        if ext is None:
            received.error = "unsupported-format"
            return
        folder = self.root / secrets.token_hex(16)
        folder.mkdir(mode=0o700, parents=False)
        received.path = folder / f"{STORED_NAME}{ext}"
        fd = os.open(received.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        received._file = os.fdopen(fd, "wb")
        received._digest = hashlib.sha256()
        self._current = received

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._field is not None:
            value = self._fields[self._field]
            if len(value) + end - start <= _FIELD_LIMIT:
                value += data[start:end]
            return
        received = self._current
        if received is None or received._file is None:
            return
        piece = data[start:end]
        received.size += len(piece)
        received._file.write(piece)
        received._digest.update(piece)

    def _part_end(self) -> None:
        received, self._current, self._field = self._current, None, None
        if received is None:
            return
        _close(received)
        received.sha256 = received._digest.hexdigest()
        if received.size == 0 and received.path is not None:
            _remove(received.path)
            received.path, received.error = None, "empty-file"


def _close(received: Received) -> None:
    if received._file is not None:
        received._file.close()
        received._file = None


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    try:
        path.parent.rmdir()
    except OSError:
        pass
