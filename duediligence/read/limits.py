"""What every reader shares: the limits against hostile inputs and the file digest.

A module of its own so the readers (`pdf`, `docx`, `text`) need not import the registry that
loads them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..limits import DEFAULT_MEMORY_BYTES


@dataclass(frozen=True)
class ReadLimits:
    """Safe defaults against hostile or runaway inputs; all configurable."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2000
    max_decompressed_bytes: int = 500 * 1024 * 1024
    max_text_chars: int = 20_000_000
    max_memory_bytes: int = DEFAULT_MEMORY_BYTES  # resident memory reading one document may take
    max_blocks: int = 200_000  # paragraphs, headings, list items and table rows: some 4,000 pages
    ocr: str = "auto"  # auto: OCR a PDF without text layer; always; never


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
