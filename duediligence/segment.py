"""Places every block in its section and gives the section a kind; detects the language.

Where a sentence sits decides whether it can oblige anyone: "kinderarbeid" in the exclusion
grounds is law, in the execution conditions it is a clause. Readers mark headings they know
(Word styles, Markdown `#`); many tenders only number or capitalise their headings, so a
short numbered line is taken as a heading too. A section's kind comes from the deepest
heading above it whose words say what it is (data/sections.yml).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any


from .languages import LanguageError, extra_folders, fallback, packs, language_pattern, stopwords
from .yaml_files import read_yaml
from .prefilter import StartGroup
from .model import BINDING_SECTIONS, Block, BlockKind, Document, Format, PlacedBlock, RawDocument, SectionKind
from .read.headings import numbered_level
from .regex_cache import compile_pattern
from .suppress import DIRECTIVE, strip_directives

BLOCK_SEPARATOR = "\n\n"
_LEAF_LEVEL = 9  # headings recognised by form only: they nest under any numbered heading

# «key»: the alternatives every language pack gives for it (data/languages/*.yml)
_CHAPTER_MAX_CHARS = 200  # a chapter or annex title may run long; other heading forms stay short
_NUMBERED = r"^\s*(?:(?:«article»\.?|§)\s*)?((?:[A-Z]\.)?\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+\S"
_CHAPTER = r"^\s*«chapter»\b\s*[\dIVXLC]*\b"
# A table-of-contents line: a title, dot leaders or a wide gap, and a page number. Matched on
# the reversed line, anchored at its start: searched forwards, the same test rescanned every
# gap from every position in it (cubic time in a line of spaces).
_TOC_LINE_REVERSED = re.compile(r"\A\s*\d{1,4}\s*(?:\.{3}|…|\s{3}|\t)")
_ARTICLE = r"^\s*(?:«article»\.?)\s*\d+"
# The heading of a table of contents, alone on its line.
_CONTENTS = re.compile(r"^\W*(?:inhoudstafel|inhoudsopgave|inhoudstabel|inhoud|table des mati[eè]res|sommaire|"
                       r"table of contents|contents)\W*$", re.IGNORECASE)

_WORD = re.compile(r"[a-zà-ÿ]+", re.IGNORECASE)


@dataclass(frozen=True)
class _SectionRule:
    kind: SectionKind
    pattern: re.Pattern[str]
    inherit_in_binding: bool  # inside a binding part the heading keeps that part's kind


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, Any]:
    """data/sections.yml: heading cues per section kind, and where a missing clause goes."""
    return read_yaml(Path(str(resources.files("duediligence") / "data" / "sections.yml")))  # type: ignore[no-any-return]


def _section_rules() -> tuple[_SectionRule, ...]:
    return _rules_of(extra_folders())


@lru_cache(maxsize=4)
def _rules_of(_extra: tuple[Path, ...]) -> tuple[_SectionRule, ...]:
    """The rules of data/sections.yml, each with its own patterns and those that language packs
    add to it by name (a rule's name is its kind unless it says otherwise)."""
    rules = _vocabulary()["kinds"]
    names = [rule.get("name", rule["kind"]) for rule in rules]
    for lang in packs():
        for name in lang.sections:
            if name not in names:
                raise LanguageError(f"{lang.path}: sections.{name}: no rule of that name in data/sections.yml "
                                              f"(rules: {', '.join(dict.fromkeys(names))})")
    return tuple(
        _SectionRule(SectionKind(rule["kind"]), compile_pattern(p, re.IGNORECASE), rule.get("inside_binding") == "inherit")
        for rule, name in zip(rules, names)
        for p in (*rule["patterns"], *(p for lang in packs() for p in lang.sections.get(name, ())))
    )


def placement_cues() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Patterns for execution headings that hold performance conditions (the place for a new
    clause), and for those on deadlines, prices or payment (never the place)."""
    return _placement_of(extra_folders())


@lru_cache(maxsize=4)
def _placement_of(_extra: tuple[Path, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    cues = _vocabulary()["placement"]
    return tuple(compile_pattern("|".join(f"(?:{p})" for p in (*cues[key], *(p for lang in packs()  # type: ignore[return-value]
                                                                         for p in lang.placement.get(key, ())))),
                                 re.IGNORECASE)
                 for key in ("best", "avoid"))


def opens_with_chapter_word(text: str) -> bool:
    """Whether a heading opens a part, chapter or annex ("Deel II", "Partie 2", "Annex")."""
    return language_pattern(_CHAPTER).match(text) is not None


def classify_heading(text: str) -> SectionKind:
    """The kind a heading announces, or UNKNOWN when its words do not say."""
    rule = _heading_rule(text)
    return rule.kind if rule else SectionKind.UNKNOWN


def _heading_rule(text: str) -> _SectionRule | None:
    """The first rule whose pattern the heading matches. A tender has hundreds of headings and
    short lines to ask about and the rules hold 164 patterns, most of which a heading cannot
    match: one prefilter pass over it (`StartGroup.candidates`) names those that may."""
    rules = _section_rules()
    maybe = _rule_starts(extra_folders()).candidates(text.lower())
    return next((rules[n] for n in (range(len(rules)) if maybe is None else maybe) if rules[n].pattern.search(text)), None)


@lru_cache(maxsize=4)
def _rule_starts(_extra: tuple[Path, ...]) -> StartGroup:
    return StartGroup(lambda: _rule_sources(_extra))


def section_rule_sources() -> list[str]:
    """The section rules' patterns in the rules' order, as the prefilter reads them: the
    case-insensitive patterns they are compiled as."""
    return _rule_sources(extra_folders())


def _rule_sources(_extra: tuple[Path, ...]) -> list[str]:
    return [f"(?i){rule.pattern.pattern}" for rule in _rules_of(_extra)]


def _nested_kind(text: str, enclosing: list[SectionKind]) -> SectionKind:
    """The kind of a heading below the `enclosing` ones: what its words announce, unless they
    only name a policy or vision inside a binding part (data/sections.yml, inside_binding)."""
    rule = _heading_rule(text)
    if rule is None or (rule.inherit_in_binding and any(k in BINDING_SECTIONS for k in enclosing)):
        return SectionKind.UNKNOWN
    return rule.kind


def detect_language(text: str) -> str:
    """The language pack whose stop words occur most (nl, fr, en, then added packs, win a tie);
    the fallback pack's (Dutch, our first audience) when none occurs."""
    by_language = stopwords()
    # each distinct word looked up once: a tender repeats its words
    seen = Counter(_WORD.findall(text[:60_000].lower()))
    counts = {lang: sum(n for word, n in seen.items() if word in words) for lang, words in by_language.items()}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] > 0 else fallback()


def heading_level(block: Block) -> int | None:
    """Heading level from the reader, or from the block's form; None for body text."""
    if block.heading_level is not None:
        return block.heading_level
    text = block.text.strip()
    if block.kind is BlockKind.HEADING:
        numbered = language_pattern(_NUMBERED).match(text)
        return numbered_level(numbered.group(1)) if numbered else _LEAF_LEVEL
    # most blocks are body paragraphs: these tests rule them out before any pattern is looked up
    if block.kind is not BlockKind.PARAGRAPH or len(text) > _CHAPTER_MAX_CHARS or len(text) < 3:
        return None
    if text.endswith((".", ";", ",")) and not text.endswith("..."):
        return None
    if language_pattern(_CHAPTER).match(text):
        # a part or annex names its whole content: "Annexe 3 – Engagement sur l'honneur relatif au
        # respect des droits humains et des conditions de travail dans la chaîne d'approvisionnement"
        return 1
    if len(text) > 110:
        return None
    if language_pattern(_ARTICLE).match(text):
        return 3
    numbered = language_pattern(_NUMBERED).match(text)
    if numbered and len(text.split()) <= 12 and text[numbered.end(1):].lstrip(". )\t")[:1].isupper():
        return numbered_level(numbered.group(1))
    if _is_capitals_line(text):
        return 1
    if len(text.split()) <= 8 and text[:1].isupper() and not text.endswith(":") and classify_heading(text) is not SectionKind.UNKNOWN:
        return _LEAF_LEVEL  # "Motifs d'exclusion" alone on its line names a section
    return None


def _is_capitals_line(text: str) -> bool:
    """A short line in capitals: the heading form of plain-text tenders ("PERCEEL 1 - SPORTKLEDIJ")."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters) and len(text.split()) <= 10


def _level_in(stack: list[tuple[int, str, SectionKind]], text: str, level: int, by_form: bool) -> int:
    """The level of a heading among the open ones: a line in capitals is read as level 1, but
    inside a part, chapter or annex that a chapter word opens ("BIJLAGE II - PRIJSINVENTARIS")
    a capitals line without one ("PERCEEL 1 - SPORTKLEDIJ") is its sub-heading, not the next
    part: it keeps the part's kind (the bill of quantities). Only where the level comes from
    the line's form (`by_form`: plain text, PDF, an unstyled paragraph), never from a style or a '#'."""
    if (level == 1 and by_form
            and _is_capitals_line(text) and not opens_with_chapter_word(text)
            and any(lvl == 1 and opens_with_chapter_word(title) for lvl, title, _kind in stack)):
        return 2
    return level


def _level_by_number(stack: list[tuple[int, str, SectionKind]], text: str, level: int, by_form: bool) -> int:
    """The level of a numbered heading whose number extends an open heading's: "Art. 28.2.
    Referentiekader" after "Art. 28. Natuursteen" reads by its form as one more article (level
    3), yet its number makes it a part of article 28, where the clause's remedy in "Art. 28.6"
    belongs with the rest. Only where the level comes from the line's form (`by_form`); a
    heading whose parent number is not open keeps the level of its form."""
    if not by_form:
        return level
    own = language_pattern(_NUMBERED).match(text)
    if own is None or "." not in own.group(1):
        return level
    parent = own.group(1).rsplit(".", 1)[0]
    for open_level, title, _kind in reversed(stack):
        found = language_pattern(_NUMBERED).match(title)
        if found is not None and found.group(1) == parent:
            return open_level + 1 if open_level >= level else level
    return level


def _contents_entries(blocks: tuple[Block, ...] | list[Block]) -> set[int]:
    """The blocks of a table of contents without page numbers ("PART 4   AWARD CRITERIA"): the
    headings right after a contents heading whose text stands again as a later heading, up to
    the first body paragraph or the first heading that does not recur (the document's own
    first heading). Taken for headings, they would place every real part under the last entry."""
    if not any(_CONTENTS.match(b.text.strip()) for b in blocks):
        return set()  # most tenders have none: no heading levels worked out twice
    levels = [heading_level(b) if b.part == "body" else None for b in blocks]
    last: dict[str, int] = {}
    for i, (b, level) in enumerate(zip(blocks, levels)):
        if level is not None:
            last[" ".join(b.text.split()).casefold()] = i
    entries: set[int] = set()
    for i, b in enumerate(blocks):
        if levels[i] is None or not _CONTENTS.match(b.text.strip()):
            continue
        for j in range(i + 1, len(blocks)):
            if not blocks[j].text.strip():
                continue
            if levels[j] is None or last.get(" ".join(blocks[j].text.split()).casefold(), j) <= j:
                break
            entries.add(j)
    return entries


def segment(raw: RawDocument) -> Document:
    """Place blocks in sections and join their text with stable offsets."""
    parts: list[str] = []
    placed: list[PlacedBlock] = []
    stack: list[tuple[int, str, SectionKind]] = []
    offset = 0
    directives: list[tuple[str, str]] = []
    form_format = raw.format in (Format.TEXT, Format.PDF)  # heading levels there come from the line's form
    contents = _contents_entries(raw.blocks)
    for number, block in enumerate(raw.blocks):
        text, found = strip_directives(block.text.strip())
        if found:
            where = f"page {block.page}" if block.page else f"line {block.line}" if block.line else f"paragraph {block.paragraph}"
            directives.extend((d, where) for d in found)
        if not text:
            continue
        if block.part != "body" or number in contents or (len(text) < 200 and _TOC_LINE_REVERSED.match(text[::-1])):
            # Running headers, footers and contents lines repeat headings; they place nothing.
            path: tuple[str, ...] = (f"({block.part})",) if block.part != "body" else tuple(h[1] for h in stack)
            kind = SectionKind.PREAMBLE
            is_heading = False
        else:
            level = heading_level(block)
            is_heading = level is not None
            if is_heading:
                assert level is not None
                # an unstyled paragraph of any format has its level from its form too
                by_form = form_format or block.heading_level is None
                level = _level_by_number(stack, text, _level_in(stack, text, level, by_form), by_form)
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, text[:120], _nested_kind(text, [h[2] for h in stack])))
            path = tuple(h[1] for h in stack)
            kind = next((h[2] for h in reversed(stack) if h[2] is not SectionKind.UNKNOWN), SectionKind.UNKNOWN)
        if parts:
            parts.append(BLOCK_SEPARATOR)
            offset += len(BLOCK_SEPARATOR)
        parts.append(text)
        placed.append(
            PlacedBlock(
                block=block if text == block.text else replace(block, text=text),
                index=len(placed),
                start=offset,
                end=offset + len(text),
                section_path=path,
                section_kind=kind,
                is_heading=is_heading,
            )
        )
        offset += len(text)
    full = "".join(parts)
    directives.extend((c, f"comment {i}") for i, c in enumerate(raw.comments, 1) if DIRECTIVE.search(c))
    return Document(raw=raw, text=full, blocks=tuple(placed), language=detect_language(full), directives=tuple(directives))

