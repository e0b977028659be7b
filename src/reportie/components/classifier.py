"""``report_classifier``: one category per sentence (spec §1) from a scikit-learn model.

The model is trained by ``reportie train`` from ``annotations/`` and shipped in
``reportie/data/model`` as skops (plus a lean export that predicts the same without importing
scikit-learn); it is loaded on first use, after its checksum is checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from ..context import ContextLayer
from ..contract import SPANS_KEY
from ..features import HEADING_FLAG, TokenGroups, feature_rows, sentence_tokens
from ..modelstore import load_card, load_predictor

if not Doc.has_extension("reportie_labels"):
    # One [label, {label: probability}] pair per sentence of doc._.reportie_sentences.
    Doc.set_extension("reportie_labels", default=None)


class ReportClassifier:
    def __init__(self, nlp: Language, name: str, spans_key: str, model_dir: Optional[str]) -> None:
        self.name = name
        self.spans_key = spans_key
        self.model_dir = Path(model_dir) if model_dir else None
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
    def context(self) -> Optional[ContextLayer]:
        # Read from the card on first use; ``train`` resets it with ``_model``.
        if self._context is None:
            self._context = ContextLayer.from_dict(load_card(self.model_dir).get("context_layer")) or False
        return self._context or None

    def __call__(self, doc: Doc) -> Doc:
        sentences = sentence_tokens(doc, self.spans_key)
        doc._.reportie_labels = self._labels(sentences) if sentences else []
        return doc

    def _labels(self, sentences: List[Tuple[str, TokenGroups]]) -> List[list]:
        classes = [str(c) for c in self.model.classes_]
        probabilities = self._probabilities(sentences)
        context = self.context
        if context is not None:  # re-read each sentence beside its section and document
            headings = [HEADING_FLAG in groups[0][1] for _text, groups in sentences]
            order = [classes.index(c) for c in context.classes]
            probabilities = context.predict_proba(probabilities[:, order], headings)
            classes = list(context.classes)
        labels = []
        for probs in probabilities.tolist():  # Python floats: round as float(p) did
            scores = dict(zip(classes, [round(p, 4) for p in probs]))
            labels.append([max(scores, key=scores.__getitem__), scores])
        return labels

    def _probabilities(self, sentences: List[Tuple[str, TokenGroups]]) -> Any:
        model = self.model
        if hasattr(model, "predict_proba_grouped"):  # the lean classifier reads the token groups
            return model.predict_proba_grouped(sentences)
        return model.predict_proba(feature_rows(sentences))  # the rows the skops model was trained on


@Language.factory(
    "report_classifier",
    assigns=["doc._.reportie_labels"],
    default_config={"spans_key": SPANS_KEY, "model_dir": None},
)
def make_classifier(nlp: Language, name: str, spans_key: str, model_dir: Optional[str]) -> ReportClassifier:
    return ReportClassifier(nlp, name, spans_key, model_dir)
