"""Script normalisation: the length-preserving simplified view of a text.

Reports come in simplified and in traditional characters, with full-width digits and letters.
Every reader of words (segmentation, rulers, classifier features, the quantity finder,
metadata) reads :func:`simplified_view` of the text: traditional characters become simplified
ones (OpenCC's ``t2s`` conversion, a kept library; reportie does not keep its own table) and
full-width digits, letters and ``％`` become ASCII. The view has exactly the length of the text,
character for character, so an offset found on it is an offset into the input, and
``Report.text`` and every ``text`` field stay as written.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["simplified_view", "to_simplified"]

# Full-width digits, Latin letters and the percent sign; Chinese punctuation (，。（）) is the
# genre's own and stays as written.
_HALF_WIDTH = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                 *range(0xFF41, 0xFF5B), 0xFF05)}


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified, one character for one (a phrase rule that would change the
    length of a line is replaced by the character-by-character conversion of that line)."""
    if not text or text.isascii():
        return text
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    out = []
    for line in text.splitlines(keepends=True):
        line_view = _converter().convert(line)
        if len(line_view) != len(line):
            line_view = "".join(c if len(c) == 1 else ch for ch, c in
                                zip(line, map(_converter().convert, line)))
        out.append(line_view)
    return "".join(out)


def simplified_view(text: str) -> str:
    """The text as every reader of words sees it: simplified, with half-width digits and
    letters; ``len(simplified_view(t)) == len(t)``."""
    return to_simplified(text).translate(_HALF_WIDTH)
