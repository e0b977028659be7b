"""A whole string read as one quantity: :func:`parse_quantity` (``3000多欧元``, ``港币两千九百六十元``,
``肆角叁分``).
"""

from __future__ import annotations

from typing import Optional

from ..numbers import SPACES, normalize
from ..numbers.exact import split_sign
from ..wordlists import word_at
from .base import QuantityMatch, skip_spaces
from .finder import find_quantities
from .vocabulary import vocabulary
from .money import subunit_at

__all__ = ["parse_quantity"]


def parse_quantity(text: str) -> Optional[QuantityMatch]:
    """Read a whole string as one quantity (``3000多欧元``, ``港币两千九百六十元``, ``百分之五``).

    A currency word written before the number (``人民币``, ``港币``, ``新台币``) sets the
    unit; the word ``从`` before a range is ignored; a full-width comma between digits is a
    thousands separator (``82，225.00元``). Returns ``None`` when the string is not exactly
    one quantity. Numbers without a unit are returned with ``unit == ""``.
    """
    lex = vocabulary()
    stripped = text.strip(SPACES + "\n")
    lead = len(text) - len(text.lstrip(SPACES + "\n"))
    norm = normalize(stripped)
    prefix_unit = None
    skip = 0
    word = word_at(norm, 0, lex.money_sorted)
    if word:
        prefix_unit = lex.money[word]
        skip = len(word)
    elif norm.startswith("从"):
        skip = 1
    skip = skip_spaces(norm, skip, len(norm))
    found = find_quantities(stripped, skip, len(stripped), bare=True, _lenient_commas=True)
    if len(found) != 1 or found[0].start != skip or norm[found[0].end:].strip(SPACES):
        return _parse_subunits(stripped, norm, skip, lead)
    q = found[0]
    unit, kind = q.unit, q.kind
    if prefix_unit and (not unit or unit == "元"):
        unit, kind = prefix_unit, "money"
    return QuantityMatch(q.text, q.start + lead, q.end + lead, q.value, q.low, q.high, unit,
                         kind, q.approx, q.indicator)


def _parse_subunits(text: str, norm: str, skip: int, lead: int) -> Optional[QuantityMatch]:
    """``肆角叁分`` / ``壹分`` / ``负壹角``: an amount written in 角/分 only."""
    sign, _ = split_sign(norm[skip:])
    pos = skip
    while pos < len(norm) and norm[pos] in "负-":
        pos += 1
    if pos > skip and norm.startswith("零下", skip):
        pos = skip + 2
    total = 0.0
    end = pos
    for _ in range(2):
        sub = subunit_at(norm, end, len(norm))
        if not sub:
            break
        end, amount = sub
        total += amount
    if end == pos or norm[end:].strip(SPACES):
        return None
    return QuantityMatch(text[skip:end], skip + lead, end + lead, sign * total, None, None, "元",
                         "money", "exact", None)
