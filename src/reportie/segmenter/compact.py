"""Compaction: the lean model (reportie's format) from the full one. Features whose weights hardly
differ across tags are dropped, the kept weights centred, rounded and shared between features;
the unigram and bigram lists keep only the words a kept feature uses."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from .base import (
    _FETCH_HINT, DEFAULT_QUANTUM, DEFAULT_THRESHOLD, LEAN_FORMAT, ModelError, _join_lines, _npy_bytes, _Writer,
)
from .verify import _load_weights_npz


def _compact_arrays(
    w: np.ndarray, n_tag: int, n_feature: int, threshold: float, quantum: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Choose the features to keep and share their weight rows.

    Returns ``(kept, rows, table)``: ``kept`` are the indices (ascending) of
    the features kept, ``rows[j]`` is the row of ``table`` (``n_rows x n_tag``)
    holding the node weights of feature ``kept[j]``.

    A feature adds its ``n_tag`` node weights to the tag scores of a character,
    so adding one constant to all of them moves every Viterbi path by the same
    amount: only their differences count. Hence each feature's weights are
    centred (exact, bar rounding), a feature is dropped when
    ``max(w) - min(w) < threshold``, and the centred weights are rounded to
    multiples of ``quantum`` so that features with equal rounded weights share
    one row (and one index). Feature 0 (``$$``, present at every character,
    hard-wired as index 0 in spacy_pkuseg) is always kept, unrounded, as row 0.
    """
    node = w[: n_feature * n_tag].reshape(n_feature, n_tag)
    keep = (node.max(axis=1) - node.min(axis=1)) >= threshold
    keep[0] = True
    kept = np.flatnonzero(keep)
    centred = node[kept] - node[kept].mean(axis=1, keepdims=True)
    if quantum > 0:
        rounded = np.round(centred[1:] / quantum) * quantum
        uniq, inverse = np.unique(rounded, axis=0, return_inverse=True)
        table = np.vstack([centred[:1], uniq])
        rows = np.concatenate([[0], inverse.reshape(-1) + 1])
    else:
        table = centred
        rows = np.arange(len(kept))
    return kept, rows.astype(np.uint32), table


def _prune_unigram(unigram: set[str], kept_keys: list[str]) -> set[str]:
    """The unigram words some kept feature mentions (exactly equivalent for cut()).

    At run time a text slice that is a unigram word yields the keys
    ``w-1.<w>``/``w1.<w>`` and takes part in ``ww.l./ww.r.<a>*<b>`` keys; a slice
    that is not becomes ``**noWord``. So a word that no kept key mentions can be
    dropped: its keys are absent either way, provided no kept key mentions
    ``**noWord`` (then nothing is pruned).
    """
    used: set[str] = set()
    for k in kept_keys:
        if k.startswith(("w-1.", "w1.")):
            used.add(k.split(".", 1)[1])
        elif k.startswith(("ww.l.", "ww.r.")):
            parts = k[5:].split("*")
            if len(parts) != 2 or "**noWord" in k:
                return unigram
            used.update(parts)
    return unigram & used


def _lean_payload(
    keys: list[str],
    unigram: Iterable[str],
    bigram: Iterable[str],
    tag_to_idx: dict[str, int],
    w: np.ndarray,
    n_tag: int,
    threshold: float,
    quantum: float,
    source: dict[str, Any],
) -> dict[str, bytes]:
    """The files of a lean model (relative name -> bytes)."""
    n_feature = len(keys)
    kept, rows, table = _compact_arrays(w, n_tag, n_feature, threshold, quantum)
    kept_keys = [keys[i] for i in kept.tolist()]
    if kept_keys[0] != "$$":
        raise ModelError("the model's feature 0 is not '$$'; " + _FETCH_HINT)
    edge = w[n_feature * n_tag :]
    lean_w = np.concatenate([table.reshape(-1), edge]).astype(np.float32)
    # bigram only feeds the ww.l./ww.r. features (training): keep those a kept feature uses
    bigram_set = set(bigram)
    used = {k[5:] for k in kept_keys if k.startswith(("ww.l.", "ww.r."))}
    lean_bigram = sorted(used & bigram_set)
    lean_unigram = _prune_unigram(set(unigram), kept_keys)
    meta = {
        "format": LEAN_FORMAT,
        "n_tag": n_tag,
        "n_rows": int(table.shape[0]),
        "n_keys": len(kept_keys),
        "tag_to_idx": tag_to_idx,
        "threshold": threshold,
        "quantum": quantum,
        "criterion": "keep a feature if max(w)-min(w) over its tag weights >= threshold; "
        "weights centred per feature, rounded to multiples of quantum, equal rows shared",
        "features_full": n_feature,
        "bigram_full": len(bigram_set),
        "bigram_kept": len(lean_bigram),
        "unigram_full": len(set(unigram)),
        "unigram_kept": len(lean_unigram),
        "weights_dtype": "float32",
        "source": source,
    }
    return {
        "meta.json": json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"),
        "features.txt": _join_lines(kept_keys, "feature names"),
        "rows.npy": _npy_bytes(rows),
        "weights.npy": _npy_bytes(lean_w),
        "unigram.txt": _join_lines(sorted(lean_unigram), "unigram words"),
        "bigram.txt": _join_lines(lean_bigram, "bigrams"),
    }


def _keys_by_index(feature_to_idx: dict[str, int]) -> list[str]:
    keys: list[str] = [""] * len(feature_to_idx)
    for k, i in feature_to_idx.items():
        keys[i] = k
    return keys


def compact_model(
    full_dir: str | os.PathLike,
    out_dir: str | os.PathLike,
    threshold: float = DEFAULT_THRESHOLD,
    quantum: float = DEFAULT_QUANTUM,
) -> dict[str, Any]:
    """Build a lean model in ``out_dir`` from a spacy_pkuseg-format ``full_dir``.

    See :func:`_compact_arrays` for what ``threshold`` and ``quantum`` do.
    Returns the lean ``meta.json`` content plus ``files`` (name -> sha256/bytes).
    """
    import srsly

    full_dir, out_dir = Path(full_dir), Path(out_dir)
    feats = srsly.msgpack_loads((full_dir / "features.msgpack").read_bytes())
    w, n_tag, n_feature = _load_weights_npz((full_dir / "weights.npz").read_bytes())
    if len(feats["feature_to_idx"]) != n_feature:
        raise ModelError(f"{full_dir}: features.msgpack and weights.npz disagree on the feature count")
    payload = _lean_payload(
        _keys_by_index(feats["feature_to_idx"]),
        feats["unigram"],
        feats["bigram"],
        feats["tag_to_idx"],
        w,
        n_tag,
        threshold,
        quantum,
        {"full_dir": str(full_dir)},
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    writer = _Writer(out_dir)
    for rel, data in payload.items():
        writer.write(rel, data)
    meta = json.loads(payload["meta.json"])
    meta["files"] = writer.files
    return meta
