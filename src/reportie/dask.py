"""Extraction on a Dask cluster (optional extra: ``pip install 'reportie[dask]'``).

>>> from dask.distributed import Client
>>> from reportie.dask import extract_bag, extract_frames
>>> client = Client()                                   # or Client("tcp://scheduler:8786")
>>> bag = extract_bag(sorted(Path("reports").glob("*.txt")), npartitions=16)
>>> bag.pluck("year").frequencies().compute()
>>> frames = extract_frames(paths)                      # Frames of dask DataFrames
>>> sentences, quantities, summary = dask.compute(*frames)   # one pass over the corpus

Work is split into partitions of whole reports; each task runs ``extract_many`` (spaCy's
``nlp.pipe``) over its partition. The pipeline is built once per worker process and cached
there (``reportie.load()`` keeps it for the life of the process), so only paths or texts and
plain result dicts travel between processes, never spaCy objects. Paths are read on the
workers: on a multi-machine cluster they must be visible there (a shared file system), or pass
the texts themselves. Workers need the segmentation model too: the first task on each worker
fetches it unless ``REPORTIE_HOME`` or ``REPORTIE_PKUSEG_MODEL`` point at a copy they can read
(call ``load_on_workers(client)`` to do this up front).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional

try:
    import dask
    import dask.bag as db
    import dask.dataframe as dd
except ImportError as error:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        f"reportie.dask needs dask: pip install 'reportie[dask]' (dask[bag,dataframe] and distributed); "
        f"importing it failed with: {error}"
    ) from None

from .reading import TextOrPath
from .report import Report

if TYPE_CHECKING:
    import pandas as pd

    from .frames import Frames

__all__ = ["as_reports", "extract_bag", "extract_frames", "load_on_workers"]

# Column dtypes of the three tables. Every partition is cast to them, so that partitions agree
# with each other and with the dask metadata whatever their missing values (text columns are
# ``object`` here, which dask may then convert to its string dtype).
_INT = "int64"
_FLOAT = "float64"
_SCHEMAS: Dict[str, Dict[str, str]] = {
    "sentences": {"year": "Int64", "sentence": _INT, "start": _INT, "end": _INT, "heading": "bool",
                  "score": _FLOAT},
    "quantities": {"year": "Int64", "start": _INT, "end": _INT, "value": _FLOAT, "low": _FLOAT,
                   "high": _FLOAT, "sentence": _INT},
    "summary": {"year": "Int64", "sentences": "Int64", "char_share": _FLOAT, "value": _FLOAT,
                "n_values": "Int64", "additive": "boolean", "repeated": "Int64", "parts": "Int64"},
}


def _items(paths_or_texts: Any) -> List[TextOrPath]:
    if isinstance(paths_or_texts, (str, bytes, os.PathLike)):
        return [paths_or_texts]  # one report, not an iterable of characters
    return list(paths_or_texts)


def _extract_partition(items: Iterable[TextOrPath], include_text: bool = True) -> List[Dict[str, Any]]:
    """Run on a worker: extract one partition with the worker's cached pipeline."""
    from .corpus import extract_many

    return [report.to_dict(include_text=include_text) for report in extract_many(list(items))]


def extract_bag(
    paths_or_texts: Iterable[TextOrPath],
    npartitions: Optional[int] = None,
    *,
    include_text: bool = True,
) -> "db.Bag":
    """A ``dask.bag.Bag`` of ``Report.to_dict()`` records, one per input, in input order.

    ``paths_or_texts`` is a sequence of paths (``str`` or ``Path``) or report texts, as for
    ``reportie.extract_many``. ``npartitions`` defaults to dask's choice (one report per
    partition for fewer than 100 inputs); fewer, larger partitions amortise task overhead on big
    corpora. ``include_text=False`` leaves the report text out of the records. Turn records back
    into ``Report`` objects with ``bag.map(Report.from_dict)``.

    Nothing runs until you call ``.compute()`` (or another dask action) on the bag.
    """
    items = _items(paths_or_texts)
    bag = db.from_sequence(items, npartitions=npartitions)
    return bag.map_partitions(_extract_partition, include_text=include_text)


def _typed(frame: "pd.DataFrame", table: str) -> "pd.DataFrame":
    schema = _SCHEMAS[table]
    casts = {column: schema.get(column, "object") for column in frame.columns}
    return frame.astype(casts)


def _partition_frames(items: Iterable[TextOrPath]) -> tuple:
    """Run on a worker: the three pandas tables of one partition, with fixed dtypes."""
    from .corpus import extract_many
    from .frames import to_frame

    frames = to_frame(list(extract_many(list(items))))
    return tuple(_typed(frame, name) for name, frame in frames._asdict().items())


def _empty_frames() -> "Frames":
    from .frames import Frames, to_frame

    return Frames(*(_typed(frame, name) for name, frame in to_frame([])._asdict().items()))


def extract_frames(
    paths_or_texts: Iterable[TextOrPath],
    npartitions: Optional[int] = None,
    *,
    compute: bool = False,
) -> "Frames":
    """``Frames(sentences, quantities, summary)`` like ``reportie.to_frame``, built on the cluster.

    By default the three tables are lazy ``dask.dataframe.DataFrame``\\ s, one partition per
    bag partition. They share their extraction tasks: compute them together
    (``dask.compute(*frames)``) or ``persist`` them so that each report is extracted once.
    ``compute=True`` does exactly that and returns pandas DataFrames (the same rows as
    ``reportie.to_frame(reportie.extract_many(...))``, with a fresh index).

    Column dtypes are fixed per table (``year`` is a nullable ``Int64``, offsets ``int64``,
    numbers ``float64``), so that every partition matches the metadata; text columns become
    whatever dask makes of strings (pyarrow strings under dask's default
    ``dataframe.convert-string`` setting, missing values as ``<NA>``).
    """
    from dask import delayed

    items = _items(paths_or_texts)
    empty = _empty_frames()
    if not items:
        frames = empty if compute else type(empty)(*(dd.from_pandas(f, npartitions=1) for f in empty))
        return frames
    parts = db.from_sequence(items, npartitions=npartitions).to_delayed()
    tables = [delayed(_partition_frames, pure=True)(part) for part in parts]
    lazy = type(empty)(*(
        dd.from_delayed([table[position] for table in tables], meta=empty[position], verify_meta=True)
        for position in range(3)
    ))
    if not compute:
        return lazy
    return type(empty)(*(frame.reset_index(drop=True) for frame in dask.compute(*lazy)))


def load_on_workers(client: Any) -> Dict[str, str]:
    """Build (and cache) the pipeline on every worker of a ``distributed.Client`` now, rather
    than in the first task; returns each worker's reportie version. Fetches the segmentation
    model on workers that do not have it yet."""

    def _load() -> str:
        import reportie

        reportie.load()
        return reportie.__version__

    return client.run(_load)


def as_reports(bag: "db.Bag") -> "db.Bag":
    """``bag.map(Report.from_dict)``: the records of ``extract_bag`` as ``Report`` objects."""
    return bag.map(Report.from_dict)
