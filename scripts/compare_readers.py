"""Compare the sentence model's readers by grouped K-fold cross-validation on the annotated documents.

    python scripts/compare_readers.py [--seeds 0 1 2] [--folds 10]

The folds are those of ``scripts/compare_context.py``. For each fold the sentence model
(``training.make_estimator``: a reader of the sentence with its context, a reader of the sentence
alone, their mean) is trained on the other folds and scores this one; each reader's
probabilities, and their mean, then go through the shipped context layer (fitted on the other
folds' out-of-fold probabilities) and the page-head settling, as ``reportie evaluate`` does.
Prints the dev corpus's and the seeds' macro-F1 and the dev corpus's expected calibration error
per reader and fold seed. This is how the second reader was chosen. About 2 minutes per fold seed
on 2 cores.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from compare_context import folds_of, print_scores, setup, through_layer

from reportie.context_trees import fit_blended_context_layer
from reportie.training import _aligned, fit_estimator


def main() -> None:
    args, data = setup(__doc__)
    X, y, classes = np.stack(data.rows), np.array(data.labels), sorted(set(data.labels))
    for seed in args.seeds:
        folds = folds_of(data, args.folds, seed)
        names = ("context reader", "sentence reader", "mean (shipped)")
        readings = {name: np.zeros((len(y), len(classes))) for name in names}

        def fold(k: int):
            test = folds == k
            model = fit_estimator(X[~test], y[~test])
            # the readers were fitted on labels encoded as 0..k-1: their columns follow model.classes_
            order = [list(model.classes_).index(c) for c in classes]
            return test, [reader.predict_proba(X[test])[:, order] for reader in model.estimators_] + \
                [_aligned(model, X[test], classes)]

        with ThreadPoolExecutor(max_workers=2) as pool:
            for test, probabilities in pool.map(fold, range(args.folds)):
                for name, p in zip(names, probabilities):
                    readings[name][test] = p
        for name, probabilities in readings.items():
            print_scores(data, seed, name, through_layer(fit_blended_context_layer, probabilities, data, folds, args.folds),
                         folds)


if __name__ == "__main__":
    main()
