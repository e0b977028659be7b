"""Reading a numeral and what follows it: the numerals of a text as :class:`Atom` (百分之X as a
percent), the unit after each (:func:`read_tail`: measure words, money, percent, 成/折, people
nouns, with 余/多 in between) and the value the unit scales.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import List, Optional, Tuple

from ..numbers import Numeral, NumeralError, numeral_spans, parse_numeral, without_spaces
from ..numbers.exact import parse_plain
from ..wordlists import word_at, word_before
from .base import Atom, Tail, is_cjk, skip_spaces
from .vocabulary import vocabulary
from .money import money_after, subunit_at

__all__ = ["read_atoms", "read_tail", "match_unit", "scaled_value", "unit_alternative"]


def read_atoms(text: str, norm: str, start: int, end: int) -> List[Atom]:
    """Numerals of the text; 百分之X / 千分之X become percent atoms."""
    lex = vocabulary()
    atoms: List[Atom] = []
    for s, e, num in numeral_spans(norm, start, end):
        piece = norm[s:e]
        compact = without_spaces(piece)
        at = compact.find("分之")
        if at > 0:
            den = compact[:at]
            if den + "分之" in lex.pct_prefix:
                den_value = parse_plain(den, allow_bare_magnitude=True)
                inner = Numeral(num.value * den_value,
                                None if num.low is None else num.low * den_value,
                                None if num.high is None else num.high * den_value, num.approx)
                atoms.append(Atom(s, e, inner, lex.pct_prefix[den + "分之"]))
                continue
            atoms.append(Atom(s, e, num, None))  # a real fraction (三分之二): no unit
            continue
        # 12千米 / 2.3千克 / 323千卡: after Arabic digits 千 starts the unit
        if e - s >= 2 and norm[e - 1] == "千" and norm[e - 2].isdigit() and \
                word_at(norm, e - 1, lex.kilo_units):
            try:
                atoms.append(Atom(s, e - 1, parse_numeral(norm[s:e - 1]), None))
                continue
            except NumeralError:
                pass
        atoms.append(Atom(s, e, num, None))
    return atoms


def match_unit(norm: str, pos: int, limit: int) -> Optional[Tuple[str, str, str, int]]:
    """Longest written unit at ``pos`` -> (written, unit, kind, end), honouring unit blockers.

    Multi-character units may be spaced out (``个 百 分 点``, as in PDF or OCR text)."""
    lex = vocabulary()
    first = norm[pos:pos + 1]
    spaced: Optional[bool] = None  # a space in norm[pos:limit], which a spaced-out unit needs
    for written, unit, kind in lex.unit_table_by_first.get(first, ()):
        if norm.startswith(written, pos):
            nxt = pos + len(written)
        elif len(written) > 1:
            if spaced is None:
                spaced = norm.find(" ", pos, limit) >= 0 or norm.find("\t", pos, limit) >= 0 or \
                    norm.find("\u3000", pos, limit) >= 0
            mm = _spaced_unit_re(written).match(norm, pos, limit) if spaced else None
            if not mm:
                continue
            nxt = mm.end()
        else:
            continue
        if nxt > limit:
            continue
        blockers = lex.blockers.get(written)
        if blockers and nxt < len(norm) and norm[nxt] in blockers:
            continue
        if written in lex.tenths and not _tenths_ok(norm, nxt, limit):
            continue
        return written, unit, kind, nxt
    m = lex.latin_re.match(norm, pos, limit)
    if m and m.group(0) in lex.latin_units:
        return m.group(0), m.group(0), lex.latin_units[m.group(0)], m.end()
    return None


@lru_cache(maxsize=None)
def _spaced_unit_re(written: str) -> "re.Pattern[str]":
    """``written`` with spaces (`` ``, tab, U+3000) allowed between its characters."""
    return re.compile("[ \t\u3000]*".join(re.escape(ch) for ch in written))


def _tenths_ok(norm: str, nxt: int, limit: int) -> bool:
    lex = vocabulary()
    if nxt >= limit or nxt >= len(norm):
        return True
    return word_at(norm, nxt, lex.tenths_followers) is not None or norm[nxt] == "半"


def read_tail(norm: str, atom: Atom, limit: int, numeral_text: str) -> Tail:
    """Read the unit after a numeral (with 余/多 in between), or decide it is excluded."""
    lex = vocabulary()
    if atom.pct_scale is not None:
        return Tail("%", "percent", atom.end, atom.pct_scale, unit_start=atom.end)
    pos = skip_spaces(norm, atom.end, limit)
    tail = Tail(end=atom.end, unit_start=pos)
    mag = word_at(norm, pos, lex.counted_mag_words)
    if mag:  # 两个亿
        tail.scale = lex.counted_mags[mag]
        pos = skip_spaces(norm, pos + len(mag), limit)
        tail.end = pos
    inner = word_at(norm, pos, lex.approx_inner_words)
    if inner:
        after = skip_spaces(norm, pos + len(inner), limit)
        if match_unit(norm, after, limit) or _people_noun_at(norm, after, limit):
            tail.inner_approx = lex.approx_inner[inner]
            pos = after
    excl = word_at(norm, pos, lex.after_excl)
    unit = match_unit(norm, pos, limit)
    if excl and (not unit or len(unit[0]) <= len(excl)):
        # 个月 / 个工作日 beat 个; but a longer unit (人次) beats a shorter exclusion
        tail.excluded = True
        return tail
    if unit:
        written, name, kind, unit_end = unit
        if written in lex.money_ambiguous:
            if any(ch in numeral_text for ch in "万亿") or subunit_at(norm, unit_end, limit):
                name, kind = lex.money_ambiguous[written], "money"
        tail.unit, tail.kind, tail.unit_start = name, kind, pos
        tail.end = unit_end
        if written in lex.tenths:
            tail.scale = 10.0
        if kind == "money":
            tail.end = money_after(norm, tail, limit)
        if norm.startswith("半", tail.end) and kind in ("measure", "area", "percent"):
            tail.extra = 0.5
            tail.end += 1
        return tail
    if any(ch in numeral_text for ch in "万亿") and (atom.end >= limit or not is_cjk(norm[atom.end])) \
            and _people_before(norm, atom.start):
        tail.unit, tail.kind, tail.people_noun = "人", "people", True  # 乡镇人大代表有188万
        tail.end = atom.end
        return tail
    if _people_noun_at(norm, pos, limit) and (
            inner or atom.num.value >= lex.people_min or any(ch in numeral_text for ch in "万亿")):
        tail.unit, tail.kind, tail.people_noun = "人", "people", True
        tail.end = pos if inner else atom.end
        if inner:
            tail.end = skip_spaces(norm, atom.end, limit) + len(inner)
    return tail


def scaled_value(a: Atom, tail: Tail, which: str = "value") -> Optional[float]:
    num = a.num
    base = getattr(num, which)
    if base is None:
        return None
    scale = tail.scale if a.pct_scale is None else a.pct_scale
    return base * scale + tail.extra * (10.0 if tail.scale == 10.0 and tail.extra == 0.5 else 1.0)


def _people_before(norm: str, pos: int) -> bool:
    """A people noun and a link (有, 共有, 为 …) right before ``pos``: 人大代表有|188万."""
    lex = vocabulary()
    p = pos
    for _ in range(2):
        link = word_before(norm, p, lex.people_links)
        if not link:
            break
        p -= len(link)
    return p < pos and word_before(norm, p, lex.people_nouns) is not None


def _people_noun_end(norm: str, pos: int, limit: int) -> Optional[int]:
    """End of ``[modifiers] people-noun`` at ``pos`` (各级人大代表), or None."""
    lex = vocabulary()
    p = pos
    for _ in range(3):
        noun = word_at(norm, p, lex.people_nouns)
        if noun and p + len(noun) <= limit:
            return p + len(noun)
        mod = word_at(norm, p, lex.people_mods)
        if not mod:
            return None
        p += len(mod)
    return None


def _people_noun_at(norm: str, pos: int, limit: int) -> bool:
    return _people_noun_end(norm, pos, limit) is not None


def unit_alternative(norm: str, pos: int, limit: int) -> Optional[str]:
    """The measure word in brackets right after a unit (件(次), 件（套）), normalised brackets."""
    lex = vocabulary()
    if pos >= limit or norm[pos] not in "(（":
        return None
    close = -1
    for k in range(pos + 2, min(limit, pos + 2 + lex.unit_alt_max)):
        if norm[k] in ")）":
            close = k
            break
    if close < 0:
        return None
    word = norm[pos + 1:close]
    return word if lex.unit_kind.get(word) in lex.integer_kinds else None
