"""The small immutable values that flow between the pipeline stages.

read -> `RawDocument` (blocks with locations)
segment -> `Document` (blocks placed in sections, language, joined text with offsets)
subject -> `Subject` (title, CPV codes, product groups)
evidence + assess -> `Finding` per criterion
report -> renders `Report`

Stages only exchange these values; none reaches into another stage's internals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Format(str, Enum):
    PDF = "pdf"
    DOCX = "docx"
    TEXT = "text"
    MARKDOWN = "markdown"


class BlockKind(str, Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list-item"
    TABLE_ROW = "table-row"


@dataclass(frozen=True)
class Block:
    """One paragraph-like unit of text, exactly where the reader found it.

    `paragraph` is the 1-based running number of the block in document order (for DOCX it is
    the body paragraph/table-row number Word users can count; for text, the paragraph number).
    `line` is the 1-based source line where the block starts (text formats only), so reports
    can give line/column. `heading_level` is set when the reader knows the block is a heading
    (DOCX heading style, Markdown `#`); `segment` may still detect headings by their form.
    """

    text: str
    paragraph: int
    kind: BlockKind = BlockKind.PARAGRAPH
    page: int | None = None
    line: int | None = None
    heading_level: int | None = None
    part: str = "body"  # body | header | footer | comment


@dataclass(frozen=True)
class RawDocument:
    """What a reader returns: the blocks in order plus facts about the file."""

    path: str
    format: Format
    blocks: tuple[Block, ...]
    sha256: str
    size: int
    pages: int | None = None
    title: str | None = None  # document metadata title, when the format has one
    comments: tuple[str, ...] = ()  # reviewer comments (DOCX), used for suppressions
    # what the reader could not do or guessed: coded notices, worded in any language by messages.notice_text
    warnings: tuple["Notice", ...] = ()


class SectionKind(str, Enum):
    """Where in a tender a passage sits; decides whether a mention can bind anyone."""

    PREAMBLE = "preamble"  # introduction, context, policy, standaardparagraaf
    GENERAL = "general"  # general/administrative provisions: judge sentence by sentence
    LEGAL = "legal"  # legal basis, applicable law lists
    EXCLUSION = "exclusion"  # exclusion grounds, ESPD/UEA/DUME
    SELECTION = "selection"  # qualitative selection, financial capacity
    AWARD = "award"  # award criteria
    TECHNICAL = "technical"  # technical specifications, minimum requirements, bill of quantities
    EXECUTION = "execution"  # execution conditions, contractual provisions, penalties
    ANNEX = "annex"  # annexes and forms (declarations on honour)
    UNKNOWN = "unknown"


# Sections whose sentences oblige the contractor by their place alone.
BINDING_SECTIONS = frozenset({SectionKind.TECHNICAL, SectionKind.EXECUTION})
# Sections where a sentence binds only if its own wording does.
SENTENCE_JUDGED_SECTIONS = frozenset(
    {SectionKind.GENERAL, SectionKind.ANNEX, SectionKind.UNKNOWN}
)


@dataclass(frozen=True)
class PlacedBlock:
    """A block with its place in the document: offsets in `Document.text` and its section."""

    block: Block
    index: int
    start: int
    end: int
    section_path: tuple[str, ...]
    section_kind: SectionKind
    is_heading: bool

    @property
    def text(self) -> str:
        return self.block.text

    @property
    def section(self) -> str:
        return " > ".join(self.section_path)


@dataclass(frozen=True)
class Document:
    """A segmented document: blocks placed in sections, one text with stable offsets.

    `directives` are the `duediligence: ignore ...` lines found in the text, each with where it
    stood; they are taken out of the text so they never count as evidence.
    """

    raw: RawDocument
    text: str
    blocks: tuple[PlacedBlock, ...]
    language: str  # nl | fr | en
    directives: tuple[tuple[str, str], ...] = ()

    def block_at(self, offset: int) -> PlacedBlock | None:
        lo, hi = 0, len(self.blocks) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            b = self.blocks[mid]
            if offset < b.start:
                hi = mid - 1
            elif offset >= b.end:
                lo = mid + 1
            else:
                return b
        return None


@dataclass(frozen=True)
class Subject:
    """What is being bought, as far as the document says."""

    title: str | None
    cpv_codes: tuple[str, ...]
    lots: tuple[str, ...]
    product_groups: tuple[str, ...]


class Presence(str, Enum):
    PRESENT = "present"
    WEAK = "weak"
    ABSENT = "absent"


class Status(str, Enum):
    OK = "ok"
    WEAK = "weak"
    MISSING = "missing"
    NOT_APPLICABLE = "not-applicable"
    SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class Match:
    """One vocabulary hit: offsets in `Document.text` and the term that matched."""

    start: int
    end: int
    term: str


class DiscountKind(str, Enum):
    """Why a passage does not count: the decisions judging can take."""

    HEADING = "heading"  # a title only
    SECTION = "section"  # its part binds no one (detail: the section kind)
    DELETED = "deleted"  # an article marked "Vervalt", "Supprimé"
    ANNEX_ABSENT = "annex-absent"  # points to an annex that is not in the document
    TRAP = "trap"  # a trap of the library (detail: its id)
    NEGATED = "negated"  # "niet van toepassing"
    ELSEWHERE = "elsewhere"  # bought or required under another contract ("dans le cadre d'un marché distinct")
    POLICY = "policy-statement"  # the authority speaking of itself
    DESCRIPTIVE = "descriptive"  # obliges no one, outside the binding parts
    COVERED_BY = "covered-by"  # part of a more specific criterion's clause (detail: its id)
    NOT_A_TENDER = "not-a-tender"  # the document is no tender and the sentence obliges no contractor


_DETAILED = frozenset({DiscountKind.SECTION, DiscountKind.TRAP, DiscountKind.COVERED_BY})


@dataclass(frozen=True)
class Discount:
    """A decision not to count a passage, with what it names (a section kind, a trap id, a
    criterion id). Its `code` is the stable form in JSON ("trap:sensitising-only")."""

    kind: DiscountKind
    detail: str = ""

    def __post_init__(self) -> None:
        if bool(self.detail) != (self.kind in _DETAILED):
            raise ValueError(f"a {self.kind.value} discount {'needs' if self.kind in _DETAILED else 'takes no'} detail")

    @property
    def code(self) -> str:
        return f"{self.kind.value}:{self.detail}" if self.detail else self.kind.value

    @classmethod
    def from_code(cls, code: str) -> "Discount":
        """The discount a JSON report names by its code; ValueError for an unknown one."""
        kind, _, detail = code.partition(":")
        return cls(DiscountKind(kind), detail)


@dataclass(frozen=True)
class Evidence:
    """A quoted passage supporting (or, when `discounted`, rejected for) a finding."""

    quote: str
    start: int
    end: int
    page: int | None
    paragraph: int
    line: int | None
    section: str
    section_kind: SectionKind
    role: str  # "topic" or the element id the passage shows
    modality: str  # binding | weak | neutral
    matches: tuple[Match, ...] = ()
    discounted: str | None = None  # why the passage does not count, in the report language
    discount_code: str | None = None  # the same as a stable code: trap:<id>, section:<kind>, negated ...


@dataclass(frozen=True)
class Reason:
    """Why a criterion applies, as data: a kind (always, cpv, cpv-confirmed, subject, body,
    clause, configured) and its arguments (a CPV code, a group id, a term of the document, a count).
    `messages.reason_text` words it in any language; no stage writes the sentence itself."""

    kind: str
    args: tuple[tuple[str, str], ...] = ()

    def arg(self, name: str) -> str:
        return dict(self.args)[name]


@dataclass(frozen=True)
class Suggestion:
    language: str  # of the model clause: the document's, since the clause is pasted into it
    missing_elements: tuple[str, ...]
    model_clause: str
    text: str  # rendered from the fields below (see `report.localize`)
    weak_reason: str | None = None  # award | selection | wording | scope | place, for a weak clause
    heading: str | None = None  # the execution heading the clause belongs under, quoted from the document


@dataclass(frozen=True)
class Finding:
    criterion: str
    applies: bool
    applies_because: tuple[str, ...]
    presence: Presence
    status: Status
    confidence: float
    elements: dict[str, bool]
    evidence: tuple[Evidence, ...]
    discounted: tuple[Evidence, ...]
    suggestion: Suggestion | None
    suppressed_reason: str | None = None
    reasons: tuple[Reason, ...] = ()  # `applies_because` as data; the texts are these, rendered
    suppressed_at: str | None = None  # where the suppression stands ("line 25", "comment 1")


@dataclass(frozen=True)
class Notice:
    """Something the user should fix that is not a finding, e.g. a suppression without a reason."""

    code: str
    message: str  # in English, stable for scripts; `messages.notice_text` words it in any language
    args: tuple[tuple[str, str], ...] = ()  # what the message names: where, criterion, known, criteria


@dataclass(frozen=True)
class DocumentError:
    code: str
    message: str


@dataclass(frozen=True)
class BaselineMatch:
    """The baseline a document was compared with (`check --baseline`): the entry found for it, by
    its path or, for a renamed file, by its content, and the status each criterion had there."""

    file: str
    key: str | None  # the entry's document path; None when the document is not in the baseline
    matched_by: str | None  # "path" | "content"
    statuses: dict[str, str] = field(default_factory=dict)  # criterion -> Status value


@dataclass(frozen=True)
class DocumentResult:
    path: str
    sha256: str | None
    format: str | None
    language: str | None
    pages: int | None
    subject: Subject | None
    findings: tuple[Finding, ...] = ()
    error: DocumentError | None = None
    seconds: float = 0.0
    statement: str | None = None  # the subject statement (voorwerp van de opdracht), when found
    notices: tuple[Notice, ...] = ()
    # False for a news item, policy page or brochure: its mentions say nothing of what is
    # bought, and only clause text (the contractor obliged) counts in it.
    reads_as_tender: bool | None = None
    baseline: BaselineMatch | None = None  # set when the run compares against a baseline


@dataclass(frozen=True)
class Report:
    tool_version: str
    library_version: str
    criteria: tuple[str, ...]
    documents: tuple[DocumentResult, ...] = field(default_factory=tuple)
