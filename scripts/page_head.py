"""Count the page-head lines (``reportie.pagehead``) of every annotated document and their gold labels.

    python scripts/page_head.py [--show]

Runs the annotated documents through the pipeline as training does (``build_training_set``)
and prints, per source, how many sentences the rule takes as page head and their gold labels:
the evidence for settling them as ``other``. ``--show`` lists head lines whose gold is not ``other``.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(show: bool) -> None:
    from reportie.context import document_runs
    from reportie.pagehead import page_head
    from reportie.training import build_training_set

    data = build_training_set(ROOT / "annotations", ROOT / "seeds")
    by_source: dict = defaultdict(Counter)
    for start, end in document_runs(data.documents):
        head = page_head([str(row[0]) for row in data.rows[start:end]])
        for index in range(start, end):
            if head[index - start]:
                by_source[data.sources[index]][data.labels[index]] += 1
                if show and data.labels[index] != "other":
                    print(f"{data.documents[index]}\t{data.labels[index]}\t{data.texts[index]}")
    for source, labels in sorted(by_source.items()):
        total = sum(labels.values())
        print(f"{source}: {total} head lines, " + ", ".join(f"{k} {v}" for k, v in labels.most_common()))


if __name__ == "__main__":
    main("--show" in sys.argv[1:])
