"""Headings recognised by their form alone, for readers that have no styles to go by.

Plain text and most PDFs carry no heading markup, yet tender documents number their headings
("3.2 Uitvoeringsvoorwaarden", "HOOFDSTUK 4 – Straffen", "Art. 12. Straffen"). A line with
such a form is a heading of its own even when no blank line separates it from the body text
below. The levels follow the numbering depth; chapter words rank first and articles third,
below chapters and numbered sections, as the segmenter ranks them. Numbered headings start
one level below chapter words, so "8. Natuursteen" nests under "Deel II – Uitvoering"
instead of closing it. A line in capitals is a heading up to the length of a title
("CAHIER SPÉCIAL DES CHARGES CIM-2025-04 – CONSTRUCTION D'UN COLUMBARIUM ...").
"""

from __future__ import annotations

import re

from ..languages import language_pattern

# «key»: the alternatives every language pack gives for it (data/languages/*.yml)
_CHAPTER = r"^«chapter»\s+(?:\d{1,3}|[IVXLC]{1,6}|[A-Z])\b"
# a part's letter or Roman numeral before the number: "B.10", "C.3.2", "II.5" within "PARTIE II",
# "Art. II.8" (one capital is a letter: "I.2" reads the same either way)
_PART = r"(?:[A-Z]|[IVX]{2,4})\."
_ARTICLE = rf"^(?:«article»\.?)\s*(?:{_PART})?\d{{1,3}}\b"
# "3.2", and "B.10" / "C.3.2" / "II.5" numbered within a part ("DEEL B", "Partie C", "PARTIE II")
_NUMBERED = re.compile(rf"^((?:{_PART})?\d{{1,2}}(?:\.\d{{1,2}}){{0,4}})\.?\s+[(\"'«]?([A-ZÀ-ÖØ-Þ])")
_PART_LETTER = re.compile(rf"^{_PART}")
# the rest of a dotted number after the number a chapter word's match ends in (".8" of "Section 6.8")
_SUBNUMBER = re.compile(r"(?:\.\d{1,2}){1,4}")
_ASCII_LOWER = re.compile(r"[a-z]")
_MAX_CHARS = 100
_MAX_WORDS = 14
_CAPS_MAX_CHARS = 250
_CAPS_MAX_WORDS = 32


def numbered_level(number: str) -> int:
    """Level of a numbered heading ("8" → 2, "8.1" → 3): one below chapter words, so that
    "8. Natuursteen" nests under "Deel II – Uitvoering". A part letter stands for that chapter:
    "B.10" is a section of "DEEL B" (2), "C.3.2" one of its subsections (3)."""
    return _PART_LETTER.sub("", number).count(".") + 2


def is_chapter_heading(line: str) -> bool:
    """A part or chapter heading ("Deel II – Uitvoering", "Partie 2", "Chapter 3")."""
    return language_pattern(_CHAPTER).match(line.strip()) is not None


def numbering_depth(line: str) -> int:
    """How far a numbered heading sits below its top number ("4. Gunning" → 0, "4.1 Prijs" → 1),
    for headings that all share one font, where only the number shows the nesting."""
    numbered = _NUMBERED.match(line.strip())
    return _PART_LETTER.sub("", numbered.group(1)).count(".") if numbered else 0


def heading_form_level(line: str) -> int | None:
    """The heading level a single line's form shows, or None for a line of body text.

    Numbering and chapter or article words decide before capitals do: "ARTIKEL 21. EERLIJKE
    HANDEL" is an article (level 3) under "DEEL II. UITVOERINGSVOORWAARDEN", not its sibling.
    """
    text = line.strip()
    if text.endswith((".", ";", ",", ":")) and not text.endswith("..."):
        return None
    if 3 <= len(text) <= _MAX_CHARS and len(text.split()) <= _MAX_WORDS:
        chapter = language_pattern(_CHAPTER).match(text)
        if chapter:
            # "Section 6.8 Natural slate" is numbered within a part: its number says how deep
            sub = _SUBNUMBER.match(text, chapter.end()) if text[chapter.end() - 1 : chapter.end()].isdigit() else None
            return numbered_level(sub.group(0)) if sub else 1
        if language_pattern(_ARTICLE).match(text):
            return 3
        numbered = _NUMBERED.match(text)
        if numbered:
            return numbered_level(numbered.group(1))
    if _ASCII_LOWER.search(text):  # a lower-case letter: not in capitals (and no letter-by-letter look needed)
        return None
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 6 and all(c.isupper() for c in letters):
        return 1 if len(text) <= _CAPS_MAX_CHARS and len(text.split()) <= _CAPS_MAX_WORDS else None
    return None
