"""What the sentence classifier sees of a sentence: its characters, its pkuseg words, the ruler
spans inside it, and the words of its section heading.

Shared by training and the ``reportie_classifier`` component so both see the same features.
Features are plain strings (no Python callables inside the model) so the model persists with
skops without untrusted types.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from operator import itemgetter
from typing import List, Sequence, Tuple

import numpy as np
from spacy.attrs import IDX, IS_SPACE, LENGTH
from spacy.tokens import Doc

from .context import section_ids
from .contract import SPANS_KEY
from .docspans import doc_view, sentence_spans

HEADING_FLAG = "F_HEADING"
CONTEXT_SPANS = 200

# A sentence's tokens as (prefix, words) groups: the token string is every prefix + word, joined
# by spaces. The classifier's lean model reads the groups without building that string.
TokenGroups = Tuple[Tuple[str, List[str]], ...]


def _words(doc: Doc, start: int, end: int) -> List[str]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    return [t.text for t in span if not t.is_space]


class _DocTokens:
    """A Doc's token offsets and words, read once as columns: building a Token object for every
    word of every sentence cost more than the rest of the features."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.doc, self.text = doc, text
        columns = doc.to_array([IDX, LENGTH, IS_SPACE])
        self.starts, self.lengths = columns[:, 0].tolist(), columns[:, 1].tolist()
        is_word = columns[:, 2] == 0
        self.words = [text[a : a + n] for a, n in zip(columns[is_word, 0].tolist(), columns[is_word, 1].tolist())]
        self.words_before = [0] + np.cumsum(is_word).tolist()  # [t]: words among the tokens before token t

    def sentence_words(self, start: int, end: int) -> List[str]:
        """``_words(doc, start, end)``: the words of the tokens ``doc.char_span(start, end,
        alignment_mode="expand")`` covers, found by bisection (tokens tile the text: each starts
        where the previous one's whitespace ends); offsets outside the text are left to spaCy."""
        if not 0 <= start < end <= len(self.text):
            return _words(self.doc, start, end)
        first = bisect_right(self.starts, start) - 1
        if start == self.starts[first] + self.lengths[first]:
            first += 1  # ``start`` is in the token's trailing whitespace: spaCy skips that token
        last = bisect_right(self.starts, end - 1)
        return self.words[self.words_before[first] : self.words_before[last]]


def sentence_tokens(doc: Doc, spans_key: str = SPANS_KEY) -> List[Tuple[str, TokenGroups]]:
    """One ``(sentence text, token groups)`` pair per sentence (see ``sentence_features``)."""
    sentences = sentence_spans(doc)
    text = doc_view(doc)  # simplified, half-width: a traditional page reads like its simplified twin
    tokens = _DocTokens(doc, text)
    rulers = sorted(((s.start_char, s.end_char, s.label_) for s in doc.spans.get(spans_key, [])),
                    key=itemgetter(0))
    # A sentence's ruler spans are found by bisecting the start offsets (not by scanning every
    # span for every sentence, which grew with sentences × spans on long reports).
    ruler_starts = [r[0] for r in rulers]
    words = [tokens.sentence_words(s.start, s.end) for s in sentences]
    ruler_tokens: List[List[str]] = []
    for sentence in sentences:
        start, end = sentence.start, sentence.end
        lo, hi = bisect_left(ruler_starts, start), bisect_right(ruler_starts, end)
        inside = [r for r in rulers[lo:hi] if r[1] <= end]  # == every r with start <= r start, r end <= end
        ruler_tokens.append([f"R_{label}" for _s, _e, label in inside]
                            + [f"R_{label}_{text[s:e]}" for s, e, label in inside])  # text[s:e] == Span.text
    # Context beyond the neighbours: the ruler spans of the whole section (a heading run and the
    # sentences under it) and of the whole document, so that a page about one training class or
    # one deputy reads its sentences in that light.
    section_of = section_ids([s.heading for s in sentences])
    section_rulers: dict = {}
    for index, own in enumerate(ruler_tokens):
        section_rulers.setdefault(section_of[index], set()).update(t for t in own if t.count("_") > 1)
    counts = Counter(t for own in ruler_tokens for t in own if t.count("_") > 1)
    # At most CONTEXT_SPANS distinct spans per section or document (the most frequent): a training
    # document has at most 66, and a whole-year compilation must not repeat thousands per sentence.
    document_rulers = sorted(t for t, _n in counts.most_common(CONTEXT_SPANS))
    section_rulers = {k: sorted(v) if len(v) <= CONTEXT_SPANS else
                      sorted(sorted(v, key=lambda t: (-counts[t], t))[:CONTEXT_SPANS])
                      for k, v in section_rulers.items()}
    rows: List[Tuple[str, TokenGroups]] = []
    section_words: List[str] = []
    previous_heading = False
    for index, sentence in enumerate(sentences):
        heading = sentence.heading
        if heading:
            # A heading run (title + subtitle) is one section: extend it, else start afresh.
            section_words = (section_words if previous_heading else []) + words[index]
        previous_heading = bool(heading)
        groups = (
            ("", [HEADING_FLAG] if heading else []),
            ("", words[index]),
            ("", ruler_tokens[index]),
            ("S_", section_words),
            ("P_", words[index - 1] if index > 0 else []),
            ("N_", words[index + 1] if index + 1 < len(sentences) else []),
            ("C_", section_rulers[section_of[index]]),
            ("D_", document_rulers),
        )
        rows.append((text[sentence.start:sentence.end], groups))
    return rows


def token_string(groups: TokenGroups) -> str:
    return " ".join(prefix + word for prefix, words in groups for word in words)


def feature_rows(sentences: Sequence[Tuple[str, TokenGroups]]) -> np.ndarray:
    """``sentence_tokens`` as ``sentence_features`` rows."""
    rows = [(sentence, token_string(groups)) for sentence, groups in sentences]
    return np.array(rows, dtype=object).reshape(-1, 2)


def sentence_features(doc: Doc, spans_key: str = SPANS_KEY) -> np.ndarray:
    """One row per sentence: ``[sentence text, token string]``.

    The token string holds the sentence's words, its ruler spans (``R_``), the words of its
    section heading (``S_``) and of the sentences before and after it (``P_``, ``N_``): a
    short sentence such as 推动整改落实。 takes its function from its paragraph.
    """
    return feature_rows(sentence_tokens(doc, spans_key))


def stack(rows: Sequence[np.ndarray]) -> np.ndarray:
    rows = [r for r in rows if len(r)]
    return np.concatenate(rows) if rows else np.empty((0, 2), dtype=object)
