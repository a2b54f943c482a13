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
from dataclasses import dataclass, replace
from enum import Enum
from functools import lru_cache

from rapidfuzz import fuzz, process

from .index import (
    DocumentIndex,
    Masks,
    annex_references,
    content_words_of,
    mask_spans,
    opening_heading,
    section_body,
)
from .languages import language_pattern, words
from .library import Criterion
from .matchers import CompiledTrap, Matchers
from .model import BINDING_SECTIONS, Discount, DiscountKind, Document, Match, PlacedBlock, SectionKind
from .nlp import sentence_spans
from .terms import CompiledSet

# Parts whose sentences bind no one, and parts where a clause is weak at most.
NON_BINDING_SECTIONS = frozenset({SectionKind.PREAMBLE, SectionKind.LEGAL, SectionKind.EXCLUSION})
CAPPED_SECTIONS = frozenset({SectionKind.AWARD, SectionKind.SELECTION})
FUZZY_THRESHOLD = 82.0
_FUZZY_MIN_CHARS = 60
_FUZZY_MIN_SHARED_WORDS = 4


class Modality(str, Enum):
    """How a counted passage's own wording obliges."""

    NEUTRAL = "neutral"
    BINDING = "binding"
    WEAK = "weak"


@dataclass(frozen=True)
class Judgement:
    """What judging decided of a passage, once: later stages read it and never change it."""

    discount: Discount | None = None  # why it does not count; None when it counts
    modality: Modality = Modality.NEUTRAL
    capped: SectionKind | None = None  # weak at most: it lives in the award or selection criteria
    weakened: str | None = None  # the trap that leaves the clause partial ("minstens één product")
    obliges: bool = False  # the sentence's own words oblige ("moet", "shall"), not only its place or subject
    scope: str | None = None  # part of this other criterion's clause: counts for that chain only


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    block: PlacedBlock
    matches: tuple[Match, ...] = ()
    resemblance: float | None = None  # the fuzzy score, when found by resembling a model sentence
    model_sentence: str | None = None
    judgement: Judgement = Judgement()

    @property
    def discount(self) -> Discount | None:
        return self.judgement.discount

    @property
    def modality(self) -> Modality:
        return self.judgement.modality

    @property
    def capped(self) -> SectionKind | None:
        return self.judgement.capped

    @property
    def weakened(self) -> str | None:
        return self.judgement.weakened

    @property
    def scope(self) -> str | None:
        return self.judgement.scope

    @property
    def obliges(self) -> bool:
        return self.judgement.obliges

    @property
    def counted(self) -> bool:
        return self.discount is None

    @property
    def binding(self) -> bool:
        if not self.counted or self.capped or self.modality is Modality.WEAK:
            return False
        return self.block.section_kind in BINDING_SECTIONS or self.modality is Modality.BINDING


def _unmasked(cs: CompiledSet, text: str, start: int, end: int, masks: Masks) -> list[tuple[int, int, str]]:
    return [m for m in cs.finditer(text, start, end) if masks.covering(m[0], m[1]) is None]


def find_passages(index: DocumentIndex, criterion: Criterion, matchers: Matchers, tender: bool = True) -> list[Passage]:
    """Every passage addressing `criterion`, judged; masked look-alikes come back discounted.

    In a document that does not read as a tender (`tender` false: a news item, a policy page,
    a brochure) only clause text counts, a sentence that obliges the contractor by name."""
    doc = index.doc
    traps = matchers.traps(criterion)
    masks = mask_spans(index, traps)
    referral = matchers.common("referral")
    found: dict[tuple[int, int], _Found] = {}

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
                    found[(ss, se)] = _Found(block, [Match(s, e, term)], Discount(DiscountKind.TRAP, trap_id))
                continue
            if rule.window == "block" and not block.is_heading and index.found_in(referral, ss, se):
                # "Voor natuursteen geldt bovendien artikel 4.2" closes a human-rights paragraph:
                # it sends the stone to its own article, and the paragraph is not about stone
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

    # ties on the start broken by end and term: set order would change with the hash seed
    passages = [Passage(s, e, f.block, tuple(sorted(set(f.matches), key=lambda m: (m.start, m.end, m.term))),
                        judgement=Judgement(f.discount)) for (s, e), f in found.items()]
    passages += _fuzzy_passages(index, criterion, set(found), matchers)
    judged = []
    for p in sorted(passages, key=lambda p: p.start):
        if p.discount is None:
            p = replace(p, judgement=_judge(p, index, traps, matchers))
        if p.discount is None and not tender and not _contractor_is_subject(doc.text[p.start : p.end], matchers.modality["contractor"]):
            p = replace(p, judgement=replace(p.judgement, discount=Discount(DiscountKind.NOT_A_TENDER)))
        judged.append(p)
    return judged


@dataclass
class _Found:
    """A span being gathered into a passage: its block, the matches found in it so far, and
    a discount when it was found as a masked look-alike."""

    block: PlacedBlock
    matches: list[Match]
    discount: Discount | None = None


def _add_passage(found: dict[tuple[int, int], _Found], text: str, block: PlacedBlock, start: int, end: int,
                 anchor: Match | None, others: list[CompiledSet], masks: Masks) -> None:
    """Record the passage start-end when every other set of the rule has a term in it."""
    hits = [_unmasked(cs, text, start, end, masks) for cs in others]
    if not all(hits):
        return
    passage = found.get((start, end))
    if passage is None or passage.discount is not None:
        passage = found[(start, end)] = _Found(block, [])
    if anchor is not None:
        passage.matches.append(anchor)
    for set_hits in hits:
        passage.matches.extend(Match(a, b, t) for a, b, t in set_hits[:1])


# the items before or after a term in an enumeration of three goods or more: "the equipment,
# timber and natural stone", "natural stone, timber and textiles"; items of four letters or more,
# so that "quarry or plant" or ", à savoir" is no enumeration of goods
_ART = r"(?:(?:the|de|het|la|le|les|des|du)\s++|l['’])?"
# possessive, and starting only where a word starts: each try stops at the first character that
# does not fit, so a long run of letters or spaces is read once (tests/test_linear_patterns.py)
_ITEM = r"(?<![\w-])([^\W\d][\w'’-]{3,}+)"
_ITEMS_BEFORE = re.compile(rf"{_ITEM}\s*+,\s*+{_ART}{_ITEM}\s++(?:and|or|en|of|et|ou)\s++{_ART}$", re.IGNORECASE)
_ITEMS_AFTER = re.compile(rf"(?<!\s)\s*+,\s*+{_ART}{_ITEM}\s*+(?:,|\b(?:and|or|en|of|et|ou)\b)\s*+{_ART}{_ITEM}",
                          re.IGNORECASE)
_ITEM_REACH = 60


def _names_alone(text: str, start: int, end: int, anchors: list[CompiledSet]) -> bool:
    """Whether text[start:end] names the other criterion's subject as what it is about, not as one
    of several goods: "how they ensure that the equipment, timber and natural stone they supply
    are produced with respect for human rights" speaks of every supply chain, the stone's among
    them; "que les pierres et les pavés ..." or "porphyre et pierre bleue" name stone only."""
    hits = [(s, e) for cs in anchors for s, e, _t in cs.finditer(text, start, end)]

    def anchored(a: int, b: int) -> bool:
        return any(s < b and a < e for s, e in hits)

    for s, e in hits:
        before = _ITEMS_BEFORE.search(text, max(start, s - _ITEM_REACH), s)
        after = _ITEMS_AFTER.match(text, e, min(len(text), e + _ITEM_REACH))
        others = [m.span(i) for m in (before, after) if m is not None for i in (1, 2)]
        if not others or all(anchored(a, b) for a, b in others):
            return True
    return False


def defer_to_more_specific(
    doc: Document, criterion: Criterion, own: list[Passage], specific: list[tuple[Criterion, list[Passage]]],
    matchers: Matchers,
) -> list[Passage]:
    """`own` (the passages of `criterion`), with those that are part of another, more specific
    criterion's clause discounted, or limited to that clause's chain.

    A natural-stone clause that mentions child labour belongs to TruStone; counting it as the
    general human-rights clause would let a stone clause pass for a clause on the whole
    contract. A passage is part of that clause when it shares a block with one of its
    passages and that block names the other criterion's subject by the end of this criterion's
    first sentence there, or when it sits in a section whose heading names that subject
    ("9. Verantwoorde natuursteen"). When its paragraph also carries this criterion's own duty
    (`deferred_counts_with`: "due diligence following the UN Guiding Principles and the ILO
    conventions" for the stone), the passage still counts here, for that chain only.
    """
    own_duty = [matchers.criterion_set(criterion, name) for name in criterion.deferred_counts_with]
    duty_in_block: dict[int, bool] = {}  # asked once per block, however many of its passages defer

    def carries_duty(block: PlacedBlock) -> bool:
        if block.index not in duty_in_block:
            duty_in_block[block.index] = bool(own_duty) and all(cs.search(doc.text, block.start, block.end) for cs in own_duty)
        return duty_in_block[block.index]

    def limited(p: Passage, other: str) -> Passage:
        if carries_duty(p.block):
            return replace(p, judgement=replace(p.judgement, scope=other))
        return replace(p, judgement=replace(p.judgement, discount=Discount(DiscountKind.COVERED_BY, other)))

    for other, passages in specific:
        # Only the other criterion's own words claim a block: a sentence that merely resembles
        # its model clause ("binnen dertig dagen een actieplan ... de opdracht verbreken") is
        # phrasing every clause shares, not a sign that the block is that criterion's clause.
        counted = [q for q in passages if q.counted and q.resemblance is None]
        # A paragraph is the other criterion's clause when it names that criterion's subject by
        # the end of this criterion's first sentence in it: "De aannemer garandeert dat de
        # geleverde natuursteen ... zonder schending van de mensenrechten" is a stone clause; "De
        # aannemer respecteert de mensenrechten ... ; voor natuursteen gelden daarenboven de
        # bepalingen van 3.4" is a human-rights clause that sends the stone to its own clause.
        anchors = [matchers.criterion_set(other, name) for name in other.subject_set_names()]
        mine: dict[int, tuple[int, int]] = {}  # block -> (start, end) of this criterion's first passage in it
        for p in own:
            if p.counted and (p.start, p.end) < mine.get(p.block.index, (p.start + 1, 0)):
                mine[p.block.index] = (p.start, p.end)
        blocks = {q.block.index for q in counted if q.block.index not in mine
                  or _names_alone(doc.text, q.block.start, mine[q.block.index][1], anchors)}
        # A heading that names both ("Mensenrechten in de toeleveringsketen; verantwoorde
        # natuursteen") heads a joint clause: its paragraphs go by their own words, not the heading's.
        sections = {q.block.section_path for q in counted if _heading_names(q.block, other, matchers)
                    and not _heading_names(q.block, criterion, matchers)}
        # A list read as one passage (a lead-in and its items, each item a block of its own) is
        # the other criterion's when it names that criterion's subject before this one's first
        # match: "in welke mate de bank: uitsluitingscriteria hanteert voor ... wapens; ...
        # schendingen van de mensenrechten vermijdt" is the bank's policy, item by item.
        lists = {(q.start, q.end) for q in counted if q.start < q.block.start or q.end > q.block.end}

        def in_their_list(p: Passage) -> bool:
            return ((p.start, p.end) in lists and bool(p.matches)
                    and any(cs.search(doc.text, p.start, p.matches[0].start) for cs in anchors))

        own = [limited(p, other.id) if p.counted and p.scope is None
               and (p.block.index in blocks or p.block.section_path in sections or in_their_list(p)) else p for p in own]
    return own


def _heading_names(block: PlacedBlock, criterion: Criterion, matchers: Matchers) -> bool:
    """Whether the passage's heading names the other criterion's own subject (its
    `subject_sets`: the stone, the TruStone names). The words a stone clause
    shares with a human-rights clause ("human rights and working conditions") name no stone, so
    a buyer's own human-rights article that mentions the stone is not handed to TruStone."""
    return bool(block.section_path) and matchers.names(criterion, block.section_path[-1], criterion.subject_set_names())


def names_criterion(heading: str, criterion: Criterion, matchers: Matchers) -> bool:
    """Whether a heading speaks of the criterion's subject ("Verantwoorde natuursteen")."""
    return matchers.names(criterion, heading)


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


def _points_outside(p: Passage, index: DocumentIndex, not_enclosed: CompiledSet) -> bool:
    """Whether what the passage says is in a text the document does not enclose: the sentence
    that says so ("Het charter wordt niet bij dit document gevoegd", "Ce code lui sera communiqué
    ultérieurement") speaks of itself and of the sentence before it. Other sentences of the
    paragraph stand on their own: "vermeldt de aannemer het land van herkomst van de steen ...
    Een modelverklaring wordt bij de startvergadering bezorgd (Bijlage 6, niet bij dit bestek
    gevoegd)" asks for the origin here, whatever the model declaration says."""
    block = p.block
    found = index.matches_in(not_enclosed, block.start, block.end)
    if not found:
        return False
    spans = index.sentences(block)

    def sentence_of(offset: int) -> int:
        return bisect.bisect_right(spans, (offset, 1 << 62)) - 1

    cues = {sentence_of(s) for s, _e, _t in found}
    outside = cues | {i - 1 for i in cues}
    return all(sentence_of(o) in outside for o in ([m.start for m in p.matches] or [p.start]))


def _judge(p: Passage, index: DocumentIndex, traps: tuple[CompiledTrap, ...], matchers: Matchers) -> Judgement:
    """What the passage's place and wording make of it."""
    text = index.doc.text
    kind = p.block.section_kind
    if p.block.is_heading:
        return Judgement(Discount(DiscountKind.HEADING))
    if kind in NON_BINDING_SECTIONS:
        return Judgement(Discount(DiscountKind.SECTION, kind.value))
    deleted = matchers.common("deleted")
    if index.is_deleted(p.block, deleted) or index.struck_out(p.block, p.end, deleted):
        return Judgement(Discount(DiscountKind.DELETED))
    if (any(ref not in index.annexes for ref in annex_references(text[p.start : p.end]))
            or _points_outside(p, index, matchers.common("not_enclosed"))):
        # "leeft de clausule van bijlage 5 na" while bijlage 5 is supplied later or separately, or
        # "ondertekent het charter ... Het charter wordt niet bij dit document gevoegd": the clause
        # the sentence points to is not in this document.
        return Judgement(Discount(DiscountKind.ANNEX_ABSENT))
    weakened = None
    actors = (matchers.modality["authority"], matchers.modality["contractor"])
    spans = _context_spans(p, index)
    for ct in traps:
        if kind.value in ct.trap.except_in:
            continue
        paragraph = ct.trap.reach == "paragraph"
        # a trap that weakens does so from anywhere in the passage ("seule la houille est exclue")
        where = spans if ct.trap.effect != "weaken" else [(p.start, p.end)]
        if (all(any(index.found_in(cs, s, e) for cs in ct.context) for s, e in where)
                or (paragraph and any(index.says_of_itself(p.block, cs, actors) for cs in ct.context))
                ) and not any(cs.search(text, p.start, p.end) for cs in ct.unless):
            if ct.trap.effect == "weaken":
                weakened = ct.trap.id
                continue
            return Judgement(Discount(DiscountKind.TRAP, ct.trap.id))
    m = matchers.modality
    if m["negation"].search(text, p.start, p.end):
        return Judgement(Discount(DiscountKind.NEGATED))
    if matchers.common("elsewhere").search(text, p.start, p.end):
        # "Le café ... est acheté par la Ville auprès d'un fournisseur du commerce équitable dans le
        # cadre d'un marché distinct": what another contract buys binds no one under this one
        return Judgement(Discount(DiscountKind.ELSEWHERE))
    has = _InPassage(m, text, p.start, p.end)
    if not has["contractor"] and not has["authority"]:
        has["contractor"] = _pronoun_for_contractor(index, p, matchers)
    declaration = kind is SectionKind.ANNEX and index.is_declaration(p.block)
    if declaration:
        # "Je soussigné ... m'engage", "We undertake": in a declaration the first person is the
        # tenderer signing it, not the authority.
        has["contractor"] = True
        has["authority"] = any(t.lower() not in words("first_person") for _s, _e, t in m["authority"].finditer(text, p.start, p.end))
    # What the tenderer signs are its undertakings: "L'entreprise respecte ... les droits humains"
    # binds there as a plain rule binds in the execution part.
    binding_section = kind in BINDING_SECTIONS or declaration
    if has["authority"] and not has["contractor"] and kind is not SectionKind.AWARD:
        # The authority speaking of itself: a policy or a wish, unless it demands something
        # of the contractor, or the sentence is a plain rule in the binding part. Among the award
        # criteria it says what it scores ("Het AGB beoordeelt in het bijzonder: ..."): an award
        # criterion, weak at most, not a policy.
        demands = has["binding"] and has["authority_demands"]
        # "Le pouvoir adjudicateur souhaite que les véhicules soient, de préférence, électriques"
        # in the execution part is a soft requirement on what is delivered, not the authority's policy
        wish = binding_section and has["weak"]
        if not demands and not wish and (has["policy"] or not binding_section):
            return Judgement(Discount(DiscountKind.POLICY))
    capped = kind if kind in CAPPED_SECTIONS else SectionKind.AWARD if not binding_section and has["award"] else None
    judged = Judgement(capped=capped, weakened=weakened, obliges=has["binding"])
    sentence = text[p.start : p.end]
    soft = _soft_list(p, index, m["weak"], spans) if _read_as_list(p) else has["weak"]
    weak = weakened is not None or soft or (
        has["contractor"] and not has["authority"] and not has["binding"] and has["weak_modal"])
    if sentence.rstrip().endswith("?"):
        # a question obliges no one, in a binding part too ("Welke bewijskracht hebben die
        # documenten ... dat de geleverde steen niet uit de vermelde groeve afkomstig is?")
        return replace(judged, discount=Discount(DiscountKind.DESCRIPTIVE))
    if binding_section:
        # The place binds: plain statements ("Alle koffie is fairtrade") are rules here.
        modality = Modality.WEAK if weak else Modality.BINDING if has["binding"] or has["contractor"] else Modality.NEUTRAL
        return replace(judged, modality=modality)
    if weak and (has["contractor"] or has["binding"] or capped):
        return replace(judged, modality=Modality.WEAK)
    if _contractor_is_subject(sentence, m["contractor"]) or (has["binding"] and not has["authority"]):
        return replace(judged, modality=Modality.BINDING)
    if not capped:
        # Outside the binding parts, a sentence that obliges no one only describes
        # ("Een mensenrechtenclausule verplicht de opdrachtnemer ...", "Vraag leveranciers ...").
        return replace(judged, discount=Discount(DiscountKind.DESCRIPTIVE))
    return judged


def _read_as_list(p: Passage) -> bool:
    """Whether the passage is a list read as one (a lead-in and its items, `DocumentIndex.list_unit`),
    reaching past the block of its match."""
    return bool(p.matches) and (p.start < p.block.start or p.end > p.block.end)


def _soft_list(p: Passage, index: DocumentIndex, weak: CompiledSet, spans: list[tuple[int, int]]) -> bool:
    """Whether a list read as one passage is worded as a wish: when its lead-in is, or every item
    that holds its topic (`spans`). "mag enkel intekenen op een coöperatie die aan alle volgende
    eisen voldoet: ... c) geen installaties op fossiele brandstoffen; ... e) 100 % hernieuwbaar,
    met garanties van oorsprong, bij voorkeur voor eigen productie" keeps its rule, though one
    item adds a preference."""
    text = index.doc.text
    lead = index.doc.block_at(p.start)
    if weak.search(text, p.start, lead.end if lead is not None else p.start):
        return True
    return all(weak.search(text, s, e) for s, e in spans)


def _context_spans(p: Passage, index: DocumentIndex) -> list[tuple[int, int]]:
    """Where a discounting trap's context words make a passage boilerplate: the passage itself, or, for a
    list read as one passage (a lead-in and its items, `DocumentIndex.list_unit`), each
    sentence holding one of its topic matches, all of which must hold them: "exclude the
    service provider from future contracts in accordance with Article 69" in the remedy item of
    a six-item declaration does not make the declaration exclusion-ground text."""
    if not _read_as_list(p):
        return [(p.start, p.end)]
    spans = {located[1:] for m in p.matches if (located := index.sentence_at(m.start)) is not None}
    return sorted(spans) or [(p.start, p.end)]


class _InPassage(dict[str, bool]):
    """Whether each modality set has a term in text[start:end], searched when first asked:
    most passages are settled by a few of the nine sets, so the others are never searched."""

    def __init__(self, sets: dict[str, CompiledSet], text: str, start: int, end: int) -> None:
        super().__init__()
        self._sets, self._text, self._start, self._end = sets, text, start, end

    def __missing__(self, name: str) -> bool:
        found = self[name] = self._sets[name].search(self._text, self._start, self._end)
        return found


# «subject_lead»: the words every language pack lets open a sentence before its subject
_SUBJECT_LEAD = r"^[\W\d]*(?:[a-z]\)\s*)?(?:«subject_lead»\s*)?$"


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
    return bool(hits) and language_pattern(_SUBJECT_LEAD).match(sentence[: hits[0][0]]) is not None


@lru_cache(maxsize=64)
def _model_sentences(text: str, lang: str, topic_starts: tuple[CompiledSet, ...]) -> tuple[list[str], frozenset[str]]:
    """A model clause's sentences long enough to resemble and holding a term of `topic_starts`,
    and their long words: found once per clause and language, not for every document of a batch."""
    sentences = [text[a:b].strip() for a, b in sentence_spans(text, lang) if b - a >= _FUZZY_MIN_CHARS]
    sentences = [m for m in sentences if any(cs.search(m, 0, len(m)) for cs in topic_starts)]
    return sentences, frozenset().union(*(content_words_of(s) for s in sentences))


def _fuzzy_passages(index: DocumentIndex, criterion: Criterion, known: set[tuple[int, int]],
                    matchers: Matchers) -> list[Passage]:
    """Sentences that closely resemble a model-clause sentence but matched no topic term: a copy
    whose topic words were damaged (OCR). Only model sentences that hold a topic word are
    resembled; the others ("Niet-conforme producten worden op kosten van de opdrachtnemer
    vervangen") are phrasing every clause shares, and "Niet-conforme borden worden ...
    vervangen" in a traffic-sign supply is no fair-trade clause."""
    doc = index.doc
    text = criterion.model_clause.get(doc.language)
    if not text:
        return []
    starts = tuple(matchers.criterion_set(criterion, rule.sets[0]) for rule in criterion.topic)
    model, vocabulary = _model_sentences(text, doc.language, starts)
    if not model:
        return []
    out = []
    # Cheap prefilter: a copy of a model sentence, even OCR-damaged, keeps several of its
    # long words intact; blocks sharing fewer are not split into sentences at all.
    for block in index.blocks_sharing(vocabulary, _FUZZY_MIN_SHARED_WORDS):
        if block.is_heading or block.end - block.start < _FUZZY_MIN_CHARS or block.section_kind in NON_BINDING_SECTIONS:
            continue
        for s, e in index.sentences(block):
            if e - s < _FUZZY_MIN_CHARS or (s, e) in known:
                continue
            best = process.extractOne(doc.text[s:e], model, scorer=fuzz.ratio, processor=str.lower, score_cutoff=FUZZY_THRESHOLD)
            if best is not None:
                out.append(Passage(s, e, block, resemblance=best[1], model_sentence=best[0]))
    return out
