"""Length-preserving normalisation of a text for numeral work (offsets stay valid).

Full-width forms become ASCII, traditional and financial numerals plain simplified ones
(:func:`normalize`); :func:`without_spaces` and :func:`clean` prepare one numeral string.
"""

from __future__ import annotations

from ..script import to_simplified
from .base import SPACES
from .vocab import vocab

__all__ = ["normalize", "without_spaces", "clean"]


def normalize(text: str, strict_commas: bool = False) -> str:
    """Length-preserving normalisation for numeral work.

    Traditional characters become simplified (:func:`reportie.script.to_simplified`, one
    character for one), full-width ASCII (``１２，３``) becomes ASCII, the ideographic space
    a space, and financial numerals (``壹佰萬``, ``兩``, ``點``) the plain simplified forms.
    ``len(normalize(t)) == len(t)`` always holds, so offsets found on the normalised text
    are offsets into the original. With ``strict_commas`` a full-width comma stays a
    comma (a clause break) unless it is a thousands separator inside digits (``９，９９９``,
    ``28，583万元``: one to three digits before it, a group of exactly three after, not after
    a money symbol), so ``$20，300美圆`` is not read as 20300.
    """
    # financial and traditional numerals first (參拾 -> 三十), then traditional script
    # (萬, 屆, 超過, 項: a traditional page reads like a simplified one)
    if not strict_commas:
        return to_simplified(vocab().plain(text))
    v = vocab()
    norm = v.strict(text)
    if "，" in text:
        commas = [m.start() for m in v.fullwidth_thousands_re.finditer(text) if not _after_symbol(text, m.start())]
        if commas:  # one list edit, not a string copy per comma (linear on long texts)
            chars = list(norm)
            for i in commas:
                chars[i] = ","
            norm = "".join(chars)
    return to_simplified(norm)


def _after_symbol(text: str, comma: int) -> bool:
    """The digits before a full-width comma follow a money symbol ($20，300美圆: two amounts)."""
    p = comma
    while p > 0 and text[p - 1] in "0123456789０１２３４５６７８９":
        p -= 1
    return p > 0 and text[p - 1] in "$￥¥＄"


def without_spaces(text: str) -> str:
    """``text`` without the characters of :data:`SPACES`."""
    for space in SPACES:
        if space in text:
            text = text.replace(space, "")
    return text


def clean(text: str) -> str:
    s = without_spaces(normalize(text))
    return vocab().thousands_re.sub("", s) if "," in s else s

