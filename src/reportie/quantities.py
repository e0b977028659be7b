"""Find quantities (spec §2) in a text: pure, character-level, no spaCy.

A quantity is a number that counts or measures something: a count with a measure word,
money, a percentage, a change in percentage points, an area, people or person-times, a
range. :func:`find_quantities` returns one :class:`QuantityMatch` per quantity with the
exact surface ``text`` (from the approximation word before the number, if it touches the
number, to the end of the unit and any trailing approximation word), absolute offsets,
the value with 万/亿 applied, range bounds, the normalised unit, the kind, the
approximation class and an ``indicator`` (what is counted).

The mechanism is here; every word list is data under ``data/``: ``units.json`` (measure
words and their kinds, currencies, percent forms), ``approximation.json`` (approximation
words and their classes, range connectors), ``exclusions.json`` (what is not a quantity:
dates, durations, ordinals, levels, slogans, titles) and ``indicators.json`` (how the
indicator phrase is cut out of the sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from .indicators import sentence_indicators
from .wordlists import WordList, occurrences, word_at, word_before
from .numbers import (
    SPACES,
    _parse_plain,
    _split_sign,
    _vocab,
    Numeral,
    NumeralError,
    load_data,
    normalize,
    normalized_lexical_spans,
    numeral_spans,
    parse_numeral,
    without_spaces,
)

__all__ = ["QuantityMatch", "find_quantities", "parse_quantity", "KINDS", "APPROX_CLASSES"]

from .contract import APPROX_CLASSES, KINDS
_BIG_MAGS = "万亿kKwW"


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


# ---------------------------------------------------------------------------
# vocabulary


_POSITIONAL_LISTS = (
    "kilo_units", "tenths_followers", "after_excl", "people_nouns", "people_mods", "money_joiners",
    "money_sub_sorted", "money_sorted", "money_closers", "before_excl", "before_blockers",
    "session_words", "prefix_blockers", "approx_prefix_sorted", "approx_suffix_sorted", "inclusive_marks",
    "connectors",
)


class _Lex:
    """Compiled view of the data files (built once)."""

    def __init__(self) -> None:
        units = load_data("units")
        approx = load_data("approximation")
        excl = load_data("exclusions")
        self.unit_kind: Dict[str, str] = {}
        for kind, words in units["measure_words"].items():
            for word in words:
                self.unit_kind.setdefault(normalize(word), kind)
        self.latin_units: Dict[str, str] = units["latin_units"]
        self.money: Dict[str, str] = {normalize(k): v for k, v in units["money"].items()}
        self.money_ambiguous: Dict[str, str] = units["money_ambiguous"]
        self.money_symbols: Dict[str, str] = {normalize(k): v for k, v in
                                              units["money_symbols_before"].items()}
        self.money_sub: Dict[str, float] = units["money_subunits"]
        self.money_joiners: List[str] = units["money_subunit_joiners"]
        self.money_closers: List[str] = units["money_closers"]
        pct = units["percent"]
        self.pct_suffix: Dict[str, float] = {normalize(k): v for k, v in pct["suffix_scale"].items()}
        self.pct_prefix: Dict[str, float] = pct["prefix"]
        self.pct_points: List[str] = pct["points"]
        self.tenths: Dict[str, dict] = pct["tenths_rules"]
        self.tenths_followers: List[str] = sorted(
            set(pct["tenths_followers"]) | {normalize(w) for w in pct["tenths_followers"]},
            key=len, reverse=True)
        self.half_tenths: Dict[str, float] = pct["half_tenths"]
        self.blockers: Dict[str, str] = units["unit_blockers"]
        self.people_nouns = sorted(units["people_nouns"], key=len, reverse=True)
        self.people_mods = sorted(units["people_noun_modifiers"], key=len, reverse=True)
        self.article = set(units["article_measures"])
        self.integer_kinds = set(units["integer_kinds"])
        self.people_min: float = units["people_noun_min_value"]
        self.people_links = WordList(sorted(units["people_before_links"], key=len, reverse=True))

        self.approx_prefix: Dict[str, str] = approx["prefix"]
        self.approx_inner: Dict[str, str] = approx["inner"]
        self.approx_suffix: Dict[str, str] = approx["suffix"]
        self.prefix_blockers: List[str] = approx["prefix_blockers"]
        self.connectors = sorted((normalize(c) for c in approx["range_connectors"]), key=len,
                                 reverse=True)
        self.inclusive_marks = [normalize(m) for m in approx["range_inclusive_marks"]]

        self.after_excl = sorted(excl["after_number"], key=len, reverse=True)
        self.before_excl = sorted(excl["before_number"], key=len, reverse=True)
        self.before_blockers: List[str] = excl["before_number_blockers"]
        self.session_context: List[str] = excl["session_context"]
        self.session_words = sorted(excl["session_words"], key=len, reverse=True)
        self.session_window: int = excl["session_window"]
        self.set_phrases: List[str] = excl["set_phrases"]
        self.quote_pairs: List[List[str]] = excl["quote_pairs"]
        self.title_pairs: List[List[str]] = excl["title_pairs"]
        self.short_quote_max: int = excl["short_quote_max"]
        self.closing_quotes = "".join(pair[1] for pair in self.quote_pairs)
        self.opening_quotes = "".join(pair[0] for pair in self.quote_pairs)
        self.quote_units = set(excl["quote_described_units"])
        self.article_before = set(excl["article_before"])
        self.session_joiners = "".join(excl["session_joiners"])
        self.category_measures = set(excl["category_measures"])
        self.unit_alt_max: int = units["unit_alternative_max"]

        # every written unit, longest first, with (unit, kind)
        table: List[Tuple[str, str, str]] = []
        for word, kind in self.unit_kind.items():
            table.append((word, word, kind))
        for word, unit in self.money.items():
            table.append((word, unit, "money"))
        for word in self.pct_points:
            table.append((normalize(word), "百分点", "percentage_point"))
        for word in self.pct_suffix:
            table.append((word, "%", "percent"))
        for word in self.tenths:
            table.append((word, "%", "percent"))
        table.sort(key=lambda item: len(item[0]), reverse=True)
        self.unit_table = table
        self.max_unit_len = max(len(w) for w, _, _ in table)
        self.latin_re = re.compile(r"[A-Za-z°℃]+")
        # (opening mark, pattern)
        self.title_res = [(o, re.compile(re.escape(o) + r"[^" + re.escape(c) + r"\n]*" + re.escape(c)))
                          for o, c in self.title_pairs]
        self.quote_res = [
            (o, re.compile(re.escape(o) + r"([^" + re.escape(o if o == c else o + c) + r"\n]{1,%d})"
                           % self.short_quote_max + re.escape(c)))
            for o, c in self.quote_pairs]
        self.set_phrase_words = WordList(sorted({normalize(p) for p in self.set_phrases}, key=len, reverse=True))
        self.approx_prefix_sorted = sorted(self.approx_prefix, key=len, reverse=True)
        self.approx_suffix_sorted = sorted(self.approx_suffix, key=len, reverse=True)
        self.money_sorted = sorted(self.money, key=len, reverse=True)
        self.money_sub_sorted = sorted(self.money_sub, key=len, reverse=True)
        self.kilo_units = [w for w, _, _ in table if w.startswith("千") and len(w) > 1]
        self.url_re = re.compile(excl["url_pattern"])
        self.suffix_inclusive: Dict[str, str] = approx["suffix_inclusive"]
        self.counted_mags: Dict[str, float] = units["counted_magnitudes"]
        by_first: Dict[str, List[Tuple[str, str, str]]] = {}
        for item in table:
            by_first.setdefault(item[0][0], []).append(item)
        self.unit_table_by_first = by_first
        # lists read at a position (word_at / word_before): indexed once, same answers as a scan
        for name in _POSITIONAL_LISTS:
            setattr(self, name, WordList(getattr(self, name)))
        self.counted_mag_words = WordList(self.counted_mags)
        self.money_symbol_words = WordList(self.money_symbols)
        self.approx_inner_words = WordList(self.approx_inner)
        self.suffix_inclusive_words = WordList(self.suffix_inclusive)


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    return _Lex()


# ---------------------------------------------------------------------------
# helpers


def _is_cjk(ch: str) -> bool:
    """A CJK unified ideograph (a regex class of them costs milliseconds to compile)."""
    return "\u4e00" <= ch <= "\u9fff"


def _skip_spaces(s: str, pos: int, limit: int) -> int:
    while pos < limit and s[pos] in SPACES:
        pos += 1
    return pos




def _blocked_zones(text: str, norm: str, start: int, end: int, lexical: List[Tuple[int, int]]
                   ) -> List[Tuple[int, int]]:
    """Titles (《…》), short quoted phrases (“三个到位”), set phrases, ``lexical`` words, URLs."""
    lex = _lex()
    zones: List[Tuple[int, int]] = []
    for opener, pattern in lex.title_res:
        if text.find(opener, 0, end) >= 0:  # most sentences have no title: skip the regex
            zones.extend((m.start(), m.end()) for m in pattern.finditer(text, 0, end))
    for opener, pattern in lex.quote_res:
        if text.find(opener, 0, end) < 0:
            continue
        for m in pattern.finditer(text, 0, end):
            whole_line = (m.start() == 0 or text[m.start() - 1] == "\n") and \
                (m.end() == len(text) or text[m.end()] in "\n")
            if not re.search(r"[。；;！？]", m.group(1)) and not whole_line:
                zones.append((m.start(), m.end()))  # a line that is all quotation is not a slogan
    zones.extend(occurrences(norm, lex.set_phrase_words, end))
    zones.extend(lexical)
    zones.extend((m.start(), m.end()) for m in lex.url_re.finditer(text, 0, end))
    return zones


def _overlaps(zones: List[Tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in zones)


class _Atom:
    __slots__ = ("start", "end", "num", "pct_scale")

    def __init__(self, start: int, end: int, num: Numeral, pct_scale: Optional[float] = None) -> None:
        self.start = start
        self.end = end
        self.num = num
        self.pct_scale = pct_scale  # set for 百分之X-style atoms


def _atoms(text: str, norm: str, start: int, end: int) -> List[_Atom]:
    """Numerals of the text; 百分之X / 千分之X become percent atoms."""
    lex = _lex()
    atoms: List[_Atom] = []
    for s, e, num in numeral_spans(norm, start, end):
        piece = norm[s:e]
        compact = without_spaces(piece)
        at = compact.find("分之")
        if at > 0:
            den = compact[:at]
            if den + "分之" in lex.pct_prefix:
                den_value = _parse_plain(den, allow_bare_magnitude=True)
                inner = Numeral(num.value * den_value,
                                None if num.low is None else num.low * den_value,
                                None if num.high is None else num.high * den_value, num.approx)
                atoms.append(_Atom(s, e, inner, lex.pct_prefix[den + "分之"]))
                continue
            atoms.append(_Atom(s, e, num, None))  # a real fraction (三分之二): no unit
            continue
        # 12千米 / 2.3千克 / 323千卡: after Arabic digits 千 starts the unit
        if e - s >= 2 and norm[e - 1] == "千" and norm[e - 2].isdigit() and \
                word_at(norm, e - 1, lex.kilo_units):
            try:
                atoms.append(_Atom(s, e - 1, parse_numeral(norm[s:e - 1]), None))
                continue
            except NumeralError:
                pass
        atoms.append(_Atom(s, e, num, None))
    return atoms


class _Tail:
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


def _match_unit(norm: str, pos: int, limit: int) -> Optional[Tuple[str, str, str, int]]:
    """Longest written unit at ``pos`` -> (written, unit, kind, end), honouring unit blockers.

    Multi-character units may be spaced out (``个 百 分 点``, as in PDF or OCR text)."""
    lex = _lex()
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
    lex = _lex()
    if nxt >= limit or nxt >= len(norm):
        return True
    return word_at(norm, nxt, lex.tenths_followers) is not None or norm[nxt] == "半"


def _tail(norm: str, atom: _Atom, limit: int, numeral_text: str) -> _Tail:
    """Read the unit after a numeral (with 余/多 in between), or decide it is excluded."""
    lex = _lex()
    if atom.pct_scale is not None:
        return _Tail("%", "percent", atom.end, atom.pct_scale, unit_start=atom.end)
    pos = _skip_spaces(norm, atom.end, limit)
    tail = _Tail(end=atom.end, unit_start=pos)
    mag = word_at(norm, pos, lex.counted_mag_words)
    if mag:  # 两个亿
        tail.scale = lex.counted_mags[mag]
        pos = _skip_spaces(norm, pos + len(mag), limit)
        tail.end = pos
    inner = word_at(norm, pos, lex.approx_inner_words)
    if inner:
        after = _skip_spaces(norm, pos + len(inner), limit)
        if _match_unit(norm, after, limit) or _people_noun_at(norm, after, limit):
            tail.inner_approx = lex.approx_inner[inner]
            pos = after
    excl = word_at(norm, pos, lex.after_excl)
    unit = _match_unit(norm, pos, limit)
    if excl and (not unit or len(unit[0]) <= len(excl)):
        # 个月 / 个工作日 beat 个; but a longer unit (人次) beats a shorter exclusion
        tail.excluded = True
        return tail
    if unit:
        written, name, kind, unit_end = unit
        if written in lex.money_ambiguous:
            if any(ch in numeral_text for ch in "万亿") or _subunit_at(norm, unit_end, limit):
                name, kind = lex.money_ambiguous[written], "money"
        tail.unit, tail.kind, tail.unit_start = name, kind, pos
        tail.end = unit_end
        if written in lex.tenths:
            tail.scale = 10.0
        if kind == "money":
            tail.end = _money_after(norm, tail, limit)
        if norm.startswith("半", tail.end) and kind in ("measure", "area", "percent"):
            tail.extra = 0.5
            tail.end += 1
        return tail
    if any(ch in numeral_text for ch in "万亿") and (atom.end >= limit or not _is_cjk(norm[atom.end])) \
            and _people_before(norm, atom.start):
        tail.unit, tail.kind, tail.people_noun = "人", "people", True  # 乡镇人大代表有188万
        tail.end = atom.end
        return tail
    if _people_noun_at(norm, pos, limit) and (
            inner or atom.num.value >= lex.people_min or any(ch in numeral_text for ch in "万亿")):
        tail.unit, tail.kind, tail.people_noun = "人", "people", True
        tail.end = pos if inner else atom.end
        if inner:
            tail.end = _skip_spaces(norm, atom.end, limit) + len(inner)
    return tail


def _people_before(norm: str, pos: int) -> bool:
    """A people noun and a link (有, 共有, 为 …) right before ``pos``: 人大代表有|188万."""
    lex = _lex()
    p = pos
    for _ in range(2):
        link = word_before(norm, p, lex.people_links)
        if not link:
            break
        p -= len(link)
    return p < pos and word_before(norm, p, lex.people_nouns) is not None


def _people_noun_end(norm: str, pos: int, limit: int) -> Optional[int]:
    """End of ``[modifiers] people-noun`` at ``pos`` (各级人大代表), or None."""
    lex = _lex()
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


def _subunit_at(norm: str, pos: int, limit: int) -> Optional[Tuple[int, float]]:
    """``1角1分`` / ``零壹分`` / ``三毛`` right after 元: returns (end, amount)."""
    lex = _lex()
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


def _money_after(norm: str, tail: _Tail, limit: int) -> int:
    """Extend a money unit: 元人民币 / 元欧元, 1角1分, 整."""
    lex = _lex()
    end = tail.end
    cur = word_at(norm, end, lex.money_sorted)
    if cur and end < limit:
        tail.unit = lex.money[cur]
        end += len(cur)
    for _ in range(2):
        sub = _subunit_at(norm, end, limit)
        if not sub:
            break
        end, amount = sub
        tail.extra += amount
    closer = word_at(norm, end, lex.money_closers)
    if closer and (end + 1 >= len(norm) or not _is_cjk(norm[end + 1])):
        end += len(closer)
    return end


def _excluded_before(norm: str, pos: int) -> bool:
    """第 / 星期 / 前 … right before the number (ordinals, weekdays, ranks, codes)."""
    lex = _lex()
    word = word_before(norm, pos, lex.before_excl)
    if not word:
        return False
    if word_before(norm, pos, lex.before_blockers):
        return False
    return True


def _session_ordinal(norm: str, atom: _Atom, tail: _Tail) -> bool:
    """二次会议 after 届 (十八届人大二次会议) is a session ordinal, not a count; so is each N次
    of an enumeration of them (市委八届八次、九次全会)."""
    lex = _lex()
    if tail.unit != "次":
        return False
    pos = tail.unit_start
    while True:  # 八次、九次全会: follow the chain to its last 次
        if word_at(norm, pos, lex.session_words):
            break
        nxt = pos + 1
        if nxt < len(norm) and norm[nxt] in lex.session_joiners:
            m = _CHAIN_RE.match(norm, nxt + 1)
            if m:
                pos = m.end() - 1
                continue
        return False
    window = norm[max(0, atom.start - lex.session_window):atom.start]
    window = re.split(r"[，。；,;:：！？!?\n]", window)[-1]
    return any(word in window for word in lex.session_context)


_CHAIN_RE = re.compile(r"[0-9一二三四五六七八九十两〇零]+次")


def _set_pattern(norm: str, atom: _Atom) -> bool:
    """一户一表 / 一府一委两院: single numerals alternating with single characters."""
    digits = _vocab().cn_digits
    if atom.end - atom.start != 1 or norm[atom.start] not in digits:
        return False
    s, e = atom.start, atom.end
    after = e + 1 < len(norm) and norm[e + 1] in digits and _is_cjk(norm[e])
    before = s - 2 >= 0 and norm[s - 2] in digits and _is_cjk(norm[s - 1]) and \
        (s - 3 < 0 or norm[s - 3] not in digits)
    return bool(after or before)


def _prefix_approx(norm: str, pos: int, lo: int) -> Optional[Tuple[str, str]]:
    lex = _lex()
    word = word_before(norm, pos, lex.approx_prefix_sorted, lo)
    if word is None or word_before(norm, pos, lex.prefix_blockers):
        return None
    return word, lex.approx_prefix[word]


def _suffix_approx(norm: str, pos: int, limit: int) -> Optional[Tuple[str, str]]:
    lex = _lex()
    word = word_at(norm, pos, lex.approx_suffix_sorted)
    if word and pos + len(word) <= limit:
        return word, lex.approx_suffix[word]
    return None


def _shared_magnitude(norm: str, a: _Atom, b: _Atom) -> float:
    """Scale the lower bound when the magnitude is written once: 十八至三十万 -> 18万."""
    a_text = without_spaces(norm[a.start:a.end])
    b_text = without_spaces(norm[b.start:b.end])
    if any(ch in a_text for ch in _BIG_MAGS) or a.num.value * 10 > b.num.value:
        return a.num.value
    trailing = ""
    for ch in reversed(b_text):
        if ch in "十百千万亿kKwW":
            trailing = ch + trailing
        else:
            break
    if trailing == b_text:
        return a.num.value
    for k in range(1, len(trailing) + 1):
        suffix = trailing[-k:]
        if suffix[0] == "十":
            continue
        try:
            candidate = parse_numeral(a_text + suffix)
        except NumeralError:
            continue
        if candidate.value <= b.num.value and candidate.value * 100 > b.num.value:
            return candidate.value
    return a.num.value


def _is_integer(value: Optional[float]) -> bool:
    # relative: 1.1亿 is 110000000.00000001 in floating point
    return value is None or abs(value - round(value)) < 1e-9 * max(1.0, abs(value))


def _bad_neighbour(text: str, norm: str, atom: _Atom) -> bool:
    """Letters, +, :, code-like digits glued to the numeral: 3A, A02, 1+3+8+N, 20:35, 0851-…"""
    s, e = atom.start, atom.end
    before = norm[s - 1] if s > 0 else ""
    if before and (before.isascii() and before.isalpha()):
        return True
    if before in "+×*/#＃" and before:
        return True
    if before == "." and s >= 2 and norm[s - 2].isdigit():
        return True
    if before == ":" and s >= 2 and norm[s - 2].isdigit():
        return True
    after = norm[e] if e < len(norm) else ""
    if after in "+×*/" and after:
        return True
    if after == ":" and e + 1 < len(norm) and norm[e + 1].isdigit():
        return True
    if after == "." and e + 1 < len(norm) and norm[e + 1].isdigit():
        return True  # 1.2.3 section numbers
    raw = norm[s:e]
    if raw.isdigit() and len(raw) > 1 and raw[0] == "0":
        return True  # codes and phone prefixes (0851)
    return False


# ---------------------------------------------------------------------------
# main entry points


def find_quantities(text: str, start: int = 0, end: Optional[int] = None, *,
                    bare: bool = False, _lenient_commas: bool = False) -> List[QuantityMatch]:
    """All quantities in ``text[start:end]``; offsets are absolute into ``text``.

    ``bare=True`` also returns numbers without a unit (``unit == ""``, ``kind ==
    "count"``); they are not quantities under spec §2 and exist for numeral-level checks.
    """
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    if start >= end:
        return []
    # work on a local slice (the window plus a little left context for 届…次会议 and
    # titles opened just before it), so that per-sentence calls stay linear in the text
    base = max(0, start - _LEFT_CONTEXT)
    return _find(text[base:end], start - base, end - base, bare, _lenient_commas, base)


_LEFT_CONTEXT = 64


def _find(text: str, start: int, end: int, bare: bool, lenient_commas: bool, base: int
          ) -> List[QuantityMatch]:
    """find_quantities in the local slice ``text``, which starts at ``base`` of the whole text."""
    norm = normalize(text, strict_commas=not lenient_commas)
    atoms = _atoms(text, norm, start, end)
    if not atoms:  # most sentences: no numeral, so nothing below can find a quantity
        return []
    plain = norm.replace("，", ",")  # normalize(text): a strict comma is the only difference
    blocks = _Blocks(text, norm, plain, start, end)
    out: List[QuantityMatch] = []
    consumed = -1
    i = 0
    while i < len(atoms):
        a = atoms[i]
        i += 1
        if a.start < consumed:
            continue
        tail = _tail(norm, a, end, norm[a.start:a.end])
        # range: A [unit] connector B unit
        rng = _range_partner(norm, atoms, i, a, tail, end)
        if rng is not None:
            b, b_tail, _ = rng
            consumed = b.end
            i += 1  # past b, which is atoms[i]
            if tail.excluded or b_tail.excluded or blocks.reject(a) or blocks.reject(b):
                consumed = max(consumed, b_tail.end)
                continue
            if not b_tail.unit and not bare:
                continue
            q = _make_range(text, norm, a, tail, b, b_tail, end, start)
            if q is not None:
                out.append(q)
                consumed = q.end
            continue
        if tail.excluded:
            consumed = max(consumed, tail.end)
            continue
        unitless = not tail.unit and not bare and not _symbol_before(norm, a.start)
        if unitless and tail.end == a.end:
            continue  # no quantity, and a rejection would consume nothing past the numeral
        if blocks.reject(a):
            consumed = max(consumed, tail.end)
            continue
        if unitless:
            continue
        q = _make_single(text, norm, a, tail, end, start)
        if q is not None:
            out.append(q)
            consumed = q.end
    out.sort(key=lambda q: q.start)
    return _with_indicators(text, plain, out, start, end, base)


class _Blocks:
    """What keeps the numerals of a text from being quantities; the zones are found on first
    need (a sentence whose numerals have no unit never needs them)."""

    __slots__ = ("text", "norm", "plain", "start", "end", "lexical", "zones")

    def __init__(self, text: str, norm: str, plain: str, start: int, end: int) -> None:
        self.text, self.norm, self.plain, self.start, self.end = text, norm, plain, start, end
        self.lexical: List[Tuple[int, int]] = []
        self.zones: Optional[List[Tuple[int, int]]] = None

    def reject(self, a: _Atom) -> bool:
        if self.zones is None:
            self.lexical = normalized_lexical_spans(self.plain[:self.end])
            self.zones = _blocked_zones(self.text, self.norm, self.start, self.end, self.lexical)
        return _rejected(self.text, self.norm, a, self.zones, self.lexical)


def _rejected(text: str, norm: str, a: _Atom, zones: List[Tuple[int, int]],
              lexical: List[Tuple[int, int]]) -> bool:
    if _overlaps(zones, a.start, a.end) and not _only_lexical_overlap(lexical, a, zones):
        return True
    if _excluded_before(norm, a.start):
        return True
    if _bad_neighbour(text, norm, a):
        return True
    return False


def _only_lexical_overlap(lexical: List[Tuple[int, int]], a: _Atom,
                          zones: List[Tuple[int, int]]) -> bool:
    """A lexical word that only touches the numeral's edge (四川 in 四川3个) does not block."""
    hits = [(s, e) for s, e in zones if s < a.end and a.start < e]
    return all((s, e) in lexical and not (s <= a.start and a.end <= e) for s, e in hits)


def _range_partner(norm: str, atoms: List[_Atom], i: int, a: _Atom, tail: _Tail, limit: int
                   ) -> Optional[Tuple[_Atom, _Tail, int]]:
    lex = _lex()
    if i >= len(atoms) or a.num.approx in ("range", "vague"):
        return None
    pos = tail.end if tail.unit and not tail.people_noun else a.end
    pos = _skip_spaces(norm, pos, limit)
    mark = word_at(norm, pos, lex.inclusive_marks)
    if mark:
        pos = _skip_spaces(norm, pos + len(mark), limit)
    conn = word_at(norm, pos, lex.connectors)
    if not conn:
        return None
    pos = _skip_spaces(norm, pos + len(conn), limit)
    b = atoms[i]
    if b.start != pos or b.num.approx in ("range", "vague"):
        return None
    b_tail = _tail(norm, b, limit, norm[b.start:b.end])
    if tail.excluded or b_tail.excluded:
        return b, b_tail, pos
    if tail.unit and not tail.people_noun:
        if b_tail.unit != tail.unit:
            return None
    if conn in ("-", "—", "–", "－") and (len(norm[b.start:b.end]) >= 7 or
                                          len(norm[a.start:a.end]) >= 7):
        return None  # phone numbers and codes
    if a.pct_scale is not None and b.pct_scale is None:
        return None  # 百分之五到10人: not one range
    return b, b_tail, pos


def _approx_bounds(norm: str, q_start: int, q_end: int, limit: int, lo: int
                   ) -> Tuple[int, int, Optional[str], Optional[str]]:
    pre = _prefix_approx(norm, q_start, lo)
    suf = _suffix_approx(norm, q_end, limit)
    start = q_start - len(pre[0]) if pre else q_start
    end = q_end + len(suf[0]) if suf else q_end
    return start, end, pre[1] if pre else None, suf[1] if suf else None


def _symbol_before(norm: str, pos: int) -> Optional[Tuple[str, str]]:
    lex = _lex()
    sym = word_before(norm, pos, lex.money_symbol_words)
    return (sym, lex.money_symbols[sym]) if sym is not None else None


def _value(a: _Atom, tail: _Tail, which: str = "value") -> Optional[float]:
    num = a.num
    base = getattr(num, which)
    if base is None:
        return None
    scale = tail.scale if a.pct_scale is None else a.pct_scale
    return base * scale + tail.extra * (10.0 if tail.scale == 10.0 and tail.extra == 0.5 else 1.0)


def _make_single(text: str, norm: str, a: _Atom, tail: _Tail, limit: int, lo: int
                 ) -> Optional[QuantityMatch]:
    lex = _lex()
    unit, kind = tail.unit, tail.kind or "count"
    if not unit:
        sym = _symbol_before(norm, a.start)
        if sym:
            unit, kind = sym[1], "money"
    # 一 as an article: 一个近300平方米的院落, 一种途径, 一座连心桥
    raw = norm[a.start:a.end]
    if raw == "一" and tail.unit in lex.article and kind in lex.integer_kinds:
        return None
    if raw == "一" and kind in lex.integer_kinds and tail.unit and (
            a.start > 0 and norm[a.start - 1] in lex.article_before or _describes(norm, tail.end)):
        return None  # 最广的一次调查活动, 再一次, 一场生动的普法课: an article, not a count
    if tail.unit in lex.category_measures and all(ch in _vocab().numeral_chars for ch in raw) and \
            _CATEGORY_NAME_RE.match(norm, tail.end):
        return None  # 二类项目12个: the name of a category
    if tail.unit and kind in lex.integer_kinds and _slogan_after(norm, tail.end, raw):
        return None  # 3个“一批”, 两个“确保”: a numeral of a slogan
    # “人民”二字: a number describing the quoted words
    if a.start > 0 and norm[a.start - 1] in lex.closing_quotes and tail.unit in lex.quote_units:
        return None
    # reduplication: 一个个, 一件件, 一次次
    if tail.unit and len(tail.unit) == 1 and norm.startswith(tail.unit, tail.end) and \
            kind in lex.integer_kinds:
        return None
    if _set_pattern(norm, a) and kind in lex.integer_kinds:
        return None
    if _session_ordinal(norm, a, tail):
        return None
    if tail.scale == 10.0 and not _tenths_value_ok(a.num, norm, tail):
        return None
    value = _value(a, tail)
    low = _value(a, tail, "low")
    high = _value(a, tail, "high")
    if tail.scale == 10.0 and a.num.value >= 10 and "折" in norm[tail.unit_start:tail.end]:
        value, low, high = a.num.value, a.num.low, a.num.high  # 75折 = 75%
    written = without_spaces(norm[a.start:tail.end])
    if written in lex.half_tenths:
        value = float(lex.half_tenths[written])
    if kind in lex.integer_kinds and not (_is_integer(value) and _is_integer(high)):
        return None
    if value is None:
        return None
    if kind in lex.integer_kinds:  # 1.1亿件 is 110000000, not 110000000.00000001
        value = float(round(value))
        low = None if low is None else float(round(low))
        high = None if high is None else float(round(high))
    q_start = a.start
    sym = _symbol_before(norm, a.start)
    if sym and kind == "money":
        q_start -= len(sym[0])
    q_end = tail.end if tail.unit else a.end
    if kind == "money" and unit == "元" and not sym:
        currency = _currency_before(norm, a.start, lo)
        if currency:  # 港币两千九百六十元 -> 港元, 新台币 177.1 亿元 -> 新台币
            q_start, unit = currency
    elif tail.unit and kind in lex.integer_kinds:
        alt = _unit_alternative(norm, q_end, limit)
        if alt:  # 211件(次) -> 件(次)
            unit, q_end = f"{unit}({alt})", q_end + len(alt) + 2
    s, e, pre, suf = _approx_bounds(norm, q_start, q_end, limit, lo)
    if tail.people_noun:
        e, suf = q_end, None  # 26万各级人大代表: the span ends with the number
    if not suf and not tail.people_noun:
        incl = word_at(norm, q_end, lex.inclusive_marks)
        if incl:  # 50万元（含）以上 -> at_least
            word = word_at(norm, q_end + len(incl), lex.suffix_inclusive_words)
            if word:
                e = q_end + len(incl) + len(word)
                suf = lex.suffix_inclusive[word]
    approx = a.num.approx
    if approx == "exact":
        approx = pre or tail.inner_approx or suf or "exact"
    return QuantityMatch(text[s:e], s, e, value, low if approx in ("range", "vague") else None,
                         high if approx in ("range", "vague") else None, unit, kind, approx, None)


_CATEGORY_NAME_RE = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:[共有为计]{0,2})[0-9一二三四五六七八九十两]")


def _slogan_after(norm: str, pos: int, raw: str) -> bool:
    """A short quotation right after the measure word that is a set phrase: the numeral is in
    Chinese (两个“维护”) or the quotation holds a numeral itself (3个“一批”); 12个“人大代表之家”
    counts named things and stays."""
    lex = _lex()
    if pos >= len(norm) or norm[pos] not in lex.opening_quotes:
        return False
    close = pos + 1
    while close < len(norm) and close - pos <= lex.short_quote_max and norm[close] not in lex.closing_quotes:
        close += 1
    if close >= len(norm) or norm[close] not in lex.closing_quotes:
        return False
    inner = norm[pos + 1:close]
    numerals = _vocab().numeral_chars
    return all(ch in numerals for ch in raw) or any(ch in numerals or ch.isdigit() for ch in inner)


def _describes(norm: str, pos: int) -> bool:
    """A descriptive phrase ending in 的 right after 一 + measure word (一场生动的, 一次深入细致的)."""
    m = _DESCRIBED_RE.match(norm, pos)
    return m is not None


_DESCRIBED_RE = re.compile(r"[\u4e00-\u9fff]{2,6}的[\u4e00-\u9fff]")


def _currency_before(norm: str, pos: int, lo: int) -> Optional[Tuple[int, str]]:
    """A currency word written before the number (港币, 新台币, 美元), spaces allowed."""
    lex = _lex()
    p = pos
    while p > lo and norm[p - 1] in " \t\u3000":
        p -= 1
    word = word_before(norm, p, lex.money_sorted, lo)
    if word and lex.money[word] != "元":
        return p - len(word), lex.money[word]
    return None


def _unit_alternative(norm: str, pos: int, limit: int) -> Optional[str]:
    """The measure word in brackets right after a unit (件(次), 件（套）), normalised brackets."""
    lex = _lex()
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


def _tenths_value_ok(num: Numeral, norm: str, tail: _Tail) -> bool:
    lex = _lex()
    written = norm[tail.unit_start:tail.unit_start + 1]
    rule = lex.tenths.get(written, {})
    v = num.value
    if v <= 0:
        return False
    if v <= rule.get("max_tenths", 10):
        return True
    return bool(rule.get("allow_two_digit")) and 10 < v < 100 and _is_integer(v)


def _make_range(text: str, norm: str, a: _Atom, a_tail: _Tail, b: _Atom, b_tail: _Tail,
                limit: int, lo: int) -> Optional[QuantityMatch]:
    lex = _lex()
    unit, kind = b_tail.unit, b_tail.kind or "count"
    low_base = _shared_magnitude(norm, a, b) if not a_tail.unit else a.num.value
    scale = b_tail.scale if b.pct_scale is None else b.pct_scale
    a_scale = scale if a.pct_scale is None else a.pct_scale
    low = low_base * a_scale
    high = _value(b, b_tail)
    if high is None:
        return None
    if b.num.high is not None:
        high = b.num.high * scale
    if low >= high:
        return None
    if kind in lex.integer_kinds and not (_is_integer(low) and _is_integer(high)):
        return None
    q_end = b_tail.end if b_tail.unit and not b_tail.people_noun else b.end
    s, e, pre, suf = _approx_bounds(norm, a.start, q_end, limit, lo)
    return QuantityMatch(text[s:e], s, e, low, low, high, unit, kind, "range", None)


def parse_quantity(text: str) -> Optional[QuantityMatch]:
    """Read a whole string as one quantity (``3000多欧元``, ``港币两千九百六十元``, ``百分之五``).

    A currency word written before the number (``人民币``, ``港币``, ``新台币``) sets the
    unit; the word ``从`` before a range is ignored; a full-width comma between digits is a
    thousands separator (``82，225.00元``). Returns ``None`` when the string is not exactly
    one quantity. Numbers without a unit are returned with ``unit == ""``.
    """
    lex = _lex()
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
    skip = _skip_spaces(norm, skip, len(norm))
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
    sign, _ = _split_sign(norm[skip:])
    pos = skip
    while pos < len(norm) and norm[pos] in "负-":
        pos += 1
    if pos > skip and norm.startswith("零下", skip):
        pos = skip + 2
    total = 0.0
    end = pos
    for _ in range(2):
        sub = _subunit_at(norm, end, len(norm))
        if not sub:
            break
        end, amount = sub
        total += amount
    if end == pos or norm[end:].strip(SPACES):
        return None
    return QuantityMatch(text[skip:end], skip + lead, end + lead, sign * total, None, None, "元",
                         "money", "exact", None)


# ---------------------------------------------------------------------------
# indicator


def _with_indicators(text: str, norm: str, found: List[QuantityMatch], lo: int, hi: int, base: int
                     ) -> List[QuantityMatch]:
    """Attach indicators (:mod:`reportie.indicators`, on the words of its fallback reading:
    the pipeline gives them again on pkuseg's words) and move the offsets by ``base``."""
    if not found:
        return found
    indicators = sentence_indicators(text, norm, lo, hi, [(q.start, q.end, q.unit, q.kind) for q in found])
    return [QuantityMatch(q.text, q.start + base, q.end + base, q.value, q.low, q.high, q.unit,
                          q.kind, q.approx, indicator) for q, indicator in zip(found, indicators)]
