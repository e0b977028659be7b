"""Spec §1: headlines, article titles, bylines and page furniture are ``other`` — the page head.

The texts below are written here, in the forms news pages of congresses take.
"""

import numpy as np

import reportie
from reportie.pagehead import HEAD_SCORE, page_head, settle_page_head

NEWS_PAGE = (
    "首页 > 工作动态 > 立法工作\n"
    "《青岚市养犬管理条例》明年3月1日起施行\n"
    "发布时间：2025-12-02 09:30　来源：青岚市人大常委会办公室\n"
    "12月1日，市十七届人大常委会第二十三次会议表决通过《青岚市养犬管理条例》。\n"
    "条例共六章四十二条，对犬只登记、免疫和文明养犬作出规定。\n"
)


def test_the_lines_before_the_first_sentence_of_running_text_are_the_head():
    lines = NEWS_PAGE.splitlines()
    assert page_head(lines) == [True, True, True, False, False]


def test_a_page_that_opens_with_a_section_heading_has_no_head():
    # spec §1: a heading takes the function of the section it opens
    lines = ["一、代表工作", "全年办理代表建议126件。"]
    assert page_head(lines) == [False, False]
    assert page_head(["【议案建议办理】", "全年办理代表建议126件。"]) == [False, False]


def test_a_text_without_running_text_has_no_head():
    assert page_head(["县人大常委会开展食品安全法执法检查"]) == [False]
    assert page_head(["监督工作", "立法工作"]) == [False, False]


def test_one_line_before_the_text_may_be_a_section_heading_and_is_no_head():
    # spec §1: a heading takes the function of the section it opens (an excerpt of a report)
    assert page_head(["强化监督 服务大局", "常委会开展执法检查3次。"]) == [False, False]


def test_a_quoted_line_is_left_to_the_model_and_the_head_goes_on():
    lines = ["“新建村级文化广场12个”", "县政府晒出民生成绩单", "来源：县人大", "这份清单是县政府向代表晒出的成绩单。"]
    assert page_head(lines) == [False, True, True, False]


def test_a_long_line_with_several_commas_is_running_text():
    lead = ("本报讯 近日，县人大常委会组成调研组，深入乡镇、企业和社区，围绕优化营商环境开展专题调研，"
            "听取意见建议，形成调研报告")
    assert page_head(["县人大调研营商环境", "来源：县人大", lead, "调研组提出建议5条。"]) == [True, True, False, False]


def test_a_line_ending_in_a_comma_is_running_text_broken_across_lines():
    lines = ["青岚县人大常委会工作报告", "——在青岚县第十八届人民代表大会第四次会议上",
             "各位代表：一年来，县人大常委会在县委的坚强领导下，", "依法履职。"]
    assert page_head(lines) == [True, True, False, False]


def test_settling_moves_the_mass_to_other_and_keeps_the_rest_in_order():
    classes = ["deputy_work", "legislation", "other", "self_building", "supervision"]
    p = np.array([[0.1, 0.7, 0.1, 0.05, 0.05], [0.1, 0.7, 0.1, 0.05, 0.05]])
    out = settle_page_head(p, classes, [True, False])
    assert out[0, 2] >= HEAD_SCORE and abs(out[0].sum() - 1) < 1e-9
    assert out[0, 1] > out[0, 0]  # the model's order among the rest stays
    assert (out[1] == p[1]).all()


def test_extract_labels_a_headline_naming_a_regulation_other_and_the_lead_by_its_function():
    report = reportie.extract(NEWS_PAGE)
    labels = [s.label for s in report.sentences]
    assert labels[:3] == ["other", "other", "other"]
    assert report.sentences[3].label == "legislation"
    assert report.sentences[1].scores["other"] >= HEAD_SCORE
