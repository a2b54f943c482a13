"""Judging decides once, in frozen values: a passage's discount is a kind with what it names,
never a string parsed back by prefix, and every kind has words in every report language."""

from __future__ import annotations

import dataclasses

import pytest

from duediligence.evidence import Judgement, Passage
from duediligence.library import load_library
from duediligence.messages import discount_reason
from duediligence.model import Discount, DiscountKind, SectionKind

DETAIL = {DiscountKind.SECTION: SectionKind.PREAMBLE.value, DiscountKind.TRAP: "sensitising-only",
          DiscountKind.COVERED_BY: "trustone"}


@pytest.mark.parametrize("kind", list(DiscountKind))
def test_every_discount_has_a_stable_code_and_words_in_each_language(kind: DiscountKind) -> None:
    discount = Discount(kind, DETAIL.get(kind, ""))
    assert Discount.from_code(discount.code) == discount
    library = load_library()
    criterion = next(c for c in library.criteria if c.id == "human-rights")
    words = {lang: discount_reason(discount, criterion, library, lang) for lang in ("nl", "fr", "en")}
    assert all(words.values()) and len(set(words.values())) == 3, words
    assert discount.code not in words.values()  # a sentence, not the code shown as a fallback


def test_a_discount_names_what_its_kind_needs() -> None:
    with pytest.raises(ValueError):
        Discount(DiscountKind.TRAP)  # which trap?
    with pytest.raises(ValueError):
        Discount(DiscountKind.NEGATED, "x")
    with pytest.raises(ValueError):
        Discount.from_code("no-such-kind")


def test_passages_and_judgements_are_frozen() -> None:
    assert dataclasses.fields(Passage) and Passage.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert Judgement.__dataclass_params__.frozen  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Judgement().discount = Discount(DiscountKind.NEGATED)  # type: ignore[misc]
