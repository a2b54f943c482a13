"""Sentences as spaCy's blank pipelines (nl, fr, en) with a sentencizer split them.

The split is spaCy's, replayed by `sentencizer` from rules extracted once, because importing
spaCy and building a pipeline costs a fresh process one to three seconds. Only the blocks
holding a passage worth reading sentence by sentence are split, and the spans of every block
ever split are kept in an on-disk cache keyed by the block's text. Tender prose is full of
abbreviations ("art. 7", "nr. 138", "o.a.", "n°") after which the sentencizer wrongly splits;
such splits are merged back.
"""

from __future__ import annotations

from .languages import language_pattern, sentence_rules
from .sentencizer import sentences as _spacy_sentences

# «abbreviation»: every language pack's abbreviations (data/languages/*.yml); an initial too
_ABBREVIATION_END = r"(?:\b«abbreviation»\.|\b[A-Z]\.)\s*$"


def sentence_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text` (one block), abbreviation splits merged."""
    if not text.strip():
        return []
    from .cache import SpanCache

    cache = SpanCache.shared()
    key = cache.key(lang, text)
    cached = cache.get(key)
    if cached is not None:
        return cached
    spans = _split(text, lang)
    cache.put(key, spans)
    return spans


# spaCy refused texts over `nlp.max_length` (a million characters, error E088) and its memory
# grew with the text; a paragraph longer than this is split in pieces cut after a sentence end
# or at a space, each piece split on its own (as before, so that sentences stay the same).
_PIECE = 100_000


def _pieces(text: str) -> list[tuple[int, int]]:
    """(start, end) pieces of at most `_PIECE` characters that together make up `text`."""
    pieces = []
    start = 0
    while len(text) - start > _PIECE:
        window = text[start : start + _PIECE]
        cut = max(window.rfind(". "), window.rfind("\n"))
        if cut < _PIECE // 2:
            cut = window.rfind(" ")
        end = start + (cut + 1 if cut >= _PIECE // 2 else _PIECE)
        pieces.append((start, end))
        start = end
    pieces.append((start, len(text)))
    return pieces


def _sentences(text: str, lang: str) -> list[tuple[int, int]]:
    lang = sentence_rules(lang)
    out = []
    for start, end in _pieces(text):
        out.extend((start + a, start + b) for a, b in _spacy_sentences(text[start:end], lang))
    return out


def _ends_in_abbreviation(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends in "art." or "o.a.": only its last characters are searched,
    because merged sentences grow and searching them whole again made long paragraphs quadratic."""
    last = end
    while last > start and text[last - 1].isspace():
        last -= 1
    window = last - 64
    if window <= start:
        return language_pattern(_ABBREVIATION_END).search(text[start:end]) is not None
    return language_pattern(_ABBREVIATION_END).search(text, window, end) is not None  # \b at `window` sees the character before it


def _split(text: str, lang: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for start, end in _sentences(text, lang):
        if spans:
            prev_start, prev_end = spans[-1]
            following = text[start:end].lstrip()
            if _ends_in_abbreviation(text, prev_start, prev_end) or following[:1].islower():
                spans[-1] = (prev_start, end)
                continue
        spans.append((start, end))
    return spans
