"""``reportie_sections``: sentence and heading boundaries, and each sentence's section."""

from __future__ import annotations

from typing import List

import numpy
from spacy.attrs import SENT_START
from spacy.errors import Errors
from spacy.language import Language
from spacy.tokens import Doc

from ..sentences import split_sentences
from .doctext import doc_text

if not Doc.has_extension("reportie_sentences"):
    # One [start, end, heading, section] list per sentence, in character offsets of doc.text.
    Doc.set_extension("reportie_sentences", default=None)


class Sections:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        spans = split_sentences(doc_text(doc))
        doc._.reportie_sentences = [[s.start, s.end, s.heading, s.section] for s in spans]
        starts = set()
        for span in spans:
            token_span = doc.char_span(span.start, span.end, alignment_mode="expand")
            if token_span is not None:
                starts.add(token_span.start)
        if len(doc):
            # Same result as ``token.is_sent_start = token.i == 0 or token.i in starts`` for every
            # token, but that setter re-scans the whole Doc (``has_annotation("DEP")``) on each
            # call, which made this component quadratic: check once, then write the column.
            if doc.has_annotation("DEP"):
                raise ValueError(Errors.E043)
            column = numpy.full(len(doc), -1, dtype=numpy.int64)  # -1: not a sentence start
            column[0] = 1
            column[sorted(starts)] = 1
            doc.from_array([SENT_START], column.view(numpy.uint64))
        return doc


@Language.factory("reportie_sections", assigns=["doc._.reportie_sentences", "token.is_sent_start"])
def make_sections(nlp: Language, name: str) -> Sections:
    return Sections(nlp, name)


def sentence_spans(doc: Doc) -> List[list]:
    """The sentence list written by this component (computed on demand if it did not run)."""
    if doc._.reportie_sentences is None:
        doc._.reportie_sentences = [[s.start, s.end, s.heading, s.section] for s in split_sentences(doc_text(doc))]
    return doc._.reportie_sentences
