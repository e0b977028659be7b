"""Report metadata (spec §3): the reporting body, its level, and the year covered.

Everything is read from :func:`reportie.script.simplified_view` of the text, so that bodies come
out in simplified characters whatever the page's script.

**Body.** Every naming of a congress (人民代表大会常务委员会, 人大常委会, 人大主席团, 人民代表大会,
人大; titles in 《》 masked) is a *mention*; the place right before it (a term such as 十六届 may
stand between) is read, in order, as 全国, a division of the gazetteer (:mod:`reportie.gazetteer`,
full or short name: 遂溪县人大, 遂溪人大, 广西人大常委会), a township (樟木镇, 兴十四镇; a county
named before it is dropped), a name with an administrative suffix standing alone after
punctuation (old names such as 香格里拉县), or a bare level word (市人大常委会, 受省人大常委会委托,
镇人大). A bare level word is resolved to the place of that level the text names most often
(瑞金市审计局 → 市人大常委会 is 瑞金's). Each mention weighs 1 (½ when it names deputies,
人大代表); a place named in the headline lines gets a bonus. The body is the place of highest
weight with its organ: for a township its presidium or its congress, as the page names it most
(the congress on a tie);
otherwise the standing committee, unless the page is a report delivered at a congress session
that never names the standing committee (the congress itself, 黄平县人大). At a press briefing
the national standing committee's office speaking is the body (全国人大常委会法工委).

**Level** comes from the division's rank in the gazetteer: provinces, autonomous regions and
municipalities are ``province``, prefecture-level places ``city``, districts (also of
municipalities), counties, county-level cities and townships ``county``; 全国 is ``national``.

**Year** (:mod:`reportie.metadata_year`) is the year covered, the first of: a dated title line (2023年工作总结, 关于2020年度…的报告);
a dated delivery line (——2024年1月20日在…人民代表大会第三次会议上: a session held from January to
September reviews the year before, one held from October on its own year; a standing-committee
meeting in January or February reviews the year before); 过去的2023年; a dated title phrase near
the head; a line or sentence opening with a year (2022年，…; a range gives its last year; not
2018年以来, a span up to now); a session reported by a page published in its first half-year
(the year before the publication); the page's publication date; the year named most often.
``None`` only when the text names no year.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

from .datafiles import load_json
from .gazetteer import Division, lengths_by_prefix, names as gazetteer_names
from .script import simplified_view

__all__ = ["Metadata", "find_metadata", "find_body", "find_level", "find_year"]


@dataclass(frozen=True)
class Metadata:
    body: Optional[str]
    level: Optional[str]
    year: Optional[int]


@lru_cache(maxsize=1)
def _vocabulary() -> Dict[str, Any]:
    """``data/metadata.json`` (schema-checked; its ``_comment`` keys dropped)."""
    return load_json("metadata.json")


_HAN = re.compile(r"[\u4e00-\u9fff]")
_YEAR = r"(?<![\d.])((?:19|20)\d{2})\s*"
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "O": "0"}


@lru_cache(maxsize=1)
def _patterns() -> Dict[str, "re.Pattern[str]"]:
    vocab = _vocabulary()
    organs = "|".join(sorted(vocab["organs"], key=len, reverse=True))
    return {
        "organ": re.compile(rf"(?:{organs})"),
        "term": re.compile(r"第?[一二三四五六七八九十百〇\d]{1,4}届$"),
        "quoted_title": re.compile(r"《[^》\n]{0,200}》"),
        "title_year": re.compile(_YEAR + r"年度?[^\n。]{0,40}?(?:" + "|".join(vocab["title_words"]) + ")"),
        "head_title_year": re.compile(_YEAR + r"年度?的?[^\n。，,]{0,12}?(?:工作|履职)(?:综述|报告|总结|回顾|纪实)"),
        "past_year": re.compile(r"(?:过去的?|刚刚过去的)\s*((?:19|20)\d{2})\s*年"),
        "opening_year": re.compile(
            r"(?:^|[\n。！？；])[ \t\u3000]*(?:[■●◆]\s*)?(?:" + "|".join(vocab["opening_labels"]) + r")?"
            r"((?:19|20)\d{2})\s*(?:[—\-－~至到]\s*((?:19|20)\d{2})\s*)?年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
            r"([^，,。\n]{0,8}?(?:" + "|".join(vocab["span_words"]) + "))?"),
        "full_date": re.compile(
            r"([12一二][0-9〇零一二三四五六七八九○O]{3})\s*年\s*([0-9一二三四五六七八九十]{1,3})\s*月\s*([0-9一二三四五六七八九十]{1,3})\s*日"),
        "iso_date": re.compile(r"(?<!\d)((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})(?!\d)"),
        "session": re.compile(r"(?:人民代表大会|人大)(?:第?[一二三四五六七八九十\d]{1,3}次会议)"),
        "undated_session": re.compile(r"(?:人民代表大会|人大)第?[一二三四五六七八九十\d]{1,3}次会议[^。\n]{0,30}?"
                                      r"(?<![\d年])([0-9一二三四五六七八九十]{1,2})月[0-9一二三四五六七八九十]{1,3}日"),
        "committee": re.compile(r"常务委员会|常委会|主任会议"),
        "year": re.compile(_YEAR + r"年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"),
    }


# ---------------------------------------------------------------------------
# body and level


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
            if hit is not None and end - hit[0] == 2 and hit[0] > 0 and _HAN.match(masked[hit[0] - 1]) \
                    and masked[hit[0] - 1] not in vocab["place_breakers"] and not _gazetteer_before(masked, hit[0]):
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
    return stem


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
        if 2 <= len(own) <= 4 and own + suffix not in vocab["generic_places"] \
                and (view.count(own + suffix) >= 2 or any(own + suffix in line for line in _headline_lines(view))):
            # a place the gazetteer does not know, named as a place more than once (or in the headline)
            return _Place(own + suffix, _level_of_suffix(suffix), suffix), None
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
            if found and not any(is_full for _, is_full in found):
                # a division named with another suffix than today's (香格里拉县, now 香格里拉市)
                return _Place(name[cut:] + suffix, _level_of_suffix(suffix), suffix), None
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
            rest = view[i + length:]
            usable = full or [d for d, _ in found if d.rank != "county" or rest.startswith(boundary) or not rest
                              or not _HAN.match(rest[0])]
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


def _headline_lines(view: str) -> List[str]:
    vocab = _vocabulary()
    lines = []
    for line in view.splitlines():
        line = line.strip()
        if not line or not _HAN.search(line):
            continue
        if len(line) > vocab["headline_max_chars"] or "。" in line or any(w in line for w in vocab["furniture_words"]):
            continue
        lines.append(line)
        if len(lines) == vocab["headline_lines"]:
            break
    return lines


def _resolve(mentions: List[_Mention], by_name: Counter, view: str, stems: Optional[Counter] = None) -> None:
    """Give each bare level word the place of that level the text names most often."""
    townships = Counter(m.place.key for m in mentions if m.place and m.place.level == "county" and m.place.division is None
                        and m.place.suffix in _vocabulary()["township_suffixes"])
    first = {}
    for mention in mentions:
        if mention.place is not None:
            first.setdefault(mention.place.key, mention.position)
    index = gazetteer_names()
    loose = Counter(m.place.key for m in mentions
                    if m.place and m.place.division is None and m.place.key != "全国")
    chosen: Dict[str, Optional[str]] = {}
    for mention in mentions:
        if mention.bare is None:
            continue
        suffix = mention.bare
        if suffix not in chosen:
            if suffix in _vocabulary()["township_suffixes"]:
                pool = Counter({k: c for k, c in townships.items() if k.endswith(suffix)})
            else:
                pool = Counter({k: c for k, c in by_name.items() if k.endswith(suffix)})
                pool.update({k: c for k, c in loose.items() if k.endswith(suffix)})
                if not pool:  # a place named with its suffix in the headline (《临渚市养犬管理条例》)
                    pool.update(k for line in _headline_lines(view) for k in _suffixed_places(line) if k.endswith(suffix))
                if not pool and stems and suffix in _vocabulary()["stem_suffixes"]:
                    pool.update({k + suffix: c for k, c in stems.items()})  # 鹭川人大 + 市人大常委会
            chosen[suffix] = None
            if pool:
                best = max(pool.values())
                chosen[suffix] = min((k for k, c in pool.items() if c == best),
                                     key=lambda k: first.get(k, view.find(k) if view.find(k) >= 0 else 1 << 30))
        key = chosen[suffix]
        if key is None:
            continue
        found = index.get(key)
        if found:
            mention.place = _division_place(found[0][0])
        else:
            mention.place = _Place(key, _level_of_suffix(_suffix_of(key)) or "county", _suffix_of(key))


def _body_and_level(view: str) -> Tuple[Optional[str], Optional[str]]:
    vocab = _vocabulary()
    by_name, by_code = _evidence(view)
    stems: Counter = Counter()
    mentions = _mentions(view, by_code, stems)
    _resolve(mentions, by_name, view, stems)
    scores: Counter = Counter()
    places: Dict[str, _Place] = {}
    first: Dict[str, int] = {}
    for mention in mentions:
        if mention.place is None:
            continue
        scores[mention.place.key] += mention.weight
        places.setdefault(mention.place.key, mention.place)
        first.setdefault(mention.place.key, mention.position)
    if not scores:
        bare = next((m for m in mentions if m.bare), None)
        if bare is None:
            return None, None
        organ = bare.organ
        return bare.bare + organ, _level_of_suffix(bare.bare)
    for line in _headline_lines(view):
        for key in scores:
            division = places[key].division
            if key in line or (division is not None and division.short and division.short in line):
                scores[key] += vocab["headline_bonus"]
    for line in view.splitlines()[:vocab["source_lines"]]:
        if any(w in line for w in vocab["source_words"]):  # 来源：岚山县人大常委会 — the publisher
            for key in scores:
                if key in line:
                    scores[key] += vocab["source_bonus"]
    best = max(scores.values())
    key = min((k for k, c in scores.items() if c == best), key=lambda k: first[k])
    place = places[key]
    return key + _organ(view, place, [m for m in mentions if m.place is not None and m.place.key == key], mentions), place.level


def _organ(view: str, place: _Place, own: List[_Mention], mentions: List[_Mention]) -> str:
    vocab = _vocabulary()
    organs = Counter(m.organ for m in own if m.weight == 1.0)
    if place.level == "county" and place.division is None and place.suffix in vocab["township_suffixes"]:
        organs["人大主席团"] += sum(1 for m in mentions if m.place is None and m.bare is None and m.organ == "人大主席团")
        if organs["人大主席团"] > organs["人大"]:
            return "人大主席团"
        return "人大"
    if place.key == "全国":
        office = _briefing_office(view)
        return "人大常委会" + (office or "")
    if organs["人大常委会"] or not _delivered_at_session(view):
        return "人大常委会"
    return "人大"


def _briefing_office(view: str) -> Optional[str]:
    """At a press briefing, the office of the national standing committee that speaks there."""
    vocab = _vocabulary()
    offices = "|".join(sorted(vocab["national_offices"], key=len, reverse=True))
    briefing = "|".join(vocab["briefing_words"])
    for sentence in re.split(r"[。\n]", view):
        if re.search(briefing, sentence):
            match = re.search(rf"全国人(?:大常委会|民代表大会常务委员会)({offices})", sentence)
            if match:
                return vocab["national_offices"][match.group(1)]
    return None


def _delivered_at_session(view: str) -> bool:
    """A report delivered at (or put to) a congress session, not to its standing committee."""
    patterns = _patterns()
    for line in view[:600].splitlines():
        if patterns["session"].search(line) and not patterns["committee"].search(line) and re.search(r"会议上|提请|审议", line):
            return True
    return False


def find_body(text: str) -> Optional[str]:
    return _body_and_level(simplified_view(text))[0]


def find_level(body: Optional[str]) -> Optional[str]:
    """The level of a body name (``find_metadata`` reads it from the gazetteer directly)."""
    if not body:
        return None
    return _body_and_level(body)[1]


def find_year(text: str) -> Optional[int]:
    """The year the report covers (spec §3); see :mod:`reportie.metadata_year`."""
    from .metadata_year import find_year as _find_year

    return _find_year(text)


def find_metadata(text: str) -> Metadata:
    """Body, level and year of a report (spec §3). Places are read from the first
    ``mention_chars`` characters (a page names its body early; huge inputs stay fast)."""
    view = simplified_view(text[:_vocabulary()["mention_chars"]])
    body, level = _body_and_level(view)
    from .metadata_year import year_of_view

    return Metadata(body=body, level=level, year=year_of_view(view))
