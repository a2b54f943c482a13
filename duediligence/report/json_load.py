"""The JSON report read back into the model: the exact inverse of `json_report.document_dict`.

A stored check (the audit database keeps the document JSON) can then be shown again in any
report format and any language without analysing the document again.
"""

from __future__ import annotations

from typing import Any

from ..model import (DocumentError, DocumentResult, Evidence, Finding, Match, Notice, Presence, SectionKind, Status,
                     Reason, Subject, Suggestion)


def _evidence(e: dict[str, Any]) -> Evidence:
    return Evidence(
        quote=e["quote"], start=e["start"], end=e["end"], page=e["page"], paragraph=e["paragraph"], line=e["line"],
        section=e["section"], section_kind=SectionKind(e["section_kind"]), role=e["role"], modality=e["modality"],
        matches=tuple(Match(m["start"], m["end"], m["term"]) for m in e["matches"]),
        discounted=e.get("discounted"), discount_code=e.get("discount_code"),
    )


def _finding(f: dict[str, Any]) -> Finding:
    s = f["suggestion"]
    return Finding(
        criterion=f["criterion"], applies=f["applies"], applies_because=tuple(f["applies_because"]),
        presence=Presence(f["presence"]), status=Status(f["status"]), confidence=f["confidence"],
        elements=dict(f["elements"]), evidence=tuple(map(_evidence, f["evidence"])),
        discounted=tuple(map(_evidence, f["discounted"])),
        suggestion=None if s is None else Suggestion(s["language"], tuple(s["missing_elements"]), s["model_clause"], s["text"],
                                                     s.get("weak_reason"), s.get("heading")),
        suppressed_reason=f["suppressed_reason"], suppressed_at=f.get("suppressed_at"),
        reasons=tuple(_reason(r) for r in f.get("reasons", ())),  # absent in JSON stored before 0.2.1
    )


def _reason(r: dict[str, Any]) -> Reason:
    return Reason(r["kind"], tuple((k, str(v)) for k, v in r.items() if k != "kind"))


def document_from_dict(d: dict[str, Any]) -> DocumentResult:
    """A `DocumentResult` equal to the one `document_dict` was made from."""
    subject = d["subject"]
    error = d["error"]
    return DocumentResult(
        path=d["path"], sha256=d["sha256"], format=d["format"], language=d["language"], pages=d["pages"],
        subject=None if subject is None else Subject(subject["title"], tuple(subject["cpv_codes"]), tuple(subject["lots"]),
                                                     tuple(subject["product_groups"])),
        findings=tuple(map(_finding, d["findings"])),
        error=None if error is None else DocumentError(error["code"], error["message"]),
        seconds=d["seconds"],
        statement=None if subject is None else subject["statement"],
        notices=tuple(Notice(n["code"], n["message"], tuple((k, str(v)) for k, v in n.get("args", {}).items()))
                      for n in d["notices"]),
    )
