"""The fuzzing run's reproducers (tests/data/fuzz-crashes, issue 17): each file gets a report or
its own error code within the default limits, without a traceback, and the other documents of
the run are still checked. The large ones are generated here, in a temporary folder."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from duediligence.cli import main

from .make_files import many_pages_pdf, one_baseline_pdf, padded_docx

CRASHES = Path(__file__).resolve().parent / "data" / "fuzz-crashes"
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
QUICK = SAMPLES / "nl_parking_03.txt"  # a real tender checked beside each hostile file


def _check(*args: str) -> tuple[int, dict[str, dict], str, float]:  # type: ignore[type-arg]
    started = time.monotonic()
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    seconds = time.monotonic() - started
    assert "Traceback" not in result.stderr, result.stderr
    documents = {Path(d["path"]).name: d for d in json.loads(result.stdout)["documents"]}
    return result.exit_code, documents, result.stderr, seconds


def _code(doc: dict) -> str | None:  # type: ignore[type-arg]
    return (doc.get("error") or {}).get("code")


def test_small_reproducers_each_get_a_result_or_their_code() -> None:
    files = sorted(p for p in CRASHES.iterdir() if p.suffix in (".pdf", ".md"))
    code, docs, err, seconds = _check(*map(str, files), str(QUICK))
    expected = {
        "memory-ocr-render-mediabox-14400-10GB.pdf": "no-text",  # a blank scan, rendered at 12 Mpx, not 10 GB
    }
    assert {name: _code(doc) for name, doc in docs.items()} == {p.name: expected.get(p.name) for p in [*files, QUICK]}
    # pdf_oxide segfaults on these (deep nesting; two mutated samples of the fuzzing run): its
    # reading child dies, not check, and pdfium reads the file again in a child of its own
    crashed = [doc for name, doc in docs.items() if name.startswith("segv-")]
    assert len(crashed) == 4 and all(doc["pages"] for doc in crashed)
    assert all([n["code"] for n in doc["notices"]] == ["pdf-reader-crashed"] and "(signal SIGSEGV); pdfium read it instead"
               in doc["notices"][0]["message"] for doc in crashed)
    assert [doc["findings"] for doc in crashed if "mutated" in doc["path"]][0]  # a tender's text, found again
    for name in ("main-hang-a3dc7ae270-0.md", "redos-atx-text.py-line67-3000sp.md"):  # minutes before
        assert docs[name]["seconds"] < 5
    panicked = [doc for name, doc in docs.items() if name.startswith("oxide-panic-")]
    assert len(panicked) == 5 and all(doc["pages"] and doc["findings"] for doc in panicked)  # pdfium read them
    assert code == 2 and docs[QUICK.name]["findings"] and seconds < 60


def test_a_million_runs_on_one_baseline_costs_that_pdf_only(tmp_path: Path) -> None:
    """pdf_oxide ran for more than 300 s, past `--timeout 5`, growing past a gigabyte: its
    reading child is killed at the default memory ceiling (or the time limit) and the parent,
    which checks the next document, stays as small as it was."""
    from duediligence.limits import resident_bytes

    hostile = one_baseline_pdf(tmp_path / "runs.pdf", 1_000_000)
    before = resident_bytes() or 0
    code, docs, err, seconds = _check("--timeout", "5", str(hostile), str(QUICK))
    assert _code(docs["runs.pdf"]) in ("timeout", "too-large") and seconds < 20
    assert _code(docs[QUICK.name]) is None and docs[QUICK.name]["findings"]
    assert (resident_bytes() or 0) - before < 200 * 2**20


def test_five_million_text_objects_stop_at_the_memory_ceiling(tmp_path: Path) -> None:
    """5.7 GB and 80 s before; `--max-memory-mb` sets the ceiling (default 1,024)."""
    hostile = one_baseline_pdf(tmp_path / "objects.pdf", 5_000_000)
    code, docs, err, seconds = _check("--max-memory-mb", "256", str(hostile))
    assert _code(docs["objects.pdf"]) == "too-large" and "256 MB" in err and seconds < 10


def test_a_reader_that_aborts_at_the_address_space_cap_is_too_large_even_between_samples(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfium's allocator aborts (SIGABRT, no message) when it reaches the child's address-space
    cap; under load the parent's 50 ms memory samples can all fall before the growth, which
    once made this file `corrupt-pdf`. With no sample at all, the kernel's peak still says it."""
    import duediligence.read.isolated as isolated

    monkeypatch.setattr(isolated, "_POLL_SECONDS", 60.0)  # the child ends before the first sample
    hostile = one_baseline_pdf(tmp_path / "objects.pdf", 5_000_000)
    code, docs, err, seconds = _check("--max-memory-mb", "256", str(hostile))
    assert _code(docs["objects.pdf"]) == "too-large" and "256 MB" in err and seconds < 30


def test_a_docx_padded_under_the_ratio_check_is_refused_before_expansion(tmp_path: Path) -> None:
    """document.xml inflating to 120 MB, 1 MB of stored random bytes: ratio 80, total under the
    500 MB limit; python-docx took 5.3 GB on the fuzzing run's 420 MB one."""
    hostile = padded_docx(tmp_path / "padded.docx", xml_megabytes=120, padding_megabytes=1)
    code, docs, err, seconds = _check(str(hostile))
    assert _code(docs["padded.docx"]) == "too-large" and "before expansion" in err and seconds < 10


def test_pdfs_of_many_pages(tmp_path: Path) -> None:
    """A 100,000-page PDF is refused at once by its page count; a real 2,000-page one is within
    the page limit, and `--timeout` interrupts it where it has to. Its analysis takes 2.4 s on the
    development machine (over 3 s before the one-pass term scan), so the limit here is 1 s: the real
    tender beside it takes under 0.1 s."""
    huge = many_pages_pdf(tmp_path / "pages-100000.pdf", 100_000)
    lines = [ln[:95] for ln in QUICK.read_text(encoding="utf-8").splitlines() if ln.strip()]
    long = many_pages_pdf(tmp_path / "pages-2000.pdf", 2_000, lines)
    code, docs, err, seconds = _check("--timeout", "1", str(huge), str(long), str(QUICK))
    assert _code(docs["pages-100000.pdf"]) == "too-large" and "100000 pages" in err
    assert _code(docs["pages-2000.pdf"]) == "timeout" and docs["pages-2000.pdf"]["seconds"] < 3
    assert _code(docs[QUICK.name]) is None and seconds < 30


def test_big_text_files_are_refused_before_they_are_read(tmp_path: Path) -> None:
    text_190mb = tmp_path / "text-190mb.txt"
    with open(text_190mb, "wb") as fh:  # sparse: its size is all that may be looked at
        fh.write(b"Bestek\n\n")
        fh.truncate(190 * 2**20)
    text_1gb = tmp_path / "text-1gb.txt"
    with open(text_1gb, "wb") as fh:
        fh.truncate(2**30)
    paragraphs = tmp_path / "paragraphs-20m.txt"
    paragraphs.write_bytes(b"a\n\n" * 20_000_000)
    code, docs, err, seconds = _check(str(text_190mb), str(text_1gb), str(paragraphs), str(QUICK))
    assert {name: _code(doc) for name, doc in docs.items()} == {
        "text-190mb.txt": "too-large", "text-1gb.txt": "too-large", "paragraphs-20m.txt": "too-large", QUICK.name: None}
    assert "for a text file" in docs["text-190mb.txt"]["error"]["message"]
    assert "characters" in docs["paragraphs-20m.txt"]["error"]["message"] and seconds < 20


def test_long_lines_and_paragraphs_take_linear_time(tmp_path: Path) -> None:
    """A 5 MB line without spaces, a 1,000,001-character paragraph (over spaCy's limit, error
    E088 before), and 30,000 spaces before a '#'; each is analysed, not refused."""
    line = tmp_path / "line-5mb.txt"
    line.write_text("Bestek\n\n" + "x" * 5_000_000 + "\n", encoding="utf-8")
    sentence = "De opdrachtnemer respecteert de mensenrechten in de hele keten en levert fairtrade koffie. "
    e088 = tmp_path / "paragraph-e088.txt"
    e088.write_text("Bestek\n\n" + (sentence * (1_000_001 // len(sentence) + 1))[:1_000_001] + "\n", encoding="utf-8")
    atx = tmp_path / "spaces.md"
    atx.write_text("# Bestek\n\n# a" + " " * 30_000 + "b\n\n## Voorwerp\n\nLevering van koffie.\n", encoding="utf-8")
    code, docs, err, seconds = _check("--criteria", "fair-trade", str(line), str(e088), str(atx))
    assert {name: _code(doc) for name, doc in docs.items()} == {"line-5mb.txt": None, "paragraph-e088.txt": None,
                                                                "spaces.md": None}
    assert docs["paragraph-e088.txt"]["findings"][0]["presence"] != "absent"
    assert seconds < 40


def test_an_e_mail_like_token_of_100_000_characters(tmp_path: Path) -> None:
    """The `addresses` pattern of _common.yml took 29 s on it; every start position rescanned the token."""
    token = tmp_path / "token.txt"
    token.write_text("Bestek\n\n" + "x" * 100_000 + "\n", encoding="utf-8")
    code, docs, err, seconds = _check(str(token))
    assert _code(docs["token.txt"]) is None and docs["token.txt"]["seconds"] < 5


@pytest.mark.parametrize("name, key", [
    ("toml-RecursionError-nested-arrays.duediligence.toml", "line 1 (ignore)"),
    ("toml-ValueError-embedded-null-library.duediligence.toml", "library"),
    ("toml-crash-RecursionError-1-.duediligence.toml", 'line 2 ("quoted key")'),
    ("toml-crash-RecursionError-1-pyproject.toml", 'line 4 ("quoted key")'),
    ("toml-crash-ValueError-2-pyproject.toml", "[tool.duediligence].library"),
])
def test_broken_configuration_files_are_one_line_errors(tmp_path: Path, name: str, key: str) -> None:
    target = tmp_path / ("pyproject.toml" if name.endswith("pyproject.toml") else ".duediligence.toml")
    target.write_bytes((CRASHES / name).read_bytes())
    tender = tmp_path / "bestek.txt"
    tender.write_text("Bestek\n\nLevering van papier.\n", encoding="utf-8")
    for command in (["check", str(tender)], ["config", str(tender)]):
        result = CliRunner().invoke(main, command)
        lines = result.stderr.strip().splitlines()
        assert result.exit_code == 2 and len(lines) == 1, result.stderr
        assert lines[0].startswith(f"duediligence: {target}: ") and key in lines[0]


@pytest.mark.parametrize("name, key", [
    ("yaml-RecursionError-re-deep-groups.yml", "vocabulary.zzdeep.any[0]"),
    ("yaml-ValueError-int-max-str-digits.yml", "schema"),
    ("yaml-crash-RecursionError-1.yml", "vocabulary.vehicles.en[2]"),
    ("yaml-crash-TypeError-2.yml", "applicability.groups"),
    ("yaml-crash-TypeError-3.yml", "key 3 is not a name"),
])
def test_broken_clause_library_files_are_one_line_errors(tmp_path: Path, name: str, key: str) -> None:
    folder = tmp_path / "criteria"
    folder.mkdir()
    target = folder / "own.yml"
    target.write_bytes((CRASHES / name).read_bytes())
    tender = tmp_path / "bestek.txt"
    tender.write_text("Bestek\n\nLevering van papier.\n", encoding="utf-8")
    for command in (["check", "--library", str(folder), str(tender)], ["library", "validate", str(target)]):
        result = CliRunner().invoke(main, command)
        lines = result.stderr.strip().splitlines()
        assert result.exit_code == 2 and len(lines) == 1 and len(lines[0]) < 300, result.stderr
        assert str(target) in lines[0] and key in lines[0]
