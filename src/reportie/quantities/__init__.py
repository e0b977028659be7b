"""Find quantities (spec §2) in a text: pure, character-level, no spaCy.

A quantity is a number that counts or measures something: a count with a measure word,
money, a percentage, a change in percentage points, an area, people or person-times, a
range. :func:`find_quantities` returns one :class:`QuantityMatch` per quantity with the
exact surface ``text`` (from the approximation word before the number, if it touches the
number, to the end of the unit and any trailing approximation word), absolute offsets,
the value with 万/亿 applied, range bounds, the normalised unit, the kind, the
approximation class and an ``indicator`` (what is counted, decided by :mod:`reportie.indicators`).

The mechanism is here, one job per module; every word list is data under ``data/``:

- :mod:`~reportie.quantities.base` -- the records (:class:`QuantityMatch`, the finder's atoms
  and tails) and constants;
- :mod:`~reportie.quantities.vocabulary` -- the compiled ``units.json`` (measure words and their
  kinds, currencies, percent forms), ``approximation.json`` (approximation words and their
  classes, range connectors) and ``exclusions.json`` (what is not a quantity);
- :mod:`~reportie.quantities.units` -- the numerals of a text and the unit after each;
- :mod:`~reportie.quantities.money` -- currency symbols and words, 角/分;
- :mod:`~reportie.quantities.exclusions` -- dates, durations, ordinals, levels, slogans, titles:
  what is not a quantity;
- :mod:`~reportie.quantities.approximation` -- the approximation class;
- :mod:`~reportie.quantities.ranges` and :mod:`~reportie.quantities.single` -- a range, a single
  number, as a :class:`QuantityMatch`;
- :mod:`~reportie.quantities.finder` -- :func:`find_quantities`, :func:`locate_quantities` and
  :func:`locate_all` (the sentences of a text at once);
- :mod:`~reportie.quantities.parsing` -- :func:`parse_quantity` (a whole string as one quantity).
"""

from __future__ import annotations

from .base import APPROX_CLASSES, KINDS, QuantityMatch
from .finder import find_quantities, locate_all, locate_quantities
from .parsing import parse_quantity

__all__ = ["QuantityMatch", "find_quantities", "locate_quantities", "locate_all", "parse_quantity", "KINDS",
           "APPROX_CLASSES"]
