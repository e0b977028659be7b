"""``load()``: the reportie spaCy pipeline, built once per process.

spaCy's blank Chinese language with the pkuseg segmenter, then:
``reportie_sections`` → ``reportie_rulers`` (a SpanRuler fed from ``data/patterns/*.jsonl``)
→ ``reportie_quantities`` → ``reportie_classifier``.
"""

from __future__ import annotations

import threading
from importlib import resources
from typing import Iterator, List, Optional

import spacy
import srsly
from spacy.language import Language

from . import components  # noqa: F401  (registers the factories)
from .segmenter import load_segmenter

SPANS_KEY = "reportie"
# Reports longer than spaCy's default 1,000,000 characters are real (whole-year compilations).
MAX_LENGTH = 50_000_000
PATTERN_FILES = ("activity.jsonl", "body.jsonl", "law.jsonl", "programme.jsonl")

_lock = threading.Lock()
_cache: dict = {}


def iter_patterns() -> Iterator[dict]:
    """Every ruler pattern shipped in ``reportie/data/patterns``."""
    folder = resources.files("reportie").joinpath("data/patterns")
    for name in PATTERN_FILES:
        yield from srsly.read_jsonl(str(folder.joinpath(name)))


def phrase_words() -> List[str]:
    """Ruler phrases: also given to pkuseg so that segmentation and matching agree."""
    return [p["pattern"] for p in iter_patterns() if isinstance(p["pattern"], str)]


def build(*, classifier: bool = True) -> Language:
    """A fresh pipeline (use ``load()`` for the shared, cached one)."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    nlp.max_length = MAX_LENGTH
    nlp.tokenizer.pkuseg_seg = load_segmenter(phrase_words())
    nlp.add_pipe("reportie_sections")
    ruler = nlp.add_pipe(
        "span_ruler",
        name="reportie_rulers",
        config={"spans_key": SPANS_KEY, "overwrite": True, "phrase_matcher_attr": "ORTH"},
    )
    ruler.add_patterns(list(iter_patterns()))
    nlp.add_pipe("reportie_quantities", config={"spans_key": SPANS_KEY})
    if classifier:
        from .components import classifier as _classifier  # noqa: F401

        nlp.add_pipe("report_classifier", config={"spans_key": SPANS_KEY})
    return nlp


def load(*, classifier: bool = True) -> Language:
    """The shared pipeline, built on first use and cached for the life of the process."""
    key = ("nlp", classifier)
    with _lock:
        if key not in _cache:
            _cache[key] = build(classifier=classifier)
        return _cache[key]


def loaded(classifier: bool = True) -> Optional[Language]:
    """The cached pipeline if ``load()`` has built it, else None (for tests and workers)."""
    return _cache.get(("nlp", classifier))
