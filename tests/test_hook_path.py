"""What the pre-commit hook's path costs: with a warm cache it imports neither PyYAML, spaCy,
its lemma tables' package nor python-docx in the main process, and it reads the first file
in a child started before the library is loaded (`read.isolated.Reading`), with the same
result as a reading started when the document is checked."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from duediligence.library import load_library
from duediligence.matchers import Matchers
from duediligence.pipeline import Options, check_document
from duediligence.read import ReadLimits
from duediligence.read.isolated import Reading

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "nl_werkkledij_07.docx"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="readings start early where there is fork")

# `cli.run` ends the process once the exit handlers have run: the modules are listed by one
_RUN = (
    "import atexit, runpy, sys\n"
    "sys.argv = ['duediligence', 'check', '--quiet', '--no-config', sys.argv[1]]\n"
    "atexit.register(lambda: print('LOADED', sorted(m for m in ('yaml', 'spacy', 'spacy_lookups_data', 'docx')\n"
    "                                               if m in sys.modules)))\n"
    "runpy.run_module('duediligence', run_name='__main__')\n"
)


def test_a_warm_hook_imports_no_yaml_spacy_or_docx_in_the_main_process(tmp_path: Path) -> None:
    env = {**os.environ, "DUEDILIGENCE_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("DUEDILIGENCE_NO_CACHE", None)
    for _ in range(2):  # the first run fills the cache
        proc = subprocess.run([sys.executable, "-c", _RUN, str(SAMPLE)], env=env, capture_output=True, text=True)
        assert proc.returncode in (0, 1), proc.stderr  # clean, or findings
    assert proc.stdout.splitlines()[-1] == "LOADED []"


def _same(a, b) -> bool:  # type: ignore[no-untyped-def]
    return dataclasses.replace(a, seconds=0) == dataclasses.replace(b, seconds=0)


def test_a_reading_started_early_gives_the_same_result() -> None:
    library = load_library()
    matchers = Matchers(library)
    options = Options()
    reading = Reading(str(SAMPLE), options.limits, None, options.timeout)
    early = check_document(str(SAMPLE), library, matchers, options, reading)
    assert not reading.serves(str(SAMPLE), options.limits, None)  # collected
    assert early.error is None and _same(early, check_document(str(SAMPLE), library, matchers, options))


def test_a_reading_of_another_file_or_with_other_limits_is_not_used() -> None:
    limits = ReadLimits()
    reading = Reading(str(SAMPLE), limits, None, 60)
    try:
        assert reading.serves(str(SAMPLE), limits, None)
        assert not reading.serves(str(ROOT / "samples" / "nl_koffie_21.txt"), limits, None)
        assert not reading.serves(str(SAMPLE), dataclasses.replace(limits, max_pages=3), None)
        assert not reading.serves(str(SAMPLE), limits, "secret")
    finally:
        reading.close()


def test_closing_an_uncollected_reading_ends_its_child() -> None:
    reading = Reading(str(SAMPLE), ReadLimits(), None, 60)
    pid = reading._child.pid  # type: ignore[union-attr]
    reading.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no such child any more
    reading.close()  # twice is harmless


def test_a_reading_of_another_file_leaves_the_document_its_own_time_limit() -> None:
    library = load_library()
    options = dataclasses.replace(Options(), timeout=2.0)
    reading = Reading(str(SAMPLE), options.limits, None, options.timeout)
    try:
        time.sleep(2.1)  # the reading's deadline has passed, not the other document's
        other = str(ROOT / "samples" / "nl_koffie_21.txt")
        result = check_document(other, library, Matchers(library), options, reading)
        assert result.error is None and reading.serves(str(SAMPLE), options.limits, None)
    finally:
        reading.close()


def test_the_time_limit_counts_from_the_start_of_the_reading() -> None:
    library = load_library()
    options = dataclasses.replace(Options(), timeout=0.2)
    reading = Reading(str(SAMPLE), options.limits, None, options.timeout)
    time.sleep(0.3)
    result = check_document(str(SAMPLE), library, Matchers(library), options, reading)
    reading.close()
    assert result.error is not None and result.error.code == "timeout"


@pytest.mark.parametrize("args, first", [
    (["check", "--quiet", "a.docx", "b.pdf"], "a.docx"),
    (["check", "--format", "json", "-o", "out.json", "--ui-lang=fr", "a.docx"], "a.docx"),
    (["check", "--no-config", "--", "-odd-name.docx"], "-odd-name.docx"),
    (["check", "a.docx", "--max-pages", "3"], None),  # a limit other than the default: nothing guessed
    (["check", "--password", "x", "a.pdf"], None),
    (["check", "--quiet"], None),
    (["check", "--format"], None),
    (["check", "--help"], None),
    (["audit", "a.docx"], None),
    ([], None),
])
def test_the_command_line_names_a_first_file_only_with_reading_defaults(args: list[str], first: str | None) -> None:
    from duediligence.read.ahead import first_file

    assert first_file(args) == first


# the console command, with the early reading's child watched: was it used, or ended unused?
_WATCHED = (
    "import atexit, sys\n"
    "from duediligence.read import isolated\n"
    "ended = []\n"
    "abandon = isolated._Child.abandon\n"
    "isolated._Child.abandon = lambda self: (ended.append(self.path), abandon(self))[1]\n"
    "sys.argv = ['duediligence', *sys.argv[1:]]\n"
    "atexit.register(lambda: print('ENDED UNUSED', ended))\n"
    "from duediligence.command import run\n"
    "run()\n"
)


@pytest.mark.parametrize("extra, unused", [([], []), (["--criteria", "nonesuch"], [str(SAMPLE)])])
def test_the_console_command_uses_the_reading_it_started_before_click(tmp_path: Path, extra: list[str],
                                                                      unused: list[str]) -> None:
    env = {**os.environ, "DUEDILIGENCE_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-c", _WATCHED, "check", "--quiet", "--no-config", *extra, str(SAMPLE)],
                          env=env, capture_output=True, text=True)
    # a usage error (unknown criterion) ends the command before the reading is taken: its child is ended
    assert proc.returncode == 2 if extra else proc.returncode in (0, 1), proc.stderr
    assert proc.stdout.splitlines()[-1] == f"ENDED UNUSED {unused}"
    if not extra:
        assert "nl_werkkledij_07.docx" in proc.stdout
