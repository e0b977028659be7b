"""Where reportie's pkuseg word-segmentation model comes from, and loading it.

reportie segments Chinese with spacy-pkuseg's CRF. spacy-pkuseg's published
models live outside the package registries, so reportie takes pkuseg's
mixed-domain ``default`` model from the PyPI source distribution
``pkuseg==0.0.25`` (pinned by sha256), on the user's request, into a per-user
cache. The model is licensed for research/academic use only: reportie never
ships or redistributes it, it only fetches it for the user who asks.

Cache layout (``model_home()/pkuseg-default-0.0.25/``)::

    manifest.json        sha256 + size of every file below, provenance, stats
    lean/                the compacted model loaded by default (reportie format)
        meta.json  features.txt  rows.npy  weights.npy  unigram.txt  bigram.txt
    full/                the whole model in spacy_pkuseg's own format
        features.msgpack  weights.npz
    words/               spacy_pkuseg's post-processing word list, one a line
        default.txt  default.crc.npy

Pickles are only ever read while fetching (conversion time), and then through a
restricted unpickler that refuses every global, so only plain
dicts/lists/str/int can come out. Loading never unpickles anything and checks
every file against the manifest first.

One job per module, each importing only modules listed before it (no cycles; nothing
outside the package but ``reportie.modelstore`` and ``reportie.datafiles``):

- ``base``: pinned source, formats, settings, :class:`ModelError`, records, byte helpers;
- ``cache``: where the cache is and whether it is complete;
- ``unpickle``: the restricted unpickler (fetch time only; the one module importing pickle);
- ``verify``: model folder layouts, manifest-checked reads, source-data checks;
- ``compact``: the lean model from the full one;
- ``words``: the post-processing word list;
- ``fast_text``, ``fast_model``, ``fast``: reportie's own array inference (the default
  engine): text helpers, the model as cached arrays, the segmenter;
- ``pkuseg``: spacy_pkuseg's objects on a model folder, loaded once per process;
- ``install``: replacing cache files atomically (and forgetting loaded models);
- ``fetch``: pip download, checks, conversion into the cache;
- ``load``: the model folder in use, the domain dictionary, :func:`load_segmenter`.

Public API: :func:`model_home`, :func:`fetch_model`, :func:`model_dir`,
:func:`load_segmenter`, :func:`compact_model`, :class:`ModelError`. The command
line is ``reportie model fetch|path|where`` (:mod:`reportie.cli.model`).
"""
from __future__ import annotations

from .base import (
    DEFAULT_QUANTUM, DEFAULT_THRESHOLD, ENV_HOME, ENV_MODEL, ENV_OFFLINE, LEAN_FORMAT, LICENSE_NOTE, MANIFEST_FORMAT,
    PKUSEG_SDIST, PKUSEG_SDIST_SHA256, PKUSEG_VERSION, ModelError,
)
from .cache import model_home, model_root
from .compact import compact_model
from .fetch import fetch_model
from .install import install_manifest_lean
from .load import domain_words, load_segmenter, model_dir

__all__ = [
    "ModelError",
    "PKUSEG_VERSION",
    "DEFAULT_THRESHOLD",
    "model_home",
    "model_root",
    "fetch_model",
    "model_dir",
    "load_segmenter",
    "compact_model",
    "domain_words",
    "install_manifest_lean",
    "DEFAULT_QUANTUM",
    "PKUSEG_SDIST",
    "PKUSEG_SDIST_SHA256",
    "LEAN_FORMAT",
    "MANIFEST_FORMAT",
    "LICENSE_NOTE",
    "ENV_HOME",
    "ENV_MODEL",
    "ENV_OFFLINE",
]
