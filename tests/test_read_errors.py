"""Every kind of bad input gets its own error code and one line naming the file; nothing escapes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from duediligence.errors import ERROR_CODES, InputError
from duediligence.model import Format
from duediligence.read import READERS, ReadLimits, read_document, sniff

from .make_files import docx_file, image_only_pdf, tender_pdf


def _error(path: Path, **kw: object) -> InputError:
    with pytest.raises(InputError) as info:
        read_document(path, **kw)  # type: ignore[arg-type]
    error = info.value
    assert error.code in ERROR_CODES
    assert path.name in error.message and "\n" not in error.message and "Traceback" not in error.message
    return error


def test_missing_path_broken_link_and_directory(tmp_path: Path) -> None:
    assert _error(tmp_path / "nope.pdf").code == "not-found"
    link = tmp_path / "link.pdf"
    link.symlink_to(tmp_path / "gone.pdf")
    error = _error(link)
    assert error.code == "not-found" and "broken link" in error.message
    folder = tmp_path / "map.pdf"
    folder.mkdir()
    assert _error(folder).code == "is-directory"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_is_unreadable_rather_than_a_hang(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    assert _error(pipe).code == "unreadable"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_permission_denied_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("tekst", encoding="utf-8")
    path.chmod(0)
    assert _error(path).code == "unreadable"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.pdf", b"", "empty-file"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "unsupported-format"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + bytes(100), "unsupported-format"),
        ("truncated.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "corrupt-pdf"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "corrupt-docx"),
        ("bom.txt", b"\xff\xfeA", "encoding"),  # a UTF-16 mark and an odd number of bytes
        ("blank.md", b"\n\n   \n", "no-text"),
    ],
)
def test_bad_bytes_get_their_own_code(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert _error(path).code == code


def test_limits_each_say_too_large(tmp_path: Path) -> None:
    path = tender_pdf(tmp_path / "long.pdf", 3)
    assert _error(path, limits=ReadLimits(max_file_bytes=1000)).code == "too-large"
    assert _error(path, limits=ReadLimits(max_pages=2)).code == "too-large"
    text = tmp_path / "long.txt"
    text.write_text("mensenrechten " * 1000, encoding="utf-8")
    error = _error(text, limits=ReadLimits(max_text_chars=5000))
    assert error.code == "too-large" and "characters" in error.message
    assert _error(docx_file(tmp_path / "d.docx", [("p", "x")]), limits=ReadLimits(max_decompressed_bytes=10_000)).code == "too-large"


def test_scan_without_ocr_is_no_text(tmp_path: Path) -> None:
    assert _error(image_only_pdf(tmp_path / "scan.pdf"), limits=ReadLimits(ocr="never")).code == "no-text"


def test_sniffing_ignores_the_extension(tmp_path: Path) -> None:
    pdf_bytes = tender_pdf(tmp_path / "a.pdf", 1).read_bytes()
    docx_bytes = docx_file(tmp_path / "a.docx", [("p", "Tekst.")]).read_bytes()
    assert sniff(pdf_bytes) is Format.PDF and sniff(b"\n\n  " + pdf_bytes[:2000]) is Format.PDF
    assert sniff(docx_bytes) is Format.DOCX
    assert sniff("Gewone tekst, geen opmaak.\n".encode()) is Format.TEXT
    for name, data in (("as.txt", pdf_bytes), ("as.pdf", docx_bytes), ("as.docx", b"# Bestek\n\n## Deel 1\n")):
        path = tmp_path / name
        path.write_bytes(data)
        assert read_document(path).format in (Format.PDF, Format.DOCX, Format.MARKDOWN)
        assert read_document(path).format.value != Path(name).suffix[1:]
    with pytest.raises(InputError) as info:
        sniff(b"")
    assert info.value.code == "empty-file"


def test_registry_covers_every_format() -> None:
    assert set(READERS) == set(Format)


def test_file_facts_and_unicode_names(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "bestek café (v2).txt"
    data = "Levering van koffie.\n".encode()
    path.write_bytes(data)
    doc = read_document(str(path))
    assert doc.sha256 == hashlib.sha256(data).hexdigest() and doc.size == len(data) and doc.pages is None
    assert doc.path == str(path)


def test_a_bug_of_ours_is_internal_never_a_damaged_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fuzzing run found 782 inputs where an error of our own code (an AttributeError in
    read/docx.py, round(inf) in read/pdf.py) was reported as corrupt-docx or corrupt-pdf."""
    import docx

    from duediligence.library import load_library
    from duediligence.matchers import Matchers
    from duediligence.pipeline import Options, check_document

    path = docx_file(tmp_path / "ok.docx", [("h1", "Bestek"), ("p", "Levering van koffie.")])
    real = docx.Document

    class WithoutStyles:  # what a library change could hand our reader: it then fails in our code
        def __init__(self, document: object) -> None:
            self.element = document.element  # type: ignore[attr-defined]
            self.styles = None

    monkeypatch.setattr(docx, "Document", lambda stream: WithoutStyles(real(stream)))
    with pytest.raises(AttributeError):
        read_document(path)
    library = load_library()
    result = check_document(str(path), library, Matchers(library), Options())
    assert result.error is not None and result.error.code == "internal"
    assert "AttributeError" in result.error.message and "please report it" in result.error.message


def test_a_run_placed_at_infinity_is_read() -> None:
    """Found by benchmarks/fuzz_readers.py: a damaged text matrix put a run at infinity, and
    sorting the runs by their rounded top raised OverflowError."""
    doc = read_document(Path(__file__).parent / "data" / "fuzz-crashes" / "bug-round-inf-coordinates.pdf")
    assert doc.blocks


@pytest.mark.parametrize("old, new", [
    (("<w:body>", "</w:body>"), ("<w:bodi>", "</w:bodi>")),  # no body: python-docx gives None
    (("<w:document ", "</w:document>"), ("<w:tbl ", "</w:tbl>")),  # the main part's root is another element
])
def test_a_word_package_without_a_document_body_is_corrupt_not_a_bug(tmp_path: Path, old: tuple[str, str],
                                                                      new: tuple[str, str]) -> None:
    """Found by benchmarks/fuzz_readers.py's XML tree mutations: both ended in an error of our own
    code (TypeError, AttributeError), which must never happen on a file."""
    from .make_files import rewrite_docx_xml

    path = docx_file(tmp_path / "odd.docx", [("p", "Levering van koffie.")])
    for a, b in zip(old, new):
        rewrite_docx_xml(path, (a, b))
    assert _error(path).code == "corrupt-docx"


def test_a_file_that_is_not_what_its_name_says_is_read_and_said(tmp_path: Path) -> None:
    """A .docx that is plain text inside was read as text without a word."""
    from duediligence.library import load_library
    from duediligence.matchers import Matchers
    from duediligence.pipeline import Options, check_document

    plain = tmp_path / "bestek.docx"
    plain.write_text("Bestek\n\nLevering van koffie.\n", encoding="utf-8")
    library = load_library()
    result = check_document(str(plain), library, Matchers(library), Options())
    assert result.error is None and result.format == "text"
    assert [(n.code, n.message) for n in result.notices] == [
        ("misnamed", "bestek.docx: named .docx, but it is plain text inside; read as plain text")]
    from duediligence.messages import notice_text

    assert notice_text(result.notices[0], "nl") == "bestek.docx: heet .docx, maar is inhoudelijk platte tekst; gelezen als platte tekst"
    assert notice_text(result.notices[0], "fr") == "bestek.docx : nommé .docx, mais c'est du texte brut ; lu comme du texte brut"
