"""Insurance or financing named as one more service of a supply ("the design, supply,
installation, maintenance, insurance and removal of the shelters") does not make the contract
an insurance or a loan: `applicability._listed_together` tells an enumeration from a sentence
whose verb is the financing."""

from __future__ import annotations

import time

import pytest

from duediligence.applicability import _listed_together


def _together(text: str, first: str, second: str) -> bool:
    a, c = text.index(first), text.rindex(second)
    return _listed_together(text, (a, a + len(first)), (c, c + len(second)))


@pytest.mark.parametrize("text, first, second", [
    ("The concession covers the design, supply, installation, connection, operation, maintenance, cleaning, "
     "insurance and removal of the shelters.", "supply", "insurance"),
    ("Perceel 1 omvat het leveren, plaatsen, onderhouden, verzekeren, exploiteren en verwijderen van 34 abri's.",
     "leveren", "verzekeren"),
    ("La concession comprend la fourniture, la pose, l'entretien et l'assurance des abris.", "fourniture", "assurance"),
    ("the supply and the insurance of the panels", "supply", "insurance"),
])
def test_items_of_one_enumeration(text: str, first: str, second: str) -> None:
    assert _together(text, first, second)


@pytest.mark.parametrize("text, first, second", [
    ("De leningen financieren onder meer de keuken, die maaltijden levert.", "financieren", "levert"),
    ("Levering van koffie; de opdracht wordt gefinancierd met subsidies.", "Levering", "gefinancierd"),
    ("de levering van elektriciteit aan de gebouwen die door de polis worden gedekt", "levering", "polis"),
    ("Supply of " + "very " * 40 + "many items, insurance", "Supply", "insurance"),  # too far apart
])
def test_a_sentence_is_no_enumeration(text: str, first: str, second: str) -> None:
    assert not _together(text, first, second)


def test_a_long_run_between_the_terms_is_read_in_linear_time() -> None:
    # a first form of the pattern let item words split anywhere and took minutes on such a run
    text = "supply, " + "abcdefghijklmnopqrstuvwxyz" * 5 + " insurance"
    started = time.process_time()
    assert not _together(text, "supply", "insurance")
    assert time.process_time() - started < 0.5
