"""The gazetteer of Chinese administrative divisions (spec §3): names, short names and ranks.

``data/divisions.tsv`` is derived from the PyPI package ``cpca`` (MIT licence; see
``data/divisions.LICENSE`` and ``scripts/build_divisions.py``, which rebuilds it). Each row is a
division at or above county level with its 12-digit adcode, its full name (大足区), its short
name (大足; empty when it would be shorter than two characters) and its rank:

- ``province``: provinces, autonomous regions, municipalities (北京市) and SARs;
- ``city``: prefecture-level cities, autonomous prefectures, 地区 and 盟;
- ``county``: districts (also of municipalities), counties, county-level cities, banners.

:func:`names` indexes every full and short name, and an autonomous division also by its short
name with the last character of its suffix (恩施州, 峨边县), as its own pages write it.
Townships (镇, 乡, 街道) are not in the table; :mod:`reportie.metadata` reads them from their
suffix. The table is checked when it is loaded: the header, the columns and each row against its
schema (``data/schemas/divisions.tsv.schema.json``, by :func:`reportie.datafiles.parse_tsv`), then
unique adcodes and short names that begin their full name (here); :func:`divisions` raises
:class:`reportie.datafiles.DataFileError` (a ``ValueError``) naming the line of a malformed file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Tuple

from .datafiles import DataFileError, parse_tsv, read_text

__all__ = ["Division", "divisions", "names", "RANKS", "COLUMNS"]

COLUMNS = ("adcode", "name", "short", "rank")
AUTONOMOUS_SUFFIXES = ("自治州", "自治县", "自治旗")
RANKS = ("province", "city", "county")  # the enum of data/schemas/divisions.tsv.schema.json
FILE = "divisions.tsv"


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
    """Rows of a divisions table, checked: header, columns, 12-digit unique adcodes, ranks, names."""
    rows: List[Division] = []
    seen = set()
    for number, row in enumerate(parse_tsv(FILE, text, COLUMNS), start=2):
        division = Division(row["adcode"], row["name"], row["short"], row["rank"])
        if division.adcode in seen:
            raise DataFileError(f"reportie data file {FILE}, line {number}: repeated adcode {division.adcode!r}")
        if division.short and not division.name.startswith(division.short[:1]):
            raise DataFileError(f"reportie data file {FILE}, line {number}: short name {division.short!r} "
                                f"does not begin {division.name!r}")
        seen.add(division.adcode)
        rows.append(division)
    return tuple(rows)


@lru_cache(maxsize=1)
def divisions() -> Tuple[Division, ...]:
    return parse(read_text(FILE))


@lru_cache(maxsize=1)
def names() -> Dict[str, Tuple[Tuple[Division, bool], ...]]:
    """Every full and short name -> the divisions it may name, with ``True`` for a full name."""
    index: Dict[str, List[Tuple[Division, bool]]] = {}
    for division in divisions():
        index.setdefault(division.name, []).append((division, True))
        if division.short:
            index.setdefault(division.short, []).append((division, False))
            if division.name.endswith(AUTONOMOUS_SUFFIXES):
                # 恩施州, 峨边县: an autonomous division written with its short name and the last
                # character of its suffix, as its own pages write it
                index.setdefault(division.short + division.name[-1], []).append((division, False))
    return {name: tuple(found) for name, found in index.items()}


@lru_cache(maxsize=1)
def lengths_by_prefix() -> Dict[str, Tuple[int, ...]]:
    """First two characters of a name -> the lengths of the names starting with them, longest
    first (a scan then looks up only lengths that can match)."""
    found: Dict[str, set] = {}
    for name in names():
        found.setdefault(name[:2], set()).add(len(name))
    return {prefix: tuple(sorted(lengths, reverse=True)) for prefix, lengths in found.items()}
