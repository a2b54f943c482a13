"""`--format markdown` through the real command line on real samples.

Statuses and quotes come from the JSON report of the same files; the HTML report renders the
same view (report/view.py), so both say the same thing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from duediligence.library import load_library
from duediligence.messages import error_text
from duediligence.model import DocumentError
from duediligence.report.markdown_report import escape, inline

from .report_helpers import ABSENT, DUTCH, ESCAPE_ME, FRENCH, acted_on, check, matched_words, statuses, suggested_clause
from .report_helpers import several as run_several  # the fixture below takes the name

URGENCY = ["missing", "weak", "ok", "suppressed", "not-applicable"]
ICON = {"ok": "✅", "weak": "⚠️", "missing": "❌", "not-applicable": "➖", "suppressed": "🔕"}


def cells(row: str) -> list[str]:
    """A GFM table row's cells: split on pipes that are not backslash-escaped."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


def tables(md: str) -> list[list[list[str]]]:
    out: list[list[list[str]]] = []
    for block in re.findall(r"(?:^\|.*\|\n)+", md, flags=re.M):
        out.append([cells(r) for r in block.strip().splitlines()])
    return out


def documents(md: str, report: dict[str, Any]) -> list[str]:
    """The page cut at each document's heading."""
    starts = [m.start() for m in re.finditer(r"^## \d+\. ", md, flags=re.M)]
    assert len(starts) == len(report["documents"])
    return [md[s:e] for s, e in zip(starts, [*starts[1:], len(md)])]


@pytest.fixture(scope="module")
def several(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    return run_several("markdown", tmp_path_factory.mktemp("md"))


def test_overview_and_status_tables_follow_the_json_report(several: tuple[str, dict[str, Any]]) -> None:
    md, report = several
    library = load_library()
    overview, *per_doc = tables(md)
    criteria = report["library"]["criteria"]
    assert overview[0][1:] == [library.get(c).name.get("nl") for c in criteria]
    assert all(len(row) == len(criteria) + 1 for row in overview)
    for row, doc in zip(overview[2:], report["documents"]):
        assert escape(doc["path"]) in row[0]
        if doc["error"] is None:
            assert [c.split(" ")[0] for c in row[1:]] == [ICON[statuses(doc)[c]] for c in criteria]
        else:
            assert doc["error"]["code"] in row[1]
    assert len(per_doc) == sum(1 for d in report["documents"] if d["error"] is None)
    for table, doc in zip(per_doc, [d for d in report["documents"] if d["error"] is None]):
        lang = doc["language"]
        # missing and weak first, what does not apply last; the library's order within a status
        urgent = sorted(statuses(doc), key=lambda c: URGENCY.index(statuses(doc)[c]))
        assert [r[0] for r in table[2:]] == [escape(library.get(c).name.get(lang)) for c in urgent]
        assert [r[1].split(" ")[0] for r in table[2:]] == [ICON[statuses(doc)[c]] for c in urgent]
    assert f"**{len(report['documents'])}**" in md and "**1** onleesbaar" in md


def test_weak_and_missing_criteria_have_a_section_with_evidence_and_clause(several: tuple[str, dict[str, Any]]) -> None:
    md, report = several
    library = load_library()
    for part, doc in zip(documents(md, report), report["documents"]):
        lang = doc["language"]
        for f in acted_on(doc):
            crit = library.get(f["criterion"])
            heading = f"### {ICON[f['status']]} {escape(crit.name.get(lang))}:"
            assert heading in part
            section = part[part.index(heading):]
            clause = suggested_clause(library, f, lang)
            assert f"```text\n{clause}\n```" in section  # in the document's language, ready to paste
            for el, shown in f["elements"].items():
                if not shown:
                    assert f"- ❌ {escape(next(e.name.get(lang) for e in crit.elements if e.id == el))}" in section
            for s in crit.sources:
                assert f"(<{s.url}>)" in section
        for f in doc["findings"]:
            if f["status"] in ("ok", "not-applicable"):
                assert f"### {ICON[f['status']]} " not in part


def test_matched_words_are_bold_in_quotes_with_their_location(several: tuple[str, dict[str, Any]]) -> None:
    md, report = several
    for part, doc in zip(documents(md, report), report["documents"]):
        lines = part.splitlines()
        quotes = [line for line in lines if line.startswith("> ") and not line.startswith("> — ")]
        assert len(quotes) == sum(1 for line in lines if line.startswith("> — "))  # every quote says where it is
        bold = [b for q in quotes for b in re.findall(r"(?<!\\)\*\*(.+?)(?<!\\)\*\*", q)]
        acted = [f for f in doc["findings"] if f["suggestion"] is not None or f["status"] == "suppressed"]
        for word in matched_words({"findings": acted}):
            assert any(inline(word.strip()) in b for b in bold), word


def test_unreadable_document_shows_its_error(several: tuple[str, dict[str, Any]]) -> None:
    md, report = several
    doc = next(d for d in report["documents"] if d["path"] == ABSENT)
    part = documents(md, report)[report["documents"].index(doc)]
    # in the reader's words: a document with no language of its own is reported in Dutch
    said = error_text(DocumentError(doc["error"]["code"], doc["error"]["message"]), "nl")
    assert f"`{doc['error']['code']}`" in part and escape(said) in part


def test_one_document_has_no_overview(tmp_path: Path) -> None:
    md = check("markdown", DUTCH, out=tmp_path / "one.md")
    assert "Overzicht" not in md and md.startswith("# ") and len(tables(md)) == 1


def test_ui_lang_switches_the_labels(tmp_path: Path) -> None:
    own = check("markdown", FRENCH, out=tmp_path / "own.md")
    english = check("markdown", FRENCH, ui_lang="en", out=tmp_path / "en.md")
    assert "| Critère | Statut |" in own and "Clause type" in own
    assert "| Criterion | Status |" in english and "**Model clause** (fr)" in english  # the clause stays French


def test_document_text_cannot_break_the_markdown(tmp_path: Path) -> None:
    doc = tmp_path / "koffie | <b>.txt"
    doc.write_text(ESCAPE_ME, encoding="utf-8")
    md = check("markdown", str(doc), out=tmp_path / "escaped.md")
    quote = next(line for line in md.splitlines() if "alert(1)" in line)
    assert r"\<script\>alert(1)\</script\> \| \*fair\* \_x\_ \[x\](y) \& \`z\`" in quote
    outside_code = md.replace(f"`{doc}`", "")  # a code span shows its text literally
    assert "<script>" not in outside_code and "<b>" not in outside_code
    for table in tables(md):
        assert len({len(row) for row in table}) == 1


@pytest.mark.parametrize(("text", "expected"), [
    ("1. Algemeen", r"1\. Algemeen"),
    ("- item", r"\- item"),
    ("+ item", r"\+ item"),
    ("# kop", r"\# kop"),
    ("a | b", r"a \| b"),
    ("regel\n\neen  twee", "regel een twee"),
    ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert(1)\>"),
])
def test_escape(text: str, expected: str) -> None:
    assert escape(text) == expected
