"""``reportie annotate lint``: ``sentences.jsonl`` and ``quantities.jsonl`` checked against each
other, the report texts (seeds/ and annotations/reports/) and the spec.

``lint`` reports conflicts (tied answers) but does not fail on them (they are work waiting for a
reviewer, not broken data); it fails on malformed records, unknown labels, duplicates, offsets
that no longer match the report text, seed sentences without a label and bad quantity records.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from ..contract import LABELS
from .store import (AUTHORED_ROW, QUANTITIES_FILE, Key, ReportTexts, annotator_of, answers_of, clip, consolidate,
                    iter_json_lines, key_of, load_sentence_file, sid, where_differ)

# Spec §2.
QUANTITY_KEYS = ("doc", "text", "start", "end", "value", "low", "high", "unit", "kind", "approx", "indicator", "sentence")
from ..contract import KINDS as QUANTITY_KINDS
QUANTITY_APPROX = ("exact", "more_than", "about", "nearly", "at_least", "at_most", "less_than", "range", "vague")
BOUNDED_APPROX = ("range", "vague")

@dataclass
class LintReport:
    errors: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    label_counts: Dict[str, Counter] = field(default_factory=dict)  # seed doc (or "(authored)") → label → sentences
    conflicts: Dict[str, Dict[str, str]] = field(default_factory=dict)  # sid → {annotator: label}
    n_quantities: int = 0
    n_outvoted: int = 0  # sentences decided by majority or a reviewer over a different answer

    @property
    def ok(self) -> bool:
        return not self.errors

    def format_text(self) -> str:
        from ..tables import render

        lines = []
        rows = [[doc] + [counts.get(label, 0) for label in LABELS] + [sum(counts.values())]
                for doc, counts in sorted(self.label_counts.items(), key=lambda item: (item[0] == AUTHORED_ROW, item[0]))]
        total: Counter = sum(self.label_counts.values(), Counter())
        rows.append(["total"] + [total.get(label, 0) for label in LABELS] + [sum(total.values())])
        lines.append(render(["doc", *LABELS, "all"], rows))
        if self.conflicts:
            lines.append("(conflicting sentences are not counted)")
        lines.append(f"{self.n_quantities} quantities")
        if self.n_outvoted:
            lines.append(f"{self.n_outvoted} sentences decided over a dissent (majority or reviewer)")
        if self.conflicts:
            lines.append(f"{len(self.conflicts)} conflicts (left out of training; "
                         f"settle with `reportie annotate resolve SID LABEL --by NAME`):")
            lines += [f"  {key}  " + ", ".join(f"{n}={lab}" for n, lab in sorted(answers.items()))
                      for key, answers in self.conflicts.items()]
        lines += [f"warning: {w}" for w in self.warnings]
        lines += [f"error: {e}" for e in self.errors]
        lines.append(f"{len(self.errors)} errors, {len(self.warnings)} warnings")
        return "\n".join(lines)


def _find_shift(text: str, wanted: str, near: int) -> str:
    positions = []
    at = text.find(wanted)
    while at >= 0:
        positions.append(at)
        at = text.find(wanted, at + 1)
    if not positions:
        return ""
    best = min(positions, key=lambda p: abs(p - near))
    return f" (the text is at {best}:{best + len(wanted)}, shifted by {best - near:+d})"


def lint(annotations_dir: Path = Path("annotations"), seeds_dir: Optional[Path] = None) -> LintReport:
    """Check ``sentences.jsonl`` and ``quantities.jsonl`` against each other and the seed reports."""
    from ..sentences import split_sentences

    annotations_dir = Path(annotations_dir)
    seeds = ReportTexts(annotations_dir, seeds_dir)
    report = LintReport()
    parsed = load_sentence_file(annotations_dir)
    report.errors += parsed.problems
    path = parsed.path
    line_of = {id(r): n for r, n in zip(parsed.records, parsed.lines)}

    view = consolidate(parsed.records)
    for key, name in view.duplicates:
        lines = [line_of[id(r)] for r in parsed.records if key_of(r) == key and annotator_of(r) == name]
        report.errors.append(f"{path}:{lines[-1]}: duplicate record for {sid(*key)} by {name} (lines {', '.join(map(str, lines))})")
    for key, group in view.conflicts.items():
        report.conflicts[sid(*key)] = answers_of(group)
    report.n_outvoted = len(view.outvoted)

    seed_docs: Dict[str, set] = defaultdict(set)
    report_docs: Dict[str, set] = defaultdict(set)
    for record, number in zip(parsed.records, parsed.lines):
        doc, start, end = key_of(record)
        source = record.get("source", "seed")
        if source == "authored":
            continue
        if source in ("seed", "report"):  # dev-corpus labels sit on the corpus's own sentence boundaries
            (seed_docs if source == "seed" else report_docs)[doc].add((start, end))
        text = seeds.get(doc)
        if text is None:
            where = seeds.seeds_dir if source == "seed" else annotations_dir / "reports"
            report.errors.append(f"{path}:{number}: source {source} but no report text {where / (doc + '.txt')}")
        elif text[start:end] != record["text"]:
            report.errors.append(f"{path}:{number}: offsets {start}:{end} no longer match {doc}.txt: "
                                 f"{where_differ(text[start:end], record['text'])} (report | record)"
                                 + _find_shift(text, record["text"], start))
    for doc, spans in sorted(list(seed_docs.items()) + list(report_docs.items())):  # noqa: B007
        text = seeds.get(doc)
        if text is None:
            continue
        sentences = {(s.start, s.end) for s in split_sentences(text)}
        # Every sentence of a seed is labelled; a report brought in by the loop only where answered.
        for start, end in sorted(sentences - spans) if doc in seed_docs else []:
            report.errors.append(f"{path}: sentence {sid(doc, start, end)} of the seed is not annotated: {clip(text[start:end])!r}")
        for start, end in sorted(spans - sentences) if doc in seed_docs or doc in report_docs else []:
            if text[start:end] == next((r["text"] for r in parsed.records if key_of(r) == (doc, start, end)), None):
                report.errors.append(f"{path}: {sid(doc, start, end)} is not a sentence of the splitter "
                                     f"(training never sees it): {clip(text[start:end])!r}")

    # Per seed report; authored sentences (one document each) are counted together.
    for key, record in view.agreed.items():
        row = key[0] if record.get("source", "seed") != "authored" else AUTHORED_ROW
        report.label_counts.setdefault(row, Counter())[record["label"]] += 1

    leftovers = sorted(p.name for pattern in (".*.jsonl.*", "reports/.*.txt.*")
                       for p in annotations_dir.glob(pattern) if p.is_file())
    if leftovers:
        report.warnings.append(f"{annotations_dir}: temporary files left by an interrupted write: {', '.join(leftovers)}")

    _lint_quantities(annotations_dir / QUANTITIES_FILE, seeds, report, split_sentences)
    return report


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _quantity_problems(q: Dict[str, Any]) -> List[str]:
    missing = [key for key in QUANTITY_KEYS if key not in q]
    if missing:
        return [f"missing key{'s' if len(missing) > 1 else ''} {', '.join(missing)}"]
    problems = []
    if not (type(q["start"]) is int and type(q["end"]) is int and 0 <= q["start"] < q["end"]):
        problems.append(f"start/end must be integers with 0 <= start < end, got {q['start']!r}, {q['end']!r}")
    if not isinstance(q["text"], str) or not q["text"]:
        problems.append("text must be a non-empty string")
    if not _number(q["value"]):
        problems.append(f"value must be a number, got {q['value']!r}")
    if q["kind"] not in QUANTITY_KINDS:
        problems.append(f"unknown kind {q['kind']!r} (expected one of {', '.join(QUANTITY_KINDS)})")
    if q["approx"] not in QUANTITY_APPROX:
        problems.append(f"unknown approx {q['approx']!r} (expected one of {', '.join(QUANTITY_APPROX)})")
    if not isinstance(q["unit"], str) or not q["unit"]:
        problems.append("unit must be a non-empty string")
    if q["indicator"] is not None and not isinstance(q["indicator"], str):
        problems.append("indicator must be a string or null")
    if type(q["sentence"]) is not int or q["sentence"] < 0:
        problems.append(f"sentence must be a sentence index, got {q['sentence']!r}")
    low, high = q["low"], q["high"]
    if q["approx"] in BOUNDED_APPROX:
        if not (_number(low) and _number(high)):
            problems.append(f"approx {q['approx']} needs numeric low and high")
        elif low > high:
            problems.append(f"low {low} > high {high}")
        elif _number(q["value"]) and q["value"] != low:
            problems.append(f"value {q['value']} should be the lower bound {low}")
    elif low is not None or high is not None:
        problems.append(f"low/high are only for approx range or vague, not {q['approx']}")
    return problems


def _lint_quantities(path: Path, seeds: ReportTexts, report: LintReport, split_sentences: Any) -> None:
    if not path.exists():
        report.warnings.append(f"{path}: no such file")
        return
    seen: Dict[Key, int] = {}
    sentence_spans: Dict[str, List[Tuple[int, int]]] = {}
    for number, q, error in iter_json_lines(path):
        if error is None and not isinstance(q, dict):
            error = f"expected a JSON object, got {type(q).__name__}"
        if error:
            report.errors.append(f"{path}:{number}: {error}")
            continue
        report.n_quantities += 1
        if not isinstance(q.get("doc"), str):
            report.errors.append(f"{path}:{number}: missing key doc")
            continue
        problems = _quantity_problems(q)
        report.errors += [f"{path}:{number}: {p}" for p in problems]
        if problems:
            continue
        key = (q["doc"], q["start"], q["end"])
        if key in seen:
            report.errors.append(f"{path}:{number}: duplicate quantity {sid(*key)} (also line {seen[key]})")
        seen[key] = number
        text = seeds.get(q["doc"])
        if text is None:
            report.errors.append(f"{path}:{number}: no seed report {seeds.seeds_dir / (q['doc'] + '.txt')}")
            continue
        if text[q["start"]:q["end"]] != q["text"]:
            report.errors.append(f"{path}:{number}: offsets {q['start']}:{q['end']} no longer match {q['doc']}.txt: "
                                 f"seed has {text[q['start']:q['end']]!r}, record has {q['text']!r}"
                                 + _find_shift(text, q["text"], q["start"]))
            continue
        if q["doc"] not in sentence_spans:
            sentence_spans[q["doc"]] = [(s.start, s.end) for s in split_sentences(text)]
        spans = sentence_spans[q["doc"]]
        if q["sentence"] >= len(spans) or not (spans[q["sentence"]][0] <= q["start"] and q["end"] <= spans[q["sentence"]][1]):
            report.errors.append(f"{path}:{number}: {q['text']!r} at {q['start']}:{q['end']} is not inside sentence {q['sentence']}")


