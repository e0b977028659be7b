"""The record-type taxonomy (``data/record_types.json``), loaded and indexed once.

Each type has its Chinese name, description, kinds and units, whether its values add across
records (``additive``) and the type of the 23-type scheme it maps to (``gold_type``); the
taxonomy also indexes the cue words (nouns, ruler spans, verbs) of every pattern, the null cues,
the domains, the money cues and the words of suggestion breakdowns. See spec §4.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Tuple

from ..datafiles import load_json
from .base import Pattern, RecordType

__all__ = ["Taxonomy", "taxonomy", "record_types", "gold_type"]


class Taxonomy:
    def __init__(self, data: Dict[str, Any]) -> None:
        self.delims = frozenset(data["clause_delimiters"])
        self.separators = frozenset(data["conjunct_separators"])
        self.connectors = sorted(data["connectors"], key=len, reverse=True)
        self.modifier_marks = list(data["modifier_marks"])
        self.respectively = list(data["respectively"])
        self.title_pairs = [tuple(p) for p in data["title_pairs"]]
        self.title_res = [(o, re.compile(re.escape(o) + "([^" + re.escape(o + c) + "\n]*)" + re.escape(c)))
                          for o, c in self.title_pairs]  # (opening mark, pattern)
        self.title_suffixes = sorted(data["title_suffix_cues"], key=len, reverse=True)
        self.false_friends = sorted(data["false_friends"]["words"], key=len, reverse=True)
        self.max_adjacent = int(data["max_adjacent"])
        self.inherit_clauses = int(data["inherit_clauses"])
        self.ellipsis_markers = tuple(data["ellipsis"]["markers"])
        self.ellipsis_fillers = sorted(data["ellipsis"]["fillers"], key=len, reverse=True)
        self.types: Dict[str, RecordType] = {}
        self.noun_refs: Dict[str, List[Any]] = {}
        self.ruler_refs: Dict[str, List[Any]] = {}
        self.verb_refs: Dict[str, List[Pattern]] = {}
        for order, (name, spec) in enumerate((k, v) for k, v in data["types"].items() if not k.startswith("_")):
            patterns = []
            for raw in spec.get("patterns", []):
                pattern = Pattern(
                    type=name, order=order,
                    nouns=tuple(raw.get("nouns", ())), rulers=tuple(raw.get("rulers", ())),
                    verbs=tuple(raw.get("verbs", ())), verb_side=raw.get("verb_side", "left"),
                    context=tuple(raw.get("context", ())), context_scope=raw.get("context_scope", "sentence"),
                    context_block=tuple(raw.get("context_block", ())),
                    counted_block=tuple(raw.get("counted_block", ())),
                    counted_require=tuple(raw.get("counted_require", ())),
                    scope=raw.get("scope", "clause"),
                    units=frozenset(raw["units"]) if raw.get("units") else None,
                )
                patterns.append(pattern)
                for noun in pattern.nouns:
                    self.noun_refs.setdefault(noun, []).append(pattern)
                for ruler in pattern.rulers:
                    self.ruler_refs.setdefault(ruler, []).append(pattern)
                for verb in pattern.verbs:
                    self.verb_refs.setdefault(verb, []).append(pattern)
            units = spec.get("units")
            self.types[name] = RecordType(
                name=name, name_zh=spec["name_zh"], description=spec["description"],
                kinds=frozenset(spec["kinds"]), units=frozenset(units) if units else None,
                default=bool(spec.get("default", False)), patterns=tuple(patterns),
                additive=bool(spec["additive"]), gold_type=spec.get("gold_type", name),
                assigned_by=spec.get("assigned_by"),
            )
        null = data["null_cues"]
        for noun in null["nouns"]:
            self.noun_refs.setdefault(noun, []).append(None)
        for ruler in null["rulers"]:
            self.ruler_refs.setdefault(ruler, []).append(None)
        for verb in data["generic_verbs"]:
            self.verb_refs.setdefault(verb, [])
        self.domains = [(d["type"], tuple(d["cues"]), frozenset(d["absorbs"])) for d in data["domains"]]
        self.noun_index = _first_char_index(self.noun_refs)
        self.verb_index = _first_char_index(self.verb_refs)
        self.connector_re = re.compile("|".join(re.escape(c) for c in self.connectors))
        self.connector_starts_re = re.compile("(?=(" + self.connector_re.pattern + "))")
        self._fitting: Dict[Tuple[str, Optional[str]], Tuple[Tuple[RecordType, ...], FrozenSet[str]]] = {}
        self.money_cues = [(t, tuple(sorted(cues, key=len, reverse=True)))
                           for t, cues in data["money_cues"].items() if not t.startswith("_")]
        self.breakdown = {k: tuple(v) for k, v in data["suggestion_breakdown"].items() if not k.startswith("_")}

    def fitting(self, kind: str, unit: Optional[str]) -> Tuple[Tuple[RecordType, ...], FrozenSet[str]]:
        """The types admitting a quantity of this kind and unit, and their names (remembered)."""
        key = (kind, unit)
        try:
            return self._fitting[key]
        except KeyError:
            pass
        except TypeError:  # unhashable: nothing to remember
            return self._fits(kind, unit)
        found = self._fitting[key] = self._fits(kind, unit)
        return found

    def _fits(self, kind: str, unit: Optional[str]) -> Tuple[Tuple[RecordType, ...], FrozenSet[str]]:
        types = tuple(t for t in self.types.values() if t.fits(kind, unit))
        return types, frozenset(t.name for t in types)


def _first_char_index(words: Iterable[str]) -> Dict[str, Tuple[int, ...]]:
    """First character -> the lengths of the words starting with it, longest first."""
    index: Dict[str, set] = {}
    for word in words:
        index.setdefault(word[0], set()).add(len(word))
    return {char: tuple(sorted(lengths, reverse=True)) for char, lengths in index.items()}


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    return Taxonomy(load_json("record_types.json"))


def record_types() -> Dict[str, RecordType]:
    """The canonical indicators, in tie-break order."""
    return dict(taxonomy().types)


def gold_type(name: Optional[str]) -> Optional[str]:
    """The type of the 23-type scheme (the dev corpus's gold) that a record type counts as."""
    if name is None:
        return None
    rtype = taxonomy().types.get(name)
    return rtype.gold_type if rtype is not None else name
