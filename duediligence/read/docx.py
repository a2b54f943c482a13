"""Word documents: body paragraphs and table rows in document order, with heading levels.

python-docx's `paragraph.text` leaves out tracked insertions (`w:ins`) and content controls
(`w:sdt`), which tender templates use a lot, so the body XML is walked in order here.
The zip directory is checked before anything is expanded (zip bombs), and python-docx's
XML parser does not resolve entities.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from ..model import Block, BlockKind, Format, RawDocument
from ..normalize import normalize_text
from . import ReadLimits, digest

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|kop|titre|überschrift|titel)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(?:title|titel|titre)$", re.IGNORECASE)
_MAX_RATIO = 200  # uncompressed / compressed beyond this is a bomb, not a document


def zip_names(data: bytes) -> set[str] | None:
    """The member names of a zip package, or None when it is not a readable zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _check_zip(label: str, data: bytes, limits: ReadLimits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError("corrupt-docx", f"{label}: not a valid Word package ({exc})") from None
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > limits.max_decompressed_bytes or (total > 50_000_000 and total / packed > _MAX_RATIO):
        raise InputError("too-large", f"{label}: expands to {total:,} bytes (limit {limits.max_decompressed_bytes:,}); refused before expansion")


def read(path: str, data: bytes, limits: ReadLimits, password: str | None) -> RawDocument:
    label = os.path.basename(path)
    _check_zip(label, data, limits)
    import docx  # heavy-ish: only when a DOCX is read
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError) as exc:
        raise InputError("corrupt-docx", f"{label}: the Word package is damaged ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # python-docx raises assorted errors on malformed parts
        raise InputError("corrupt-docx", f"{label}: the Word package cannot be read ({type(exc).__name__})") from None
    styles = _style_levels(document)
    blocks: list[Block] = []
    for kind, text, level in _walk(document.element.body, styles):
        if text:
            blocks.append(Block(text, len(blocks) + 1, kind, heading_level=level))
    seen: set[str] = set()
    for part, text in _headers_footers(document):
        if text and text not in seen:
            seen.add(text)
            blocks.append(Block(text, len(blocks) + 1, part=part))
    if not any(b.part == "body" for b in blocks):
        raise InputError("no-text", f"{label}: the Word document has no text")
    title = (document.core_properties.title or "").strip() or None
    return RawDocument(path, Format.DOCX, tuple(blocks), digest(data), len(data), title=title, comments=tuple(_comments(document)))


def _style_levels(document: Any) -> dict[str, int]:
    """Heading level per paragraph style id, from style names and outline levels."""
    levels: dict[str, int] = {}
    for style in document.styles:
        el = style.element
        sid = el.get(f"{W}styleId")
        name = (style.name or "").strip()
        m = _HEADING_STYLE.match(name) or _HEADING_STYLE.match(sid or "")
        if m:
            levels[sid] = int(m.group(1))
        elif _TITLE_STYLE.match(name):
            levels[sid] = 1
        else:
            outline = el.find(f"{W}pPr/{W}outlineLvl")
            if outline is not None and (val := outline.get(f"{W}val", "9")).isdigit() and int(val) < 9:
                levels[sid] = int(val) + 1
    return levels


def _paragraph_text(p: Any) -> str:
    parts: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == f"{W}t":
            parts.append(el.text or "")
        elif tag in (f"{W}tab", f"{W}br", f"{W}cr"):
            parts.append(" ")
        elif tag == f"{W}noBreakHyphen":
            parts.append("-")
    return normalize_text("".join(parts))


def _paragraph_kind(p: Any, styles: dict[str, int]) -> tuple[BlockKind, int | None]:
    ppr = p.find(f"{W}pPr")
    if ppr is not None:
        style = ppr.find(f"{W}pStyle")
        level = styles.get(style.get(f"{W}val")) if style is not None else None
        outline = ppr.find(f"{W}outlineLvl")
        if level is None and outline is not None and (val := outline.get(f"{W}val", "9")).isdigit() and int(val) < 9:
            level = int(val) + 1
        if level is not None:
            return BlockKind.HEADING, level
        if ppr.find(f"{W}numPr") is not None:
            return BlockKind.LIST_ITEM, None
    return BlockKind.PARAGRAPH, None


def _walk(container: Any, styles: dict[str, int]) -> Iterator[tuple[BlockKind, str, int | None]]:
    for child in container:
        tag = child.tag
        if tag == f"{W}p":
            kind, level = _paragraph_kind(child, styles)
            yield kind, _paragraph_text(child), level
        elif tag == f"{W}tbl":
            for row in child.iter(f"{W}tr"):
                cells = []
                for cell in row.findall(f"{W}tc"):
                    text = " ".join(t for t in (_paragraph_text(p) for p in cell.iter(f"{W}p")) if t)
                    if text and text not in cells:
                        cells.append(text)
                yield BlockKind.TABLE_ROW, " | ".join(cells), None
        elif tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _walk(content, styles)
        elif tag in (f"{W}ins", f"{W}customXml", f"{W}smartTag"):
            yield from _walk(child, styles)


def _headers_footers(document: Any) -> Iterator[tuple[str, str]]:
    for section in document.sections:
        for part, items in (("header", (section.header, section.first_page_header, section.even_page_header)),
                            ("footer", (section.footer, section.first_page_footer, section.even_page_footer))):
            for hf in items:
                try:
                    if hf.is_linked_to_previous and hf is not section.header and hf is not section.footer:
                        continue
                    element = hf._element
                except Exception:  # a missing part: nothing to read
                    continue
                for kind, text, _level in _walk(element, {}):
                    yield part, text


def _comments(document: Any) -> Iterator[str]:
    try:
        comments = document.comments
    except Exception:  # no comments part
        return
    for comment in comments:
        text = normalize_text(" ".join(p.text for p in comment.paragraphs))
        if text:
            yield text
