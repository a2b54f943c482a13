"""A document that does not read as a tender says so, and its mentions find no clause (issue 12, kind 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from duediligence.cli import main

DATA = Path(__file__).parent / "data" / "not-tenders"
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout


# nl_nieuws_aankoopbeleid.md speaks of "bestek", "opdrachtnemer" and "opdrachtdocument": the
# vocabulary of buying, without a tender's parts or a tender's name. fr_lettre_cellule_achats.md
# is as dense with it as a tender, but its headings (édito, questions, agenda) are a newsletter's.
# fr_tribune_achats_responsables.txt is an opinion piece in plain text: its headings are short lines
# of their own, which no numbering or capitals mark, above paragraphs that name five tender words.
@pytest.mark.parametrize("name", ["nl_nieuwsbericht_koffie.md", "fr_brochure_pierre.txt", "nl_nieuws_aankoopbeleid.md",
                                  "fr_lettre_cellule_achats.md", "fr_tribune_achats_responsables.txt"])
def test_a_news_item_or_brochure_is_no_tender_and_gets_no_finding(name: str) -> None:
    code, out = _check("--format", "json", str(DATA / name))
    doc = json.loads(out)["documents"][0]
    assert doc["reads_as_tender"] is False
    assert {f["status"] for f in doc["findings"]} == {"not-applicable"}
    assert all(f["presence"] == "absent" for f in doc["findings"]), [(f["criterion"], f["evidence"]) for f in doc["findings"]]
    assert code == 0


def test_the_text_report_says_the_document_is_no_tender() -> None:
    _code, out = _check("--ui-lang", "fr", str(DATA / "fr_brochure_pierre.txt"))
    assert "ne se lit pas comme un cahier des charges" in out


def test_a_tender_reads_as_one() -> None:
    _code, out = _check("--format", "json", str(SAMPLES / "nl_catering_05.docx"))
    assert json.loads(out)["documents"][0]["reads_as_tender"] is True


def test_a_tender_in_running_text_without_headings_reads_as_one(tmp_path: Path) -> None:
    """No section headings, but a buyer, bidders, a subject, prices and a procedure."""
    path = tmp_path / "prijsaanvraag.txt"
    path.write_text(
        "Prijsaanvraag voor de levering van schoolfruit.\n\n"
        "De aanbestedende overheid vraagt elke inschrijver een offerte met eenheidsprijzen. Het voorwerp van de "
        "opdracht is de wekelijkse levering van fruit aan vier scholen. De opdracht wordt geplaatst via een "
        "onderhandelingsprocedure zonder voorafgaande bekendmaking.\n",
        encoding="utf-8",
    )
    _code, out = _check("--format", "json", str(path))
    assert json.loads(out)["documents"][0]["reads_as_tender"] is True


def test_a_plain_text_tender_with_unmarked_headings_of_its_own_reads_as_one(tmp_path: Path) -> None:
    """Short lines head its parts as in an opinion piece; those naming a tender's part decide."""
    body = ("De opdrachtnemer levert de goederen binnen tien werkdagen na de bestelling op de aangeduide "
            "plaats en draagt alle kosten van vervoer, verpakking en verzekering tot aan de oplevering.")
    parts = ["Voorwerp van de opdracht", "Wat we van de leverancier verwachten", "Gunningscriteria",
             "Hoe de levering verloopt", "Uitvoeringsvoorwaarden", "Wie de bestellingen plaatst"]
    path = tmp_path / "koffie.txt"
    path.write_text("\n\n".join(f"{part}\n\n{body}" for part in parts) + "\n", encoding="utf-8")
    _code, out = _check("--format", "json", str(path))
    assert json.loads(out)["documents"][0]["reads_as_tender"] is True
