"""Report metadata (spec §3): the reporting body, its level, and the year covered.

Everything is read from :func:`reportie.script.simplified_view` of the text, so that bodies come
out in simplified characters whatever the page's script.

**Body.** Every naming of a congress (人民代表大会常务委员会, 人大常委会, 人大主席团, 人民代表大会,
人大; titles in 《》 masked) is a *mention*; the place right before it (a term such as 十六届 may
stand between) is read, in order, as 全国, a division of the gazetteer (:mod:`reportie.gazetteer`,
full or short name: 遂溪县人大, 遂溪人大, 广西人大常委会; an autonomous one also as 恩施州, 峨边县), a township (樟木镇, 兴十四镇; a county
named before it is dropped), a name with an administrative suffix standing alone after
punctuation (old names such as 香格里拉县; an autonomous prefecture or county may carry its
peoples' names, 岜山壮族苗族自治州), or a bare level word (市人大常委会, 受省人大常委会委托, 镇人大;
in 全州县乡人大 the 乡 after a county is the county's townships). A loose name must be written
before a level suffix or a congress at least half the times the text writes it (组织区人大代表
names no 组织区), and a level word with the word before it (年度省人大) is no place's short name.
The places are read by :mod:`reportie.metadata_places`.

A bare level word is resolved to the place of that level the text names most often (瑞金市审计局
→ 市人大常委会 is 瑞金's), a place named in the headline or the source line (来源：澧阳市人大常委会
办公室) counting as named more, and a name inside a longer one the text uses not counting (苕南县
names no 南县). Each mention weighs 1 (½ when it names deputies, 人大代表); a place named in the
headline lines or the source line (its short name before 人大: 来源：湖南人大网) gets a bonus. The body is the place of highest weight with its
organ: for a township its presidium or its congress, as the page names it most (the congress on a
tie); otherwise the standing committee, unless the page is a report delivered at a congress
session that never names the standing committee (the congress itself, 黄平县人大). At a press
briefing the national standing committee's office speaking is the body (全国人大常委会法工委).

**Level** comes from the division's rank in the gazetteer: provinces, autonomous regions and
municipalities are ``province``, prefecture-level places ``city``, districts (also of
municipalities), counties, county-level cities and townships ``county``; 全国 is ``national``.

**Year** (:mod:`reportie.metadata_year`) is the year covered, the first of: a dated title line (2023年工作总结, 关于2020年度…的报告);
a dated delivery line (——2024年1月20日在…人民代表大会第三次会议上: a session held from January to
September reviews the year before, one held from October on its own year; a standing-committee
meeting in January or February reviews the year before); 过去的2023年; a dated title phrase near
the head; a line or sentence opening with a year (2022年，…; a range gives its last year; not
2018年以来, a span up to now); a national or provincial session the page reports, named by term
and ordinal (十四届全国人大二次会议, 广西十四届人大一次会议召开…, 省十四届人大二次会议 on the province's
own page: these congresses' five-year terms are in step, ``data/congress_terms.json``, so the
session's year is known and its report reviews the year before; only the page's own congress, not
a session's 精神 or 建议, never a city's or county's); a session reported by a page published in
its first half-year (the year before the publication); the page's publication date; the year named
most often.
``None`` only when the text names no year.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from .metadata_places import (_Mention, _Place, _division_place, _evidence, _level_of_suffix, _mentions,
                              _named_as_place, _suffix_of, _suffixed_places)
from .metadata_text import _headline_lines, _patterns, _source_lines, _vocabulary
from .gazetteer import names as gazetteer_names
from .script import simplified_view

__all__ = ["Metadata", "find_metadata", "find_body", "find_level", "find_year"]


@dataclass(frozen=True)
class Metadata:
    body: Optional[str]
    level: Optional[str]
    year: Optional[int]


def _placement_bonus(view: str, key: str, short: Optional[str] = None) -> float:
    """The weight a place gains from being named in the headline or in the source line."""
    vocab = _vocabulary()
    bonus = 0.0
    for line in _headline_lines(view):
        if key in line or (short and short in line):
            bonus += vocab["headline_bonus"]
    for line in _source_lines(view):
        if key in line or (short and short + "人大" in line):  # 来源：湖南人大网 — the congress publishes
            bonus += vocab["source_bonus"]
    return bonus


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
                # a place named with its suffix in the headline (《临渚市养犬管理条例》, 枫坪县人民政府关于…的报告)
                pool.update({k: 0 for line in _headline_lines(view) for k in _suffixed_places(line)
                             if k.endswith(suffix) and k not in pool})
                if not pool and stems and suffix in _vocabulary()["stem_suffixes"]:
                    pool.update({k + suffix: c for k, c in stems.items()  # 鹭川人大 + 市人大常委会
                                 if _named_as_place(view, k)})
            chosen[suffix] = None
            for key in [k for k in pool if any(o != k and o.endswith(k) for o in pool)]:
                del pool[key]  # 苕南县 names no 南县: a name inside a longer one the text uses
            for key in pool:  # 碧泷区人大常委会2023年工作综述 … 区人大常委会: the page's own place
                pool[key] += _placement_bonus(view, key)
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
    for key in scores:
        division = places[key].division
        scores[key] += _placement_bonus(view, key, division.short if division is not None else None)
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

    return Metadata(body=body, level=level, year=year_of_view(view, body))
