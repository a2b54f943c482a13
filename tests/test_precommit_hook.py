"""The pre-commit hook, run the way a template team runs it: `pre-commit try-repo` on a git repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


def _shadow_checkout(into: Path) -> tuple[Path, str]:
    """This checkout as it is on disk (uncommitted edits and new files too) committed in a
    throwaway repository, so a `.pre-commit-config.yaml` can name it with a `rev`."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=REPO,
                            check=True, capture_output=True, text=True).stdout
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    _git(into, "init", "-q")
    _git(into, "add", "-A")
    _git(into, "commit", "-qm", "shadow of the checkout under test")
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=into, check=True, capture_output=True, text=True).stdout.strip()
    return into, rev


@pytest.mark.skipif(shutil.which("pre-commit") is None and not os.environ.get("CI"), reason="pre-commit not installed")
def test_hook_with_a_baseline_fails_only_on_what_got_worse_and_says_when_it_can_shrink(tmp_path: Path) -> None:
    shadow, rev = _shadow_checkout(tmp_path / "duediligence")
    templates = tmp_path / "templates"
    templates.mkdir()
    _git(templates, "init", "-q")
    (templates / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {shadow}\n    rev: {rev}\n    hooks:\n      - id: duediligence\n"
        "        args: [--baseline, duediligence-baseline.json]\n", encoding="utf-8")
    legal = templates / "juridisch-advies.md"
    social = templates / "ocmw-advies.md"
    legal.write_text(TEMPLATE.format(clause=CLAUSE), encoding="utf-8")  # has its human-rights clause
    social.write_text(TEMPLATE.format(clause="").replace("het stadsbestuur", "het OCMW"), encoding="utf-8")  # lacks it
    written = subprocess.run([sys.executable, "-m", "duediligence", "check", "--write-baseline",
                              "duediligence-baseline.json", legal.name, social.name],
                             cwd=templates, capture_output=True, text=True, timeout=300)
    assert written.returncode == 0, written.stderr
    _git(templates, "add", ".")
    _git(templates, "commit", "-qm", "templates and their baseline")
    home = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    def hook(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pre-commit", "run", "--all-files", "--color", "never", *extra], cwd=templates,
                              capture_output=True, text=True, timeout=900, env=home)

    # an edit removes the clause from the template that had it: the hook fails on that alone
    legal.write_text(TEMPLATE.format(clause=""), encoding="utf-8")
    _git(templates, "add", ".")
    failed = hook()
    out = failed.stdout
    assert failed.returncode == 1, out + failed.stderr
    findings = [line for line in out.splitlines() if "Mensenrechtenclausule (" in line]
    assert len(findings) == 1 and "erger dan in de basislijn (in orde)" in findings[0], out
    assert out.index("juridisch-advies.md") < out.index(findings[0]) < out.index("ocmw-advies.md")
    assert "1 bekende bevinding(en) niet getoond, 1 nieuw of erger" in out
    assert "Traceback" not in out + failed.stderr

    # the clause back, and the other template fixed: the hook passes and says the baseline can shrink
    legal.write_text(TEMPLATE.format(clause=CLAUSE), encoding="utf-8")
    social.write_text(TEMPLATE.format(clause=CLAUSE).replace("het stadsbestuur", "het OCMW"), encoding="utf-8")
    _git(templates, "add", ".")
    passed = hook("--verbose")
    out = passed.stdout
    assert passed.returncode == 0, out + passed.stderr
    assert "beter dan in de basislijn: Mensenrechtenclausule: ontbreekt → in orde" in out
    assert "de basislijn kan krimpen (duediligence check --write-baseline duediligence-baseline.json …)" in out
