"""Text repair shared by the readers: ligatures, invisible characters, odd spaces, line-end hyphens."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from duediligence.normalize import join_lines, normalize_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("certi\ufb01caat \ufb02exibel e\ufb00ect \ufb03ciënt", "certificaat flexibel effect fficiënt"),
        ("mensen\u00adrechten", "mensenrechten"),
        ("a\u00a0b\u202fc\u2009d\u3000e\tf", "a b c d e f"),
        ("  meer   spaties \n en regels  ", "meer spaties en regels"),
        ("‘enkel’ “dubbel” „laag”", "'enkel' \"dubbel\" \"laag\""),
        ("Noord\u2011Zuid", "Noord-Zuid"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("Ｆａｉｒｔｒａｄｅ", "Fairtrade"),
        ("m² en ½", "m² en ½"),  # not NFKC: units and fractions keep their meaning
        ("cafe\u0301", "café"),  # composed, so it matches a typed é
    ],
)
def test_normalize_text(raw: str, clean: str) -> None:
    assert normalize_text(raw) == clean


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["De opdrachtnemer respecteert de mensen-", "rechten."], "De opdrachtnemer respecteert de mensenrechten."),
        (["de as Noord-", "Zuid"], "de as Noord-Zuid"),
        (["versie-", "4.1"], "versie-4.1"),
        (["milieu-, sociaal-", "en arbeidsrechtelijke"], "milieu-, sociaal- en arbeidsrechtelijke"),
        (["sociaux-", "et environnementaux"], "sociaux- et environnementaux"),
        (["mensen\x02", "rechten"], "mensenrechten"),  # pdfium's marker for a line-end hyphen
        (["Noord\x02", "Zuid"], "Noord-Zuid"),
        (["Kinder\u00ad", "Arbeid"], "KinderArbeid"),  # a soft hyphen never stays
        (["prijs -", "kwaliteit"], "prijs - kwaliteit"),
        (["ses sous-", "traitants et la non-", "conformité"], "ses sous-traitants et la non-conformité"),  # hyphen kept
        (["une sous\ufffe", "traitance"], "une sous-traitance"),
        (["", "  één  ", "", "twee"], "één twee"),
    ],
)
def test_join_lines(lines: list[str], joined: str) -> None:
    assert join_lines(lines) == joined


@given(st.text())
def test_normalize_is_idempotent_and_tidy(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert once == once.strip() and "  " not in once and "\n" not in once


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30), max_size=6))
def test_join_lines_never_grows_words_out_of_nothing(lines: list[str]) -> None:
    joined = join_lines(lines)
    assert joined == normalize_text(joined)
    assert len(joined) <= sum(len(line) + 2 for line in lines)
