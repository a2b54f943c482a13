"""Words the reports say, in Dutch, French and English.

Messages live in one place so a translation is one edit and every report format (text,
JSON, HTML) says the same thing.
"""

from __future__ import annotations

from .library import Criterion, Library
from .model import Discount, DiscountKind, DocumentError, Notice, Presence, Reason

_DISCOUNTS: dict[str, dict[str, str]] = {
    "section:preamble": {
        "nl": "staat in de inleiding of het beleidsdeel: verplicht niemand",
        "fr": "figure dans le préambule ou la partie politique : n'oblige personne",
        "en": "sits in the preamble or policy part: obliges no one",
    },
    "section:legal": {
        "nl": "staat in de opsomming van de regelgeving: een verwijzing, geen clausule",
        "fr": "figure dans la liste de la réglementation : une référence, pas une clause",
        "en": "sits in the list of applicable law: a reference, not a clause",
    },
    "section:exclusion": {
        "nl": "staat bij de uitsluitingsgronden: dat is wetgeving, geen uitvoeringsvoorwaarde",
        "fr": "figure dans les motifs d'exclusion : c'est la loi, pas une condition d'exécution",
        "en": "sits in the exclusion grounds: that is law, not a performance condition",
    },
    "negated": {
        "nl": "de passage zegt dat het niet van toepassing of niet vereist is",
        "fr": "le passage dit que ce n'est pas d'application ou pas exigé",
        "en": "the passage says it does not apply or is not required",
    },
    "not-a-tender": {
        "nl": "het document leest niet als een bestek en de zin verplicht geen opdrachtnemer",
        "fr": "le document ne se lit pas comme un cahier des charges et la phrase n'oblige aucun adjudicataire",
        "en": "the document does not read as a tender and the sentence obliges no contractor",
    },
    "annex-absent": {
        "nl": "verwijst naar een bijlage die niet in dit document staat (later of afzonderlijk bezorgd): de clausule zelf ontbreekt",
        "fr": "renvoie à une annexe absente de ce document (fournie plus tard ou séparément) : la clause elle-même manque",
        "en": "refers to an annex that is not in this document (supplied later or separately): the clause itself is missing",
    },
    "deleted": {
        "nl": "een geschrapt artikel ('vervalt', 'niet van toepassing'): alleen de titel staat er nog",
        "fr": "un article supprimé (« supprimé », « sans objet ») : seul le titre subsiste",
        "en": "a deleted article ('deleted', 'not applicable'): only its title is left",
    },
    "elsewhere": {
        "nl": "gaat over wat onder een andere opdracht valt (een afzonderlijke raamovereenkomst, een ander bestek): verplicht hier niemand",
        "fr": "porte sur ce qui relève d'un autre marché (un marché distinct, un autre cahier des charges) : n'oblige personne ici",
        "en": "is about what another contract covers (a separate contract or framework agreement): obliges no one here",
    },
    "policy-statement": {
        "nl": "beleidsverklaring van het bestuur zelf, geen verplichting voor de opdrachtnemer",
        "fr": "déclaration de politique du pouvoir adjudicateur, pas une obligation de l'adjudicataire",
        "en": "a policy statement by the authority itself, not an obligation on the contractor",
    },
    "descriptive": {
        "nl": "beschrijft enkel; verplicht noch de opdrachtnemer noch iemand anders, en staat niet in een bindend deel",
        "fr": "simple description : n'oblige personne et ne figure pas dans une partie contraignante",
        "en": "only describes: obliges no one and is not in a binding part",
    },
    "heading": {
        "nl": "enkel een titel; de tekst eronder noemt het onderwerp niet",
        "fr": "seulement un titre ; le texte qui suit ne traite pas du sujet",
        "en": "only a heading; the text below it does not address the topic",
    },
}

# Why a criterion applies (`model.Reason` kinds); "always" is the criterion's own always_reason.
REASONS: dict[str, dict[str, str]] = {
    "cpv": {"nl": "CPV-code {code}: {group}", "fr": "code CPV {code} : {group}", "en": "CPV code {code}: {group}"},
    "cpv-confirmed": {
        "nl": "CPV-code {code} ({group}), bevestigd door '{term}' in de tekst",
        "fr": "code CPV {code} ({group}), confirmé par « {term} » dans le texte",
        "en": "CPV code {code} ({group}), confirmed by '{term}' in the text",
    },
    "cpv-passage": {
        "nl": "CPV-code {code} ({group}): het bestek spreekt zelf over '{term}' waarmee de dienst wordt uitgevoerd",
        "fr": "code CPV {code} ({group}) : le cahier des charges parle lui-même des « {term} » qui assurent le service",
        "en": "CPV code {code} ({group}): the tender itself speaks of the '{term}' that carry out the service",
    },
    "subject": {
        "nl": "het voorwerp of de titel vermeldt '{term}' ({group})",
        "fr": "l'objet ou le titre mentionne « {term} » ({group})",
        "en": "the subject or title mentions '{term}' ({group})",
    },
    "clause": {
        "nl": "het bestek legt zelf een volledige, bindende clausule op: het criterium geldt voor wat deze opdracht aankoopt",
        "fr": "le cahier des charges impose lui-même une clause complète et contraignante : le critère porte sur ce que ce marché achète",
        "en": "the tender itself imposes a complete, binding clause: the criterion bears on what this contract buys",
    },
    "configured": {
        "nl": "de projectconfiguratie verwacht dit criterium voor dit pad",
        "fr": "la configuration du projet exige ce critère pour ce chemin",
        "en": "the project configuration expects this criterion for this path",
    },
    "body": {
        "nl": "'{term}' en verwante termen {count}× in de bepalingen van het bestek ({group})",
        "fr": "« {term} » et termes proches {count}× dans les clauses du cahier des charges ({group})",
        "en": "'{term}' and related terms {count}× in the provisions of the tender ({group})",
    },
}


def reason_text(reason: Reason, criterion: Criterion, lang: str) -> str:
    """A reason in `lang`: the product group by its name in that language, terms as the document has them."""
    if reason.kind == "always":
        always = criterion.applicability.always_reason
        return always.get(lang) if always is not None else ""
    args = dict(reason.args)
    if "group" in args:
        group = next((g for g in criterion.applicability.groups if g.id == args["group"]), None)
        args["group"] = group.name.get(lang) if group is not None else args["group"]
    return _pick(REASONS[reason.kind], lang).format(**args)


_WEAK_REASONS = {
    "award": {
        "nl": "Het onderwerp komt enkel voor als gunningscriterium of pluspunt; maak er een uitvoeringsvoorwaarde van.",
        "fr": "Le sujet n'apparaît que comme critère d'attribution ; faites-en une condition d'exécution.",
        "en": "The topic appears only as an award criterion or bonus; make it a performance condition.",
    },
    "selection": {
        "nl": "Het onderwerp komt enkel voor bij de selectie; leg het op als uitvoeringsvoorwaarde.",
        "fr": "Le sujet n'apparaît qu'à la sélection ; imposez-le comme condition d'exécution.",
        "en": "The topic appears only in the selection criteria; impose it as a performance condition.",
    },
    "wording": {
        "nl": "De tekst is vrijblijvend geformuleerd (bv. 'bij voorkeur', 'indien mogelijk'); schrijf 'de opdrachtnemer moet'.",
        "fr": "Le texte est facultatif (p. ex. « de préférence », « dans la mesure du possible ») ; écrivez « l'adjudicataire doit ».",
        "en": "The wording is optional (e.g. 'preferably', 'where possible'); write 'the contractor shall'.",
    },
    "scope": {
        "nl": "De verplichting staat enkel in de clausule over één keten (bv. de natuursteen) en geldt alleen daarvoor; breid ze uit tot alles wat de opdracht levert.",
        "fr": "L'obligation ne figure que dans la clause consacrée à une seule chaîne (p. ex. la pierre naturelle) et ne vaut que pour elle ; étendez-la à tout ce que le marché fournit.",
        "en": "The duty stands only in the clause on one supply chain (e.g. the natural stone) and holds for it alone; extend it to everything the contract supplies.",
    },
    "place": {
        "nl": "De tekst staat niet in een bindend deel en verplicht de opdrachtnemer niet uitdrukkelijk.",
        "fr": "Le texte ne figure pas dans une partie contraignante et n'oblige pas expressément l'adjudicataire.",
        "en": "The text is not in a binding part and does not expressly oblige the contractor.",
    },
}

_ADD = {
    "nl": "Voeg de modelclausule toe{where}.",
    "fr": "Ajoutez la clause type{where}.",
    "en": "Add the model clause{where}.",
}
_WHERE = {
    "nl": " in de uitvoeringsvoorwaarden (bv. onder '{h}')",
    "fr": " dans les conditions d'exécution (p. ex. sous « {h} »)",
    "en": " to the performance conditions (e.g. under '{h}')",
}
_WHERE_NONE = {
    "nl": " als bijzondere uitvoeringsvoorwaarde",
    "fr": " comme condition d'exécution particulière",
    "en": " as a special performance condition",
}
_MISSING = {
    "nl": "Ontbrekende elementen: {items}.",
    "fr": "Éléments manquants : {items}.",
    "en": "Missing elements: {items}.",
}
_STRENGTHEN = {
    "nl": "Versterk de bestaande clausule.",
    "fr": "Renforcez la clause existante.",
    "en": "Strengthen the existing clause.",
}


# Labels shared by the human-readable formats (text report, explain, HTML, Markdown, Word comments).
LABELS: dict[str, dict[str, str]] = {
    "applies": {"nl": "Wanneer van toepassing", "fr": "Quand s'applique-t-il", "en": "When it applies"},
    "always": {"nl": "altijd", "fr": "toujours", "en": "always"},
    "elements": {"nl": "Elementen van een volledige clausule", "fr": "Éléments d'une clause complète", "en": "Elements of a complete clause"},
    "required": {"nl": "vereist voor 'aanwezig'", "fr": "requis pour « présent »", "en": "required for 'present'"},
    "traps": {"nl": "Valkuilen die niet meetellen", "fr": "Pièges ignorés", "en": "Traps that do not count"},
    "model": {"nl": "Modelclausule", "fr": "Clause type", "en": "Model clause"},
    "sources": {"nl": "Bronnen", "fr": "Sources", "en": "Sources"},
    "not-a-tender": {
        "nl": "leest niet als een bestek (geen CPV-code, geen delen of woorden van een opdrachtdocument): enkel clausuletekst telt",
        "fr": "ne se lit pas comme un cahier des charges (pas de code CPV, ni parties ni termes d'un document de marché) : seul un texte de clause compte",
        "en": "does not read as a tender (no CPV code, no parts or terms of procurement documents): only clause text counts",
    },
    "because": {"nl": "van toepassing want", "fr": "s'applique car", "en": "applies because"},
    "found": {"nl": "gevonden", "fr": "trouvé", "en": "found"},
    "ignored": {"nl": "genegeerd", "fr": "ignoré", "en": "ignored"},
    "page": {"nl": "p.", "fr": "p.", "en": "p."},
    "par": {"nl": "par.", "fr": "par.", "en": "para."},
    "error": {"nl": "fout", "fr": "erreur", "en": "error"},
    "summary": {"nl": "samenvatting", "fr": "résumé", "en": "summary"},
    # HTML and Markdown reports
    "status-ok": {"nl": "in orde", "fr": "conforme", "en": "ok"},
    "status-weak": {"nl": "zwak", "fr": "faible", "en": "weak"},
    "status-missing": {"nl": "ontbreekt", "fr": "manquant", "en": "missing"},
    "status-not-applicable": {"nl": "n.v.t.", "fr": "sans objet", "en": "n/a"},
    "status-suppressed": {"nl": "onderdrukt", "fr": "supprimé", "en": "suppressed"},
    "report-title": {"nl": "Controle van duurzaamheidsclausules", "fr": "Contrôle des clauses de durabilité", "en": "Sustainability clause check"},
    "overview": {"nl": "Overzicht", "fr": "Vue d'ensemble", "en": "Overview"},
    "totals": {"nl": "Totalen", "fr": "Totaux", "en": "Totals"},
    "document": {"nl": "Document", "fr": "Document", "en": "Document"},
    "documents": {"nl": "documenten", "fr": "documents", "en": "documents"},
    "unreadable": {"nl": "onleesbaar", "fr": "illisibles", "en": "unreadable"},
    "criterion": {"nl": "Criterium", "fr": "Critère", "en": "Criterion"},
    "status": {"nl": "Status", "fr": "Statut", "en": "Status"},
    "subject": {"nl": "Voorwerp van de opdracht", "fr": "Objet du marché", "en": "Subject of the contract"},
    "language": {"nl": "Taal", "fr": "Langue", "en": "Language"},
    "format": {"nl": "Formaat", "fr": "Format", "en": "Format"},
    "pages": {"nl": "Pagina's", "fr": "Pages", "en": "Pages"},
    "cpv": {"nl": "CPV-codes", "fr": "Codes CPV", "en": "CPV codes"},
    "why-applies": {"nl": "Waarom van toepassing", "fr": "Pourquoi ce critère s'applique", "en": "Why it applies"},
    "elements-found": {"nl": "Aanwezige elementen", "fr": "Éléments présents", "en": "Elements found"},
    "elements-missing": {"nl": "Ontbrekende elementen", "fr": "Éléments manquants", "en": "Missing elements"},
    "evidence": {"nl": "Gevonden passages", "fr": "Passages trouvés", "en": "Passages found"},
    "no-evidence": {"nl": "Geen passage die meetelt.", "fr": "Aucun passage qui compte.", "en": "No passage that counts."},
    "discounted": {"nl": "Passages die niet meetellen", "fr": "Passages non retenus", "en": "Passages that do not count"},
    "suggestion": {"nl": "Wat te doen", "fr": "Que faire", "en": "What to do"},
    "copy": {"nl": "Kopiëren", "fr": "Copier", "en": "Copy"},
    "copied": {"nl": "Gekopieerd", "fr": "Copié", "en": "Copied"},
    "copy-selected": {"nl": "Geselecteerd: druk Ctrl+C", "fr": "Sélectionné : appuyez sur Ctrl+C", "en": "Selected: press Ctrl+C"},
    "copy-clause": {"nl": "Modelclausule kopiëren", "fr": "Copier la clause type", "en": "Copy the model clause"},
    "suppressed-because": {"nl": "Onderdrukt in het document", "fr": "Supprimé dans le document", "en": "Suppressed in the document"},
    "shows": {"nl": "toont", "fr": "montre", "en": "shows"},
    "topic": {"nl": "onderwerp", "fr": "sujet", "en": "topic"},
    "binding": {"nl": "bindend", "fr": "contraignant", "en": "binding"},
    "optional": {"nl": "vrijblijvend", "fr": "facultatif", "en": "optional wording"},
    "line": {"nl": "regel", "fr": "ligne", "en": "line"},
    "notices": {"nl": "Op te lossen", "fr": "À corriger", "en": "To fix"},
    "details": {"nl": "Details per criterium", "fr": "Détails par critère", "en": "Details per criterion"},
    "generated": {"nl": "Gemaakt met duediligence {tool}, clausulebibliotheek {library}",
                  "fr": "Généré par duediligence {tool}, bibliothèque de clauses {library}",
                  "en": "Made with duediligence {tool}, clause library {library}"},
    "confidence": {"nl": "zekerheid", "fr": "confiance", "en": "confidence"},
    # explain
    "explain-facts": {"nl": "ernst {severity}, versie {version}", "fr": "gravité {severity}, version {version}",
                      "en": "severity {severity}, version {version}"},
    "severity-high": {"nl": "hoog", "fr": "élevée", "en": "high"},
    "severity-medium": {"nl": "middel", "fr": "moyenne", "en": "medium"},
    "severity-low": {"nl": "laag", "fr": "faible", "en": "low"},
    "explain-cpv": {"nl": "CPV-codes {codes}", "fr": "codes CPV {codes}", "en": "CPV codes {codes}"},
    "explain-cpv-confirmed": {"nl": "CPV-codes die beginnen met {codes} als de tekst het bevestigt",
                              "fr": "codes CPV commençant par {codes} si le texte le confirme",
                              "en": "CPV codes starting with {codes} when the text confirms it"},
    "explain-cpv-passage": {"nl": "als hoofdcode: CPV-codes die beginnen met {codes} als het bestek zelf over de voertuigen ervan spreekt",
                            "fr": "comme code principal : codes CPV commençant par {codes} si le cahier des charges parle lui-même de leurs véhicules",
                            "en": "as the main code: CPV codes starting with {codes} when the tender itself speaks of their vehicles"},
    "explain-cpv-none": {"nl": "geen CPV-code; de woorden van het voorwerp", "fr": "pas de code CPV ; les mots de l'objet",
                         "en": "no CPV code; the words of the subject"},
    "explain-model-general": {"nl": "Modelclausule (wanneer geen clausule hieronder past bij wat aangekocht wordt)",
                              "fr": "Clause type (quand aucune clause ci-dessous ne correspond à ce qui est acheté)",
                              "en": "Model clause (when no clause below fits what is bought)"},
    "explain-model-for": {"nl": "Modelclausule voor {groups}", "fr": "Clause type pour {groups}",
                          "en": "Model clause for {groups}"},
    # presence as the text report's suffix: "(afwezig, 0.90)"
    "presence-present": {"nl": "aanwezig", "fr": "présent", "en": "present"},
    "presence-weak": {"nl": "zwak", "fr": "faible", "en": "weak"},
    "presence-absent": {"nl": "afwezig", "fr": "absent", "en": "absent"},
    # Word comments in the annotated copy (--annotate)
    "comment-weak": {"nl": "Zwakke clausule: {name}", "fr": "Clause faible : {name}", "en": "Weak clause: {name}"},
    "comment-missing": {"nl": "Ontbrekende clausule: {name}", "fr": "Clause manquante : {name}", "en": "Missing clause: {name}"},
    "comment-elements": {"nl": "Nog toe te voegen: {items}.", "fr": "À ajouter : {items}.", "en": "Still to add: {items}."},
    "comment-because": {"nl": "Van toepassing omdat: {why}.", "fr": "S'applique car : {why}.", "en": "Applies because: {why}."},
    "comment-model": {"nl": "Modelclausule om in te voegen:", "fr": "Clause type à insérer :", "en": "Model clause to insert:"},
    "comment-quote": {"nl": "Passage: “{quote}”", "fr": "Passage : « {quote} »", "en": "Passage: “{quote}”"},
    # The "in the notice" section (eForms codes the clauses justify)
    "notice": {"nl": "In de aankondiging (eForms)", "fr": "Dans l'avis de marché (eForms)", "en": "In the notice (eForms)"},
    "notice-sdk": {"nl": "codes en benamingen uit de eForms SDK {version}", "fr": "codes et libellés du SDK eForms {version}",
                   "en": "codes and labels from the eForms SDK {version}"},
    "notice-tick": {"nl": "aan te vinken", "fr": "à cocher", "en": "to tick"},
    "notice-not-yet": {"nl": "nog niet (zwakke clausule)", "fr": "pas encore (clause faible)", "en": "not yet (weak clause)"},
    "notice-once-inserted": {"nl": "na invoegen van de ontbrekende clausule", "fr": "une fois la clause manquante insérée",
                             "en": "once the missing clause is inserted"},
    "notice-from": {"nl": "uit", "fr": "d'après", "en": "from"},
    "notice-none": {"nl": "Nog niets aan te vinken: geen enkele clausule is volledig en bindend.",
                    "fr": "Rien à cocher pour l'instant : aucune clause n'est complète et contraignante.",
                    "en": "Nothing to tick yet: no clause is complete and binding."},
    "notice-draft": {"nl": "voorstel", "fr": "proposition", "en": "draft"},
    # Baselines (check --baseline)
    "baselined": {"nl": "in de basislijn", "fr": "dans la référence", "en": "baselined"},
    "baseline-worse": {"nl": "erger dan in de basislijn ({was})", "fr": "pire que dans la référence ({was})",
                       "en": "worse than in the baseline ({was})"},
    "baseline-better": {"nl": "beter dan in de basislijn", "fr": "meilleur que dans la référence", "en": "better than in the baseline"},
    "baseline-renamed": {"nl": "in de basislijn herkend aan de inhoud, als {path}",
                         "fr": "reconnu dans la référence à son contenu, sous {path}",
                         "en": "found in the baseline by its content, as {path}"},
    "baseline-summary": {"nl": "basislijn {file}: {covered} bekende bevinding(en) niet getoond, {new} nieuw of erger",
                         "fr": "référence {file} : {covered} constat(s) connu(s) non affiché(s), {new} nouveau(x) ou pire(s)",
                         "en": "baseline {file}: {covered} known finding(s) not shown, {new} new or worse"},
    "baseline-shrink": {"nl": "{n} bevinding(en) verbeterd: de basislijn kan krimpen (duediligence check --write-baseline {file} …)",
                        "fr": "{n} constat(s) amélioré(s) : la référence peut être réduite (duediligence check --write-baseline {file} …)",
                        "en": "{n} finding(s) got better: the baseline can shrink (duediligence check --write-baseline {file} …)"},
}

# BT-777, the free-text description of a strategic aim: drafted in the document's language,
# since it goes into the notice beside the tender.
_NOTICE_DESCRIPTION = {
    "nl": "De opdrachtdocumenten leggen bindende voorwaarden op: {items}.",
    "fr": "Les documents du marché imposent des conditions contraignantes : {items}.",
    "en": "The procurement documents impose binding conditions: {items}.",
}


def notice_description(lang: str, items: list[str]) -> str:
    """The BT-777 draft for one strategic aim: the clauses that justify it, with their headings."""
    return _pick(_NOTICE_DESCRIPTION, lang).format(items="; ".join(items))


def label(key: str, lang: str) -> str:
    """A report label in `lang` (English when the language is unknown)."""
    return _pick(LABELS[key], lang)


def _pick(table: dict[str, str], lang: str) -> str:
    return table.get(lang, table["en"])


_COVERED = {
    "nl": "hoort bij de clausule '{name}', niet bij dit criterium",
    "fr": "relève de la clause « {name} », pas de ce critère",
    "en": "belongs to the '{name}' clause, not to this criterion",
}


def discount_reason(discount: Discount, criterion: Criterion, library: Library, lang: str) -> str:
    """Why a passage was not counted, in `lang`."""
    if discount.kind is DiscountKind.COVERED_BY:
        known = {c.id: c for c in (*library.criteria, *library.deferred)}
        name = known[discount.detail].name.get(lang) if discount.detail in known else discount.detail
        return _pick(_COVERED, lang).format(name=name)
    if discount.kind is DiscountKind.TRAP:
        for trap in (*criterion.traps, *library.common.traps):
            if trap.id == discount.detail:
                return trap.reason.get(lang)
    return _pick(_DISCOUNTS.get(discount.code, {"en": discount.code}), lang)


def suggestion_text(
    lang: str, presence: Presence, missing_names: tuple[str, ...], execution_heading: str | None, weak_reason: str | None
) -> str:
    if presence is Presence.WEAK:  # the clause has its place; the reasons below say what to change
        parts = [_pick(_STRENGTHEN, lang)]
    else:
        where = _pick(_WHERE, lang).format(h=execution_heading) if execution_heading else _pick(_WHERE_NONE, lang)
        parts = [_pick(_ADD, lang).format(where=where)]
    if weak_reason:
        parts.append(_pick(_WEAK_REASONS[weak_reason], lang))
    if missing_names:
        parts.append(_pick(_MISSING, lang).format(items="; ".join(missing_names)))
    return " ".join(parts)


# A sentence per error code (errors.ERROR_CODES), for whoever reads the report or the web page;
# the error's own message (English, with the technical detail) stays in the JSON beside it.
ERRORS: dict[str, dict[str, str]] = {
    "empty-file": {
        "nl": "Het bestand is leeg.",
        "fr": "Le fichier est vide.",
        "en": "The file is empty.",
    },
    "unsupported-format": {
        "nl": "Dit is geen PDF-, DOCX-, tekst- of Markdown-bestand.",
        "fr": "Ce n'est pas un fichier PDF, DOCX, texte ou Markdown.",
        "en": "This is not a PDF, DOCX, text or Markdown file.",
    },
    "corrupt-pdf": {
        "nl": "De PDF is beschadigd of onvolledig.",
        "fr": "Le PDF est endommagé ou incomplet.",
        "en": "The PDF is damaged or incomplete.",
    },
    "corrupt-docx": {
        "nl": "Het Word-bestand is beschadigd of geen echt DOCX-bestand.",
        "fr": "Le fichier Word est endommagé ou n'est pas un vrai DOCX.",
        "en": "The Word file is damaged or not a real DOCX.",
    },
    "password-protected": {
        "nl": "Het bestand is met een wachtwoord beveiligd; laad een versie zonder wachtwoord op.",
        "fr": "Le fichier est protégé par un mot de passe ; envoyez une version sans mot de passe.",
        "en": "The file is protected by a password; upload a copy without one.",
    },
    "no-text": {
        "nl": "Er staat geen leesbare tekst in (een scan zonder tekstlaag).",
        "fr": "Il ne contient pas de texte lisible (un scan sans couche texte).",
        "en": "It holds no readable text (a scan without a text layer).",
    },
    "too-large": {
        "nl": "Het bestand is te groot (bestand, pagina's of uitgepakte inhoud boven de limiet).",
        "fr": "Le fichier est trop grand (fichier, pages ou contenu décompressé au-delà de la limite).",
        "en": "The file is too large (file, pages or unpacked content over the limit).",
    },
    "encoding": {
        "nl": "De tekenset van het tekstbestand is niet te bepalen.",
        "fr": "L'encodage du fichier texte est indéterminable.",
        "en": "The text file's character encoding could not be determined.",
    },
    "timeout": {
        "nl": "De controle duurde te lang en werd gestopt.",
        "fr": "Le contrôle a pris trop de temps et a été arrêté.",
        "en": "The check took too long and was stopped.",
    },
    "internal": {
        "nl": "Er liep iets mis bij de controle; meld dit aan de beheerder.",
        "fr": "Une erreur interne s'est produite ; signalez-la à l'administrateur.",
        "en": "Something went wrong in the check; please tell the administrator.",
    },
    "not-found": {
        "nl": "Het bestand bestaat niet.",
        "fr": "Le fichier n'existe pas.",
        "en": "There is no such file.",
    },
    "unreadable": {
        "nl": "Het bestand kan niet gelezen worden (rechten of schijffout).",
        "fr": "Le fichier ne peut pas être lu (droits ou erreur de disque).",
        "en": "The file cannot be read (permissions or a disk error).",
    },
    "is-directory": {
        "nl": "Dit is een map, geen bestand.",
        "fr": "C'est un dossier, pas un fichier.",
        "en": "This is a folder, not a file.",
    },
}


def error_sentence(code: str, lang: str) -> str:
    """A plain sentence for an error code, in `lang`; the code itself when it has none."""
    return _pick(ERRORS[code], lang) if code in ERRORS else code


# Notices (`model.Notice` codes) and the places in a document they point at.
NOTICES: dict[str, dict[str, str]] = {
    # what a reader could not do or guessed (RawDocument.warnings)
    "embedded-document": {
        "nl": "{file}: een ingebed document (altChunk) wordt niet gelezen",
        "fr": "{file} : un document incorporé (altChunk) n'est pas lu",
        "en": "{file}: an embedded document (altChunk) is not read",
    },
    "encoding-guessed": {
        "nl": "{file}: geen UTF-8; gelezen als {encoding}",
        "fr": "{file} : pas en UTF-8 ; décodé comme {encoding}",
        "en": "{file}: not UTF-8; decoded as {encoding}",
    },
    "text-by-ocr": {
        "nl": "{file}: tekst gelezen met OCR",
        "fr": "{file} : texte lu par OCR",
        "en": "{file}: text read by OCR",
    },
    "image-only-pages": {
        "nl": "{file}: pagina('s) {pages} bevatten enkel afbeeldingen, geen tekstlaag; hun tekst is niet gelezen "
              "(gescande pagina's? gebruik --ocr always)",
        "fr": "{file} : la ou les pages {pages} ne contiennent que des images, sans couche de texte ; leur texte n'est "
              "pas lu (pages numérisées ? utilisez --ocr always)",
        "en": "{file}: page(s) {pages} hold only images, no text layer; their text is not read "
              "(scanned pages? use --ocr always)",
    },
    "misnamed": {
        "nl": "{file}: heet {ext}, maar is inhoudelijk {format_name}; gelezen als {format_name}",
        "fr": "{file} : nommé {ext}, mais c'est {format_name} ; lu comme {format_name}",
        "en": "{file}: named {ext}, but it is {format_name} inside; read as {format_name}",
    },
    "pdf-reader-crashed": {
        "nl": "{file}: de snelle PDF-lezer crashte op dit bestand ({how}); pdfium heeft het gelezen",
        "fr": "{file} : le lecteur PDF rapide a planté sur ce fichier ({how}) ; pdfium l'a lu",
        "en": "{file}: the fast PDF reader crashed on this file ({how}); pdfium read it instead",
    },
    "suppression-invalid": {
        "nl": "{where}: een onderdrukking moet de criteria noemen die ze negeert",
        "fr": "{where} : une suppression doit nommer les critères qu'elle ignore",
        "en": "{where}: a suppression must name the criteria it ignores",
    },
    "suppression-unknown-criterion": {
        "nl": "{where}: onbekend criterium '{criterion}' (bekend: {known})",
        "fr": "{where} : critère inconnu « {criterion} » (connus : {known})",
        "en": "{where}: unknown criterion '{criterion}' (known: {known})",
    },
    "suppression-without-reason": {
        "nl": "{where}: een onderdrukking heeft een reden nodig na ' -- '",
        "fr": "{where} : une suppression doit donner une raison après ' -- '",
        "en": "{where}: a suppression needs a reason after ' -- '",
    },
    "suppression-unused": {
        "nl": "{where}: de onderdrukking van {criteria} treft geen zwakke of ontbrekende bevinding",
        "fr": "{where} : la suppression de {criteria} ne touche aucun constat faible ou manquant",
        "en": "{where}: suppression of {criteria} matches no weak or missing finding",
    },
}
PLACES: dict[str, dict[str, str]] = {
    "line": {"nl": "regel {n}", "fr": "ligne {n}", "en": "line {n}"},
    "page": {"nl": "pagina {n}", "fr": "page {n}", "en": "page {n}"},
    "paragraph": {"nl": "paragraaf {n}", "fr": "paragraphe {n}", "en": "paragraph {n}"},
    "comment": {"nl": "opmerking {n}", "fr": "commentaire {n}", "en": "comment {n}"},
}


def place_text(where: str, lang: str) -> str:
    """A place such as "line 25" or "comment 1" (how `segment` names where a directive stands), in `lang`."""
    kind, _, number = where.partition(" ")
    return _pick(PLACES[kind], lang).format(n=number) if kind in PLACES and number else where


def notice_text(notice: Notice, lang: str) -> str:
    """A notice in `lang`, from its code and arguments; its English message when it has neither."""
    if notice.code not in NOTICES or not notice.args:
        return notice.message
    args = dict(notice.args)
    args["where"] = place_text(args.get("where", ""), lang)
    if "format" in args:
        args["format_name"] = _pick(FORMAT_NAMES.get(args["format"], {"en": args["format"]}), lang)
    return _pick(NOTICES[notice.code], lang).format(**args)


# What a file really is, as a notice names it ("misnamed").
FORMAT_NAMES: dict[str, dict[str, str]] = {
    "pdf": {"nl": "een PDF", "fr": "un PDF", "en": "a PDF"},
    "docx": {"nl": "een Word-document", "fr": "un document Word", "en": "a Word document"},
    "text": {"nl": "platte tekst", "fr": "du texte brut", "en": "plain text"},
    "markdown": {"nl": "Markdown-tekst", "fr": "du texte Markdown", "en": "Markdown text"},
}


def error_text(error: DocumentError, lang: str) -> str:
    """An error for a person: the plain sentence of its code, with the detail when the code is `internal`."""
    sentence = error_sentence(error.code, lang)
    if error.code not in ERRORS or error.code == "internal":
        return f"{sentence} ({error.message})" if sentence != error.message else sentence
    return sentence


# The audit dashboard (batch/dashboard.html.j2), keys as the template names them.
DASHBOARD: dict[str, dict[str, str]] = {
    "title": {"nl": "Audit van duurzaamheidsclausules – run {run}", "fr": "Audit des clauses de durabilité – exécution {run}",
        "en": "Sustainability clause audit – run {run}"},
    "head_title": {"nl": "duediligence-audit – run {run}", "fr": "audit duediligence – exécution {run}",
        "en": "duediligence audit – run {run}"},
    "started": {"nl": "gestart", "fr": "commencé",
        "en": "started"},
    "finished": {"nl": "klaar", "fr": "terminé",
        "en": "finished"},
    "status": {"nl": "status", "fr": "statut",
        "en": "status"},
    "library": {"nl": "clausulebibliotheek", "fr": "bibliothèque de clauses",
        "en": "clause library"},
    "folder": {"nl": "map", "fr": "dossier",
        "en": "folder"},
    "documents": {"nl": "documenten", "fr": "documents",
        "en": "documents"},
    "pages": {"nl": "pagina's", "fr": "pages",
        "en": "pages"},
    "failed": {"nl": "mislukt", "fr": "en échec",
        "en": "failed"},
    "from_cache": {"nl": "uit de cache", "fr": "du cache",
        "en": "from cache"},
    "coverage": {"nl": "Dekking per criterium", "fr": "Couverture par critère",
        "en": "Coverage per criterion"},
    "applicable_line": {"nl": "{n} van toepassing: {ok} in orde · {weak} zwak · {missing} ontbreekt", "fr": "{n} applicables : {ok} conformes · {weak} faibles · {missing} manquants",
        "en": "{n} applicable: {ok} ok · {weak} weak · {missing} missing"},
    "criterion": {"nl": "criterium", "fr": "critère",
        "en": "criterion"},
    "applicable": {"nl": "van toepassing", "fr": "applicables",
        "en": "applicable"},
    "ok_share": {"nl": "aandeel in orde", "fr": "part conforme",
        "en": "ok share"},
    "notice": {"nl": "In de aankondiging (eForms)", "fr": "Dans l'avis de marché (eForms)",
        "en": "In the notice (eForms)"},
    "notice_intro": {"nl": "Documenten waarvan de clausules elke eForms-code rechtvaardigen (volledig en bindend), waarvan de clausule zwak is (nog niet) en waarvan ze ontbreekt (na invoegen). Codes en benamingen uit de eForms SDK.", "fr": "Documents dont les clauses justifient chaque code eForms (complètes et contraignantes), dont la clause est faible (pas encore) et dont elle manque (une fois insérée). Codes et libellés du SDK eForms.",
        "en": "Documents whose clauses justify ticking each eForms code (complete and binding), whose clause is weak (not yet), and whose clause is missing (once inserted). Codes and labels from the eForms SDK."},
    "field": {"nl": "veld", "fr": "champ",
        "en": "field"},
    "code": {"nl": "code", "fr": "code",
        "en": "code"},
    "label": {"nl": "benaming", "fr": "libellé",
        "en": "label"},
    "ticked": {"nl": "aan te vinken", "fr": "à cocher",
        "en": "ticked"},
    "not_yet": {"nl": "nog niet", "fr": "pas encore",
        "en": "not yet"},
    "once_inserted": {"nl": "na invoegen", "fr": "une fois insérée",
        "en": "once inserted"},
    "no_codes": {"nl": "Geen enkel criterium van deze run noemt een eForms-code.", "fr": "Aucun critère de cette exécution ne nomme de code eForms.",
        "en": "No criterion of this run names an eForms code."},
    "trend": {"nl": "Verloop over de runs", "fr": "Évolution au fil des exécutions",
        "en": "Trend over runs"},
    "trend_intro": {"nl": "Aandeel van de documenten waarop een criterium van toepassing is met een volledige, bindende clausule (in orde), per run in deze databank.", "fr": "Part des documents concernés ayant une clause complète et contraignante (conforme), par exécution dans cette base.",
        "en": "Share of applicable documents with a complete, binding clause (ok), per run in this database."},
    "trend_label": {"nl": "aandeel in orde per criterium over de runs", "fr": "part conforme par critère au fil des exécutions",
        "en": "ok share per criterion over runs"},
    "run": {"nl": "run {run}", "fr": "exécution {run}",
        "en": "run {run}"},
    "point": {"nl": "{name}, run {run}: {ok} in orde van {n}", "fr": "{name}, exécution {run} : {ok} conformes sur {n}",
        "en": "{name}, run {run}: {ok} ok of {n}"},
    "failures": {"nl": "Documenten die niet gecontroleerd konden worden", "fr": "Documents qui n'ont pas pu être contrôlés",
        "en": "Documents that could not be checked"},
    "document": {"nl": "document", "fr": "document",
        "en": "document"},
    "error": {"nl": "fout", "fr": "erreur",
        "en": "error"},
    "message": {"nl": "melding", "fr": "message",
        "en": "message"},
    "worst_first": {"nl": "Documenten, slechtste eerst", "fr": "Documents, les pires d'abord",
        "en": "Documents, worst first"},
    "subject": {"nl": "voorwerp", "fr": "objet",
        "en": "subject"},
    "details": {"nl": "Details", "fr": "Détails",
        "en": "Details"},
    "back": {"nl": "terug naar de lijst", "fr": "retour à la liste",
        "en": "back to the list"},
    "subject_title": {"nl": "Voorwerp", "fr": "Objet",
        "en": "Subject"},
    "why": {"nl": "waarom van toepassing", "fr": "pourquoi il s'applique",
        "en": "why it applies"},
    "evidence": {"nl": "gevonden passages", "fr": "passages trouvés",
        "en": "evidence"},
    "to_add": {"nl": "toe te voegen", "fr": "à ajouter",
        "en": "to add"},
    "confidence": {"nl": "zekerheid", "fr": "confiance",
        "en": "confidence"},
    "more": {"nl": "… nog {n}", "fr": "… {n} de plus",
        "en": "… {n} more"},
    "ignored": {"nl": "{n} passage(s) genegeerd", "fr": "{n} passage(s) ignoré(s)",
        "en": "{n} passage(s) ignored"},
    "missing_elements": {"nl": "ontbreekt: {items}", "fr": "manque : {items}",
        "en": "missing: {items}"},
    "model": {"nl": "modelclausule", "fr": "clause type",
        "en": "model clause"},
    "run-finished": {"nl": "klaar", "fr": "terminée", "en": "finished"},
    "run-interrupted": {"nl": "onderbroken", "fr": "interrompue", "en": "interrupted"},
    "run-running": {"nl": "bezig", "fr": "en cours", "en": "running"},
    "coverage_label": {"nl": "dekking per criterium", "fr": "couverture par critère",
        "en": "coverage per criterion"},
}


def dashboard_words(lang: str) -> dict[str, str]:
    """Every word of the audit dashboard in `lang`, unformatted (the template fills them)."""
    return {key: _pick(texts, lang) for key, texts in DASHBOARD.items()}
