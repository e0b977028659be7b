"""``reportie_rulers``: spaCy's own ``span_ruler``, fed with reportie's patterns.

The component is spaCy's :class:`spacy.pipeline.SpanRuler` as configured in
``reportie/data/pipeline.cfg``::

    [components.reportie_rulers]
    factory = "span_ruler"
    spans_key = "reportie"          # reportie.contract.SPANS_KEY
    phrase_matcher_attr = "NORM"    # a traditional page matches on its simplified words
    overwrite = true

It finds the activities, bodies, laws and programmes of the report (labels ``ACTIVITY``,
``BODY``, ``LAW``, ``PROGRAMME``; pattern ids name the thing matched) and assigns them to
``doc.spans["reportie"]``. Its patterns are given at initialization, the way spaCy documents
it, by the registered function below::

    [initialize.components.reportie_rulers.patterns]
    @misc = "reportie.ruler_patterns.v1"
    files = ["activity", "body", "law", "programme"]

and are then saved with the pipeline (``reportie_rulers/patterns``). The same files give the
tokenizer its user words (``reportie.ruler_phrases.v1``), so that pkuseg keeps every phrase
pattern whole and segmentation and matching agree.
"""

from __future__ import annotations

from typing import Iterator, List, Sequence

from spacy.util import registry

from ..datafiles import load_jsonl

__all__ = ["PATTERN_FILES", "iter_patterns", "phrase_words", "ruler_patterns", "ruler_phrases"]

# The pattern files, ``reportie/data/patterns/<name>.jsonl``, in the order they are added.
PATTERN_FILES = ("activity", "body", "law", "programme")


def iter_patterns(files: Sequence[str] = PATTERN_FILES) -> Iterator[dict]:
    """Every ruler pattern of ``reportie/data/patterns/<file>.jsonl``, file after file (copies:
    the loader's cached rows are never handed out)."""
    for name in files:
        for pattern in load_jsonl(f"patterns/{name}.jsonl"):
            yield dict(pattern)


def phrase_words(files: Sequence[str] = PATTERN_FILES) -> List[str]:
    """The ruler's phrase patterns (the string ones): also given to pkuseg as user words."""
    return [p["pattern"] for p in iter_patterns(files) if isinstance(p["pattern"], str)]


@registry.misc("reportie.ruler_patterns.v1")
def ruler_patterns(files: List[str] = list(PATTERN_FILES)) -> List[dict]:
    """The ``patterns`` of ``[initialize.components.reportie_rulers]``: SpanRuler patterns
    (``label``, ``pattern``, ``id``) from ``reportie/data/patterns/<file>.jsonl``."""
    return list(iter_patterns(files))


@registry.misc("reportie.ruler_phrases.v1")
def ruler_phrases(files: List[str] = list(PATTERN_FILES)) -> List[str]:
    """The ``user_words`` of ``[initialize.tokenizer]``: the phrase patterns of those files."""
    return phrase_words(files)
