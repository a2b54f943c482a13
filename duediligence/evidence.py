"""Finds the passages of a document that address a criterion, and judges each one.

A passage is a sentence (or block) matching one of the criterion's topic rules, or a
sentence that closely resembles a sentence of the model clause (rapidfuzz), which finds
copies that were reworded slightly or damaged by OCR. Each passage is then judged on where
it sits and how it is worded:

- *discounted* when it cannot oblige anyone: a preamble, legal-basis or exclusion-ground
  section, a trap (look-alike word, exclusion-ground boilerplate, sensitising text), a
  negation ("niet van toepassing") or a policy statement of the authority;
- *capped* (weak at most) when it lives only in award or selection criteria;
- *binding* when its section or its own wording obliges the contractor and no weak wording
  ("bij voorkeur", "dans la mesure du possible", "where possible") softens it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz, process

from .library import Criterion
from .matchers import CompiledTrap, Matchers
from .model import BINDING_SECTIONS, BlockKind, Document, Match, PlacedBlock, SectionKind
from .nlp import sentence_spans
from .terms import CompiledSet

NON_BINDING_SECTIONS = {
    SectionKind.PREAMBLE: "section:preamble",
    SectionKind.LEGAL: "section:legal",
    SectionKind.EXCLUSION: "section:exclusion",
}
CAPPED_SECTIONS = {SectionKind.AWARD: "award", SectionKind.SELECTION: "selection"}
FUZZY_THRESHOLD = 82.0
_FUZZY_MIN_CHARS = 60
_CLAUSE_MAX_BLOCKS = 14
_CLAUSE_NEIGHBOURS = 2
_LIST_MAX_ITEMS = 12
_SCOPE_MAX_BLOCKS = 30
_FUZZY_MIN_SHARED_WORDS = 4
_WORDS = re.compile(r"\w+")


@dataclass
class Passage:
    start: int
    end: int
    block: PlacedBlock
    matches: list[Match] = field(default_factory=list)
    source: str = "terms"
    model_sentence: str | None = None
    modality: str = "neutral"
    discount: str | None = None
    capped: str | None = None
    weakened: str | None = None  # the trap that leaves the clause partial ("minstens één product")
    obliges: bool = False  # the sentence's own words oblige ("moet", "shall"), not only its place or subject

    @property
    def counted(self) -> bool:
        return self.discount is None

    @property
    def binding(self) -> bool:
        if not self.counted or self.capped or self.modality == "weak":
            return False
        return self.block.section_kind in BINDING_SECTIONS or self.modality == "binding"


class DocumentIndex:
    """Sentence spans per block, computed on demand and shared by all criteria."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._sentences: dict[int, list[tuple[int, int]]] = {}
        self._hits: dict[int, tuple[CompiledSet, list[tuple[int, int, str]]]] = {}
        self._content_words: dict[int, set[str]] = {}
        self._found: dict[tuple[int, int, int], tuple[CompiledSet, bool]] = {}
        self._deleted: dict[int, bool] = {}
        self._self_describing: dict[int, list[tuple[int, int]]] = {}
        self._describes: dict[tuple[int, int], tuple[CompiledSet, bool]] = {}

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

    @cached_property
    def annexes(self) -> frozenset[str]:
        """The annexes whose text is in the document: a heading opens them ("Bijlage 5 –
        Verklaring op eer", "Annexe III", "Annex C"). A reference to any other annex points
        outside the document."""
        found = set()
        for b in self.doc.blocks:
            if b.is_heading:
                m = _ANNEX_HEADING.match(b.text)
                if m:
                    found.add(_annex_id(m.group(1)))
        return frozenset(found)

    def is_declaration(self, block: PlacedBlock) -> bool:
        """Whether the block sits in a declaration to be signed (verklaring op eer, déclaration
        sur l'honneur, declaration on honour): its first person is the tenderer."""
        return any(_DECLARATION.search(h) for h in block.section_path)

    def hits(self, cs: CompiledSet) -> list[tuple[int, int, str]]:
        """Every match of a term set in the whole document, found once: trap masks and
        subject words are needed by applicability and evidence alike, and a scan of a
        100-page tender costs tens of milliseconds."""
        held = self._hits.get(id(cs))
        if held is None or held[0] is not cs:
            held = self._hits[id(cs)] = (cs, cs.finditer(self.doc.text))
        return held[1]

    def content_words(self, block: PlacedBlock) -> set[str]:
        """The block's long words, which every criterion's fuzzy prefilter compares."""
        words = self._content_words.get(block.index)
        if words is None:
            words = self._content_words[block.index] = _content_words(block.text)
        return words

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
_ANNEX_HEADING = re.compile(r"^\W*(?:bijlage|annexe|annex|appendix|appendice)\s*(?:nr\.?|n°|no\.?)?\s*" + _ANNEX_ID, re.IGNORECASE)
# A pointer that leaves the content to the annex ("de clausule van bijlage 5", "voir l'annexe III",
# "as set out in Annex C"); "in het offerteformulier (bijlage A)" only says where a form is signed.
_ANNEX_REFERENCE = re.compile(
    r"\b(?:zie|in|van|volgens|overeenkomstig|conform|opgenomen\s+in|vermeld\s+in|beschreven\s+in|als|"
    r"voir|à|en|de|selon|conformément\s+à|figurant\s+à|reprises?\s+à|jointe?s?\s+en|cf\.?|"
    r"see|of|under|per|set\s+out\s+in|in\s+accordance\s+with|attached\s+as|as)\s+"
    r"(?:de\s+|het\s+|l['’]|the\s+)?(?:bijlage|annexe|annex|appendix|appendice)\s*(?:nr\.?|n°|no\.?)?\s*" + _ANNEX_ID,
    re.IGNORECASE,
)
_DECLARATION = re.compile(
    r"verklaring\s+op\s+(?:eer|erewoord)|verbintenis|engagement|d[ée]claration\s+sur\s+l.honneur|"
    r"declaration\s+(?:on|of)\s+honou?r|undertaking|statement\s+of\s+compliance|self-declaration",
    re.IGNORECASE,
)
_FIRST_PERSON = frozenset({"wij", "nous", "we"})


def _annex_id(raw: str) -> str:
    return raw.upper()


def annex_references(sentence: str) -> list[str]:
    """The annexes a sentence points to ("bijlage 5", "l'annexe III", "Annex C")."""
    return [_annex_id(m.group(1)) for m in _ANNEX_REFERENCE.finditer(sentence)]


_BULLET = re.compile(r"^\s*(?:[-–•·▪◦*]|[a-z]\)|\d{1,2}[.)]|[ivx]{1,4}\))\s")


def _is_list_item(block: PlacedBlock) -> bool:
    return not block.is_heading and (block.block.kind is BlockKind.LIST_ITEM or _BULLET.match(block.text) is not None)


def _leads_in(block: PlacedBlock) -> bool:
    return not block.is_heading and block.text.rstrip().endswith(":")


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


def _unmasked(cs: CompiledSet, text: str, start: int, end: int, masks: Masks) -> list[tuple[int, int, str]]:
    return [m for m in cs.finditer(text, start, end) if masks.covering(m[0], m[1]) is None]


def find_passages(index: DocumentIndex, criterion: Criterion, matchers: Matchers, tender: bool = True) -> list[Passage]:
    """Every passage addressing `criterion`, judged; masked look-alikes come back discounted.

    In a document that does not read as a tender (`tender` false: a news item, a policy page,
    a brochure) only clause text counts, a sentence that obliges the contractor by name."""
    doc = index.doc
    traps = matchers.traps(criterion)
    masks = mask_spans(index, traps)
    found: dict[tuple[int, int], Passage] = {}

    for rule in criterion.topic:
        sets = matchers.sets(criterion, rule.sets)
        for s, e, term in index.hits(sets[0]):
            located = index.sentence_at(s)
            if located is None:
                continue
            block, ss, se = located
            trap_id = masks.covering(s, e)
            if trap_id is not None:  # shown as the look-alike's own sentence
                if (ss, se) not in found:
                    found[(ss, se)] = Passage(ss, se, block, [Match(s, e, term)], discount=f"trap:{trap_id}")
                continue
            if rule.window == "block" and block.is_heading:
                # "19. Bancs en pierre bleue" ... "la pierre n'a pas été taillée par des enfants":
                # the heading names the subject for the blocks of its section.
                for body in section_body(doc, block):
                    _add_passage(found, doc.text, body, body.start, body.end, None, sets[1:], masks)
                continue
            if rule.window == "block":
                ss, se = block.start, block.end
            else:
                ss, se = index.list_unit(block, ss, se)
            _add_passage(found, doc.text, block, ss, se, Match(s, e, term), sets[1:], masks)

    for passage in _fuzzy_passages(index, criterion, set(found)):
        found[(passage.start, passage.end)] = passage

    passages = sorted(found.values(), key=lambda p: p.start)
    for p in passages:
        if p.discount is None:
            _judge(p, index, traps, matchers)
        if p.discount is None and not tender and not _contractor_is_subject(doc.text[p.start : p.end], matchers.modality["contractor"]):
            p.discount = "not-a-tender"
        # ties on the start broken by end and term: set order would change with the hash seed
        p.matches = sorted(set(p.matches), key=lambda m: (m.start, m.end, m.term))
    return passages


def _add_passage(found: dict[tuple[int, int], Passage], text: str, block: PlacedBlock, start: int, end: int,
                 anchor: Match | None, others: list[CompiledSet], masks: Masks) -> None:
    """Record the passage start-end when every other set of the rule has a term in it."""
    hits = [_unmasked(cs, text, start, end, masks) for cs in others]
    if not all(hits):
        return
    passage = found.get((start, end))
    if passage is None or passage.discount is not None:
        passage = found[(start, end)] = Passage(start, end, block)
    if anchor is not None:
        passage.matches.append(anchor)
    for set_hits in hits:
        passage.matches.extend(Match(a, b, t) for a, b, t in set_hits[:1])


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


def defer_to_more_specific(
    doc: Document, own: list[Passage], specific: list[tuple[Criterion, list[Passage]]], matchers: Matchers
) -> None:
    """Discount passages that are part of another, more specific criterion's clause.

    A natural-stone clause that mentions child labour belongs to TruStone; counting it as the
    general human-rights clause would let a stone clause pass for a clause on the whole
    contract. A passage is part of that clause when it shares a block with one of its
    passages, or sits in a section whose heading names that criterion's subject
    ("9. Verantwoorde natuursteen").
    """
    for criterion, passages in specific:
        # Only the other criterion's own words claim a block: a sentence that merely resembles
        # its model clause ("binnen dertig dagen een actieplan ... de opdracht verbreken") is
        # phrasing every clause shares, not a sign that the block is that criterion's clause.
        counted = [q for q in passages if q.counted and q.source == "terms"]
        blocks = {q.block.index for q in counted}
        sections = {q.block.section_path for q in counted if _heading_names(doc, q.block, criterion, matchers)}
        for p in own:
            if p.counted and (p.block.index in blocks or p.block.section_path in sections):
                p.discount = f"covered-by:{criterion.id}"


def _heading_names(doc: Document, block: PlacedBlock, criterion: Criterion, matchers: Matchers) -> bool:
    return bool(block.section_path) and names_criterion(block.section_path[-1], criterion, matchers)


def names_criterion(heading: str, criterion: Criterion, matchers: Matchers) -> bool:
    """Whether a heading speaks of the criterion's subject ("Verantwoorde natuursteen")."""
    return any(matchers.criterion_set(criterion, name).search(heading) for name in criterion.vocabulary)


def clause_scope(doc: Document, block: PlacedBlock, criterion: Criterion, matchers: Matchers) -> tuple[str, ...] | None:
    """The section path of the heading that announces the clause: the passage's parent heading
    or its own (never the document title), when that heading names the criterion. The parent
    is tried first: under "12. Verantwoorde natuursteen", "12.2 Gepaste zorgvuldigheid" is
    one part of the clause, not all of it."""
    path = block.section_path
    title = opening_heading(doc)
    for depth in (len(path) - 2, len(path) - 1):
        if depth >= 0 and path[depth] != title and names_criterion(path[depth], criterion, matchers):
            return path[: depth + 1]
    return None


def opening_heading(doc: Document) -> str | None:
    """The heading that opens the document and names it ("Bestek 2025-12 – Natuursteen voor het
    dorpsplein"): a scope over it would be the whole document."""
    first = next((b for b in doc.blocks[:3] if b.is_heading), None)
    return first.section_path[-1] if first is not None and len(first.section_path) == 1 else None


def _judge(p: Passage, index: DocumentIndex, traps: tuple[CompiledTrap, ...], matchers: Matchers) -> None:
    doc = index.doc
    text = doc.text
    kind = p.block.section_kind
    if p.block.is_heading:
        p.discount = "heading"
        return
    if kind in NON_BINDING_SECTIONS:
        p.discount = NON_BINDING_SECTIONS[kind]
        return
    if index.is_deleted(p.block, matchers.common("deleted")):
        p.discount = "deleted"
        return
    if any(ref not in index.annexes for ref in annex_references(text[p.start : p.end])):
        # "leeft de clausule van bijlage 5 na" while bijlage 5 is supplied later or separately:
        # the clause the sentence points to is not in this document.
        p.discount = "annex-absent"
        return
    softened = False
    for ct in traps:
        if kind.value in ct.trap.except_in:
            continue
        paragraph = ct.trap.reach == "paragraph"
        actors = (matchers.modality["authority"], matchers.modality["contractor"])
        if any(
            index.found_in(cs, p.start, p.end) or (paragraph and index.says_of_itself(p.block, cs, actors))
            for cs in ct.context
        ) and not any(cs.search(text, p.start, p.end) for cs in ct.unless):
            if ct.trap.effect == "weaken":
                softened = True
                p.weakened = ct.trap.id
                continue
            p.discount = f"trap:{ct.trap.id}"
            return
    m = matchers.modality
    if m["negation"].search(text, p.start, p.end):
        p.discount = "negated"
        return
    has = {name: cs.search(text, p.start, p.end) for name, cs in m.items() if name != "negation"}
    if not has["contractor"] and not has["authority"]:
        has["contractor"] = _pronoun_for_contractor(index, p, matchers)
    p.obliges = has["binding"]
    if kind is SectionKind.ANNEX and index.is_declaration(p.block):
        # "Je soussigné ... m'engage", "We undertake": in a declaration the first person is the
        # tenderer signing it, not the authority.
        has["contractor"] = True
        has["authority"] = any(t.lower() not in _FIRST_PERSON for _s, _e, t in m["authority"].finditer(text, p.start, p.end))
    binding_section = kind in BINDING_SECTIONS
    if has["authority"] and not has["contractor"]:
        # The authority speaking of itself: a policy or a wish, unless it demands something
        # of the contractor, or the sentence is a plain rule in the binding part.
        demands = has["binding"] and has["authority_demands"]
        # "Le pouvoir adjudicateur souhaite que les véhicules soient, de préférence, électriques"
        # in the execution part is a soft requirement on what is delivered, not the authority's policy
        wish = binding_section and has["weak"]
        if not demands and not wish and (has["policy"] or not binding_section):
            p.discount = "policy-statement"
            return
    if kind in CAPPED_SECTIONS:
        p.capped = CAPPED_SECTIONS[kind]
    elif has["award"] and not binding_section:
        p.capped = "award"
    sentence = text[p.start : p.end]
    weak = softened or has["weak"] or (has["weak_modal"] and has["contractor"] and not has["authority"] and not has["binding"])
    if binding_section:
        # The place binds: plain statements ("Alle koffie is fairtrade") are rules here.
        p.modality = "weak" if weak else "binding" if has["binding"] or has["contractor"] else "neutral"
        return
    if sentence.rstrip().endswith("?"):
        p.discount = "descriptive"
    elif weak and (has["contractor"] or has["binding"] or p.capped):
        p.modality = "weak"
    elif _contractor_is_subject(sentence, m["contractor"]) or (has["binding"] and not has["authority"]):
        p.modality = "binding"
    elif not p.capped:
        # Outside the binding parts, a sentence that obliges no one only describes
        # ("Een mensenrechtenclausule verplicht de opdrachtnemer ...", "Vraag leveranciers ...").
        p.discount = "descriptive"


_DELETION_LEAD = ":–—-([/"


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


def leaf_heading(doc: Document, block: PlacedBlock) -> PlacedBlock | None:
    """The heading that opens the section a block sits in, if it is near."""
    for i in range(block.index - 1, max(-1, block.index - 1 - _SCOPE_MAX_BLOCKS), -1):
        other = doc.blocks[i]
        if other.section_path != block.section_path:
            return None
        if other.is_heading:
            return other
    return None


_SUBJECT_LEAD = re.compile(
    r"^[\W\d]*(?:[a-z]\)\s*)?(?:(?:de|het|elke|iedere|alle|le|la|les|l'|l’|chaque|tout|toute|tous|the|each|every|any|"
    r"a|an|een|un|une)\s*)?$",
    re.IGNORECASE,
)


def _pronoun_for_contractor(index: DocumentIndex, p: Passage, matchers: Matchers) -> bool:
    """Whether the passage opens with a pronoun ("Il est encouragé à privilégier ...") right
    after a sentence of its paragraph whose subject is the contractor ("L'adjudicataire
    organise ...")."""
    text = index.doc.text
    lead = matchers.common("pronoun_lead").finditer(text, p.start, min(p.end, p.start + 12))
    if not lead or text[p.start : lead[0][0]].strip():
        return False
    sentences = index.sentences(p.block)
    at = bisect.bisect_right(sentences, (p.start, p.start)) - 1  # the passage's own sentence, or the one before it
    while at >= 0 and sentences[at][1] > p.start:
        at -= 1
    return at >= 0 and _contractor_is_subject(text[sentences[at][0] : sentences[at][1]], matchers.modality["contractor"])


def _contractor_is_subject(sentence: str, contractor: CompiledSet) -> bool:
    """Whether the sentence opens with the contractor ("De opdrachtnemer respecteert ...").

    Without a parser for Dutch, position is the cue: legal drafting puts the obliged party
    first, while descriptions and advice mention it as an object.
    """
    if sentence[:1].islower():  # a fragment of a broken line, not a sentence of its own
        return False
    hits = contractor.finditer(sentence)
    return bool(hits) and _SUBJECT_LEAD.match(sentence[: hits[0][0]]) is not None


def _model_sentences(criterion: Criterion, lang: str) -> list[str]:
    text = criterion.model_clause.get(lang)
    return [text[a:b].strip() for a, b in sentence_spans(text, lang) if b - a >= _FUZZY_MIN_CHARS]


def _content_words(text: str) -> set[str]:
    return {w for w in _WORDS.findall(text.lower()) if len(w) >= 6}


def _fuzzy_passages(index: DocumentIndex, criterion: Criterion, known: set[tuple[int, int]]) -> list[Passage]:
    """Sentences that closely resemble a model-clause sentence but matched no topic term."""
    doc = index.doc
    model = _model_sentences(criterion, doc.language)
    if not model:
        return []
    vocabulary = set().union(*(_content_words(s) for s in model))
    out = []
    for block in doc.blocks:
        if block.is_heading or block.end - block.start < _FUZZY_MIN_CHARS or block.section_kind in NON_BINDING_SECTIONS:
            continue
        # Cheap prefilter: a copy of a model sentence, even OCR-damaged, keeps several of its
        # long words intact; blocks sharing fewer are not split into sentences at all.
        if len(index.content_words(block) & vocabulary) < _FUZZY_MIN_SHARED_WORDS:
            continue
        for s, e in index.sentences(block):
            if e - s < _FUZZY_MIN_CHARS or (s, e) in known:
                continue
            best = process.extractOne(doc.text[s:e], model, scorer=fuzz.ratio, processor=str.lower, score_cutoff=FUZZY_THRESHOLD)
            if best is not None:
                out.append(Passage(s, e, block, source=f"fuzzy:{best[1]:.0f}", model_sentence=best[0]))
    return out
