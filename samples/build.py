"""Builds the sample tenders in samples/ from their Markdown sources in samples/src/.

Each source starts with a front-matter line `target: NAME.EXT` and may include shared
boilerplate with `{{block}}` (samples/src/_blocks/block.md), the way buyers reuse the same
administrative chapters in every tender. Output is deterministic:

    python samples/build.py

- .md  is copied (after includes);
- .txt is flattened the way a plain-text export looks (numbered headings, no `#`, tables as rows);
- .docx gets real Heading styles, tables, a header with the authority and a footer;
- .pdf (reportlab, A4) gets running headers and footers on every page and is wrapped at a fixed
  width with long words hyphenated at line ends, so the reader's repairs are exercised.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
SRC = HERE / "src"
BLOCKS = SRC / "_blocks"
_INCLUDE = re.compile(r"^\{\{(\w+)\}\}[ \t]*$", re.MULTILINE)
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def expand(text: str) -> str:
    return _INCLUDE.sub(lambda m: (BLOCKS / f"{m.group(1)}.md").read_text(encoding="utf-8").strip(), text)


def parse(path: Path) -> tuple[dict[str, str], list[tuple[str, object]]]:
    """Front matter and a list of (kind, payload): ("h", (level, text)), ("p", text), ("t", rows)."""
    raw = path.read_text(encoding="utf-8")
    m = _FRONT.match(raw)
    meta = dict(line.split(": ", 1) for line in m.group(1).splitlines()) if m else {}
    body = expand(raw[m.end():] if m else raw)
    items: list[tuple[str, object]] = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        lines = chunk.strip().splitlines()
        if all(line.lstrip().startswith("|") for line in lines):
            rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines if not re.match(r"^\s*\|[\s:|-]+\|\s*$", line)]
            items.append(("t", rows))
            continue
        for line in lines if lines[0].startswith("#") else [" ".join(line.strip() for line in lines)]:
            h = re.match(r"^(#+)\s+(.*)", line)
            if h:
                items.append(("h", (len(h.group(1)), h.group(2).strip())))
            elif line.strip():
                items.append(("p", line.strip()))
    return meta, items


def to_markdown(items: list[tuple[str, object]]) -> str:
    out = []
    for kind, payload in items:
        if kind == "h":
            level, text = payload  # type: ignore[misc]
            out.append("#" * level + " " + text)
        elif kind == "p":
            out.append(str(payload))
        else:
            rows: list[list[str]] = payload  # type: ignore[assignment]
            lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
            lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def to_text(items: list[tuple[str, object]]) -> str:
    out = []
    for kind, payload in items:
        if kind == "h":
            _level, text = payload  # type: ignore[misc]
            out.append(text.upper() if _level == 1 else text)
        elif kind == "p":
            out.append(_wrap(str(payload), 90))
        else:
            out.append("\n".join("   ".join(r) for r in payload))  # type: ignore[union-attr]
    return "\n\n".join(out) + "\n"


def _wrap(text: str, width: int) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def to_docx(items: list[tuple[str, object]], meta: dict[str, str], target: Path) -> None:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.title = meta.get("title", "")
    document.core_properties.author = meta.get("authority", "")
    document.core_properties.created = __import__("datetime").datetime(2025, 3, 1)
    document.core_properties.modified = __import__("datetime").datetime(2025, 3, 1)
    section = document.sections[0]
    section.header.paragraphs[0].text = f"{meta.get('authority', '')} – {meta.get('ref', '')}"
    section.footer.paragraphs[0].text = meta.get("footer", "Opdrachtdocument")
    for kind, payload in items:
        if kind == "h":
            level, text = payload  # type: ignore[misc]
            document.add_heading(text, level=min(level, 4))
        elif kind == "p":
            document.add_paragraph(str(payload)).style.font.size = Pt(10)
        else:
            rows: list[list[str]] = payload  # type: ignore[assignment]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    document.save(str(target))


def to_pdf(items: list[tuple[str, object]], meta: dict[str, str], target: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    width, height = A4
    left, top, bottom = 60, height - 70, 60
    pages: list[list[tuple[str, float, str, float]]] = [[]]
    y = top

    def place(text: str, font: str, size: float, gap_after: float) -> None:
        nonlocal y
        if y - size < bottom:
            pages.append([])
            y = top
        pages[-1].append((font, size, text, y))
        y -= size * 1.35 + gap_after

    for kind, payload in items:
        if kind == "h":
            level, text = payload  # type: ignore[misc]
            y -= 6
            place(text, "Helvetica-Bold", {1: 15, 2: 12.5}.get(level, 11), 4)
        elif kind == "p":
            lines = _hyphenated(str(payload), 92)
            for i, line in enumerate(lines):
                place(line, "Helvetica", 10, 6 if i == len(lines) - 1 else 0)
        else:
            for row in payload:  # type: ignore[union-attr]
                place("\t".join(row), "Helvetica", 9, 2)
            y -= 6
    pdf = canvas.Canvas(str(target), pagesize=A4, invariant=1)
    pdf.setTitle(meta.get("title", ""))
    total = len(pages)
    for number, lines in enumerate(pages, 1):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(left, height - 35, f"{meta.get('authority', '')} – {meta.get('ref', '')}")
        pdf.drawRightString(width - left, 30, f"{meta.get('page_word', 'pagina')} {number} / {total}")
        for font, size, text, ypos in lines:
            pdf.setFont(font, size)
            if "\t" in text:
                for i, cell in enumerate(text.split("\t")):
                    pdf.drawString(left + [0, 40, 300, 370, 420][min(i, 4)], ypos, cell)
            else:
                pdf.drawString(left, ypos, text)
        pdf.showPage()
    pdf.save()


def _hyphenated(text: str, width: int) -> list[str]:
    """Wrap at `width` characters; a long word that does not fit is split with a hyphen."""
    lines, line = [], ""
    for word in text.split():
        room = width - len(line) - (1 if line else 0)
        if len(word) > room:
            if room >= 6 and len(word) >= 12 and word.isalpha():
                cut = room - 1
                lines.append(f"{line} {word[:cut]}-".strip())
                line = word[cut:]
                continue
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines


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
