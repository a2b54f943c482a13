"""PDF reader on real PDFs: paragraphs, headings, running lines, repairs, encryption, damage, speed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from duediligence.errors import InputError
from duediligence.model import BlockKind, Format
from duediligence.read import ReadLimits, read_document

from .make_files import UNICODE_FONT, encrypted_pdf, image_only_pdf, ligature_pdf, mixed_scan_pdf, pdf, runs_pdf, tender_pdf


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
    assert len(doc.warnings) == 1 and "page(s) 2" in doc.warnings[0].message and "--ocr" in doc.warnings[0].message


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


def test_bold_numbered_headings_nest_and_a_bold_table_header_is_a_row(tmp_path: Path) -> None:
    body = "De opdrachtnemer voert de werken uit volgens de regels van goed vakmanschap en het bestek."
    path = runs_pdf(tmp_path / "bold.pdf", [
        [(50, "4. Uitvoering", True)], [(50, body, False)], [],
        [(50, "4.1 Sociale voorwaarden", True)], [(50, body, False)], [],
        [(50, "Post", True), (120, "Omschrijving", True), (400, "Eenheid", True)],
        [(50, "1.1", False), (120, "Kasseien in graniet", False), (400, "m2", False)],
    ])
    blocks = [(b.kind.value, b.heading_level, b.text) for b in read_document(path).blocks]
    assert blocks == [
        ("heading", 1, "4. Uitvoering"), ("paragraph", None, body),
        ("heading", 2, "4.1 Sociale voorwaarden"), ("paragraph", None, body),  # same font, one number deeper
        ("table-row", None, "Post | Omschrijving | Eenheid"), ("table-row", None, "1.1 | Kasseien in graniet | m2"),
    ]


def test_runs_of_one_line_join_by_their_gap(tmp_path: Path) -> None:
    path = runs_pdf(tmp_path / "runs.pdf", [[
        (50, "Koffie met het ", False), (-1, "Fair", True), (-1, "trade", False), (-1, "-label of gelijkwaardig.", False)]])
    assert [b.text for b in read_document(path).blocks] == ["Koffie met het Fairtrade-label of gelijkwaardig."]


def test_a_bullet_starts_a_list_item_even_after_a_full_line(tmp_path: Path) -> None:
    full = "– het land van herkomst, de naam en de locatie van de groeve en van elke tussenschakel in de keten;"
    path = runs_pdf(tmp_path / "list.pdf", [
        [(50, "De opdrachtnemer bezorgt voor alle natuursteen de volgende gegevens over de hele keten:", False)],
        [(50, full, False)], [(50, "– een risicoanalyse voor kinderarbeid en dwangarbeid;", False)],
        [(50, "– een plan van aanpak.", False)],
    ])
    texts = [b.text for b in read_document(path).blocks]
    assert texts[1:] == [full, "– een risicoanalyse voor kinderarbeid en dwangarbeid;", "– een plan van aanpak."]


LIBREOFFICE = Path(__file__).resolve().parent / "data" / "libreoffice"


@pytest.mark.parametrize("name", ["nl_gemeentehuis_24", "fr_cantine_16", "en_laptops_19"])
def test_a_word_processor_pdf_gives_the_findings_of_its_docx(name: str) -> None:
    """The PDFs in tests/data/libreoffice are the DOCX samples exported by LibreOffice 7.4
    (subset TrueType fonts, bold body-size headings, Symbol bullets, tables), as buyers publish them."""
    from duediligence.library import load_library
    from duediligence.pipeline import check_paths

    samples = Path(__file__).resolve().parent.parent / "samples"
    report = check_paths([str(samples / f"{name}.docx"), str(LIBREOFFICE / f"{name}.pdf")], load_library())
    docx, pdf_result = ({f.criterion: f.status for f in r.findings} for r in report.documents)
    assert pdf_result == docx and any(status != "not-applicable" for status in docx.values())
    headings = [b for b in read_document(LIBREOFFICE / f"{name}.pdf").blocks if b.kind is BlockKind.HEADING]
    levels = {b.text.split(" ", 1)[0]: b.heading_level for b in headings}
    assert levels["1.1"] == levels["1."] + 1 and levels["2."] == levels["1."]


def test_pages_the_fast_reader_cannot_read_go_to_pdfium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from duediligence.read import pdf as pdf_reader

    path = tender_pdf(tmp_path / "b.pdf", pages=3)
    expected = [(b.kind, b.text, b.page) for b in read_document(path).blocks]

    class PanicException(BaseException):  # what a Rust panic inside pdf_oxide raises through pyo3
        pass

    real_spans = pdf_reader._spans

    def failing_page_two(fast: object, number: int) -> list:  # type: ignore[type-arg]
        if number == 1:
            fast = type("Broken", (), {"extract_spans": lambda self, n: (_ for _ in ()).throw(PanicException())})()
        return real_spans(fast, number)

    monkeypatch.setattr(pdf_reader, "_spans", failing_page_two)
    assert [(b.kind, b.text, b.page) for b in read_document(path).blocks] == expected
    monkeypatch.setattr(pdf_reader, "_fast_reader", lambda data, password: None)
    assert [(b.kind, b.text, b.page) for b in read_document(path).blocks] == expected


def test_a_page_that_crashes_the_fast_reader_is_read_quietly_by_pdfium(
        capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A mutated sample (benchmarks/fuzz_readers.py's mutations): pdf_oxide 0.3.78 panics in Rust
    on page 2, which pdfium cannot load either, and cannot find page 4, which pdfium reads.
    After such a panic its font decoding came out shifted ("'HRSGUDFKWQH" for "De opdrachtnemer"),
    so the rest of the process reads with pdfium."""
    from duediligence.read import pdf as pdf_reader

    monkeypatch.setattr(pdf_reader, "_fast_reader_panicked", False)  # and back after the test
    doc = read_document(Path(__file__).resolve().parent / "data" / "fuzz" / "oxide-panics-on-page-2.pdf")
    assert doc.pages == 4 and {b.page for b in doc.blocks} == {1, 3, 4}
    assert capfd.readouterr().err == ""  # Rust's panic message never reaches the user's terminal
    later = read_document(CHROMIUM / "kerning.pdf").blocks
    assert later[1].text.startswith("De opdrachtnemer levert uitsluitend natuursteen")


CHROMIUM = Path(__file__).resolve().parent / "data" / "chromium"


def test_kerned_words_in_a_browser_printed_pdf_stay_whole() -> None:
    """Chromium's PDF (Skia) breaks a line into separate runs at every kerning pair ("T" + "ruStone",
    "V" + "erantwoorde"); pdf_oxide gives each run its own span, and they overlap a little."""
    blocks = read_document(CHROMIUM / "kerning.pdf").blocks
    assert [(b.kind, b.text) for b in blocks] == [
        (BlockKind.HEADING, "12. Verantwoorde natuursteen (TruStone)"),
        (BlockKind.PARAGRAPH, "De opdrachtnemer levert uitsluitend natuursteen van leveranciers die de normen van het "
                              "TruStone-convenant naleven. Voor de koffie, thee en cacao geldt een Fairtrade-label of een "
                              "gelijkwaardig label. Verklaring op erewoord: Vlaamse Technische Voorschriften, Waarborg en "
                              "Vervanging."),
        (BlockKind.PARAGRAPH, "Tweede lijn: AVAYAWATA, Toyota, LT, Ty, Yo, Wa."),
    ]


@pytest.mark.parametrize("path", [CHROMIUM / "kerning.pdf", LIBREOFFICE / "nl_gemeentehuis_24.pdf",
                                  Path(__file__).resolve().parent.parent / "samples" / "fr_place_15.pdf"])
def test_pdfium_reads_a_document_as_pdf_oxide_does(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fallback must not be a worse reader: same blocks, but for a table cell or two whose gap
    sits at the column threshold (pdfium measures glyph boxes, pdf_oxide advance widths)."""
    from duediligence.read import pdf as pdf_reader

    fast = [(b.kind, b.heading_level, b.page, b.text) for b in read_document(path).blocks]
    monkeypatch.setattr(pdf_reader, "_fast_reader", lambda data, password: None)
    slow = [(b.kind, b.heading_level, b.page, b.text) for b in read_document(path).blocks]
    assert len(slow) == len(fast) and sum(a == b for a, b in zip(fast, slow)) >= 0.95 * len(fast)


def test_a_two_column_page_is_read_column_by_column(tmp_path: Path) -> None:
    """Brussels documents set Dutch and French side by side; read across, each line would be half
    a Dutch sentence and half a French one (and a table row)."""
    nl = ["De opdrachtnemer respecteert de", "fundamentele arbeidsnormen van de", "IAO in de hele keten en legt die",
          "verplichting op aan al zijn vaste", "onderaannemers en leveranciers,", "in welke fase van de productie- of", "toeleveringsketen ook."]
    fr = ["L'adjudicataire respecte les normes", "fondamentales du travail de l'OIT", "dans toute la chaîne et impose",
          "cette obligation à tous ses sous-", "traitants et à tous ses fournisseurs,", "à quelque stade de la production ou", "de l'approvisionnement que ce soit."]
    path = runs_pdf(tmp_path / "twee-kolommen.pdf", [
        [(50, "Artikel 12 – Sociale clausule / Article 12 – Clause sociale", True)],
        *[[(50, a, False), (310, b, False)] for a, b in zip(nl, fr)],
    ])
    assert [b.text for b in read_document(path).blocks] == [
        "Artikel 12 – Sociale clausule / Article 12 – Clause sociale",
        "De opdrachtnemer respecteert de fundamentele arbeidsnormen van de IAO in de hele keten en legt die "
        "verplichting op aan al zijn vaste onderaannemers en leveranciers, in welke fase van de productie- of "
        "toeleveringsketen ook.",
        "L'adjudicataire respecte les normes fondamentales du travail de l'OIT dans toute la chaîne et impose "
        "cette obligation à tous ses sous-traitants et à tous ses fournisseurs, à quelque stade de la production ou "
        "de l'approvisionnement que ce soit.",
    ]
