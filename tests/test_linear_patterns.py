"""Every regular expression of the clause library and of the code runs in linear time.

A pattern that backtracks (nested or adjacent quantifiers over the same characters) takes
minutes on a crafted line, and no time limit interrupts Python's regex engine. Each pattern
is run over pathological strings of 4,000 and 16,000 characters: quadrupling the input may
quadruple the time, not multiply it by sixteen; and anything quadratic takes well over 50 ms
at 16,000 characters (one step per pair of positions is 2.6e8 steps), so below that it passes.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import select
import signal
import time
from collections.abc import Callable, Iterator

import pytest

import duediligence
from duediligence.library import load_library
from duediligence.terms import CompiledSet

SMALL, BIG = 4_000, 16_000
FLOOR = 0.05  # seconds at BIG below which a pattern cannot be quadratic

# Each builds a string of about n characters.
PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    "letters": lambda n: "a" * n,
    "capitals": lambda n: "A" * n,
    "accented": lambda n: "é" * n,
    "digits": lambda n: "1" * n,
    "spaces then a letter": lambda n: " " * n + "x",
    "tabs and no-break spaces": lambda n: "\t\u00a0" * (n // 2) + "x",
    "hash, spaces, letter": lambda n: "# a" + " " * n + "b",
    "letter space": lambda n: "a " * (n // 2),
    "letter dot": lambda n: "a." * (n // 2),
    "letter hyphen": lambda n: "a-" * (n // 2),
    "hyphens": lambda n: "-" * n + "x",
    "digit dot": lambda n: "1." * (n // 2),
    "digit space": lambda n: "1 " * (n // 2),
    "e-mail-like token": lambda n: "x" * n + "@",
    "at signs": lambda n: "a@" * (n // 2),
    "dotted domain": lambda n: "a.b-" * (n // 4) + ".b",
    "www": lambda n: "www." * (n // 4),
    "pipes and rules": lambda n: "|" + "-" * n + " x",
    "pipe space": lambda n: "| " * (n // 2) + "x",
    "quotes": lambda n: "'" * n,
    "lines": lambda n: "a\n" * (n // 2),
    "equals": lambda n: "=" * n + "x",
    "stars": lambda n: "* " * (n // 2) + "x",
    "words": lambda n: "de opdrachtnemer levert " * (n // 24),
}


def _code_patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    """Every compiled pattern held by a module of the package, and the section vocabulary's."""
    from duediligence import languages

    for info in pkgutil.walk_packages(duediligence.__path__, "duediligence."):
        if info.name.endswith(("dask_executor", "__main__")):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                yield f"{info.name}.{name}", value
            elif isinstance(value, str) and "«" in value:  # a template filled from the language packs
                yield f"{info.name}.{name}", languages.language_pattern(value)
    from duediligence import segment

    for i, rule in enumerate(segment._section_rules()):
        yield f"sections.yml kinds[{i}]", rule.pattern
    for i, cue in enumerate(segment.placement_cues()):
        yield f"sections.yml placement[{i}]", cue


def _library_patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    library = load_library()
    owners = [("_common", library.common.vocabulary), *((c.id, c.vocabulary) for c in library.criteria)]
    for owner, vocabulary in owners:
        for name, term_set in vocabulary.items():
            compiled = CompiledSet(term_set)
            yield f"{owner}.{name}", compiled.regex
            if compiled._raw is not None:
                yield f"{owner}.{name} (re: terms)", compiled._raw


PATTERNS = dict(_code_patterns()) | dict(_library_patterns())


def _seconds(pattern: re.Pattern[str], text: str) -> float:
    started = time.perf_counter()
    for _ in pattern.finditer(text):
        pass
    pattern.match(text)
    return time.perf_counter() - started


def test_there_are_patterns_to_check() -> None:
    assert len(PATTERNS) > 150
    assert any(name.startswith("_common.addresses") for name in PATTERNS)
    assert "duediligence.read.text._ATX" in PATTERNS


def _backtracking(pattern: re.Pattern[str]) -> list[str]:
    slow = []
    for label, make in PATHOLOGICAL.items():
        big = _seconds(pattern, make(BIG))
        if big < FLOOR:
            continue
        small = _seconds(pattern, make(SMALL))
        big = min(big, _seconds(pattern, make(BIG)))  # a second try: the machine is shared
        if big > 6 * small or big > 1.0:
            slow.append(f"{label}: {small * 1000:.0f} ms at {SMALL:,}, {big * 1000:.0f} ms at {BIG:,} characters")
    return slow


def _in_child(work: Callable[[], list[str]], seconds: float) -> list[str]:
    """`work()` in a forked child, so that a pattern that never finishes fails instead of hanging."""
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reading)
        try:
            os.write(writing, json.dumps(work()).encode())
        finally:
            os._exit(0)
    os.close(writing)
    try:
        ready, _, _ = select.select([reading], [], [], seconds)
        answer = os.read(reading, 1 << 20) if ready else b""
    finally:
        os.close(reading)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return json.loads(answer) if answer else [f"no answer within {seconds:g} s"]


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_runs_in_linear_time(name: str) -> None:
    pattern = PATTERNS[name]
    slow = _in_child(lambda: _backtracking(pattern), 30.0)
    assert not slow, f"{name} ({pattern.pattern[:80]}...) backtracks: " + "; ".join(slow)
