"""Word documents: body paragraphs and table rows in document order, with heading levels.

python-docx's `paragraph.text` leaves out tracked insertions (`w:ins`) and content controls
(`w:sdt`), which tender templates use a lot, so the XML is walked here: deleted and moved-away
text is skipped, a text box's fallback copy is read once, table rows become one block each.
python-docx only opens the package. The zip directory is checked before anything is expanded
(zip bombs), and python-docx's XML parser neither loads DTDs nor resolves entities (tested).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from ..model import Block, BlockKind, Format, Notice, RawDocument
from ..normalize import normalize_text
from .limits import ReadLimits, digest

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_HEADING_STYLE = re.compile(r"^(?:heading|kop|titre|überschrift|titel|título|titolo)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(?:title|titel|titre)$", re.IGNORECASE)
_MAX_RATIO = 200  # uncompressed / compressed beyond this is a bomb, not a document
_RATIO_FLOOR = 50_000_000  # below this total, a high ratio is just XML compressing well
# The XML parts are parsed whole, at about ten times their size in memory (40 MB took 500 MB);
# a 500-page tender's are a few megabytes. Stored padding can keep a bomb under the ratio check, never under this.
MAX_XML_BYTES = 48 * 1024 * 1024
_ZIP_ERRORS = (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError)

# Subtrees whose text is not the document's: deletions, text moved elsewhere and the duplicate
# rendering Word stores for older readers (whole paragraphs can sit in these), field codes,
# and properties.
NOT_DOCUMENT_TEXT = frozenset({f"{W}del", f"{W}moveFrom", f"{MC}Fallback"})
_SKIP = NOT_DOCUMENT_TEXT | {f"{W}instrText", f"{W}delInstrText",
                             f"{W}pPr", f"{W}rPr", f"{W}sdtPr", f"{W}sdtEndPr", f"{W}tblPr", f"{W}trPr", f"{W}tcPr"}
_CHARS = {f"{W}tab": " ", f"{W}ptab": " ", f"{W}br": " ", f"{W}cr": " ", f"{W}noBreakHyphen": "-", f"{W}softHyphen": ""}
_CONTAINERS = frozenset({f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}moveTo", f"{W}smartTag",
                         f"{MC}AlternateContent", f"{MC}Choice"})

_OTHER_PACKAGES = {
    "xl/workbook.xml": "an Excel workbook (.xlsx)",
    "ppt/presentation.xml": "a PowerPoint presentation (.pptx)",
    "content.xml": "an OpenDocument file (.odt/.ods); save it as .docx or PDF",
}


def zip_names(data: bytes) -> set[str] | None:
    """The member names of a zip package, or None when it is not a readable zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return set(z.namelist())
    except _ZIP_ERRORS:
        return None


def zip_kind(names: set[str]) -> str | None:
    """None for a Word package (possibly damaged), else what the zip is, for the error message."""
    if "word/document.xml" in names or ("[Content_Types].xml" in names and any(n.startswith("word/") for n in names)):
        return None
    for member, kind in _OTHER_PACKAGES.items():
        if member in names:
            return kind
    return "a zip archive, not a Word document (.docx)"


def _check_zip(label: str, data: bytes, limits: ReadLimits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except _ZIP_ERRORS as exc:
        raise InputError("corrupt-docx", f"{label}: not a valid Word package ({exc})") from None
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > limits.max_decompressed_bytes:
        raise InputError("too-large", f"{label}: expands to {total:,} bytes (limit {limits.max_decompressed_bytes:,}); "
                                      "refused before expansion")
    if total > _RATIO_FLOOR and total / packed > _MAX_RATIO:
        raise InputError("too-large", f"{label}: expands {total / packed:,.0f} times, to {total:,} bytes; "
                                      "a zip bomb, refused before expansion")
    xml = sum(i.file_size for i in infos if i.filename.lower().endswith((".xml", ".rels")))
    if xml > MAX_XML_BYTES:
        raise InputError("too-large", f"{label}: its XML parts expand to {xml:,} bytes (limit {MAX_XML_BYTES:,}); "
                                      "refused before expansion")


def _open(label: str, data: bytes) -> Any:
    import docx  # heavy-ish: only when a DOCX is read

    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as exc:
        if "not a Word file" in str(exc):  # .docm/.dotx: python-docx opens only plain documents
            raise InputError("unsupported-format", f"{label}: a macro-enabled Word file or template; save it as .docx") from None
        raise InputError("corrupt-docx", f"{label}: the Word package is damaged ({exc})") from None
    except Exception as exc:  # python-docx and lxml raise assorted errors on malformed packages
        raise InputError("corrupt-docx", f"{label}: the Word package is damaged ({type(exc).__name__}: {exc})") from None


def read(path: str, data: bytes, limits: ReadLimits, password: str | None) -> RawDocument:
    label = os.path.basename(path)
    _check_zip(label, data, limits)
    document = _open(label, data)
    # A part python-docx loads lazily (styles, comments) may be malformed: its error is passed
    # off as a damaged package by `read_document`, an error of this module's as a bug.
    return _read(path, label, data, document)


def _read(path: str, label: str, data: bytes, document: Any) -> RawDocument:
    if document.element.tag != f"{W}document":
        raise InputError("corrupt-docx", f"{label}: the main part of the package is not a Word document (w:document)")
    styles = _Styles(document)
    body = document.element.body
    if body is None:
        raise InputError("corrupt-docx", f"{label}: the Word document has no body (w:body)")
    blocks: list[Block] = []
    for kind, text, level in _walk(body, styles):
        if text:
            blocks.append(Block(text, len(blocks) + 1, kind, heading_level=level))
    if not blocks:
        raise InputError("no-text", f"{label}: the Word document has no text in its body (only images or objects?)")
    seen: set[str] = set()
    for part, text in _headers_footers(document, body):
        if text and text not in seen:
            seen.add(text)
            blocks.append(Block(text, len(blocks) + 1, part=part))
    warnings: tuple[Notice, ...] = ()
    if body.find(f".//{W}altChunk") is not None:
        warnings = (Notice("embedded-document", f"{label}: an embedded document (altChunk) is not read", (("file", label),)),)
    return RawDocument(path, Format.DOCX, tuple(blocks), digest(data), len(data), title=_title(document),
                       comments=tuple(_comments(document)), warnings=warnings)


class _Styles:
    """Heading level and list membership per paragraph style, following `basedOn` chains."""

    def __init__(self, document: Any) -> None:
        self._elements: dict[str, Any] = {}
        root = document.styles.element
        for el in root.iterfind(f"{W}style"):
            sid = el.get(f"{W}styleId")
            if sid:
                self._elements[sid] = el
        self._cache: dict[str, tuple[int | None, bool]] = {}

    def of(self, sid: str | None) -> tuple[int | None, bool]:
        if not sid:
            return None, False
        if sid not in self._cache:
            self._cache[sid] = (None, False)  # guards against basedOn cycles
            self._cache[sid] = self._resolve(sid)
        return self._cache[sid]

    def _resolve(self, sid: str) -> tuple[int | None, bool]:
        el = self._elements.get(sid)
        if el is None:
            return _named_level(sid, sid), False
        name_el = el.find(f"{W}name")
        level = _named_level(name_el.get(f"{W}val", "") if name_el is not None else "", sid)
        ppr = el.find(f"{W}pPr")
        if level is None and ppr is not None:
            level = _outline_level(ppr)
        listed = _numbered(ppr) if ppr is not None else None
        based = el.find(f"{W}basedOn")
        if based is not None and (level is None or listed is None):
            parent_level, parent_listed = self.of(based.get(f"{W}val"))
            level = parent_level if level is None else level
            listed = parent_listed if listed is None else listed
        return level, bool(listed)


def _named_level(name: str, sid: str) -> int | None:
    for candidate in (name.strip(), sid):
        m = _HEADING_STYLE.match(candidate)
        if m:
            return max(1, int(m.group(1)))
        if _TITLE_STYLE.match(candidate):
            return 1
    return None


def _outline_level(ppr: Any) -> int | None:
    outline = ppr.find(f"{W}outlineLvl")
    val = outline.get(f"{W}val", "9") if outline is not None else "9"
    return int(val) + 1 if val.isdigit() and int(val) < 9 else None


def _numbered(ppr: Any) -> bool | None:
    """True for a list paragraph, False when numbering is switched off (numId 0), None if unsaid."""
    num = ppr.find(f"{W}numPr")
    if num is None:
        return None
    num_id = num.find(f"{W}numId")
    return num_id is None or num_id.get(f"{W}val", "0") != "0"


def _paragraph_kind(p: Any, styles: _Styles) -> tuple[BlockKind, int | None]:
    ppr = p.find(f"{W}pPr")
    if ppr is None:
        return BlockKind.PARAGRAPH, None
    style = ppr.find(f"{W}pStyle")
    level, listed = styles.of(style.get(f"{W}val") if style is not None else None)
    outline = ppr.find(f"{W}outlineLvl")
    if outline is not None:  # direct formatting overrides the style, 9 meaning "body text"
        level = _outline_level(ppr)
    direct = _numbered(ppr)
    listed = listed if direct is None else direct
    if level is not None:
        return BlockKind.HEADING, level
    return (BlockKind.LIST_ITEM if listed else BlockKind.PARAGRAPH), None


def _text(element: Any) -> str:
    """The visible text of a paragraph (or cell, comment), read in order without recursion."""
    parts: list[str] = []
    stack = [iter(element)]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue  # comments, processing instructions and unexpanded entity references too
        if tag == f"{W}t":
            parts.append(el.text or "")
        elif tag in _CHARS:
            parts.append(_CHARS[tag])
        elif tag == f"{W}p":
            parts.append(" ")  # a paragraph inside a text box or cell is a separate run of words
            stack.append(iter(el))
        else:
            stack.append(iter(el))
    return normalize_text("".join(parts))


def _children(container: Any) -> Iterator[Any]:
    """Block-level children, with content controls and other wrappers opened up."""
    for child in container:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag in _CONTAINERS:
            yield from _children(child)
        else:
            yield child


def _walk(container: Any, styles: _Styles) -> Iterator[tuple[BlockKind, str, int | None]]:
    for child in _children(container):
        if child.tag == f"{W}p":
            kind, level = _paragraph_kind(child, styles)
            yield kind, _text(child), level
        elif child.tag == f"{W}tbl":
            yield from _table(child, styles)


def _table(table: Any, styles: _Styles) -> Iterator[tuple[BlockKind, str, int | None]]:
    """One block per row, cells joined by " | "; a nested table's rows follow the row holding it."""
    for row in _children(table):
        if row.tag != f"{W}tr":
            continue
        cells: list[str] = []
        nested: list[Any] = []
        for cell in _children(row):
            if cell.tag != f"{W}tc":
                continue
            texts = []
            for item in _children(cell):
                if item.tag == f"{W}p":
                    texts.append(_text(item))
                elif item.tag == f"{W}tbl":
                    nested.append(item)
            text = " ".join(t for t in texts if t)
            if text:  # empty and vertically merged cells add nothing
                cells.append(text)
        yield BlockKind.TABLE_ROW, " | ".join(cells), None
        for inner in nested:
            yield from _table(inner, styles)


def _headers_footers(document: Any, body: Any) -> Iterator[tuple[str, str]]:
    """Header and footer text of every section, in section order (default, first, even)."""
    related = document.part.related_parts
    for sect in body.iter(f"{W}sectPr"):
        for ref in sect:
            part = {f"{W}headerReference": "header", f"{W}footerReference": "footer"}.get(ref.tag)
            target = related.get(ref.get(_R_ID)) if part else None
            element = getattr(target, "element", None)
            if part and element is not None:
                for _kind, text, _level in _walk(element, _NO_STYLES):
                    yield part, text


def _title(document: Any) -> str | None:
    """The core-properties title; None without a core part (python-docx would invent "Word Document")."""
    if not any(rel.reltype.endswith("/core-properties") for rel in document.part.package.rels.values()):
        return None
    return normalize_text(document.core_properties.title or "") or None


def _comments(document: Any) -> Iterator[str]:
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/comments") and not rel.is_external:
            element = getattr(rel.target_part, "element", None)
            for comment in element.iterfind(f"{W}comment") if element is not None else ():
                text = _text(comment)
                if text:
                    yield text


class _NoStyles(_Styles):
    """Headers and footers: their paragraph styles do not make document headings."""

    def __init__(self) -> None:
        self._elements, self._cache = {}, {}

    def of(self, sid: str | None) -> tuple[int | None, bool]:
        return None, False


_NO_STYLES = _NoStyles()
