"""The web application in process (Starlette's test client, no worker processes started):
the reverse-proxy user, the settings page, and Word copies that expire."""

from __future__ import annotations

import json
import time
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():  # Starlette would rather see its own fork of httpx; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from duediligence.config import ConfigError
from duediligence.web.app import create_app
from duediligence.web.settings import Binding, load_serve_settings
from duediligence.web.store import WebStore

SAMPLE_DOC = {"path": "x", "sha256": "ab" * 32, "format": "docx", "language": "nl", "pages": None, "subject": None,
              "findings": [], "error": None, "notices": [], "seconds": 0.1}


def app_in(folder: Path, toml: str) -> TestClient:
    (folder / ".duediligence.toml").write_text(toml, encoding="utf-8")
    settings = load_serve_settings(folder)
    app = create_app(settings, Binding("127.0.0.1", 8000, 1), settings.audit_settings().load_library())
    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)


def test_the_proxy_user_is_believed_from_the_trusted_proxy_only(tmp_path: Path) -> None:
    trusted = app_in(tmp_path, '[serve]\nauth = "proxy"\nuser-header = "X-Officer"\ntrusted-proxies = ["testclient"]\n')
    page = trusted.get("/history", headers={"X-Officer": "an.peeters"})
    assert page.status_code == 200 and "an.peeters" in page.text and "/logout" not in page.text
    assert trusted.get("/history").status_code == 401  # no header: nobody
    second = TestClient(trusted.app, base_url="http://127.0.0.1", follow_redirects=False)
    assert "bert" in second.get("/history", headers={"X-Officer": "bert"}).text
    # a session belongs to the user that made it: a new header user gets a new session
    switched = trusted.get("/history", headers={"X-Officer": "bert"})
    assert switched.status_code == 200 and "set-cookie" in switched.headers

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    untrusted = app_in(elsewhere, '[serve]\nauth = "proxy"\n')  # trusts 127.0.0.1 and ::1, not this client
    assert untrusted.get("/history", headers={"X-Remote-User": "an"}).status_code == 401


def test_settings_page_shows_the_configuration_and_the_criteria_folder(tmp_path: Path) -> None:
    policy = tmp_path / "policy"
    policy.mkdir()
    client = app_in(tmp_path, 'ignore = ["ethical-banking"]\nlibrary = ["policy"]\n\n[serve]\nauth = "proxy"\n'
                              'trusted-proxies = ["testclient"]\nmax-file-mb = 50\nkeep-copies-hours = 2\n')
    page = client.get("/settings", headers={"X-Remote-User": "beheer"}).text
    assert str(tmp_path / ".duediligence.toml") in page
    assert "serve.max-file-mb" in page and "<code>50</code>" in page and "serve.keep-copies-hours" in page
    assert "ethical-banking" in page and str(policy) in page
    assert "<code>trustone</code>" in page and "<code>ethical-banking</code> " not in page  # ignored criteria are not checked


def test_unknown_serve_keys_and_bad_values_name_the_file(tmp_path: Path) -> None:
    (tmp_path / ".duediligence.toml").write_text("[serve]\nmax_file_mb = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\.duediligence\.toml: \[serve\]: unknown key 'max_file_mb'"):
        load_serve_settings(tmp_path)
    (tmp_path / ".duediligence.toml").write_text("[serve]\nqueue = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[serve\]\.queue: expected at least 1"):
        load_serve_settings(tmp_path)
    (tmp_path / ".duediligence.toml").write_text("[serve]\nkeep-uploads = 'yes'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="keep-uploads: expected true or false"):
        load_serve_settings(tmp_path)


def test_word_copies_expire_and_the_report_says_so(tmp_path: Path) -> None:
    client = app_in(tmp_path, '[serve]\nauth = "proxy"\ntrusted-proxies = ["testclient"]\nkeep-copies-hours = 1\n')
    store = WebStore(str(tmp_path / "duediligence.db"))
    folder = tmp_path / "duediligence-web" / "uploads" / "f1"
    folder.mkdir(parents=True)
    (folder / "fixed.docx").write_bytes(b"copy")
    check_id = store.record_check("an", "bestek.docx", 10, SAMPLE_DOC, "lib", ("human-rights",), {}, str(folder),
                                  {"fixed": {"file": "fixed.docx"}, "annotated": {"error": "no paragraph"}}, 0.1)
    headers = {"X-Remote-User": "an"}
    assert client.get(f"/checks/{check_id}/fixed.docx", headers=headers).content == b"copy"
    assert store.expire_copies(1.0, keep_uploads=False) == 0  # not old yet
    with store._store() as s:
        s.db.execute("UPDATE web_checks SET created_at = ?", (time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(time.time() - 7200)),))
    assert store.expire_copies(1.0, keep_uploads=False) == 1
    assert not folder.exists()
    assert client.get(f"/checks/{check_id}/fixed.docx", headers=headers).status_code == 404
    report = client.get(f"/checks/{check_id}", headers=headers).text
    assert "1 uur verwijderd" in report or "after 1 hours" in report or "après 1 heures" in report
    assert store.delete_check("an", check_id) and store.checks("an") == []
    with store._store() as s:
        assert s.db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0
    assert json.loads(json.dumps(store.accounts())) == []


def test_workers_read_with_the_servers_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".duediligence.toml").write_text("[serve]\nmax-file-mb = 7\nmax-pages = 30\n", encoding="utf-8")
    settings = load_serve_settings(tmp_path)
    for key, value in settings.worker_env().items():
        monkeypatch.setenv(key, value)
    from duediligence.web.settings import read_limits_from_environment

    limits = read_limits_from_environment()
    assert (limits.max_file_bytes, limits.max_pages) == (7 * 2**20, 30)
    assert settings.audit_settings().analyser == "duediligence.web.checking:web_checker"


@pytest.mark.parametrize("keep", [False, True])
def test_the_upload_is_deleted_after_its_check_unless_kept(tmp_path: Path, keep: bool) -> None:
    from duediligence.web.queue import Upload

    client = app_in(tmp_path, f'[serve]\nkeep-uploads = {str(keep).lower()}\n')
    web = client.app.app.state.web  # type: ignore[attr-defined]
    folder = tmp_path / "duediligence-web" / "uploads" / "f2"
    folder.mkdir(parents=True)
    (folder / "document.pdf").write_bytes(b"%PDF-")
    error = {"code": "corrupt-pdf", "message": "document.pdf: the file is damaged"}
    check_id = web._record(Upload("f2", "local", "Bestek 7.pdf", str(folder / "document.pdf"), 5),
                           {"document": {**SAMPLE_DOC, "format": None, "error": error}, "copies": {}})
    assert (folder / "document.pdf").exists() is keep and folder.exists() is keep
    row = web.store.check("local", check_id)
    assert row.document["error"]["message"] == "Bestek 7.pdf: the file is damaged"  # the officer's name for the file
    assert (row.folder is not None) is keep
