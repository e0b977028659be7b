"""Many reports at once: ``extract_many`` streams ``Report``s in input order via ``nlp.pipe``."""

from __future__ import annotations

import sys
from typing import Iterable, Iterator, Optional

from .extraction import doc_to_report
from .reading import TextOrPath, read_input
from .report import Report

DEFAULT_BATCH_SIZE = 8


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
    the corpus. ``progress=True`` shows a progress bar on stderr. A missing or binary file raises
    ``reportie.InputError`` naming it.
    """
    if n_process < 1:
        raise ValueError(f"n_process must be at least 1, got {n_process}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    from .pipeline import load

    nlp = load()
    if n_process > 1 and "report_classifier" in nlp.pipe_names:
        # Load the classifier's model (lazy) before spaCy forks its workers: they then share
        # this copy instead of each loading its own.
        nlp.get_pipe("report_classifier").model  # noqa: B018
    total = _sized(paths_or_texts)
    sources: list = []

    def texts() -> Iterator[str]:
        for item in paths_or_texts:
            text, source = read_input(item)
            sources.append(source)
            yield text

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="report", file=sys.stderr, desc="reportie")
    try:
        for index, doc in enumerate(nlp.pipe(texts(), n_process=n_process, batch_size=batch_size)):
            source = sources[index]
            sources[index] = None  # drop the reference: memory stays flat over long runs
            yield doc_to_report(doc, source)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
