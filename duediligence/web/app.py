"""The ASGI application behind `duediligence serve`: Starlette routes over the checker.

Pages are rendered on the server (Jinja2, the report's own template for the report page);
the little JavaScript there is (uploads with progress, the copy buttons, a confirm on
delete) is served by the app, never inline, so the Content-Security-Policy allows scripts
from the app only and the report's inline CSS by a per-response nonce. Nothing is fetched
from elsewhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..batch.settings import AuditSettings
from ..config import ConfigError
from ..library import Library
from ..model import Report
from ..report import renderer, view
from ..report.json_load import document_from_dict
from .accounts import LoginLimiter, check_login
from .gate import LANG_COOKIE, Gate, Visitor, safe_next, same_origin, same_token
from .queue import CheckQueue, QueueFull, Upload
from .settings import Binding, ServeSettings
from .store import CheckRow, WebStore
from .uploads import EXTENSIONS, UploadReader, UploadRefused, request_limit
from .words import LANGUAGE_NAMES, LANGUAGES, error_sentence, error_sentences, word, words

Handler = Callable[[Request, Visitor], Awaitable[Response]]
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
STATIC = {"web.css": ("web", "text/css"), "upload.js": ("web", "text/javascript"), "app.js": ("web", "text/javascript"),
          "report.js": ("report", "text/javascript")}
CLEANUP_SECONDS = 600.0


class Security:
    """Headers on every response (CSP with a fresh nonce, no framing, no sniffing, no referrer to other sites) and
    a Host check, so a page on another site cannot reach a loopback server by DNS rebinding."""

    def __init__(self, app: ASGIApp, hosts: tuple[str, ...]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["nonce"] = nonce
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
        if self.hosts and _host_name(host) not in self.hosts:
            await PlainTextResponse("unknown host", status_code=421)(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", CSP.format(nonce=nonce).encode()),
                            (b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                            (b"referrer-policy", b"same-origin"), (b"cross-origin-opener-policy", b"same-origin"),
                            (b"cross-origin-resource-policy", b"same-origin")]
                if not any(k == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def _host_name(host: str) -> str:
    if host.startswith("["):
        return host[:host.find("]") + 1]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.PackageLoader("duediligence.web", "templates"),
                                    jinja2.PackageLoader("duediligence.report", "templates")]),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


class WebApp:
    """The server's state (settings, database, queue, library) and its pages."""

    def __init__(self, settings: ServeSettings, binding: Binding, library: Library) -> None:
        self.settings = settings
        self.binding = binding
        self.library = library
        self.store = WebStore(settings.database)
        self.gate = Gate(settings, self.store, binding)
        self.limiter = LoginLimiter()
        self.templates = _environment()
        self.uploads = settings.files / "uploads"
        self.default_settings = settings.audit_settings()
        self.queue = CheckQueue(self.default_settings.to_json(), binding.workers, int(settings["queue"]),
                                float(settings["timeout"]), self._record, env=settings.worker_env())
        self.static = {name: (resources.files(f"duediligence.{package}").joinpath(
            ("static/" if package == "web" else "templates/") + name).read_bytes(), kind)
            for name, (package, kind) in STATIC.items()}

    # --- life ---------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        self.uploads.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._sweep_leftovers()
        self.queue.start()
        cleaner = asyncio.create_task(self._clean_periodically())
        try:
            yield
        finally:
            cleaner.cancel()
            self.queue.stop()

    def _sweep_leftovers(self) -> None:
        """Upload folders no check record knows (a server stopped mid-check) are removed at start."""
        known = self.store.folders()
        for folder in self.uploads.iterdir():
            if str(folder) not in known:
                shutil.rmtree(folder, ignore_errors=True)

    async def _clean_periodically(self) -> None:
        while True:
            await run_in_threadpool(self._clean)
            await asyncio.sleep(CLEANUP_SECONDS)

    def _clean(self) -> None:
        self.store.expire_copies(float(self.settings["keep-copies-hours"]), bool(self.settings["keep-uploads"]))
        self.store.forget_idle_sessions(self.gate.max_idle)

    def _record(self, upload: Upload, answer: dict[str, Any]) -> int:
        """In the queue's thread: store the worker's answer as the account's check, then remove what is not kept."""
        document = dict(answer.get("document", answer))
        copies = dict(answer.get("copies", {}))
        stored = Path(upload.path)
        document["path"] = upload.file_name
        if document.get("error"):
            error = dict(document["error"])
            error["message"] = error["message"].replace(stored.name, upload.file_name)
            document["error"] = error
            upload.error = error
        keep_upload = bool(self.settings["keep-uploads"])
        if not keep_upload:
            stored.unlink(missing_ok=True)
        kept = keep_upload or any("file" in c for c in copies.values())
        if not kept:
            shutil.rmtree(stored.parent, ignore_errors=True)
        check_id = self.store.record_check(
            upload.account, upload.file_name, upload.size, document, self.library.version,
            tuple(c.id for c in self.library.criteria),
            (AuditSettings.from_json(upload.settings_json) if upload.settings_json else self.default_settings).public(),
            str(stored.parent) if kept else None, copies, time.monotonic() - upload.started)
        upload.counts = {f["status"]: 0 for f in document.get("findings", ())}
        for f in document.get("findings", ()):
            upload.counts[f["status"]] += 1
        return check_id

    # --- plumbing -----------------------------------------------------------------------------

    def page(self, handler: Handler, login: bool = True, form: bool = False) -> Callable[[Request], Awaitable[Response]]:
        """Wrap a handler: resolve the visitor, send strangers to the login page, check the CSRF
        token of every POST, and keep the session cookie."""

        async def endpoint(request: Request) -> Response:
            visitor = await run_in_threadpool(self.gate.visitor, request)
            if login and visitor.account is None:
                if self.gate.proxy:
                    return visitor.keep(self.message(request, visitor, word("proxy-missing", visitor.lang), 401))
                if _wants_json(request):
                    return visitor.keep(JSONResponse({"error": {"code": "login", "message": "log in first"}}, 401))
                return visitor.keep(RedirectResponse(f"/login?next={quote(request.url.path)}", 303))
            if request.method == "POST":
                if not same_origin(request):
                    return visitor.keep(self.message(request, visitor, word("forbidden", visitor.lang), 403))
                if form:
                    fields = await request.form()
                    if not same_token(fields.get("csrf"), visitor.csrf):
                        return visitor.keep(self.message(request, visitor, word("csrf", visitor.lang), 403))
                    request.state.fields = fields
            return visitor.keep(await handler(request, visitor))

        return endpoint

    def render(self, request: Request, visitor: Visitor, template: str, status: int = 200, **context: Any) -> Response:
        html = self.templates.get_template(template).render(**self._context(request, visitor), **context)
        return Response(html, status_code=status, media_type="text/html")

    def _context(self, request: Request, visitor: Visitor) -> dict[str, Any]:
        return {"w": words(visitor.lang), "lang": visitor.lang, "visitor": visitor, "nonce": request.state.nonce,
                "csrf": visitor.csrf, "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
                "here": request.url.path, "proxy": self.gate.proxy, "word": lambda key, **v: word(key, visitor.lang, **v)}

    def message(self, request: Request, visitor: Visitor, text: str, status: int) -> Response:
        return self.render(request, visitor, "message.html.j2", status=status, text=text)

    def routes(self) -> list[Route]:
        p = self.page
        return [
            Route("/", p(self.upload_page)),
            Route("/upload", p(self.upload), methods=["POST"]),
            Route("/uploads/{upload_id}", p(self.upload_state)),
            Route("/history", p(self.history)),
            Route("/checks/{check_id:int}", p(self.report)),
            Route("/checks/{check_id:int}/delete", p(self.delete, form=True), methods=["POST"]),
            Route("/checks/{check_id:int}/{download}", p(self.download)),
            Route("/settings", p(self.settings_page)),
            Route("/login", p(self.login_page, login=False)),
            Route("/login", p(self.login, login=False, form=True), methods=["POST"]),
            Route("/logout", p(self.logout, login=False, form=True), methods=["POST"]),
            Route("/language/{lang}", p(self.language, login=False)),
            Route("/static/{name}", self.static_file),
            Route("/healthz", self.health),
        ]

    async def static_file(self, request: Request) -> Response:
        found = self.static.get(request.path_params["name"])
        if found is None:
            return PlainTextResponse("not found", 404)
        return Response(found[0], media_type=found[1], headers={"cache-control": "public, max-age=3600"})

    async def health(self, _request: Request) -> Response:
        return JSONResponse({"ok": True, "ready": self.queue.ready_workers(), "workers": self.queue.worker_pids(),
                             "broken": self.queue.broken})

    # --- upload -------------------------------------------------------------------------------

    async def upload_page(self, request: Request, visitor: Visitor, notes: list[dict[str, Any]] | None = None,
                          status: int = 200) -> Response:
        return self.render(request, visitor, "upload.html.j2", status=status, notes=notes or [],
                           max_bytes=self.settings.max_upload_bytes, max_mb=int(self.settings["max-file-mb"]),
                           max_pages=self.settings["max-pages"], extensions=",".join(EXTENSIONS),
                           errors=error_sentences(visitor.lang))

    async def upload(self, request: Request, visitor: Visitor) -> Response:
        header = request.headers.get("x-csrf-token")
        if header is not None and not same_token(header, visitor.csrf):
            return self._refused(request, visitor, "csrf", 403)
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > request_limit(self.settings.max_upload_bytes):
            return self._refused(request, visitor, "too-large", 413)  # said before one byte of it is read
        reader = UploadReader(self.uploads, self.settings.max_upload_bytes, None if header is not None else visitor.csrf)
        try:
            files = await reader.read(request.headers.get("content-type", ""), request.stream())
        except UploadRefused as exc:
            return self._refused(request, visitor, exc.code, {"too-large": 413, "csrf": 403}.get(exc.code, 400))
        answers = []
        for f in files:
            if f.error is not None or f.path is None:
                answers.append(self._file_error(f.file_name, f.error or "internal", visitor.lang))
                continue
            try:
                own = self.settings.settings_for(f.file_name)
            except ConfigError as exc:
                shutil.rmtree(f.path.parent, ignore_errors=True)
                answers.append({"file_name": f.file_name, "error": {"code": "config", "message": str(exc)}})
                continue
            upload = Upload(id=f.path.parent.name, account=visitor.account or "", file_name=f.file_name, path=str(f.path),
                            size=f.size, settings_json=None if own == self.default_settings else own.to_json())
            try:
                place = self.queue.submit(upload)
            except QueueFull as exc:
                shutil.rmtree(f.path.parent, ignore_errors=True)
                answers.append({"file_name": f.file_name, "error": {"code": "busy", "message": word("busy", visitor.lang, detail=exc)}})
                continue
            answers.append({"id": upload.id, "file_name": f.file_name, "state": upload.state, "place": place,
                            "status_url": f"/uploads/{upload.id}"})
        if _wants_json(request):
            return JSONResponse({"files": answers})
        if not files or any("error" in a for a in answers):
            return await self.upload_page(request, visitor, notes=answers, status=400 if not files else 200)
        return RedirectResponse("/history", 303)

    def _file_error(self, file_name: str, code: str, lang: str) -> dict[str, Any]:
        return {"file_name": file_name, "error": {"code": code, "message": error_sentence(code, lang)}}

    def _refused(self, request: Request, visitor: Visitor, code: str, status: int) -> Response:
        if code == "too-large":
            text = f"{error_sentence(code, visitor.lang)} (max. {self.settings['max-file-mb']} MB)"
        else:
            text = word(code, visitor.lang) if code in ("csrf", "bad-request") else error_sentence(code, visitor.lang)
        if _wants_json(request):
            return JSONResponse({"error": {"code": code, "message": text}}, status)
        return self.message(request, visitor, text, status)

    async def upload_state(self, request: Request, visitor: Visitor) -> Response:
        upload = self.queue.get(request.path_params["upload_id"])
        if upload is None or upload.account != visitor.account:
            return JSONResponse({"error": {"code": "not-found", "message": word("not-found", visitor.lang)}}, 404)
        return JSONResponse(self.upload_json(upload, visitor.lang))

    def upload_json(self, upload: Upload, lang: str) -> dict[str, Any]:
        out: dict[str, Any] = {"id": upload.id, "file_name": upload.file_name, "state": upload.state,
                               "place": self.queue.place(upload) if upload.state == "queued" else 0}
        if upload.check_id is not None:
            out["check_id"] = upload.check_id
            out["report_url"] = f"/checks/{upload.check_id}"
            out["summary"] = summary(upload.counts, lang)
            out["counts"] = upload.counts
        if upload.error is not None:
            code = upload.error["code"]
            out["error"] = {"code": code, "message": error_sentence(code, lang), "detail": upload.error["message"]}
        return out

    # --- history and reports --------------------------------------------------------------------

    async def history(self, request: Request, visitor: Visitor) -> Response:
        account = visitor.account or ""
        checks = await run_in_threadpool(self.store.checks, account)
        pending = [self.upload_json(u, visitor.lang) for u in self.queue.pending(account)]
        rows = [{"check": c, "summary": summary(c.status_counts(), visitor.lang),
                 "error": error_sentence(c.document["error"]["code"], visitor.lang) if c.document.get("error") else None}
                for c in checks]
        return self.render(request, visitor, "history.html.j2", rows=rows, pending=pending,
                           deleted=request.query_params.get("deleted") == "1")

    def _own_check(self, request: Request, visitor: Visitor) -> CheckRow | None:
        return self.store.check(visitor.account or "", request.path_params["check_id"])

    def _report(self, row: CheckRow) -> Report:
        return Report(row.tool_version, row.library_version, row.criteria, (document_from_dict(row.document),))

    async def report(self, request: Request, visitor: Visitor) -> Response:
        row = await run_in_threadpool(self._own_check, request, visitor)
        if row is None:
            return self.message(request, visitor, word("not-found", visitor.lang), 404)
        v = await run_in_threadpool(view.build, self._report(row), self.library, visitor.chosen_lang)
        copies = {kind: row.copies.get(kind, {}) for kind in ("annotated", "fixed")}
        return self.render(request, visitor, "report_page.html.j2", r=v, r_status=lambda s: view.status_label(s, v.lang),
                           check=row, copies=copies, keep_hours=self.settings["keep-copies-hours"],
                           is_docx=row.document.get("format") == "docx")

    async def download(self, request: Request, visitor: Visitor) -> Response:
        row = await run_in_threadpool(self._own_check, request, visitor)
        kind = request.path_params["download"]
        if row is None:
            return self.message(request, visitor, word("not-found", visitor.lang), 404)
        stem = Path(row.file_name).stem or "report"
        if kind in ("annotated.docx", "fixed.docx"):
            entry = row.copies.get(kind.split(".")[0], {})
            path = Path(row.folder) / entry["file"] if row.folder and "file" in entry else None
            if path is None or not path.is_file():
                return self.message(request, visitor, word("not-found", visitor.lang), 404)
            return FileResponse(path, filename=f"{stem}.{kind}",
                                media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        formats = {"report.html": ("html", "text/html"), "report.json": ("json", "application/json"),
                   "report.sarif": ("sarif", "application/sarif+json")}
        if kind not in formats:
            return self.message(request, visitor, word("not-found", visitor.lang), 404)
        fmt, media = formats[kind]
        text = await run_in_threadpool(renderer(fmt), self._report(row), library=self.library, ui_lang=visitor.chosen_lang)
        return Response(text, media_type=media, headers=_attachment(f"{stem}.{kind}"))

    async def delete(self, request: Request, visitor: Visitor) -> Response:
        done = await run_in_threadpool(self.store.delete_check, visitor.account or "", request.path_params["check_id"])
        if not done:
            return self.message(request, visitor, word("not-found", visitor.lang), 404)
        return RedirectResponse("/history?deleted=1", 303)

    async def settings_page(self, request: Request, visitor: Visitor) -> Response:
        folders = [(d, sorted(p.name for p in Path(d).glob("*.y*ml"))) for d in self.settings.check_config["library"]]
        from ..config import find_config_file

        found = find_config_file(Path(self.settings.folder))
        return self.render(request, visitor, "settings.html.j2", rows=self.settings.rows(), library=self.library,
                           folders=folders, config_file=str(found[0]) if found else None, folder=self.settings.folder)

    # --- login --------------------------------------------------------------------------------

    async def login_page(self, request: Request, visitor: Visitor, problem: str | None = None, status: int = 200,
                         name: str = "") -> Response:
        if visitor.account is not None and problem is None:
            return RedirectResponse(safe_next(request.query_params.get("next")), 303)
        return self.render(request, visitor, "login.html.j2", status=status, problem=problem, name=name,
                           next=safe_next(request.query_params.get("next")),
                           logged_out=request.query_params.get("out") == "1")

    async def login(self, request: Request, visitor: Visitor) -> Response:
        fields = request.state.fields
        name = str(fields.get("name", "")).strip().lower()[:64]
        password = str(fields.get("password", ""))
        client = self.gate.client(request)
        wait = self.limiter.blocked(name, client)
        if wait > 0:
            minutes = max(1, round(wait / 60))
            return await self.login_page(request, visitor, word("login-blocked", visitor.lang, minutes=minutes), 429, name)
        stored = await run_in_threadpool(self.store.password_hash, name)
        if self.gate.proxy or not await run_in_threadpool(check_login, password, stored):
            self.limiter.failed(name, client)
            return await self.login_page(request, visitor, word("login-wrong", visitor.lang), 401, name)
        self.limiter.succeeded(name)
        await run_in_threadpool(self.gate.log_in, visitor, name)
        return RedirectResponse(safe_next(str(fields.get("next", "/"))), 303)

    async def logout(self, request: Request, visitor: Visitor) -> Response:
        await run_in_threadpool(self.gate.log_out, visitor)
        return RedirectResponse("/login?out=1", 303)

    async def language(self, request: Request, visitor: Visitor) -> Response:
        lang = request.path_params["lang"]
        response = RedirectResponse(safe_next(request.query_params.get("next")), 303)
        if lang in LANGUAGES:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", secure=visitor.secure, path="/")
        return response


def summary(counts: dict[str, int], lang: str) -> str:
    """'1 missing · 2 weak · 2 n/a' in the page's language, most urgent first."""
    return " · ".join(f"{n} {text}" for _status, text, n in view.status_counts(
        (s for s, n in counts.items() for _ in range(n)), lang))


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _attachment(filename: str) -> dict[str, str]:
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename)
    return {"content-disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"}


def allowed_hosts(settings: ServeSettings, binding: Binding) -> tuple[str, ...]:
    configured = tuple(settings["allowed-hosts"])
    if configured:
        return configured
    if binding.loopback:
        return ("127.0.0.1", "localhost", "[::1]", binding.host if ":" not in binding.host else f"[{binding.host}]")
    return ()


def create_app(settings: ServeSettings, binding: Binding, library: Library) -> ASGIApp:
    web = WebApp(settings, binding, library)
    app = Starlette(routes=web.routes(), lifespan=web.lifespan)
    app.state.web = web
    return Security(app, allowed_hosts(settings, binding))
