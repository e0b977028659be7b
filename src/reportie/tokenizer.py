"""``reportie.PkusegTokenizer.v1``: spaCy's Chinese tokenizer on reportie's pkuseg segmenter.

Registered in spaCy's ``tokenizers`` registry (and as a ``spacy_tokenizers`` entry point), in
the shape of spaCy's ``spacy.zh.ChineseTokenizer`` and spacy-stanza's
``spacy_stanza.PipelineAsTokenizer.v1``: the registered function takes the settings and
returns a function of ``nlp`` that builds the tokenizer::

    [nlp.tokenizer]
    @tokenizers = "reportie.PkusegTokenizer.v1"
    engine = null

    [initialize.tokenizer]
    pkuseg_model = null
    pkuseg_user_dict = "default"

    [initialize.tokenizer.user_words]
    @misc = "reportie.ruler_phrases.v1"

The ``[initialize.tokenizer]`` keys are those of spaCy's Chinese tokenizer (which every
``zh`` config inherits), plus ``user_words``.

The segmentation model is loaded by ``initialize`` (or by ``from_disk``/``from_bytes``) from
reportie's model cache (:func:`reportie.segmenter.load_segmenter`). It is never saved with the
pipeline: the pkuseg model is licensed for research use only and is fetched by each user
(``reportie model fetch``), so ``to_disk`` writes the settings that load it again, not the model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Union

import srsly
from spacy import util
from spacy.errors import Errors
from spacy.lang.zh import ChineseTokenizer
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from .chunking import iter_cut
from . import docspans  # noqa: F401  (declares the Doc extensions this tokenizer sets)
from .script import simplified_view
from .segmenter import load_segmenter

__all__ = ["PkusegTokenizer", "create_tokenizer", "words_and_spaces"]


@registry.tokenizers("reportie.PkusegTokenizer.v1")
def create_tokenizer(engine: Optional[str] = None) -> Callable[[Language], "PkusegTokenizer"]:
    """The tokenizer factory. ``engine`` is the segmenter's engine (``"fast"``, reportie's array
    inference, or ``"pkuseg"``, spacy_pkuseg's own); ``None``: ``$REPORTIE_SEGMENTER``, else fast."""

    def tokenizer_factory(nlp: Language) -> PkusegTokenizer:
        return PkusegTokenizer(nlp.vocab, engine=engine)

    return tokenizer_factory


class PkusegTokenizer(ChineseTokenizer):
    """Segment Chinese text with reportie's pkuseg model into a Doc, in linear time.

    pkuseg reads the simplified view of the text (:func:`reportie.script.simplified_view`), so a
    traditional-script page is cut as its simplified twin; the Doc's words are the same stretches
    of the original text, and each word whose simplified form differs gets it as ``token.norm_``
    (the rulers match on NORM). Long lines reach pkuseg in pieces (:mod:`reportie.chunking`).

    Settings:
        ``engine`` (Optional[str], config ``[nlp.tokenizer]``): see :func:`create_tokenizer`.
            Defaults to ``None``.
        ``pkuseg_model`` (Optional[str], ``[initialize.tokenizer]``): a pkuseg model folder
            other than the cache's default (e.g. the cache's ``full/``); see
            :func:`reportie.segmenter.load_segmenter`. Defaults to ``None``: the cached model.
        ``pkuseg_user_dict`` (Optional[str], ``[initialize.tokenizer]``): ``"default"`` for
            reportie's domain dictionary (``data/user_dict.txt``), ``None`` for none. Defaults
            to ``"default"``.
        ``user_words`` (Optional[List[str]], ``[initialize.tokenizer]``): more words always kept
            whole; the pipeline gives the rulers' phrase patterns, so that segmentation and
            matching agree. Defaults to ``None``.

    Assigns:
        ``doc._.reportie_text``, ``doc._.reportie_view``: the text and its simplified view.
        ``token.norm_``: the simplified form, where it differs from the text.

    Serialization: ``cfg`` (the settings) and ``user_words`` (JSON), never the model.
    """

    def __init__(self, vocab: Vocab, *, engine: Optional[str] = None) -> None:
        super().__init__(vocab, segmenter="pkuseg")
        self.engine = engine
        self.pkuseg_model: Optional[str] = None
        self.pkuseg_user_dict: Optional[str] = "default"  # None after pkuseg_update_user_dict(..., reset=True)
        self.user_words: List[str] = []

    def initialize(
        self,
        get_examples: Optional[Callable[[], Iterable[Any]]] = None,
        *,
        nlp: Optional[Language] = None,
        pkuseg_model: Optional[str] = None,
        pkuseg_user_dict: Optional[str] = "default",
        user_words: Optional[List[str]] = None,
    ) -> None:
        """Load the segmenter (called by ``nlp.initialize()`` with ``[initialize.tokenizer]``)."""
        if pkuseg_user_dict not in ("default", None):
            raise ValueError(f"pkuseg_user_dict must be 'default' (reportie's domain dictionary) or null, "
                             f"not {pkuseg_user_dict!r}: give more words as user_words")
        # An absolute folder, so that a saved pipeline finds it from any working directory.
        self.pkuseg_model = str(Path(pkuseg_model).expanduser().absolute()) if pkuseg_model else None
        self.pkuseg_user_dict = pkuseg_user_dict
        self.user_words = [w.strip() for w in user_words or () if w.strip()]
        self.load_segmenter()

    def load_segmenter(self) -> None:
        """(Re)load ``pkuseg_seg`` from the model cache with the current settings."""
        self.pkuseg_seg = load_segmenter(self.user_words, model_path=self.pkuseg_model,
                                         domain_dict=self.pkuseg_user_dict == "default", engine=self.engine)

    def __call__(self, text: str) -> Doc:
        if self.pkuseg_seg is None:
            raise ValueError(Errors.E1000)
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
        doc._.reportie_text = text  # == doc.text by construction; components read it (docspans.py)
        doc._.reportie_view = view
        return doc

    def pkuseg_update_user_dict(self, words: List[str], reset: bool = False) -> None:
        """spaCy's method; the words are also kept in the settings, so a saved pipeline has them."""
        super().pkuseg_update_user_dict(words, reset=reset)
        if reset:
            self.pkuseg_user_dict = None
            self.user_words = []
        self.user_words.extend(w.strip() for w in words if w.strip())

    # -- serialization: the settings, never the model -------------------------------------------

    def _get_config(self) -> Dict[str, Any]:
        return {"segmenter": "pkuseg", "engine": self.engine, "pkuseg_model": self.pkuseg_model,
                "pkuseg_user_dict": self.pkuseg_user_dict}

    def _set_config(self, config: Dict[str, Any] = {}) -> None:
        self.engine = config.get("engine")
        self.pkuseg_model = config.get("pkuseg_model")
        self.pkuseg_user_dict = config.get("pkuseg_user_dict", "default")

    def _set_user_words(self, words: List[str]) -> None:
        self.user_words = list(words)

    def to_bytes(self, *, exclude: Iterable[str] = tuple(), **kwargs: Any) -> bytes:
        serializers = {
            "cfg": lambda: srsly.json_dumps(self._get_config()),
            "user_words": lambda: srsly.json_dumps(self.user_words),
        }
        return util.to_bytes(serializers, exclude)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple(), **kwargs: Any) -> "PkusegTokenizer":
        deserializers = {
            "cfg": lambda b: self._set_config(srsly.json_loads(b)),
            "user_words": lambda b: self._set_user_words(srsly.json_loads(b)),
        }
        util.from_bytes(data, deserializers, exclude)
        self.load_segmenter()
        return self

    def to_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple(), **kwargs: Any) -> None:
        serializers = {
            "cfg": lambda p: srsly.write_json(p, self._get_config()),
            "user_words": lambda p: srsly.write_json(p, self.user_words),
        }
        util.to_disk(path, serializers, exclude)

    def from_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple(), **kwargs: Any) -> "PkusegTokenizer":
        deserializers = {
            "cfg": lambda p: self._set_config(srsly.read_json(p)),
            "user_words": lambda p: self._set_user_words(srsly.read_json(p)),
        }
        util.from_disk(path, deserializers, exclude)
        self.load_segmenter()
        return self


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


def _starts(words: List[str], spaces: List[bool]) -> Iterator[Tuple[int, str]]:
    pos = 0
    for word, space in zip(words, spaces):
        yield pos, word
        pos += len(word) + space
