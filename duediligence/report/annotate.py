"""An annotated copy of a Word tender: the findings as Word comments where the buyer edits.

A report lists paragraph numbers; the person who must fix the tender works in Word. So the
weak passages get a comment on the paragraph that holds them (what is missing), and every
missing criterion gets one comment on the title or subject statement carrying the model clause
to paste in. Only DOCX sources can be annotated: a PDF or text file has no Word paragraphs to
hang comments on. The source is only read; the copy is written next to OUT and renamed into
place, so a failed write never leaves half a file and never touches the original.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..library import Criterion, Library
from ..messages import label
from ..model import DocumentResult, Evidence, Finding, Status
from ..read.docx import NOT_DOCUMENT_TEXT, W
from ..read.docx import _text as visible_text  # the reader's own text, so quotes match it exactly
from .localize import localize, text_language

AUTHOR, INITIALS = "duediligence", "DD"
_TITLE_ZONE = 15  # paragraphs at the top of the document where a title can stand
_WORD = re.compile(r"\w+")


class AnnotateError(Exception):
    """Why no annotated copy was written, as one line naming the file."""


@dataclass(frozen=True)
class WordParagraph:
    """A Word paragraph with the reader's text and the number of the block it belongs to."""

    element: Any
    key: str  # whitespace-normalised, case-folded text for matching
    block: int  # Block.paragraph of the reader's block holding it


def same_file(a: Path, b: Path) -> bool:
    """True when both paths name one file (also through links), so OUT would overwrite the source."""
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop, which names no file
        return False


def annotate_docx(source: Path, result: DocumentResult, library: Library, out: Path, ui_lang: str | None = None) -> int:
    """Write a copy of `source` to `out` with one comment per weak passage and per missing
    criterion of `result`; return how many comments were written. Raises AnnotateError."""
    document = open_copy(source, result, out, "annotate")
    lang = text_language(result, ui_lang, "en")
    result = localize(result, library, lang)
    paragraphs = word_paragraphs(document.element.body)
    title = title_paragraph(paragraphs, result)
    count = comment_weak_passages(document, paragraphs, title, result, library, lang)
    for finding in result.findings:
        if finding.status is Status.MISSING:
            count += add_comment(document, title, _lines(finding, library.get(finding.criterion), lang))
    save_copy(document, out)
    return count


def open_copy(source: Path, result: DocumentResult, out: Path, verb: str) -> Any:
    """The checked DOCX source opened for a copy to `out`, or AnnotateError saying why there is none
    (`verb` says what the caller does: annotate, fix)."""
    if result.error is not None:
        made = {"annotate": "annotated", "fix": "fixed"}.get(verb, verb)
        raise AnnotateError(f"no {made} copy of {source.name}: the document could not be read")
    if result.format != "docx":
        raise AnnotateError(f"cannot {verb} {source.name}: this needs the DOCX source of the tender "
                            f"(this is {result.format or 'not a DOCX'})")
    if same_file(source, out):
        raise AnnotateError(f"refusing to {verb} {source.name} in place: choose another file for the copy")
    return _open(source, result.sha256)


def comment_weak_passages(document: Any, paragraphs: list[WordParagraph], title: WordParagraph, result: DocumentResult,
                          library: Library, lang: str) -> int:
    """One comment on the paragraph of each weak passage: what is missing (on the title when
    the passage sits where Word takes no comments); returns how many were written."""
    count = 0
    for finding in result.findings:
        if finding.status is not Status.WEAK:
            continue
        criterion = library.get(finding.criterion)
        for ev in (e for e in finding.evidence if e.role == "topic"):
            holder = _holding(paragraphs, ev)
            lines = _lines(finding, criterion, lang)
            if holder is None:  # e.g. a header or footer, where Word takes no comments: say what is meant
                lines.append(say("quote", lang, quote=ev.quote))
            count += add_comment(document, holder or title, lines)
    return count


def _open(source: Path, sha256: str | None) -> Any:
    """The source opened from bytes read once; refused if it changed since it was checked."""
    import docx

    try:
        data = source.read_bytes()
    except OSError as exc:
        raise AnnotateError(f"cannot read {source}: {exc.strerror or exc}") from None
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        raise AnnotateError(f"{source.name} changed since it was checked; run the check again")
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # the reader opened it a moment ago, but be safe with what python-docx raises
        raise AnnotateError(f"cannot open {source.name} for annotation ({type(exc).__name__}: {exc})") from None


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def word_paragraphs(body: Any) -> list[WordParagraph]:
    """Every text-bearing paragraph of the body, numbered like the reader numbers its blocks:
    a top-level paragraph (with its text boxes) or a table row is one block; empty ones are not counted."""
    out: list[WordParagraph] = []
    numbers: dict[Any, int] = {}
    for p in body.iter(f"{W}p"):
        if any(a.tag in NOT_DOCUMENT_TEXT for a in p.iterancestors()):
            continue
        key = _norm(visible_text(p))
        if not key:
            continue
        unit = next(p.iterancestors(f"{W}tr"), None)
        if unit is None:
            unit = ([p, *p.iterancestors(f"{W}p")])[-1]
        numbers.setdefault(unit, len(numbers) + 1)
        out.append(WordParagraph(p, key, numbers[unit]))
    return out


def _holding(paragraphs: list[WordParagraph], ev: Evidence) -> WordParagraph | None:
    """The paragraph holding an evidence quote: containing its longest table-cell piece, or its
    start when the quote runs over paragraphs; ties go to the one nearest the block number."""
    pieces = [_norm(p) for p in ev.quote.rstrip("…").split("\n\n")[0].split(" | ")]
    piece = max(pieces, key=len)
    if not piece:
        return None
    tests = (lambda k: piece in k, lambda k: piece[:60] in k, lambda k: len(k) >= 20 and k in piece)
    for test in tests:
        found = [p for p in paragraphs if test(p.key)]
        if found:
            return min(found, key=lambda p: (abs(p.block - ev.paragraph), len(p.key)))
    return next((p for p in paragraphs if p.block == ev.paragraph), None)


def title_paragraph(paragraphs: list[WordParagraph], result: DocumentResult) -> WordParagraph:
    """Where missing clauses are noted: the title, else the subject statement, else the first paragraph.

    The title often comes from the file's metadata and reads a little differently in the body
    ("Bestek GH-24 – Renovatie ..."), so among the first paragraphs the one sharing most of its
    words counts as the title paragraph too.
    """
    if not paragraphs:
        raise AnnotateError("the document has no paragraph to attach a comment to")
    title = _norm(result.subject.title or "") if result.subject else ""
    found = _containing(paragraphs, title) or _sharing_words(paragraphs[:_TITLE_ZONE], title)
    return found or _containing(paragraphs, _norm(result.statement or "")) or paragraphs[0]


def _containing(paragraphs: list[WordParagraph], key: str) -> WordParagraph | None:
    key = key[:120]  # a long statement was cut by the subject finder; its start is enough
    return next((p for p in paragraphs if key and key in p.key), None)


def _sharing_words(paragraphs: list[WordParagraph], title: str) -> WordParagraph | None:
    """The earliest paragraph holding most (at least 60 %) of the title's words."""
    words = set(_WORD.findall(title))
    counts = [len(words & set(_WORD.findall(p.key))) for p in paragraphs]
    best = max(range(len(counts)), key=counts.__getitem__, default=None)  # max() keeps the first of equals
    return paragraphs[best] if words and best is not None and counts[best] >= 0.6 * len(words) else None


def say(word: str, lang: str, **values: str) -> str:
    return label(f"comment-{word}", lang).format(**values)


def _lines(finding: Finding, criterion: Criterion, lang: str) -> list[str]:
    """The comment: criterion and status, why it applies (missing), what to add, the model clause (missing)."""
    lines = [say(finding.status.value, lang, name=criterion.name.get(lang))]
    if finding.status is Status.MISSING and finding.applies_because:
        lines.append(say("because", lang, why="; ".join(finding.applies_because)))
    suggestion = finding.suggestion
    if suggestion is None:
        return lines
    if suggestion.language == lang:
        lines.append(suggestion.text)  # already says which elements are missing, in this language
    elif suggestion.missing_elements:
        names = {e.id: e.name.get(lang) for e in criterion.elements}
        lines.append(say("elements", lang, items="; ".join(names.get(i, i) for i in suggestion.missing_elements)))
    if finding.status is Status.MISSING:
        lines += [say("model", lang), suggestion.model_clause]
    return lines


def add_comment(document: Any, where: WordParagraph, lines: list[str]) -> int:
    """Add one comment on the runs of `where`; the runs of its text boxes and deletions are not its own.
    0 when the paragraph already holds this comment of ours: annotating an annotated copy
    again must not double its comments."""
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    text = "\n".join(line.strip() for line in lines)
    here = {el.get(f"{W}id") for el in where.element.iter(f"{W}commentRangeStart", f"{W}commentReference")}
    if here and any(str(c.comment_id) in here and c.author == AUTHOR and c.text == text for c in document.comments):
        return 0
    paragraph = Paragraph(where.element, document)
    runs = [Run(r, paragraph) for r in where.element.iter(f"{W}r")
            if next(r.iterancestors(f"{W}p")) is where.element
            and not any(a.tag in NOT_DOCUMENT_TEXT for a in r.iterancestors())]
    if not runs:
        return 0
    document.add_comment(runs, text=text, author=AUTHOR, initials=INITIALS)
    return 1


def save_copy(document: Any, out: Path) -> None:
    """Save to a temporary file beside `out`, then rename it into place."""
    if out.is_dir():
        raise AnnotateError(f"cannot write {out}: it is a folder")
    if not out.parent.is_dir():
        raise AnnotateError(f"cannot write {out}: the folder {out.parent} does not exist")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        os.close(fd)
        document.save(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, out)
    except OSError as exc:
        raise AnnotateError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    """The process umask, so the copy gets ordinary permissions rather than mkstemp's 0600."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
