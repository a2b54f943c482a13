"""A document's findings worded in the reader's language.

Analysis keeps what it decided as data — reasons (`model.Reason`), discount codes, the weak
reason, the missing element ids and the execution heading of a suggestion — and words them in
the document's language. `localize` words the same data again in the language the reader
chose (`--ui-lang`, the web page's language), so a French tender reads wholly in Dutch.
What is quoted from the document (passages, terms, headings, suppression reasons) and the
model clause (pasted into the document) stay in the document's language.
"""

from __future__ import annotations

from dataclasses import replace

from ..library import Criterion, Library
from ..messages import discount_reason, place_text, reason_text, suggestion_text
from ..model import Discount, DocumentResult, Evidence, Finding, Suggestion


def localize(result: DocumentResult, library: Library | None, lang: str | None) -> DocumentResult:
    """`result` with every analysis text in `lang`; unchanged without a library, a language, or
    when it already is in that language."""
    if library is None or lang is None or lang == result.language or not result.findings:
        return result
    known = {c.id: c for c in (*library.criteria, *library.deferred)}
    findings = tuple(_finding(f, known[f.criterion], library, lang) if f.criterion in known else f
                     for f in result.findings)
    return replace(result, findings=findings)


def _finding(f: Finding, criterion: Criterion, library: Library, lang: str) -> Finding:
    because = tuple(reason_text(r, criterion, lang) for r in f.reasons) if f.reasons else f.applies_because
    suppressed = f.suppressed_reason
    if suppressed and f.suppressed_at and suppressed.endswith(f" ({f.suppressed_at})"):  # the reason is the author's
        suppressed = f"{suppressed[: -len(f.suppressed_at) - 3]} ({place_text(f.suppressed_at, lang)})"
    return replace(f, applies_because=because, discounted=tuple(_discount(e, criterion, library, lang) for e in f.discounted),
                   suggestion=_suggestion(f, criterion, lang), suppressed_reason=suppressed)


def _discount(e: Evidence, criterion: Criterion, library: Library, lang: str) -> Evidence:
    if e.discount_code is None:
        return e
    try:
        discount = Discount.from_code(e.discount_code)
    except ValueError:  # a code of another version, read back from JSON: its words stay as written
        return e
    return replace(e, discounted=discount_reason(discount, criterion, library, lang))


def _suggestion(f: Finding, criterion: Criterion, lang: str) -> Suggestion | None:
    s = f.suggestion
    if s is None:
        return None
    names = tuple(e.name.get(lang) for e in criterion.elements if e.id in s.missing_elements)
    return replace(s, text=suggestion_text(lang, f.presence, names, s.heading, s.weak_reason))


def text_language(result: DocumentResult, ui_lang: str | None, fallback: str = "nl") -> str:
    """The language a document's report is worded in: the reader's choice, else the document's."""
    return ui_lang or result.language or fallback
