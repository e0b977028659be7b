"""Many reports at once: ``extract_many`` streams ``Report``s in input order (``nlp.pipe`` in this
process, or worker processes that return Reports: ``reportie.parallel``)."""

from __future__ import annotations

import math
import sys
from itertools import repeat
from typing import Iterable, Iterator, List, Optional, Tuple

from .extraction import doc_to_report
from .reading import TextOrPath, read_input
from .report import Report

DEFAULT_BATCH_SIZE = 8
_PARTS_PER_WORKER = 3  # a batch is at most a third of a worker's share of the inputs left


def _sized(items: Iterable[TextOrPath]) -> Optional[int]:
    try:
        return len(items)  # type: ignore[arg-type]
    except TypeError:
        return None


def extract_many(
    paths_or_texts: Iterable[TextOrPath],
    *,
    n_process: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: bool = False,
) -> Iterator[Report]:
    """Extract many reports lazily, in input order, with ``n_process`` worker processes.

    Inputs are read one at a time as the pipeline asks for them, so memory does not grow with
    the corpus. With ``n_process > 1`` worker processes extract batches of at most ``batch_size``
    inputs (on a list, shrinking to one input at the end, so that the workers finish together)
    and send back finished Reports. ``progress=True`` shows a progress bar on stderr. A missing
    or binary file raises ``reportie.InputError`` naming it.
    """
    if n_process < 1:
        raise ValueError(f"n_process must be at least 1, got {n_process}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    from .pipeline import load

    nlp = load()
    total = _sized(paths_or_texts)

    def items() -> Iterator[Tuple[str, Optional[str]]]:
        for item in paths_or_texts:
            yield read_input(item)

    if n_process > 1:
        from .parallel import extract_in_workers

        reports = extract_in_workers(items(), n_process, _batch_sizes(total, n_process, batch_size))
    else:
        reports = _extract_here(nlp, items(), batch_size)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="report", file=sys.stderr, desc="reportie")
    try:
        for report in reports:
            yield report
            if bar is not None:
                bar.update(1)
    finally:
        reports.close()
        if bar is not None:
            bar.close()


def _batch_sizes(total: Optional[int], n_process: int, batch_size: int) -> Iterator[int]:
    """Sizes of the batches handed to the workers, without end: ``batch_size``, or on a corpus of
    known size at most a third of each worker's share of the inputs left (guided self-scheduling),
    so that batches shrink to one input at the end and no worker is left finishing a long last
    batch alone, with few batches before that (each costs the parent about half a millisecond)."""
    if total is None:
        yield from repeat(batch_size)  # endless
        return
    left = total
    while True:
        size = max(1, min(batch_size, math.ceil(left / (_PARTS_PER_WORKER * n_process))))
        yield size
        left = max(0, left - size)


def _extract_here(nlp, items: Iterator[Tuple[str, Optional[str]]], batch_size: int) -> Iterator[Report]:
    sources: List[Optional[str]] = []

    def texts() -> Iterator[str]:
        for text, source in items:
            sources.append(source)
            yield text

    for index, doc in enumerate(nlp.pipe(texts(), batch_size=batch_size)):
        source = sources[index]
        sources[index] = None  # drop the reference: memory stays flat over long runs
        yield doc_to_report(doc, source)
