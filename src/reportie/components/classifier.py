"""``reportie_classifier``: one category per sentence (spec §1) from a scikit-learn model.

The model is trained by ``reportie train`` from ``annotations/`` and shipped in
``reportie/data/model`` as skops (plus a lean export that predicts the same without importing
scikit-learn); it is loaded on first use, after its checksum is checked. The factory was called
``report_classifier`` before issue 16; that name stays registered so that old configs load.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple, Union

import numpy as np
import srsly
from spacy import util
from spacy.language import Language
from spacy.tokens import Doc

from ..context import ContextLayer, paragraph_ids
from ..contract import SPANS_KEY
from ..docspans import SentenceLabel, doc_text, sentence_spans
from ..features import HEADING_FLAG, TokenGroups, feature_rows, own_groups, sentence_tokens
from ..modelstore import load_card, load_predictor
from ..pagehead import page_head, settle_page_head

__all__ = ["ReportClassifier", "make_classifier"]

DEFAULT_CONFIG = {"spans_key": SPANS_KEY, "model_dir": None}


class ReportClassifier:
    """Give each sentence of ``doc._.reportie_sentences`` one category of spec §1.

    A sentence is read from its words, its ruler spans, its section heading and its neighbours
    (:func:`reportie.features.sentence_tokens`), scored by the trained sentence model (the mean
    of a reader of all of these and a reader of the sentence's own words and spans), and then
    re-read beside its section and document by the model's context layer
    (:class:`reportie.context.ContextLayer`), when the model card has one. The lines of the
    page head (headline, byline, date, navigation: :mod:`reportie.pagehead`) are then
    settled as ``other``.

    Config:
        ``spans_key`` (str): the ``doc.spans`` key of the ruler spans the features read.
            Defaults to ``"reportie"`` (:data:`reportie.contract.SPANS_KEY`).
        ``model_dir`` (Optional[str]): the folder of a model saved by ``reportie train``
            (``classifier.skops``, ``classifier.json`` and the lean ``classifier.lean``).
            Defaults to ``None``: the model shipped in ``reportie/data/model``.

    Assigns:
        ``doc._.reportie_labels``: one :class:`reportie.docspans.SentenceLabel`
        ``(label, scores)`` per sentence: the most probable label and ``{label: probability}``
        for every label, rounded to 4 places.

    Serialization: ``to_disk``/``to_bytes`` save the model *reference* (``cfg``: the model
    folder as an absolute path, or ``null`` for the shipped model), not the model itself.
    """

    def __init__(self, nlp: Optional[Language], name: str = "reportie_classifier", spans_key: str = SPANS_KEY,
                 model_dir: Optional[Union[str, Path]] = None) -> None:
        self.name = name
        self.spans_key = spans_key
        self.model_dir = _absolute(model_dir)
        self._model: Any = None
        self._context: Any = None  # the context layer, or False when the card has none

    @property
    def model(self) -> Any:
        # The lean classifier (same probabilities, no scikit-learn import) when the model has
        # one, else the skops model: see reportie.leanmodel.LeanClassifier.
        if self._model is None:
            self._model = load_predictor(self.model_dir)
        return self._model

    @property
    def context(self) -> Optional[Any]:
        # Read from the card on first use; ``train`` resets it with ``_model``.
        if self._context is None:
            self._context = ContextLayer.from_dict(load_card(self.model_dir).get("context_layer")) or False
        return self._context or None

    def __call__(self, doc: Doc) -> Doc:
        paragraphs = paragraph_ids(doc_text(doc), sentence_spans(doc))  # read by the features and the context layer
        sentences = sentence_tokens(doc, self.spans_key, paragraphs)
        doc._.reportie_labels = self._labels(sentences, paragraphs) if sentences else []
        return doc

    def _labels(self, sentences: List[Tuple[str, TokenGroups]], paragraphs: Optional[List[int]] = None
                ) -> List[SentenceLabel]:
        classes = [str(c) for c in self.model.classes_]
        probabilities = self._probabilities(sentences)
        context = self.context
        if context is not None:  # re-read each sentence beside its paragraph, section and document
            headings = [HEADING_FLAG in groups[0][1] for _text, groups in sentences]
            order = [classes.index(c) for c in context.classes]
            probabilities = context.predict_proba(probabilities[:, order], headings, paragraphs)
            classes = list(context.classes)
        # the page's headline, byline and furniture lines are `other` (spec §1)
        probabilities = settle_page_head(probabilities, classes, page_head([text for text, _groups in sentences]))
        width = len(classes)
        rounded = _round4(probabilities.ravel())
        rows = [rounded[at : at + width] for at in range(0, len(rounded), width)]
        # the first most probable label, as max over the scores dict picked it
        return [SentenceLabel(classes[row.index(max(row))], dict(zip(classes, row))) for row in rows]

    def _probabilities(self, sentences: List[Tuple[str, TokenGroups]]) -> Any:
        model = self.model
        if hasattr(model, "predict_proba_grouped"):  # the lean classifier reads the token groups
            return model.predict_proba_grouped([(text, groups, own_groups(groups)) for text, groups in sentences])
        rows = feature_rows(sentences)  # the rows the skops model was trained on
        # a model trained before the sentence reader read two columns: give it those
        return model.predict_proba(rows[:, : getattr(model, "n_features_in_", rows.shape[1])])

    # -- serialization: the model reference, never the model -----------------------------------

    def _cfg(self) -> Dict[str, Any]:
        return {"spans_key": self.spans_key, "model_dir": str(self.model_dir) if self.model_dir else None}

    def _set_cfg(self, cfg: Dict[str, Any]) -> None:
        self.spans_key = cfg.get("spans_key", self.spans_key)
        model_dir = _absolute(cfg.get("model_dir"))
        if model_dir != self.model_dir:
            self.model_dir = model_dir
            self._model = self._context = None  # loaded again, from the new folder, on first use

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return util.to_bytes({"cfg": lambda: srsly.json_dumps(self._cfg())}, exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = tuple()) -> "ReportClassifier":
        util.from_bytes(bytes_data, {"cfg": lambda b: self._set_cfg(srsly.json_loads(b))}, exclude)
        return self

    def to_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> None:
        serializers: Dict[str, Callable[[Path], Any]] = {"cfg": lambda p: srsly.write_json(p, self._cfg())}
        util.to_disk(path, serializers, exclude)

    def from_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> "ReportClassifier":
        util.from_disk(path, {"cfg": lambda p: self._set_cfg(srsly.read_json(p))}, exclude)
        return self


def _round4(values: Any) -> List[float]:
    """``[round(v, 4) for v in values.tolist()]``, the same Python floats, with numpy.

    ``round`` rounds the exact value of ``v`` to 4 decimals (half to even) and returns the float
    nearest that decimal. ``rint(v * 1e4) / 1e4`` is that float whenever ``v * 1e4`` is not
    within 1e-9 of a half (the product errs by at most 1e-12 there, so it rounds to the same
    integer, and dividing two exact floats gives the nearest float); the few values that are,
    and any non-finite one, are left to ``round``.
    """
    values = np.asarray(values, dtype=np.float64)  # exact for any float array, as tolist() was
    scaled = values * 1e4
    out = (np.rint(scaled) / 1e4).tolist()
    with np.errstate(invalid="ignore"):  # inf - inf: unsure, as it should be
        unsure = ~(np.abs(scaled - np.floor(scaled) - 0.5) > 1e-9) | ~np.isfinite(scaled)
    if unsure.any():
        exact = values.tolist()
        for at in np.flatnonzero(unsure).tolist():
            out[at] = round(exact[at], 4)
    return out


def _absolute(model_dir: Optional[Union[str, Path]]) -> Optional[Path]:
    # A relative folder is taken from the working directory now, so a saved pipeline still
    # finds it when loaded from elsewhere.
    return Path(model_dir).expanduser().absolute() if model_dir else None


@Language.factory("reportie_classifier", assigns=["doc._.reportie_labels"], default_config=DEFAULT_CONFIG)
def make_classifier(nlp: Language, name: str, spans_key: str, model_dir: Optional[str]) -> ReportClassifier:
    """Create a :class:`ReportClassifier` (config keys: see the class)."""
    return ReportClassifier(nlp, name, spans_key, model_dir)


# The factory's name before issue 16: configs saved with it still load.
Language.factory("report_classifier", assigns=["doc._.reportie_labels"], default_config=DEFAULT_CONFIG,
                 func=make_classifier)
