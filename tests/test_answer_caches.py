"""The answers the index and the matchers remember (per block, per section, per sentence, per
heading) are the answers computed afresh, asked in any order and more than once."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from duediligence.index import _DECLARATION, DocumentIndex
from duediligence.languages import language_pattern
from duediligence.library import load_library
from duediligence.matchers import Matchers
from duediligence.read import read_document
from duediligence.segment import segment

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("sample", ["nl_dorpsplein_01.pdf", "fr_festival_31.docx", "en_treasury-banking_37.docx"])
def test_remembered_answers_equal_fresh_ones(sample: str) -> None:
    library = load_library()
    matchers = Matchers(library)
    doc = segment(read_document(ROOT / "samples" / sample))
    index = DocumentIndex(doc)
    sets = [matchers.common(name) for name in ("not_bought", "new_supply", "not_enclosed", "contractor")]
    blocks = list(doc.blocks) * 2
    random.Random(7).shuffle(blocks)
    for block in blocks:
        assert index.is_declaration(block) == any(language_pattern(_DECLARATION).search(h) for h in block.section_path)
        for cs in sets:
            for start, end in [(block.start, block.end), *index.sentences(block)]:
                assert index.matches_in(cs, start, end) == cs.finditer(doc.text, start, end)
        for criterion in library.criteria:
            for heading in block.section_path:
                fresh = any(matchers.criterion_set(criterion, name).search(heading) for name in criterion.vocabulary)
                assert matchers.names(criterion, heading) is fresh
