"""What the HTML and Markdown reports show, prepared once so the two formats cannot drift.

`build(report, library, ui_lang)` turns a `Report` into plain dataclasses holding display
text only: labels already in the reader's language, criterion and element names from the
library, quotes cut into plain and highlighted segments, locations written out. The formats
only lay these out and escape them for their own syntax.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Iterable

from ..baseline import RANK, covered, improved, reported, was_worse
from ..eforms import AIM_FIELD, DESCRIPTION_FIELD, NOT_YET, ONCE_INSERTED, STATES, TICK, CodeSource, code_lists, notice_hints
from ..library import Criterion, Library, Source
from ..messages import error_text, label, notice_description, notice_text
from ..model import DocumentResult, Evidence, Finding, Report, Status
from .localize import localize

STATUS_ORDER = (Status.MISSING, Status.WEAK, Status.OK, Status.SUPPRESSED, Status.NOT_APPLICABLE)
# Statuses whose criterion gets a section of its own.
DETAILED = (Status.MISSING, Status.WEAK, Status.OK, Status.SUPPRESSED)
# Statuses a buyer has to act on.
ACTION = (Status.MISSING, Status.WEAK)


@dataclass(frozen=True)
class Segment:
    text: str
    mark: bool = False


@dataclass(frozen=True)
class Passage:
    segments: tuple[Segment, ...]
    where: str  # "p. 3 · par. 57"
    section: str  # "Deel II – Bijzondere uitvoeringsvoorwaarden › 11. Sociale voorwaarden"
    shows: tuple[str, ...] = ()  # element names this passage shows
    modality: str | None = None  # label for binding / optional wording, None when neutral
    reason: str | None = None  # why a discounted passage does not count

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


@dataclass(frozen=True)
class ElementView:
    id: str
    name: str
    found: bool


@dataclass(frozen=True)
class CriterionView:
    id: str
    anchor: str
    name: str
    status: str  # Status value: ok, weak, missing, not-applicable, suppressed
    status_label: str
    summary: str
    applies_because: tuple[str, ...] = ()
    suppressed_reason: str | None = None
    elements: tuple[ElementView, ...] = ()
    passages: tuple[Passage, ...] = ()
    discounted: tuple[Passage, ...] = ()
    suggestion: str | None = None
    model_clause: str | None = None
    clause_lang: str | None = None
    sources: tuple[Source, ...] = ()
    confidence: float = 0.0
    baselined: bool = False  # a known finding of the baseline: shown as a tile only
    worse_than: str | None = None  # "worse than in the baseline (weak)", when it got worse

    @property
    def found_elements(self) -> tuple[ElementView, ...]:
        return tuple(e for e in self.elements if e.found)

    @property
    def missing_elements(self) -> tuple[ElementView, ...]:
        return tuple(e for e in self.elements if not e.found)

    @property
    def detailed(self) -> bool:
        return Status(self.status) in DETAILED and not self.baselined

    @property
    def needs_action(self) -> bool:
        return Status(self.status) in ACTION


@dataclass(frozen=True)
class CodeView:
    """One eForms code with its official label and the clauses that give it its state."""

    field: str  # BT-775
    field_name: str  # the SDK's name of the field, in the report language
    code: str  # hum-right
    label: str  # the SDK's label of the code
    state: str  # tick | not-yet | once-inserted
    sources: tuple[str, ...]  # "Mensenrechtenclausule (par. 12, 4. Uitvoeringsvoorwaarden)"


@dataclass(frozen=True)
class DescriptionView:
    """A draft of BT-777, the free-text description the notice asks for each strategic aim."""

    aim: str  # the BT-06 code it describes
    aim_label: str
    text: str
    lang: str  # the document's language, the notice's


@dataclass(frozen=True)
class NoticeView:
    """The "in the notice" section: what to tick in the eForms notice, and which clause says so."""

    title: str
    sdk: str  # "codes and labels from the eForms SDK 1.15.1"
    codes: tuple[CodeView, ...]
    headings: dict[str, str]  # state -> "to tick", "not yet: the clause is weak", ...
    nothing_yet: str  # said when no code can be ticked yet
    from_word: str  # "from": introduces the clause a code comes from
    descriptions: tuple[DescriptionView, ...]
    description_field: str  # "BT-777 Description"
    draft_word: str  # "draft": the description is a suggestion to edit

    @property
    def ticked(self) -> tuple[CodeView, ...]:
        return tuple(c for c in self.codes if c.state == TICK)

    @property
    def groups(self) -> tuple[tuple[str, str, tuple[CodeView, ...]], ...]:
        """(state, heading, codes) for each state that has codes, best first."""
        grouped = ((state, self.headings[state], tuple(c for c in self.codes if c.state == state)) for state in STATES)
        return tuple(g for g in grouped if g[2])


@dataclass(frozen=True)
class DocumentView:
    number: int
    anchor: str
    path: str
    lang: str  # language of the labels for this document
    language: str | None  # detected document language
    format: str | None
    pages: int | None
    title: str | None = None
    statement: str | None = None
    cpv_codes: tuple[str, ...] = ()
    error_code: str | None = None
    error_message: str | None = None
    notices: tuple[str, ...] = ()
    reads_as_tender: bool | None = None
    criteria: tuple[CriterionView, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    notice: NoticeView | None = None  # the eForms codes; None for a document that could not be read
    better: tuple[str, ...] = ()  # findings better than in the baseline: "Fair trade: missing → ok"
    renamed: str | None = None  # "found in the baseline by its content, as old/path.docx"

    @property
    def sections(self) -> tuple[CriterionView, ...]:
        """The criteria that get a section, most urgent first (tiles keep the library's order)."""
        detailed = [c for c in self.criteria if c.detailed]
        return tuple(sorted(detailed, key=lambda c: STATUS_ORDER.index(Status(c.status))))

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        return status_counts((c.status for c in self.criteria), self.lang)

    def criterion(self, ident: str) -> CriterionView | None:
        return next((c for c in self.criteria if c.id == ident), None)


@dataclass(frozen=True)
class ReportView:
    lang: str
    tool_version: str
    library_version: str
    criteria: tuple[tuple[str, str], ...]  # (id, name in `lang`) in report order
    documents: tuple[DocumentView, ...]
    labels: dict[str, str]
    baseline: tuple[str, ...] = ()  # per baseline file: findings left out, new ones, whether it can shrink

    @property
    def several(self) -> bool:
        return len(self.documents) > 1

    @property
    def failed(self) -> int:
        return sum(1 for d in self.documents if d.error_code)

    @property
    def totals(self) -> list[tuple[str, str, int]]:
        return status_counts((c.status for d in self.documents for c in d.criteria), self.lang)

    @property
    def generated(self) -> str:
        return self.labels["generated"].format(tool=self.tool_version, library=self.library_version)


def baseline_lines(report: Report, lang: str) -> tuple[str, ...]:
    """Per baseline file of the run: how many known findings were left out, how many are new or
    worse, and, when some got better, that the baseline can shrink."""
    files: dict[str, list[int]] = {}
    for d in report.documents:
        if d.baseline is None:
            continue
        tally = files.setdefault(d.baseline.file, [0, 0, 0])
        tally[0] += len(d.findings) - len(reported(d))
        tally[1] += sum(1 for f in reported(d) if RANK[f.status.value] > 0)
        tally[2] += len(improved(d))
    lines = []
    for file, (known, new, better) in files.items():
        shown = _nearby(file)
        lines.append(label("baseline-summary", lang).format(file=shown, covered=known, new=new))
        if better:
            lines.append(label("baseline-shrink", lang).format(n=better, file=shown))
    return tuple(lines)


def _nearby(path: str) -> str:
    """A path relative to the working folder when it lies below it, as the user would type it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


def better_lines(d: DocumentResult, library: Library, lang: str) -> tuple[str, ...]:
    """'Mensenrechtenclausule: ontbreekt → in orde' for each finding better than its baseline entry."""
    return tuple(f"{_criterion_name(f.criterion, library, lang)}: {status_label(was, lang)} → {status_label(f.status, lang)}"
                 for f, was in improved(d))


def renamed_line(d: DocumentResult, lang: str) -> str | None:
    """Said when the baseline knew the document by its bytes under another path (a rename)."""
    if d.baseline is None or d.baseline.matched_by != "content":
        return None
    return label("baseline-renamed", lang).format(path=d.baseline.key)


def labels(lang: str) -> dict[str, str]:
    """Every report label in `lang`, for templates: `labels['copy']`."""
    from ..messages import LABELS

    return {key: label(key, lang) for key in LABELS}


def status_label(status: Status | str, lang: str) -> str:
    return label(f"status-{Status(status).value}", lang)


def status_counts(statuses: Iterable[str], lang: str) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status that occurs, most urgent first."""
    counts = Counter(statuses)
    return [(s.value, status_label(s, lang), counts[s.value]) for s in STATUS_ORDER if counts[s.value]]


def highlight(e: Evidence) -> tuple[Segment, ...]:
    """The quote cut at its matches. Match offsets are in the document text, like `e.start`,
    so a match sits at `m.start - e.start` in the quote; a quote cut short ends in '…',
    which is never highlighted."""
    quote = e.quote
    limit = len(quote)
    if quote.endswith("…") and limit < e.end - e.start:
        limit -= 1
    spans: list[list[int]] = []
    for m in sorted(e.matches, key=lambda m: (m.start, m.end)):
        s, t = max(0, m.start - e.start), min(limit, m.end - e.start)
        if s >= t:
            continue
        if spans and s <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], t)
        else:
            spans.append([s, t])
    out: list[Segment] = []
    pos = 0
    for s, t in spans:
        if s > pos:
            out.append(Segment(quote[pos:s]))
        out.append(Segment(quote[s:t], True))
        pos = t
    if pos < len(quote):
        out.append(Segment(quote[pos:]))
    return tuple(out)


def where(e: Evidence, lang: str) -> str:
    """Page, paragraph and line of a passage, as far as the format knows them."""
    parts = []
    if e.page:
        parts.append(f"{label('page', lang)} {e.page}")
    parts.append(f"{label('par', lang)} {e.paragraph}")
    if e.line:
        parts.append(f"{label('line', lang)} {e.line}")
    return " · ".join(parts)


def short_section(section: str, title: str | None, depth: int | None = None) -> str:
    """The section path without the document title at its top (it is the page's heading),
    cut to its last `depth` headings when given."""
    parts = [p.strip() for p in section.split(" > ") if p.strip()]
    top, name = (parts[0].casefold() if parts else ""), (title or "").strip().casefold()
    if len(parts) > 1 and name and (name in top or top in name):
        parts = parts[1:]
    return " › ".join(parts[-depth:] if depth else parts)


def _passages(evidence: Iterable[Evidence], crit: Criterion | None, lang: str, title: str | None) -> tuple[Passage, ...]:
    """One passage per quoted place: evidence for several roles of one sentence is merged."""
    names = {el.id: el.name.get(lang) for el in crit.elements} if crit else {}
    groups: dict[tuple[int, int, str | None], list[Evidence]] = {}
    for e in evidence:
        groups.setdefault((e.start, e.end, e.discounted), []).append(e)
    out = []
    for items in groups.values():
        first = items[0]
        merged = replace(first, matches=tuple(m for e in items for m in e.matches))
        shows = tuple(dict.fromkeys(names.get(e.role, e.role) for e in items if e.role != "topic"))
        modality = next((e.modality for e in items if e.modality in ("binding", "weak")), None)
        out.append(Passage(
            segments=highlight(merged),
            where=where(first, lang),
            section=short_section(first.section, title),
            shows=shows,
            modality={"binding": label("binding", lang), "weak": label("optional", lang)}.get(modality or ""),
            reason=first.discounted,
        ))
    return tuple(out)


def _criterion(f: Finding, d: DocumentResult, library: Library, lang: str, doc_anchor: str) -> CriterionView:
    try:
        crit: Criterion | None = library.get(f.criterion)
    except KeyError:
        crit = None
    names = {el.id: el.name.get(lang) for el in crit.elements} if crit else {}
    order = [el.id for el in crit.elements] if crit else []
    ids = sorted(f.elements, key=lambda i: order.index(i) if i in order else len(order))
    detailed = f.status in DETAILED
    title = d.subject.title if d.subject else None
    was = was_worse(d, f)
    s = f.suggestion
    return CriterionView(
        id=f.criterion,
        anchor=f"{doc_anchor}-{f.criterion}",
        name=crit.name.get(lang) if crit else f.criterion,
        status=f.status.value,
        status_label=status_label(f.status, lang),
        summary=crit.summary.get(lang) if crit else "",
        applies_because=f.applies_because,
        suppressed_reason=f.suppressed_reason,
        elements=tuple(ElementView(i, names.get(i, i), bool(f.elements[i])) for i in ids) if detailed else (),
        passages=_passages(f.evidence, crit, lang, title) if detailed else (),
        discounted=_passages(f.discounted, crit, lang, title) if detailed else (),
        suggestion=s.text if s else None,
        model_clause=s.model_clause if s else None,
        clause_lang=s.language if s else None,
        sources=crit.sources if crit else (),
        confidence=f.confidence,
        baselined=covered(d, f),
        worse_than=label("baseline-worse", lang).format(was=status_label(was, lang)) if was else None,
    )


def _source(s: CodeSource, library: Library, lang: str, title: str | None) -> str:
    """'Mensenrechtenclausule (par. 12, 4. Uitvoeringsvoorwaarden)', or the criterion and its status
    when there is no clause yet."""
    name = _criterion_name(s.criterion, library, lang)
    if s.evidence is None:
        return f"{name} ({status_label(s.status, lang)})"
    section = short_section(s.evidence.section, title, 1)
    return f"{name} ({where(s.evidence, lang)}{', ' + section if section else ''})"


def _criterion_name(ident: str, library: Library, lang: str) -> str:
    try:
        return library.get(ident).name.get(lang)
    except KeyError:
        return ident


def notice_view(d: DocumentResult, library: Library, lang: str) -> NoticeView | None:
    """The eForms codes of one document, in words of `lang`; BT-777 drafts in the document's language."""
    if d.error is not None:
        return None
    lists = code_lists()
    title = d.subject.title if d.subject else None
    hints = notice_hints(d, {c.id: c.eforms for c in library.criteria})
    codes = tuple(CodeView(h.field, lists.fields[h.field].name.get(lang, h.field), h.code,
                           lists.fields[h.field].label(h.code, lang), h.state,
                           tuple(_source(s, library, lang, title) for s in h.sources)) for h in hints)
    text_lang = d.language or lang
    descriptions = []
    for h in hints:
        if h.field == AIM_FIELD and h.state == TICK:
            items = [_source_heading(s, library, text_lang, title) for s in h.sources]
            descriptions.append(DescriptionView(h.code, lists.fields[AIM_FIELD].label(h.code, lang),
                                                notice_description(text_lang, items), text_lang))
    described = lists.fields[DESCRIPTION_FIELD]
    return NoticeView(
        title=label("notice", lang),
        sdk=label("notice-sdk", lang).format(version=lists.sdk_version),
        codes=codes,
        headings={TICK: label("notice-tick", lang), NOT_YET: label("notice-not-yet", lang),
                  ONCE_INSERTED: label("notice-once-inserted", lang)},
        nothing_yet=label("notice-none", lang),
        from_word=label("notice-from", lang),
        descriptions=tuple(descriptions),
        description_field=f"{DESCRIPTION_FIELD} {described.name.get(lang, DESCRIPTION_FIELD)}",
        draft_word=label("notice-draft", lang),
    )


def _source_heading(s: CodeSource, library: Library, lang: str, title: str | None) -> str:
    """A clause in a BT-777 draft: the criterion's name and the heading it stands under."""
    name = _criterion_name(s.criterion, library, lang)
    section = short_section(s.evidence.section, title, 1) if s.evidence else ""
    return f"{name} ({section})" if section else name


# What the reader must act on first: missing, then weak clauses; what does not apply last.
_URGENCY = {Status.MISSING: 0, Status.WEAK: 1, Status.OK: 2, Status.SUPPRESSED: 3, Status.NOT_APPLICABLE: 4}


def by_urgency(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in reading order (stable: the library's order within one status)."""
    return sorted(findings, key=lambda f: _URGENCY[f.status])


def _document(number: int, d: DocumentResult, library: Library, ui_lang: str | None) -> DocumentView:
    lang = ui_lang or d.language or "nl"
    d = localize(d, library, lang)
    anchor = f"doc-{number}"
    title = d.subject.title if d.subject else None
    return DocumentView(
        number=number,
        anchor=anchor,
        path=d.path,
        lang=lang,
        language=d.language,
        format=d.format,
        pages=d.pages,
        title=title,
        statement=d.statement,
        cpv_codes=d.subject.cpv_codes if d.subject else (),
        error_code=d.error.code if d.error else None,
        error_message=error_text(d.error, lang) if d.error else None,
        notices=(label("not-a-tender", lang),) * (d.reads_as_tender is False)
        + tuple(f"{notice_text(n, lang)} [{n.code}]" for n in d.notices),
        reads_as_tender=d.reads_as_tender,
        criteria=tuple(_criterion(f, d, library, lang, anchor) for f in by_urgency(d.findings)),
        labels=labels(lang),
        notice=notice_view(d, library, lang),
        better=better_lines(d, library, lang),
        renamed=renamed_line(d, lang),
    )


def build(report: Report, library: Library, ui_lang: str | None = None) -> ReportView:
    lang = ui_lang or next((d.language for d in report.documents if d.language), None) or "en"
    names = [(ident, _criterion_name(ident, library, lang)) for ident in report.criteria]
    return ReportView(
        lang=lang,
        tool_version=report.tool_version,
        library_version=report.library_version,
        criteria=tuple(names),
        documents=tuple(_document(i, d, library, ui_lang) for i, d in enumerate(report.documents, 1)),
        labels=labels(lang),
        baseline=baseline_lines(report, lang),
    )
