"""What the reportie pipeline writes onto a Doc, and the accessors that read it.

The one module that declares reportie's ``Doc._`` payloads: their extensions, their types and
the functions that read them. It sits below the components (which write the payloads) and
below ``features`` and ``extraction`` (which read them): it imports only spaCy's ``Doc`` and
reportie's pure text modules, so no module has to import a component to read a Doc.

Payloads (every value is plain data, so Docs survive ``Doc.to_bytes``, ``DocBin`` and
``nlp.pipe(n_process=...)``):

``doc._.reportie_text``, ``doc._.reportie_view`` (str)
    The Doc's text and its simplified view (:func:`reportie.script.simplified_view`), set by
    the tokenizer; read with :func:`doc_text` / :func:`doc_view`.
``doc._.reportie_sentences`` (list of :class:`DocSentence`)
    Set by ``reportie_sections``; read with :func:`sentence_spans`.
``doc._.reportie_quantities`` (list of dict)
    Set by ``reportie_quantities``: one dict per quantity, the fields of
    :class:`reportie.report.Quantity` (spec §2) plus ``sentence``, the index of its sentence.
``doc._.reportie_labels`` (list of :class:`SentenceLabel`)
    Set by ``reportie_classifier``, one per sentence; read with :func:`sentence_labels`.

A named tuple is packed by msgpack as a plain array, so a Doc that went through bytes gives
back plain tuples: the accessors turn them into the named types again.
"""

from __future__ import annotations

from typing import Dict, List, NamedTuple, Optional

from spacy.tokens import Doc

from .script import simplified_view
from .sentences import split_sentences

__all__ = ["DocSentence", "SentenceLabel", "doc_text", "doc_view", "sentence_spans", "sentence_labels"]


class DocSentence(NamedTuple):
    """One sentence of ``doc._.reportie_sentences``: ``doc.text[start:end]``, whether it is a
    heading, and the name of its section (the heading above it, or None)."""

    start: int
    end: int
    heading: bool
    section: Optional[str]


class SentenceLabel(NamedTuple):
    """One sentence's category in ``doc._.reportie_labels``: the most probable label and the
    probability of every label (rounded to 4 places)."""

    label: str
    scores: Dict[str, float]


for _name in ("reportie_text", "reportie_view", "reportie_sentences", "reportie_quantities", "reportie_labels"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed at most once per Doc (``Doc.text`` builds every Token and joins
    their texts on each access; the tokenizer stores the text it was given)."""
    text = doc._.reportie_text
    # O(1) guard against a Doc carrying another Doc's text (e.g. copied user data)
    if text is None or (len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) != len(text)):
        text = doc.text
        doc._.reportie_text = text
    return text


def doc_view(doc: Doc) -> str:
    """The Doc's text as the readers of words see it (:func:`reportie.script.simplified_view`:
    simplified, half-width digits; the same length), computed at most once per Doc."""
    text = doc_text(doc)
    view = doc._.reportie_view
    if view is None or len(view) != len(text):
        view = simplified_view(text)
        doc._.reportie_view = view
    return view


def split_doc(doc: Doc) -> List[DocSentence]:
    """The Doc's sentences as ``reportie_sections`` finds them (:func:`reportie.sentences.split_sentences`)."""
    return [DocSentence(s.start, s.end, s.heading, s.section) for s in split_sentences(doc_text(doc))]


def sentence_spans(doc: Doc, *, compute: bool = True) -> List[DocSentence]:
    """``doc._.reportie_sentences``; if ``reportie_sections`` did not run, computed and stored
    now (or ``[]`` with ``compute=False``)."""
    sentences = doc._.reportie_sentences
    if sentences is None:
        if not compute:
            return []
        sentences = doc._.reportie_sentences = split_doc(doc)
    elif sentences and type(sentences[0]) is not DocSentence:  # back from msgpack: plain tuples
        sentences = doc._.reportie_sentences = [DocSentence(*s) for s in sentences]
    return sentences


def sentence_labels(doc: Doc) -> Optional[List[SentenceLabel]]:
    """``doc._.reportie_labels``, or None when no classifier ran."""
    labels = doc._.reportie_labels
    if labels and type(labels[0]) is not SentenceLabel:  # back from msgpack: plain tuples
        labels = doc._.reportie_labels = [SentenceLabel(label, dict(scores)) for label, scores in labels]
    return labels
