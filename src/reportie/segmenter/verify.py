"""Checking model files: what kind of model folder a path is, every read checked against the
cache's manifest (size and sha256), and the shape of the source data converted at fetch time."""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np

from .base import _FETCH_HINT, ENV_MODEL, ModelError, _Layout, _sha256


def _resolve_layout(path: Path) -> _Layout:
    path = Path(path)
    if (path / "manifest.json").is_file() and (path / "lean" / "meta.json").is_file():
        return _Layout("lean", path / "lean", path, path / "words")
    root = path.parent if (path.parent / "manifest.json").is_file() else None
    words = root / "words" if root else None
    if (path / "meta.json").is_file():
        return _Layout("lean", path, root, words)
    if (path / "features.msgpack").is_file() and (path / "weights.npz").is_file():
        return _Layout("full", path, root, words)
    raise ModelError(
        f"{path} is not a pkuseg model folder (expected features.msgpack + weights.npz, or reportie's lean "
        f"format); fix {ENV_MODEL} or {_FETCH_HINT}"
    )


class _Verifier:
    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.files: dict[str, Any] | None = None
        if root is not None:
            try:
                manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
                self.files = dict(manifest["files"])
            except (OSError, ValueError, KeyError, TypeError):
                raise ModelError(f"model manifest {root / 'manifest.json'} is unreadable; {_FETCH_HINT}") from None

    def read(self, path: Path) -> bytes:
        """Read a model file; if it is under a manifest, check its size and sha256 first."""
        try:
            data = path.read_bytes()
        except OSError:
            raise ModelError(f"model file {path} is missing or unreadable; {_FETCH_HINT}") from None
        if self.files is not None and self.root is not None:
            rel = path.relative_to(self.root).as_posix()
            entry = self.files.get(rel)
            if entry is None:
                raise ModelError(f"model file {path} is not in the manifest; {_FETCH_HINT}")
            if len(data) != entry["bytes"] or _sha256(data) != entry["sha256"]:
                raise ModelError(f"model file {path} failed its checksum; {_FETCH_HINT}")
        return data


# --------------------------------------------------------------------------
# validation of the converted source data


def _validate_features(data: Any) -> None:
    if not isinstance(data, dict) or not {"unigram", "bigram", "feature_to_idx", "tag_to_idx"} <= set(data):
        raise ModelError("features.pkl is not the expected pkuseg feature dict; " + _FETCH_HINT)
    fti = data["feature_to_idx"]
    if not isinstance(fti, dict) or not all(type(k) is str for k in fti) or not all(type(i) is int for i in fti.values()):
        raise ModelError("features.pkl: feature_to_idx is not a str->int dict; " + _FETCH_HINT)
    n = len(fti)
    idx = np.fromiter(fti.values(), dtype=np.int64, count=n)
    if n == 0 or idx.min() != 0 or idx.max() != n - 1 or not np.all(np.bincount(idx, minlength=n) == 1):
        raise ModelError("features.pkl: feature indices are not 0..n-1; " + _FETCH_HINT)
    for name in ("unigram", "bigram"):
        seq = data[name]
        if not isinstance(seq, (list, set, tuple)) or not all(type(s) is str for s in seq):
            raise ModelError(f"features.pkl: {name} is not a list of str; " + _FETCH_HINT)
    tags = data["tag_to_idx"]
    if not isinstance(tags, dict) or not all(type(t) is str for t in tags) or sorted(tags.values()) != list(range(len(tags))):
        raise ModelError("features.pkl: tag_to_idx is malformed; " + _FETCH_HINT)


def _load_weights_npz(data: bytes) -> tuple[np.ndarray, int, int]:
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        sizes = np.asarray(npz["sizes"])
        w = np.asarray(npz["w"], dtype=np.float64)
    n_tag, n_feature = int(sizes[0]), int(sizes[1])
    if w.ndim != 1 or w.shape[0] != n_tag * (n_feature + n_tag):
        raise ModelError("weights.npz does not match its sizes; " + _FETCH_HINT)
    return w, n_tag, n_feature
