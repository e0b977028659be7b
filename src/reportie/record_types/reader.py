"""The clause reader: the clause around one number, the nouns and verbs it may use, and the
candidate types they give (rules 2, 3 and 5 of :mod:`reportie.record_types`).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import List, Optional, Sequence, Tuple

from .base import Cand, Occ, Pattern, has_cjk
from .scan import scan_sentence
from .taxonomy import Taxonomy

__all__ = ["Reader"]


class Reader:
    """One number of a sentence read in its clause: the masked text, its cue nouns and verbs, the
    other numbers, and the candidates they give."""

    def __init__(self, tax: Taxonomy, text: str, q_start: int, q_end: int, unit: Optional[str], kind: str,
                 rulers: Sequence[Tuple[int, int, str, str]], others: Sequence[Tuple[int, int]]) -> None:
        self.tax = tax
        scan = scan_sentence(text, tuple(rulers))
        self.text, self.nouns, self.verbs, self.boundary_verbs = scan.text, scan.nouns, scan.verbs, scan.boundary_verbs
        self.boundary_starts, self.connector_starts = scan.boundary_starts, scan.connector_starts
        self._delims, self._stops = scan.delims, scan.stops
        text = self.text
        self.qs, self.qe = q_start, q_end
        self.unit, self.kind = unit, kind
        self.fitting = tax.fitting(kind, unit)[1]
        n = len(text)
        self.quantities = sorted({(q_start, q_end), *[(s, e) for s, e in others if 0 <= s < e <= n]})
        self.q_starts = {q[0] for q in self.quantities}
        self._q_sorted = [q[0] for q in self.quantities]  # in order already (repeats do not matter)
        self.cs, self.ce = self._clause(q_start, q_end)
        self.in_clause = [q for q in self.quantities if q[0] >= self.cs and q[1] <= self.ce]
        self._counted: Optional[str] = None

    # -- text helpers ------------------------------------------------------------------------

    def _clause(self, start: int, end: int) -> Tuple[int, int]:
        """From after the last clause delimiter before ``start`` to the first one at or after ``end``."""
        delims = self._delims  # their positions: a bisection, not a walk over the characters
        k = bisect_left(delims, start)
        cs = delims[k - 1] + 1 if k else min(start, 0)
        k = bisect_left(delims, end)
        ce = delims[k] if k < len(delims) else max(end, len(self.text))
        return cs, ce

    def previous_clause(self, cs: int) -> Optional[Tuple[int, int]]:
        end = cs - 1
        while end > 0 and self.text[end - 1] in self.tax.delims:
            end -= 1
        if end <= 0:
            return None
        return self._clause(end - 1, end)

    def r_head_end(self, end: int, limit: int) -> int:
        """End of the words right after a number: up to punctuation, 、, a connector, a verb or a number."""
        hi = min(limit, end + self.tax.max_adjacent)
        if hi <= end:
            return end
        stops, numbers = self._stops, self._q_sorted  # the first stop at or after end, if before hi
        k = bisect_left(stops, end)
        i = stops[k] if k < len(stops) and stops[k] < hi else hi
        k = bisect_left(numbers, end)
        return numbers[k] if k < len(numbers) and numbers[k] < i else i

    def counted(self) -> str:
        """The words counted next to the number: after the last verb before it, and right after it."""
        if self._counted is None:  # read on first need: few patterns ask
            start = max(self.cs, self.qs - self.tax.max_adjacent)
            for verb in self.boundary_verbs:
                if self.cs <= verb.start and verb.end <= self.qs:
                    start = max(start, verb.end)
            self._counted = self.text[start:self.qs] + "|" + self.text[self.qe:self.r_head_end(self.qe, self.ce)]
        return self._counted

    # -- the nouns and verbs a quantity can use ----------------------------------------------

    def clause_nouns(self) -> List[Tuple[Occ, int, str]]:
        qs, qe, cs, ce = self.qs, self.qe, self.cs, self.ce
        later = [q[0] for q in self.in_clause if q[0] >= qe]
        r_limit = min(later) if later else ce
        owned = [(q[1], self.r_head_end(q[1], ce)) for q in self.in_clause if q[1] <= qs]
        followed = self.r_head_end(qe, ce) > qe
        found = []
        for occ in self.nouns:
            if occ.start >= cs and occ.end <= qs:
                if any(a <= occ.start < b for a, b in owned):
                    continue
                if followed and self.tax.modifier_marks[0] in self.text[occ.end:qs]:
                    continue
                found.append((occ, qs - occ.end, "L"))
            elif occ.start >= qe and occ.end <= r_limit:
                found.append((occ, occ.start - qe, "R"))
        return found

    def clause_has_nouns(self) -> bool:
        return any(occ.start >= self.cs and occ.end <= self.ce for occ in self.nouns)

    def elliptical(self) -> bool:
        """办结27件, 同比提高25个百分点, 其中大会期间243件: the number has no noun of its own."""
        if self.r_head_end(self.qe, self.ce) > self.qe:
            return False
        # 其中大会期间243件, 闭会期间22件: a marker opens this clause or a run of clauses naming nothing
        span: Optional[Tuple[int, int]] = (self.cs, self.ce)
        while span is not None:
            if self.text[span[0]:span[1]].lstrip().startswith(self.tax.ellipsis_markers):
                return True
            span = self.previous_clause(span[0])
            if span is not None and any(span[0] <= o.start and o.end <= span[1] for o in self.nouns):
                break
        start = self.cs
        for verb in self.boundary_verbs:
            if self.cs <= verb.start and verb.end <= self.qs:
                start = max(start, verb.end)
        rest = self.text[start:self.qs]
        for filler in self.tax.ellipsis_fillers:
            rest = rest.replace(filler, "")
        return not has_cjk(rest)

    def verbs_between(self, start: int, end: int) -> List[Occ]:
        return [v for v in self.verbs if v.refs and start <= v.start and v.end <= end]

    # -- candidates ------------------------------------------------------------------------

    def _pattern_ok(self, pattern: Pattern, scope: str) -> bool:
        if pattern.scope != scope:
            return False
        if pattern.type not in self.fitting or (pattern.units is not None and self.unit not in pattern.units):
            return False
        if pattern.context:
            where = self.text[self.cs:self.ce] if pattern.context_scope == "clause" else self.text
            if not any(word in where for word in pattern.context):
                return False
        if pattern.context_block and any(word in self.text for word in pattern.context_block):
            return False
        if pattern.counted_block and any(word in self.counted() for word in pattern.counted_block):
            return False
        if pattern.counted_require and not any(word in self.counted() for word in pattern.counted_require):
            return False
        return True

    def candidates(self, nouns: List[Tuple[Occ, int, str]], left_verbs: List[Occ], right_verbs: List[Occ],
                   scope: str) -> List[Cand]:
        out: List[Cand] = []

        def verb_distance(verb: Occ) -> int:
            return self.qs - verb.end if verb.end <= self.qs else verb.start - self.qe

        for occ, dist, side in nouns:
            for ref in occ.refs:
                if ref is None:
                    out.append(Cand((dist, 0, 0, -len(occ.text), len(self.tax.types)), None, occ, side, None))
                    continue
                if not self._pattern_ok(ref, scope):
                    continue
                verb = None
                if ref.verbs:
                    pool = left_verbs + (right_verbs if ref.verb_side == "any" else [])
                    usable = [v for v in pool if v.text in ref.verbs]
                    if not usable:
                        continue
                    verb = min(usable, key=verb_distance)
                spec = 2 if verb is not None else 1
                vdist = verb_distance(verb) if verb is not None else 0
                out.append(Cand((dist, -spec, vdist, -len(occ.text), ref.order), ref.type, occ, side, verb))
        for verb in left_verbs + right_verbs:
            for ref in verb.refs:
                if ref.nouns or not ref.verbs:
                    continue
                if verb in right_verbs and verb not in left_verbs and ref.verb_side != "any":
                    continue
                if not self._pattern_ok(ref, scope):
                    continue
                d = verb_distance(verb)
                side = "L" if verb.end <= self.qs else "R"
                out.append(Cand((d, -1, d, -len(verb.text), ref.order), ref.type, verb, side, verb))
        return out
