"""Term syntax of the clause library, compiled to regular expressions.

Buyers write Dutch compounds (mensenrechtenclausule), hyphenated or split variants
(fair-trade / fair trade / fairtrade) and inflected French verbs (s'engagent, respectera).
A term says which of these it accepts, so vocabulary stays readable data:

- ``fair trade``        a phrase; a space or hyphen inside matches a space, a hyphen or nothing
- ``mensenrecht*``      ``*`` after letters: more letters may follow (compounds, plurals),
                        also inside a phrase: ``analyse* de risque*``
- ``*kinderarbeid``     leading ``*``: letters may precede (tegen-kinderarbeid-beleid)
- ``lemma:engager``     every surface form whose lemma is ``engager`` in spaCy's lookup
                        tables (spacy-lookups-data) for the set's language
- ``re:C\\s?0?(29|87)``  a raw regular expression (case-insensitive)

Matching is case-insensitive and never crosses into a neighbouring word unless ``*`` says so.
"""

from __future__ import annotations

import gzip
import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from typing import TYPE_CHECKING, Any, TypeAlias

from .prefilter import LineSpans, StartGroup, looks_past_end, matches_at
from .regex_cache import compile_pattern, remembered

if TYPE_CHECKING:
    from .library import TermSet

_SEP = r"[\s\-\u2010\u2011]*"
_Starts: TypeAlias = "list[int] | LineSpans | None"  # where a pattern may match in a long text (prefilter)


def validate_term(term: str, lang: str) -> str | None:
    """Return a problem description, or None if the term is well-formed."""
    if term.startswith("re:"):
        try:
            pattern = compile_pattern(term[3:], re.IGNORECASE)
        except re.error as exc:
            return f"invalid regular expression: {exc}"
        except RecursionError:
            return "invalid regular expression: groups nested too deeply"
        except (OverflowError, ValueError) as exc:  # a repeat count past what the engine takes
            return f"invalid regular expression: {exc}"
        if pattern.match(""):
            return "the regular expression matches the empty string"
        return None
    if term.startswith("lemma:"):
        word = term[6:]
        if lang == "any":
            return "lemma: terms need a language key (nl, fr or en), not 'any'"
        if not _has_lemma_table(lang):
            return f"lemma: terms need spaCy's lemma table, and spacy-lookups-data has none for {lang!r}"
        if not word or " " in word or "*" in word:
            return "lemma: takes one word without * or spaces"
        return None
    core = term.strip("*")
    if not core or "**" in term or " *" in term:
        return "* must follow a letter (word*) or open the term (*word)"
    if len(core.replace("*", "")) < 2:
        return "a term needs at least two characters"
    return None


def _has_lemma_table(lang: str) -> bool:
    return _lemma_table(lang).is_file()


def _lemma_table(lang: str) -> Path:
    """spacy-lookups-data's lookup table for `lang`, found without importing the package: its
    `__init__` names a hundred files through importlib.resources, a hook's start-up pays that
    only to check three exist."""
    from importlib.util import find_spec

    spec = find_spec("spacy_lookups_data")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    package = Path(folders[0]) if folders else Path(str(resources.files("spacy_lookups_data")))
    return package / "data" / f"{lang}_lemma_lookup.json.gz"


def _literal(core: str) -> str:
    out = []
    for ch in core:
        if ch in " -":
            out.append(_SEP)
        elif ch == "*":
            out.append(r"\w*")
        elif ch in "'\u2019":
            out.append("['\u2019]")
        else:
            out.append(re.escape(ch))
    # collapse consecutive separators produced by " - "
    return re.sub(rf"(?:{re.escape(_SEP)})+", lambda _m: _SEP, "".join(out))


def term_regex(term: str, lang: str) -> str:
    """The regular-expression source for one term, for case-insensitive matching."""
    if term.startswith("re:"):
        return f"(?:{term[3:]})"
    if term.startswith("lemma:"):
        forms = sorted(lemma_forms(lang, term[6:]), key=len, reverse=True)
        return r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)"
    prefix = r"\w*" if term.startswith("*") else r"(?<!\w)"
    suffix = r"\w*" if term.endswith("*") else r"(?!\w)"
    return prefix + _literal(term.strip("*")) + suffix


def _literal_forms(term: str, lang: str) -> list[tuple[str, bool, bool]]:
    """(lower-case literal core, may be preceded by letters, may be followed by letters)."""
    if term.startswith("lemma:"):
        return [(form, False, False) for form in sorted(lemma_forms(lang, term[6:]))]
    return [(term.strip("*").lower(), term.startswith("*"), term.endswith("*"))]


def lowered(text: str, _cache: dict[int, tuple[str, str]] = {}) -> str | None:  # noqa: B006
    """`text.lower()` when it keeps every offset; a long text (a whole document) is remembered,
    because every set, and the subject's cues, scan the same document text many times."""
    if len(text) < 4096:
        low = text.lower()
        return low if len(low) == len(text) else None
    hit = _cache.get(id(text))
    if hit is not None and hit[0] is text:
        return hit[1]
    low = text.lower()
    result = low if len(low) == len(text) else None
    _cache.clear()
    _cache[id(text)] = (text, result)  # type: ignore[assignment]
    return result


def set_sources(pairs: tuple[tuple[str, str], ...]) -> tuple[str, str | None, list[int]]:
    """(literal alternation, raw alternation or None, indexes of open-start terms) of a set,
    remembered on disk: expanding lemmas and escaping thousands of forms costs a fresh process
    tens of milliseconds."""
    key = sources_key(pairs)
    return remembered(f"sources|{key}", lambda: _prebuilt_sources().get(key) or _build_sources(pairs))  # type: ignore[no-any-return]


PREBUILT_SOURCES = "data/set_sources.json.gz"


def sources_key(pairs: tuple[tuple[str, str], ...]) -> str:
    """What a set's pattern sources derive from: its terms and the lemma tables' version."""
    from .cache import lookups_version

    return f"{lookups_version()}|{pairs!r}"


@lru_cache(maxsize=1)
def _prebuilt_sources() -> dict[str, tuple[str, str | None, list[int]]]:
    """The shipped library's sources, built by tools/build_set_sources.py (empty if absent)."""
    try:
        data = json.loads(gzip.decompress((resources.files("duediligence") / PREBUILT_SOURCES).read_bytes()))
        return {key: (literal, raw, list(widen)) for key, (literal, raw, widen) in data["sets"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _build_sources(pairs: tuple[tuple[str, str], ...]) -> tuple[str, str | None, list[int]]:
    groups: dict[str, list[str]] = {}
    raw: list[str] = []
    widen: list[int] = []
    serial = 0
    for index, (lang, term) in enumerate(pairs):
        if term.startswith("re:"):
            raw.append(f"(?P<t{index}>(?i:{term[3:]}))")
            continue
        for core, open_start, open_end in _literal_forms(term, lang):
            lit = _literal(core)
            first = re.escape(core[0])
            rest = lit[len(first) :] + (r"\w*" if open_end else r"(?!\w)")
            serial += 1
            if open_start and index not in widen:
                widen.append(index)
            groups.setdefault(first, []).append(f"(?P<{'t' if open_start else 'b'}{index}_{serial}>{rest})")
    parts = []
    for first, rests in groups.items():
        bounded = [r for r in rests if r.startswith("(?P<b")]
        open_ = [r for r in rests if r.startswith("(?P<t")]
        if bounded:
            parts.append(f"{first}(?<!\\w{first})(?:{'|'.join(bounded)})")
        if open_:
            parts.append(f"{first}(?:{'|'.join(open_)})")
    # Raw regexes get a pattern of their own: mixed into the literal alternation they would
    # stop the engine from skipping ahead to positions where a term's first letter occurs.
    return "|".join(parts) or r"(?!x)x", "|".join(raw) if raw else None, widen


class CompiledSet:
    """One term set compiled for speed; `finditer` tells which term matched where.

    Alternatives are grouped by their first letter and matched on lower-cased text, so the
    regex engine dispatches on one character instead of trying every term at every
    position (about fifty times faster on a 100-page tender than a flat alternation).
    Terms that may be preceded by letters (``*kinderarbeid``) are matched from their
    literal start and then widened back over the word they sit in.
    """

    def __init__(self, term_set: TermSet, group: StartGroup | None = None) -> None:
        """`group`: the prefilter shared with the library's other sets (`Matchers`); a set on its
        own gets one of its own."""
        self.name = term_set.name
        self._pairs = term_set.all_terms()
        self.terms = [term for _lang, term in self._pairs]
        literal, raw, widen = set_sources(self._pairs)
        self._widen = set(widen)
        self.regex = compile_pattern(literal)
        self._raw = compile_pattern(raw) if raw is not None else None
        self._fallback: re.Pattern[str] | None = None
        self._scans: tuple[_Scan, ...] = ()
        self._asked: tuple[str | None, int] = (None, 0)
        self._short: dict[str, list[tuple[int, int, str]]] = {}
        self._group = group or StartGroup(lambda: self.sources)
        self._starts_held: tuple[tuple[str, _Starts, _Starts], ...] = ()

    @property
    def sources(self) -> list[str]:
        """The pattern sources of the set (literal alternation, raw alternation if any)."""
        return [self.regex.pattern] + ([self._raw.pattern] if self._raw is not None else [])

    def _term_index(self, group: str) -> int:
        return int(group[1:].split("_", 1)[0])

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        """(start, end, term) of every match in text[start:end], in the order of one regex
        scan of that range. A long text (a whole document) is scanned once, and a range is
        answered from that scan whenever the answer is provably the same (see `_Scan`)."""
        stop = len(text) if end is None else end
        if self._scans and self._scans[0].text is text:  # the document, asked about again: no lookups
            window = self._scans[0].window(start, stop)
            if window is not None:
                return window.hits(start)
        low = lowered(text)
        if low is None:  # lower-casing changed the length: keep offsets exact instead
            return self._finditer_ci(text, start, stop)
        if len(text) >= _LONG_TEXT:
            scan = self._scan(text, low, start, stop)
            window = scan.window(start, stop) if scan is not None else None
            if window is not None:
                return window.hits(start)
        elif start == 0 and stop >= len(text):
            # whole short texts (headings, sentences) are asked about again by every criterion
            held = self._short.get(low)
            if held is None:
                if len(self._short) >= _SHORT_KEPT:
                    self._short.clear()
                held = self._short[low] = self._scan_range(low, 0, len(low))
            return list(held)
        return self._scan_range(low, start, stop)

    def search(self, text: str, start: int = 0, end: int | None = None) -> bool:
        """Whether a term of the set stands in text[start:end]."""
        if self._scans and self._scans[0].text is text:  # the document, asked about again: no lookups
            found = self._scans[0].found(start, len(text) if end is None else end)
            if found is not None:
                return found
        return bool(self.finditer(text, start, end))

    def _scan(self, text: str, low: str, start: int, stop: int) -> "_Scan | None":
        """The whole-text scan. With the prefilter it is made at the first question: it tries
        only the pattern's possible starts, which the range scans asked for would try as
        often in total (each passage's sets are asked about its sentence, its block and its
        list), and it answers every later question by bisection. A pattern the regex engine
        scans character by character gets it once scanning the ranges asked about this text
        would have cost as much (a set asked about a few passages only scans those)."""
        for held in self._scans:
            if held.text is text:
                return held
        if not self._windowed:
            return None
        if any(starts is None for pattern, starts in zip((self.regex, self._raw), self._starts(low)) if pattern is not None):
            ask, whole = self._costs(low, start, stop)
            asked = (self._asked[1] if self._asked[0] is text else 0) + ask
            if asked < whole:
                self._asked = (text, asked)
                return None
        self._asked = (None, 0)
        scan = _Scan(self, text, low)
        self._scans = (scan, *self._scans[: _SCANS_KEPT - 1])
        return scan

    @cached_property
    def _windowed(self) -> bool:
        """Whether ranges may be answered from a whole-text scan (`_Scan`): not when a raw
        term looks past its match (``$``, a look-ahead other than ``(?!\\w)``). The literal
        alternation looks ahead only by ``(?!\\w)``, as `_build_sources` writes it."""
        return self._raw is None or not looks_past_end(self._raw.pattern)

    def _costs(self, low: str, start: int, stop: int) -> tuple[int, int]:
        """(cost of scanning low[start:stop], of scanning all of it), in match attempts: with the
        prefilter a scan tries its possible starts (or lines) only, and a range scan has a cost of
        its own besides; without it the regex engine tries every character."""
        ask = whole = 0
        for pattern, starts in zip((self.regex, self._raw), self._starts(low)):
            if pattern is None:
                continue
            if starts is None:
                ask += _ASK_COST + max(0, stop - start) // _CHARS_PER_ATTEMPT
                whole += len(low) // _CHARS_PER_ATTEMPT
                continue
            keys: list[Any] = starts
            lo, hi = ((start,), (stop,)) if isinstance(starts, LineSpans) else (start, stop)
            ask += _ASK_COST + bisect_left(keys, hi) - bisect_left(keys, lo)
            whole += len(starts)
        return ask, whole

    def _starts(self, low: str) -> tuple[_Starts, _Starts]:
        """Where the literal and the raw pattern may match in a long text (`prefilter`: offsets,
        or the lines of a line-local pattern), found once per text; None for a pattern that gets
        the plain regex scan."""
        for held_low, lit, raw in self._starts_held:
            if held_low is low:
                return lit, raw
        lit = self._group.starts(self.regex.pattern, low)
        raw = self._group.starts(self._raw.pattern, low) if self._raw is not None else None
        self._starts_held = ((low, lit, raw), *self._starts_held[: _SCANS_KEPT - 1])
        return lit, raw

    def _matches(self, pattern: re.Pattern[str], which: int, low: str, start: int, stop: int) -> Iterable[re.Match[str]]:
        """The matches of `pattern.finditer(low, start, stop)`, from its possible starts in a long text."""
        if len(low) >= _LONG_TEXT:
            starts = self._starts(low)[which]
            if starts is not None:
                found = matches_at(pattern, low, start, stop, starts)
                if found is not None:
                    return found
        return pattern.finditer(low, start, stop)

    def _literal_matches(self, low: str, start: int, stop: int) -> Iterator[tuple[int, int, int, int]]:
        """(regex start, reported start, end, term index) of the literal alternation's matches."""
        for m in self._matches(self.regex, 0, low, start, stop):
            if m.end() <= m.start():
                continue
            index = self._term_index(m.lastgroup or "t0")
            s = m.start()
            if index in self._widen:
                while s > start and (low[s - 1].isalnum() or low[s - 1] == "_"):
                    s -= 1
            yield m.start(), s, m.end(), index

    def _raw_matches(self, low: str, start: int, stop: int) -> Iterator[tuple[int, int, int, int]]:
        if self._raw is None:
            return
        for m in self._matches(self._raw, 1, low, start, stop):
            if m.end() > m.start():
                yield m.start(), m.start(), m.end(), self._term_index(m.lastgroup or "t0")

    def _scan_range(self, low: str, start: int, stop: int) -> list[tuple[int, int, str]]:
        out = [(s, e, self.terms[i]) for _r, s, e, i in self._literal_matches(low, start, stop)]
        if self._raw is not None:
            out.extend((s, e, self.terms[i]) for _r, s, e, i in self._raw_matches(low, start, stop))
            out.sort(key=lambda hit: hit[0])
        return out

    def _finditer_ci(self, text: str, start: int, stop: int) -> list[tuple[int, int, str]]:
        if self._fallback is None:
            parts = [f"(?P<t{i}>{term_regex(t, lang)})" for i, (lang, t) in enumerate(self._pairs)]
            self._fallback = re.compile("|".join(parts), re.IGNORECASE)
        return [
            (m.start(), m.end(), self.terms[int((m.lastgroup or "t0")[1:])])
            for m in self._fallback.finditer(text, start, stop)
            if m.end() > m.start()
        ]


# Texts at least this long (a document, not a sentence) are scanned once per set.
_LONG_TEXT = 4096
# A range scan's own cost (calls, lists), and the characters a plain regex scan passes, in the
# time of one match attempt at a possible start: measured on the 100-page benchmark tender.
_ASK_COST = 6
_CHARS_PER_ATTEMPT = 10
_SCANS_KEPT = 2
_SHORT_KEPT = 2048


class _Matches:
    """The matches of one scan (literal or raw pattern), sorted by regex start."""

    __slots__ = ("starts", "ends", "reported", "terms")

    def __init__(self, found: Iterator[tuple[int, int, int, int]], terms: list[str]) -> None:
        rows = list(found)
        self.starts = [r[0] for r in rows]
        self.reported = [r[1] for r in rows]
        self.ends = [r[2] for r in rows]
        self.terms = [terms[r[3]] for r in rows]


class _Window:
    """The slice of a whole-text scan that a scan of text[start:stop] would find."""

    __slots__ = ("scan", "lit", "raw")

    def __init__(self, scan: "_Scan", lit: tuple[int, int], raw: tuple[int, int]) -> None:
        self.scan, self.lit, self.raw = scan, lit, raw

    def hits(self, start: int) -> list[tuple[int, int, str]]:
        lit, raw = self.scan.literal, self.scan.raw
        i, j = self.lit
        # a range scan widens an open-start term back to the range start at most
        out = [(max(s, start), e, t) for s, e, t in zip(lit.reported[i:j], lit.ends[i:j], lit.terms[i:j])]
        if raw is not None:
            i, j = self.raw
            out.extend(zip(raw.reported[i:j], raw.ends[i:j], raw.terms[i:j]))
            out.sort(key=lambda hit: hit[0])
        return out


class _Scan:
    """Every match of one set in one long text, found by a single scan from its start.

    A regex scan of text[start:stop] finds exactly the whole-text matches that lie inside the
    range when three things hold: no whole-text match crosses `start` (both scans then try
    the same positions from there on; look-behinds see the text before `start` in both), none
    crosses `stop`, and the character at `stop` is not a word character (a look-ahead such as
    ``(?!\\w)`` or ``\\b`` then sees the same thing there as at the end of the string; the
    patterns use no other look-ahead, and consuming past `stop` would make a match cross it).
    Otherwise the range is scanned as before.
    """

    __slots__ = ("text", "low", "literal", "raw")

    def __init__(self, cs: CompiledSet, text: str, low: str) -> None:
        self.text = text
        self.low = low
        self.literal = _Matches(cs._literal_matches(low, 0, len(low)), cs.terms)
        self.raw = _Matches(cs._raw_matches(low, 0, len(low)), cs.terms) if cs._raw is not None else None

    def window(self, start: int, stop: int) -> _Window | None:
        spans = self._spans(start, stop)
        return None if spans is None else _Window(self, spans[0], spans[1])

    def found(self, start: int, stop: int) -> bool | None:
        """Whether a scan of text[start:stop] would find a match; None when it cannot be told
        from this scan (`window`)."""
        spans = self._spans(start, stop)
        return None if spans is None else spans[0][1] > spans[0][0] or spans[1][1] > spans[1][0]

    def _spans(self, start: int, stop: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """The (first, past last) indexes of the literal and raw matches a range scan would find,
        or None when a match crosses `start` or `stop` (starts before it and ends after it).
        Matches of one scan do not overlap, so only the last one starting before an offset can
        cross it. Written out in one function: the judging stage asks it thousands of times a
        document."""
        low = self.low
        if stop > len(low):
            stop = len(low)
        if start < 0 or start >= stop or stop < len(low) and (low[stop].isalnum() or low[stop] == "_"):
            return None
        found = []
        for matches in (self.literal, self.raw):
            if matches is None:
                found.append((0, 0))
                continue
            starts, ends = matches.starts, matches.ends
            i = bisect_left(starts, start)
            if i and ends[i - 1] > start:
                return None
            j = bisect_left(starts, stop, i)
            if j and ends[j - 1] > stop:
                return None
            found.append((i, j))
        return found[0], found[1]


@lru_cache(maxsize=None)
def _inverse_lemmas(lang: str) -> dict[str, frozenset[str]]:
    """Surface forms per lemma, from spacy-lookups-data's lookup table for `lang`.

    The table maps form -> lemma; we need the inverse to turn a lemma term into a regex,
    so that matching itself needs no lemmatizer at run time.
    """
    table_file = _lemma_table(lang)
    with table_file.open("rb") as fh:
        table = json.loads(gzip.decompress(fh.read()))
    inverse: dict[str, set[str]] = {}
    for form, lemma in table.items():
        for lem in lemma if isinstance(lemma, list) else [lemma]:
            inverse.setdefault(lem.lower(), set()).add(form.lower())
    return {k: frozenset(v) for k, v in inverse.items()}


@lru_cache(maxsize=None)
def lemma_forms(lang: str, lemma: str) -> frozenset[str]:
    from .cache import cached_json  # local import keeps start-up light when unused

    key = f"lemma-{lang}-{lemma.lower()}"
    forms = cached_json(key, lambda: sorted(_inverse_lemmas(lang).get(lemma.lower(), frozenset())))
    return frozenset(forms) | {lemma.lower()}
