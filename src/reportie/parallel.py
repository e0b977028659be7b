"""Worker processes for ``extract_many(n_process>1)``: each holds the pipeline and sends back Reports.

spaCy's own ``nlp.pipe(n_process=...)`` ships every Doc back to the parent (``Doc.to_bytes`` in
the worker, ``Doc.from_bytes`` in the parent, about a tenth of the work) and the parent then
turns it into a Report. Here the workers turn their Docs into Reports themselves and send them
back as tuples of plain values (``reportie.wire``: far cheaper to unpickle than dataclasses), so
the parent only reads inputs, hands out batches and rebuilds the Reports.

Workers come from the platform's default start method. With ``fork`` (Linux) they inherit the
parent's loaded pipeline; with ``spawn`` each loads it once when it starts.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Iterable, Iterator, List, Optional, Tuple

from .report import Report
from .wire import Packed, pack, unpack

Item = Tuple[str, Optional[str]]  # (text, source path or None)

# Batches handed out ahead of the one being waited for, per worker: keeps every worker busy
# while bounding how much of the corpus sits in memory.
_AHEAD_PER_WORKER = 2


def _start_worker() -> None:
    from .pipeline import CLASSIFIER, load

    nlp = load()
    if CLASSIFIER in nlp.pipe_names:
        nlp.get_pipe(CLASSIFIER).model  # noqa: B018  (loads the lazy model now)


def _extract_batch(batch: List[Item]) -> List[Packed]:
    from .extraction import doc_to_report
    from .pipeline import load

    nlp = load()
    docs = nlp.pipe(text for text, _source in batch)
    return [pack(doc_to_report(doc, source)) for doc, (_text, source) in zip(docs, batch)]


def _batches(items: Iterable[Item], sizes: Iterator[int]) -> Iterator[List[Item]]:
    it = iter(items)
    while batch := list(islice(it, next(sizes))):
        yield batch


def extract_in_workers(items: Iterable[Item], n_process: int, sizes: Iterator[int]) -> Iterator[Report]:
    """Reports of ``items`` in input order, extracted by ``n_process`` worker processes in batches
    of the ``sizes`` given in turn (an endless iterator).

    The parent must have loaded the pipeline (with ``fork`` the workers share that copy).
    Stopping the iteration early cancels the batches not started and waits for the running
    ones; a worker that dies (killed, out of memory) raises ``BrokenProcessPool`` here rather
    than leaving the caller waiting (``concurrent.futures``, not ``multiprocessing.Pool``).
    """
    _start_worker()
    batches = _batches(items, sizes)
    pool = ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context(), initializer=_start_worker)
    try:
        # The workers fork on the first submit. Frozen, the parent's objects (the loaded pipeline)
        # are left alone by the workers' garbage collector, so their memory pages stay shared
        # instead of being copied into each worker on its first collection.
        gc.freeze()
        try:
            pending = deque(pool.submit(_extract_batch, batch)
                            for batch in islice(batches, n_process * _AHEAD_PER_WORKER))
        finally:
            gc.unfreeze()
        while pending:
            reports = pending.popleft().result()
            batch = next(batches, None)
            if batch is not None:
                pending.append(pool.submit(_extract_batch, batch))
            yield from map(unpack, reports)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
