"""PDF reader on real PDFs: paragraphs, headings, running lines, repairs, encryption, damage, speed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from duediligence.errors import InputError
from duediligence.model import BlockKind, Format
from duediligence.read import ReadLimits, read_document

from .make_files import UNICODE_FONT, encrypted_pdf, image_only_pdf, ligature_pdf, mixed_scan_pdf, pdf, tender_pdf


def _error(path: Path, **kw: object) -> InputError:
    with pytest.raises(InputError) as info:
        read_document(path, **kw)  # type: ignore[arg-type]
    assert path.name in info.value.message and "\n" not in info.value.message
    return info.value


def test_tender_pages_paragraphs_headings_and_repairs(tmp_path: Path) -> None:
    doc = read_document(tender_pdf(tmp_path / "bestek.pdf", pages=3))
    assert doc.format is Format.PDF and doc.pages == 3 and doc.warnings == ()
    page2 = [(b.kind.value, b.heading_level, b.text) for b in doc.blocks if b.page == 2]
    assert page2 == [
        ("heading", 1, "2. Uitvoeringsvoorwaarden"),  # bold and larger
        ("paragraph", None, "De opdrachtnemer respecteert bij de uitvoering de mensenrechten en de fundamentele "
                            "arbeidsnormen van de IAO langs de as Noord-Zuid van de stad."),
        ("heading", 4, "2.1 Sociale voorwaarden"),  # body size, numbered (depth 2: level 3), below the one bold size
        ("paragraph", None, "De leverancier bezorgt een verklaring op erewoord bij de eerste levering en houdt de "
                            "bewijsstukken ter beschikking."),
        ("paragraph", None, "Die verklaring volgt het model in bijlage 3 en wordt jaarlijks vernieuwd voor de "
                            "volledige looptijd van de opdracht."),  # a short line ending a sentence ends a paragraph
        ("heading", 2, "ALGEMENE BEPALINGEN"),  # body size ranks below bold headings
        ("paragraph", None, "De opdrachtnemer voert de opdracht uit volgens de regels van goed vakmanschap en legt "
                            "dezelfde verplichtingen op aan zijn onderaannemers en leveranciers in de hele keten."),
        ("table-row", None, "Post 1 | Kasseien in graniet | m2 | 1250"),
    ]
    assert [b.paragraph for b in doc.blocks] == list(range(1, 25))
    assert [b.page for b in doc.blocks] == [1] * 8 + [2] * 8 + [3] * 8


def test_body_size_headings_take_numbering_depth_without_bold_headings(tmp_path: Path) -> None:
    page = ["3. Uitvoering", "Tekst van het hoofdstuk.", "", "3.2 Sociale voorwaarden", "De leverancier respecteert de IAO-normen."]
    doc = read_document(pdf(tmp_path / "plain.pdf", [page], header="", bold_first=False))
    assert [(b.kind.value, b.heading_level) for b in doc.blocks] == [
        ("heading", 2), ("paragraph", None), ("heading", 3), ("paragraph", None)]  # numbered ranks below chapter words


def test_running_headers_footers_and_page_numbers_are_dropped(tmp_path: Path) -> None:
    texts = " ".join(b.text for b in read_document(tender_pdf(tmp_path / "b.pdf", pages=4)).blocks)
    assert "pagina" not in texts and "Dienst Aankoop" not in texts
    assert not any(b.text.isdigit() for b in read_document(tender_pdf(tmp_path / "b.pdf", pages=4)).blocks)


def test_two_pages_need_the_line_on_both_and_one_page_keeps_its_title(tmp_path: Path) -> None:
    page = ["1. Voorwerp", "Levering van koffie."]
    two = read_document(pdf(tmp_path / "two.pdf", [page, page], header="Gemeente Hamme – Bestek 2025/02"))
    assert [b.text for b in two.blocks] == ["1. Voorwerp", "Levering van koffie."] * 2
    one = read_document(pdf(tmp_path / "one.pdf", [page], header="Gemeente Hamme – Bestek 2025/02"))
    assert [b.text for b in one.blocks] == ["Gemeente Hamme – Bestek 2025/02", "1. Voorwerp", "Levering van koffie."]
    assert one.blocks[1].kind is BlockKind.HEADING


def test_paragraph_running_over_a_page_break_is_one_block(tmp_path: Path) -> None:
    pages = [["De opdrachtnemer respecteert de"], ["mensenrechten in de hele keten.", "", "Volgende zin."]] * 2
    doc = read_document(pdf(tmp_path / "b.pdf", pages, bold_first=False))
    assert "De opdrachtnemer respecteert de mensenrechten in de hele keten." in [b.text for b in doc.blocks]


@pytest.mark.skipif(not UNICODE_FONT.exists(), reason="DejaVu Sans not installed")
def test_ligatures_and_soft_hyphens_in_the_text_layer(tmp_path: Path) -> None:
    path = ligature_pdf(tmp_path / "lig.pdf", ["Het certi\ufb01caat is e\ufb00ectief con\u00adform de \ufb02exibele regels."])
    assert [b.text for b in read_document(path).blocks] == ["Het certificaat is effectief conform de flexibele regels."]


def test_owner_password_only_pdf_reads(tmp_path: Path) -> None:
    path = encrypted_pdf(tender_pdf(tmp_path / "s.pdf", 1), tmp_path / "owner.pdf", user="")
    assert any("mensenrechten" in b.text for b in read_document(path).blocks)


def test_user_password_pdf(tmp_path: Path) -> None:
    path = encrypted_pdf(tender_pdf(tmp_path / "s.pdf", 1), tmp_path / "locked.pdf", user="geheim")
    error = _error(path)
    assert error.code == "password-protected" and "--password" in error.message
    wrong = _error(path, password="fout")
    assert wrong.code == "password-protected" and "does not open" in wrong.message
    assert read_document(path, password="geheim").pages == 1


@pytest.mark.parametrize("cut", [0.05, 0.4, 0.8])
def test_truncated_pdf_is_corrupt(tmp_path: Path, cut: float) -> None:
    data = tender_pdf(tmp_path / "s.pdf", 2).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * cut)])
    assert _error(path).code == "corrupt-pdf"


def test_garbage_after_a_pdf_header_is_corrupt_and_random_bytes_unsupported(tmp_path: Path) -> None:
    import random

    noise = random.Random(7).randbytes(5000)
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + noise)
    assert _error(garbage).code == "corrupt-pdf"
    random_pdf = tmp_path / "random.pdf"
    random_pdf.write_bytes(b"\x00\x01" + noise)
    error = _error(random_pdf)
    assert error.code == "unsupported-format" and "named .pdf" in error.message


def test_image_only_pdf_has_no_text_and_says_ocr(tmp_path: Path) -> None:
    error = _error(image_only_pdf(tmp_path / "scan.pdf"), limits=ReadLimits(ocr="never"))
    assert error.code == "no-text" and "scan" in error.message and "--ocr" in error.message


def test_partly_scanned_pdf_warns_about_its_image_pages(tmp_path: Path) -> None:
    doc = read_document(mixed_scan_pdf(tmp_path / "mixed.pdf"))
    assert [b.text for b in doc.blocks] == ["De opdrachtnemer levert koffie met een Fairtrade-label."]
    assert len(doc.warnings) == 1 and "page(s) 2" in doc.warnings[0] and "--ocr" in doc.warnings[0]


def test_page_limit(tmp_path: Path) -> None:
    error = _error(tender_pdf(tmp_path / "long.pdf", 5), limits=ReadLimits(max_pages=4))
    assert error.code == "too-large" and "5 pages" in error.message


def test_hundred_pages_read_well_under_a_second(tmp_path: Path) -> None:
    path = tender_pdf(tmp_path / "long.pdf", 100)
    read_document(path)  # imports and pdfium warm-up are not what is measured
    started = time.perf_counter()
    doc = read_document(path)
    elapsed = time.perf_counter() - started
    assert doc.pages == 100 and len(doc.blocks) == 800
    assert elapsed < 1.0, f"{elapsed * 10:.1f} ms/page"
