"""Sentence and section boundaries of a report, as character spans.

A pure function of the text: the spaCy ``reportie/sections`` component and the
annotation tools both call it, so sentence offsets in ``annotations/`` always agree
with what ``extract()`` produces.

Rules (issue 2, point 3):
- a sentence ends after 。！？；!?; (plus any closing quotes or brackets) or at a line break;
- a heading is a short line without end punctuation (or a short line opened by a list
  marker such as 一、 or （一）, unless it ends in ；or ， as the items of a running list do);
  it is a sentence of its own;
- every sentence knows the heading of its section; consecutive heading lines
  (a title and its subtitle) form one section name;
- a sentence longer than ``MAX_SENTENCE_CHARS`` is cut at a comma, or hard-cut, so that no
  single span grows without bound (OCR text with no punctuation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional

TERMINATORS = "。！？；!?;"
CLOSERS = "”’」』）)】〕》\"'"
# A line ending in one of these continues a sentence or introduces a list: not a heading.
NON_HEADING_ENDINGS = TERMINATORS + "，,、：:…—-"
LIST_ITEM_ENDINGS = "；;，,"  # a numbered line ending in one of these is a list item
HEADING_MAX_CHARS = 36
MAX_SENTENCE_CHARS = 400
SOFT_BREAKS = "，,、"
LIST_MARKER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]\D|第[一二三四五六七八九十]+[，,、部章节])"
)
_SENTENCE_END = re.compile(f"[{re.escape(TERMINATORS)}]+[{re.escape(CLOSERS)}]*")
_WHITESPACE = " \t\r\f\v\u3000\u00a0"
# Characters of numbers, signs and codes (Arabic, full-width and Chinese numerals, Latin letters).
_NUMBER_CHARS = frozenset(
    "0123456789０１２３４５６７８９.．%％+-＋－ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    "〇零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億兩廿卅几数余多半点"
)


@dataclass(frozen=True)
class SentenceSpan:
    """One sentence: ``text[start:end]``, whether it is a heading, and its section."""

    start: int
    end: int
    heading: bool
    section: Optional[str]


def is_heading(line: str) -> bool:
    """A short line without end punctuation, or a short numbered line (一、… （二）…) that does
    not end in ；or ， (1、听取…报告； is an item of a running list)."""
    stripped = line.strip(_WHITESPACE)
    if not stripped or len(stripped) > HEADING_MAX_CHARS:
        return False
    core = stripped.rstrip(CLOSERS)
    if LIST_MARKER.match(stripped):
        # 1、听取…报告； / (2)…作述职; is an item of a list that runs on, not a section's title
        return not core or core[-1] not in LIST_ITEM_ENDINGS
    return bool(core) and core[-1] not in NON_HEADING_ENDINGS


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start] in _WHITESPACE or text[start] == "\n"):
        start += 1
    while end > start and (text[end - 1] in _WHITESPACE or text[end - 1] == "\n"):
        end -= 1
    return start, end


def _touches_number(text: str, cut: int) -> bool:
    """Whether a cut before ``text[cut]`` would split a number or a code (3A, A02), or part a
    number from what touches it (第|3次, 3|次)."""
    return text[cut - 1] in _NUMBER_CHARS or text[cut] in _NUMBER_CHARS


def _cut_long(text: str, start: int, end: int) -> List[tuple[int, int]]:
    """Cut an over-long span at the last soft break before the limit, else hard.

    A comma between digits (3,000) is not a break, and a hard cut backs off to a place that
    does not split a number from its neighbours, so every quantity lies in one piece."""
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        floor = start + MAX_SENTENCE_CHARS // 2
        cut = -1
        for ch in SOFT_BREAKS:
            at = text.rfind(ch, floor, limit)
            while at >= floor and text[at - 1] in _NUMBER_CHARS and text[at + 1] in _NUMBER_CHARS:
                at = text.rfind(ch, floor, at)  # 3,000 or 一、二: not a break
            cut = max(cut, at)
        if cut > start:
            cut += 1
        else:
            cut = limit
            while cut > floor and _touches_number(text, cut):
                cut -= 1
            if cut == floor:
                cut = limit  # one run of digits or letters: nothing better than a hard cut
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def split_sentences(text: str) -> List[SentenceSpan]:
    """Split ``text`` into sentences and headings, in order, without overlap."""
    spans: List[SentenceSpan] = []
    section: Optional[str] = None
    heading_run: List[str] = []
    offset = 0
    for line in text.split("\n"):
        line_start, line_end = _trim(text, offset, offset + len(line))
        offset += len(line) + 1
        if line_start >= line_end:
            continue
        if is_heading(text[line_start:line_end]):
            heading_run.append(text[line_start:line_end])
            section = " ".join(heading_run)
            spans.append(SentenceSpan(line_start, line_end, True, section))
            continue
        heading_run = []
        pos = line_start
        for match in _SENTENCE_END.finditer(text, line_start, line_end):
            spans.extend(_body_spans(text, pos, match.end(), section))
            pos = match.end()
        if pos < line_end:
            spans.extend(_body_spans(text, pos, line_end, section))
    return spans


def _body_spans(text: str, start: int, end: int, section: Optional[str]) -> List[SentenceSpan]:
    start, end = _trim(text, start, end)
    if start >= end:
        return []
    return [SentenceSpan(s, e, False, section) for s, e in _cut_long(text, start, end)]

