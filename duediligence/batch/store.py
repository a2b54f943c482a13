"""The audit database: runs, documents, findings and errors in one SQLite file.

Every result is committed on its own, in WAL mode, so a run killed part-way keeps all it
finished and the same command resumes it. The document JSON (the `check --format json`
shape) is kept whole, without its findings, which are one row each; together they rebuild
the exact document for JSON Lines and serve as the cache for unchanged files. A result served
from the cache is stored as a reference (`cached_from`, empty JSON), not a second copy, so a
re-run of an unchanged corpus adds a few hundred bytes per document, not the corpus again.
A write that fails (a full disk) loses nothing committed before it: `StoreError` says so.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterator

SCHEMA_VERSION = 4

# target version -> statements that bring the previous version there; never edit a shipped entry.
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE runs (
      id INTEGER PRIMARY KEY,
      key TEXT NOT NULL,                 -- hash of inputs, settings, tool and library version: what resumes
      started_at TEXT NOT NULL,
      finished_at TEXT,
      status TEXT NOT NULL,              -- running | finished | interrupted
      tool_version TEXT NOT NULL,
      library_version TEXT NOT NULL,
      criteria TEXT NOT NULL,            -- JSON list of criterion ids
      settings TEXT NOT NULL,            -- JSON
      inputs TEXT NOT NULL,              -- JSON list of the PATH arguments
      planned INTEGER NOT NULL DEFAULT 0,
      skipped INTEGER NOT NULL DEFAULT 0,
      executor TEXT NOT NULL,
      jobs INTEGER,
      seconds REAL NOT NULL DEFAULT 0    -- wall-clock time summed over the sessions of the run
    );
    CREATE INDEX runs_key ON runs(key);
    CREATE TABLE documents (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs(id),
      path TEXT NOT NULL,
      sha256 TEXT,
      size INTEGER,
      format TEXT,
      language TEXT,
      pages INTEGER,
      title TEXT,
      cpv TEXT,                          -- CPV codes, space-separated
      error_code TEXT,
      seconds REAL,
      cache_key TEXT,
      cacheable INTEGER NOT NULL,
      cached_from INTEGER REFERENCES documents(id),
      result TEXT NOT NULL,              -- document JSON without its findings
      recorded_at TEXT NOT NULL,
      UNIQUE (run_id, path)
    );
    CREATE INDEX documents_cache ON documents(cache_key) WHERE cacheable = 1;
    CREATE TABLE findings (
      document_id INTEGER NOT NULL REFERENCES documents(id),
      run_id INTEGER NOT NULL REFERENCES runs(id),
      position INTEGER NOT NULL,
      criterion TEXT NOT NULL,
      applies INTEGER NOT NULL,
      presence TEXT NOT NULL,
      status TEXT NOT NULL,
      confidence REAL NOT NULL,
      finding TEXT NOT NULL,             -- the finding JSON
      PRIMARY KEY (document_id, criterion)
    );
    CREATE INDEX findings_run ON findings(run_id, criterion);
    CREATE TABLE errors (
      document_id INTEGER PRIMARY KEY REFERENCES documents(id),
      run_id INTEGER NOT NULL REFERENCES runs(id),
      path TEXT NOT NULL,
      code TEXT NOT NULL,
      message TEXT NOT NULL
    );
    CREATE INDEX errors_run ON errors(run_id);
    """,
    2: """
    -- The eForms codes each criterion stood for in this run (JSON: criterion -> field -> [codes]),
    -- so the run's notice counts keep the library it ran with.
    ALTER TABLE runs ADD COLUMN eforms TEXT NOT NULL DEFAULT '{}';
    """,
    # The web page (`duediligence serve`): each check is a run of one document (executor 'web'),
    # so officers' checks and audits are one history; these tables say whose check it was.
    3: """
    CREATE TABLE accounts (
      name TEXT PRIMARY KEY,
      password TEXT NOT NULL,            -- scrypt$N$r$p$salt$hash (base64), never the password
      created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,       -- SHA-256 of the cookie value; the value itself is not stored
      account TEXT,                      -- NULL until the visitor logs in
      csrf TEXT NOT NULL,
      created_at REAL NOT NULL,          -- seconds since the epoch
      seen_at REAL NOT NULL
    );
    CREATE TABLE web_checks (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs(id),
      document_id INTEGER NOT NULL REFERENCES documents(id),
      account TEXT NOT NULL,             -- an account, the reverse proxy's user, or 'local'
      file_name TEXT NOT NULL,           -- as the browser named the upload, for display only
      folder TEXT,                       -- the server's folder of kept files; NULL once they are removed
      copies TEXT NOT NULL,              -- JSON: annotated/fixed -> file name in folder, or why there is none
      created_at TEXT NOT NULL
    );
    CREATE INDEX web_checks_account ON web_checks(account, id);
    """,
    # No table changes: from here on, documents and findings copied from the cache hold '' as
    # their JSON and are read through `cached_from`, which older versions would not do.
    4: "SELECT 1",
}
_REFERENCE = ""  # the JSON of a row copied from the cache: read it from its `cached_from` row
_DOCUMENT_JSON = ("CASE WHEN d.result = '' THEN (SELECT s.result FROM documents s WHERE s.id = d.cached_from)"
                  " ELSE d.result END")
_FINDING_JSON = ("CASE WHEN f.finding = '' THEN (SELECT s.finding FROM findings s WHERE s.document_id = d.cached_from"
                 " AND s.criterion = f.criterion) ELSE f.finding END")

# Results that depend on more than the file's bytes are never served from the cache.
UNCACHEABLE_ERRORS = frozenset({"timeout", "internal", "not-found", "unreadable"})


class StoreError(Exception):
    """The database cannot be used (newer schema, not a database, locked, disk full)."""


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime())


@dataclass(frozen=True)
class Run:
    id: int
    key: str
    started_at: str
    finished_at: str | None
    status: str
    tool_version: str
    library_version: str
    criteria: tuple[str, ...]
    settings: dict[str, Any]
    inputs: tuple[str, ...]
    eforms: dict[str, dict[str, tuple[str, ...]]]
    planned: int
    skipped: int
    executor: str
    jobs: int | None
    seconds: float


@dataclass(frozen=True)
class Coverage:
    """One criterion in one run: how many documents it applies to and how they fare."""

    criterion: str
    documents: int
    applicable: int
    ok: int
    weak: int
    missing: int
    suppressed: int

    @property
    def ok_share(self) -> float | None:
        return self.ok / self.applicable if self.applicable else None


@dataclass(frozen=True)
class CodeCount:
    """One eForms code in one run: how many documents' clauses justify it (ticked), would with a
    weak clause strengthened (not yet), or once a missing clause is inserted."""

    field: str
    code: str
    ticked: int
    not_yet: int
    once_inserted: int


@dataclass(frozen=True)
class RunTotals:
    documents: int
    analysed: int
    cached: int
    pages: int
    failures: dict[str, int]

    @property
    def failed(self) -> int:
        return sum(self.failures.values())


class Store:
    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot be used as the audit database ({exc})") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        self.db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = self.db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        current = row[0] or 0
        if current > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer duediligence (schema {current}, this one knows {SCHEMA_VERSION})")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            # executescript commits on its own, so the version row goes in the same script.
            self.db.executescript(
                f"BEGIN IMMEDIATE; {MIGRATIONS[version]}; INSERT INTO schema_version (version) VALUES ({version}); COMMIT;")

    def transaction(self) -> "_Transaction":
        return _Transaction(self.db, self.path)

    # --- runs -------------------------------------------------------------------------------

    def open_run(self, key: str, *, tool_version: str, library_version: str, criteria: tuple[str, ...],
                 settings: dict[str, Any], inputs: tuple[str, ...], executor: str, jobs: int | None,
                 eforms: dict[str, dict[str, tuple[str, ...]]] | None = None) -> tuple[Run, bool]:
        """The unfinished run with this key (resumed), or a new one; the flag says which."""
        with self.transaction():
            row = self.db.execute(
                "SELECT id FROM runs WHERE key = ? AND status != 'finished' ORDER BY id DESC LIMIT 1", (key,)).fetchone()
            if row is not None:
                self.db.execute("UPDATE runs SET status = 'running', executor = ?, jobs = ? WHERE id = ?",
                                (executor, jobs, row[0]))
                run_id, resumed = int(row[0]), True
            else:
                cur = self.db.execute(
                    "INSERT INTO runs (key, started_at, status, tool_version, library_version, criteria, settings, inputs,"
                    " executor, jobs, eforms) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)",
                    (key, now(), tool_version, library_version, json.dumps(list(criteria)),
                     json.dumps(settings, sort_keys=True), json.dumps(list(inputs)), executor, jobs,
                     json.dumps(eforms or {}, sort_keys=True)))
                assert cur.lastrowid is not None
                run_id, resumed = cur.lastrowid, False
        return self.run(run_id), resumed

    def set_plan(self, run_id: int, planned: int, skipped: int) -> None:
        with self.transaction():
            self.db.execute("UPDATE runs SET planned = ?, skipped = ? WHERE id = ?", (planned, skipped, run_id))

    def end_session(self, run_id: int, status: str, seconds: float) -> None:
        finished = now() if status == "finished" else None
        with self.transaction():
            self.db.execute("UPDATE runs SET status = ?, finished_at = ?, seconds = seconds + ? WHERE id = ?",
                            (status, finished, seconds, run_id))

    def run(self, run_id: int) -> Run:
        row = self.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no run {run_id}")
        return _run(row)

    def runs(self) -> list[Run]:
        return [_run(r) for r in self.db.execute("SELECT * FROM runs ORDER BY id")]

    def latest_run(self) -> Run | None:
        row = self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else _run(row)

    # --- documents ----------------------------------------------------------------------------

    def done_paths(self, run_id: int) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT path FROM documents WHERE run_id = ?", (run_id,))}

    def cached(self, cache_key: str) -> int | None:
        row = self.db.execute(
            "SELECT id FROM documents WHERE cache_key = ? AND cacheable = 1 ORDER BY id DESC LIMIT 1", (cache_key,)).fetchone()
        return None if row is None else int(row[0])

    def copy_cached(self, run_id: int, source_id: int, path: str) -> dict[str, Any] | None:
        """Record `path` in this run with the results of an earlier identical analysis, as a
        reference to it (the first analysis, never a copy of a copy); None when another audit
        of the same run has recorded `path` meanwhile."""
        with self.transaction():
            try:
                cur = self.db.execute(
                    "INSERT INTO documents (run_id, path, sha256, size, format, language, pages, title, cpv, error_code,"
                    " seconds, cache_key, cacheable, cached_from, result, recorded_at)"
                    " SELECT ?, ?, sha256, size, format, language, pages, title, cpv, error_code, seconds, cache_key,"
                    " cacheable, COALESCE(cached_from, id), ?, ? FROM documents WHERE id = ?",
                    (run_id, path, _REFERENCE, now(), source_id))
            except sqlite3.IntegrityError:  # UNIQUE (run_id, path): the other audit was first
                return None
            new_id = cur.lastrowid
            self.db.execute(
                "INSERT INTO findings SELECT ?, ?, position, criterion, applies, presence, status, confidence, ?"
                " FROM findings WHERE document_id = ?", (new_id, run_id, _REFERENCE, source_id))
            self.db.execute(
                "INSERT INTO errors SELECT ?, ?, ?, code, message FROM errors WHERE document_id = ?",
                (new_id, run_id, path, source_id))
            row = self.db.execute("SELECT pages, error_code FROM documents WHERE id = ?", (new_id,)).fetchone()
        return {"pages": row["pages"], "error_code": row["error_code"]}

    def add_result(self, run_id: int, path: str, size: int | None, cache_key: str | None, result: dict[str, Any]) -> bool:
        """Record one document result (the `document_dict` shape) with its findings, in one commit;
        False when another audit of the same run has recorded `path` meanwhile (it is kept)."""
        findings: list[dict[str, Any]] = result.get("findings") or []
        doc = {k: ([] if k == "findings" else v) for k, v in result.items()}
        error = result.get("error")
        code = error["code"] if error else None
        subject = result.get("subject") or {}
        cacheable = cache_key is not None and result.get("sha256") is not None and code not in UNCACHEABLE_ERRORS
        with self.transaction():
            try:
                cur = self.db.execute(
                    "INSERT INTO documents (run_id, path, sha256, size, format, language, pages, title, cpv, error_code,"
                    " seconds, cache_key, cacheable, result, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (run_id, path, result.get("sha256"), size, result.get("format"), result.get("language"),
                     result.get("pages"), subject.get("title"), " ".join(subject.get("cpv_codes") or ()) or None, code,
                     result.get("seconds"), cache_key, int(cacheable), json.dumps(doc, ensure_ascii=False), now()))
            except sqlite3.IntegrityError:  # UNIQUE (run_id, path): the other audit was first
                return False
            doc_id = cur.lastrowid
            self.db.executemany(
                "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(doc_id, run_id, i, f["criterion"], int(f["applies"]), f["presence"], f["status"], f["confidence"],
                  json.dumps(f, ensure_ascii=False)) for i, f in enumerate(findings)])
            if error:
                self.db.execute("INSERT INTO errors VALUES (?, ?, ?, ?, ?)", (doc_id, run_id, path, code, error["message"]))
        return True

    def document_rows(self, run_id: int) -> list[sqlite3.Row]:
        """The run's documents, ordered by path; `json` is the document JSON, read from the source
        row for one served from the cache (whose own `result` is the empty reference)."""
        return self.db.execute(
            f"SELECT d.*, {_DOCUMENT_JSON} AS json FROM documents d WHERE d.run_id = ? ORDER BY d.path",
            (run_id,)).fetchall()

    def finding_rows(self, run_id: int) -> Iterator[sqlite3.Row]:
        return self.db.execute(
            f"SELECT f.*, {_FINDING_JSON} AS json, d.path FROM findings f JOIN documents d ON d.id = f.document_id"
            " WHERE f.run_id = ? ORDER BY d.path, f.position", (run_id,))

    def document_dicts(self, run_id: int) -> Iterator[dict[str, Any]]:
        """Each document of the run in the `check --format json` shape, ordered by path."""
        findings: dict[int, list[dict[str, Any]]] = {}
        for r in self.db.execute(f"SELECT f.document_id, {_FINDING_JSON} FROM findings f JOIN documents d"
                                 " ON d.id = f.document_id WHERE f.run_id = ? ORDER BY f.document_id, f.position",
                                 (run_id,)):
            findings.setdefault(r[0], []).append(json.loads(r[1]))
        for row in self.document_rows(run_id):
            doc = json.loads(row["json"])
            doc["path"] = row["path"]
            doc["findings"] = findings.get(row["id"], [])
            yield doc

    # --- summaries ------------------------------------------------------------------------------

    def coverage(self, run_id: int) -> list[Coverage]:
        rows = self.db.execute(
            "SELECT criterion, COUNT(*), SUM(applies), SUM(status = 'ok'), SUM(status = 'weak'), SUM(status = 'missing'),"
            " SUM(status = 'suppressed') FROM findings WHERE run_id = ? GROUP BY criterion ORDER BY criterion", (run_id,))
        return [Coverage(*r) for r in rows]

    def statuses_by_path(self, run_id: int) -> dict[str, set[str]]:
        """Each document's finding statuses, by path: what its own fail-on judges."""
        out: dict[str, set[str]] = {}
        for path, status in self.db.execute(
                "SELECT d.path, f.status FROM findings f JOIN documents d ON d.id = f.document_id WHERE f.run_id = ?",
                (run_id,)):
            out.setdefault(path, set()).add(status)
        return out

    def status_counts(self, run_id: int) -> dict[str, int]:
        return {r[0]: r[1] for r in self.db.execute(
            "SELECT status, COUNT(*) FROM findings WHERE run_id = ? GROUP BY status", (run_id,))}

    def code_counts(self, run_id: int) -> list[CodeCount]:
        """Per eForms code, how many documents of the run could tick it, by the rule of the reports."""
        from ..eforms import NOT_YET, ONCE_INSERTED, TICK, best_states, code_lists
        from ..model import Status

        eforms = self.run(run_id).eforms
        tally: dict[tuple[str, str], Counter[str]] = {}
        rows = self.db.execute("SELECT document_id, criterion, status FROM findings WHERE run_id = ? ORDER BY document_id",
                               (run_id,))
        by_document: dict[int, list[tuple[str, Status]]] = {}
        for document_id, criterion, status in rows:
            by_document.setdefault(document_id, []).append((criterion, Status(status)))
        for statuses in by_document.values():
            for key, (state, _criteria) in best_states(statuses, eforms).items():
                tally.setdefault(key, Counter())[state] += 1
        return [CodeCount(f, c, tally[(f, c)][TICK], tally[(f, c)][NOT_YET], tally[(f, c)][ONCE_INSERTED])
                for f, c in sorted(tally, key=code_lists().position)]

    def totals(self, run_id: int) -> RunTotals:
        row = self.db.execute(
            "SELECT COUNT(*), SUM(cached_from IS NULL), SUM(cached_from IS NOT NULL), COALESCE(SUM(pages), 0)"
            " FROM documents WHERE run_id = ?", (run_id,)).fetchone()
        failures = Counter({r[0]: r[1] for r in self.db.execute(
            "SELECT code, COUNT(*) FROM errors WHERE run_id = ? GROUP BY code ORDER BY COUNT(*) DESC, code", (run_id,))})
        return RunTotals(row[0], row[1] or 0, row[2] or 0, row[3], dict(failures))


class _Transaction:
    """One commit; a database that cannot be written (a full disk, a read-only file) is a
    `StoreError` saying that nothing committed before is lost."""

    def __init__(self, db: sqlite3.Connection, path: str) -> None:
        self.db = db
        self.path = path

    def __enter__(self) -> None:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._failed(exc) from None

    def __exit__(self, exc_type: object, exc: object, *rest: object) -> None:
        if exc_type is None:
            try:
                self.db.execute("COMMIT")
                return
            except sqlite3.OperationalError as failure:
                exc = failure
        if self.db.in_transaction:  # SQLite may have rolled back already (a full disk does)
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        if isinstance(exc, sqlite3.OperationalError):
            raise self._failed(exc) from None

    def _failed(self, exc: sqlite3.OperationalError) -> StoreError:
        return StoreError(f"{self.path}: cannot write to the audit database ({exc}); the database stays intact with "
                          "every result recorded before this one, and the same command resumes the run")


def _run(row: sqlite3.Row) -> Run:
    return Run(
        id=row["id"], key=row["key"], started_at=row["started_at"], finished_at=row["finished_at"], status=row["status"],
        tool_version=row["tool_version"], library_version=row["library_version"],
        criteria=tuple(json.loads(row["criteria"])), settings=json.loads(row["settings"]),
        inputs=tuple(json.loads(row["inputs"])),
        eforms={c: {f: tuple(codes) for f, codes in fields.items()} for c, fields in json.loads(row["eforms"]).items()},
        planned=row["planned"], skipped=row["skipped"],
        executor=row["executor"], jobs=row["jobs"], seconds=row["seconds"])
