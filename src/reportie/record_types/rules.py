"""The decision: a quantity's record type from its sentence (:func:`decide`,
:func:`assign_record_type`), in the order of the rules of :mod:`reportie.record_types`.
"""

from __future__ import annotations

from typing import Any, Iterable, List, Optional, Sequence, Tuple

from .base import Decision, has_cjk
from .lists import coordination, rival_verbs
from .reader import Reader
from .refine import money_type, refine_suggestions
from .scan import nouns_of
from .taxonomy import Taxonomy, taxonomy

__all__ = ["decide", "assign_record_type", "rate_change_type"]


def _normalise_rulers(ruler_spans: Iterable[Any]) -> List[Tuple[int, int, str, str]]:
    out = []
    for span in ruler_spans or ():
        if type(span) is tuple and len(span) == 4 and type(span[0]) is int and type(span[1]) is int \
                and type(span[2]) is str and type(span[3]) is str:
            out.append(span)  # already (start, end, label, id), as the pipeline passes them
            continue
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
    tax = taxonomy()
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
            if not nouns_of(tax, before):
                continue
            shift = len(before)
            borrowed = _decide_sentence(tax, before + sentence_text, q_start + shift, q_end + shift, unit, kind, None,
                                        [(r[0] + shift, r[1] + shift, *r[2:]) for r in _normalise_rulers(ruler_spans)],
                                        [(a + shift, b + shift) for a, b in others])
            if borrowed.rule == "inherited" and borrowed.record_type is not None:
                decision = Decision(borrowed.record_type, "previous_sentence", borrowed.cue)
            break
    return refine_suggestions(tax, sentence_text, q_start, q_end, kind, decision, earlier)


def _decide_sentence(tax: Taxonomy, sentence_text: str, q_start: int, q_end: int, unit: Optional[str], kind: str,
                     indicator: Optional[str], ruler_spans: Iterable[Any], others: Iterable[Tuple[int, int]]) -> Decision:
    rulers = [r for r in _normalise_rulers(ruler_spans) if r[3]]
    reader = Reader(tax, sentence_text, q_start, q_end, unit, kind, rulers, list(others))
    decision = _apply_domains(reader, _decide_in_context(reader))
    if decision.rule == "none" and indicator and not has_cjk(sentence_text[:q_start] + sentence_text[q_end:]):
        # no words around the number: read the indicator as the words right before it
        number = sentence_text[q_start:q_end] or "0"
        text = indicator + number
        found = decide(text, len(indicator), len(text), unit, kind)
        if found.record_type is not None:
            return Decision(found.record_type, "indicator", found.cue)
    return decision


def _decide_in_context(reader: Reader) -> Decision:
    left = reader.verbs_between(reader.cs, reader.qs)
    right = reader.verbs_between(reader.qe, reader.ce)
    own = reader.clause_nouns()
    cands = reader.candidates(own, left, right, "clause")
    if cands:
        best = min(cands, key=lambda c: c.key)
        if best.type is None:
            return Decision(None, "null_cue", best.anchor.text)
        verdict = coordination(reader, best, cands) if best.anchor is not best.verb else None
        if verdict is not None:
            replacement, rule = verdict
            if replacement is None:
                return Decision(None, rule, best.anchor.text)
            return Decision(replacement.type, rule, replacement.anchor.text)
        if rival_verbs(reader, best):
            return Decision(None, "rival_verbs", best.verb.text if best.verb else None)
        return Decision(best.type, "clause", best.anchor.text)
    if not reader.clause_has_nouns() and reader.elliptical():
        # ellipsis: borrow the nouns of the nearest earlier clause that names something
        span: Optional[Tuple[int, int]] = (reader.cs, reader.ce)
        for _ in range(reader.tax.inherit_clauses):
            span = reader.previous_clause(span[0]) if span else None
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


def _apply_domains(reader: Reader, decision: Decision) -> Decision:
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


def rate_change_type(kind: str, unit: Optional[str], indicator: Optional[str], earlier_kind: str,
                     earlier_indicator: Optional[str], earlier_detail: Optional[str]) -> Optional[str]:
    """满意率96%，同比上升3个百分点: a change in percentage points right after a rate of the same
    sentence with the same indicator is the change of that rate, and takes its (finer) record type
    when that type admits it; else None. The pipeline asks this of a quantity that got no type."""
    if earlier_detail and kind == "percentage_point" and earlier_kind == "percent" and \
            indicator == earlier_indicator and taxonomy().types[earlier_detail].fits(kind, unit):
        return earlier_detail
    return None
