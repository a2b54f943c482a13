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
