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
