"""The JSON report: a stable, versioned surface for scripts and dashboards.

Field names are a contract (schema_version 1): fields may be added, never renamed.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from ..model import DocumentResult, Evidence, Finding, Report
from ..messages import error_text, notice_text
from .localize import localize

if TYPE_CHECKING:
    from ..library import Library

SCHEMA_VERSION = 1


def evidence_dict(e: Evidence) -> dict[str, Any]:
    out: dict[str, Any] = {
        "quote": e.quote,
        "page": e.page,
        "paragraph": e.paragraph,
        "line": e.line,
        "section": e.section,
        "section_kind": e.section_kind.value,
        "start": e.start,
        "end": e.end,
        "role": e.role,
        "modality": e.modality,
        "matches": [{"start": m.start, "end": m.end, "term": m.term} for m in e.matches],
    }
    if e.discounted is not None:
        out["discounted"] = e.discounted
        out["discount_code"] = e.discount_code
    return out


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "criterion": f.criterion,
        "applies": f.applies,
        "applies_because": list(f.applies_because),
        "presence": f.presence.value,
        "status": f.status.value,
        "confidence": f.confidence,
        "elements": dict(f.elements),
        "evidence": [evidence_dict(e) for e in f.evidence],
        "discounted": [evidence_dict(e) for e in f.discounted],
        "suggestion": None
        if f.suggestion is None
        else {
            "text": f.suggestion.text,
            "language": f.suggestion.language,
            "missing_elements": list(f.suggestion.missing_elements),
            "model_clause": f.suggestion.model_clause,
            "weak_reason": f.suggestion.weak_reason,
            "heading": f.suggestion.heading,
        },
        "suppressed_reason": f.suppressed_reason,
        "suppressed_at": f.suppressed_at,
        # applies_because as data: {"kind": "cpv", "code": "45233000", "group": "stone"}, ...
        "reasons": [{"kind": r.kind, **dict(r.args)} for r in f.reasons],
    }


def eforms_dict(d: DocumentResult, library: "Library", ui_lang: str | None = None) -> dict[str, Any] | None:
    """The "in the notice" section: each eForms code the findings justify (tick), nearly justify
    (not-yet) or would once the missing clause is inserted, with the clauses it comes from."""
    from ..eforms import DESCRIPTION_FIELD, code_lists, notice_hints
    from .view import notice_view

    lang = ui_lang or d.language or "en"
    view = notice_view(d, library, lang)
    if view is None:
        return None
    lists = code_lists()
    codes = []
    for h in notice_hints(d, {c.id: c.eforms for c in library.criteria}):
        sources = []
        for s in h.sources:
            source: dict[str, Any] = {"criterion": s.criterion, "status": s.status.value}
            if s.evidence is not None:
                e = s.evidence
                source.update({"page": e.page, "paragraph": e.paragraph, "line": e.line, "section": e.section})
            sources.append(source)
        codes.append({"field": h.field, "code": h.code, "state": h.state, "label": lists.fields[h.field].label(h.code, lang),
                      "sources": sources})
    return {
        "sdk_version": lists.sdk_version,
        "codes": codes,
        "descriptions": [{"field": DESCRIPTION_FIELD, "aim": v.aim, "language": v.lang, "text": v.text} for v in view.descriptions],
    }


def document_dict(d: DocumentResult, library: "Library | None" = None, ui_lang: str | None = None) -> dict[str, Any]:
    """One document in the JSON shape; with the library, also its eForms codes (`eforms`), and its
    texts (reasons, discounts, suggestions) in `ui_lang` beside the ids and codes they word."""
    d = localize(d, library, ui_lang)
    lang = (ui_lang if library is not None and ui_lang else None) or d.language or "en"
    out = {
        "path": d.path,
        "sha256": d.sha256,
        "format": d.format,
        "language": d.language,
        "pages": d.pages,
        "subject": None
        if d.subject is None
        else {
            "title": d.subject.title,
            "statement": d.statement,
            "cpv_codes": list(d.subject.cpv_codes),
            "lots": list(d.subject.lots),
            "product_groups": list(d.subject.product_groups),
        },
        "findings": [_judged(finding_dict(f), d, f) for f in d.findings],
        "error": None if d.error is None else {"code": d.error.code, "message": d.error.message,
                                               "text": error_text(d.error, lang)},
        "notices": [{"code": n.code, "message": n.message, "args": dict(n.args), "text": notice_text(n, lang)}
                    for n in d.notices],
        "reads_as_tender": d.reads_as_tender,
        "seconds": d.seconds,
        "text_language": lang,
    }
    if d.baseline is not None:
        out["baseline"] = {"file": d.baseline.file, "entry": d.baseline.key, "matched_by": d.baseline.matched_by}
    if library is not None:
        out["eforms"] = eforms_dict(d, library, ui_lang)
    return out


def _judged(out: dict[str, Any], d: DocumentResult, f: Finding) -> dict[str, Any]:
    """A finding with how it compares to the baseline, when the run has one."""
    from ..baseline import covered, state

    if d.baseline is not None:
        out["baseline"] = {"status": d.baseline.statuses.get(f.criterion), "state": state(f, d.baseline),
                           "covered": covered(d, f)}
    return out


def summary(report: Report) -> dict[str, Any]:
    from ..baseline import RANK, improved, reported

    counts = Counter(f.status.value for d in report.documents for f in d.findings)
    out: dict[str, Any] = {
        "documents": len(report.documents),
        "failed": sum(1 for d in report.documents if d.error is not None),
        "status_counts": dict(sorted(counts.items())),
    }
    judged = [d for d in report.documents if d.baseline is not None]
    if judged:
        out["baseline"] = {
            "covered": sum(len(d.findings) - len(reported(d)) for d in judged),
            "new_or_worse": sum(1 for d in judged for f in reported(d) if RANK[f.status.value] > 0),
            "better": sum(len(improved(d)) for d in judged),
        }
    return out


def report_dict(report: Report, library: "Library | None" = None, ui_lang: str | None = None) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "duediligence", "version": report.tool_version},
        "library": {"version": report.library_version, "criteria": list(report.criteria)},
        "documents": [document_dict(d, library, ui_lang) for d in report.documents],
        "summary": summary(report),
    }


def render(report: Report, library: "Library | None" = None, ui_lang: str | None = None, **_options: Any) -> str:
    return json.dumps(report_dict(report, library, ui_lang), ensure_ascii=False, indent=2) + "\n"
