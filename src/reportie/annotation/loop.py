"""The loop itself: ``export`` a review queue (annotated reports or new ones), ``import`` the
tool's answers (storing new reports' texts), ``resolve`` conflicts by hand.

Scores for ranking: a sentence of a new report is scored by the model as it is (it never saw
the report); a sentence of an annotated report is scored out of fold, by a model fitted on every
other report (in 5 folds of reports; the shipped model trained on it, so its confidence there
means nothing).
``--select uncertain`` then takes the smallest margins round-robin across reports, so one long
report does not fill the queue.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from ..modelstore import atomic_write_bytes
from .store import (REPORTS_DIR, AnnotationError, ReportTexts, answers_of, consolidate, load_sentence_file,
                    raise_problems, where_differ)
from .tools import FORMATS, ExportItem, doccano_line, label_studio_config, label_studio_task, prodigy_task

SELECTIONS = ("uncertain", "all", "random")
READABLE_SUFFIXES = (".txt", ".text", ".htm", ".html", ".md")
OUT_OF_FOLD_SPLITS = 5  # annotated reports are scored by 5 models, each fitted without a fifth of the reports
PathLike = Union[str, Path]


def _margin(scores: Dict[str, float]) -> float:
    top = sorted(scores.values(), reverse=True) + [0.0, 0.0]
    return round(top[0] - top[1], 4)


def _pipeline_with_model(model_dir: Path) -> Any:
    """The reportie pipeline with its classifier read from ``model_dir`` (not the shipped one)."""
    from ..components import classifier as _classifier  # noqa: F401  (registers the factory)
    from ..pipeline import CLASSIFIER, SPANS_KEY, build

    nlp = build(classifier=False)
    nlp.add_pipe(CLASSIFIER, config={"spans_key": SPANS_KEY, "model_dir": str(model_dir)})
    return nlp


def _model_version(model_dir: Optional[Path]) -> str:
    from ..modelstore import ModelError, load_card

    try:
        return f"reportie-{load_card(model_dir).get('sha256', '')[:12]}"
    except ModelError:
        return "reportie"


def expand_reports(paths: Sequence[PathLike]) -> List[Path]:
    """Report files from files and directories; a one-line error for a path that is neither."""
    files: List[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES)
            if not found:
                raise AnnotationError(f"{path}: directory holds no .txt or .html reports")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise AnnotationError(f"{path}: no such file or directory")
    return files


def _item(doc: str, start: int, end: int, text: str, section: Optional[str], scores: Dict[str, float],
          gold: Optional[str], conflict: Optional[Dict[str, str]], report: Optional[str]) -> ExportItem:
    scores = {k: round(float(v), 4) for k, v in scores.items()}
    label = max(scores, key=scores.get) if scores else None
    return ExportItem(doc, start, end, text, section, label, scores.get(label, 0.0) if label else 0.0, _margin(scores),
                      gold, conflict, scores or None, report)


def _out_of_fold(annotations_dir: Path, seeds_dir: Optional[Path], texts: Dict[str, str]) -> Dict[str, List[Tuple[int, int, Optional[str], Dict[str, float]]]]:
    """For each annotated report: its sentences scored by a model fitted without that report
    (reports are split into ``OUT_OF_FOLD_SPLITS`` folds: one fit per fold, not per report)."""
    import numpy as np

    from ..features import sentence_features
    from ..pipeline import load
    from ..training import build_training_set, make_estimator

    data = build_training_set(annotations_dir, seeds_dir)
    X, y, groups = np.stack(data.rows), np.array(data.labels), np.array(data.groups)
    nlp = load(classifier=False)
    docs = sorted(texts)
    out = {}
    for fold in (docs[i::OUT_OF_FOLD_SPLITS] for i in range(min(OUT_OF_FOLD_SPLITS, len(docs)))):
        estimator = make_estimator()
        keep = ~np.isin(groups, fold)  # every report of the fold is left out of its model
        estimator.fit(X[keep], y[keep])
        classes = list(estimator.classes_)
        for doc_id in fold:
            doc = nlp(texts[doc_id])
            rows = sentence_features(doc)
            proba = estimator.predict_proba(np.stack(rows)) if len(rows) else []
            out[doc_id] = [(s.start, s.end, s.section, dict(zip(classes, map(float, p))))
                           for s, p in zip(doc._.reportie_sentences, proba)]
    return out


def export_items(annotations_dir: Path = Path("annotations"), seeds_dir: Optional[Path] = None,
                 select: str = "uncertain", limit: Optional[int] = None, nlp: Any = None,
                 reports: Sequence[PathLike] = (), seed: int = 0) -> Tuple[List[ExportItem], Dict[str, str]]:
    """The sentences to review and ``{doc: text}`` of the new reports among them.

    With ``reports``, the sentences of those files (new reports, or annotated ones named by
    their file); without, the sentences of every annotated report whose text is at hand.
    """
    from ..extraction import extract
    from ..reading import read_input

    if select not in SELECTIONS:
        raise ValueError(f"select must be one of {', '.join(SELECTIONS)}, got {select!r}")
    annotations_dir = Path(annotations_dir)
    texts = ReportTexts(annotations_dir, seeds_dir)
    parsed = load_sentence_file(annotations_dir)
    raise_problems(parsed.problems)
    view = consolidate(parsed.records)
    annotated_docs = {r["doc"] for r in parsed.records if r.get("source", "seed") != "authored"}
    new: Dict[str, Tuple[Path, str]] = {}
    known: Dict[str, str] = {}
    if reports:
        for path in expand_reports(reports):
            text = read_input(path)[0]
            doc = path.stem
            existing = texts.get(doc)
            if existing is not None and existing != text:
                raise AnnotationError(f"{path}: doc id {doc!r} already names another report ({texts.path(doc)}); "
                                      f"rename the file: {where_differ(text, existing)}")
            if doc in new or doc in known:
                raise AnnotationError(f"{path}: doc id {doc!r} given twice (two files with the same name)")
            if existing is not None and doc in annotated_docs:
                known[doc] = text
            else:
                new[doc] = (path, text)
    else:
        known = {doc: text for doc in sorted(annotated_docs) if (text := texts.get(doc)) is not None}
        if not known:
            raise AnnotationError(f"{parsed.path}: no annotated document has a report in {texts.seeds_dir} "
                                  f"or {annotations_dir / REPORTS_DIR}; name new reports to export them")
    items: List[ExportItem] = []
    for doc, spans in (_out_of_fold(annotations_dir, seeds_dir, known) if known else {}).items():
        text = known[doc]
        for start, end, section, scores in spans:
            key = (doc, start, end)
            gold = view.agreed[key]["label"] if key in view.agreed else None
            conflict = answers_of(view.conflicts[key]) if key in view.conflicts else None
            items.append(_item(doc, start, end, text[start:end], section, scores, gold, conflict, None))
    for doc, (path, text) in sorted(new.items()):
        report = extract(text, nlp=nlp)
        for s in report.sentences:
            items.append(_item(doc, s.start, s.end, s.text, s.section, s.scores or {}, None, None,
                               f"{REPORTS_DIR}/{doc}.txt"))
    items.sort(key=lambda item: (item.doc, item.start))
    if select == "uncertain":
        by_doc: Dict[str, List[ExportItem]] = defaultdict(list)
        for item in sorted(items, key=lambda item: item.margin):  # stable: ties keep document order
            by_doc[item.doc].append(item)
        rank = {id(item): n for group in by_doc.values() for n, item in enumerate(group)}
        items.sort(key=lambda item: (rank[id(item)], item.margin))
    elif select == "random":
        items = random.Random(seed).sample(items, len(items))
    items = items[:limit] if limit is not None else items
    chosen_docs = {item.doc for item in items}
    return items, {doc: text for doc, (_path, text) in new.items() if doc in chosen_docs}


def output_paths(fmt: str, output: Optional[PathLike]) -> Tuple[Optional[Path], Optional[Path]]:
    """``(tasks file, Label Studio config)`` for ``--output``: ``DIR/`` (or an existing directory)
    gives ``DIR/tasks.json`` (``tasks.jsonl`` for doccano/Prodigy) and ``DIR/config.xml``; a file
    path gives that file and, for Label Studio, ``<stem>.config.xml`` beside it. Checked before any work."""
    if output is None:
        if fmt == "label-studio":
            raise AnnotationError("--format label-studio needs --output DIR/ (tasks.json and config.xml go there)")
        return None, None
    raw = str(output)
    path = Path(raw)
    if raw.endswith(("/", "\\")) or path.is_dir():
        if path.exists() and not path.is_dir():
            raise AnnotationError(f"--output {raw}: exists and is not a directory")
        if not path.parent.is_dir():
            raise AnnotationError(f"--output {raw}: {path.parent} is not a directory")
        tasks = path / ("tasks.json" if fmt == "label-studio" else "tasks.jsonl")
        return tasks, (path / "config.xml" if fmt == "label-studio" else None)
    if not path.parent.is_dir():
        raise AnnotationError(f"--output {raw}: {path.parent} is not a directory (end the path with / to make one)")
    return path, (path.with_name(path.stem + ".config.xml") if fmt == "label-studio" else None)


def export(fmt: str, select: str = "uncertain", limit: Optional[int] = None, output: Optional[PathLike] = None,
           annotations_dir: Path = Path("annotations"), seeds_dir: Optional[Path] = None,
           model_dir: Optional[Path] = None, nlp: Any = None, reports: Sequence[PathLike] = (),
           seed: int = 0) -> List[Path]:
    """Write the review queue for ``fmt`` (label-studio, doccano, prodigy); returns the files written.

    New reports' texts are written to ``reports/<doc>.txt`` beside the tasks: ``import`` stores
    them in ``annotations/reports/`` so training can rebuild each sentence's context.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if limit is not None and limit < 0:
        raise AnnotationError(f"--limit must be >= 0, got {limit}")
    tasks_path, config_path = output_paths(fmt, output)
    if reports:
        expand_reports(reports)  # a missing path is an error before the model is loaded
        if tasks_path is None:
            raise AnnotationError("new reports need --output DIR/: their texts are written beside the tasks")
    if nlp is None and model_dir is not None:
        nlp = _pipeline_with_model(Path(model_dir))
    items, new_texts = export_items(annotations_dir, seeds_dir, select, limit, nlp, reports, seed)
    written: List[Path] = []
    if tasks_path is not None:
        tasks_path.parent.mkdir(parents=True, exist_ok=True)
        for doc, text in sorted(new_texts.items()):
            target = tasks_path.parent / REPORTS_DIR / f"{doc}.txt"
            atomic_write_bytes(target, text.encode("utf-8"))
            written.append(target)
    if fmt == "label-studio":
        assert tasks_path is not None and config_path is not None
        version = _model_version(Path(model_dir) if model_dir else None)
        tasks = [label_studio_task(item, version) for item in items]
        atomic_write_bytes(tasks_path, (json.dumps(tasks, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        atomic_write_bytes(config_path, label_studio_config().encode("utf-8"))
        return [tasks_path, config_path] + written
    rows = [doccano_line(item) if fmt == "doccano" else prodigy_task(item) for item in items]
    if tasks_path is None:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return []
    atomic_write_bytes(tasks_path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8"))
    return [tasks_path] + written
