"""The server's settings: `[tool.duediligence.serve]` (or `[serve]` in `.duediligence.toml`),
resolved once at start beside the configuration that `check` and `audit` use in that folder.

Every key has a default and a one-line why (SERVE_DEFAULTS); unknown keys and wrong types are
errors naming the file and the key, as for the rest of the configuration.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..batch.settings import AuditSettings
from ..config import Config, ConfigError, find_config_file, resolve
from ..limits import DEFAULT_SECONDS
from ..read import ReadLimits
from ..settings import Settings, resolve_settings

WEB_ANALYSER = "duediligence.web.checking:web_checker"
LIMITS_VARIABLE = "DUEDILIGENCE_WEB_LIMITS"  # how worker processes learn the read limits
AUTH_MODES = ("accounts", "proxy")

# key -> (default, one-line why)
SERVE_DEFAULTS: dict[str, tuple[Any, str]] = {
    "auth": ("accounts", "who may use the page: local accounts (duediligence users add NAME) or proxy (a trusted reverse proxy's user header)"),
    "user-header": ("X-Remote-User", "with auth = proxy: the request header that names the user"),
    "trusted-proxies": (["127.0.0.1", "::1"], "with auth = proxy: the addresses whose user header is believed"),
    "allowed-hosts": ([], "host names the page answers to; empty: localhost names on loopback, any name otherwise"),
    "database": ("duediligence.db", "the SQLite file of checks, accounts and audits (the audit store)"),
    "files": ("duediligence-web", "folder for uploads while they are checked and the Word copies kept for download"),
    "keep-uploads": (False, "keep each uploaded tender until its check is deleted (default: deleted after the check)"),
    "keep-copies-hours": (24, "hours the annotated and fixed Word copies stay downloadable"),
    "max-file-mb": (ReadLimits.max_file_bytes // 2**20, "largest upload accepted, as check --max-file-mb"),
    "max-pages": (ReadLimits.max_pages, "PDFs with more pages are refused, as check --max-pages"),
    "timeout": (int(DEFAULT_SECONDS), "seconds a document may take before it is reported as timeout, as audit --timeout"),
    "queue": (100, "documents that may wait for a worker; more are refused with 'try again later'"),
    "session-hours": (12, "hours a login lasts without activity"),
}


@dataclass(frozen=True)
class ServeSettings:
    values: dict[str, Any]
    sources: dict[str, str]
    check_config: Config  # what `check` would use for a file in this folder
    folder: str  # where the configuration was looked for
    read_config: bool = True  # False: built-in defaults only, as `check --no-config`

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def database(self) -> str:
        return str(self.values["database"])

    @property
    def files(self) -> Path:
        return Path(self.values["files"])

    @property
    def limits(self) -> ReadLimits:
        return ReadLimits(max_file_bytes=int(self["max-file-mb"]) * 2**20, max_pages=int(self["max-pages"]))

    @property
    def max_upload_bytes(self) -> int:
        return int(self["max-file-mb"]) * 2**20

    def audit_settings(self) -> AuditSettings:
        """What every worker starts with: the folder's check configuration, the web analyser and
        the time limit per document."""
        return AuditSettings.from_settings(Settings.from_config(self.check_config), analyser=WEB_ANALYSER,
                                           timeout=self._timeout())

    def settings_for(self, file_name: str) -> AuditSettings:
        """An upload's own settings: the folder's configuration resolved for a file of that name
        there, so its per-path overrides (`paths = ["*.docx"]`) hold on the page as in `check`.
        The name only meets the override globs; it is never opened."""
        name = os.path.basename(file_name.replace("\\", "/")) or "document"
        own = resolve_settings(Path(self.folder) / name, read_files=self.read_config)
        return AuditSettings.from_settings(own, analyser=WEB_ANALYSER, timeout=self._timeout())

    def _timeout(self) -> float | None:
        return float(self.values["timeout"]) or None

    def worker_env(self) -> dict[str, str]:
        limits = self.limits
        return {LIMITS_VARIABLE: json.dumps({"max_file_bytes": limits.max_file_bytes, "max_pages": limits.max_pages})}

    def rows(self) -> list[tuple[str, str, str]]:
        """(key, value, where it came from) for the settings page, check configuration first."""
        out = [(k, _shown(v), c) for k, v, c in ((k, self.check_config[k], self.check_config.sources.get(k, "default"))
                                               for k in self.check_config.values)]
        out += [(f"serve.{k}", _shown(self.values[k]), self.sources.get(k, "default")) for k in SERVE_DEFAULTS]
        return out

    def with_database(self, database: str) -> "ServeSettings":
        values = dict(self.values, database=os.path.abspath(database))
        if self.sources.get("files", "default") == "default":
            values["files"] = _beside(values["database"])
        return replace(self, values=values, sources=dict(self.sources, database="command line"))


def _beside(database: str) -> str:
    """The default files folder: next to the database, so one folder holds a server's state."""
    return str(Path(database).parent / SERVE_DEFAULTS["files"][0])


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in value) + "]"
    return str(value)


def load_serve_settings(folder: Path, database: str | None = None, read_files: bool = True) -> ServeSettings:
    """The settings for a server started in `folder`; `database` (command line) wins over the file's."""
    folder = folder.resolve()
    values = {k: v[0] for k, v in SERVE_DEFAULTS.items()}
    sources = {k: "default" for k in SERVE_DEFAULTS}
    base = folder
    found = find_config_file(folder) if read_files else None
    if found is not None:
        path, table = found
        base = path.parent
        serve = table.get("serve", {}) if isinstance(table, dict) else {}
        where = "[tool.duediligence.serve]" if path.name == "pyproject.toml" else "[serve]"
        if not isinstance(serve, dict):
            raise ConfigError(f"{path}: {where}: expected a table")
        for key, value in serve.items():
            if key not in SERVE_DEFAULTS:
                raise ConfigError(f"{path}: {where}: unknown key {key!r} (known: {', '.join(SERVE_DEFAULTS)})")
            values[key] = _checked(path, where, key, value)
            sources[key] = str(path)
    values["database"] = str((base / values["database"]).resolve())
    values["files"] = str((base / values["files"]).resolve()) if sources["files"] != "default" else _beside(values["database"])
    settings = ServeSettings(values, sources, resolve(folder, read_files=read_files), str(folder), read_files)
    return settings.with_database(database) if database else settings


def _checked(path: Path, where: str, key: str, value: Any) -> Any:
    default = SERVE_DEFAULTS[key][0]
    name = f"{path}: {where}.{key}"
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{name}: expected true or false")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(f"{name}: expected a number of 0 or more")
        if key in ("queue", "max-file-mb", "max-pages") and value < 1:
            raise ConfigError(f"{name}: expected at least 1")
        return value
    if isinstance(default, list):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{name}: expected a list of strings")
        return list(value)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{name}: expected a string")
    if key == "auth" and value not in AUTH_MODES:
        raise ConfigError(f"{name}: {value!r} is not one of {', '.join(AUTH_MODES)}")
    return value


def read_limits_from_environment() -> ReadLimits:
    """The limits a worker process was started with (see `ServeSettings.worker_env`)."""
    raw = os.environ.get(LIMITS_VARIABLE)
    if not raw:
        return ReadLimits()
    given = json.loads(raw)
    return ReadLimits(max_file_bytes=int(given["max_file_bytes"]), max_pages=int(given["max_pages"]))


@dataclass(frozen=True)
class Binding:
    """Where the server listens, and what follows from it for who may come in."""

    host: str
    port: int
    workers: int
    loopback: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "loopback", is_loopback(self.host))


def is_loopback(host: str) -> bool:
    import ipaddress

    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
