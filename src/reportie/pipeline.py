"""``load()``: the reportie spaCy pipeline, built once per process.

The pipeline is described by a spaCy config, ``reportie/data/pipeline.cfg``: spaCy's Chinese
language with reportie's tokenizer (``reportie.PkusegTokenizer.v1``, :mod:`reportie.tokenizer`),
then ``reportie_sections`` → ``reportie_rulers`` (spaCy's ``span_ruler``, its patterns given at
initialization from ``data/patterns/*.jsonl``) → ``reportie_quantities`` →
``reportie_classifier``. :func:`build` makes it from the config and initializes it (which loads
the segmenter and adds the patterns); ``nlp.to_disk(path)`` saves it and ``spacy.load(path)``
loads it again, the segmentation model coming from reportie's model cache both times.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable, Optional

from spacy import util
from spacy.language import Language
from spacy.util import registry

from . import components  # noqa: F401  (registers the factories and the ruler's pattern readers)
from .components.rulers import PATTERN_FILES, iter_patterns, phrase_words  # noqa: F401  (the old names)
from .contract import SPANS_KEY  # noqa: F401  (imported from here by older code)
from .datafiles import read_text
from .tokenizer import PkusegTokenizer, words_and_spaces  # noqa: F401  (registers the tokenizer)

__all__ = ["build", "load", "loaded", "pipeline_config", "max_length_callback", "CLASSIFIER", "CONFIG_FILE",
           "MAX_LENGTH", "SPANS_KEY", "PkusegTokenizer", "words_and_spaces", "PATTERN_FILES", "iter_patterns",
           "phrase_words"]

CONFIG_FILE = "pipeline.cfg"
CLASSIFIER = "reportie_classifier"
# Reports longer than spaCy's default 1,000,000 characters are real (whole-year compilations).
MAX_LENGTH = 50_000_000

_lock = threading.Lock()
_cache: dict = {}


@registry.callbacks("reportie.max_length.v1")
def max_length_callback(max_length: int = MAX_LENGTH) -> Callable[[Language], Language]:
    """``[nlp.after_creation]``: set ``nlp.max_length`` (spaCy refuses longer texts)."""

    def set_max_length(nlp: Language) -> Language:
        nlp.max_length = max_length
        return nlp

    return set_max_length


def pipeline_config(*, classifier: bool = True, model_path: Optional[Path] = None) -> Any:
    """The pipeline's config (``data/pipeline.cfg``), without the classifier if asked, and with
    ``model_path`` as the tokenizer's ``pkuseg_model``."""
    config = util.load_config_from_str(read_text(CONFIG_FILE))
    if not classifier:
        config["nlp"]["pipeline"] = [name for name in config["nlp"]["pipeline"] if name != CLASSIFIER]
        del config["components"][CLASSIFIER]
    if model_path is not None:
        config["initialize"]["tokenizer"]["pkuseg_model"] = str(model_path)
    return config


def build(*, classifier: bool = True, model_path: Optional[Path] = None) -> Language:
    """A fresh pipeline (use ``load()`` for the shared, cached one).

    ``model_path`` is a pkuseg model folder other than the default (e.g. the cache's ``full/``,
    to compare it with the lean model); see :func:`reportie.segmenter.load_segmenter`.
    """
    nlp = util.load_model_from_config(pipeline_config(classifier=classifier, model_path=model_path),
                                      auto_fill=True, validate=True)
    nlp.initialize()  # [initialize]: loads the segmenter, gives the rulers their patterns
    from . import __version__

    nlp.meta.update(name="reportie", version=__version__, requirements=[f"reportie=={__version__}"],
                    description="reportie: Chinese people's-congress work reports as data")
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
