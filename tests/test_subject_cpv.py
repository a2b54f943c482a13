"""CPV codes as buyers list them: with or without check digits, one per line or in a list."""

from __future__ import annotations

from pathlib import Path

import pytest

from duediligence.read import read_document
from duediligence.segment import segment
from duediligence.subject import find_cpv_codes


@pytest.mark.parametrize(("line", "codes"), [
    # a bare list: the codes followed by ", " were read as amounts ("12345678,50") and dropped
    ("CPV 39294100, 22462000, 18330000.", ("39294100", "22462000", "18330000")),
    ("CPV-codes: 39294100-0 (promotieartikelen), 22462000-6 (reclamemateriaal).", ("39294100", "22462000")),
    ("Raming: 12345678,50 euro. CPV 45233200.", ("45233200",)),
    # a denial after the last code is that code's, not the whole table's: the lines of a text
    # file run into one paragraph, and every code before 66114000 was dropped
    ("Main object: 34110000-1 Passenger cars Additional: 34144900-7 Electric vehicles "
     "66514110-0 Motor vehicle insurance services CPV 66114000-2 (Financial leasing services) does not apply.",
     ("34110000", "34144900", "66514110")),
    # a list the denial names together stays denied
    ("De CPV-codes van het oude bestek (44912000, 45262510) zijn niet op deze opdracht van toepassing. CPV 45233200.",
     ("45233200",)),
])
def test_cpv_codes_of_a_list(tmp_path: Path, line: str, codes: tuple[str, ...]) -> None:
    path = tmp_path / "bestek.md"
    path.write_text(f"# Bestek 2026/07 – Levering\n\n## Voorwerp\n{line}\n", encoding="utf-8")
    assert find_cpv_codes(segment(read_document(str(path)))) == codes


@pytest.mark.parametrize(("line", "codes"), [
    # the ruling-out words before the list, further than a few words from the codes
    ("The following codes, named in the council's preliminary report, do not apply to this contract: "
     "14210000 (gravel), 44912000 (building stone). Main code: 79110000-8 (legal advice).", ("79110000",)),
    ("Les codes 44912100 (granit) et 34144511 (bennes), parfois cités pour ce programme, ne relèvent pas du "
     "présent marché. Code principal : 66113000-5.", ("66113000",)),
    ("De codes 44912000 en 45262510 van het vorige dossier vallen niet onder deze opdracht. Hoofdcode: 45233140-2.",
     ("45233140",)),
])
def test_codes_ruled_out_by_their_sentence(tmp_path: Path, line: str, codes: tuple[str, ...]) -> None:
    path = tmp_path / "bestek.md"
    path.write_text(f"# Bestek 2026/07 – Opdracht\n\n## CPV codes\n{line}\n", encoding="utf-8")
    assert find_cpv_codes(segment(read_document(str(path)))) == codes


def test_a_table_of_codes_under_a_cpv_heading(tmp_path: Path) -> None:
    """Rows of a code table name no "CPV" themselves, nor does the row before: the heading does."""
    from docx import Document as Docx

    word = Docx()
    word.add_heading("Cahier spécial des charges n° ENS/2026/04 – Fourniture de collations", level=1)
    word.add_heading("I.2.2 Codes CPV", level=2)
    table = word.add_table(rows=4, cols=3)
    rows = [("Lot", "Code principal", "Codes complémentaires"),
            ("1", "03222000 Fruits et fruits à coque", "03222111 Bananes ; 03222320 Pommes, poires et coings"),
            ("2", "15800000 Produits alimentaires divers", "15820000 Biscottes et biscuits"),
            ("3", "15500000 Produits laitiers", "15551000 Yaourts et autres produits laitiers fermentés")]
    for row, cells in zip(table.rows, rows):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    word.add_heading("I.3 Procédure", level=2)
    word.add_paragraph("Le marché est passé par procédure ouverte ; le dossier 20261234 est suivi par le service.")
    path = tmp_path / "collations.docx"
    word.save(str(path))
    assert find_cpv_codes(segment(read_document(str(path)))) == (
        "03222000", "03222111", "03222320", "15800000", "15820000", "15500000", "15551000")
