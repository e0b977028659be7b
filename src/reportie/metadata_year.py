"""The year a report covers (spec §3): the rules are listed in :mod:`reportie.metadata`."""

from __future__ import annotations

import re
from collections import Counter
from typing import Optional, Tuple

from .metadata_text import _CN_DIGITS, _headline_lines, _patterns, _vocabulary
from .script import simplified_view

__all__ = ["find_year", "year_of_view"]


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if all(c in _CN_DIGITS for c in text):
        return int("".join(_CN_DIGITS[c] for c in text))
    value = 0  # 十二, 二十六
    if "十" in text:
        tens, _, units = text.partition("十")
        value = (int(_CN_DIGITS[tens]) if tens else 1) * 10 + (int(_CN_DIGITS[units]) if units else 0)
        return value
    return int("".join(_CN_DIGITS.get(c, c) for c in text))


def _delivery_year(view: str) -> Optional[int]:
    """The year covered by a report delivered (dated) at a congress session or committee meeting."""
    patterns = _patterns()
    head = view[:_vocabulary()["head_chars"]]
    for sentence in re.split(r"[。\n]", head):
        date = patterns["full_date"].search(sentence)
        if not date or not (patterns["session"].search(sentence) or "会议上" in sentence or "会议通过" in sentence):
            continue
        try:
            year, month = _number(date.group(1)), _number(date.group(2))
        except (KeyError, ValueError):
            continue
        if not 1900 < year < 2100 or not 1 <= month <= 12:
            continue
        if patterns["committee"].search(sentence) and not patterns["session"].search(sentence.replace("常务委员会", "")):
            if month <= 2:
                return year - 1
            continue
        return year if month >= 10 else year - 1
    return None


def _publication(view: str) -> Optional[Tuple[int, int]]:
    vocab = _vocabulary()
    for line in view.splitlines():
        iso = _patterns()["iso_date"].search(line)
        if iso and (any(w in line for w in vocab["publication_words"]) or len(line.strip()) <= 30):
            return int(iso.group(1)), int(iso.group(2))
    return None


def find_year(text: str) -> Optional[int]:
    """The year the report covers (spec §3); the order of the evidence is in the module docstring."""
    return year_of_view(simplified_view(text))


def year_of_view(view: str) -> Optional[int]:
    patterns = _patterns()
    vocab = _vocabulary()
    for line in _headline_lines(view):
        if any(w in line for w in vocab["not_title_words"]):
            continue
        match = patterns["title_year"].search(line)
        if match:
            return int(match.group(1))
    delivered = _delivery_year(view)
    if delivered:
        return delivered
    head = view[:vocab["head_chars"]]
    match = patterns["past_year"].search(view) or patterns["head_title_year"].search(head)
    if match:
        return int(match.group(1))
    opening = patterns["opening_year"].search(view)
    if opening and not opening.group(3):  # the first year opening a sentence; 2021年…以来 is a span
        return int(opening.group(2) or opening.group(1))
    published = _publication(view)
    session = patterns["undated_session"].search(view) or patterns["session"].search(view[:vocab["head_chars"]])
    if published and session:
        try:
            month = _number(session.group(1)) if session.re is patterns["undated_session"] else published[1]
        except (KeyError, ValueError):
            month = published[1]
        if month <= 6 and published[1] <= 6:
            return published[0] - 1
    if published:
        return published[0]
    years = [int(m.group(1)) for m in patterns["year"].finditer(view)]
    if not years:
        return None
    return Counter(years).most_common(1)[0][0]
