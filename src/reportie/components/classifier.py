"""``report_classifier``: one category per sentence (spec §1) from a scikit-learn model.

The model is trained by ``reportie train`` from ``annotations/`` and shipped in
``reportie/data/model`` as skops (plus a lean export that predicts the same without importing
scikit-learn); it is loaded on first use, after its checksum is checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from spacy.language import Language
from spacy.tokens import Doc

from ..features import sentence_features
from ..modelstore import load_predictor

if not Doc.has_extension("reportie_labels"):
    # One [label, {label: probability}] pair per sentence of doc._.reportie_sentences.
    Doc.set_extension("reportie_labels", default=None)


class ReportClassifier:
    def __init__(self, nlp: Language, name: str, spans_key: str, model_dir: Optional[str]) -> None:
        self.name = name
        self.spans_key = spans_key
        self.model_dir = Path(model_dir) if model_dir else None
        self._model: Any = None

    @property
    def model(self) -> Any:
        # The lean classifier (same probabilities, no scikit-learn import) when the model has
        # one, else the skops model: see reportie.modelstore.LeanClassifier.
        if self._model is None:
            self._model = load_predictor(self.model_dir)
        return self._model

    def __call__(self, doc: Doc) -> Doc:
        rows = sentence_features(doc, self.spans_key)
        if not len(rows):
            doc._.reportie_labels = []
            return doc
        model = self.model
        classes = [str(c) for c in model.classes_]
        labels = []
        for probs in model.predict_proba(rows):
            scores = {c: round(float(p), 4) for c, p in zip(classes, probs)}
            labels.append([max(scores, key=scores.__getitem__), scores])
        doc._.reportie_labels = labels
        return doc


@Language.factory(
    "report_classifier",
    assigns=["doc._.reportie_labels"],
    default_config={"spans_key": "reportie", "model_dir": None},
)
def make_classifier(nlp: Language, name: str, spans_key: str, model_dir: Optional[str]) -> ReportClassifier:
    return ReportClassifier(nlp, name, spans_key, model_dir)
