"""Places named before a congress (spec §3 body): gazetteer names, townships, suffixed names the
gazetteer does not know, bare level words (市人大常委会), and the evidence of places the text names.
:mod:`reportie.metadata` weighs them into one body."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import List, Optional, Tuple

from .gazetteer import Division, lengths_by_prefix, names as gazetteer_names
from .metadata_text import _HAN, _headline_lines, _patterns, _source_lines, _vocabulary

@dataclass
class _Place:
    key: str            # the name the body is written with (遂溪县, 新春乡, 全国)
    level: Optional[str]
    suffix: str         # the administrative suffix, for resolving bare level words
    division: Optional[Division] = None


class _Mention:
    __slots__ = ("place", "bare", "organ", "weight", "position")

    def __init__(self, place: Optional[_Place], bare: Optional[str], organ: str, weight: float, position: int):
        self.place, self.bare, self.organ, self.weight, self.position = place, bare, organ, weight, position


def _suffix_of(name: str) -> str:
    for suffix in _vocabulary()["level_by_suffix"]:  # longest first in the data file
        if name.endswith(suffix):
            return suffix
    return ""


def _level_of_suffix(suffix: str) -> Optional[str]:
    return _vocabulary()["level_by_suffix"].get(suffix)


def _level_of_stem(stem: str, suffix: str) -> Optional[str]:
    """The level of a place the gazetteer knows under another suffix: a renamed division keeps
    its rank (京山县 → 京山市, a county-level city: ``county``); else the suffix's level."""
    ranks = {division.rank for division, is_full in gazetteer_names().get(stem, ()) if not is_full}
    if len(ranks) == 1:
        return "county" if ranks == {"county"} else ranks.pop()
    return _level_of_suffix(suffix)


def _division_place(division: Division) -> _Place:
    level = "county" if division.rank == "county" else division.rank
    return _Place(division.name, level, _suffix_of(division.name), division)


def _gazetteer_before(view: str, end: int, full_only: bool = False) -> Optional[Tuple[int, List[Tuple[Division, bool]]]]:
    """The longest gazetteer name ending at ``end``: (its start, its candidates)."""
    index = gazetteer_names()
    for length in range(min(12, end), 1, -1):
        found = index.get(view[end - length:end])
        if found:
            if full_only:
                found = tuple(f for f in found if f[1])
                if not found:
                    continue
            return end - length, list(found)
    return None


def _pick(candidates: List[Tuple[Division, bool]], evidence: Counter) -> Division:
    """Among divisions sharing a name, the one whose province or city the text also names."""
    def score(item: Tuple[Division, bool]) -> Tuple[int, int]:
        division = item[0]
        return (evidence.get(division.city_code, 0) + evidence.get(division.province_code, 0), item[1])
    return max(candidates, key=score)[0]


def _township_before(view: str, end: int) -> Optional[Tuple[int, str]]:
    """A township name (樟木镇, 兴十四镇) ending at ``end``, or ``(end-1, '')`` for a bare 镇/乡."""
    vocab = _vocabulary()
    for suffix in vocab["township_suffixes"]:
        if view.endswith(suffix, 0, end):
            stop = end - len(suffix)
            start = stop
            while start > 0 and stop - start < 4 and _HAN.match(view[start - 1]) and view[start - 1] not in vocab["place_breakers"]:
                start -= 1
            name = view[start:stop]
            county = _gazetteer_before(view, stop, full_only=True)
            if county is None and start > 0:
                # 覃塘区樟木镇: the county named before the township is not part of its name
                for cut in range(start, stop - 1):
                    if _gazetteer_before(view, cut + 1, full_only=True) and cut + 1 - start >= 2:
                        inner = view[cut + 1:stop]
                        if len(inner) >= 2:
                            name, start = inner, cut + 1
                            break
            if (name[-1:] + suffix) in vocab["generic_places"] or (name[-2:] + suffix) in vocab["generic_places"]:
                return None  # 乡镇人大, 全镇: no one township
            if len(name) >= 2:
                return start, _most_named(view, name, suffix)
            if not name or view[stop - 1] in vocab["place_breakers"] or len(name) < 2:
                return stop, ""
    return None


def _most_named(view: str, name: str, suffix: str) -> str:
    """The longest tail of ``name`` named as often as its two-character tail (兴十四镇, not 十四镇;
    白沙镇, not 天到白沙镇 when 白沙镇 is named more often)."""
    shortest = view.count(name[-2:] + suffix)
    for cut in range(len(name) - 2):
        if view.count(name[cut:] + suffix) == shortest:
            return name[cut:] + suffix
    return name[-2:] + suffix


def _mentions(view: str, evidence: Counter, stems: Optional[Counter] = None) -> List[_Mention]:
    patterns = _patterns()
    vocab = _vocabulary()
    masked = patterns["quoted_title"].sub(lambda m: " " * len(m.group(0)), view)
    found: List[_Mention] = []
    for match in patterns["organ"].finditer(masked):
        organ = vocab["organ_short"].get(match.group(0), match.group(0))
        after = masked[match.end():match.end() + 2]
        weight = 0.5 if after.startswith("代表") and organ == "人大" else 1.0
        end = match.start()
        term = patterns["term"].search(masked, max(0, end - 6), end)
        if term:
            end = term.start()
        if masked[end - 1:end] in ("乡", "镇") and masked[end - 2:end - 1] in ("县", "区", "市"):
            end -= 1  # 全州县乡人大: the county's and its townships' congresses, named by the county
        before = masked[max(0, end - 2):end]
        place: Optional[_Place] = None
        bare: Optional[str] = None
        if before == "全国":
            place = _Place("全国", "national", "全国")
        elif masked[end - 1:end] in vocab["township_chars"] or before == "街道":
            township = _township_before(masked, end)
            if township is not None:
                if township[1]:
                    place = _Place(township[1], "county", _suffix_of(township[1]))
                else:
                    bare = _suffix_of(masked[max(0, end - 2):end]) or masked[end - 1]
        if place is None and bare is None:
            hit = _gazetteer_before(masked, end)
            if hit is not None and end - hit[0] == 2 and _glued(masked, hit[0]):
                hit = None  # 办理县人大: a two-character name (理县) glued to a word is not named
            if hit is not None and masked[hit[0]:end] not in vocab["generic_places"]:
                place = _division_place(_pick(hit[1], evidence))
            else:
                place, bare = _loose_place(masked, end)
        if place is None and bare is None and organ not in ("人大主席团",):
            stem = _stem_before(masked, end)
            if stem and stems is not None:
                stems[stem] += 1  # 鹭川人大常委会: a place's short name the gazetteer does not know
            continue
        found.append(_Mention(place, bare, organ, weight, match.start()))
    return found


def _glued(view: str, start: int) -> bool:
    """Whether the text at ``start`` continues a word: a Han character before it that is no place
    breaker and does not end a gazetteer name (湖南省会同县 is not glued)."""
    if start == 0 or not _HAN.match(view[start - 1]) or view[start - 1] in _vocabulary()["place_breakers"]:
        return False
    return not _gazetteer_before(view, start)


def _stem_before(view: str, end: int) -> Optional[str]:
    """Two or three characters right before ``end`` after a boundary (a non-Han character or a
    place breaker), or None."""
    vocab = _vocabulary()
    start = end
    while start > 0 and end - start < 4 and _HAN.match(view[start - 1]) and view[start - 1] not in vocab["place_breakers"]:
        start -= 1
    if start > 0 and _HAN.match(view[start - 1]) and view[start - 1] not in vocab["place_breakers"]:
        return None
    stem = view[start:end]
    if not 2 <= len(stem) <= 3 or stem in vocab["generic_places"] or any(stem.endswith(g) for g in vocab["not_stems"]):
        return None
    if any(c in _LEVEL_CHARS for c in stem):
        return None  # 年度省人大 → 度省, 受市人大: a level word with the word before it, not a name
    return stem


_LEVEL_CHARS = frozenset("省市县区乡镇旗")


def _named_as_place(view: str, name: str) -> bool:
    """Whether ``name`` stands before a level suffix or a congress at least half the times the text
    writes it: a place's name does (碧泷区, 碧泷人大), a verb glued to a bare level word
    (组织区人大代表, 确保人大) does not."""
    total = view.count(name)
    if not total:
        return False
    named = len(_place_follower_pattern(name).findall(view))
    return 2 * named >= total


def _place_follower_pattern(name: str) -> "re.Pattern[str]":
    followers = "|".join(list(_vocabulary()["level_by_suffix"]) + ["人大", "人民代表大会"])
    return re.compile(re.escape(name) + f"(?={followers})")


def _suffixed_places(line: str) -> List[str]:
    """Names with an administrative suffix standing after a boundary in a headline (西岭省首批…)."""
    vocab = _vocabulary()
    found = []
    for suffix in ("自治区", "省", "市", "县", "区"):
        for match in re.finditer(re.escape(suffix), line):
            stem = _stem_before(line, match.start())
            if stem and stem + suffix not in vocab["generic_places"]:
                found.append(stem + suffix)
    return found


def _loose_place(view: str, end: int) -> Tuple[Optional[_Place], Optional[str]]:
    """A suffixed name not in the gazetteer standing alone after punctuation (香格里拉县), or a bare
    level word (市人大常委会, 受省人大常委会委托)."""
    vocab = _vocabulary()
    for suffix in vocab["level_by_suffix"]:
        if not view.endswith(suffix, 0, end):
            continue
        stop = end - len(suffix)
        start = stop
        while start > 0 and (_HAN.match(view[start - 1]) or view[start - 1] in vocab["placeholder_chars"]):
            start -= 1
        name = view[start:stop]
        cut = max((i + 1 for i, c in enumerate(name) if c in vocab["place_breakers"]), default=0)
        own = name[cut:]  # 日在嵩川 → 嵩川: the name starts after the last breaker
        longest = 10 if suffix.startswith("自治") and own.endswith("族") else 4  # 岜山壮族苗族自治州
        if 2 <= len(own) <= longest and own + suffix not in vocab["generic_places"] \
                and (view.count(own + suffix) >= 2 and _named_as_place(view, own)
                     or any(own + suffix in line for line in _headline_lines(view) + _source_lines(view))):
            # a place the gazetteer does not know, named as a place more than once (or in the headline)
            return _Place(own + suffix, _level_of_stem(own, suffix), suffix), None
        if len(own) == 1 and len(suffix) == 1 and own + suffix not in vocab["generic_places"]:
            return None, None  # 宁州人大: a short name ending in a suffix character, not a bare 州
        placeholder = len(name) - len(name.lstrip(vocab["placeholder_chars"]))
        if placeholder >= 2 and len(name) - placeholder <= 0:
            return _Place(name + suffix, _level_of_suffix(suffix), suffix), None  # 某某县, XX县: a template's place
        tail = name.rstrip(vocab["placeholder_chars"])
        if len(name) - len(tail) >= 2:
            return _Place(name[len(tail):] + suffix, _level_of_suffix(suffix), suffix), None
        for cut in range(max(0, len(name) - 6), len(name) - 1):
            found = gazetteer_names().get(name[cut:])
            if found and not any(is_full for _, is_full in found) and not _glued(view, start + cut):
                # a division named with another suffix than today's (香格里拉县, now 香格里拉市): a
                # renamed division keeps its rank (京山县 → 京山市 is a county-level city: county)
                return _Place(name[cut:] + suffix, _level_of_stem(name[cut:], suffix), suffix), None
        if name and ((name[-1:] + suffix) in vocab["generic_places"] or (name[-2:] + suffix) in vocab["generic_places"]):
            return None, None
        return None, suffix
    return None, None


def _evidence(view: str) -> Tuple[Counter, Counter]:
    """Places the text names anywhere: counts by full name and by province/city code."""
    index = gazetteer_names()
    prefix_lengths = lengths_by_prefix()
    vocab = _vocabulary()
    by_name: Counter = Counter()
    by_code: Counter = Counter()
    boundary = tuple(vocab["short_name_followers"])
    i, n = 0, min(len(view), vocab["evidence_chars"])  # a page names its places early: bounded on huge inputs
    while i < n:
        lengths = prefix_lengths.get(view[i:i + 2])
        if lengths is None:  # no name starts here (every name starts with two Han characters)
            i += 1
            continue
        limit = min(12, n - i)
        for length in lengths:
            if length > limit:
                continue
            found = index.get(view[i:i + length])
            if not found:
                continue
            full = [d for d, is_full in found if is_full]
            if length == 2 and i > 0 and _HAN.match(view[i - 1]) and view[i - 1] not in vocab["place_breakers"]:
                full = []  # 主席和县: a two-character name glued to a word is not named
            end = i + length
            usable = full or [d for d, _ in found if d.rank != "county" or view.startswith(boundary, end) or end == len(view)
                              or not _HAN.match(view[end])]
            if view[i:i + length] in vocab["generic_places"] or not usable:
                continue
            for division in usable:
                by_name[division.name] += 1 / len(usable)
                by_code[division.province_code] += 1
                if division.rank != "province":
                    by_code[division.city_code] += 1
            i += length - 1
            break
        i += 1
    return by_name, by_code
