"""`--format sarif` through the real CLI on real samples, checked against the official SARIF 2.1.0 schema.

Expectations come from the JSON report of the same files, so the tests check the mapping
(levels, rules, locations, suppressions, failures) rather than today's verdict on a sample.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner

from duediligence.cli import main
from duediligence.library import load_library

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
TEXT, PDF, DOCX, DOCX_WEAK = ("samples/nl_parking_03.txt", "samples/nl_dorpsplein_01.pdf",
                              "samples/nl_catering_05.docx", "samples/nl_parkbanken_14.docx")
TEXT_WEAK = "samples/nl_energie_09.txt"  # the parking tender has no weak finding to point a column at
ABSENT = "samples/does-not-exist.pdf"
PATHS = (TEXT, TEXT_WEAK, PDF, DOCX, DOCX_WEAK, ABSENT)
LEVEL = {"missing": "error", "weak": "warning"}

Json = dict[str, Any]


def _check(fmt: str, *args: str) -> tuple[int, Json]:
    result = CliRunner().invoke(main, ["check", "--format", fmt, *args])
    return result.exit_code, json.loads(result.stdout)


def _valid(log: Json) -> Json:
    """The log validated against the official schema; its only run."""
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    return log["runs"][0]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def runs() -> Iterator[tuple[int, Json, Json]]:
    """One SARIF and one JSON run over the same paths, relative to the repository as in CI."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        code, log = _check("sarif", *PATHS)
        _json_code, report = _check("json", *PATHS)
    yield code, _valid(log), report


def _results(run: Json, uri: str) -> list[Json]:
    return [r for r in run["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri]


def _gaps(report: Json, path: str) -> list[Json]:
    doc = next(d for d in report["documents"] if d["path"] == path)
    return [f for f in doc["findings"] if f["status"] in LEVEL]


def test_unreadable_document_is_a_notification_and_the_others_are_still_reported(runs: tuple[int, Json, Json]) -> None:
    code, run, _report = runs
    assert code == 2
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    errors = [n for n in invocation["toolExecutionNotifications"] if n["level"] == "error"]
    assert [n["descriptor"]["id"] for n in errors] == ["not-found"]
    assert "does-not-exist.pdf" in errors[0]["message"]["text"]
    assert errors[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == ABSENT
    listed = [a["location"]["uri"] for a in run["artifacts"]]
    assert listed == [p for p in PATHS if p != ABSENT]
    assert all(a["location"]["uriBaseId"] == "%SRCROOT%" and len(a["hashes"]["sha-256"]) == 64 for a in run["artifacts"])


def test_one_result_per_weak_or_missing_finding_with_its_rule(runs: tuple[int, Json, Json]) -> None:
    _code, run, report = runs
    driver = run["tool"]["driver"]
    assert driver["name"] == "duediligence" and driver["version"]
    library = load_library()
    assert [r["id"] for r in driver["rules"]] == [c.id for c in library.criteria]
    for path in PATHS[:-1]:
        expected = sorted((f["criterion"], LEVEL[f["status"]]) for f in _gaps(report, path))
        assert sorted((r["ruleId"], r["level"]) for r in _results(run, path)) == expected, path
    for r in run["results"]:
        rule = driver["rules"][r["ruleIndex"]]
        assert rule["id"] == r["ruleId"]
        index = r["locations"][0]["physicalLocation"]["artifactLocation"]["index"]
        assert run["artifacts"][index]["location"]["uri"] == r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert r["message"]["text"].startswith(library.get(r["ruleId"]).name.nl)
        assert "suppressions" not in r
    fingerprints = [r["partialFingerprints"]["duediligenceFinding/v1"] for r in run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)


def test_rules_carry_the_library_texts_in_the_document_language(runs: tuple[int, Json, Json]) -> None:
    _code, run, _report = runs
    assert run["language"] == "nl"
    hr = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "human-rights")
    crit = load_library().get("human-rights")
    assert hr["name"] == crit.name.nl
    assert hr["shortDescription"]["text"] == crit.summary.nl
    assert hr["fullDescription"]["text"] == crit.description.nl
    assert hr["helpUri"] == crit.sources[0].url
    assert crit.model_clause.nl in hr["help"]["text"]
    assert hr["defaultConfiguration"]["level"] == {"high": "error", "medium": "warning", "low": "note"}[crit.severity]


def test_missing_criteria_sit_at_document_level_named_by_the_subject(runs: tuple[int, Json, Json]) -> None:
    _code, run, report = runs
    missing = [r for r in run["results"] if r["level"] == "error"]
    assert any(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == TEXT for r in missing)
    for r in missing:
        physical = r["locations"][0]["physicalLocation"]
        assert set(physical) == {"artifactLocation"}
        doc = next(d for d in report["documents"] if d["path"] == physical["artifactLocation"]["uri"])
        assert r["locations"][0]["message"]["text"] in (doc["subject"]["statement"], doc["subject"]["title"])
        finding = next(f for f in doc["findings"] if f["criterion"] == r["ruleId"])
        assert finding["suggestion"]["text"] in r["message"]["text"]


def _words(text: str) -> list[str]:
    return re.sub(r"[*_`]", "", text).replace("’", "'").split()


def test_weak_text_passage_has_line_and_columns_of_the_quote(runs: tuple[int, Json, Json]) -> None:
    _code, run, report = runs
    lines = (ROOT / TEXT_WEAK).read_text(encoding="utf-8").split("\n")
    weak = [r for r in _results(run, TEXT_WEAK) if r["level"] == "warning"]
    assert weak, f"{TEXT_WEAK} should have a weak finding"
    for r in weak:
        finding = next(f for f in _gaps(report, TEXT_WEAK) if f["criterion"] == r["ruleId"])
        evidence = next(e for e in finding["evidence"] if e["role"] == "topic")
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= evidence["line"]
        start = "\n".join(lines[region["startLine"] - 1:])[region["startColumn"] - 1:]
        assert _words(start)[:3] == _words(evidence["quote"])[:3]
        span = "\n".join(lines[region["startLine"] - 1:region["endLine"]])
        span = span[region["startColumn"] - 1:len(span) - len(lines[region["endLine"] - 1]) + region["endColumn"] - 1]
        assert _words(span) == _words(evidence["quote"])
        assert r["locations"][0]["physicalLocation"]["properties"]["paragraph"] == evidence["paragraph"]


@pytest.mark.parametrize(("path", "key"), [(PDF, "page"), (DOCX_WEAK, "paragraph")])
def test_weak_pdf_and_docx_passages_name_page_or_paragraph(runs: tuple[int, Json, Json], path: str, key: str) -> None:
    _code, run, report = runs
    weak = [r for r in _results(run, path) if r["level"] == "warning"]
    assert weak, f"{path} should have a weak finding"
    for r in weak:
        finding = next(f for f in _gaps(report, path) if f["criterion"] == r["ruleId"])
        evidence = next(e for e in finding["evidence"] if e["role"] == "topic")
        location = r["locations"][0]
        assert "region" not in location["physicalLocation"]  # no lines in a PDF or Word file
        props = location["physicalLocation"]["properties"]
        assert props[key] == evidence[key] and props["section"] == evidence["section"]
        assert f"{'p' if key == 'page' else 'par'}. {evidence[key]}" in location["message"]["text"]
        assert location["logicalLocations"][0]["fullyQualifiedName"] == evidence["section"]


def test_suppressed_finding_is_kept_with_its_justification(tmp_path: Path) -> None:
    doc = tmp_path / "parking.txt"
    shutil.copy(ROOT / TEXT, doc)
    with doc.open("a", encoding="utf-8") as fh:  # human-rights applies to every tender
        fh.write("\nduediligence: ignore human-rights -- opgenomen in het raamcontract 2025/3\n")
    _code, plain = _check("sarif", "--no-suppress", str(doc))
    _code, log = _check("sarif", str(doc))
    run = _valid(log)
    before = next(r for r in _valid(plain)["results"] if r["ruleId"] == "human-rights")
    after = next(r for r in run["results"] if r["ruleId"] == "human-rights")
    assert "suppressions" not in before
    assert after["suppressions"][0]["kind"] == "inSource"
    assert "raamcontract 2025/3" in after["suppressions"][0]["justification"]
    assert after["level"] == before["level"] and after["partialFingerprints"] == before["partialFingerprints"]
    assert after["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": doc.as_uri(), "index": 0}
    assert all("suppressions" not in r for r in run["results"] if r["ruleId"] != "human-rights")
    assert not run["invocations"][0]["toolExecutionNotifications"]  # the suppression was used


def test_ui_lang_sets_the_language_of_the_rules() -> None:
    _code, log = _check("sarif", "--ui-lang", "en", str(ROOT / TEXT))
    run = _valid(log)
    assert run["language"] == "en"
    hr = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "human-rights")
    assert hr["shortDescription"]["text"] == load_library().get("human-rights").summary.en
