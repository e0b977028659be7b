"""``reportie_quantities``: every quantity of spec §2, found sentence by sentence.

The finding and parsing is the pure ``reportie.quantities`` module; this component runs it on
each sentence and, where an ACTIVITY or BODY ruler span sits right next to the number, names
that span as the quantity's ``indicator``. Then the pure ``reportie.record_types`` module
gives each quantity its ``record_type`` (issue 4) from the sentence, the ruler spans in it
and the other quantities of the sentence.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import List, NamedTuple, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from ..quantities import find_quantities
from ..record_types import assign_record_type
from .doctext import doc_text
from .sections import sentence_spans

if not Doc.has_extension("reportie_quantities"):
    # One dict per quantity with the fields of spec §2 plus ``sentence``.
    Doc.set_extension("reportie_quantities", default=None)

INDICATOR_LABELS = ("ACTIVITY", "BODY")
RECORD_TYPE_LABELS = ("ACTIVITY", "BODY", "PROGRAMME", "LAW")


class Quantities:
    def __init__(self, nlp: Language, name: str, spans_key: str, max_gap: int) -> None:
        self.name = name
        self.spans_key = spans_key
        self.max_gap = max_gap

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        records: List[dict] = []
        # Sorted by start (stably), so each sentence looks only at its own spans: scanning every
        # span for every quantity grew with quantities x spans (6 minutes on a 10 MB report).
        typed = sorted(self._ruler_spans(doc, text), key=lambda s: s.start)
        typed_starts = [s.start for s in typed]
        rulers = [s for s in typed if s.label in INDICATOR_LABELS]
        ruler_starts = [s.start for s in rulers]
        for index, (start, end, _heading, _section) in enumerate(sentence_spans(doc)):
            matches = find_quantities(text, start, end)
            if not matches:
                continue
            sentence_text = text[start:end]
            local = self._local_rulers(typed, typed_starts, start, end)
            near = rulers[bisect_left(ruler_starts, start):bisect_left(ruler_starts, end)]
            offsets = [(m.start - start, m.end - start) for m in matches]
            for match, own in zip(matches, offsets):
                record = dict(vars(match))  # plain fields: no deep copy as asdict() makes
                record["sentence"] = index
                record["indicator"] = self._ruler_indicator(near, match.start, match.end, start, end) or record["indicator"]
                record["record_type"] = assign_record_type(
                    sentence_text, own[0], own[1], match.unit, match.kind, record["indicator"], local,
                    others=[o for o in offsets if o != own])
                records.append(record)
        doc._.reportie_quantities = records
        return doc

    def _ruler_spans(self, doc: Doc, text: str) -> List["_Ruler"]:
        """The ruler spans a quantity can use, read once (a Span builds its text from Tokens)."""
        out = []
        for span in doc.spans.get(self.spans_key, []):
            label = span.label_
            if label in RECORD_TYPE_LABELS:
                start, end = span.start_char, span.end_char
                out.append(_Ruler(start, end, label, span.id_, text[start:end]))  # == span.text
        return out

    @staticmethod
    def _local_rulers(spans: List["_Ruler"], starts: List[int], s_start: int, s_end: int
                      ) -> List[Tuple[int, int, str, str]]:
        """Ruler spans inside the sentence, as (start, end, label, id) relative to it."""
        local = []
        for i in range(bisect_left(starts, s_start), len(spans)):
            span = spans[i]
            if span.start >= s_end:
                break
            if span.end <= s_end:
                local.append((span.start - s_start, span.end - s_start, span.label, span.id or span.text))
        return local

    def _ruler_indicator(self, rulers: List["_Ruler"], q_start: int, q_end: int, s_start: int, s_end: int
                         ) -> Optional[str]:
        """The ACTIVITY or BODY span that ends just before the number or starts just after it."""
        best = None
        best_gap = self.max_gap + 1
        for span in rulers:
            if span.start < s_start or span.end > s_end:
                continue
            gap = q_start - span.end if span.end <= q_start else span.start - q_end
            if 0 <= gap < best_gap or (gap == best_gap and best is not None and len(span.text) > len(best.text)):
                best, best_gap = span, gap
        return best.text if best is not None else None


class _Ruler(NamedTuple):
    """What this component reads of a ruler span (character offsets into the Doc's text)."""

    start: int
    end: int
    label: str
    id: str
    text: str


@Language.factory(
    "reportie_quantities",
    assigns=["doc._.reportie_quantities"],
    default_config={"spans_key": "reportie", "max_gap": 1},
)
def make_quantities(nlp: Language, name: str, spans_key: str, max_gap: int) -> Quantities:
    return Quantities(nlp, name, spans_key, max_gap)
