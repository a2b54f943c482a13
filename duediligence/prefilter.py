"""Where the term sets' patterns can match in a long text, found by one Hyperscan pass.

Python's regex engine tries a set's alternation at every position of a 100-page tender; that
costs milliseconds per set, and a document is asked about dozens of sets. Every alternative of
a set begins with known literal text (a term's letters up to its first `*` or apostrophe, read
across the run of spaces or hyphens after a short first word, as in "de opdrachtnemer" or
"t-shirt"; a raw regex's leading words), so a match can only start where one of those prefixes
occurs. One Hyperscan database holds the prefixes of every set of the library
(`StartGroup`, shared through `Matchers`); one pass over the text's UTF-8 bytes finds all their
occurrences, and each set's exact Python pattern is then tried at its own prefixes' positions
only (`terms.CompiledSet`, `matches_at`), which finds the same matches as a scan of every
position: a position that holds none of a pattern's prefixes cannot start a match of it.

The prefixes are read from the compiled pattern itself (`re._parser`), so they follow however
the terms became a pattern. Anything the reading does not understand ends a prefix there, which
only makes it shorter and the positions more; an alternative with no literal start at all
(``re:[\\w.+-]+@...``) leaves its pattern to the plain regex scan. The database is compiled once
and kept on disk, keyed by every pattern source, this module's code and the Hyperscan and Python
versions; an entry that cannot be used is rebuilt, and the file is replaced atomically. Without
the `hyperscan` package, or with DUEDILIGENCE_NO_HYPERSCAN set, every scan is the plain regex
scan: the results are the same, only slower.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import sys
from bisect import bisect_left, bisect_right
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, NamedTuple

from .marshal_store import MarshalStore

# Past this many prefixes a set is not worth expanding further: its prefixes stop where they are.
_MAX_PREFIXES = 4096
# A character class of at most this many plain characters ([ae], ['’]) is expanded into prefixes.
_MAX_CLASS = 6
_FORMAT = "prefilter-9"


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """This module's own source, part of the store's key: a change in how prefixes are read
    must never be served a database built by the code before it."""
    try:
        return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    except OSError:
        return _FORMAT


class _Prefix:
    """One literal start being read: its text, whether a word boundary precedes it, whether
    more literal text may still be appended, the literal text a look-behind demands right
    before it (``(?<=\n)`` of a line-start term), and whether it can only stand at the text's
    very start (``^``)."""

    __slots__ = ("text", "boundary", "open", "behind", "origin")

    def __init__(self, text: str = "", boundary: bool = False, open_: bool = True, behind: str = "", origin: bool = False) -> None:
        self.text, self.boundary, self.open, self.behind, self.origin = text, boundary, open_, behind, origin

    def key(self) -> tuple[str, bool, bool, str, bool]:
        return self.text, self.boundary, self.open, self.behind, self.origin

    def with_(self, text: str | None = None, boundary: bool | None = None, open_: bool = True) -> "_Prefix":
        """This prefix with its text or boundary replaced, open or closed."""
        return _Prefix(self.text if text is None else text, self.boundary if boundary is None else boundary, open_,
                       self.behind, self.origin)

    @property
    def anchored(self) -> bool:
        """Whether the prefix pins where a match starts: some text, a look-behind or ``^``."""
        return bool(self.text or self.behind or self.origin)


class Start(NamedTuple):
    """One way a match can begin, in lower-cased text: `text` stands at the start (after a word
    boundary when `boundary`), right after the literal `behind`; `origin`: only at offset 0."""

    text: str
    boundary: bool
    behind: str = ""
    origin: bool = False


def _dedupe(prefixes: list[_Prefix]) -> list[_Prefix]:
    seen: dict[tuple[str, bool, bool], _Prefix] = {}
    for p in prefixes:
        seen.setdefault(p.key(), p)
    return list(seen.values())


def _close(prefixes: list[_Prefix]) -> list[_Prefix]:
    return [p.with_(open_=False) for p in prefixes]


def _is_word_class(node: Any) -> bool:
    """Whether a parsed node is ``\\w`` (or a class holding only it)."""
    from re import _constants as c  # type: ignore[attr-defined]

    op, av = node
    return op is c.IN and len(av) == 1 and av[0][0] is c.CATEGORY and av[0][1] in (c.CATEGORY_WORD, c.CATEGORY_UNI_WORD)


def _chars(op: Any, av: Any, ignorecase: bool) -> list[str] | None:
    """The characters a one-character node accepts in lower-cased text, or None if it is not a
    short list of plain characters."""
    from re import _constants as c  # type: ignore[attr-defined]

    if op is c.LITERAL:
        items = [av]
    elif op is c.IN and 0 < len(av) <= _MAX_CLASS and all(o is c.LITERAL for o, _ in av):
        items = [a for _, a in av]
    else:
        return None
    out = []
    for code in items:
        ch = chr(code)
        if ignorecase:
            ch = ch.lower()
            if len(ch) != 1:
                return None
        out.append(ch)
    return out


# The runs of separators between the words of a term ("de opdrachtnemer", "t-shirt") that a
# prefix is read across: each has a mark, a character no pattern's literal text holds, standing
# for any run of white space (Python's \s) and the characters given. Short words ('de', 'the', 't')
# occur thousands of times a tender; the words after them make a prefix that occurs a few times.
_SEPARATORS = {"\ue000": "-\u2010\u2011", "\ue001": "", "\ue002": "-"}
_MARKS = "".join(_SEPARATORS)
# A prefix is read across a run only after a word this short ('de', 'à', 't'): longer words are
# rare enough by themselves, and every run makes the database slower to compile.
_JOIN_BELOW = 4
# Python's \s for text: str.isspace(), which tests/test_prefilter.py checks against every code point
_SPACES = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
           "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _separator(op: Any, av: Any) -> str | None:
    """The mark (`_SEPARATORS`) of a parsed node that repeats a class of white space and those
    characters (a term's separator, a raw term's ``\\s+``), or None. A bounded or non-empty repeat gets
    the mark of any run: a prefix may match more than the pattern, never less."""
    from re import _constants as c  # type: ignore[attr-defined]

    if op not in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) or len(av[2]) != 1 or av[2][0][0] is not c.IN:
        return None
    items = av[2][0][1]
    spaces = [a for o, a in items if o is c.CATEGORY and a in (c.CATEGORY_SPACE, c.CATEGORY_UNI_SPACE)]
    chars = sorted(chr(a) for o, a in items if o is c.LITERAL)
    if not spaces or len(spaces) + len(chars) != len(items):
        return None
    return next((mark for mark, extra in _SEPARATORS.items() if sorted(extra) == chars), None)


def _read(seq: Any, prefixes: list[_Prefix], ignorecase: bool, joins: bool = False) -> list[_Prefix]:
    """Extend `prefixes` over the parsed sequence `seq` for as long as it is literal text, and
    with `joins` across the separators between words (`_SEPARATORS`)."""
    from re import _constants as c  # type: ignore[attr-defined]

    for op, av in seq:
        if not any(p.open for p in prefixes):
            break
        chars = _chars(op, av, ignorecase)
        if chars is not None:
            if len(prefixes) * len(chars) > _MAX_PREFIXES:
                return _close(prefixes)
            prefixes = [p.with_(p.text + ch) if p.open else p for p in prefixes for ch in (chars if p.open else [""])]
        elif op is c.AT:
            if av in (c.AT_BOUNDARY, c.AT_UNI_BOUNDARY):
                prefixes = [p.with_(boundary=True) if p.open and not p.text else p for p in prefixes]
            elif av in (c.AT_BEGINNING, c.AT_BEGINNING_STRING, c.AT_BEGINNING_LINE):
                # ^ or \A before any text: the text's start, and for ^ (which (?m) turns into a
                # line start, a flag this reading does not follow) every line start as well
                line = av is not c.AT_BEGINNING_STRING
                prefixes = [q for p in prefixes for q in (
                    [_Prefix(origin=True, open_=False)] + ([_Prefix(behind="\n")] if line else [])
                    if p.open and not p.anchored else [p])]
            # other anchors take no characters and only narrow where a match stands
        elif op is c.ASSERT_NOT and av[0] == -1 and av[1] and _is_word_class(av[1][0]):
            # (?<!\w) before a term, or (?<!\wm) right after its first letter m: a word starts here
            rest = list(av[1])[1:]
            prefixes = [
                p.with_(boundary=True)
                if p.open and ((not rest and not p.text) or (len(rest) == 1 and rest[0] == (c.LITERAL, ord(p.text[:1] or "\0")) and len(p.text) == 1))
                else p
                for p in prefixes
            ]
        elif op is c.ASSERT and av[0] == -1 and any(p.open and not p.anchored for p in prefixes):
            # (?<=\n) before any text: the match starts right after that literal text
            behind = _read(av[1], [_Prefix()], ignorecase)
            if all(b.open and b.text and not b.behind for b in behind):  # all of it literal text
                prefixes = [q for p in prefixes
                            for q in ([_Prefix(behind=b.text) for b in behind] if p.open and not p.anchored else [p])]
        elif op in (c.ASSERT, c.ASSERT_NOT):
            continue  # a look-around takes no characters
        elif op is c.SUBPATTERN:
            _group, add, remove, sub = av
            nested = (ignorecase or bool(add & c.SRE_FLAG_IGNORECASE)) and not remove & c.SRE_FLAG_IGNORECASE
            prefixes = _extend(prefixes, [sub], nested, joins)
        elif op is c.BRANCH:
            prefixes = _extend(prefixes, av[1], ignorecase, joins)
        elif joins and (mark := _separator(op, av)) is not None:
            # only a short word is worth going past (each run makes the database slower to
            # compile); a prefix ending in a character of the run would not tell where it begins
            prefixes = [p.with_(p.text + mark)
                        if p.open and 0 < len(p.text) < _JOIN_BELOW and not _in_run(p.text[-1], mark) and p.text[-1] not in _MARKS
                        else p.with_(open_=False) if p.open else p for p in prefixes]
        else:
            prefixes = _close(prefixes)
    return prefixes


def _in_run(ch: str, mark: str) -> bool:
    """Whether `ch` belongs to the run of separators that `mark` stands for."""
    return ch.isspace() or ch in _SEPARATORS[mark]


def _extend(prefixes: list[_Prefix], branches: list[Any], ignorecase: bool, joins: bool) -> list[_Prefix]:
    """Each open prefix continued by each branch; closed ones stay as they are."""
    out: list[_Prefix] = []
    for p in prefixes:
        if not p.open:
            out.append(p)
            continue
        for branch in branches:
            out.extend(_read(branch, [p.with_()], ignorecase, joins))
        if len(out) > _MAX_PREFIXES:
            return _close(prefixes)
    return _dedupe(out)


def _parse(source: str) -> Any:
    """The parsed pattern (`re._parser`'s tree), or None for a source it refuses."""
    from re import _parser  # type: ignore[attr-defined]

    try:
        return _parser.parse(source)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None


def literal_starts(source: str) -> list[Start] | None:
    """Every way a match of `source` can begin, in lower-cased text; None when some alternative
    has no literal start (no text, no literal look-behind, no ``^``)."""
    from re import _constants as c  # type: ignore[attr-defined]

    parsed = _parse(source)
    if parsed is None:
        return None
    prefixes = _read(list(parsed), [_Prefix()], bool(parsed.state.flags & c.SRE_FLAG_IGNORECASE), joins=True)
    # a separator that no literal text follows adds nothing to where a match starts
    out = sorted({Start(p.text.rstrip(_MARKS), p.boundary and not p.behind, p.behind, p.origin) for p in prefixes})
    if not out or any(not (start.text or start.behind or start.origin) for start in out):
        return None
    return out


def _may_take_newline(node: Any, dotall: bool) -> bool:
    """Whether a parsed node can consume a newline, or look past one ahead of it. Unknown
    constructs can: the answer only ever keeps a pattern on the plain scan."""
    from re import _constants as c  # type: ignore[attr-defined]

    op, av = node
    if op is c.LITERAL:
        return bool(av == 10)
    if op is c.NOT_LITERAL:
        return bool(av != 10)
    if op is c.ANY:
        return dotall
    if op is c.IN:
        return _class_takes_newline(av)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        return any(_may_take_newline(n, dotall) for n in av[2])
    if op is c.SUBPATTERN:
        _group, add, remove, sub = av
        nested = (dotall or bool(add & c.SRE_FLAG_DOTALL)) and not remove & c.SRE_FLAG_DOTALL
        return any(_may_take_newline(n, nested) for n in sub)
    if op is c.ATOMIC_GROUP:
        return any(_may_take_newline(n, dotall) for n in av)
    if op is c.BRANCH:
        return any(_may_take_newline(n, dotall) for branch in av[1] for n in branch)
    if op in (c.ASSERT, c.ASSERT_NOT):
        # a look-behind reads the text before a position, which a scan of its line sees too
        return av[0] != -1 and any(_may_take_newline(n, dotall) for n in av[1])
    if op is c.AT:
        # $ and \Z tell the end of the text from a newline; a line's scan would end at one
        return av not in (c.AT_BOUNDARY, c.AT_UNI_BOUNDARY, c.AT_NON_BOUNDARY, c.AT_UNI_NON_BOUNDARY,
                          c.AT_BEGINNING, c.AT_BEGINNING_STRING)
    return True


def _class_takes_newline(items: Any) -> bool:
    from re import _constants as c  # type: ignore[attr-defined]

    without = {c.CATEGORY_WORD, c.CATEGORY_DIGIT, c.CATEGORY_NOT_SPACE, c.CATEGORY_NOT_LINEBREAK,
               c.CATEGORY_UNI_WORD, c.CATEGORY_UNI_DIGIT, c.CATEGORY_UNI_NOT_SPACE, c.CATEGORY_UNI_NOT_LINEBREAK,
               c.CATEGORY_LOC_WORD}
    negate = False
    found = False
    for op, av in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            found = found or av == 10
        elif op is c.RANGE:
            found = found or av[0] <= 10 <= av[1]
        elif op is c.CATEGORY:
            found = found or av not in without
        else:
            return True
    return found != negate


def _factors(seq: Any, ignorecase: bool) -> list[str] | None:
    """Literal texts one of which every match of the parsed sequence contains, read from the
    node where they are longest; None when no node is certain to match literal text."""
    from re import _constants as c  # type: ignore[attr-defined]

    best: list[str] | None = None
    for i, (op, av) in enumerate(seq):
        found: list[str] | None = None
        if op is c.SUBPATTERN:
            _group, add, remove, sub = av
            found = _factors(sub, (ignorecase or bool(add & c.SRE_FLAG_IGNORECASE)) and not remove & c.SRE_FLAG_IGNORECASE)
        elif op is c.BRANCH:
            each = [_factors(branch, ignorecase) for branch in av[1]]
            found = None if any(f is None for f in each) else sorted({t for f in each for t in f or []})
        elif _chars(op, av, ignorecase) is not None:
            read = _read(seq[i:], [_Prefix()], ignorecase)
            if all(p.text and not p.behind and not p.origin for p in read):
                found = sorted({p.text for p in read})
        if found and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found
    return best


def looks_past_end(source: str) -> bool:
    """Whether what a pattern matches can depend on the text at or after the end of the range
    it is tried in (a ``$``, ``\\Z`` or look-ahead other than ``(?!\\w)``): a scan of a whole
    text then finds other matches inside a range than a scan of that range, where the range's
    end is the end of the string ("Clause éthique : supprimé." ends a sentence, not the
    document). ``\\b``, ``\\B`` and ``(?!\\w)`` see the same at a range end that a word character
    does not follow; unknown constructs count as looking past it."""
    parsed = _parse(source)
    return parsed is None or _sees_past_end(list(parsed))


def _sees_past_end(nodes: list[Any]) -> bool:
    from re import _constants as c  # type: ignore[attr-defined]

    for op, av in nodes:
        if op in (c.LITERAL, c.NOT_LITERAL, c.IN, c.ANY, c.GROUPREF):
            continue
        if op is c.AT:
            if av in (c.AT_END, c.AT_END_STRING, c.AT_END_LINE):
                return True
        elif op in (c.ASSERT, c.ASSERT_NOT):
            direction, body = av
            if direction == 1 and not (op is c.ASSERT_NOT and list(body) == [(c.IN, [(c.CATEGORY, c.CATEGORY_WORD)])]):
                return True
            if _sees_past_end(list(body)):
                return True
        elif op is c.SUBPATTERN:
            if _sees_past_end(list(av[3])):
                return True
        elif op is c.BRANCH:
            if any(_sees_past_end(list(branch)) for branch in av[1]):
                return True
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            if _sees_past_end(list(av[2])):
                return True
        elif op is c.ATOMIC_GROUP:
            if _sees_past_end(list(av)):
                return True
        elif op is c.GROUPREF_EXISTS:
            if any(part is not None and _sees_past_end(list(part)) for part in av[1:]):
                return True
        else:
            return True
    return False


def line_factors(source: str) -> list[str] | None:
    """For a pattern without literal starts: literal texts one of which every match contains,
    when no match can take or look past a newline (so that each match lies in one line, and the
    lines holding none of these texts hold no match); None otherwise."""
    from re import _constants as c  # type: ignore[attr-defined]

    parsed = _parse(source)
    if parsed is None:
        return None
    flags = parsed.state.flags
    if any(_may_take_newline(node, bool(flags & c.SRE_FLAG_DOTALL)) for node in parsed):
        return None
    return _factors(list(parsed), bool(flags & c.SRE_FLAG_IGNORECASE))


@lru_cache(maxsize=1)
def _hyperscan() -> Any:
    if os.environ.get("DUEDILIGENCE_NO_HYPERSCAN"):
        return None
    try:
        import hyperscan
    except ImportError:
        return None
    return hyperscan


def fold_twins(chars: set[str]) -> str | None:
    """The characters that Python's case-insensitive matching equates with one of `chars`
    although lower-casing does not make them equal (dotless i for i, long s for s, ...): a
    case-insensitive pattern matches them where the lower-case text has no prefix, so a text
    holding one gets the plain scan. None: this Python's table is unknown."""
    try:
        from re import _casefix  # type: ignore[attr-defined]

        extra = _casefix._EXTRA_CASES
    except (ImportError, AttributeError):
        return None
    return "".join(sorted({chr(twin) for ch in chars for twin in extra.get(ord(ch), ())} - chars))


class Encoded:
    """A lower-cased text as UTF-8 bytes, with the mapping of byte offsets back to characters."""

    __slots__ = ("low", "data", "_byte_starts", "_extra")

    def __init__(self, low: str) -> None:
        self.low = low
        self.data = low.encode("utf-8", "surrogatepass")
        self._byte_starts: list[int] = []
        self._extra: list[int] = []
        if len(self.data) != len(low):
            extra = 0
            for m in re.finditer(r"[^\x00-\x7f]", low):
                width = len(m.group().encode("utf-8", "surrogatepass")) - 1
                # the character after this one starts `extra + width` bytes later than its index
                extra += width
                self._byte_starts.append(m.start() + extra + 1)
                self._extra.append(extra)

    def char_offset(self, byte_offset: int) -> int:
        i = bisect_right(self._byte_starts, byte_offset) - 1
        return byte_offset - (self._extra[i] if i >= 0 else 0)


_encoded: tuple[Encoded, ...] = ()


def encoded(low: str) -> Encoded:
    """The UTF-8 form of one lower-cased document text, made once for all sets."""
    global _encoded
    for held in _encoded:
        if held.low is low:
            return held
    made = Encoded(low)
    _encoded = (made, *_encoded[:1])
    return made


class LineSpans(list[tuple[int, int]]):
    """The lines (start, end after its newline) that hold one of a line-local pattern's
    factors (`line_factors`), in order: the only lines where it can match."""


def matches_at(pattern: "re.Pattern[str]", low: str, start: int, stop: int, starts: "list[int] | LineSpans") -> "list[re.Match[str]] | None":
    """What `pattern.finditer(low, start, stop)` yields, trying the pattern only at `starts`
    (every position where a match may begin, sorted), or scanning only the lines of `starts`.
    A match attempt at a position is the same whether the scan came there or `match` begins
    there: look-behinds and \\b see the text before it in both, and `stop` ends the text for
    both. None when a match is empty: where the scan goes on after one is subtle enough to
    leave to the regex engine."""
    if isinstance(starts, LineSpans):
        return _matches_in_lines(pattern, low, start, stop, starts)
    out = []
    cur = start
    for p in starts[bisect_left(starts, start) : bisect_left(starts, stop)]:
        if p < cur:
            continue
        m = pattern.match(low, p, stop)
        if m is not None:
            if m.end() == m.start():
                return None
            out.append(m)
            cur = m.end()
    return out


# prefix ids, must open a word, unsafe twins, may start at 0, the prefixes are a line-local pattern's factors
_Entry = tuple[list[int], list[bool], str, bool, bool]


def _matches_in_lines(pattern: "re.Pattern[str]", low: str, start: int, stop: int, lines: LineSpans) -> "list[re.Match[str]] | None":
    """`matches_at` for a line-local pattern: each line's scan, up to and with its newline,
    finds what the scan of the whole range finds there, since no match takes or looks past a
    newline, and a scan resumes after one as from a fresh start."""
    out = []
    for a, b in lines[max(0, bisect_right(lines, (start, 1 << 62)) - 1) :]:
        if a >= stop:
            break
        if b <= start:
            continue
        for m in pattern.finditer(low, max(a, start), min(b, stop)):
            if m.end() == m.start():
                return None
            out.append(m)
    return out


def _read_prefixes(source: str) -> tuple[list[tuple[tuple[str, str], bool]], str, bool] | None:
    """((look-behind text, prefix), must open a word) for each literal start of a pattern
    source, the characters whose presence in a text makes them unsafe (`fold_twins`), and
    whether a match may start at offset 0 (``^``); None when some alternative has no literal
    start.

    A prefix must open a word only when every way the pattern begins with it says so, it
    begins with a word character, no look-behind text precedes it and the pattern has no
    ASCII-only classes."""
    starts = literal_starts(source)
    if starts is None:
        return None
    unicode_words = "(?a" not in source
    bounded: dict[tuple[str, str], bool] = {}
    for start in starts:
        if start.origin:
            continue
        word_start = start.text[:1].isalnum() or start.text[:1] == "_"
        key = (start.behind, start.text)
        bounded[key] = bounded.get(key, True) and start.boundary and word_start and unicode_words
    twins = ""
    if "(?i" in source:  # a case-insensitive part (a raw term's (?i:...))
        found = fold_twins({ch for behind, text in bounded for ch in behind + text})
        if found is None:
            return None
        twins = found
    return sorted(bounded.items()), twins, any(start.origin for start in starts)


def _read_factors(source: str) -> tuple[list[tuple[tuple[str, str], bool]], str] | None:
    """`_read_prefixes` for a pattern without literal starts that is line-local: its
    `line_factors`, none of which must open a word, and their unsafe case twins."""
    factors = line_factors(source)
    if factors is None:
        return None
    twins = ""
    if "(?i" in source:
        found = fold_twins({ch for text in factors for ch in text})
        if found is None:
            return None
        twins = found
    return [(("", text), False) for text in factors], twins


_Read = tuple[list[tuple[tuple[str, str], bool]], str, bool, bool]  # prefixes, twins, may start at 0, factors


def read_source(source: str) -> _Read | None:
    """What the database needs of one pattern source: its literal starts (`_read_prefixes`), or
    for a line-local pattern without any its factors (`_read_factors`); None: the plain scan."""
    read = _read_prefixes(source)
    if read is not None:
        return (*read, False)
    factors = _read_factors(source)
    return None if factors is None else (*factors, False, True)


PREBUILT_READING = "data/prefixes.json.gz"


def prebuilt_header() -> dict[str, str]:
    """What the prebuilt reading was made with: this module's code and the Python whose regex
    parser read the patterns; a file made otherwise is not used."""
    return {"format": _FORMAT, "code": _code_digest(), "python": f"{sys.version_info[0]}.{sys.version_info[1]}"}


@lru_cache(maxsize=1)
def _prebuilt_reading() -> dict[str, _Read | None]:
    """The shipped library's sources read once by tools/build_set_sources.py: reading the
    prefixes of every set costs a first start (cold cache) a fifth of a second. Empty when the
    file is missing or was made by other code or another Python."""
    from importlib import resources

    try:
        data = json.loads(gzip.decompress((resources.files("duediligence") / PREBUILT_READING).read_bytes()))
        if data["header"] != prebuilt_header():
            return {}
        return {source: None if read is None else (
                    [((behind, text), bool(b)) for (behind, text), b in read[0]], str(read[1]), bool(read[2]), bool(read[3]))
                for source, read in data["sources"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


_Walks = dict[int, tuple[tuple[int, str], ...]]  # prefix id -> `_walk` of a prefix of several words


class _Built(NamedTuple):
    """A group's compiled database: per prefix id the length of its (last) word, the way back
    to the start of the prefixes of several words, and per pattern source its `_Entry`."""

    database: Any
    lengths: list[int]
    walks: _Walks
    entries: dict[str, _Entry]


class _TextStarts:
    """Where each prefix of a group occurs in one text, from one scan."""

    __slots__ = ("low", "_ends", "_lengths", "_walks", "_offset", "_at", "_bounded", "_newlines")

    def __init__(self, built: _Built, text: Encoded) -> None:
        self.low = text.low
        ends: dict[int, list[int]] = {}
        # each match's byte offset past its end is filed under its prefix as it is reported (a
        # scan reports thousands, and a text holds few of the prefixes); where it starts is
        # worked out when a set asks. The handler returns None, which lets the scan go on.

        def found(i: int, _f: int, to: int, _fl: int, _c: object) -> None:
            held = ends.get(i)
            if held is None:
                ends[i] = [to]
            else:
                held.append(to)

        built.database.scan(text.data, match_event_handler=found)
        self._ends = ends
        self._lengths = built.lengths
        self._walks = built.walks
        self._offset = None if len(text.data) == len(text.low) else text.char_offset
        self._at: dict[int, list[int]] = {}
        self._bounded: dict[int, list[int]] = {}
        self._newlines: list[int] | None = None

    def at(self, i: int) -> list[int]:
        """Where prefix `i` occurs, in characters. A prefix of several words starts before its
        last word: found by stepping back over each run of separators (greedily: no word of a
        prefix ends in a character of the run after it, `_read`) and the word before it."""
        held = self._at.get(i)
        if held is None:
            ends, length, offset = self._ends.get(i, []), self._lengths[i], self._offset
            held = [to - length for to in ends] if offset is None else [offset(to) - length for to in ends]
            walk = self._walks.get(i)
            if walk is not None:
                low = self.low
                for n, p in enumerate(held):
                    for word, mark in reversed(walk):
                        while p > 0 and _in_run(low[p - 1], mark):
                            p -= 1
                        p -= word
                    held[n] = p
            self._at[i] = held
        return held

    def lines_holding(self, ids: list[int]) -> LineSpans:
        """The lines in which one of the prefixes `ids` occurs (a line-local pattern's factors,
        which hold no newline and are read without separators)."""
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.low)]
        newlines, size = self._newlines, len(self.low)
        spans = set()
        for i in ids:
            for p in self.at(i):
                n = bisect_left(newlines, p)
                spans.add((newlines[n - 1] + 1 if n else 0, newlines[n] + 1 if n < len(newlines) else size))
        return LineSpans(sorted(spans))

    def starts_of(self, ids: list[int], bounded: list[bool], origin: bool) -> list[int]:
        """Sorted offsets where one of the prefixes `ids` occurs (opening a word where `bounded`
        says so), and 0 with `origin`. A set has hundreds of prefixes, most of which a text
        does not hold: those are passed over without a call."""
        ends = self._ends
        lists = [self.word_starts(i) if b else self.at(i) for i, b in zip(ids, bounded) if i in ends]
        return sorted(set().union(*lists, [0] if origin else []))

    def word_starts(self, i: int) -> list[int]:
        """The occurrences of prefix `i` that open a word: not after a letter, a digit or _
        (Python's \\w, which is what (?<!\\w) and \\b look at there)."""
        held = self._bounded.get(i)
        if held is None:
            low = self.low
            held = self._bounded[i] = [p for p in self.at(i) if p == 0 or not (low[p - 1].isalnum() or low[p - 1] == "_")]
        return held


# the sources a group always tries, those each prefix id may start, and the case twins (`fold_twins`) per source
_Candidates = tuple[list[int], dict[int, list[int]], tuple["re.Pattern[str]", list[tuple[int, str]]]]


class StartGroup:
    """The literal starts of many patterns (every term set of a library), found in a text by
    one Hyperscan pass over a single database of all their prefixes."""

    def __init__(self, sources: Callable[[], list[str]]) -> None:
        self._sources = sources
        self._built: _Built | None = None
        self._failed = False
        self._texts: tuple[_TextStarts, ...] = ()
        self._tables: _Candidates | None = None

    def starts(self, source: str, low: str) -> list[int] | LineSpans | None:
        """Sorted offsets of `low` where a match of `source` may begin, or for a line-local
        pattern without literal starts the lines where it may match; None when the pattern gets
        the plain scan (Hyperscan missing or failing, no literal start or factor, an unsafe
        case twin in the text)."""
        built = self._build()
        entry = built.entries.get(source) if built is not None else None
        if built is None or entry is None:
            return None
        ids, bounded, twins, origin, lines = entry
        if any(ch in low for ch in twins):
            return None
        found = self._scan(built, low)
        if found is None:
            return None
        if lines:
            return found.lines_holding(ids)
        return found.starts_of(ids, bounded, origin)

    def candidates(self, low: str) -> list[int] | None:
        """The positions, in the group's list of sources, of the patterns that may match
        somewhere in the short text `low` (one Hyperscan pass, no offsets kept), in order; None
        when there is no database. A pattern the database cannot rule out (no literal start,
        a ``^`` start, an unsafe case twin in the text) is always among them."""
        built = self._build()
        if built is None:
            return None
        always, by_prefix, twins = self._candidate_tables(built)
        found: set[int] = set()
        try:
            built.database.scan(low.encode("utf-8", "surrogatepass"), match_event_handler=lambda i, *_: found.add(i))
        except Exception:  # noqa: BLE001  (Hyperscan failing here must not fail a check: try them all)
            return None
        out = set(always)
        for i in found:
            out.update(by_prefix[i])
        if twins[0].search(low):
            out.update(n for n, chars in twins[1] if any(ch in low for ch in chars))
        return sorted(out)

    def _candidate_tables(self, built: _Built) -> _Candidates:
        """For `candidates`: the sources always tried, those each prefix id may start, and the
        unsafe case twins of each source that has some, with a pattern finding any of them
        (a text rarely holds one)."""
        if self._tables is None:
            always: list[int] = []
            by_prefix: dict[int, list[int]] = {i: [] for i in range(len(built.lengths))}
            twins: list[tuple[int, str]] = []
            for n, source in enumerate(self._sources()):
                entry = built.entries.get(source)
                if entry is None or entry[3]:
                    always.append(n)
                    continue
                for i in entry[0]:
                    by_prefix[i].append(n)
                if entry[2]:
                    twins.append((n, entry[2]))
            any_twin = re.compile("[" + re.escape("".join(sorted({ch for _, chars in twins for ch in chars}))) + "]" if twins else "(?!)")
            self._tables = always, by_prefix, (any_twin, twins)
        return self._tables

    def _scan(self, built: _Built, low: str) -> _TextStarts | None:
        for held in self._texts:
            if held.low is low:
                return held
        try:
            made = _TextStarts(built, encoded(low))
        except Exception:  # noqa: BLE001  (Hyperscan failing here must not fail a check: plain scan)
            self._failed = True
            return None
        self._texts = (made, *self._texts[:1])
        return made

    def _build(self) -> _Built | None:
        if self._built is not None or self._failed:
            return self._built
        hs = _hyperscan()
        if hs is None:
            self._failed = True
            return None
        sources = self._sources()
        key = "g|" + hashlib.sha256("\0".join([_FORMAT, _code_digest(), *sources]).encode("utf-8", "surrogatepass")).hexdigest()
        store = _store.entries
        _used.add(key)
        held = store.get(key)
        if held is not None:
            try:
                lengths, walks, per_source, blob = held
                entries = {src: (list(e[0]), list(e[1]), str(e[2]), bool(e[3]), bool(e[4]))
                           for src, e in zip(sources, per_source) if e is not None}
                self._built = _Built(_load(hs, blob), list(lengths), {int(i): tuple(map(tuple, w)) for i, w in walks}, entries)
                return self._built
            except Exception:  # noqa: BLE001  (a damaged or foreign entry: build it again)
                pass
        made = self._compile(hs, sources)
        if made is None:
            self._failed = True
            return None
        self._built = made
        try:
            per_source = [(tuple(e[0]), tuple(e[1]), *e[2:]) if (e := made.entries.get(src)) else None for src in sources]
            store[key] = (tuple(made.lengths), tuple(made.walks.items()), per_source, hs.dumpb(made.database))
            _store.changed()
        except Exception:  # noqa: BLE001  (not serialisable here: keep it in memory only)
            pass
        return self._built

    @staticmethod
    def _compile(hs: Any, sources: list[str]) -> _Built | None:
        ids: dict[tuple[tuple[str, str], bool], int] = {}  # a prefix that must open a word is its own pattern
        entries: dict[str, _Entry] = {}
        prebuilt = _prebuilt_reading()
        for source in sources:
            read = prebuilt[source] if source in prebuilt else read_source(source)
            if read is None:
                continue
            prefixes, twins, origin, lines = read
            entries[source] = ([ids.setdefault(pb, len(ids)) for pb in prefixes], [b for _, b in prefixes], twins, origin, lines)
        # a look-behind's text is matched with the prefix; the match starts after it
        expressions = [_expression(behind + text, b) for (behind, text), b in ids]
        if not expressions:
            return None
        database = hs.Database(mode=hs.HS_MODE_BLOCK)
        try:
            database.compile(expressions=expressions, ids=list(range(len(expressions))), flags=0)
        except Exception:  # noqa: BLE001  (a prefix Hyperscan refuses: the plain scan it is)
            return None
        walks = [_walk(text) for (_behind, text), _b in ids]
        return _Built(database, [w[0] for w in walks], {i: w[1] for i, w in enumerate(walks) if w[1]}, entries)


# Prefixes this short that must open a word get Hyperscan's \\b: one- and two-letter ones ('a',
# 'de') occur thousands of times inside words, and each occurrence costs a Python call. Longer
# ones are plain literals: a database with \\b before every prefix compiles twenty times slower.
_BOUNDED_BELOW = 4


def _expression(prefix: str, bounded: bool) -> bytes:
    """The Hyperscan expression of a prefix. Its \\b is the ASCII one on UTF-8 bytes: before an
    ASCII letter or digit it holds wherever Python's Unicode (?<!\\w) does (a character outside
    ASCII ends in a byte that is no ASCII word character), so it is only ever looser."""
    body = "".join(_run_expression(ch) if ch in _MARKS else _bytes_expression(ch) for ch in prefix)
    if bounded and len(prefix) < _BOUNDED_BELOW and prefix[0].isascii() and prefix[0].isalnum():
        body = "\\b" + body
    return body.encode("ascii")


def _bytes_expression(text: str) -> str:
    return "".join(f"\\x{b:02x}" for b in text.encode("utf-8", "surrogatepass"))


@lru_cache(maxsize=None)
def _run_expression(mark: str) -> str:
    """Any run of the separators `mark` stands for, as a class of UTF-8 bytes: the ASCII ones,
    and every byte of the others (the lead and continuation bytes of \\u00a0, \\u2011, \\u3000).
    It also takes byte runs that are no separators, which only adds a few starts to try: a
    class compiles three times faster than the exact alternation of byte sequences."""
    data = "".join(sorted(set(_SPACES + _SEPARATORS[mark]))).encode("utf-8")
    return "[" + "".join(f"\\x{b:02x}" for b in sorted(set(data))) + "]*"


def _walk(text: str) -> tuple[int, tuple[tuple[int, str], ...]]:
    """(length of the prefix's last word, (length, mark) of each word before it with the run
    of separators after it): how a match's start is found back from where its last word starts."""
    parts = re.split(f"([{_MARKS}])", text)
    return len(parts[-1]), tuple((len(parts[i]), parts[i + 1]) for i in range(0, len(parts) - 1, 2))


def _load(hs: Any, blob: bytes) -> Any:
    database = hs.loadb(blob, hs.HS_MODE_BLOCK)
    database.scratch = hs.Scratch(database)  # a loaded database comes without one
    return database


def _path() -> Path:
    from .cache import cache_dir

    hs = _hyperscan()
    version = getattr(hs, "__version__", "0")
    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return cache_dir() / f"prefilter-{version}-py{python}.marshal"


_used: set[str] = set()
# Past this many groups the file keeps only those this process used: every edit of the clause
# library leaves a group of half a megabyte behind.
_MAX_GROUPS = 4


def _kept(entries: dict[str, Any]) -> dict[str, Any]:
    return entries if len(entries) <= _MAX_GROUPS else {k: v for k, v in entries.items() if k in _used}


_store = MarshalStore(_path, _kept)
