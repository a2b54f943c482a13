"""The sentence-span cache: a re-check of an unchanged block never needs spaCy again."""

from __future__ import annotations

from pathlib import Path

import pytest

from duediligence import cache, nlp


def test_second_split_of_the_same_text_comes_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache.SpanCache, "_shared", cache.SpanCache(tmp_path / "sentences.sqlite"))
    text = "De opdrachtnemer respecteert de IAO-verdragen nr. 138 en 182. Hij legt dit op aan zijn onderaannemers."
    first = nlp.sentence_spans(text, "nl")
    assert [text[a:b] for a, b in first][1].startswith("Hij legt")

    def boom(*_args: object) -> None:
        raise AssertionError("spaCy was called for a cached text")

    monkeypatch.setattr(nlp, "_split", boom)
    assert nlp.sentence_spans(text, "nl") == first
    with pytest.raises(AssertionError):
        nlp.sentence_spans(text + " Nieuw.", "nl")


def test_an_unusable_cache_is_bypassed(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    broken = cache.SpanCache(blocked / "sub" / "sentences.sqlite")
    assert broken.get(broken.key("nl", "tekst")) is None
    broken.put(broken.key("nl", "tekst"), [(0, 5)])  # no error
