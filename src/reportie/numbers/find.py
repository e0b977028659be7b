"""Finding numerals in running text: :func:`numeral_spans` (the building block of the quantity
finder), :func:`find_numerals`, and the words that hold numeral characters but are not numbers
(一切, 四川: :func:`lexical_spans`, from ``data/exclusions.json``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import List, Optional, Tuple

from ..wordlists import WordList, occurrences
from ..datafiles import load_json
from .base import SPACES, Numeral, NumeralMatch
from .chars import normalize, without_spaces
from .numeral import try_parse_numeral
from .vocab import vocab

__all__ = ["numeral_spans", "lexical_spans", "normalized_lexical_spans", "in_lexical_word", "find_numerals"]


def numeral_spans(norm: str, start: int = 0, end: Optional[int] = None
                  ) -> List[Tuple[int, int, Numeral]]:
    """Longest well-formed numerals in an already :func:`normalize`-d text.

    Each candidate run of numeral characters is shrunk from the right until it parses,
    and scanning resumes after it, so ``九年八吨`` gives 九 and 八, ``两百点两`` gives 两百 and
    两. Spaces inside a run are allowed next to Chinese numerals only: two Arabic numbers
    separated by a space are two numbers. This is the building block of
    :func:`find_numerals` and of the quantity finder.
    """
    v = vocab()
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
    words = {normalize(w) for w in load_json("exclusions.json").get("numeral_words", [])}
    return WordList(sorted(words, key=len, reverse=True))  # longest first


def lexical_spans(text: str) -> List[Tuple[int, int]]:
    """Spans of words that contain numeral characters but are not numbers (一切, 四川, 队伍)."""
    return normalized_lexical_spans(normalize(text))


def normalized_lexical_spans(norm: str, end: Optional[int] = None, reach: int = 0) -> List[Tuple[int, int]]:
    """:func:`lexical_spans` of a text already :func:`normalize`-d (without ``strict_commas``),
    in ``norm[:end]``; with ``reach``, only (at least) the words that may end after it."""
    words = _lexical_words()
    return occurrences(norm, words, end, max(0, reach - words.longest + 1))


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
    v = vocab()
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
    units = load_json("units.json")
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
