"""The context layer: a sentence's label read in the light of its document.

The sentence model scores each sentence from its own words, its heading and its neighbours'
words. Many sentences take their function from where they stand (a page about one deputy's
deeds, the articles under a draft regulation's chapters, the figures under a budget report's
heading), so a second, small multinomial logistic regression re-reads each sentence's
probabilities beside those of the sentences before and after it, the mean of its paragraph, of
its section and of its document (stacking: it is fitted on probabilities the sentence model gave to
documents it did not train on). Prediction is numpy only; the fitted weights live in the
model card (``context_layer``).
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import numpy as np

FORMAT = "reportie-context/2"  # /2 reads the paragraph's mean; /1 layers (without it) still load
FORMATS = ("reportie-context/1", FORMAT)
_FLOOR = 1e-4  # probabilities are clipped here before the log: a hard 0 must not dominate


def softmax_rows(scores: np.ndarray) -> np.ndarray:
    """Each row of ``scores`` as probabilities (in place)."""
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    return scores


def section_ids(headings: Sequence[bool]) -> List[int]:
    """A section id per sentence: a run of headings (title + subtitle) opens a new section."""
    ids: List[int] = []
    previous = False
    for heading in headings:
        opens = bool(heading) and not previous
        ids.append((ids[-1] if ids else -1) + (1 if opens or not ids else 0))
        previous = bool(heading)
    return ids


def paragraph_ids(text: str, sentences: Sequence[Any]) -> List[int]:
    """A paragraph id per sentence (objects with ``start`` and ``end`` offsets into ``text``, in
    order): a line break between a sentence and the one before it opens a new paragraph."""
    ids: List[int] = []
    previous_end = 0
    for sentence in sentences:
        opens = not ids or "\n" in text[previous_end:sentence.start]
        ids.append((ids[-1] if ids else -1) + (1 if opens else 0))
        previous_end = sentence.end
    return ids


def _mean_of_others(probabilities: np.ndarray, groups: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """Per row, the mean of the other rows of its group (uniform for a group of one)."""
    groups = np.asarray(groups).reshape(-1)
    if np.all(groups[1:] >= groups[:-1]):  # sections in reading order: number the runs
        group_of = np.zeros(len(groups), dtype=np.intp)
        group_of[1:] = np.cumsum(groups[1:] != groups[:-1])
        sizes = np.bincount(group_of)
    else:
        _, group_of, sizes = np.unique(groups, return_inverse=True, return_counts=True)
        group_of = group_of.reshape(-1)
    # each group's column sums, row after row from 0 (as a sum over axis 0 adds them), all groups at once
    totals = np.stack([np.bincount(group_of, column, minlength=len(sizes)) for column in probabilities.T], axis=1)
    others = (sizes - 1)[group_of]
    out = (totals[group_of] - probabilities) / np.maximum(others, 1)[:, None]
    out[others == 0] = uniform
    return out


def document_runs(documents: Sequence[Any]) -> Iterator[Tuple[int, int]]:
    """``(start, end)`` of each run of equal entries of ``documents`` (a document's rows are
    contiguous and in reading order)."""
    start = 0
    while start < len(documents):
        end = start
        while end < len(documents) and documents[end] == documents[start]:
            end += 1
        yield start, end
        start = end


def _width(k: int, paragraphs: Optional[Sequence[int]]) -> int:
    """Columns of :func:`document_features` for ``k`` labels (seven blocks with the paragraph's)."""
    return (6 if paragraphs is None else 7) * k + 1


def document_features(probabilities: np.ndarray, headings: Sequence[bool],
                      paragraphs: Optional[Sequence[int]] = None) -> np.ndarray:
    """The context features of one document's sentences (rows of ``probabilities``, in order);
    with ``paragraphs`` (:func:`paragraph_ids`), the mean of the sentence's paragraph too: a
    paragraph of a report usually tells one piece of work."""
    p = np.asarray(probabilities, dtype=np.float64)
    n, k = p.shape
    if n == 0:
        return np.zeros((0, _width(k, paragraphs)))
    uniform = np.full(k, 1.0 / k)
    own = np.log(np.clip(p, _FLOOR, 1.0))
    before = np.vstack([uniform, p[:-1]])
    after = np.vstack([p[1:], uniform])
    section = _mean_of_others(p, np.array(section_ids(headings)), uniform)
    paragraph = [] if paragraphs is None else [_mean_of_others(p, np.asarray(paragraphs), uniform)]
    document = _mean_of_others(p, np.zeros(n, dtype=int), uniform)
    heading = np.asarray(headings, dtype=np.float64).reshape(-1, 1)
    return np.hstack([own, before, after, section, *paragraph, document, heading, heading * own])


class ContextLayer:
    """Softmax regression over :func:`document_features`; ``classes`` in the sentence model's order."""

    def __init__(self, classes: Sequence[str], coef: np.ndarray, intercept: np.ndarray,
                 format: str = FORMAT) -> None:
        self.classes = [str(c) for c in classes]
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.format = format

    @property
    def reads_paragraphs(self) -> bool:
        return self.format != FORMATS[0]

    def predict_proba(self, probabilities: np.ndarray, headings: Sequence[bool],
                      paragraphs: Optional[Sequence[int]] = None) -> np.ndarray:
        if not self.reads_paragraphs:
            return self.predict_features(document_features(probabilities, headings, None))
        return self.predict_features(page_features(probabilities, headings, paragraphs))

    def predict_features(self, features: np.ndarray) -> np.ndarray:
        """Probabilities from rows of :func:`document_features`."""
        return softmax_rows(features @ self.coef.T + self.intercept)

    def to_dict(self) -> Dict[str, Any]:
        return {"format": self.format, "classes": self.classes, "coef": self.coef.tolist(),
                "intercept": self.intercept.tolist()}

    @classmethod
    def from_dict(cls, data: Optional[Dict[str, Any]]) -> Optional[Any]:
        """The layer a model card holds: this softmax regression, or the boosted trees of
        :mod:`reportie.context_trees`, alone or blended with it (same inputs, same ``predict_proba``)."""
        if not data:
            return None
        from .context_trees import BLEND_FORMAT, FORMAT as TREES, BlendedContextLayer, TreeContextLayer

        if data.get("format") == TREES:
            return TreeContextLayer.from_dict(data)
        if data.get("format") == BLEND_FORMAT:
            return BlendedContextLayer.from_dict(data)
        if data.get("format") not in FORMATS:
            raise ValueError(f"unknown context layer format {data.get('format')!r} "
                             f"(expected one of {', '.join(FORMATS + (TREES, BLEND_FORMAT))})")
        return cls(data["classes"], np.array(data["coef"]), np.array(data["intercept"]), data["format"])


def fit_context_layer(probabilities: np.ndarray, labels: Sequence[str], documents: Sequence[str],
                      headings: Sequence[bool], classes: Sequence[str], C: float = 0.3,
                      paragraphs: Optional[Sequence[int]] = None) -> ContextLayer:
    """Fit the layer on out-of-fold sentence probabilities; ``documents`` gives each row's
    document (rows of a document contiguous and in reading order), ``paragraphs`` its paragraph
    within the document (None: a layer of the first format, without the paragraph's mean)."""
    from sklearn.linear_model import LogisticRegression

    features = stack_documents(probabilities, documents, headings, paragraphs)
    # No class weights: the sentence model already weighs the rare labels up (balanced), and
    # weighing them again here over-predicted them (self_building precision 0.65 on the dev corpus).
    model = LogisticRegression(C=C, max_iter=5000, random_state=0)
    model.fit(features, np.asarray(labels))
    coef, intercept = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # one row for the second label: as a softmax, the first's is zero
        coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
    order = [list(model.classes_).index(c) for c in classes]
    return ContextLayer(classes, coef[order], intercept[order],
                        FORMATS[0] if paragraphs is None else FORMAT)


def page_features(probabilities: np.ndarray, headings: Sequence[bool],
                  paragraphs: Optional[Sequence[int]] = None) -> np.ndarray:
    """:func:`document_features` of one page with its paragraphs; when no line breaks are known
    (``None``), each sentence is a paragraph of its own."""
    return document_features(probabilities, headings, range(len(headings)) if paragraphs is None else paragraphs)


def read_pages(layer: Any, probabilities: np.ndarray, documents: np.ndarray, headings: np.ndarray,
               paragraphs: np.ndarray) -> np.ndarray:
    """``layer.predict_proba`` of each document (a run of rows) on its own, as ``extract()`` reads
    a page: its own neighbours, paragraphs, sections and document mean."""
    out = np.zeros_like(probabilities)
    for start, end in document_runs(documents):
        out[start:end] = layer.predict_proba(probabilities[start:end], list(headings[start:end]),
                                             list(paragraphs[start:end]))
    return out


def stack_documents(probabilities: np.ndarray, documents: Sequence[str], headings: Sequence[bool],
                    paragraphs: Optional[Sequence[int]] = None) -> np.ndarray:
    """:func:`document_features` of every document, rows in the input order."""
    out = np.zeros((len(documents), _width(probabilities.shape[1], paragraphs)))
    for start, end in document_runs(np.asarray(documents)):
        out[start:end] = document_features(probabilities[start:end], list(headings[start:end]),
                                           None if paragraphs is None else list(paragraphs[start:end]))
    return out
