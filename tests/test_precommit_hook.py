"""The pre-commit hook, run the way a template team runs it: `pre-commit try-repo` on a git repo."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

TEMPLATE = """# Bestek – Juridisch advies voor het stadsbestuur

## 1. Voorwerp van de opdracht

Juridisch advies en bijstand in overheidsopdrachten en personeelszaken. CPV 79110000-8.

## 4. Uitvoeringsvoorwaarden

De dienstverlener bezorgt elk advies binnen tien werkdagen.
{clause}
"""

CLAUSE = """
De opdrachtnemer respecteert de Universele Verklaring van de Rechten van de Mens en de kernverdragen van de IAO en legt die verplichting op aan zijn onderaannemers en leveranciers.

Hij voert een risicoanalyse uit en bezorgt op eenvoudig verzoek een verslag met bewijsstukken.

Bij een ernstige schending kan de aanbestedende overheid de opdracht verbreken.
"""


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})


def _try_repo(templates: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["pre-commit", "try-repo", str(REPO), "duediligence", "--all-files", "--color", "never"],
        cwd=templates, capture_output=True, text=True, timeout=900,
    )


@pytest.mark.skipif(shutil.which("pre-commit") is None and not os.environ.get("CI"), reason="pre-commit not installed")
def test_hook_fails_on_a_missing_clause_and_passes_once_it_is_added(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    _git(templates, "init", "-q")
    (templates / "juridisch-advies.md").write_text(TEMPLATE.format(clause=""), encoding="utf-8")
    (templates / "notes.csv").write_text("not a template\n", encoding="utf-8")
    _git(templates, "add", ".")
    _git(templates, "commit", "-qm", "template")

    failed = _try_repo(templates)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    out = failed.stdout
    assert "juridisch-advies.md" in out and "Mensenrechtenclausule" in out and "ontbreekt" in out
    assert "notes.csv" not in out
    assert "Traceback" not in out + failed.stderr

    (templates / "juridisch-advies.md").write_text(TEMPLATE.format(clause=CLAUSE), encoding="utf-8")
    _git(templates, "commit", "-qam", "add the human-rights clause")
    passed = _try_repo(templates)
    assert passed.returncode == 0, passed.stdout + passed.stderr
