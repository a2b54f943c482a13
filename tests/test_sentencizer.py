"""`duediligence.sentencizer` splits sentences exactly as spaCy's blank pipeline with a
sentencizer does: on real tender text and on random text built from the tokenizer's own
special cases, in the three languages. A spaCy upgrade whose rules changed fails here; then
run `python tools/build_sentence_rules.py`."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from duediligence import sentencizer

spacy = pytest.importorskip("spacy")
ROOT = Path(__file__).resolve().parent.parent
LANGS = ("nl", "fr", "en")


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    pipelines = {}
    for lang in LANGS:
        nlp = spacy.blank(lang)
        nlp.add_pipe("sentencizer")
        pipelines[lang] = nlp
    return pipelines


def _spacy(nlp: Any, text: str) -> list[tuple[int, int]]:
    return [(s.start_char, s.end_char) for s in nlp(text).sents]


def _sample_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "samples" / "src").glob("*.md")):
        body = path.read_text(encoding="utf-8")
        texts += [p for p in body.split("\n\n") if p.strip()]
        texts.append(body)
    return texts


@pytest.mark.parametrize("lang", LANGS)
def test_sample_paragraphs_split_as_spacy_splits_them(lang: str, reference: dict[str, Any]) -> None:
    texts = _sample_texts()
    assert len(texts) > 100
    for text in texts:
        assert sentencizer.sentences(text, lang) == _spacy(reference[lang], text), text[:200]


def test_random_text_of_special_cases_and_punctuation_splits_as_spacy(reference: dict[str, Any]) -> None:
    rnd = random.Random(15)
    plain = list("aAbéÉcdeèfghiklmnopqrstuvwxyz0123456789 \n\t\xa0.,;:!?'’\"-–—()[]«»/&%€°§…।")
    plain += ["art.", "nr.", "o.a.", "etc.", "Dr.", "http://x.be/a?b=c", "www.test.be", "l'", "qu'",
              "aujourd'hui", "c'est-à-dire", "porte-monnaie", ":-)", "°C.", "n°", "10.000", "U.S.", "  ", "..."]
    for _ in range(1500):
        lang = rnd.choice(LANGS)
        rules = sentencizer.rules(lang)
        specials, pieces = sorted(rules.specials), sorted(rules._pattern_tokens)
        parts = []
        for _ in range(rnd.randint(1, 25)):
            k = rnd.random()
            parts.append(rnd.choice(specials) if k < 0.25 else rnd.choice(pieces) if k < 0.45 else rnd.choice(plain))
        text = "".join(parts)
        assert sentencizer.sentences(text, lang) == _spacy(reference[lang], text), repr(text)


def test_french_hyphenated_and_elided_words_need_no_token_match_pattern(reference: dict[str, Any]) -> None:
    """The 1.4 MB French token-match pattern is compiled only where it could move a sentence."""
    text = ("L'adjudicataire s'engage à respecter les conventions de l'OIT. Celle-ci s'applique "
            "aux sous-traitants, y compris les porte-monnaie et l'arrière-boutique. Fin.")
    fresh = sentencizer._Rules.__new__(sentencizer._Rules)
    fresh.__dict__.update(sentencizer.rules("fr").__dict__, _token_match=None)
    tokens, unsure = fresh.tokens(text, exact=False)
    assert unsure and not fresh.needs_token_match(text, tokens, unsure)
    assert fresh._token_match is None
    assert sentencizer.sentences(text, "fr") == _spacy(reference["fr"], text)


def test_a_check_imports_no_spacy(tmp_path: Path) -> None:
    doc = tmp_path / "bestek.txt"
    doc.write_text("Bestek. De opdrachtnemer levert fairtrade koffie. Hij respecteert art. 7 van de IAO.\n",
                   encoding="utf-8")
    code = ("import sys; from duediligence.cli import main\n"
            "try:\n    main(['check', '--quiet', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
            "print('spacy' in sys.modules)")
    env_cache = {"DUEDILIGENCE_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", code, str(doc)], capture_output=True, text=True,
                         env={**os.environ, **env_cache}, check=True).stdout
    assert out.strip().splitlines()[-1] == "False"
