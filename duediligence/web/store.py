"""The web page's records in the audit database: accounts, sessions and each officer's checks.

A check is recorded the way an audit records a document (a run with executor 'web' holding
one document and its findings, `batch.store.Store.add_result`), plus a `web_checks` row saying
whose it is, the file name the browser gave and which Word copies are kept. `duediligence
history` therefore lists web checks beside audits. Each call opens its own connection: the
server calls from request threads and from the queue's thread.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..batch.store import Store, now

SESSION_BYTES = 32


@dataclass(frozen=True)
class Session:
    token_hash: str
    account: str | None
    csrf: str
    seen_at: float


@dataclass(frozen=True)
class CheckRow:
    id: int
    run_id: int
    account: str
    file_name: str
    created_at: str
    folder: str | None
    copies: dict[str, Any]
    document: dict[str, Any]  # the `check --format json` document
    tool_version: str
    library_version: str
    criteria: tuple[str, ...]

    @property
    def sha256(self) -> str | None:
        return self.document.get("sha256")

    def status_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for f in self.document.get("findings") or ():
            counts[f["status"]] = counts.get(f["status"], 0) + 1
        return counts


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class WebStore:
    def __init__(self, path: str) -> None:
        self.path = path
        with self._store():
            pass  # create or migrate the database once, at start

    @contextmanager
    def _store(self) -> Iterator[Store]:
        store = Store(self.path)
        try:
            yield store
        finally:
            store.close()

    # --- accounts ----------------------------------------------------------------------------

    def add_account(self, name: str, password_hash: str) -> bool:
        """False when the name is taken."""
        with self._store() as s:
            cur = s.db.execute("INSERT OR IGNORE INTO accounts VALUES (?, ?, ?)", (name, password_hash, now()))
            return cur.rowcount == 1

    def set_password(self, name: str, password_hash: str) -> bool:
        with self._store() as s:
            return s.db.execute("UPDATE accounts SET password = ? WHERE name = ?", (password_hash, name)).rowcount == 1

    def remove_account(self, name: str) -> bool:
        with self._store() as s, s.transaction():
            s.db.execute("DELETE FROM sessions WHERE account = ?", (name,))
            return s.db.execute("DELETE FROM accounts WHERE name = ?", (name,)).rowcount == 1

    def accounts(self) -> list[tuple[str, str]]:
        with self._store() as s:
            return [(r[0], r[1]) for r in s.db.execute("SELECT name, created_at FROM accounts ORDER BY name")]

    def password_hash(self, name: str) -> str | None:
        with self._store() as s:
            row = s.db.execute("SELECT password FROM accounts WHERE name = ?", (name,)).fetchone()
            return None if row is None else str(row[0])

    # --- sessions ----------------------------------------------------------------------------

    def new_session(self, account: str | None) -> tuple[str, Session]:
        """A fresh session; returns the cookie value (stored only as its hash) and the session."""
        token = secrets.token_urlsafe(SESSION_BYTES)
        session = Session(token_hash(token), account, secrets.token_urlsafe(24), time.time())
        with self._store() as s:
            s.db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                         (session.token_hash, account, session.csrf, session.seen_at, session.seen_at))
        return token, session

    def session(self, token: str, max_idle: float) -> Session | None:
        """The live session of a cookie value (its last use refreshed), or None."""
        now_s = time.time()
        with self._store() as s:
            row = s.db.execute("SELECT token_hash, account, csrf, seen_at FROM sessions WHERE token_hash = ?",
                               (token_hash(token),)).fetchone()
            if row is None:
                return None
            if row["seen_at"] < now_s - max_idle:
                s.db.execute("DELETE FROM sessions WHERE token_hash = ?", (row["token_hash"],))
                return None
            if now_s - row["seen_at"] > 60:
                s.db.execute("UPDATE sessions SET seen_at = ? WHERE token_hash = ?", (now_s, row["token_hash"]))
            return Session(row["token_hash"], row["account"], row["csrf"], now_s)

    def end_session(self, hashed: str) -> None:
        with self._store() as s:
            s.db.execute("DELETE FROM sessions WHERE token_hash = ?", (hashed,))

    def forget_idle_sessions(self, max_idle: float) -> int:
        with self._store() as s:
            return s.db.execute("DELETE FROM sessions WHERE seen_at < ?", (time.time() - max_idle,)).rowcount

    # --- checks ------------------------------------------------------------------------------

    def record_check(self, account: str, file_name: str, size: int | None, document: dict[str, Any],
                     library_version: str, criteria: tuple[str, ...], settings: dict[str, Any],
                     folder: str | None, copies: dict[str, Any], seconds: float) -> int:
        """One finished check as a run of one document, in one go; returns the check's id."""
        with self._store() as s:
            run, _ = s.open_run(f"web:{secrets.token_hex(12)}", tool_version=__version__, library_version=library_version,
                                criteria=criteria, settings=settings, inputs=(file_name,), executor="web", jobs=1)
            s.set_plan(run.id, 1, 0)
            s.add_result(run.id, file_name, size, None, {**document, "path": file_name})
            s.end_session(run.id, "finished", seconds)
            doc_id = s.db.execute("SELECT id FROM documents WHERE run_id = ?", (run.id,)).fetchone()[0]
            cur = s.db.execute(
                "INSERT INTO web_checks (run_id, document_id, account, file_name, folder, copies, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (run.id, doc_id, account, file_name, folder, json.dumps(copies, ensure_ascii=False), now()))
            assert cur.lastrowid is not None
            return cur.lastrowid

    def checks(self, account: str, limit: int = 500) -> list[CheckRow]:
        """The account's checks, newest first."""
        with self._store() as s:
            rows = s.db.execute("SELECT id FROM web_checks WHERE account = ? ORDER BY id DESC LIMIT ?", (account, limit))
            return [c for c in (self._check(s, r[0]) for r in rows.fetchall()) if c is not None]

    def check(self, account: str, check_id: int) -> CheckRow | None:
        """The check if it is the account's own, else None (another officer's check does not exist for you)."""
        with self._store() as s:
            row = self._check(s, check_id)
        return row if row is not None and row.account == account else None

    def _check(self, s: Store, check_id: int) -> CheckRow | None:
        row = s.db.execute("SELECT * FROM web_checks WHERE id = ?", (check_id,)).fetchone()
        if row is None:
            return None
        run = s.run(row["run_id"])
        docs = list(s.document_dicts(row["run_id"]))
        if not docs:
            return None
        return CheckRow(id=row["id"], run_id=row["run_id"], account=row["account"], file_name=row["file_name"],
                        created_at=row["created_at"], folder=row["folder"], copies=json.loads(row["copies"]),
                        document=docs[0], tool_version=run.tool_version, library_version=run.library_version,
                        criteria=run.criteria)

    def delete_check(self, account: str, check_id: int) -> bool:
        """Remove the check, its run, document, findings and kept files; False if it is not the account's."""
        with self._store() as s, s.transaction():
            row = s.db.execute("SELECT run_id, folder FROM web_checks WHERE id = ? AND account = ?",
                               (check_id, account)).fetchone()
            if row is None:
                return False
            run_id = row["run_id"]
            s.db.execute("DELETE FROM web_checks WHERE id = ?", (check_id,))
            for table in ("findings", "errors", "documents"):
                s.db.execute(f"DELETE FROM {table} WHERE run_id = ?", (run_id,))
            s.db.execute("DELETE FROM runs WHERE id = ?", (run_id,))
        if row["folder"]:
            shutil.rmtree(row["folder"], ignore_errors=True)
        return True

    def expire_copies(self, older_than_hours: float, keep_uploads: bool) -> int:
        """Drop the Word copies of checks older than the limit (and their folder, unless uploads are kept)."""
        cutoff = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(time.time() - older_than_hours * 3600))
        with self._store() as s:
            rows = s.db.execute("SELECT id, folder, copies FROM web_checks WHERE folder IS NOT NULL AND created_at < ?",
                                (cutoff,)).fetchall()
            expired = 0
            for row in rows:
                copies = json.loads(row["copies"])
                kept = {k: v for k, v in copies.items() if not (isinstance(v, dict) and "file" in v)}
                if kept == copies:
                    continue
                for entry in copies.values():
                    if isinstance(entry, dict) and "file" in entry:
                        (Path(row["folder"]) / entry["file"]).unlink(missing_ok=True)
                kept = {k: {"expired": True} for k in copies if k not in kept} | kept
                folder = row["folder"] if keep_uploads else None
                if folder is None:
                    shutil.rmtree(row["folder"], ignore_errors=True)
                s.db.execute("UPDATE web_checks SET copies = ?, folder = ? WHERE id = ?",
                             (json.dumps(kept), folder, row["id"]))
                expired += 1
            return expired

    def folders(self) -> set[str]:
        with self._store() as s:
            return {r[0] for r in s.db.execute("SELECT folder FROM web_checks WHERE folder IS NOT NULL")}
