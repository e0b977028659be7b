"""One numeral that may be approximate to a :class:`Numeral`: :func:`parse_numeral`.

Adjacent-numeral ranges (``两三``, ``七八十``), vague forms (``十几``, ``数百``, ``上百``),
inner approximations (``十多万``, ``500余万``) and percent-style fractions (``百分之二三十``);
exact numerals are read by :mod:`reportie.numbers.exact`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from .base import Numeral, NumeralError
from .chars import clean
from .exact import parse_plain, parse_signed, split_sign
from .vocab import vocab

__all__ = ["parse_numeral", "try_parse_numeral"]


def parse_numeral(text: str) -> Numeral:
    """Parse a numeral that may be a range, vague, or carry an inner 多/余.

    >>> parse_numeral("两三")
    Numeral(value=2.0, low=2.0, high=3.0, approx='range')
    >>> parse_numeral("七八十").high
    80.0
    >>> parse_numeral("十几")
    Numeral(value=10.0, low=10.0, high=20.0, approx='vague')
    >>> parse_numeral("数百")
    Numeral(value=100.0, low=100.0, high=1000.0, approx='vague')
    >>> parse_numeral("十多万")
    Numeral(value=100000.0, low=None, high=None, approx='more_than')

    Raises :class:`NumeralError` on malformed input.
    """
    if not isinstance(text, str):
        raise NumeralError(f"not a string: {text!r}")
    try:
        return _parse_numeral(clean(text))
    except NumeralError:
        raise
    except (ValueError, IndexError, KeyError, ZeroDivisionError, OverflowError) as exc:
        raise NumeralError(f"malformed numeral {text!r}: {exc}") from exc


def _parse_numeral(s: str) -> Numeral:
    v = vocab()
    if not s:
        raise NumeralError("empty numeral")
    if s in v.half_forms:
        return Numeral(float(v.half_forms[s]))
    if s == v.half:
        return Numeral(0.5)
    sign, body = split_sign(s)
    if not body:
        raise NumeralError(f"sign without a number: {s!r}")
    # vague prefix + magnitudes only: 数百, 几十万, 上百, 上万
    if body[0] in v.vague_prefixes:
        rest = body[1:]
        if not rest or rest[0] not in v.vague_prefixes[body[0]] or \
                any(ch not in v.mags for ch in rest):
            raise NumeralError(f"vague prefix must precede magnitudes only: {s!r}")
        mag = parse_plain(rest, allow_bare_magnitude=True)
        return _signed(sign, Numeral(mag, mag, 10 * mag, "vague"))
    # vague digit inside: 十几, 二十几万, 一百零几万
    if v.vague_digit in body:
        idx = body.index(v.vague_digit)
        head, tail = body[:idx], body[idx + 1:]
        if not head or head[-1] not in ("十", "零") or any(ch not in v.mags for ch in tail):
            raise NumeralError(f"unsupported vague form: {s!r}")
        low = parse_plain(head + tail if head[-1] != "零" else head[:-1] + tail)
        tail_mult = parse_plain(tail, allow_bare_magnitude=True) if tail else 1.0
        high = low + 10 * tail_mult
        return _signed(sign, Numeral(low, low, high, "vague"))
    # percent-style fraction: 百分之二三十, 百分之百 (the numerator may be a range or 百)
    if v.fraction in body:
        den_s, num_s = body.split(v.fraction, 1)
        if den_s and all(ch in v.mags for ch in den_s) and num_s:
            den = parse_plain(den_s, allow_bare_magnitude=True)
            if num_s in v.small:
                inner = Numeral(float(v.small[num_s]))
            else:
                inner = _parse_numeral(num_s)
            scale = sign / den
            return Numeral(inner.value * scale,
                           None if inner.low is None else inner.low * scale,
                           None if inner.high is None else inner.high * scale, inner.approx)
    # inner approximation: 十多万, 500余万, 三十万多亿, 四百多
    for mark, approx in v.inner_approx.items():
        if mark in body:
            idx = body.index(mark)
            tail = body[idx + 1:]
            if idx == 0 or any(ch not in v.mags for ch in tail):
                raise NumeralError(f"misplaced {mark}: {s!r}")
            value = parse_signed(body[:idx] + tail, allow_bare_magnitude=False)
            return _signed(sign, Numeral(value, None, None, approx))
    # adjacent numerals: 两三, 七八十, 三五百, 十七八, 二三十万
    int_part = body.split(v.point, 1)[0]
    pure_digits = all(ch in v.digits for ch in int_part)
    if not (pure_digits and len(int_part) >= 3):
        for i in range(len(int_part) - 1):
            if body[i:i + 2] in v.range_pairs:
                low = parse_plain(body[:i + 1] + body[i + 2:])
                high = parse_plain(body[:i] + body[i + 1:])
                if low >= high:
                    raise NumeralError(f"range bounds out of order: {s!r}")
                return _signed(sign, Numeral(low, low, high, "range"))
    return Numeral(sign * parse_signed(body, allow_bare_magnitude=False))


def try_parse_numeral(text: str) -> Optional[Numeral]:
    """:func:`parse_numeral`, returning ``None`` instead of raising."""
    if not isinstance(text, str):
        return None
    return _parsed(text)


@lru_cache(maxsize=8192)
def _parsed(text: str) -> Optional[Numeral]:
    """try_parse_numeral, remembered: a report repeats the same few numerals (and a Numeral is frozen)."""
    try:
        return parse_numeral(text)
    except NumeralError:
        return None


def _signed(sign: int, num: Numeral) -> Numeral:
    if sign > 0:
        return num
    low = None if num.low is None else -num.high  # type: ignore[operator]
    high = None if num.high is None else -num.low  # type: ignore[operator]
    return Numeral(-num.value if num.low is None else low, low, high, num.approx)  # type: ignore[arg-type]

