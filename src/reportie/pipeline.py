"""``load()``: the reportie spaCy pipeline, built once per process.

spaCy's blank Chinese language with the pkuseg segmenter, then:
``reportie_sections`` → ``reportie_rulers`` (a SpanRuler fed from ``data/patterns/*.jsonl``)
→ ``reportie_quantities`` → ``reportie_classifier``.
"""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Tuple

import spacy
import srsly
from spacy.errors import Errors
from spacy.lang.zh import ChineseTokenizer
from spacy.language import Language
from spacy.tokens import Doc

from . import components  # noqa: F401  (registers the factories)
from .chunking import iter_cut
from .script import simplified_view
from .segmenter import load_segmenter

from .contract import SPANS_KEY
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


def words_and_spaces(words: Iterable[str], text: str) -> Tuple[List[str], List[bool]]:
    """``spacy.util.get_words_and_spaces`` in linear time (same result).

    spaCy's version finds each word in ``text[pos:]``, a fresh copy of the rest of the text per
    word: quadratic, an hour of CPU on a 10 MB report. ``words`` may be a stream (a generator):
    each word is checked as it comes (only whitespace may lie between two words), so no copy of
    the whole word list or text is made."""
    out_words: List[str] = []
    out_spaces: List[bool] = []
    pos = 0
    for word in words:
        if word.isspace():
            continue
        start = text.find(word, pos)
        if start < 0 or (start > pos and not text[pos:start].isspace()):
            raise ValueError(Errors.E194.format(text=text[:200], words=[word]))
        if start > pos:
            out_words.append(text[pos:start])
            out_spaces.append(False)
        out_words.append(text[start:start + len(word)])
        out_spaces.append(False)
        pos = start + len(word)
        if pos < len(text) and text[pos] == " ":
            out_spaces[-1] = True
            pos += 1
    if pos < len(text):
        if text[pos:].strip():
            raise ValueError(Errors.E194.format(text=text[:200], words=[]))
        out_words.append(text[pos:])
        out_spaces.append(False)
    return out_words, out_spaces


class PkusegTokenizer(ChineseTokenizer):
    """spaCy's Chinese tokenizer with pkuseg, aligning words to the text in linear time."""

    def __call__(self, text: str) -> Doc:
        # pkuseg reads the simplified view (it was trained on simplified text); the words are the
        # same stretches of the input, so a traditional page is cut as its simplified twin.
        # Long lines reach pkuseg in pieces (reportie.chunking: it is superlinear on one long
        # stretch) and its words are aligned as they come, so memory stays linear.
        view = simplified_view(text)
        words, spaces = words_and_spaces(iter_cut(self.pkuseg_seg, view), view)
        if view != text:
            words = [text[token_start:token_start + len(word)] for token_start, word in _starts(words, spaces)]
        doc = Doc(self.vocab, words=words, spaces=spaces)
        if view != text:  # the rulers match on NORM: the simplified form of each word
            for token in doc:
                word = view[token.idx:token.idx + len(token.text)]
                if token.text != word:
                    token.norm_ = word
        doc._.reportie_text = text  # == doc.text by construction; components read it (doctext.py)
        doc._.reportie_view = view
        return doc


def _starts(words: List[str], spaces: List[bool]) -> Iterator[Tuple[int, str]]:
    pos = 0
    for word, space in zip(words, spaces):
        yield pos, word
        pos += len(word) + space


def build(*, classifier: bool = True, model_path: Optional[Path] = None) -> Language:
    """A fresh pipeline (use ``load()`` for the shared, cached one).

    ``model_path`` is a pkuseg model folder other than the default (e.g. the cache's ``full/``,
    to compare it with the lean model); see :func:`reportie.segmenter.load_segmenter`.
    """
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    nlp.max_length = MAX_LENGTH
    nlp.tokenizer.__class__ = PkusegTokenizer  # same state and serialisation, linear __call__
    nlp.tokenizer.pkuseg_seg = load_segmenter(phrase_words(), model_path=model_path)
    nlp.add_pipe("reportie_sections")
    ruler = nlp.add_pipe(
        "span_ruler",
        name="reportie_rulers",
        config={"spans_key": SPANS_KEY, "overwrite": True, "phrase_matcher_attr": "NORM"},
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
