"""Data-first engine tests: every case in tests/cases/*.yml is one test on a real Markdown file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from duediligence.library import load_library
from duediligence.pipeline import Options, check_paths

CASES_DIR = Path(__file__).parent / "cases"
CASES = [case for f in sorted(CASES_DIR.glob("*.yml")) for case in yaml.safe_load(f.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def library():  # type: ignore[no-untyped-def]
    return load_library()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict, library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def, type-arg]
    path = tmp_path / f"{case['id']}.{case.get('ext', 'md')}"  # Markdown unless the case is about plain text
    path.write_text(case["text"], encoding="utf-8")
    report = check_paths([str(path)], library, Options())
    doc = report.documents[0]
    assert doc.error is None, doc.error
    finding = next(f for f in doc.findings if f.criterion == case["criterion"])
    expect = dict(case["expect"])
    # product groups that must not be seen (a vehicle lease is no money channel)
    absent_groups = set(expect.pop("not_groups", ()))
    got = {"applies": finding.applies, "presence": finding.presence.value}
    assert {k: got[k] for k in expect} == expect, (finding.evidence, finding.discounted)
    assert doc.subject is not None and not absent_groups & set(doc.subject.product_groups), doc.subject
