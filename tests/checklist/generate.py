"""Behavioural test documents (CheckList: minimum functionality, invariance, direction).

`blocks.yml` holds hand-written clause blocks per criterion and language, written blind from the
domain brief: complete clauses (each with a variant that drops one element and one with soft
modality), weak clauses and non-clauses, plus a context per criterion (title, subject with CPV
codes, a bill-of-quantities item) that makes the criterion apply. This module places the blocks
in whole tenders that vary what must not matter (heading words, depth, numbering, the sections
around, the file format) and moves them where the finding must change (preamble, award
criteria, technical part, a binding annex), and says for each document what the finding must be.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent
CRITERIA = ("human-rights", "trustone", "fair-trade", "fossil-free", "ethical-banking")
LANGS = ("nl", "fr", "en")
FORMATS = ("md", "txt", "docx", "pdf")
_PREFIX = {"human-rights": "hr", "trustone": "ts", "fair-trade": "ft", "fossil-free": "ff", "ethical-banking": "eb"}

# Heading words per place and language; several per place, because buyers name a part many ways.
PLACES: dict[str, dict[str, tuple[str, ...]]] = {
    "execution": {
        "nl": ("Bijzondere uitvoeringsvoorwaarden", "Uitvoeringsvoorwaarden", "Contractuele bepalingen",
               "Verplichtingen van de opdrachtnemer"),
        "fr": ("Conditions d'exécution", "Clauses contractuelles", "Obligations de l'adjudicataire",
               "Conditions particulières d'exécution"),
        "en": ("Contract performance conditions", "Special conditions", "Obligations of the contractor",
               "Performance of the contract"),
    },
    "technical": {
        "nl": ("Technische bepalingen", "Technische specificaties"),
        "fr": ("Prescriptions techniques", "Spécifications techniques"),
        "en": ("Technical specifications", "Minimum requirements"),
    },
    "annex": {
        "nl": ("Bijlage 3 – Bijzondere voorwaarden die deel uitmaken van de opdracht",),
        "fr": ("Annexe 3 – Conditions particulières faisant partie du marché",),
        "en": ("Annex 3 – Special conditions forming part of the contract",),
    },
    "preamble": {
        "nl": ("Inleiding",), "fr": ("Préambule",), "en": ("Introduction",),
    },
    "award": {
        "nl": ("Gunningscriteria",), "fr": ("Critères d'attribution",), "en": ("Award criteria",),
    },
    "general": {
        "nl": ("Algemene bepalingen",), "fr": ("Dispositions générales",), "en": ("General provisions",),
    },
}
SUBJECT = {"nl": "Voorwerp van de opdracht", "fr": "Objet du marché", "en": "Subject of the contract"}
TOPIC = {  # an article heading of the clause's own, or none ("straight under the chapter")
    "human-rights": {"nl": "Mensenrechten in de keten", "fr": "Droits humains dans la chaîne", "en": "Human rights in the supply chain"},
    "trustone": {"nl": "Verantwoorde natuursteen", "fr": "Pierre naturelle responsable", "en": "Responsible natural stone"},
    "fair-trade": {"nl": "Eerlijke handel", "fr": "Commerce équitable", "en": "Fair trade"},
    "fossil-free": {"nl": "Fossielvrij", "fr": "Sans énergies fossiles", "en": "Fossil-free"},
    "ethical-banking": {"nl": "Ethisch bankieren", "fr": "Finance éthique", "en": "Ethical banking"},
}
FILLER = {  # ordinary provisions around the clause, with the usual look-alike words
    "nl": {
        "Uitsluitingsgronden": "Wordt uitgesloten de kandidaat die bij rechterlijke beslissing veroordeeld werd voor "
                               "kinderarbeid en andere vormen van mensenhandel (artikel 67 van de wet van 17 juni 2016).",
        "Borgtocht": "De borgtocht bedraagt 5 % van het oorspronkelijke opdrachtbedrag en wordt gesteld in speciën of "
                     "als bankwaarborg van een kredietinstelling.",
        "Betaling": "De betaling gebeurt binnen dertig dagen na ontvangst van de factuur, op het rekeningnummer (IBAN) "
                    "dat de opdrachtnemer opgeeft.",
    },
    "fr": {
        "Motifs d'exclusion": "Est exclu le candidat qui a fait l'objet d'une condamnation pour travail des enfants "
                              "et autres formes de traite des êtres humains (article 67 de la loi du 17 juin 2016).",
        "Cautionnement": "Le cautionnement s'élève à 5 % du montant initial du marché et peut être constitué par une "
                         "garantie bancaire.",
        "Paiement": "Le paiement est effectué dans les trente jours suivant la réception de la facture, sur le compte "
                    "IBAN communiqué par l'adjudicataire.",
    },
    "en": {
        "Exclusion grounds": "A candidate convicted by final judgment of child labour or other forms of trafficking "
                             "in human beings is excluded (article 67 of the Law of 17 June 2016).",
        "Performance bond": "The performance bond amounts to 5 % of the initial contract value and may be a bank "
                            "guarantee.",
        "Payment": "Payment is made within thirty days of receipt of the invoice, to the IBAN given by the contractor.",
    },
}
AWARD_TEXT = {
    "nl": "Prijs: 60 punten. Kwaliteit van de uitvoering: 40 punten.",
    "fr": "Prix : 60 points. Qualité de l'exécution : 40 points.",
    "en": "Price: 60 points. Quality of performance: 40 points.",
}

# Numbering styles for the chapter that holds the clause and for its own article heading.
NUMBERING = ("dotted", "decimal", "article", "chapter", "none")
DEPTHS = (1, 2, 3)


@dataclass(frozen=True)
class Layout:
    """How a document is laid out: what must not change a finding."""

    fmt: str
    numbering: str
    depth: int  # level of the chapter heading (1-3); the clause's article heading sits one deeper
    heading: int  # which heading text of the place to use
    article: bool  # whether the clause has an article heading of its own
    first: bool  # the clause's chapter comes before the technical part (or after it)


def layouts() -> list[Layout]:
    """A fixed, balanced set of layouts: every format with every numbering, depth and heading."""
    out = []
    for i, (fmt, numbering) in enumerate(itertools.product(FORMATS, NUMBERING)):
        out.append(Layout(fmt, numbering, DEPTHS[i % 3], i % 4, i % 3 != 1, i % 2 == 0))
    return out


@dataclass(frozen=True)
class Case:
    id: str
    criterion: str
    lang: str
    kind: str  # complete | drop | soft | weak | nonclause | model
    place: str
    layout: Layout
    expect: str  # present | weak | absent
    text: str


@lru_cache(maxsize=1)
def blocks() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((HERE / "blocks.yml").read_text(encoding="utf-8"))


# Where each kind of block goes, and what the finding must then be.
MOVES = {
    "complete": (("execution", "present"), ("technical", "present"), ("annex", "present"), ("preamble", "absent"),
                 ("award", "weak")),
    "drop": (("execution", "weak"),),
    "soft": (("execution", "weak"),),
    "weak": (("execution", "weak"),),
    "nonclause": (("general", "absent"),),
}


def cases(model_clauses: dict[str, dict[str, str]] | None = None) -> list[Case]:
    """Every behavioural case: each block under a rotating share of the layouts and in each move."""
    data = blocks()
    all_layouts = layouts()
    out: list[Case] = []
    serial = itertools.count()
    for criterion in CRITERIA:
        for lang in LANGS:
            langblocks = data["blocks"][criterion][lang]
            entries: list[tuple[str, str, str]] = []  # (kind, id, text)
            for b in langblocks["complete"]:
                entries.append(("complete", b["id"], b["text"]))
                entries.append(("drop", b["id"] + "-drop-" + b["drop_element"]["element"], b["drop_element"]["text"]))
                entries.append(("soft", b["id"] + "-soft", b["soft"]["text"]))
            entries += [("weak", b["id"], b["text"]) for b in langblocks["weak"]]
            entries += [("nonclause", b["id"], b["text"]) for b in langblocks["nonclause"]]
            if model_clauses:
                entries.append(("model", f"{_PREFIX[criterion]}-{lang}-model", model_clauses[criterion][lang]))
            for kind, ident, text in entries:
                moves = MOVES.get(kind, (("execution", "present"), ("technical", "present")))
                # complete clauses and model clauses go through every layout; the others through a rotating share
                share = all_layouts if kind in ("complete", "model") else all_layouts[next(serial) % 4 :: 4]
                for place, expect in moves:
                    for layout in share if place in ("execution", "technical") else share[:4]:
                        out.append(Case(f"{ident}-{place}-{layout.fmt}-{layout.numbering}-{layout.depth}",
                                        criterion, lang, kind, place, layout, expect, text.strip()))
    return out


def suite_cases(model_clauses: dict[str, dict[str, str]]) -> list[Case]:
    """The share of `cases` the test suite runs: every block in every move under one layout
    (rotating, so that all formats, numberings and depths come by), and complete and model
    clauses under their execution heading in every format."""
    groups: dict[tuple[str, str, str], list[Case]] = {}
    for case in cases(model_clauses):
        groups.setdefault((case.text, case.kind, case.place), []).append(case)
    chosen: list[Case] = []
    for n, group in enumerate(groups.values()):
        pick = {id(group[n % len(group)]): group[n % len(group)]}
        if group[0].kind in ("complete", "model") and group[0].place == "execution":
            for fmt in FORMATS:
                first = next(c for c in group[n % 5 :] + group if c.layout.fmt == fmt)
                pick[id(first)] = first
        chosen.extend(pick.values())
    return chosen


def all_five(lang: str, layout: Layout, model_clauses: dict[str, dict[str, str]]) -> list[tuple[int, str]]:
    """One tender holding the five model clauses, each under an article of its own."""
    return document("human-rights", lang, "execution", layout, [(c, model_clauses[c][lang]) for c in CRITERIA])


# ---------------------------------------------------------------------------------------------
# Documents


def _number(style: str, n: int, sub: int | None, lang: str) -> str:
    roman = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"][n]
    word = {"nl": ("Hoofdstuk", "Artikel"), "fr": ("Chapitre", "Article"), "en": ("Chapter", "Article")}[lang]
    if style == "none":
        return ""
    if sub is None:
        return {"dotted": f"{n}. ", "decimal": f"{n}. ", "article": f"{word[1]} {n} – ", "chapter": f"{word[0].upper()} {roman} – "}[style]
    return {"dotted": f"{n}.{sub}. ", "decimal": f"{n}.{sub} ", "article": f"{word[1]} {n * 10 + sub} – ",
            "chapter": f"{word[1]} {n * 10 + sub} – "}[style]


def document(criterion: str, lang: str, place: str, layout: Layout, clauses: list[tuple[str, str]]) -> list[tuple[int, str]]:
    """The tender as (level, text) pairs: level 0 is body text, 1-4 heading levels.

    `clauses` are (criterion, text) pairs placed in the chapter of `place`; the context of
    `criterion` gives the title, subject and bill of quantities. Chapters sit at heading level
    `layout.depth` (1 = the title's level, as many Word templates do), articles one deeper."""
    ctx = blocks()["contexts"][criterion][lang]
    filler = list(FILLER[lang].items())
    words = PLACES[place][lang]
    holder: list[tuple[bool, str]] = []  # (is an article heading, text)
    if place == "award":
        holder.append((False, AWARD_TEXT[lang]))
    for crit, text in clauses:
        if layout.article:
            holder.append((True, TOPIC[crit][lang]))
        holder += [(False, para.strip()) for para in text.split("\n\n") if para.strip()]
    subject = (SUBJECT[lang], [(False, ctx["subject"])])
    exclusion = (filler[0][0], [(False, filler[0][1])])
    technical = (PLACES["technical"][lang][0], [(False, ctx["item"])] + (holder if place == "technical" else []))
    general = [(filler[1][0], [(False, filler[1][1])]), (filler[2][0], [(False, filler[2][1])])]
    chapter = (words[layout.heading % len(words)], holder)
    if place == "technical":
        body = [subject, exclusion, technical, *general]
    elif place == "preamble":
        body = [chapter, subject, exclusion, technical, *general]
    elif place in ("award", "general"):
        body = [subject, chapter, exclusion, technical, *general]
    elif place == "annex":
        body = [subject, exclusion, technical, *general, chapter]
    elif layout.first:
        body = [subject, exclusion, chapter, technical, *general]
    else:
        body = [subject, exclusion, technical, *general, chapter]
    out: list[tuple[int, str]] = [(1, ctx["title"])]
    for n, (title, content) in enumerate(body, 1):
        annex = title.startswith(("Bijlage", "Annex"))
        out.append((layout.depth, ("" if annex else _number(layout.numbering, n, None, lang)) + title))
        sub = 0
        for is_article, text in content:
            if is_article:
                sub += 1
                out.append((layout.depth + 1, _number(layout.numbering, n, sub, lang) + text))
            else:
                out.append((0, text))
    return out


def write(path: Path, parts: list[tuple[int, str]], fmt: str) -> Path:
    """Write the document in `fmt`; headings as the format marks them (#, styles, type size)."""
    if fmt == "md":
        path.write_text("\n\n".join(("#" * lvl + " " + t) if lvl else t for lvl, t in parts) + "\n", encoding="utf-8")
    elif fmt == "txt":
        # plain text marks headings by numbering or capitals only, as text exports of tenders do
        path.write_text("\n\n".join(t.upper() if i == 0 else t for i, (_lvl, t) in enumerate(parts)) + "\n", encoding="utf-8")
    elif fmt == "docx":
        import docx

        doc = docx.Document()
        for i, (lvl, t) in enumerate(parts):
            if i == 0:
                doc.add_heading(t, level=0)
            elif lvl:
                doc.add_heading(t, level=min(lvl, 4))
            else:
                doc.add_paragraph(t)
        doc.save(str(path))
    elif fmt == "pdf":
        from xml.sax.saxutils import escape

        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import getSampleStyleSheet
        from reportlab.platypus import Paragraph, SimpleDocTemplate

        styles = getSampleStyleSheet()
        story = [Paragraph(escape(t), styles["Title" if i == 0 else f"Heading{min(lvl, 4)}" if lvl else "BodyText"])
                 for i, (lvl, t) in enumerate(parts)]
        SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)
    else:
        raise ValueError(fmt)
    return path


def build(case: Case, folder: Path) -> Path:
    parts = document(case.criterion, case.lang, case.place, case.layout, [(case.criterion, case.text)])
    return write(folder / f"{case.id}.{case.layout.fmt}", parts, case.layout.fmt)
