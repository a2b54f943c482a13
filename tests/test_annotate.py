"""`check --annotate`: a copy of the Word tender with the findings as comments where they belong."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

from duediligence.cli import main
from duediligence.library import load_library
from duediligence.model import DocumentResult, Evidence, Finding, Presence, SectionKind, Status, Subject, Suggestion
from duediligence.report.annotate import AnnotateError, annotate_docx

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Samples with a weak passage and/or a missing criterion, and one (catering) with neither.
ANNOTATED = ("nl_catering_05", "nl_werkkledij_07", "nl_parkbanken_14", "fr_cantine_16", "nl_voetpaden_02")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def anchors(path: Path) -> list[tuple[str, str]]:
    """(comment text, text of the paragraph where its range starts) per comment, read from the XML."""
    document = docx.Document(str(path))
    body = document.element.body
    out = []
    for comment in document.comments:
        assert (comment.author, comment.initials) == ("duediligence", "DD")
        start = next(e for e in body.iter(f"{W}commentRangeStart") if e.get(f"{W}id") == str(comment.comment_id))
        paragraph = next(start.iterancestors(f"{W}p"))
        out.append((comment.text, "".join(t.text or "" for t in paragraph.iter(f"{W}t"))))
    return out


def weak_quotes(doc: dict[str, Any]) -> list[str]:
    return [e["quote"] for f in doc["findings"] if f["status"] == "weak" for e in f["evidence"] if e["role"] == "topic"]


def holds(paragraph: str, quote: str) -> bool:
    piece = max(quote.rstrip("…").split(" | "), key=len)
    return norm(piece)[:50] in norm(paragraph)


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, Any], Path, str]]:
    """Each sample checked once with --annotate: (its JSON result, the copy, stderr)."""
    folder = tmp_path_factory.mktemp("annotated")
    out = {}
    for name in ANNOTATED:
        source = SAMPLES / f"{name}.docx"
        before = sha(source)
        copy = folder / f"{name}.annotated.docx"
        _code, stdout, err = run("check", "--format", "json", "--fail-on", "never", str(source), "--annotate", str(copy))
        assert sha(source) == before, "the original must never be modified"
        out[name] = (json.loads(stdout)["documents"][0], copy, err)
    return out


@pytest.mark.parametrize("name", ANNOTATED)
def test_one_comment_per_weak_passage_and_per_missing_criterion(annotated: dict, name: str) -> None:
    doc, copy, err = annotated[name]
    missing = [f for f in doc["findings"] if f["status"] == "missing"]
    expected = len(weak_quotes(doc)) + len(missing)
    assert f"annotated copy written to {copy} ({expected} comment" in err
    assert err.count("\n") == 1
    comments = anchors(copy)
    assert len(comments) == expected
    for quote in weak_quotes(doc):
        assert any(holds(paragraph, quote) for text, paragraph in comments if text.startswith(("Zwakke", "Clause faible", "Weak"))), quote
    title_words = set(re.findall(r"\w+", norm(doc["subject"]["title"])))
    for f in missing:
        clause = norm(f["suggestion"]["model_clause"])
        on = [paragraph for text, paragraph in comments if clause in norm(text)]
        assert len(on) == 1, f["criterion"]
        assert len(title_words & set(re.findall(r"\w+", norm(on[0])))) >= 0.6 * len(title_words), on[0]


def test_the_samples_cover_weak_and_missing(annotated: dict) -> None:
    docs = [doc for doc, _copy, _err in annotated.values()]
    assert any(weak_quotes(d) for d in docs)
    assert any(f["status"] == "missing" for d in docs for f in d["findings"])
    assert len(anchors(annotated["nl_catering_05"][1])) == len(weak_quotes(annotated["nl_catering_05"][0])) + sum(
        f["status"] == "missing" for f in annotated["nl_catering_05"][0]["findings"])


def test_pdf_input_still_reports_but_says_annotation_needs_the_docx(tmp_path: Path) -> None:
    copy = tmp_path / "copy.docx"
    code, out, err = run("check", "--fail-on", "never", str(SAMPLES / "nl_dorpsplein_01.pdf"), "--annotate", str(copy))
    assert code == 2
    assert "nl_dorpsplein_01.pdf" in out  # the report is printed all the same
    assert "DOCX source" in err and len(err.strip().splitlines()) == 1
    assert not copy.exists()


def test_same_path_multiple_documents_and_output_clash_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "bestek.docx"
    source.write_bytes((SAMPLES / "nl_voetpaden_02.docx").read_bytes())
    before = sha(source)
    code, out, err = run("check", str(source), "--annotate", str(source))
    assert code == 2 and out == "" and "must differ" in err and "Traceback" not in err
    assert sha(source) == before
    code, _out, err = run("check", str(source), str(SAMPLES / "nl_catering_05.docx"), "--annotate", str(tmp_path / "a.docx"))
    assert code == 2 and "exactly one document" in err
    code, _out, err = run("check", str(source), "-o", str(tmp_path / "a.docx"), "--annotate", str(tmp_path / "a.docx"))
    assert code == 2 and "must differ" in err
    assert not (tmp_path / "a.docx").exists()


def test_write_errors_and_unreadable_documents_are_one_line(tmp_path: Path) -> None:
    missing_folder = tmp_path / "nope" / "copy.docx"
    code, _out, err = run("check", "--fail-on", "never", str(SAMPLES / "nl_voetpaden_02.docx"), "--annotate", str(missing_folder))
    assert code == 2 and str(missing_folder) in err and "does not exist" in err and "Traceback" not in err
    empty = tmp_path / "leeg.docx"
    empty.write_bytes(b"")
    code, _out, err = run("check", str(empty), "--annotate", str(tmp_path / "copy.docx"))
    assert code == 2 and "no annotated copy" in err and not (tmp_path / "copy.docx").exists()
    assert list(tmp_path.glob(".*.tmp")) == [] and list((tmp_path).glob("*.tmp")) == []


def _evidence(quote: str, paragraph: int) -> Evidence:
    return Evidence(quote, 0, len(quote), None, paragraph, None, "Uitvoering", SectionKind.EXECUTION, "topic", "weak")


def _finding(criterion: str, status: Status, evidence: tuple[Evidence, ...], lang: str = "nl") -> Finding:
    suggestion = Suggestion(lang, ("obligation", "verification"), "De opdrachtnemer levert uitsluitend fairtradekoffie.",
                            "Versterk de bestaande clausule.")
    presence = Presence.WEAK if status is Status.WEAK else Presence.ABSENT
    return Finding(criterion, True, ("koffie",), presence, status, 0.8, {}, evidence, (), suggestion)


def test_quotes_in_table_cells_and_split_runs_are_found(tmp_path: Path) -> None:
    """A quote of a table row ("cell | cell") lands on its cell; runs and spacing do not matter."""
    source = tmp_path / "bestek.docx"
    d = docx.Document()
    d.add_heading("Levering van koffie voor het stadhuis", level=1)
    p = d.add_paragraph("De opdrachtnemer levert ")
    p.add_run("bij voorkeur").bold = True
    p.add_run("  fairtradekoffie.")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "3"
    table.cell(0, 1).text = "Thee is indien mogelijk fairtrade."
    d.add_paragraph("De opdrachtnemer levert bij voorkeur fairtradekoffie.")  # the same words later: ties go by number
    d.save(str(source))
    findings = (
        _finding("fair-trade", Status.WEAK, (_evidence("De opdrachtnemer levert bij voorkeur fairtradekoffie.", 2),
                                             _evidence("3 | Thee is indien mogelijk fairtrade.", 3))),
        _finding("human-rights", Status.MISSING, ()),
        _finding("trustone", Status.SUPPRESSED, ()),
        _finding("fossil-free", Status.OK, ()),
    )
    result = DocumentResult(str(source), None, "docx", "nl", None, Subject("Levering van koffie voor het stadhuis", (), (), ()),
                            findings)
    before = sha(source)
    assert annotate_docx(source, result, load_library(), tmp_path / "out.docx", ui_lang="en") == 3
    assert sha(source) == before
    comments = anchors(tmp_path / "out.docx")
    assert [paragraph for _text, paragraph in comments] == [
        "De opdrachtnemer levert bij voorkeur  fairtradekoffie.", "Thee is indien mogelijk fairtrade.",
        "Levering van koffie voor het stadhuis"]
    weak, _cell, missing = (text for text, _paragraph in comments)
    assert weak.startswith("Weak clause: ") and "Still to add: " in weak  # ui_lang en, suggestion in nl: element names
    assert missing.startswith("Missing clause: ") and "fairtradekoffie" in missing and "koffie" in missing
    # The paragraph repeated at the end is not the one quoted (block 2), so it has no comment.
    xml = docx.Document(str(tmp_path / "out.docx")).element.body
    last = list(xml.iter(f"{W}p"))[-1]
    assert last.find(f"{W}commentRangeStart") is None
    with pytest.raises(AnnotateError, match="in place"):
        annotate_docx(source, result, load_library(), source)


def test_annotating_an_annotated_copy_adds_no_second_comment(tmp_path: Path) -> None:
    """Annotating an already annotated copy doubled its comments."""
    first, second = tmp_path / "once.docx", tmp_path / "twice.docx"
    code, _out, err = run("check", str(SAMPLES / "nl_werkkledij_07.docx"), "--annotate", str(first))
    assert "annotated copy written" in err
    code, _out, err = run("check", str(first), "--annotate", str(second))
    assert "(0 comments)" in err
    comments = [[(c.author, c.text) for c in docx.Document(str(p)).comments] for p in (first, second)]
    assert comments[0] and comments[1] == comments[0]
