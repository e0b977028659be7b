"""The page head (spec §1): the headline, subtitle, byline, date and navigation lines a page
opens with, which are ``other`` whatever function their words name.

The sentence model reads a headline's words (…条例 公开征求意见的公告, …预算执行情况的报告,
代表建议516件已全部办结) and votes for the function they name; spec §1 makes headlines, article
titles, bylines and page furniture ``other``. So, after the model, the head is settled by rule:

- the head is the run of sentences from the top of the page that are whole lines without end
  punctuation (no 。！？；…), up to the first sentence of running text;
- a numbered or bracketed section heading (一、…, （一）…, 【…】) ends the head: a page that
  opens with a section gives its heading that section's function (spec §1);
- so does a long line with several commas (a lead paragraph that lost its full stop) or a line
  ending in a comma (a sentence broken across lines in hard-wrapped text);
- a line that is one quotation (“…”) is text the page quotes: left to the model, and the head
  goes on after it;
- a text with no running text at all (one short line, a list of lines) has no head, nor has a
  text with a single line before its running text: that line may as well be the heading of a
  section (an excerpt: 强化监督 服务大局 over the supervision paragraphs), which takes the
  section's function; a page's head has a headline and a byline, date or subtitle.

On the annotated documents (seeds, dev corpus, authored pages) all 551 head lines are ``other``
(``python scripts/page_head.py`` counts them).
"""

from __future__ import annotations

import re
from typing import List, Sequence

import numpy as np

from .sentences import CLOSERS, LIST_MARKER, TERMINATORS

__all__ = ["HEAD_SCORE", "page_head", "settle_page_head"]

HEAD_SCORE = 0.97  # the least probability of ``other`` on a head line (the rest keeps its order)
_ENDS_SENTENCE = re.compile(f"[{re.escape(TERMINATORS)}…][{re.escape(CLOSERS)}]*$")
_SECTION = re.compile(r"^(?:【|\[)")
_QUOTATION = re.compile(r"^[“「\"『].*[”」\"』]$")
_RUNNING_CHARS, _RUNNING_COMMAS = 40, 3
_GREETING_CHARS = 10
_HEAD_LINES = 2  # a page's head has a headline and a byline, date or subtitle


def _is_running_text(line: str) -> bool:
    if line[-1] in "，,、" and len(line) > _GREETING_CHARS:  # a sentence broken across lines
        return True  # (hard-wrapped text), never a headline; 欢迎您， is furniture
    return len(line) > _RUNNING_CHARS and line.count("，") + line.count(",") >= _RUNNING_COMMAS


def page_head(texts: Sequence[str]) -> List[bool]:
    """Per sentence of one document (in reading order), whether it is a line of the page head."""
    head = [False] * len(texts)
    for index, raw in enumerate(texts):
        line = raw.strip(" \t\r\n\u3000\u00a0")
        if not line:
            continue
        if _ENDS_SENTENCE.search(line) or LIST_MARKER.match(line) or _SECTION.match(line) or _is_running_text(line):
            # one line alone before the text is as likely a section's heading (an excerpt) as a headline
            return head if sum(head) >= _HEAD_LINES else [False] * len(texts)
        if _QUOTATION.match(line):
            continue
        head[index] = True
    return [False] * len(texts)  # no running text under it: a list of lines, or one short line, not a page


def settle_page_head(probabilities: np.ndarray, classes: Sequence[str], head: Sequence[bool]) -> np.ndarray:
    """``probabilities`` (rows of one document) with each head line's mass moved to ``other``
    (at least :data:`HEAD_SCORE`); other rows unchanged."""
    mask = np.asarray(head, dtype=bool)
    if "other" not in classes or not mask.any():
        return probabilities
    out = np.array(probabilities, dtype=np.float64, copy=True)
    out[mask] *= 1.0 - HEAD_SCORE
    out[mask, list(classes).index("other")] += HEAD_SCORE
    return out
