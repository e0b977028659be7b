"""The approximation class of a quantity (spec §2 ``approx``): the words before (约, 近, 超过 …)
and after it (以上, 左右, （含）以上 …) that touch it, and how they combine with the numeral's own
class (十多万, 两三).
"""

from __future__ import annotations

from typing import Optional, Tuple

from ..wordlists import word_at, word_before
from .vocabulary import vocabulary

__all__ = ["approx_bounds", "inclusive_suffix", "approx_class"]


def _prefix_approx(norm: str, pos: int, lo: int) -> Optional[Tuple[str, str]]:
    lex = vocabulary()
    word = word_before(norm, pos, lex.approx_prefix_sorted, lo)
    if word is None or word_before(norm, pos, lex.prefix_blockers):
        return None
    return word, lex.approx_prefix[word]


def _suffix_approx(norm: str, pos: int, limit: int) -> Optional[Tuple[str, str]]:
    lex = vocabulary()
    word = word_at(norm, pos, lex.approx_suffix_sorted)
    if word and pos + len(word) <= limit:
        return word, lex.approx_suffix[word]
    return None


def approx_bounds(norm: str, q_start: int, q_end: int, limit: int, lo: int
                  ) -> Tuple[int, int, Optional[str], Optional[str]]:
    """The span ``[q_start, q_end)`` widened by the approximation words touching it (not before
    ``lo`` or past ``limit``), and their classes: (start, end, class before, class after)."""
    pre = _prefix_approx(norm, q_start, lo)
    suf = _suffix_approx(norm, q_end, limit)
    start = q_start - len(pre[0]) if pre else q_start
    end = q_end + len(suf[0]) if suf else q_end
    return start, end, pre[1] if pre else None, suf[1] if suf else None


def inclusive_suffix(norm: str, pos: int) -> Optional[Tuple[int, str]]:
    """An inclusive mark and an approximation word right after ``pos`` (50万元（含）以上):
    (end, class), else None."""
    lex = vocabulary()
    mark = word_at(norm, pos, lex.inclusive_marks)
    if not mark:
        return None
    word = word_at(norm, pos + len(mark), lex.suffix_inclusive_words)
    if not word:
        return None
    return pos + len(mark) + len(word), lex.suffix_inclusive[word]


def approx_class(numeral: str, before: Optional[str], inner: Optional[str], after: Optional[str]) -> str:
    """The class of a quantity: the numeral's own (range, vague, 十多万: more_than) unless it is
    exact, then the word before it, the 余/多 between it and its unit, the word after it."""
    if numeral != "exact":
        return numeral
    return before or inner or after or "exact"
