"""Ranges: two numbers joined by a connector (``3至5个``, ``十八至三十万``, ``5%—8%``) read as one
quantity with ``low`` and ``high``.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from ..numbers import NumeralError, parse_numeral, without_spaces
from ..wordlists import word_at
from .approximation import approx_bounds
from .base import BIG_MAGS, Atom, QuantityMatch, Tail, is_integer, skip_spaces
from .vocabulary import vocabulary
from .units import read_tail, scaled_value

__all__ = ["range_partner", "make_range"]


def range_partner(norm: str, atoms: List[Atom], i: int, a: Atom, tail: Tail, limit: int,
                  tails: Optional[List[Tail]] = None) -> Optional[Tuple[Atom, Tail, int]]:
    """The second number of a range starting with ``a`` (``atoms[i]`` after a connector), with
    its tail and position, or None; ``tails`` are those of ``atoms``, if the caller has them."""
    lex = vocabulary()
    if i >= len(atoms) or a.num.approx in ("range", "vague"):
        return None
    pos = tail.end if tail.unit and not tail.people_noun else a.end
    pos = skip_spaces(norm, pos, limit)
    mark = word_at(norm, pos, lex.inclusive_marks)
    if mark:
        pos = skip_spaces(norm, pos + len(mark), limit)
    conn = word_at(norm, pos, lex.connectors)
    if not conn:
        return None
    pos = skip_spaces(norm, pos + len(conn), limit)
    b = atoms[i]
    if b.start != pos or b.num.approx in ("range", "vague"):
        return None
    b_tail = tails[i] if tails is not None else read_tail(norm, b, limit, norm[b.start:b.end])
    if tail.excluded or b_tail.excluded:
        return b, b_tail, pos
    if tail.unit and not tail.people_noun:
        if b_tail.unit != tail.unit:
            return None
    if conn in ("-", "—", "–", "－") and (len(norm[b.start:b.end]) >= 7 or
                                          len(norm[a.start:a.end]) >= 7):
        return None  # phone numbers and codes
    if a.pct_scale is not None and b.pct_scale is None:
        return None  # 百分之五到10人: not one range
    return b, b_tail, pos


def _shared_magnitude(norm: str, a: Atom, b: Atom) -> float:
    """Scale the lower bound when the magnitude is written once: 十八至三十万 -> 18万."""
    a_text = without_spaces(norm[a.start:a.end])
    b_text = without_spaces(norm[b.start:b.end])
    if any(ch in a_text for ch in BIG_MAGS) or a.num.value * 10 > b.num.value:
        return a.num.value
    trailing = ""
    for ch in reversed(b_text):
        if ch in "十百千万亿kKwW":
            trailing = ch + trailing
        else:
            break
    if trailing == b_text:
        return a.num.value
    for k in range(1, len(trailing) + 1):
        suffix = trailing[-k:]
        if suffix[0] == "十":
            continue
        try:
            candidate = parse_numeral(a_text + suffix)
        except NumeralError:
            continue
        if candidate.value <= b.num.value and candidate.value * 100 > b.num.value:
            return candidate.value
    return a.num.value


def make_range(text: str, norm: str, a: Atom, a_tail: Tail, b: Atom, b_tail: Tail,
               limit: int, lo: int, base: int = 0) -> Optional[QuantityMatch]:
    """The range from ``a`` to ``b`` (in the window ``[lo, limit)`` of ``text``), or None when its
    bounds are out of order; offsets are moved by ``base``."""
    lex = vocabulary()
    unit, kind = b_tail.unit, b_tail.kind or "count"
    low_base = _shared_magnitude(norm, a, b) if not a_tail.unit else a.num.value
    scale = b_tail.scale if b.pct_scale is None else b.pct_scale
    a_scale = scale if a.pct_scale is None else a.pct_scale
    low = low_base * a_scale
    high = scaled_value(b, b_tail)
    if high is None:
        return None
    if b.num.high is not None:
        high = b.num.high * scale
    if low >= high:
        return None
    if kind in lex.integer_kinds and not (is_integer(low) and is_integer(high)):
        return None
    q_end = b_tail.end if b_tail.unit and not b_tail.people_noun else b.end
    s, e, pre, suf = approx_bounds(norm, a.start, q_end, limit, lo)
    return QuantityMatch(text[s:e], s + base, e + base, low, low, high, unit, kind, "range", None)
