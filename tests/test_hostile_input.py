"""Hostile and broken input through the CLI: every file gets its own code, the run goes on."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from duediligence.cli import main

from .make_files import docx_file, pdf

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _check(*args: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout), result.stderr


def _image_pdf_of(sample: Path, target: Path, pages: tuple[int, ...] = (0,)) -> Path:
    """A scanned copy: the sample pages rendered to images, placed in a PDF with no text layer."""
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    source = pdfium.PdfDocument(str(sample))
    c = canvas.Canvas(str(target), pagesize=A4)
    for page in pages:
        image = source[page].render(scale=300 / 72).to_pil()
        c.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return target


def test_corpus_of_broken_files_each_gets_its_code(tmp_path: Path) -> None:
    good = pdf(tmp_path / "good.pdf", [["3. Uitvoeringsvoorwaarden", "De opdrachtnemer levert koffie."]])
    cases = {
        "truncated.pdf": (good.read_bytes()[: len(good.read_bytes()) // 3], "corrupt-pdf"),
        "random.pdf": (os.urandom(4096), "unsupported-format"),
        "zero.md": (b"", "empty-file"),
        "broken-zip.docx": (b"PK\x03\x04" + os.urandom(2000), "corrupt-docx"),
        "pdf-as.docx": (good.read_bytes(), None),
        "latin1.txt": ("Voorwerp: café, crème brûlée en thé\n".encode("latin-1"), None),
        "long-lines.txt": (("mensenrechten " * 50_000).encode(), None),
        "mixed-scripts.md": ("# Bestek\n\nМатеріали 材料 مواد — natuursteen kasseien ✓\n".encode(), None),
    }
    paths = []
    for name, (content, _code) in cases.items():
        (tmp_path / name).write_bytes(content)
        paths.append(str(tmp_path / name))
    folder = tmp_path / "a-folder.pdf"
    folder.mkdir()
    paths.append(str(folder))
    code, data, err = _check(*paths)
    got = {Path(d["path"]).name: (d["error"] or {}).get("code") for d in data["documents"]}
    expected = {name: c for name, (_b, c) in cases.items()} | {"a-folder.pdf": "is-directory"}
    assert got == expected
    assert code == 2 and "Traceback" not in err
    assert len([ln for ln in err.splitlines() if ln.startswith("duediligence:")]) == 5


def test_max_pages(tmp_path: Path) -> None:
    big = pdf(tmp_path / "big.pdf", [["Pagina", "tekst"]] * 30, bold_first=False)
    code, data, _ = _check("--max-pages", "20", str(big))
    assert code == 2 and data["documents"][0]["error"]["code"] == "too-large"
    assert "20" in data["documents"][0]["error"]["message"]


def test_user_password_via_cli(tmp_path: Path) -> None:
    from .make_files import encrypted_pdf

    locked = encrypted_pdf(pdf(tmp_path / "s.pdf", [["Bestek", "De opdrachtnemer levert koffie."]]), tmp_path / "locked.pdf", user="geheim")
    code, data, err = _check(str(locked))
    assert data["documents"][0]["error"]["code"] == "password-protected" and "--password" in err
    code, data, _ = _check("--password", "geheim", str(locked))
    assert data["documents"][0]["error"] is None


def test_zip_bomb_limit_is_configurable(tmp_path: Path) -> None:
    import zipfile

    path = docx_file(tmp_path / "bomb.docx", [("p", "x")])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        with z.open("word/media/zeros.bin", "w", force_zip64=True) as fh:
            for _ in range(24):
                fh.write(b"\0" * (1 << 20))
    code, data, _ = _check("--max-unzipped-mb", "16", str(path))
    assert data["documents"][0]["error"]["code"] == "too-large"
    code, data, _ = _check("--max-unzipped-mb", "64", str(path))
    assert data["documents"][0]["error"] is None


def test_scan_without_ocr_says_how(tmp_path: Path) -> None:
    from .make_files import image_only_pdf

    code, data, err = _check("--ocr", "never", str(image_only_pdf(tmp_path / "scan.pdf")))
    assert data["documents"][0]["error"]["code"] == "no-text" and "--ocr" in err


@pytest.mark.skipif(shutil.which("tesseract") is None and not os.environ.get("CI"), reason="tesseract not installed (.ci/run installs it)")
def test_ocr_reads_a_scanned_sample_page(tmp_path: Path) -> None:
    scan = _image_pdf_of(SAMPLES / "en_events_20.pdf", tmp_path / "scanned.pdf", pages=(0, 1))
    code, data, err = _check("--criteria", "fair-trade", str(scan))
    doc = data["documents"][0]
    assert doc["error"] is None, err
    fair = doc["findings"][0]
    assert fair["applies"] is True and fair["presence"] == "weak"
    assert any("Fairtrade" in e["quote"] for e in fair["evidence"])


def test_per_document_time_limit_in_check(tmp_path: Path) -> None:
    slow = pdf(tmp_path / "slow.pdf", [["Hoofdstuk", "tekst " * 40] * 6 for _ in range(1900)], bold_first=False)
    quick = tmp_path / "quick.txt"
    quick.write_text("Bestek\n\nLevering van kopieerpapier.\n", encoding="utf-8")  # nothing to split: no spaCy start
    # the 1,900 pages (the limit is 2,000) take about a second to read and check; the quick file needs
    # a few hundredths, so a limit of 0.3 s tells them apart on a machine that is busy or twice as fast
    code, data, err = _check("--timeout", "0.3", "--ocr", "never", str(slow), str(quick))
    assert data["documents"][0]["error"]["code"] == "timeout" and "--timeout" in err
    assert data["documents"][1]["error"] is None and code == 2


def test_a_file_that_disappears_during_an_audit_is_recorded_and_the_run_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from duediligence.batch import runner

    folder = tmp_path / "tenders"
    folder.mkdir()
    for name in ("nl_parking_03.txt", "nl_ict_11.md", "fr_credit_17.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    vanishing = folder / "nl_ict_11.md"
    real_facts = runner.file_facts

    def facts_then_vanish(path: str):  # type: ignore[no-untyped-def]
        result = real_facts(path)
        if path == str(vanishing):
            vanishing.unlink()  # gone after it was listed and hashed, before a worker reads it
        return result

    monkeypatch.setattr(runner, "file_facts", facts_then_vanish)
    db = tmp_path / "audit.db"
    outcome = runner.audit(runner.AuditRequest(inputs=(str(folder),), db_path=str(db), jobs=1, use_cache=False))
    assert outcome.run.status == "finished"
    rows = sqlite3.connect(db).execute("SELECT d.path, e.code FROM documents d LEFT JOIN errors e ON e.document_id = d.id").fetchall()
    codes = {Path(p).name: c for p, c in rows}
    assert codes == {"nl_parking_03.txt": None, "nl_ict_11.md": "not-found", "fr_credit_17.txt": None}


def _special_files(folder: Path) -> None:
    """A pipe, a link to /dev/zero and a loop of links, beside a real tender."""
    folder.mkdir()
    shutil.copy(SAMPLES / "nl_parking_03.txt", folder / "tender.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "loop-a.md").symlink_to(folder / "loop-b.md")
    (folder / "loop-b.md").symlink_to(folder / "loop-a.md")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_pipes_devices_and_link_loops_in_check(tmp_path: Path) -> None:
    _special_files(tmp_path / "in")
    names = ("pipe.txt", "zero.txt", "loop-a.md", "tender.txt")
    code, data, err = _check(*(str(tmp_path / "in" / n) for n in names))
    got = {Path(d["path"]).name: (d["error"] or {}).get("code") for d in data["documents"]}
    assert got == {"pipe.txt": "unreadable", "zero.txt": "unreadable", "loop-a.md": "unreadable", "tender.txt": None}
    assert "symbolic links" in err and "Traceback" not in err
    annotate = CliRunner().invoke(main, ["check", "--annotate", str(tmp_path / "out.docx"), str(tmp_path / "in" / "loop-a.md")])
    assert annotate.exit_code == 2 and "Traceback" not in annotate.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_pipes_devices_and_link_loops_in_an_audited_folder(tmp_path: Path) -> None:
    """The audit parent opened and hashed each file before any limit: a pipe blocked it for
    good, /dev/zero never ended."""
    import sqlite3

    from duediligence.batch import runner

    _special_files(tmp_path / "in")
    db = tmp_path / "audit.db"
    started = time.monotonic()
    outcome = runner.audit(runner.AuditRequest(inputs=(str(tmp_path / "in"), str(tmp_path / "in" / "loop-a.md")),
                                               db_path=str(db), jobs=1, use_cache=False))
    assert time.monotonic() - started < 60 and outcome.run.status == "finished"
    rows = sqlite3.connect(db).execute("SELECT d.path, e.code FROM documents d LEFT JOIN errors e ON e.document_id = d.id")
    assert {Path(p).name: c for p, c in rows} == {"pipe.txt": "unreadable", "zero.txt": "unreadable", "loop-a.md": "unreadable",
                                                 "loop-b.md": "unreadable", "tender.txt": None}


def test_an_unreadable_file_does_not_stop_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission denied (simulated where the tests run as root, who may read anything): that
    file is `unreadable`, the next one is checked."""
    secret = tmp_path / "secret.txt"
    secret.write_text("Bestek\n\nVertrouwelijk.\n", encoding="utf-8")
    real_open = os.open

    def refuse(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(path) == str(secret):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    code, data, err = _check(str(secret), str(SAMPLES / "nl_parking_03.txt"))
    assert [(d["error"] or {}).get("code") for d in data["documents"]] == ["unreadable", None]
    assert "Permission denied" in err and code == 2
