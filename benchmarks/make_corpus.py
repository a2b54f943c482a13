"""Generate a realistic benchmark corpus of long tenders (PDF and DOCX) outside the repository.

    python benchmarks/make_corpus.py [--out /tmp/dd-corpus] [--count 200] [--seed 7]

Each document starts from one of the sample tenders (samples/src/*.md with the shared
administrative blocks) and is inflated to 20–120 pages with technical chapters, bills of
quantities and general tender prose in the sample's language, the way real bestekken bury
a few clauses in long standard text. Layout comes from samples/build.py (running headers and
footers, hyphenation, Word heading styles), so benchmarks read what the tests read.
Deterministic for a seed. Writes `manifest.json` with each file's pages (estimated for DOCX,
which has no pages of its own) and characters.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LINES_PER_PAGE = 50  # samples/build.py's A4 layout: 10 pt lines between its margins
CHARS_PER_LINE = 92

SUBJECTS = {
    "nl": ["de wegenis", "de riolering", "het schrijnwerk", "de dakbedekking", "de verlichting", "het groenonderhoud",
           "de technische installaties", "de leveringen", "de signalisatie", "de afwerking", "het meubilair",
           "de elektrische installatie", "de verwarming", "de schoonmaak van de gebouwen", "de onderhoudsposten"],
    "fr": ["la voirie", "l'égouttage", "les menuiseries", "la toiture", "l'éclairage", "l'entretien des espaces verts",
           "les installations techniques", "les fournitures", "la signalisation", "les finitions", "le mobilier"],
    "en": ["the road works", "the drainage", "the joinery", "the roofing", "the lighting", "the grounds maintenance",
           "the technical installations", "the supplies", "the signage", "the finishing works", "the furniture"],
}
SENTENCES = {
    "nl": [
        "De aannemer voert {s} uit volgens de regels van goed vakmanschap en de geldende normen.",
        "Alle afmetingen worden ter plaatse nagemeten voor de bestelling van {s}.",
        "De werfzone wordt afgebakend met hekwerk van minstens {n} meter hoog.",
        "De leidend ambtenaar kan bijkomende stalen opvragen voor {s} binnen {n} kalenderdagen.",
        "De prijs omvat alle leveringen, het transport, de plaatsing en het afvoeren van afval voor {s}.",
        "Bij vorst of aanhoudende regen worden de werken aan {s} onderbroken op aangeven van de leidend ambtenaar.",
        "De opdrachtnemer bezorgt de technische fiches van {s} ter goedkeuring voor de bestelling.",
        "De tolerantie op de hoogteligging bedraagt {n} mm over een lat van drie meter.",
        "Na de werken wordt de omgeving van {s} in de oorspronkelijke staat hersteld.",
        "De waarborgtermijn voor {s} bedraagt {n} maanden vanaf de voorlopige oplevering.",
        "Het vorderingsstaat vermeldt per post de uitgevoerde hoeveelheden voor {s}.",
        "De werken aan {s} worden gecoördineerd met de nutsmaatschappijen en de politiediensten.",
        "Een coördinatievergadering vindt elke {n} werkdagen plaats op de werf.",
        "De keuring van {s} gebeurt volgens het standaardbestek 250 versie 4.{n}.",
        "Materialen die niet voldoen aan de beschrijving worden geweigerd en binnen {n} dagen afgevoerd.",
        "De aannemer houdt een werfdagboek bij waarin de weersomstandigheden en de personeelsinzet worden vermeld.",
        "De toegang tot de aangrenzende woningen blijft tijdens de uitvoering van {s} steeds verzekerd.",
        "Voor {s} wordt een uitvoeringstermijn van {n} werkdagen voorzien.",
    ],
    "fr": [
        "L'adjudicataire exécute {s} selon les règles de l'art et les normes en vigueur.",
        "Toutes les dimensions sont vérifiées sur place avant la commande pour {s}.",
        "La zone de chantier est délimitée par des barrières d'au moins {n} mètres de hauteur.",
        "Le fonctionnaire dirigeant peut demander des échantillons supplémentaires pour {s} dans les {n} jours.",
        "Le prix comprend la fourniture, le transport, la pose et l'évacuation des déchets pour {s}.",
        "Les fiches techniques relatives à {s} sont soumises à l'approbation avant la commande.",
        "La tolérance de niveau est de {n} mm sous la règle de trois mètres.",
        "Le délai de garantie pour {s} est de {n} mois à compter de la réception provisoire.",
        "Une réunion de coordination a lieu tous les {n} jours ouvrables sur le chantier.",
        "Les matériaux non conformes sont refusés et évacués dans les {n} jours.",
        "L'accès aux propriétés riveraines reste assuré pendant l'exécution de {s}.",
    ],
    "en": [
        "The contractor carries out {s} in a workmanlike manner and to the applicable standards.",
        "All dimensions are checked on site before ordering {s}.",
        "The site is fenced with barriers at least {n} metres high.",
        "The contracting officer may ask for further samples of {s} within {n} calendar days.",
        "The price includes supply, transport, installation and waste removal for {s}.",
        "Technical data sheets for {s} are submitted for approval before ordering.",
        "The warranty period for {s} is {n} months from provisional acceptance.",
        "A coordination meeting is held on site every {n} working days.",
        "Materials that do not meet the description are rejected and removed within {n} days.",
        "Access to neighbouring properties remains ensured while {s} are carried out.",
    ],
}
CHAPTER = {"nl": "Technische bepalingen – {s}", "fr": "Clauses techniques – {s}", "en": "Technical provisions – {s}"}
BILL = {"nl": ("Post", "Omschrijving", "Eenheid", "Hoeveelheid"), "fr": ("Poste", "Description", "Unité", "Quantité"),
        "en": ("Item", "Description", "Unit", "Quantity")}


def load_sample_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sample_build", ROOT / "samples" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def lines_of(items: list[tuple[str, object]]) -> int:
    total = 0
    for kind, payload in items:
        if kind == "p":
            total += len(str(payload)) // CHARS_PER_LINE + 2
        elif kind == "t":
            total += len(payload) + 1  # type: ignore[arg-type]
        else:
            total += 2
    return total


def filler_chapter(rng: random.Random, lang: str, number: int) -> list[tuple[str, object]]:
    subject = rng.choice(SUBJECTS[lang])
    items: list[tuple[str, object]] = [("h", (2, f"{number}. " + CHAPTER[lang].format(s=subject)))]
    for section in range(1, rng.randint(3, 6)):
        items.append(("h", (3, f"{number}.{section} {rng.choice(SUBJECTS[lang]).capitalize()}")))
        for _ in range(rng.randint(2, 5)):
            sentences = [rng.choice(SENTENCES[lang]).format(s=rng.choice(SUBJECTS[lang]), n=rng.randint(2, 60))
                         for _ in range(rng.randint(3, 7))]
            items.append(("p", " ".join(sentences)))
    if rng.random() < 0.5:
        rows = [list(BILL[lang])]
        for r in range(rng.randint(8, 30)):
            rows.append([f"{number}.{r + 1}", rng.choice(SUBJECTS[lang]).capitalize(), rng.choice(["m", "m2", "m3", "st", "ff"]),
                         str(rng.randint(1, 900))])
        items.append(("t", rows))
    return items


def inflate(items: list[tuple[str, object]], lang: str, pages: int, rng: random.Random) -> list[tuple[str, object]]:
    """Insert filler chapters before the last chapter until the document fills about `pages` pages."""
    last = max((i for i, (kind, p) in enumerate(items) if kind == "h" and p[0] == 2), default=len(items))  # type: ignore[index]
    head, tail = list(items[:last]), list(items[last:])
    number = 20
    while lines_of(head) + lines_of(tail) < pages * LINES_PER_PAGE:
        head += filler_chapter(rng, lang, number)
        number += 1
    return head + tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/dd-corpus")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--min-pages", type=int, default=20)
    parser.add_argument("--max-pages", type=int, default=120)
    parser.add_argument("--docx-share", type=float, default=0.4)
    args = parser.parse_args()

    builder = load_sample_builder()
    sources = sorted((ROOT / "samples" / "src").glob("*.md"))
    if not sources:
        sys.exit("samples/src/*.md not found: the corpus is built from the sample tenders")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    manifest: list[dict[str, Any]] = []
    started = time.perf_counter()
    for n in range(args.count):
        source = rng.choice(sources)
        meta, items = builder.parse(source)
        lang = source.name[:2] if source.name[:2] in SENTENCES else "nl"
        pages = rng.randint(args.min_pages, args.max_pages)
        items = inflate(items, lang, pages, rng)
        ext = ".docx" if rng.random() < args.docx_share else ".pdf"
        folder = out / f"{2024 + n % 3}" / f"q{n % 4 + 1}"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{n:03d}_{source.stem}{ext}"
        (builder.to_docx if ext == ".docx" else builder.to_pdf)(items, meta, target)
        if ext == ".pdf":
            import pypdfium2

            real_pages = len(pypdfium2.PdfDocument(str(target)))
        else:
            real_pages = round(lines_of(items) / LINES_PER_PAGE)
        chars = sum(len(str(p)) for kind, p in items if kind == "p")
        manifest.append({"path": str(target), "format": ext[1:], "pages": real_pages, "chars": chars, "source": source.name})
        if (n + 1) % 20 == 0:
            print(f"{n + 1}/{args.count} documents ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    pdfs = [m for m in manifest if m["format"] == "pdf"]
    print(f"{len(manifest)} documents in {out}: {len(pdfs)} PDF ({sum(m['pages'] for m in pdfs)} pages), "
          f"{len(manifest) - len(pdfs)} DOCX (~{sum(m['pages'] for m in manifest if m['format'] == 'docx')} pages), "
          f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
