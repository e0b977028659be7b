"""The records of record typing: a taxonomy :class:`Pattern` and :class:`RecordType`, the
:class:`Decision` a quantity gets, the cue occurrences (:class:`Occ`) and candidates
(:class:`Cand`) the clause reader weighs, and the constants they share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Optional, Tuple

__all__ = ["Pattern", "RecordType", "Decision", "Occ", "Cand", "MASK", "PERCENT_KINDS", "has_cjk"]

MASK = "□"
PERCENT_KINDS = ("percent", "percentage_point")


class Pattern(NamedTuple):  # a NamedTuple, not a frozen dataclass: a tenth of the import cost
    type: str
    order: int
    nouns: Tuple[str, ...]
    rulers: Tuple[str, ...]
    verbs: Tuple[str, ...]
    verb_side: str
    context: Tuple[str, ...]
    context_scope: str
    context_block: Tuple[str, ...]
    counted_block: Tuple[str, ...]
    counted_require: Tuple[str, ...]
    scope: str
    units: Optional[frozenset]


@dataclass(frozen=True)
class RecordType:
    """One canonical indicator of ``data/record_types.json``."""

    name: str
    name_zh: str
    description: str
    kinds: frozenset
    units: Optional[frozenset]
    default: bool
    patterns: Tuple[Pattern, ...]
    additive: bool = False  # values of different records add up (counts of events); rates, shares, stocks do not
    gold_type: Optional[str] = None  # the type of the 23-type scheme it counts as (itself, a coarser one, or None)
    assigned_by: Optional[str] = None  # types without patterns: the data section whose rule assigns them

    def fits(self, kind: str, unit: Optional[str]) -> bool:
        return kind in self.kinds and (self.units is None or unit in self.units)


@dataclass(frozen=True)
class Decision:
    """The record type, the rule that chose it and the cue that decided."""

    record_type: Optional[str]
    rule: str
    cue: Optional[str] = None


class Occ:
    """A cue word of the sentence and what it serves."""

    __slots__ = ("start", "end", "text", "refs")

    def __init__(self, start: int, end: int, text: str, refs: list) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.refs = refs  # Pattern, or None for a null cue (nouns); Pattern (verbs; empty = generic verb)

    def types(self) -> set:
        return {ref.type if ref is not None else None for ref in self.refs}


class Cand:
    """A type the quantity may have, with its sort key (nearest first), the cue it rests on, the
    side of the number the cue stands on and the verb that satisfied its pattern."""

    __slots__ = ("key", "type", "anchor", "side", "verb")

    def __init__(self, key: tuple, type: Optional[str], anchor: Occ, side: str, verb: Optional[Occ]) -> None:
        self.key = key
        self.type = type
        self.anchor = anchor
        self.side = side
        self.verb = verb


def has_cjk(text: str) -> bool:
    """A CJK unified ideograph in ``text`` (a regex class of them costs milliseconds to compile)."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
