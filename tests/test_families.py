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
