"""Nothing is run from the folder an audit or a benchmark is started in."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from duediligence.batch.runner import AuditRequest, audit
from duediligence.batch.settings import AuditSettings

ROOT = Path(__file__).resolve().parent.parent

PLANTED = """
import pathlib
pathlib.Path({marker!r}).write_text("planted code ran")
raise SystemExit("planted duediligence imported")
"""

ANALYSER = """
def factory(settings):
    def run(path):
        return {"path": path, "sha256": None, "format": "markdown", "language": "nl", "pages": None,
                "subject": None, "findings": [], "error": None, "notices": [], "seconds": 0.0}
    return run, "fake"
"""


def test_audit_workers_never_import_a_duediligence_folder_in_the_working_folder(tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    here = tmp_path / "here"
    marker = tmp_path / "planted-ran"
    for package in ("duediligence", "duediligence/batch"):
        (here / package).mkdir(parents=True)
        (here / package / "__init__.py").write_text(PLANTED.format(marker=str(marker)), encoding="utf-8")
    (here / "duediligence" / "batch" / "worker.py").write_text(PLANTED.format(marker=str(marker)), encoding="utf-8")
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "fake_analyser.py").write_text(textwrap.dedent(ANALYSER), encoding="utf-8")
    (here / "tender.md").write_text("# Bestek\n\nLevering van papier.\n", encoding="utf-8")
    monkeypatch.chdir(here)
    # "." in an inherited PYTHONPATH would be the working folder again
    request = AuditRequest(inputs=("tender.md",), settings=AuditSettings(analyser="fake_analyser:factory"),
                           db_path=str(tmp_path / "a.db"), jobs=1, timeout=30,
                           worker_env={"PYTHONPATH": os.pathsep.join([".", str(modules)])})
    outcome = audit(request)
    assert not marker.exists()
    assert outcome.run.status == "finished" and outcome.totals.documents == 1 and not outcome.totals.failures


def test_fuzz_benchmark_takes_its_samples_from_the_checkout_and_its_code_from_the_installed_package(tmp_path: Path) -> None:
    """It put its checkout first on sys.path: beside a checkout that is not the installed copy
    (a normal install, or a planted `duediligence/`), it imported that instead and failed."""
    checkout = tmp_path / "checkout"
    (checkout / "benchmarks").mkdir(parents=True)
    (checkout / "samples").mkdir()
    (checkout / "duediligence").mkdir()
    (checkout / "duediligence" / "__init__.py").write_text('raise SystemExit("the checkout was imported")\n')
    shutil.copy(ROOT / "benchmarks" / "fuzz_readers.py", checkout / "benchmarks")
    for name in ("nl_parking_03.txt", "nl_ict_11.md", "nl_dorpsplein_01.pdf"):
        shutil.copy(ROOT / "samples" / name, checkout / "samples")
    result = subprocess.run([sys.executable, str(checkout / "benchmarks" / "fuzz_readers.py"), "--seconds", "3",
                             "--out", str(tmp_path / "fuzz"), "--formats", "text,markdown,pdf", "--jobs", "2"],
                            capture_output=True, text=True, cwd=checkout, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "0 crashes" in result.stdout
    counts = {line.split()[0]: int(line.split()[1]) for line in result.stdout.splitlines()[1:]}
    assert set(counts) == {"text", "markdown", "pdf"} and all(n > 0 for n in counts.values())
