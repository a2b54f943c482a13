"""The command line on the sample tenders: exit codes, the JSON contract, bad input, evaluation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from duediligence.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_contract_on_a_sample() -> None:
    code, out, _err = run("check", "--format", "json", str(SAMPLES / "nl_catering_05.docx"))
    data = json.loads(out)
    assert data["schema_version"] == 1
    assert data["tool"]["name"] == "duediligence" and data["tool"]["version"]
    assert set(data["library"]["criteria"]) >= {"human-rights", "trustone", "fair-trade", "fossil-free", "ethical-banking"}
    doc = data["documents"][0]
    for key in ("path", "sha256", "format", "language", "pages", "subject", "findings", "error"):
        assert key in doc
    assert doc["format"] == "docx" and doc["language"] == "nl" and doc["error"] is None
    assert "55520000" in doc["subject"]["cpv_codes"]
    for f in doc["findings"]:
        for key in ("criterion", "applies", "applies_because", "presence", "status", "confidence", "elements", "evidence", "suggestion"):
            assert key in f
        assert 0 <= f["confidence"] <= 1
        for e in f["evidence"]:
            assert {"quote", "page", "paragraph", "section", "start", "end"} <= set(e)
    fair = next(f for f in doc["findings"] if f["criterion"] == "fair-trade")
    assert fair["status"] == "ok" and all(fair["elements"].values())
    assert data["summary"]["documents"] == 1 and data["summary"]["failed"] == 0
    assert {f["status"] for f in doc["findings"]} == {"ok", "not-applicable"}
    assert code == 0  # nothing missing: the catering tender has both its clauses


def test_evidence_offsets_point_at_the_quote() -> None:
    from duediligence.library import load_library
    from duediligence.pipeline import Options, _document_text, check_paths

    path = str(SAMPLES / "nl_dorpsplein_01.pdf")
    report = check_paths([path], load_library(), Options())
    text = _document_text(path)
    for f in report.documents[0].findings:
        for e in f.evidence:
            assert text[e.start:e.end].startswith(e.quote.rstrip("…")[:50])
            for m in e.matches:
                assert e.start <= m.start < m.end <= max(e.end, m.end)


@pytest.mark.parametrize(("fail_on", "expected"), [("never", 0), ("missing", 1), ("weak", 1)])
def test_exit_codes_follow_fail_on(fail_on: str, expected: int) -> None:
    code, _out, _err = run("check", "--fail-on", fail_on, str(SAMPLES / "nl_voetpaden_02.docx"))
    assert code == expected


def test_clean_document_exits_zero() -> None:
    code, out, _err = run("check", "--criteria", "fair-trade", str(SAMPLES / "nl_catering_05.docx"))
    assert code == 0, out


def test_bad_input_is_one_line_and_the_rest_is_still_checked(tmp_path: Path) -> None:
    broken = tmp_path / "kapot.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj <<")
    empty = tmp_path / "leeg.docx"
    empty.write_bytes(b"")
    code, out, err = run("check", "--format", "json", str(broken), str(empty), str(SAMPLES / "nl_parking_03.txt"), str(tmp_path / "weg.md"))
    assert code == 2
    data = json.loads(out)
    codes = [d["error"]["code"] if d["error"] else None for d in data["documents"]]
    assert codes == ["corrupt-pdf", "empty-file", None, "not-found"]
    assert data["documents"][2]["findings"], "the good document was not checked"
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 3 and "kapot.pdf" in lines[0] and "Traceback" not in err


def test_text_report_is_grouped_and_plain_without_terminal() -> None:
    code, out, _err = run("check", str(SAMPLES / "fr_cantine_16.docx"))
    assert "fr_cantine_16.docx" in out and "Commerce équitable" in out and "\x1b[" not in out
    assert "Clause type" in out  # the model clause is offered in the document's language


def test_unknown_criterion_is_a_usage_error() -> None:
    code, _out, err = run("check", "--criteria", "fair-traid", str(SAMPLES / "nl_parking_03.txt"))
    assert code == 2 and "unknown criterion 'fair-traid'" in err


def test_library_commands(tmp_path: Path) -> None:
    code, out, _ = run("library", "list")
    assert code == 0 and "trustone" in out
    code, out, _ = run("library", "show", "trustone", "--lang", "nl")
    assert code == 0 and "groeve" in out
    bad = tmp_path / "bad.yml"
    bad.write_text("id: x\nschema: 1\n", encoding="utf-8")
    code, _out, err = run("library", "validate", str(bad))
    assert code == 2 and "bad.yml" in err and "missing required key" in err


def test_evaluation_meets_the_target_on_the_samples() -> None:
    from duediligence.evaluate import evaluate_folder
    from duediligence.library import load_library

    table = evaluate_folder(SAMPLES, None, load_library())
    rows = [ln.split() for ln in table.splitlines() if ln.split() and ln.split()[0] in
            {"human-rights", "trustone", "fair-trade", "fossil-free", "ethical-banking"}]
    assert len(rows) == 5
    for row in rows:
        applies_f1 = float(row[1].split("/")[2])
        presence_f1 = float(row[3].split("/")[2])
        assert applies_f1 >= 0.95 and presence_f1 >= 0.95, table


def test_console_script_runs() -> None:
    proc = subprocess.run([sys.executable, "-m", "duediligence", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "duediligence" in proc.stdout


def test_the_heading_over_a_counted_clause_is_not_listed_as_ignored() -> None:
    code, out, _ = run("check", "--format", "json", "--criteria", "human-rights", str(SAMPLES / "nl_werkkledij_07.docx"))
    finding = json.loads(out)["documents"][0]["findings"][0]
    clause_sections = {e["section"] for e in finding["evidence"]}
    headings = [e for e in finding["discounted"] if e["discount_code"] == "heading"]
    assert finding["evidence"] and clause_sections
    assert not any(any(s.startswith(h["section"]) for s in clause_sections) for h in headings)


@pytest.mark.parametrize("with_conditions, place", [
    (True, "7. Bijzondere uitvoeringsvoorwaarden"),  # the heading on performance conditions
    (False, "8. Oplevering"),  # else the first execution heading not on deadlines or prices
])
def test_advice_names_where_the_clause_belongs(tmp_path: Path, with_conditions: bool, place: str) -> None:
    sections = ["# Bestek 2026/07 – Levering van kantoormeubilair", "## 1. Voorwerp van de opdracht",
                "De opdracht betreft de levering van bureaus en stoelen.", "## 5. Uitvoeringstermijn",
                "De levering gebeurt binnen 60 kalenderdagen.", "## 6. Prijzen en betaling",
                "De prijzen zijn vast; betaling binnen 30 dagen."]
    if with_conditions:
        sections += ["## 7. Bijzondere uitvoeringsvoorwaarden", "De leverancier levert in één keer."]
    sections += ["## 8. Oplevering", "De oplevering gebeurt na plaatsing."]
    path = tmp_path / "meubilair.md"
    path.write_text("\n\n".join(sections), encoding="utf-8")
    _code, out, _err = run("check", "--format", "json", str(path))
    finding = next(f for f in json.loads(out)["documents"][0]["findings"] if f["criterion"] == "human-rights")
    assert finding["status"] == "missing" and f"(bv. onder '{place}')" in finding["suggestion"]["text"]


def test_a_finding_does_not_depend_on_which_criteria_are_selected() -> None:
    """Human rights defers to fair trade (an ILO mention inside a fair-trade definition is fair
    trade's clause); checking human rights alone must still see the fair-trade clause."""
    sample = str(SAMPLES / "fr_festival_31.docx")
    _code, every, _ = run("check", "--format", "json", sample)
    _code, alone, _ = run("check", "--format", "json", "--criteria", "human-rights", sample)
    status = {f["criterion"]: f["status"] for f in json.loads(every)["documents"][0]["findings"]}
    only = json.loads(alone)["documents"][0]["findings"]
    assert [f["criterion"] for f in only] == ["human-rights"] and only[0]["status"] == status["human-rights"] == "missing"


def test_an_audit_that_ignores_a_criterion_still_defers_to_it() -> None:
    """`ignore = ["fair-trade"]` in an audit must judge human rights as `check` does."""
    from duediligence.batch.settings import AuditSettings
    from duediligence.pipeline import check_paths

    library = AuditSettings(ignore=("fair-trade",)).load_library()
    result = check_paths([str(SAMPLES / "fr_festival_31.docx")], library).documents[0]
    assert "fair-trade" not in {f.criterion for f in result.findings}
    assert {f.criterion: f.status.value for f in result.findings}["human-rights"] == "missing"
