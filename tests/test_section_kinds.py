"""Headings name the part of a tender they open, in each language (issue 12, kind 6): the kind
decides whether a sentence under it binds anyone."""

from __future__ import annotations

from pathlib import Path

import pytest

from duediligence.model import SectionKind
from duediligence.read import read_document
from duediligence.segment import segment

HEADINGS = [
    ("en", "6. Special execution conditions – responsible supply chain", SectionKind.EXECUTION),
    ("en", "Conditions of performance", SectionKind.EXECUTION),
    ("en", "Execution of the contract", SectionKind.EXECUTION),
    ("en", "Section 12 – Performance conditions", SectionKind.EXECUTION),
    ("en", "Award criteria", SectionKind.AWARD),
    ("en", "Technical specifications", SectionKind.TECHNICAL),
    ("fr", "Article 24 – Conditions d'exécution particulières", SectionKind.EXECUTION),
    ("fr", "TITRE III – PRESCRIPTIONS TECHNIQUES", SectionKind.TECHNICAL),
    ("fr", "Critères d'attribution", SectionKind.AWARD),
    ("nl", "Artikel 30 – Bijzondere uitvoeringsvoorwaarden", SectionKind.EXECUTION),
    ("nl", "HOOFDSTUK III – TECHNISCHE BEPALINGEN", SectionKind.TECHNICAL),
    ("nl", "Gunningscriteria", SectionKind.AWARD),
    # "conditions contractuelles" read as no part at all, so a binding chapter was judged as unknown
    ("fr", "CHAPITRE III – CONDITIONS CONTRACTUELLES ET POLITIQUE DE FINANCEMENT RESPONSABLE", SectionKind.EXECUTION),
    ("nl", "Deel II – Contractuele voorwaarden", SectionKind.EXECUTION),
    ("en", "Part B – Contractual provisions", SectionKind.EXECUTION),
    # the part that joins administrative and contractual clauses holds the contract terms, as
    # "Administratieve en contractuele bepalingen" did already
    ("fr", "TITRE III – CLAUSES ADMINISTRATIVES ET CONTRACTUELLES", SectionKind.EXECUTION),
    ("fr", "Section 3 – Dispositions administratives et contractuelles", SectionKind.EXECUTION),
    ("en", "Part II – Administrative and contractual clauses", SectionKind.EXECUTION),
    # a price schedule is the bill of quantities, whose items are technical text (full-blind-18)
    ("en", "PART IV – PRICE SCHEDULE", SectionKind.TECHNICAL),
    ("en", "Annex 2 – Schedule of rates", SectionKind.TECHNICAL),
    ("fr", "Annexe 3 – Bordereau des prix", SectionKind.TECHNICAL),
]


@pytest.mark.parametrize(("lang", "heading", "kind"), HEADINGS, ids=[h for _l, h, _k in HEADINGS])
def test_a_heading_opens_the_part_it_names(tmp_path: Path, lang: str, heading: str, kind: SectionKind) -> None:
    title = {"en": "Tender specifications", "fr": "Cahier spécial des charges", "nl": "Bestek"}[lang]
    path = tmp_path / "t.md"
    path.write_text(f"# {title} – Supplies\n\n## {heading}\n\nText of the part.\n", encoding="utf-8")
    doc = segment(read_document(path))
    opened = [b for b in doc.blocks if b.is_heading and b.text.strip() == heading]
    assert opened and opened[0].section_kind is kind
    assert doc.blocks[-1].section_kind is kind  # the text under it belongs to that part


CAPITALS_UNDER_AN_ANNEX = """BESTEK AGB/2026/03 – LEVERING VAN SPORTKLEDIJ

DEEL C - TECHNISCHE BEPALINGEN

De artikelen voldoen aan de kleurenkaart van bijlage IV.

BIJLAGE II - PRIJSINVENTARIS

PERCEEL 1 - SPORTKLEDIJ

Het katoen van de artikelen van de posten 1.1 tot 1.4 is voor 100 % afkomstig van eerlijke handel.

PERCEEL 2 - SPORTSCHOENEN

Post 2.1 | Sportschoen | paar | 400

BIJLAGE III - VERKLARING OP EER

Ondergetekende verklaart op eer dat hij de IAO-kernverdragen naleeft.
"""


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_a_capitals_line_inside_an_annex_is_its_sub_heading(tmp_path: Path, suffix: str) -> None:
    # "PERCEEL 1 - SPORTKLEDIJ" in capitals sits under "BIJLAGE II - PRIJSINVENTARIS", the bill of
    # quantities, and not beside it in a section of no kind; the next chapter word closes both
    path = tmp_path / f"bestek{suffix}"
    path.write_text(CAPITALS_UNDER_AN_ANNEX, encoding="utf-8")
    blocks = {b.text[:20]: b for b in segment(read_document(path)).blocks}
    cotton = blocks["Het katoen van de ar"]
    assert cotton.section_path[-2:] == ("BIJLAGE II - PRIJSINVENTARIS", "PERCEEL 1 - SPORTKLEDIJ")
    assert cotton.section_kind is SectionKind.TECHNICAL
    assert blocks["Post 2.1 | Sportscho"].section_path[-1] == "PERCEEL 2 - SPORTSCHOENEN"
    assert blocks["Ondergetekende verkl"].section_path == ("BIJLAGE III - VERKLARING OP EER",)


ARTICLE_WITH_SUB_NUMBERS = """Bestek 2026/17 - Heraanleg van het marktplein
DEEL III - TECHNISCHE BEPALINGEN
Art. 12. Natuursteen: herkomst en zorg in de keten
Art. 12.2. Zorgvuldigheid
De aannemer waarborgt dat de natuursteen gewonnen en bewerkt is met respect voor de mensenrechten
en de fundamentele arbeidsnormen van de IAO, bij hem en bij al zijn onderaannemers en leveranciers.
Hij past daartoe gepaste zorgvuldigheid toe volgens de OESO-richtlijnen en de VN-richtlijnen.
Art. 12.3. Herkomst
Vóór de eerste levering bezorgt de aannemer per steensoort de naam en de ligging van de groeve
en van de verwerkingsplaats, met een risicoanalyse en een plan van aanpak.
Art. 12.4. Maatregelen
De leidend ambtenaar kan de gegevens laten nagaan door een onafhankelijke deskundige. Steen
zonder goedgekeurd herkomstdossier wordt geweigerd; bij een tekortkoming is een boete van
250 euro per dag verschuldigd en kan de overheid de opdracht verbreken."""


def test_an_article_sub_number_nests_under_its_article_in_a_pdf(tmp_path: Path) -> None:
    # "Art. 12.4." reads by its form as one more article beside "Art. 12.", as the PDF gives no
    # levels; its number makes it a part of article 12, whose stone clause its remedy completes
    from duediligence.library import load_library
    from duediligence.pipeline import Options, check_paths
    from tests.make_files import pdf

    path = pdf(tmp_path / "marktplein.pdf", [ARTICLE_WITH_SUB_NUMBERS.splitlines()])
    blocks = {b.text[:18]: b for b in segment(read_document(path)).blocks}
    assert blocks["De leidend ambtena"].section_path[-2:] == ("Art. 12. Natuursteen: herkomst en zorg in de keten", "Art. 12.4. Maatregelen")
    assert blocks["Art. 12.2. Zorgvul"].section_path[-2] == "Art. 12. Natuursteen: herkomst en zorg in de keten"
    finding = next(f for f in check_paths([str(path)], load_library(), Options()).documents[0].findings if f.criterion == "trustone")
    assert finding.presence.value == "present", finding.evidence
