"""From a finished spaCy Doc to a ``Report``, and the ``extract`` entry points.

This is the one place that knows both spaCy and the records: nothing below ``Report`` imports spaCy.
"""

from __future__ import annotations

from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc

from .contract import ENTITY_LABELS, SPANS_KEY
from .docspans import doc_text, sentence_labels, sentence_spans
from .metadata import find_metadata
from .reading import TextOrPath, read_input
from .report import Entity, Quantity, Report, Sentence


def doc_to_report(doc: Doc, source: Optional[str] = None, spans_key: str = SPANS_KEY) -> Report:
    """Turn a Doc that went through the reportie pipeline into plain records."""
    text = doc_text(doc)
    if not text.strip():
        return _empty(text, source)
    labels = sentence_labels(doc)
    sentences = []
    for index, sentence in enumerate(sentence_spans(doc, compute=False)):
        start, end = sentence.start, sentence.end
        label, scores = (labels[index].label, labels[index].scores) if labels else (None, {})
        sentences.append(Sentence(text[start:end], start, end, sentence.section, bool(sentence.heading), label,
                                  dict(scores)))
    quantities = [Quantity(**record) for record in (doc._.reportie_quantities or [])]
    entities = [
        Entity(text[span.start_char:span.end_char], span.start_char, span.end_char, span.label_)  # == span.text
        for span in sorted(doc.spans.get(spans_key, []), key=lambda s: (s.start_char, -s.end_char))
        if span.label_ in ENTITY_LABELS
    ]
    meta = find_metadata(text)
    return Report(text, sentences, quantities, entities, meta.body, meta.level, meta.year, source)


def _empty(text: str, source: Optional[str]) -> Report:
    return Report(text=text, source=source)


def extract(text_or_path: TextOrPath, *, nlp: Optional[Language] = None) -> Report:
    """Read one report (text, ``Path`` or path string) and return its ``Report``.

    Raises ``reportie.InputError`` for a missing, unreadable or binary file. Empty or
    whitespace-only text gives an empty ``Report``.
    """
    text, source = read_input(text_or_path)
    if not text.strip():
        return _empty(text, source)
    if nlp is None:
        from .pipeline import load

        nlp = load()
    return doc_to_report(nlp(text), source)
