"""The records and constants of the quantity finder: :class:`QuantityMatch` (one quantity, spec §2),
the :class:`Atom` (a numeral of the text) and :class:`Tail` (what follows it) the finder builds
on the way, the contract's ``KINDS`` and ``APPROX_CLASSES``, and the small text helpers every
step shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..contract import APPROX_CLASSES, KINDS
from ..numbers import SPACES, Numeral

__all__ = ["QuantityMatch", "Atom", "Tail", "KINDS", "APPROX_CLASSES", "BIG_MAGS", "is_cjk", "skip_spaces",
           "is_integer"]

BIG_MAGS = "万亿kKwW"


@dataclass(frozen=True)
class QuantityMatch:
    """One quantity: ``source[start:end] == text``; fields as in spec §2."""

    text: str
    start: int
    end: int
    value: float
    low: Optional[float]
    high: Optional[float]
    unit: str
    kind: str
    approx: str
    indicator: Optional[str]


class Atom:
    """A numeral of the text: its span, its parsed :class:`~reportie.numbers.Numeral`, and for
    百分之X / 千分之X the percent scale."""

    __slots__ = ("start", "end", "num", "pct_scale")

    def __init__(self, start: int, end: int, num: Numeral, pct_scale: Optional[float] = None) -> None:
        self.start = start
        self.end = end
        self.num = num
        self.pct_scale = pct_scale  # set for 百分之X-style atoms


class Tail:
    """What follows a numeral: the unit and the end of the quantity."""

    __slots__ = ("unit", "kind", "end", "scale", "inner_approx", "excluded", "people_noun", "extra",
                 "unit_start")

    def __init__(self, unit: str = "", kind: str = "", end: int = 0, scale: float = 1.0,
                 unit_start: int = 0) -> None:
        self.unit = unit
        self.kind = kind
        self.end = end  # end of the unit (or of the numeral when no unit)
        self.scale = scale
        self.inner_approx: Optional[str] = None
        self.excluded = False
        self.people_noun = False
        self.extra = 0.0  # 角/分 or 半 added to the value
        self.unit_start = unit_start


def is_cjk(ch: str) -> bool:
    """A CJK unified ideograph (a regex class of them costs milliseconds to compile)."""
    return "\u4e00" <= ch <= "\u9fff"


def skip_spaces(s: str, pos: int, limit: int) -> int:
    while pos < limit and s[pos] in SPACES:
        pos += 1
    return pos


def is_integer(value: Optional[float]) -> bool:
    # relative: 1.1亿 is 110000000.00000001 in floating point
    return value is None or abs(value - round(value)) < 1e-9 * max(1.0, abs(value))
