"""Record types (issues 4 and 12): which canonical indicator a quantity counts.

The taxonomy is loaded by :mod:`reportie.record_taxonomy`; money types and breakdowns of
deputies' suggestions are refined after the clause reader by :mod:`reportie.record_refine`.

:func:`assign_record_type` maps one quantity of a sentence onto one of the indicators of
``data/record_types.json`` (``regulations_enacted``, ``deputy_suggestions_received``,
``satisfaction_rate``, ``funds`` …) or ``None`` when none fits. It is pure (no spaCy):
the caller passes the sentence text, the quantity's offsets **relative to the sentence**
(``sentence_text[q_start:q_end]`` is the quantity), its normalised unit and kind, and
optionally the ruler spans and the other quantities of the sentence (also relative).

The code is the mechanism; every word is in the data file. The decision, in order:

1. **Kind.** Only types whose ``kinds``/``units`` admit the quantity are considered; a type
   marked ``default`` (``funds`` for money) is taken at once.
2. **Clause.** Work in the clause around the number (between ，；。： …; ``、`` does not end a
   clause). Titles in 《》 are masked, except a trailing 条例/法规, so that the words inside a
   title never count. Cue words are found longest-first (意见建议 hides 建议, 报告履职 hides 报告).
   Nouns are taken before the number (not past a ``的`` when the number is itself followed by
   a noun: 调研收集的36个问题 counts 问题) and after it up to the next quantity; a noun that
   directly follows an earlier number, up to a 、, connector, verb or ``的``, belongs to that
   number (1次专题询问以及1次活动; but 两家单位的满意度分别为91.3%).
   Verbs must stand before the number unless a pattern says ``any``.
3. **Nearest wins.** Every satisfied pattern gives a candidate at the distance of its noun
   (or verb, for verb-only patterns); the nearest wins, then the one with a verb, then the
   nearer verb, the longer cue and the type order. A null cue (制度, 网格, 立法联系点 …) is a
   candidate for ``None``: the number counts a thing no type covers. A noun whose pattern is
   not satisfied (法规 without 制定/修改) does not block anything.
4. **Lists.** When the winning noun stands in a list (执法检查、专题询问5项; 调研、视察、执法检查活动;
   调研报告、谏言、理论文章等) whose members are not all of its type, a count is ``None`` (it is a
   sum over types); a percentage takes the first member's type (答复率、满意率均为100%). With
   分别 the members are paired with the numbers in order. Two verbs of rival types joined by
   和/、 (制定和修改…5部) also make a count ``None``.
5. **Ellipsis.** A clause that names nothing at all and whose number has no noun of its own
   (办结27件; 同比提高25个百分点; 其中大会期间243件 — but not 新开通城乡公交线路4条 or 分赴9个市州)
   borrows the nouns of the nearest earlier clause of the sentence that names something, with
   its own verbs. Patterns with ``scope: sentence`` are tried when the number's own context
   names nothing (各举办1期，培训代表200多人次).
6. **Domains.** In a sentence about a domain such as 信访, a result absorbed by the domain
   (constituents received, problems solved) or an empty result becomes the domain's type.
7. **Indicator.** Only when there are no words around the number (an empty sentence, or one
   that is just the number) is the indicator read as the words right before the number.

:func:`decide` returns the same answer with the rule that produced it and the deciding cue.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any, Dict, FrozenSet, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from .record_refine import money_type, refine_suggestions
from .record_taxonomy import RecordType, _Pattern, _Taxonomy, _taxonomy, gold_type, record_types

__all__ = ["RecordType", "Decision", "assign_record_type", "decide", "record_types", "gold_type", "RECORD_TYPES"]

_MASK = "□"
_PERCENT_KINDS = ("percent", "percentage_point")


def __getattr__(name: str) -> Any:
    # RECORD_TYPES: read from the data file when first asked for, not at import
    if name == "RECORD_TYPES":
        return tuple(_taxonomy().types)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------------------
# reading one sentence


class _Occ:
    """A cue word of the sentence and what it serves."""

    __slots__ = ("start", "end", "text", "refs")

    def __init__(self, start: int, end: int, text: str, refs: list) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.refs = refs  # _Pattern, or None for a null cue (nouns); _Pattern (verbs; empty = generic verb)

    def types(self) -> set:
        return {ref.type if ref is not None else None for ref in self.refs}


@dataclass(frozen=True)
class Decision:
    """The record type, the rule that chose it and the cue that decided."""

    record_type: Optional[str]
    rule: str
    cue: Optional[str] = None


class _Cand:
    __slots__ = ("key", "type", "anchor", "side", "verb")

    def __init__(self, key: tuple, type: Optional[str], anchor: _Occ, side: str, verb: Optional[_Occ]) -> None:
        self.key = key
        self.type = type
        self.anchor = anchor
        self.side = side
        self.verb = verb


def _has_cjk(text: str) -> bool:
    """A CJK unified ideograph in ``text`` (a regex class of them costs milliseconds to compile)."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _find(index: Dict[str, Tuple[int, ...]], text: str, refs: Dict[str, list]) -> List[_Occ]:
    """The longest listed word starting at each position."""
    found = []
    for i, char in enumerate(text):
        for length in index.get(char, ()):
            word = text[i:i + length]
            if word in refs:
                found.append(_Occ(i, i + length, word, list(refs[word])))
                break
    return found


def _longest(occs: List[_Occ]) -> List[_Occ]:
    """Merge identical spans, then drop every span lying inside a longer one."""
    merged: Dict[Tuple[int, int], _Occ] = {}
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


def _mask(tax: _Taxonomy, text: str) -> str:
    """Mask the false friends and the inside of titles (keeping a trailing 条例/法规)."""
    for word in tax.false_friends:
        if word in text:
            text = text.replace(word, _MASK * len(word))
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
                chars[i] = _MASK
    return "".join(chars)


class _Scan(NamedTuple):
    """What a sentence says, whichever of its numbers is read."""

    text: str  # masked
    nouns: List[_Occ]
    verbs: List[_Occ]  # typed verbs, and generic verbs outside nouns
    boundary_verbs: List[_Occ]  # verbs outside nouns: they end a phrase
    boundary_starts: FrozenSet[int]
    connector_starts: FrozenSet[int]  # where a connector (和, 及 …) starts


@lru_cache(maxsize=512)
def _scan(text: str, rulers: Tuple[Tuple[int, int, str, str], ...]) -> _Scan:
    """Masked text, noun and verb occurrences of one sentence (cached: a sentence has several numbers)."""
    tax = _taxonomy()
    text = _mask(tax, text)
    nouns = _find(tax.noun_index, text, tax.noun_refs)
    for start, end, label, ident in rulers:
        refs = tax.ruler_refs.get(f"{label}:{ident}")
        if refs and 0 <= start < end <= len(text):
            nouns.append(_Occ(start, end, text[start:end], list(refs)))
    nouns = _longest(nouns)
    verbs = _longest(_find(tax.verb_index, text, tax.verb_refs))
    # a generic verb inside a noun is part of the noun (检查 in 执法检查); no verb inside a
    # noun ends a phrase (答复 in 答复率), though a typed one still satisfies a pattern
    inside = _inside(verbs, nouns)
    typed = [v for v, covered in zip(verbs, inside) if v.refs or not covered]
    boundary = [v for v, covered in zip(verbs, inside) if not covered]
    connectors = frozenset(m.start() for m in tax.connector_starts_re.finditer(text) if m.group(1))
    return _Scan(text, nouns, typed, boundary, frozenset(v.start for v in boundary), connectors)


def _inside(occs: List[_Occ], outer: List[_Occ]) -> List[bool]:
    """For each of ``occs``, whether it lies inside one of ``outer`` (sorted by start): inside
    iff the furthest end among the ``outer`` starting at or before it reaches its end."""
    starts = [o.start for o in outer]
    reach = list(accumulate((o.end for o in outer), max))
    found = []
    for occ in occs:
        k = bisect_right(starts, occ.start)
        found.append(k > 0 and reach[k - 1] >= occ.end)
    return found


class _Reader:
    def __init__(self, tax: _Taxonomy, text: str, q_start: int, q_end: int, unit: Optional[str], kind: str,
                 rulers: Sequence[Tuple[int, int, str, str]], others: Sequence[Tuple[int, int]]) -> None:
        self.tax = tax
        scan = _scan(text, tuple(rulers))
        self.text, self.nouns, self.verbs, self.boundary_verbs = scan.text, scan.nouns, scan.verbs, scan.boundary_verbs
        self.boundary_starts, self.connector_starts = scan.boundary_starts, scan.connector_starts
        text = self.text
        self.qs, self.qe = q_start, q_end
        self.unit, self.kind = unit, kind
        self.fitting = tax.fitting(kind, unit)[1]
        self.quantities = sorted({(q_start, q_end), *((s, e) for s, e in others if 0 <= s < e <= len(text))})
        self.q_starts = {q[0] for q in self.quantities}
        self.cs, self.ce = self._clause(q_start, q_end)
        self.in_clause = [q for q in self.quantities if q[0] >= self.cs and q[1] <= self.ce]

    # -- text helpers ------------------------------------------------------------------------

    def _clause(self, start: int, end: int) -> Tuple[int, int]:
        text, delims = self.text, self.tax.delims
        cs = start
        while cs > 0 and text[cs - 1] not in delims:
            cs -= 1
        ce = end
        while ce < len(text) and text[ce] not in delims:
            ce += 1
        return cs, ce

    def _previous_clause(self, cs: int) -> Optional[Tuple[int, int]]:
        end = cs - 1
        while end > 0 and self.text[end - 1] in self.tax.delims:
            end -= 1
        if end <= 0:
            return None
        return self._clause(end - 1, end)

    def r_head_end(self, end: int, limit: int) -> int:
        """End of the words right after a number: up to punctuation, 、, a connector, a verb or a number."""
        text, tax = self.text, self.tax
        i = end
        while i < limit and i - end < tax.max_adjacent:
            if (text[i] in tax.delims or text[i] in tax.separators or i in self.boundary_starts
                    or i in self.q_starts or i in self.connector_starts or text.startswith(tax.modifier_marks[0], i)):
                break
            i += 1
        return i

    def counted(self) -> str:
        """The words counted next to the number: after the last verb before it, and right after it."""
        start = max(self.cs, self.qs - self.tax.max_adjacent)
        for verb in self.boundary_verbs:
            if self.cs <= verb.start and verb.end <= self.qs:
                start = max(start, verb.end)
        return self.text[start:self.qs] + "|" + self.text[self.qe:self.r_head_end(self.qe, self.ce)]

    # -- the nouns and verbs a quantity can use ----------------------------------------------

    def clause_nouns(self) -> List[Tuple[_Occ, int, str]]:
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
            span = self._previous_clause(span[0])
            if span is not None and any(span[0] <= o.start and o.end <= span[1] for o in self.nouns):
                break
        start = self.cs
        for verb in self.boundary_verbs:
            if self.cs <= verb.start and verb.end <= self.qs:
                start = max(start, verb.end)
        rest = self.text[start:self.qs]
        for filler in self.tax.ellipsis_fillers:
            rest = rest.replace(filler, "")
        return not _has_cjk(rest)

    def verbs_between(self, start: int, end: int) -> List[_Occ]:
        return [v for v in self.verbs if v.refs and start <= v.start and v.end <= end]

    # -- candidates ------------------------------------------------------------------------

    def _pattern_ok(self, pattern: _Pattern, scope: str, counted: str) -> bool:
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
        if pattern.counted_block and any(word in counted for word in pattern.counted_block):
            return False
        if pattern.counted_require and not any(word in counted for word in pattern.counted_require):
            return False
        return True

    def candidates(self, nouns: List[Tuple[_Occ, int, str]], left_verbs: List[_Occ], right_verbs: List[_Occ],
                   scope: str) -> List[_Cand]:
        counted = self.counted()
        out: List[_Cand] = []

        def verb_distance(verb: _Occ) -> int:
            return self.qs - verb.end if verb.end <= self.qs else verb.start - self.qe

        for occ, dist, side in nouns:
            for ref in occ.refs:
                if ref is None:
                    out.append(_Cand((dist, 0, 0, -len(occ.text), len(self.tax.types)), None, occ, side, None))
                    continue
                if not self._pattern_ok(ref, scope, counted):
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
                out.append(_Cand((dist, -spec, vdist, -len(occ.text), ref.order), ref.type, occ, side, verb))
        for verb in left_verbs + right_verbs:
            for ref in verb.refs:
                if ref.nouns or not ref.verbs:
                    continue
                if verb in right_verbs and verb not in left_verbs and ref.verb_side != "any":
                    continue
                if not self._pattern_ok(ref, scope, counted):
                    continue
                d = verb_distance(verb)
                side = "L" if verb.end <= self.qs else "R"
                out.append(_Cand((d, -1, d, -len(verb.text), ref.order), ref.type, verb, side, verb))
        return out

    # -- lists and rival verbs -------------------------------------------------------------

    def _head(self, best: _Cand) -> Tuple[int, int]:
        text, anchor = self.text, best.anchor
        if best.side == "L":
            start = self.cs
            for verb in self.boundary_verbs:
                if verb.start >= self.cs and verb.end <= anchor.start:
                    start = max(start, verb.end)
            for q in self.quantities:
                if q[1] <= anchor.start and q[1] > start:
                    start = q[1]
            # the list around the cue ends at the next verb or number (民生实事项目包括A、B、C等12项)
            end = self.qs
            for verb in self.boundary_verbs:
                if anchor.end <= verb.start < end:
                    end = verb.start
            for q in self.quantities:
                if anchor.end <= q[0] < end:
                    end = q[0]
            for word in self.tax.respectively:
                at = text.find(word, anchor.end, self.qs)
                if at >= 0:
                    end = min(end, at)
        else:
            start = self.qe
            for verb in self.boundary_verbs:
                if self.qe <= verb.start and verb.end <= anchor.start:
                    start = max(start, verb.end)
            end = anchor.end
            q_starts = {q[0] for q in self.quantities}
            verb_starts = {v.start for v in self.boundary_verbs}
            while end < self.ce and end not in q_starts and end not in verb_starts and text[end] not in self.tax.delims:
                end += 1
        marks = [text.rfind(m, start, anchor.start) for m in self.tax.modifier_marks]
        cut = max(marks)
        if cut >= 0:
            start = cut + 1
        return start, end

    def _conjuncts(self, start: int, end: int) -> List[Tuple[int, int]]:
        """The list members of ``text[start:end]``, split at 、 (never inside a cue word)."""
        covered = {i for o in self.nouns for i in range(o.start, o.end)}
        spans, i = [], start
        for j in range(start, end + 1):
            if j == end or (self.text[j] in self.tax.separators and j not in covered):
                if self.text[i:j].strip():
                    spans.append((i, j))
                i = j + 1
        return spans

    def coordination(self, best: _Cand, cands: List[_Cand]) -> Optional[Tuple[Optional[_Cand], str]]:
        """None when the winner stands alone; else (replacement or None, rule)."""
        start, end = self._head(best)
        conjuncts = self._conjuncts(start, end)
        inside = [o for o in self.nouns if start <= o.start and o.end <= end]

        def member_types(span: Tuple[int, int]) -> set:
            kinds = set()
            for occ in inside:
                if span[0] <= occ.start and occ.end <= span[1]:
                    kinds |= occ.types()
            return kinds

        mixed = len(conjuncts) >= 2 and any(best.type not in member_types(c) for c in conjuncts)
        if mixed and self._modifier_list(best, conjuncts, member_types):
            mixed = False
        if not mixed:
            for a, b in zip(inside, inside[1:]):
                between = self.text[a.end:b.start]
                if between and self.tax.connector_re.fullmatch(between) and not (a.types() & b.types()):
                    mixed = True
                    conjuncts = [(a.start, a.end), (b.start, b.end)]
                    break
        if not mixed:
            return None
        # 分别: pair list members with the numbers in order
        for word in self.tax.respectively:
            at = self.text.find(word, best.anchor.end if best.side == "L" else self.cs, self.qs)
            if at >= 0:
                after = [q for q in self.in_clause if q[0] >= at]
                index = after.index((self.qs, self.qe)) if (self.qs, self.qe) in after else -1
                if 0 <= index < len(conjuncts):
                    return self._in_span(cands, conjuncts[index]), "respectively"
                return None, "mixed_list"
        if self.kind in _PERCENT_KINDS:
            return self._in_span(cands, conjuncts[0]), "first_rate"
        return None, "mixed_list"

    @staticmethod
    def _modifier_list(best: _Cand, conjuncts: List[Tuple[int, int]], member_types) -> bool:
        """市政府、市监委、市法院工作报告: the other members name nothing and the head has words
        before its cue, so the list modifies the head noun."""
        last = conjuncts[-1]
        if not (last[0] <= best.anchor.start and best.anchor.end <= last[1]) or best.anchor.start == last[0]:
            return False
        return all(not member_types(c) for c in conjuncts[:-1])

    @staticmethod
    def _in_span(cands: List[_Cand], span: Tuple[int, int]) -> Optional[_Cand]:
        inside = [c for c in cands if c.type is not None and span[0] <= c.anchor.start and c.anchor.end <= span[1]]
        return min(inside, key=lambda c: c.key) if inside else None

    def rival_verbs(self, best: _Cand) -> bool:
        """制定和修改…5部: two verbs of rival types joined by a connector share the count."""
        if best.verb is None or best.anchor is best.verb or self.kind in _PERCENT_KINDS:
            return False
        rivals = {r.type for r in best.anchor.refs if r is not None and r.type != best.type and r.verbs}
        if not rivals:
            return False
        for other in self.verbs:
            if other is best.verb or not other.refs:
                continue
            lo, hi = sorted([other, best.verb], key=lambda v: v.start)
            between = self.text[lo.end:hi.start]
            joined = between == "" or between in self.tax.separators or bool(self.tax.connector_re.fullmatch(between))
            if joined and any(r.type in rivals and other.text in r.verbs for r in other.refs):
                return True
        return False


# ---------------------------------------------------------------------------
# public API


def _normalise_rulers(ruler_spans: Iterable[Any]) -> List[Tuple[int, int, str, str]]:
    out = []
    for span in ruler_spans or ():
        if isinstance(span, (tuple, list)):
            start, end, label = span[0], span[1], span[2]
            ident = span[3] if len(span) > 3 else None
        else:  # an object with start/end/label/id attributes
            start, end, label = span.start, span.end, span.label
            ident = getattr(span, "id", None)
        out.append((int(start), int(end), str(label), str(ident) if ident else ""))
    return out


def decide(sentence_text: str, q_start: int, q_end: int, unit: Optional[str], kind: str,
           indicator: Optional[str] = None, ruler_spans: Iterable[Any] = (), *,
           others: Iterable[Tuple[int, int]] = (), previous: "str | Sequence[str] | None" = None) -> Decision:
    """Like :func:`assign_record_type`, with the rule that decided and the deciding cue."""
    tax = _taxonomy()
    fitting, _ = tax.fitting(kind, unit)
    if not fitting:
        return Decision(None, "kind")
    for rtype in fitting:
        if rtype.default:
            return money_type(tax, sentence_text, q_start, rtype.name)
    earlier = (previous,) if isinstance(previous, str) else tuple(previous or ())
    decision = _decide_sentence(tax, sentence_text, q_start, q_end, unit, kind, indicator, ruler_spans, others)
    if decision.rule == "none":
        # 其中涉及交通的14件: a clause naming nothing borrows from the nearest earlier sentence naming something
        for before in earlier:
            if not _longest(_find(tax.noun_index, _mask(tax, before), tax.noun_refs)):
                continue
            shift = len(before)
            borrowed = _decide_sentence(tax, before + sentence_text, q_start + shift, q_end + shift, unit, kind, None,
                                        [(r[0] + shift, r[1] + shift, *r[2:]) for r in _normalise_rulers(ruler_spans)],
                                        [(a + shift, b + shift) for a, b in others])
            if borrowed.rule == "inherited" and borrowed.record_type is not None:
                decision = Decision(borrowed.record_type, "previous_sentence", borrowed.cue)
            break
    return refine_suggestions(tax, sentence_text, q_start, q_end, kind, decision, earlier)


def _decide_sentence(tax: _Taxonomy, sentence_text: str, q_start: int, q_end: int, unit: Optional[str], kind: str,
                     indicator: Optional[str], ruler_spans: Iterable[Any], others: Iterable[Tuple[int, int]]) -> Decision:
    rulers = [r for r in _normalise_rulers(ruler_spans) if r[3]]
    reader = _Reader(tax, sentence_text, q_start, q_end, unit, kind, rulers, list(others))
    decision = _apply_domains(reader, _decide_in_context(reader))
    if decision.rule == "none" and indicator and not _has_cjk(sentence_text[:q_start] + sentence_text[q_end:]):
        # no words around the number: read the indicator as the words right before it
        number = sentence_text[q_start:q_end] or "0"
        text = indicator + number
        found = decide(text, len(indicator), len(text), unit, kind)
        if found.record_type is not None:
            return Decision(found.record_type, "indicator", found.cue)
    return decision


def _decide_in_context(reader: _Reader) -> Decision:
    left = reader.verbs_between(reader.cs, reader.qs)
    right = reader.verbs_between(reader.qe, reader.ce)
    own = reader.clause_nouns()
    cands = reader.candidates(own, left, right, "clause")
    if cands:
        best = min(cands, key=lambda c: c.key)
        if best.type is None:
            return Decision(None, "null_cue", best.anchor.text)
        verdict = reader.coordination(best, cands) if best.anchor is not best.verb else None
        if verdict is not None:
            replacement, rule = verdict
            if replacement is None:
                return Decision(None, rule, best.anchor.text)
            return Decision(replacement.type, rule, replacement.anchor.text)
        if reader.rival_verbs(best):
            return Decision(None, "rival_verbs", best.verb.text if best.verb else None)
        return Decision(best.type, "clause", best.anchor.text)
    if not reader.clause_has_nouns() and reader.elliptical():
        # ellipsis: borrow the nouns of the nearest earlier clause that names something
        span: Optional[Tuple[int, int]] = (reader.cs, reader.ce)
        for _ in range(reader.tax.inherit_clauses):
            span = reader._previous_clause(span[0]) if span else None
            if span is None:
                break
            nouns = [(o, reader.qs - o.end, "L") for o in reader.nouns if o.start >= span[0] and o.end <= span[1]]
            if not nouns:
                continue
            # the clause's own verbs; the earlier clause's only when this one has none at all
            own_verbs = [v for v in reader.boundary_verbs + reader.verbs if reader.cs <= v.start and v.end <= reader.qs]
            verbs = left if own_verbs else reader.verbs_between(span[0], span[1])
            cands = reader.candidates(nouns, verbs, [], "clause")
            if cands:
                best = min(cands, key=lambda c: c.key)
                return Decision(best.type, "inherited" if best.type else "null_cue", best.anchor.text)
            break
    if not own:
        nouns = [(o, abs(reader.qs - o.end) if o.end <= reader.qs else o.start - reader.qe,
                  "L" if o.end <= reader.qs else "R") for o in reader.nouns]
        verbs = reader.verbs_between(0, reader.qs)
        cands = [c for c in reader.candidates(nouns, verbs, [], "sentence") if c.type is not None]
        if cands:
            best = min(cands, key=lambda c: c.key)
            return Decision(best.type, "sentence", best.anchor.text)
    return Decision(None, "none")


def _apply_domains(reader: _Reader, decision: Decision) -> Decision:
    if decision.rule not in ("none", "clause", "inherited", "sentence"):
        return decision
    before = reader.text[:reader.qs]
    for rtype, cues, absorbs in reader.tax.domains:
        if decision.record_type is not None and decision.record_type not in absorbs:
            continue
        cue = next((c for c in cues if c in before), None)
        if cue and reader.tax.types[rtype].fits(reader.kind, reader.unit):
            return Decision(rtype, "domain", cue)
    return decision


def assign_record_type(sentence_text: str, q_start: int, q_end: int, unit: Optional[str], kind: str,
                       indicator: Optional[str] = None, ruler_spans: Iterable[Any] = (), *,
                       others: Iterable[Tuple[int, int]] = (), previous: "str | Sequence[str] | None" = None
                       ) -> Optional[str]:
    """The record type of the quantity ``sentence_text[q_start:q_end]``, or ``None``.

    Offsets are relative to ``sentence_text``. ``unit`` and ``kind`` are the quantity's
    normalised unit and kind (spec §2). ``indicator`` is only read when there are no words
    around the number. ``ruler_spans`` are ``(start, end, label, id)`` tuples relative to the
    sentence (ACTIVITY/BODY/PROGRAMME spans of ``doc.spans["reportie"]``); ``others`` are
    the ``(start, end)`` offsets of the other quantities of the sentence, which tell the
    words that belong to a neighbouring number from those of this one. ``previous`` is the
    sentence before, or the sentences before nearest first (其中涉及交通的14件 borrows 代表建议 from
    the nearest one that names something when its own clause names nothing).
    """
    return decide(sentence_text, q_start, q_end, unit, kind, indicator, ruler_spans, others=others,
                  previous=previous).record_type
