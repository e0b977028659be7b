"""The segmenter callers get: which model folder (``$REPORTIE_PKUSEG_MODEL``, the cache, or a fetch
now), which words are forced (reportie's domain dictionary plus the caller's), and which engine
runs it (reportie's own arrays, :mod:`reportie.segmenter.fast`, or spacy_pkuseg)."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Iterable

from ..datafiles import read_text
from .base import ENV_HOME, ENV_MODEL, ENV_OFFLINE, ModelError
from .cache import _is_fetched, _offline, model_home, model_root
from .fetch import fetch_model
from .install import _refresh_lean
from .pkuseg import _load_model
from .verify import _resolve_layout


def model_dir() -> Path:
    """The model folder :func:`load_segmenter` uses by default.

    ``$REPORTIE_PKUSEG_MODEL`` wins (reportie's format, or a plain spacy_pkuseg
    folder with ``features.msgpack`` + ``weights.npz``); else the cached lean
    model; else the model is fetched now (progress on stderr), unless
    ``$REPORTIE_OFFLINE`` is set.
    """
    env = os.environ.get(ENV_MODEL)
    if env:
        path = Path(env).expanduser().absolute()
        if not path.is_dir():
            raise ModelError(f"{ENV_MODEL}={env} is not a folder; point it at a pkuseg model folder or unset it")
        _resolve_layout(path)  # raises ModelError if it is not a model folder
        return path
    root = model_root()
    if _is_fetched(root):
        _refresh_lean(root, _stderr_progress)
        return root / "lean"
    if _offline():
        raise ModelError(
            f"no pkuseg model under {model_home()} and {ENV_OFFLINE} is set; set {ENV_HOME} to a cache "
            f"that has one or {ENV_MODEL} to a model folder, or unset {ENV_OFFLINE} to fetch it"
        )

    print(
        "reportie: fetching the pkuseg 'default' model from PyPI (research/academic use only) …",
        file=sys.stderr,
        flush=True,
    )
    try:
        root = fetch_model(force=root.exists(), progress=_stderr_progress)
    except ModelError as exc:
        raise ModelError(
            f"no pkuseg model and fetching it failed ({exc}); set {ENV_HOME} to a cache that has one "
            f"or {ENV_MODEL} to a model folder"
        ) from exc
    return root / "lean"


def _stderr_progress(msg: str) -> None:
    print(f"reportie: {msg}", file=sys.stderr, flush=True)


def domain_words() -> list[str]:
    """reportie's domain dictionary (``reportie/data/user_dict.txt``, read by :mod:`reportie.datafiles`), one word a line."""
    text = read_text("user_dict.txt")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def load_segmenter(
    user_words: Iterable[str] = (),
    *,
    model_path: str | os.PathLike | None = None,
    domain_dict: bool = True,
    engine: str | None = None,
) -> Any:
    """A segmenter on reportie's model, with no pickle read: ``cut(text) -> list[str]``.

    ``engine`` (default: ``$REPORTIE_SEGMENTER``, else ``"fast"``) is ``"fast"`` for reportie's
    own array inference (:mod:`reportie.segmenter.fast`, the same words, several times faster) or
    ``"pkuseg"`` for a ``spacy_pkuseg.pkuseg`` object, the reference, described below.

    Behaves like ``spacy_pkuseg.pkuseg(model_dir, user_dict=words)`` where
    ``words`` is reportie's domain dictionary (unless ``domain_dict=False``)
    followed by ``user_words``: those words are always single tokens.
    ``model_path`` defaults to :func:`model_dir` (the lean model); it may be a
    cache root, its ``lean/`` or ``full/`` folder, or a plain spacy_pkuseg
    folder. The model is loaded (checksums verified) once per process and
    shared; each call returns a new light segmenter object, so changing one's
    user dictionary (e.g. spaCy's ``pkuseg_update_user_dict``) leaves others be.
    """
    from .fast import load_fast_segmenter, segmenter_engine

    engine = segmenter_engine(engine)
    path = Path(model_path).expanduser().absolute() if model_path is not None else model_dir()
    words = (domain_words() if domain_dict else []) + [w for w in (s.strip() for s in user_words) if w]
    if engine == "fast":
        return load_fast_segmenter(words, path)
    import spacy_pkuseg

    loaded = _load_model(path)

    seg = spacy_pkuseg.pkuseg.__new__(spacy_pkuseg.pkuseg)
    seg.postag = False
    seg.preprocesser = spacy_pkuseg.Preprocesser(words)
    post = spacy_pkuseg.Postprocesser(None, None)
    post.do_process = True
    post.common_words = set()
    post.other_words = loaded.default_words
    seg.postprocesser = post
    seg.feature_extractor = loaded.feature_extractor
    seg.model = loaded.model
    seg.idx_to_tag = {idx: tag for tag, idx in loaded.feature_extractor.tag_to_idx.items()}
    seg.n_feature = len(loaded.feature_extractor.feature_to_idx)
    seg.n_tag = len(loaded.feature_extractor.tag_to_idx)
    return seg
