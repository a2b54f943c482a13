"""Text repair shared by every reader, so that matching sees words, not layout artefacts.

PDF extraction leaves ligatures (ﬁ), soft hyphens, odd spaces and words broken across line
ends ("mensen-\\nrechten"); without repair "mensenrechten" would never match.
"""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\r\f\v]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2032": "'"})
_WS = re.compile(r"[ \n]+")
# pdfium marks a hyphen it saw at a line end as U+0002
_HYPHEN_END = re.compile(r"(\w)[-\u2010\u00ad\x02]$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def normalize_text(text: str) -> str:
    """Ligatures, soft hyphens, odd spaces and quotes repaired; whitespace collapsed."""
    for lig, plain in _LIGATURES.items():
        if lig in text:
            text = text.replace(lig, plain)
    text = _CONTROL.sub("", _INVISIBLE.sub("", text))
    text = _SPACES.sub(" ", text).translate(_QUOTES)
    text = unicodedata.normalize("NFC", text)
    return _WS.sub(" ", text).strip()


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph, repairing words hyphenated across a line end.

    The hyphen is dropped when the next line goes on in lower case ("mensen-" + "rechten"),
    and kept before a capital or a digit, where it is a real compound ("Noord-" + "Zuid").
    """
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and _HYPHEN_END.search(out):
            # "mensen-" + "rechten" -> mensenrechten; "Noord-" + "Zuid" -> Noord-Zuid
            out = (out[:-1] if line[:1].islower() else out) + line
        elif out:
            out += " " + line
        else:
            out = line
    return normalize_text(out)
