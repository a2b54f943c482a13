"""The settings one file is checked with: typed, validated, and each value with where it came from.

`config.resolve` reads the files (defaults, `.duediligence.toml` or `[tool.duediligence]`, the
per-path overrides, the command line); `Settings` is what every entry point — the Python API,
`check`, `fix`, the audit workers and the web server — passes on, so they judge one file alike.
Criterion ids are checked against the loaded library (`select`), where they are known.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import FAIL_ON, LANGS, Config, ConfigError, resolve

if TYPE_CHECKING:
    from .library import Library


@dataclass(frozen=True)
class Settings:
    criteria: tuple[str, ...] = ()  # empty: every criterion of the library
    ignore: tuple[str, ...] = ()
    expect: tuple[str, ...] = ()  # criteria that apply whatever the subject
    fail_on: str = "missing"
    language: str = "auto"
    library: tuple[str, ...] = ()  # extra clause-library folders, absolute
    format: str = "text"
    suppress: bool = True
    baseline: str = ""  # absolute path of the baseline file, or "" for none
    exclude: tuple[str, ...] = ()  # files an audit of a folder skips (patterns matching the end of a path)
    # key (as written in the configuration, e.g. "fail-on") -> "default", a file, "command line"
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        if self.fail_on not in FAIL_ON:
            raise ConfigError(f"{self.source('fail-on')}: fail-on: {self.fail_on!r} is not one of {', '.join(FAIL_ON)}")
        if self.language not in LANGS:
            raise ConfigError(f"{self.source('language')}: language: {self.language!r} is not one of {', '.join(LANGS)}")

    @classmethod
    def from_config(cls, config: Config) -> "Settings":
        v = config.values
        return cls(criteria=tuple(v["criteria"] or ()), ignore=tuple(v["ignore"]), expect=tuple(v["expect"]),
                   fail_on=v["fail-on"], language=v["language"], library=tuple(os.path.abspath(d) for d in v["library"]), format=v["format"],
                   suppress=bool(v["suppress"]), baseline=v["baseline"], exclude=tuple(v.get("exclude", ())),
                   sources=dict(config.sources))

    def source(self, key: str) -> str:
        """Where the value of `key` (spelt as in the configuration) came from."""
        return self.sources.get(key, "default")

    def analysis(self) -> dict[str, Any]:
        """The values that change a document's findings: the checker's identity, the cache's key.
        (fail-on, format and baseline change only what is reported and how.)"""
        return {"criteria": list(self.criteria), "ignore": list(self.ignore), "expect": list(self.expect),
                "language": self.language, "library": list(self.library), "suppress": self.suppress}

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["sources"] = dict(self.sources)
        return out

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> "Settings":
        names = {f.name for f in fields(cls)}
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items() if k in names}
        values["sources"] = dict(raw.get("sources") or {})
        return cls(**values)


def resolve_settings(file: str | Path, command_line: dict[str, Any] | None = None, read_files: bool = True) -> Settings:
    """The settings for one checked file (raises `ConfigError` naming the file and key)."""
    return Settings.from_config(resolve(Path(file), command_line, read_files=read_files))


def select(library: "Library", settings: Settings) -> "Library":
    """The part of a whole library that `settings` checks: `criteria` less `ignore`. An id in
    criteria, ignore or expect that the library does not know is an error naming its source."""
    known = {name for c in library.criteria for name in (c.id, *c.aliases)}
    for key, ids in (("criteria", settings.criteria), ("ignore", settings.ignore), ("expect", settings.expect)):
        unknown = sorted(set(ids) - known)
        if unknown:
            listed = ", ".join(c.id for c in library.criteria)
            raise ConfigError(f"{settings.source(key)}: {key}: unknown criterion {unknown[0]!r} (known: {listed})")
    wanted = {c for c in settings.criteria if c not in settings.ignore}
    chosen = library.selecting(lambda c: bool({c.id, *c.aliases} & wanted)) if wanted else library
    return chosen.without(settings.ignore) if settings.ignore else chosen
