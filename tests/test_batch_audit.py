"""Batch audits on real sample files, a real SQLite database and real worker processes.

One audit of a small nested corpus (module fixture) feeds the output, dashboard and history
tests; cache, resume and time-limit tests run their own audits on copies.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from duediligence import check
from duediligence.batch.discover import discover
from duediligence.batch.runner import AuditRequest, audit
from duediligence.batch.settings import AuditSettings
from duediligence.batch.store import MIGRATIONS, Store, StoreError
from duediligence.cli import main
from duediligence.library import builtin_library_dir, load_library
from duediligence.pipeline import Options, check_paths
from duediligence.report.json_report import document_dict

SAMPLES = Path(__file__).parent.parent / "samples"
CASES = Path(__file__).parent / "cases"


def make_corpus(root: Path) -> Path:
    """Nested folders of real tenders, one broken PDF, and files an audit must skip."""
    (root / "2026" / "q1").mkdir(parents=True)
    (root / "2026" / "q2").mkdir(parents=True)
    (root / ".git").mkdir()
    shutil.copy(SAMPLES / "nl_dorpsplein_01.pdf", root / "2026" / "q1")
    shutil.copy(SAMPLES / "nl_werkkledij_07.docx", root / "2026" / "q1")
    shutil.copy(SAMPLES / "fr_credit_17.txt", root / "2026" / "q2")
    shutil.copy(SAMPLES / "fr_publicite_18.md", root / "2026" / "q2" / "PUBLICITE.MD")
    shutil.copy(SAMPLES / "en_events_20.pdf", root)
    (root / "2026" / "broken.pdf").write_bytes((SAMPLES / "fr_place_15.pdf").read_bytes()[:300])
    (root / "2026" / "notes.xlsx").write_bytes(b"PK\x03\x04 not a tender")
    (root / "2026" / "q1" / "~$werkkledij.docx").write_bytes(b"lock")
    (root / ".git" / "HEAD.md").write_text("ref: refs/heads/main\n")
    return root


CORPUS_DOCS = 6  # five tenders and the broken PDF


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    base = tmp_path_factory.mktemp("audit")
    corpus = make_corpus(base / "corpus")
    db = base / "audit.db"
    out = base / "out.jsonl"
    result = CliRunner().invoke(main, ["audit", str(corpus), "--db", str(db), "--jobs", "2", "-o", str(out)])
    return {"corpus": corpus, "db": db, "jsonl": out, "result": result}


def copy_db(db: Path, to: Path) -> Path:
    target = to / "copy.db"
    with sqlite3.connect(db) as source, sqlite3.connect(target) as dest:
        source.backup(dest)
    return target


def test_discovery_folders_globs_and_skips(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "c")
    found = discover([str(corpus)])
    names = sorted(Path(f).name for f in found.files)
    assert names == ["PUBLICITE.MD", "broken.pdf", "en_events_20.pdf", "fr_credit_17.txt", "nl_dorpsplein_01.pdf",
                     "nl_werkkledij_07.docx"]
    assert found.skipped == 2  # notes.xlsx and the Word lock file; hidden folders are not even counted
    assert all(os.path.isabs(f) for f in found.files)

    pdfs = discover([str(corpus / "2026" / "**" / "*.pdf"), str(corpus / "2026" / "q1" / "*")])
    assert sorted(Path(f).name for f in pdfs.files) == ["broken.pdf", "nl_dorpsplein_01.pdf", "nl_werkkledij_07.docx"]
    assert pdfs.skipped == 1  # the lock file matched by q1/*

    named = discover([str(corpus / "2026" / "notes.xlsx"), str(corpus / "nothing-*.pdf"), str(corpus / "gone.pdf")])
    assert [Path(f).name for f in named.files] == ["notes.xlsx"]  # named outright: checked, and reported as unsupported
    assert len(named.missing) == 2


def test_first_audit_records_every_document(first: dict) -> None:  # type: ignore[type-arg]
    result = first["result"]
    assert result.exit_code == 2, result.output  # the broken PDF: exit 2, like `check`
    assert f"audit: {CORPUS_DOCS}/{CORPUS_DOCS} documents" in result.stderr  # plain progress lines off a terminal
    assert "failures: 1 corrupt-pdf" in result.stdout
    assert "2 other files skipped" in result.stdout
    with Store(str(first["db"])) as store:
        (run,) = store.runs()
        assert run.status == "finished" and run.planned == CORPUS_DOCS and run.skipped == 2
        rows = store.document_rows(run.id)
        assert len(rows) == CORPUS_DOCS
        criteria = len(run.criteria)
        assert sum(1 for _ in store.finding_rows(run.id)) == (CORPUS_DOCS - 1) * criteria
        assert store.totals(run.id).failures == {"corrupt-pdf": 1}
        docx = next(r for r in rows if r["path"].endswith(".docx"))
        assert docx["format"] == "docx" and docx["language"] == "nl" and docx["sha256"] and docx["size"] > 0
        pdf = next(r for r in rows if r["path"].endswith("dorpsplein_01.pdf"))
        assert pdf["pages"] >= 1 and pdf["title"]
        tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"runs", "documents", "findings", "errors", "schema_version"} <= tables
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_jsonl_has_the_check_json_shape(first: dict) -> None:  # type: ignore[type-arg]
    lines = first["jsonl"].read_text(encoding="utf-8").splitlines()
    docs = [json.loads(line) for line in lines]
    assert len(docs) == CORPUS_DOCS
    pdf = next(d for d in docs if d["path"].endswith("dorpsplein_01.pdf"))
    library = load_library()
    expected = document_dict(check_paths([pdf["path"]], library, Options()).documents[0], library)
    assert list(pdf) == list(expected)
    assert [(f["criterion"], f["status"], f["evidence"]) for f in pdf["findings"]] == \
           [(f["criterion"], f["status"], f["evidence"]) for f in expected["findings"]]
    broken = next(d for d in docs if d["path"].endswith("broken.pdf"))
    assert broken["error"]["code"] == "corrupt-pdf" and broken["findings"] == []


def test_the_run_counts_the_documents_that_could_tick_each_eforms_code(first: dict) -> None:  # type: ignore[type-arg]
    """The run's counts agree with the codes each document's own report gives (`eforms` in JSON Lines)."""
    docs = [json.loads(line) for line in first["jsonl"].read_text(encoding="utf-8").splitlines()]
    expected = Counter((c["field"], c["code"], c["state"]) for d in docs for c in (d.get("eforms") or {}).get("codes", []))
    assert expected[("BT-06", "soc-obj", "tick")] >= 1  # the corpus has a tender with a complete clause
    with Store(str(first["db"])) as store:
        (run,) = store.runs()
        assert run.eforms["human-rights"]["BT-775"] == ("hum-right",)
        counts = store.code_counts(run.id)
    got = Counter()
    for c in counts:
        got.update({(c.field, c.code, "tick"): c.ticked, (c.field, c.code, "not-yet"): c.not_yet,
                    (c.field, c.code, "once-inserted"): c.once_inserted})
    assert +got == expected
    summary = first["result"].stdout
    block = summary[summary.index("in the notice"):]
    hum = next(c for c in counts if (c.field, c.code) == ("BT-775", "hum-right"))
    line = next(line for line in block.splitlines() if "BT-775 hum-right" in line)
    assert line.split()[2:5] == [str(hum.ticked), str(hum.not_yet), str(hum.once_inserted)]
    assert "Human rights due diligence in global supply chains" in line


def test_a_schema_1_database_gains_the_eforms_column(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with sqlite3.connect(db) as con:
        con.executescript("CREATE TABLE schema_version (version INTEGER NOT NULL);" + MIGRATIONS[1]
                          + "INSERT INTO schema_version VALUES (1);")
        con.execute("INSERT INTO runs (key, started_at, status, tool_version, library_version, criteria, settings, inputs,"
                    " executor) VALUES ('k', '2026-01-01T00:00:00', 'finished', '0.1', 'lib', '[]', '{}', '[]', 'local')")
    with Store(str(db)) as store:
        (run,) = store.runs()
        assert run.eforms == {} and store.code_counts(run.id) == []


def test_csv_rows_per_document_and_criterion(first: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    db = copy_db(first["db"], tmp_path)
    result = CliRunner().invoke(main, ["audit", str(first["corpus"]), "--db", str(db), "--format", "csv", "-q"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    criteria = len(load_library().criteria)
    assert len(rows) == (CORPUS_DOCS - 1) * criteria + 1
    assert {"path", "criterion", "applies", "presence", "status", "confidence", "error", "cpv", "title"} <= set(rows[0])
    assert [r["error"] for r in rows if r["error"]] == ["corrupt-pdf"]
    assert {r["status"] for r in rows if r["criterion"]} <= {"ok", "weak", "missing", "not-applicable", "suppressed"}
    assert "audit run 2" in result.stderr  # the summary moves to stderr when the data goes to stdout


def test_cache_hits_when_unchanged_and_misses_on_file_or_library_change(first: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    db = copy_db(first["db"], tmp_path)
    corpus = tmp_path / "moved"
    shutil.copytree(first["corpus"], corpus)  # other paths, same bytes: the cache is keyed by content

    again = audit(AuditRequest(inputs=(str(corpus),), db_path=str(db), jobs=1))
    assert (again.analysed_now, again.cached_now) == (0, CORPUS_DOCS)
    assert again.totals.failures == {"corrupt-pdf": 1}

    changed = corpus / "2026" / "q1" / "nl_dorpsplein_01.pdf"
    changed.write_bytes(changed.read_bytes() + b"\n% annotated by the archive\n")  # same text, other bytes
    edited = audit(AuditRequest(inputs=(str(corpus),), db_path=str(db), jobs=1))
    assert (edited.analysed_now, edited.cached_now) == (1, CORPUS_DOCS - 1)

    library = tmp_path / "library"
    library.mkdir()
    extra = yaml.safe_load((builtin_library_dir() / "trustone.yml").read_text(encoding="utf-8"))
    extra["id"], extra["aliases"] = "trustone-local", []
    (library / "trustone-local.yml").write_text(yaml.safe_dump(extra, allow_unicode=True), encoding="utf-8")
    settings = AuditSettings(library_dirs=(str(library),))
    relib = audit(AuditRequest(inputs=(str(corpus / "2026" / "q1"), str(corpus / "2026" / "broken.pdf")),
                               settings=settings, db_path=str(db), jobs=2))
    assert (relib.analysed_now, relib.cached_now) == (3, 0)
    assert "trustone-local" in {c.criterion for c in relib.coverage}

    forced = audit(AuditRequest(inputs=(str(corpus / "2026" / "broken.pdf"),), db_path=str(db), use_cache=False, jobs=1))
    assert (forced.analysed_now, forced.cached_now) == (1, 0)


def _slow_corpus(root: Path, n: int) -> Path:
    """Text tenders long enough (tens of KB) that an audit of them takes a few seconds."""
    root.mkdir()
    cases = [c["text"] for f in sorted(CASES.glob("*.yml")) for c in yaml.safe_load(f.read_text(encoding="utf-8"))]
    for i in range(n):
        body = "\n\n".join(cases[(i + k) % len(cases)] for k in range(40))
        (root / f"tender_{i:02d}.md").write_text(f"# Bestek {i}\n\n{body}", encoding="utf-8")
    return root


def test_resume_after_sigkill_keeps_finished_results_and_checks_each_document_once(tmp_path: Path) -> None:
    corpus = _slow_corpus(tmp_path / "slow", 10)
    db = tmp_path / "resume.db"
    command = [sys.executable, "-m", "duediligence", "audit", str(corpus), "--db", str(db), "--jobs", "1", "-q"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if db.exists():
            try:
                with sqlite3.connect(db) as con:
                    done = con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if done >= 3:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as con:
        before = con.execute("SELECT id, path, result FROM documents ORDER BY id").fetchall()
        findings_before = con.execute("SELECT document_id, criterion, finding FROM findings ORDER BY 1, 2").fetchall()
        status = con.execute("SELECT status FROM runs").fetchall()
    assert 3 <= len(before) < 10, "the audit must be killed part-way"
    assert status == [("running",)]

    result = CliRunner().invoke(main, ["audit", str(corpus), "--db", str(db), "--jobs", "2", "-q"])
    assert result.exit_code in (0, 1), result.output
    assert "(resumed)" in result.stdout
    with sqlite3.connect(db) as con:
        runs = con.execute("SELECT id, status FROM runs").fetchall()
        paths = [r[0] for r in con.execute("SELECT path FROM documents")]
        after = con.execute("SELECT id, path, result FROM documents ORDER BY id").fetchall()
        findings_after = con.execute("SELECT document_id, criterion, finding FROM findings ORDER BY 1, 2").fetchall()
    assert runs == [(1, "finished")]
    assert sorted(paths) == sorted(str(p) for p in corpus.glob("*.md"))  # each document exactly once
    assert after[:len(before)] == before
    assert findings_after[:len(findings_before)] == findings_before


FAKE_ANALYSERS = '''
import os, time

def factory(settings):
    def run(path):
        name = os.path.basename(path)
        if "hang" in name:
            time.sleep(600)
        if "crash" in name:
            os._exit(3)
        if "bloat" in name:  # past the worker's memory ceiling: MemoryError, not the machine's memory
            bytearray(3 * 2**30)
        finding = {"criterion": "human-rights", "applies": True, "applies_because": [], "presence": "present",
                   "status": "ok", "confidence": 0.9, "elements": {}, "evidence": [], "discounted": [],
                   "suggestion": None, "suppressed_reason": None}
        return {"path": path, "sha256": None, "format": "markdown", "language": "nl", "pages": None,
                "subject": None, "findings": [finding], "error": None, "notices": [], "seconds": 0.0}
    return run, "fake"
'''


def test_time_limit_kills_the_worker_and_the_run_goes_on(tmp_path: Path) -> None:
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "fake_analysers.py").write_text(textwrap.dedent(FAKE_ANALYSERS), encoding="utf-8")
    corpus = tmp_path / "c"
    corpus.mkdir()
    for name in ("a.md", "hang.md", "b.md", "crash.md", "c.md", "bloat.md", "d.md"):
        (corpus / name).write_text(f"# {name}\n", encoding="utf-8")
    request = AuditRequest(inputs=(str(corpus),), settings=AuditSettings(analyser="fake_analysers:factory"),
                           db_path=str(tmp_path / "t.db"), jobs=2, timeout=1.0, worker_env={"PYTHONPATH": str(modules)})
    started = time.monotonic()
    outcome = audit(request)
    assert time.monotonic() - started < 20
    assert outcome.run.status == "finished"
    assert outcome.totals.documents == 7
    assert outcome.totals.failures == {"timeout": 1, "internal": 1, "too-large": 1}
    with Store(request.db_path) as store:
        docs = {Path(d["path"]).name: d for d in store.document_dicts(outcome.run.id)}
    assert docs["hang.md"]["error"]["code"] == "timeout" and "1 s" in docs["hang.md"]["error"]["message"]
    assert "exited with code 3" in docs["crash.md"]["error"]["message"]
    assert all(docs[n]["findings"][0]["status"] == "ok" for n in ("a.md", "b.md", "c.md", "d.md"))
    # neither a time-out nor a crash is served from the cache next time
    again = audit(request)
    assert again.analysed_now == 2 and again.cached_now == 5


def test_dashboard_has_charts_links_and_trend(first: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    db = copy_db(first["db"], tmp_path)
    out = tmp_path / "dashboard.html"
    result = CliRunner().invoke(main, ["audit", str(first["corpus"]), "--db", str(db), "-o", str(out), "-q"])
    assert result.exit_code == 2
    html = out.read_text(encoding="utf-8")
    assert '<svg class="coverage"' in html and "<rect" in html
    assert '<svg class="trend"' in html and "<polyline" in html  # two runs in the database
    assert html.count('href="#doc-') >= CORPUS_DOCS and 'id="doc-1"' in html
    assert "corrupt-pdf" in html and load_library().get("human-rights").name.en in html  # names, not ids
    notice = html[html.index('id="notice"'):html.index('id="trend"')]
    assert "<code>hum-right</code>" in notice and "Human rights due diligence in global supply chains" in notice
    assert "<script" not in html and "<link" not in html and "http" not in html.split("<body>")[0]
    table = html.index('id="documents"')
    assert html.index("broken.pdf", table) < html.index("en_events_20.pdf", table)  # worst (failed) first


def test_the_dashboard_speaks_the_readers_language(first: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    db = copy_db(first["db"], tmp_path)
    out = tmp_path / "dashboard.html"
    result = CliRunner().invoke(main, ["audit", str(first["corpus"]), "--db", str(db), "-o", str(out), "-q", "--ui-lang", "nl"])
    assert result.exit_code == 2
    html = out.read_text(encoding="utf-8")
    assert '<html lang="nl">' in html and "Dekking per criterium" in html and "Documenten, slechtste eerst" in html
    assert "Mensenrechtenclausule" in html and "De PDF is beschadigd of onvolledig." in html
    english = ("Coverage per criterion", "worst first", "applicable:", "back to the list", "why it applies", "missing:",
               "model clause", "confidence", ">human-rights<", "passage(s) ignored")
    assert [w for w in english if w in html] == []


def test_history_lists_runs_and_trend(first: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    db = copy_db(first["db"], tmp_path)
    CliRunner().invoke(main, ["audit", str(first["corpus"]), "--db", str(db), "-q"])
    listing = CliRunner().invoke(main, ["history", "--db", str(db)])
    assert listing.exit_code == 0
    lines = listing.stdout.splitlines()
    assert lines[0].split()[:4] == ["run", "started", "status", "documents"]
    assert lines[1].split()[0] == "1" and "finished" in lines[1] and f" {CORPUS_DOCS} " in lines[1]
    assert lines[2].split()[0] == "2" and "% ok of" in lines[2]
    trend = CliRunner().invoke(main, ["history", "--db", str(db), "--trend"])
    assert "run 1" in trend.stdout and "run 2" in trend.stdout
    assert any(line.startswith("human-rights") and line.count("% of") == 2 for line in trend.stdout.splitlines())
    codes = CliRunner().invoke(main, ["history", "--db", str(db), "--notice"])
    row = next(line for line in codes.stdout.splitlines() if line.startswith("BT-775 hum-right"))
    assert row.count(f" of {CORPUS_DOCS}") == 2  # one cell per run
    missing = CliRunner().invoke(main, ["history", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2


def test_store_refuses_a_newer_schema(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    Store(str(db)).close()
    with sqlite3.connect(db) as con:
        con.execute("INSERT INTO schema_version VALUES (99)")
    with pytest.raises(StoreError, match="newer duediligence"):
        Store(str(db))


def test_exclude_and_configuration_files_of_subfolders(tmp_path: Path) -> None:
    """An audit counted README.md as a tender, said only '2 other files skipped', and one broken
    .duediligence.toml in a subfolder stopped it all; a valid one there applies to its documents."""
    root = tmp_path / "tenders"
    for folder in ("sub", "broken", "drafts"):
        (root / folder).mkdir(parents=True)
    tender = (SAMPLES / "nl_parking_03.txt").read_text(encoding="utf-8")
    for name in ("a.txt", "drafts/draft.txt", "sub/b.txt", "broken/c.txt"):
        (root / name).write_text(tender, encoding="utf-8")
    (root / "README.md").write_text("# Over deze map\n\nHier staan de bestekken van 2026.\n", encoding="utf-8")
    (root / "notes.xlsx").write_bytes(b"PK\x03\x04 a workbook")
    (root / ".duediligence.toml").write_text('exclude = ["README.md"]\n', encoding="utf-8")
    (root / "sub" / ".duediligence.toml").write_text('ignore = ["fair-trade"]\n', encoding="utf-8")
    (root / "broken" / ".duediligence.toml").write_text("ignore = [[[[\n", encoding="utf-8")
    db = tmp_path / "a.db"
    result = CliRunner().invoke(main, ["audit", str(root), "--exclude", "drafts/*", "--db", str(db), "--jobs", "1", "-q"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = result.stdout.splitlines()
    assert "3 documents" in lines[0] and "3 other files skipped" in lines[0]
    assert lines[1].startswith("skipped: ") and sorted(lines[1][9:].split("; ")) == [
        "1 excluded by README.md", "1 excluded by drafts/*", "1 not a checked format (.xlsx)"]
    assert "failures: 1 config" in result.stdout
    with Store(str(db)) as store:
        docs = {Path(d["path"]).name: d for d in store.document_dicts(store.runs()[0].id)}
    assert set(docs) == {"a.txt", "b.txt", "c.txt"}
    assert docs["c.txt"]["error"]["code"] == "config" and "invalid TOML" in docs["c.txt"]["error"]["message"]
    assert docs["a.txt"]["error"] is None and docs["b.txt"]["error"] is None
    assert any(f["criterion"] == "fair-trade" for f in docs["a.txt"]["findings"])
    assert not any(f["criterion"] == "fair-trade" for f in docs["b.txt"]["findings"])  # sub's own ignore


@pytest.mark.parametrize(("order", "expected"), [(("lenient", "strict"), 1), (("clean", "lenient"), 0)])
def test_each_document_s_own_fail_on_decides_its_part_of_the_exit_code(tmp_path: Path, order: tuple[str, str],
                                                                        expected: int) -> None:
    """The exit code once followed the first path's fail-on: `audit lenient/ strict/` exited 0 over
    strict's missing clauses, `audit clean/ lenient/` 1 over what lenient says never fails."""
    folders = {"lenient": "nl_parking_03.txt", "strict": "nl_parking_03.txt", "clean": "nl_schoolfruit_40.txt"}
    for folder, sample in folders.items():
        (tmp_path / folder).mkdir()
        shutil.copy(SAMPLES / sample, tmp_path / folder)
    (tmp_path / "lenient" / ".duediligence.toml").write_text('fail-on = "never"\n', encoding="utf-8")
    statuses = {name: {f.status.value for f in check([str(SAMPLES / name)], read_config=False).documents[0].findings}
                for name in set(folders.values())}
    assert "missing" in statuses["nl_parking_03.txt"]  # what lenient forgives and strict does not
    assert "missing" not in statuses["nl_schoolfruit_40.txt"]
    args = ["audit", *(str(tmp_path / f) for f in order), "--db", str(tmp_path / "a.db"), "--jobs", "1", "-q"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == expected, result.output
