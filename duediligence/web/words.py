"""What the web page says around the report, in Dutch, French and English.

The report itself keeps its own words (`messages.LABELS`); these are the page's: navigation,
upload, history, settings, and a plain sentence for every error code an officer can meet.
"""

from __future__ import annotations

from ..languages import TEXT_LANGUAGES, builtin_packs
from ..messages import ERRORS, error_sentence

__all__ = ["LANGUAGES", "LANGUAGE_NAMES", "error_sentence", "error_sentences", "word", "words"]

# The page is written in the report languages (the columns of `_WORDS`), each named in itself
# as its language file names it (data/languages/<code>.yml).
LANGUAGES = TEXT_LANGUAGES
LANGUAGE_NAMES = {p.code: p.name for p in builtin_packs() if p.code in LANGUAGES}

_WORDS: dict[str, tuple[str, str, str]] = {
    # nl, fr, en
    "app": ("Duurzaamheidscheck voor bestekken", "Contrôle durable des cahiers des charges", "Sustainability check for tenders"),
    "nav-upload": ("Bestek controleren", "Contrôler un cahier", "Check a tender"),
    "nav-history": ("Geschiedenis", "Historique", "History"),
    "nav-settings": ("Instellingen", "Paramètres", "Settings"),
    "nav-logout": ("Afmelden", "Se déconnecter", "Log out"),
    "signed-in": ("Aangemeld als {name}", "Connecté en tant que {name}", "Signed in as {name}"),
    "language": ("Taal", "Langue", "Language"),
    "skip": ("Naar de inhoud", "Aller au contenu", "Skip to content"),
    "local-only": ("Geen accounts: deze pagina is enkel open voor deze computer.",
                   "Pas de comptes : cette page n'est ouverte qu'à cet ordinateur.",
                   "No accounts: this page is open to this computer only."),
    # login
    "login-title": ("Aanmelden", "Connexion", "Log in"),
    "login-name": ("Naam", "Nom", "Name"),
    "login-password": ("Wachtwoord", "Mot de passe", "Password"),
    "login-submit": ("Aanmelden", "Se connecter", "Log in"),
    "login-wrong": ("Verkeerde naam of wachtwoord.", "Nom ou mot de passe incorrect.", "Wrong name or password."),
    "login-blocked": ("Te veel mislukte pogingen. Probeer opnieuw over {minutes} minuten.",
                      "Trop de tentatives échouées. Réessayez dans {minutes} minutes.",
                      "Too many failed attempts. Try again in {minutes} minutes."),
    "logged-out": ("U bent afgemeld.", "Vous êtes déconnecté.", "You are logged out."),
    # upload
    "upload-title": ("Bestekken controleren", "Contrôler des cahiers des charges", "Check tenders"),
    "upload-intro": ("Sleep PDF-, Word- (DOCX), tekst- of Markdown-bestanden hierheen, of kies ze. Elk bestand wordt "
                     "gecontroleerd op de duurzaamheidscriteria; daarna ziet u het rapport en kunt u de Word-kopieën downloaden.",
                     "Déposez ici des fichiers PDF, Word (DOCX), texte ou Markdown, ou choisissez-les. Chaque fichier est "
                     "contrôlé selon les critères de durabilité ; vous voyez ensuite le rapport et téléchargez les copies Word.",
                     "Drop PDF, Word (DOCX), text or Markdown files here, or choose them. Each file is checked against the "
                     "sustainability criteria; then you see the report and can download the Word copies."),
    "upload-choose": ("Bestanden kiezen", "Choisir des fichiers", "Choose files"),
    "upload-drop": ("of sleep ze hierheen", "ou déposez-les ici", "or drop them here"),
    "upload-submit": ("Controleren", "Contrôler", "Check"),
    "upload-limits": ("Tot {mb} MB per bestand; PDF tot {pages} pagina's.", "Jusqu'à {mb} Mo par fichier ; PDF jusqu'à {pages} pages.",
                      "Up to {mb} MB per file; PDF up to {pages} pages."),
    "upload-files": ("Uw bestanden", "Vos fichiers", "Your files"),
    "state-uploading": ("wordt verzonden… {pct} %", "envoi… {pct} %", "uploading… {pct}%"),
    "state-queued": ("wacht: plaats {place} in de rij", "en attente : place {place} dans la file", "waiting: place {place} in the queue"),
    "state-checking": ("wordt gecontroleerd…", "en cours de contrôle…", "being checked…"),
    "state-done": ("klaar", "terminé", "done"),
    "state-failed": ("niet gecontroleerd", "non contrôlé", "not checked"),
    "open-report": ("Rapport openen", "Ouvrir le rapport", "Open report"),
    "busy": ("De server is druk ({detail}). Probeer het over een minuut opnieuw.",
             "Le serveur est occupé ({detail}). Réessayez dans une minute.",
             "The server is busy ({detail}). Try again in a minute."),
    "csrf": ("Het beveiligingstoken van het formulier ontbreekt of is verlopen; laad de pagina opnieuw.",
             "Le jeton de sécurité du formulaire manque ou a expiré ; rechargez la page.",
             "The form's security token is missing or stale; reload the page."),
    "bad-request": ("Het formulier kon niet gelezen worden; laad de pagina opnieuw.",
                    "Le formulaire n'a pas pu être lu ; rechargez la page.",
                    "The form could not be read; reload the page."),
    # history
    "history-title": ("Geschiedenis", "Historique", "History"),
    "history-intro": ("Uw controles op deze server. Een rapport blijft hier tot u het verwijdert.",
                      "Vos contrôles sur ce serveur. Un rapport reste ici jusqu'à ce que vous le supprimiez.",
                      "Your checks on this server. A report stays here until you delete it."),
    "history-pending": ("Wacht of wordt gecontroleerd", "En attente ou en cours", "Waiting or being checked"),
    "history-empty": ("Nog geen controles.", "Pas encore de contrôles.", "No checks yet."),
    "col-date": ("Datum", "Date", "Date"),
    "col-file": ("Bestand", "Fichier", "File"),
    "col-sha": ("SHA-256", "SHA-256", "SHA-256"),
    "col-findings": ("Bevindingen", "Constats", "Findings"),
    "col-actions": ("Acties", "Actions", "Actions"),
    "open": ("Openen", "Ouvrir", "Open"),
    "delete": ("Verwijderen", "Supprimer", "Delete"),
    "delete-confirm": ("Deze controle en haar bestanden verwijderen?", "Supprimer ce contrôle et ses fichiers ?",
                       "Delete this check and its files?"),
    "deleted": ("Controle verwijderd.", "Contrôle supprimé.", "Check deleted."),
    "not-readable": ("niet leesbaar", "illisible", "not readable"),
    # report page
    "downloads": ("Downloaden", "Télécharger", "Downloads"),
    "dl-html": ("Rapport (HTML)", "Rapport (HTML)", "Report (HTML)"),
    "dl-json": ("JSON", "JSON", "JSON"),
    "dl-sarif": ("SARIF", "SARIF", "SARIF"),
    "dl-annotated": ("Word met opmerkingen", "Word avec commentaires", "Word with comments"),
    "dl-fixed": ("Word met ontbrekende clausules als wijzigingen", "Word avec les clauses manquantes en révisions",
                 "Word with the missing clauses as tracked changes"),
    "copies-docx-only": ("Word-kopieën worden gemaakt van DOCX-bestekken.", "Les copies Word sont faites à partir des cahiers DOCX.",
                         "Word copies are made from DOCX tenders."),
    "copies-expired": ("De Word-kopieën zijn na {hours} uur verwijderd; laad het bestek opnieuw op om ze te krijgen.",
                       "Les copies Word ont été supprimées après {hours} heures ; rechargez le cahier pour les obtenir.",
                       "The Word copies were removed after {hours} hours; upload the tender again to get them."),
    "checked-on": ("Gecontroleerd op {date}", "Contrôlé le {date}", "Checked on {date}"),
    "back-history": ("Terug naar de geschiedenis", "Retour à l'historique", "Back to the history"),
    # settings
    "settings-title": ("Instellingen", "Paramètres", "Settings"),
    "settings-intro": ("Alleen lezen: pas ze aan in {file} en herstart de server.",
                       "Lecture seule : modifiez-les dans {file} puis redémarrez le serveur.",
                       "Read-only: change them in {file} and restart the server."),
    "settings-no-file": ("Alleen lezen. Er is geen configuratiebestand: dit zijn de standaardwaarden. Zet een "
                         ".duediligence.toml in {folder} en herstart de server om ze te wijzigen.",
                         "Lecture seule. Aucun fichier de configuration : voici les valeurs par défaut. Placez un "
                         ".duediligence.toml dans {folder} et redémarrez le serveur pour les changer.",
                         "Read-only. There is no configuration file: these are the defaults. Put a .duediligence.toml "
                         "in {folder} and restart the server to change them."),
    "settings-config": ("Configuratie", "Configuration", "Configuration"),
    "col-key": ("Sleutel", "Clé", "Key"),
    "col-value": ("Waarde", "Valeur", "Value"),
    "col-source": ("Komt van", "Provenance", "From"),
    "settings-criteria": ("Criteria", "Critères", "Criteria"),
    "settings-library": ("Clausulebibliotheek {version}", "Bibliothèque de clauses {version}", "Clause library {version}"),
    "settings-own": ("Eigen criteria van de organisatie", "Critères propres de l'organisation", "The organisation's own criteria"),
    "settings-own-none": ("Geen eigen criteriamap ingesteld (sleutel library).", "Aucun dossier de critères propre (clé library).",
                          "No criteria folder of its own is configured (key library)."),
    "col-criterion": ("Criterium", "Critère", "Criterion"),
    "col-file-path": ("Bestand", "Fichier", "File"),
    # errors
    "not-found": ("Niet gevonden.", "Introuvable.", "Not found."),
    "forbidden": ("Geen toegang.", "Accès refusé.", "Forbidden."),
    "proxy-missing": ("De reverse proxy gaf geen gebruiker door; meld u aan via de proxy.",
                      "Le proxy inverse n'a transmis aucun utilisateur ; connectez-vous via le proxy.",
                      "The reverse proxy passed no user; sign in through the proxy."),
}



def word(key: str, lang: str, **values: object) -> str:
    text = _WORDS[key][LANGUAGES.index(lang) if lang in LANGUAGES else 2]
    return text.format(**values) if values else text




def words(lang: str) -> dict[str, str]:
    """Every page word in `lang`, unformatted, for templates and the upload script."""
    return {key: word(key, lang) for key in _WORDS}


def error_sentences(lang: str) -> dict[str, str]:
    return {code: error_sentence(code, lang) for code in ERRORS}
