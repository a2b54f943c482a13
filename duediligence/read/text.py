"""Plain text and Markdown: paragraphs split on blank lines, each with its first line number.

Encodings are decided from the bytes (BOM, strict UTF-8, then Windows-1252, the usual
encoding of Belgian office exports), and the choice is reported when it is not UTF-8.
Markdown structure (headings, list items, table rows) becomes block kinds; in plain text a
numbered line such as "3.2 Uitvoeringsvoorwaarden" is a heading even without a blank line
after it, because that is how tenders exported to text look.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from ..errors import InputError
from ..model import Block, BlockKind, Format, Notice, RawDocument
from ..normalize import join_lines, normalize_text
from .limits import ReadLimits, digest
from .headings import heading_form_level

# Each pattern runs in linear time: no two quantifiers can take the same characters (before,
# `\s*(?:\s#+)?\s*$` after a lazy `.+?` took minutes on 3,000 spaces and a letter); the
# closing `#`s of a heading are taken off in `_atx`, not by the pattern.
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s(.+)$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_BREAK = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
# A line of one repeated rule character: a setext underline right under a paragraph line, else
# decoration ("=====" above and below "DEEL 2 – CONTRACTUELE BEPALINGEN", a separator), never text.
_RULE = re.compile(r"^\s{0,3}([=\-_*~+])\1{2,}\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
# Strong emphasis is how Markdown writers often mark an article heading ("**Art. 34. Sociale
# clausules**"); its markers are markup, not text, and left in they hide the heading's form.
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_STRONG_LINE = re.compile(r"^\s{0,3}(\*\*|__)(?=\S)([^*_]+?)(?<=\S)\1\s*$")
_LIST = re.compile(r"^\s{0,6}(?:[-*+•]|\d{1,3}[.)])\s+")
_NUMBERED_LIST = re.compile(r"^\s{0,6}\d{1,3}[.)]\s+")  # in plain text, "3. Straffen" is a heading
_TABLE_RULE = re.compile(r"^\s*(?:\|\s*)?:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*(?:\|\s*)?$")
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_SAMPLE = 65536
_GLUED_HEADING_CHARS = 60  # longer heading-like lines followed by more text are wrapped sentences


def decode(data: bytes) -> tuple[str, str] | None:
    """The text and the encoding it was read with, or None for binary content."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            return data[3:].decode("utf-8", errors="replace"), "utf-8-sig with invalid bytes replaced"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None
    sample = data[:_SAMPLE]
    if b"\x00" in sample or len(_CONTROL.findall(sample)) > max(8, len(sample) // 200):
        return None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return data.decode("latin-1"), "latin-1"


def unix_newlines(text: str) -> str:
    """CRLF and CR line ends as LF: line numbers count the same whatever system wrote the file."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _atx(line: str) -> tuple[int, str] | None:
    """(level, text) of a Markdown `#` heading line, without its closing `#`s; None for other lines."""
    m = _ATX.match(line)
    if m is None:
        return None
    rest = m.group(2).lstrip()
    if not rest:
        return len(m.group(1)), ""
    body = rest.rstrip()
    bare = body.rstrip("#")
    if bare != body and bare[-1:].isspace():  # "## Title ##": the closing sequence follows a space
        body = bare.rstrip()
    return len(m.group(1)), body


def _is_markdown(text: str) -> bool:
    """Markdown when the text uses its structure: `#` headings, lists beside a heading, or tables."""
    lines = text[:1_000_000].splitlines()[:400]  # a prefix: never a list of every line of 20 MB
    atx = sum(1 for ln in lines if _atx(ln))
    lists = sum(1 for ln in lines if _LIST.match(ln) or ln.lstrip().startswith("|"))
    table = any(prev.lstrip().startswith("|") and _TABLE_RULE.match(ln) and "|" in ln for prev, ln in zip(lines, lines[1:]))
    # Not "=====" under a title: plain text underlines and frames its titles so too, and read
    # as Markdown its "Artikel 5 – Betaling" lines would no longer be headings.
    return atx >= 2 or (atx == 1 and lists >= 1) or table


def looks_like_text(data: bytes) -> Format | None:
    """TEXT or MARKDOWN when the bytes decode as text, None for binary content.

    A UTF-16 byte-order mark says the file is meant as text even when it does not decode;
    the reader then reports an `encoding` error rather than an unknown format.
    """
    decoded = decode(data)
    if decoded is None and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Format.TEXT
    if decoded is None or "\x00" in decoded[0]:
        return None
    return Format.MARKDOWN if _is_markdown(decoded[0]) else Format.TEXT


def read(path: str, data: bytes, limits: ReadLimits, password: str | None) -> RawDocument:
    label = os.path.basename(path)
    decoded = decode(data)
    if decoded is None or "\x00" in decoded[0]:
        raise InputError("encoding", f"{label}: starts with a UTF-16 byte-order mark but does not decode as UTF-16")
    text, encoding = decoded
    if len(text) > limits.max_text_chars:  # before any splitting: that is where the time and memory go
        raise InputError("too-large", f"{label}: {len(text):,} characters is more than the limit of "
                                      f"{limits.max_text_chars:,}")
    text = unix_newlines(text)
    text, title = _front_matter(text)
    fmt = Format.MARKDOWN if title is not None or _is_markdown(text) else Format.TEXT
    blocks = _blocks(text, fmt is Format.MARKDOWN, limits.max_blocks, label)
    if not blocks:
        raise InputError("no-text", f"{label}: the file holds no text, only blank lines or markup")
    warnings = () if encoding in ("utf-8", "utf-8-sig") else (
        Notice("encoding-guessed", f"{label}: not UTF-8; decoded as {encoding}", (("file", label), ("encoding", encoding))),)
    return RawDocument(path, fmt, tuple(blocks), digest(data), len(data), title=title or None, warnings=warnings)


_FRONT_MATTER_LINES = 60
_FRONT_TITLE = re.compile(r"^title\s*:(.*)$", re.IGNORECASE)


def _front_matter(text: str) -> tuple[str, str | None]:
    """Markdown's YAML front matter (`---` lines around `title: …`) is metadata, not text: its
    title becomes the document's, and its lines become blank ones, so line numbers stay.
    (Read as text, `title: X` above `---` was a heading, and the document's title.)"""
    if not text.startswith("---\n"):
        return text, None
    lines = text.split("\n", _FRONT_MATTER_LINES + 1)
    end = next((i for i, ln in enumerate(lines[1:_FRONT_MATTER_LINES + 1], 1) if ln.strip() in ("---", "...")), None)
    if end is None:
        return text, None
    title = ""
    for line in lines[1:end]:
        m = _FRONT_TITLE.match(line)
        if m:
            title = m.group(1).strip().strip("'\"")
    return "\n" * (end + 1) + text[sum(len(ln) + 1 for ln in lines[: end + 1]):], normalize_text(title)


class _Builder:
    """Collects the lines of the paragraph (or list item) being read and emits blocks."""

    def __init__(self, max_blocks: int, label: str) -> None:
        self.max_blocks = max_blocks
        self.label = label
        self.blocks: list[Block] = []
        self.lines: list[str] = []
        self.first_line = 0
        self.kind = BlockKind.PARAGRAPH
        self.atx_level = 0  # the level of the last `#` heading, under which bold headings stand

    def add(self, line: str, number: int, kind: BlockKind | None = None) -> None:
        if kind is not None:
            self.flush()
            self.kind = kind
        if not self.lines:
            self.first_line = number
        self.lines.append(line)

    def emit(self, text: str, line: int, kind: BlockKind, level: int | None = None) -> None:
        if text:
            if len(self.blocks) >= self.max_blocks:
                raise InputError("too-large", f"{self.label}: more than the limit of {self.max_blocks:,} paragraphs")
            self.blocks.append(Block(text, len(self.blocks) + 1, kind, line=line, heading_level=level))

    def flush(self) -> None:
        if self.lines:
            text = join_lines(self.lines)
            level = heading_form_level(text) if self.kind is BlockKind.HEADING else None
            self.emit(text, self.first_line, self.kind, level)
        self.lines, self.kind = [], BlockKind.PARAGRAPH

    def take(self) -> list[str]:
        lines, self.lines, self.kind = self.lines, [], BlockKind.PARAGRAPH
        return lines

    def at_sentence_end(self) -> bool:
        return not self.lines or self.lines[-1].rstrip().endswith((".", ":", ";", "!", "?"))

    def at_list_position(self) -> bool:
        """Whether the text so far is a lead-in or a list item ("déclare sur l'honneur :", "... ;"),
        so that a numbered line that is no heading ("2. que l'entreprise respecte ...") is the
        next item, not more of the paragraph: each item is then a passage of its own."""
        return bool(self.lines) and self.lines[-1].rstrip().endswith((":", ";"))


def _blocks(text: str, markdown: bool, max_blocks: int = ReadLimits.max_blocks, label: str = "text") -> list[Block]:
    out = _Builder(max_blocks, label)
    fenced = False
    for number, line in enumerate(_lines(text), 1):
        stripped = line.strip()
        if markdown and _FENCE.match(line):
            out.flush()
            fenced = not fenced
            continue
        if not stripped:
            out.flush()
            continue
        if fenced:
            out.add(line, number)
            continue
        if _RULE.match(line) and not (markdown and out.lines and out.kind is BlockKind.PARAGRAPH and _SETEXT.match(line)):
            if not markdown and len(out.lines) == 1 and _SETEXT.match(line):
                # "PART A – ADMINISTRATIVE PROVISIONS" over "=====": the underlined line is a title,
                # at the level its own form shows ("PART 1" framed by dashes is still a part), else
                # at the underline's
                first, title = out.first_line, join_lines(out.take())
                form = heading_form_level(title)
                out.emit(title, first, BlockKind.HEADING, form if form is not None else 1 if stripped.startswith("=") else 2)
                continue
            out.flush()
            continue
        if markdown:
            line = _QUOTE.sub("", line)
            strong = _STRONG_LINE.match(line)
            if strong and not out.lines and heading_form_level(strong.group(2)) is not None:
                # a line in bold alone, in a heading's form: an article under the last `#` heading
                out.emit(normalize_text(strong.group(2)), number, BlockKind.HEADING, min(6, out.atx_level + 1))
                continue
            line = _STRONG.sub(r"\2", line)
            if _markdown_line(out, line, stripped, number):
                continue
        elif out.kind is BlockKind.HEADING:
            # A heading-like line glued to the next one: a heading when it is short and the next
            # line starts anew; else the start of a sentence ("3. De inschrijver" + "dient ...").
            if stripped[:1].islower() or len(out.lines[0].strip()) > _GLUED_HEADING_CHARS:
                out.kind = BlockKind.PARAGRAPH
                out.add(line, number)
                continue
            out.flush()
        if not markdown and out.kind is BlockKind.PARAGRAPH and out.at_sentence_end() and heading_form_level(stripped) is not None:
            out.add(line, number, BlockKind.HEADING)
            continue
        if _LIST.match(line) and (markdown or not _NUMBERED_LIST.match(line) or out.at_list_position()):
            out.add(_LIST.sub("", line, count=1), number, BlockKind.LIST_ITEM)
            continue
        if out.kind is BlockKind.LIST_ITEM and not markdown and not (line[:1].isspace() or stripped[:1].islower()):
            out.flush()  # plain text has no lazy continuation: an unindented line starts anew
        out.add(line, number)
    out.flush()
    return _mend_broken_paragraphs(out.blocks)


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` one at a time: a list of ten million lines would take gigabytes."""
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def _markdown_line(out: _Builder, line: str, stripped: str, number: int) -> bool:
    """Handle one Markdown structure line; False when the line is ordinary text."""
    atx = _atx(line)
    if atx:
        out.flush()
        out.emit(normalize_text(atx[1]), number, BlockKind.HEADING, atx[0])
        out.atx_level = atx[0]
        return True
    if _SETEXT.match(line) and out.lines and out.kind is BlockKind.PARAGRAPH:
        first = out.first_line
        out.emit(join_lines(out.take()), first, BlockKind.HEADING, 1 if stripped.startswith("=") else 2)
        return True
    if _BREAK.match(line):
        out.flush()
        return True
    if stripped.startswith("|"):
        out.flush()
        if not _TABLE_RULE.match(stripped):
            cells = [normalize_text(c) for c in stripped.strip("|").split("|")]
            out.emit(" | ".join(c for c in cells if c), number, BlockKind.TABLE_ROW)
        return True
    return False


def _mend_broken_paragraphs(blocks: list[Block]) -> list[Block]:
    """Join paragraphs that a PDF-to-text export split at every line.

    Such exports put a blank line after each line, so a sentence runs over several
    "paragraphs": a paragraph that ends without punctuation and is followed by one that
    starts in lower case is the same paragraph. Each run is joined once (linear time).
    """
    runs: list[list[Block]] = []
    for block in blocks:
        last = runs[-1][-1] if runs else None
        if (last is not None and runs[-1][0].kind is BlockKind.PARAGRAPH and block.kind is BlockKind.PARAGRAPH
                and not last.text.rstrip().endswith((".", ":", ";", "!", "?")) and block.text[:1].islower()):
            runs[-1].append(block)
        else:
            runs.append([block])
    out: list[Block] = []
    for run in runs:
        first = run[0]
        text = first.text if len(run) == 1 else join_lines([b.text for b in run])
        out.append(Block(text, len(out) + 1, first.kind, line=first.line, heading_level=first.heading_level))
    return out
