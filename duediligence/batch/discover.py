"""Which files an audit covers: folders recursively, glob patterns, and files named outright.

Folders and globs keep only the formats the readers handle (by extension, any case) and count
the rest as skipped; a file named outright is always checked, so a mislabelled `.doc` still
gets its `unsupported-format` result. Hidden folders and Office lock files (`~$x.docx`) are
skipped. Paths are absolute, so a run resumes from any working folder.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass

EXTENSIONS = (".pdf", ".docx", ".txt", ".md")
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Discovery:
    files: tuple[str, ...]  # absolute, sorted, unique
    skipped: int  # files under folders or globs that are not a checked format
    missing: tuple[str, ...]  # arguments that are neither a file, a folder nor a matching glob


def wanted(name: str) -> bool:
    return name.lower().endswith(EXTENSIONS) and not name.startswith("~$")


def discover(arguments: list[str] | tuple[str, ...]) -> Discovery:
    found: dict[str, None] = {}
    skipped: set[str] = set()
    missing: list[str] = []

    def take(path: str, explicit: bool) -> None:
        full = os.path.abspath(path)
        if explicit or wanted(os.path.basename(full)):
            found.setdefault(full, None)
        else:
            skipped.add(full)

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
    return Discovery(tuple(files), len(skipped - set(files)), tuple(missing))


def _walk(folder: str) -> list[str]:
    out: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(os.path.join(root, n) for n in names if not n.startswith("."))
    return out
