"""What the sentence classifier sees of a sentence: its characters, its pkuseg words, the ruler
spans inside it, and the words of its section heading.

Shared by training and the ``reportie_classifier`` component so both see the same features.
Features are plain strings (no Python callables inside the model) so the model persists with
skops without untrusted types.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import List, Sequence, Tuple

import numpy as np
from spacy.tokens import Doc

from .components.doctext import doc_text
from .components.sections import sentence_spans

HEADING_FLAG = "F_HEADING"


def _words(doc: Doc, start: int, end: int) -> List[str]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    return [t.text for t in span if not t.is_space]


def sentence_features(doc: Doc, spans_key: str = "reportie") -> np.ndarray:
    """One row per sentence: ``[sentence text, token string]``.

    The token string holds the sentence's words, its ruler spans (``R_``), the words of its
    section heading (``S_``) and of the sentences before and after it (``P_``, ``N_``): a
    short sentence such as 推动整改落实。 takes its function from its paragraph.
    """
    sentences = sentence_spans(doc)
    text = doc_text(doc)
    rulers = sorted(doc.spans.get(spans_key, []), key=lambda s: s.start_char)
    # A sentence's ruler spans are found by bisecting the start offsets (not by scanning every
    # span for every sentence, which grew with sentences × spans on long reports).
    ruler_starts = [s.start_char for s in rulers]
    words = [_words(doc, start, end) for start, end, _heading, _section in sentences]
    rows: List[Tuple[str, str]] = []
    section_words: List[str] = []
    previous_heading = False
    for index, (start, end, heading, _section) in enumerate(sentences):
        if heading:
            # A heading run (title + subtitle) is one section: extend it, else start afresh.
            section_words = (section_words if previous_heading else []) + words[index]
        previous_heading = bool(heading)
        lo, hi = bisect_left(ruler_starts, start), bisect_right(ruler_starts, end)
        inside = [s for s in rulers[lo:hi] if s.end_char <= end]  # == every s with start <= s.start_char, s.end_char <= end
        tokens = ([HEADING_FLAG] if heading else []) + words[index]
        tokens += [f"R_{s.label_}" for s in inside] + [f"R_{s.label_}_{s.text}" for s in inside]
        tokens += [f"S_{w}" for w in section_words]
        if index > 0:
            tokens += [f"P_{w}" for w in words[index - 1]]
        if index + 1 < len(sentences):
            tokens += [f"N_{w}" for w in words[index + 1]]
        rows.append((text[start:end], " ".join(tokens)))
    return np.array(rows, dtype=object).reshape(-1, 2)


def stack(rows: Sequence[np.ndarray]) -> np.ndarray:
    rows = [r for r in rows if len(r)]
    return np.concatenate(rows) if rows else np.empty((0, 2), dtype=object)
