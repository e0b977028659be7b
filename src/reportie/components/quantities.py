"""``reportie_quantities``: every quantity of spec §2, found sentence by sentence.

The finding and parsing is the pure ``reportie.quantities`` module; this component runs it on
each sentence and reads each quantity's ``indicator`` (``reportie.indicators``) on the words of
the Doc's segmentation, so that an indicator never cuts a word. Then the pure ``reportie.record_types`` module
gives each quantity its ``record_type`` (issue 4) from the sentence, the ruler spans in it
and the other quantities of the sentence.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import List, NamedTuple, Tuple

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc

from ..indicators import sentence_indicators
from ..quantities import locate_quantities
from ..record_types import assign_record_type, gold_type, rate_change_type
from ..contract import ENTITY_LABELS as RECORD_TYPE_LABELS, SPANS_KEY
from ..docspans import doc_text, doc_view, sentence_spans


class Quantities:
    """Find every quantity of spec §2 in each sentence, with its indicator and record type.

    Runs after ``reportie_sections`` (it reads ``doc._.reportie_sentences``, computing them if
    that component did not run) and after the rulers, whose BODY/ACTIVITY/LAW/PROGRAMME spans
    help type a quantity.

    Config:
        ``spans_key`` (str): the ``doc.spans`` key of the ruler spans. Defaults to
        ``"reportie"`` (:data:`reportie.contract.SPANS_KEY`).
        ``max_gap`` (int): unused, kept so that saved configs still load. Defaults to 1.

    Assigns:
        ``doc._.reportie_quantities``: one dict per quantity, in text order, keyed by the
        fields of :class:`reportie.report.Quantity`: ``text``, ``start``, ``end`` (character
        offsets), ``value``, ``low``, ``high``, ``unit``, ``kind``, ``approx``, ``indicator``,
        ``sentence`` (its index in ``doc._.reportie_sentences``), ``record_type`` and
        ``record_detail``.
    """

    def __init__(self, nlp: Language, name: str = "reportie_quantities", spans_key: str = SPANS_KEY,
                 max_gap: int = 1) -> None:
        self.name = name
        self.spans_key = spans_key
        self.max_gap = max_gap  # kept for saved pipeline configs; indicators no longer read ruler spans

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        view = doc_view(doc)
        columns = doc.to_array([IDX, LENGTH]).tolist()  # no Token objects: they cost more than the rest
        words = [(start, start + length) for start, length in columns]
        word_starts = [w[0] for w in words]
        records: List[dict] = []
        # Sorted by start (stably), so each sentence looks only at its own spans: scanning every
        # span for every quantity grew with quantities x spans (6 minutes on a 10 MB report).
        typed = sorted(self._ruler_spans(doc, text), key=lambda s: s.start)
        typed_starts = [s.start for s in typed]
        recent: List[Tuple[int, int]] = []  # the sentences before: record types may borrow their nouns
        for index, sentence in enumerate(sentence_spans(doc)):
            start, end = sentence.start, sentence.end
            previous, recent = tuple(view[a:b] for a, b in reversed(recent)), (recent + [(start, end)])[-12:]
            matches = locate_quantities(text, start, end)  # their indicators are read below, on the Doc's words
            if not matches:
                continue
            sentence_text = view[start:end]  # record types read the simplified view (代表建議 is 代表建议)
            local = self._local_rulers(typed, typed_starts, start, end)
            offsets = [(m.start - start, m.end - start) for m in matches]
            own_words = words[bisect_left(word_starts, start):bisect_left(word_starts, end)]
            indicators = sentence_indicators(text, view, start, end,
                                             [(m.start, m.end, m.unit, m.kind) for m in matches], own_words)
            for match, own, indicator in zip(matches, offsets, indicators):
                record = dict(vars(match))  # plain fields: no deep copy as asdict() makes
                record["sentence"] = index
                record["indicator"] = indicator
                detail = assign_record_type(
                    sentence_text, own[0], own[1], match.unit, match.kind, record["indicator"], local,
                    others=[o for o in offsets if o != own], previous=previous)
                earlier = records[-1] if records and records[-1]["sentence"] == index else None
                if detail is None and earlier is not None:  # 满意率96%，同比上升3个百分点: the change of that rate
                    detail = rate_change_type(match.kind, match.unit, indicator, earlier["kind"],
                                              earlier["indicator"], earlier["record_detail"])
                # record_type stays in the 23-type scheme every report compares on (spec §4);
                # the finer type (budget_funds, regulations_repealed …) is record_detail.
                record["record_type"] = gold_type(detail)
                record["record_detail"] = detail
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
    default_config={"spans_key": SPANS_KEY, "max_gap": 1},
)
def make_quantities(nlp: Language, name: str, spans_key: str, max_gap: int) -> Quantities:
    """Create a :class:`Quantities` component (config keys: see the class)."""
    return Quantities(nlp, name, spans_key, max_gap)
