"""What one sentence says, whichever of its numbers is read: its false friends and titles masked,
its cue nouns and verbs found longest-first (cached per sentence).
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from typing import Dict, FrozenSet, List, NamedTuple, Tuple

from .base import MASK, Occ
from .taxonomy import Taxonomy, taxonomy

__all__ = ["Scan", "scan_sentence", "find_cues", "longest", "mask", "nouns_of"]


def find_cues(index: Dict[str, Tuple[int, ...]], text: str, refs: Dict[str, list]) -> List[Occ]:
    """The longest listed word starting at each position."""
    found = []
    for i, char in enumerate(text):
        for length in index.get(char, ()):
            word = text[i:i + length]
            if word in refs:
                found.append(Occ(i, i + length, word, list(refs[word])))
                break
    return found


def longest(occs: List[Occ]) -> List[Occ]:
    """Merge identical spans, then drop every span lying inside a longer one."""
    merged: Dict[Tuple[int, int], Occ] = {}
    for occ in occs:
        same = merged.get((occ.start, occ.end))
        if same is None:
            merged[(occ.start, occ.end)] = occ
        else:
            same.refs.extend(r for r in occ.refs if r not in same.refs)
    # a span lies inside a longer one iff a span before it in (start, -end) order reaches its end
    kept = []
    reach = -1
    for occ in sorted(merged.values(), key=lambda o: (o.start, -o.end)):
        if reach < occ.end:
            kept.append(occ)
        reach = max(reach, occ.end)
    return sorted(kept, key=lambda o: (o.start, o.end))


def mask(tax: Taxonomy, text: str) -> str:
    """Mask the false friends and the inside of titles (keeping a trailing 条例/法规)."""
    for word in tax.false_friends:
        if word in text:
            text = text.replace(word, MASK * len(word))
    titles = [match for open_, pattern in tax.title_res if open_ in text for match in pattern.finditer(text)]
    if not titles:
        return text
    chars = list(text)
    for match in titles:
        inner_start, inner_end = match.start(1), match.end(1)
        inner = text[inner_start:inner_end]
        keep = None
        for suffix in tax.title_suffixes:
            at = inner.rfind(suffix)
            if at >= 0 and (keep is None or at > keep[0]):
                keep = (inner_start + at, inner_start + at + len(suffix))
        for i in range(inner_start, inner_end):
            if keep is None or not keep[0] <= i < keep[1]:
                chars[i] = MASK
    return "".join(chars)


class Scan(NamedTuple):
    """What a sentence says, whichever of its numbers is read."""

    text: str  # masked
    nouns: List[Occ]
    verbs: List[Occ]  # typed verbs, and generic verbs outside nouns
    boundary_verbs: List[Occ]  # verbs outside nouns: they end a phrase
    boundary_starts: FrozenSet[int]
    connector_starts: FrozenSet[int]  # where a connector (和, 及 …) starts
    delims: Tuple[int, ...]  # where a clause delimiter stands, in order
    stops: Tuple[int, ...]  # where the words after a number end (Reader.r_head_end), but for the numbers


@lru_cache(maxsize=512)
def scan_sentence(text: str, rulers: Tuple[Tuple[int, int, str, str], ...]) -> Scan:
    """Masked text, noun and verb occurrences of one sentence (cached: a sentence has several numbers)."""
    tax = taxonomy()
    text = mask(tax, text)
    nouns = find_cues(tax.noun_index, text, tax.noun_refs)
    for start, end, label, ident in rulers:
        refs = tax.ruler_refs.get(f"{label}:{ident}")
        if refs and 0 <= start < end <= len(text):
            nouns.append(Occ(start, end, text[start:end], list(refs)))
    nouns = longest(nouns)
    verbs = longest(find_cues(tax.verb_index, text, tax.verb_refs))
    # a generic verb inside a noun is part of the noun (检查 in 执法检查); no verb inside a
    # noun ends a phrase (答复 in 答复率), though a typed one still satisfies a pattern
    inside = _inside(verbs, nouns)
    typed = [v for v, covered in zip(verbs, inside) if v.refs or not covered]
    boundary = [v for v, covered in zip(verbs, inside) if not covered]
    connectors = frozenset(m.start() for m in tax.connector_starts_re.finditer(text) if m.group(1))
    boundary_starts = frozenset(v.start for v in boundary)
    delims = tuple(i for i, ch in enumerate(text) if ch in tax.delims)
    return Scan(text, nouns, typed, boundary, boundary_starts, connectors, delims,
                _stops(tax, text, boundary_starts | connectors))


def _stops(tax: Taxonomy, text: str, starts: FrozenSet[int]) -> Tuple[int, ...]:
    """Every position of ``text`` that ends the words after a number: punctuation, 、, a connector,
    a verb, a modifier mark (the other numbers are the reader's)."""
    stops = set(starts)
    stops.update(i for i, ch in enumerate(text) if ch in tax.delims or ch in tax.separators)
    mark = tax.modifier_marks[0]
    if not mark:
        return tuple(range(len(text) + 1))  # text.startswith("", i) everywhere
    at = text.find(mark)
    while at >= 0:
        stops.add(at)
        at = text.find(mark, at + 1)
    return tuple(sorted(stops))


def _inside(occs: List[Occ], outer: List[Occ]) -> List[bool]:
    """For each of ``occs``, whether it lies inside one of ``outer`` (sorted by start): inside
    iff the furthest end among the ``outer`` starting at or before it reaches its end."""
    starts = [o.start for o in outer]
    reach = list(accumulate((o.end for o in outer), max))
    found = []
    for occ in occs:
        k = bisect_right(starts, occ.start)
        found.append(k > 0 and reach[k - 1] >= occ.end)
    return found


def nouns_of(tax: Taxonomy, text: str) -> List[Occ]:
    """The cue nouns of ``text`` (masked, longest first): what it names."""
    return list(_nouns(tax, text))


@lru_cache(maxsize=512)
def _nouns(tax: Taxonomy, text: str) -> Tuple[Occ, ...]:
    """:func:`nouns_of`, remembered: each sentence is read again as the one before the next ones."""
    return tuple(longest(find_cues(tax.noun_index, mask(tax, text), tax.noun_refs)))
