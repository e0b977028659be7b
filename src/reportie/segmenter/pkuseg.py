"""spacy_pkuseg's objects on a model folder: its feature extractor and CRF built from reportie's
lean format or spacy_pkuseg's own, files checked against the manifest, once per process."""
from __future__ import annotations

import io
import json
import os
import threading
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .base import _FETCH_HINT, LEAN_FORMAT, ModelError, _Layout, _Loaded, _split_lines
from .verify import _load_weights_npz, _resolve_layout, _Verifier
from .words import _default_words


_CACHE: dict[str, _Loaded] = {}
_LOCK = threading.Lock()


def _forget(root: Path) -> None:
    with _LOCK:
        for key in [k for k in _CACHE if k == str(root) or k.startswith(str(root) + os.sep)]:
            del _CACHE[key]
    from .fast_model import forget

    forget(root)


_LAZY_EXTRACTOR: Any = None


def _lazy_extractor_class() -> Any:
    """spacy_pkuseg's FeatureExtractor whose ``bigram`` set is read on first use.

    cut() never touches ``bigram`` (only training and ``save()``, e.g. spaCy's
    ``to_bytes``, do), so the lean model does not hold it in memory until then.
    """
    global _LAZY_EXTRACTOR
    if _LAZY_EXTRACTOR is None:
        from spacy_pkuseg.feature_extractor import FeatureExtractor

        class LazyBigramFeatureExtractor(FeatureExtractor):
            @property
            def bigram(self) -> set[str]:
                if self._bigram is None:
                    self._bigram = self._bigram_loader()
                return self._bigram

            @bigram.setter
            def bigram(self, value: set[str]) -> None:
                self._bigram = value

        _LAZY_EXTRACTOR = LazyBigramFeatureExtractor
    return _LAZY_EXTRACTOR


def _make_extractor(
    unigram: set[str],
    bigram: set[str] | Callable[[], set[str]],
    feature_to_idx: dict[str, int],
    tag_to_idx: dict[str, int],
) -> Any:
    from spacy_pkuseg.feature_extractor import FeatureExtractor

    if callable(bigram):
        cls = _lazy_extractor_class()
        fe = cls.__new__(cls)
        fe._bigram = None
        fe._bigram_loader = bigram
    else:
        fe = FeatureExtractor.__new__(FeatureExtractor)
        fe.bigram = bigram
    fe.unigram = unigram
    fe.feature_to_idx = feature_to_idx
    fe.tag_to_idx = tag_to_idx
    return fe


def _make_crf(w: np.ndarray, n_tag: int, n_feature: int) -> Any:
    from spacy_pkuseg.model import Model

    m = Model.__new__(Model)
    m.n_tag = n_tag
    m.n_feature = n_feature
    m.n_transition_feature = n_tag * (n_feature + n_tag)
    m.w = np.ascontiguousarray(w, dtype=np.float64)  # the CRF's Cython code takes double[:]
    if m.w.shape != (m.n_transition_feature,):
        raise ModelError("the model's weights do not match its feature count; " + _FETCH_HINT)
    return m


def _load_lean(layout: _Layout, v: _Verifier) -> tuple[Any, Any]:
    d = layout.dir
    meta = json.loads(v.read(d / "meta.json"))
    if meta.get("format") != LEAN_FORMAT:
        raise ModelError(f"{d} has an unknown model format {meta.get('format')!r}; {_FETCH_HINT}")
    n_keys, n_rows, n_tag = int(meta["n_keys"]), int(meta["n_rows"]), int(meta["n_tag"])
    keys = _split_lines(v.read(d / "features.txt"))
    rows = np.load(io.BytesIO(v.read(d / "rows.npy")), allow_pickle=False)
    if len(keys) != n_keys or rows.shape != (n_keys,) or rows.dtype.kind != "u" or int(rows.max(initial=0)) >= n_rows:
        raise ModelError(f"{d}: features.txt and rows.npy do not match meta.json; {_FETCH_HINT}")
    # tolist(): one int object per feature (3 MB more than sharing one per row, but the dict
    # is built in half the time: it is most of the cold start)
    feature_to_idx = dict(zip(keys, rows.tolist()))
    del keys, rows
    w = np.load(io.BytesIO(v.read(d / "weights.npy")), allow_pickle=False)
    fe = _make_extractor(
        set(_split_lines(v.read(d / "unigram.txt"))),
        lambda: set(_split_lines(v.read(d / "bigram.txt"))),
        feature_to_idx,
        {str(k): int(i) for k, i in meta["tag_to_idx"].items()},
    )
    return fe, _make_crf(w, n_tag, n_rows)


def _load_full(layout: _Layout, v: _Verifier) -> tuple[Any, Any]:
    import srsly

    d = layout.dir
    try:
        data = srsly.msgpack_loads(v.read(d / "features.msgpack"))
        fe = _make_extractor(set(data["unigram"]), set(data["bigram"]), data["feature_to_idx"], data["tag_to_idx"])
    except ModelError:
        raise
    except Exception as exc:  # malformed user-supplied folder
        raise ModelError(f"{d / 'features.msgpack'} is not a pkuseg feature file ({type(exc).__name__}); {_FETCH_HINT}") from None
    w, n_tag, n_feature = _load_weights_npz(v.read(d / "weights.npz"))
    if n_feature != len(fe.feature_to_idx):
        raise ModelError(f"{d}: features.msgpack and weights.npz disagree on the feature count; {_FETCH_HINT}")
    return fe, _make_crf(w, n_tag, n_feature)


def _load_model(path: Path) -> _Loaded:
    key = str(path)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            return hit
        layout = _resolve_layout(path)
        v = _Verifier(layout.root)
        fe, crf = (_load_lean if layout.kind == "lean" else _load_full)(layout, v)
        loaded = _Loaded(fe, crf, _default_words(layout, v), layout.kind, layout.dir)
        _CACHE[key] = loaded
        return loaded
