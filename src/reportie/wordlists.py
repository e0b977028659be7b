"""Word lists read at a position: which listed word starts, or ends, at ``pos`` of a string.

The quantity finder asks this ~80,000 times per report of word lists of up to a few hundred
entries; trying every word with ``str.startswith`` was a quarter of the pipeline's time. A
:class:`WordList` is a tuple (so it still iterates, tests membership and compares as before)
that also indexes its words by first and by last character (and a long bucket again by the
next character), keeping list order within each: the answer is the same word a scan of the
list in order would give.
:func:`occurrences` reads a list at every position of a string at once.
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

__all__ = ["WordList", "word_at", "word_before", "occurrences"]


class WordList(tuple):
    """A tuple of words, indexed for :func:`word_at`, :func:`word_before` and :func:`occurrences`."""

    def __new__(cls, words: Iterable[str]) -> "WordList":
        self = super().__new__(cls, tuple(words))
        by_first: Dict[str, list] = {}
        by_last: Dict[str, list] = {}
        for word in self:
            if word:
                by_first.setdefault(word[0], []).append(word)
                by_last.setdefault(word[-1], []).append(word)
        self.by_first = {ch: tuple(ws) for ch, ws in by_first.items()}
        self.by_last = {ch: tuple(ws) for ch, ws in by_last.items()}
        # what word_at / word_before read: the words by first (last) character, and a long bucket
        # (the dozen words of after_excl that start with 个) indexed again by the character after
        # the first (before the last), as a dict: a word can match only if that one does too
        self.at_index = {ch: _by_next(ws, 1) if len(ws) > _FEW else ws for ch, ws in self.by_first.items()}
        self.before_index = {ch: _by_next(ws, -2) if len(ws) > _FEW else ws for ch, ws in self.by_last.items()}
        self.has_empty = "" in self
        self.longest = max(map(len, self), default=0)
        self._starts_re: Optional["re.Pattern[str]"] = None
        return self

    @property
    def starts_re(self) -> "re.Pattern[str]":
        """One branch per first character, ``c(?=(rest1|rest2|…))`` with the rests in list order.

        A search skips straight to a character that starts a word (a lookahead at every position
        tried the whole alternation there: twice as slow); the branch's group holds the rest of
        the first word that starts there. Compiled on first use."""
        if self._starts_re is None:
            self._starts_re = re.compile("|".join(
                re.escape(first) + "(?=(" + "|".join(re.escape(word[1:]) for word in words) + "))"
                for first, words in self.by_first.items()))
        return self._starts_re


_FEW = 4  # words sharing a first (last) character that are simply tried in turn


def _by_next(words: Tuple[str, ...], at: int) -> Dict[Optional[str], Tuple[str, ...]]:
    """``words`` (sharing a first or last character) by their character ``at`` (1: the second,
    -2: the one before the last), each with the one-character words, in list order; ``None``: the
    one-character words alone."""
    keys = {word[at] for word in words if len(word) > 1}
    index: Dict[Optional[str], Tuple[str, ...]] = {
        key: tuple(word for word in words if len(word) == 1 or word[at] == key) for key in keys}
    index[None] = tuple(word for word in words if len(word) == 1)
    return index


def _scan_at(s: str, pos: int, words: Sequence[str]) -> Optional[str]:
    for word in words:
        if s.startswith(word, pos):
            return word
    return None


def _scan_before(s: str, pos: int, words: Sequence[str], lo: int = 0) -> Optional[str]:
    for word in words:
        if pos - len(word) >= lo and s.startswith(word, pos - len(word)):
            return word
    return None


def word_at(s: str, pos: int, words: Sequence[str]) -> Optional[str]:
    """The first of ``words`` (in list order) that ``s`` has at ``pos``, else None."""
    if type(words) is not WordList or words.has_empty or pos < 0:
        return _scan_at(s, pos, words)
    if pos >= len(s):
        return None
    bucket = words.at_index.get(s[pos], ())
    if type(bucket) is dict:
        bucket = bucket.get(s[pos + 1], bucket[None]) if pos + 1 < len(s) else bucket[None]
    for word in bucket:
        if s.startswith(word, pos):
            return word
    return None


def word_before(s: str, pos: int, words: Sequence[str], lo: int = 0) -> Optional[str]:
    """The first of ``words`` (in list order) that ends exactly at ``pos`` of ``s`` and starts
    at ``lo`` or later, else None."""
    if type(words) is not WordList or words.has_empty:
        return _scan_before(s, pos, words, lo)
    if pos <= 0 or pos > len(s):
        return None
    bucket = words.before_index.get(s[pos - 1], ())
    if type(bucket) is dict:
        bucket = bucket.get(s[pos - 2], bucket[None]) if pos >= 2 else bucket[None]
    for word in bucket:
        if pos - len(word) >= lo and s.startswith(word, pos - len(word)):
            return word
    return None


def occurrences(s: str, words: WordList, end: Optional[int] = None, start: int = 0) -> List[Tuple[int, int]]:
    """``(start, end)`` of the first listed word (in list order) at each position of ``s[:end]``
    from ``start`` on: the spans of ``re.finditer("(?=(w1|w2|…))", s[:end], start)``."""
    end = len(s) if end is None else end
    if words.has_empty:  # a word at every position
        return [(pos, pos + len(_scan_at(s[:end], pos, words) or "")) for pos in range(max(start, 0), max(end, 0) + 1)]
    if not words:
        return []
    return [(m.start(), m.end() + len(m.group(m.lastindex))) for m in words.starts_re.finditer(s, start, end)]
