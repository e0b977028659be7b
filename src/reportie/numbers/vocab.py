"""The compiled vocabulary of the numeral parser (``data/numerals.json``), built once.

Digits, magnitudes, signs, range pairs, vague prefixes and the regular expressions that find
numeral candidates, plus the character maps that :func:`reportie.numbers.normalize` applies.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, Optional

from ..datafiles import load_json
from .base import SPACES

__all__ = ["Vocab", "vocab"]


class Vocab:
    """Compiled view of ``data/numerals.json`` (built once)."""

    def __init__(self) -> None:
        data = load_json("numerals.json")
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
        # the comma first, its lookbehinds after it: a pattern opening with a literal is searched for
        # that character, not tried at every position of the text (eight times faster on prose)
        self.fullwidth_thousands_re = re.compile(
            "，(?<=[0-9０-９]，)(?<![0-9０-９]{4}，)(?=[0-9０-９]{3}(?![0-9０-９.．]))")

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
        self.mapped = re.compile("[" + "".join(map(re.escape, sorted(map(chr, table)))) + "]")

    def __call__(self, text: str) -> str:
        if not self.mapped.search(text):
            return text  # one scan for a text with nothing to map (ten, to try each mark and the rest)
        for src, dst in self.common:
            if src in text:
                text = text.replace(src, dst)
        return text.translate(self.table) if self.rest.search(text) else text


_PROSE_MARKS = "，（）；：！？％\u3000"


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    return Vocab()
