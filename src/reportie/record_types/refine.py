"""Finer record types read after the clause reader has decided.

- **Money.** A money quantity takes the type of the money cue (``money_cues`` in
  ``data/record_types.json``) nearest before it in its clause, else in its sentence:
  ``budget_funds`` (预算、决算、财政收入 …), ``audit_funds`` (审计、整改 …), ``state_assets``
  (国有资产、资产总额 …), ``government_debt`` (债务、负债 …), ``investment`` (总投资 …),
  ``congress_funds`` (代表活动经费 …); with no cue it is ``funds``.
- **Suggestions broken down** (``suggestion_breakdown``). A count of deputies' suggestions whose
  clause names a handling class is ``deputy_suggestions_resolved`` for the solved class (A类,
  已解决) and ``deputy_suggestions_by_class`` for the others (B类, 列入计划 …); one whose clause
  names a topic (涉及交通的14件) is ``deputy_suggestions_by_topic``. A percentage that is a share
  (占28%) in a sentence about suggestions is ``satisfaction_rate`` when the clause speaks of
  satisfaction, ``suggestion_resolution_rate`` for the solved class, otherwise
  ``deputy_suggestion_share``.
"""

from __future__ import annotations

import re
from typing import Any, Optional, Sequence

from .base import Decision
from .scan import nouns_of

__all__ = ["money_type", "refine_suggestions"]


_CLAUSE = re.compile(r"[，,；;。！!？?：:\n]")
_ITEM = re.compile(r"[；;。！!？?\n]")
# everything up to the last mark before a position (the longest match backs up to it, in C)
_UP_TO_CLAUSE = re.compile("(?s).*" + _CLAUSE.pattern)
_UP_TO_ITEM = re.compile("(?s).*" + _ITEM.pattern)
_SUGGESTION_COUNTS = ("deputy_suggestions_received",)
_SUGGESTION_WORDS = ("建议", "议案")


def _start_after(pattern: "re.Pattern[str]", text: str, end: int) -> int:
    """Where the text after the last mark of ``pattern`` before ``end`` starts (0 if none)."""
    m = pattern.match(text, 0, end)
    return m.end() if m else 0


def _clause(text: str, start: int, end: int) -> str:
    left = _start_after(_UP_TO_CLAUSE, text, start)
    right = _CLAUSE.search(text, end)
    return text[left:right.start() if right else len(text)]


def money_type(tax: Any, text: str, q_start: int, default: str) -> Decision:
    clause_start = _start_after(_UP_TO_CLAUSE, text, q_start)
    for scope_start in (clause_start, 0):
        before = text[scope_start:q_start]
        best: Optional[tuple] = None
        for rtype, cues in tax.money_cues:
            for cue in cues:
                at = before.rfind(cue)
                if at >= 0:
                    key = (at + len(cue), len(cue))
                    if best is None or key > best[0]:
                        best = (key, rtype, cue)
                    break  # cues are longest first: a shorter cue of the same type adds nothing
        if best is not None:
            return Decision(best[1], "money_cue", best[2])
    return Decision(default, "default_kind")


def _segment(text: str, q_start: int, q_end: int) -> str:
    """The part of the sentence around the number between ；/。 (a list item: 满意的475件，占94.8%)."""
    left = _start_after(_UP_TO_ITEM, text, q_start)
    right = _ITEM.search(text, q_end)
    return text[left:right.start() if right else len(text)]


def _first_noun_types(tax: Any, text: str, last: bool) -> Optional[set]:
    nouns = nouns_of(tax, text)
    if not nouns:
        return None
    return {ref.type if ref is not None else None for ref in nouns[-1 if last else 0].refs}


def _about_suggestions(tax: Any, text: str, q_start: int, earlier: Sequence[str]) -> bool:
    """What the number counts is deputies' suggestions: the nearest thing named before it in its
    sentence (before any topic phrase: 涉及…的, …类), else the subject (first thing named) of the
    nearest earlier sentence that names something and is not itself an item of the breakdown."""
    markers = tax.breakdown["topic_markers"]
    head = text[:q_start]
    clause_start = _start_after(_UP_TO_CLAUSE, text, q_start)
    if any(m in text[clause_start:q_start] for m in markers) and not any(
            w in text[clause_start:q_start] for w in _SUGGESTION_WORDS):
        head = text[:clause_start]  # 发展规划、建设项目和综合经济类7件: the clause names a topic only
    wanted = set(_SUGGESTION_COUNTS) | {"deputy_suggestions_resolved"}
    for before, last in ((head, True), *((e, False) for e in earlier)):
        if not last and any(m in before for m in markers) and not any(w in before for w in _SUGGESTION_WORDS):
            continue  # 涉及农林牧水的134件: an earlier item of the same breakdown
        types = _first_noun_types(tax, before, last)
        if types is not None:  # 问题 alone is any problem, not the problems raised by suggestions
            return bool(types & wanted) and "problems_solved" not in types
    return False


def refine_suggestions(tax: Any, text: str, q_start: int, q_end: int, kind: str, decision: Decision,
                       earlier: Sequence[str]) -> Decision:
    words = tax.breakdown
    # the clause is read for a count only, the segment for a percentage only
    clause = _clause(text, q_start, q_end) if kind == "count" else ""
    markers = words["topic_markers"] + words["solved_class"] + words["other_class"] + words["satisfaction_markers"]
    if kind == "count" and decision.record_type is None and decision.rule == "none" \
            and any(m in clause for m in markers) and _about_suggestions(tax, text, q_start, earlier):
        decision = Decision("deputy_suggestions_received", "previous_sentence", None)
    if kind == "count" and decision.record_type in _SUGGESTION_COUNTS + ("deputy_suggestions_resolved",):
        if any(m in clause for m in words["other_class"]):
            return Decision("deputy_suggestions_by_class", "class", decision.cue)
        if any(m in clause for m in words["solved_class"]):
            return Decision("deputy_suggestions_resolved", "solved_class", decision.cue)
        if any(m in clause[:clause.find(text[q_start:q_end])] for m in words["satisfaction_markers"]):
            return Decision("deputy_suggestions_by_class", "satisfied_class", decision.cue)
        if decision.record_type != "deputy_suggestions_received":
            return decision
        # the rest of the clause, and the next clause when it states no number of its own (…501件建议，目前均已办结)
        clause_end = _CLAUSE.search(text, q_end)
        after = text[q_end:clause_end.start() if clause_end else len(text)]
        if clause_end is not None and text[clause_end.start()] in "，,":
            following = _CLAUSE.search(text, clause_end.end())
            nxt = text[clause_end.end():following.start() if following else len(text)]
            if not re.search(r"\d", nxt):
                after += nxt
        received = any(v in clause[:clause.find(text[q_start:q_end])] for v in words["receiving_verbs"])
        done = re.search("已[^，,。；;]{0,4}?(?:" + "|".join(map(re.escape, words["resolving_verbs"])) + ")", after)
        if not received and done:
            return Decision("deputy_suggestions_resolved", "resolved_after", decision.cue)
        if any(m in clause for m in words["topic_markers"]) and decision.rule in ("inherited", "previous_sentence"):
            return Decision("deputy_suggestions_by_topic", "topic", decision.cue)
        return decision
    if kind != "percent" or decision.record_type not in (None, "deputy_suggestion_share"):
        return decision
    segment = _segment(text, q_start, q_end)
    before = segment[:segment.find(text[q_start:q_end])] if text[q_start:q_end] in segment else ""
    if not any(m in before for m in words["share_markers"]):
        return decision
    if not any(w in text + "".join(earlier) for w in _SUGGESTION_WORDS):
        return decision
    if any(m in before for m in words["satisfaction_markers"]):
        return Decision("satisfaction_rate", "share", "满意")
    if any(m in before for m in words["other_class"]):
        return Decision("deputy_suggestion_share", "share", None)
    if any(m in before for m in words["solved_class"]):
        return Decision("suggestion_resolution_rate", "share", "solved_class")
    return Decision("deputy_suggestion_share", "share", None)
