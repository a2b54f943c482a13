"""Headings recognised by their form alone, for readers that have no styles to go by.

Plain text and most PDFs carry no heading markup, yet tender documents number their headings
("3.2 Uitvoeringsvoorwaarden", "HOOFDSTUK 4 – Straffen", "Art. 12. Straffen"). A line with
such a form is a heading of its own even when no blank line separates it from the body text
below. The levels follow the numbering depth; chapter words rank first and articles third,
below chapters and numbered sections, as the segmenter ranks them.
"""

from __future__ import annotations

import re

_CHAPTER = re.compile(
    r"^(?:deel|hoofdstuk|titel|afdeling|bijlage|partie|chapitre|titre|section|annexe|part|chapter|annex)"
    r"\s+(?:\d{1,3}|[IVXLC]{1,6}|[A-Z])\b",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"^(?:art(?:ikel|icle)?\.?)\s*\d{1,3}\b", re.IGNORECASE)
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+[(\"'«]?([A-ZÀ-ÖØ-Þ])")
_MAX_CHARS = 100
_MAX_WORDS = 14


def heading_form_level(line: str) -> int | None:
    """The heading level a single line's form shows, or None for a line of body text."""
    text = line.strip()
    if not 3 <= len(text) <= _MAX_CHARS or len(text.split()) > _MAX_WORDS:
        return None
    if text.endswith((".", ";", ",", ":")) and not text.endswith("..."):
        return None
    if _CHAPTER.match(text):
        return 1
    if _ARTICLE.match(text):
        return 3
    numbered = _NUMBERED.match(text)
    if numbered:
        return numbered.group(1).count(".") + 1
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 6 and all(c.isupper() for c in letters) and len(text.split()) <= 10:
        return 1
    return None
