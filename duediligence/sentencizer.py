"""spaCy's blank tokenizer and rule-based sentencizer (nl, fr, en), without importing spaCy.

Importing spaCy and building a blank pipeline costs a fresh process about a second for Dutch
and over two for French (its tokenizer exceptions hold a 1.4 MB regular expression), which a
pre-commit hook on a template whose sentences are not cached yet cannot afford. Sentence
splitting needs only the tokenizer's rules and the sentencizer's punctuation list; both are
extracted from spaCy by `tools/build_sentence_rules.py` into `data/sentences-<lang>.json.gz`,
and this module replays the algorithm of spaCy 3.8's `Tokenizer` (whitespace runs, special
cases, prefixes and suffixes, token and URL matches, infixes, the special-case matcher) and
of its `Sentencizer`, token for token. `tests/test_sentencizer.py` compares the result with
spaCy itself.

French alone has a `token_match` (hyphenated and elided words kept whole). It rarely changes
where sentences start: a string it keeps whole consists of letters, hyphens and apostrophes
(and, in spaCy's letter classes, a few punctuation marks of other scripts), and splitting it
moves no token boundary outside it. Where it could matter (such a string holds sentence
punctuation or opens with punctuation, a special-case match reaches into it, or a special
case's pattern holds it whole) the expensive pattern is compiled (and cached on disk like the
term sets) and the piece tokenized again with it.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any, Callable

from .regex_cache import compile_pattern

_Span = tuple[int, int]
_WHITESPACE_RUNS = re.compile(r"\s+|\S+")


def _is_punct(text: str) -> bool:
    """spaCy's `is_punct` lexeme attribute: every character is Unicode punctuation."""
    return all(unicodedata.category(ch).startswith("P") for ch in text)


class _Rules:
    """One language's tokenizer rules, as spaCy's blank pipeline has them."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._prefix = compile_pattern(data["prefix"]).search
        self._suffix = compile_pattern(data["suffix"]).search
        self._infix = compile_pattern(data["infix"]).finditer
        self._url = compile_pattern(data["url"]).match
        self._token_match_source: str | None = data["token_match"]
        self._token_match: Callable[[str], Any] | None = None
        self._token_match_chars = frozenset(data.get("token_match_chars", ""))
        self._token_match_needs = frozenset(data.get("token_match_needs", ""))
        self.specials: dict[str, list[str]] = data["specials"]
        self._patterns: dict[str, list[tuple[str, ...]]] = {}
        self._pattern_tokens: frozenset[str] = frozenset(t for p in data["patterns"] for t in p)
        for pattern in data["patterns"]:
            self._patterns.setdefault(pattern[0], []).append(tuple(pattern))
        self.punct_chars = frozenset(data["punct_chars"])

    def token_match(self, string: str) -> bool:
        if self._token_match is None:
            self._token_match = compile_pattern(self._token_match_source or "(?!x)x").match
        return self._token_match(string) is not None

    def may_token_match(self, string: str) -> bool:
        """A necessary condition for `token_match` (the tool checks it holds): every character
        may occur in a match, and a letter and one of the non-letters every match holds occur."""
        chars = self._token_match_chars
        return (self._token_match_source is not None and all(ch in chars for ch in string)
                and any(ch in self._token_match_needs for ch in string) and any(ch.isalpha() for ch in string))

    def tokens(self, text: str, exact: bool) -> tuple[list[_Span], list[_Span]]:
        """Token spans of `text` before the special-case matcher runs and, unless `exact`, the
        spans that `token_match` was not asked about (see the module docstring)."""
        out: list[_Span] = []
        unsure: list[_Span] = []
        first = True
        for run in _WHITESPACE_RUNS.finditer(text):
            start, end = run.span()
            # spaCy drops one space after a token (its trailing whitespace), not at the very start
            if not first and text[start] == " ":
                start += 1
            first = False
            if start < end:
                self._tokenize(text, start, end, out, unsure, exact)
        return out, unsure

    def _tokenize(self, text: str, start: int, end: int, out: list[_Span], unsure: list[_Span],
                  exact: bool) -> None:
        span = text[start:end]
        special = self.specials.get(span)
        if special is not None:
            _push(out, start, special)
            return
        prefixes, string, suffixes = self._split_affixes(span, start, unsure, exact)
        at = start
        for piece in prefixes:
            out.append((at, at + len(piece)))
            at += len(piece)
        if string:
            self._attach(string, at, out, unsure, exact)
            at += len(string)
        for piece in reversed(suffixes):
            out.append((at, at + len(piece)))
            at += len(piece)

    def _matches_whole(self, string: str, at: int, unsure: list[_Span], exact: bool) -> bool:
        if self._token_match_source is None:
            return False
        if exact:
            return self.token_match(string)
        if self.may_token_match(string):
            unsure.append((at, at + len(string)))
        return False

    def _split_affixes(self, string: str, at: int, unsure: list[_Span],
                       exact: bool) -> tuple[list[str], str, list[str]]:
        prefixes: list[str] = []
        suffixes: list[str] = []
        last_size = 0
        specials = self.specials
        while string and len(string) != last_size:
            if self._matches_whole(string, at, unsure, exact):
                break
            if string in specials:
                break
            last_size = len(string)
            found = self._prefix(string)
            pre_len = found.end() - found.start() if found is not None else 0
            if pre_len:
                prefix = string[:pre_len]
                minus_pre = string[pre_len:]
                if minus_pre and minus_pre in specials:
                    prefixes.append(prefix)
                    string = minus_pre
                    break
            found = self._suffix(string[pre_len:])
            suf_len = found.end() - found.start() if found is not None else 0
            if suf_len:
                suffix = string[-suf_len:]
                minus_suf = string[:-suf_len]
                if minus_suf and minus_suf in specials:
                    suffixes.append(suffix)
                    string = minus_suf
                    break
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                prefixes.append(prefix)
                suffixes.append(suffix)
                string = string[pre_len:-suf_len]
                at += pre_len
            elif pre_len:
                prefixes.append(prefix)
                string = minus_pre
                at += pre_len
            elif suf_len:
                suffixes.append(suffix)
                string = minus_suf
        return prefixes, string, suffixes

    def _attach(self, string: str, at: int, out: list[_Span], unsure: list[_Span], exact: bool) -> None:
        special = self.specials.get(string)
        if special is not None:
            _push(out, at, special)
            return
        if self._matches_whole(string, at, unsure, exact) or self._url(string) is not None:
            out.append((at, at + len(string)))
            return
        start = 0
        for match in self._infix(string):
            infix_start, infix_end = match.span()
            if infix_start == 0:
                continue
            if infix_start != start:
                out.append((at + start, at + infix_start))
            if infix_start != infix_end:
                out.append((at + infix_start, at + infix_end))
            start = infix_end
        if start < len(string):
            out.append((at + start, at + len(string)))

    def matches(self, text: str, tokens: list[_Span]) -> list[_Span]:
        """(first, end) token indexes of every special-case pattern found, as spaCy's
        PhraseMatcher finds them (all of them, overlapping ones too)."""
        found: list[_Span] = []
        patterns = self._patterns
        if not patterns:
            return found
        texts = [text[s:e] for s, e in tokens]
        for i, first in enumerate(texts):
            for pattern in patterns.get(first, ()):
                n = len(pattern)
                if tuple(texts[i:i + n]) == pattern:
                    found.append((i, i + n))
        return found

    def apply_special_cases(self, text: str, tokens: list[_Span]) -> list[_Span]:
        """spaCy's last tokenizer pass: special cases that affix splitting took apart."""
        found = self.matches(text, tokens)
        if not found:
            return tokens
        # spaCy keeps the longest first (then the leftmost), never two sharing a first or last token
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        seen: set[int] = set()
        kept: list[_Span] = []
        for first, end in found:
            if first not in seen and end - 1 not in seen:
                kept.append((first, end))
            seen.update(range(first, end))
        kept.sort()
        out: list[_Span] = []
        i = 0
        for first, end in kept:
            out.extend(tokens[i:first])
            start = tokens[first][0]
            special = self.specials.get(text[start:tokens[end - 1][1]])
            if special is None:
                out.extend(tokens[first:end])
            else:
                _push(out, start, special)
            i = end
        out.extend(tokens[i:])
        return out

    def needs_token_match(self, text: str, tokens: list[_Span], unsure: list[_Span]) -> bool:
        """Whether a string `token_match` was not asked about could change the sentences."""
        for start, end in unsure:
            string = text[start:end]
            if _is_punct(string[0]) or string in self._pattern_tokens or any(ch in self.punct_chars for ch in string):
                return True
        for first, end in self.matches(text, tokens):
            lo, hi = tokens[first][0], tokens[end - 1][1]
            if any(s < hi and lo < e for s, e in unsure):
                return True
        return False


def _push(out: list[_Span], at: int, pieces: list[str]) -> None:
    for piece in pieces:
        out.append((at, at + len(piece)))
        at += len(piece)


@lru_cache(maxsize=3)
def rules(lang: str) -> _Rules:
    data = json.loads(gzip.decompress((resources.files("duediligence") / "data" / f"sentences-{lang}.json.gz").read_bytes()))
    return _Rules(data)


def sentences(text: str, lang: str) -> list[_Span]:
    """(start, end) of each sentence of `text`, as spaCy's blank `lang` pipeline with a
    sentencizer gives them (`doc.sents`: first token's start, last token's end)."""
    r = rules(lang)
    tokens, unsure = r.tokens(text, exact=False)
    if unsure and r.needs_token_match(text, tokens, unsure):
        tokens, _ = r.tokens(text, exact=True)
    tokens = r.apply_special_cases(text, tokens)
    if not tokens:
        return []
    punct = r.punct_chars
    starts = [0]
    seen_period = False
    for i, (s, e) in enumerate(tokens):
        word = text[s:e]
        in_punct = word in punct
        if seen_period and not in_punct and not _is_punct(word):
            starts.append(i)
            seen_period = False
        elif in_punct:
            seen_period = True
    starts.append(len(tokens))
    return [(tokens[a][0], tokens[b - 1][1]) for a, b in zip(starts, starts[1:]) if b > a]
