"""`duediligence fix`: the Word copy with the missing model clauses as tracked insertions.

Real samples, the real command, python-docx and LibreOffice as the readers of the copy; a
second check of the copy with every change accepted is what says the clauses were put where
they count.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

from duediligence import check
from duediligence.cli import main
from duediligence.model import DocumentResult, SectionKind, Status
from duediligence.read import read_document
from duediligence.segment import segment

from .docx_revisions import W, accept_all, reject_all

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
# A heading named by the report with articles under it (fr), a leaf heading (nl, en), none at all (gemeentehuis).
FIXED = ("fr_festival_31", "nl_voetpaden_02", "en_treasury-banking_37", "nl_gemeentehuis_24")


ARTICLE_NUMBER = re.compile(r"^\d+(\.\d+)*\.?\s+")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def norm(text: str) -> str:
    return " ".join(text.split())


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def missing(result: DocumentResult) -> list[str]:
    return [f.criterion for f in result.findings if f.status is Status.MISSING]


@pytest.fixture(scope="module")
def fixed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[DocumentResult, Path, str]]:
    """Each sample's first check, its fixed copy (made by the command) and the command's stderr."""
    folder = tmp_path_factory.mktemp("fixed")
    out = {}
    for name in FIXED:
        source = SAMPLES / f"{name}.docx"
        before = sha(source)
        copy = folder / f"{name}.fixed.docx"
        code, err = run("fix", str(source), "-o", str(copy))
        assert code == 0, err
        assert sha(source) == before, "the original is never modified"
        out[name] = (check([str(source)]).documents[0], copy, err)
    return out


def text_of(paragraph: Any) -> str:
    """The paragraph's text with its tracked insertions (python-docx's `text` leaves them out)."""
    return norm("".join(t.text or "" for t in paragraph.iter(f"{W}t")))


def inserted_paragraphs(path: Path) -> list[Any]:
    body = docx.Document(str(path)).element.body
    return [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}rPr/{W}ins") is not None]


def clauses(result: DocumentResult) -> dict[str, tuple[str, str]]:
    """Each missing criterion's model clause as the report gives it: (its title, its text)."""
    out = {}
    for f in result.findings:
        if f.status is Status.MISSING and f.suggestion is not None:
            title, text = norm(f.suggestion.model_clause).split(". ", 1)
            out[f.criterion] = (title, text)
    return out


def test_each_missing_clause_is_a_tracked_insertion_by_duediligence(fixed: dict[str, tuple[DocumentResult, Path, str]]) -> None:
    body = docx.Document(str(fixed["fr_festival_31"][1])).element.body
    numbered = [t for t in (text_of(p) for p in body.iter(f"{W}p")) if t.startswith("8.")]
    assert numbered[-2:] == ["8.4 Condition d'exécution particulière — événement sans énergies fossiles",  # a festival
                             "8.5 Condition d'exécution particulière — droits humains et normes du travail dans la chaîne"]
    for name, (result, copy, err) in fixed.items():
        assert missing(result), f"{name} should miss a clause"
        paragraphs = inserted_paragraphs(copy)
        assert len(paragraphs) == 2 * len(missing(result)), name  # the clause's title and its text
        for p in paragraphs:
            for mark in (p.find(f"{W}pPr/{W}rPr/{W}ins"), *p.findall(f"{W}ins")):
                assert mark.get(f"{W}author") == "duediligence"
                datetime.strptime(mark.get(f"{W}date"), "%Y-%m-%dT%H:%M:%SZ")
            assert p.findall(f"{W}r") == [], "every run of the new paragraphs sits in the insertion"
        texts = [text_of(p) for p in paragraphs]
        texts[0::2] = [ARTICLE_NUMBER.sub("", t) for t in texts[0::2]]  # a title may get the next article number
        assert texts == [part for c in missing(result) for part in clauses(result)[c]], name
        assert f"{len(missing(result))} tracked insertion" in err
    ids = [int(e.get(f"{W}id")) for e in docx.Document(str(fixed["fr_festival_31"][1])).element.body.iter()
           if e.get(f"{W}id") is not None and e.tag in (f"{W}ins", f"{W}del")]
    assert len(ids) == len(set(ids)), "revision ids are unique"


def test_accepted_copy_checks_ok_and_rejected_copy_is_the_original(fixed: dict[str, tuple[DocumentResult, Path, str]],
                                                                    tmp_path: Path) -> None:
    for name, (result, copy, _err) in fixed.items():
        accepted = accept_all(copy, tmp_path / f"{name}.accepted.docx")
        again = check([str(accepted)]).documents[0]
        statuses = {f.criterion: f.status for f in again.findings}
        assert all(statuses[c] is Status.OK for c in missing(result)), (name, statuses)
        rejected = reject_all(copy, tmp_path / f"{name}.rejected.docx")
        original = read_document(SAMPLES / f"{name}.docx")
        assert [b.text for b in read_document(rejected).blocks if b.part == "body"] == \
            [b.text for b in original.blocks if b.part == "body"]


def test_clauses_go_where_the_report_says(fixed: dict[str, tuple[DocumentResult, Path, str]], tmp_path: Path) -> None:
    for name, (result, copy, _err) in fixed.items():
        doc = segment(read_document(accept_all(copy, tmp_path / f"{name}.docx")))
        clause_title = clauses(result)[missing(result)[0]][0]
        at = next(i for i, b in enumerate(doc.blocks) if b.text.endswith(clause_title))
        suggestion = next(f.suggestion for f in result.findings if f.status is Status.MISSING)
        assert suggestion is not None
        named = [b for b in doc.blocks[:at] if b.is_heading and f"'{b.text}'" in suggestion.text
                 or f"« {b.text} »" in suggestion.text]
        if named:  # at the end of the section the report names: its last article, or the one right after it
            heading = named[-1].section_path
            own = doc.blocks[at].section_path
            assert own[:len(heading)] == heading or own[:-1] == heading[:-1], (name, own, heading)
            assert doc.blocks[at - 1].section_path[:len(heading)] == heading, name
        else:  # no heading named: right after the last execution article
            assert name == "nl_gemeentehuis_24"
            assert doc.blocks[at - 1].section_kind is SectionKind.EXECUTION
            assert doc.blocks[at].section_kind is SectionKind.EXECUTION


def test_every_inserted_title_reads_as_a_heading_of_its_own(fixed: dict[str, tuple[DocumentResult, Path, str]],
                                                             tmp_path: Path) -> None:
    # A long unnumbered title ("... human rights and labour standards in the supply chain") once read
    # as body text of the clause inserted before it, whose criterion then claimed it.
    for name, (result, copy, _err) in fixed.items():
        doc = segment(read_document(accept_all(copy, tmp_path / f"{name}.docx")))
        for title, _text in clauses(result).values():
            block = next(b for b in doc.blocks if b.text.endswith(title))
            assert block.is_heading and block.section_path[-1] == block.text, (name, title)


def test_weak_passages_are_commented_in_the_fixed_copy(fixed: dict[str, tuple[DocumentResult, Path, str]]) -> None:
    result, copy, _err = fixed["nl_gemeentehuis_24"]
    weak = [f for f in result.findings if f.status is Status.WEAK]
    assert weak
    comments = [c.text for c in docx.Document(str(copy)).comments]
    assert all(c.author == "duediligence" for c in docx.Document(str(copy)).comments)
    # one per weak passage, one on each inserted clause saying why it applies
    assert len(comments) >= sum(1 for f in weak for e in f.evidence if e.role == "topic") + len(missing(result))
    assert any(f.suggestion and norm(f.suggestion.text)[:40] in norm(c) for f in weak for c in comments)


def test_libreoffice_opens_the_copy_and_prints_the_inserted_text(fixed: dict[str, tuple[DocumentResult, Path, str]],
                                                                 tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is not installed (.ci/run installs libreoffice-writer-nogui)")
        pytest.skip("LibreOffice is not installed")
    names = ("fr_festival_31", "nl_voetpaden_02")
    copies = [str(fixed[n][1]) for n in names]
    profile = tmp_path / "profile"  # a private profile: no clash with another LibreOffice running
    done = subprocess.run([office, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), *copies], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    import pypdf

    for name in names:
        pdf = tmp_path / f"{name}.fixed.pdf"
        assert pdf.exists(), done.stdout + done.stderr
        text = norm(" ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages))
        for title, body in clauses(fixed[name][0]).values():
            assert title in text and body[:60] in text, name


def test_bad_input_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "copy.docx"
    code, err = run("fix", str(SAMPLES / "fr_place_15.pdf"), "-o", str(out))
    assert code == 2 and "DOCX source" in err and len(err.strip().splitlines()) == 1 and not out.exists()
    empty = tmp_path / "leeg.docx"
    empty.write_bytes(b"")
    code, err = run("fix", str(empty), "-o", str(out))
    assert code == 2 and "empty-file" in err and "Traceback" not in err and not out.exists()
    source = tmp_path / "bestek.docx"
    shutil.copy(SAMPLES / "nl_voetpaden_02.docx", source)
    before = sha(source)
    code, err = run("fix", str(source), "-o", str(source))
    assert code == 2 and "must differ" in err and sha(source) == before
    code, err = run("fix", str(source), "-o", str(tmp_path / "nope" / "copy.docx"))
    assert code == 2 and "does not exist" in err and "Traceback" not in err
