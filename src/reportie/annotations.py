"""The annotators' loop: read and validate ``annotations/``, export sentences to a labelling
tool, import the corrections back, and lint the files.

Files (``annotations/``):

- ``sentences.jsonl``: one JSON object per line, keys ``doc``, ``start``, ``end``, ``text``,
  ``label``, ``source`` (``seed`` = a sentence of ``seeds/<doc>.txt``, where
  ``text == seed[start:end]``; ``authored`` = a sentence written for training, standing alone),
  ``annotator`` and ``updated`` (UTC, ``2026-11-23T00:00:00Z``). Other keys are kept as they are.
- ``quantities.jsonl``: the hand-checked quantities of spec §2 (only linted here).

Representation of labels and conflicts
--------------------------------------
There is one record per ``(doc, start, end, annotator)``: a sentence is identified by its
character span (its *sid* is ``doc:start:end``) and may carry one answer per annotator.

- The same annotator labelling a sentence again replaces their own record (new ``label`` and
  ``updated``); nothing else is touched.
- Another annotator giving the label the sentence already has adds nothing (agreement is not
  written twice); giving a different label adds their record next to the existing one. The
  sentence is then a *conflict*: both answers are kept in the file, ``import`` and ``lint``
  list it, and ``read_sentence_labels`` leaves it out of training (with a warning on stderr)
  until the annotators agree, i.e. until one of them re-labels it the same way.
- Records are kept in ``(doc, start, end)`` order; within a sentence, in the order they came.

Every write to ``annotations/`` goes through ``write_jsonl_atomic`` (temp file beside the
target, fsync, rename), so a crash or a kill leaves the previous file whole.

Export pre-annotation: Label Studio keeps predictions apart from human answers, so its tasks
carry the model's label as a prediction. doccano and Prodigy cannot tell an untouched
pre-filled label from a human answer, so their ``label`` / ``accept`` is pre-filled with the
current gold label where there is one (the model's label otherwise, e.g. for a conflict), so
re-importing an untouched file changes nothing for a sentence that has a gold label. The
model's label, score and margin and the gold label are in ``meta`` in every format.

``lint`` reports conflicts but does not fail on them (they are work waiting for annotators, not
broken data); it fails on malformed records, unknown labels, duplicates, offsets that no
longer match the seed text, seed sentences without a label and bad quantity records.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from .modelstore import atomic_write_bytes
from .reading import InputError
from .report import LABELS

SENTENCES_FILE = "sentences.jsonl"
QUANTITIES_FILE = "quantities.jsonl"
REQUIRED_KEYS = ("doc", "start", "end", "text", "label")
SOURCES = ("seed", "authored")
AUTHORED_ROW = "(authored)"
DEFAULT_ANNOTATOR = "unknown"
FORMATS = ("label-studio", "doccano", "prodigy")
SELECTIONS = ("uncertain", "all")
# Label Studio: the names tying the predictions and answers to the labelling config.
LS_FROM_NAME = "category"
LS_TO_NAME = "text"

# Spec §2.
QUANTITY_KEYS = ("doc", "text", "start", "end", "value", "low", "high", "unit", "kind", "approx", "indicator", "sentence")
QUANTITY_KINDS = ("count", "money", "percent", "percentage_point", "area", "people", "measure")
QUANTITY_APPROX = ("exact", "more_than", "about", "nearly", "at_least", "at_most", "less_than", "range", "vague")
BOUNDED_APPROX = ("range", "vague")

Key = Tuple[str, int, int]


class AnnotationError(InputError):
    """An annotation or import file that cannot be used; the message names the file and line."""


def sid(doc: str, start: int, end: int) -> str:
    """The stable id of a sentence in every export: ``doc:start:end``."""
    return f"{doc}:{start}:{end}"


def parse_sid(value: str) -> Key:
    doc, start, end = value.rsplit(":", 2)
    return doc, int(start), int(end)


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------
# Writing


def write_jsonl_atomic(path: Path, records: Iterable[Dict[str, Any]]) -> None:
    """Write ``records`` as JSONL to ``path`` atomically: the only way reportie writes ``annotations/``."""
    data = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    atomic_write_bytes(Path(path), data.encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Reading and validating sentences.jsonl


@dataclass
class SentenceFile:
    """Every record of ``sentences.jsonl`` with its line number, and what is wrong with them."""

    path: Path
    records: List[Dict[str, Any]] = field(default_factory=list)
    lines: List[int] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)

    def by_sentence(self) -> Dict[Key, List[Dict[str, Any]]]:
        groups: Dict[Key, List[Dict[str, Any]]] = defaultdict(list)
        for record in self.records:
            groups[_key(record)].append(record)
        return groups


def _key(record: Dict[str, Any]) -> Key:
    return record["doc"], record["start"], record["end"]


def _annotator(record: Dict[str, Any]) -> str:
    return record.get("annotator") or DEFAULT_ANNOTATOR


def _iter_json_lines(path: Path) -> Iterator[Tuple[int, Any, Optional[str]]]:
    """``(line number, object, error)`` for every non-blank line of a JSONL file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise AnnotationError(f"{path}: no such file") from None
    except UnicodeDecodeError as err:
        raise AnnotationError(f"{path}: not UTF-8 ({err.reason})") from None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line), None
        except ValueError as err:
            yield number, None, f"not valid JSON ({err.msg}, column {err.colno})"


def _sentence_record_problem(record: Any) -> Optional[str]:
    if not isinstance(record, dict):
        return f"expected a JSON object, got {type(record).__name__}"
    missing = [key for key in REQUIRED_KEYS if key not in record]
    if missing:
        return f"missing key{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
    if not isinstance(record["doc"], str) or not record["doc"]:
        return "doc must be a non-empty string"
    start, end = record["start"], record["end"]
    if not (type(start) is int and type(end) is int and 0 <= start < end):
        return f"start/end must be integers with 0 <= start < end, got {start!r}, {end!r}"
    if not isinstance(record["text"], str) or len(record["text"]) != end - start:
        return f"text must be a string of end - start = {end - start} characters"
    if record["label"] not in LABELS:
        return f"unknown label {record['label']!r} (expected one of {', '.join(LABELS)})"
    if record.get("source", "seed") not in SOURCES:
        return f"unknown source {record.get('source')!r} (expected one of {', '.join(SOURCES)})"
    annotator = record.get("annotator")
    if annotator is not None and (not isinstance(annotator, str) or not annotator):
        return "annotator must be a non-empty string"
    return None


def load_sentence_file(annotations_dir: Path) -> SentenceFile:
    """Parse ``sentences.jsonl``, collecting (not raising) a problem per bad line."""
    path = Path(annotations_dir) / SENTENCES_FILE
    parsed = SentenceFile(path)
    for number, record, error in _iter_json_lines(path):
        error = error or _sentence_record_problem(record)
        if error:
            parsed.problems.append(f"{path}:{number}: {error}")
            continue
        parsed.records.append(record)
        parsed.lines.append(number)
    return parsed


def _raise_problems(problems: Sequence[str], limit: int = 10) -> None:
    if problems:
        more = f"\n... and {len(problems) - limit} more" if len(problems) > limit else ""
        raise AnnotationError("\n".join(problems[:limit]) + more)


@dataclass
class Consolidated:
    """One view per sentence: the agreed records, and the sentences whose answers disagree."""

    agreed: Dict[Key, Dict[str, Any]]
    conflicts: Dict[Key, List[Dict[str, Any]]]
    duplicates: List[Tuple[Key, str]]  # (sentence, annotator) appearing on more than one line


def consolidate(records: Sequence[Dict[str, Any]]) -> Consolidated:
    groups: Dict[Key, List[Dict[str, Any]]] = defaultdict(list)
    for record in records:
        groups[_key(record)].append(record)
    agreed: Dict[Key, Dict[str, Any]] = {}
    conflicts: Dict[Key, List[Dict[str, Any]]] = {}
    duplicates: List[Tuple[Key, str]] = []
    for key, group in groups.items():
        seen = Counter(_annotator(r) for r in group)
        duplicates += [(key, name) for name, n in seen.items() if n > 1]
        if len({r["label"] for r in group}) > 1:
            conflicts[key] = group
        else:
            # Agreement: the most recently updated answer stands for the sentence.
            agreed[key] = max(enumerate(group), key=lambda pair: (str(pair[1].get("updated", "")), pair[0]))[1]
    return Consolidated(agreed, conflicts, duplicates)


def read_sentence_labels(annotations_dir: Path) -> List[Dict[str, Any]]:
    """The labels training uses: one record per sentence, conflicting sentences left out.

    Raises ``AnnotationError`` naming the file and line on malformed JSON, a missing key or an
    unknown label. A sentence whose annotators disagree is not returned (training must not guess);
    a warning on stderr says how many were left out.
    """
    parsed = load_sentence_file(Path(annotations_dir))
    _raise_problems(parsed.problems)
    view = consolidate(parsed.records)
    if view.conflicts:
        print(f"reportie: warning: {parsed.path}: {len(view.conflicts)} sentence"
              f"{'s' if len(view.conflicts) != 1 else ''} with conflicting labels left out "
              f"(`reportie annotate lint` lists them)", file=sys.stderr)
    return [dict(view.agreed[key]) for key in sorted(view.agreed)]


# ---------------------------------------------------------------------------------------------
# Seeds


def _seed_path(seeds_dir: Path, doc: str) -> Path:
    return Path(seeds_dir) / f"{doc}.txt"


def _default_seeds(annotations_dir: Path, seeds_dir: Optional[Path]) -> Path:
    return Path(seeds_dir) if seeds_dir is not None else Path(annotations_dir).parent / "seeds"


class _SeedTexts:
    """Seed report texts, read as ``extract()`` reads them (so offsets agree), once each."""

    def __init__(self, seeds_dir: Path) -> None:
        self.seeds_dir = Path(seeds_dir)
        self._texts: Dict[str, Optional[str]] = {}

    def get(self, doc: str) -> Optional[str]:
        if doc not in self._texts:
            path = _seed_path(self.seeds_dir, doc)
            if path.is_file():
                from .reading import read_input

                self._texts[doc] = read_input(path)[0]
            else:
                self._texts[doc] = None
        return self._texts[doc]


# ---------------------------------------------------------------------------------------------
# Export


@dataclass
class ExportItem:
    """One sentence to review: the model's answer and the current gold label."""

    doc: str
    start: int
    end: int
    text: str
    section: Optional[str]
    prediction: Optional[str]
    score: float
    margin: float
    gold: Optional[str]
    conflict: Optional[Dict[str, str]] = None  # annotator → label, when the answers disagree

    @property
    def sid(self) -> str:
        return sid(self.doc, self.start, self.end)

    @property
    def prefill(self) -> Optional[str]:
        return self.gold or self.prediction

    def meta(self) -> Dict[str, Any]:
        meta = {"sid": self.sid, "doc": self.doc, "start": self.start, "end": self.end, "section": self.section,
                "prediction": self.prediction, "score": self.score, "margin": self.margin, "gold": self.gold}
        if self.conflict:
            meta["conflict"] = self.conflict
        return meta


def _margin(scores: Dict[str, float]) -> float:
    top = sorted(scores.values(), reverse=True) + [0.0, 0.0]
    return round(top[0] - top[1], 4)


def _pipeline_with_model(model_dir: Path) -> Any:
    """The reportie pipeline with its classifier read from ``model_dir`` (not the shipped one)."""
    from .components import classifier as _classifier  # noqa: F401  (registers the factory)
    from .pipeline import SPANS_KEY, build

    nlp = build(classifier=False)
    nlp.add_pipe("report_classifier", config={"spans_key": SPANS_KEY, "model_dir": str(model_dir)})
    return nlp


def _model_version(model_dir: Optional[Path]) -> str:
    from .modelstore import ModelError, load_card

    try:
        return f"reportie-{load_card(model_dir).get('sha256', '')[:12]}"
    except ModelError:
        return "reportie"


def export_items(annotations_dir: Path = Path("annotations"), seeds_dir: Optional[Path] = None,
                 select: str = "uncertain", limit: Optional[int] = None, nlp: Any = None) -> List[ExportItem]:
    """The sentences of every annotated seed report, with the model's prediction and the gold label."""
    from .extraction import extract

    if select not in SELECTIONS:
        raise ValueError(f"select must be one of {', '.join(SELECTIONS)}, got {select!r}")
    annotations_dir = Path(annotations_dir)
    seeds_dir = _default_seeds(annotations_dir, seeds_dir)
    parsed = load_sentence_file(annotations_dir)
    _raise_problems(parsed.problems)
    view = consolidate(parsed.records)
    docs = sorted({r["doc"] for r in parsed.records if _seed_path(seeds_dir, r["doc"]).is_file()})
    if not docs:
        raise AnnotationError(f"{parsed.path}: no annotated document has a report in {seeds_dir}")
    items: List[ExportItem] = []
    for doc in docs:
        report = extract(_seed_path(seeds_dir, doc), nlp=nlp)
        for sentence in report.sentences:
            key = (doc, sentence.start, sentence.end)
            gold = view.agreed[key]["label"] if key in view.agreed else None
            conflict = {_annotator(r): r["label"] for r in view.conflicts[key]} if key in view.conflicts else None
            scores = sentence.scores or {}
            items.append(ExportItem(doc, sentence.start, sentence.end, sentence.text, sentence.section,
                                    sentence.label, round(float(scores.get(sentence.label, 0.0)), 4) if sentence.label else 0.0,
                                    _margin(scores), gold, conflict))
    if select == "uncertain":
        items.sort(key=lambda item: item.margin)  # stable: ties keep document order
    return items[:limit] if limit is not None else items


def label_studio_config() -> str:
    choices = "".join(f'<Choice value="{label}"/>' for label in LABELS)
    return (f'<View><Header value="$hint"/><Text name="{LS_TO_NAME}" value="$text"/>'
            f'<Choices name="{LS_FROM_NAME}" toName="{LS_TO_NAME}" choice="single">{choices}</Choices></View>\n')


def _label_studio_task(item: ExportItem, model_version: str) -> Dict[str, Any]:
    hint = f"gold: {item.gold or '-'} | model: {item.prediction or '-'} ({item.score:.2f}) | section: {item.section or '-'}"
    # No top-level "id": Label Studio assigns its own integer ids; the sentence id travels in data.sid.
    task: Dict[str, Any] = {
        "data": {"text": item.text, "doc": item.doc, "start": item.start, "end": item.end, "sid": item.sid,
                 "section": item.section or "", "gold": item.gold or "", "hint": hint},
        "meta": item.meta(),
        "predictions": [],
    }
    if item.prediction:
        task["predictions"].append({
            "model_version": model_version,
            "score": item.score,
            "result": [{"from_name": LS_FROM_NAME, "to_name": LS_TO_NAME, "type": "choices",
                        "value": {"choices": [item.prediction]}}],
        })
    return task


def _doccano_line(item: ExportItem) -> Dict[str, Any]:
    return {"text": item.text, "label": [item.prefill] if item.prefill else [], "meta": item.meta()}


def _prodigy_task(item: ExportItem) -> Dict[str, Any]:
    return {"text": item.text, "options": [{"id": label, "text": label} for label in LABELS],
            "accept": [item.prefill] if item.prefill else [], "answer": "accept", "meta": item.meta(),
            "score": item.score}


def export(fmt: str, select: str = "uncertain", limit: Optional[int] = None, output: Optional[Path] = None,
           annotations_dir: Path = Path("annotations"), seeds_dir: Optional[Path] = None,
           model_dir: Optional[Path] = None, nlp: Any = None) -> List[Path]:
    """Write the review queue for ``fmt`` (label-studio, doccano, prodigy); returns the files written.

    ``select="uncertain"`` orders sentences by the margin between the model's top two scores,
    smallest first; ``"all"`` keeps document order. ``output=None`` writes doccano/Prodigy JSONL
    to stdout (Label Studio needs a file: its labelling config is written beside it).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    if fmt == "label-studio" and output is None:
        raise AnnotationError("--format label-studio needs --output FILE (the labelling config is written beside it)")
    if nlp is None and model_dir is not None:
        nlp = _pipeline_with_model(Path(model_dir))
    items = export_items(annotations_dir, seeds_dir, select, limit, nlp)
    if fmt == "label-studio":
        assert output is not None
        version = _model_version(Path(model_dir) if model_dir else None)
        tasks = [_label_studio_task(item, version) for item in items]
        config = output.with_name(output.stem + ".config.xml")
        atomic_write_bytes(output, (json.dumps(tasks, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        atomic_write_bytes(config, label_studio_config().encode("utf-8"))
        return [output, config]
    rows = [_doccano_line(item) if fmt == "doccano" else _prodigy_task(item) for item in items]
    if output is None:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return []
    write_jsonl_atomic(output, rows)
    return [output]


# ---------------------------------------------------------------------------------------------
# Import


@dataclass
class Answer:
    """One human answer read from a tool's export."""

    where: str  # "line 7" or "item 3": for error messages
    key: Key
    text: str
    label: str
    annotator: Optional[str]


@dataclass
class Change:
    sid: str
    text: str
    old: Optional[str]  # None: the annotator had not labelled this sentence before
    new: str
    annotator: str


@dataclass
class ImportReport:
    path: Path
    format: str
    changes: List[Change] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0  # rejected, ignored or unanswered items
    new_conflicts: Dict[str, Dict[str, str]] = field(default_factory=dict)  # sid → {annotator: label}
    resolved_conflicts: List[str] = field(default_factory=list)  # sids whose annotators now agree

    def format_text(self) -> str:
        lines = [f"imported {self.path} ({self.format}): {len(self.changes)} changed, {self.unchanged} unchanged, "
                 f"{self.skipped} skipped (rejected, ignored or unanswered), {len(self.new_conflicts)} new conflicts"]
        for change in self.changes:
            lines.append(f"  {change.sid}  {change.old or '(none)'} -> {change.new}  [{change.annotator}]  {_clip(change.text)}")
        if self.new_conflicts:
            lines.append("new conflicts (left out of training until the annotators agree):")
            for key, answers in self.new_conflicts.items():
                lines.append(f"  {key}  " + ", ".join(f"{name}={label}" for name, label in sorted(answers.items())))
        if self.resolved_conflicts:
            lines.append("conflicts resolved (the annotators now agree): " + ", ".join(self.resolved_conflicts))
        return "\n".join(lines)


def _clip(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class _ItemError(Exception):
    pass


def _load_import_file(path: Path) -> List[Tuple[str, Any]]:
    """``[(where, item)]`` from a JSON array (Label Studio) or a JSONL file (doccano, Prodigy)."""
    try:
        raw = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise AnnotationError(f"{path}: no such file") from None
    except UnicodeDecodeError as err:
        raise AnnotationError(f"{path}: not UTF-8 ({err.reason})") from None
    if raw.lstrip().startswith("["):
        try:
            data = json.loads(raw)
        except ValueError as err:
            raise AnnotationError(f"{path}: line {err.lineno}: not valid JSON ({err.msg})") from None
        if not isinstance(data, list):
            raise AnnotationError(f"{path}: expected a JSON array of tasks")
        return [(f"item {i}", item) for i, item in enumerate(data)]
    items = []
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append((f"line {number}", json.loads(line)))
        except ValueError as err:
            raise AnnotationError(f"{path}: line {number}: not valid JSON ({err.msg}, column {err.colno})") from None
    return items


def detect_format(item: Any) -> str:
    """Which tool an exported item comes from."""
    if not isinstance(item, dict):
        raise _ItemError(f"expected a JSON object, got {type(item).__name__}")
    if "annotations" in item or "data" in item:
        return "label-studio"
    if "answer" in item or "accept" in item:
        return "prodigy"
    if "label" in item or "labels" in item:
        return "doccano"
    raise _ItemError("not a Label Studio task (data/annotations), doccano line (label) or Prodigy task (answer/accept)")


def _locate(item: Dict[str, Any]) -> Key:
    """The sentence an item stands for: its sid, else doc/start/end, in meta, data or at top level."""
    places = [item.get("meta"), item.get("data"), item]
    for place in places:
        if isinstance(place, dict) and isinstance(place.get("sid"), str):
            try:
                return parse_sid(place["sid"])
            except ValueError:
                raise _ItemError(f"sid {place['sid']!r} is not doc:start:end") from None
    for place in places:
        if isinstance(place, dict) and all(k in place for k in ("doc", "start", "end")):
            doc, start, end = place["doc"], place["start"], place["end"]
            if isinstance(doc, str) and type(start) is int and type(end) is int:
                return doc, start, end
    if isinstance(item.get("id"), str):
        try:
            return parse_sid(item["id"])
        except ValueError:
            pass
    raise _ItemError("no sentence id: expected meta.sid (doc:start:end) or doc/start/end")


def _item_text(item: Dict[str, Any]) -> str:
    text = item.get("data", {}).get("text") if isinstance(item.get("data"), dict) else item.get("text")
    if not isinstance(text, str):
        raise _ItemError("no text")
    return text


def _check_label(label: Any) -> str:
    if label not in LABELS:
        raise _ItemError(f"unknown label {label!r} (expected one of {', '.join(LABELS)})")
    return label


def _ls_annotator(completed_by: Any) -> Optional[str]:
    if isinstance(completed_by, dict):
        for key in ("email", "username", "id"):
            if completed_by.get(key) not in (None, ""):
                return f"label-studio:{completed_by[key]}"
        return None
    if completed_by in (None, ""):
        return None
    return f"label-studio:{completed_by}"


def _answers_label_studio(where: str, item: Dict[str, Any]) -> List[Answer]:
    key, text = _locate(item), _item_text(item)
    annotations = item.get("annotations", [])
    if not isinstance(annotations, list):
        raise _ItemError("annotations must be a list")
    answers = []
    for n, annotation in enumerate(annotations):
        if not isinstance(annotation, dict):
            raise _ItemError(f"annotations[{n}] must be an object")
        if annotation.get("was_cancelled"):
            continue
        results = annotation.get("result", [])
        if not isinstance(results, list):
            raise _ItemError(f"annotations[{n}].result must be a list")
        choices = [c for r in results if isinstance(r, dict) and r.get("type") == "choices"
                   for c in (r.get("value", {}) or {}).get("choices", [])]
        if not choices:
            continue
        if len(choices) > 1:
            raise _ItemError(f"annotations[{n}] has {len(choices)} choices, expected one")
        answers.append(Answer(where, key, text, _check_label(choices[0]), _ls_annotator(annotation.get("completed_by"))))
    return answers


def _answers_doccano(where: str, item: Dict[str, Any]) -> List[Answer]:
    key, text = _locate(item), _item_text(item)
    labels = item.get("label", item.get("labels"))
    if isinstance(labels, str):
        labels = [labels]
    if not isinstance(labels, list):
        raise _ItemError("label must be a list of labels")
    if not labels:
        return []
    if len(labels) > 1:
        raise _ItemError(f"{len(labels)} labels, expected one")
    meta = item.get("meta") if isinstance(item.get("meta"), dict) else {}
    annotator = item.get("username") or meta.get("username") or item.get("annotator")
    return [Answer(where, key, text, _check_label(labels[0]), f"doccano:{annotator}" if annotator else None)]


def _answers_prodigy(where: str, item: Dict[str, Any]) -> List[Answer]:
    key, text = _locate(item), _item_text(item)
    answer = item.get("answer")
    if answer not in ("accept", "reject", "ignore"):
        raise _ItemError(f"answer must be accept, reject or ignore, got {answer!r}")
    if answer != "accept":
        return []
    if "accept" in item:  # choice view
        accepted = item["accept"]
        if not isinstance(accepted, list):
            raise _ItemError("accept must be a list of option ids")
        if not accepted:
            return []
        if len(accepted) > 1:
            raise _ItemError(f"{len(accepted)} options accepted, expected one")
        label = accepted[0]
    else:  # binary classification view
        label = item.get("label")
    annotator = item.get("_annotator_id") or item.get("_session_id")
    return [Answer(where, key, text, _check_label(label), f"prodigy:{annotator}" if annotator else None)]


_READERS = {"label-studio": _answers_label_studio, "doccano": _answers_doccano, "prodigy": _answers_prodigy}


def read_import_file(path: Path) -> Tuple[str, List[Answer], int]:
    """``(format, answers, skipped items)`` from a Label Studio, doccano or Prodigy export."""
    items = _load_import_file(Path(path))
    if not items:
        raise AnnotationError(f"{path}: holds no items")
    fmt = None
    answers: List[Answer] = []
    skipped = 0
    for where, item in items:
        try:
            fmt = fmt or detect_format(item)
            if not isinstance(item, dict):
                raise _ItemError(f"expected a JSON object, got {type(item).__name__}")
            found = _READERS[fmt](where, item)
        except _ItemError as err:
            raise AnnotationError(f"{path}: {where}: {err}" + (f" (reading as {fmt})" if fmt else "")) from None
        skipped += not found
        answers.extend(found)
    assert fmt is not None
    return fmt, answers, skipped


def import_file(path: Path, annotator: Optional[str] = None, annotations_dir: Path = Path("annotations"),
                seeds_dir: Optional[Path] = None, now: Optional[str] = None) -> ImportReport:
    """Merge the answers of a labelling tool's export into ``sentences.jsonl``.

    ``annotator`` names who answered (it overrides the tool's own user ids; one of the two is
    needed). The file is checked whole before anything is written: a malformed item, an unknown
    sentence or a sentence whose text changed raises ``AnnotationError`` naming the line (JSONL,
    from 1) or item (Label Studio's JSON array, from 0), and ``sentences.jsonl`` stays as it was.
    Prodigy ``reject``/``ignore`` answers, cancelled Label Studio annotations and unlabelled items
    change nothing (counted as skipped).
    """
    path, annotations_dir = Path(path), Path(annotations_dir)
    seeds = _SeedTexts(_default_seeds(annotations_dir, seeds_dir))
    parsed = load_sentence_file(annotations_dir)
    _raise_problems(parsed.problems)
    fmt, answers, skipped = read_import_file(path)
    groups = parsed.by_sentence()
    now = now or utc_now()

    # Check everything first.
    decided: Dict[Tuple[Key, str], Answer] = {}
    for answer in answers:
        name = annotator or answer.annotator
        if not name:
            raise AnnotationError(f"{path}: {answer.where}: no annotator in the file: name one with --annotator")
        doc, start, end = answer.key
        seed_text = seeds.get(doc)
        if seed_text is not None:
            expected = seed_text[start:end] if end <= len(seed_text) else None
        elif answer.key in groups:
            expected = groups[answer.key][0]["text"]
        else:
            raise AnnotationError(f"{path}: {answer.where}: unknown sentence {sid(*answer.key)} "
                                  f"(no seeds/{doc}.txt and no annotation for it)")
        if answer.text != expected:
            raise AnnotationError(f"{path}: {answer.where}: text of {sid(*answer.key)} no longer matches "
                                  f"(file: {_clip(answer.text)!r}, annotations: {_clip(expected or '')!r})")
        previous = decided.get((answer.key, name))
        if previous is not None and previous.label != answer.label:
            raise AnnotationError(f"{path}: {answer.where}: {name} labels {sid(*answer.key)} {answer.label}, "
                                  f"but {previous.where} says {previous.label}")
        decided[(answer.key, name)] = answer

    report = ImportReport(path, fmt, skipped=skipped)
    merged = {key: list(group) for key, group in groups.items()}  # sentence → its records, in file order
    for (key, name), answer in decided.items():
        group = merged.setdefault(key, [])
        own = [r for r in group if _annotator(r) == name]
        if own:
            if all(r["label"] == answer.label for r in own):
                report.unchanged += 1
                continue
            # The same annotator answering again replaces their own record (and any duplicate of it).
            replacement = dict(own[0], label=answer.label, annotator=name, updated=now)
            merged[key] = [replacement if r is own[0] else r for r in group if r is own[0] or _annotator(r) != name]
            report.changes.append(Change(sid(*key), answer.text, own[0]["label"], answer.label, name))
        elif group and {r["label"] for r in group} == {answer.label}:
            report.unchanged += 1  # agrees with the label already there: agreement is not written twice
        else:
            source = group[0].get("source", "seed") if group else ("seed" if seeds.get(key[0]) is not None else "authored")
            group.append({"doc": key[0], "start": key[1], "end": key[2], "text": answer.text, "label": answer.label,
                          "source": source, "annotator": name, "updated": now})
            report.changes.append(Change(sid(*key), answer.text, None, answer.label, name))
    records = [record for key in sorted(merged) for record in merged[key]]

    before = consolidate(parsed.records).conflicts
    after = consolidate(records).conflicts
    for key in sorted(set(after) - set(before)):
        report.new_conflicts[sid(*key)] = {_annotator(r): r["label"] for r in after[key]}
    report.resolved_conflicts = [sid(*key) for key in sorted(set(before) - set(after))]

    if report.changes:
        write_jsonl_atomic(parsed.path, records)
    return report


# ---------------------------------------------------------------------------------------------
# Lint


@dataclass
class LintReport:
    errors: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    label_counts: Dict[str, Counter] = field(default_factory=dict)  # seed doc (or "(authored)") → label → sentences
    conflicts: Dict[str, Dict[str, str]] = field(default_factory=dict)  # sid → {annotator: label}
    n_quantities: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def format_text(self) -> str:
        from .tables import render

        lines = []
        rows = [[doc] + [counts.get(label, 0) for label in LABELS] + [sum(counts.values())]
                for doc, counts in sorted(self.label_counts.items(), key=lambda item: (item[0] == AUTHORED_ROW, item[0]))]
        total: Counter = sum(self.label_counts.values(), Counter())
        rows.append(["total"] + [total.get(label, 0) for label in LABELS] + [sum(total.values())])
        lines.append(render(["doc", *LABELS, "all"], rows))
        if self.conflicts:
            lines.append("(conflicting sentences are not counted)")
        lines.append(f"{self.n_quantities} quantities")
        if self.conflicts:
            lines.append(f"{len(self.conflicts)} conflicts (left out of training):")
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
    from .sentences import split_sentences

    annotations_dir = Path(annotations_dir)
    seeds = _SeedTexts(_default_seeds(annotations_dir, seeds_dir))
    report = LintReport()
    parsed = load_sentence_file(annotations_dir)
    report.errors += parsed.problems
    path = parsed.path
    line_of = {id(r): n for r, n in zip(parsed.records, parsed.lines)}

    view = consolidate(parsed.records)
    for key, name in view.duplicates:
        lines = [line_of[id(r)] for r in parsed.records if _key(r) == key and _annotator(r) == name]
        report.errors.append(f"{path}:{lines[-1]}: duplicate record for {sid(*key)} by {name} (lines {', '.join(map(str, lines))})")
    for key, group in view.conflicts.items():
        report.conflicts[sid(*key)] = {_annotator(r): r["label"] for r in group}

    seed_docs: Dict[str, set] = defaultdict(set)
    for record, number in zip(parsed.records, parsed.lines):
        doc, start, end = _key(record)
        if record.get("source", "seed") != "seed":
            continue
        seed_docs[doc].add((start, end))
        text = seeds.get(doc)
        if text is None:
            report.errors.append(f"{path}:{number}: source seed but no seed report {_seed_path(seeds.seeds_dir, doc)}")
        elif text[start:end] != record["text"]:
            report.errors.append(f"{path}:{number}: offsets {start}:{end} no longer match {doc}.txt: "
                                 f"seed has {_clip(text[start:end])!r}, record has {_clip(record['text'])!r}"
                                 + _find_shift(text, record["text"], start))
    for doc, spans in sorted(seed_docs.items()):
        text = seeds.get(doc)
        if text is None:
            continue
        sentences = {(s.start, s.end) for s in split_sentences(text)}
        for start, end in sorted(sentences - spans):
            report.errors.append(f"{path}: sentence {sid(doc, start, end)} of the seed is not annotated: {_clip(text[start:end])!r}")
        for start, end in sorted(spans - sentences):
            if text[start:end] == next((r["text"] for r in parsed.records if _key(r) == (doc, start, end)), None):
                report.errors.append(f"{path}: {sid(doc, start, end)} is not a sentence of the splitter "
                                     f"(training never sees it): {_clip(text[start:end])!r}")

    # Per seed report; authored sentences (one document each) are counted together.
    for key, record in view.agreed.items():
        row = key[0] if record.get("source", "seed") == "seed" else AUTHORED_ROW
        report.label_counts.setdefault(row, Counter())[record["label"]] += 1

    leftovers = sorted(p.name for p in annotations_dir.glob(".*.jsonl.*") if p.is_file())
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


def _lint_quantities(path: Path, seeds: _SeedTexts, report: LintReport, split_sentences: Any) -> None:
    if not path.exists():
        report.warnings.append(f"{path}: no such file")
        return
    seen: Dict[Key, int] = {}
    sentence_spans: Dict[str, List[Tuple[int, int]]] = {}
    for number, q, error in _iter_json_lines(path):
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
            report.errors.append(f"{path}:{number}: no seed report {_seed_path(seeds.seeds_dir, q['doc'])}")
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


# ---------------------------------------------------------------------------------------------
# Command line


def add_cli(subparsers: Any) -> None:
    """Add ``reportie annotate export|import|lint`` to the ``reportie`` parser."""
    parser = subparsers.add_parser("annotate", help="export sentences to Label Studio / doccano / Prodigy, import answers, lint")
    actions = parser.add_subparsers(dest="action", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--annotations", type=Path, default=Path("annotations"), help="annotations directory (default annotations)")
        p.add_argument("--seeds", type=Path, default=None,
                       help="the seed reports (default: seeds/ beside the annotations directory, as for train)")

    p = actions.add_parser("export", help="write a review queue with the model's predictions as pre-annotation")
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("--select", choices=SELECTIONS, default="uncertain",
                   help="uncertain: smallest margin between the top two scores first (default); all: document order")
    p.add_argument("--limit", type=int, help="at most N sentences")
    p.add_argument("--output", type=Path, help="output file (doccano/prodigy default: stdout)")
    p.add_argument("--model-dir", type=Path, help="predict with the classifier in DIR instead of the shipped one")
    common(p)

    p = actions.add_parser("import", help="merge answers exported from Label Studio, doccano or Prodigy")
    p.add_argument("path", type=Path, help="the tool's export (format detected)")
    p.add_argument("--annotator", help="who answered (overrides the tool's user ids)")
    common(p)

    p = actions.add_parser("lint", help="check annotations against the seed reports and the spec")
    common(p)

    parser.set_defaults(func=run_cli)


def run_cli(args: argparse.Namespace) -> int:
    if args.action == "export":
        if args.limit is not None and args.limit < 0:
            raise AnnotationError("--limit must be >= 0")
        written = export(args.format, args.select, args.limit, args.output, args.annotations, args.seeds,
                         model_dir=args.model_dir)
        for path in written:
            print(f"wrote {path}", file=sys.stderr)
        return 0
    if args.action == "import":
        print(import_file(args.path, args.annotator, args.annotations, args.seeds).format_text())
        return 0
    report = lint(args.annotations, args.seeds)
    print(report.format_text())
    return 0 if report.ok else 1
