"""The text report's colour: ANSI codes on a terminal, the same text without them otherwise."""

from __future__ import annotations

import re
from pathlib import Path

from duediligence.library import load_library
from duediligence.matchers import Matchers
from duediligence.model import Report
from duediligence.pipeline import Options, check_document
from duediligence.report import renderer

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SGR = re.compile(r"\x1b\[[0-9;]*m")


def _report(*paths: Path) -> tuple[Report, object]:
    library = load_library()
    matchers = Matchers(library)
    results = tuple(check_document(str(p), library, matchers, Options()) for p in paths)
    return Report("test", library.version, tuple(c.id for c in library.criteria), results), library


def test_colour_adds_only_codes_to_the_plain_text(tmp_path: Path) -> None:
    report, library = _report(SAMPLES / "fr_cantine_16.docx", SAMPLES / "nl_schoonmaak_12.pdf", tmp_path / "absent.docx")
    for quiet in (True, False):
        plain = renderer("text")(report, library=library, color=False, quiet=quiet)
        coloured = renderer("text")(report, library=library, color=True, quiet=quiet)
        assert "\x1b[" not in plain
        assert coloured != plain and SGR.sub("", coloured) == plain
    # each status in its colour, the criterion name in bold, the error line in bold red
    assert "\x1b[32m✓ " in coloured and "\x1b[31m✗ " in coloured and "\x1b[1mCommerce équitable" in coloured
    assert "\x1b[1;31m✗ " in coloured and "absent.docx" in coloured


def test_brackets_in_document_text_are_printed_as_they_are(tmp_path: Path) -> None:
    doc = tmp_path / "nl_koffie.md"
    doc.write_text("# Bestek [2026/1] – Levering van [bold]koffie[/]\n\n## Voorwerp\n\nDe opdracht betreft de levering "
                   "van koffie.\n", encoding="utf-8")
    report, library = _report(doc)
    for color in (False, True):
        out = SGR.sub("", renderer("text")(report, library=library, color=color))
        assert "Bestek [2026/1] – Levering van [bold]koffie[/]" in out
