"""Sentence and section boundaries (issue 2, point 3)."""

from pathlib import Path

import pytest

from reportie.sentences import MAX_SENTENCE_CHARS, is_heading, split_sentences

SEEDS = sorted(Path(__file__).resolve().parents[1].joinpath("seeds").glob("*.txt"))


def texts(text, spans):
    return [text[s.start:s.end] for s in spans]


def test_terminators_split_sentences_and_keep_closing_quotes():
    text = "全年制定地方性法规3部。开展执法检查5次！“代表建议全部办结。”随后召开会议；"
    assert texts(text, split_sentences(text)) == ["全年制定地方性法规3部。", "开展执法检查5次！", "“代表建议全部办结。”", "随后召开会议；"]


def test_heading_is_its_own_sentence_and_names_the_section():
    text = "强化监督 服务大局彰显担当\n一年来，常委会开展执法检查3次。听取审议报告12项。\n守正创新 激发代表履职活力\n收集代表建议158件。"
    spans = split_sentences(text)
    assert [s.heading for s in spans] == [True, False, False, True, False]
    assert spans[1].section == spans[2].section == "强化监督 服务大局彰显担当"
    assert spans[4].section == "守正创新 激发代表履职活力"


def test_consecutive_heading_lines_form_one_section():
    text = "坚持党的全面领导\n围绕中心服务大局\n清城区人大常委会始终坚持党的领导。"
    spans = split_sentences(text)
    assert spans[2].section == "坚持党的全面领导 围绕中心服务大局"


@pytest.mark.parametrize("line,expected", [
    ("坚持党的领导 确保人大工作正确政治方向", True),
    ("一、坚持党的全面领导，确保正确政治方向。", True),  # numbered heading, even with a full stop
    ("（二）加强代表工作", True),
    ("立足“四个机关”定位", True),
    ("全年制定地方性法规3部,开展执法检查、专题询问5项,听取和审议专项工作报告13项,开展专题调研16次……", False),
    ("推动公正司法。", False),
    ("主要做法是：", False),
    # numbered lines that end as a running list's items do are items, not section titles
    ("1、听取和审议镇人民政府工作报告；", False),
    ("(2)乡长和副乡长分别作专题述职;", False),
    ("（三）对乡直站所进行工作评议；", False),
])
def test_heading_rule(line, expected):
    assert is_heading(line) is expected


def test_overlong_line_without_punctuation_is_cut():
    text = "代表" * (MAX_SENTENCE_CHARS * 3)
    spans = split_sentences(text)
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in spans)
    assert "".join(texts(text, spans)) == text


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_sentences_cover_text_in_order_without_overlap(path):
    text = path.read_text(encoding="utf-8")
    spans = split_sentences(text)
    assert spans
    for prev, cur in zip(spans, spans[1:]):
        assert prev.end <= cur.start
    covered = set()
    for s in spans:
        covered.update(range(s.start, s.end))
    # Everything not covered is whitespace.
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


def test_sentence_split_is_idempotent_on_its_own_output():
    text = SEEDS[0].read_text(encoding="utf-8")
    for s in split_sentences(text):
        again = split_sentences(text[s.start:s.end])
        assert len(again) == 1 and (again[0].start, again[0].end) == (0, s.end - s.start)
