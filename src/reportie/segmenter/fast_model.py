"""The pkuseg model as arrays for :mod:`reportie.segmenter.fast`: built once from the cached model
(spacy_pkuseg's feature -> index mapping, weights, dictionary words), then kept beside it as
memory-mapped ``.npy`` files.

Feature keys are parsed by template: ``c.X``/``c-1.X``/``c1.X``/``c-2.X``/``c2.X`` (X a node:
a character, ``**Num`` or ``**Letter``) become per-template arrays over dense character ids;
``c-1c.A.B``/``cc1.A.B``/``c-2c-1.A.B`` hash tables on ``a * n + b``; ``w-1.W``/``w1.W`` arrays
over dictionary-word ids; ``ww.l.A*B``/``ww.r.A*B`` hash tables on pairs of word ids (with
``**noWord``). A key no text can produce (e.g. a raw digit, which pkuseg always normalises)
is dropped: spacy_pkuseg never looks it up either.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import numpy as np

from .base import _FETCH_HINT, LEAN_FORMAT, ModelError, _split_lines
from .cache import model_home
from .fast_text import N_CODE, P, IntTable, PostDict, string_hashes
from .verify import _load_weights_npz, _resolve_layout, _Verifier
from .words import _default_words

WORD_MIN, WORD_MAX = 2, 6
LENGTHS = tuple(range(WORD_MAX, WORD_MIN - 1, -1))  # spacy_pkuseg's order: 6 … 2
NUM, LETTER = N_CODE, N_CODE + 1
KEYWORDS = "-._,|/*:"
NUM_CHARS = "0123456789." "几二三四五六七八九十千万亿兆零" "１２３４５６７８９０％"
LETTER_CHARS = ("ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
                "ａｂｃｄｅｆｇｈｉｇｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ" "／・－")
BLOCK = 1 << 14  # characters per batch of pieces (bounds the memory of long texts)

_NODE = np.arange(N_CODE, dtype=np.int32)
for _c in NUM_CHARS:
    _NODE[ord(_c)] = NUM
for _c in LETTER_CHARS:
    _NODE[ord(_c)] = LETTER
for _c in KEYWORDS:  # renamed before the numeral test, so "." is "&", not a numeral
    _NODE[ord(_c)] = ord("&")
_SPECIAL = {"**Num": NUM, "**Letter": LETTER}


def node_ids(cp: np.ndarray) -> np.ndarray:
    return _NODE[cp]


def _parse_nodes(s: str) -> Optional[List[int]]:
    """The node ids whose joined strings give ``s``, or None if no text can produce ``s``."""
    out: List[int] = []
    i = 0
    while i < len(s):
        if s[i] == "*":
            for name, nid in _SPECIAL.items():
                if s.startswith(name, i):
                    out.append(nid)
                    i += len(name)
                    break
            else:
                return None
            continue
        c = ord(s[i])
        if _NODE[c] != c:
            return None
        out.append(c)
        i += 1
    return out


def _parse_node(s: str) -> Optional[int]:
    if len(s) == 1:
        c = ord(s)
        return c if _NODE[c] == c else None
    return _SPECIAL.get(s)


_UNI = {"c.": 0, "c-1.": 1, "c1.": 2, "c-2.": 3, "c2.": 4}
_BI = {"c-1c.": 0, "cc1.": 1, "c-2c-1.": 2}


def build_arrays(feature_rows: Iterable[Tuple[str, int]], unigram: Iterable[str],
                 node_w: np.ndarray, edge: np.ndarray, tag_to_idx: Dict[str, int]) -> Dict[str, np.ndarray]:
    """The model (spacy_pkuseg's feature -> index mapping, weights) as the arrays of :class:`Tables`."""
    n_tag = node_w.shape[1]
    out: Dict[str, np.ndarray] = {}
    out["w"] = np.vstack([node_w.astype(np.float64), np.zeros((1, n_tag))])  # row -1: zeros
    # edge_score[s_pre, s] = 1 + w[backoff + s * n_tag + s_pre]; run_viterbi reads [y, y_pre]
    out["edge"] = 1.0 + edge.astype(np.float64).reshape(n_tag, n_tag).T
    out["is_begin"] = np.zeros(n_tag, dtype=bool)
    out["is_begin"][[i for t, i in tag_to_idx.items() if "B" in t]] = True
    # dictionary words (lengths 2–6) as node ids; one id per word
    words: Dict[Tuple[int, ...], int] = {}
    for u in unigram:
        nodes = _parse_nodes(u)
        if nodes is not None and WORD_MIN <= len(nodes) <= WORD_MAX:
            words.setdefault(tuple(nodes), len(words))
    n_words = len(words)
    noword = n_words  # "**noWord"
    word_nodes = np.zeros((n_words + 1, WORD_MAX), dtype=np.int32)
    word_len = np.zeros(n_words + 1, dtype=np.int32)
    for t, i in words.items():
        word_nodes[i, : len(t)] = t
        word_len[i] = len(t)
    out["word_nodes"], out["word_len"] = word_nodes, word_len
    by_word = {"".join(chr(n) if n < N_CODE else ("**Num" if n == NUM else "**Letter") for n in t): i
               for t, i in words.items()}
    chars: Dict[int, int] = {}
    uni: List[Tuple[int, int, int]] = []
    bi: List[Tuple[int, int, int, int]] = []
    w1: List[Tuple[int, int, int]] = []
    ww: List[Tuple[int, int, int, int]] = []
    for key, row in feature_rows:
        dot = key.find(".")
        if dot < 0:
            continue  # "$$": feature 0, added at every character
        head = key[: dot + 1]
        if head == "ww.":
            side = key[3:5]
            if side not in ("l.", "r."):
                continue
            rest = key[5:]
            for j in [k for k, ch in enumerate(rest) if ch == "*"]:
                a, b = rest[:j], rest[j + 1:]
                ia = noword if a == "**noWord" else by_word.get(a)
                ib = noword if b == "**noWord" else by_word.get(b)
                if ia is not None and ib is not None:
                    ww.append((0 if side == "l." else 1, ia, ib, row))
            continue
        if head in ("w-1.", "w1."):
            i = by_word.get(key[len(head):])
            if i is not None:
                w1.append((0 if head == "w-1." else 1, i, row))
            continue
        for name, t in _BI.items():
            if key.startswith(name):
                parts = key[len(name):].split(".")
                if len(parts) == 2:
                    a, b = _parse_node(parts[0]), _parse_node(parts[1])
                    if a is not None and b is not None:
                        bi.append((t, chars.setdefault(a, len(chars) + 1), chars.setdefault(b, len(chars) + 1), row))
                break
        else:
            t = _UNI.get(head)
            if t is not None:
                a = _parse_node(key[len(head):])
                if a is not None:
                    uni.append((t, chars.setdefault(a, len(chars) + 1), row))
    nc = len(chars) + 1  # dense id 0: a character no feature mentions
    out["chars"] = np.array(sorted(chars.items()), dtype=np.int64).reshape(-1, 2)
    out["uni"] = np.full((5, nc), -1, dtype=np.int32)
    for t, a, row in uni:
        out["uni"][t, a] = row
    for t in range(3):
        out[f"bi{t}_keys"] = np.array([a * nc + b for tt, a, b, _r in bi if tt == t], dtype=np.int64)
        out[f"bi{t}_rows"] = np.array([r for tt, _a, _b, r in bi if tt == t], dtype=np.int32)
    out["w_end"] = np.full(n_words + 1, -1, dtype=np.int32)  # w-1.<word>
    out["w_start"] = np.full(n_words + 1, -1, dtype=np.int32)  # w1.<word>
    for side, i, row in w1:
        out["w_end" if side == 0 else "w_start"][i] = row
    nw = n_words + 1
    for side in (0, 1):
        out[f"ww{side}_keys"] = np.array([a * nw + b for s, a, b, _r in ww if s == side], dtype=np.int64)
        out[f"ww{side}_rows"] = np.array([r for s, _a, _b, r in ww if s == side], dtype=np.int32)
    return out


class Tables:
    """The model as arrays, ready for :func:`node_scores`."""

    def __init__(self, arrays: Dict[str, np.ndarray]) -> None:
        a = arrays
        self.w, self.edge, self.is_begin = a["w"], a["edge"], a["is_begin"]
        self.wv = np.ascontiguousarray(self.w).view(np.dtype((np.void, 8 * self.w.shape[1]))).ravel()
        self.word_nodes, self.word_len = a["word_nodes"], a["word_len"]
        self.n_words = len(self.word_len) - 1
        self.noword = self.n_words
        chars = a["chars"]
        self.n_chars = nc = len(chars) + 1
        self.dense = np.zeros(N_CODE + 2, dtype=np.int32)
        self.dense[chars[:, 0]] = chars[:, 1]
        self.uni = a["uni"]
        self.bi = [IntTable.cached(a, f"bi{t}", a[f"bi{t}_keys"], a[f"bi{t}_rows"]) for t in range(3)]
        self.w_end, self.w_start = a["w_end"], a["w_start"]
        nw = self.n_words + 1
        self.ww = [IntTable.cached(a, f"ww{s}", a[f"ww{s}_keys"], a[f"ww{s}_rows"]) for s in (0, 1)]
        self.ww_noword = False
        self.ww_words = np.zeros((2, 2, nw), dtype=bool)  # [side, pre/post, word]: in some pair
        for s in (0, 1):
            ka, kb = np.divmod(a[f"ww{s}_keys"], nw)
            self.ww_noword |= bool((ka == self.noword).any() or (kb == self.noword).any())
            self.ww_words[s, 0, ka] = True
            self.ww_words[s, 1, kb] = True
        assert nc * nc < 2**62
        # per length: the hashes of the words' node ids -> word id
        self.word_tables: Dict[int, IntTable] = {}
        for length in LENGTHS:
            ids = np.flatnonzero(self.word_len == length)
            h = np.zeros(len(ids), dtype=np.uint64)
            for k in range(length):
                h = h * np.uint64(P) + self.word_nodes[ids, k].astype(np.uint64)
            if f"words{length}.slots" not in a and len(np.unique(h)) != len(h):  # about 1e-10 likely
                raise ValueError(f"two dictionary words of length {length} share a hash")
            self.word_tables[length] = IntTable.cached(a, f"words{length}", h, ids)


# --------------------------------------------------------------------------- loading

CACHE_FORMAT = "reportie-fastseg/3"
_LOCK = threading.Lock()
_TABLES: Dict[str, Tuple[Tables, PostDict]] = {}


def _read_sources(layout: Any, v: Any) -> Dict[str, bytes]:
    d = layout.dir
    names = ("meta.json", "features.txt", "rows.npy", "weights.npy", "unigram.txt") if layout.kind == "lean" \
        else ("features.msgpack", "weights.npz")
    return {name: v.read(d / name) for name in names}  # checked against the manifest, if any


def _arrays_from_sources(kind: str, src: Dict[str, bytes], d: Path) -> Dict[str, np.ndarray]:
    if kind == "lean":
        meta = json.loads(src["meta.json"])
        if meta.get("format") != LEAN_FORMAT:
            raise ModelError(f"{d} has an unknown model format {meta.get('format')!r}; {_FETCH_HINT}")
        n_rows, n_tag = int(meta["n_rows"]), int(meta["n_tag"])
        keys = _split_lines(src["features.txt"])
        rows = np.load(io.BytesIO(src["rows.npy"]), allow_pickle=False)
        if len(keys) != int(meta["n_keys"]) or rows.shape != (len(keys),):
            raise ModelError(f"{d}: features.txt and rows.npy do not match meta.json; {_FETCH_HINT}")
        w = np.load(io.BytesIO(src["weights.npy"]), allow_pickle=False).astype(np.float64)
        if w.shape != (n_tag * (n_rows + n_tag),):
            raise ModelError(f"{d}: the weights do not match meta.json; {_FETCH_HINT}")
        unigram = _split_lines(src["unigram.txt"])
        tag_to_idx = {str(k): int(i) for k, i in meta["tag_to_idx"].items()}
        pairs: Iterable[Tuple[str, int]] = zip(keys, rows.tolist())
    else:
        import srsly

        try:
            data = srsly.msgpack_loads(src["features.msgpack"])
            unigram, tag_to_idx, pairs = data["unigram"], data["tag_to_idx"], data["feature_to_idx"].items()
        except Exception as exc:
            raise ModelError(f"{d / 'features.msgpack'} is not a pkuseg feature file ({type(exc).__name__}); "
                                f"{_FETCH_HINT}") from None
        w, n_tag, n_rows = _load_weights_npz(src["weights.npz"])
        w = np.asarray(w, dtype=np.float64)
    return build_arrays(pairs, unigram, w[: n_rows * n_tag].reshape(n_rows, n_tag), w[n_rows * n_tag:], tag_to_idx)


def forget(root: Path) -> None:
    """Drop the loaded models under ``root`` (its files were replaced)."""
    with _LOCK:
        for key in [k for k in _TABLES if k == str(root) or k.startswith(str(root) + os.sep)]:
            del _TABLES[key]


def cache_dir() -> Path:
    return model_home() / "fastseg"


def load_tables(path: Path) -> Tuple[Tables, PostDict]:
    """The model at ``path`` (resolved as :func:`reportie.segmenter.load_segmenter` does) as
    arrays, once per process. The model files are read and checked against the cache's manifest
    each time; the arrays derived from them are kept in ``<model home>/fastseg/<sha256>/``
    (keyed by the files' contents; ``.npy`` files, memory-mapped, never unpickled), so only the
    first load parses them."""
    key = str(path)
    with _LOCK:
        hit = _TABLES.get(key)
        if hit is not None:
            return hit
        layout = _resolve_layout(path)
        v = _Verifier(layout.root)
        src = _read_sources(layout, v)
        words = _default_words(layout, v)
        digest = hashlib.sha256(CACHE_FORMAT.encode())
        for name in sorted(src):
            digest.update(name.encode() + b"\0" + hashlib.sha256(src[name]).digest())
        digest.update(b"words\0" + hashlib.sha256(words._text).digest())
        cache = cache_dir() / digest.hexdigest()
        arrays: Optional[Dict[str, np.ndarray]] = None
        try:  # memory-mapped: loads at once, and worker processes share the pages
            names = json.loads((cache / "index.json").read_text(encoding="utf-8"))
            # plain ndarray views of the maps: indexing an np.memmap goes through Python code
            arrays = {k: np.asarray(np.load(cache / f"{k}.npy", mmap_mode="r", allow_pickle=False)) for k in names}
        except (OSError, ValueError):
            arrays = None
        fresh = arrays is None
        if arrays is None:
            arrays = _arrays_from_sources(layout.kind, src, layout.dir)
            arrays["post_hashes"] = np.unique(string_hashes(words._text.decode("utf-8").split("\n"))[0])
        del src
        tables = Tables(arrays)  # adds its hash tables to ``arrays`` when they are new
        post = PostDict(words, arrays)
        if fresh:
            try:
                cache.parent.mkdir(parents=True, exist_ok=True)
                tmp = Path(tempfile.mkdtemp(dir=cache.parent, prefix=".tmp-"))
                for k, arr in arrays.items():
                    np.save(tmp / f"{k}.npy", np.ascontiguousarray(arr), allow_pickle=False)
                (tmp / "index.json").write_text(json.dumps(sorted(arrays)), encoding="utf-8")
                try:
                    os.rename(tmp, cache)
                except OSError:  # another process wrote it first
                    shutil.rmtree(tmp, ignore_errors=True)
            except OSError:
                pass  # a read-only home: parse again next time
        _TABLES[key] = (tables, post)
        return tables, post
