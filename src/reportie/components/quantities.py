"""``reportie_quantities``: every quantity of spec §2, found sentence by sentence.

The finding and parsing is the pure ``reportie.quantities`` module; this component runs it on
each sentence and, where an ACTIVITY or BODY ruler span sits right next to the number, names
that span as the quantity's ``indicator``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import List, Optional

from spacy.language import Language
from spacy.tokens import Doc

from ..quantities import find_quantities
from .sections import sentence_spans

if not Doc.has_extension("reportie_quantities"):
    # One dict per quantity with the fields of spec §2 plus ``sentence``.
    Doc.set_extension("reportie_quantities", default=None)

INDICATOR_LABELS = ("ACTIVITY", "BODY")


class Quantities:
    def __init__(self, nlp: Language, name: str, spans_key: str, max_gap: int) -> None:
        self.name = name
        self.spans_key = spans_key
        self.max_gap = max_gap

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        records: List[dict] = []
        rulers = [s for s in doc.spans.get(self.spans_key, []) if s.label_ in INDICATOR_LABELS]
        for index, (start, end, _heading, _section) in enumerate(sentence_spans(doc)):
            for match in find_quantities(text, start, end):
                record = asdict(match)
                record["sentence"] = index
                record["indicator"] = self._ruler_indicator(rulers, match.start, match.end, start, end) or record["indicator"]
                records.append(record)
        doc._.reportie_quantities = records
        return doc

    def _ruler_indicator(self, rulers, q_start: int, q_end: int, s_start: int, s_end: int) -> Optional[str]:
        """The ACTIVITY or BODY span that ends just before the number or starts just after it."""
        best = None
        best_gap = self.max_gap + 1
        for span in rulers:
            if span.start_char < s_start or span.end_char > s_end:
                continue
            gap = q_start - span.end_char if span.end_char <= q_start else span.start_char - q_end
            if 0 <= gap < best_gap or (gap == best_gap and best is not None and len(span.text) > len(best.text)):
                best, best_gap = span, gap
        return best.text if best is not None else None


@Language.factory(
    "reportie_quantities",
    assigns=["doc._.reportie_quantities"],
    default_config={"spans_key": "reportie", "max_gap": 1},
)
def make_quantities(nlp: Language, name: str, spans_key: str, max_gap: int) -> Quantities:
    return Quantities(nlp, name, spans_key, max_gap)
