"""Train and evaluate the sentence classifier from ``annotations/``.

Training data: the seed sentences (features taken from the seed report, so section headings
and ruler spans are in context) plus sentences marked ``authored``. Evaluation is
leave-one-report-out over the seed reports, and always scored on seed sentences only; a
keyword baseline (the rulers alone) is scored in the same run so the model's gain shows.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from .report import LABELS

SEEDS_DIR = Path("seeds")
RANDOM_STATE = 0


def make_estimator() -> Any:
    """Character 2-4-grams of the sentence + its words, ruler spans, section and neighbour words
    → logistic regression (settings chosen by leave-one-report-out macro-F1)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    features = ColumnTransformer(
        [
            ("chars", TfidfVectorizer(analyzer="char", ngram_range=(2, 4), sublinear_tf=True, min_df=2,
                                      max_features=20000), 0),
            ("words", TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True), 1),
        ]
    )
    model = LogisticRegression(C=10.0, max_iter=5000, class_weight="balanced", random_state=RANDOM_STATE)
    return Pipeline([("features", features), ("model", model)])


@dataclass
class TrainingSet:
    rows: List[np.ndarray] = field(default_factory=list)
    labels: List[str] = field(default_factory=list)
    groups: List[str] = field(default_factory=list)  # the seed report, or "authored"
    keyword_predictions: List[str] = field(default_factory=list)

    def add(self, row: np.ndarray, label: str, group: str, keyword: str) -> None:
        self.rows.append(row)
        self.labels.append(label)
        self.groups.append(group)
        self.keyword_predictions.append(keyword)


def _seed_path(doc_id: str, seeds_dir: Path) -> Path:
    return seeds_dir / f"{doc_id}.txt"


def build_training_set(annotations_dir: Path, seeds_dir: Optional[Path] = None, progress: bool = False) -> TrainingSet:
    """Features and labels for every usable annotated sentence (conflicts are left out)."""
    from .annotations import read_sentence_labels
    from .features import sentence_features
    from .pipeline import load
    from .reading import read_input

    seeds_dir = Path(seeds_dir) if seeds_dir else Path(annotations_dir).parent / SEEDS_DIR
    labels = read_sentence_labels(Path(annotations_dir))
    nlp = load(classifier=False)
    data = TrainingSet()
    by_doc: Dict[str, Dict[Tuple[int, int], Tuple[str, str, str]]] = defaultdict(dict)
    for record in labels:
        by_doc[record["doc"]][(record["start"], record["end"])] = (
            record["label"], record.get("source", "seed"), record["text"])
    docs = sorted(by_doc)
    iterator: Iterable[str] = docs
    if progress:
        from tqdm import tqdm

        iterator = tqdm(docs, desc="features", unit="doc", file=sys.stderr)
    for doc_id in iterator:
        wanted = by_doc[doc_id]
        sources = {source for _, source, _ in wanted.values()}
        if sources == {"authored"} or not _seed_path(doc_id, seeds_dir).exists():
            # Authored sentences stand alone: each is its own one-sentence document.
            for _span, (label, _source, sentence_text) in sorted(wanted.items()):
                doc = nlp(sentence_text)
                for row in sentence_features(doc):
                    data.add(row, label, "authored", keyword_label(doc, row[0]))
            continue
        text, _source = read_input(_seed_path(doc_id, seeds_dir))
        doc = nlp(text)
        rows = sentence_features(doc)
        for (start, end, _heading, _section), row in zip(doc._.reportie_sentences, rows):
            if (start, end) not in wanted:
                continue
            label = wanted[(start, end)][0]
            data.add(row, label, doc_id, keyword_label(doc, row[0], start, end))
    return data


_KEYWORDS: Optional[Dict[str, str]] = None


def keyword_label(doc: Any, text: str, start: int = 0, end: Optional[int] = None) -> str:
    """The rulers-only baseline: the label voted by the ruler spans in the sentence, else ``other``."""
    global _KEYWORDS
    if _KEYWORDS is None:
        raw = resources.files("reportie").joinpath("data/keyword_labels.json").read_text(encoding="utf-8")
        _KEYWORDS = {k: v for k, v in json.loads(raw).items() if not k.startswith("_")}
    end = len(doc.text) if end is None else end
    votes: Counter = Counter()
    for span in doc.spans.get("reportie", []):
        if span.start_char >= start and span.end_char <= end and span.text in _KEYWORDS:
            votes[_KEYWORDS[span.text]] += 1
    return votes.most_common(1)[0][0] if votes else "other"


def _annotation_digest(annotations_dir: Path) -> str:
    """The checksum of the sentence labels a model was trained on (recorded in its card)."""
    return hashlib.sha256((Path(annotations_dir) / "sentences.jsonl").read_bytes()).hexdigest()


def train(annotations_dir: Path = Path("annotations"), model_dir: Optional[Path] = None,
          seeds_dir: Optional[Path] = None, progress: bool = False) -> Dict[str, Any]:
    """Fit on every annotated sentence and write the model (skops + card); returns the card."""
    from .modelstore import load_card, save_classifier

    data = build_training_set(Path(annotations_dir), seeds_dir, progress)
    if len(set(data.labels)) < 2:
        raise ValueError(f"{annotations_dir}: need sentences of at least two labels to train, found {sorted(set(data.labels))}")
    estimator = make_estimator()
    estimator.fit(np.stack(data.rows), np.array(data.labels))
    for vectorizer in estimator.named_steps["features"].named_transformers_.values():
        vectorizer.stop_words_ = None  # the pruned vocabulary: large, and not needed to predict
    card = {
        "labels": sorted(set(data.labels)),
        "n_sentences": len(data.labels),
        "n_seed": sum(g != "authored" for g in data.groups),
        "n_authored": sum(g == "authored" for g in data.groups),
        "label_counts": dict(sorted(Counter(data.labels).items())),
        "annotations_sha256": _annotation_digest(Path(annotations_dir)),
        "estimator": "char 2-4-gram + word/ruler/section/neighbour tf-idf, LogisticRegression(C=10, balanced)",
    }
    path = save_classifier(estimator, card, model_dir)
    card = load_card(path.parent)
    # A retrained model must be picked up by pipelines already loaded in this process.
    from .pipeline import loaded

    nlp = loaded(classifier=True)
    if nlp is not None and model_dir is None:
        nlp.get_pipe("report_classifier")._model = None
    return card


@dataclass
class Evaluation:
    labels: List[str]
    model: Dict[str, Any]
    baseline: Dict[str, Any]
    n_sentences: int
    folds: List[str]


def _scores(gold: Sequence[str], pred: Sequence[str], labels: List[str]) -> Dict[str, Any]:
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    return {
        "per_label": {lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
                      for i, lab in enumerate(labels)},
        "macro_f1": float(np.mean(f)),
        "accuracy": float(np.mean([g == q for g, q in zip(gold, pred)])),
        "confusion": confusion_matrix(gold, pred, labels=labels).tolist(),
    }


def evaluate(annotations_dir: Path = Path("annotations"), seeds_dir: Optional[Path] = None,
             progress: bool = False) -> Evaluation:
    """Leave-one-report-out cross-validation, scored on seed sentences only."""
    data = build_training_set(Path(annotations_dir), seeds_dir, progress)
    X = np.stack(data.rows)
    y = np.array(data.labels)
    groups = np.array(data.groups)
    folds = sorted({g for g in data.groups if g != "authored"})
    predictions = np.empty(len(y), dtype=object)
    for held_out in folds:
        train_mask = groups != held_out
        test_mask = groups == held_out
        estimator = make_estimator()
        estimator.fit(X[train_mask], y[train_mask])
        predictions[test_mask] = estimator.predict(X[test_mask])
    seed = groups != "authored"
    labels = [lab for lab in LABELS if lab in set(y[seed])]
    return Evaluation(
        labels=labels,
        model=_scores(list(y[seed]), list(predictions[seed]), labels),
        baseline=_scores(list(y[seed]), [data.keyword_predictions[i] for i in np.flatnonzero(seed)], labels),
        n_sentences=int(seed.sum()),
        folds=folds,
    )


def format_evaluation(ev: Evaluation) -> str:
    from .tables import render

    lines = [f"leave-one-report-out over {len(ev.folds)} seed reports, {ev.n_sentences} seed sentences", ""]
    rows = []
    for lab in ev.labels:
        m, b = ev.model["per_label"][lab], ev.baseline["per_label"][lab]
        rows.append((lab, m["support"], f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", f"{b['f1']:.3f}"))
    rows.append(("macro", ev.n_sentences, "", "", f"{ev.model['macro_f1']:.3f}", f"{ev.baseline['macro_f1']:.3f}"))
    rows.append(("accuracy", "", "", "", f"{ev.model['accuracy']:.3f}", f"{ev.baseline['accuracy']:.3f}"))
    lines.append(render(["label", "support", "precision", "recall", "F1", "keyword F1"], rows))
    lines += ["", "confusion matrix (rows gold, columns predicted): " + " ".join(ev.labels)]
    lines.append(render([""] + ev.labels, [[lab] + ev.model["confusion"][i] for i, lab in enumerate(ev.labels)]))
    return "\n".join(lines)
