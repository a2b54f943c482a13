"""Sentences from spaCy blank pipelines (nl, fr, en), loaded lazily and only once.

spaCy costs about a second to import and set up, so it is loaded only when a document has a
passage worth reading sentence by sentence, and only the blocks holding such passages are
parsed. The spans of every block ever split are kept in an on-disk cache keyed by the block's
text, so re-checking an edited template (a pre-commit hook) usually needs no spaCy at all.
Tender prose is full of abbreviations ("art. 7", "nr. 138", "o.a.", "n°") after which the
sentencizer wrongly splits; such splits are merged back.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_ABBREVIATION_END = re.compile(
    r"(?:\b(?:art|artt|nr|nrs|no|nos|n°|bv|bvb|o\.a|m\.a\.w|i\.e|e\.g|cf|vgl|p|pp|blz|al|par|ca|resp|incl|excl|"
    r"min|max|enz|etc|ex|st|dhr|mevr|mr|m|mme|dr|prof|kb|k\.b|b\.s|m\.b|art\.\s?\d+|§|vs|ref|fig|tel|fax)\.|"
    r"\b[A-Z]\.)\s*$",
    re.IGNORECASE,
)
_SUPPORTED = ("nl", "fr", "en")


@lru_cache(maxsize=3)
def pipeline(lang: str) -> Any:
    import spacy  # heavy: imported on first use only

    nlp = spacy.blank(lang if lang in _SUPPORTED else "nl")
    nlp.add_pipe("sentencizer")
    return nlp


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


def _split(text: str, lang: str) -> list[tuple[int, int]]:
    doc = pipeline(lang)(text)
    spans: list[tuple[int, int]] = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        if spans:
            prev_start, prev_end = spans[-1]
            previous = text[prev_start:prev_end]
            following = text[start:end].lstrip()
            if _ABBREVIATION_END.search(previous) or following[:1].islower():
                spans[-1] = (prev_start, end)
                continue
        spans.append((start, end))
    return spans
