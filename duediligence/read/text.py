"""Plain text and Markdown: paragraphs split on blank lines, each with its first line number.

Encodings are decided from the bytes (BOM, strict UTF-8, then Windows-1252, the usual
encoding of Belgian office exports), and the choice is reported when it is not UTF-8.
"""

from __future__ import annotations

import os
import re

from ..errors import InputError
from ..model import Block, BlockKind, Format, RawDocument
from ..normalize import join_lines, normalize_text
from . import ReadLimits, digest

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_LIST = re.compile(r"^\s{0,6}(?:[-*+•]|\d{1,3}[.)])\s+")
_NUMBERED_LIST = re.compile(r"^\s{0,6}\d{1,3}[.)]\s+")  # in plain text, "3. Straffen" is a heading
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _decode(data: bytes) -> tuple[str, str] | None:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None
    if len(_CONTROL.findall(data[:65536])) > max(8, len(data[:65536]) // 200):
        return None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def looks_like_text(data: bytes) -> Format | None:
    decoded = _decode(data)
    if decoded is None:
        return None
    text = decoded[0]
    if "\x00" in text:
        return None
    lines = text.splitlines()[:400]
    marks = sum(1 for ln in lines if _ATX.match(ln) or ln.lstrip().startswith("|") or _LIST.match(ln))
    return Format.MARKDOWN if marks >= 2 and any(_ATX.match(ln) for ln in lines) else Format.TEXT


def read(path: str, data: bytes, limits: ReadLimits, password: str | None) -> RawDocument:
    label = os.path.basename(path)
    decoded = _decode(data)
    if decoded is None:
        raise InputError("encoding", f"{label}: the text encoding could not be determined")
    text, encoding = decoded
    fmt = looks_like_text(data) or Format.TEXT
    blocks = _blocks(text.replace("\r\n", "\n").replace("\r", "\n"), fmt is Format.MARKDOWN)
    if not blocks:
        raise InputError("no-text", f"{label}: the file holds no text")
    warnings = () if encoding.startswith("utf-8") else (f"decoded as {encoding}",)
    return RawDocument(path, fmt, tuple(blocks), digest(data), len(data), warnings=warnings)


def _blocks(text: str, markdown: bool) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []
    para_line = 0

    def flush() -> None:
        nonlocal para
        if para:
            body = join_lines(para)
            if body:
                blocks.append(Block(body, len(blocks) + 1, line=para_line))
        para = []

    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        atx = _ATX.match(line) if markdown else None
        if atx:
            flush()
            blocks.append(Block(normalize_text(atx.group(2)), len(blocks) + 1, BlockKind.HEADING, line=number,
                                heading_level=len(atx.group(1))))
            continue
        if markdown and _SETEXT.match(line) and len(para) == 1:
            title = normalize_text(para[0])
            para = []
            blocks.append(Block(title, len(blocks) + 1, BlockKind.HEADING, line=para_line,
                                heading_level=1 if stripped.startswith("=") else 2))
            continue
        if stripped.startswith("|") and markdown:
            flush()
            if not _TABLE_RULE.match(stripped):
                cells = [normalize_text(c) for c in stripped.strip("|").split("|")]
                blocks.append(Block(" | ".join(c for c in cells if c), len(blocks) + 1, BlockKind.TABLE_ROW, line=number))
            continue
        if _LIST.match(line) and (markdown or not _NUMBERED_LIST.match(line)):
            flush()
            para, para_line = [_LIST.sub("", line, count=1)], number
            flush()
            blocks[-1:] = [Block(blocks[-1].text, blocks[-1].paragraph, BlockKind.LIST_ITEM, line=number)] if blocks else []
            continue
        if not para:
            para_line = number
        para.append(line)
    flush()
    return _mend_broken_paragraphs(blocks)


def _mend_broken_paragraphs(blocks: list[Block]) -> list[Block]:
    """Join paragraphs that a PDF-to-text export split at every line.

    Such exports put a blank line after each line, so a sentence runs over several
    "paragraphs": a paragraph that ends without punctuation and is followed by one that
    starts in lower case is the same paragraph.
    """
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind is BlockKind.PARAGRAPH and block.kind is BlockKind.PARAGRAPH
                and not prev.text.rstrip().endswith((".", ":", ";", "!", "?")) and block.text[:1].islower()):
            out[-1] = Block(join_lines([prev.text, block.text]), prev.paragraph, prev.kind, line=prev.line)
            continue
        out.append(Block(block.text, len(out) + 1, block.kind, line=block.line, heading_level=block.heading_level))
    return out
