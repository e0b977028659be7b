"""The compiled view of the quantity vocabularies, built once: ``data/units.json`` (measure words
and their kinds, currencies, percent forms), ``data/approximation.json`` (approximation words and
their classes, range connectors) and ``data/exclusions.json`` (what is not a quantity).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, Tuple

from ..datafiles import load_json
from ..numbers import normalize
from ..wordlists import WordList

__all__ = ["Vocabulary", "vocabulary"]


_POSITIONAL_LISTS = (
    "kilo_units", "tenths_followers", "after_excl", "people_nouns", "people_mods", "money_joiners",
    "money_sub_sorted", "money_sorted", "money_closers", "before_excl", "before_blockers",
    "session_words", "prefix_blockers", "approx_prefix_sorted", "approx_suffix_sorted", "inclusive_marks",
    "connectors",
)


class Vocabulary:
    """Compiled view of the data files (built once)."""

    def __init__(self) -> None:
        units = load_json("units.json")
        approx = load_json("approximation.json")
        excl = load_json("exclusions.json")
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
        self.opener_re = re.compile("|".join(re.escape(o) for o, _ in self.title_res + self.quote_res))
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
def vocabulary() -> Vocabulary:
    return Vocabulary()
