"""The fixed copy of a Word tender: each missing model clause as a tracked insertion.

The annotated copy (`annotate.py`) tells the buyer what to add; this copy adds it, the way a
colleague would in Word with "Track changes" on: every missing clause becomes a new article
(its title, then its text) marked `w:ins` with author "duediligence" and the date, so the buyer
accepts or rejects it like any other suggestion. It goes where the report says it belongs:
under the execution heading the report names (as its last article when that heading has
articles of its own, else as the article right after it), or, when the report names none, as
a new article at the end of the execution conditions (at the end of the document when there
are none). Weak passages get the same comments as in the annotated copy. The tool never
rewrites the buyer's own text, and the source is only read.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..library import Library
from ..model import BlockKind, Document, DocumentResult, Finding, PlacedBlock, SectionKind, Status
from ..read.docx import W
from .annotate import (AUTHOR, AnnotateError, WordParagraph, add_comment, comment_weak_passages, open_copy, save_copy,
                       say, title_paragraph, word_paragraphs)
from .localize import localize, text_language

_ARTICLE_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)(\.?)(\s+)(?=\S)")
_FIRST_SENTENCE = re.compile(r"^(.{8,200}?)\.\s+(?=\S)", re.S)
# Properties a copied paragraph or run must not carry over: they belong to the original's own revisions.
_REVISION_MARKS = frozenset({f"{W}ins", f"{W}del", f"{W}rPrChange", f"{W}pPrChange", f"{W}moveFrom", f"{W}moveTo",
                             f"{W}sectPr"})


@dataclass(frozen=True)
class FixOutcome:
    insertions: int  # model clauses inserted as tracked changes
    comments: int  # comments on weak passages and on the inserted clauses


@dataclass(frozen=True)
class _Place:
    """Where the new articles go and which paragraphs lend their look to them."""

    after: Any  # the body element the insertions follow (None: the end of the body)
    heading_like: Any  # a heading paragraph whose properties the new article heading takes (or None)
    body_like: Any  # a body paragraph whose properties the clause text takes (or None)
    numbers: list[str] = field(default_factory=list)  # article numbers for the new headings, or empty
    # The level of a model heading that is one by its form only (bold, numbered, short): the new
    # titles get it as an outline level, or a long unnumbered title ("... human rights and labour
    # standards in the supply chain") would read as body text of the clause inserted before it.
    outline_level: int | None = None

    def number(self, title: str) -> str:
        """The title with the next free article number, while there is one."""
        return f"{self.numbers.pop(0)}{title}" if self.numbers else title


def fix_docx(source: Path, result: DocumentResult, library: Library, out: Path, ui_lang: str | None = None) -> FixOutcome:
    """Write a copy of `source` to `out` with every missing model clause of `result` inserted as
    a tracked change and every weak passage commented. Raises AnnotateError."""
    document = open_copy(source, result, out, "fix")
    lang = text_language(result, ui_lang, "en")
    result = localize(result, library, lang)
    paragraphs = word_paragraphs(document.element.body)
    title = title_paragraph(paragraphs, result)
    comments = comment_weak_passages(document, paragraphs, title, result, library, lang)
    missing = [f for f in result.findings if f.status is Status.MISSING and f.suggestion is not None]
    if missing:
        place = _place(_segmented(source), paragraphs, document.element.body)
        revisions = _Revisions(document.element.body)
        cursor = place.after
        for finding in missing:
            heading, text = _split_clause(finding.suggestion.model_clause)  # type: ignore[union-attr]
            heading = place.number(heading)
            new_heading = revisions.paragraph(heading, place.heading_like, bold=place.heading_like is None)
            if place.outline_level is not None:
                _set_outline_level(new_heading, place.outline_level)
            new_body = revisions.paragraph(text, place.body_like)
            for element in (new_heading, new_body):
                cursor = _insert_after(document.element.body, cursor, element)
            comments += add_comment(document, WordParagraph(new_heading, heading.casefold(), 0),
                                    _why(finding, library, lang))
    save_copy(document, out)
    return FixOutcome(len(missing), comments)


def _segmented(source: Path) -> Document:
    """The source as the checker saw it, to find the section the report names."""
    from ..read import read_document
    from ..segment import segment

    return segment(read_document(source))


def _place(doc: Document, paragraphs: list[WordParagraph], body: Any) -> _Place:
    from ..assess import execution_heading
    from ..segment import heading_level

    blocks = [b for b in doc.blocks if b.block.part == "body"]
    named = execution_heading(doc)
    heading = next((b for b in blocks if b.is_heading and b.text == named), None) if named else None
    if heading is None:  # the end of the execution conditions: after the section of their last block
        execution = [b for b in blocks if b.section_kind is SectionKind.EXECUTION]
        last = execution[-1] if execution else (blocks[-1] if blocks else None)
        heading = _own_heading(blocks, last) if last is not None else None
        if heading is None:
            return _Place(_top_level(_element_of(paragraphs, last, last=True), body) if last else None,
                          _element_of(paragraphs, _last_heading(blocks)), None)
    section = _section(blocks, heading)
    children = [b for b in section[1:] if b.is_heading]
    # With articles of its own, the heading gets one more; else the new article follows it as a sibling.
    model_heading = children[-1] if children else heading
    body_text = [b for b in section if _plain(b)] or [b for b in blocks if _plain(b)]
    return _Place(after=_top_level(_element_of(paragraphs, section[-1], last=True), body),
                  heading_like=_element_of(paragraphs, model_heading),
                  body_like=_element_of(paragraphs, body_text[-1]) if body_text else None,
                  numbers=_next_numbers(model_heading.text, {_number(b.text) for b in blocks if b.is_heading}),
                  outline_level=heading_level(model_heading.block) if model_heading.block.heading_level is None else None)


def _set_outline_level(paragraph: Any, level: int) -> None:
    """Make a paragraph a heading of `level` (1-9) by direct formatting, as Word's outline reads it."""
    from lxml import etree

    ppr = paragraph.find(f"{W}pPr")
    outline = etree.Element(f"{W}outlineLvl")
    outline.set(f"{W}val", str(min(max(level, 1), 9) - 1))
    # the schema's order: outlineLvl comes before these (Word refuses a pPr out of order)
    later = next((c for c in ppr if c.tag in {f"{W}{t}" for t in ("divId", "cnfStyle", "rPr", "sectPr", "pPrChange")}), None)
    if later is None:
        ppr.append(outline)
    else:
        later.addprevious(outline)


def _number(heading: str) -> str | None:
    m = _ARTICLE_NUMBER.match(heading)
    return m.group(1) if m else None


def _next_numbers(model: str, used: set[str | None], count: int = 10) -> list[str]:
    """Article numbers after the model heading's typed-in number ('8.3 ' -> '8.4 ', '8.5 ' ...),
    as long as no heading of the document has them; none when the model has no typed number
    (Word numbers styled headings itself)."""
    m = _ARTICLE_NUMBER.match(model)
    if m is None:
        return []
    *head, last = m.group(1).split(".")
    out = []
    for step in range(1, count + 1):
        number = ".".join([*head, str(int(last) + step)])
        if number in used:
            break
        out.append(f"{number}{m.group(2)}{m.group(3)}")
    return out


def _plain(block: PlacedBlock) -> bool:
    """A body paragraph whose look suits clause text (not a heading, list item or table row)."""
    return not block.is_heading and block.block.kind is BlockKind.PARAGRAPH


def _section(blocks: list[PlacedBlock], heading: PlacedBlock) -> list[PlacedBlock]:
    """The heading and the blocks under it, up to the next heading of its level or higher."""
    start = blocks.index(heading)
    path = heading.section_path
    out = [heading]
    for b in blocks[start + 1:]:
        if b.section_path[:len(path)] != path:
            break
        out.append(b)
    return out


def _own_heading(blocks: list[PlacedBlock], block: PlacedBlock) -> PlacedBlock | None:
    """The innermost heading whose section holds `block`."""
    before = blocks[:blocks.index(block) + 1]
    return next((b for b in reversed(before) if b.is_heading and block.section_path[:len(b.section_path)] == b.section_path),
                None)


def _last_heading(blocks: list[PlacedBlock]) -> PlacedBlock | None:
    return next((b for b in reversed(blocks[1:]) if b.is_heading), None)


def _element_of(paragraphs: list[WordParagraph], block: PlacedBlock | None, last: bool = False) -> Any:
    """The Word paragraph of a reader block (its last one for a table row or a paragraph with text boxes)."""
    if block is None:
        return None
    found = [p.element for p in paragraphs if p.block == block.block.paragraph]
    return (found[-1] if last else found[0]) if found else None


def _top_level(element: Any, body: Any) -> Any:
    """The child of the body holding `element` (a table for a table cell's paragraph)."""
    while element is not None and element.getparent() is not body:
        element = element.getparent()
    return element


def _insert_after(body: Any, cursor: Any, element: Any) -> Any:
    if cursor is None:  # the end of the body, before its section properties
        last = body[-1] if len(body) else None
        if last is not None and last.tag == f"{W}sectPr":
            last.addprevious(element)
        else:
            body.append(element)
    else:
        cursor.addnext(element)
    return element


def _split_clause(clause: str) -> tuple[str, str]:
    """The model clause's own title ("Bijzondere uitvoeringsvoorwaarde — fossielvrij") and its text."""
    clause = " ".join(clause.split())
    m = _FIRST_SENTENCE.match(clause)
    if m is None:
        return clause, ""
    return m.group(1), clause[m.end():]


def _why(finding: Finding, library: Library, lang: str) -> list[str]:
    name = library.get(finding.criterion).name.get(lang)
    lines = [say("missing", lang, name=name)]
    if finding.applies_because:
        lines.append(say("because", lang, why="; ".join(finding.applies_because)))
    return lines


class _Revisions:
    """Makes inserted paragraphs with revision ids no other mark of the document uses."""

    def __init__(self, body: Any) -> None:
        ids = [int(v) for el in body.iter() for k, v in el.attrib.items() if k == f"{W}id" and v.lstrip("-").isdigit()]
        self.next_id = max(ids, default=0) + 1
        self.date = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _mark(self, tag: str = "ins") -> Any:
        from lxml import etree

        mark = etree.Element(f"{W}{tag}")
        mark.set(f"{W}id", str(self.next_id))
        mark.set(f"{W}author", AUTHOR)
        mark.set(f"{W}date", self.date)
        self.next_id += 1
        return mark

    def paragraph(self, text: str, like: Any, bold: bool = False) -> Any:
        """A paragraph holding `text` as one inserted run, looking like `like`; its paragraph mark
        is inserted too, so rejecting the change removes the whole paragraph."""
        from lxml import etree

        paragraph = etree.Element(f"{W}p")
        ppr = _clean_copy(like.find(f"{W}pPr")) if like is not None and like.find(f"{W}pPr") is not None else None
        if ppr is None:
            ppr = etree.Element(f"{W}pPr")
        paragraph.append(ppr)
        mark_rpr = ppr.find(f"{W}rPr")
        if mark_rpr is None:
            mark_rpr = etree.SubElement(ppr, f"{W}rPr")
        mark_rpr.insert(0, self._mark())
        inserted = self._mark()
        paragraph.append(inserted)
        run = etree.SubElement(inserted, f"{W}r")
        first_run = like.find(f"{W}r") if like is not None else None
        rpr = first_run.find(f"{W}rPr") if first_run is not None else None
        if rpr is not None:
            run.append(_clean_copy(rpr))
        elif bold:
            etree.SubElement(etree.SubElement(run, f"{W}rPr"), f"{W}b")
        t = etree.SubElement(run, f"{W}t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return paragraph


def _clean_copy(element: Any) -> Any:
    """A copy of paragraph or run properties without the source's own revision marks."""
    out = copy.deepcopy(element)
    for el in list(out.iter()):
        if el is not out and el.tag in _REVISION_MARKS:
            el.getparent().remove(el)
    return out
