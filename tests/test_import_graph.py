"""Every module imports on its own, and no two modules of duediligence import each other.

The graph counts every import a module makes, at its top or inside a function (a lazy import
is still a dependency), except those under `if TYPE_CHECKING:`. Data flows one way
(read → segment → index → subject and applicability → evidence → assessment → report, commands
on top); a cycle means a lower stage reaches back up.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import duediligence

PACKAGE = Path(duediligence.__file__).parent


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for file in sorted(PACKAGE.rglob("*.py")):
        parts = ["duediligence", *file.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = file
    return found


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            inside.update(id(n) for n in ast.walk(node))
    return inside


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, file in known.items():
        tree = ast.parse(file.read_text(encoding="utf-8"))
        package = name.split(".") if file.name == "__init__.py" else name.split(".")[:-1]
        skip = _type_checking_nodes(tree)
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = ".".join(package[: len(package) - node.level + 1] + [node.module or ""]).strip(".") \
                    if node.level else node.module or ""
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            else:
                continue
            graph[name].update(t for t in targets if t in known and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    assert "duediligence.exit_codes" in graph["duediligence.batch.command"]  # the graph sees lazy imports
    assert cycles(graph) == []


# The judging stages in the order data flows through them: none imports a later one.
STAGES = ["segment", "index", "subject", "applicability", "evidence", "assess", "report"]


def test_each_stage_imports_only_the_stages_before_it() -> None:
    graph = import_graph()
    later = {stage: {f"duediligence.{s}" for s in STAGES[i + 1 :]} for i, stage in enumerate(STAGES)}
    climbing = {
        name: sorted(t for t in targets if any(t == s or t.startswith(s + ".") for s in later[stage]))
        for stage in STAGES
        for name, targets in graph.items()
        if name == f"duediligence.{stage}" or name.startswith(f"duediligence.{stage}.")
    }
    assert {name: up for name, up in climbing.items() if up} == {}


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_module_imports_alone() -> None:
    """Each module in turn with every duediligence module forgotten first, in one fresh interpreter
    (third-party libraries stay loaded, so this takes seconds, not a minute)."""
    names = [n for n in modules() if n != "duediligence.__main__"]  # that one runs the command
    script = (
        "import importlib, sys, traceback\n"
        "bad = []\n"
        f"for name in {names!r}:\n"
        "    for loaded in [m for m in sys.modules if m == 'duediligence' or m.startswith('duediligence.')]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception:\n"
        "        bad.append(name + ': ' + traceback.format_exc(limit=1).strip().splitlines()[-1])\n"
        "print('\\n'.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
