"""Money around a number: a currency symbol or word before it (``$``, 港币), the currency and the
角/分 after 元 (元人民币, 1角1分, 整).
"""

from __future__ import annotations

from typing import Optional, Tuple

from ..numbers import numeral_spans
from ..wordlists import word_at, word_before
from .base import Tail, is_cjk
from .vocabulary import vocabulary

__all__ = ["subunit_at", "money_after", "symbol_before", "currency_before"]


def subunit_at(norm: str, pos: int, limit: int) -> Optional[Tuple[int, float]]:
    """``1角1分`` / ``零壹分`` / ``三毛`` right after 元: returns (end, amount)."""
    lex = vocabulary()
    p = pos
    joiner = word_at(norm, p, lex.money_joiners)
    if joiner:
        p += len(joiner)
    spans = numeral_spans(norm, p, min(limit, p + 6))
    if not spans or spans[0][0] != p:
        return None
    s, e, num = spans[0]
    sub = word_at(norm, e, lex.money_sub_sorted)
    if not sub or num.approx != "exact":
        return None
    return e + len(sub), num.value * lex.money_sub[sub]


def money_after(norm: str, tail: Tail, limit: int) -> int:
    """Extend a money unit: 元人民币 / 元欧元, 1角1分, 整."""
    lex = vocabulary()
    end = tail.end
    cur = word_at(norm, end, lex.money_sorted)
    if cur and end < limit:
        tail.unit = lex.money[cur]
        end += len(cur)
    for _ in range(2):
        sub = subunit_at(norm, end, limit)
        if not sub:
            break
        end, amount = sub
        tail.extra += amount
    closer = word_at(norm, end, lex.money_closers)
    if closer and (end + 1 >= len(norm) or not is_cjk(norm[end + 1])):
        end += len(closer)
    return end


def symbol_before(norm: str, pos: int) -> Optional[Tuple[str, str]]:
    lex = vocabulary()
    sym = word_before(norm, pos, lex.money_symbol_words)
    return (sym, lex.money_symbols[sym]) if sym is not None else None


def currency_before(norm: str, pos: int, lo: int) -> Optional[Tuple[int, str]]:
    """A currency word written before the number (港币, 新台币, 美元), spaces allowed."""
    lex = vocabulary()
    p = pos
    while p > lo and norm[p - 1] in " \t\u3000":
        p -= 1
    word = word_before(norm, p, lex.money_sorted, lo)
    if word and lex.money[word] != "元":
        return p - len(word), lex.money[word]
    return None
