"""Exact numerals to a float: :func:`parse_number` and the token state machine under it.

Arabic, Chinese, financial, mixed (``3万4000``), abbreviated (``一万三``), digit-by-digit
(``二〇二三``) and fraction forms (``三分之二``, ``1又1/2`` style); anything that is not one
exact number (a range, a vague form) raises :class:`NumeralError`.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from .base import NumeralError
from .chars import clean
from .vocab import vocab

__all__ = ["parse_number", "try_parse_number", "parse_plain", "parse_signed", "split_sign"]


def split_sign(s: str) -> Tuple[int, str]:
    for word in vocab().signs:
        if s.startswith(word):
            return -1, s[len(word):]
    return 1, s


def parse_number(text: str) -> float:
    """Parse one exact numeral (Arabic, Chinese, financial, mixed, fraction) to a float.

    >>> parse_number("一百二十")
    120.0
    >>> parse_number("3万4000")
    34000.0
    >>> parse_number("2.6亿")
    260000000.0

    Raises :class:`NumeralError` for empty or malformed input and for forms that are not a
    single exact number: adjacent-numeral ranges (``两三``), vague forms (``十几``), inner
    approximations (``十多万``). Use :func:`parse_numeral` for those.
    """
    if not isinstance(text, str):
        raise NumeralError(f"not a string: {text!r}")
    s = clean(text)
    if not s:
        raise NumeralError("empty numeral")
    try:
        return parse_signed(s, allow_bare_magnitude=False)
    except NumeralError:
        raise
    except (ValueError, IndexError, KeyError, ZeroDivisionError, OverflowError) as exc:
        raise NumeralError(f"malformed numeral {text!r}: {exc}") from exc


def try_parse_number(text: str) -> Optional[float]:
    """:func:`parse_number`, returning ``None`` instead of raising."""
    try:
        return parse_number(text)
    except NumeralError:
        return None


def parse_signed(s: str, allow_bare_magnitude: bool) -> float:
    v = vocab()
    if v.mixed in s and v.fraction in s and s.index(v.mixed) < s.index(v.fraction):
        whole, frac = s.split(v.mixed, 1)
        w = parse_signed(whole, False)
        f = _parse_fraction(frac)
        if f < 0:
            raise NumeralError(f"negative fraction after 又: {s!r}")
        return w - f if w < 0 or split_sign(whole)[0] < 0 else w + f
    if v.fraction in s:
        return _parse_fraction(s)
    sign, body = split_sign(s)
    if not body:
        raise NumeralError(f"sign without a number: {s!r}")
    return sign * parse_plain(body, allow_bare_magnitude)


def _parse_fraction(s: str) -> float:
    v = vocab()
    den_s, num_s = s.split(v.fraction, 1)
    if not den_s or not num_s:
        raise NumeralError(f"incomplete fraction: {s!r}")
    den = parse_signed(den_s, allow_bare_magnitude=True)
    num = parse_signed(num_s, allow_bare_magnitude=False)
    if den == 0:
        raise NumeralError(f"zero denominator: {s!r}")
    return num / den


def parse_plain(s: str, allow_bare_magnitude: bool = False) -> float:
    """Unsigned numeral without fractions: the token state machine."""
    v = vocab()
    if not s:
        raise NumeralError("empty numeral part")
    if s in v.half_forms:
        return float(v.half_forms[s])
    mult = 1
    if s[-1] in v.latin_mag and len(s) > 1 and s[-2].isdigit():
        mult = v.latin_mag[s[-1]]
        s = s[:-1]
    if allow_bare_magnitude and all(ch in v.mags for ch in s):
        value = 1.0
        for ch in s:
            value *= v.small.get(ch) or v.big[ch]
        return value * mult
    tokens = v.token_re.findall(s)
    if not tokens:
        raise NumeralError(f"no numeral in {s!r}")
    # digit-by-digit reading (二〇〇二, 一七二零点一); a two-digit adjacent pair is a range.
    int_tokens = [t for t in tokens if not t.startswith(v.point)]
    if len(int_tokens) >= 2 and all(t in v.digits for t in int_tokens) and \
            (len(tokens) - len(int_tokens)) <= 1 and not tokens[0].startswith(v.point):
        if tokens[-1].startswith(v.point) is False and any(t.startswith(v.point) for t in tokens):
            raise NumeralError(f"misplaced decimal point: {s!r}")
        if "两" in int_tokens:
            raise NumeralError(f"两 is never read digit by digit: {s!r}")
        if len(int_tokens) == 2 and "".join(int_tokens) in v.range_pairs:
            raise NumeralError(f"adjacent numerals denote a range, use parse_numeral: {s!r}")
        digits = "".join(str(v.digits[t]) for t in int_tokens)
        frac = ""
        if tokens[-1].startswith(v.point):
            frac = "." + "".join(str(v.digits.get(ch, ch)) for ch in tokens[-1][1:])
        return float(digits + frac) * mult
    return _state_machine(tokens, s) * mult


def _dec_fraction(tok: str) -> float:
    v = vocab()
    digits = "".join(str(v.digits[ch]) if ch in v.digits else ch for ch in tok[1:])
    return float("0." + digits)


def _state_machine(tokens: List[str], s: str) -> float:
    v = vocab()
    total = 0.0
    group = 0.0
    pending: Optional[float] = None
    pending_tok = ""
    pending_decimal = False
    after_zero = False
    last_small: Optional[int] = None
    last_big: Optional[int] = None
    kinds: List[str] = []
    frozen = False
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if frozen and not (tok in v.big and kinds and kinds[-1] == "big"):
            raise NumeralError(f"nothing may follow a decimal with a magnitude: {s!r}")
        if tok in v.digits and v.digits[tok] == 0:
            if pending is not None:
                raise NumeralError(f"zero after a digit: {s!r}")
            after_zero = True
            kinds.append("zero")
        elif tok in v.digits or tok[0].isdigit():
            if pending is not None:
                raise NumeralError(f"two numbers without a unit between them: {s!r}")
            pending = float(v.digits[tok]) if tok in v.digits else float(tok)
            pending_tok = tok
            pending_decimal = "." in tok
            kinds.append("digit")
        elif tok in v.tens_words:
            if pending is not None or group or last_small is not None:
                raise NumeralError(f"misplaced {tok}: {s!r}")
            group += v.tens_words[tok]
            last_small = 10
            kinds.append("small")
        elif tok in v.small:
            unit = v.small[tok]
            if pending is None:
                if unit == 10 or (kinds and kinds[-1] == "zero"):
                    pending = 1.0
                elif i == 0 and n == 2 and tokens[1] in v.digits and v.digits[tokens[1]] > 0:
                    pending = 1.0  # 百三 = 130, 千三 = 1300
                else:
                    raise NumeralError(f"{tok} without a digit: {s!r}")
            if last_small is not None and unit >= last_small:
                raise NumeralError(f"magnitudes out of order: {s!r}")
            group += pending * unit
            pending = None
            after_zero = False
            last_small = unit
            kinds.append("small")
        elif tok in v.big:
            big = v.big[tok]
            value = group + (pending or 0.0)
            decimal = pending_decimal
            if value == 0:
                if kinds and kinds[-1] == "big":
                    total *= big  # 万万, 万亿
                    kinds.append("big")
                    continue
                raise NumeralError(f"{tok} without a number: {s!r}")
            if last_big is None or big > last_big:
                total = (total + value) * big
            else:
                total += value * big
            last_big = big
            group = 0.0
            pending = None
            pending_decimal = False
            after_zero = False
            last_small = None
            kinds.append("big")
            if decimal:
                frozen = True
        elif tok.startswith(v.point) and len(tok) > 1:
            if pending is None:
                if kinds and kinds[-1] in ("small", "big", "zero"):
                    pending = 0.0
                else:
                    raise NumeralError(f"decimal point without an integer part: {s!r}")
            elif pending_decimal:
                raise NumeralError(f"two decimal points: {s!r}")
            else:
                pending = _abbreviated(pending, pending_tok, kinds, after_zero, last_small, last_big, s)
            pending += _dec_fraction(tok)
            pending_decimal = True
            pending_tok = ""
            kinds.append("point")
        else:
            raise NumeralError(f"unexpected {tok!r} in {s!r}")
    if pending is not None:
        if kinds[-1] == "digit":
            pending = _abbreviated(pending, pending_tok, kinds, after_zero, last_small, last_big, s)
        group += pending
    return total + group


def _abbreviated(pending: float, tok: str, kinds: List[str], after_zero: bool,
                 last_small: Optional[int], last_big: Optional[int], s: str) -> float:
    """一万三 = 13000, 两千四百五 = 2450: a lone Chinese digit right after 百/千/万/亿."""
    v = vocab()
    if tok not in v.digits or after_zero or len(kinds) < 2 or kinds[-1] != "digit":
        return pending
    prev = kinds[-2]
    if prev == "small" and last_small == 10 and tok == "两":
        raise NumeralError(f"两 is not a units digit: {s!r}")
    if prev == "small" and last_small and last_small >= 100:
        if tok == "两":
            raise NumeralError(f"trailing 两 is not an abbreviated digit: {s!r}")
        return pending * last_small / 10
    if prev == "big" and last_big:
        if tok == "两":
            raise NumeralError(f"trailing 两 is not an abbreviated digit: {s!r}")
        return pending * last_big / 10
    return pending

