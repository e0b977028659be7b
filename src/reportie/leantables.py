"""Lookup tables of the lean classifier (:mod:`reportie.leanmodel`): a word vocabulary read under
several prefixes at once, and the character n-gram vocabulary as integer keys in an open-addressing
hash table, so that a sentence's n-grams are found with array operations."""

from __future__ import annotations

from itertools import repeat
from typing import Dict, Iterable, List, Sequence, Tuple

import numpy as np


class _PrefixedWords:
    """A word vocabulary read by (prefix, word): the index of the term prefix + word for every
    prefix at once, so that a word list read under several prefixes is looked up once.

    ``ids[rows_of(words), column(prefix)]``: one row per word that ends a term after some
    prefix, one column per prefix seen; -1 where prefix + word is no term, and in the last row,
    the row of every other word.

    The words are added in the order of ``terms`` (the most common first), each as a new string:
    the entries, keys and values of the words a report looks up most lie close together in
    memory, which the lookups (by then out of cache) find faster.
    """

    def __init__(self, vocabulary: Dict[str, int], terms: Sequence[str]) -> None:
        self.vocabulary, self.terms = vocabulary, terms
        self.rows: Dict[str, int] = {}
        self.columns: Dict[str, int] = {}
        self.ids = np.full((1, 0), -1, dtype=np.int64)

    def column(self, prefix: str) -> int:
        column = self.columns.get(prefix)
        if column is None:  # a new prefix: a new column (and rows for its new words)
            cut = len(prefix)
            terms = [(term[cut:], self.vocabulary[term]) for term in self.terms if term.startswith(prefix)]
            for word, _i in terms:
                if word not in self.rows:
                    self.rows[(" " + word)[1:]] = len(self.rows)  # a copy, made now
            ids = np.full((len(self.rows) + 1, len(self.columns) + 1), -1, dtype=np.int64)
            ids[: len(self.ids) - 1, :-1] = self.ids[:-1]
            ids[[self.rows[word] for word, _i in terms], -1] = [i for _word, i in terms]
            column = self.columns[prefix] = len(self.columns)
            self.ids = ids
        return column

    def rows_of(self, words: Iterable[str], count: int) -> np.ndarray:
        """The row of each of the ``count`` words (the last row for a word that ends no term)."""
        return np.fromiter(map(self.rows.get, words, repeat(len(self.rows))), dtype=np.int64, count=count)


class _CharCodes:
    """Character n-grams as integers, to find a char vocabulary's n-grams with numpy.

    Each character of the vocabulary gets a code 1..A-1 (0: any other character, and the gap
    between rows); an n-gram is the base-A number of its codes, so an n-gram's number equals a
    vocabulary term's number exactly when the n-gram is that term (a 0 digit never matches).
    The n-grams of each length n are shifted past those of the shorter ones (by the sum of A ** m,
    m < n), so one table holds every length. Used only while A ** max_n fits in 63 bits.
    """

    def __init__(self, vocabulary: List[str], ngram_range: List[int]) -> None:
        self.min_n, self.max_n = int(ngram_range[0]), int(ngram_range[1])
        alphabet = sorted({ord(c) for term in vocabulary for c in term})
        self.base = len(alphabet) + 1
        self.usable = bool(alphabet) and self.base ** self.max_n < 2**63
        if not self.usable:
            return
        # code of every code point up to the alphabet's last, then 0 for any code point above it
        self.code_of = np.zeros(alphabet[-1] + 2, dtype=np.uint64)
        self.code_of[alphabet] = np.arange(1, self.base, dtype=np.uint64)
        self.shifts: Dict[int, np.uint64] = {}  # n → where the numbers of the n-grams start
        keys, values, shift = [], [], 0
        for n in range(self.min_n, self.max_n + 1):
            terms = [(i, t) for i, t in enumerate(vocabulary) if len(t) == n]
            if terms:
                self.shifts[n] = np.uint64(shift)
                keys.append(self._keys(self._codes("".join(t for _i, t in terms)), n)[::n] + self.shifts[n])
                values.append(np.array([i for i, _t in terms], dtype=np.int64))
            shift += self.base**n  # < 2 * A ** max_n <= 2 ** 64
        self.table = _NgramTable(np.concatenate(keys), np.concatenate(values)) if keys else None

    def _codes(self, text: str) -> np.ndarray:
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        return self.code_of[np.minimum(points, len(self.code_of) - 1)]

    def _keys(self, codes: np.ndarray, n: int) -> np.ndarray:
        """The number of the n-gram starting at each position (positions 0 .. len - n)."""
        size = len(codes) - n + 1
        keys = codes[:size].copy()
        for j in range(1, n):
            keys *= self.base
            keys += codes[j : j + size]
        return keys

    def lookup(self, texts: List[str]) -> Tuple[np.ndarray, np.ndarray]:
        """(row, feature index) of every vocabulary n-gram of every text, as sklearn counts them."""
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        codes = self._codes("\x00".join(texts))
        ends = np.cumsum(lengths + 1)[:-1] - 1
        codes[ends] = 0  # the gap between two rows: no n-gram crosses it
        row_at = np.repeat(np.arange(len(texts)), lengths + 1)[: len(codes)]
        sizes = [n for n in self.shifts if len(codes) >= n]
        if not sizes:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        # the n-grams of every size at once, looked up in one pass
        index = self.table.lookup(np.concatenate([self._keys(codes, n) + self.shifts[n] for n in sizes]))
        hit = index >= 0
        return np.concatenate([row_at[: len(codes) - n + 1] for n in sizes])[hit], index[hit]


class _NgramTable:
    """A hash table (open addressing, linear probing) from n-gram numbers to vocabulary indices,
    built and searched with whole-array numpy steps: faster than np.searchsorted in sorted keys."""

    _SPREAD = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of key × 2**64/φ

    def __init__(self, keys: np.ndarray, values: np.ndarray) -> None:
        bits = max(4, (4 * len(keys)).bit_length())  # at most a quarter full: probe runs stay short
        self.mask, self.shift = (1 << bits) - 1, np.uint64(64 - bits)
        self.keys = np.zeros(1 << bits, dtype=np.uint64)  # 0: empty (an n-gram number is never 0)
        self.values = np.full(1 << bits, -1, dtype=np.int64)
        waiting, slots = np.arange(len(keys)), self._home(keys)
        while len(waiting):
            free = np.flatnonzero(self.keys[slots] == 0)
            taken, first = np.unique(slots[free], return_index=True)  # one key per free slot
            placed = waiting[free[first]]
            self.keys[taken], self.values[taken] = keys[placed], values[placed]
            later = np.ones(len(waiting), dtype=bool)
            later[free[first]] = False
            waiting, slots = waiting[later], (slots[later] + 1) & self.mask
        self.occupied = (self.keys != 0).view(np.uint8)  # 1 byte a slot: searched before the keys

    def _home(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * self._SPREAD) >> self.shift).astype(np.int64)

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """The value of each key, -1 for keys not in the table."""
        found = np.full(len(keys), -1, dtype=np.int64)
        slots = self._home(keys)
        active = np.flatnonzero(self.occupied[slots])  # a key whose home slot is empty is absent
        slots = slots[active]
        while len(active):
            stored = self.keys[slots]
            hit = stored == keys[active]
            found[active[hit]] = self.values[slots[hit]]
            on = (stored != 0) & ~hit  # another key's slot: probe the next one
            active, slots = active[on], (slots[on] + 1) & self.mask
        return found
