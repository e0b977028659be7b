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
from typing import Any, Callable, Tuple

import numpy as np
from sklearn.metrics import f1_score

from reportie.context import fit_context_layer, read_pages
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


def setup(description: str) -> Tuple[argparse.Namespace, Any]:
    """The command line (fold seeds, number of folds, annotations) and the training set."""
    parser = argparse.ArgumentParser(description=description.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--annotations", type=Path, default=Path("annotations"))
    args = parser.parse_args()
    data = build_training_set(args.annotations, None, progress=False)
    print(f"{len(data.labels)} sentences; {args.folds} folds; dev corpus macro-F1 / seeds macro-F1 / dev corpus ECE")
    return args, data


def through_layer(fit: Callable[..., Any], probabilities: np.ndarray, data, folds: np.ndarray, k: int) -> np.ndarray:
    """Each fold's probabilities re-read page by page by a layer ``fit`` on the other folds'."""
    y, documents, headings = np.array(data.labels), np.array(data.documents), np.array(data.headings)
    paragraphs, classes = np.array(data.paragraphs), sorted(set(data.labels))
    out = np.zeros_like(probabilities)
    for fold in range(k):
        test, train = folds == fold, (folds >= 0) & (folds != fold)
        layer = fit(probabilities[train], y[train], documents[train], list(headings[train]), classes,
                    list(paragraphs[train]))
        out[test] = read_pages(layer, probabilities[test], documents[test], headings[test], paragraphs[test])
    return out


def print_scores(data, seed: int, name: str, probabilities: np.ndarray, folds: np.ndarray) -> None:
    """Dev corpus and seeds macro-F1 and the dev corpus's ECE, after the page head is settled."""
    y, sources, classes = np.array(data.labels), np.array(data.sources), sorted(set(data.labels))
    settled = settle_page_heads(data, probabilities, classes)
    labels = np.array(classes)[settled.argmax(axis=1)]
    dev, seeds = (folds >= 0) & (sources == "dev-corpus"), (folds >= 0) & (sources == "seed")
    print(f"fold seed {seed}  {name:16}  {f1_score(y[dev], labels[dev], average='macro'):.4f}  "
          f"{f1_score(y[seeds], labels[seeds], average='macro'):.4f}  "
          f"{expected_calibration_error(y[dev], settled[dev], classes):.4f}", flush=True)


def main() -> None:
    args, data = setup(__doc__)
    X, y, classes = np.stack(data.rows), np.array(data.labels), sorted(set(data.labels))
    for seed in args.seeds:
        folds = folds_of(data, args.folds, seed)
        probabilities = held_out_probabilities(X, y, [folds == k for k in range(args.folds)], classes)
        layers = {
            "regression": through_layer(lambda *a: fit_context_layer(*a[:5], paragraphs=a[5]), probabilities, data,
                                        folds, args.folds),
            "trees": through_layer(fit_tree_context_layer, probabilities, data, folds, args.folds),
        }
        layers["mean"] = (layers["regression"] + layers["trees"]) / 2
        for name, out in layers.items():
            print_scores(data, seed, name, out, folds)


if __name__ == "__main__":
    main()
