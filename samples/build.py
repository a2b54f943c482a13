"""Builds the sample tenders in samples/ from their Markdown sources in samples/src/.

    python samples/build.py            # every sample
    python samples/build.py dorpsplein # only targets whose name contains the word

Each source starts with front matter between `---` lines (`target: NAME.EXT`, `title:`,
`authority:`, `ref:` and optionally `doc:`, the word before the reference in running headers)
and a light Markdown body: `#` headings, paragraphs, `- ` bullet lines and `|` tables.
A line `{{block}}` or `{{block 4}}` includes `src/_blocks/block.md`, the way buyers paste the
same administrative chapters into every tender; `@` in the block's headings becomes the given
chapter number. A soft hyphen (U+00AD) in the source marks a preferred break for PDF wrapping and
is dropped everywhere else. Output is deterministic (fixed dates, fixed zip timestamps,
reportlab's invariant mode):

- `.md`  the expanded source without front matter;
- `.txt` flattened the way a plain-text export looks: numbered heading lines without `#`,
  paragraphs wrapped at a fixed width, tables as space-aligned rows;
- `.docx` (python-docx) real Heading 1–4 styles, List Bullet paragraphs, Word tables, a header
  with the authority, a footer with PAGE/NUMPAGES fields, core title/author/subject;
- `.pdf` (reportlab, A4, Helvetica) bold larger headings, a running header
  "Bestek <ref> – <authority>" and a footer "pagina N van M" on every page, tables with wrapped
  cells and a repeated header row; text is wrapped at a fixed width and, in the PDFs listed in
  HYPHENATE, long words are split with a hyphen at a line end so readers must repair them.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).parent
SRC = HERE / "src"
BLOCKS = SRC / "_blocks"
_INCLUDE = re.compile(r"^\{\{(\w+)(?:[ \t]+([\w.]+))?\}\}[ \t]*$", re.MULTILINE)
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
SOFT = "\u00ad"
FIXED_DATE = datetime(2025, 3, 3, 9, 0, 0)

# PDFs whose text is hyphenated at line ends (the others wrap at spaces only).
HYPHENATE = {"nl_dorpsplein_01.pdf", "nl_drankautomaten_06.pdf", "fr_place_15.pdf", "en_events_20.pdf"}

WORDS = {
    "nl": {"doc": "Bestek", "page": "pagina {n} van {m}"},
    "fr": {"doc": "Cahier spécial des charges", "page": "page {n} de {m}"},
    "en": {"doc": "Tender specifications", "page": "page {n} of {m}"},
}


def language(meta: dict[str, str]) -> str:
    lang = meta.get("target", "nl")[:2]
    return lang if lang in WORDS else "nl"


def expand(text: str) -> str:
    def include(m: re.Match[str]) -> str:
        block = (BLOCKS / f"{m.group(1)}.md").read_text(encoding="utf-8").strip()
        number = m.group(2) or ""
        # "### @ Title" becomes "### 4. Title", "#### @.1 Title" becomes "#### 4.1 Title"
        block = re.sub(r"^(#+ )@ ", lambda h: f"{h.group(1)}{number}. ", block, flags=re.MULTILINE)
        return re.sub(r"^(#+ )@", lambda h: h.group(1) + number, block, flags=re.MULTILINE)

    return _INCLUDE.sub(include, text)


def parse(path: Path) -> tuple[dict[str, str], list[tuple[str, object]]]:
    """Front matter and a list of (kind, payload):
    ("h", (level, text)), ("p", text), ("l", text) for a bullet, ("t", rows) for a table."""
    raw = path.read_text(encoding="utf-8")
    m = _FRONT.match(raw)
    meta = dict(line.split(": ", 1) for line in m.group(1).splitlines() if ": " in line) if m else {}
    body = expand(raw[m.end():] if m else raw)
    items: list[tuple[str, object]] = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        lines = [line for line in chunk.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith("|") for line in lines):
            rows = [[c.strip() for c in line.strip().strip("|").split("|")]
                    for line in lines if not re.match(r"^\s*\|[\s:|-]+\|\s*$", line)]
            items.append(("t", rows))
            continue
        paragraph: list[str] = []

        def flush() -> None:
            if paragraph:
                items.append(("p", " ".join(paragraph)))
                paragraph.clear()

        for line in lines:
            stripped = line.strip()
            heading = re.match(r"^(#+)\s+(.*)", stripped)
            if heading:
                flush()
                items.append(("h", (len(heading.group(1)), heading.group(2).strip())))
            elif re.match(r"^[-*] ", stripped):
                flush()
                items.append(("l", stripped[2:].strip()))
            elif items and items[-1][0] == "l" and not paragraph and line.startswith("  "):
                items[-1] = ("l", f"{items[-1][1]} {stripped}")  # continuation of a bullet
            else:
                paragraph.append(stripped)
        flush()
    return meta, items


def _plain(text: str) -> str:
    return text.replace(SOFT, "")


# ----------------------------------------------------------------------------------------------
# Markdown and plain text


def to_markdown(items: list[tuple[str, object]]) -> str:
    out: list[str] = []
    for kind, payload in items:
        if kind == "h":
            level, text = payload  # type: ignore[misc]
            out.append("#" * level + " " + _plain(text))
        elif kind == "p":
            out.append(_plain(str(payload)))
        elif kind == "l":
            line = "- " + _plain(str(payload))
            if out and out[-1].startswith("- "):
                out[-1] += "\n" + line
            else:
                out.append(line)
        else:
            rows: list[list[str]] = payload  # type: ignore[assignment]
            lines = ["| " + " | ".join(_plain(c) for c in rows[0]) + " |", "|" + "---|" * len(rows[0])]
            lines += ["| " + " | ".join(_plain(c) for c in r) + " |" for r in rows[1:]]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def to_text(items: list[tuple[str, object]], width: int = 88) -> str:
    out: list[str] = []
    for kind, payload in items:
        if kind == "h":
            level, text = payload  # type: ignore[misc]
            text = _plain(text)
            out.append(text.upper() if level == 1 else text)
        elif kind == "p":
            out.append(_wrap(_plain(str(payload)), width))
        elif kind == "l":
            line = _wrap("- " + _plain(str(payload)), width, indent="  ")
            if out and out[-1].startswith("- "):
                out[-1] += "\n" + line
            else:
                out.append(line)
        else:
            rows = [[_plain(c) for c in r] for r in payload]  # type: ignore[union-attr]
            widths = [max(len(r[i]) if i < len(r) else 0 for r in rows) for i in range(len(rows[0]))]
            out.append("\n".join("  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip() for r in rows))
    return "\n\n".join(out) + "\n"


def _wrap(text: str, width: int, indent: str = "") -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = indent + word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# DOCX


def _field(paragraph, instruction: str, cached: str) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld(kind: str):  # type: ignore[no-untyped-def]
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        return run

    fld("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    fld("separate")
    paragraph.add_run(cached)
    fld("end")


def to_docx(items: list[tuple[str, object]], meta: dict[str, str], target: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    lang = language(meta)
    document = docx.Document()
    props = document.core_properties
    props.title = meta.get("title", "")
    props.author = meta.get("authority", "")
    props.subject = f"{meta.get('doc', WORDS[lang]['doc'])} {meta.get('ref', '')}".strip()
    props.last_modified_by = meta.get("authority", "")
    props.created = FIXED_DATE
    props.modified = FIXED_DATE
    props.revision = 1
    document.styles["Normal"].font.size = Pt(10)

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4, not the template's Letter
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(22)
    head = section.header.paragraphs[0]
    head.text = meta.get("authority", "")
    head.add_run(f"\t\t{meta.get('doc', WORDS[lang]['doc'])} {meta.get('ref', '')}")
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    before, _, rest = WORDS[lang]["page"].partition("{n}")
    middle, _, after = rest.partition("{m}")
    foot.add_run(before)
    _field(foot, "PAGE", "1")
    foot.add_run(middle)
    _field(foot, "NUMPAGES", "1")
    if after:
        foot.add_run(after)

    for kind, payload in items:
        if kind == "h":
            level, text = payload  # type: ignore[misc]
            document.add_heading(_plain(text), level=min(level, 4))
        elif kind == "p":
            document.add_paragraph(_plain(str(payload)))
        elif kind == "l":
            document.add_paragraph(_plain(str(payload)), style="List Bullet")
        else:
            rows: list[list[str]] = payload  # type: ignore[assignment]
            cols = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=cols)
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c in range(cols):
                    cell = table.cell(r, c)
                    cell.text = _plain(row[c]) if c < len(row) else ""
                    if r == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            document.add_paragraph()
    buffer = io.BytesIO()
    document.save(buffer)
    _write_stable_zip(buffer.getvalue(), target)


def _write_stable_zip(data: bytes, target: Path) -> None:
    """Rewrite a zip with fixed timestamps and order so the bytes only change with the content."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in source.infolist():
            stable = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE.timetuple()[:6])
            stable.compress_type = zipfile.ZIP_DEFLATED
            stable.external_attr = 0o600 << 16
            dest.writestr(stable, source.read(info.filename))
    target.write_bytes(out.getvalue())


# ----------------------------------------------------------------------------------------------
# PDF

PAGE_W, PAGE_H = 595.2756, 841.8898  # A4 in points
LEFT, RIGHT, TOP, BOTTOM = 62.0, 62.0, PAGE_H - 78.0, 64.0
TEXT_W = PAGE_W - LEFT - RIGHT
VOWELS = set("aeiouyäëïöüéèêáàâíóúAEIOUY")
# Word parts after or before which Dutch compounds are split first, the way a hyphenation
# dictionary would (arbeids-omstandigheden, not arbeid-somstandigheden).
COMPOUND_HEADS = (
    "aanbestedings", "arbeids", "automaten", "bestratings", "betalings", "dranken", "gunnings",
    "herkomst", "kinder", "leveranciers", "mensen", "natuur", "onder", "opdracht", "overheids",
    "productie", "riolerings", "risico", "selectie", "snack", "steen", "toeleverings",
    "uitsluitings", "uitvoerings", "verwerkings", "voorwaarden", "warmte", "zekerheids",
)


def _break_points(word: str) -> list[int]:
    """Positions where `word` may be split with an added hyphen: soft hyphens first, else a
    rough syllable rule (V-CV, VC-CV), never within the first or last three letters."""
    if SOFT in word:
        points, clean = [], ""
        for ch in word:
            if ch == SOFT:
                points.append(len(clean))
            else:
                clean += ch
        return points
    core = word.rstrip(".,;:)")
    lower = core.lower()
    joints = set()
    for head in COMPOUND_HEADS:
        k = lower.find(head)
        while k >= 0:
            for j in (k, k + len(head)):
                if 3 <= j <= len(core) - 3:
                    joints.add(j)
            k = lower.find(head, k + 1)
    points = []
    for i in range(3, len(core) - 3):
        a, b, c = core[i - 1], core[i], core[i + 1]
        if not (a.isalpha() and b.isalpha() and c.isalpha()):
            continue
        if i in joints:
            points.append(i)
            continue
        if any(abs(i - j) <= 2 for j in joints):
            continue  # do not cut a known word part short (arbeids|omstandigheden)
        if a.lower() + b.lower() in {"ch", "ck", "ij", "ph", "th", "qu", "gn", "sh"}:
            continue
        if a in VOWELS and b not in VOWELS and c in VOWELS:
            points.append(i)  # V-CV: break before the consonant
        elif i >= 2 and core[i - 2] in VOWELS and a not in VOWELS and b not in VOWELS and c in VOWELS:
            if not (b.lower() == "h" and a.lower() in "cs"):
                points.append(i)  # VC-CV: break between the consonants
    return points


def _wrap_pdf(text: str, font: str, size: float, width: float, hyphenate: bool) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def fits(s: str) -> bool:
        return stringWidth(s, font, size) <= width

    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if fits(_plain(candidate)):
            line = candidate
            continue
        clean = _plain(word)
        split = None
        if hyphenate and line and len(clean) >= 10:
            room = [p for p in _break_points(word) if fits(_plain(f"{line} {clean[:p]}-"))]
            if room and len(clean) - room[-1] >= 3:
                split = room[-1]
        if split is not None:
            lines.append(_plain(f"{line} {clean[:split]}-"))
            line = clean[split:]
        elif "-" in clean[1:-1] and line:
            # break after a hyphen that is part of the word (TruStone-gemeente)
            parts = clean.split("-")
            head = ""
            for k in range(1, len(parts)):
                trial = "-".join(parts[:k]) + "-"
                if fits(f"{_plain(line)} {trial}"):
                    head = trial
            if head:
                lines.append(f"{_plain(line)} {head}")
                line = clean[len(head):]
            else:
                lines.append(_plain(line))
                line = word
        else:
            if line:
                lines.append(_plain(line))
            line = word
    if line:
        lines.append(_plain(line))
    return lines


class _Layout:
    """Pages of drawing operations: ("text", font, size, x, y, s) or ("line", x1, y1, x2, y2)."""

    def __init__(self) -> None:
        self.pages: list[list[tuple]] = [[]]  # type: ignore[type-arg]
        self.y = TOP

    def new_page(self) -> None:
        self.pages.append([])
        self.y = TOP

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.new_page()

    def text(self, s: str, font: str, size: float, x: float = LEFT, lead: float = 1.38) -> None:
        self.need(size * lead)
        self.pages[-1].append(("text", font, size, x, self.y - size, s))
        self.y -= size * lead

    def table(self, rows: list[list[str]]) -> None:
        """Column widths from the content, wrapped cells, rules between rows, the header row
        repeated after a page break."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        size, lead, pad = 8.5, 10.8, 3.0
        cols = max(len(r) for r in rows)
        rows = [[_plain(c) for c in r] + [""] * (cols - len(r)) for r in rows]
        widths = [max(stringWidth(r[i], "Helvetica-Bold" if k == 0 else "Helvetica", size)
                      for k, r in enumerate(rows)) + 2 * pad for i in range(cols)]
        if sum(widths) > TEXT_W:
            narrow = TEXT_W / (cols + 1)
            spare = TEXT_W - sum(w for w in widths if w <= narrow)
            wide = sum(w for w in widths if w > narrow)
            widths = [w if w <= narrow else spare * w / wide for w in widths]
        self.y -= 4

        def row_out(row: list[str], bold: bool) -> None:
            font = "Helvetica-Bold" if bold else "Helvetica"
            cells = [_wrap_pdf(c, font, size, widths[i] - 2 * pad, False) or [""] for i, c in enumerate(row)]
            height = max(len(c) for c in cells) * lead + 2 * pad
            if self.y - height < BOTTOM:
                self.new_page()
                if not bold:
                    row_out(rows[0], True)
            x = LEFT
            for i, lines in enumerate(cells):
                for k, line in enumerate(lines):
                    self.pages[-1].append(("text", font, size, x + pad, self.y - pad - size - k * lead + 1, line))
                x += widths[i]
            if bold:
                self.pages[-1].append(("line", LEFT, self.y, LEFT + sum(widths), self.y))
            self.pages[-1].append(("line", LEFT, self.y - height, LEFT + sum(widths), self.y - height))
            self.y -= height

        row_out(rows[0], True)
        for row in rows[1:]:
            row_out(row, False)
        self.y -= 8


def to_pdf(items: list[tuple[str, object]], meta: dict[str, str], target: Path) -> None:
    from reportlab.pdfgen import canvas

    lang = language(meta)
    hyphenate = target.name in HYPHENATE
    layout = _Layout()
    for kind, payload in items:
        if kind == "h":
            level, text = payload  # type: ignore[misc]
            size = {1: 15.0, 2: 12.5, 3: 11.0}.get(level, 10.0)
            layout.y -= 10 if level <= 2 else 6
            lines = _wrap_pdf(text, "Helvetica-Bold", size, TEXT_W, False)
            layout.need(size * 1.4 * len(lines) + 30)  # keep a heading with what follows
            for line in lines:
                layout.text(line, "Helvetica-Bold", size)
            layout.y -= 3
        elif kind in ("p", "l"):
            indent = 14.0 if kind == "l" else 0.0
            lines = _wrap_pdf(str(payload), "Helvetica", 10, TEXT_W - indent, hyphenate)
            for i, line in enumerate(lines):
                if kind == "l" and i == 0:
                    layout.need(13.8)
                    layout.pages[-1].append(("text", "Helvetica", 10, LEFT + 3, layout.y - 10, "–"))
                layout.text(line, "Helvetica", 10, LEFT + indent)
            layout.y -= 5
        else:
            layout.table(payload)  # type: ignore[arg-type]

    doc_word = meta.get("doc", WORDS[lang]["doc"])
    pdf = canvas.Canvas(str(target), pagesize=(PAGE_W, PAGE_H), invariant=1)
    pdf.setTitle(meta.get("title", ""))
    pdf.setAuthor(meta.get("authority", ""))
    pdf.setSubject(f"{doc_word} {meta.get('ref', '')}")
    pdf.setCreator("samples/build.py")
    total = len(layout.pages)
    for number, ops in enumerate(layout.pages, 1):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(LEFT, PAGE_H - 42, f"{doc_word} {meta.get('ref', '')} – {meta.get('authority', '')}")
        pdf.setLineWidth(0.4)
        pdf.line(LEFT, PAGE_H - 47, PAGE_W - RIGHT, PAGE_H - 47)
        pdf.drawRightString(PAGE_W - RIGHT, 36, WORDS[lang]["page"].format(n=number, m=total))
        for op in ops:
            if op[0] == "text":
                _, font, size, x, ypos, s = op
                pdf.setFont(font, size)
                pdf.drawString(x, ypos, s)
            else:
                _, x1, y1, x2, y2 = op
                pdf.setLineWidth(0.3)
                pdf.line(x1, y1, x2, y2)
        pdf.showPage()
    pdf.save()


# ----------------------------------------------------------------------------------------------


def build(only: str | None = None) -> list[Path]:
    built = []
    for src in sorted(SRC.glob("*.md")):
        meta, items = parse(src)
        target = HERE / meta["target"]
        if only and only not in target.name:
            continue
        ext = target.suffix
        if ext == ".md":
            target.write_text(to_markdown(items), encoding="utf-8")
        elif ext == ".txt":
            target.write_text(to_text(items), encoding="utf-8")
        elif ext == ".docx":
            to_docx(items, meta, target)
        elif ext == ".pdf":
            to_pdf(items, meta, target)
        else:
            raise SystemExit(f"{src}: unknown target extension {ext}")
        built.append(target)
    return built


if __name__ == "__main__":
    for path in build(sys.argv[1] if len(sys.argv) > 1 else None):
        print(path.relative_to(HERE.parent))
