"""Project configuration and in-document suppressions, through the real CLI on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from duediligence.cli import main
from duediligence.config import ConfigError, resolve

TEMPLATE = """# Bestek – Catering voor recepties

## 1. Voorwerp van de opdracht

De opdracht omvat catering voor recepties van het stadsbestuur.

## 5. Uitvoeringsvoorwaarden

De opdrachtnemer levert broodjes en dranken op de afgesproken plaats.
{extra}
"""


def _run(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)


def _finding(data: dict, criterion: str) -> dict:  # type: ignore[type-arg]
    return next(f for f in data["documents"][0]["findings"] if f["criterion"] == criterion)


def test_suppression_with_reason_suppresses_and_is_shown(tmp_path: Path) -> None:
    doc = tmp_path / "t.md"
    doc.write_text(TEMPLATE.format(extra="\nduediligence: ignore human-rights -- opgenomen in het raamcontract 2024/7\n"), encoding="utf-8")
    code, data = _run(str(doc))
    hr = _finding(data, "human-rights")
    assert hr["status"] == "suppressed"
    assert "raamcontract 2024/7" in hr["suppressed_reason"]
    assert not any("duediligence" in e["quote"] for e in hr["evidence"])
    code, data = _run("--no-suppress", str(doc))
    assert _finding(data, "human-rights")["status"] == "missing"
    assert code == 1


@pytest.mark.parametrize(
    ("line", "notice"),
    [
        ("duediligence: ignore human-rights", "suppression-without-reason"),
        ("duediligence: ignore fair-traid -- geen koffie", "suppression-unknown-criterion"),
        ("duediligence: ignore ethical-banking -- geen bankdiensten", "suppression-unused"),
    ],
)
def test_bad_or_unused_suppressions_are_reported(tmp_path: Path, line: str, notice: str) -> None:
    doc = tmp_path / "t.md"
    doc.write_text(TEMPLATE.format(extra="\n" + line + "\n"), encoding="utf-8")
    _code, data = _run(str(doc))
    assert notice in [n["code"] for n in data["documents"][0]["notices"]]


def test_configuration_walks_up_and_overrides_per_path(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.duediligence]\nfail-on = "weak"\nignore = ["ethical-banking"]\n\n'
        '[[tool.duediligence.overrides]]\npaths = ["catering/*"]\nexpect = ["fair-trade"]\n',
        encoding="utf-8",
    )
    (tmp_path / "catering").mkdir()
    doc = tmp_path / "catering" / "receptie.md"
    doc.write_text(TEMPLATE.format(extra=""), encoding="utf-8")
    config = resolve(doc)
    assert config["fail-on"] == "weak" and config.sources["fail-on"].endswith("pyproject.toml")
    assert config["expect"] == ["fair-trade"] and "overrides[0]" in config.sources["expect"]
    _code, data = _run(str(doc))
    assert _finding(data, "fair-trade")["applies"] is True
    assert all(f["criterion"] != "ethical-banking" for f in data["documents"][0]["findings"])
    out = CliRunner().invoke(main, ["config", str(doc)])
    assert "fail-on" in out.stdout and "pyproject.toml" in out.stdout


def test_unknown_configuration_key_is_an_error(tmp_path: Path) -> None:
    (tmp_path / ".duediligence.toml").write_text('fail_on = "weak"\n', encoding="utf-8")
    doc = tmp_path / "t.md"
    doc.write_text(TEMPLATE.format(extra=""), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\.duediligence\.toml: \(file\): unknown key 'fail_on'"):
        resolve(doc)
    result = CliRunner().invoke(main, ["check", str(doc)])
    assert result.exit_code == 2
    assert "unknown key 'fail_on'" in result.stderr


def test_suppression_in_a_word_comment(tmp_path: Path) -> None:
    from .make_files import docx_file

    doc = docx_file(
        tmp_path / "receptie.docx",
        [("h1", "Bestek – Juridisch advies"), ("h2", "Uitvoeringsvoorwaarden"), ("p", "De dienstverlener adviseert binnen tien dagen.")],
        comment="duediligence: ignore human-rights -- opgenomen in het raamcontract met de balie",
    )
    _code, data = _run(str(doc))
    hr = _finding(data, "human-rights")
    assert hr["status"] == "suppressed" and "comment 1" in hr["suppressed_reason"]


def test_two_suppression_lines_in_a_row_stay_two(tmp_path: Path) -> None:
    """A text file joins consecutive lines into one paragraph: the second suppression became
    part of the first one's reason, and its criterion was never suppressed."""
    doc = tmp_path / "catering.txt"
    doc.write_text(TEMPLATE.replace("# ", "").format(extra=(
        "duediligence: ignore fair-trade -- de dranken komen uit het eigen stadsmagazijn\n"
        "duediligence: ignore human-rights -- in het raamcontract geregeld\n")), encoding="utf-8")
    code, data = _run(str(doc))
    findings = {f["criterion"]: f for f in data["documents"][0]["findings"]}
    assert findings["fair-trade"]["status"] == "suppressed" and findings["human-rights"]["status"] == "suppressed"
    assert findings["fair-trade"]["suppressed_reason"].startswith("de dranken komen uit het eigen stadsmagazijn (")
    assert findings["human-rights"]["suppressed_reason"].startswith("in het raamcontract geregeld (")
