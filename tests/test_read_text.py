"""Plain text and Markdown readers on real files: encodings, structure, line numbers, bad bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from duediligence.errors import InputError
from duediligence.model import BlockKind, Format
from duediligence.read import read_document, sniff

SENTENCE = "Voorwerp: levering van “fair” café en thé – 10 € – œuvre"


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _shape(path: Path) -> list[tuple[str, str, int | None, int | None]]:
    return [(b.kind.value, b.text, b.line, b.heading_level) for b in read_document(path).blocks]


@pytest.mark.parametrize(
    ("encoding", "warned"),
    [("utf-8", False), ("utf-8-sig", False), ("cp1252", True), ("utf-16", True), ("utf-16-le", True), ("utf-16-be", True)],
)
def test_encodings_are_decided_from_the_bytes(tmp_path: Path, encoding: str, warned: bool) -> None:
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    path = _write(tmp_path, "t.txt", bom + f"{SENTENCE}\r\ntweede regel\r\n".encode(encoding))
    doc = read_document(path)
    assert [b.text for b in doc.blocks] == ['Voorwerp: levering van "fair" café en thé – 10 € – œuvre tweede regel']
    assert bool(doc.warnings) is warned
    if warned:
        assert "t.txt" in doc.warnings[0].message and ("utf-16" in doc.warnings[0].message or "cp1252" in doc.warnings[0].message)


def test_bytes_cp1252_leaves_undefined_fall_back_to_latin1(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "t.txt", b"caf\xe9 \x81 klaar\n"))
    assert doc.blocks[0].text == "café \x81 klaar" and "latin-1" in doc.warnings[0].message


@pytest.mark.parametrize(
    "content",
    [b"tekst\x00met\x00nullen" * 10, bytes(range(1, 32)) * 50, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)],
)
def test_binary_content_is_not_text(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(InputError) as info:
        read_document(_write(tmp_path, "data.txt", content))
    assert info.value.code == "unsupported-format" and "data.txt" in info.value.message


def test_blank_file_has_no_text(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_document(_write(tmp_path, "blank.txt", b" \n\n\t\n"))
    assert info.value.code == "no-text"


PLAIN = (
    "HOOFDSTUK 4 – Uitvoering\n\n"
    "4.2 Sociale voorwaarden\n"
    "De opdrachtnemer respecteert de mensen-\n"
    "rechten in de hele keten.\n\n"
    "3. De inschrijver\n"
    "dient een verklaring in te dienen.\n\n"
    "Art. 12. Straffen\n\n"
    "- eerste punt\n"
    "  loopt door\n"
    "- tweede punt\n"
    "Gewone zin daarna.\n"
)
PLAIN_BLOCKS = [
    ("heading", "HOOFDSTUK 4 – Uitvoering", 1, 1),
    ("heading", "4.2 Sociale voorwaarden", 3, 3),  # a numbered line glued to its text; depth 2 under a chapter
    ("paragraph", "De opdrachtnemer respecteert de mensenrechten in de hele keten.", 4, None),
    ("paragraph", "3. De inschrijver dient een verklaring in te dienen.", 7, None),  # goes on in lower case
    ("heading", "Art. 12. Straffen", 10, 3),
    ("list-item", "eerste punt loopt door", 12, None),
    ("list-item", "tweede punt", 14, None),
    ("paragraph", "Gewone zin daarna.", 15, None),  # plain text has no lazy list continuation
]
MARKDOWN = (
    "Bestek werkkledij\n=================\n\n"
    "## 3.2 Uitvoeringsvoorwaarden ##\n\n"
    "Eerste regel met mensen-\nrechten.\n\n"
    "> Een citaat.\n\n"
    "---\n\n"
    "- punt een\n  loopt door\n* punt twee\n1. genummerd punt\n\n"
    "| Post | Omschrijving |\n|:----|----:|\n| 1 | Kasseien in graniet |\n\n"
    "```\n# geen kop\n```\n"
    "Sub\n---\n"
)
MARKDOWN_BLOCKS = [
    ("heading", "Bestek werkkledij", 1, 1),
    ("heading", "3.2 Uitvoeringsvoorwaarden", 4, 2),
    ("paragraph", "Eerste regel met mensenrechten.", 6, None),
    ("paragraph", "Een citaat.", 9, None),
    ("list-item", "punt een loopt door", 13, None),
    ("list-item", "punt twee", 15, None),
    ("list-item", "genummerd punt", 16, None),
    ("table-row", "Post | Omschrijving", 18, None),
    ("table-row", "1 | Kasseien in graniet", 20, None),
    ("paragraph", "# geen kop", 23, None),
    ("heading", "Sub", 25, 2),
]


@pytest.mark.parametrize(
    ("name", "text", "fmt", "blocks"),
    [("bestek.txt", PLAIN, Format.TEXT, PLAIN_BLOCKS), ("bestek.md", MARKDOWN, Format.MARKDOWN, MARKDOWN_BLOCKS)],
)
def test_blocks_kinds_levels_and_line_numbers(tmp_path: Path, name: str, text: str, fmt: Format, blocks: list[object]) -> None:
    path = _write(tmp_path, name, text.encode())
    assert read_document(path).format is fmt
    assert _shape(path) == blocks


def test_text_exported_line_by_line_is_mended(tmp_path: Path) -> None:
    path = _write(tmp_path, "export.txt", b"De leverancier\n\nrespecteert de IAO-normen.\n\nVolgende alinea.\n")
    assert [(b.text, b.line) for b in read_document(path).blocks] == [
        ("De leverancier respecteert de IAO-normen.", 1), ("Volgende alinea.", 5)]


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("# Bestek\n\n## Deel 1\n\nTekst.\n", Format.MARKDOWN),
        ("# Bestek\n\n- punt\n", Format.MARKDOWN),
        ("| a | b |\n|---|---|\n| 1 | 2 |\n", Format.MARKDOWN),
        # plain text underlines its titles too; read as text, the underlined title is still a heading
        ("Titel\n=====\n\nTekst.\n", Format.TEXT),
        ("Bestek\n\n- een streepje maakt nog geen Markdown\n", Format.TEXT),
        ("1. Voorwerp\n\nTekst met # hekje.\n", Format.TEXT),
    ],
)
def test_markdown_is_told_from_plain_text_by_its_structure(text: str, fmt: Format) -> None:
    assert sniff(text.encode()) is fmt


def test_rules_around_titles_are_decoration_not_text(tmp_path: Path) -> None:
    # A plain-text tender frames its parts with rules and underlines others; neither rule is text,
    # and its "Artikel 33 – ..." and "33.2 ..." lines stay headings (read as Markdown they were not).
    text = ("BESTEK 2026/07\n\n" + "=" * 40 + "\nDEEL 2 – CONTRACTUELE BEPALINGEN\n" + "=" * 40 + "\n\n"
            "Artikel 33 – Natuursteen\n\n33.2 Zorgvuldigheidsplicht\nDe opdrachtnemer past due diligence toe.\n\n"
            "DEEL 3 – TECHNISCHE BEPALINGEN\n" + "-" * 30 + "\n\nTekst.\n")
    doc = read_document(_write(tmp_path, "bestek.txt", text.encode()))
    assert doc.format is Format.TEXT
    headings = [(b.text, b.heading_level) for b in doc.blocks if b.kind is BlockKind.HEADING]
    # a part is a part however it is underlined: its form ("DEEL 3") gives the level, not the dashes
    assert ("DEEL 2 – CONTRACTUELE BEPALINGEN", 1) in headings and ("DEEL 3 – TECHNISCHE BEPALINGEN", 1) in headings
    assert "33.2 Zorgvuldigheidsplicht" in [h for h, _ in headings]
    assert not any(set(b.text) <= set("=- ") for b in doc.blocks)


def test_a_contents_list_without_page_numbers_places_nothing(tmp_path: Path) -> None:
    # "CONTENTS" then "PART 1   GENERAL INFORMATION" ... "PART 7   BILL OF QUANTITIES" with no
    # page numbers: read as headings, they put every real part (framed by dashes) under the last
    # entry, and "Section 6.8" (numbered within part 6) above part 6.
    from duediligence.model import SectionKind
    from duediligence.segment import segment

    rule = "-" * 60
    text = ("CONTENTS\n\nPART 1   GENERAL INFORMATION\nPART 2   TECHNICAL SPECIFICATIONS\nPART 3   BILL OF QUANTITIES\n\n"
            f"{rule}\nPART 1   GENERAL INFORMATION\n{rule}\n\n1.1  Subject\n\nThe contract covers the roof of the chapel.\n\n"
            f"{rule}\nPART 2   TECHNICAL SPECIFICATIONS\n{rule}\n\nSection 2.8  Natural slate\n\n"
            "The slate complies with EN 12326-1.\n\n"
            f"{rule}\nPART 3   BILL OF QUANTITIES\n{rule}\n\nItem 1 - slate, 420 m2.\n")
    doc = segment(read_document(_write(tmp_path, "bestek.txt", text.encode())))
    headings = [(b.text, b.section_path, b.section_kind) for b in doc.blocks if b.is_heading]
    assert [h[0] for h in headings].count("PART 1 GENERAL INFORMATION") == 1  # the contents line is none
    placed = {text: (path, kind) for text, path, kind in headings}
    assert placed["PART 2 TECHNICAL SPECIFICATIONS"][0] == ("PART 2 TECHNICAL SPECIFICATIONS",)
    assert placed["Section 2.8 Natural slate"] == (("PART 2 TECHNICAL SPECIFICATIONS", "Section 2.8 Natural slate"),
                                                   SectionKind.TECHNICAL)
    assert placed["PART 3 BILL OF QUANTITIES"][0] == ("PART 3 BILL OF QUANTITIES",)


def test_a_bold_line_in_heading_form_is_an_article_under_the_last_markdown_heading(tmp_path: Path) -> None:
    # "**Art. 34. Sociale clausules**" over "Vervalt.": the article is deleted, which only a
    # heading can say; its markers are markup, in a heading and inside a sentence alike.
    text = ("# Bestek\n\n### HOOFDSTUK IV – UITVOERING\n\n**Art. 34. Sociale en ethische clausules**\n\nVervalt.\n\n"
            "De opdrachtnemer levert **binnen tien dagen**.\n\n**Let op: dit is geen titel.**\n")
    doc = read_document(_write(tmp_path, "bestek.md", text.encode()))
    blocks = [(b.kind, b.heading_level, b.text) for b in doc.blocks]
    assert (BlockKind.HEADING, 4, "Art. 34. Sociale en ethische clausules") in blocks
    assert (BlockKind.PARAGRAPH, None, "De opdrachtnemer levert binnen tien dagen.") in blocks
    assert (BlockKind.PARAGRAPH, None, "Let op: dit is geen titel.") in blocks


def test_sections_numbered_within_a_lettered_part_nest_under_it(tmp_path: Path) -> None:
    # "B.10 ENERGIE EN LOGISTIEK" in capitals read as a title of its own rank closed "DEEL B", so
    # its clause fell outside the execution part.
    from duediligence.model import SectionKind
    from duediligence.segment import segment

    text = ("DEEL B CONTRACTUELE BEPALINGEN EN UITVOERINGSVOORWAARDEN\n\nB.10 ENERGIE EN LOGISTIEK\n\n"
            "De opdrachtnemer gebruikt bij voorkeur generatoren op HVO.\n\nDEEL C TECHNISCHE BEPALINGEN\n\n"
            "C.3 PERCEEL 3 - GEDENKSTEEN\n\nC.3.2 Steensoort\n\nDe gedenksteen is uit natuursteen.\n")
    doc = segment(read_document(_write(tmp_path, "bestek.txt", text.encode())))
    kinds = {b.text: (len(b.section_path), b.section_kind) for b in doc.blocks if b.is_heading}
    assert kinds["B.10 ENERGIE EN LOGISTIEK"] == (2, SectionKind.EXECUTION)
    assert kinds["C.3.2 Steensoort"] == (3, SectionKind.TECHNICAL)


def test_articles_numbered_within_a_roman_part_are_headings_of_their_own(tmp_path: Path) -> None:
    # "Art. II.8 – Clause éthique" / "Sans objet." read as body text of "Art. II.5", where the
    # social clause's proof and penalty made the deleted article a weak clause.
    text = ("PARTIE II – CONDITIONS D'EXÉCUTION\n\nArt. II.7 – Clause sociale\n\nLa preuve est remise à la "
            "réception ; une pénalité de 500 euros est appliquée.\n\nArt. II.8 – Clause éthique\n\nSans objet.\n\n"
            "II.9 Déchets\n\nL'adjudicataire trie les déchets.\n\nIII.2.1 Inventaire\n\nVoir l'annexe.\n")
    doc = read_document(_write(tmp_path, "csc.txt", text.encode()))
    headings = {b.text: b.heading_level for b in doc.blocks if b.kind is BlockKind.HEADING}
    assert headings == {"PARTIE II – CONDITIONS D'EXÉCUTION": 1, "Art. II.7 – Clause sociale": 3,
                        "Art. II.8 – Clause éthique": 3, "II.9 Déchets": 2, "III.2.1 Inventaire": 3}


def test_numbered_items_after_a_lead_in_are_items_of_their_own(tmp_path: Path) -> None:
    # A declaration on honour exported to text: its items were one paragraph, so the item on the
    # ILO conventions was read with the next item's exclusion policy as the bank's clause.
    text = ("Le soussigné déclare sur l'honneur :\n1. que l'entreprise ne se trouve dans aucun cas d'exclusion ;\n"
            "2. que l'entreprise respecte les conventions fondamentales de l'OIT ;\n"
            "3. que l'offre a été établie de manière indépendante.\n"
            "Fait à Namur.\n\n4. Prix\n\nLes prix sont forfaitaires. Ils comprennent tout :\n"
            "2. Straffen\n")
    blocks = [(b.kind, b.text) for b in read_document(_write(tmp_path, "form.txt", text.encode())).blocks]
    assert blocks == [
        (BlockKind.PARAGRAPH, "Le soussigné déclare sur l'honneur :"),
        (BlockKind.LIST_ITEM, "que l'entreprise ne se trouve dans aucun cas d'exclusion ;"),
        (BlockKind.LIST_ITEM, "que l'entreprise respecte les conventions fondamentales de l'OIT ;"),
        (BlockKind.LIST_ITEM, "que l'offre a été établie de manière indépendante."),
        (BlockKind.PARAGRAPH, "Fait à Namur."),
        (BlockKind.HEADING, "4. Prix"),
        (BlockKind.PARAGRAPH, "Les prix sont forfaitaires. Ils comprennent tout :"),
        (BlockKind.HEADING, "2. Straffen"),
    ]


def test_markdown_named_txt_is_still_markdown(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "notities.txt", b"# Bestek\n\n## Straffen\n\nTekst.\n"))
    assert doc.format is Format.MARKDOWN and doc.blocks[1].heading_level == 2
    assert doc.size == len(b"# Bestek\n\n## Straffen\n\nTekst.\n") and len(doc.sha256) == 64 and doc.pages is None


def test_the_first_line_of_a_text_file_is_its_title_in_capitals_or_not(tmp_path: Path) -> None:
    """Not in capitals, it lost to a later heading ("Deel I – Administratieve bepalingen")."""
    from duediligence.segment import segment
    from duediligence.subject import find_subject

    path = tmp_path / "bestek.txt"
    path.write_text("Levering van werkkledij voor de technische dienst\n\nDeel I – Administratieve bepalingen\n\n"
                    "1. Voorwerp van de opdracht\n\nDe opdracht betreft werkkledij.\n", encoding="utf-8")
    assert find_subject(segment(read_document(path))).title == "Levering van werkkledij voor de technische dienst"


def test_markdown_front_matter_is_metadata_not_text(tmp_path: Path) -> None:
    """`title: …` between `---` lines became a heading and the title text."""
    path = tmp_path / "bestek.md"
    path.write_text('---\ntitle: "Levering van fairtrade koffie"\nauthor: Stad Gent\n---\n\n## Voorwerp\n\n'
                    "De opdrachtnemer levert koffie.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.title == "Levering van fairtrade koffie"
    assert [(b.text, b.line) for b in doc.blocks] == [("Voorwerp", 6), ("De opdrachtnemer levert koffie.", 8)]
