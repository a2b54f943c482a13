"""Property tests over the text pipeline: any Unicode never crashes, offsets point into the
text, and results are deterministic."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duediligence.evidence import find_passages
from duediligence.index import DocumentIndex
from duediligence.library import load_library
from duediligence.matchers import Matchers
from duediligence.model import Block, BlockKind, Format, RawDocument
from duediligence.pipeline import Options, analyse
from duediligence.read.text import _blocks
from duediligence.segment import segment

LIBRARY = load_library()
MATCHERS = Matchers(LIBRARY)
WORDS = ["mensenrechten", "natuursteen", "kasseien", "fairtrade", "koffie", "fossielvrij", "bankwaarborg",
         "De opdrachtnemer moet", "bij voorkeur", "niet van toepassing", "Uitvoeringsvoorwaarden", "# 3. Straffen",
         "droits de l'homme", "shall", "\n\n", ". ", "ﬁ", "\u00ad", "İ", "ß", "ǅ"]
TEXT = st.lists(st.one_of(st.text(max_size=40), st.sampled_from(WORDS)), max_size=40).map(" ".join)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _raw(text: str) -> RawDocument:
    blocks = tuple(_blocks(text, markdown=True)) or (Block("x", 1),)
    return RawDocument("prop.md", Format.MARKDOWN, blocks, "0" * 64, len(text))


@SETTINGS
@given(TEXT)
def test_any_text_is_analysed_with_offsets_inside_the_text(text: str) -> None:
    raw = _raw(text)
    result = analyse(raw, LIBRARY, MATCHERS, Options(limits=None))  # type: ignore[arg-type]
    full = segment(raw).text
    for f in result.findings:
        for e in (*f.evidence, *f.discounted):
            assert 0 <= e.start <= e.end <= len(full)
            for m in e.matches:
                assert 0 <= m.start < m.end <= len(full)


@SETTINGS
@given(TEXT)
def test_results_are_deterministic(text: str) -> None:
    raw = _raw(text)
    first = analyse(raw, LIBRARY, MATCHERS, Options(limits=None))  # type: ignore[arg-type]
    second = analyse(raw, LIBRARY, MATCHERS, Options(limits=None))  # type: ignore[arg-type]
    assert first == second


@SETTINGS
@given(st.lists(st.text(min_size=1, max_size=200), min_size=1, max_size=8))
def test_passages_are_sentences_of_their_block(texts: list[str]) -> None:
    blocks = tuple(Block(t, i + 1, BlockKind.PARAGRAPH) for i, t in enumerate(texts) if t.strip())
    if not blocks:
        return
    doc = segment(RawDocument("p.txt", Format.TEXT, blocks, "0" * 64, 1))
    index = DocumentIndex(doc)
    for criterion in LIBRARY.criteria:
        for p in find_passages(index, criterion, MATCHERS):
            assert p.block.start <= p.start < p.end <= p.block.end


def test_readers_never_crash_on_the_samples_bytes_mutated(tmp_path: Path) -> None:
    """A quick in-suite slice of benchmarks/fuzz_readers.py (which runs for minutes)."""
    import random

    from duediligence.errors import InputError
    from duediligence.read import read_document

    samples = sorted(Path(__file__).resolve().parent.parent.joinpath("samples").glob("*.*"))
    rng = random.Random(7)
    for sample in [s for s in samples if s.suffix in (".pdf", ".docx")][:4]:
        data = bytearray(sample.read_bytes())
        for i in range(8):
            mutated = bytearray(data)
            for _ in range(rng.randint(1, 20)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
            path = tmp_path / f"m{i}{sample.suffix}"
            path.write_bytes(bytes(mutated[: rng.randint(len(mutated) // 2, len(mutated))]))
            try:
                read_document(path)
            except InputError:
                pass
