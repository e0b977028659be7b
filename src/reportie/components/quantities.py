"""``reportie_quantities``: every quantity of spec §2, found sentence by sentence.

The finding and parsing is the pure ``reportie.quantities`` module; this component runs it on
each sentence and reads each quantity's ``indicator`` (``reportie.indicators``) on the words of
the Doc's segmentation, so that an indicator never cuts a word. Then the pure ``reportie.record_types`` module
gives each quantity its ``record_type`` (issue 4) from the sentence, the ruler spans in it
and the other quantities of the sentence.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import List, Tuple

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc

from ..indicators import sentence_indicators
from ..quantities import locate_all
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
        # no Token objects: they cost more than the rest; and one column at a time, as flat lists
        # of ints (a list per token, from a 2-D array, cost 10 % of the component)
        idx = doc.to_array(IDX)
        word_starts = idx.tolist()
        word_ends = (idx + doc.to_array(LENGTH)).tolist()
        records: List[dict] = []
        # Sorted by start (stably), so each sentence looks only at its own spans: scanning every
        # span for every quantity grew with quantities x spans (6 minutes on a 10 MB report).
        typed = sorted(self._ruler_spans(doc), key=lambda s: s[0])
        typed_starts = [s[0] for s in typed]
        # In passes (the quantities of every sentence, then their indicators, then their record
        # types): one kind of work at a time runs faster than the three interleaved sentence by sentence.
        sentences = sentence_spans(doc)
        located = locate_all(text, [(sentence.start, sentence.end) for sentence in sentences])
        found = [(index, sentence.start, sentence.end, matches)  # the sentences with quantities
                 for index, (sentence, matches) in enumerate(zip(sentences, located)) if matches]
        indicators = []  # read on the Doc's words, so that an indicator never cuts a word
        for _, start, end, matches in found:
            first, last = bisect_left(word_starts, start), bisect_left(word_starts, end)
            indicators.append(sentence_indicators(text, view, start, end,
                                                  [(m.start, m.end, m.unit, m.kind) for m in matches],
                                                  list(zip(word_starts[first:last], word_ends[first:last]))))
        details = []  # the record type of each quantity
        for (index, start, end, matches), their_indicators in zip(found, indicators):
            # the sentences before, nearest first: record types may borrow their nouns
            previous = tuple(view[s.start:s.end] for s in reversed(sentences[max(0, index - 12):index]))
            sentence_text = view[start:end]  # record types read the simplified view (代表建議 is 代表建议)
            local = self._local_rulers(typed, typed_starts, text, start, end)
            offsets = [(m.start - start, m.end - start) for m in matches]
            details.append([assign_record_type(sentence_text, own[0], own[1], match.unit, match.kind, indicator,
                                               local, others=[o for o in offsets if o != own], previous=previous)
                            for match, own, indicator in zip(matches, offsets, their_indicators)])
        for (index, _, _, matches), their_indicators, their_details in zip(found, indicators, details):
            for match, indicator, detail in zip(matches, their_indicators, their_details):
                record = dict(vars(match))  # plain fields: no deep copy as asdict() makes
                record["sentence"] = index
                record["indicator"] = indicator
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

    def _ruler_spans(self, doc: Doc) -> List[Tuple[int, int, str, str]]:
        """The ruler spans a quantity can use, read once: (start, end, label, id), character offsets
        into the Doc's text (plain tuples: a named tuple per span cost more than reading it)."""
        out = []
        for span in doc.spans.get(self.spans_key, []):
            label = span.label_
            if label in RECORD_TYPE_LABELS:
                out.append((span.start_char, span.end_char, label, span.id_))
        return out

    @staticmethod
    def _local_rulers(spans: List[Tuple[int, int, str, str]], starts: List[int], text: str, s_start: int,
                      s_end: int) -> List[Tuple[int, int, str, str]]:
        """Ruler spans inside the sentence, as (start, end, label, id) relative to it (the id, or
        the span's text when it has none)."""
        local = []
        for i in range(bisect_left(starts, s_start), len(spans)):
            start, end, label, ident = spans[i]
            if start >= s_end:
                break
            if end <= s_end:
                local.append((start - s_start, end - s_start, label, ident or text[start:end]))  # == span.text
        return local


@Language.factory(
    "reportie_quantities",
    assigns=["doc._.reportie_quantities"],
    default_config={"spans_key": SPANS_KEY, "max_gap": 1},
)
def make_quantities(nlp: Language, name: str, spans_key: str, max_gap: int) -> Quantities:
    """Create a :class:`Quantities` component (config keys: see the class)."""
    return Quantities(nlp, name, spans_key, max_gap)
