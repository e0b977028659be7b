"""Report metadata (spec §3): the reporting body, its level, and the year covered."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Dict, List, Optional


@dataclass(frozen=True)
class Metadata:
    body: Optional[str]
    level: Optional[str]
    year: Optional[int]


@lru_cache(maxsize=1)
def _vocabulary() -> Dict[str, object]:
    return json.loads(resources.files("reportie").joinpath("data/metadata.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _patterns() -> Dict[str, "re.Pattern[str]"]:
    vocab = _vocabulary()
    suffixes = "|".join(sorted(vocab["level_by_suffix"], key=len, reverse=True))  # type: ignore[arg-type]
    organs = "|".join(vocab["organs"])  # type: ignore[arg-type]
    return {
        # A place name ending in an administrative suffix, an optional term (三届), then the organ.
        "body": re.compile(
            rf"(?P<place>全国|[\u4e00-\u9fff]{{1,12}}?(?:{suffixes}))(?:第?[一二三四五六七八九十]+届)?(?P<organ>{organs})"
        ),
        "bare_body": re.compile(rf"(?P<place>全国|[省市区县州旗盟])(?:第?[一二三四五六七八九十]+届)?(?P<organ>{organs})"),
        "title_year": re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年度?(?:[^\n。，,]{0,12}?)(?:工作|履职)(?:综述|报告|总结|回顾|纪实)"),
        "past_year": re.compile(r"(?:过去的?|刚刚过去的)\s*((?:19|20)\d{2})\s*年"),
        "year": re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年(?!\d{1,2}月\d)"),
        "quoted_title": re.compile(r"《[^》\n]{0,200}》"),
    }


def _level(place: str) -> Optional[str]:
    vocab = _vocabulary()
    if place in vocab["province_level_cities"]:  # type: ignore[operator]
        return "province"
    for suffix, level in sorted(vocab["level_by_suffix"].items(), key=lambda kv: -len(kv[0])):  # type: ignore[union-attr]
        if place.endswith(suffix):
            return level
    return None


def _clean_place(place: str) -> Optional[str]:
    """Cut the match after the last character that cannot be inside a place name; drop generic places."""
    vocab = _vocabulary()
    breakers = vocab["place_breakers"]  # type: ignore[index]
    for index in range(len(place) - 1, -1, -1):
        if place[index] in breakers:  # type: ignore[operator]
            place = place[index + 1:]
            break
    if len(place) < 2 or place in vocab["generic_places"]:  # type: ignore[operator]
        return None
    return place


def find_body(text: str) -> Optional[str]:
    """The congress body the report speaks for: the place named most often with its congress
    (titles of laws aside), named as its standing committee where the report mentions one."""
    patterns = _patterns()
    vocab = _vocabulary()
    unquoted = patterns["quoted_title"].sub(lambda m: " " * len(m.group(0)), text)
    places: Counter = Counter()
    organs: Dict[str, Counter] = {}
    first_seen: Dict[str, int] = {}
    for match in patterns["body"].finditer(unquoted):
        place = _clean_place(match.group("place"))
        if place is None:
            continue
        organ = vocab["organ_short"].get(match.group("organ"), match.group("organ"))  # type: ignore[union-attr]
        places[place] += 1
        organs.setdefault(place, Counter())[organ] += 1
        first_seen.setdefault(place, match.start())
    if not places:
        match = patterns["bare_body"].search(unquoted)
        return match.group(0) if match else None
    best = max(places.values())
    place = min((p for p, c in places.items() if c == best), key=lambda p: first_seen[p])
    # The reports are the standing committee's: prefer that organ when it is named at all.
    for organ in vocab["organs"]:  # type: ignore[union-attr]
        organ = vocab["organ_short"].get(organ, organ)  # type: ignore[union-attr]
        if organs[place][organ]:
            return place + organ
    return place + organs[place].most_common(1)[0][0]


def find_level(body: Optional[str]) -> Optional[str]:
    if not body:
        return None
    if body.startswith("全国"):
        return "national"
    organs: List[str] = list(_vocabulary()["organ_short"].values()) + list(_vocabulary()["organs"])  # type: ignore[arg-type]
    place = body
    for organ in sorted(set(organs), key=len, reverse=True):
        if place.endswith(organ):
            place = place[: -len(organ)]
            break
    return _level(place)


def find_year(text: str) -> Optional[int]:
    """The year the report covers: a dated title first, then 过去的N年, then the opening, then the mode."""
    patterns = _patterns()
    head = text[:400]
    for key in ("title_year", "past_year"):
        match = patterns[key].search(head) or (patterns[key].search(text) if key == "past_year" else None)
        if match:
            return int(match.group(1))
    years = [int(m.group(1)) for m in patterns["year"].finditer(text)]
    if not years:
        return None
    opening = [int(m.group(1)) for m in patterns["year"].finditer(head)]
    if opening:
        return opening[0]
    return Counter(years).most_common(1)[0][0]


def find_metadata(text: str) -> Metadata:
    body = find_body(text)
    return Metadata(body=body, level=find_level(body), year=find_year(text))
