"""The gazetteer of Chinese administrative divisions (spec §3): names, short names and ranks.

``data/divisions.tsv`` is derived from the PyPI package ``cpca`` (MIT licence; see
``data/divisions.LICENSE`` and ``scripts/build_divisions.py``, which rebuilds it). Each row is a
division at or above county level with its 12-digit adcode, its full name (大足区), its short
name (大足; empty when it would be shorter than two characters) and its rank:

- ``province``: provinces, autonomous regions, municipalities (北京市) and SARs;
- ``city``: prefecture-level cities, autonomous prefectures, 地区 and 盟;
- ``county``: districts (also of municipalities), counties, county-level cities, banners.

Townships (镇, 乡, 街道) are not in the table; :mod:`reportie.metadata` reads them from their
suffix. The table is checked when it is loaded (:func:`divisions` raises ``ValueError`` on a
malformed file).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Dict, List, Tuple

__all__ = ["Division", "divisions", "names", "RANKS", "COLUMNS"]

COLUMNS = ("adcode", "name", "short", "rank")
RANKS = ("province", "city", "county")


@dataclass(frozen=True)
class Division:
    adcode: str
    name: str
    short: str
    rank: str

    @property
    def province_code(self) -> str:
        return self.adcode[:2]

    @property
    def city_code(self) -> str:
        return self.adcode[:4]


def parse(text: str) -> Tuple[Division, ...]:
    """Rows of a divisions table, checked: header, 12-digit unique adcodes, ranks, names."""
    lines = text.splitlines()
    if not lines or tuple(lines[0].split("\t")) != COLUMNS:
        raise ValueError(f"divisions table: header must be {'/'.join(COLUMNS)}")
    rows: List[Division] = []
    seen = set()
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != len(COLUMNS):
            raise ValueError(f"divisions table line {number}: {len(fields)} fields")
        adcode, name, short, rank = fields
        if len(adcode) != 12 or not adcode.isdigit() or adcode in seen:
            raise ValueError(f"divisions table line {number}: bad or repeated adcode {adcode!r}")
        if rank not in RANKS:
            raise ValueError(f"divisions table line {number}: rank {rank!r}")
        if len(name) < 2 or (short and (len(short) < 2 or not name.startswith(short[:1]))):
            raise ValueError(f"divisions table line {number}: name {name!r} / short {short!r}")
        seen.add(adcode)
        rows.append(Division(adcode, name, short, rank))
    return tuple(rows)


@lru_cache(maxsize=1)
def divisions() -> Tuple[Division, ...]:
    text = resources.files("reportie").joinpath("data/divisions.tsv").read_text(encoding="utf-8")
    return parse(text)


@lru_cache(maxsize=1)
def names() -> Dict[str, Tuple[Tuple[Division, bool], ...]]:
    """Every full and short name -> the divisions it may name, with ``True`` for a full name."""
    index: Dict[str, List[Tuple[Division, bool]]] = {}
    for division in divisions():
        index.setdefault(division.name, []).append((division, True))
        if division.short:
            index.setdefault(division.short, []).append((division, False))
    return {name: tuple(found) for name, found in index.items()}
