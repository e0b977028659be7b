"""The records, errors and constants of the numeral parser.

:class:`Numeral` (a parsed numeral), :class:`NumeralMatch` (a numeral found in a text),
:class:`NumeralError`, the space characters :data:`SPACES` a numeral may contain, and
:func:`load_data`, the old name of :func:`reportie.datafiles.load_json` (kept for callers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..datafiles import load_json

__all__ = ["SPACES", "NumeralError", "Numeral", "NumeralMatch", "load_data"]

SPACES = " \t\u3000\u00a0"


class NumeralError(ValueError):
    """Raised when a string is not one well-formed numeral of the requested kind."""


def load_data(name: str) -> dict:
    """``data/<name>.json`` (read once by :func:`reportie.datafiles.load_json`); keys starting
    with ``_`` are comments. Kept for callers of the old ``reportie.numbers.load_data``."""
    return load_json(f"{name}.json")


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
