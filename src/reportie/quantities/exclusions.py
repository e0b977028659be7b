"""What keeps a number from being a quantity (``data/exclusions.json``): titles, short quoted
slogans, set phrases, words such as 四川, URLs, ordinals and codes (:class:`Blocks`), and the
numbers whose unit does not count (:func:`not_a_count`: 一 as an article, 一户一表, session
ordinals, slogans, category names, reduplication).
"""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

from ..numbers import normalized_lexical_spans
from ..numbers.vocab import vocab
from ..wordlists import occurrences, word_at, word_before
from .base import Atom, Tail, is_cjk
from .vocabulary import vocabulary

__all__ = ["Blocks", "not_a_count"]


def _blocked_zones(text: str, norm: str, start: int, end: int, lexical: List[Tuple[int, int]]
                   ) -> List[Tuple[int, int]]:
    """Titles (《…》), short quoted phrases (“三个到位”), set phrases, ``lexical`` words, URLs."""
    lex = vocabulary()
    zones: List[Tuple[int, int]] = []
    if lex.opener_re.search(text, 0, end):  # most sentences have no title or quotation: skip the regexes
        for opener, pattern in lex.title_res:
            if text.find(opener, 0, end) >= 0:
                zones.extend((m.start(), m.end()) for m in pattern.finditer(text, 0, end))
        for opener, pattern in lex.quote_res:
            if text.find(opener, 0, end) < 0:
                continue
            for m in pattern.finditer(text, 0, end):
                whole_line = (m.start() == 0 or text[m.start() - 1] == "\n") and \
                    (m.end() == len(text) or text[m.end()] in "\n")
                if not re.search(r"[。；;！？]", m.group(1)) and not whole_line:
                    zones.append((m.start(), m.end()))  # a line that is all quotation is not a slogan
    # the numerals are in [start, end): a set phrase ending before start cannot block them
    zones.extend(occurrences(norm, lex.set_phrase_words, end, max(0, start - lex.set_phrase_words.longest + 1)))
    zones.extend(lexical)
    zones.extend((m.start(), m.end()) for m in lex.url_re.finditer(text, 0, end))
    return zones


def _overlaps(zones: List[Tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in zones)


class Blocks:
    """What keeps the numerals of a text from being quantities; the zones are found on first
    need (a sentence whose numerals have no unit never needs them)."""

    __slots__ = ("text", "norm", "plain", "start", "end", "lexical", "zones")

    def __init__(self, text: str, norm: str, plain: str, start: int, end: int) -> None:
        self.text, self.norm, self.plain, self.start, self.end = text, norm, plain, start, end
        self.lexical: List[Tuple[int, int]] = []
        self.zones: Optional[List[Tuple[int, int]]] = None

    def reject(self, a: Atom) -> bool:
        if self.zones is None:
            # the numerals are in [start, end): only the words that may reach them
            self.lexical = normalized_lexical_spans(self.plain, self.end, self.start)
            self.zones = _blocked_zones(self.text, self.norm, self.start, self.end, self.lexical)
        return _rejected(self.text, self.norm, a, self.zones, self.lexical)


def _rejected(text: str, norm: str, a: Atom, zones: List[Tuple[int, int]],
              lexical: List[Tuple[int, int]]) -> bool:
    if _overlaps(zones, a.start, a.end) and not _only_lexical_overlap(lexical, a, zones):
        return True
    if _excluded_before(norm, a.start):
        return True
    if _bad_neighbour(text, norm, a):
        return True
    return False


def _only_lexical_overlap(lexical: List[Tuple[int, int]], a: Atom,
                          zones: List[Tuple[int, int]]) -> bool:
    """A lexical word that only touches the numeral's edge (四川 in 四川3个) does not block."""
    hits = [(s, e) for s, e in zones if s < a.end and a.start < e]
    return all((s, e) in lexical and not (s <= a.start and a.end <= e) for s, e in hits)


def _excluded_before(norm: str, pos: int) -> bool:
    """第 / 星期 / 前 … right before the number (ordinals, weekdays, ranks, codes)."""
    lex = vocabulary()
    word = word_before(norm, pos, lex.before_excl)
    if not word:
        return False
    if word_before(norm, pos, lex.before_blockers):
        return False
    return True


def _bad_neighbour(text: str, norm: str, atom: Atom) -> bool:
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


def _session_ordinal(norm: str, atom: Atom, tail: Tail) -> bool:
    """二次会议 after 届 (十八届人大二次会议) is a session ordinal, not a count; so is each N次
    of an enumeration of them (市委八届八次、九次全会)."""
    lex = vocabulary()
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


def _set_pattern(norm: str, atom: Atom) -> bool:
    """一户一表 / 一府一委两院: single numerals alternating with single characters."""
    digits = vocab().cn_digits
    if atom.end - atom.start != 1 or norm[atom.start] not in digits:
        return False
    s, e = atom.start, atom.end
    after = e + 1 < len(norm) and norm[e + 1] in digits and is_cjk(norm[e])
    before = s - 2 >= 0 and norm[s - 2] in digits and is_cjk(norm[s - 1]) and \
        (s - 3 < 0 or norm[s - 3] not in digits)
    return bool(after or before)


def _slogan_after(norm: str, pos: int, raw: str) -> bool:
    """A short quotation right after the measure word that is a set phrase: the numeral is in
    Chinese (两个“维护”) or the quotation holds a numeral itself (3个“一批”); 12个“人大代表之家”
    counts named things and stays."""
    lex = vocabulary()
    if pos >= len(norm) or norm[pos] not in lex.opening_quotes:
        return False
    close = pos + 1
    while close < len(norm) and close - pos <= lex.short_quote_max and norm[close] not in lex.closing_quotes:
        close += 1
    if close >= len(norm) or norm[close] not in lex.closing_quotes:
        return False
    inner = norm[pos + 1:close]
    numerals = vocab().numeral_chars
    return all(ch in numerals for ch in raw) or any(ch in numerals or ch.isdigit() for ch in inner)


def _describes(norm: str, pos: int) -> bool:
    """A descriptive phrase ending in 的 right after 一 + measure word (一场生动的, 一次深入细致的)."""
    m = _DESCRIBED_RE.match(norm, pos)
    return m is not None


_DESCRIBED_RE = re.compile(r"[\u4e00-\u9fff]{2,6}的[\u4e00-\u9fff]")


_CATEGORY_NAME_RE = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:[共有为计]{0,2})[0-9一二三四五六七八九十两]")


def not_a_count(norm: str, a: Atom, tail: Tail, kind: str) -> bool:
    """The number ``a`` with its unit does not count anything: 一 as an article, the name of a
    category, a numeral of a slogan or of quoted words, a reduplication, 一户一表, a session ordinal."""
    lex = vocabulary()
    # 一 as an article: 一个近300平方米的院落, 一种途径, 一座连心桥
    raw = norm[a.start:a.end]
    if raw == "一" and tail.unit in lex.article and kind in lex.integer_kinds:
        return True
    if raw == "一" and kind in lex.integer_kinds and tail.unit and (
            a.start > 0 and norm[a.start - 1] in lex.article_before or _describes(norm, tail.end)):
        return True  # 最广的一次调查活动, 再一次, 一场生动的普法课: an article, not a count
    if tail.unit in lex.category_measures and all(ch in vocab().numeral_chars for ch in raw) and \
            _CATEGORY_NAME_RE.match(norm, tail.end):
        return True  # 二类项目12个: the name of a category
    if tail.unit and kind in lex.integer_kinds and _slogan_after(norm, tail.end, raw):
        return True  # 3个“一批”, 两个“确保”: a numeral of a slogan
    # “人民”二字: a number describing the quoted words
    if a.start > 0 and norm[a.start - 1] in lex.closing_quotes and tail.unit in lex.quote_units:
        return True
    # reduplication: 一个个, 一件件, 一次次
    if tail.unit and len(tail.unit) == 1 and norm.startswith(tail.unit, tail.end) and \
            kind in lex.integer_kinds:
        return True
    if _set_pattern(norm, a) and kind in lex.integer_kinds:
        return True
    return _session_ordinal(norm, a, tail)
