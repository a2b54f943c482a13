"""What the command writes, and where: the same bytes every run, the format the file name says,
a clean error before any work when the output cannot be written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _json_with_seed(seed: str, *args: str) -> dict:  # type: ignore[type-arg]
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run([sys.executable, "-P", "-m", "duediligence", "check", "--format", "json", *args],
                         capture_output=True, text=True, env=env, timeout=120).stdout
    data = json.loads(out)
    for doc in data["documents"]:
        doc.pop("seconds")
    return data  # type: ignore[no-any-return]


def test_json_is_the_same_under_two_hash_seeds() -> None:
    """Matches starting at one offset ("armes" and "armes à sous-munitions") were ordered by a
    set's iteration, which follows the hash seed: seed 2 gave another JSON than seed 1."""
    args = ("--criteria", "ethical-banking", str(SAMPLES / "fr_fonds-pension_45.md"))
    first, second = _json_with_seed("1", *args), _json_with_seed("2", *args)
    assert first == second
    starts = [m["start"] for e in first["documents"][0]["findings"][0]["evidence"] for m in e["matches"]]
    assert len(starts) != len(set(starts)), "the sample no longer has matches sharing a start"


def _run(*args: str):  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from duediligence.cli import main

    return CliRunner().invoke(main, list(args))


QUICK = str(SAMPLES / "nl_parking_03.txt")


def test_the_output_format_follows_the_file_name(tmp_path: Path) -> None:
    """`check -o rapport.html` wrote the text report into the .html file."""
    for name, start in (("rapport.html", "<!doctype html>"), ("r.json", "{"), ("r.sarif", "{"), ("r.md", "#")):
        result = _run("check", QUICK, "-o", str(tmp_path / name))
        assert result.exit_code in (0, 1), result.output
        assert (tmp_path / name).read_text(encoding="utf-8").lstrip().startswith(start), name
    assert '"$schema"' in (tmp_path / "r.sarif").read_text(encoding="utf-8")
    explicit = _run("check", QUICK, "--format", "json", "-o", str(tmp_path / "anders.html"))  # --format wins
    assert explicit.exit_code in (0, 1) and (tmp_path / "anders.html").read_text(encoding="utf-8").startswith("{")
    refused = _run("check", QUICK, "-o", str(tmp_path / "rapport.pdf"))
    assert refused.exit_code == 2 and ".pdf is not a report format" in refused.output
    assert not (tmp_path / "rapport.pdf").exists()


def test_output_into_a_missing_folder_is_refused_before_the_analysis(tmp_path: Path) -> None:
    """It ended in a traceback after the analysis had run."""
    for args in (["check", QUICK, "-o", str(tmp_path / "nieuw" / "r.html")],
                 ["check", QUICK, "--annotate", str(tmp_path / "nieuw" / "a.docx")],
                 ["audit", QUICK, "--db", str(tmp_path / "nieuw" / "a.db")],
                 ["audit", QUICK, "--db", str(tmp_path / "a.db"), "-o", str(tmp_path / "nieuw" / "a.html")]):
        result = _run(*args)
        assert result.exit_code == 2 and "does not exist" in result.output and "Traceback" not in result.output, args
    assert not (tmp_path / "a.db").exists()


def test_audit_refuses_an_output_name_it_cannot_write(tmp_path: Path) -> None:
    """`audit -o a.pdf` wrote nothing and said nothing."""
    result = _run("audit", QUICK, "--db", str(tmp_path / "a.db"), "-o", str(tmp_path / "a.pdf"))
    assert result.exit_code == 2 and ".csv, .jsonl or .html" in result.output
    assert not (tmp_path / "a.db").exists()


def test_dash_h_is_help_everywhere() -> None:
    for args in (["-h"], ["check", "-h"], ["audit", "-h"], ["library", "validate", "-h"]):
        result = _run(*args)
        assert result.exit_code == 0 and result.output.startswith("Usage: ") and "Options:" in result.output, args
