"""The post-processing word list (spacy_pkuseg's ``dicts/default.pkl``): converted once into
``words/`` files, loaded as a compact exact set (:class:`_WordSet`)."""
from __future__ import annotations

import importlib.util
import io
import json
import os
import tempfile
import zlib
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from .base import MANIFEST_FORMAT, ModelError, ProgressFn, _FETCH_HINT, _Layout, _npy_bytes, _sha256, _Writer
from .cache import _is_fetched, model_home, model_root
from .unpickle import PICKLE_ERRORS, _load_data_pickle
from .verify import _Verifier


class _WordSet:
    """A compact, exact, read-only set of words (spacy_pkuseg's post-processing list).

    A Python set of the 390k words takes ~48 MB; this takes ~9 MB. Files:
    ``default.txt`` holds the words one a line, ordered by (crc32 of their
    UTF-8, bytes) and ``default.crc.npy`` their crc32s in that order. A lookup
    tests a 2**23-bit bitmap of the crc32s (most misses stop there), then
    binary-searches the crc32 and compares the bytes: no false positives.
    """

    _BITS = 23

    def __init__(self, text: bytes, crcs: np.ndarray) -> None:
        import bisect
        from array import array

        arr = np.frombuffer(text, dtype=np.uint8)
        ends = np.flatnonzero(arr == 10)
        n = len(ends) + 1
        if crcs.shape != (n,) or crcs.dtype.kind != "u":
            raise ModelError(f"the word list and its index do not match; {_FETCH_HINT}")
        offsets = np.empty(n + 1, dtype=np.int64)
        offsets[0] = 0
        offsets[1:n] = ends + 1
        offsets[n] = len(text) + 1
        low = crcs.astype(np.uint32) & np.uint32((1 << self._BITS) - 1)
        bitmap = np.zeros(1 << (self._BITS - 3), dtype=np.uint8)
        np.bitwise_or.at(bitmap, low >> 3, (np.uint8(1) << (low & 7).astype(np.uint8)))
        self._text = text
        self._crcs = array("I", crcs.astype(np.uint32).tobytes())
        self._offsets = array("q", offsets.tobytes())
        self._bitmap = bitmap.tobytes()
        self._mask = (1 << self._BITS) - 1
        self._bisect = bisect.bisect_left
        self._n = n

    @staticmethod
    def files(words: Iterable[str]) -> dict[str, bytes]:
        encoded = sorted((zlib.crc32(b), b) for b in (w.encode("utf-8") for w in words))
        if any(b"\n" in b for _c, b in encoded):
            raise ModelError("the default word list contains a newline; it cannot be stored one per line")
        return {
            "default.txt": b"\n".join(b for _c, b in encoded),
            "default.crc.npy": _npy_bytes(np.array([c for c, _b in encoded], dtype=np.uint32)),
        }

    def __contains__(self, word: object) -> bool:
        if type(word) is not str:
            return False
        b = word.encode("utf-8")
        crc = zlib.crc32(b)
        low = crc & self._mask
        if not (self._bitmap[low >> 3] >> (low & 7)) & 1:
            return False
        crcs, offs, text = self._crcs, self._offsets, self._text
        i = self._bisect(crcs, crc)
        while i < self._n and crcs[i] == crc:
            if text[offs[i] : offs[i + 1] - 1] == b:
                return True
            i += 1
        return False

    def __len__(self) -> int:
        return self._n

    def __iter__(self):  # spaCy's ChineseTokenizer.to_bytes lists the words
        return iter(self._text.decode("utf-8").split("\n"))


def _read_words(v: _Verifier, folder: Path) -> _WordSet:
    text = v.read(folder / "default.txt")
    crcs = np.load(io.BytesIO(v.read(folder / "default.crc.npy")), allow_pickle=False)
    return _WordSet(text, crcs)


def _default_words(layout: _Layout, v: _Verifier) -> _WordSet:
    """The post-processing word list: the model folder's own, else the cache's.

    A plain spacy_pkuseg folder has none; then the cached copy is used, made
    once (restricted conversion of spacy_pkuseg's bundled list) if needed.
    """
    if layout.words is not None and layout.root is not None:
        return _read_words(v, layout.words)
    cached = model_root()
    if _is_fetched(cached):
        return _read_words(_Verifier(cached), cached / "words")
    words_root = model_home() / "pkuseg-words"
    if not (words_root / "manifest.json").is_file():
        files, src = _convert_default_words(lambda _m: None)
        words_root.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".words-", dir=words_root.parent) as tmp_s:
            build = Path(tmp_s) / "root"
            writer = _Writer(build)
            for rel, data in files.items():
                writer.write(f"words/{rel}", data)
            (build / "manifest.json").write_text(
                json.dumps({"format": MANIFEST_FORMAT, "default_words": src, "files": writer.files}, indent=1),
                encoding="utf-8",
            )
            try:
                os.rename(build, words_root)
            except OSError:
                if not (words_root / "manifest.json").is_file():
                    raise
    return _read_words(_Verifier(words_root), words_root / "words")


def _spacy_pkuseg_default_pkl() -> Path:
    spec = importlib.util.find_spec("spacy_pkuseg")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("spacy-pkuseg is not installed; run `pip install spacy-pkuseg` and retry")
    path = Path(list(spec.submodule_search_locations)[0]) / "dicts" / "default.pkl"
    if not path.is_file():
        raise ModelError(f"spacy-pkuseg's word list {path} is missing; reinstall spacy-pkuseg")
    return path


def _convert_default_words(progress: ProgressFn) -> tuple[dict[str, bytes], dict[str, Any]]:
    """spacy_pkuseg's dicts/default.pkl (a pickled str) -> ``words/`` files (see :class:`_WordSet`)."""
    path = _spacy_pkuseg_default_pkl()
    raw = path.read_bytes()
    progress(f"converting spacy_pkuseg's default word list ({len(raw) / 1e6:.1f} MB) …")
    try:
        text = _load_data_pickle(raw)
    except PICKLE_ERRORS as exc:
        raise ModelError(f"{path} is not a plain-data pickle ({exc}); reinstall spacy-pkuseg") from None
    if not isinstance(text, str):
        raise ModelError(f"{path} does not hold a word list; reinstall spacy-pkuseg")
    words = set(text.strip().split("\n"))  # exactly what spacy_pkuseg.Postprocesser does
    src = {"file": "spacy_pkuseg/dicts/default.pkl", "sha256": _sha256(raw), "words": len(words)}
    return _WordSet.files(words), src
