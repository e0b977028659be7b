"""spec §2 ``indicator``: what a quantity counts, as a whole noun phrase of its own clause, read
on the words of the pipeline's segmentation (issue 11). Sentences are from the seed reports, the
development corpus (paraphrased real pages) or the issue."""

from __future__ import annotations

from typing import Dict

import pytest

import reportie
from reportie.indicators import sentence_indicators
from reportie.script import simplified_view


@pytest.fixture(scope="module")
def nlp(reportie_home):
    from reportie.pipeline import load

    return load()


def indicators(nlp, text: str) -> Dict[str, str]:
    report = reportie.extract(text, nlp=nlp)
    return {q.text: q.indicator for q in report.quantities}


@pytest.mark.parametrize("sentence, text, indicator", [
    ("该项目计划总投资约1.5亿元。", "约1.5亿元", "计划总投资"),  # not 划总
    ("常委会审议法规案14件。", "14件", "法规案"),
    ("对8个政府部门开展工作评议。", "8个", "政府部门"),  # not 政府
    ("接待群众1200余人次。", "1200余人次", "接待群众"),
    ("全年召开常委会会议8次。", "8次", "常委会会议"),
    ("代表联络站联系点增加到11个。", "11个", "代表联络站联系点"),
    ("全市26万各级人大代表积极参与。", "26万", "各级人大代表"),
    ("鄉鎮人大代表有188萬,縣級人大代表有59萬。", "59萬", "縣級人大代表"),  # the input's script
    ("打造了103个各具特色的全过程人民民主感知点。", "103个", "全过程人民民主感知点"),
    ("其中涉及水务的有19件,涉及交通的有14件。", "14件", "交通"),
    ("收集代表建议152件，办结率100%。", "100%", "办结率"),  # pkuseg cuts 办|结率: not 结率
    ("全年办理代表建议152件，辦復率100%。", "100%", "辦復率"),
    ("人大代表出席率达98.5%，较上年提高2.1个百分点。", "2.1个百分点", "人大代表出席率"),  # the rate's change
])
def test_indicator_is_the_counted_noun_phrase(nlp, sentence: str, text: str, indicator: str) -> None:
    """spec §2 indicator: the noun phrase before the number, or after a classifier unit when
    nothing but a verb or preposition precedes the number."""
    assert indicators(nlp, sentence)[text] == indicator


def test_indicator_never_comes_from_another_clause(nlp) -> None:
    """spec §2 indicator: a phrase of the quantity's own clause (审议议题42项，听取和审议… is 议题)."""
    got = indicators(nlp, "常委会审议议题42项，听取和审议专项工作报告12个。制定地方性法规3部，修改2部。")
    assert got["42项"] == "议题"
    assert got["3部"] == "地方性法规"
    assert got["2部"] == "地方性法规"  # a clause with only a verb continues the count before it


def test_indicator_of_a_share_is_what_the_share_is_of(nlp) -> None:
    """spec §2 indicator: 占N% takes the phrase of the figure it is a share of."""
    got = indicators(nlp, "从代表反馈的意见看,表示满意的70件,占86.4%;表示基本满意的11件,占13.6%。")
    assert got["70件"] == got["86.4%"] == "满意"
    assert got["11件"] == got["13.6%"] == "基本满意"


def test_indicator_continues_an_enumeration(nlp) -> None:
    """spec §2 indicator: a verb alone before the number continues the noun of the previous one."""
    got = indicators(nlp, "常委会审议法规案23件,其中新制定法规8件、修改12件、废止1件。")
    assert got["8件"] == "法规"
    assert got["12件"] == got["1件"] == "法规"


def test_indicator_after_a_generic_head(nlp) -> None:
    """spec §2 indicator: N位同志 counts what they do (辞去…职务), not 同志."""
    got = indicators(nlp, "會議還通過了曾常輝、徐世菊、文全善等15位同志辭去縣人大代表職務的辭呈。")
    assert "人大代表職務" in got["15位"]


def test_indicator_is_whole_words_of_the_segmentation(nlp) -> None:
    """spec §2 indicator: never a piece of a word; at least two characters; None only when the
    sentence names nothing."""
    text = ("2017—2021年,全國企業國有資本權益由50.3萬億元增至86.9萬億元,年均增長14.6%。"
            "全年共收集各类意见建议400余条,解决340余条,满意率达98%。")
    doc = nlp(text)
    starts = {t.idx for t in doc}
    ends = {t.idx + len(t.text) for t in doc}
    report = reportie.extract(text, nlp=nlp)
    for q in report.quantities:
        assert q.indicator and len(q.indicator) >= 2, q
        i = text.rfind(q.indicator, 0, q.start)
        assert i in starts and i + len(q.indicator) in ends, (q.text, q.indicator)
    assert {q.text: q.indicator for q in report.quantities}["50.3萬億元"] == "國有資本權益"
    assert indicators(nlp, "共计5次。")["5次"] is None


def test_sentence_indicators_on_given_words() -> None:
    """The pure function reads the words it is given and slices the text as written."""
    text = "審議法規案14件"
    view = simplified_view(text)
    words = [(0, 2), (2, 5), (5, 7), (7, 8)]
    assert sentence_indicators(text, view, 0, len(text), [(5, 8, "件", "count")], words) == ["法規案"]


def test_indicator_is_found_where_the_sentence_names_it(nlp) -> None:
    """spec §2 indicator: None only when the sentence names nothing (这些建议中,501件是… counts
    建议; 在14个设区的市 counts 设区的市)."""
    assert indicators(nlp, "这些建议中,501件是在市十六届人大四次会议期间提出的。")["501件"] == "建议"
    assert indicators(nlp, "常委会扩充基层立法联系点数量,在14个设区的市实现布点。")["14个"] == "设区的市"
