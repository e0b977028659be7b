"""Unit tests for reportie.quantities.find_quantities: one rule of spec §2 per test.

Sentences are from the seed reports or written in the genre (work reports of provincial,
city and county people's congresses).
"""

from __future__ import annotations

from typing import List, Optional, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportie.quantities import APPROX_CLASSES, KINDS, QuantityMatch, find_quantities, parse_quantity


def texts(sentence: str) -> List[str]:
    return [q.text for q in find_quantities(sentence)]


def one(sentence: str, text: str) -> QuantityMatch:
    hits = [q for q in find_quantities(sentence) if q.text == text]
    assert len(hits) == 1, f"{text!r} not found once in {texts(sentence)}"
    return hits[0]


def fields(q: QuantityMatch) -> Tuple:
    return (q.value, q.low, q.high, q.unit, q.kind, q.approx)


# --- record shape and offsets -------------------------------------------------------------


def test_spec_offsets_are_absolute_and_slice_exactly() -> None:
    """spec §2 start/end: input[start:end] == text, also with a start/end window."""
    text = "全年制定地方性法规3部,开展执法检查、专题询问5项,听取和审议专项工作报告13项。"
    found = find_quantities(text)
    assert [q.text for q in found] == ["3部", "5项", "13项"]
    for q in found:
        assert text[q.start:q.end] == q.text
    window = find_quantities(text, 12, len(text))
    assert [q.text for q in window] == ["5项", "13项"]
    assert window[0].start == text.index("5项")


def test_record_is_frozen_dataclass() -> None:
    """QuantityMatch is an immutable record with the spec §2 fields."""
    q = find_quantities("收集意见152条")[0]
    with pytest.raises(Exception):
        q.value = 1.0  # type: ignore[misc]
    assert fields(q) == (152.0, None, None, "条", "count", "exact")


# --- units and kinds ------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, text, unit, kind, value", [
    ("年末结转和结余10.56亿元。", "10.56亿元", "元", "money", 1056000000.0),
    ("本计划投资3541.07万元。", "3541.07万元", "元", "money", 35410700.0),
    ("办结率为84.38%。", "84.38%", "%", "percent", 84.38),
    ("收视率为百分之零点九。", "百分之零点九", "%", "percent", 0.9),
    ("同比提高25个百分点。", "25个百分点", "百分点", "percentage_point", 25.0),
    ("种植面积140亩。", "140亩", "亩", "area", 140.0),
    ("建成区面积达45.2平方公里。", "45.2平方公里", "平方公里", "area", 45.2),
    ("日处理污水能力5万吨。", "5万吨", "吨", "measure", 50000.0),
    ("装机容量120万千瓦。", "120万千瓦", "千瓦", "measure", 1200000.0),
    ("接待选民群众483人次。", "483人次", "人次", "people", 483.0),
    ("任免国家机关工作人员53名。", "53名", "名", "people", 53.0),
    ("联系810位选民。", "810位", "位", "people", 810.0),
    ("解决当地群众长期就业20人。", "20人", "人", "people", 20.0),
    ("组织述职会21场。", "21场", "场", "count", 21.0),
    ("组织召开座谈会、院坝会60场次。", "60场次", "场次", "count", 60.0),
    ("接待群众32批次。", "32批次", "批次", "count", 32.0),
    ("请示报告重大事项12件次。", "12件次", "件次", "count", 12.0),
    ("开展4轮次法规清理。", "4轮次", "轮次", "count", 4.0),
    ("走访了12家医院。", "12家", "家", "count", 12.0),
    ("形成理论文章70篇。", "70篇", "篇", "count", 70.0),
    ("惠及群众12.6万户。", "12.6万户", "户", "count", 126000.0),
    ("涉及就业、社保等3方面。", "3方面", "方面", "count", 3.0),
])
def test_spec_units_and_kinds(sentence: str, text: str, unit: str, kind: str, value: float) -> None:
    """spec §2 unit/kind: money -> 元 (万元/亿元 scale), % , 百分点, area, measure, people, count."""
    q = one(sentence, text)
    assert (q.unit, q.kind) == (unit, kind)
    assert q.value == pytest.approx(value)


def test_spec_people_noun_without_measure_word() -> None:
    """spec §2 unit: a count of people with no measure word (26万各级人大代表) -> 人."""
    q = one("全市26万各级人大代表积极参与。", "26万")
    assert (q.value, q.unit, q.kind, q.indicator) == (260000.0, "人", "people", "各级人大代表")
    q = one("3万余群众参加。", "3万余")
    assert (q.unit, q.approx) == ("人", "more_than")


def test_money_compound_and_currency() -> None:
    """spec §2 money: 元 with 角/分 sums; foreign currencies keep their name."""
    assert fields(one("开销123元1角1分", "123元1角1分"))[:4] == (123.11, None, None, "元")
    assert one("中国资金净流出1200亿美元", "1200亿美元").unit == "美元"
    assert one("税额共计壹仟玖佰圆整，", "壹仟玖佰圆整").value == 1900.0


# --- approximation classes ------------------------------------------------------------------


@pytest.mark.parametrize("sentence, text, approx", [
    ("全年共收集群众意见建议400余条", "400余条", "more_than"),
    ("累计接待群众500多人次", "500多人次", "more_than"),
    ("任命5名以上委员", "5名以上", "more_than"),
    ("带动就业超过3万人", "超过3万人", "more_than"),
    ("逾200家企业参与", "逾200家", "more_than"),
    ("创造约150个就业岗位", "约150个", "about"),
    ("每年对5件左右法律法规开展执法检查", "5件左右", "about"),
    ("捐款近42.8万元", "近42.8万元", "nearly"),
    ("每年不少于2次", "不少于2次", "at_least"),
    ("参会人数不超过30人", "不超过30人", "at_most"),
    ("办理时限30件以内", "30件以内", "at_most"),
    ("不到1.9万元", "不到1.9万元", "less_than"),
    ("低于5%", "低于5%", "less_than"),
])
def test_spec_approx_classes(sentence: str, text: str, approx: str) -> None:
    """spec §2 approx: 余/多/以上/超过/逾 more_than, 约/左右 about, 近 nearly, 不少于 at_least,
    不超过/以内 at_most, 不到/低于 less_than; the word is part of the span."""
    assert one(sentence, text).approx == approx


@pytest.mark.parametrize("sentence, text, value", [
    ("千余人参加", "千余人", 1000.0), ("百余名代表", "百余名", 100.0), ("共计万余元", "万余元", 10000.0),
    ("100余万元", "100余万元", 1000000.0), ("征求意见1.2万余条", "1.2万余条", 12000.0),
])
def test_spec_more_than_with_bare_magnitude(sentence: str, text: str, value: float) -> None:
    """spec §2 approx more_than: 余/多 after a bare magnitude (千余人) or before 万 (100余万元)."""
    q = one(sentence, text)
    assert (q.value, q.approx) == (value, "more_than")


def test_spec_approx_word_must_touch_the_number() -> None:
    """spec §2: in 至少开展1次 the quantity is 1次, exact."""
    q = one("每季度至少开展1次调研", "1次")
    assert q.approx == "exact"


def test_approx_prefix_blocked_inside_words() -> None:
    """节约300万元 is not 约300万元: 约 there ends a word (data: prefix_blockers)."""
    assert fields(one("节约300万元", "300万元"))[5] == "exact"
    assert one("附近3个村", "3个").approx == "exact"


def test_money_two_point_six_yi_duo() -> None:
    """spec §2: 2.6亿多元 -> 2.6e8, more_than (多 between magnitude and unit)."""
    assert fields(one("捐赠捐助达2.6亿多元。", "2.6亿多元")) == (
        260000000.0, None, None, "元", "money", "more_than")


# --- ranges ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, text, low, high, unit", [
    ("举办1至2期人大代表专题培训班", "1至2期", 1, 2, "期"),
    ("亩产3000斤至8000斤", "3000斤至8000斤", 3000, 8000, "斤"),
    ("占比60%至70%", "60%至70%", 60, 70, "%"),
    ("酒精量在5-20%之间", "5-20%", 5, 20, "%"),
    ("投资一千到两千万元", "一千到两千万元", 1e7, 2e7, "元"),
    ("补助十八至三十万元", "十八至三十万元", 180000, 300000, "元"),
    ("范围1万(含)-5万元之间", "1万(含)-5万元", 10000, 50000, "元"),
    ("每组5～8人", "5～8人", 5, 8, "人"),
])
def test_spec_range_connectors(sentence: str, text: str, low: float, high: float, unit: str) -> None:
    """spec §2 range: 至/到/-/～ between two numbers, unit written once or twice: one record."""
    q = one(sentence, text)
    assert (q.value, q.low, q.high, q.unit, q.approx) == (low, low, high, unit, "range")


@pytest.mark.parametrize("sentence, text, low, high, approx", [
    ("每年开展两三次", "两三次", 2, 3, "range"),
    ("七八十人参加", "七八十人", 70, 80, "range"),
    ("涉及十几个部门", "十几个", 10, 20, "vague"),
    ("投入几十万元", "几十万元", 100000, 1000000, "vague"),
    ("数百名代表参加", "数百名", 100, 1000, "vague"),
    ("上百家企业参与", "上百家", 100, 1000, "vague"),
])
def test_spec_adjacent_and_vague(sentence: str, text: str, low: float, high: float,
                                 approx: str) -> None:
    """spec §2: adjacent numerals 两三次 -> 2..3 (never 23); 几/数/上 vague, value = low."""
    q = one(sentence, text)
    assert (q.value, q.low, q.high, q.approx) == (low, low, high, approx)


# --- exclusions -----------------------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "2023年工作综述", "1月15日解缴入库", "每月14日由主任接待", "晚20:35召开",
    "12月20日至21日召开", "2017—2021年规划",
])
def test_spec_not_dates_times_and_their_ranges(sentence: str) -> None:
    """spec §2 not quantities: dates, years, clock times and their ranges."""
    assert texts(sentence) == []


@pytest.mark.parametrize("sentence", [
    "乌当区十八届人大二次会议以来", "区委十一届四次全会", "第一次集中研判时", "第二水厂",
    "清城区九届人大四次会议和闭会期间",
])
def test_spec_not_session_and_term_ordinals(sentence: str) -> None:
    """spec §2 not quantities: session and term ordinals (十八届, 二次会议, 第一次)."""
    assert texts(sentence) == []


def test_real_event_counts_in_chinese_stay() -> None:
    """spec §2: a real count written in Chinese stays (两次会议, 一次专题询问)."""
    assert texts("每年举行两次会议") == ["两次"]
    assert texts("每年开展一次专题询问") == ["一次"]


@pytest.mark.parametrize("sentence", [
    "成立70周年", "五年来", "近2年", "15年之久", "为期两年", "2至3年", "10至15个工作日",
    "不少于1个月", "每季度", "两个月", "3个小时",
])
def test_spec_not_anniversaries_and_durations(sentence: str) -> None:
    """spec §2 not quantities: anniversaries and durations, even bounded or ranged."""
    assert texts(sentence) == []


@pytest.mark.parametrize("sentence", [
    "82岁老人", "评选十佳", "3A景区", "500强企业", "一层大厅", "五级人大代表", "县乡两级",
    "三级代表",
])
def test_spec_not_ages_ranks_floors_levels(sentence: str) -> None:
    """spec §2 not quantities: ages, ranks and honours, floors, level words."""
    assert texts(sentence) == []


def test_spec_yi_as_article() -> None:
    """spec §2: 一 as an article -- 一个近300平方米的院落 -> only 300平方米 counts."""
    found = find_quantities("建成一个近300平方米的院落")
    assert [(q.text, q.approx) for q in found] == [("近300平方米", "nearly")]
    for sentence in ("探索一种途径", "架起一座连心桥", "一个个难题", "一件件实事", "一批项目"):
        assert texts(sentence) == [], sentence


@pytest.mark.parametrize("sentence", [
    "坚持“三个到位”", "“一府一委两院”依法行政", "“十四五”规划", "构建“1+3+8+N”体系",
    "两不愁三保障", "“56789”运行体系", "把握“四个机关”定位", "落实中央八项规定精神",
    "居民楼水表“一户一表”改造", "“人民”二字贯穿始终",
])
def test_spec_not_slogans_and_set_phrases(sentence: str) -> None:
    """spec §2 not quantities: slogans and set phrases, quoted or not."""
    assert texts(sentence) == []


@pytest.mark.parametrize("sentence", [
    "一、坚持党的领导", "（一）加强监督", "1.加强监督", "依据12号文件", "刊登于第A02版",
    "轨道交通3号线", "联系电话0851-86812345", "出台《关于加强3项工作的决定》", "首次开展评议",
    "访问 https://example.com/a?q=30%25 查看",
])
def test_spec_not_markers_codes_lines_phones_titles(sentence: str) -> None:
    """spec §2 not quantities: list markers, document codes, line numbers, phone numbers,
    counts inside a quoted title, 首次 (and URL escapes)."""
    assert texts(sentence) == []


def test_spec_section_number_touching_an_amount() -> None:
    """spec §2: 2.2本计划投资3541.07万元 -> only 3541.07万元 (jionlp issue #49)."""
    assert texts("2.2本计划投资3541.07万元2.3本项目") == ["3541.07万元"]


def test_glued_thousands_not_across_clause_comma() -> None:
    """a full-width comma between ASCII digits is a clause break, not a separator."""
    assert texts("赞成20，反对3票") == ["3票"]


# --- indicator ------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, text, indicator", [
    ("全年共收集意见152条", "152条", "意见"),
    ("开展专题调研16次……", "16次", "专题调研"),
    ("听取和审议专项工作报告13项", "13项", "专项工作报告"),
    ("组建8个专业代表组,不断拓展", "8个", "专业代表组"),
    ("全年共收集群众意见建议400余条,解决340余条。", "340余条", "群众意见建议"),
    ("全年制定地方性法规3部", "3部", "地方性法规"),
    ("答复率、满意率均为100%", "100%", "满意率"),
])
def test_indicator_from_words_before_or_after(sentence: str, text: str, indicator: str) -> None:
    """spec §2 indicator: what is counted, from the words before the number or after the unit."""
    assert one(sentence, text).indicator == indicator


# --- parse_quantity ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, value, unit, approx", [
    ("3000多欧元", 3000.0, "欧元", "more_than"),
    ("港币两千九百六十元", 2960.0, "港元", "exact"),
    ("肆佰叁拾萬圆整", 4300000.0, "元", "exact"),
    ("82，225.00元", 82225.0, "元", "exact"),
    ("肆角叁分", 0.43, "元", "exact"),
])
def test_parse_quantity_whole_string(text: str, value: float, unit: str, approx: str) -> None:
    """parse_quantity reads a whole string as one quantity (currency word before the number)."""
    q = parse_quantity(text)
    assert q is not None and (q.unit, q.approx) == (unit, approx)
    assert q.value == pytest.approx(value)


def test_parse_quantity_rejects_two_quantities() -> None:
    assert parse_quantity("3部5项") is None


# --- invariants -------------------------------------------------------------------------------


def test_sentence_windows_agree_with_whole_text() -> None:
    """Calling per sentence (as extract() does) gives the same records as one whole-text call."""
    from pathlib import Path

    from reportie.sentences import split_sentences

    seeds = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
    assert seeds
    for path in seeds:
        text = path.read_text(encoding="utf-8-sig")
        whole = [(q.start, q.end, q.value, q.unit) for q in find_quantities(text)]
        windows = [(q.start, q.end, q.value, q.unit)
                   for span in split_sentences(text)
                   for q in find_quantities(text, span.start, span.end)]
        assert windows == whole, path.name

_ALPHABET = ("零一二两三四五六七八九十百千万亿0123456789.,%，。、“”《》至到-余多约近超过以上左右"
             "个名人次项件条元亩年月日届级第号批 ")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=30), st.integers(0, 5), st.integers(0, 35))
def test_property_records_are_well_formed(text: str, start: int, end: int) -> None:
    """Every record slices exactly, lies in the window, does not overlap, and uses spec classes."""
    found = find_quantities(text, start, end)
    last = -1
    for q in found:
        assert text[q.start:q.end] == q.text
        assert start <= q.start < q.end <= min(end, len(text))
        assert q.start >= last
        last = q.end
        assert q.kind in KINDS and q.approx in APPROX_CLASSES
        assert (q.low is None) == (q.high is None)
        if q.low is not None:
            assert q.low <= q.high and q.value == q.low
