"""Shared by the HTML and Markdown report tests: run the real command line, read the JSON twin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Statuses are read from the JSON report of the same files, never hard-coded: the tests check
# how a report shows a verdict, not today's verdict on a sample.
DUTCH, DUTCH_2, FRENCH = "samples/nl_dorpsplein_01.pdf", "samples/nl_begraafplaats_04.md", "samples/fr_cantine_16.docx"
ABSENT = "samples/does-not-exist.pdf"
SEVERAL = (DUTCH, DUTCH_2, FRENCH, ABSENT)

ESCAPE_ME = """Bestek KOF-1 – Levering van koffie en thee

1. Voorwerp van de opdracht
De opdracht omvat de levering van koffie en thee voor het stadhuis.

2. Bijzondere uitvoeringsvoorwaarden
De opdrachtnemer levert bij voorkeur koffie uit eerlijke handel <script>alert(1)</script> | *fair* _x_ [x](y) & `z` met een Fairtrade-label.
"""


def check(fmt: str, *paths: str, ui_lang: str | None = None, out: Path | None = None) -> str:
    """The report the installed command writes with `--format fmt -o out`."""
    assert out is not None
    args = [sys.executable, "-m", "duediligence", "check", *paths, "--format", fmt, "-o", str(out)]
    if ui_lang:
        args += ["--ui-lang", ui_lang]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1, 2), done.stderr
    return out.read_text(encoding="utf-8")


def json_report(*paths: str, tmp: Path) -> dict[str, Any]:
    return json.loads(check("json", *paths, out=tmp / "report.json"))  # type: ignore[no-any-return]


def several(fmt: str, tmp: Path) -> tuple[str, dict[str, Any]]:
    """The report in `fmt` over SEVERAL (readable Dutch and French samples and a missing file),
    and the JSON report of the same run to read the expectations from."""
    suffix = {"markdown": "md"}.get(fmt, fmt)
    return check(fmt, *SEVERAL, out=tmp / f"report.{suffix}"), json_report(*SEVERAL, tmp=tmp)


def statuses(doc: dict[str, Any]) -> dict[str, str]:
    return {f["criterion"]: f["status"] for f in doc["findings"]}


def matched_words(doc: dict[str, Any]) -> list[str]:
    """The text of every match inside its (uncut) quote, for the criteria that apply: matches and
    `start` are document offsets."""
    words = []
    for f in doc["findings"]:
        if f["status"] == "not-applicable":
            continue
        for e in f["evidence"] + f["discounted"]:
            for m in e["matches"]:
                word = e["quote"][m["start"] - e["start"]:m["end"] - e["start"]]
                if word and not word.endswith("…"):
                    words.append(word)
    return words


def acted_on(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Findings with a suggestion (weak or missing)."""
    return [f for f in doc["findings"] if f["suggestion"] is not None]


def suggested_clause(library: Any, finding: dict[str, Any], lang: str) -> str:
    """The model clause a finding suggests, checked to be the library's general clause or the
    variant for the product groups that made the criterion apply, in the document's language."""
    crit = library.get(finding["criterion"])
    clause = finding["suggestion"]["model_clause"]
    assert clause in [t.get(lang) for t in (crit.model_clause, *(v.text for v in crit.model_clauses))]
    return clause
