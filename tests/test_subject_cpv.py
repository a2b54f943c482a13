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
])
def test_cpv_codes_of_a_list(tmp_path: Path, line: str, codes: tuple[str, ...]) -> None:
    path = tmp_path / "bestek.md"
    path.write_text(f"# Bestek 2026/07 – Levering\n\n## Voorwerp\n{line}\n", encoding="utf-8")
    assert find_cpv_codes(segment(read_document(str(path)))) == codes
