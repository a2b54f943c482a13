"""Project configuration: `.duediligence.toml` or `[tool.duediligence]` in `pyproject.toml`.

Found by walking up from each checked file, so a template repository configures its hook
once. Values are resolved once, in this order, and each remembers where it came from
(`duediligence config PATH` prints both): built-in defaults, the configuration file, its
per-path overrides, then command-line flags. Unknown keys are errors naming the key: a typo
must not silently switch a rule off.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .languages import Codes

CONFIG_FILE = ".duediligence.toml"
PYPROJECT = "pyproject.toml"
LANGS = Codes("auto")  # auto, then every language pack (data/languages, DUEDILIGENCE_LANGUAGES)
FAIL_ON = ("missing", "weak", "never")

# key -> (default, one-line why); the single list of every setting.
DEFAULTS: dict[str, tuple[Any, str]] = {
    "criteria": ([], "criteria to check; empty means every criterion in the library"),
    "ignore": ([], "criteria never checked in this project"),
    "expect": ([], "criteria that apply whatever the tender's subject"),
    "fail-on": ("missing", "exit 1 when a finding is this bad or worse: missing, weak or never"),
    "language": ("auto", "document language: auto, or a language pack's code (nl, fr, en, or one DUEDILIGENCE_LANGUAGES adds)"),
    "library": ([], "extra clause-library folders (relative to the configuration file)"),
    "format": ("text", "default report format"),
    "suppress": (True, "honour `duediligence: ignore ID -- reason` lines in documents"),
    "baseline": ("", "baseline file of known findings (relative to the configuration file): report only new or worse ones"),
    "exclude": ([], "files an audit of a folder skips: patterns matching the end of a path (README.md, drafts/*)"),
}
_OVERRIDE_KEYS = {"paths", "expect", "ignore", "fail-on"}
# Tables inside the configuration read elsewhere: per-path overrides here, `serve` by duediligence.web.settings.
TABLES = ("overrides", "serve")


class ConfigError(Exception):
    """An invalid configuration file; the message names file, key and problem."""


@dataclass(frozen=True)
class Config:
    values: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)
    file: str | None = None  # the configuration file read, if any

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def describe(self) -> str:
        width = max(len(k) for k in self.values)
        return "\n".join(f"{k:<{width}} = {self.values[k]!r:<40} # {self.sources.get(k, 'default')}" for k in self.values)


def find_config_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest configuration above `start`: `.duediligence.toml` wins over pyproject."""
    folder = _absolute(start)
    folder = folder if _is(folder, Path.is_dir) else folder.parent
    for d in (folder, *folder.parents):
        own = d / CONFIG_FILE
        if _is(own, Path.is_file):
            return own, _own_table(_read(own))
        py = d / PYPROJECT
        if _is(py, Path.is_file):
            tool = _read(py).get("tool", {})
            table = tool.get("duediligence") if isinstance(tool, dict) else None
            if table is not None:
                return py, table
    return None


def _own_table(data: dict[str, Any]) -> Any:
    """`.duediligence.toml` holds the keys at its top (`fail-on = ...`, `[[overrides]]`, `[serve]`), or,
    copied from a pyproject.toml, under `[tool.duediligence]`: both forms read the same."""
    tool = data.get("tool")
    if set(data) == {"tool"} and isinstance(tool, dict) and set(tool) == {"duediligence"}:
        return tool["duediligence"]
    return data


def _absolute(path: Path) -> Path:
    """The path with its links resolved, or as written where they loop (the reader reports that)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python 3.11)
        return Path(os.path.abspath(path))


def _is(path: Path, test: Any) -> bool:
    try:
        return bool(test(path))
    except OSError:  # a folder that may not be searched: no configuration can be read from it
        return False


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    import tomllib  # only where there is a configuration file to read

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: {_deepest(text)}: arrays or tables nested too deeply") from None


def _deepest(text: str) -> str:
    """Where brackets first nest past any sensible depth: the line and the key it sets."""
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for ch in line:
            depth += 1 if ch in "[{" else -1 if ch in "]}" else 0
            if depth > 32:
                key = line.split("=", 1)[0].strip() if "=" in line else ""
                return f"line {number}" + (f" ({key})" if key else "")
    return "(file)"


def _check(path: Path, table: str, key: str, value: Any) -> Any:
    where = f"{path}: {table}.{key}"
    default = DEFAULTS[key][0]
    if isinstance(default, list):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: expected a list of strings")
        if key == "library":
            if any("\x00" in v for v in value):
                raise ConfigError(f"{where}: a folder name holds a NUL character")
            return [str(_absolute(path.parent / v)) for v in value]
        return list(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false")
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected a string")
    if "\x00" in value:
        raise ConfigError(f"{where}: holds a NUL character")
    allowed = {"fail-on": FAIL_ON, "language": LANGS}.get(key)
    if allowed and value not in allowed:
        raise ConfigError(f"{where}: {value!r} is not one of {', '.join(allowed)}")
    if key == "baseline" and value:
        return str(_absolute(path.parent / value))
    return value


def resolve(file: Path, command_line: dict[str, Any] | None = None, read_files: bool = True) -> Config:
    """The effective configuration for one checked file."""
    values = {k: v[0] for k, v in DEFAULTS.items()}
    sources = {k: "default" for k in DEFAULTS}
    found = find_config_file(file) if read_files else None
    if found is not None:
        path, table = found
        name = "[tool.duediligence]" if path.name == PYPROJECT else "(file)"
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: {name}: expected a table")
        for key, value in table.items():
            if key in TABLES:
                continue
            if key not in DEFAULTS:
                raise ConfigError(f"{path}: {name}: unknown key {key!r} (known: {', '.join([*DEFAULTS, *TABLES])})")
            values[key] = _check(path, name, key, value)
            sources[key] = str(path)
        _apply_overrides(path, name, table.get("overrides", []), file, values, sources)
    for key, value in (command_line or {}).items():
        if value is not None and value != () and value != []:
            values[key] = list(value) if isinstance(value, tuple) else value
            sources[key] = "command line"
    return Config(values, sources, str(found[0]) if found is not None else None)


def _apply_overrides(path: Path, name: str, overrides: Any, file: Path, values: dict[str, Any], sources: dict[str, str]) -> None:
    if not isinstance(overrides, list):
        raise ConfigError(f"{path}: {name}.overrides: expected an array of tables ([[...overrides]])")
    try:
        relative = _absolute(file).relative_to(_absolute(path.parent)).as_posix()
    except ValueError:
        relative = file.as_posix()
    for i, ov in enumerate(overrides):
        where = f"{name}.overrides[{i}]"
        if not isinstance(ov, dict):
            raise ConfigError(f"{path}: {where}: expected a table")
        unknown = sorted(set(ov) - _OVERRIDE_KEYS)
        if unknown:
            raise ConfigError(f"{path}: {where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_OVERRIDE_KEYS))})")
        globs = ov.get("paths")
        if not isinstance(globs, list) or not globs or not all(isinstance(g, str) for g in globs):
            raise ConfigError(f"{path}: {where}.paths: expected a non-empty list of glob patterns")
        if not any(fnmatch.fnmatch(relative, g) for g in globs):
            continue
        for key in ("expect", "ignore"):
            if key in ov:
                extra = _check(path, where, key, ov[key])
                values[key] = sorted(set(values[key]) | set(extra))
                sources[key] = f"{path} ({where})"
        if "fail-on" in ov:
            values["fail-on"] = _check(path, where, "fail-on", ov["fail-on"])
            sources["fail-on"] = f"{path} ({where})"
