"""Pure parsing of numerals as they appear in Chinese people's-congress reports.

No spaCy, no state: every function here is a pure function of its input. The words
(digits, magnitudes, traditional and financial forms, range pairs, vague prefixes) live
in ``data/numerals.json`` and ``data/exclusions.json``; this module holds the mechanism.

Public API
----------
- :func:`normalize` -- length-preserving normalisation (full-width -> ASCII, traditional
  and financial numerals -> plain simplified numerals), so offsets stay valid.
- :func:`parse_number` -- one exact numeral string -> ``float``; raises
  :class:`NumeralError` on anything else (ranges, vague forms, garbage).
- :func:`try_parse_number` -- same, but ``None`` instead of an exception.
- :func:`parse_numeral` -- one numeral string that may also be an adjacent-numeral range
  (``两三`` -> 2..3, ``七八十`` -> 70..80), a vague form (``十几`` -> 10..20, ``数百`` ->
  100..1000) or carry an inner approximation (``十多万``, ``500余万``) -> :class:`Numeral`.
- :func:`find_numerals` -- every numeral in a text, numeral-only spans
  (:class:`NumeralMatch`); used for numeral-level checks, not for quantities.

Rules (spec §2 ``value``): 万/亿/千/百 are applied, Chinese numerals are converted
(``两`` = 2, ``十`` = 10, ``一百二十`` = 120), mixed forms work (``3万4000``, ``1千零1``,
``2.6亿``, ``25万6千``), abbreviated tails follow usage (``一万三`` = 13000, ``两千四百五`` =
2450), adjacent numerals are never glued (``两三`` is 2..3, never 23; a digit-by-digit
reading such as ``二〇二三`` = 2023 needs three digits or a 零).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from .script import to_simplified
from .wordlists import WordList, occurrences

__all__ = [
    "NumeralError",
    "Numeral",
    "NumeralMatch",
    "normalize",
    "parse_number",
    "try_parse_number",
    "parse_numeral",
    "try_parse_numeral",
    "find_numerals",
    "load_data",
]

DATA_DIR = Path(__file__).parent / "data"
SPACES = " \t\u3000\u00a0"


class NumeralError(ValueError):
    """Raised when a string is not one well-formed numeral of the requested kind."""


@lru_cache(maxsize=None)
def load_data(name: str) -> dict:
    """Load ``data/<name>.json`` once (cached); keys starting with ``_`` are comments."""
    with open(DATA_DIR / f"{name}.json", encoding="utf-8") as handle:
        data = json.load(handle)
    return {key: value for key, value in data.items() if not key.startswith("_")}


@dataclass(frozen=True)
class Numeral:
    """A parsed numeral: ``value`` (lower bound for ranges and vague forms), bounds and class.

    ``approx`` is ``exact``, ``more_than`` (inner 多/余: ``十多万``), ``range`` (adjacent
    numerals: ``两三``) or ``vague`` (``十几``, ``几十``, ``数百``, ``上百``). ``low`` and
    ``high`` are set for ``range`` and ``vague`` only.
    """

    value: float
    low: Optional[float] = None
    high: Optional[float] = None
    approx: str = "exact"


@dataclass(frozen=True)
class NumeralMatch:
    """A numeral found in a text: ``text == source[start:end]`` plus its parsed value."""

    text: str
    start: int
    end: int
    value: float
    low: Optional[float] = None
    high: Optional[float] = None
    approx: str = "exact"


class _Vocab:
    """Compiled view of ``data/numerals.json`` (built once)."""

    def __init__(self) -> None:
        data = load_data("numerals")
        table: Dict[int, str] = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
        table[0x3000] = " "
        for src, dst in data["char_map"].items():
            if len(src) != 1 or len(dst) != 1:
                raise ValueError(f"char_map entries must be single characters: {src!r}")
            table[ord(src)] = dst
        self.table = table
        self.plain = _CharMap(table)
        # strict commas: a full-width comma stays (see normalize)
        self.strict = _CharMap({code: dst for code, dst in table.items() if code != ord("，")})
        self.digits: Dict[str, int] = data["digits"]
        self.tens_words: Dict[str, int] = data["tens_words"]
        self.small: Dict[str, int] = data["small_units"]
        self.big: Dict[str, int] = data["big_units"]
        self.latin_mag: Dict[str, int] = data["latin_magnitudes"]
        self.point: str = data["decimal_point"]
        self.negative: List[str] = data["negative"]
        self.signs = sorted(self.negative, key=len, reverse=True) + ["-"]  # longest first
        self.half: str = data["half"]
        self.half_forms: Dict[str, float] = data["half_forms"]
        self.range_pairs = set(data["range_pairs"])
        self.vague_prefixes: Dict[str, str] = data["vague_prefixes"]
        self.vague_digit: str = data["vague_digit"]
        self.inner_approx: Dict[str, str] = data["inner_approx"]
        self.fraction: str = data["fraction_marker"]
        self.mixed: str = data["mixed_fraction_joiner"]
        self.risky = set(data["risky_financial_chars"])
        self.bare_after = tuple(data.get("bare_magnitude_after", ()))

        cn_digits = "".join(self.digits)
        mags = "".join(self.small) + "".join(self.big)
        self.cn_digits = cn_digits
        self.mags = mags
        self.numeral_chars = cn_digits + mags + "".join(self.tens_words)
        dec_digits = "".join(ch for ch, val in self.digits.items() if ch not in "两幺")
        self.dec_digits = dec_digits
        self.token_re = re.compile(
            rf"\d+(?:\.\d+)?|[{cn_digits}]|[{''.join(self.small)}]|[{''.join(self.big)}]"
            rf"|{self.point}[{dec_digits}\d]+|[{''.join(self.tens_words)}]|."
        )
        sp = f"[{SPACES}]*"
        atom = rf"(?:\d+(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{self.numeral_chars}])"
        inner = "".join(self.inner_approx)
        body = (
            rf"(?:{'|'.join(f'{p}(?={sp}[{m}])' for p, m in self.vague_prefixes.items())})?{atom}"
            rf"(?:{sp}(?:{atom}|{self.point}(?={sp}[{dec_digits}\d])|{self.vague_digit}"
            rf"|[{inner}](?={sp}[{''.join(self.big)}{''.join(self.small)}]))"
            rf"|(?<=\d)[{''.join(self.latin_mag)}](?![A-Za-z]))*"
        )
        negative = "|".join(sorted(self.negative, key=len, reverse=True))
        sign = rf"(?:{negative}|(?:(?<=^)|(?<=[\s(（\[【:：,，、=<>为是约达]))-(?=\d))?"
        self.body = body
        self.sign = sign
        self.candidate_re = re.compile(
            rf"{sign}{body}(?:{sp}{self.mixed}{sp}{body})?"
            rf"(?:{sp}{self.fraction[0]}{sp}{self.fraction[1]}{sp}{sign}{body})?"
            rf"|{self.half}(?:{sp}[{mags}])?"
        )
        # every character a candidate can start with: a sign, a vague prefix, a numeral, 半
        starts = "".join(w[0] for w in self.negative) + "-" + "".join(self.vague_prefixes) + \
            self.numeral_chars + self.half[0]
        self.candidate_start_re = re.compile(rf"[\d{re.escape(starts)}]")
        self.slash_fraction_re = re.compile(r"(?<![\d/])(\d+)/(\d+)(?![\d/])")
        self.thousands_re = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
        self.fullwidth_thousands_re = re.compile(
            "(?<![0-9０-９]{4})(?<=[0-9０-９])，(?=[0-9０-９]{3}(?![0-9０-９.．]))")

    def next_candidate(self, norm: str, pos: int, end: int) -> Optional["re.Match[str]"]:
        """``candidate_re.search(norm, pos, end)``, trying the pattern only where a candidate can
        start (a search tries it at every position, five times slower on prose)."""
        while True:
            first = self.candidate_start_re.search(norm, pos, end)
            if first is None:
                return None
            match = self.candidate_re.match(norm, first.start(), end)
            if match is not None:
                return match
            pos = first.start() + 1


class _CharMap:
    """``text.translate(table)``, fast on Chinese prose.

    translate looks every character up in a dict (~0.15 µs each: 8 % of the component's time
    when each sentence was normalised three times). The full-width punctuation of prose is
    replaced with ``str.replace`` first, and translate runs only when a mapped character is
    left. Same result, as long as a replacement is not itself mapped (checked here)."""

    def __init__(self, table: Dict[int, str]) -> None:
        self.table = table
        self.common = tuple((ch, table[ord(ch)]) for ch in _PROSE_MARKS
                            if ord(ch) in table and ord(table[ord(ch)]) not in table)
        # the mapped characters the replacements leave (one class for both maps: re caches it)
        rest = sorted(set(map(chr, table)) - {ch for ch, _ in self.common})
        self.rest = re.compile("[" + "".join(map(re.escape, rest)) + "]")

    def __call__(self, text: str) -> str:
        for src, dst in self.common:
            if src in text:
                text = text.replace(src, dst)
        return text.translate(self.table) if self.rest.search(text) else text


_PROSE_MARKS = "，（）；：！？％\u3000"


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    return _Vocab()


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
        return to_simplified(_vocab().plain(text))
    v = _vocab()
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


def _clean(text: str) -> str:
    s = without_spaces(normalize(text))
    return _vocab().thousands_re.sub("", s) if "," in s else s


def _split_sign(s: str) -> Tuple[int, str]:
    for word in _vocab().signs:
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
    s = _clean(text)
    if not s:
        raise NumeralError("empty numeral")
    try:
        return _parse_signed(s, allow_bare_magnitude=False)
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


def _parse_signed(s: str, allow_bare_magnitude: bool) -> float:
    v = _vocab()
    if v.mixed in s and v.fraction in s and s.index(v.mixed) < s.index(v.fraction):
        whole, frac = s.split(v.mixed, 1)
        w = _parse_signed(whole, False)
        f = _parse_fraction(frac)
        if f < 0:
            raise NumeralError(f"negative fraction after 又: {s!r}")
        return w - f if w < 0 or _split_sign(whole)[0] < 0 else w + f
    if v.fraction in s:
        return _parse_fraction(s)
    sign, body = _split_sign(s)
    if not body:
        raise NumeralError(f"sign without a number: {s!r}")
    return sign * _parse_plain(body, allow_bare_magnitude)


def _parse_fraction(s: str) -> float:
    v = _vocab()
    den_s, num_s = s.split(v.fraction, 1)
    if not den_s or not num_s:
        raise NumeralError(f"incomplete fraction: {s!r}")
    den = _parse_signed(den_s, allow_bare_magnitude=True)
    num = _parse_signed(num_s, allow_bare_magnitude=False)
    if den == 0:
        raise NumeralError(f"zero denominator: {s!r}")
    return num / den


def _parse_plain(s: str, allow_bare_magnitude: bool = False) -> float:
    """Unsigned numeral without fractions: the token state machine."""
    v = _vocab()
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
    v = _vocab()
    digits = "".join(str(v.digits[ch]) if ch in v.digits else ch for ch in tok[1:])
    return float("0." + digits)


def _state_machine(tokens: List[str], s: str) -> float:
    v = _vocab()
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
    v = _vocab()
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
        return _parse_numeral(_clean(text))
    except NumeralError:
        raise
    except (ValueError, IndexError, KeyError, ZeroDivisionError, OverflowError) as exc:
        raise NumeralError(f"malformed numeral {text!r}: {exc}") from exc


def _parse_numeral(s: str) -> Numeral:
    v = _vocab()
    if not s:
        raise NumeralError("empty numeral")
    if s in v.half_forms:
        return Numeral(float(v.half_forms[s]))
    if s == v.half:
        return Numeral(0.5)
    sign, body = _split_sign(s)
    if not body:
        raise NumeralError(f"sign without a number: {s!r}")
    # vague prefix + magnitudes only: 数百, 几十万, 上百, 上万
    if body[0] in v.vague_prefixes:
        rest = body[1:]
        if not rest or rest[0] not in v.vague_prefixes[body[0]] or \
                any(ch not in v.mags for ch in rest):
            raise NumeralError(f"vague prefix must precede magnitudes only: {s!r}")
        mag = _parse_plain(rest, allow_bare_magnitude=True)
        return _signed(sign, Numeral(mag, mag, 10 * mag, "vague"))
    # vague digit inside: 十几, 二十几万, 一百零几万
    if v.vague_digit in body:
        idx = body.index(v.vague_digit)
        head, tail = body[:idx], body[idx + 1:]
        if not head or head[-1] not in ("十", "零") or any(ch not in v.mags for ch in tail):
            raise NumeralError(f"unsupported vague form: {s!r}")
        low = _parse_plain(head + tail if head[-1] != "零" else head[:-1] + tail)
        tail_mult = _parse_plain(tail, allow_bare_magnitude=True) if tail else 1.0
        high = low + 10 * tail_mult
        return _signed(sign, Numeral(low, low, high, "vague"))
    # percent-style fraction: 百分之二三十, 百分之百 (the numerator may be a range or 百)
    if v.fraction in body:
        den_s, num_s = body.split(v.fraction, 1)
        if den_s and all(ch in v.mags for ch in den_s) and num_s:
            den = _parse_plain(den_s, allow_bare_magnitude=True)
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
            value = _parse_signed(body[:idx] + tail, allow_bare_magnitude=False)
            return _signed(sign, Numeral(value, None, None, approx))
    # adjacent numerals: 两三, 七八十, 三五百, 十七八, 二三十万
    int_part = body.split(v.point, 1)[0]
    pure_digits = all(ch in v.digits for ch in int_part)
    if not (pure_digits and len(int_part) >= 3):
        for i in range(len(int_part) - 1):
            if body[i:i + 2] in v.range_pairs:
                low = _parse_plain(body[:i + 1] + body[i + 2:])
                high = _parse_plain(body[:i] + body[i + 1:])
                if low >= high:
                    raise NumeralError(f"range bounds out of order: {s!r}")
                return _signed(sign, Numeral(low, low, high, "range"))
    return Numeral(sign * _parse_signed(body, allow_bare_magnitude=False))


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


# ---------------------------------------------------------------------------
# finding numerals in running text


def numeral_spans(norm: str, start: int = 0, end: Optional[int] = None
                  ) -> List[Tuple[int, int, Numeral]]:
    """Longest well-formed numerals in an already :func:`normalize`-d text.

    Each candidate run of numeral characters is shrunk from the right until it parses,
    and scanning resumes after it, so ``九年八吨`` gives 九 and 八, ``两百点两`` gives 两百 and
    两. Spaces inside a run are allowed next to Chinese numerals only: two Arabic numbers
    separated by a space are two numbers. This is the building block of
    :func:`find_numerals` and of the quantity finder.
    """
    v = _vocab()
    end = len(norm) if end is None else end
    out: List[Tuple[int, int, Numeral]] = []
    pos = start
    while pos < end:
        m = v.next_candidate(norm, pos, end)
        if not m:
            break
        c_start, c_end = m.start(), m.end()
        # a space between two Arabic digits ends the candidate
        for k in range(c_start + 1, c_end - 1):
            if norm[k] in SPACES and norm[k - 1].isdigit():
                j = k
                while j < c_end and norm[j] in SPACES:
                    j += 1
                if j < c_end and norm[j].isdigit():
                    c_end = k
                    break
        while c_end > c_start and norm[c_end - 1] in SPACES:
            c_end -= 1
        found = False
        for e in range(c_end, c_start, -1):
            if norm[e - 1] in SPACES:
                continue
            num = try_parse_numeral(norm[c_start:e])
            if num is not None:
                out.append((c_start, e, num))
                pos = e
                found = True
                break
        if not found:
            # 千余人, 百余名, 万余元: a bare magnitude right before 余/多 is 1000, 100, 10000; so is
            # one right after 近 (近千件, 近万人次)
            ch = norm[c_start]
            nxt = norm[c_start + 1:c_start + 2]
            if ch in v.small and ch != "十" or ch in v.big:
                if nxt and nxt in v.inner_approx or norm.endswith(v.bare_after, 0, c_start):
                    out.append((c_start, c_start + 1,
                                Numeral(float(v.small.get(ch) or v.big[ch]))))
                    pos = c_start + 1
                    continue
            pos = c_start + 1
    return out


@lru_cache(maxsize=1)
def _lexical_words() -> WordList:
    words = {normalize(w) for w in load_data("exclusions").get("numeral_words", [])}
    return WordList(sorted(words, key=len, reverse=True))  # longest first


def lexical_spans(text: str) -> List[Tuple[int, int]]:
    """Spans of words that contain numeral characters but are not numbers (一切, 四川, 队伍)."""
    return normalized_lexical_spans(normalize(text))


def normalized_lexical_spans(norm: str) -> List[Tuple[int, int]]:
    """:func:`lexical_spans` of a text already :func:`normalize`-d (without ``strict_commas``)."""
    return occurrences(norm, _lexical_words())


def in_lexical_word(spans: List[Tuple[int, int]], start: int, end: int) -> bool:
    """True when ``[start, end)`` lies inside one of ``spans``."""
    return any(s <= start and end <= e for s, e in spans)


def find_numerals(text: str, start: int = 0, end: Optional[int] = None) -> List[NumeralMatch]:
    """Every numeral in ``text[start:end]``, spans covering the numeral only.

    Dates, ordinals and bare numbers are included: this is a numeral finder, not the
    quantity finder (see :func:`reportie.quantities.find_quantities`). Numeral characters
    inside ordinary words (``一切``, ``四川``, ``陆地``, ``队伍``) are not numerals; after
    ``百分之`` the numeral is the part after the marker; ``a/b`` is a fraction.
    """
    v = _vocab()
    norm = normalize(text, strict_commas=True)
    end = len(text) if end is None else end
    lexical = lexical_spans(text)
    out: List[NumeralMatch] = []
    for s, e, num in numeral_spans(norm, start, end):
        piece = norm[s:e]
        frac_at = piece.find(v.fraction)
        if frac_at > 0:
            den = without_spaces(piece[:frac_at])
            if den and all(ch in v.mags for ch in den):
                # 百分之五十 / 千分之二: a percent-style marker, the numeral is what follows
                inner_start = s + frac_at + len(v.fraction)
                while inner_start < e and norm[inner_start] in SPACES:
                    inner_start += 1
                inner = try_parse_numeral(norm[inner_start:e])
                if inner is not None:
                    out.append(_match(text, inner_start, e, inner))
                continue
        if in_lexical_word(lexical, s, e):
            continue
        if e - s == 1 and text[s] in v.risky and not _followed_by_numeral_context(norm, e):
            continue
        if piece == v.half and not (e < len(norm) and norm[e] in _single_char_units()):
            continue
        out.append(_match(text, s, e, num))
    for m in v.slash_fraction_re.finditer(norm, start, end):
        if int(m.group(2)) == 0:
            continue
        if any(not (m.end() <= o.start or o.end <= m.start()) for o in out):
            out = [o for o in out if o.end <= m.start() or m.end() <= o.start]
        out.append(NumeralMatch(text[m.start():m.end()], m.start(), m.end(),
                                int(m.group(1)) / int(m.group(2))))
    out.sort(key=lambda item: item.start)
    return out


@lru_cache(maxsize=1)
def _single_char_units() -> frozenset:
    units = load_data("units")
    words = [w for group in units["measure_words"].values() for w in group]
    return frozenset(w for w in words if len(w) == 1)


def _followed_by_numeral_context(norm: str, end: int) -> bool:
    """A lone risky financial digit (陆, 伍, 拾, 肆) counts only at the end or before a unit-ish char."""
    if end >= len(norm):
        return True
    nxt = norm[end]
    return not ("\u4e00" <= nxt <= "\u9fff") or nxt in "元圆角分月日号年个"


def _match(text: str, start: int, end: int, num: Numeral) -> NumeralMatch:
    return NumeralMatch(text[start:end], start, end, num.value, num.low, num.high, num.approx)
