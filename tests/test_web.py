"""`duediligence serve` as an officer uses it: the real command on loopback, real worker
processes, Chromium driven by Playwright, and plain HTTP where a browser would not go.

Expected statuses come from `duediligence.check` on the same files, never hard-coded: these
tests check what the page shows and refuses, not today's verdict on a sample.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import docx
import httpx
import pytest
from click.testing import CliRunner

from duediligence import check
from duediligence.cli import main
from duediligence.messages import label
from duediligence.web.launch import LocalServer
from duediligence.web.words import error_sentence

from .docx_revisions import W
from .make_files import encrypted_pdf, tender_pdf
from .test_report_html import CHROMIUM, CHROMIUM_ARGS, _browser_or_skip

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DUTCH_DOCX, FRENCH_PDF = SAMPLES / "nl_gemeentehuis_24.docx", SAMPLES / "fr_place_15.pdf"
OFFICER, COLLEAGUE, PASSWORD = "officer", "colleague", "correct horse battery"
MAX_MB = 20  # the test server's upload limit, from its configuration file


def add_account(folder: Path, name: str) -> None:
    done = subprocess.run([sys.executable, "-m", "duediligence", "users", "add", name, "--password-stdin"],
                          input=PASSWORD + "\n", cwd=folder, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("site")
    (folder / ".duediligence.toml").write_text(f"[serve]\nmax-file-mb = {MAX_MB}\ntimeout = 60\n", encoding="utf-8")
    add_account(folder, OFFICER)
    add_account(folder, COLLEAGUE)
    with LocalServer(folder, workers=2) as server:
        yield server


def statuses(path: Path) -> dict[str, str]:
    return {f.criterion: f.status.value for f in check([str(path)]).documents[0].findings}


def logged_in(site: Any, name: str = OFFICER) -> tuple[httpx.Client, str]:
    """An HTTP client with a session of `name`, and that session's CSRF token."""
    client = httpx.Client(base_url=site.url, follow_redirects=False, timeout=60)
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"csrf": token, "name": name, "password": PASSWORD, "next": "/"})
    assert answer.status_code == 303, answer.text
    return client, csrf_of(client.get("/").text)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def wait_for(client: httpx.Client, status_url: str, seconds: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = client.get(status_url, headers={"accept": "application/json"}).json()
        if state["state"] in ("done", "failed"):
            return state  # type: ignore[no-any-return]
        time.sleep(0.2)
    raise AssertionError(f"{status_url} not done within {seconds} s")


def response_of(sock: socket.socket) -> str:
    """A whole HTTP response read from a raw socket: its head and the body its length announces."""
    data = b""
    while b"\r\n\r\n" not in data:
        piece = sock.recv(65536)
        if not piece:
            break
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    length = re.search(rb"content-length: (\d+)", head, flags=re.I)
    while length and len(body) < int(length.group(1)):
        piece = sock.recv(65536)
        if not piece:
            break
        body += piece
    return (head + b"\r\n\r\n" + body).decode("latin-1")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# --- in a real browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(site: Any) -> Any:
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else None, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def new_page(browser: Any, site: Any) -> tuple[Any, list[str], list[str]]:
    """A Dutch-speaking browser tab that may only talk to the server; with its console errors and stray requests."""
    context = browser.new_context(locale="nl-BE", accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    stray: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def only_the_server(route: Any) -> None:
        if route.request.url.startswith(site.url + "/"):
            route.continue_()
        else:
            stray.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_server)
    page.on("dialog", lambda dialog: dialog.accept())
    return page, errors, stray


def log_in(page: Any, site: Any, password: str = PASSWORD) -> None:
    page.goto(site.url + "/")
    assert "/login" in page.url
    page.fill("#name", OFFICER)
    page.fill("#password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()


def test_an_officer_checks_two_tenders_and_takes_the_word_copies(site: Any, browser: Any, tmp_path: Path) -> None:
    page, errors, stray = new_page(browser, site)
    log_in(page, site, password="not the password")
    assert page.locator("#login-problem").inner_text() == "Verkeerde naam of wachtwoord."
    log_in(page, site)
    assert page.url == site.url + "/" and page.locator("html").get_attribute("lang") == "nl"

    page.set_input_files("#files", [str(DUTCH_DOCX), str(FRENCH_PDF)])
    rows = page.locator("#upload-list .upload")
    page.wait_for_function("() => [...document.querySelectorAll('#upload-list .upload')]"
                           ".filter(r => r.dataset.state === 'done').length === 2", timeout=120_000)
    expected = {DUTCH_DOCX.name: statuses(DUTCH_DOCX), FRENCH_PDF.name: statuses(FRENCH_PDF)}
    for i in range(rows.count()):
        text = rows.nth(i).inner_text()
        name = next(n for n in expected if n in text)
        for status in set(expected[name].values()):
            count = list(expected[name].values()).count(status)
            assert f"{count} {label(f'status-{status}', 'nl')}" in text, (name, text)

    page.locator("#upload-list .upload", has_text=DUTCH_DOCX.name).locator("a.open-report").click()
    page.wait_for_load_state()
    report_url = page.url
    tiles = page.locator(".tile")
    assert {tiles.nth(i).get_attribute("data-criterion"): tiles.nth(i).get_attribute("data-status")
            for i in range(tiles.count())} == expected[DUTCH_DOCX.name]
    assert page.locator("html").get_attribute("lang") == "nl" and page.locator(".crit > .passage mark").first.is_visible()
    copy = page.locator("button.copy").first  # the report's own script, served by the app under the CSP
    before = copy.inner_text()
    copy.click()
    page.wait_for_function("([b, t]) => b.innerText !== t", arg=[copy.element_handle(), before], timeout=3000)

    page.click("a[data-lang=fr]")
    page.wait_for_load_state()
    assert page.url == report_url and page.locator("html").get_attribute("lang") == "fr"
    missing_tile = page.locator(".tile[data-status=missing] .state").first
    assert missing_tile.inner_text().strip().lower() == label("status-missing", "fr").lower()
    assert "Historique" in page.locator("nav.site-nav").inner_text()

    copies = {}
    for kind in ("annotated", "fixed"):
        with page.expect_download() as download:
            page.click(f"a[data-download={kind}]")
        copies[kind] = tmp_path / download.value.suggested_filename
        download.value.save_as(copies[kind])
    assert copies["fixed"].name == "nl_gemeentehuis_24.fixed.docx"
    annotated = docx.Document(str(copies["annotated"]))
    assert annotated.comments and all(c.author == "duediligence" for c in annotated.comments)
    fixed = docx.Document(str(copies["fixed"]))
    insertions = [e for e in fixed.element.body.iter(f"{W}ins") if e.get(f"{W}author") == "duediligence"]
    missing = [c for c, s in expected[DUTCH_DOCX.name].items() if s == "missing"]
    assert missing and insertions
    inserted = " ".join(t.text or "" for e in insertions for t in e.iter(f"{W}t"))
    assert "Bijzondere uitvoeringsvoorwaarde — mensenrechten" in inserted

    answer = page.request.get(report_url + "/report.json")
    report = json.loads(answer.body())
    assert {f["criterion"]: f["status"] for f in report["documents"][0]["findings"]} == expected[DUTCH_DOCX.name]
    assert json.loads(page.request.get(report_url + "/report.sarif").body())["version"] == "2.1.0"
    assert "<script>" in page.request.get(report_url + "/report.html").text()  # the standalone report, as check writes it

    page.click("nav.site-nav >> text=Historique")
    page.wait_for_load_state()
    history = page.locator("table.history tbody tr")
    assert history.count() == 2
    for path in (DUTCH_DOCX, FRENCH_PDF):
        row = page.locator("table.history tbody tr", has_text=path.name)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert row.locator("code").get_attribute("title") == digest and digest[:12] in row.inner_text()
    page.locator("table.history tbody tr", has_text=FRENCH_PDF.name).locator("button").click()
    page.wait_for_load_state()
    assert "deleted=1" in page.url and page.locator("table.history tbody tr").count() == 1

    page.click("nav.site-nav .logout button")
    page.wait_for_load_state()
    assert "/login" in page.url
    page.goto(site.url + "/history")
    assert "/login" in page.url
    # a CSP violation would be a console error; the one expected is the page of the wrong password (401)
    assert [e for e in errors if "status of 401" not in e] == [] and len(errors) <= 1, errors
    assert not stray, stray


def test_bad_files_get_a_clear_message_and_the_good_one_is_checked(site: Any, browser: Any, tmp_path: Path) -> None:
    empty = tmp_path / "leeg.docx"
    empty.write_bytes(b"")
    locked = encrypted_pdf(tender_pdf(tmp_path / "open.pdf"), tmp_path / "beveiligd.pdf", user="geheim")
    bomb = tmp_path / "bestek-bom.docx"  # a zip bomb renamed .docx: 600 MB of zeros in a 600 kB file
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z, z.open("word/document.xml", "w", force_zip64=True) as fh:
        for _ in range(600):
            fh.write(bytes(1 << 20))
    huge = tmp_path / "groot.pdf"  # 300 MB, sparse: never read whole by anyone
    with huge.open("wb") as fh:
        fh.truncate(300 * 2**20)
    photo = tmp_path / "foto.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    good = SAMPLES / "nl_werkkledij_07.docx"
    page, errors, stray = new_page(browser, site)
    log_in(page, site)
    page.set_input_files("#files", [str(p) for p in (empty, locked, bomb, huge, photo, good)])
    page.wait_for_function("() => { const rows = [...document.querySelectorAll('#upload-list .upload')];"
                           " return rows.length === 6 && rows.every(r => ['done', 'failed'].includes(r.dataset.state)); }",
                           timeout=120_000)
    codes = {"leeg.docx": "empty-file", "beveiligd.pdf": "password-protected", "bestek-bom.docx": "too-large",
             "groot.pdf": "too-large", "foto.png": "unsupported-format"}
    for name, code in codes.items():
        row = page.locator("#upload-list .upload", has_text=name)
        assert row.get_attribute("data-state") == "failed" and row.get_attribute("data-code") == code, name
        assert error_sentence(code, "nl") in row.locator(".state").inner_text(), name
    done = page.locator("#upload-list .upload", has_text=good.name)
    assert done.get_attribute("data-state") == "done" and done.locator("a.open-report").count() == 1
    assert not errors and not stray, (errors, stray)


# --- what a browser would not send ---------------------------------------------------------------


def test_the_server_refuses_an_oversized_upload_before_reading_it(site: Any) -> None:
    client, token = logged_in(site)
    before = rss_kb(site.proc.pid)
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    with socket.create_connection(("127.0.0.1", site.port), timeout=30) as s:
        s.sendall((f"POST /upload HTTP/1.1\r\nHost: 127.0.0.1:{site.port}\r\nCookie: {cookie}\r\nX-CSRF-Token: {token}\r\n"
                   f"Accept: application/json\r\nContent-Type: multipart/form-data; boundary=xyz\r\n"
                   f"Content-Length: {300 * 2**20}\r\n\r\n").encode())
        s.sendall(b"--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"groot.pdf\"\r\n\r\n" + bytes(1 << 20))
        head = response_of(s)
    assert head.startswith("HTTP/1.1 413"), head[:200]
    assert '"too-large"' in head
    assert rss_kb(site.proc.pid) - before < 30_000  # not held in memory

    # without a length, the stream is counted: reading stops a little past the limit
    sent = 0
    with socket.create_connection(("127.0.0.1", site.port), timeout=30) as s:
        s.sendall((f"POST /upload HTTP/1.1\r\nHost: 127.0.0.1:{site.port}\r\nCookie: {cookie}\r\nX-CSRF-Token: {token}\r\n"
                   "Accept: application/json\r\nContent-Type: multipart/form-data; boundary=xyz\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n").encode())
        first = b"--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"groot.pdf\"\r\n\r\n"
        s.sendall(b"%x\r\n%s\r\n" % (len(first), first))
        chunk = bytes(1 << 20)
        head = ""
        try:
            while sent < 300 * 2**20 and not head:
                s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
                if select.select([s], [], [], 0)[0]:
                    head = response_of(s)
        except (BrokenPipeError, ConnectionResetError):
            pass
        if not head:
            head = response_of(s)
    assert head.startswith("HTTP/1.1 413"), head[:200]
    assert sent < (MAX_MB + 40) * 2**20, sent
    assert not list((site.folder / "duediligence-web" / "uploads").glob("*/document.pdf")), "partial files are removed"


def test_forms_need_their_token_and_their_origin(site: Any) -> None:
    client, token = logged_in(site)
    files = {"files": ("a.txt", b"Bestek\n", "text/plain")}
    no_token = client.post("/upload", files=files, headers={"accept": "application/json"})
    assert no_token.status_code == 403 and no_token.json()["error"]["code"] == "csrf"
    wrong = client.post("/upload", files=files, headers={"accept": "application/json", "x-csrf-token": "nope"})
    assert wrong.status_code == 403
    elsewhere = client.post("/upload", files=files, headers={"x-csrf-token": token, "origin": "http://evil.example"})
    assert elsewhere.status_code == 403
    logout = client.post("/logout", data={"csrf": "stale"})
    assert logout.status_code == 403
    # the form without its script: the token as the first field, then the files; the history shows them
    plain = client.post("/upload", data={"csrf": token}, files=files)
    assert plain.status_code == 303 and plain.headers["location"] == "/history"
    page = client.get("/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY" and "<script>" not in page.text and " style=" not in page.text
    cookie = httpx.get(site.url + "/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    other_host = httpx.get(site.url + "/login", headers={"host": "attacker.example"})
    assert other_host.status_code == 421  # DNS rebinding onto a loopback server


def test_checks_are_private_and_logins_are_limited(site: Any) -> None:
    officer, token = logged_in(site)
    sent = officer.post("/upload", files={"files": ("koffie.txt", (SAMPLES / "nl_koffie_21.txt").read_bytes(), "text/plain")},
                        headers={"accept": "application/json", "x-csrf-token": token}).json()["files"][0]
    state = wait_for(officer, sent["status_url"])
    assert state["state"] == "done" and officer.get(state["report_url"]).status_code == 200
    assert not list((site.folder / "duediligence-web" / "uploads").glob("*/document.*")), "uploads go once checked"
    colleague, _ = logged_in(site, COLLEAGUE)
    assert colleague.get(state["report_url"]).status_code == 404
    assert colleague.get(state["report_url"] + "/report.json").status_code == 404
    assert colleague.get(sent["status_url"]).status_code == 404
    assert "koffie.txt" not in colleague.get("/history").text

    stranger = httpx.Client(base_url=site.url, timeout=60)
    for _ in range(5):
        token = csrf_of(stranger.get("/login").text)
        assert stranger.post("/login", data={"csrf": token, "name": COLLEAGUE, "password": "wrong"}).status_code == 401
    token = csrf_of(stranger.get("/login").text)
    blocked = stranger.post("/login", data={"csrf": token, "name": COLLEAGUE, "password": PASSWORD})
    assert blocked.status_code == 429 and "Te veel mislukte pogingen" in blocked.text


def test_killed_workers_are_replaced_and_the_server_stays_up(site: Any) -> None:
    client, token = logged_in(site)
    first = client.post("/upload", files={"files": ("groot-bestek.pdf", tender_pdf_bytes(), "application/pdf")},
                        headers={"accept": "application/json", "x-csrf-token": token}).json()["files"][0]
    for pid in client.get("/healthz").json()["workers"]:
        os.kill(pid, signal.SIGKILL)
    ended = wait_for(client, first["status_url"])  # a worker died under it, or a new one checked it
    assert ended["state"] == "done"
    assert ended.get("error", {}).get("code") in (None, "internal")
    again = client.post("/upload", files={"files": ("koffie.txt", (SAMPLES / "nl_koffie_21.txt").read_bytes(), "text/plain")},
                        headers={"accept": "application/json", "x-csrf-token": token}).json()["files"][0]
    state = wait_for(client, again["status_url"])
    assert state["state"] == "done" and "error" not in state
    assert site.proc.poll() is None


def tender_pdf_bytes() -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return tender_pdf(Path(tmp) / "t.pdf", pages=40).read_bytes()


# --- who may serve --------------------------------------------------------------------------------


def test_no_anonymous_access_beyond_loopback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--config-dir", str(tmp_path),
                                       "--db", str(tmp_path / "d.db")])
    assert result.exit_code == 2 and "refusing to listen on 0.0.0.0 without accounts" in result.stderr
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / ".duediligence.toml").write_text('[serve]\nauth = "nobody"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", "--config-dir", str(bad)])
    assert result.exit_code == 2 and "auth" in result.stderr and "Traceback" not in result.stderr
