"""Builders of real input files for the tests: PDFs with reportlab, DOCX with python-docx."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


def pdf(path: Path, pages: list[list[str]], header: str = "Bestek 2025/014 – Stad Gent", bold_first: bool = True) -> Path:
    """A PDF with a running header and footer on every page; each page a list of lines."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    for number, lines in enumerate(pages, 1):
        c.setFont("Helvetica", 8)
        c.drawString(50, height - 30, header)
        c.drawString(width - 120, 25, f"pagina {number} van {len(pages)}")
        y = height - 80
        for i, line in enumerate(lines):
            if line == "":
                y -= 12
                continue
            big = bold_first and i == 0
            c.setFont("Helvetica-Bold" if big else "Helvetica", 14 if big else 10)
            c.drawString(50, y, line)
            y -= 24 if big else 13
        c.showPage()
    c.save()
    return path


def encrypted_pdf(source: Path, target: Path, user: str = "", owner: str = "owner") -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(str(source)).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user, owner_password=owner)
    with open(target, "wb") as fh:
        writer.write(fh)
    return target


def image_only_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.rect(100, 100, 300, 400, fill=1)
    c.showPage()
    c.save()
    return path


def docx_file(path: Path, paragraphs: list[tuple[str, str]], comment: str | None = None) -> Path:
    """A DOCX from (style, text) pairs; style 'h1'..'h3', 'p' or 'table:a|b;c|d'."""
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Stad Gent – bestek"
    document.sections[0].footer.paragraphs[0].text = "Opdrachtdocument"
    last = None
    for style, text in paragraphs:
        if style.startswith("h"):
            last = document.add_heading(text, level=int(style[1:]))
        elif style == "table":
            rows = [r.split("|") for r in text.split(";")]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for col, cell in enumerate(row):
                    table.cell(r, col).text = cell
        else:
            last = document.add_paragraph(text)
    if comment and last is not None:
        document.add_comment(last.runs, text=comment, author="tester")
    document.save(str(path))
    return path


def rewrite_docx_xml(path: Path, replace: tuple[str, str]) -> Path:
    """Edit word/document.xml in place (to add w:ins / w:sdt markup python-docx cannot write)."""
    data = io.BytesIO(path.read_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(data) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename == "word/document.xml":
                content = content.decode("utf-8").replace(*replace).encode("utf-8")
            zout.writestr(item, content)
    path.write_bytes(out.getvalue())
    return path


# --- richer builders for the reader tests (tests/test_read_*.py) and benchmarks/bench_read.py ---

BODY = (
    "De opdrachtnemer voert de opdracht uit volgens de regels van goed vakmanschap en legt dezelfde "
    "verplichtingen op aan zijn onderaannemers en leveranciers in de hele keten."
)


def tender_pdf(path: Path, pages: int = 3) -> Path:
    """A tender-like PDF: running header and footer with page numbers, a bold numbered heading,
    a body-size numbered heading glued to its text, an ALL CAPS heading, words hyphenated across
    line ends, a short line that ends a paragraph, and a table row with wide gaps."""
    import textwrap

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    for n in range(1, pages + 1):
        c.setFont("Helvetica", 8)
        c.drawString(50, height - 30, f"Bestek 2025/012 – pagina {n} van {pages}")
        c.drawString(50, 25, "Stad Gent – Dienst Aankoop")
        c.drawString(width - 80, 25, str(n))
        y = height - 80

        def line(text: str, font: str = "Helvetica", size: float = 10, x: float = 50, after: float = 13) -> None:
            nonlocal y
            c.setFont(font, size)
            c.drawString(x, y, text)
            y -= after

        chapter = (n - 1) % 30 + 1  # realistic chapter numbers, also in a 100-page benchmark
        line(f"{chapter}. Uitvoeringsvoorwaarden", "Helvetica-Bold", 13, after=22)
        line("De opdrachtnemer respecteert bij de uitvoering de mensen-")
        line("rechten en de fundamentele arbeidsnormen van de IAO langs de as Noord-")
        line("Zuid van de stad.", after=24)
        line(f"{chapter}.1 Sociale voorwaarden")
        line("De leverancier bezorgt een verklaring op erewoord bij de eerste levering en")
        line("houdt de bewijsstukken ter beschikking.")
        line("Die verklaring volgt het model in bijlage 3 en wordt jaarlijks vernieuwd voor de")
        line("volledige looptijd van de opdracht.", after=24)
        line("ALGEMENE BEPALINGEN", after=24)
        for chunk in textwrap.wrap(BODY, 92):
            line(chunk)
        y -= 11
        c.setFont("Helvetica", 10)
        for x, cell in ((50, "Post 1"), (160, "Kasseien in graniet"), (420, "m2"), (490, "1250")):
            c.drawString(x, y, cell)
        c.showPage()
    c.save()
    return path


def rewrite_docx_part(path: Path, member: str, replace: tuple[str, str]) -> Path:
    """Replace text in one XML part of a DOCX (markup python-docx cannot write)."""
    data = io.BytesIO(path.read_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(data) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename == member:
                text = content.decode("utf-8")
                assert replace[0] in text, f"{replace[0]!r} not in {member}"
                content = text.replace(*replace).encode("utf-8")
            zout.writestr(item, content)
    path.write_bytes(out.getvalue())
    return path


def zip_with_declared_size(path: Path, member: str, declared: int, base: Path | None = None) -> Path:
    """A zip (a copy of `base`, if given) plus one member whose directory entry claims `declared`
    uncompressed bytes while holding almost nothing: a bomb as the zip directory shows it."""
    import struct

    buffer = io.BytesIO(base.read_bytes() if base else b"")
    with zipfile.ZipFile(buffer, "a" if base else "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member, b"\0" * 1024)
    data = bytearray(buffer.getvalue())
    name = member.encode()
    # (signature, offset of the uncompressed size, of the name length, of the name): local header, directory
    for signature, size_at, length_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        start = 0
        while (found := data.find(signature, start)) >= 0:
            start = found + 4
            length = struct.unpack_from("<H", data, found + length_at)[0]
            if data[found + name_at:found + name_at + length] == name:
                struct.pack_into("<I", data, found + size_at, min(declared, 0xFFFFFFFE))
    path.write_bytes(bytes(data))
    return path


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
RICH_DOCX_EDITS: list[tuple[str, str, str]] = [
    # (part, anchor, replacement): the markup Word writes but python-docx cannot
    ("word/document.xml", "<w:r><w:t>ANCHOR_INS</w:t></w:r>",
     '<w:r><w:t xml:space="preserve">De leverancier respecteert</w:t></w:r>'
     '<w:ins w:id="1" w:author="a"><w:r><w:t xml:space="preserve"> de mensenrechten</w:t></w:r></w:ins>'
     '<w:del w:id="2" w:author="a"><w:r><w:delText xml:space="preserve"> geschrapt</w:delText></w:r></w:del>'
     '<w:moveFrom w:id="3" w:author="a"><w:r><w:t xml:space="preserve"> verplaatst</w:t></w:r></w:moveFrom>'
     '<w:r><w:t>.</w:t></w:r>'),
    ("word/document.xml", "<w:r><w:t>ANCHOR_SPECIAL</w:t></w:r>",
     '<w:r><w:t>Noord</w:t><w:noBreakHyphen/><w:t>Zuid</w:t><w:tab/><w:t>kolom</w:t><w:br/><w:t xml:space="preserve">regel </w:t>'
     "<w:t>af</w:t><w:softHyphen/><w:t>breken</w:t></w:r>"),
    ("word/document.xml", "<w:r><w:t>ANCHOR_SDT</w:t></w:r>",
     '<w:r><w:t xml:space="preserve">Naam: </w:t></w:r><w:sdt><w:sdtPr><w:alias w:val="naam"/></w:sdtPr>'
     "<w:sdtContent><w:r><w:t>ingevuld veld</w:t></w:r></w:sdtContent></w:sdt>"),
    ("word/document.xml", "<w:r><w:t>ANCHOR_BOX</w:t></w:r>",
     '<w:r><w:t xml:space="preserve">Anker </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
     "<w:txbxContent><w:p><w:r><w:t>tekstvak</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
     "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>tekstvak</w:t></w:r></w:p></w:txbxContent></w:pict>"
     "</mc:Fallback></mc:AlternateContent></w:r>"),
    ("word/document.xml", "<w:r><w:t>ANCHOR_OUTLINE</w:t></w:r>", "<w:r><w:t>Bijlage A</w:t></w:r>"),
    ("word/document.xml", "<w:p><w:r><w:t>Bijlage A</w:t></w:r></w:p>",
     '<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>Bijlage A</w:t></w:r></w:p>'),
    ("word/document.xml", "<w:p><w:r><w:t>ANCHOR_NUM</w:t></w:r></w:p>",
     '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>genummerd punt</w:t></w:r></w:p>'
     '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>numId 0 is geen lijst</w:t></w:r></w:p>'),
    ("word/document.xml", "<w:r><w:t>ANCHOR_KOP</w:t></w:r>", "<w:r><w:t>Lokale kop</w:t></w:r>"),
    ("word/document.xml", "<w:p><w:r><w:t>Lokale kop</w:t></w:r></w:p>",
     '<w:p><w:pPr><w:pStyle w:val="Kop3"/></w:pPr><w:r><w:t>Lokale kop</w:t></w:r></w:p>'),
    ("word/document.xml", "<w:p><w:r><w:t>ANCHOR_CUSTOM</w:t></w:r></w:p>",
     '<w:p><w:pPr><w:pStyle w:val="Bestekkop"/></w:pPr><w:r><w:t>Eigen kopstijl</w:t></w:r></w:p>'),
    ("word/document.xml", "<w:sectPr",
     "<w:sdt><w:sdtContent><w:p><w:r><w:t>Blok in inhoudsbesturing</w:t></w:r></w:p>"
     "<w:tbl><w:tr><w:sdt><w:sdtContent><w:tc><w:p><w:r><w:t>cel in veld</w:t></w:r></w:p></w:tc></w:sdtContent></w:sdt>"
     "<w:tc><w:p><w:r><w:t>tweede cel</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:sdtContent></w:sdt><w:sectPr"),
    ("word/styles.xml", "</w:styles>",
     '<w:style w:type="paragraph" w:styleId="Kop3"><w:name w:val="Kop 3"/><w:basedOn w:val="Normal"/></w:style>'
     '<w:style w:type="paragraph" w:customStyle="1" w:styleId="Bestekkop"><w:name w:val="Bestekkop"/>'
     '<w:basedOn w:val="Heading2"/></w:style></w:styles>'),
]


def rich_docx(path: Path) -> Path:
    """A DOCX with what tender templates use: title, heading styles (English, Dutch, custom
    based on a heading, outline level), bullet and numbered lists, a table with a nested table
    and repeated cell values, tracked insertions and deletions, content controls (inline, block,
    cell), a text box, tabs and special hyphens, headers and footers, a comment, a core title."""
    import docx

    document = docx.Document()
    document.core_properties.title = "Werkkledij 2025"
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = "Stad Gent – bestek 2025/012"
    section.footer.paragraphs[0].text = "Opdrachtdocument"
    section.first_page_header.paragraphs[0].text = "Eerste pagina"
    document.add_heading("Bestek 2025/012 – Werkkledij", level=0)
    document.add_heading("1. Voorwerp", level=1)
    commented = document.add_paragraph("De opdracht betreft werkkledij.")
    document.add_comment(commented.runs, text="duediligence: ignore fair-trade -- geen voeding", author="tester")
    document.add_heading("1.1 Uitvoeringsvoorwaarden", level=2)
    document.add_paragraph("katoen met Fairtrade-label", style="List Bullet")
    for anchor in ("ANCHOR_INS", "ANCHOR_SPECIAL", "ANCHOR_SDT", "ANCHOR_BOX"):
        document.add_paragraph(anchor)
    table = document.add_table(rows=3, cols=2)
    for r, row in enumerate([("Post", "Omschrijving"), ("1", "Kasseien in graniet"), ("Ja", "Ja")]):
        for col, text in enumerate(row):
            table.cell(r, col).text = text
    table.cell(1, 1).add_table(rows=1, cols=2).rows[0].cells[0].text = "binnen"
    for anchor in ("ANCHOR_OUTLINE", "ANCHOR_NUM", "ANCHOR_KOP", "ANCHOR_CUSTOM"):
        document.add_paragraph(anchor)
    document.save(str(path))
    for part, anchor, replacement in RICH_DOCX_EDITS:
        rewrite_docx_part(path, part, (anchor, replacement))
    return path


UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def ligature_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page PDF set in DejaVu Sans, which (unlike Helvetica) can draw ligature glyphs."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSans", str(UNICODE_FONT)))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = A4[1] - 100
    for line in lines:
        c.setFont("DejaVuSans", 10)
        c.drawString(50, y, line)
        y -= 13
    c.showPage()
    c.save()
    return path


def mixed_scan_pdf(path: Path) -> Path:
    """Page 1 has text; page 2 only an image (a scanned page inside a digital document)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from PIL import Image

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    c.drawString(50, 700, "De opdrachtnemer levert koffie met een Fairtrade-label.")
    c.showPage()
    c.drawImage(ImageReader(Image.new("L", (200, 280), 200)), 50, 100, width=400, height=560)
    c.showPage()
    c.save()
    return path


def zeros_docx(path: Path, megabytes: int) -> Path:
    """A small DOCX plus a member of `megabytes` MB of zeros, streamed: a real, if mild, zip bomb."""
    docx_file(path, [("p", "x")])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        with z.open("word/media/zeros.bin", "w", force_zip64=True) as fh:
            chunk = bytes(1 << 20)
            for _ in range(megabytes):
                fh.write(chunk)
    return path


def runs_pdf(path: Path, lines: list[list[tuple[float, str, bool]]]) -> Path:
    """One page of 10 pt lines, each a list of runs (x, text, bold); x < 0 continues the line
    right after the previous run, as a word processor writes a bold word or part of one. The
    fonts are embedded (reportlab's Bitstream Vera), as a word processor's PDF export does."""
    import os

    import reportlab
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    fonts = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont("Vera", os.path.join(fonts, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("VeraBd", os.path.join(fonts, "VeraBd.ttf")))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = A4[1] - 100
    for runs in lines:
        x_end = 50.0
        for x, text, bold in runs:
            font = "VeraBd" if bold else "Vera"
            start = x_end if x < 0 else x
            c.setFont(font, 10)
            c.drawString(start, y, text)
            x_end = start + stringWidth(text, font, 10)
        y -= 13 if runs else 12  # an empty list is a blank line
    c.showPage()
    c.save()
    return path


def _raw_pdf(path: Path, pages: list[bytes], media_box: str = "0 0 595 842", compress: bool = False) -> Path:
    """A PDF written object by object: one page per content stream, Helvetica as /F1. Builds in
    milliseconds what reportlab takes minutes for (100,000 pages, a million text runs)."""
    import zlib

    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    shared: dict[bytes, int] = {}  # identical pages share one content stream
    for content in pages:
        if content not in shared:
            body = zlib.compress(content, 6) if compress else content
            flate = b" /Filter /FlateDecode" if compress else b""
            objects.append(b"<< /Length %d%s >>\nstream\n" % (len(body), flate) + body + b"\nendstream")
            shared[content] = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [%s] /Resources << /Font << /F1 3 0 R >> >> "
                       b"/Contents %d 0 R >>" % (media_box.encode(), shared[content]))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Count %d /Kids [" % len(kids) + b" ".join(b"%d 0 R" % k for k in kids) + b"] >>"
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def one_baseline_pdf(path: Path, runs: int) -> Path:
    """One page holding `runs` copies of one sentence on one baseline, compressed: the shape of
    the fuzzing run's 306 KB PDF with a million runs (pdf_oxide's span merging is quadratic)."""
    run = b"BT /F1 11 Tf 72 700 Td (De opdrachtnemer respecteert de mensenrechten in de keten.) Tj ET\n"
    return _raw_pdf(path, [run * runs], compress=True)


def many_pages_pdf(path: Path, pages: int, lines: list[str] | None = None) -> Path:
    """`pages` A4 pages of 10 pt text; with `lines`, each page sets the next 55 of them
    (cycling), else every page holds one line (and shares its content stream)."""
    def page(first: int) -> bytes:
        if lines is None:
            return b"BT /F1 10 Tf 50 800 Td (Bestek - levering van papier) Tj ET"
        chosen = [lines[(first + i) % len(lines)] for i in range(55)]
        shown = b"".join(b"(%s) Tj T*\n" % s.encode("cp1252", "replace").translate(None, b"()\\") for s in chosen)
        return b"BT /F1 10 Tf 13 TL 50 790 Td\n" + shown + b"ET"
    return _raw_pdf(path, [page(55 * p) for p in range(pages)])


def padded_docx(path: Path, xml_megabytes: int, padding_megabytes: int) -> Path:
    """A DOCX whose document.xml inflates to `xml_megabytes` (repeated paragraphs, streamed),
    with `padding_megabytes` of stored random bytes that keep the compression ratio low."""
    import os

    docx_file(path, [("p", "x")])
    source = zipfile.ZipFile(path)
    target = path.with_suffix(".tmp")
    paragraph = b"<w:p><w:r><w:t>De opdrachtnemer levert fairtrade koffie.</w:t></w:r></w:p>" * 1000
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != "word/document.xml":
                z.writestr(item, data)
                continue
            head, tail = data.split(b"<w:body>", 1)
            with z.open("word/document.xml", "w", force_zip64=True) as fh:
                fh.write(head + b"<w:body>")
                for _ in range(xml_megabytes * 2**20 // len(paragraph)):
                    fh.write(paragraph)
                fh.write(tail)
        z.writestr(zipfile.ZipInfo("word/media/pad.bin"), os.urandom(padding_megabytes * 2**20), zipfile.ZIP_STORED)
    source.close()
    target.replace(path)
    return path
