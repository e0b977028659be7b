"""Scoring quantities against the hand-made gold in ``annotations/quantities.jsonl``.

A hit needs the same span, the same value (or bounds), unit, kind and approximation class
(issue 2, point 7); ``record_type`` is scored separately on the quantities that hit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

MATCH_FIELDS = ("value", "low", "high", "unit", "kind", "approx")


def _same_number(a: Optional[float], b: Optional[float]) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def is_hit(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    if (pred["start"], pred["end"]) != (gold["start"], gold["end"]):
        return False
    return all(
        _same_number(pred[f], gold[f]) if f in ("value", "low", "high") else pred[f] == gold[f]
        for f in MATCH_FIELDS
    )


@dataclass
class QuantityScore:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0
    record_type_correct: int = 0
    misses: List[Dict[str, Any]] = field(default_factory=list)
    false_alarms: List[Dict[str, Any]] = field(default_factory=list)
    wrong_fields: List[Tuple[Dict[str, Any], Dict[str, Any]]] = field(default_factory=list)
    record_type_errors: List[Tuple[Dict[str, Any], Dict[str, Any]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def record_type_accuracy(self) -> float:
        return self.record_type_correct / self.true_positives if self.true_positives else 1.0


def score_quantities(predicted: Iterable[Mapping[str, Any]], gold: Iterable[Mapping[str, Any]]) -> QuantityScore:
    """Compare records keyed by ``(doc, start, end)``."""
    score = QuantityScore()
    pred_by_key = {(p["doc"], p["start"], p["end"]): dict(p) for p in predicted}
    gold_by_key = {(g["doc"], g["start"], g["end"]): dict(g) for g in gold}
    score.predicted, score.gold = len(pred_by_key), len(gold_by_key)
    for key, g in gold_by_key.items():
        p = pred_by_key.get(key)
        if p is None:
            score.misses.append(g)
        elif is_hit(p, g):
            score.true_positives += 1
            if p.get("record_type") == g.get("record_type"):
                score.record_type_correct += 1
            else:
                score.record_type_errors.append((p, g))
        else:
            score.wrong_fields.append((p, g))
    score.false_alarms = [p for key, p in pred_by_key.items() if key not in gold_by_key]
    return score


def describe(score: QuantityScore, limit: int = 40) -> str:
    lines = [f"quantities: P={score.precision:.3f} R={score.recall:.3f} F1={score.f1:.3f} "
             f"(tp={score.true_positives}, predicted={score.predicted}, gold={score.gold}); "
             f"record_type accuracy on hits {score.record_type_accuracy:.3f}"]
    for p, g in score.wrong_fields[:limit]:
        diff = {f: (p[f], g[f]) for f in MATCH_FIELDS if p[f] != g[f]}
        lines.append(f"  wrong   {g['doc'][:3]} {g['text']}: {diff}")
    for g in score.misses[:limit]:
        lines.append(f"  missed  {g['doc'][:3]} {g['text']} ({g['start']})")
    for p in score.false_alarms[:limit]:
        lines.append(f"  extra   {p['doc'][:3]} {p['text']} ({p['start']})")
    for p, g in score.record_type_errors[:limit]:
        lines.append(f"  type    {g['doc'][:3]} {g['text']}: {p.get('record_type')} != {g.get('record_type')}")
    return "\n".join(lines)
