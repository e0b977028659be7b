"""``reportie_sections``: sentence and heading boundaries, and each sentence's section."""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.errors import Errors
from spacy.language import Language
from spacy.tokens import Doc

from ..docspans import sentence_spans, split_doc

__all__ = ["Sections", "make_sections", "sentence_spans"]


class Sections:
    """Split a report into sentences and headings, and give each sentence its section.

    The rules are those of the pure :func:`reportie.sentences.split_sentences` (a sentence ends
    after 。！？； or at a line break; a short line without end punctuation is a heading; a
    sentence's section is the heading run above it), so sentence offsets always agree with the
    annotation tools.

    Config: none.

    Assigns:
        ``doc._.reportie_sentences``: one :class:`reportie.docspans.DocSentence`
        ``(start, end, heading, section)`` per sentence, in character offsets of ``doc.text``.
        ``token.is_sent_start``: True on the first token of each sentence (so ``doc.sents``
        follows the same sentences, widened to whole tokens).
    """

    def __init__(self, nlp: Language, name: str = "reportie_sections") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        sentences = doc._.reportie_sentences = split_doc(doc)
        starts = set()
        for sentence in sentences:
            token_span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
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
    """Create a :class:`Sections` component (no settings)."""
    return Sections(nlp, name)
