"""Baselines on a folder of templates: only new or worse findings, the baseline can shrink.

Templates are real Markdown tenders written to tmp_path; the command runs in-process. Each
scenario first states the verdicts it is built on (ok, weak, missing human-rights clause), so a
change in detection shows up as such, not as a baseline bug.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner

from duediligence.cli import main

from .test_precommit_hook import CLAUSE, TEMPLATE

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
SOFT = CLAUSE.replace("De opdrachtnemer respecteert", "De opdrachtnemer respecteert bij voorkeur")
TEXTS = {"ok": TEMPLATE.format(clause=CLAUSE), "weak": TEMPLATE.format(clause=SOFT), "missing": TEMPLATE.format(clause="")}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def shown(out: str, criterion: str = "Mensenrechtenclausule") -> list[str]:
    """The finding lines of a text report that name `criterion` (one per document showing it)."""
    return [line for line in out.splitlines() if line[:3].strip() in ("✓", "~", "✗", "·", "-") and f" {criterion} (" in line]


def templates(root: Path, **verdicts: str) -> Path:
    """One template per name with the human-rights clause ok, weak or missing."""
    root.mkdir(parents=True, exist_ok=True)
    for name, verdict in verdicts.items():
        (root / f"{name}.md").write_text(TEXTS[verdict], encoding="utf-8")
    return root


def statuses(*paths: Path, args: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
    """Human-rights finding per file name, from the JSON report."""
    _code, out, _err = run("check", *map(str, paths), "--format", "json", *args)
    return {Path(d["path"]).name: next(f for f in d["findings"] if f["criterion"] == "human-rights")
            for d in json.loads(out)["documents"]}


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return templates(tmp_path / "templates", a="ok", b="weak", c="missing")


def test_the_templates_have_the_verdicts_the_scenarios_assume(folder: Path) -> None:
    found = statuses(*sorted(folder.glob("*.md")))
    assert {name: f["status"] for name, f in found.items()} == {"a.md": "ok", "b.md": "weak", "c.md": "missing"}


def test_write_then_check_reports_nothing_and_exits_0(folder: Path) -> None:
    code, out, err = run("check", "--write-baseline", "base.json", "templates/a.md", "templates/b.md", "templates/c.md")
    assert code == 0, out + err
    assert "baseline written to base.json: 3 documents (1 missing, 1 weak)" in err
    data = json.loads(Path("base.json").read_text(encoding="utf-8"))
    assert data["duediligence-baseline"] == 1
    assert data["documents"]["templates/c.md"]["findings"]["human-rights"] == "missing"
    assert len(data["documents"]["templates/a.md"]["sha256"]) == 64
    code, out, _err = run("check", "--baseline", "base.json", "--fail-on", "weak", *map(str, sorted(folder.glob("*.md"))))
    assert code == 0, out
    assert [line.split()[0] for line in shown(out)] == ["✓"]  # a.md's ok; the known weak and missing are not shown
    assert "basislijn base.json: 2 bekende bevinding(en) niet getoond, 0 nieuw of erger" in out
    assert out.count("1 in de basislijn") == 2


@pytest.mark.parametrize(("before", "after"), [("ok", "weak"), ("weak", "missing"), ("ok", "missing")])
def test_a_finding_that_got_worse_is_reported_and_fails(folder: Path, before: str, after: str) -> None:
    name = {"ok": "a", "weak": "b"}[before]
    run("check", "--write-baseline", "base.json", *map(str, sorted(folder.glob("*.md"))))
    (folder / f"{name}.md").write_text(TEXTS[after], encoding="utf-8")
    code, out, _err = run("check", "--baseline", "base.json", "--fail-on", "weak", *map(str, sorted(folder.glob("*.md"))))
    assert code == 1
    block = out[out.index(f"{name}.md"):]
    block = block[:block.index("samenvatting")]
    worse = {"ok": "in orde", "weak": "zwak"}[before]
    assert f"erger dan in de basislijn ({worse})" in shown(block)[0]
    assert len([line for line in shown(out) if not line.lstrip().startswith("✓")]) == 1  # the others are known
    found = statuses(folder / f"{name}.md", args=("--baseline", "base.json"))[f"{name}.md"]
    assert found["baseline"] == {"status": before, "state": "worse", "covered": False}


def test_a_new_template_is_reported_and_a_better_one_says_the_baseline_can_shrink(folder: Path) -> None:
    run("check", "--write-baseline", "base.json", *map(str, sorted(folder.glob("*.md"))))
    (folder / "c.md").write_text(TEXTS["ok"], encoding="utf-8")  # fixed: missing -> ok
    (folder / "d.md").write_text(TEXTS["missing"], encoding="utf-8")  # new, never baselined
    code, out, _err = run("check", "--baseline", "base.json", *map(str, sorted(folder.glob("*.md"))))
    assert code == 1  # the new template's missing clause
    assert "beter dan in de basislijn: Mensenrechtenclausule: ontbreekt → in orde" in out
    assert "1 bevinding(en) verbeterd: de basislijn kan krimpen (duediligence check --write-baseline base.json …)" in out
    d_block = out[out.index("templates/d.md"):]
    assert "✗ ontbreekt   Mensenrechtenclausule" in d_block
    found = statuses(folder / "c.md", folder / "d.md", args=("--baseline", "base.json"))
    assert found["c.md"]["baseline"]["state"] == "better" and found["d.md"]["baseline"]["state"] == "new"
    # shrinking: writing the baseline again records the fix and the new template
    run("check", "--write-baseline", "base.json", *map(str, sorted(folder.glob("*.md"))))
    code, out, _err = run("check", "--baseline", "base.json", *map(str, sorted(folder.glob("*.md"))))
    assert code == 0 and "verbeterd" not in out


def test_edits_elsewhere_and_renames_keep_the_entry(folder: Path) -> None:
    run("check", "--write-baseline", "base.json", *map(str, sorted(folder.glob("*.md"))))
    # an edit that leaves the clause as it was: found by path
    (folder / "c.md").write_text(TEXTS["missing"].replace("tien werkdagen", "vijf werkdagen"), encoding="utf-8")
    # a rename without edits: found by content
    (folder / "b.md").rename(folder / "b-renamed.md")
    code, out, _err = run("check", "--baseline", "base.json", "--fail-on", "weak", *map(str, sorted(folder.glob("*.md"))))
    assert code == 0, out
    assert "in de basislijn herkend aan de inhoud, als templates/b.md" in out
    json_out = json.loads(run("check", "--baseline", "base.json", "--format", "json", str(folder / "b-renamed.md"))[1])
    assert json_out["documents"][0]["baseline"]["matched_by"] == "content"
    assert json_out["summary"]["baseline"] == {"covered": 1, "new_or_worse": 0, "better": 0}


def test_paths_compare_without_case_and_separator(folder: Path) -> None:
    run("check", "--write-baseline", "base.json", *map(str, sorted(folder.glob("*.md"))))
    data = json.loads(Path("base.json").read_text(encoding="utf-8"))
    data["documents"] = {k.upper().replace("/", "\\"): v for k, v in data["documents"].items()}
    for entry in data["documents"].values():
        entry["sha256"] = None  # only the path can match
    Path("base.json").write_text(json.dumps(data), encoding="utf-8")
    code, out, _err = run("check", "--baseline", "base.json", "--fail-on", "weak", *map(str, sorted(folder.glob("*.md"))))
    assert code == 0 and "2 bekende bevinding(en) niet getoond" in out


def test_writing_keeps_other_documents_and_drops_deleted_ones(folder: Path) -> None:
    run("check", "--write-baseline", "base.json", *map(str, sorted(folder.glob("*.md"))))
    (folder / "a.md").unlink()
    (folder / "b.md").write_text(TEXTS["missing"], encoding="utf-8")
    code, _out, err = run("check", "--write-baseline", "base.json", str(folder / "b.md"))
    assert code == 0 and "1 document (1 missing); 1 other document kept" in err
    documents = json.loads(Path("base.json").read_text(encoding="utf-8"))["documents"]
    assert sorted(documents) == ["templates/b.md", "templates/c.md"]
    assert documents["templates/b.md"]["findings"]["human-rights"] == "missing"


def test_configuration_baseline_is_relative_to_its_file_and_no_baseline_shows_all(folder: Path, tmp_path: Path) -> None:
    run("check", "--write-baseline", str(folder / "known.json"), *map(str, sorted(folder.glob("*.md"))))
    (folder / ".duediligence.toml").write_text('baseline = "known.json"\nfail-on = "weak"\n', encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.chdir(elsewhere)
    code, out, _err = run("check", *map(str, sorted(folder.glob("*.md"))))
    assert code == 0 and "2 bekende bevinding(en) niet getoond" in out
    code, out, _err = run("check", "--no-baseline", *map(str, sorted(folder.glob("*.md"))))
    assert code == 1 and "bekende bevinding" not in out and len(shown(out)) == 3
    code, out, _err = run("config", str(folder / "a.md"))
    assert f"'{folder / 'known.json'}'" in out


def test_sarif_leaves_known_findings_out_and_marks_the_rest(folder: Path) -> None:
    run("check", "--write-baseline", "base.json", str(folder / "a.md"), str(folder / "b.md"))
    (folder / "a.md").write_text(TEXTS["weak"], encoding="utf-8")
    _code, out, _err = run("check", "--baseline", "base.json", "--format", "sarif", *map(str, sorted(folder.glob("*.md"))))
    log = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    states = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1]: r["baselineState"]
              for r in results}
    assert states == {"a.md": "updated", "c.md": "new"}  # b.md's weak clause is known


@pytest.mark.parametrize(("content", "problem"), [
    (None, "no such baseline file (write one with `duediligence check --write-baseline"),
    ("{not json", "not valid JSON (line 1, column 2"),
    ('{"documents": {}}', "not a duediligence baseline (no 'duediligence-baseline' key)"),
    ('{"duediligence-baseline": 7, "documents": {}}', "version 7 is newer than this duediligence reads (1)"),
    ('{"duediligence-baseline": 1, "documents": []}', "documents: expected an object of document path"),
    ('{"duediligence-baseline": 1, "documents": {"a.md": {"sha256": null, "findings": {"human-rights": "bad"}}}}',
     "documents['a.md'].findings.human-rights: 'bad' is not a status (ok, not-applicable, suppressed, weak, missing)"),
    ('{"duediligence-baseline": 1, "documents": {"a.md": {"sha256": "xyz", "findings": {}}}}',
     "documents['a.md'].sha256: expected 64 lower-case hex digits or null"),
    ('{"duediligence-baseline": 1, "documents": {"a.md": {"findings": {}}, "A.MD": {"findings": {}}}}',
     "documents['A.MD']: the same document as 'a.md' (paths compare without case)"),
])
def test_an_unusable_baseline_is_one_line_and_exit_2(folder: Path, content: str | None, problem: str) -> None:
    if content is not None:
        Path("base.json").write_text(content, encoding="utf-8")
    code, out, err = run("check", "--baseline", "base.json", str(folder / "a.md"))
    assert code == 2 and "Traceback" not in out + err
    (line,) = err.strip().splitlines()
    assert line.startswith("duediligence: ") and "base.json" in line and problem in line, line


def test_writing_never_overwrites_an_unreadable_baseline(folder: Path) -> None:
    Path("base.json").write_text("{not json", encoding="utf-8")
    code, _out, err = run("check", "--write-baseline", "base.json", str(folder / "a.md"))
    assert code == 2 and "base.json: not valid JSON" in err and "move it away to write a new baseline" in err
    assert Path("base.json").read_text(encoding="utf-8") == "{not json"


def test_baseline_options_exclude_each_other(folder: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--baseline", "x.json", "--write-baseline", "y.json", str(folder / "a.md")])
    assert result.exit_code == 2 and "only one of --baseline, --write-baseline and --no-baseline" in result.stderr


def test_unreadable_documents_are_not_recorded_and_still_fail(folder: Path) -> None:
    code, _out, err = run("check", "--write-baseline", "base.json", str(folder / "a.md"), "templates/absent.md")
    assert code == 2 and "[not-found]" in err
    assert list(json.loads(Path("base.json").read_text(encoding="utf-8"))["documents"]) == ["templates/a.md"]
