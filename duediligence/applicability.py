"""Decides whether a criterion applies to what is being bought, with the reasons.

The order of trust: CPV codes the buyer chose, then the words of the title, subject
statement and lots, then repeated mentions in the technical body (bill of quantities).
Look-alikes (natuursteenlook, betonklinkers, parkbank) are removed first, and passages that
are the criterion's own clause never count: a stone clause copied into an ICT tender does
not make that tender buy stone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .index import DocumentIndex, Masks, mask_spans
from .library import Criterion, Group
from .matchers import Matchers
from .model import BlockKind, Document, Reason, SectionKind
from .subject import SubjectText
from .terms import CompiledSet

# Sections whose mentions say nothing about what is bought. The general provisions describe the
# setting ("Niet tot de opdracht behoren: het herstel van de bestaande kasseiweg"); what is bought
# is said in the subject, the technical part, the execution rules and the annexes.
_NOT_SUBJECT = frozenset(
    {SectionKind.PREAMBLE, SectionKind.LEGAL, SectionKind.EXCLUSION, SectionKind.SELECTION, SectionKind.AWARD,
     SectionKind.GENERAL}
)

# Distinct tender words a text with no tender section (award, selection, execution, technical,
# exclusion) must hold to read as one: a short tender in running text names its buyer, bidders,
# subject, price and procedure; an article about buying names two or three of them.
_MARKERS_WITHOUT_SECTIONS = 5
_HEADINGS_OF_OTHER_TEXTS = 4  # headings that make a text structured: a tender's would name one of its parts
# An unmarked heading line (`_unmarked_headings`) has at most this many words and is followed by a
# paragraph of more than `_BODY_WORDS`; one ending like a sentence (or a list item's colon) is none.
_HEADING_WORDS = 10
_BODY_WORDS = 25
_SENTENCE_ENDS = (".", ":", ";", ",", "?", "!")
_TENDER_SECTIONS = frozenset(
    {SectionKind.TECHNICAL, SectionKind.EXECUTION, SectionKind.AWARD, SectionKind.SELECTION, SectionKind.EXCLUSION}
)

# How near a word of new supply must stand to the mention ("nieuwe kasseien", "remplacés par des
# pavés neufs"), so that "het nieuwe fietspad" does not turn the existing cobbles into a purchase.
_NEAR = 60


@dataclass(frozen=True)
class Applicability:
    applies: bool
    reasons: tuple[Reason, ...]
    groups: tuple[str, ...]
    certainty: float
    near_miss: bool  # subject words seen, but fewer than needed


def _say(key: str, **values: object) -> Reason:
    """A reason as data: `messages.REASONS` words it in the reader's language."""
    return Reason(key, tuple((k, str(v)) for k, v in values.items()))


def decide(
    index: DocumentIndex,
    subject: SubjectText,
    criterion: Criterion,
    matchers: Matchers,
    passages: list[tuple[int, int]],
    tender: bool,
) -> Applicability:
    """Whether the criterion applies, from the codes and the words that say what is bought.

    `passages` are the criterion's own passages. They say nothing about what is bought, except
    in the technical part, where "pavés en pierre naturelle ... de préférence ..." still
    specifies a supply, and except for a service that carries the thing along (`cpv_by_passage`).
    """
    if not tender:  # a news item, a policy page or a brochure buys nothing
        return Applicability(False, (), (), 0.9, False)
    app = criterion.applicability
    reasons: list[Reason] = []
    groups: list[str] = []
    near_miss = False
    masks = Masks([("exclude", [(s, e) for name in app.exclude for s, e, _t in index.hits(matchers.criterion_set(criterion, name))])])
    masks += mask_spans(index, matchers.traps(criterion))
    clause = Masks([("clause", [(s, e) for s, e in passages if (b := index.doc.block_at(s)) is None
                                or b.section_kind is not SectionKind.TECHNICAL])])

    strengths: list[float] = []
    for group in app.groups:
        mentions = _term_hits(index, criterion, group, matchers, masks + clause, subject)
        carried = _in_passages(index, criterion, group, matchers, masks, passages) if group.cpv_by_passage else []
        reason, strength = _group_reason(index, group, subject, mentions, carried)
        if reason:
            reasons.append(reason)
            groups.append(group.id)
            strengths.append(strength)
        elif mentions.hits:
            near_miss = True

    if app.always:
        assert app.always_reason is not None
        reasons.insert(0, Reason("always"))
        return Applicability(True, tuple(reasons), tuple(groups), 1.0, False)
    if groups:
        return Applicability(True, tuple(reasons), tuple(groups), max(strengths), False)
    return Applicability(False, (), (), 0.7 if near_miss else 0.9, near_miss)


@dataclass(frozen=True)
class _Mentions:
    """What the text says of a product group: the mentions that may say it is bought, and the
    sentences that deny buying it."""

    hits: list[tuple[int, int, str]]
    denials: int  # sentences saying the thing is not used or not applicable
    supply_denied: bool  # one of them denies supplying it ("ni aucune fourniture ... de pierre naturelle")
    # one of them stands in the subject ("de drankstanden en de catering maken geen deel uit van de concessie")
    denied_in_subject: bool


def _term_hits(
    index: DocumentIndex, criterion: Criterion, group: Group, matchers: Matchers, masks: Masks, subject: SubjectText
) -> _Mentions:
    """The group's mentions that may say what is bought, and the sentences that deny buying it.

    A sentence that says the thing is not used or not applicable ("natuursteen wordt in deze
    opdracht niet gebruikt", "the clauses on natural stone are not applicable") is not a
    mention; it is the buyer saying the criterion's subject is absent, and it outweighs one
    passing mention elsewhere in the body (the CPV code and the subject are not outweighed).
    A ban in the criterion's own words ("er wordt geen natuursteen uit kinderarbeid
    gebruikt") is a clause, not a denial. A sentence about a thing already there, only
    cleaned or protected, disputed or handled by others (`not_bought`) says nothing of what
    is bought unless it also supplies something new, nor does it outweigh a sentence that rules
    the supply out. When the subject itself says what the
    group's `unless` says ("Verzekeringsportefeuille", "Kredietverlening voor investeringen")
    and supplies nothing new, every mention is what is insured or financed, not bought. With a
    cleaning, upkeep or insurance code as the main code (`in_place_cpv`), a mention counts only beside a
    word of new supply: the marble floors of a cleaning tender are what is cleaned. A place
    where the thing is served (`places`: "een sporthal met cafetaria", "terminaux de paiement
    pour la cafétéria") counts only in a sentence that says it is run or served there.
    """
    text = index.doc.text
    unless = [*matchers.sets(criterion, group.unless), matchers.common("not_bought")]
    supplied = matchers.common("new_supply")
    deleted = matchers.common("deleted")
    financed = matchers.sets(criterion, group.unless_subject)
    if any(u.search(text, s, e) for u in financed for s, e in subject.spans) and not _subject_supplies(
        index, subject, supplied, financed
    ):
        return _Mentions([], 0, False, False)
    # a cleaning or insurance contract's main code: the marble it names is what is cleaned or
    # insured, unless new stone is supplied
    in_place = bool(subject.cpv_codes) and subject.cpv_codes[0].startswith(group.in_place_cpv)
    places = {(s, e) for cs in matchers.sets(criterion, group.places) for s, e, _t in index.hits(cs)}
    served = matchers.common("place_served")
    hits = []
    supplying: list[tuple[int, int, int, int]] = []  # the hits whose sentence says nothing of what lies there, with that sentence
    denials = 0
    supply_denied = denied_in_subject = False
    for cs in matchers.sets(criterion, group.terms):
        for s, e, _term in index.hits(cs):
            if masks.covering(s, e) is not None or index.in_cpv_label(s, e):
                continue
            located = index.sentence_at(s)
            if located is None:
                continue
            block, ss, se = located
            if _not_bought(index, (ss, se), (s, e), unless, supplied) or (
                    in_place and not supplied.search(text, max(ss, s - _NEAR), min(se, e + _NEAR))) or (
                    (s, e) in places and not served.search(text, ss, se)):
                continue
            if _denies(text, ss, se, criterion, matchers) or index.struck_out(block, se, deleted):
                denials += 1
                supply_denied = supply_denied or supplied.search(text, ss, se)
                # in the subject, or beside the codes: "the contract does not include any advertising
                # concession" under the list that names 22462000 "Advertising material"
                denied_in_subject = (denied_in_subject or any(a <= s < b for a, b in subject.spans)
                                     or block.section_path in index.code_sections)
                continue
            hits.append((s, e, text[s:e]))
            if not any(index.matches_in(u, ss, se) for u in unless):
                supplying.append((s, e, ss, se))
    if supply_denied and any(supplied.search(text, max(ss, s - _NEAR), min(se, e + _NEAR)) for s, e, ss, se in supplying):
        # "Aucune fourniture de pavés de porphyre neufs" beside "la pose de nouveaux pavés de
        # pierre bleue": one kind is ruled out, another is supplied. A sentence that describes
        # what is there ("The square is paved with porphyry setts laid in arcs") supplies nothing
        # that outweighs the ruling-out, whatever participle it uses; nor does the ruling-out
        # itself, read from the next sentence ("... levert zelf geen nieuwe natuursteen. 6.3 De
        # voegen van de kasseien ...").
        supply_denied = False
    return _Mentions(sorted(hits), denials, supply_denied, denied_in_subject)


def _in_passages(index: DocumentIndex, criterion: Criterion, group: Group, matchers: Matchers, masks: Masks,
                 passages: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The group's terms inside the criterion's own passages: "De maaltijden worden bij voorkeur
    vervoerd met elektrische bestelwagens" in a school-meals tender names the vans that carry
    what is bought."""
    return [(s, e, t) for cs in matchers.sets(criterion, group.terms) for s, e, t in index.hits(cs)
            if masks.covering(s, e) is None and any(a <= s and e <= b for a, b in passages)]


def _subject_supplies(index: DocumentIndex, subject: SubjectText, supplied: CompiledSet, financed: list[CompiledSet]) -> bool:
    """Whether a sentence of the subject supplies something new without saying it is what is
    financed or insured: "De leningen financieren onder meer de keuken, die maaltijden levert"
    lists what the loan pays for, "Levering van koffie; de opdracht wordt gefinancierd met
    subsidies" buys coffee. Insurance listed among the supply's own services ("the design,
    supply, installation, maintenance, insurance and removal of the shelters") is one more of
    them, not what is bought."""
    text = index.doc.text
    for s, e in subject.spans:
        for a, b, _t in supplied.finditer(text, s, e):
            located = index.sentence_at(a)
            lo, hi = (located[1], located[2]) if located else (s, e)
            cues = [(c, d) for u in financed for c, d, _u in u.finditer(text, lo, hi)]
            if not any(not _listed_together(text, (a, b), cue) for cue in cues):
                return True
    return False


# items of an enumeration of services: a few words, then a comma or a conjunction; an article
# may open the last ("et l'assurance"). It starts after the first term, never inside a run of spaces
# (where every start would rescan the run).
_LIST_ITEMS = re.compile(r"(?<!\s)\s*(?:,|\b(?:and|or|en|of|et|ou)\b)\s*(?:[^\W\d][\w'’]*(?:[\s-]+[^\W\d][\w'’]*){0,2}\s*(?:,|\b(?:and|or|en|of|et|ou)\b)\s*)*(?:[^\W\d]{1,3}['’]|[^\W\d]{1,3}\s+)?",
                         re.IGNORECASE)


def _listed_together(text: str, one: tuple[int, int], other: tuple[int, int]) -> bool:
    """Whether two terms are items of one enumeration: only short items, commas and
    conjunctions between them ("supply, installation, connection, ..., insurance and removal")."""
    (a, b), (c, d) = sorted((one, other))
    return c - b <= _LIST_SPAN and _LIST_ITEMS.fullmatch(text, b, c) is not None


_LIST_SPAN = 160  # characters between two items of one enumeration, at most


# where one item of a list ends and the next begins: a line break, or a semicolon before an item
# mark ("; d) l'exploitation", "; - de levering"); a semicolon alone joins clauses of one sentence
_ITEM_BREAK = re.compile(r"\n|;\s*(?=(?:[a-z]|\d{1,2}|[ivx]{1,4})[).]\s|[-–•]\s)")


def _not_bought(index: DocumentIndex, sentence: tuple[int, int], mention: tuple[int, int], unless: list[CompiledSet],
                supplied: CompiledSet) -> bool:
    """Whether the sentence says the thing mentioned is already there, maintained, disputed or
    handled by others, rather than supplied. The cue nearest the mention decides: "het onderhoud
    van de bestaande vloeren in natuursteen, ..., het leveren van de schoonmaakproducten"
    maintains the stone and supplies the cleaning products; "levering van nieuwe natuursteen ter
    vervanging van de bestaande" supplies stone. Only cues of the mention's own item count where
    the sentence is a list of items ("a) la fourniture, le montage, l'entretien ... des chalets ;
    ... d) l'exploitation d'un bar central ;"): the upkeep of the chalets is not the bar's."""
    (ss, se), (s, e) = sentence, mention
    # the sentence's cues are found once, whatever the number of mentions in it
    cues = [hit for u in unless for hit in index.matches_in(u, ss, se)]
    if not cues:
        return False  # most sentences: the item bounds are not worked out
    text = index.doc.text
    lo = max([ss] + [m.end() for m in _ITEM_BREAK.finditer(text, ss, s)])
    hi = next((m.start() for m in _ITEM_BREAK.finditer(text, e, se)), se)

    def gap(hits: list[tuple[int, int, str]]) -> int | None:
        return min((max(a - e, s - b, 0) for a, b, _t in hits if a >= lo and b <= hi), default=None)

    away = gap(cues)
    if away is None:
        return False
    near = gap(supplied.finditer(text, max(ss, s - _NEAR), min(se, e + _NEAR)))
    return near is None or away < near


def _denies(text: str, start: int, end: int, criterion: Criterion, matchers: Matchers) -> bool:
    if not (matchers.modality["negation"].search(text, start, end) or matchers.common("absence").search(text, start, end)):
        return False
    return not any(all(cs.search(text, start, end) for cs in matchers.sets(criterion, rule.sets)) for rule in criterion.topic)


def _unmarked_headings(doc: Document) -> int:
    """Lines that stand as headings without being marked as ones: a plain-text opinion piece or
    news item heads its parts with short lines of their own ("Waarom aankopen ertoe doen", "Ce
    qui change dans nos cahiers des charges") that neither numbering nor capitals make a
    heading for the segmenter. Such a line is one paragraph of one line, a few words long,
    without a sentence's end, and a longer paragraph follows it. (A line whose words name a
    tender's part, "Gunningscriteria", the segmenter makes a heading of that part already.)"""
    blocks = doc.blocks
    return sum(
        1
        for b, after in zip(blocks, blocks[1:])
        if not b.is_heading
        and b.block.kind is BlockKind.PARAGRAPH
        and "\n" not in (line := b.text.strip())
        and len(line.split()) <= _HEADING_WORDS
        and line[:1].isupper()
        and not line.endswith(_SENTENCE_ENDS)
        and not after.is_heading
        and len(after.text.split()) > _BODY_WORDS
    )


def is_tender(doc: Document, subject: SubjectText, matchers: Matchers) -> bool:
    """Whether the document reads as a tender: mentions elsewhere than in its subject only
    say what is bought when it is one (a policy page on stone buys no stone)."""
    if subject.cpv_codes:
        return True
    markers = {t.lower() for _s, _e, t in matchers.common("tender_markers").finditer(doc.text)}
    sections = {b.section_kind for b in doc.blocks if b.is_heading and b.section_kind in _TENDER_SECTIONS}
    titled = subject.title is not None and matchers.common("tender_markers").search(subject.title)
    if not sections and not titled:
        # A news item or policy page on procurement uses the vocabulary ("bestek", "inschrijver")
        # but has none of a tender's parts and no tender's name; a tender without headings is dense
        # with it. A text with headings of its own, none of them a tender's part, is the news item
        # however dense: a newsletter on sustainable purchasing names every word of a tender.
        headings = sum(1 for b in doc.blocks if b.is_heading) + _unmarked_headings(doc)
        return headings < _HEADINGS_OF_OTHER_TEXTS and len(markers) >= _MARKERS_WITHOUT_SECTIONS
    return len(markers) + len(sections) >= 2


def _group_reason(index: DocumentIndex, group: Group, subject: SubjectText, mentions: _Mentions,
                  carried: list[tuple[int, int, str]]) -> tuple[Reason | None, float]:
    """The strongest reason this group applies, and how sure that reason is.

    Mentions outside the subject only say what is bought when they outnumber the sentences
    saying the thing is not used (`denials`); each sentence counts once. The subject saying the
    thing is not part of the contract, and nowhere that it is, outweighs an additional code: an
    event code beside the main advertising code says catering may be bought, "de drankstanden en
    de catering maken geen deel uit van de concessie" says it is not. The main code (the first
    listed) names what the contract is and is not outweighed ("geen kredietverlening" beside the
    main banking code rules out one service, not banking).
    """
    name = group.id  # worded in the reader's language by the report
    hits, denials, supply_denied = mentions.hits, mentions.denials, mentions.supply_denied
    in_subject = [h for h in hits if any(s <= h[0] < e for s, e in subject.spans)]
    # The buyer ruling the supply out ("le marché ne comporte aucune fourniture de pierre ...") with
    # nothing in the subject that buys it outweighs an additional code as well: "44912000 –
    # Pierres de construction" listed for the ashlar a demolition takes down and sells on.
    ruled_out = mentions.denied_in_subject or mentions.supply_denied
    codes = subject.cpv_codes[:1] if ruled_out and not in_subject else subject.cpv_codes
    for i, code in enumerate(codes):
        if any(code.startswith(p) for p in group.cpv + (group.cpv_main if i == 0 else ())):
            return _say("cpv", code=code, group=name), 0.95
    # A works code (45233 roads) says stone may be bought; the technical part or the bill of
    # quantities says it is ("Post 12 – boordstenen in blauwe hardsteen"). A mention in the
    # general or execution clauses ("mag de kasseiweg niet gebruiken als werfweg") does not.
    specified = [h for h in hits if (b := index.doc.block_at(h[0])) is not None and b.section_kind is SectionKind.TECHNICAL]
    # "stoomreiniging voor blauwe hardsteen en graniet" names the stone twice in one sentence: one mention
    specifying = len({located[1] if (located := index.sentence_at(h[0])) else h[0] for h in specified})
    for code in codes:
        # a works code that may mean stone does not outvote the buyer ruling out its supply
        confirmed = in_subject or (specifying > denials and not supply_denied)
        if any(code.startswith(p) for p in group.cpv_candidate) and confirmed:
            term = (in_subject or specified)[0][2]
            return _say("cpv-confirmed", code=code, group=name, term=term), 0.9
    if in_subject:
        return _say("subject", term=in_subject[0][2], group=name), 0.9
    # A catering service as the contract itself (the main code), whose own clause speaks of its
    # delivery vans: the transport is part of the service. A canteen that also caters now and
    # then (an additional code) is not a service that carries meals about.
    main = subject.cpv_codes[0] if subject.cpv_codes else ""
    if carried and not supply_denied and group.cpv_by_passage and main.startswith(group.cpv_by_passage):
        return _say("cpv-passage", code=main, group=name, term=carried[0][2]), 0.8
    if group.body_min_hits <= 0 or supply_denied:
        # A sentence that rules out supplying the thing ("le marché ne comprend aucune fourniture
        # de pierre naturelle") is the buyer's own word on the scope: mentions of what lies there
        # do not outvote it.
        return None, 0.0
    needed = group.body_min_hits
    if subject.cpv_codes and not any(c.startswith(p) for c in subject.cpv_codes for p in group.cpv + group.cpv_candidate):
        needed = group.body_min_hits_other_cpv
    body = []
    sentences: set[int] = set()
    for s, e, term in hits:
        block = index.doc.block_at(s)
        if block is not None and block.section_kind not in _NOT_SUBJECT and block.block.part == "body" and not block.is_heading:
            # "kasseien in natuursteen" names the stone twice in one sentence: one mention
            located = index.sentence_at(s)
            key = located[1] if located else s
            if key not in sentences:
                sentences.add(key)
                body.append(term)
    if len(body) < max(needed, denials + 1):
        return None, 0.0
    return _say("body", term=body[0], count=len(body), group=name), 0.75


def by_own_clause(app: Applicability) -> Applicability:
    """The criterion applies because the tender imposes a complete, binding clause of it: the
    buyer has said it bears on what this contract buys ("all electricity used at the bar is
    100 % renewable, with guarantees of origin" in a beach-bar concession), though no code or
    mention of a product group does. A weak clause says no such thing: wishes and award points
    stand in tenders the criterion does not concern."""
    return Applicability(True, (*app.reasons, _say("clause")), app.groups, 0.8, False)


def expected_by_configuration(app: Applicability) -> Applicability:
    """The criterion applies because the project says so for this path (per-path overrides)."""
    return Applicability(True, (*app.reasons, _say("configured")), app.groups, 1.0, False)
