"""The audit database under load it did not expect: re-runs, two audits at once, a full disk."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from duediligence.batch import store as store_module
from duediligence.batch.runner import AuditRequest, audit
from duediligence.batch.store import Store
from duediligence.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
NAMES = ("nl_parking_03.txt", "nl_ict_11.md", "fr_credit_17.txt", "nl_energie_09.txt")


def _corpus(root: Path) -> Path:
    root.mkdir()
    for name in NAMES:
        shutil.copy(SAMPLES / name, root / name)
    return root


def _stored_json_bytes(db: Path, run_id: int) -> int:
    with sqlite3.connect(db) as con:
        documents = con.execute("SELECT COALESCE(SUM(LENGTH(result)), 0) FROM documents WHERE run_id = ?", (run_id,))
        findings = con.execute("SELECT COALESCE(SUM(LENGTH(finding)), 0) FROM findings WHERE run_id = ?", (run_id,))
        return int(documents.fetchone()[0]) + int(findings.fetchone()[0])


def test_cached_re_runs_store_a_reference_not_a_copy(tmp_path: Path) -> None:
    """Four runs of the samples took the database from 1.2 MB to 4.8 MB: each copied every finding."""
    corpus = _corpus(tmp_path / "c")
    db = tmp_path / "a.db"
    outcomes = [audit(AuditRequest(inputs=(str(corpus),), db_path=str(db), jobs=1)) for _ in range(4)]
    assert [o.cached_now for o in outcomes] == [0, len(NAMES), len(NAMES), len(NAMES)]
    first = _stored_json_bytes(db, outcomes[0].run.id)
    assert first > 10_000 and all(_stored_json_bytes(db, o.run.id) == 0 for o in outcomes[1:])
    with Store(str(db)) as store:
        runs = [list(store.document_dicts(o.run.id)) for o in outcomes]
        assert runs[3] == runs[0]  # the same documents, findings and evidence, read through the reference
        assert store.coverage(outcomes[3].run.id) == store.coverage(outcomes[0].run.id)
        assert [r["json"] for r in store.finding_rows(outcomes[3].run.id)] == \
               [r["json"] for r in store.finding_rows(outcomes[0].run.id)]
    jsonl = CliRunner().invoke(main, ["audit", str(corpus), "--db", str(db), "--format", "jsonl", "-q"])
    assert jsonl.stdout.count('"findings": [{') == len(NAMES)


def test_two_identical_audits_on_one_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second audit resumes the run the first is still in and records the same documents:
    an IntegrityError traceback before. The document first recorded stays, the run finishes."""
    corpus = _corpus(tmp_path / "c")
    db = tmp_path / "a.db"
    first = audit(AuditRequest(inputs=(str(corpus),), db_path=str(db), jobs=1))
    with sqlite3.connect(db) as con:  # as if the first audit were still running
        con.execute("UPDATE runs SET status = 'running'")
    # the second read its list of finished documents before the first recorded any
    monkeypatch.setattr(Store, "done_paths", lambda self, run_id: set())
    second = audit(AuditRequest(inputs=(str(corpus),), db_path=str(db), jobs=1, use_cache=False))
    assert second.run.id == first.run.id and second.resumed and second.run.status == "finished"
    with sqlite3.connect(db) as con:
        paths = [r[0] for r in con.execute("SELECT path FROM documents")]
    assert sorted(paths) == sorted(str(corpus / n) for n in NAMES)


def test_a_full_disk_is_one_line_and_the_database_stays_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's 'database or disk is full' (made here by capping the database's pages, which is
    the error a full disk gives) ended in an OperationalError traceback."""
    corpus = _corpus(tmp_path / "c")
    db = tmp_path / "a.db"
    Store(str(db)).close()
    with sqlite3.connect(db) as con:
        pages = con.execute("PRAGMA page_count").fetchone()[0]
    real_connect = sqlite3.connect

    def small_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        connection = real_connect(*args, **kwargs)
        connection.execute(f"PRAGMA max_page_count = {pages + 8}")
        return connection

    monkeypatch.setattr(store_module.sqlite3, "connect", small_disk)
    result = CliRunner().invoke(main, ["audit", str(corpus), "--db", str(db), "--jobs", "1", "-q"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    (line,) = [ln for ln in result.stderr.splitlines() if ln.startswith("duediligence:")]
    assert "database or disk is full" in line and "stays intact" in line
    monkeypatch.undo()
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        recorded = con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    again = audit(AuditRequest(inputs=(str(corpus),), db_path=str(db), jobs=1))  # room again: it resumes
    assert again.resumed and again.totals.documents == len(NAMES) and again.analysed_now == len(NAMES) - recorded
