"""Reports as pandas DataFrames: one row per sentence, per quantity, and per summary measure.

Summary rows of ``group == "record_type"`` are comparable figures (:func:`summarize`): one record
type in one kind and unit, with ``value`` summed only for additive types (``additive``), so
that ``summary.query("group == 'record_type' and additive")`` can be pivoted and summed across
reports without adding rates, shares, stocks or different units.

Every row carries the report's ``doc_id``, ``body``, ``level`` and ``year`` so that frames of
many reports can be concatenated, grouped and compared directly.

This module imports nothing of :mod:`reportie.report` at run time (only for type checking):
``Report.summary()`` and ``Report.to_frame()`` call it, so ``report`` imports ``frames`` and not
the reverse (no import cycle). Labels come from :mod:`reportie.contract`.
"""

from __future__ import annotations

from collections.abc import Iterable as _Iterable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, NamedTuple

from .contract import LABELS

if TYPE_CHECKING:  # pandas is imported lazily: extract() does not need it
    import pandas as pd

    from .report import Report

REPORT_COLUMNS = ["doc_id", "body", "level", "year"]


class Frames(NamedTuple):
    sentences: "pd.DataFrame"
    quantities: "pd.DataFrame"
    summary: "pd.DataFrame"


def summarize(report: "Report") -> Dict[str, Any]:
    """Per category: sentence count and share of characters. Per record type: its values
    (``record_types``) and its comparable figures (``figures``, spec §4).

    A figure is one record type in one kind and unit (人 and 人次, % and 百分点 are never
    mixed). Its ``value`` is the sum of its values only when the type is additive (counts of
    events); a rate, share or stock gives a value only when the report states one figure for it.
    A figure repeated in the report (same type, unit and value) is flagged ``repeated`` and
    counted once; a part stated after 其中 next to its total of the same type (``part``) is not
    added to it.
    """
    from .record_types import record_types

    types = record_types()
    total = sum(s.end - s.start for s in report.sentences) or 1
    categories: Dict[str, Dict[str, float]] = {label: {"sentences": 0, "char_share": 0.0} for label in LABELS}
    for sentence in report.sentences:
        if sentence.label in categories:
            categories[sentence.label]["sentences"] += 1
            categories[sentence.label]["char_share"] += (sentence.end - sentence.start) / total
    by_type: Dict[str, List[Dict[str, Any]]] = {}
    seen: Dict[tuple, int] = {}
    previous: Dict[tuple, Any] = {}
    for q in report.quantities:
        record_type = q.record_detail or q.record_type  # the finer type: additivity is its property
        if not record_type:
            continue
        key = (record_type, q.kind, q.unit, q.value, q.low, q.high)
        repeated = key in seen
        seen.setdefault(key, len(seen))
        same = (record_type, q.kind, q.unit, q.sentence)
        earlier = previous.get(same)
        part = earlier is not None and "其中" in report.text[earlier.end:q.start]
        if not part:
            previous[same] = q
        by_type.setdefault(record_type, []).append(
            {"value": q.value, "unit": q.unit, "kind": q.kind, "approx": q.approx, "text": q.text,
             "sentence": q.sentence, "repeated": repeated, "part": part,
             "sentence_text": report.sentences[q.sentence].text if q.sentence < len(report.sentences) else None}
        )
    figures: List[Dict[str, Any]] = []
    for record_type, values in by_type.items():
        rtype = types.get(record_type)
        additive = bool(rtype and rtype.additive)
        groups: Dict[tuple, List[Dict[str, Any]]] = {}
        for v in values:
            groups.setdefault((v["kind"], v["unit"]), []).append(v)
        for (kind, unit), group in groups.items():
            counted = [v for v in group if not v["repeated"] and not v["part"] and v["approx"] != "range"]
            distinct = {v["value"] for v in group if not v["repeated"]}
            if additive and counted:
                value, aggregate = sum(v["value"] for v in counted), "sum"
            elif len(distinct) == 1:
                value, aggregate = next(iter(distinct)), "single"
            else:
                value, aggregate = None, None
            figures.append({"record_type": record_type, "kind": kind, "unit": unit, "additive": additive,
                            "aggregate": aggregate, "value": value, "n_values": len(group),
                            "repeated": sum(v["repeated"] for v in group), "parts": sum(v["part"] for v in group),
                            "sources": [v["text"] for v in group]})
    return {"categories": categories, "record_types": by_type, "figures": figures}


def _report_fields(report: "Report") -> Dict[str, Any]:
    return {"doc_id": report.doc_id, "body": report.body, "level": report.level, "year": report.year}


def to_frame(reports: "Report | Iterable[Report]") -> Frames:
    """The three tables (sentences, quantities, summary) for one report or many."""
    import pandas as pd

    if not isinstance(reports, _Iterable):  # one Report (a Report is not iterable)
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
                                char_share=round(figures["char_share"], 4), kind=None, unit=None, additive=None,
                                aggregate=None, value=None, n_values=None, repeated=None, parts=None, sources=None))
        for figure in digest["figures"]:
            summary.append(dict(meta, group="record_type", name=figure["record_type"], sentences=None,
                                char_share=None, kind=figure["kind"], unit=figure["unit"],
                                additive=figure["additive"], aggregate=figure["aggregate"], value=figure["value"],
                                n_values=figure["n_values"], repeated=figure["repeated"], parts=figure["parts"],
                                sources="; ".join(figure["sources"])))
    columns = {
        "sentences": REPORT_COLUMNS + ["sentence", "start", "end", "section", "heading", "label", "score", "text"],
        "quantities": REPORT_COLUMNS + ["text", "start", "end", "value", "low", "high", "unit", "kind", "approx",
                                        "indicator", "sentence", "record_type", "record_detail"],
        "summary": REPORT_COLUMNS + ["group", "name", "sentences", "char_share", "kind", "unit", "additive",
                                     "aggregate", "value", "n_values", "repeated", "parts", "sources"],
    }
    summary_frame = pd.DataFrame(summary, columns=columns["summary"])
    # Counts are empty on record-type rows: keep them integers rather than floats with NaN.
    summary_frame = summary_frame.astype({"sentences": "Int64", "n_values": "Int64", "repeated": "Int64",
                                          "parts": "Int64", "additive": "boolean"})
    return Frames(
        pd.DataFrame(sentences, columns=columns["sentences"]),
        pd.DataFrame(quantities, columns=columns["quantities"]),
        summary_frame,
    )
