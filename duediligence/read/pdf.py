"""PDF text layer: pdf_oxide for speed, pypdfium2 where pdf_oxide cannot read a page.

Lines come with their geometry and font, so paragraphs can be rebuilt from vertical gaps,
larger or bold fonts can mark headings, bullets can start list items, and running headers
and footers (lines near the page edge that repeat on most pages) can be dropped. Words
hyphenated across a line end are joined again. pdfium also checks that the file opens
(passwords, damage), renders scanned pages for OCR, and tells scanned pages from empty ones.
"""

from __future__ import annotations

import bisect
import itertools
import math
import os
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..languages import language_pattern
from ..errors import InputError
from ..model import Block, BlockKind, Format, Notice, RawDocument
from ..normalize import join_lines, normalize_text
from .limits import ReadLimits, digest
from .headings import heading_form_level, numbering_depth
from .ocr import ocr_pages

_EDGE = 0.08  # top/bottom share of the page where running headers and footers live
_ASCENT, _DESCENT = 0.72, 0.22  # share of the font size above and below the baseline (Helvetica, Arial)
_DIGITS = re.compile(r"\d+")
# Set once pdf_oxide has panicked in this process: a panic can leave its shared font state
# corrupt (seen with 0.3.78: later documents came out as shifted letters, "'HRSGUDFKWQH" for
# "De opdrachtnemer"), so from then on pdfium reads every page.
_fast_reader_panicked = False


def read_with_pdfium_only() -> None:
    """From now on pdfium reads every page in this process: a reading child that retries a PDF
    pdf_oxide crashed on (see read.isolated)."""
    global _fast_reader_panicked
    _fast_reader_panicked = True
# A gap wider than this many font sizes on one line is a tab stop or a table column, not a
# word space (even a justified line's widest spaces stay under one font size).
_COLUMN_GAP = 2.0
_LINE = re.compile(r"[^\r\n\ufffe]+\ufffe?")  # pdfium ends a line hyphenated at its end with U+FFFE, not a line break
_SPACE_RUN = re.compile(r" +")


@dataclass(slots=True)  # one per text run of every page: slots make them cheaper to build and read
class _Line:
    page: int
    text: str
    left: float
    top: float
    bottom: float
    right: float
    size: float
    bold: bool = False
    edge: bool = False  # in the top or bottom margin, where running headers and footers live
    region: tuple[int, int] = (0, 0)  # (band, column) on a two-column page: lines are read region by region

    @classmethod
    def on_baseline(cls, page: int, text: str, left: float, right: float, baseline: float, height: float, size: float,
                    bold: bool) -> _Line:
        """A run placed by its baseline, its glyphs' top and bottom estimated from the font's
        height with a typical ascent and descent, as both engines give a baseline, not a box.
        A damaged matrix can put a run at infinity: it is placed at 0 (its text is kept). One
        sum tells whether any of the five is infinite or NaN, so a sound run pays one check."""
        if not math.isfinite(left + right + baseline + height + size):
            left, right, baseline, height, size = (v if math.isfinite(v) else 0.0 for v in (left, right, baseline, height, size))
        return cls(page, text, left, baseline + _ASCENT * height, baseline - _DESCENT * height, right, size, bold)


def read(path: str, data: bytes, limits: ReadLimits, password: str | None) -> RawDocument:
    import pypdfium2 as pdfium

    label = os.path.basename(path)
    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            hint = "the password given does not open it" if password else "pass --password"
            raise InputError("password-protected", f"{label}: the PDF is encrypted with a user password; {hint}") from None
        raise InputError("corrupt-pdf", f"{label}: the PDF is damaged or truncated ({exc})") from None
    try:
        if not any(_page_loads(pdf, i) for i in range(min(len(pdf), 3))):
            raise InputError("corrupt-pdf", f"{label}: the PDF's pages cannot be loaded; it is damaged or truncated")
        pages = len(pdf)
        if pages > limits.max_pages:
            raise InputError("too-large", f"{label}: {pages} pages is more than the limit of {limits.max_pages} (--max-pages)")
        lines, image_pages = ([], []) if limits.ocr == "always" else _lines(pdf, data, password)
        scanned = not any(line.text.strip() for line in lines)
        if scanned and limits.ocr == "never":
            raise InputError("no-text", f"{label}: no text layer on any of its {pages} pages; it looks like a scan (use --ocr auto)")
        ocr_blocks = ocr_pages(label, pdf, limits.max_pages) if scanned else None
    finally:
        pdf.close()
    if ocr_blocks is not None:
        return RawDocument(path, Format.PDF, tuple(ocr_blocks), digest(data), len(data), pages=pages,
                           warnings=(Notice("text-by-ocr", f"{label}: text read by OCR", (("file", label),)),))
    lines = _drop_running_lines(lines, pages)
    blocks = _paragraphs(lines)
    warnings: tuple[Notice, ...] = ()
    if image_pages:  # a partly scanned document must not pass as complete
        listed = ", ".join(map(str, image_pages[:10])) + (" ..." if len(image_pages) > 10 else "")
        warnings = (Notice("image-only-pages", f"{label}: page(s) {listed} hold only images, no text layer; their text is "
                           "not read (scanned pages? use --ocr always)", (("file", label), ("pages", listed))),)
    return RawDocument(path, Format.PDF, tuple(blocks), digest(data), len(data), pages=pages, warnings=warnings)


def _page_loads(pdf: object, number: int) -> bool:
    import pypdfium2 as pdfium

    try:
        pdf[number].close()  # type: ignore[index]
    except pdfium.PdfiumError:
        return False
    return True


def _lines(pdf: object, data: bytes, password: str | None) -> tuple[list[_Line], list[int]]:
    """Text lines of every page with their geometry, and the pages with images but no text.

    pdf_oxide reads a page's text spans three to four times faster than pdftotext; pdfium is
    slower but the more tolerant reader. So every page goes to pdf_oxide first, and a page it
    gives no text for (a damaged page, a font it cannot decode, a scan) is read again by pdfium,
    which also tells a scanned page from an empty one.
    """
    import pypdfium2 as pdfium

    fast = _fast_reader(data, password)
    lines: list[_Line] = []
    image_pages: list[int] = []
    for number in range(len(pdf)):  # type: ignore[arg-type]
        segments = _spans(fast, number) if fast is not None and not _fast_reader_panicked else []
        if segments:
            try:
                width, height = pdf.get_page_size(number)  # type: ignore[attr-defined]
            except pdfium.PdfiumError:  # a page box pdfium cannot read: the text's own extent stands in
                width, height = max(s.right for s in segments), max(s.top for s in segments)
        else:
            try:
                page = pdf[number]  # type: ignore[index]
            except pdfium.PdfiumError:
                continue  # a damaged page: the others are still read, and no text at all is reported
            width, height = page.get_size()
            segments = _pdfium_segments(page, number + 1, image_pages)
        columns = _mark_columns(segments, width)
        top_edge, bottom_edge = height * (1 - _EDGE), height * _EDGE
        merged = _merge_segments(segments, columns)
        for line in merged:
            line.edge = line.top > top_edge or line.bottom < bottom_edge
        lines.extend(merged)
    return lines, image_pages


def _fast_reader(data: bytes, password: str | None) -> Any:
    """The document opened by pdf_oxide, or None where it cannot open it (pdfium then reads it all)."""
    import pdf_oxide

    if _fast_reader_panicked:
        return None
    pdf_oxide.disable_logging()  # it logs recoverable damage to stderr; damage shows as pages without text
    try:
        return pdf_oxide.PdfDocument.from_bytes(data, password=password)
    except Exception:
        return None


def _spans(fast: Any, number: int) -> list[_Line]:
    """A page's text spans from pdf_oxide: one per run of text in one font on one line.

    A span's box is (left, baseline, width, font size) in PDF points from the page's lower left.
    An error inside pdf_oxide only costs this page the fast path; a Rust panic costs it the rest
    of the process. A panic comes through pyo3 as a PanicException, which is no Exception;
    anything else of that kind (Ctrl-C, the --timeout alarm) goes on up.
    """
    try:
        with _stderr_silenced():
            spans = fast.extract_spans(number)
    except Exception:
        return []
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        global _fast_reader_panicked
        _fast_reader_panicked = True
        return []
    page = number + 1
    runs: list[_Line] = []
    for span in spans:
        text = span.text
        if text.strip():
            left, baseline, width, height = span.bbox
            runs.append(_Line.on_baseline(page, text, left, left + width, baseline, height, float(span.font_size),
                                          bool(span.is_bold)))
    return runs


@contextmanager
def _stderr_silenced() -> Iterator[None]:
    """Rust's panic hook prints to the process's stderr before the panic reaches Python as an
    exception that is handled; a user checking a damaged PDF must not see that."""
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def _pdfium_segments(page: Any, number: int, image_pages: list[int]) -> list[_Line]:
    """pdfium's reading of one page; a page with images and no text is noted in `image_pages`."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        segments = _segments(textpage, number)
        if not segments and any(True for _ in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=2)):
            image_pages.append(number)
    finally:
        textpage.close()
        page.close()
    return segments


def _segments(textpage: Any, page: int) -> list[_Line]:
    """The page's text as pdfium reads it, cut at its line breaks and at gaps wider than
    `_COLUMN_GAP` font sizes (tab stops, table columns), with each run's position, font size and weight.

    Each character of pdfium's page text is one of its characters, so a run's geometry comes
    from its first and last characters: the baseline, font and left edge of the first, the right
    edge of the last. (Matching pdfium's text rectangles to the text by hit-testing instead went
    wrong on browser-made PDFs, whose kerned runs overlap.)
    """
    import ctypes

    import pypdfium2.raw as raw

    handle = textpage.raw
    count = textpage.count_chars()
    buffer = (ctypes.c_ushort * (2 * count + 1))()
    units = max(raw.FPDFText_GetText(handle, 0, count, buffer) - 1, 0)
    if units == count:
        text = bytes(memoryview(buffer).cast("B")[: 2 * units]).decode("utf-16-le", "replace")
    else:  # characters beyond the BMP take two UTF-16 units: one code point per character instead
        text = "".join(chr(raw.FPDFText_GetUnicode(handle, i) or 0xFFFD) for i in range(count))
    left, right, bottom, top, x, y = (ctypes.c_double() for _ in range(6))
    name = ctypes.create_string_buffer(128)

    def edges(index: int) -> tuple[float, float]:
        raw.FPDFText_GetCharBox(handle, index, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom),
                                ctypes.byref(top))
        return left.value, right.value

    def run(start: int, end: int) -> _Line | None:
        piece = text[start:end]
        first = start + len(piece) - len(piece.lstrip())
        last = start + len(piece.rstrip()) - 1
        if last < first:
            return None
        raw.FPDFText_GetCharOrigin(handle, first, ctypes.byref(x), ctypes.byref(y))
        size = float(raw.FPDFText_GetFontSize(handle, first)) or 10.0
        raw.FPDFText_GetFontInfo(handle, first, name, len(name), None)
        bold = raw.FPDFText_GetFontWeight(handle, first) >= 600 or b"bold" in name.value.lower()
        return _Line.on_baseline(page, text[first : last + 1], edges(first)[0], edges(last)[1], y.value, size, size, bold)

    segments = []
    for line in _LINE.finditer(text):
        start = line.start()
        for spaces in _SPACE_RUN.finditer(text, line.start(), line.end()):
            before, after = spaces.start() - 1, spaces.end()
            if before < start or after >= line.end():
                continue
            size = float(raw.FPDFText_GetFontSize(handle, before)) or 10.0
            if edges(after)[0] - edges(before)[1] > _COLUMN_GAP * size:  # a column: its own run
                segments.append(run(start, spaces.start()))
                start = after
        segments.append(run(start, line.end()))
    return [segment for segment in segments if segment is not None]


def _mark_columns(segments: list[_Line], width: float) -> bool:
    """On a two-column page (a bilingual text side by side, a newsletter-style layout), give each
    run its region, so the left column is read before the right one instead of line by line across.

    A page has two columns when at least six long runs (a quarter of the page wide) sit left of
    the middle and six right of it, with a gutter between them that none of those runs crosses.
    A run across the gutter (a title, a full-width paragraph) starts a new band of the page.
    Tables rarely qualify: their right-hand cells (units, quantities, prices) are short.
    Returns whether the page has two columns (whether any run's region was set).
    """
    long = [s for s in segments if s.right - s.left >= 0.25 * width]
    left = [s for s in long if s.left < 0.4 * width and s.right <= 0.6 * width]
    right = [s for s in long if s.left >= 0.4 * width]
    if len(left) < 6 or len(right) < 6:
        return False
    gutter_from, gutter_to = max(s.right for s in left), min(s.left for s in right)
    if gutter_to <= gutter_from:
        return False
    gutter = (gutter_from + gutter_to) / 2
    across = sorted(-s.top for s in segments if s.left < gutter < s.right)  # tops of full-width runs, highest first
    for seg in segments:
        band = bisect.bisect_right(across, -seg.top)
        seg.region = (band, -1 if seg.left < gutter < seg.right else 0 if seg.right <= gutter else 1)
    return True


def _merge_segments(segments: list[_Line], columns: bool) -> list[_Line]:
    """Runs on the same baseline (table cells, bold words, kerned pieces) become one line.

    On a page of one column every run has the same region, so the sort leaves it out of the key."""
    if columns:
        segments.sort(key=lambda s: (s.region, -round(s.top), s.left))
    else:
        segments.sort(key=lambda s: (-round(s.top), s.left))
    if not segments:
        return []
    last = segments[0]
    merged = [last]
    for seg in itertools.islice(segments, 1, None):
        reach = 0.4 * (seg.top - seg.bottom)  # how far apart two baselines of one line may be: max(2.0, reach)
        if not reach > 2.0:
            reach = 2.0
        if abs(last.top - seg.top) < reach and seg.left >= last.left and last.region == seg.region:
            gap = seg.left - last.right
            size = max(seg.size, 4)
            # A wide gap is a tab stop or a table column; none at all, and no space at the seam,
            # is a font change inside a word ("Fair" in bold, "trade" not).
            if gap > _COLUMN_GAP * size:
                joiner = " | "
            elif gap > 0.1 * size or last.text[-1:].isspace() or seg.text[:1].isspace():
                joiner = " "
            else:
                joiner = ""
            last.text = f"{last.text.rstrip()}{joiner}{seg.text.lstrip()}"
            last.right = max(last.right, seg.right)
            last.bottom = min(last.bottom, seg.bottom)
            last.size = max(last.size, seg.size)
            last.bold = last.bold and seg.bold
        else:
            merged.append(seg)
            last = seg
    return merged


# «key»: the alternatives every language pack gives for it (data/languages/*.yml)
_PAGE_NUMBER = r"^\W*(?:(?:«page»|«page_abbreviation»)\s*)?\d+\s*(?:/|«page_of»)\s*\d+\W*$|^\W*«page»\s+\d+\W*$"


def _drop_running_lines(lines: list[_Line], pages: int) -> list[_Line]:
    """Lines at the top or bottom edge that repeat, digits aside, on at least half of the pages.

    A two-page document needs the line on both pages; with one page nothing can be told apart
    from a title, so only bare page numbers ("pagina 1 van 1") are dropped there.
    """

    page_number = language_pattern(_PAGE_NUMBER)
    kept: list[_Line] = []
    keys: list[str | None] = []  # an edge line's text with its digits masked, None for the other lines
    for line in lines:
        key = None
        if line.edge:
            text = normalize_text(line.text)
            if page_number.match(text):
                continue
            key = _DIGITS.sub("#", text.lower())
        kept.append(line)
        keys.append(key)
    if pages < 2:
        return kept
    per_key = Counter(k for _page, k in {(line.page, k) for line, k in zip(kept, keys) if k is not None})
    running = {k for k, n in per_key.items() if n >= max(2, pages // 2)}
    if not running:
        return kept
    return [line for line, k in zip(kept, keys) if k not in running]


_SENTENCE_END = (".", ":", ";", "!", "?")
# A line opening with a bullet ("–", "•", Word's Symbol-font bullet U+F0B7) or "a)" starts a
# list item of its own, even when the item before it filled its last line.
_LIST_ITEM = re.compile(r"^\s*(?:[-\u2013\u2014\u2022\u25aa\u25e6\u25cf\u25a0\u27a2\u25ba*\uf0a7\uf0b7\uf0d8]|\(?[a-z\d]{1,2}\))\s")


def _paragraphs(lines: list[_Line]) -> list[Block]:
    """Blocks from lines: a paragraph ends at a wider gap, a font change, a short line ending a
    sentence, or a page turn after a sentence; headings stand alone."""
    if not lines:
        return []
    sizes: Counter[int] = Counter()
    for line in lines:  # the body size is the size most text is set in, away from the page edges
        if line.size > 0 and not line.edge:
            sizes[round(line.size)] += len(line.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 10
    gaps = [
        prev.bottom - cur.top
        for prev, cur in zip(lines, lines[1:])
        if prev.page == cur.page and 0 <= prev.bottom - cur.top < 3 * body_size
    ]
    # The usual gap between lines of one paragraph: a low percentile, because headings and
    # paragraph breaks make up much of a short document's gaps.
    usual_gap = sorted(gaps)[len(gaps) // 4] if gaps else body_size * 0.3
    if len(gaps) < 10:  # too few to tell; single-spaced body text is the safe guess
        usual_gap = min(usual_gap, body_size * 0.5)
    right_edge = sorted(line.right for line in lines)[int(len(lines) * 0.9)]
    emphasised = _emphasis(lines, body_size)
    heading_sizes = sorted({round(line.size * 2) / 2 for line, big in zip(lines, emphasised) if big}, reverse=True)

    def rank(line: _Line) -> int:
        """Heading level from the visual hierarchy: the largest heading font is level 1."""
        size = round(line.size * 2) / 2
        return min(heading_sizes.index(size) + 1 if size in heading_sizes else len(heading_sizes), 4)

    blocks: list[Block] = []

    def add(start: int, end: int, form_level: int | None = None) -> None:
        """The block of lines[start:end]; `form_level` if its one line is a heading by its form."""
        text = join_lines([line.text for line in lines[start:end]])
        if text:
            first = lines[start]
            big = emphasised[start] and len(text) < 160
            if " | " in text:  # a bold table header is a row of its table, not a section heading
                kind = BlockKind.TABLE_ROW
            else:
                kind = BlockKind.HEADING if big or form_level else BlockKind.PARAGRAPH
            # A larger or bold heading ranks by its font, then by its numbering, so a bold
            # "4.1" nests under a bold "4." of the same size. Body-size headings rank below
            # all of those, and among themselves by numbering depth.
            if kind is not BlockKind.HEADING:
                level = None
            elif big:
                level = rank(first) + numbering_depth(text)
            else:
                level = form_level + len(heading_sizes) if form_level else None
            blocks.append(Block(text, len(blocks) + 1, kind, page=first.page, heading_level=level))

    paragraph_gap = usual_gap + 0.5 * body_size
    short = right_edge * 0.85
    following = iter(lines)
    next(following)
    start = 0  # the first line of the block being gathered: lines[start:i] are in it
    prev, prev_big = lines[0], False  # the line before `line`, and whether it is emphasised
    for i, (line, big, after) in enumerate(zip(lines, emphasised, itertools.chain(following, (None,)))):
        if start < i:  # does `line` go on with the block, or start one?
            new_page = line.page != prev.page
            size_change = big != prev_big or (prev_big and abs(line.size - prev.size) >= 0.5)
            # A heading, or a sentence that ended, does not run on over a page break.
            if ((not new_page and prev.bottom - line.top > paragraph_gap) or size_change
                    or (prev.right < short and prev.text.rstrip().endswith(_SENTENCE_END)) or _LIST_ITEM.match(line.text)
                    or " | " in line.text or " | " in prev.text
                    or (new_page and (prev_big or prev.text.rstrip().endswith((".", ":"))))):
                add(start, i)
                start = i
        if start == i:
            level = _form_heading(line, after, big, right_edge)
            if level is not None:
                add(start, i + 1, level)
                start = i + 1
        prev, prev_big = line, big
    if start < len(lines):
        add(start, len(lines))
    return blocks


def _emphasis(lines: list[_Line], body_size: float) -> list[bool]:
    """Whether each line is larger or bolder than body text, how a PDF shows a heading; worked
    out once per line, as the paragraph loop asks it of a line two or three times."""
    threshold = body_size * 1.08
    return [line.size >= threshold or line.bold for line in lines]


def _form_heading(line: _Line, following: _Line | None, emphasised: bool, right_edge: float) -> int | None:
    """The level of a body-size line that is a heading by its form ("3.2 Sociale voorwaarden",
    "ALGEMENE BEPALINGEN"): short, and not going on in lower case on the next line."""
    if emphasised or line.right >= right_edge * 0.85 or " | " in line.text:
        return None
    if following is not None and following.page == line.page and following.text.lstrip()[:1].islower():
        return None
    return heading_form_level(normalize_text(line.text))
