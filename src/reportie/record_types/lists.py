"""Lists and rival verbs (rule 4 of :mod:`reportie.record_types`): when the winning cue stands in
a list whose members are of other types (执法检查、专题询问5项), or two verbs of rival types share
the count (制定和修改…5部).
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from .base import PERCENT_KINDS, Cand
from .reader import Reader

__all__ = ["coordination", "rival_verbs"]


def _head(reader: Reader, best: Cand) -> Tuple[int, int]:
    text, anchor = reader.text, best.anchor
    if best.side == "L":
        start = reader.cs
        for verb in reader.boundary_verbs:
            if verb.start >= reader.cs and verb.end <= anchor.start:
                start = max(start, verb.end)
        for q in reader.quantities:
            if q[1] <= anchor.start and q[1] > start:
                start = q[1]
        # the list around the cue ends at the next verb or number (民生实事项目包括A、B、C等12项)
        end = reader.qs
        for verb in reader.boundary_verbs:
            if anchor.end <= verb.start < end:
                end = verb.start
        for q in reader.quantities:
            if anchor.end <= q[0] < end:
                end = q[0]
        for word in reader.tax.respectively:
            at = text.find(word, anchor.end, reader.qs)
            if at >= 0:
                end = min(end, at)
    else:
        start = reader.qe
        for verb in reader.boundary_verbs:
            if reader.qe <= verb.start and verb.end <= anchor.start:
                start = max(start, verb.end)
        end = anchor.end
        q_starts = {q[0] for q in reader.quantities}
        verb_starts = {v.start for v in reader.boundary_verbs}
        while end < reader.ce and end not in q_starts and end not in verb_starts and text[end] not in reader.tax.delims:
            end += 1
    marks = [text.rfind(m, start, anchor.start) for m in reader.tax.modifier_marks]
    cut = max(marks)
    if cut >= 0:
        start = cut + 1
    return start, end


def _conjuncts(reader: Reader, start: int, end: int) -> List[Tuple[int, int]]:
    """The list members of ``text[start:end]``, split at 、 (never inside a cue word)."""
    text = reader.text
    marks = sorted(j for sep in reader.tax.separators if len(sep) == 1 for j in _find_all(text, sep, start, end))
    spans, i = [], start
    for j in marks + [end]:
        if j == end or not any(o.start <= j < o.end for o in reader.nouns):
            if text[i:j].strip():
                spans.append((i, j))
            i = j + 1
    return spans


def _find_all(text: str, char: str, start: int, end: int) -> List[int]:
    """Where ``char`` stands in ``text[start:end]`` (str.find, not a test of every character)."""
    found = []
    at = text.find(char, start, end)
    while at >= 0:
        found.append(at)
        at = text.find(char, at + 1, end)
    return found


def coordination(reader: Reader, best: Cand, cands: List[Cand]) -> Optional[Tuple[Optional[Cand], str]]:
    """None when the winner stands alone; else (replacement or None, rule)."""
    start, end = _head(reader, best)
    conjuncts = _conjuncts(reader, start, end)
    inside = [o for o in reader.nouns if start <= o.start and o.end <= end]

    def member_types(span: Tuple[int, int]) -> set:
        kinds = set()
        for occ in inside:
            if span[0] <= occ.start and occ.end <= span[1]:
                kinds |= occ.types()
        return kinds

    mixed = len(conjuncts) >= 2 and any(best.type not in member_types(c) for c in conjuncts)
    if mixed and _modifier_list(best, conjuncts, member_types):
        mixed = False
    if not mixed:
        for a, b in zip(inside, inside[1:]):
            between = reader.text[a.end:b.start]
            if between and reader.tax.connector_re.fullmatch(between) and not (a.types() & b.types()):
                mixed = True
                conjuncts = [(a.start, a.end), (b.start, b.end)]
                break
    if not mixed:
        return None
    # 分别: pair list members with the numbers in order
    for word in reader.tax.respectively:
        at = reader.text.find(word, best.anchor.end if best.side == "L" else reader.cs, reader.qs)
        if at >= 0:
            after = [q for q in reader.in_clause if q[0] >= at]
            index = after.index((reader.qs, reader.qe)) if (reader.qs, reader.qe) in after else -1
            if 0 <= index < len(conjuncts):
                return _in_span(cands, conjuncts[index]), "respectively"
            return None, "mixed_list"
    if reader.kind in PERCENT_KINDS:
        return _in_span(cands, conjuncts[0]), "first_rate"
    return None, "mixed_list"


def _modifier_list(best: Cand, conjuncts: List[Tuple[int, int]], member_types) -> bool:
    """市政府、市监委、市法院工作报告: the other members name nothing and the head has words
    before its cue, so the list modifies the head noun."""
    last = conjuncts[-1]
    if not (last[0] <= best.anchor.start and best.anchor.end <= last[1]) or best.anchor.start == last[0]:
        return False
    return all(not member_types(c) for c in conjuncts[:-1])


def _in_span(cands: List[Cand], span: Tuple[int, int]) -> Optional[Cand]:
    inside = [c for c in cands if c.type is not None and span[0] <= c.anchor.start and c.anchor.end <= span[1]]
    return min(inside, key=lambda c: c.key) if inside else None


def rival_verbs(reader: Reader, best: Cand) -> bool:
    """制定和修改…5部: two verbs of rival types joined by a connector share the count."""
    if best.verb is None or best.anchor is best.verb or reader.kind in PERCENT_KINDS:
        return False
    rivals = {r.type for r in best.anchor.refs if r is not None and r.type != best.type and r.verbs}
    if not rivals:
        return False
    for other in reader.verbs:
        if other is best.verb or not other.refs:
            continue
        lo, hi = sorted([other, best.verb], key=lambda v: v.start)
        between = reader.text[lo.end:hi.start]
        joined = between == "" or between in reader.tax.separators or bool(reader.tax.connector_re.fullmatch(between))
        if joined and any(r.type in rivals and other.text in r.verbs for r in other.refs):
            return True
    return False
