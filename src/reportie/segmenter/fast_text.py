"""Array helpers for :mod:`reportie.segmenter.fast`: hashing, the user dictionary and post-processing.

Everything here reproduces ``spacy_pkuseg`` exactly (``Preprocesser.solve`` and
``Postprocesser.post_process``); hashes only *find candidates* (a 64-bit polynomial hash,
mod 2**64, looked up in a sorted array behind a bitmap), every hit is then checked against
the real strings, so a hash collision costs time, never a different result.
"""
from __future__ import annotations

from typing import Iterable, List, Tuple

import numpy as np

MASK64 = (1 << 64) - 1
P = 0x9E3779B97F4A7C15  # odd, so it is invertible mod 2**64
P_INV = pow(P, -1, 1 << 64)

# str.isspace() is true for exactly these code points (checked by tests/test_fastseg.py)
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
N_CODE = 0x110000
_SPACE = np.zeros(N_CODE, dtype=bool)
_SPACE[[ord(c) for c in WHITESPACE]] = True


def codepoints(text: str) -> np.ndarray:
    """The code points of ``text`` as uint32 (one per Python character)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def is_space(cp: np.ndarray) -> np.ndarray:
    return _SPACE[cp]


def _powers(base: int, n: int) -> np.ndarray:
    out = np.full(max(n, 1), base, dtype=np.uint64)
    out[0] = 1
    return np.cumprod(out, dtype=np.uint64)[:n]


class PrefixHash:
    """hash(s, e) = sum(v[j] * P**(e-1-j) for j in s..e-1) mod 2**64, for any [s, e) of ``v``."""

    def __init__(self, values: np.ndarray) -> None:
        v = values.astype(np.uint64)
        n = len(v)
        self.pw = _powers(P, n + 1)
        inv = _powers(P_INV, n)
        g = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(v * inv, dtype=np.uint64, out=g[1:])
        self.g = g

    def __call__(self, s: np.ndarray, e: np.ndarray) -> np.ndarray:
        return self.pw[np.maximum(e - 1, 0)] * (self.g[e] - self.g[s])


def string_hashes(words: List[str]) -> Tuple[np.ndarray, np.ndarray]:
    """(hash, length) of each word, as :class:`PrefixHash` computes them."""
    if not words:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    cp = codepoints("".join(words))
    lens = np.fromiter((len(w) for w in words), dtype=np.int64, count=len(words))
    ends = np.cumsum(lens)
    return PrefixHash(cp)(ends - lens, ends), lens


_FIB = np.uint64(0x9E3779B97F4A7C15)


class IntTable:
    """An open-addressing hash table, int64 key -> int32 value, looked up for whole arrays.

    Keys are placed in the order of their home slot (linear probing without wrap-around, so the
    placement is a running maximum: no insertion loop); a lookup probes twice, then falls back
    to a binary search of the sorted keys."""

    @classmethod
    def cached(cls, arrays: dict, name: str, keys: np.ndarray, values: np.ndarray | None = None) -> "IntTable":
        """The table stored under ``name`` in ``arrays`` (a model cache), else a new one, stored."""
        if f"{name}.slots" in arrays:
            t = cls.__new__(cls)
            t._restore(arrays[f"{name}.sorted"], arrays[f"{name}.values"], arrays[f"{name}.slots"],
                       arrays[f"{name}.slot_values"])
            return t
        t = cls(keys, values)
        arrays.update({f"{name}.sorted": t.skeys, f"{name}.values": t.svals, f"{name}.slots": t.keys,
                       f"{name}.slot_values": t.vals})
        return t

    def _restore(self, skeys: np.ndarray, svals: np.ndarray, keys: np.ndarray, vals: np.ndarray) -> None:
        self.n = len(skeys)
        bits = max(4, int(2 * max(self.n, 1) - 1).bit_length())
        self.shift, self.pshift = np.uint64(64 - bits), np.uint64(64 - bits - 3)
        self.skeys, self.svals, self.keys, self.vals = skeys, svals, keys, vals
        self.used = vals >= 0
        self.bitmap = np.zeros(1 << (bits + 3), dtype=bool)
        self.bitmap[((skeys.view(np.uint64) * _FIB) >> self.pshift).astype(np.int64)] = True

    def __init__(self, keys: np.ndarray, values: np.ndarray | None = None) -> None:
        keys = np.asarray(keys)
        keys = keys.view(np.int64) if keys.dtype == np.uint64 else keys.astype(np.int64)
        keys, first = np.unique(keys, return_index=True)  # sorted as int64, for the fallback
        vals = np.zeros(len(keys), np.int32) if values is None else np.asarray(values, np.int32)[first]
        bits = max(4, int(2 * max(len(keys), 1) - 1).bit_length())  # load factor <= 1/2
        self.shift = np.uint64(64 - bits)
        self.n = len(keys)
        self.skeys, self.svals = keys, vals  # sorted: the fallback after two probes
        # a bitmap 8 times the table's size answers most misses with one lookup
        self.pshift = np.uint64(64 - bits - 3)
        self.bitmap = np.zeros(1 << (bits + 3), dtype=bool)
        self.bitmap[((keys.view(np.uint64) * _FIB) >> self.pshift).astype(np.int64)] = True
        home = self._slot(keys)
        order = np.argsort(home, kind="stable")
        ar = np.arange(len(keys))
        place = np.maximum.accumulate(home[order] - ar) + ar if len(keys) else ar
        size = max(1 << bits, int(place.max(initial=0)) + 1) + 2  # the last slots stay empty
        self.keys = np.zeros(size, dtype=np.int64)
        self.vals = np.full(size, -1, dtype=np.int32)
        self.used = np.zeros(size, dtype=bool)
        self.keys[place] = keys[order]
        self.vals[place] = vals[order]
        self.used[place] = True

    def _slot(self, q: np.ndarray) -> np.ndarray:
        return ((q.view(np.uint64) * _FIB) >> self.shift).astype(np.int64)

    def __len__(self) -> int:
        return self.n

    def get(self, q: np.ndarray) -> np.ndarray:
        """The value of each key, -1 where absent."""
        q = np.ascontiguousarray(q, dtype=np.uint64 if q.dtype == np.uint64 else np.int64).view(np.int64)
        out = np.full(len(q), -1, dtype=np.int32)
        if not self.n or not len(q):
            return out
        hq = q.view(np.uint64) * _FIB
        idx = np.flatnonzero(self.bitmap[(hq >> self.pshift).astype(np.int64)])
        if len(idx):
            out[idx] = self._probe(q[idx], (hq[idx] >> self.shift).astype(np.int64))
        return out

    def _probe(self, q: np.ndarray, slot: np.ndarray) -> np.ndarray:
        out = np.full(len(q), -1, dtype=np.int32)
        todo = np.arange(len(q))
        for _round in range(2):
            hit = self.used[slot]
            found = hit & (self.keys[slot] == q)
            out[todo[found]] = self.vals[slot[found]]
            more = hit & ~found
            todo, q, slot = todo[more], q[more], slot[more] + 1
            if not len(todo):
                return out
        pos = np.minimum(np.searchsorted(self.skeys, q), self.n - 1)
        ok = self.skeys[pos] == q
        out[todo[ok]] = self.svals[pos[ok]]
        return out

    def contains(self, q: np.ndarray) -> np.ndarray:
        return self.get(q) >= 0


class HashSet(IntTable):
    """Membership of uint64 hashes."""

    def __init__(self, hashes: np.ndarray) -> None:
        super().__init__(np.asarray(hashes, dtype=np.uint64))


# --------------------------------------------------------------------------- user dictionary


class UserDict:
    """``spacy_pkuseg.Preprocesser``: user words are cut out first, longest match from the left
    (with its quirk: a match that stops on a character leaving the trie ends at that character)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.trie: dict = {}
        # trie node: [isword, children]
        root = [False, {}]
        by_len: dict[int, list[str]] = {}
        for w in words:
            w = w.strip()
            node = root
            for c in w:
                node = node[1].setdefault(c, [False, {}])
            node[0] = True
            if w and not any(c in WHITESPACE for c in w):
                by_len.setdefault(len(w), []).append(w)
        self.root = root
        self.max_len = max(by_len, default=0)
        first = [w[0] for ws in by_len.values() for w in ws]
        self.first = np.zeros(N_CODE, dtype=bool)
        if first:
            self.first[[ord(c) for c in first]] = True
        # per length k >= 2: the hashes of every k-character prefix of a word -> 1 if it is a word
        self.prefixes: dict[int, IntTable] = {}
        allw = [w for ws in by_len.values() for w in ws]
        self.single = HashSet(string_hashes(by_len.get(1, []))[0])
        for k in range(2, self.max_len + 1):
            pre = sorted({w[:k] for w in allw if len(w) >= k})
            words_k = set(by_len.get(k, ()))
            is_word = np.array([p in words_k for p in pre], dtype=np.int32)
            self.prefixes[k] = IntTable(string_hashes(pre)[0], is_word)

    def candidates(self, cp: np.ndarray, space: np.ndarray) -> np.ndarray:
        """Positions where some user word starts (a superset is fine; none is missed)."""
        n = len(cp)
        if self.max_len == 0 or n == 0:
            return np.zeros(0, dtype=np.int64)
        alive = np.flatnonzero(self.first[cp])
        h = cp[alive].astype(np.uint64)
        found = [alive[self.single.contains(h)]]
        p = np.uint64(P)
        for k in range(2, self.max_len + 1):
            if not len(alive):
                break
            ok = alive < n - k + 1
            alive, h = alive[ok], h[ok]
            nxt = alive + k - 1
            ok = ~space[nxt]
            alive, h, nxt = alive[ok], h[ok], nxt[ok]
            h = h * p + cp[nxt].astype(np.uint64)
            state = self.prefixes[k].get(h)
            found.append(alive[state == 1])
            ok = state >= 0
            alive, h = alive[ok], h[ok]
        return np.unique(np.concatenate(found))

    def matches(self, text: str, cand: np.ndarray, chunk_end: np.ndarray) -> List[Tuple[int, int]]:
        """The spans ``Preprocesser.solve`` cuts out, walking the trie at the candidates only."""
        out: List[Tuple[int, int]] = []
        nxt = 0
        root = self.root
        for i, l in zip(cand.tolist(), chunk_end.tolist()):
            if i < nxt:
                continue
            node, j, last = root, i, -1
            end = -1
            while True:
                child = node[1].get(text[j])
                if child is None:
                    if last != -1:
                        end = j
                    break
                node = child
                if node[0]:
                    last = j
                j += 1
                if j == l:
                    if last != -1:
                        end = last + 1
                    break
            if end > i:
                out.append((i, end))
                nxt = end
        return out


# --------------------------------------------------------------------------- post-processing


class PostDict:
    """``spacy_pkuseg.Postprocesser`` with an empty common list and ``check_seperated=True``:
    for m = 7..2, left to right, m consecutive tokens of one piece whose concatenation is a
    dictionary word are merged unless every one of them is a dictionary word itself."""

    def __init__(self, words, arrays: dict) -> None:
        self.words = words  # exact membership (a set or reportie's _WordSet)
        self.table = IntTable.cached(arrays, "post", arrays["post_hashes"])

    def merge(self, text: str, base: np.ndarray, cp: np.ndarray, starts: np.ndarray,
              ends: np.ndarray, piece: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Tokens [starts, ends) (compact indices; ``piece`` ids, in order) after post-processing.
        ``base[k]`` is the text offset of compact index k (contiguous within a piece)."""
        if not len(starts):
            return starts, ends
        ph = PrefixHash(cp)
        words = self.words
        for m in range(7, 1, -1):
            nt = len(starts)
            if nt < m:
                continue
            i = np.arange(nt - m + 1)
            ok = piece[i] == piece[i + m - 1]
            i = i[ok]
            s, e = starts[i], ends[i + m - 1]
            hit = i[self.table.contains(ph(s, e))]
            if not len(hit):
                continue
            drop = []
            nxt = -1
            st, en, bs = starts, ends, base
            for c in hit.tolist():
                if c < nxt:
                    continue
                a = int(bs[st[c]])
                merged = text[a: a + int(en[c + m - 1] - st[c])]
                if merged not in words:
                    continue
                toks = [text[int(bs[st[t]]): int(bs[st[t]]) + int(en[t] - st[t])] for t in range(c, c + m)]
                if all(t in words for t in toks):
                    continue
                drop.append((c, m))
                nxt = c + m
            if drop:
                keep = np.ones(nt, dtype=bool)
                new_ends = ends.copy()
                for c, mm in drop:
                    keep[c + 1: c + mm] = False
                    new_ends[c] = ends[c + mm - 1]
                starts, ends, piece = starts[keep], new_ends[keep], piece[keep]
        return starts, ends
