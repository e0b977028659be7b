"""Word lists read at a position: which listed word starts, or ends, at ``pos`` of a string.

The quantity finder asks this ~80,000 times per report of word lists of up to a few hundred
entries; trying every word with ``str.startswith`` was a quarter of the pipeline's time. A
:class:`WordList` is a tuple (so it still iterates, tests membership and compares as before)
that also indexes its words by first and by last character, keeping list order within each
character: the answer is the same word a scan of the list in order would give.
"""

from __future__ import annotations

from typing import Dict, Iterable, Optional, Sequence

__all__ = ["WordList", "word_at", "word_before"]


class WordList(tuple):
    """A tuple of words, indexed for :func:`word_at` and :func:`word_before`."""

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
        self.has_empty = "" in self
        return self


def _scan_at(s: str, pos: int, words: Sequence[str]) -> Optional[str]:
    for word in words:
        if s.startswith(word, pos):
            return word
    return None


def _scan_before(s: str, pos: int, words: Sequence[str]) -> Optional[str]:
    for word in words:
        if pos - len(word) >= 0 and s.startswith(word, pos - len(word)):
            return word
    return None


def word_at(s: str, pos: int, words: Sequence[str]) -> Optional[str]:
    """The first of ``words`` (in list order) that ``s`` has at ``pos``, else None."""
    if type(words) is not WordList or words.has_empty or pos < 0:
        return _scan_at(s, pos, words)
    if pos >= len(s):
        return None
    for word in words.by_first.get(s[pos], ()):
        if s.startswith(word, pos):
            return word
    return None


def word_before(s: str, pos: int, words: Sequence[str]) -> Optional[str]:
    """The first of ``words`` (in list order) that ends exactly at ``pos`` of ``s``, else None."""
    if type(words) is not WordList or words.has_empty:
        return _scan_before(s, pos, words)
    if pos <= 0 or pos > len(s):
        return None
    for word in words.by_last.get(s[pos - 1], ()):
        if pos - len(word) >= 0 and s.startswith(word, pos - len(word)):
            return word
    return None
