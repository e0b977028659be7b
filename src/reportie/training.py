"""Train and evaluate the sentence classifier from ``annotations/``.

Training data: every annotated document whose text is known (the seeds, the dev corpus, the
authored reports and pages, reports brought in by ``annotate import``), run through the pipeline
so each sentence has its section, neighbours and document, plus lone authored sentences. The
model is the sentence model (``make_estimator``) and the context layer stacked on its
out-of-fold probabilities (``reportie.context``). Evaluation is leave-one-document-out over
every document of every source (authored pages: one batch of pages at a time), scored per source beside a keyword baseline (the rulers alone),
with the expected calibration error; the dev corpus's figure is the headline.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np

from .context import ContextLayer, document_runs, read_pages
from .context_trees import BlendedContextLayer, fit_blended_context_layer
from .contract import LABELS, SPANS_KEY
from .datafiles import DataFileError, load_json

SEEDS_DIR = Path("seeds")
RANDOM_STATE = 0


def make_estimator() -> Any:
    """Two readers of a sentence, their probabilities averaged (soft voting): ``context`` reads
    character 2-4-grams of the sentence + its words, ruler spans, section and neighbour words and
    the ruler spans of its section and document; ``sentence`` reads the same characters and only
    the sentence's own words and spans (``features.own_groups``). Each is a logistic regression
    (settings chosen by grouped cross-validation on the dev corpus: C 3/10/30, char ranges and
    caps, class weights). The second keeps a sentence's own wording from being outvoted by its
    neighbours' on page layouts the training pages did not have (10-fold dev macro-F1 0.918 →
    0.924 over fold seeds 0-2, ``scripts/compare_readers.py``)."""
    from sklearn.ensemble import VotingClassifier

    return VotingClassifier([("context", _reader(1)), ("sentence", _reader(2))], voting="soft")


def _reader(words_column: int) -> Any:
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    features = ColumnTransformer(
        [
            ("chars", TfidfVectorizer(analyzer="char", ngram_range=(2, 4), sublinear_tf=True, min_df=2,
                                      max_features=20000), 0),
            ("words", TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True), words_column),
        ]
    )
    model = LogisticRegression(C=10.0, max_iter=5000, class_weight="balanced", random_state=RANDOM_STATE)
    return Pipeline([("features", features), ("model", model)])


def fit_estimator(X: np.ndarray, y: np.ndarray) -> Any:
    estimator = make_estimator()
    estimator.fit(X, y)
    return estimator


@dataclass
class TrainingSet:
    rows: List[np.ndarray] = field(default_factory=list)
    labels: List[str] = field(default_factory=list)
    groups: List[str] = field(default_factory=list)  # the document, or "authored" for lone sentences
    sources: List[str] = field(default_factory=list)  # seed, dev-corpus, authored
    keyword_predictions: List[str] = field(default_factory=list)
    headings: List[bool] = field(default_factory=list)
    documents: List[str] = field(default_factory=list)  # the document (a lone sentence is its own)
    texts: List[str] = field(default_factory=list)  # the sentence as written (rows hold the simplified view)
    paragraphs: List[int] = field(default_factory=list)  # the paragraph within its document

    def add(self, row: np.ndarray, label: str, group: str, source: str, keyword: str,
            heading: bool = False, document: str = "", text: str = "", paragraph: int = 0) -> None:
        self.rows.append(row)
        self.paragraphs.append(int(paragraph))
        self.texts.append(text or str(row[0]))
        self.headings.append(bool(heading))
        self.documents.append(document or group)
        self.labels.append(label)
        self.groups.append(group)
        self.sources.append(source)
        self.keyword_predictions.append(keyword)


AUTHORED_REPORT_LABELS = "authored_sentences.jsonl"  # labels of annotations/authored_reports/*.txt


def report_text(doc_id: str, annotations_dir: Path, seeds_dir: Path) -> Optional[str]:
    """The text of an annotated document, read as ``extract()`` reads it: a seed report, a
    report stored by ``annotate import`` or the dev-corpus import (``annotations/reports/``),
    or an authored report (``annotations/authored_reports/``); None for a lone sentence."""
    from .reading import read_input

    for folder in (Path(seeds_dir), Path(annotations_dir) / "reports", Path(annotations_dir) / "authored_reports"):
        path = folder / f"{doc_id}.txt"
        if path.is_file():
            return read_input(path)[0]
    return None


def _label_records(annotations_dir: Path) -> List[Dict[str, Any]]:
    from .annotations import read_sentence_labels

    records = read_sentence_labels(Path(annotations_dir))
    extra = Path(annotations_dir) / AUTHORED_REPORT_LABELS
    if extra.is_file():
        records += [json.loads(line) for line in extra.read_text(encoding="utf-8").splitlines() if line.strip()]
    return records


def _covering(spans: List[Tuple[int, int, str, str]], start: int, end: int) -> Optional[Tuple[str, str]]:
    """The (label, source) of the annotated span that holds the middle of ``start:end``: an
    annotation made on other sentence boundaries (the dev corpus's) labels the splitter's."""
    middle = (start + end - 1) // 2
    for s, e, label, source in spans:
        if s <= middle < e:
            return label, source
    return None


def build_training_set(annotations_dir: Path, seeds_dir: Optional[Path] = None, progress: bool = False) -> TrainingSet:
    """Features and labels for every usable annotated sentence (conflicts are left out).

    A document whose text is known is run through the pipeline so that every sentence has its
    section and neighbours; each of the splitter's sentences takes the label of the annotated
    sentence holding its middle. Lone authored sentences are one-sentence documents."""
    from .context import paragraph_ids
    from .features import sentence_features
    from .pipeline import load

    seeds_dir = Path(seeds_dir) if seeds_dir else Path(annotations_dir).parent / SEEDS_DIR
    nlp = load(classifier=False)
    data = TrainingSet()
    by_doc: Dict[str, List[Tuple[int, int, str, str]]] = defaultdict(list)
    texts: Dict[str, Dict[Tuple[int, int], str]] = defaultdict(dict)
    for record in _label_records(Path(annotations_dir)):
        by_doc[record["doc"]].append((record["start"], record["end"], record["label"], record.get("source", "seed")))
        texts[record["doc"]][(record["start"], record["end"])] = record["text"]
    docs = sorted(by_doc)
    iterator: Iterable[str] = docs
    if progress:
        from tqdm import tqdm

        iterator = tqdm(docs, desc="features", unit="doc", file=sys.stderr)
    for doc_id in iterator:
        spans = sorted(by_doc[doc_id])
        text = report_text(doc_id, Path(annotations_dir), seeds_dir)
        if text is None:
            for start, end, label, source in spans:
                doc = nlp(texts[doc_id][(start, end)])
                for sentence, row in zip(doc._.reportie_sentences, sentence_features(doc)):
                    data.add(row, label, "authored", source, keyword_label(doc, row[0]), sentence.heading, f"{doc_id}:{start}",
                             texts[doc_id][(start, end)])
            continue
        doc = nlp(text)
        rows = sentence_features(doc)
        paragraphs = paragraph_ids(text, doc._.reportie_sentences)
        for sentence, row, paragraph in zip(doc._.reportie_sentences, rows, paragraphs):
            start, end, heading = sentence.start, sentence.end, sentence.heading
            found = _covering(spans, start, end)
            if found is not None:
                data.add(row, found[0], fold_group(doc_id, found[1]), found[1], keyword_label(doc, row[0], start, end),
                         heading, doc_id, text[start:end], paragraph)
    return data


def fold_group(doc_id: str, source: str) -> str:
    """The unit held out together: a document, except authored pages, which are held out by the
    batch they were written in (``authored-page-sv01`` … ``sv16`` share templates and a writer, so
    leaving out one page would let its siblings vouch for it)."""
    if source == "authored":
        return re.sub(r"\d+$", "", doc_id)
    return doc_id


_KEYWORDS: Optional[Dict[str, str]] = None


def keyword_labels() -> Dict[str, str]:
    """``data/keyword_labels.json``: ruler phrase -> the label it votes for, each a label of
    ``data/labels.json`` (a cross-file rule the schema cannot state, checked here)."""
    global _KEYWORDS
    if _KEYWORDS is None:
        table = load_json("keyword_labels.json")
        unknown = {word: label for word, label in table.items() if label not in LABELS}
        if unknown:
            word, label = next(iter(unknown.items()))
            raise DataFileError(f"reportie data file keyword_labels.json, at {word}: {label!r} is not a label "
                                f"of labels.json ({', '.join(LABELS)})")
        _KEYWORDS = table
    return _KEYWORDS


def keyword_label(doc: Any, text: str, start: int = 0, end: Optional[int] = None) -> str:
    """The rulers-only baseline: the label voted by the ruler spans in the sentence, else ``other``."""
    keywords = keyword_labels()
    from .components.doctext import doc_view

    view = doc_view(doc)  # a traditional-script span votes as its simplified form
    end = len(view) if end is None else end
    votes: Counter = Counter()
    for span in doc.spans.get(SPANS_KEY, []):
        word = view[span.start_char:span.end_char]
        if span.start_char >= start and span.end_char <= end and word in keywords:
            votes[keywords[word]] += 1
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
    estimator, context = fit_model(data)
    for reader in estimator.estimators_:
        for vectorizer in reader.named_steps["features"].named_transformers_.values():
            if hasattr(vectorizer, "stop_words_"):  # (not the dropped remainder column)
                vectorizer.stop_words_ = None  # the pruned vocabulary: large, and not needed to predict
    card = {
        "labels": sorted(set(data.labels)),
        "n_sentences": len(data.labels),
        "n_by_source": dict(sorted(Counter(data.sources).items())),
        "n_documents": len({d for d, g in zip(data.documents, data.groups) if g != "authored"}),
        "label_counts": dict(sorted(Counter(data.labels).items())),
        "annotations_sha256": _annotation_digest(Path(annotations_dir)),
        "training_sources": _source_digests(Path(annotations_dir), data),
        "estimator": "the mean of two readers: char 2-4-gram + word/ruler/section/neighbour/paragraph/document tf-idf, "
                     "and char 2-4-gram + the sentence's own word/ruler tf-idf, each LogisticRegression(C=10, "
                     "balanced); context layer (the mean of a softmax regression and gradient-boosted trees, "
                     "HistGradientBoostingClassifier exported to arrays, stacked over the document's sentence "
                     "probabilities, with its neighbours', paragraph's, section's and document's)",
        "context_layer": context.to_dict() if context is not None else None,
    }
    path = save_classifier(estimator, card, model_dir)
    card = load_card(path.parent)
    # A retrained model must be picked up by pipelines already loaded in this process.
    from .pipeline import CLASSIFIER, loaded

    nlp = loaded(classifier=True)
    if nlp is not None and model_dir is None:
        nlp.get_pipe(CLASSIFIER)._model = None
        nlp.get_pipe(CLASSIFIER)._context = None
    return card


STACKING_FOLDS = 5


def fit_model(data: TrainingSet) -> Tuple[Any, Optional[Union[BlendedContextLayer, ContextLayer]]]:
    """The sentence model on every sentence, and the context layer fitted on out-of-fold
    probabilities (documents split into ``STACKING_FOLDS`` groups; lone sentences have no context
    and train the sentence model only)."""
    X, y, groups = np.stack(data.rows), np.array(data.labels), np.array(data.groups)
    classes = sorted(set(data.labels))
    documents = sorted({g for g in data.groups if g != "authored"})
    fold_of = {doc: i % STACKING_FOLDS for i, doc in enumerate(documents)}
    in_document = groups != "authored"
    if len(documents) < 2 or len(set(y[in_document])) < 2:
        return fit_estimator(X, y), None  # no documents to learn context from
    folds = np.array([fold_of.get(g, -1) for g in data.groups])
    probabilities = held_out_probabilities(X, y, [folds == k for k in range(min(STACKING_FOLDS, len(documents)))],
                                           classes)
    context = fit_blended_context_layer(probabilities[in_document], y[in_document],
                                        np.array(data.documents)[in_document],
                                        list(np.array(data.headings)[in_document]), classes,
                                        list(np.array(data.paragraphs)[in_document]))
    return fit_estimator(X, y), context


def held_out_probabilities(X: np.ndarray, y: np.ndarray, test_masks: List[np.ndarray], classes: List[str],
                           progress: bool = False) -> np.ndarray:
    """For each mask, the probabilities of its rows from a model fitted on all the other rows
    (rows in no mask stay 0). Folds are independent: two run at a time, in threads (the
    solver's numeric work releases the GIL), so no data goes through pickle."""
    from concurrent.futures import ThreadPoolExecutor

    def fold(test: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        return test, _aligned(fit_estimator(X[~test], y[~test]), X[test], classes)

    probabilities = np.zeros((len(y), len(classes)))
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        runs: Iterable[Tuple[np.ndarray, np.ndarray]] = pool.map(fold, test_masks)
        if progress:
            from tqdm import tqdm

            runs = tqdm(runs, total=len(test_masks), desc="folds", unit="fold", file=sys.stderr)
        for test, probs in runs:
            probabilities[test] = probs
    return probabilities


def _aligned(estimator: Any, X: np.ndarray, classes: List[str]) -> np.ndarray:
    """``predict_proba`` with columns in ``classes`` order (a fold may lack a class)."""
    out = np.zeros((len(X), len(classes)))
    probs = estimator.predict_proba(X)
    for j, c in enumerate(estimator.classes_):
        out[:, classes.index(c)] = probs[:, j]
    return out


def _source_digests(annotations_dir: Path, data: TrainingSet) -> Dict[str, Any]:
    """Per source, its sentence and document counts and a sha256 over its documents' texts and
    labels, so the card says what the model learnt from."""
    out: Dict[str, Any] = {}
    for source in sorted(set(data.sources)):
        rows = [i for i, s in enumerate(data.sources) if s == source]
        digest = hashlib.sha256()
        for i in rows:
            digest.update(f"{data.documents[i]}\t{data.labels[i]}\t{data.rows[i][0]}\n".encode("utf-8"))
        out[source] = {"sentences": len(rows), "documents": len({data.documents[i] for i in rows}),
                       "sha256": digest.hexdigest()}
    return out


SOURCES_EVALUATED = ("dev-corpus", "seed", "authored", "report")  # report: imported by `annotate import`
ECE_BINS = 10


@dataclass
class Evaluation:
    labels: List[str]
    by_source: Dict[str, Dict[str, Any]]  # source -> {"model", "baseline", "n_sentences", "folds", "ece"}
    traditional: Dict[str, Any]  # accuracy on dev-corpus sentences written in traditional script

    @property
    def headline(self) -> Dict[str, Any]:
        """The dev corpus's figures: real pages, the ones that count."""
        return self.by_source.get("dev-corpus") or next(iter(self.by_source.values()))


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


def expected_calibration_error(gold: Sequence[str], probabilities: np.ndarray, classes: Sequence[str],
                               bins: int = ECE_BINS) -> float:
    """Top-label ECE: |accuracy − confidence| per equal-width confidence bin, weighted by size."""
    if not len(gold):
        return 0.0
    probabilities = np.asarray(probabilities, dtype=float)
    confidence = probabilities.max(axis=1)
    correct = np.array([classes[i] == g for i, g in zip(probabilities.argmax(axis=1), gold)], dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            error += mask.mean() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(error)


def is_traditional(text: str) -> bool:
    """A sentence with at least two characters that the simplified view changes."""
    from .script import to_simplified

    return sum(a != b for a, b in zip(text, to_simplified(text))) >= 2


def out_of_fold(data: TrainingSet, progress: bool = False) -> Tuple[np.ndarray, np.ndarray, List[str]]:
    """Leave-one-document-out probabilities for every sentence of a document (lone authored
    sentences are always trained on, never predicted); returns (probabilities, mask, classes)."""
    X = np.stack(data.rows)
    y = np.array(data.labels)
    groups = np.array(data.groups)
    classes = sorted(set(data.labels))
    folds = sorted({g for g in data.groups if g != "authored"})
    if not folds:
        raise ValueError("no annotated document with its text to hold out: evaluation needs documents")
    probabilities = held_out_probabilities(X, y, [groups == d for d in folds], classes, progress)
    return probabilities, groups != "authored", classes


def with_context(data: TrainingSet, probabilities: np.ndarray, classes: List[str]) -> np.ndarray:
    """Leave-one-document-out through the context layer: for each document, a layer fitted on
    the other documents' leave-one-out probabilities re-reads this document's. (Those
    probabilities came from sentence models that saw this document among ~50 others; the
    layer's 31 inputs per label are all it learns from them.)"""
    groups = np.array(data.groups)
    documents = np.array(data.documents)
    headings = np.array(data.headings)
    paragraphs = np.array(data.paragraphs)
    y = np.array(data.labels)
    out = np.zeros_like(probabilities)
    in_document = groups != "authored"
    for held_out in sorted(set(groups[in_document])):
        test = groups == held_out
        train = in_document & ~test
        layer = fit_blended_context_layer(probabilities[train], y[train], documents[train], list(headings[train]),
                                          classes, list(paragraphs[train]))
        # a held-out batch of authored pages holds several documents: each is read on its own
        out[test] = read_pages(layer, probabilities[test], documents[test], headings[test], paragraphs[test])
    return out


def settle_page_heads(data: TrainingSet, probabilities: np.ndarray, classes: List[str]) -> np.ndarray:
    """``probabilities`` with each document's page head settled as ``other``, as the classifier
    does after its context layer (:mod:`reportie.pagehead`)."""
    from .pagehead import page_head, settle_page_head

    out = probabilities.copy()
    for start, end in document_runs(data.documents):
        texts = [str(row[0]) for row in data.rows[start:end]]  # the simplified view the classifier reads
        out[start:end] = settle_page_head(probabilities[start:end], classes, page_head(texts))
    return out


def evaluate(annotations_dir: Path = Path("annotations"), seeds_dir: Optional[Path] = None,
             progress: bool = False) -> Evaluation:
    """Leave-one-document-out over every annotated document of every source (each fold trains
    on all the other documents), scored per source beside the keyword baseline."""
    data = build_training_set(Path(annotations_dir), seeds_dir, progress)
    sentence_only, predicted_mask, classes = out_of_fold(data, progress)
    probabilities = settle_page_heads(data, with_context(data, sentence_only, classes), classes)
    alone = np.array([classes[i] for i in sentence_only.argmax(axis=1)], dtype=object)
    predictions = np.array([classes[i] for i in probabilities.argmax(axis=1)], dtype=object)
    labels = [lab for lab in LABELS if lab in set(data.labels)]
    sources = np.array(data.sources)
    by_source: Dict[str, Dict[str, Any]] = {}
    for source in SOURCES_EVALUATED:
        mask = predicted_mask & (sources == source)
        if not mask.any():
            continue
        gold = [data.labels[i] for i in np.flatnonzero(mask)]
        by_source[source] = {
            "model": _scores(gold, list(predictions[mask]), labels),
            "baseline": _scores(gold, [data.keyword_predictions[i] for i in np.flatnonzero(mask)], labels),
            "n_sentences": int(mask.sum()),
            "folds": sorted({data.groups[i] for i in np.flatnonzero(mask)}),
            "ece": expected_calibration_error(gold, probabilities[mask], classes),
            "sentence_model": _scores(gold, list(alone[mask]), labels),
        }
    trad = [i for i in np.flatnonzero(predicted_mask & (sources == "dev-corpus")) if is_traditional(data.texts[i])]
    traditional = {"n_sentences": len(trad),
                   "accuracy": float(np.mean([predictions[i] == data.labels[i] for i in trad])) if trad else 0.0}
    return Evaluation(labels=labels, by_source=by_source, traditional=traditional)


def format_evaluation(ev: Evaluation) -> str:
    from .tables import render

    lines: List[str] = []
    for source, figures in ev.by_source.items():
        scheme = "leave-one-batch-out (pages by the batch they were written in)" if source == "authored" \
            else "leave-one-document-out"
        lines.append(f"{source}: {scheme} over {len(figures['folds'])} folds, "
                     f"{figures['n_sentences']} sentences (each fold trains on everything else)")
        rows = []
        for lab in ev.labels:
            m, b = figures["model"]["per_label"][lab], figures["baseline"]["per_label"][lab]
            rows.append((lab, m["support"], f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", f"{b['f1']:.3f}"))
        rows.append(("macro", figures["n_sentences"], "", "", f"{figures['model']['macro_f1']:.3f}",
                     f"{figures['baseline']['macro_f1']:.3f}"))
        rows.append(("accuracy", "", "", "", f"{figures['model']['accuracy']:.3f}", f"{figures['baseline']['accuracy']:.3f}"))
        lines.append(render(["label", "support", "precision", "recall", "F1", "keyword F1"], rows))
        lines.append(f"expected calibration error ({ECE_BINS} bins): {figures['ece']:.3f}; "
                     f"the sentence model without the context layer: macro-F1 {figures['sentence_model']['macro_f1']:.3f}")
        lines += ["confusion matrix (rows gold, columns predicted): " + " ".join(ev.labels)]
        lines.append(render([""] + ev.labels, [[lab] + figures["model"]["confusion"][i] for i, lab in enumerate(ev.labels)]))
        lines.append("")
    if ev.traditional["n_sentences"]:
        lines.append(f"dev-corpus sentences in traditional script: {ev.traditional['n_sentences']}, "
                     f"accuracy {ev.traditional['accuracy']:.3f}")
    head = ev.headline
    lines.append(f"headline (dev corpus): macro-F1 {head['model']['macro_f1']:.3f}, accuracy "
                 f"{head['model']['accuracy']:.3f}, ECE {head['ece']:.3f}")
    return "\n".join(lines)
