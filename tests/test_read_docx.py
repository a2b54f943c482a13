"""DOCX reader on real Word files: body order, what python-docx's `.text` misses, hostile packages."""

from __future__ import annotations

import http.server
import threading
import time
import zipfile
from pathlib import Path

import pytest

from duediligence.errors import InputError
from duediligence.model import Format
from duediligence.read import ReadLimits, read_document

from .make_files import docx_file, rewrite_docx_part, rich_docx, zeros_docx, zip_with_declared_size


def _code(path: Path, **kw: object) -> str:
    with pytest.raises(InputError) as info:
        read_document(path, **kw)  # type: ignore[arg-type]
    assert path.name in info.value.message
    return info.value.code


def test_body_in_document_order_with_kinds_levels_and_numbers(tmp_path: Path) -> None:
    doc = read_document(rich_docx(tmp_path / "rich.docx"))
    assert doc.format is Format.DOCX and doc.pages is None and doc.title == "Werkkledij 2025"
    body = [(b.paragraph, b.kind.value, b.heading_level, b.text) for b in doc.blocks if b.part == "body"]
    assert body == [
        (1, "heading", 1, "Bestek 2025/012 – Werkkledij"),  # Title style
        (2, "heading", 1, "1. Voorwerp"),
        (3, "paragraph", None, "De opdracht betreft werkkledij."),
        (4, "heading", 2, "1.1 Uitvoeringsvoorwaarden"),
        (5, "list-item", None, "katoen met Fairtrade-label"),  # numbering from the List Bullet style
        (6, "paragraph", None, "De leverancier respecteert de mensenrechten."),  # w:ins in, w:del and w:moveFrom out
        (7, "paragraph", None, "Noord-Zuid kolom regel afbreken"),  # noBreakHyphen, tab, br, softHyphen
        (8, "paragraph", None, "Naam: ingevuld veld"),  # inline content control
        (9, "paragraph", None, "Anker tekstvak"),  # a text box once, not again from mc:Fallback
        (10, "table-row", None, "Post | Omschrijving"),
        (11, "table-row", None, "1 | Kasseien in graniet"),
        (12, "table-row", None, "binnen"),  # the nested table's row follows its outer row
        (13, "table-row", None, "Ja | Ja"),  # equal cells are both kept
        (14, "heading", 2, "Bijlage A"),  # w:outlineLvl 1 on the paragraph
        (15, "list-item", None, "genummerd punt"),
        (16, "paragraph", None, "numId 0 is geen lijst"),
        (17, "heading", 3, "Lokale kop"),  # Dutch style id Kop3
        (18, "heading", 2, "Eigen kopstijl"),  # custom style based on Heading 2
        (19, "paragraph", None, "Blok in inhoudsbesturing"),  # block-level content control
        (20, "table-row", None, "cel in veld | tweede cel"),  # cell-level content control
    ]


def test_headers_footers_come_last_once_and_comments_apart(tmp_path: Path) -> None:
    doc = read_document(rich_docx(tmp_path / "rich.docx"))
    tail = [(b.part, b.text) for b in doc.blocks if b.part != "body"]
    assert sorted(tail) == [("footer", "Opdrachtdocument"), ("header", "Eerste pagina"), ("header", "Stad Gent – bestek 2025/012")]
    assert all(b.part != "body" for b in doc.blocks[-3:])
    assert [b.paragraph for b in doc.blocks] == list(range(1, len(doc.blocks) + 1))
    assert doc.comments == ("duediligence: ignore fair-trade -- geen voeding",)
    assert not any("duediligence" in b.text for b in doc.blocks)


def test_repeated_header_text_across_sections_is_kept_once(tmp_path: Path) -> None:
    import docx
    from docx.enum.section import WD_SECTION

    path = tmp_path / "sections.docx"
    document = docx.Document()
    document.add_paragraph("Eerste sectie.")
    document.sections[0].header.paragraphs[0].text = "Bestek 2025/012"
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = "Bestek 2025/012"
    document.add_paragraph("Tweede sectie.")
    document.save(str(path))
    doc = read_document(path)
    assert [(b.part, b.text) for b in doc.blocks] == [
        ("body", "Eerste sectie."), ("body", "Tweede sectie."), ("header", "Bestek 2025/012")]


def test_document_without_core_properties_has_no_title(tmp_path: Path) -> None:
    path = docx_file(tmp_path / "t.docx", [("p", "Tekst.")])
    out = tmp_path / "bare.docx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "_rels/.rels":
                data = data.replace(b'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"',
                                    b'Type="http://example.invalid/none"')
            zout.writestr(item, data)
    assert read_document(out).title is None


def test_pdf_named_docx_is_read_as_pdf(tmp_path: Path) -> None:
    from .make_files import pdf

    path = tmp_path / "bestek.docx"
    path.write_bytes(pdf(tmp_path / "x.pdf", [["1. Voorwerp", "Levering van koffie."]]).read_bytes())
    doc = read_document(path)
    assert doc.format is Format.PDF and "Levering van koffie." in [b.text for b in doc.blocks]


def test_other_zip_packages_are_unsupported(tmp_path: Path) -> None:
    xlsx = tmp_path / "meetstaat.docx"
    with zipfile.ZipFile(xlsx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    plain = tmp_path / "archief.docx"
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("bestek.txt", "tekst")
    with pytest.raises(InputError) as info:
        read_document(xlsx)
    assert info.value.code == "unsupported-format" and "Excel" in info.value.message
    assert _code(plain) == "unsupported-format"


def test_word_package_without_its_main_part_is_corrupt(tmp_path: Path) -> None:
    path = docx_file(tmp_path / "t.docx", [("p", "Tekst.")])
    out = tmp_path / "headless.docx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            if item.filename != "word/document.xml":
                zout.writestr(item, zin.read(item.filename))
    assert _code(out) == "corrupt-docx"


@pytest.mark.parametrize("cut", [0.3, 0.7, 0.95])
def test_truncated_docx_is_corrupt(tmp_path: Path, cut: float) -> None:
    data = docx_file(tmp_path / "t.docx", [("p", "Tekst.")]).read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: int(len(data) * cut)])
    assert _code(path) == "corrupt-docx"


def test_malformed_document_xml_is_corrupt(tmp_path: Path) -> None:
    path = rewrite_docx_part(docx_file(tmp_path / "bad.docx", [("p", "ANCHOR")]), "word/document.xml", ("</w:body>", "<w:body>"))
    assert _code(path) == "corrupt-docx"


def test_empty_word_document_has_no_text(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "leeg.docx"
    docx.Document().save(str(path))
    assert _code(path) == "no-text"


def test_zip_bomb_is_refused_from_the_directory_with_default_limits(tmp_path: Path) -> None:
    base = docx_file(tmp_path / "base.docx", [("p", "x")])
    bomb = zip_with_declared_size(tmp_path / "bomb.docx", "word/media/zeros.bin", 600 * 2**20, base=base)
    started = time.perf_counter()
    with pytest.raises(InputError) as info:
        read_document(bomb)
    assert info.value.code == "too-large" and "before expansion" in info.value.message
    assert time.perf_counter() - started < 1.0


def test_zip_bomb_by_ratio_and_by_a_lower_limit(tmp_path: Path) -> None:
    path = zeros_docx(tmp_path / "bomb.docx", 64)
    with pytest.raises(InputError) as info:
        read_document(path)  # 64 MB that packs a thousandfold: under the size limit, over the ratio
    assert info.value.code == "too-large" and "zip bomb" in info.value.message
    assert _code(path, limits=ReadLimits(max_decompressed_bytes=32 * 2**20)) == "too-large"


def test_member_that_inflates_beyond_its_declared_size_is_corrupt(tmp_path: Path) -> None:
    path = docx_file(tmp_path / "liar.docx", [("p", "x")])
    xml = zipfile.ZipFile(path).read("word/document.xml")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        declared = z.getinfo("word/document.xml").file_size
    # The directory says document.xml is 100 bytes; zipfile stops there and the CRC fails.
    import struct

    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (found := data.find(signature, start)) >= 0:
            start = found + 4
            if data[found + name_at:found + name_at + 17] == b"word/document.xml":
                assert struct.unpack_from("<I", data, found + size_at)[0] == declared == len(xml)
                struct.pack_into("<I", data, found + size_at, 100)
    path.write_bytes(bytes(data))
    assert _code(path) == "corrupt-docx"


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"NETWERK")

    def log_message(self, *args: object) -> None:
        pass


def _with_doctype(tmp_path: Path, entities: str, use: str) -> Path:
    path = docx_file(tmp_path / "xxe.docx", [("p", "ANCHOR")])
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    xml = xml.replace("?>", f"?><!DOCTYPE w:document [{entities}]>", 1).replace("ANCHOR", f"ANCHOR {use} EINDE")
    out = tmp_path / "xxe-out.docx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, xml if item.filename == "word/document.xml" else zin.read(item.filename))
    return out


def test_external_entities_are_never_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM", encoding="utf-8")
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/dtd"
        path = _with_doctype(tmp_path, f'<!ENTITY file SYSTEM "file://{secret}"><!ENTITY net SYSTEM "{url}">'
                                       f'<!ENTITY % remote SYSTEM "{url}"> %remote;', "&file; &net;")
        try:
            texts = [b.text for b in read_document(path).blocks]
        except InputError as exc:
            assert exc.code == "corrupt-docx"
        else:
            assert not any("GEHEIM" in t or "NETWERK" in t for t in texts)
            assert any(t.startswith("ANCHOR") for t in texts)
    finally:
        server.shutdown()
    assert _Recorder.hits == []


def test_billion_laughs_is_not_expanded(tmp_path: Path) -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    path = _with_doctype(tmp_path, entities, "&a9;")
    started = time.perf_counter()
    try:
        doc = read_document(path)
    except InputError as exc:
        assert exc.code == "corrupt-docx"
    else:
        assert sum(len(b.text) for b in doc.blocks) < 1000
    assert time.perf_counter() - started < 2.0
