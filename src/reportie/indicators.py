"""The indicator of a quantity (spec §2 ``indicator``): what it counts, as a whole noun phrase
of its own clause.

Pure functions of the text, the simplified view of it (:func:`reportie.script.simplified_view`)
and the words of a segmentation (the pipeline passes pkuseg's words; without them, a greedy
reading of the word lists of ``data/indicators.json`` stands in). Every phrase starts and ends
at a word boundary, is sliced from the text as written (a traditional page keeps its script)
and has at least two characters. The rules, in order (the words they use are data):

1. ``占N%`` / ``占总数的N%`` (a share of the previous figure): the indicator of the previous
   quantity of the sentence (表示满意的70件,占86.4% -> 满意).
2. The noun phrase right before the number, inside the clause and after the previous
   quantity: trailing function words (有, 为, 达, 共, 的, 由 …) and approximation words are
   dropped, then the phrase starts after the last verb or preposition (审议法规案14件 ->
   法规案; 涉及水务的有19件 -> 水务; 中央国有企业的资产总额为76.2万亿元 -> 资产总额).
3. When nothing but a verb or preposition stands before the number: the noun phrase after a
   classifier unit (对8个政府部门进行评议 -> 政府部门; 打造了103个各具特色的感知点 -> 感知点);
   else the phrase of the previous quantity it continues (制定法规8件、修改12件 -> 法规; across a
   comma only for a count in the same unit after a noun phrase: 收集意见400余条,解决340余条 ->
   意见); else the verb with the words it closes (同比增长10.85% -> 同比增长; 新制定21件,修改45件次
   -> 修改).
4. ``None`` when the sentence names nothing.

This is the one module that decides an indicator. :func:`sentence_indicators` reads those of
a sentence's quantities; :func:`attach_indicators` returns the quantities with them. The
quantity finder (``reportie.quantities.find_quantities``, on the fallback words) and the
pipeline's quantity component (on pkuseg's words) only call it; record types only read it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from functools import lru_cache
from typing import List, Optional, Sequence, Tuple, TypeVar

from .datafiles import load_json

__all__ = ["sentence_indicators", "attach_indicators", "fallback_words"]

Span = Tuple[int, int]


@lru_cache(maxsize=1)
def _data() -> dict:
    raw = load_json("indicators.json")
    data = dict(raw)
    activity = set(raw["activity_nouns"])
    data["activity_nouns"] = activity
    data["verbs"] = set(raw["verbs"]) | set(raw["prepositions"])
    data["cutting"] = (set(raw["verbs"]) | set(raw["prepositions"])) - activity
    data["trailing"] = set(raw["trailing_words"])
    data["leading"] = set(raw["trim_prefixes"]) | set(raw["leading_words"])
    data["classifiers"] = set(raw["classifiers"])
    data["share_markers"] = set(raw["share_markers"])
    data["prepositions"] = set(raw["prepositions"])
    data["people_nouns"] = load_json("units.json")["people_nouns"]
    data["after_stops"] = set(raw["after_stops"]) | data["cutting"]
    data["long_cutting"] = tuple(v for v in data["cutting"] if len(v) >= 2)  # for one str.endswith
    data["verbs_proper"] = data["verbs"] - data["prepositions"] - {"和", "与", "及", "、"}  # not a connector
    data["after_stop_exceptions"] = set(raw["after_stop_exceptions"])
    data["clause_breaks"] = set(raw["clause_breaks"])
    data["sentence_breaks"] = set(raw["sentence_breaks"])
    data["transparent"] = set(raw["transparent"])
    data["generic_heads"] = set(raw["generic_heads"])
    data["attribute_heads"] = set(raw["attribute_heads"])
    data["ordinal_markers"] = set(raw["ordinal_markers"])
    data["light_verbs"] = set(raw["light_verbs"])
    vocab = data["verbs"] | data["trailing"] | data["leading"] | data["share_markers"] | data["classifiers"]
    data["vocab_by_first"] = {}
    for word in sorted(vocab, key=len, reverse=True):
        data["vocab_by_first"].setdefault(word[0], []).append(word)
    return data


# one-character words that end a run of other characters in the fallback reading (计 of 计划 does not)
_SPLIT_CHARS = frozenset("的、和与及对向由为有共达约近占了在将把，,：:；;。！？!?\n“”《》()（）")


def fallback_words(view: str, lo: int, hi: int) -> List[Span]:
    """Words of ``view[lo:hi]`` without a segmenter: each word of the indicator lists (the
    longest at each position) is a word, and so is each run of other Chinese characters
    between them, each run of digits and Latin letters, and each other character."""
    by_first = _data()["vocab_by_first"]
    out: List[Span] = []
    run = -1  # start of the current run of other Chinese characters
    p = lo
    while p < hi:
        ch = view[p]
        word = next((w for w in by_first.get(ch, ()) if view.startswith(w, p) and p + len(w) <= hi
                     and (len(w) > 1 or w in _SPLIT_CHARS or run < 0)), None)
        if word is None and "\u4e00" <= ch <= "\u9fff":
            if run < 0:
                run = p
            p += 1
            continue
        if run >= 0:
            out.append((run, p))
            run = -1
        q = p + (len(word) if word else 1)
        if word is None and ch.isascii() and ch.isalnum():
            while q < hi and view[q].isascii() and (view[q].isalnum() or view[q] in ".,"):
                q += 1
        out.append((p, q))
        p = q
    if run >= 0:
        out.append((run, hi))
    return out


def sentence_indicators(text: str, view: str, lo: int, hi: int, quantities: Sequence[Tuple[int, int, str, str]],
                        words: Optional[Sequence[Span]] = None) -> List[Optional[str]]:
    """The indicator of each quantity ``(start, end, unit, kind)`` of the sentence ``[lo, hi)``
    (offsets into ``text``; ``view`` is its simplified view, the same length)."""
    data = _data()
    if words is None:
        words = fallback_words(view, lo, hi)
    cuts = sorted({p for q in quantities for p in q[:2]})
    toks: List[Span] = []
    for s, e in words:  # a word that straddles a quantity's edge (41个人大代表: 个人) is split there
        if lo <= s and e <= hi:
            # the first cut after the word's start (none fits inside a one-character word)
            k = bisect_right(cuts, s) if e - s > 1 else len(cuts)
            if k < len(cuts) and cuts[k] < e:
                bounds = [s, *cuts[k:bisect_left(cuts, e)], e]
                toks.extend(zip(bounds, bounds[1:]))
            else:
                toks.append((s, e))
    index = _Words(toks)
    spans: List[Optional[Span]] = []
    for k, (qs, qe, unit, kind) in enumerate(quantities):
        prev_end = quantities[k - 1][1] if k else lo
        nxt = quantities[k + 1][0] if k + 1 < len(quantities) else hi
        prev_unit = quantities[k - 1][2] if k else None
        if kind == "percentage_point" and k and quantities[k - 1][3] == "percent" and spans[-1] is not None \
                and not any(ch in view[prev_end:qs] for ch in "。；;"):
            spans.append(spans[-1])  # 出席率98.5%，较上年提高2.1个百分点: the change of that rate
            continue
        spans.append(_one(view, index, qs, qe, unit, kind, prev_end, nxt, lo, hi, spans, data, prev_unit))
    return [text[s:e] if s is not None else None for s, e in (sp or (None, None) for sp in spans)]


Q = TypeVar("Q")


def attach_indicators(text: str, view: str, lo: int, hi: int, quantities: List[Q],
                      words: Optional[Sequence[Span]] = None, *, base: int = 0) -> List[Q]:
    """``quantities`` (frozen dataclasses with ``start``, ``end``, ``unit``, ``kind`` and
    ``indicator``: :class:`reportie.quantities.QuantityMatch`) of the sentence ``[lo, hi)`` with
    their :func:`sentence_indicators`. ``text`` and ``view`` may be a slice of the text the
    quantities' offsets point into, starting at ``base`` of it (``lo``/``hi`` are then relative
    to the slice)."""
    if not quantities:
        return quantities
    spans = [(q.start - base, q.end - base, q.unit, q.kind) for q in quantities]  # type: ignore[attr-defined]
    found = sentence_indicators(text, view, lo, hi, spans, words)
    return [replace(q, indicator=indicator) for q, indicator in zip(quantities, found)]  # type: ignore[type-var]


class _Words:
    """The words of a sentence, read by range: each quantity reads those before and after it."""

    __slots__ = ("spans", "starts", "ends", "ordered")

    def __init__(self, spans: List[Span]) -> None:
        self.spans = spans
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        self.ordered = self.starts == sorted(self.starts) and self.ends == sorted(self.ends)

    def within(self, start: int, end: int) -> List[Span]:
        """The words inside ``[start, end)``, in order (a bisection when starts and ends are sorted)."""
        if not self.ordered:
            return [t for t in self.spans if start <= t[0] and t[1] <= end]
        return self.spans[bisect_left(self.starts, start):bisect_right(self.ends, end)]


def _one(view: str, toks: _Words, qs: int, qe: int, unit: str, kind: str, prev_end: int, nxt: int,
         lo: int, hi: int, earlier: List[Optional[Span]], data: dict, prev_unit: Optional[str] = None
         ) -> Optional[Span]:
    before = toks.within(prev_end, qs)
    whole_before = before
    words = [view[s:e] for s, e in before]  # each word read once; the phrase is a run [first, last) of them
    first, last = 0, len(words)
    while last and not words[last - 1].strip():
        last -= 1  # 常委会会议 10 次: a space before the number
    # a space elsewhere, an ellipsis or a numeral ends the phrase (会议以来 代表建议516件)
    for i in range(last - 1, -1, -1):
        w = words[i]
        if not w.strip() or "…" in w or _numeric(w):
            first = i + 1
            while first < last and words[first] in data["ordinal_markers"]:
                first += 1  # 县十八届人大四次会议议案2件 -> 议案
            break
    # the clause: from the last clause break before the number
    clause_break = None
    clause_breaks, sentence_breaks = data["clause_breaks"], data["sentence_breaks"]
    for i in range(last - 1, first - 1, -1):
        if words[i] in clause_breaks or words[i] in sentence_breaks:
            clause_break = words[i]
            first = i + 1
            break
    before, words = before[first:last], words[first:last]
    # 1. a share of the previous figure
    core = [w for w in words if w not in data["trailing"]]
    if core and all(w in data["share_markers"] for w in core) and earlier and earlier[-1] is not None:
        last_break = prev_end < qs and any(ch in view[prev_end:qs] for ch in data["sentence_breaks"])
        if not last_break:
            return earlier[-1]
    after = _noun_phrase_after(view, toks, qe, nxt, unit, data)
    if after is not None and kind == "people" and unit == "人" and "人" not in view[qs:qe]:
        after = _up_to_people_noun(view, after, data)  # 26万各级人大代表积极参与 -> 各级人大代表
    if kind == "percentage_point" and earlier and earlier[-1] is not None and all(
            w in data["verbs"] or w in data["leading"] or w in data["trailing"] for w in words):
        return earlier[-1]  # 解决率提升至87.33%,同比提高25个百分点
    if after is not None:
        return after  # 对8个政府部门进行评议, 卫健局等4个部门, 26万各级人大代表: the head noun follows
    # 2. the noun phrase before the number
    while before:
        if words[-1] in data["trailing"] or words[-1] in data["share_markers"] or words[-1] in data["prepositions"]:
            before, words = before[:-1], words[:-1]
        elif words[-1] in (")", "）") and ("(" in words[-8:] or "（" in words[-8:]):
            k = max(i for i, w in enumerate(words) if w in ("(", "（"))
            before, words = before[:k], words[:k]  # 联络站（点）480余个, 收入(自然口径)实现…
        else:
            break
    phrase = _noun_phrase_before(view, before, words, data)
    if phrase is not None:
        return phrase
    # 3. nothing but a verb before it
    after = _noun_phrase_after(view, toks, qe, nxt, unit, data, any_unit=True)
    if after is not None:
        return after  # 每年增加150万元村集体收入
    verb = _verb_phrase(view, before, words, data)
    if verb is not None and len([w for w in words if w.strip()]) >= 2 and \
            view[verb[0]:verb[1]] not in data["verbs"]:
        return verb  # 开展“四下基层”挂点联系140人次, 同比增长10.85%
    if earlier and earlier[-1] is not None and clause_break is None and prev_end > lo:
        return earlier[-1]  # 制定法规8件、修改12件 -> 法规
    if earlier and earlier[-1] is not None and prev_unit == unit and kind == "count" and prev_end > lo \
            and clause_break in ("，", ",", "、") and not _ends_with_verb(view, earlier[-1], data):
        return earlier[-1]  # 收集群众意见建议400余条,解决340余条 -> 群众意见建议
    if verb is not None:
        return verb  # 其中新制定21件,修改45件次 -> 修改 (what the clause does)
    if earlier and earlier[-1] is not None and clause_break in ("、", "，", ",") and prev_end > lo:
        return earlier[-1]
    return _among(view, whole_before, data)


def _among(view: str, before: List[Span], data: dict) -> Optional[Span]:
    """A clause opened by the number after ``X中,`` counts X (这些建议中,501件是… -> 建议)."""
    words = [view[s:e] for s, e in before]
    breaks = [i for i, w in enumerate(words) if w in data["clause_breaks"] or w in data["sentence_breaks"]]
    if not breaks or any(w.strip() for w in words[breaks[-1] + 1:]):
        return None
    end = breaks[-1]
    if end == 0 or words[end - 1] != "中" or words[end] in data["sentence_breaks"]:
        return None
    start = next((i + 1 for i in range(end - 1, -1, -1)
                  if words[i] in data["clause_breaks"] or words[i] in data["sentence_breaks"]), 0)
    return _noun_phrase_before(view, before[start:end - 1], words[start:end - 1], data)


def _noun_phrase_before(view: str, before: List[Span], words: List[str], data: dict) -> Optional[Span]:
    """After the last verb, preposition or 的; where that leaves less than two characters, after
    the one before it (廉政建设类16件 -> 建设类, not 类)."""
    verbs, prepositions, clause_breaks = data["verbs"], data["prepositions"], data["clause_breaks"]
    cutting, activity_nouns = data["cutting"], data["activity_nouns"]
    cuts = [0]
    for i, w in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if len(w) == 1 and w in verbs and w not in prepositions and w not in clause_breaks \
                and len(following) <= 2 and following.endswith("率"):
            continue  # 办|结率, 办|复率: a rate named by a verb + 率, which pkuseg may cut after the verb
        if w in cutting or w in clause_breaks or w == "的" and i < len(words) - 1:
            cuts.append(i + 1)
        elif w in activity_nouns and i < len(words) - 1:
            cuts.append(i + 1)
    last = cuts[-1]
    for cut in reversed(cuts):
        if words[cut:] and (words[cut] in data["clause_breaks"] or words[cut] == "的"):
            break
        head = _trim_leading(before[cut:], words[cut:], data)
        if head and _two_cjk(view, head[0][0], head[-1][1]):
            if cut < last and words[last - 1] in data["prepositions"]:
                return None  # 对1人: a preposition's object is not the counted noun
            return _capped(view, head, data)
        if cut == last and not words[last:]:
            break  # the phrase ends with a verb: no noun before the number
        if cut < last and words[cut:last] and words[last - 1] != "的" and words[last - 1] in data["cutting"] \
                and words[last - 1] not in data["verbs_proper"]:
            break
    return None


def _two_cjk(view: str, s: int, e: int) -> bool:
    """At least two CJK ideographs in ``view[s:e]``."""
    return _TWO_CJK.search(view, s, e) is not None


_TWO_CJK = re.compile("[\u4e00-\u9fff][^\u4e00-\u9fff]*[\u4e00-\u9fff]")


def _trim_leading(toks: List[Span], words: List[str], data: dict) -> List[Span]:
    i = 0
    while i < len(words) and (words[i] in data["leading"] or any(ch.isdigit() for ch in words[i])):
        i += 1
    j = len(words)
    while j > i and words[j - 1] in data["trailing"]:
        j -= 1
    return toks[i:j]


def _capped(view: str, toks: List[Span], data: dict) -> Optional[Span]:
    """The last words of ``toks`` within the length limits; at least two characters."""
    max_words, max_chars = data["max_words"], data["max_len"]
    start = len(toks)
    n = 0
    while start > 0:
        s, e = toks[start - 1]
        if view[s:e] not in data["transparent"]:
            if n and (n >= max_words or toks[-1][1] - s > max_chars):
                break
            n += 1
        start -= 1
    # an opening mark left without its partner, or a closing one at the head, is dropped
    while start < len(toks) and view[toks[start][0]:toks[start][1]] in data["transparent"] and \
            not _balanced(view, toks[start][0], toks[-1][1]):
        start += 1
    if start >= len(toks):
        return None
    s, e = toks[start][0], toks[-1][1]
    for k in _closing_brackets(view, s, e):  # 直辖市)人大代表: start after a bracket closed outside the phrase
        if not _balanced(view, s, k + 1):
            s = k + 1
            break
    while e > s and view[e - 1] in "“《(（":
        e -= 1
    if not _two_cjk(view, s, e):
        return None
    return s, e


def _closing_brackets(view: str, s: int, e: int) -> List[int]:
    """Where ``)`` or ``）`` stands in ``view[s:e]``, last first (most phrases have none)."""
    last = max(view.rfind(")", s, e), view.rfind("）", s, e))
    return [k for k in range(last, s - 1, -1) if view[k] in ")）"] if last >= 0 else []


def _balanced(view: str, s: int, e: int) -> bool:
    piece = view[s:e]
    return all(piece.count(a) == piece.count(b) for a, b in ("“”", "《》", "()", "（）"))


def _noun_phrase_after(view: str, toks: _Words, qe: int, nxt: int, unit: str, data: dict,
                       any_unit: bool = False) -> Optional[Span]:
    if unit not in data["classifiers"] and not any_unit:
        return None
    after = toks.within(qe, nxt)
    out: List[Span] = []
    pre: List[Span] = []  # the words before a 的 (各具特色的感知点; 156件建议的办复率)
    generic = False
    k = 0
    while k < len(after):
        s, e = after[k]
        w = view[s:e]
        k += 1
        if w in data["clause_breaks"] or w in data["sentence_breaks"] or not w.strip() or "…" in w:
            break
        if w == "的":
            if not out and not pre:
                break  # 15万多人的知情权: what follows 的 is not what is counted
            pre, out = out, []
            continue
        if not out and not pre and w in data["light_verbs"] and k == 1 + _lead_spaces(view, after):
            continue  # 对2人进行提醒谈话 -> 提醒谈话
        if not out and _is_year(w):
            continue  # 11个2020年重点民生实事项目
        if w in data["ordinal_markers"] and out and _numeric(view[out[-1][0]:out[-1][1]]):
            out = []  # 两名县十六届人大代表
            continue
        if _numeric(w) and k < len(after) and view[after[k][0]:after[k][1]] in data["ordinal_markers"]:
            out.append((s, e))
            continue
        if w in ("(", "（") and out:
            close = next((m for m in range(k, min(k + 5, len(after)))
                          if view[after[m][0]:after[m][1]] in (")", "）")), None)
            if close is None:
                break
            out.extend(after[k - 1:close + 1])  # 444个村(社区)
            k = close + 1
            continue
        if w in data["after_stops"] and w not in data["after_stop_exceptions"]:
            break
        if any(ch.isdigit() for ch in w) or w in "(（":
            break
        if not out and w in data["generic_heads"] and not pre:
            generic = True  # 15位同志辞去县人大代表职务: what they do is what is counted
            continue
        out.append((s, e))
        if len(out) >= 2 * data["max_words"] and not generic:
            break
    if generic:
        out = _clause_rest(view, after, data)
    if pre and (not out or view[out[-1][0]:out[-1][1]] in data["attribute_heads"]
                or view[out[0][0]:out[0][1]] in data["attribute_heads"]):
        out = pre
    elif pre and out and not _two_cjk(view, out[0][0], out[-1][1]):
        out = [t for t in after if pre[0][0] <= t[0] and t[1] <= out[-1][1]]  # 14个设区的市
    if not out:
        return None
    return _capped(view, out, data)


def _clause_rest(view: str, after: List[Span], data: dict) -> List[Span]:
    """The words after a generic head up to the end of the clause, without verbs of being."""
    out: List[Span] = []
    started = False
    for s, e in after:
        w = view[s:e]
        if w in data["clause_breaks"] or w in data["sentence_breaks"]:
            break
        if not started:
            if w in data["generic_heads"]:
                started = True
            continue
        if w in ("为", "是", "担任") or not w.strip():
            out = []
            continue
        if w == "的":
            break
        out.append((s, e))
    return out[-2:]


def _up_to_people_noun(view: str, phrase: Span, data: dict) -> Span:
    s, e = phrase
    piece = view[s:e]
    ends = [piece.find(noun) + len(noun) for noun in data["people_nouns"] if noun in piece]
    return (s, s + min(ends)) if ends else phrase


def _ends_with_verb(view: str, span: Span, data: dict) -> bool:
    piece = view[span[0]:span[1]]
    return piece.endswith(data["long_cutting"])


def _lead_spaces(view: str, toks: List[Span]) -> int:
    n = 0
    while n < len(toks) and not view[toks[n][0]:toks[n][1]].strip():
        n += 1
    return n


def _numeric(word: str) -> bool:
    if not word or not (word[0].isdigit() or word[0] in _NUMERAL_CHARS):
        return False  # most words: no generator needed to tell
    return all(ch.isdigit() or ch in _NUMERAL_CHARS for ch in word)


_NUMERAL_CHARS = frozenset("〇零一二两三四五六七八九十百千万亿第.")


def _is_year(word: str) -> bool:
    return word.endswith("年") and word[:-1].isdigit()


def _verb_phrase(view: str, before: List[Span], words: List[str], data: dict) -> Optional[Span]:
    """The last verb with the words before it back to the previous verb (同比增长, 计划总投资)."""
    if not words:
        return None
    end = len(words)
    start = end - 1
    while start > 0 and words[start - 1] not in data["verbs"] and words[start - 1] not in data["clause_breaks"] \
            and not any(ch.isdigit() for ch in words[start - 1]) \
            and end - start < data["max_words"]:
        start -= 1
    s, e = before[start][0], before[end - 1][1]
    if not _two_cjk(view, s, e):
        return None
    return s, e
