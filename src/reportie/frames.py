"""Reports as pandas DataFrames: one row per sentence, per quantity, and per summary measure.

Every row carries the report's ``doc_id``, ``body``, ``level`` and ``year`` so that frames of
many reports can be concatenated, grouped and compared directly.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, NamedTuple

from .report import LABELS, Report

if TYPE_CHECKING:  # pandas is imported lazily: extract() does not need it
    import pandas as pd

REPORT_COLUMNS = ["doc_id", "body", "level", "year"]


class Frames(NamedTuple):
    sentences: "pd.DataFrame"
    quantities: "pd.DataFrame"
    summary: "pd.DataFrame"


def summarize(report: Report) -> Dict[str, Any]:
    """Per category: sentence count and share of characters; per record type: its values."""
    total = sum(s.end - s.start for s in report.sentences) or 1
    categories: Dict[str, Dict[str, float]] = {label: {"sentences": 0, "char_share": 0.0} for label in LABELS}
    for sentence in report.sentences:
        if sentence.label in categories:
            categories[sentence.label]["sentences"] += 1
            categories[sentence.label]["char_share"] += (sentence.end - sentence.start) / total
    record_types: Dict[str, List[Dict[str, Any]]] = {}
    for q in report.quantities:
        if q.record_type:
            record_types.setdefault(q.record_type, []).append(
                {"value": q.value, "unit": q.unit, "approx": q.approx, "text": q.text, "sentence": q.sentence,
                 "sentence_text": report.sentences[q.sentence].text if q.sentence < len(report.sentences) else None}
            )
    return {"categories": categories, "record_types": record_types}


def _report_fields(report: Report) -> Dict[str, Any]:
    return {"doc_id": report.doc_id, "body": report.body, "level": report.level, "year": report.year}


def to_frame(reports: "Report | Iterable[Report]") -> Frames:
    """The three tables (sentences, quantities, summary) for one report or many."""
    import pandas as pd

    if isinstance(reports, Report):
        reports = [reports]
    sentences: List[Dict[str, Any]] = []
    quantities: List[Dict[str, Any]] = []
    summary: List[Dict[str, Any]] = []
    for report in reports:
        meta = _report_fields(report)
        for index, s in enumerate(report.sentences):
            row = dict(meta, sentence=index, start=s.start, end=s.end, section=s.section, heading=s.heading,
                       label=s.label, score=s.scores.get(s.label) if s.label else None, text=s.text)
            sentences.append(row)
        for q in report.quantities:
            quantities.append(dict(meta, **asdict(q)))
        digest = summarize(report)
        for label, figures in digest["categories"].items():
            summary.append(dict(meta, group="category", name=label, sentences=figures["sentences"],
                                char_share=round(figures["char_share"], 4), value=None, n_values=None, sources=None))
        for record_type, values in digest["record_types"].items():
            summary.append(dict(meta, group="record_type", name=record_type, sentences=None, char_share=None,
                                value=sum(v["value"] for v in values), n_values=len(values),
                                sources="; ".join(v["text"] for v in values)))
    columns = {
        "sentences": REPORT_COLUMNS + ["sentence", "start", "end", "section", "heading", "label", "score", "text"],
        "quantities": REPORT_COLUMNS + ["text", "start", "end", "value", "low", "high", "unit", "kind", "approx",
                                        "indicator", "sentence", "record_type"],
        "summary": REPORT_COLUMNS + ["group", "name", "sentences", "char_share", "value", "n_values", "sources"],
    }
    summary_frame = pd.DataFrame(summary, columns=columns["summary"])
    # Counts are empty on record-type rows: keep them integers rather than floats with NaN.
    summary_frame = summary_frame.astype({"sentences": "Int64", "n_values": "Int64"})
    return Frames(
        pd.DataFrame(sentences, columns=columns["sentences"]),
        pd.DataFrame(quantities, columns=columns["quantities"]),
        summary_frame,
    )
