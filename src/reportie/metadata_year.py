"""The year a report covers (spec §3): the rules are listed in :mod:`reportie.metadata`."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any, Dict, Optional, Tuple

from .datafiles import load_json
from .metadata_text import _CN_DIGITS, _headline_lines, _patterns, _vocabulary
from .script import simplified_view

__all__ = ["find_year", "year_of_view"]

_UNKNOWN: Any = object()  # year_of_view without the body: read it from the view only when needed


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if all(c in _CN_DIGITS for c in text):
        return int("".join(_CN_DIGITS[c] for c in text))
    value = 0  # 十二, 二十六
    if "十" in text:
        tens, _, units = text.partition("十")
        value = (int(_CN_DIGITS[tens]) if tens else 1) * 10 + (int(_CN_DIGITS[units]) if units else 0)
        return value
    return int("".join(_CN_DIGITS.get(c, c) for c in text))


def _delivery_year(view: str) -> Optional[int]:
    """The year covered by a report delivered (dated) at a congress session or committee meeting."""
    patterns = _patterns()
    head = view[:_vocabulary()["head_chars"]]
    for sentence in re.split(r"[。\n]", head):
        date = patterns["full_date"].search(sentence)
        if not date or not (patterns["session"].search(sentence) or "会议上" in sentence or "会议通过" in sentence):
            continue
        try:
            year, month = _number(date.group(1)), _number(date.group(2))
        except (KeyError, ValueError):
            continue
        if not 1900 < year < 2100 or not 1 <= month <= 12:
            continue
        if patterns["committee"].search(sentence) and not patterns["session"].search(sentence.replace("常务委员会", "")):
            if month <= 2:
                return year - 1
            continue
        return year if month >= 10 else year - 1
    return None


@lru_cache(maxsize=1)
def _terms() -> Tuple[Dict[str, Any], "re.Pattern[str]", Dict[str, str]]:
    """``data/congress_terms.json``, the pattern of a session named by term and ordinal, and the
    province-level names (full and short) -> the full name."""
    from .gazetteer import divisions

    terms = load_json("congress_terms.json")
    provinces = {d.name: d.name for d in divisions() if d.rank == "province"}
    provinces.update({d.short: d.name for d in divisions() if d.rank == "province" and d.short})
    places = "|".join(sorted([*provinces, "全国", "自治区", "省", "市"], key=len, reverse=True))
    numeral = r"[一二三四五六七八九十\d]"
    pattern = re.compile(rf"({places})?第?({numeral}{{1,3}})届({places})?(?:人民代表大会|人大)第?({numeral}{{1,2}})次会议")
    return terms, pattern, provinces


def _congress_of_body(body: Optional[str]) -> Optional[str]:
    """The congress of ``congress_terms.json`` a body belongs to (全国, 广西壮族自治区), if any."""
    if not body:
        return None
    if body.startswith("全国"):
        return "全国"
    terms, _, _ = _terms()
    place = re.sub(r"人大.*$", "", body)
    return place if place in terms["congresses"] and place != "全国" else None


def _ordinal_session_year(view: str, body: Any) -> Optional[int]:
    """The year covered by the report of a national or provincial session the page reports, named
    by term and ordinal (十四届全国人大二次会议 → held 2024 → 2023). The session must be the page's
    own congress's (its place named with it, or a bare 省/自治区/市 when the body is that province);
    sessions of cities and counties are never dated this way (their terms are not in step)."""
    from .gazetteer import names

    terms, pattern, provinces = _terms()
    if not pattern.search(view):
        return None
    if body is _UNKNOWN:  # find_year: the body only when a session is named
        from .metadata import _body_and_level

        body = _body_and_level(view)[0]
    own = _congress_of_body(body)
    if own is None:
        return None
    for sentence in re.split(r"[。！？；\n]", view):
        if not any(w in sentence for w in terms["reported_words"]) \
                or any(w in sentence for w in terms["not_reported_words"]):
            continue
        for match in pattern.finditer(sentence):
            before, after = match.group(1), match.group(3)
            if before and after:
                continue
            place = before or after
            if place is None:
                continue
            if place in ("省", "自治区", "市"):
                start = match.start(1) if before else match.start(3)
                if before and any(sentence[max(0, start - n):start] + place in names() for n in range(1, 8)):
                    continue  # 梧州市十四届人大: a city named, not the bare 市
                congress = own if own != "全国" and own.endswith(place) else None  # 市 alone: 北京市's own pages
            else:
                congress = "全国" if place == "全国" else provinces[place]
            if congress != own:
                continue
            try:
                term, session = _number(match.group(2)), _number(match.group(4))
            except (KeyError, ValueError):
                continue
            entry = terms["congresses"][own]
            if not entry["earliest_term"] <= term <= entry["term"] + 1 or not 1 <= session <= terms["sessions_per_term"]:
                continue
            held = terms["anchor_year"] + terms["term_years"] * (term - entry["term"]) + session - 1
            return held - 1  # held in January-March: its report reviews the year before
    return None


def _publication(view: str) -> Optional[Tuple[int, int]]:
    vocab = _vocabulary()
    for line in view.splitlines():
        iso = _patterns()["iso_date"].search(line)
        if iso and (any(w in line for w in vocab["publication_words"]) or len(line.strip()) <= 30):
            return int(iso.group(1)), int(iso.group(2))
    return None


def find_year(text: str) -> Optional[int]:
    """The year the report covers (spec §3); the order of the evidence is in :mod:`reportie.metadata`."""
    return year_of_view(simplified_view(text))


def year_of_view(view: str, body: Any = _UNKNOWN) -> Optional[int]:
    """The year covered; ``body`` is the page's body when known (read from ``view`` when needed)."""
    patterns = _patterns()
    vocab = _vocabulary()
    for line in _headline_lines(view):
        if any(w in line for w in vocab["not_title_words"]):
            continue
        match = patterns["title_year"].search(line)
        if match:
            return int(match.group(1))
    delivered = _delivery_year(view)
    if delivered:
        return delivered
    head = view[:vocab["head_chars"]]
    match = patterns["past_year"].search(view) or patterns["head_title_year"].search(head)
    if match:
        return int(match.group(1))
    opening = patterns["opening_year"].search(view)
    if opening and not opening.group(3):  # the first year opening a sentence; 2021年…以来 is a span
        return int(opening.group(2) or opening.group(1))
    ordinal = _ordinal_session_year(view, body)
    if ordinal:
        return ordinal
    published = _publication(view)
    session = patterns["undated_session"].search(view) or patterns["session"].search(view[:vocab["head_chars"]])
    if published and session:
        try:
            month = _number(session.group(1)) if session.re is patterns["undated_session"] else published[1]
        except (KeyError, ValueError):
            month = published[1]
        if month <= 6 and published[1] <= 6:
            return published[0] - 1
    if published:
        return published[0]
    years = [int(m.group(1)) for m in patterns["year"].finditer(view)]
    if not years:
        return None
    return Counter(years).most_common(1)[0][0]
