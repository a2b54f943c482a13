"""A passage handed to a more specific criterion names that criterion, even when it is not reported."""

from __future__ import annotations

from pathlib import Path

from duediligence.library import load_library
from duediligence.pipeline import Options, check_paths

STONE_CLAUSE = """# Bestek 2026/17 – Heraanleg van het marktplein

## Voorwerp van de opdracht
De opdracht omvat de heraanleg van het marktplein met kasseien in natuursteen. CPV 45233200.

## Bijzondere uitvoeringsvoorwaarden

### Verantwoorde natuursteen
De opdrachtnemer garandeert dat de natuursteen niet gewonnen of bewerkt werd met kinderarbeid of dwangarbeid.
"""


def test_covered_by_names_a_criterion_left_out_of_the_selection(tmp_path: Path) -> None:
    path = tmp_path / "plein.md"
    path.write_text(STONE_CLAUSE, encoding="utf-8")
    report = check_paths([str(path)], load_library(only=["human-rights"]), Options())
    finding = report.documents[0].findings[0]
    covered = [e for e in finding.discounted if (e.discount_code or "").startswith("covered-by:")]
    assert covered, finding.discounted
    assert all("Verantwoorde natuursteen (TruStone)" in (e.discounted or "") for e in covered)


def test_a_binding_annex_of_numbered_undertakings_is_a_complete_clause(tmp_path: Path) -> None:
    """A Word tender whose annex heading runs long ("Annexe 3 – Engagement sur l'honneur relatif
    au respect des droits humains ... d'approvisionnement") and whose items refer to each other
    ("le respect des points 1 à 4"): the heading was read as body text, so the annex fell under
    annex 2, and "points" read as award points capped the clause at weak."""
    import docx

    doc = docx.Document()
    for text in (
        "CAHIER SPÉCIAL DES CHARGES – FOURNITURE DE TEXTILES PROMOTIONNELS",
        "CHAPITRE II – CONDITIONS D'EXÉCUTION",
        "18. Conditions d'exécution relatives aux conditions de travail",
        "L'adjudicataire exécute le marché dans le respect de l'engagement sur l'honneur figurant à l'annexe 3. "
        "Cette annexe fait partie intégrante du marché ; ses dispositions constituent des conditions d'exécution.",
        "CHAPITRE V – ANNEXES",
        "Annexe 2 – Liste des preuves",
        "Le soumissionnaire joint les certificats.",
        "Annexe 3 – Engagement sur l'honneur relatif au respect des droits humains et des conditions de travail "
        "dans la chaîne d'approvisionnement",
        "La présente annexe fait partie intégrante du marché.",
        "Le soussigné s'engage sur l'honneur, en cas d'attribution, à respecter et à faire respecter les engagements suivants :",
        "1. Respecter les droits humains énoncés par la Déclaration universelle des droits de l'homme et les "
        "conventions fondamentales de l'OIT.",
        "2. Imposer ces engagements à ses sous-traitants et fournisseurs, à quelque stade que ce soit de la chaîne.",
        "3. Exercer une diligence raisonnable conforme aux Principes directeurs de l'OCDE.",
        "4. Produire sur simple demande les rapports d'audit et tout document permettant de vérifier le respect des points 1 à 3.",
        "5. Présenter dans les trente jours un plan d'action correctif ; à défaut, le pouvoir adjudicateur applique "
        "des pénalités ou résilie le marché.",
    ):
        doc.add_paragraph().add_run(text).bold = len(text) < 140 and not text.startswith(("L'", "La ", "Le ", "1.", "2.", "3.", "4.", "5."))
    path = tmp_path / "textiles.docx"
    doc.save(str(path))
    report = check_paths([str(path)], load_library(only=["human-rights"]), Options())
    finding = report.documents[0].findings[0]
    assert finding.presence.value == "present", (finding.evidence, finding.suggestion)
    assert any("Annexe 3" in e.section for e in finding.evidence)


REFERRAL = """# Tender specifications – Earthworks and riprap for a retention basin

## 1. Subject of the contract
Earthworks and bank protection in riprap for a retention basin. CPV 45112000-5, 44912000-7.

## 4. Special performance conditions
### 4.1 Human rights in the chain
4.1.2 Due diligence. The contractor applies risk-based due diligence following the UN Guiding Principles
to the materials it supplies and identifies where child labour or forced labour may occur. For natural
stone, Article 4.2 also applies.

### 4.2 Natural stone
4.2.1 For the riprap the contractor states the country of origin of the stone.
"""


def test_a_paragraph_that_sends_stone_to_its_own_article_is_not_a_stone_clause(tmp_path: Path) -> None:
    """"For natural stone, Article 4.2 also applies" closes a human-rights paragraph: the stone is
    named to send it elsewhere, so the paragraph's due diligence is not the stone clause's."""
    path = tmp_path / "wadi.md"
    path.write_text(REFERRAL, encoding="utf-8")
    report = check_paths([str(path)], load_library(only=["trustone"]), Options())
    finding = report.documents[0].findings[0]
    sections = {e.section.split(" > ")[-1] for e in finding.evidence if e.role == "topic"}
    assert sections == {"4.2 Natural stone"}, [(e.section, e.quote) for e in finding.evidence]
