"""Regenerates duediligence/data/sentences-{nl,fr,en}.json.gz, spaCy's tokenizer rules and
sentencizer punctuation for `duediligence.sentencizer` (run by hand after upgrading spaCy,
never at run time; tests/test_sentencizer.py then tells whether the result still agrees).

Per language: the prefix, suffix, infix, URL and token-match pattern sources, the special
cases (string -> token texts), the token patterns spaCy's special-case matcher looks for, and
for French the characters a token-match can hold and the non-letters it needs, besides a
letter (checked here against the pattern's parse tree, so that `sentencizer` may skip the pattern where it cannot match).

    python tools/build_sentence_rules.py
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from duediligence.sentencizer import _Rules  # noqa: E402

LANGS = ("nl", "fr", "en")
_CHARS: dict[str, frozenset[str]] = {}


def _source(matcher: Any) -> str | None:
    if matcher is None:
        return None
    pattern: re.Pattern[str] = matcher.__self__
    assert pattern.flags == re.compile(pattern.pattern).flags, "flags outside the pattern source"
    return pattern.pattern


def _class_chars(items: list[tuple[Any, Any]]) -> frozenset[str]:
    """Every character a class (or literal) matches case-insensitively, by asking the engine."""
    parts = []
    for op, av in items:
        if op is C.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is C.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        else:
            raise SystemExit(f"token_match: unexpected class item {op}")
    source = f"(?iu)[{''.join(parts)}]"
    if source not in _CHARS:
        test = re.compile(source).fullmatch
        _CHARS[source] = frozenset(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and test(chr(c)))
    return _CHARS[source]


def _node_chars(op: Any, av: Any) -> frozenset[str]:
    return _class_chars([(op, av)]) if op is C.LITERAL else _class_chars(list(av))


def _all_chars(seq: Any) -> set[str]:
    out: set[str] = set()
    for op, av in seq:
        if op in (C.LITERAL, C.IN):
            out |= _node_chars(op, av)
        elif op is C.AT:
            continue
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            out |= _all_chars(av[2])
        elif op is C.SUBPATTERN:
            out |= _all_chars(av[3])
        elif op is C.BRANCH:
            for branch in av[1]:
                out |= _all_chars(branch)
        else:
            raise SystemExit(f"token_match: unexpected node {op}")
    return out


def _mandatory(seq: Any) -> list[frozenset[str]]:
    """Character sets of the nodes every match of `seq` passes through."""
    out: list[frozenset[str]] = []
    for op, av in seq:
        if op in (C.LITERAL, C.IN):
            out.append(_node_chars(op, av))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            out += _mandatory(av[2])
        elif op is C.SUBPATTERN:
            out += _mandatory(av[3])
    return out


def _alternatives(parsed: Any) -> list[Any]:
    """The top-level alternatives, each with what the parser factored out of them (a shared `^`)."""
    seq = _flat(parsed)
    branches = [i for i, (op, _av) in enumerate(seq) if op is C.BRANCH]
    if len(branches) != 1:
        return [seq]
    i = branches[0]
    return [seq[:i] + _flat(b) + seq[i + 1:] for b in seq[i][1][1]]


def _flat(seq: Any) -> list[Any]:
    out = []
    for op, av in seq:
        if op is C.SUBPATTERN and av[0] is None:
            out += _flat(av[3])
        else:
            out.append((op, av))
    return out


def token_match_chars(source: str) -> tuple[str, str]:
    """(characters a match may hold, non-letters one of which every match holds), checked, as
    is that every match holds a letter."""
    alternatives = _alternatives(_parser.parse(source, 0))
    allowed = _all_chars([n for alt in alternatives for n in alt])
    needs = {ch for ch in allowed if not ch.isalpha()}
    for alt in alternatives:
        flat = _flat(alt)
        if not flat or flat[-1] != (C.AT, C.AT_END):
            raise SystemExit("token_match: an alternative does not end with $")
        if not any(chars <= needs for chars in _mandatory(flat)):
            raise SystemExit("token_match: an alternative may match letters only")
        if not any(all(ch.isalpha() for ch in chars) for chars in _mandatory(flat)):
            raise SystemExit("token_match: an alternative may match without a letter")
    return "".join(sorted(allowed)), "".join(sorted(needs))


def language_rules(lang: str) -> dict[str, Any]:
    import spacy

    nlp = spacy.blank(lang)
    sentencizer = nlp.add_pipe("sentencizer")
    tok = nlp.tokenizer
    assert tok.faster_heuristics and type(tok) is spacy.tokenizer.Tokenizer
    specials = {string: [piece[65] for piece in pieces] for string, pieces in tok.rules.items()}  # 65: ORTH
    data: dict[str, Any] = {
        "spacy": spacy.__version__,
        "prefix": _source(tok.prefix_search),
        "suffix": _source(tok.suffix_search),
        "infix": _source(tok.infix_finditer),
        "url": _source(tok.url_match),
        "token_match": _source(tok.token_match),
        "specials": specials,
        "patterns": [],
        "punct_chars": sorted(sentencizer.punct_chars),
    }
    if data["token_match"] is not None:
        data["token_match_chars"], data["token_match_needs"] = token_match_chars(data["token_match"])
    # spaCy's matcher pattern of a special case: the string tokenized without special cases
    plain = _Rules({**data, "specials": {}, "patterns": []})
    patterns = set()
    for string in specials:
        if tok.find_prefix(string) or tok.find_infix(string) or tok.find_suffix(string) or " " in string:
            spans, _ = plain.tokens(string, exact=True)
            patterns.add(tuple(string[s:e] for s, e in spans))
    data["patterns"] = sorted(list(p) for p in patterns if p)
    return data


def main() -> None:
    for lang in LANGS:
        data = language_rules(lang)
        target = ROOT / "duediligence" / "data" / f"sentences-{lang}.json.gz"
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
        target.write_bytes(gzip.compress(payload.encode("utf-8"), mtime=0))
        print(f"{target.relative_to(ROOT)}: {len(data['specials'])} special cases, "
              f"{len(data['patterns'])} matcher patterns, {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
