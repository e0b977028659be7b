"""The segmenter package's base: pinned source, formats, settings, its error, its records and
byte helpers. Imports nothing else of reportie's but ``modelstore`` (the error and checksum
it shares with the classifier's store)."""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np

from ..modelstore import ModelError as _StoreModelError
from ..modelstore import sha256_file

# --------------------------------------------------------------------------
# pinned source

PKUSEG_VERSION = "0.0.25"
PKUSEG_SDIST = f"pkuseg-{PKUSEG_VERSION}.tar.gz"
PKUSEG_SDIST_SHA256 = "dd012bf93689721c9574bc2b2ba98fb4ac22790cec0af354a78e217828b81e91"
_MEMBER_PREFIX = f"pkuseg-{PKUSEG_VERSION}/pkuseg/models/default/"
_SDIST_MEMBERS = ("features.pkl", "weights.npz")

#: Features whose node weights differ across the 5 tags by less than this are
#: dropped from the lean model (see :func:`reportie.segmenter.compact.compact_model`). Chosen with
#: ``benchmarks/compact_model.py`` and ``benchmarks/model_figures.py`` on the seed
#: corpus: keeps 344,244 of 2,643,617 features, token agreement with the full
#: model 99.66 % (floor 99.5 %), the same quantities and sentence labels as the
#: full model on the seeds and the held-out reports, 0.38 s to load (0.1: 811,473
#: features, 99.92 %, 0.84 s; 0.2: 99.69 %, 0.61 s; 0.5: 99.13 %, below the floor).
DEFAULT_THRESHOLD = 0.3
#: ... and the kept features' (centred) weights are rounded to multiples of
#: this, so that features with equal weights share one row.
DEFAULT_QUANTUM = 0.01

LEAN_FORMAT = "reportie-pkuseg-lean/1"
MANIFEST_FORMAT = "reportie-pkuseg-cache/1"
LICENSE_NOTE = (
    "pkuseg 'default' model (pkuseg==0.0.25 on PyPI): code MIT, model for "
    "research/academic use only; fetched on the user's request, not redistributed"
)
#: The lean model's settings the manifest repeats (``manifest["lean"]``).
_LEAN_SUMMARY = ("n_keys", "n_rows", "features_full", "threshold", "quantum", "bigram_kept")

ENV_HOME = "REPORTIE_HOME"
ENV_MODEL = "REPORTIE_PKUSEG_MODEL"
ENV_OFFLINE = "REPORTIE_OFFLINE"

_FETCH_HINT = "run `reportie model fetch --force`"

ProgressFn = Callable[[str], None]


class ModelError(_StoreModelError):
    """The pkuseg model cannot be fetched, found or loaded (one-line, actionable).

    A subclass of ``reportie.ModelError`` (itself a ``RuntimeError``), so the
    CLI and callers catching reportie's model errors catch it too.
    """


# --------------------------------------------------------------------------
# records


@dataclass
class _Layout:
    """Where a model's files are (see :func:`reportie.segmenter.verify._resolve_layout`)."""

    kind: str  # "lean" or "full"
    dir: Path
    root: Path | None  # folder holding manifest.json, if any
    words: Path | None  # the words/ folder of that root, if any


@dataclass
class _Loaded:
    """A model loaded for spacy_pkuseg (see :mod:`reportie.segmenter.pkuseg`)."""

    feature_extractor: Any
    model: Any
    default_words: Any  # reportie.segmenter.words._WordSet
    kind: str
    path: Path


# --------------------------------------------------------------------------
# byte helpers


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_sha256_file = sha256_file  # one streaming checksum for every model file (reportie.modelstore)


class _Writer:
    """Writes files under a root and records their checksums for the manifest."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, dict[str, Any]] = {}

    def write(self, rel: str, data: bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files[rel] = {"sha256": _sha256(data), "bytes": len(data)}


def _join_lines(items: Iterable[str], what: str) -> bytes:
    items = list(items)
    if any("\n" in s for s in items):
        raise ModelError(f"the model's {what} contain a newline; it cannot be stored one per line")
    return "\n".join(items).encode("utf-8")


def _split_lines(data: bytes) -> list[str]:
    return data.decode("utf-8").split("\n")


def _npy_bytes(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return buf.getvalue()
