"""OCR for scanned PDFs: pages rendered with pdfium, read by the tesseract command.

A scan without a text layer must never pass as "nothing missing". With `--ocr auto` (the
default) a PDF without text is read by tesseract in Dutch, French and English; without
tesseract the error says how to install it. tesseract is a system program (Debian package
tesseract-ocr), called as a subprocess with a time limit per page.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import tempfile

from ..languages import packs
from ..errors import InputError
from ..model import Block
from ..normalize import join_lines

_DPI = 300
# An A4 page at 300 dpi is 8.7 million pixels; a page declared 5 m wide (14,400 pt) would be 3.6
# billion (10 GB) at that resolution, so larger pages are rendered at a lower one.
MAX_PIXELS = 12_000_000
_PAGE_SECONDS = 120
_INSTALL = "apt-get install tesseract-ocr tesseract-ocr-nld tesseract-ocr-fra"


def available() -> bool:
    return shutil.which("tesseract") is not None


def _languages() -> str:
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return "eng"
    have = set(out.split())
    wanted = [p.tesseract for p in packs() if p.tesseract in have]
    return "+".join(wanted) or "eng"


def render_scale(width: float, height: float) -> float:
    """Pixels per point for OCR: 300 dpi, or less where that would exceed `MAX_PIXELS`."""
    area = max(width, 1.0) * max(height, 1.0)
    if not math.isfinite(area):  # a damaged page box: render it as if it were the largest allowed
        return 1.0 / 72
    return min(_DPI / 72, (MAX_PIXELS / area) ** 0.5)


def ocr_pages(label: str, pdf: object, max_pages: int) -> list[Block]:
    """Blocks read by OCR from every page of an open pypdfium2 document."""
    if not available():
        raise InputError(
            "no-text",
            f"{label}: no text layer (a scan?); OCR needs tesseract: {_INSTALL}; or pass --ocr never to skip such files",
        )
    langs = _languages()
    blocks: list[Block] = []
    with tempfile.TemporaryDirectory(prefix="dd-ocr-") as tmp:
        for number in range(min(len(pdf), max_pages)):  # type: ignore[arg-type]
            page = pdf[number]  # type: ignore[index]
            image = page.render(scale=render_scale(*page.get_size())).to_pil()
            png = os.path.join(tmp, f"p{number}.png")
            image.save(png)
            page.close()
            try:
                result = subprocess.run(["tesseract", png, "stdout", "-l", langs, "--psm", "3"],
                                        capture_output=True, text=True, timeout=_PAGE_SECONDS)
            except subprocess.TimeoutExpired:
                raise InputError("timeout", f"{label}: OCR of page {number + 1} took longer than {_PAGE_SECONDS} s") from None
            for para in re.split(r"\n\s*\n", result.stdout):
                text = join_lines(para.splitlines())
                if text:
                    blocks.append(Block(text, len(blocks) + 1, page=number + 1))
    if not blocks:
        raise InputError("no-text", f"{label}: no text layer, and OCR found no text either")
    return blocks
