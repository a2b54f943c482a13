"""Language packs: what the tool knows of each document language, as data.

Every language is one file, `data/languages/<code>.yml` (nl, fr and en ship with the tool);
more folders of such files are named by the environment variable `DUEDILIGENCE_LANGUAGES`
(folders separated by the system's path separator, `:` or `;`). A file holds its language's
words for every stage: the stop words that detect it, the sentence rules that split it, the
words of readers and segmentation (page numbers, chapters, articles), of the subject (lots,
CPV denials, subject cues, generic titles) and of evidence (first person, articles before a
subject), and it may add heading cues to `data/sections.yml`'s rules and terms to the clause
library's sets. Adding a language is adding files; `docs/languages.md` lists the keys.

Each file is validated when it is loaded: an unknown or missing key, a value of the wrong
shape or a pattern that does not compile stops the run with one line naming the file and key.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, overload

from .errors import LibraryError
from .regex_cache import compile_pattern
from .yaml_files import read_yaml

ENV_VAR = "DUEDILIGENCE_LANGUAGES"
SCHEMA_VERSION = 1
# The report texts of the clause library (names, reasons, model clauses) are written in these;
# a text in another pack's language is optional and falls back to English.
TEXT_LANGUAGES = ("nl", "fr", "en")
_CODE = re.compile(r"^[a-z]{2,3}$")

# pattern keys -> why the stage reads them (regular-expression fragments, case-insensitive)
PATTERN_KEYS: dict[str, str] = {
    "chapter": "words opening a part, chapter or annex heading (Deel II, Partie 2, Annex)",
    "article": "words (or abbreviations) opening an article heading (Artikel 5, art. 5)",
    "lot": "words naming a lot (Perceel 1: ...)",
    "page": "words saying page in a page-number line (pagina 3 van 12)",
    "page_abbreviation": "abbreviations of page before a number (blz. 3/12)",
    "page_of": "words between a page number and the page count (3 van 12)",
    "cpv_denied_before": "wording before a CPV code that rules it out (valt niet onder CPV ...)",
    "cpv_denied_after": "wording after a CPV code that rules it out (... is niet van toepassing)",
    "subject_cue": "phrases that introduce the subject of the contract (voorwerp van de opdracht)",
    "subject_heading": "heading words naming the section that says what is bought (Voorwerp, Objet et lots, Subject matter)",
    "generic_title": "document titles that say nothing of what is bought (Bestek, Untitled)",
    "subject_lead": "words that may open a sentence before its subject (de, elke, the, each)",
    "first_person": "the authority speaking of itself (wij): never the contractor",
    "abbreviation": "abbreviations ending in a dot after which no sentence ends (art., blz.)",
    "annex": "words naming an annex (Bijlage 5, Annexe III)",
    "annex_pointer": "words before an annex that leave the content to it (zie bijlage 5, voir l'annexe III)",
    "annex_article": "articles between such a word and the annex, each with its following space or apostrophe",
    "declaration": "headings of a declaration on honour, where the tenderer speaks in the first person",
    "contract_noun": "words naming the contract before its quoted name (de opdracht “Vervanging van …”, du marché "
                     "« … »): the name's words require nothing",
    "reference": "words before a point number that refer back to it (bedoeld in punt 5.2, exigences du point 5.2)",
    "clause_join": "words that open a second undertaking after a comma (..., en dat hij ...; ..., et qu'il ...): soft "
                   "wording in the one does not soften the other",
}
_KEYS = {"schema", "name", "priority", "tesseract", "sentences", "stopwords", "patterns", "sections", "placement",
         "vocabulary"}
_REQUIRED = {"schema", "name", "priority", "stopwords", "patterns"}


@dataclass(frozen=True)
class LanguagePack:
    """One language's words, as its file gives them."""

    code: str
    path: str
    name: str  # in the language itself (Nederlands), for language menus
    priority: int  # detection ties, and documents no stop word decides, go to the lowest
    sentences: str  # code of the spaCy sentence rules (data/sentences-<code>.json.gz) used
    tesseract: str | None
    stopwords: frozenset[str]
    patterns: dict[str, tuple[str, ...]]
    sections: dict[str, tuple[str, ...]] = field(default_factory=dict)  # sections.yml rule -> heading cues
    placement: dict[str, tuple[str, ...]] = field(default_factory=dict)  # best / avoid -> heading cues
    vocabulary: dict[str, tuple[str, ...]] = field(default_factory=dict)  # clause-library set -> terms
    builtin: bool = True


class LanguageError(LibraryError):
    """A language file is invalid; the message names the file, the key and the problem."""


def builtin_folder() -> Path:
    return Path(str(resources.files("duediligence") / "data" / "languages"))


def extra_folders() -> tuple[Path, ...]:
    """The folders `DUEDILIGENCE_LANGUAGES` names, in order."""
    return _folders(os.environ.get(ENV_VAR, ""))


@lru_cache(maxsize=8)
def _folders(raw: str) -> tuple[Path, ...]:
    # read again only when the variable changes: every language_pattern call asks, thousands a document
    return tuple(Path(p) for p in raw.split(os.pathsep) if p.strip())


def packs() -> tuple[LanguagePack, ...]:
    """Every language pack, built-in ones first, ordered by priority then code."""
    return _packs(extra_folders())


def builtin_packs() -> tuple[LanguagePack, ...]:
    """The packs that ship with the tool (nl, fr, en), whatever DUEDILIGENCE_LANGUAGES says."""
    return _packs(())


@lru_cache(maxsize=8)
def _packs(extra: tuple[Path, ...]) -> tuple[LanguagePack, ...]:
    found: dict[str, LanguagePack] = {}
    for folder, builtin in ((builtin_folder(), True), *((f, False) for f in extra)):
        if not folder.is_dir():
            raise LanguageError(f"{folder}: not a folder (named by {ENV_VAR})")
        for path in sorted(folder.glob("*.yml")):
            pack = _load(path, builtin)
            if pack.code in found:
                raise LanguageError(f"{path}: (file): language {pack.code!r} is already defined in {found[pack.code].path}")
            found[pack.code] = pack
    missing = [code for code in TEXT_LANGUAGES if code not in found]
    if missing:
        raise LanguageError(f"{builtin_folder()}: (folder): no language file for {missing[0]!r}")
    for pack in found.values():
        if pack.sentences not in found or not _has_sentence_rules(pack.sentences):
            raise LanguageError(f"{pack.path}: sentences: no sentence rules for {pack.sentences!r} "
                                f"(have: {', '.join(c for c in found if _has_sentence_rules(c))})")
    return tuple(sorted(found.values(), key=lambda p: (not p.builtin, p.priority, p.code)))


def _has_sentence_rules(code: str) -> bool:
    return (resources.files("duediligence") / "data" / f"sentences-{code}.json.gz").is_file()


def codes() -> tuple[str, ...]:
    """The document languages, in pack order (nl, fr, en, then added ones)."""
    return tuple(p.code for p in packs())


def pack(code: str) -> LanguagePack | None:
    return next((p for p in packs() if p.code == code), None)


def fallback() -> str:
    """The language of a document no stop word decides: the built-in pack of lowest priority."""
    return min((p for p in packs() if p.builtin), key=lambda p: p.priority).code


def alternation(key: str) -> str:
    """The pattern fragments every pack gives for `key`, as one group of alternatives."""
    seen: dict[str, None] = {}
    for p in packs():
        for fragment in p.patterns.get(key, ()):
            seen.setdefault(fragment, None)
    return "(?:" + "|".join(seen) + ")"


def words(key: str) -> frozenset[str]:
    """The plain words every pack gives for `key`, lower-cased."""
    return _words(key, extra_folders())


@lru_cache(maxsize=64)
def _words(key: str, _extra: tuple[Path, ...]) -> frozenset[str]:
    return frozenset(w.lower() for p in packs() for w in p.patterns.get(key, ()))


def language_pattern(template: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """`template` compiled, each `«key»` in it replaced by the packs' alternatives for `key`."""
    return _pattern(template, flags, extra_folders())


def lowered_pattern(template: str) -> re.Pattern[str] | None:
    """`language_pattern(template)` without IGNORECASE, for scanning lower-cased text about five
    times faster, when its source holds no capital (no capital letter to match, no \\S or \\W
    to change by lower-casing); None otherwise, for the case-insensitive pattern to be used."""
    insensitive = language_pattern(template)
    if any(c.isupper() for c in insensitive.pattern):
        return None
    return language_pattern(template, 0)


@lru_cache(maxsize=256)
def _pattern(template: str, flags: int, _extra: tuple[Path, ...]) -> re.Pattern[str]:
    # from the on-disk pattern cache: the packs' alternations are long, and a hook compiles them at every start
    return compile_pattern(re.sub(r"«(\w+)»", lambda m: alternation(m.group(1)), template), flags)


def stopwords() -> dict[str, frozenset[str]]:
    """Each language's stop words, in pack order (the first of a tie wins detection)."""
    return {p.code: p.stopwords for p in packs()}


def sentence_rules(lang: str) -> str:
    """The code of the sentence rules that split `lang` (the fallback language's when unknown)."""
    found = pack(lang)
    return found.sentences if found else pack(fallback()).sentences  # type: ignore[union-attr]


def extras_digest() -> str:
    """A hash of the added packs' files ("" without any): part of the library version, since
    their terms and cues change findings."""
    extra = [p for p in packs() if not p.builtin]
    if not extra:
        return ""
    digest = hashlib.sha256()
    for p in extra:
        digest.update(Path(p.path).read_bytes())
    return digest.hexdigest()


class Codes(Sequence[str]):
    """The language codes, read when first needed (click choices are built at import, before
    a broken pack could be reported as a library error; until then the built-in three serve)."""

    def __init__(self, *leading: str) -> None:
        self._leading = leading

    def _all(self) -> tuple[str, ...]:
        try:
            return (*self._leading, *codes())
        except LibraryError:
            return (*self._leading, *TEXT_LANGUAGES)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        return self._all()[i]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __contains__(self, value: object) -> bool:
        return value in self._all()


# --- validation --------------------------------------------------------------------------


def _load(path: Path, builtin: bool) -> LanguagePack:
    code = path.stem
    where = str(path)

    def fail(key: str, problem: str) -> LanguageError:
        return LanguageError(f"{where}: {key}: {problem}")

    if not _CODE.match(code):
        raise fail("(file)", f"the file name must be a language code of 2 or 3 lower-case letters ({code!r})")
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise fail("(file)", "expected a mapping of keys")
    unknown = sorted(set(map(str, raw)) - _KEYS)
    if unknown:
        raise fail(unknown[0], f"unknown key (allowed: {', '.join(sorted(_KEYS))})")
    missing = sorted(_REQUIRED - set(raw))
    if missing:
        raise fail(missing[0], "missing required key")
    if raw["schema"] != SCHEMA_VERSION:
        raise fail("schema", f"unsupported schema {raw['schema']!r}, expected {SCHEMA_VERSION}")
    priority = raw["priority"]
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise fail("priority", "expected a whole number")
    patterns = _lists(fail, raw["patterns"], "patterns", set(PATTERN_KEYS), compiled=True)
    return LanguagePack(
        code=code,
        path=where,
        name=_text(fail, raw["name"], "name"),
        priority=priority,
        sentences=_text(fail, raw.get("sentences", code), "sentences"),
        tesseract=_text(fail, raw["tesseract"], "tesseract") if "tesseract" in raw else None,
        stopwords=frozenset(w.lower() for w in _strings(fail, raw["stopwords"], "stopwords")),
        patterns=patterns,
        sections=_lists(fail, raw.get("sections"), "sections", None, compiled=True),
        placement=_lists(fail, raw.get("placement"), "placement", {"best", "avoid"}, compiled=True),
        vocabulary=_lists(fail, raw.get("vocabulary"), "vocabulary", None, compiled=False),
        builtin=builtin,
    )


def _text(fail: Any, value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise fail(key, "expected a non-empty string")
    return value.strip()


def _strings(fail: Any, value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise fail(key, "expected a non-empty list of strings")
    return tuple(_text(fail, v, f"{key}[{i}]") for i, v in enumerate(value))


def _lists(fail: Any, value: Any, key: str, allowed: set[str] | None, compiled: bool) -> dict[str, tuple[str, ...]]:
    """A mapping of name -> list of strings; patterns must compile and not match nothing."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise fail(key, "expected a mapping of name -> list of strings")
    out: dict[str, tuple[str, ...]] = {}
    for name, items in value.items():
        skey = f"{key}.{name}"
        if allowed is not None and name not in allowed:
            raise fail(skey, f"unknown key (allowed: {', '.join(sorted(allowed))})")
        if not isinstance(name, str):
            raise fail(skey, "expected a name")
        out[name] = _strings(fail, items, skey)
        for i, item in enumerate(out[name]):
            if compiled:
                problem = _pattern_problem(item)
                if problem:
                    raise fail(f"{skey}[{i}]", f"{item!r}: {problem}")
    return out


def _pattern_problem(source: str) -> str | None:
    try:
        pattern = compile_pattern(source, re.IGNORECASE)
    except re.error as exc:
        return f"invalid regular expression: {exc}"
    except (RecursionError, OverflowError, ValueError) as exc:
        return f"invalid regular expression: {exc}"
    return "the regular expression matches the empty string" if pattern.match("") else None
