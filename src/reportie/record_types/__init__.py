"""Record types (issues 4 and 12): which canonical indicator a quantity counts.

:func:`assign_record_type` maps one quantity of a sentence onto one of the indicators of
``data/record_types.json`` (``regulations_enacted``, ``deputy_suggestions_received``,
``satisfaction_rate``, ``funds`` …) or ``None`` when none fits. It is pure (no spaCy):
the caller passes the sentence text, the quantity's offsets **relative to the sentence**
(``sentence_text[q_start:q_end]`` is the quantity), its normalised unit and kind, and
optionally the ruler spans and the other quantities of the sentence (also relative).

One job per module: :mod:`~reportie.record_types.base` (the records), :mod:`~.taxonomy` (the data
file, loaded and indexed), :mod:`~.scan` (the cues of a sentence), :mod:`~.reader` (the clause
reader: rules 2, 3, 5), :mod:`~.lists` (rule 4), :mod:`~.rules` (the rules in order, 1 to 7),
:mod:`~.refine` (money types and breakdowns of deputies' suggestions, after the clause reader).

The code is the mechanism; every word is in the data file. The decision, in order:

1. **Kind.** Only types whose ``kinds``/``units`` admit the quantity are considered; a type
   marked ``default`` (``funds`` for money) is taken at once.
2. **Clause.** Work in the clause around the number (between ，；。： …; ``、`` does not end a
   clause). Titles in 《》 are masked, except a trailing 条例/法规, so that the words inside a
   title never count. Cue words are found longest-first (意见建议 hides 建议, 报告履职 hides 报告).
   Nouns are taken before the number (not past a ``的`` when the number is itself followed by
   a noun: 调研收集的36个问题 counts 问题) and after it up to the next quantity; a noun that
   directly follows an earlier number, up to a 、, connector, verb or ``的``, belongs to that
   number (1次专题询问以及1次活动; but 两家单位的满意度分别为91.3%).
   Verbs must stand before the number unless a pattern says ``any``.
3. **Nearest wins.** Every satisfied pattern gives a candidate at the distance of its noun
   (or verb, for verb-only patterns); the nearest wins, then the one with a verb, then the
   nearer verb, the longer cue and the type order. A null cue (制度, 网格, 立法联系点 …) is a
   candidate for ``None``: the number counts a thing no type covers. A noun whose pattern is
   not satisfied (法规 without 制定/修改) does not block anything.
4. **Lists.** When the winning noun stands in a list (执法检查、专题询问5项; 调研、视察、执法检查活动;
   调研报告、谏言、理论文章等) whose members are not all of its type, a count is ``None`` (it is a
   sum over types); a percentage takes the first member's type (答复率、满意率均为100%). With
   分别 the members are paired with the numbers in order. Two verbs of rival types joined by
   和/、 (制定和修改…5部) also make a count ``None``.
5. **Ellipsis.** A clause that names nothing at all and whose number has no noun of its own
   (办结27件; 同比提高25个百分点; 其中大会期间243件 — but not 新开通城乡公交线路4条 or 分赴9个市州)
   borrows the nouns of the nearest earlier clause of the sentence that names something, with
   its own verbs. Patterns with ``scope: sentence`` are tried when the number's own context
   names nothing (各举办1期，培训代表200多人次).
6. **Domains.** In a sentence about a domain such as 信访, a result absorbed by the domain
   (constituents received, problems solved) or an empty result becomes the domain's type.
7. **Indicator.** Only when there are no words around the number (an empty sentence, or one
   that is just the number) is the indicator read as the words right before the number.

:func:`decide` returns the same answer with the rule that produced it and the deciding cue.
"""

from __future__ import annotations

from typing import Any

from .base import Decision, RecordType
from .rules import assign_record_type, decide, rate_change_type
from .taxonomy import gold_type, record_types, taxonomy as _taxonomy

__all__ = ["RecordType", "Decision", "assign_record_type", "decide", "rate_change_type", "record_types", "gold_type",
           "RECORD_TYPES"]


def __getattr__(name: str) -> Any:
    # RECORD_TYPES: read from the data file when first asked for, not at import
    if name == "RECORD_TYPES":
        return tuple(_taxonomy().types)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
