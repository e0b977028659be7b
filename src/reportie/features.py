"""What the sentence classifier sees of a sentence: its characters, its pkuseg words, the ruler
spans inside it, the words of its section heading, of its neighbours and of its paragraph.

Shared by training and the ``reportie_classifier`` component so both see the same features.
Features are plain strings (no Python callables inside the model) so the model persists with
skops without untrusted types.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from operator import itemgetter
from typing import List, Optional, Sequence, Tuple

import numpy as np
from spacy.attrs import IDX, SPACY
from spacy.tokens import Doc

from .context import paragraph_ids, section_ids
from .contract import SPANS_KEY
from .docspans import DocSentence, doc_text, doc_view, sentence_spans
from .segmenter.fast_text import codepoints, is_space

HEADING_FLAG = "F_HEADING"
ROW_WIDTH = 3  # a feature row: sentence text, token string, the sentence's own token string
CONTEXT_SPANS = 200
PARAGRAPH_REACH = 8  # the paragraph's sentences read for its words: at most this many either side

# A sentence's tokens as (prefix, words) groups: the token string is every prefix + word, joined
# by spaces. The classifier's lean model reads the groups without building that string.
TokenGroups = Tuple[Tuple[str, List[str]], ...]


def _words(doc: Doc, start: int, end: int) -> List[str]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    return [t.text for t in span if not t.is_space]


_CUT = "\uffff"  # a noncharacter: marks the cuts between words (a text holding one is sliced)


def _substrings(text: str, starts: np.ndarray, ends: np.ndarray) -> List[str]:
    """``[text[s:e] for s, e in zip(starts, ends)]`` for ordered, non-overlapping ranges, cut by
    one ``str.split`` (a slice per word cost more than the rest of the word list)."""
    if _CUT in text:
        return [text[s:e] for s, e in zip(starts.tolist(), ends.tolist())]
    points = codepoints(text)
    cuts = np.empty(2 * len(starts), dtype=np.int64)  # where a mark goes: before each start and end
    cuts[0::2], cuts[1::2] = starts, ends
    cuts += np.arange(len(cuts))  # (the marks before it move it on)
    marked = np.full(len(points) + len(cuts), ord(_CUT), dtype=points.dtype)
    kept = np.ones(len(marked), dtype=bool)
    kept[cuts] = False
    marked[kept] = points
    return marked.tobytes().decode("utf-32-le", "surrogatepass").split(_CUT)[1::2]


class _DocTokens:
    """A Doc's token offsets and words, read once as columns: building a Token object for every
    word of every sentence cost more than the rest of the features."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.doc, self.text = doc, text
        # Token attributes only: the lexeme ones (LENGTH, IS_SPACE) cost more to read than to
        # derive. Tokens tile the text, so a token ends where the next one starts, less its space.
        columns = doc.to_array([IDX, SPACY]).astype(np.int64)
        self.starts = columns[:, 0]
        self.ends = np.append(self.starts[1:], len(text)) - columns[:, 1]
        # IS_SPACE is str.isspace() of the token's text: not empty, and no other character in it
        solid = np.concatenate([[0], np.cumsum(~is_space(codepoints(doc_text(doc))))])
        is_word = (solid[self.ends] > solid[self.starts]) | (self.ends == self.starts)
        self.words = _substrings(text, self.starts[is_word], self.ends[is_word])
        self.words_before = np.concatenate([[0], np.cumsum(is_word)])  # [t]: words before token t

    def sentence_words(self, sentences: Sequence[DocSentence]) -> List[List[str]]:
        """``_words(doc, start, end)`` of every sentence: the words of the tokens
        ``doc.char_span(start, end, alignment_mode="expand")`` covers, found by bisection
        (tokens tile the text: each starts where the previous one's whitespace ends); offsets
        outside the text are left to spaCy."""
        if not len(self.starts):
            return [_words(self.doc, s.start, s.end) for s in sentences]
        starts = np.array([s.start for s in sentences], dtype=np.int64)
        ends = np.array([s.end for s in sentences], dtype=np.int64)
        first = np.searchsorted(self.starts, starts, side="right") - 1
        first += starts == self.ends[first]  # a start in a token's trailing whitespace: spaCy skips it
        last = np.searchsorted(self.starts, ends - 1, side="right")
        inside = ((0 <= starts) & (starts < ends) & (ends <= len(self.text))).tolist()
        words = self.words
        return [words[lo:hi] if ok else _words(self.doc, s.start, s.end) for s, ok, lo, hi
                in zip(sentences, inside, self.words_before[first].tolist(), self.words_before[last].tolist())]


def _ruler_tokens(doc: Doc, spans_key: str, text: str, sentences: Sequence[DocSentence]) -> List[List[str]]:
    """Each sentence's ruler-span tokens: ``R_<label>`` of every span inside it, then
    ``R_<label>_<span text>`` of every span inside it (spans in order of their start)."""
    rulers = sorted(((s.start_char, s.end_char, s.label_) for s in doc.spans.get(spans_key, [])),
                    key=itemgetter(0))
    # A sentence's ruler spans are found by bisecting the start offsets (not by scanning every
    # span for every sentence, which grew with sentences × spans on long reports).
    ruler_starts = [r[0] for r in rulers]
    ruler_tokens: List[List[str]] = []
    for sentence in sentences:
        start, end = sentence.start, sentence.end
        lo, hi = bisect_left(ruler_starts, start), bisect_right(ruler_starts, end)
        if lo == hi:  # most sentences hold no span
            ruler_tokens.append([])
            continue
        inside = [r for r in rulers[lo:hi] if r[1] <= end]  # == every r with start <= r start, r end <= end
        ruler_tokens.append([f"R_{label}" for _s, _e, label in inside]
                            + [f"R_{label}_{text[s:e]}" for s, e, label in inside])  # text[s:e] == Span.text
    return ruler_tokens


def sentence_tokens(doc: Doc, spans_key: str = SPANS_KEY,
                    paragraphs: Optional[List[int]] = None) -> List[Tuple[str, TokenGroups]]:
    """One ``(sentence text, token groups)`` pair per sentence (see ``sentence_features``);
    ``paragraphs``: the sentences' :func:`~reportie.context.paragraph_ids`, when the caller has them."""
    sentences = sentence_spans(doc)
    text = doc_view(doc)  # simplified, half-width: a traditional page reads like its simplified twin
    words = _DocTokens(doc, text).sentence_words(sentences)
    ruler_tokens = _ruler_tokens(doc, spans_key, text, sentences)
    # Context beyond the neighbours: the ruler spans of the whole section (a heading run and the
    # sentences under it) and of the whole document, so that a page about one training class or
    # one deputy reads its sentences in that light.
    section_of = section_ids([s.heading for s in sentences])
    section_rulers: dict = {k: set() for k in section_of}
    counts: Counter = Counter()
    for index, own in enumerate(ruler_tokens):
        if own:
            spans = [t for t in own if t.count("_") > 1]
            section_rulers[section_of[index]].update(spans)
            counts.update(spans)
    # At most CONTEXT_SPANS distinct spans per section or document (the most frequent): a training
    # document has at most 66, and a whole-year compilation must not repeat thousands per sentence.
    document_rulers = sorted(t for t, _n in counts.most_common(CONTEXT_SPANS))
    section_rulers = {k: sorted(v) if len(v) <= CONTEXT_SPANS else
                      sorted(sorted(v, key=lambda t: (-counts[t], t))[:CONTEXT_SPANS])
                      for k, v in section_rulers.items()}
    if paragraphs is None:
        paragraphs = paragraph_ids(doc_text(doc), sentences)
    paragraph_words = _paragraph_words(words, paragraphs)
    rows: List[Tuple[str, TokenGroups]] = []
    section_words: List[str] = []
    previous_heading = False
    last = len(sentences) - 1
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
            ("N_", words[index + 1] if index < last else []),
            ("C_", section_rulers[section_of[index]]),
            ("D_", document_rulers),
            ("G_", paragraph_words[index]),
        )
        rows.append((text[sentence.start:sentence.end], groups))
    return rows


def _paragraph_words(words: List[List[str]], paragraphs: List[int]) -> List[List[str]]:
    """Per sentence, the distinct words (sorted) of the other sentences of its paragraph within
    ``PARAGRAPH_REACH``: a paragraph of a report usually tells one piece of work, so 推动整改落实。
    or a figure's sentence reads in the light of the sentences around it that name the work."""
    out: List[List[str]] = []
    n = len(words)
    for index, paragraph in enumerate(paragraphs):
        lo, hi = max(0, index - PARAGRAPH_REACH), min(n, index + PARAGRAPH_REACH + 1)
        others = {w for j in range(lo, hi) if j != index and paragraphs[j] == paragraph for w in words[j]}
        out.append(sorted(others))
    return out


def token_string(groups: TokenGroups) -> str:
    return " ".join(prefix + word for prefix, words in groups for word in words)


def own_groups(groups: TokenGroups) -> TokenGroups:
    """The groups of the sentence itself (its words, ruler spans and heading flag: the unprefixed
    ones), without its section, neighbours, paragraph and document."""
    return tuple(group for group in groups if not group[0])


def feature_rows(sentences: Sequence[Tuple[str, TokenGroups]]) -> np.ndarray:
    """``sentence_tokens`` as ``sentence_features`` rows."""
    rows = [(sentence, token_string(groups), token_string(own_groups(groups))) for sentence, groups in sentences]
    return np.array(rows, dtype=object).reshape(-1, ROW_WIDTH)


def sentence_features(doc: Doc, spans_key: str = SPANS_KEY) -> np.ndarray:
    """One row per sentence: ``[sentence text, token string, the sentence's own token string]``.

    The token string holds the sentence's words, its ruler spans (``R_``), the words of its
    section heading (``S_``), of the sentences before and after it (``P_``, ``N_``) and of the
    rest of its paragraph (``G_``), and the ruler spans of its section and document (``C_``,
    ``D_``): a short sentence such as 推动整改落实。 takes its function from its paragraph. The
    third column holds only the sentence's own words, ruler spans and heading flag
    (:func:`own_groups`), for the reader that sees the sentence alone.
    """
    return feature_rows(sentence_tokens(doc, spans_key))


def stack(rows: Sequence[np.ndarray]) -> np.ndarray:
    rows = [r for r in rows if len(r)]
    return np.concatenate(rows) if rows else np.empty((0, ROW_WIDTH), dtype=object)
