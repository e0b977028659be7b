"""``import``: merge a tool's answers into ``sentences.jsonl`` (and new reports' texts into
``annotations/reports/``); ``resolve``: settle a conflict by hand. Both run under the lock.

Merging, per answer (one per sentence and person; a person's newest answer in the file wins):

- the same person labelling a sentence again replaces their own record;
- another person's answer is added beside the others, agreeing or not (votes are counted);
- ``--role reviewer`` (and ``resolve``) writes reviewer records: the newest one decides.

The sentence's label then follows ``store.decide``: reviewer, else majority, else conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from ..contract import LABELS
from .store import (REPORTS_DIR, REVIEWER, AnnotationError, Key, ReportTexts, annotator_of, answers_of, clip,
                    consolidate, decide, key_of, load_sentence_file, locked, parse_sid, raise_problems, sid,
                    store_report_text, utc_now, where_differ, write_jsonl_atomic)
from .tools import Answer, read_import_file


@dataclass
class Change:
    sid: str
    text: str
    old: Optional[str]  # the sentence's training label before (None: unlabelled or a conflict)
    new: Optional[str]  # ... and after (None: now a conflict)
    annotator: str
    label: str  # what this annotator answered


@dataclass
class ImportReport:
    path: Path
    format: str
    changes: List[Change] = field(default_factory=list)  # records added or replaced
    unchanged: int = 0
    skipped: int = 0  # rejected, ignored or unanswered items
    new_conflicts: Dict[str, Dict[str, str]] = field(default_factory=dict)  # sid → {annotator: label}
    resolved_conflicts: List[str] = field(default_factory=list)  # sids no longer in conflict
    stored_reports: List[Path] = field(default_factory=list)

    def format_text(self) -> str:
        relabelled = sum(c.old != c.new for c in self.changes)
        lines = [f"imported {self.path} ({self.format}): {len(self.changes)} changed ({relabelled} training labels), "
                 f"{self.unchanged} unchanged, {self.skipped} skipped (rejected, ignored or unanswered), "
                 f"{len(self.new_conflicts)} new conflicts"]
        for path in self.stored_reports:
            lines.append(f"  stored report text {path}")
        for c in self.changes:
            lines.append(f"  {c.sid}  {c.old or '(none)'} -> {c.new or 'CONFLICT'}  [{c.annotator}: {c.label}]  {clip(c.text)}")
        if self.new_conflicts:
            lines.append("new conflicts (tied answers: left out of training until settled with "
                         "`reportie annotate resolve SID LABEL --by NAME`):")
            for key, answers in self.new_conflicts.items():
                lines.append(f"  {key}  " + ", ".join(f"{name}={label}" for name, label in sorted(answers.items())))
        if self.resolved_conflicts:
            lines.append("conflicts resolved: " + ", ".join(self.resolved_conflicts))
        return "\n".join(lines)


def _per_person(answers: List[Answer], annotator: Optional[str], path: Path) -> Dict[Tuple[Key, str], Answer]:
    """One answer per sentence and person: the newest (tool time stamp, then tool answer id),
    whatever the order of the file; two different answers that cannot be ordered are an error."""
    people = sorted({a.annotator for a in answers if a.annotator})
    if annotator and len(people) > 1:
        raise AnnotationError(f"{path}: holds answers by {len(people)} users ({', '.join(people)}): --annotator would "
                              f"merge them into one; drop it (or map ids to names with --users)")
    decided: Dict[Tuple[Key, str], Answer] = {}
    for answer in answers:
        name = annotator or answer.annotator
        if not name:
            raise AnnotationError(f"{path}: {answer.where}: no annotator in the file: name one with --annotator")
        previous = decided.get((answer.key, name))
        if previous is not None and previous.label != answer.label:
            if (previous.updated, previous.order) == (answer.updated, answer.order):
                raise AnnotationError(f"{path}: {answer.where}: {name} labels {sid(*answer.key)} {answer.label}, "
                                      f"but {previous.where} says {previous.label}")
            if (previous.updated, previous.order) > (answer.updated, answer.order):
                continue
        elif previous is not None and (previous.updated, previous.order) >= (answer.updated, answer.order):
            continue
        decided[(answer.key, name)] = answer
    return decided


def _find_report(answer: Answer, path: Path, reports_dirs: List[Path]) -> Optional[Path]:
    doc = answer.key[0]
    candidates = []
    if answer.report:
        candidates.append(path.parent / answer.report)
    candidates += [d / f"{doc}.txt" for d in reports_dirs]
    candidates.append(path.parent / REPORTS_DIR / f"{doc}.txt")
    return next((c for c in candidates if c.is_file()), None)


def import_file(path: Path, annotator: Optional[str] = None, annotations_dir: Path = Path("annotations"),
                seeds_dir: Optional[Path] = None, now: Optional[str] = None, role: Optional[str] = None,
                users: Optional[Dict[str, str]] = None, reports_dirs: Optional[List[Path]] = None) -> ImportReport:
    """Merge the answers of a labelling tool's export into ``sentences.jsonl``, under the lock.

    ``annotator`` names who answered when the file does not say (or renames its one user; a
    file by several users is refused). The file is checked whole before anything is written: a
    malformed item, an unknown sentence or a sentence whose text changed raises
    ``AnnotationError`` naming the line or item, and nothing is written. A sentence of a report
    not yet in ``annotations/`` needs the report's text (``reports/<doc>.txt`` beside the
    export, as ``export`` writes it, or in one of ``reports_dirs``): it is stored in
    ``annotations/reports/<doc>.txt``.
    """
    path, annotations_dir = Path(path), Path(annotations_dir)
    if role not in (None, "annotator", REVIEWER):
        raise AnnotationError(f"--role must be annotator or reviewer, got {role!r}")
    fmt, answers, skipped = read_import_file(path, users)  # outside the lock: can be slow, touches nothing
    decided = _per_person(answers, annotator, path)
    with locked(annotations_dir):
        texts = ReportTexts(annotations_dir, seeds_dir)
        parsed = load_sentence_file(annotations_dir)
        raise_problems(parsed.problems)
        groups = parsed.by_sentence()
        now = now or utc_now()
        new_reports: Dict[str, str] = {}
        for (key, name), answer in sorted(decided.items(), key=lambda pair: (pair[0][0], pair[0][1])):
            doc, start, end = key
            text = texts.get(doc)
            if text is None and key not in groups and not any(k[0] == doc for k in groups):
                found = _find_report(answer, path, list(reports_dirs or []))
                if found is None:
                    raise AnnotationError(f"{path}: {answer.where}: unknown sentence {sid(*key)} (no text of report "
                                          f"{doc!r} in seeds/, {annotations_dir / REPORTS_DIR}/ or reports/ beside "
                                          f"the export: pass --reports DIR)")
                from ..reading import read_input

                text = read_input(found)[0]
                texts.add(doc, text)
                new_reports[doc] = text
            if text is not None:
                expected = text[start:end] if end <= len(text) else ""
            elif key in groups:
                expected = groups[key][0]["text"]
            else:
                raise AnnotationError(f"{path}: {answer.where}: unknown sentence {sid(*key)} "
                                      f"(no report text for {doc!r} and no annotation for it)")
            if answer.text != expected:
                raise AnnotationError(f"{path}: {answer.where}: text of {sid(*key)} no longer matches the annotations: "
                                      f"{where_differ(answer.text, expected)} (file | annotations)")

        report = ImportReport(path, fmt, skipped=skipped)
        merged = {key: list(group) for key, group in groups.items()}
        new_role = REVIEWER if role == REVIEWER else None
        for (key, name), answer in sorted(decided.items(), key=lambda pair: (pair[0][0], pair[0][1])):
            group = merged.setdefault(key, [])
            before = decide(group).label if group else None
            own = [r for r in group if annotator_of(r) == name]
            if own and all(r["label"] == answer.label for r in own) and all(r.get("role") == new_role for r in own):
                report.unchanged += 1
                continue
            record: Dict[str, Any]
            if own:
                record = dict(own[0], label=answer.label, annotator=name, updated=now)
                merged[key] = [record if r is own[0] else r for r in group if r is own[0] or annotator_of(r) != name]
            else:
                doc = key[0]
                source = group[0].get("source", "seed") if group else (
                    "report" if doc in new_reports or (texts.path(doc) and texts.path(doc).parent.name == REPORTS_DIR)
                    else "seed" if texts.get(doc) is not None else "authored")
                record = {"doc": doc, "start": key[1], "end": key[2], "text": answer.text, "label": answer.label,
                          "source": source, "annotator": name, "updated": now}
                merged[key] = group + [record]
            record.pop("role", None)
            if new_role:
                record["role"] = new_role
            report.changes.append(Change(sid(*key), answer.text, before, decide(merged[key]).label, name, answer.label))
        records = in_file_order(parsed.records, merged)

        before_conflicts = consolidate(parsed.records).conflicts
        after = consolidate(records).conflicts
        for key in sorted(set(after) - set(before_conflicts)):
            report.new_conflicts[sid(*key)] = answers_of(after[key])
        report.resolved_conflicts = [sid(*key) for key in sorted(set(before_conflicts) - set(after))]

        if report.changes:
            for doc, text in sorted(new_reports.items()):
                report.stored_reports.append(store_report_text(annotations_dir, doc, text))
            write_jsonl_atomic(parsed.path, records)
    return report


def in_file_order(original: List[Dict[str, Any]], merged: Dict[Key, List[Dict[str, Any]]]) -> List[Dict[str, Any]]:
    """The merged records in the order of the file: each sentence's records where its first
    record was, sentences new to the file at the end in (doc, start, end) order. An import
    that changes one label changes one line."""
    out: List[Dict[str, Any]] = []
    seen = set()
    for record in original:
        key = key_of(record)
        if key not in seen:
            seen.add(key)
            out += merged.get(key, [])
    return out + [r for key in sorted(set(merged) - seen) for r in merged[key]]


def list_conflicts(annotations_dir: Path = Path("annotations")) -> Dict[str, Dict[str, str]]:
    parsed = load_sentence_file(Path(annotations_dir))
    raise_problems(parsed.problems)
    return {sid(*key): answers_of(group) for key, group in sorted(consolidate(parsed.records).conflicts.items())}


def resolve(sentence: str, label: str, by: str, annotations_dir: Path = Path("annotations"),
            now: Optional[str] = None) -> Change:
    """Settle a sentence by hand: ``by`` writes a reviewer record with ``label`` (the newest
    reviewer label decides the sentence; the other answers stay as history)."""
    if label not in LABELS:
        raise AnnotationError(f"unknown label {label!r} (expected one of {', '.join(LABELS)})")
    if not by:
        raise AnnotationError("resolve needs --by NAME (the reviewer)")
    try:
        key = parse_sid(sentence)
    except ValueError:
        raise AnnotationError(f"{sentence!r} is not a sentence id doc:start:end") from None
    annotations_dir = Path(annotations_dir)
    with locked(annotations_dir):
        parsed = load_sentence_file(annotations_dir)
        raise_problems(parsed.problems)
        groups = parsed.by_sentence()
        if key not in groups:
            raise AnnotationError(f"{parsed.path}: no sentence {sentence}")
        group = groups[key]
        before = decide(group).label
        own = next((r for r in group if annotator_of(r) == by), None)
        record = dict(own or group[0], label=label, annotator=by, updated=now or utc_now(), role=REVIEWER)
        groups[key] = [r for r in group if annotator_of(r) != by] + [record]
        write_jsonl_atomic(parsed.path, in_file_order(parsed.records, groups))
    return Change(sentence, record["text"], before, label, by, label)
