"""YAML data files of the tool (clause library, language packs), read safely and once.

A file that cannot be read or parsed raises `LibraryError` with one line naming the file and,
where the parser knows it, the line and column or the key; the parsed data is kept by content
hash (regex_cache.recall), because parsing is a large part of a hook's start-up.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import LibraryError


def _yaml() -> Any:
    """PyYAML, imported when a file is parsed: with the parsed data kept (`recall`), a hook's
    start-up reads none and skips its import (a tenth of the imports of the hook's path)."""
    import yaml

    return yaml


def _safe_loader() -> Any:
    """libyaml's C parser when PyYAML was built with it: the library is read at every start-up."""
    yaml = _yaml()
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LibraryError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise LibraryError(f"{path}: not UTF-8 text") from None
    from .regex_cache import recall

    # parsing the library's YAML is a third of a hook's start-up; its data is kept by content
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return recall(f"yaml|{_yaml_version()}|{digest}", lambda: _parse(path, text))


@lru_cache(maxsize=1)
def _yaml_version() -> str:
    """PyYAML's version, part of the kept data's key, read without importing PyYAML (its
    `__init__` says `__version__ = '...'` near the top); once a process, for every file read."""
    from importlib.util import find_spec

    spec = find_spec("yaml")
    if spec is not None and spec.origin is not None:
        try:
            with open(spec.origin, encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("__version__"):
                        return line.split("=", 1)[1].strip().strip("'\"")
        except OSError:
            pass
    return str(_yaml().__version__)


def _parse(path: Path, text: str) -> Any:
    yaml = _yaml()
    loader = _safe_loader()(text)  # a safe loader: plain data only
    node = None
    try:
        node = loader.get_single_node()
        return None if node is None else loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise LibraryError(f"{path}: invalid YAML{where}: {problem}") from None
    except RecursionError:
        raise LibraryError(f"{path}: invalid YAML: lists or mappings nested too deeply") from None
    except ValueError as exc:  # an integer of thousands of digits (Python refuses to convert it)
        digits = sys.get_int_max_str_digits()
        key = _key_of(node, lambda n: n.tag.endswith(":int") and len(str(n.value)) > digits) if node else None
        raise LibraryError(f"{path}: {key or '(file)'}: invalid value ({exc})".split(";")[0]) from None
    finally:
        loader.dispose()


def _key_of(root: Any, wanted: Callable[[Any], bool]) -> str | None:
    """The key path ("applicability.groups[0].body_min_hits") of the first YAML node `wanted` accepts."""
    yaml = _yaml()
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.ScalarNode) and wanted(node):
            return path
        if isinstance(node, yaml.MappingNode):
            stack.extend((v, f"{path}.{k.value}" if path else str(k.value)) for k, v in reversed(node.value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((v, f"{path}[{i}]") for i, v in reversed(list(enumerate(node.value))))
    return None
