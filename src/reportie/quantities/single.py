"""One number with its unit as a :class:`QuantityMatch`: its value, unit (with the currency and a
bracketed alternative: 件(次)), kind, span and approximation class.
"""

from __future__ import annotations

from typing import Optional

from ..numbers import Numeral, without_spaces
from .approximation import approx_bounds, approx_class, inclusive_suffix
from .base import Atom, QuantityMatch, Tail, is_integer
from .exclusions import not_a_count
from .vocabulary import vocabulary
from .money import currency_before, symbol_before
from .units import scaled_value, unit_alternative

__all__ = ["make_single"]


def make_single(text: str, norm: str, a: Atom, tail: Tail, limit: int, lo: int, base: int = 0
                ) -> Optional[QuantityMatch]:
    """The quantity of the number ``a`` with its ``tail`` in the window ``[lo, limit)`` of ``text``
    (``norm`` is its normalised form), or None; offsets are moved by ``base`` (where ``text``
    starts in the whole text)."""
    lex = vocabulary()
    unit, kind = tail.unit, tail.kind or "count"
    if not unit:
        sym = symbol_before(norm, a.start)
        if sym:
            unit, kind = sym[1], "money"
    if not_a_count(norm, a, tail, kind):
        return None
    if tail.scale == 10.0 and not _tenths_value_ok(a.num, norm, tail):
        return None
    value = scaled_value(a, tail)
    low = scaled_value(a, tail, "low")
    high = scaled_value(a, tail, "high")
    if tail.scale == 10.0 and a.num.value >= 10 and "折" in norm[tail.unit_start:tail.end]:
        value, low, high = a.num.value, a.num.low, a.num.high  # 75折 = 75%
    written = without_spaces(norm[a.start:tail.end])
    if written in lex.half_tenths:
        value = float(lex.half_tenths[written])
    if kind in lex.integer_kinds and not (is_integer(value) and is_integer(high)):
        return None
    if value is None:
        return None
    if kind in lex.integer_kinds:  # 1.1亿件 is 110000000, not 110000000.00000001
        value = float(round(value))
        low = None if low is None else float(round(low))
        high = None if high is None else float(round(high))
    q_start = a.start
    sym = symbol_before(norm, a.start)
    if sym and kind == "money":
        q_start -= len(sym[0])
    q_end = tail.end if tail.unit else a.end
    if kind == "money" and unit == "元" and not sym:
        currency = currency_before(norm, a.start, lo)
        if currency:  # 港币两千九百六十元 -> 港元, 新台币 177.1 亿元 -> 新台币
            q_start, unit = currency
    elif tail.unit and kind in lex.integer_kinds:
        alt = unit_alternative(norm, q_end, limit)
        if alt:  # 211件(次) -> 件(次)
            unit, q_end = f"{unit}({alt})", q_end + len(alt) + 2
    s, e, pre, suf = approx_bounds(norm, q_start, q_end, limit, lo)
    if tail.people_noun:
        e, suf = q_end, None  # 26万各级人大代表: the span ends with the number
    if not suf and not tail.people_noun:
        inclusive = inclusive_suffix(norm, q_end)
        if inclusive:  # 50万元（含）以上 -> at_least
            e, suf = inclusive
    approx = approx_class(a.num.approx, pre, tail.inner_approx, suf)
    return QuantityMatch(text[s:e], s + base, e + base, value, low if approx in ("range", "vague") else None,
                         high if approx in ("range", "vague") else None, unit, kind, approx, None)


def _tenths_value_ok(num: Numeral, norm: str, tail: Tail) -> bool:
    lex = vocabulary()
    written = norm[tail.unit_start:tail.unit_start + 1]
    rule = lex.tenths.get(written, {})
    v = num.value
    if v <= 0:
        return False
    if v <= rule.get("max_tenths", 10):
        return True
    return bool(rule.get("allow_two_digit")) and 10 < v < 100 and is_integer(v)
