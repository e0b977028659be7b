"""reportie's own pkuseg inference: the same words as ``spacy_pkuseg.pkuseg.cut``, with arrays.

``spacy_pkuseg`` builds, for every character, a list of feature strings (character uni- and
bigrams in a ±2 window, dictionary words of 2–6 characters ending or starting there, and pairs
of those words) and looks each up in a dict; that loop is most of its time. Here the features
of all characters of a text are found at once:

* characters become node ids (pkuseg's normalisation: ``-._,|/*:`` → ``&``, numerals →
  ``**Num``, full-width letters → ``**Letter``), then dense ids; character unigram features
  are array lookups, bigram features a sorted-array search on ``a * n + b``;
* the dictionary words (the model's ``unigram`` list) ending at each character are found by
  rolling 64-bit hashes of the node ids looked up in a sorted array, every hit checked against
  the word's own node ids; word-pair features are a sorted-array search on the pair of ids;
* node scores add the weight rows feature by feature, in spacy_pkuseg's order (floating-point
  sums depend on it, and Viterbi ties are broken on exact values);
* the 5-tag Viterbi runs over all pieces of a text in lock step (numpy across pieces), with
  spacy_pkuseg's arithmetic and tie-breaking.

The user dictionary and the post-processing word list behave as in spacy_pkuseg
(:mod:`reportie.segmenter.fast_text`); the model's arrays are built and cached by
:mod:`reportie.segmenter.fast_model`. ``REPORTIE_SEGMENTER=pkuseg`` selects spacy-pkuseg instead
(see :func:`reportie.segmenter.load_segmenter`).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import numpy as np

from .base import ModelError
from .fast_model import (  # noqa: F401  (some re-exported)
    KEYWORDS, LENGTHS, LETTER_CHARS, NUM_CHARS, WORD_MAX, WORD_MIN, Tables, forget, load_tables, node_ids,
)
from .fast_text import P, PostDict, UserDict, codepoints, is_space

BLOCK = 1 << 14  # characters per batch of pieces (bounds the memory of long texts)


def _word_ends(t: Tables, x: np.ndarray, off: np.ndarray) -> Dict[int, np.ndarray]:
    """For each length l: the id of the dictionary word x[i-l+1 .. i], else ``noword``."""
    n = len(x)
    out: Dict[int, np.ndarray] = {}
    xu = x.astype(np.uint64)
    h = xu.copy()
    p = np.uint64(P)
    for length in range(2, WORD_MAX + 1):
        h2 = np.empty_like(h)
        h2[0] = 0
        h2[1:] = h[:-1] * p + xu[1:]
        h = h2
        res = np.full(n, t.noword, dtype=np.int32)
        wid = t.word_tables[length].get(h)
        cand = np.flatnonzero((wid >= 0) & (off >= length - 1))
        if len(cand):
            w = wid[cand]
            match = np.ones(len(cand), dtype=bool)
            for k in range(length):
                match &= x[cand - length + 1 + k] == t.word_nodes[w, k]
            res[cand[match]] = w[match]
        out[length] = res
    return out


def _shift(a: np.ndarray, k: int, valid: np.ndarray, fill: int) -> np.ndarray:
    """``a[i + k]`` where ``valid``, else ``fill``."""
    out = np.full(len(a), fill, dtype=a.dtype)
    if k > 0:
        out[:-k] = a[k:]
    elif k < 0:
        out[-k:] = a[:k]
    else:
        out[:] = a
    out[~valid] = fill
    return out


def node_scores(t: Tables, x: np.ndarray, off: np.ndarray, rem: np.ndarray) -> np.ndarray:
    """spacy_pkuseg's ``getLogYY`` node scores for the compact node ids ``x`` (pieces
    concatenated; ``off``/``rem``: distance to the piece start / to its end, exclusive).

    Weight rows are added feature by feature in spacy_pkuseg's order; a missing feature adds
    the zero row (row -1), which leaves every sum as it was."""
    n = len(x)
    d = t.dense[x]  # dense id 0: no feature mentions it (nor a neighbour outside the piece)
    nc = np.int64(t.n_chars)
    prev = _shift(d, -1, off >= 1, 0)
    nxt = _shift(d, 1, rem >= 2, 0)
    pp = _shift(d, -2, off >= 2, 0)
    nn = _shift(d, 2, rem >= 3, 0)
    d64 = d.astype(np.int64)
    # dictionary words: ends[l][i] is the word x[i-l+1 .. i]; the one starting at i: ends[l][i+l-1]
    ends = _word_ends(t, x, off)
    noword = t.noword
    pre_in = [ends[ln] for ln in LENGTHS]
    post_in = [_shift(ends[ln], ln - 1, rem >= ln, noword) for ln in LENGTHS]
    pre_ex = [_shift(ends[ln], -1, off >= ln, noword) for ln in LENGTHS]
    post_ex = [_shift(ends[ln], ln, rem >= ln + 1, noword) for ln in LENGTHS]
    # the rows of the features present at every character, in spacy_pkuseg's order (-1: none)
    rows = np.empty((19, n), dtype=np.int32)
    rows[0] = 0  # "$$", feature 0
    rows[1] = t.uni[0][d]  # c.
    rows[2] = t.uni[1][prev]  # c-1.
    rows[3] = t.bi[0].get(prev * nc + d64)  # c-1c.
    rows[4] = t.uni[2][nxt]  # c1.
    rows[5] = t.bi[1].get(np.where(nxt > 0, d64 * nc + nxt, 0))  # cc1.
    rows[6] = t.uni[3][pp]  # c-2.
    rows[7] = t.bi[2].get(np.where(pp > 0, pp * nc + prev, 0))  # c-2c-1.
    rows[8] = t.uni[4][nn]  # c2.
    for k, a in enumerate(pre_in):
        rows[9 + k] = t.w_end[a]  # w-1.<word>, lengths 6 … 2
    for k, a in enumerate(post_in):
        rows[14 + k] = t.w_start[a]  # w1.<word>
    # one gather of whole rows (as opaque 40-byte items: far faster than 2-D fancy indexing),
    # then the adds in order: 0 + r0 + r1 + …, as getLogYY does
    g = np.take(t.wv, rows).view(np.float64).reshape(19, n, -1)
    score = g[0].copy()
    for k in range(1, 19):
        score += g[k]
    nw = np.int64(t.n_words + 1)
    for side, (pres, posts) in enumerate(((pre_ex, post_in), (pre_in, post_ex))):
        table = t.ww[side]
        if not len(table):
            continue
        if t.ww_noword:
            where = np.arange(n)
        else:
            anyp = np.zeros(n, dtype=bool)
            anyq = np.zeros(n, dtype=bool)
            for a in pres:
                anyp |= t.ww_words[side, 0][a]
            for b in posts:
                anyq |= t.ww_words[side, 1][b]
            where = np.flatnonzero(anyp & anyq)
            if not len(where):
                continue
        pa = np.stack([a[where] for a in pres]).astype(np.int64) * nw
        pb = np.stack([b[where] for b in posts])
        rows = table.get((pa[:, None, :] + pb[None, :, :]).reshape(-1)).reshape(25, -1)
        for c in np.flatnonzero((rows >= 0).any(axis=1)).tolist():  # pre outer, post inner
            score[where] += np.take(t.wv, rows[c]).view(np.float64).reshape(len(where), -1)
    return score


def viterbi(node: np.ndarray, edge: np.ndarray, lens: np.ndarray, piece: np.ndarray, off: np.ndarray) -> np.ndarray:
    """spacy_pkuseg's ``run_viterbi`` on each piece of ``node`` (pieces concatenated: ``lens``;
    ``piece``/``off``: piece number and offset of each row), all pieces in lock step.

    Same arithmetic as spacy_pkuseg: from the end, ``score[i, y] = max over y' of
    (score[i+1, y'] + node[i, y]) + edge[y, y']`` with ties going to the last ``y'``; the first
    tag is the first best one; then the back-pointers are followed. Rows are laid out by
    distance from the end of their piece (longest pieces first), so each step is a slice."""
    n, h = node.shape
    if not n:
        return np.zeros(0, dtype=np.int64)
    n_lanes = len(lens)
    order = np.argsort(-lens, kind="stable")
    rank = np.empty(n_lanes, dtype=np.int64)
    rank[order] = np.arange(n_lanes)
    ln = lens[order]
    steps = int(ln[0])
    active = n_lanes - np.cumsum(np.bincount(ln, minlength=steps + 1))[:steps]  # lanes longer than k
    offs = np.zeros(steps + 1, dtype=np.int64)
    np.cumsum(active, out=offs[1:])
    k_end = lens[piece] - 1 - off
    flat = offs[k_end] + rank[piece]
    node_t = np.empty_like(node)
    node_t[flat] = node
    best = np.empty((n, h), dtype=np.int64)  # back-pointers, as indices into reversed y'
    fin = np.empty((n_lanes, h))  # the scores at each piece's first character
    act, offl = active.tolist(), offs.tolist()
    a_prev = act[0]
    cur = node_t[:a_prev][:, ::-1]  # kept with y' reversed, so argmax's first max is the last y'
    e = edge[None, :, ::-1]
    buf = np.empty((a_prev, h, h))
    for k in range(1, steps):
        ak, o = act[k], offl[k]
        if ak != a_prev:  # lanes [ak, a_prev) ended at their first character
            fin[ak:a_prev] = cur[ak:, ::-1]
            cur, a_prev = cur[:ak], ak
        sc = buf[:ak]
        np.add(cur[:, None, :], node_t[o:o + ak, :, None], out=sc)
        sc += e
        sc.argmax(axis=2, out=best[o:o + ak])
        cur = sc.max(axis=2)[:, ::-1]
    fin[:a_prev] = cur[:, ::-1]
    best = (h - 1) - best
    first = fin.argmax(axis=1)  # ties: the first tag
    # follow the back-pointers by doubling: g[p] maps the tag at max(p - span, piece start) to
    # the tag at p (best[q] maps the tag at q to the tag at q + 1)
    best_c = best[flat]  # compact order
    g = np.empty_like(best_c)
    g[1:] = best_c[:-1]
    g[off == 0] = np.arange(h)
    span = 1
    while span < steps:
        sel = np.flatnonzero(off >= span)
        g[sel] = np.take_along_axis(g[sel], g[sel - span], axis=1)
        span *= 2
    tag0 = first[rank][piece]
    return np.take_along_axis(g, tag0[:, None], axis=1)[:, 0]


class FastSegmenter:
    """``cut(text) -> list[str]``, token for token what ``spacy_pkuseg.pkuseg.cut`` returns."""

    def __init__(self, tables: Tables, post: PostDict, user_words: Iterable[str]) -> None:
        self.tables = tables
        self.post = post
        self.user_words = list(user_words)
        self._user: Optional[UserDict] = UserDict(self.user_words)

    @property
    def user(self) -> UserDict:
        if self._user is None:  # rebuilt once after a run of insert() calls
            self._user = UserDict(self.user_words)
        return self._user

    # spaCy's ChineseTokenizer.pkuseg_update_user_dict reads/replaces ``preprocesser`` and
    # calls its ``insert``, as on a spacy_pkuseg object
    @property
    def preprocesser(self) -> "FastSegmenter":
        return self

    @preprocesser.setter
    def preprocesser(self, value: Any) -> None:  # e.g. spacy_pkuseg.Preprocesser(None) on reset
        data = getattr(value, "dict_data", None) or []
        self.user_words = [w if isinstance(w, str) else w[0] for w in data]
        self._user = None

    def insert(self, word: str, usertag: str = "") -> None:
        self.user_words.append(word)
        self._user = None

    def cut(self, txt: str) -> List[str]:
        txt = txt.strip()
        if not txt:
            return []
        cp = codepoints(txt)
        n = len(cp)
        space = is_space(cp)
        # chunks: maximal runs of non-space; user words are cut out of them
        edges = np.flatnonzero(np.diff(np.concatenate([[True], space, [True]]).astype(np.int8)))
        c_start, c_end = edges[0::2], edges[1::2]
        chunk_end = np.zeros(n, dtype=np.int64)
        chunk_end[c_start] = c_end
        np.maximum.accumulate(chunk_end, out=chunk_end)
        cand = self.user.candidates(cp, space)
        spans = self.user.matches(txt, cand, chunk_end[cand]) if len(cand) else []
        free = ~space
        for s, e in spans:
            free[s:e] = False
        edges = np.flatnonzero(np.diff(np.concatenate([[False], free, [False]]).astype(np.int8)))
        p_start, p_end = edges[0::2], edges[1::2]
        tok_s: List[np.ndarray] = [np.array([s for s, _e in spans], dtype=np.int64)]
        tok_e: List[np.ndarray] = [np.array([e for _s, e in spans], dtype=np.int64)]
        # batches of whole pieces of about BLOCK characters
        plen = p_end - p_start
        csum = np.cumsum(plen)
        b0 = 0
        while b0 < len(p_start):
            b1 = int(np.searchsorted(csum, (csum[b0 - 1] if b0 else 0) + BLOCK, side="right"))
            b1 = max(b1, b0 + 1)
            s, e = self._cut_pieces(txt, cp, p_start[b0:b1], p_end[b0:b1])
            tok_s.append(s)
            tok_e.append(e)
            b0 = b1
        starts = np.concatenate(tok_s)
        ends = np.concatenate(tok_e)
        order = np.argsort(starts, kind="stable")
        return [txt[a:b] for a, b in zip(starts[order].tolist(), ends[order].tolist())]

    def _cut_pieces(self, txt: str, cp: np.ndarray, ps: np.ndarray, pe: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        lens = pe - ps
        m = int(lens.sum())
        cstart = np.zeros(len(ps), dtype=np.int64)
        cstart[1:] = np.cumsum(lens)[:-1]
        piece = np.repeat(np.arange(len(ps)), lens)
        k = np.arange(m)
        off = k - cstart[piece]
        pos = ps[piece] + off
        rem = lens[piece] - off
        ccp = cp[pos]
        x = node_ids(ccp)
        t = self.tables
        score = node_scores(t, x, off, rem)
        tags = viterbi(score, t.edge, lens, piece, off)
        first = t.is_begin[tags] | (off == 0)
        ts = np.flatnonzero(first)
        te = np.empty_like(ts)
        te[:-1] = ts[1:]
        te[-1:] = m
        ts, te = self.post.merge(txt, pos, ccp, ts, te, piece[ts])
        return pos[ts], pos[ts] + (te - ts)


ENV_ENGINE = "REPORTIE_SEGMENTER"
ENGINES = ("fast", "pkuseg")


def segmenter_engine(engine: Optional[str] = None) -> str:
    """``engine``, else ``$REPORTIE_SEGMENTER``, else ``"fast"``; checked."""
    name = (engine or os.environ.get(ENV_ENGINE) or "fast").strip().lower()
    if name not in ENGINES:
        raise ModelError(f"unknown segmenter {name!r} (from {'engine=' if engine else ENV_ENGINE}); "
                         f"use one of {', '.join(ENGINES)}")
    return name


def load_fast_segmenter(words: List[str], path: Path) -> FastSegmenter:
    """A :class:`FastSegmenter` on the model at ``path`` with the user words ``words``."""
    tables, post = load_tables(path)
    return FastSegmenter(tables, post, words)
