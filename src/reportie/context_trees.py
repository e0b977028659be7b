"""The context layer as boosted trees blended with the softmax regression: the same document
features (:func:`reportie.context.document_features`) read by scikit-learn's
``HistGradientBoostingClassifier`` and by the linear layer, their probabilities averaged.

Why: a sentence's label often follows from a threshold on its context (a page whose sentences
are mostly about one deputy, an item under a supervision heading), which the regression can only
weigh linearly; the trees alone moved more from one split of the documents to another and were
less calibrated. Dev-corpus macro-F1 by grouped 10-fold cross-validation, mean of three fold
seeds (``python scripts/compare_context.py``), when the layer was chosen (one sentence reader,
200 authored pages): regression 0.904, trees 0.896, their mean 0.909, the steadiest across seeds
(expected calibration error 0.016-0.026). The trees are exported to plain arrays in the model card, so
prediction is numpy only and loading runs no pickle.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence, Union

import numpy as np

from .context import ContextLayer, fit_context_layer, page_features, softmax_rows, stack_documents

FORMAT = "reportie-context-trees/1"
BLEND_FORMAT = "reportie-context-blend/1"
# Settings chosen by grouped 10-fold cross-validation on the dev corpus (three fold seeds): larger
# trees (15 leaves, 100-200 rounds) scored alike but with calibration error above 0.05.
ITERATIONS = 100
LEARNING_RATE = 0.05
LEAF_NODES = 8


class TreeContextLayer:
    """Gradient-boosted trees over :func:`document_features`, one tree per label and round.

    The trees of all rounds are stored as one flat node table: ``feature``, ``threshold``,
    ``left``, ``right`` (indices into the table; a leaf points to itself) and ``value``;
    ``roots[r, k]`` is the root of round ``r``'s tree for label ``k``."""

    format = FORMAT
    reads_paragraphs = True

    def __init__(self, classes: Sequence[str], baseline: np.ndarray, roots: np.ndarray, feature: np.ndarray,
                 threshold: np.ndarray, left: np.ndarray, right: np.ndarray, value: np.ndarray) -> None:
        self.classes = [str(c) for c in classes]
        self.baseline = np.asarray(baseline, dtype=np.float64).reshape(-1)
        self.roots = np.asarray(roots, dtype=np.intp).reshape(-1, len(self.classes))
        self.feature = np.asarray(feature, dtype=np.intp)
        self.threshold = np.asarray(threshold, dtype=np.float64)
        self.left = np.asarray(left, dtype=np.intp)
        self.right = np.asarray(right, dtype=np.intp)
        self.value = np.asarray(value, dtype=np.float64)
        size = len(self.value)
        if not (len(self.feature) == len(self.threshold) == len(self.left) == len(self.right) == size) or \
                len(self.baseline) != len(self.classes) or not all(
                    ((a >= 0) & (a < size)).all() for a in (self.roots, self.left, self.right)) or \
                (self.feature < 0).any():
            raise ValueError("corrupt tree context layer: its node table does not hold together")
        self._depth = _depth(self.roots, self.left, self.right)
        self._widest = int(self.feature.max(initial=0))
        self._children = np.stack([self.right, self.left], axis=1)  # [node, goes left]

    def predict_proba(self, probabilities: np.ndarray, headings: Sequence[bool],
                      paragraphs: Optional[Sequence[int]] = None) -> np.ndarray:
        return self.predict_features(page_features(probabilities, headings, paragraphs))

    def predict_features(self, features: np.ndarray) -> np.ndarray:
        n, width = features.shape
        if self._widest >= width:
            raise ValueError(f"the tree context layer reads feature {self._widest}, the rows have {width}")
        flat = np.ascontiguousarray(features, dtype=np.float64).ravel()
        row_starts = (np.arange(n) * width)[:, None]
        nodes = np.broadcast_to(self.roots.reshape(1, -1), (n, self.roots.size))
        for _ in range(self._depth):  # every tree walked one level at a time, all rows at once
            goes_left = flat[row_starts + self.feature[nodes]] <= self.threshold[nodes]
            nodes = self._children[nodes, goes_left.view(np.int8)]
        return softmax_rows(self.value[nodes].reshape(n, -1, len(self.classes)).sum(axis=1) + self.baseline)

    def to_dict(self) -> Dict[str, Any]:
        return {"format": self.format, "classes": self.classes, "baseline": self.baseline.tolist(),
                "roots": self.roots.tolist(), "feature": self.feature.tolist(),
                "threshold": self.threshold.tolist(), "left": self.left.tolist(),
                "right": self.right.tolist(), "value": self.value.tolist()}

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "TreeContextLayer":
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown context layer format {data.get('format')!r} (expected {FORMAT})")
        try:
            return cls(data["classes"], np.array(data["baseline"]), np.array(data["roots"]),
                       np.array(data["feature"]), np.array(data["threshold"]), np.array(data["left"]),
                       np.array(data["right"]), np.array(data["value"]))
        except (KeyError, TypeError) as error:
            raise ValueError(f"corrupt tree context layer: {error!r}") from None


def _depth(roots: np.ndarray, left: np.ndarray, right: np.ndarray) -> int:
    """The most steps from a root to a leaf (a leaf points to itself, so extra steps are harmless)."""
    depth, level = 0, np.unique(roots)
    while True:
        inner = level[left[level] != level]
        if not len(inner):
            return depth
        depth += 1
        level = np.unique(np.concatenate([left[inner], right[inner]]))


def fit_tree_context_layer(probabilities: np.ndarray, labels: Sequence[str], documents: Sequence[str],
                           headings: Sequence[bool], classes: Sequence[str],
                           paragraphs: Sequence[int]) -> TreeContextLayer:
    """Fit on out-of-fold sentence probabilities (as :func:`reportie.context.fit_context_layer`)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    features = stack_documents(probabilities, documents, headings, paragraphs)
    model = HistGradientBoostingClassifier(max_iter=ITERATIONS, learning_rate=LEARNING_RATE,
                                           max_leaf_nodes=LEAF_NODES, early_stopping=False, random_state=0)
    model.fit(features, np.asarray(labels))
    return export(model, classes)


def export(model: Any, classes: Sequence[str]) -> TreeContextLayer:
    """A fitted ``HistGradientBoostingClassifier`` (numeric features, no missing values) as a
    :class:`TreeContextLayer` whose labels are in ``classes`` order."""
    if len(model.classes_) == 2:
        raise ValueError("the tree context layer needs at least three labels")
    order = [list(model.classes_).index(c) for c in classes]
    # _predictors and _baseline_prediction are scikit-learn's private fields (checked against its
    # predict_proba by tests/test_context_layer.py); only training reads them, never prediction.
    feature, threshold, left, right, value, roots = [], [], [], [], [], []
    offset = 0
    for round_trees in model._predictors:  # one TreePredictor per label and round
        trees = [round_trees[j] for j in order]
        roots.append([])
        for tree in trees:
            nodes = tree.nodes
            leaf = nodes["is_leaf"].astype(bool)
            index = np.arange(len(nodes)) + offset
            roots[-1].append(offset)
            feature.append(np.where(leaf, 0, nodes["feature_idx"]))
            threshold.append(np.where(leaf, 0.0, nodes["num_threshold"]))
            left.append(np.where(leaf, index, nodes["left"] + offset))
            right.append(np.where(leaf, index, nodes["right"] + offset))
            value.append(np.where(leaf, nodes["value"], 0.0))
            offset += len(nodes)
    baseline = np.asarray(model._baseline_prediction, dtype=np.float64).reshape(-1)[order]
    return TreeContextLayer(classes, baseline, np.array(roots), np.concatenate(feature), np.concatenate(threshold),
                            np.concatenate(left), np.concatenate(right), np.concatenate(value))


class BlendedContextLayer:
    """The mean of the softmax-regression layer's and the trees' probabilities."""

    format = BLEND_FORMAT
    reads_paragraphs = True

    def __init__(self, linear: ContextLayer, trees: TreeContextLayer) -> None:
        if list(linear.classes) != list(trees.classes):
            raise ValueError(f"blended context layers disagree on labels: {linear.classes} vs {trees.classes}")
        self.linear, self.trees = linear, trees
        self.classes = list(trees.classes)

    def predict_proba(self, probabilities: np.ndarray, headings: Sequence[bool],
                      paragraphs: Optional[Sequence[int]] = None) -> np.ndarray:
        features = page_features(probabilities, headings, paragraphs)
        linear = self.linear.predict_features(features)
        return (linear + self.trees.predict_features(features)) / 2

    def to_dict(self) -> Dict[str, Any]:
        return {"format": self.format, "classes": self.classes, "linear": self.linear.to_dict(),
                "trees": self.trees.to_dict()}

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "BlendedContextLayer":
        if data.get("format") != BLEND_FORMAT:
            raise ValueError(f"unknown context layer format {data.get('format')!r} (expected {BLEND_FORMAT})")
        linear = ContextLayer.from_dict(data.get("linear"))
        if not isinstance(linear, ContextLayer) or not linear.reads_paragraphs:
            raise ValueError("a blended context layer holds a reportie-context/2 layer")
        return cls(linear, TreeContextLayer.from_dict(data.get("trees") or {}))


def fit_blended_context_layer(probabilities: np.ndarray, labels: Sequence[str], documents: Sequence[str],
                              headings: Sequence[bool], classes: Sequence[str],
                              paragraphs: Sequence[int]) -> Union[BlendedContextLayer, ContextLayer]:
    """Both layers fitted on the same out-of-fold sentence probabilities (the regression alone
    when the documents hold fewer than three labels: the export reads one tree per label)."""
    linear = fit_context_layer(probabilities, labels, documents, headings, classes, paragraphs=paragraphs)
    if len(set(labels)) < 3:
        return linear
    trees = fit_tree_context_layer(probabilities, labels, documents, headings, classes, paragraphs)
    return BlendedContextLayer(linear, trees)
