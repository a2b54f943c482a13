"""Readers on real files: locations, repairs, headings, and one error code per kind of bad input."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from duediligence.errors import InputError
from duediligence.model import BlockKind, Format
from duediligence.normalize import join_lines, normalize_text
from duediligence.read import ReadLimits, read_document

from .make_files import docx_file, encrypted_pdf, image_only_pdf, pdf, rewrite_docx_xml

PAGE = ["3. Uitvoeringsvoorwaarden", "De opdrachtnemer respecteert de mensen-", "rechten en legt dat op aan zijn onderaannemers.",
        "", "Bij een ernstige schending volgt verbreking."]


def _code(path: Path, **kw: object) -> str:
    with pytest.raises(InputError) as info:
        read_document(path, **kw)  # type: ignore[arg-type]
    assert str(path.name) in info.value.message or str(path) in info.value.message
    return info.value.code


def test_pdf_paragraphs_pages_headings_and_repairs(tmp_path: Path) -> None:
    doc = read_document(pdf(tmp_path / "b.pdf", [PAGE, PAGE, PAGE]))
    assert doc.format is Format.PDF and doc.pages == 3
    texts = [b.text for b in doc.blocks]
    assert "De opdrachtnemer respecteert de mensenrechten en legt dat op aan zijn onderaannemers." in texts
    assert not any("pagina" in t or "Stad Gent" in t for t in texts), "running header/footer kept"
    headings = [b for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert [h.page for h in headings] == [1, 2, 3]
    assert {b.page for b in doc.blocks} == {1, 2, 3}


def test_normalize_repairs_ligatures_soft_hyphens_and_spaces() -> None:
    assert normalize_text("certi\ufb01caat\u00a0con\u00adform  ’x’") == "certificaat conform 'x'"
    assert join_lines(["Noord-", "Zuid en mensen-", "rechten"]) == "Noord-Zuid en mensenrechten"


def test_owner_password_only_pdf_reads(tmp_path: Path) -> None:
    src = pdf(tmp_path / "s.pdf", [PAGE])
    doc = read_document(encrypted_pdf(src, tmp_path / "owner.pdf", user=""))
    assert any("mensenrechten" in b.text for b in doc.blocks)


def test_user_password_pdf_needs_the_password(tmp_path: Path) -> None:
    locked = encrypted_pdf(pdf(tmp_path / "s.pdf", [PAGE]), tmp_path / "locked.pdf", user="geheim")
    assert _code(locked) == "password-protected"
    assert read_document(locked, password="geheim").pages == 1


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.pdf", b"", "empty-file"),
        ("random.pdf", bytes(range(256)) * 40, "unsupported-format"),
        ("truncated.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "corrupt-pdf"),
        ("notzip.docx", b"PK\x03\x04 this is not a zip at all", "corrupt-docx"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "unsupported-format"),
    ],
)
def test_bad_bytes_get_their_own_code(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert _code(path) == code


def test_missing_file_directory_and_scan(tmp_path: Path) -> None:
    assert _code(tmp_path / "nope.pdf") == "not-found"
    folder = tmp_path / "map.pdf"
    folder.mkdir()
    assert _code(folder) == "is-directory"
    assert _code(image_only_pdf(tmp_path / "scan.pdf")) == "no-text"


def test_limits(tmp_path: Path) -> None:
    path = pdf(tmp_path / "long.pdf", [PAGE] * 5)
    assert _code(path, limits=ReadLimits(max_pages=3)) == "too-large"
    assert _code(path, limits=ReadLimits(max_file_bytes=100)) == "too-large"


def test_pdf_named_docx_is_read_as_pdf(tmp_path: Path) -> None:
    path = tmp_path / "wrong.docx"
    path.write_bytes(pdf(tmp_path / "x.pdf", [PAGE]).read_bytes())
    assert read_document(path).format is Format.PDF


def test_docx_order_tables_headers_comments_and_title(tmp_path: Path) -> None:
    path = docx_file(
        tmp_path / "t.docx",
        [("h1", "Bestek werkkledij"), ("h2", "5. Uitvoeringsvoorwaarden"), ("p", "De leverancier respecteert de IAO-kernverdragen."),
         ("table", "Post|Omschrijving;1|Kasseien in graniet"), ("p", "Slot.")],
        comment="duediligence: ignore fair-trade -- geen voeding",
    )
    doc = read_document(path)
    body = [b for b in doc.blocks if b.part == "body"]
    assert [b.text for b in body] == ["Bestek werkkledij", "5. Uitvoeringsvoorwaarden", "De leverancier respecteert de IAO-kernverdragen.",
                                      "Post | Omschrijving", "1 | Kasseien in graniet", "Slot."]
    assert [b.heading_level for b in body[:2]] == [1, 2]
    assert body[3].kind is BlockKind.TABLE_ROW and [b.paragraph for b in body] == [1, 2, 3, 4, 5, 6]
    assert {b.part for b in doc.blocks} == {"body", "header", "footer"}
    assert doc.comments == ("duediligence: ignore fair-trade -- geen voeding",)


def test_docx_tracked_insertions_and_content_controls_are_read(tmp_path: Path) -> None:
    path = docx_file(tmp_path / "t.docx", [("p", "ANCHOR")])
    ins = ('<w:r><w:t>ANCHOR</w:t></w:r>',
           '<w:r><w:t>ANCHOR</w:t></w:r><w:ins w:id="1" w:author="a"><w:r><w:t xml:space="preserve"> ingevoegd</w:t></w:r></w:ins>'
           '<w:del w:id="2" w:author="a"><w:r><w:delText> geschrapt</w:delText></w:r></w:del>'
           '<w:sdt><w:sdtContent><w:r><w:t xml:space="preserve"> in een veld</w:t></w:r></w:sdtContent></w:sdt>')
    rewrite_docx_xml(path, ins)
    rewrite_docx_xml(path, ("<w:sectPr", '<w:sdt><w:sdtContent><w:p><w:r><w:t>Blok in inhoudsbesturing</w:t></w:r></w:p></w:sdtContent></w:sdt><w:sectPr'))
    texts = [b.text for b in read_document(path).blocks]
    assert "ANCHOR ingevoegd in een veld" in texts
    assert "Blok in inhoudsbesturing" in texts
    assert not any("geschrapt" in t for t in texts)


def test_docx_zip_bomb_is_refused_before_expansion(tmp_path: Path) -> None:
    path = docx_file(tmp_path / "bomb.docx", [("p", "x")])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        with z.open("word/media/zeros.bin", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(64):
                fh.write(chunk)
    assert _code(path, limits=ReadLimits(max_decompressed_bytes=32 * 1024 * 1024)) == "too-large"


def test_docx_external_entities_are_never_resolved(tmp_path: Path) -> None:
    path = docx_file(tmp_path / "xxe.docx", [("p", "ANCHOR")])
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM", encoding="utf-8")
    data = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    data = data.replace("?>", "?>" + doctype, 1).replace("ANCHOR", "ANCHOR &xxe; &b;")
    rewrite_docx_xml(path, ("", ""))
    out = tmp_path / "xxe2.docx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, data if item.filename == "word/document.xml" else zin.read(item.filename))
    try:
        doc = read_document(out)
    except InputError as exc:
        assert exc.code == "corrupt-docx"
    else:
        assert not any("GEHEIM" in b.text for b in doc.blocks)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig", "utf-8"])
def test_text_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes("Voorwerp: levering van café en thé – 10 €\n".encode(encoding))
    doc = read_document(path)
    assert doc.blocks[0].text == "Voorwerp: levering van café en thé – 10 €"


def test_markdown_structure_and_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    path.write_text("# Bestek\n\n## 3. Straffen\n\nEerste\nregel.\n\n- punt een\n- punt twee\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.format is Format.MARKDOWN
    assert [(b.kind.value, b.text, b.line) for b in doc.blocks] == [
        ("heading", "Bestek", 1), ("heading", "3. Straffen", 3), ("paragraph", "Eerste regel.", 5),
        ("list-item", "punt een", 8), ("list-item", "punt twee", 9), ("table-row", "a | b", 11), ("table-row", "1 | 2", 13)]
