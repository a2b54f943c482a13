"""What is being bought: title, subject statement, CPV codes and lots.

Applicability is decided from the subject, not from boilerplate: the *voorwerp van de
opdracht* / *objet du marché* paragraph, the title, lot titles and CPV codes say what is
bought, while the rest of a tender mentions banks, coffee corners and trucks in passing.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .languages import language_pattern, lowered_pattern
from .model import Document, Format, PlacedBlock, SectionKind
from .segment import classify_heading, opens_with_chapter_word
from .terms import lowered

# not an amount ("12345678,50", "1.234.567,00") or a date or file number ("12345678/2"); a list
# of codes ("CPV 45233200, 45112500") separates them by a comma and a space
# The look-behind stands after the first digit, not before it: a pattern that opens with a digit
# lets the regex engine skip to the digits, one that opens with a look-behind tries every position.
_CPV = re.compile(r"(\d(?<![\d.,/]\d)\d{7})(-\d)?(?![\d/]|[.,]\d)")
_CPV_CONTEXT = re.compile(r"\bcpv\b", re.IGNORECASE)
# "valt niet onder CPV 66114000", "ne relève pas du code CPV ...": a code the document rules out.
# «key»: the alternatives every language pack gives for it (data/languages/*.yml)
# The words between stay within one sentence: "... vallen niet onder deze opdracht. Hoofdcode: 45233140"
# rules out the codes before the full stop, not the main code after it.
_CPV_DENIED = r"«cpv_denied_before»[^\w.;]+(?:\w+[^\w.;]+){0,3}(?:cpv[^\w.;]+)?(?:code[^\w.;]+)?$"
# Divisions of CPV 2008 (Regulation (EC) 213/2008): an 8-digit number outside them is not a CPV code.
_CPV_DIVISIONS = frozenset(
    "03 09 14 15 16 18 19 22 24 30 31 32 33 34 35 37 38 39 41 42 43 44 45 48 50 51 55 60 63 64 65 66 "
    "70 71 72 73 75 76 77 79 80 85 90 92 98".split()
)
# "CPV 66114000 (financiële leasing) is niet van toepassing", "... n'est pas d'application".
# "De CPV-codes ... (44912000, 45262510) die in het oude bestek stonden, zijn niet op deze opdracht
# van toepassing": read to the end of the sentence (a code's check digit "-1" or a list may follow).
_CPV_DENIED_AFTER = r"^(?:[^.;\n]|\.(?=\d))*?\b(?P<cue>«cpv_denied_after»)\b"
# "The following codes, named in the council's report, do not apply to this contract: 14210000 ...":
# the ruling-out words stand before the list, further away than `_CPV_DENIED` reaches, in the same
# sentence.
_CPV_DENIED_EARLIER = r"\b«cpv_denied_after»\b(?:[^.;\n]|\.(?=\d))*$"
_SUBJECT_CUE = "«subject_cue»"
# "Art. 5. Voorwerp", "I.4 Objet de la consultation", "2. Subject matter, lots and volumes", "CHAPTER III
# OBJECT AND SCOPE": a heading that names the subject section, after its number or article word
_SUBJECT_HEADING = (r"^\W*+(?:(?:«article»|«chapter»)\b\W*+)?(?:(?:[A-Z]\.)?(?:[IVXLC]++|\d{1,3}[a-z]{0,3})(?:\.\d{1,2})*+\b"
                    r"[.)]?\W*+)?«subject_heading»\b")
_LOT = r"^\s*«lot»\s*(?:nr\.?|n°)?\s*(\d{1,2})\s*[:\-–—.)]\s*(.{3,160})"
_GENERIC_TITLE = r"^\W*«generic_title»\W*(?:nr\.?|n°|no\.?)?\s*[\w/.-]*\W*$"
_NUMBERED_HEADING = r"^\s*(?:«article»\.?\s*)?\d{1,2}(?:\.\d{1,2})*[.)]?\s"
_STATEMENT_MAX = 900
_SUBTITLES_MAX = 2
_LEADING_SIGNS = re.compile(r"^\W*")


@dataclass(frozen=True)
class SubjectText:
    """The subject as found in the text, with the spans that applicability should read."""

    title: str | None
    statement: str | None
    cpv_codes: tuple[str, ...]
    lots: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # title, statement and lot spans in Document.text


def find_cpv_codes(doc: Document) -> tuple[str, ...]:
    """8-digit CPV roots, in order of appearance, without check digits or duplicates."""
    codes: list[str] = []
    for block in doc.blocks:
        text = block.text
        for m in _CPV.finditer(text):
            code = m.group(1)
            if code[:2] not in _CPV_DIVISIONS:
                continue
            prev = doc.blocks[block.index - 1].text if block.index > 0 else ""
            before = text[max(0, m.start() - 300) : m.start()]
            if (language_pattern(_CPV_DENIED).search(before[-60:]) or language_pattern(_CPV_DENIED_EARLIER).search(before)
                    or _denied_after(text[m.end() : m.end() + 300])):
                continue
            # a table of codes under a heading "I.2.2 Codes CPV": its rows name no CPV themselves
            under_cpv_heading = any(_CPV_CONTEXT.search(h) for h in block.section_path[-1:])
            if m.group(2) or _CPV_CONTEXT.search(before) or under_cpv_heading or _CPV_CONTEXT.search(prev[-200:]):
                if code not in codes:
                    codes.append(code)
    return tuple(codes)


def _denied_after(following: str) -> bool:
    """Whether the words after a code rule it out ("44912000, 45262510 ... zijn niet van
    toepassing"), and not a code named after it: in "34110000-1 Passenger cars ... CPV
    66114000-2 (Financial leasing services) does not apply" the denial is the second code's."""
    denied = language_pattern(_CPV_DENIED_AFTER).search(following)
    return denied is not None and not _CPV_CONTEXT.search(following, 0, denied.start("cue"))


def _statement(doc: Document) -> tuple[str | None, tuple[int, int] | None]:
    blocks = doc.blocks
    # one scan of the text for the cues, not one per block, and of its lower-cased form where
    # that keeps the offsets: a long document without a cue was searched paragraph by paragraph
    # case-insensitively, a tenth of its analysis; no cue crosses a block's end
    low = lowered(doc.text)  # the term sets' copy, made once a document
    fast = lowered_pattern(_SUBJECT_CUE)
    found = fast.finditer(low) if fast is not None and low is not None else language_pattern(_SUBJECT_CUE).finditer(doc.text)
    cues = [(m.start(), m.end()) for m in found]
    for block in blocks:
        if block.section_kind in (SectionKind.EXCLUSION, SectionKind.SELECTION, SectionKind.AWARD):
            continue
        i = bisect.bisect_left(cues, (block.start, -1))
        m = cues[i] if i < len(cues) and cues[i][1] <= block.end else None
        if m:
            rest = block.text[m[1] - block.start :].strip(" :.-–")
            if len(rest) >= 15 and not block.is_heading:
                return block.text[:_STATEMENT_MAX], (block.start, min(block.end, block.start + _STATEMENT_MAX))
        if not (m or block.is_heading and language_pattern(_SUBJECT_HEADING).match(block.text)):
            continue
        following = _following_body(blocks, block)
        if following:
            start, end = following[0].start, following[-1].end
            end = min(end, start + _STATEMENT_MAX)
            return doc.text[start:end], (start, end)
    return None, None


def _following_body(blocks: tuple[PlacedBlock, ...], heading: PlacedBlock) -> list[PlacedBlock]:
    out: list[PlacedBlock] = []
    for block in blocks[heading.index + 1 : heading.index + 4]:
        if block.is_heading:
            break
        out.append(block)
    return out


def _title(doc: Document) -> tuple[str | None, tuple[int, int] | None]:
    meta = (doc.raw.title or "").strip()
    if meta and not language_pattern(_GENERIC_TITLE).match(meta) and len(meta) > 8:
        return meta, None
    body = [b for b in doc.blocks[:15] if b.block.part == "body"]
    plain = doc.raw.format is Format.TEXT
    for block in body:
        text = block.text.strip()
        # In plain text, headings are guessed from their form, and a part or an article ("Deel I –
        # Administratieve bepalingen", "1. Voorwerp") names no document: then the first line does,
        # in capitals or not.
        if plain and (opens_with_chapter_word(text) or language_pattern(_NUMBERED_HEADING).match(text)):
            continue
        if block.is_heading and not language_pattern(_GENERIC_TITLE).match(text) and len(text.split()) >= 2:
            return text[:200], (block.start, block.start + min(len(text), 200))
    if body:
        text = body[0].text.strip()
        return text[:200], (body[0].start, body[0].start + min(len(text), 200))
    return None, None


def _subtitles(doc: Document, title_span: tuple[int, int] | None) -> list[tuple[int, int]]:
    """Headings right under the title that go on naming the document ("Woonmaatschappij
    Zennevallei" / "Request for Proposals – Revolving Credit Facility"): not numbered, no chapter
    word, no section cue, and before any body text."""
    if title_span is None:
        return []
    title = doc.block_at(title_span[0])
    if title is None:
        return []
    spans = []
    for block in doc.blocks[title.index + 1 : title.index + 1 + _SUBTITLES_MAX]:
        words = _LEADING_SIGNS.sub("", block.text)
        if (not block.is_heading or words[:1].isdigit() or opens_with_chapter_word(words)
                or classify_heading(block.text) is not SectionKind.UNKNOWN):
            break
        spans.append((block.start, block.end))
    return spans


def find_subject(doc: Document) -> SubjectText:
    title, title_span = _title(doc)
    statement, statement_span = _statement(doc)
    lots: list[str] = []
    spans = [s for s in (title_span, statement_span) if s is not None] + _subtitles(doc, title_span)
    lot = language_pattern(_LOT)
    for block in doc.blocks:
        m = lot.match(block.text)
        if m and len(block.text) < 220:
            label = f"{m.group(1)}: {m.group(2).strip()}"
            if label not in lots:
                lots.append(label)
                spans.append((block.start, block.end))
    return SubjectText(title, statement, find_cpv_codes(doc), tuple(lots), tuple(spans))
