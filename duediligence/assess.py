"""Turns judged passages and applicability into one finding per criterion.

present: a binding passage exists and the clause around the counted passages shows every
         element the criterion's `presence.present` rule names;
weak:    the topic is addressed in a place that counts, but wording, place or elements fall short;
absent:  nothing, or only passages that were discounted (preamble, traps, negations ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .applicability import Applicability
from .evidence import Modality, Passage, clause_scope
from .index import DocumentIndex, opening_heading, section_body
from .languages import language_pattern
from .library import Criterion, Element
from .matchers import Matchers
from .messages import discount_reason, reason_text, suggestion_text
from .model import Discount, DiscountKind, Document, Evidence, Finding, Match, PlacedBlock, Presence, SectionKind, Status, Suggestion
from .read.headings import is_chapter_heading
from .segment import placement_cues
from .terms import CompiledSet

_QUOTE_MAX = 600


def _evidence(doc: Document, block: PlacedBlock, start: int, end: int, role: str, modality: Modality,
              matches: tuple[Match, ...], discount: tuple[Discount, str] | None = None) -> Evidence:
    quote = doc.text[start:end]
    if len(quote) > _QUOTE_MAX:
        quote = quote[: _QUOTE_MAX - 1] + "…"
    return Evidence(
        quote=quote,
        start=start,
        end=end,
        page=block.block.page,
        paragraph=block.block.paragraph,
        line=block.block.line,
        section=block.section,
        section_kind=block.section_kind,
        role=role,
        modality=modality.value,
        matches=matches,
        discounted=discount[1] if discount else None,
        discount_code=discount[0].code if discount else None,
    )


def _clause_windows(index: DocumentIndex, criterion: Criterion, counted: list[Passage],
                    matchers: Matchers) -> list[tuple[Passage, tuple[int, int]]]:
    """Where the rest of the clause around each counted passage may stand: its own window, the
    parent section of a clause spread over subsections, and blocks that refer back to its point.
    The same for every element, so gathered once per finding."""
    doc = index.doc
    windows = [(p, index.clause_window(p.block, clause_scope(doc, p.block, criterion, matchers))) for p in counted]
    windows += [(p, index.clause_window(p.block, parent)) for p, parent in _clause_parents(doc, counted)]
    windows += [(p, index.clause_window(block)) for p, block in _referring(doc, counted)]
    return windows


def _element_evidence(index: DocumentIndex, criterion: Criterion, element: Element,
                      windows: list[tuple[Passage, tuple[int, int]]], matchers: Matchers) -> Evidence | None:
    """First place in the clause windows (`_clause_windows`) that shows `element`."""
    doc = index.doc
    sets = matchers.sets(criterion, element.any)
    soft = matchers.common("wished")
    if element.at_least > 1:
        unique = list(dict.fromkeys(w for _p, w in windows))  # passages of one clause share its window
        shown = [cs for cs in sets if any(_body_hit(index, cs, ws, we) for ws, we in unique)]
        if len(shown) < element.at_least:
            return None
    searched: set[tuple[int, int]] = set()  # passages of one clause share its window: search it once
    for p, (ws, we) in windows:
        for cs in sets if (ws, we) not in searched else ():
            for s, e, term in cs.finditer(doc.text, ws, we):
                located = index.sentence_at(s)
                if located is None or index.in_contract_name(s, e):
                    continue
                if located[0].is_heading:
                    # an article's title ("9. Eerlijke handel") requires nothing; the text under
                    # "8.5 Sancties" is where the remedy stands
                    found = _under_heading(index, located[0], sets)
                    if found is None:
                        continue
                    located, (s, e, term) = found
                block, ss, se = located
                if soft.search(doc.text, *_clause_part(doc.text, ss, se, s)):
                    # "La motorisation est, de préférence, entièrement électrique": a standard only
                    # wished for is not one the clause sets ("... replaced where possible; the
                    # penalty of 4.7 applies" still sets its penalty)
                    continue
                return _evidence(doc, block, ss, se, element.id, Modality.NEUTRAL, (Match(s, e, term),))
        searched.add((ws, we))
        if p.model_sentence and any(cs.search(p.model_sentence) for cs in sets):
            return _evidence(doc, p.block, p.start, p.end, element.id, p.modality, ())
    return None


def _clause_part(text: str, start: int, end: int, at: int) -> tuple[int, int]:
    """The part of the sentence start-end around offset `at` that a semicolon, a colon or a comma
    opening a second undertaking bounds (`clause_join`: "... een actieplan voorlegt, waar mogelijk
    met de werknemers, en dat hij aanvaardt dat ... de straffen toepast": the wish is the first
    undertaking's, the penalties are the second's)."""
    left = max(text.rfind(";", start, at), text.rfind(":", start, at))
    rights = [i for i in (text.find(";", at, end), text.find(":", at, end)) if i >= 0]
    for join in language_pattern(_CLAUSE_JOIN).finditer(text, start, end):
        if join.end() <= at:
            left = max(left, join.end() - 1)
        elif join.start() >= at:
            rights.append(join.start())
            break
    return (left + 1 if left >= 0 else start), (min(rights) if rights else end)


# «clause_join»: the words every language pack gives for it (data/languages/*.yml)
_CLAUSE_JOIN = r",\s*(?:«clause_join»)\b"


# The point number a heading opens with ("5.2 Produits issus du commerce équitable"): dotted only,
# since a plain "artikel 7" in the text is as often an article of a law as of the tender.
_POINT_NUMBER = re.compile(r"^\W*(\d{1,3}(?:\.\d{1,3})+)\.?\s")


def _referring(doc: Document, counted: list[Passage]) -> list[tuple[Passage, PlacedBlock]]:
    """Blocks outside the clause that refer back to its point by number ("Toute livraison d'un
    produit visé au point 5.2.1 ... pénalité"): a clause's proof and penalties often stand in
    a later article that names the clause only by its number."""
    numbered: dict[str, Passage] = {}
    for p in counted:
        heading = p.block.section_path[-1] if p.block.section_path else ""
        if (m := _POINT_NUMBER.match(heading)) is not None:
            numbered.setdefault(m.group(1), p)
    found = []
    title = opening_heading(doc)
    for number, p in numbered.items():
        pointer = language_pattern(r"\b(?:«reference»)\s*" + re.escape(number) + r"(?:\.\d+)*(?![\d.]*\d)")
        # A sibling subsection of the same article names the point by its number alone ("18.6
        # Sancties: voldoet de kredietgever niet langer aan 18.1 of 18.2, dan ..."); elsewhere a
        # bare "18.2" may be a quantity.
        bare = re.compile(r"(?<![\w.,])" + re.escape(number) + r"(?![\w]|[.,]\d)")
        parent = p.block.section_path[:-1]
        for block in doc.blocks:
            # every match holds the number itself: a block without it is not searched
            if block.is_heading or block.section_path == p.block.section_path or number not in block.text:
                continue
            sibling = bool(parent) and parent != (title,) and block.section_path[: len(parent)] == parent
            if pointer.search(block.text) or (sibling and bare.search(block.text)):
                found.append((p, block))
    return found


def _body_hit(index: DocumentIndex, cs: CompiledSet, start: int, end: int) -> bool:
    """Whether a term of `cs` stands between start and end outside a heading."""
    return any((b := index.doc.block_at(s)) is not None and not b.is_heading for s, _e, _t in cs.finditer(index.doc.text, start, end))


def _under_heading(index: DocumentIndex, heading: PlacedBlock,
                   sets: list[CompiledSet]) -> tuple[tuple[PlacedBlock, int, int], tuple[int, int, str]] | None:
    """The first sentence in the body under `heading` with a term of `sets`."""
    for body in section_body(index.doc, heading):
        for cs in sets:
            hits = cs.finditer(index.doc.text, body.start, body.end)
            if hits:
                located = index.sentence_at(hits[0][0])
                if located is not None:
                    return located, hits[0]
    return None


# A paragraph of fewer words is a label ("Fossielvrij", "Droits humains"), not a rule.
_LABEL_WORDS = 6


def _softened(counted: list[Passage]) -> Callable[[Passage], bool]:
    """A test of whether a passage belongs to a clause whose obligation is softened or limited.

    "De opdrachtnemer streeft ernaar ... zo veel mogelijk fair trade. Producten met het
    Fairtrade-label worden geacht hieraan te voldoen.": the second sentence binds by its place
    alone, but it only explains the wish of the first; the clause is as weak as its obligation,
    and a penalty or a duty to report in it sanctions that wish only. Only a sentence that
    obliges by its own words ("moet", "shall") stands against that. A passage's clause is the
    passages of its paragraph or its section, gathered once (per passage, it was quadratic)."""
    # a limit that leaves the clause partial ("minstens één product", "une part minimale de 50 %")
    # holds for the whole clause, however firmly its other sentences are worded
    limited = ({q.block.index for q in counted if q.weakened}, {q.block.section_path for q in counted if q.weakened})
    # "streeft ernaar ... zo veel mogelijk" with "ontbreken de garanties, dan betaalt de leverancier
    # een straf": the penalty binds, the obligation it sanctions does not. In its paragraph a wish
    # softens every sentence; in its section only those that do not end before it: an article that opens "Alle
    # voertuigen ... zijn emissievrije voertuigen" and later "wordt aangemoedigd" to charge with
    # green power, or allows a replacement vehicle, keeps its rule.
    wished_blocks = {q.block.index for q in counted if q.modality is Modality.WEAK}
    wished_from: dict[tuple[str, ...], int] = {}
    for q in counted:
        if q.modality is Modality.WEAK:
            wished_from[q.block.section_path] = min(q.start, wished_from.get(q.block.section_path, q.start))

    def in_clause(p: Passage, where: tuple[set[int], set[tuple[str, ...]]]) -> bool:
        return p.block.index in where[0] or p.block.section_path in where[1]

    def wished(p: Passage) -> bool:
        if p.block.index in wished_blocks:
            return True
        start = wished_from.get(p.block.section_path)
        # a line that only names the topic ("Fossielvrij") labels the clause after it
        return start is not None and (start < p.end or len(p.block.text.split()) < _LABEL_WORDS)

    return lambda p: in_clause(p, limited) or (not p.obliges and wished(p))


def _clause_parents(doc: Document, counted: list[Passage]) -> list[tuple[Passage, tuple[str, ...]]]:
    """Sections that hold the clause in several subsections ("6.1 Obligation", "6.3 Due
    diligence"): the chain or remedy may stand in a sibling ("6.2 Supply chain") that never names
    the topic, so the whole parent section is searched too. Never the document title."""
    title = (opening_heading(doc),)
    leaves: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    first: dict[tuple[str, ...], Passage] = {}
    for p in counted:
        parent = p.block.section_path[:-1]
        if parent and parent != title:
            leaves.setdefault(parent, set()).add(p.block.section_path)
            first.setdefault(parent, p)
    # A clause spread over subsections fills one article; a whole part ("Partie 2 – Conditions
    # d'exécution") holds other articles too (data protection, invoicing) that are not the clause.
    return [(first[parent], parent) for parent, paths in leaves.items()
            if len(paths) > 1 and not is_chapter_heading(parent[-1])]


def assess(
    index: DocumentIndex,
    criterion: Criterion,
    passages: list[Passage],
    applicability: Applicability,
    matchers: Matchers,
    lang: str,
) -> Finding:
    doc = index.doc
    counted = [p for p in passages if p.counted]
    softened = _softened(counted)
    # A passage of another criterion's clause (`scope`) carries this duty for that chain only.
    general = [p for p in counted if p.scope is None]
    binding = [p for p in general if p.binding and not softened(p)]
    # A binding sentence of a softened clause shows as evidence but lends the clause no element:
    # its penalty or proof sanctions a wish.
    ordered = binding + [p for p in general if not p.binding]
    scoped = [p for p in counted if p.scope is not None]
    # by identity: passages are one per span, and comparing whole passages made this quadratic
    in_order = {id(p) for p in ordered}
    shown = ordered + scoped + [p for p in general if id(p) not in in_order]

    elements, element_evidence = _elements(index, criterion, ordered + scoped, bool(binding), matchers)
    # The chain-only passages name what the clause holds, but cannot complete a clause for the
    # whole contract; nor can a passage a trap leaves partial ("only thermal coal") lend its
    # standard to a report in another article, nor an award criterion ("The Port evaluates in
    # particular ... the framework") its elements to the binding clause.
    def complete_with(found: dict[str, bool]) -> bool:
        return all(any(found[a] for a in alts) for alts in criterion.present_requires)

    full = [p for p in ordered if p.weakened is None and p.capped is None]
    # fewer passages show no more elements: the second pass is needed only where all of them complete the clause
    complete = bool(binding) and complete_with(elements)
    if complete and (scoped or len(full) < len(ordered)):
        complete = complete_with(_elements(index, criterion, full, True, matchers)[0])
    if complete:
        presence = Presence.PRESENT
    elif counted:
        presence = Presence.WEAK
    else:
        presence = Presence.ABSENT

    if not applicability.applies:
        status = Status.NOT_APPLICABLE
    else:
        status = {Presence.PRESENT: Status.OK, Presence.WEAK: Status.WEAK, Presence.ABSENT: Status.MISSING}[presence]

    topic_evidence = [
        _evidence(doc, p.block, p.start, p.end, "topic", p.modality, tuple(p.matches))
        for p in shown
    ]
    # A heading over counted passages is the clause's own title, not an ignored passage.
    clause_paths = [p.block.section_path for p in passages if p.counted]
    discounted = [
        _evidence(doc, p.block, p.start, p.end, "topic", p.modality, tuple(p.matches),
                  (p.discount, discount_reason(p.discount, criterion, matchers.library, lang)))
        for p in passages
        if p.discount is not None
        and not (p.discount.kind is DiscountKind.HEADING
                 and any(q[: len(p.block.section_path)] == p.block.section_path for q in clause_paths))
    ]

    missing = tuple(e.id for e in criterion.elements if not elements[e.id])
    suggestion = None
    if status in (Status.WEAK, Status.MISSING):
        model = criterion.model_clause_for(applicability.groups).get(lang)
        names = tuple(e.name.get(lang) for e in criterion.elements if not elements[e.id])
        heading, weak = execution_heading(doc), _weak_reason(counted, binding)
        text = suggestion_text(lang, presence, names, heading, weak)
        suggestion = Suggestion(lang, missing, model, text, weak, heading)

    return Finding(
        criterion=criterion.id,
        applies=applicability.applies,
        applies_because=tuple(reason_text(r, criterion, lang) for r in applicability.reasons),
        reasons=applicability.reasons,
        presence=presence,
        status=status,
        confidence=_confidence(presence, applicability, counted, passages),
        elements=elements,
        evidence=tuple(topic_evidence[:8] + element_evidence),
        discounted=tuple(discounted[:8]),
        suggestion=suggestion,
    )


def _elements(index: DocumentIndex, criterion: Criterion, clause: list[Passage], binding: bool,
              matchers: Matchers) -> tuple[dict[str, bool], list[Evidence]]:
    """Which of the criterion's elements the clause made of these passages holds, with the evidence of each."""
    elements: dict[str, bool] = {}
    evidence: list[Evidence] = []
    windows = _clause_windows(index, criterion, clause, matchers) if clause else []
    for element in criterion.elements:
        if element.check == "binding":
            elements[element.id] = binding
            continue
        ev = _element_evidence(index, criterion, element, windows, matchers) if clause else None
        elements[element.id] = ev is not None
        if ev is not None:
            evidence.append(ev)
    return elements, evidence


def execution_heading(doc: Document) -> str | None:
    """Where a clause should go: a heading on performance conditions, else the first other
    execution heading that is not about deadlines, prices or payment."""
    execution = [b.text for b in doc.blocks if b.is_heading and b.section_kind is SectionKind.EXECUTION]
    best, avoid = placement_cues()
    for wanted in (best.search, lambda h: not avoid.search(h)):
        for heading in execution:
            if wanted(heading):
                return heading
    return None


def _weak_reason(counted: list[Passage], binding: list[Passage]) -> str | None:
    if not counted or binding:
        return None
    if any(p.scope is not None and p.binding for p in counted):
        return "scope"
    if any(p.capped is SectionKind.AWARD for p in counted):
        return "award"
    if any(p.capped is SectionKind.SELECTION for p in counted):
        return "selection"
    if any(p.modality is Modality.WEAK for p in counted):
        return "wording"
    return "place"


def _confidence(presence: Presence, app: Applicability, counted: list[Passage], passages: list[Passage]) -> float:
    if presence is Presence.PRESENT:
        p = 0.8 if all(x.resemblance is not None for x in counted) else 0.9
    elif presence is Presence.WEAK:
        p = 0.7
    else:
        p = 0.8 if passages else 0.9
    return round(min(p, app.certainty), 2)
