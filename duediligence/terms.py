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
from functools import lru_cache
from importlib import resources

from .library import TermSet

_SEP = r"[\s\-\u2010\u2011]*"
_LEMMA_LANGS = ("nl", "fr", "en")


def validate_term(term: str, lang: str) -> str | None:
    """Return a problem description, or None if the term is well-formed."""
    if term.startswith("re:"):
        try:
            re.compile(term[3:], re.IGNORECASE)
        except re.error as exc:
            return f"invalid regular expression: {exc}"
        if re.compile(term[3:], re.IGNORECASE).match(""):
            return "the regular expression matches the empty string"
        return None
    if term.startswith("lemma:"):
        word = term[6:]
        if lang not in _LEMMA_LANGS:
            return "lemma: terms need a language key (nl, fr or en), not 'any'"
        if not word or " " in word or "*" in word:
            return "lemma: takes one word without * or spaces"
        return None
    core = term.strip("*")
    if not core or "**" in term or " *" in term:
        return "* must follow a letter (word*) or open the term (*word)"
    if len(core.replace("*", "")) < 2:
        return "a term needs at least two characters"
    return None


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
    """The regular-expression source for one term (without flags)."""
    if term.startswith("re:"):
        return f"(?:{term[3:]})"
    if term.startswith("lemma:"):
        forms = sorted(lemma_forms(lang, term[6:]), key=len, reverse=True)
        return r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)"
    prefix = r"\w*" if term.startswith("*") else r"(?<!\w)"
    suffix = r"\w*" if term.endswith("*") else r"(?!\w)"
    return prefix + _literal(term.strip("*")) + suffix


class CompiledSet:
    """One term set compiled to a single alternation; `lastgroup` tells which term matched."""

    def __init__(self, term_set: TermSet) -> None:
        self.name = term_set.name
        self.terms: list[str] = []
        parts = []
        for lang, term in term_set.all_terms():
            parts.append(f"(?P<t{len(self.terms)}>{term_regex(term, lang)})")
            self.terms.append(term)
        self.regex = re.compile("|".join(parts), re.IGNORECASE)

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        stop = len(text) if end is None else end
        return [
            (m.start(), m.end(), self.terms[int(m.lastgroup[1:])])  # type: ignore[index]
            for m in self.regex.finditer(text, start, stop)
            if m.end() > m.start()
        ]

    def search(self, text: str, start: int = 0, end: int | None = None) -> bool:
        return self.regex.search(text, start, len(text) if end is None else end) is not None


@lru_cache(maxsize=None)
def _inverse_lemmas(lang: str) -> dict[str, frozenset[str]]:
    """Surface forms per lemma, from spacy-lookups-data's lookup table for `lang`.

    The table maps form -> lemma; we need the inverse to turn a lemma term into a regex,
    so that matching itself needs no lemmatizer at run time.
    """
    table_file = resources.files("spacy_lookups_data") / "data" / f"{lang}_lemma_lookup.json.gz"
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
