"""Text repair shared by every reader, so that matching sees words, not layout artefacts.

PDF extraction leaves ligatures (ﬁ), soft hyphens, odd spaces and words broken across line
ends ("mensen-\\nrechten"); without repair "mensenrechten" would never match. Later stages
only ever see the repaired text, so offsets stay meaningful within it. Full NFKC is not used
because it would also rewrite meaningful characters ("m²" → "m2", "½" → "1⁄2").
"""

from __future__ import annotations

import re
import unicodedata

# Ligatures are split, curly quotes straightened and the typographic hyphens made ASCII, so
# that one query form matches however the author's word processor rendered them.
_CHARS = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
    | {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
       "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u2010": "-", "\u2011": "-"}
    | {"\uf0b7": "\u2022", "\uf0a7": "\u25aa"}  # bullets drawn from Word's Symbol and Wingdings fonts
    | {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}  # full-width ASCII (CJK fonts)
)
_TO_TRANSLATE = re.compile("[" + "".join(map(chr, _CHARS)) + "]")  # translating is slow; most lines need none
# Soft hyphens, zero-width characters, pdfium's line-end hyphen marker and control characters
# carry no text; every kind of space and line break becomes one space.
_DROP = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffe\x00-\x08\x0b\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \n\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\r\f\v\x85\u2028\u2029]+")
# A hyphen at a line end: "-" or pdfium's marker for a hyphen it saw at a line end (U+0002
# from get_text_bounded, U+FFFE from get_text_range), or a soft hyphen.
_LINE_END_HYPHENS = "-\u2010\u00ad\x02\ufffe"
_HYPHEN_END = re.compile(f"(\\w)([{_LINE_END_HYPHENS}])$")
# "sociaal-" + "en arbeidsrechtelijke": a suspended compound keeps its hyphen and the space.
_CONJUNCTIONS = frozenset("en of tot noch et ou and or".split())
# Prefixes that keep their hyphen in the word itself: "sous-" + "traitants" is "sous-traitants".
_HYPHENATED_PREFIXES = frozenset("sous non demi semi contre après avant vice quasi self ex e".split())
_LAST_WORD = re.compile(r"(?<!\w)(\w+)$")


def normalize_text(text: str) -> str:
    """Ligatures, soft hyphens, odd spaces, quotes and hyphens repaired; whitespace collapsed."""
    if text.isprintable():  # most lines: no character to drop, and no space but U+0020
        if not text.isascii():  # ASCII has nothing to translate and is its own NFC
            if _TO_TRANSLATE.search(text):
                text = text.translate(_CHARS)
            text = unicodedata.normalize("NFC", text)
        if "  " in text or text[:1] == " " or text[-1:] == " ":
            return " ".join(text.split())
        return text  # spaced already: splitting and joining would build the same string word by word
    text = _DROP.sub("", text)
    if _TO_TRANSLATE.search(text):
        text = text.translate(_CHARS)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph, repairing words hyphenated across a line end.

    The hyphen is dropped when the next line goes on in lower case ("mensen-" + "rechten"),
    and kept before a capital or a digit, where it is a real compound ("Noord-" + "Zuid"), and
    before a conjunction, where a compound is suspended ("sociaal-" + "en arbeidsrechtelijke"),
    and after a prefix that keeps its hyphen ("sous-" + "traitants", "non-" + "conformité").
    A soft hyphen is always dropped: it only ever marks where a word may be broken.
    The pieces are joined once at the end, so a paragraph of a million lines costs linear time.
    """
    if len(lines) == 1:  # most PDF paragraphs and all headings: nothing to join
        return normalize_text(lines[0].strip())
    parts: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        # The last piece is always the line before, never empty: only a hyphen ending it needs the regex.
        end = _HYPHEN_END.search(_tail(parts, 2)) if parts and parts[-1][-1] in _LINE_END_HYPHENS else None
        if end is None:
            parts.extend((" ", line) if parts else (line,))
            continue
        parts[-1] = parts[-1][:-1]  # the hyphen, in whichever form; what stays in the word decides
        first_word = line.split(None, 1)[0].lower().strip(",.;:")
        if first_word in _CONJUNCTIONS:
            parts.append("- ")
        elif not (end.group(2) == "\u00ad" or (line[:1].islower() and not _hyphenated_prefix(_tail(parts, 12)))):
            parts.append("-")
        parts.append(line)
    return normalize_text("".join(parts))


def _tail(parts: list[str], size: int) -> str:
    """The last `size` characters of the pieces joined, without joining them."""
    tail = ""
    for piece in reversed(parts):
        tail = piece[-(size - len(tail)):] + tail
        if len(tail) >= size:
            break
    return tail


def _hyphenated_prefix(tail: str) -> bool:
    last = _LAST_WORD.search(tail)
    return last is not None and last.group(1).lower() in _HYPHENATED_PREFIXES
