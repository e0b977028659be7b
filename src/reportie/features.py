"""What the sentence classifier sees of a sentence: its characters, its pkuseg words, the ruler
spans inside it, and the words of its section heading.

Shared by training and the ``reportie_classifier`` component so both see the same features.
Features are plain strings (no Python callables inside the model) so the model persists with
skops without untrusted types.
"""

from __future__ import annotations

from typing import List, Sequence, Tuple

import numpy as np
from spacy.tokens import Doc

from .components.sections import sentence_spans

HEADING_FLAG = "F_HEADING"


def _words(doc: Doc, start: int, end: int) -> List[str]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    return [t.text for t in span if not t.is_space]


def sentence_features(doc: Doc, spans_key: str = "reportie") -> np.ndarray:
    """One row per sentence: ``[sentence text, word/ruler/section token string]``."""
    sentences = sentence_spans(doc)
    rulers = sorted(doc.spans.get(spans_key, []), key=lambda s: s.start_char)
    headings = {(start, end) for start, end, heading, _ in sentences if heading}
    rows: List[Tuple[str, str]] = []
    section_words: List[str] = []
    for start, end, heading, _section in sentences:
        if heading:
            # A heading run (title + subtitle) is one section: extend it, else start afresh.
            if rows and rows[-1][1].startswith(HEADING_FLAG):
                section_words = section_words + _words(doc, start, end)
            else:
                section_words = _words(doc, start, end)
        tokens = _words(doc, start, end)
        tokens += [f"R_{s.label_}" for s in rulers if s.start_char >= start and s.end_char <= end]
        tokens += [f"R_{s.label_}_{s.text}" for s in rulers if s.start_char >= start and s.end_char <= end]
        tokens += [f"S_{w}" for w in section_words]
        flag = [HEADING_FLAG] if (start, end) in headings else []
        rows.append((doc.text[start:end], " ".join(flag + tokens)))
    return np.array(rows, dtype=object).reshape(-1, 2)


def stack(rows: Sequence[np.ndarray]) -> np.ndarray:
    rows = [r for r in rows if len(r)]
    return np.concatenate(rows) if rows else np.empty((0, 2), dtype=object)
