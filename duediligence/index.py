"""The document index: shared, cached views of one segmented document that every judging
stage reads (applicability, evidence, assessment).

It holds what is computed once per document and asked many times: sentence spans per block,
every hit of a term set, whether a set occurs in a span, masks of trap spans, list and clause
windows around a block, the annexes present, deleted articles, headings above a block. The
stages below it never climb back: data flows read -> segment -> index -> subject and
applicability -> evidence -> assessment -> report.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property

from .languages import language_pattern
from .matchers import CompiledTrap
from .model import BlockKind, Document, PlacedBlock
from .nlp import sentence_spans
from .terms import CompiledSet

_CLAUSE_MAX_BLOCKS = 14
_CLAUSE_NEIGHBOURS = 2
_LIST_MAX_ITEMS = 12
_SENTENCE_ENDS = (".", "!", "?", ";", ")")
_SCOPE_MAX_BLOCKS = 30


# a run of six word characters or more: no match can start inside a shorter run, so these are the long words
_LONG_WORDS = re.compile(r"\w{6,}")
# The contract named by its quoted title ("dans le cadre du marché « Remplacement de la chaudière »",
# "voor de opdracht “Vervanging van de verlichting”", "the contract 'Replacement of ...'"), after
# an optional number ("opdracht nr. 2026/04"): a name, whose "remplacement" is no remedy. (A plain
# apostrophe opens no name: "the contract's term ... the tenderer's" would mask all between.)
_QUOTED = "\xab[^\xbb]{3,250}\xbb|\u201c[^\u201d]{3,250}\u201d|\u201e[^\u201c\u201d]{3,250}[\u201c\u201d]|\"[^\"]{3,250}\"|\u2018[^\u2019]{3,250}\u2019"
_CONTRACT_NAME = rf"\b(?:«contract_noun»)\s*+(?:(?:n[°or]s?|nr)\.?\s*[\w/.-]+\s*)?[:,]?\s*(?:{_QUOTED})"
_CPV_LABEL = re.compile(r"\b\d{8}(?:-\d)?\s*(?:\([^)\n]{1,80}\)|[–—:-]\s*[^;,.\n()]{1,80})")


class DocumentIndex:
    """Sentence spans per block, computed on demand and shared by all criteria."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._sentences: dict[int, list[tuple[int, int]]] = {}
        self._hits: dict[int, tuple[CompiledSet, list[tuple[int, int, str]]]] = {}
        self._found: dict[tuple[int, int, int], tuple[CompiledSet, bool]] = {}
        self._deleted: dict[int, bool] = {}
        self._self_describing: dict[int, list[tuple[int, int]]] = {}
        self._describes: dict[tuple[int, int], tuple[CompiledSet, bool]] = {}
        self._declaration: dict[tuple[str, ...], bool] = {}
        self._matches: dict[tuple[int, int, int], tuple[CompiledSet, list[tuple[int, int, str]]]] = {}

    def found_in(self, cs: CompiledSet, start: int, end: int) -> bool:
        """Whether a term of `cs` stands between start and end, remembered: every passage of a
        paragraph asks it of the whole paragraph, which made a long paragraph quadratic."""
        held = self._found.get((id(cs), start, end))
        if held is None or held[0] is not cs:
            held = self._found[(id(cs), start, end)] = (cs, cs.search(self.doc.text, start, end))
        return held[1]

    def says_of_itself(self, block: PlacedBlock, cs: CompiledSet, actors: tuple[CompiledSet, ...]) -> bool:
        """Whether a term of `cs` stands in the parts of the block's paragraph that can say what
        the paragraph is: its heading, its first sentence ("Ter informatie: ...", "Pour
        information : ..."), and later sentences that name no actor ("Deze paragraaf heeft geen
        bindend karakter"). A later sentence in which the authority or the contractor (`actors`)
        acts ("Le pouvoir adjudicateur peut, à titre informatif, interroger le prestataire")
        says how that act is meant, not what the paragraph is. Once per block and set: every
        passage of a long paragraph asks it."""
        held = self._describes.get((id(cs), block.index))
        if held is None or held[0] is not cs:
            if block.index not in self._self_describing:
                heading = leaf_heading(self.doc, block)
                spans = [(heading.start, heading.end)] if heading else []
                for i, (s, e) in enumerate(self.sentences(block)):
                    if i == 0 or not any(a.search(self.doc.text, s, e) for a in actors):
                        spans.append((s, e))
                self._self_describing[block.index] = spans
            found = any(cs.search(self.doc.text, s, e) for s, e in self._self_describing[block.index])
            held = self._describes[(id(cs), block.index)] = (cs, found)
        return held[1]

    def is_deleted(self, block: PlacedBlock, deleted: CompiledSet) -> bool:
        """`_is_deleted` of the block's text, once per block whatever the number of its passages."""
        if block.index not in self._deleted:
            self._deleted[block.index] = _is_deleted(block.text, deleted)
        return self._deleted[block.index]

    def struck_out(self, block: PlacedBlock, end: int, deleted: CompiledSet) -> bool:
        """Whether the sentence of `block` after the one ending at `end` is a deletion mark alone:
        in "Perceel 2 – Financiële leasing van de toestellen. Vervalt. Na een vergelijking ..."
        the lot just named is struck out, though the paragraph goes on."""
        spans = self.sentences(block)
        i = bisect.bisect_left(spans, (end, -1))
        return i < len(spans) and _only_deletion_mark(self.doc.text[spans[i][0] : spans[i][1]], deleted)

    @cached_property
    def _cpv_labels(self) -> list[tuple[int, int]]:
        return [m.span() for m in _CPV_LABEL.finditer(self.doc.text)]

    @cached_property
    def code_sections(self) -> frozenset[tuple[str, ...]]:
        """The sections that list CPV codes with their labels ("I.2 Subject of the contract"),
        headed ones only: what the buyer says there of a code is said of the subject."""
        doc = self.doc
        return frozenset(b.section_path for s, _e in self._cpv_labels
                         if (b := doc.block_at(s)) is not None and b.section_path)

    @cached_property
    def _contract_names(self) -> list[tuple[int, int]]:
        return [m.span() for m in language_pattern(_CONTRACT_NAME).finditer(self.doc.text)]

    def in_contract_name(self, start: int, end: int) -> bool:
        """Whether start-end lies in the contract's quoted name (`_CONTRACT_NAME`): a declaration
        form that names "le marché « Remplacement de la chaudière »" threatens no replacement."""
        spans = self._contract_names
        i = bisect.bisect_right(spans, (start, 1 << 62)) - 1
        return i >= 0 and end <= spans[i][1]

    def in_cpv_label(self, start: int, end: int) -> bool:
        """Whether start-end lies in a CPV code's own label ("66114000 (financiële leasing)",
        "66114000-2 – Financial leasing services"): it restates the code, so it cannot confirm it."""
        spans = self._cpv_labels
        i = bisect.bisect_right(spans, (start, 1 << 62)) - 1
        return i >= 0 and end <= spans[i][1]

    @cached_property
    def annexes(self) -> frozenset[str]:
        """The annexes whose text is in the document: a heading opens them ("Bijlage 5 –
        Verklaring op eer", "Annexe III", "Annex C"). A reference to any other annex points
        outside the document."""
        found = set()
        for b in self.doc.blocks:
            if b.is_heading:
                m = language_pattern(_ANNEX_HEADING).match(b.text)
                if m:
                    found.add(_annex_id(m.group(1)))
        return frozenset(found)

    def is_declaration(self, block: PlacedBlock) -> bool:
        """Whether the block sits in a declaration to be signed (verklaring op eer, déclaration
        sur l'honneur, declaration on honour): its first person is the tenderer. Once per
        section: every passage under it asks."""
        path = block.section_path
        if path not in self._declaration:
            self._declaration[path] = any(language_pattern(_DECLARATION).search(h) for h in path)
        return self._declaration[path]

    def matches_in(self, cs: CompiledSet, start: int, end: int) -> list[tuple[int, int, str]]:
        """`cs.finditer` of the text between start and end, remembered: every mention in a
        sentence asks it of the whole sentence."""
        held = self._matches.get((id(cs), start, end))
        if held is None or held[0] is not cs:
            held = self._matches[(id(cs), start, end)] = (cs, cs.finditer(self.doc.text, start, end))
        return held[1]

    def hits(self, cs: CompiledSet) -> list[tuple[int, int, str]]:
        """Every match of a term set in the whole document, found once: trap masks and
        subject words are needed by applicability and evidence alike, and a scan of a
        100-page tender costs tens of milliseconds."""
        held = self._hits.get(id(cs))
        if held is None or held[0] is not cs:
            held = self._hits[id(cs)] = (cs, cs.finditer(self.doc.text))
        return held[1]

    def blocks_sharing(self, vocabulary: frozenset[str], least: int) -> list[PlacedBlock]:
        """The blocks, in document order, holding at least `least` of the long words of
        `vocabulary`: every criterion's fuzzy prefilter asks this of its model clause's words,
        so the document's long words are filed once by the blocks that hold them, and only
        the blocks sharing a word are counted."""
        shared: dict[int, int] = {}
        for word in vocabulary:
            for i in self._blocks_by_word.get(word, ()):
                shared[i] = shared.get(i, 0) + 1
        blocks = self.doc.blocks
        return [blocks[i] for i in sorted(i for i, n in shared.items() if n >= least)]

    @cached_property
    def _blocks_by_word(self) -> dict[str, list[int]]:
        """Each long word of the document (`content_words_of`), with the blocks that hold it."""
        filed: dict[str, list[int]] = {}
        for i, block in enumerate(self.doc.blocks):
            for word in content_words_of(block.text):
                filed.setdefault(word, []).append(i)
        return filed

    def sentences(self, block: PlacedBlock) -> list[tuple[int, int]]:
        if block.index not in self._sentences:
            spans = sentence_spans(block.text, self.doc.language)
            self._sentences[block.index] = [(block.start + s, block.start + e) for s, e in spans] or [
                (block.start, block.end)
            ]
        return self._sentences[block.index]

    def sentence_at(self, offset: int) -> tuple[PlacedBlock, int, int] | None:
        block = self.doc.block_at(offset)
        if block is None:
            return None
        spans = self.sentences(block)  # in order and apart: the one that may hold `offset` is found by bisection
        i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
        if i >= 0 and spans[i][0] <= offset < spans[i][1]:
            return block, spans[i][0], spans[i][1]
        return block, block.start, block.end

    def list_unit(self, block: PlacedBlock, start: int, end: int) -> tuple[int, int]:
        """The sentence, or the whole list when the sentence is a list's lead-in or one of its items.

        Buyers write bans as a lead-in and items: "Il est interdit de diffuser toute publicité :
        - en faveur de combustibles fossiles ; - ...". The ban word and the fossil fuel sit in
        different blocks, so they are read as one passage from the lead-in to the list's end.
        """
        blocks = self.doc.blocks
        if _is_list_item(block):
            first = block.index
            while first > 0 and _is_list_item(blocks[first - 1]) and block.index - first < _LIST_MAX_ITEMS:
                first -= 1
            if first == 0 or not _leads_in(blocks[first - 1]) or blocks[first - 1].section_path != block.section_path:
                return start, end
            lead = blocks[first - 1]
        elif end >= block.end - 1 and _leads_in(block) and block.index + 1 < len(blocks) and _is_list_item(blocks[block.index + 1]):
            lead = block
        else:
            return start, end
        last = lead.index + 1
        while last + 1 < len(blocks) and _is_list_item(blocks[last + 1]) and last - lead.index < _LIST_MAX_ITEMS:
            last += 1
        return self.sentences(lead)[-1][0], blocks[last].end

    def clause_window(self, block: PlacedBlock, scope: tuple[str, ...] | None = None) -> tuple[int, int]:
        """The text around a passage where the rest of its clause is expected.

        The leaf section holding the passage when it is short; otherwise a few blocks
        either side, never crossing into another section. With `scope` (the path of a
        heading that names the criterion, e.g. "12. Verantwoorde natuursteen"), the whole
        section under that heading, subsections 12.1-12.5 included, up to a bound.
        """
        blocks = self.doc.blocks
        path = scope or block.section_path

        def inside(b: PlacedBlock) -> bool:
            return b.section_path[: len(path)] == path if scope else b.section_path == path

        lo = hi = block.index
        while lo > 0 and inside(blocks[lo - 1]) and (scope or not blocks[lo].is_heading):
            lo -= 1
        while hi + 1 < len(blocks) and inside(blocks[hi + 1]) and (scope or not blocks[hi + 1].is_heading):
            hi += 1
        limit = _SCOPE_MAX_BLOCKS if scope else _CLAUSE_MAX_BLOCKS
        if hi - lo + 1 > limit:
            reach = limit // 2 if scope else _CLAUSE_NEIGHBOURS
            lo = max(lo, block.index - reach)
            hi = min(hi, block.index + reach)
        return blocks[lo].start, blocks[hi].end


_ANNEX_ID = r"(\d{1,2}[a-z]?|[A-Z]\b|[IVXL]{1,5}\b)"


# «key»: the alternatives every language pack gives for it (data/languages/*.yml)
_ANNEX_HEADING = r"^\W*«annex»\s*(?:nr\.?|n°|no\.?)?\s*" + _ANNEX_ID


# A pointer that leaves the content to the annex ("de clausule van bijlage 5", "voir l'annexe III",
# "as set out in Annex C"); "in het offerteformulier (bijlage A)" only says where a form is signed.
_ANNEX_REFERENCE = r"\b«annex_pointer»\s+(?:«annex_article»)?«annex»\s*(?:nr\.?|n°|no\.?)?\s*" + _ANNEX_ID


_ANNEX_WORD = "«annex»"
_DECLARATION = "«declaration»"


def _annex_id(raw: str) -> str:
    return raw.upper()


def annex_references(sentence: str) -> list[str]:
    """The annexes a sentence points to ("bijlage 5", "l'annexe III", "Annex C")."""
    # Every reference holds an annex word, which the short pattern finds wherever the long one
    # would match; nearly no sentence has one, and the long pattern tries its pointer words
    # ("in", "van", "als") at every word.
    if language_pattern(_ANNEX_WORD).search(sentence) is None:
        return []
    return [_annex_id(m.group(1)) for m in language_pattern(_ANNEX_REFERENCE).finditer(sentence)]


_BULLET = re.compile(r"^\s*(?:[-–•·▪◦*]|[a-z]\)|\d{1,2}[.)]|[ivx]{1,4}\))\s")


def _is_list_item(block: PlacedBlock) -> bool:
    return not block.is_heading and (block.block.kind is BlockKind.LIST_ITEM or _BULLET.match(block.text) is not None)


def _leads_in(block: PlacedBlock) -> bool:
    """Whether the paragraph runs on into the list after it: it ends on a colon, or on no
    sentence end at all ("... volgens de principes van eerlijke handel, in het bijzonder")."""
    text = block.text.rstrip()
    return not block.is_heading and (text.endswith(":") or (block.block.kind is BlockKind.PARAGRAPH
                                                            and not text.endswith(_SENTENCE_ENDS)))


class Masks:
    """Spans that never count, each named by the trap (or reason) that masks it.

    Kept as one run per name, in the order given, each sorted by start with the running maximum
    of its ends: whether a run covers part of a passage is then two bisections, and the name
    reported is the first run's that does. (Scanning every span for every passage was quadratic:
    8 s of a million-character paragraph went there.)"""

    def __init__(self, runs: list[tuple[str, list[tuple[int, int]]]] | None = None) -> None:
        self._runs: list[tuple[str, list[int], list[int]]] = []
        for name, spans in runs or []:
            self._add(name, spans)

    def _add(self, name: str, spans: list[tuple[int, int]]) -> None:
        if not spans:
            return
        ordered = sorted(spans)
        furthest, reach = -1, []
        for _s, e in ordered:
            furthest = max(furthest, e)
            reach.append(furthest)
        self._runs.append((name, [s for s, _e in ordered], reach))

    def __add__(self, other: Masks) -> Masks:
        joined = Masks()
        joined._runs = self._runs + other._runs
        return joined

    def covering(self, start: int, end: int) -> str | None:
        """The name of the first run with a span overlapping start-end, or None."""
        for name, starts, reach in self._runs:
            before = bisect.bisect_left(starts, end)  # spans starting before `end`
            if before and reach[before - 1] > start:
                return name
        return None


def mask_spans(index: DocumentIndex, traps: tuple[CompiledTrap, ...]) -> Masks:
    return Masks([(ct.trap.id, [(s, e) for cs in ct.mask for s, e, _t in index.hits(cs)]) for ct in traps])


def section_body(doc: Document, heading: PlacedBlock) -> list[PlacedBlock]:
    """The body blocks under a heading, subsections included, up to the scope bound."""
    path = heading.section_path
    body = []
    for block in doc.blocks[heading.index + 1 : heading.index + 1 + _SCOPE_MAX_BLOCKS]:
        if block.section_path[: len(path)] != path:
            break
        if not block.is_heading:
            body.append(block)
    return body


def opening_heading(doc: Document) -> str | None:
    """The heading that opens the document and names it ("Bestek 2025-12 – Natuursteen voor het
    dorpsplein"): a scope over it would be the whole document."""
    first = next((b for b in doc.blocks[:3] if b.is_heading), None)
    return first.section_path[-1] if first is not None and len(first.section_path) == 1 else None


_DELETION_LEAD = ":–—-([/"
_DELETION_MARK_MAX = 40  # "intentionally left blank" is the longest mark of the languages


def _is_deleted(text: str, deleted: CompiledSet) -> bool:
    """Whether a paragraph is an article struck out of the template: "Vervalt.", or its heading
    followed by a deletion mark ("Article 15 – Droits humains : Supprimé", "… – [deleted]").
    The topic words it still carries are only the title of what is no longer asked."""
    tail = text.rstrip(" .;)]\"'")
    hits = deleted.finditer(tail)
    if not hits or hits[-1][1] != len(tail):
        return False
    before = tail[: hits[-1][0]].rstrip(" ([\"'")
    return not before or before[-1] in _DELETION_LEAD


def _only_deletion_mark(text: str, deleted: CompiledSet) -> bool:
    """Whether a sentence is nothing but a deletion mark ("Vervalt.", "Sans objet.", "[Deleted]")."""
    tail = text.strip().strip(" .;()[]\"'")
    if len(tail) > _DELETION_MARK_MAX:
        return False
    hits = deleted.finditer(tail)
    return bool(hits) and hits[0][0] == 0 and hits[0][1] == len(tail)


def leaf_heading(doc: Document, block: PlacedBlock) -> PlacedBlock | None:
    """The heading that opens the section a block sits in, if it is near."""
    for i in range(block.index - 1, max(-1, block.index - 1 - _SCOPE_MAX_BLOCKS), -1):
        other = doc.blocks[i]
        if other.section_path != block.section_path:
            return None
        if other.is_heading:
            return other
    return None


def content_words_of(text: str) -> set[str]:
    return set(_LONG_WORDS.findall(text.lower()))
