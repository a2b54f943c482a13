"""The console command ends without the interpreter's teardown (`cli.run`): the same exit
codes, output and caches written at exit as click's own ending, also when the output cannot
be written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "fr_columbarium_25.txt"


def _command(args: list[str], cache: Path, stdout: int = subprocess.PIPE,
             entry: str = "run") -> subprocess.CompletedProcess[str]:
    """The command as its console script starts it; `entry="main"`: click's own ending."""
    env = {**os.environ, "DUEDILIGENCE_CACHE_DIR": str(cache)}
    env.pop("DUEDILIGENCE_NO_CACHE", None)
    code = f"import sys; sys.argv = ['duediligence', *sys.argv[1:]]; from duediligence.cli import {entry}; {entry}()"
    return subprocess.run([sys.executable, "-c", code, *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, env=env, cwd=ROOT)


@pytest.mark.parametrize("args, code", [
    (["check", "--format", "json", str(SAMPLE)], None),
    (["check", "missing.pdf"], 2),
    (["check", "--no-such-flag", str(SAMPLE)], 2),
    (["--version"], 0),
])
def test_exit_codes_and_output_are_those_of_click(args: list[str], code: int | None, tmp_path: Path) -> None:
    proc = _command(args, tmp_path)
    expected = _command(args, tmp_path, entry="main")
    assert proc.returncode == expected.returncode
    if code is not None:
        assert proc.returncode == code
    assert proc.stderr == expected.stderr
    if args[:3] == ["check", "--format", "json"]:  # the report, timings aside
        assert proc.stdout.split('"seconds"')[0] == expected.stdout.split('"seconds"')[0]
    else:
        assert proc.stdout == expected.stdout


def test_caches_written_at_exit_are_written(tmp_path: Path) -> None:
    proc = _command(["check", str(SAMPLE)], tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    assert list(tmp_path.glob("patterns-*.marshal")) and list(tmp_path.glob("prefilter-*.marshal"))


def test_a_closed_output_ends_as_it_does_without_the_fast_ending(tmp_path: Path) -> None:
    endings = []
    for entry in ("run", "main"):
        read, write = os.pipe()
        os.close(read)  # nobody reads the report: writing it fails
        try:
            proc = _command(["check", str(SAMPLE)], tmp_path, stdout=write, entry=entry)
        finally:
            os.close(write)
        endings.append((proc.returncode, proc.stderr))
    assert endings[0] == endings[1]
    assert endings[0][0] == 1  # click's answer to a broken pipe
