"""Which files an audit covers: folders recursively, glob patterns, and files named outright.

Folders and globs keep only the formats the readers handle (by extension, any case) and skip
the rest, Office lock files (`~$x.docx`) and what an `exclude` pattern names (a README, a
drafts folder); a file named outright is always checked, so a mislabelled `.doc` still gets its
`unsupported-format` result. Each skipped file is counted with its reason, for the summary.
Hidden folders and files are not looked into. Paths are absolute, so a run resumes from any
working folder.

An exclude pattern matches the end of a file's path, with fnmatch's `*`, `?` and `[...]`
(`*` also crosses folders): `README.md` names every README.md, `drafts/*` every file under a
folder called drafts, `*.md` every Markdown file.
"""

from __future__ import annotations

import fnmatch
import glob
import os
from collections import Counter
from dataclasses import dataclass, field

EXTENSIONS = (".pdf", ".docx", ".txt", ".md")
_GLOB_CHARS = set("*?[")
LOCK_FILE = "an Office lock file"


@dataclass(frozen=True)
class Discovery:
    files: tuple[str, ...]  # absolute, sorted, unique
    skipped: int  # files under folders or globs that are not checked
    missing: tuple[str, ...]  # arguments that are neither a file, a folder nor a matching glob
    reasons: tuple[tuple[str, int], ...] = field(default=())  # why they were skipped, most first


def wanted(name: str) -> bool:
    return name.lower().endswith(EXTENSIONS) and not name.startswith("~$")


def skip_reason(path: str, exclude: tuple[str, ...] = ()) -> str | None:
    """Why a file found under a folder or glob is not checked, or None when it is."""
    posix = path.replace(os.sep, "/")
    for pattern in exclude:
        if fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(posix, "*/" + pattern.lstrip("/")):
            return f"excluded by {pattern}"
    name = os.path.basename(path)
    if name.startswith("~$"):
        return LOCK_FILE
    if not name.lower().endswith(EXTENSIONS):
        return f"not a checked format ({os.path.splitext(name)[1].lower() or 'no extension'})"
    return None


def discover(arguments: list[str] | tuple[str, ...], exclude: tuple[str, ...] = ()) -> Discovery:
    found: dict[str, None] = {}
    skipped: dict[str, str] = {}
    missing: list[str] = []

    def take(path: str, explicit: bool) -> None:
        full = os.path.abspath(path)
        reason = None if explicit else skip_reason(full, exclude)
        if reason is None:
            found.setdefault(full, None)
        else:
            skipped.setdefault(full, reason)

    for arg in arguments:
        if os.path.isdir(arg):
            for path in _walk(arg):
                take(path, explicit=False)
        elif os.path.lexists(arg):
            take(arg, explicit=True)
        elif _GLOB_CHARS & set(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                missing.append(arg)
            for m in matches:
                if os.path.isdir(m):
                    for path in _walk(m):
                        take(path, explicit=False)
                else:
                    take(m, explicit=False)
        else:
            missing.append(arg)
    files = sorted(found)
    reasons = Counter(reason for path, reason in skipped.items() if path not in found)
    return Discovery(tuple(files), sum(reasons.values()), tuple(missing), tuple(reasons.most_common()))


def _walk(folder: str) -> list[str]:
    out: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(os.path.join(root, n) for n in names if not n.startswith("."))
    return out
