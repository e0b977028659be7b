"""Shared reading of report metadata (spec §3): the vocabulary in ``data/metadata.json``, the
compiled patterns, and the page's headline and source lines."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, Tuple

from .datafiles import load_json


@lru_cache(maxsize=1)
def _vocabulary() -> Dict[str, Any]:
    """``data/metadata.json`` (schema-checked; its ``_comment`` keys dropped)."""
    return load_json("metadata.json")


_HAN = re.compile(r"[\u4e00-\u9fff]")
_YEAR = r"(?<![\d.])((?:19|20)\d{2})\s*"
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "O": "0"}


@lru_cache(maxsize=1)
def _patterns() -> Dict[str, "re.Pattern[str]"]:
    vocab = _vocabulary()
    organs = "|".join(sorted(vocab["organs"], key=len, reverse=True))
    return {
        "organ": re.compile(rf"(?:{organs})"),
        "term": re.compile(r"第?[一二三四五六七八九十百〇\d]{1,4}届$"),
        "quoted_title": re.compile(r"《[^》\n]{0,200}》"),
        "title_year": re.compile(_YEAR + r"年度?[^\n。]{0,40}?(?:" + "|".join(vocab["title_words"]) + ")"),
        "head_title_year": re.compile(_YEAR + r"年度?的?[^\n。，,]{0,12}?(?:工作|履职)(?:综述|报告|总结|回顾|纪实)"),
        "past_year": re.compile(r"(?:过去的?|刚刚过去的)\s*((?:19|20)\d{2})\s*年"),
        "opening_year": re.compile(
            r"(?:^|[\n。！？；])[ \t\u3000]*(?:[■●◆]\s*)?(?:" + "|".join(vocab["opening_labels"]) + r")?"
            r"((?:19|20)\d{2})\s*(?:[—\-－~至到]\s*((?:19|20)\d{2})\s*)?年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
            r"([^，,。\n]{0,8}?(?:" + "|".join(vocab["span_words"]) + "))?"),
        "full_date": re.compile(
            r"([12一二][0-9〇零一二三四五六七八九○O]{3})\s*年\s*([0-9一二三四五六七八九十]{1,3})\s*月\s*([0-9一二三四五六七八九十]{1,3})\s*日"),
        "iso_date": re.compile(r"(?<!\d)((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})(?!\d)"),
        "session": re.compile(r"(?:人民代表大会|人大)(?:第?[一二三四五六七八九十\d]{1,3}次会议)"),
        "undated_session": re.compile(r"(?:人民代表大会|人大)第?[一二三四五六七八九十\d]{1,3}次会议[^。\n]{0,30}?"
                                      r"(?<![\d年])([0-9一二三四五六七八九十]{1,2})月[0-9一二三四五六七八九十]{1,3}日"),
        "committee": re.compile(r"常务委员会|常委会|主任会议"),
        "year": re.compile(_YEAR + r"年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"),
    }


@lru_cache(maxsize=4)  # read for every place weighed: split the text into lines once per text
def _headline_lines(view: str) -> Tuple[str, ...]:
    vocab = _vocabulary()
    lines = []
    for line in view.splitlines():
        line = line.strip()
        if not line or not _HAN.search(line):
            continue
        if len(line) > vocab["headline_max_chars"] or "。" in line or any(w in line for w in vocab["furniture_words"]):
            continue
        lines.append(line)
        if len(lines) == vocab["headline_lines"]:
            break
    return tuple(lines)


@lru_cache(maxsize=4)
def _source_lines(view: str) -> Tuple[str, ...]:
    """Source or author lines among the first lines (来源：岚山县人大常委会): they name the publisher."""
    vocab = _vocabulary()
    return tuple(line for line in view.splitlines()[:vocab["source_lines"]]
                 if any(w in line for w in vocab["source_words"]))
