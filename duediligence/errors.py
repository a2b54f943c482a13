"""Errors a user can cause, each with a stable machine-readable code.

Every reader and stage raises `InputError` for problems with the *input* (never a bare
exception), so the CLI can print one human line, put the code in JSON, exit 2 and carry on
with the next document. Codes are part of the JSON contract: never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass

# code -> one-line explanation used in docs and `--help`.
ERROR_CODES: dict[str, str] = {
    "not-found": "the path does not exist",
    "is-directory": "a directory was given where a file was expected",
    "unreadable": "the file exists but cannot be opened (permissions, I/O error)",
    "empty-file": "the file has no bytes",
    "unsupported-format": "the bytes are not PDF, DOCX, plain text or Markdown",
    "corrupt-pdf": "the PDF structure is damaged or truncated",
    "corrupt-docx": "the DOCX is not a valid Word package",
    "password-protected": "the document needs a password to be opened",
    "no-text": "the document has no extractable text (a scan without text layer)",
    "too-large": "the file, its page count or its decompressed size exceeds a configured limit",
    "encoding": "the text file's encoding could not be determined",
    "timeout": "the document took longer than the configured time limit",
    "library": "a clause-library file is invalid",
    "config": "the .duediligence.toml or pyproject.toml governing the document is invalid",
    "internal": "an unexpected internal error (please report it)",
}


@dataclass
class InputError(Exception):
    """A problem with one input document; the run goes on with the others."""

    code: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in ERROR_CODES:
            raise ValueError(f"unknown error code {self.code!r}")
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class LibraryError(Exception):
    """A clause-library file is invalid; the message names file, key and problem."""
