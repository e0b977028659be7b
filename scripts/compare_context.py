"""Compare context layers by grouped K-fold cross-validation on the annotated documents.

    python scripts/compare_context.py [--seeds 0 1 2] [--folds 10]

The real documents (seeds, dev corpus) are dealt into K folds by a seeded shuffle, the authored
pages and reports into K folds of their own; for each fold the sentence model is trained on the
other folds and scores this one, then each context layer (the softmax regression, the boosted
trees, their mean) is fitted on the other folds' out-of-fold probabilities and re-reads this
fold's, and the page head is settled as ``other``, as ``reportie evaluate`` does. Prints the dev
corpus's and the seeds' macro-F1 and the dev corpus's expected calibration error per layer and
fold seed. This is how the shipped layer (the mean) was chosen; ``reportie evaluate`` gives the
leave-one-document-out figures of the shipped choice. About 3 minutes per fold seed on 2 cores.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from reportie.context import document_runs, fit_context_layer
from reportie.context_trees import fit_tree_context_layer
from reportie.training import (build_training_set, expected_calibration_error, held_out_probabilities,
                               settle_page_heads)


def folds_of(data, k: int, seed: int) -> np.ndarray:
    """A fold per row (-1: a lone authored sentence, always trained on)."""
    source = dict(zip(data.groups, data.sources))
    fold = {}
    for real in (True, False):  # the real documents' folds do not move when authored pages are added
        groups = sorted(g for g in set(data.groups) - {"authored"} if (source[g] != "authored") == real)
        order = np.random.RandomState(seed).permutation(len(groups))
        fold.update({groups[j]: i % k for i, j in enumerate(order)})
    return np.array([fold.get(g, -1) for g in data.groups])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--annotations", type=Path, default=Path("annotations"))
    args = parser.parse_args()
    data = build_training_set(args.annotations, None, progress=False)
    X, y = np.stack(data.rows), np.array(data.labels)
    classes = sorted(set(data.labels))
    documents, headings = np.array(data.documents), np.array(data.headings)
    paragraphs, sources = np.array(data.paragraphs), np.array(data.sources)
    print(f"{len(y)} sentences; {args.folds} folds; dev corpus macro-F1 / seeds macro-F1 / dev corpus ECE")
    for seed in args.seeds:
        folds = folds_of(data, args.folds, seed)
        predicted = folds >= 0
        probabilities = held_out_probabilities(X, y, [folds == k for k in range(args.folds)], classes)
        layers = {"regression": np.zeros_like(probabilities), "trees": np.zeros_like(probabilities)}
        for k in range(args.folds):
            test, train = folds == k, predicted & (folds != k)
            fitted = {"regression": fit_context_layer(probabilities[train], y[train], documents[train],
                                                      list(headings[train]), classes, paragraphs=list(paragraphs[train])),
                      "trees": fit_tree_context_layer(probabilities[train], y[train], documents[train],
                                                      list(headings[train]), classes, list(paragraphs[train]))}
            rows = np.flatnonzero(test)  # whole documents, each contiguous
            for name, layer in fitted.items():
                for first, last in document_runs(documents[rows]):
                    page = rows[first:last]
                    layers[name][page] = layer.predict_proba(probabilities[page], list(headings[page]),
                                                             list(paragraphs[page]))
        layers["mean"] = (layers["regression"] + layers["trees"]) / 2
        for name, out in layers.items():
            settled = settle_page_heads(data, out, classes)
            predicted_labels = np.array(classes)[settled.argmax(axis=1)]
            dev, seeds = predicted & (sources == "dev-corpus"), predicted & (sources == "seed")
            print(f"fold seed {seed}  {name:10}  {f1_score(y[dev], predicted_labels[dev], average='macro'):.4f}  "
                  f"{f1_score(y[seeds], predicted_labels[seeds], average='macro'):.4f}  "
                  f"{expected_calibration_error(y[dev], settled[dev], classes):.4f}", flush=True)


if __name__ == "__main__":
    main()
