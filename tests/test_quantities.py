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


# --- issue 11: forms of real pages (traditional script, set phrases, currencies) ---------------


def test_spec_approx_word_in_traditional_script() -> None:
    """spec §2 text/approx: 超过 (written 超過) touching the number belongs to the quantity."""
    q = one("內蒙古自治區人大代表基本完成了回原選舉單位述職,口頭述職率超過50%。", "超過50%")
    assert fields(q) == (50.0, None, None, "%", "percent", "more_than")


def test_spec_units_are_simplified() -> None:
    """spec §2 unit: the measure word in simplified characters (項 -> 项, 個 -> 个, 萬 scales)."""
    assert one("縣人民政府共辦理議案2件、人大代表建議5項。", "5項").unit == "项"
    assert one("全市建成代表聯絡站12個。", "12個").unit == "个"
    assert one("累計接待群眾1.2萬余人次。", "1.2萬余人次").value == 12000.0


def test_spec_session_ordinals_in_traditional_script() -> None:
    """spec §2 not quantities: session and term ordinals (十三屆…五次會議), also in traditional script."""
    assert texts("十三屆全國人大五次會議於2022年3月5—11日召開。") == []
    assert texts("在縣十八屆人大四次會議期間,代表提出建議65件。") == ["65件"]


def test_spec_session_ordinals_inside_an_enumeration() -> None:
    """spec §2 not quantities: each ordinal of 八届八次、九次全会 is an ordinal, the second too."""
    assert texts("我们认真贯彻市委八届八次、九次全会和市委人大工作会议精神。") == []
    assert texts("学习贯彻十八届三次和四次全会精神,召开常委会会议9次。") == ["9次"]


def test_spec_numeral_of_a_quoted_slogan() -> None:
    """spec §2 not quantities: slogans and set phrases quoted (N个“…”); a count of named things stays."""
    assert texts("落实3个“一批”要求,推进两个“维护”落地。") == []
    assert texts("全县建成12个“人大代表之家”。") == ["12个"]


def test_spec_one_as_an_article_before_a_description() -> None:
    """spec §2 not quantities: 一 as an article (一场/一次 + a phrase with 的, 的一次, 再一次)."""
    assert texts("这是区人大常委会组织动员人员最多、覆盖面最广的一次调查活动。") == []
    assert texts("十二月初又再一次深入项目现场督导。") == []
    assert texts("组织一场生动的普法宣传活动,开展一次深入细致的调研。") == []
    assert texts("开展一次专题询问。") == ["一次"]


def test_spec_category_names_are_not_counts() -> None:
    """spec §2: the name of one category (二类项目) is not a quantity; a count of categories is."""
    assert texts("其中一类项目5个,二类项目12个,三类项目3个。") == ["5个", "12个", "3个"]
    assert texts("代表建议分为三类。") == ["三类"]
    assert one("常委會還分別聽取審議了四大類別國有資産管理情況。", "四大類別").unit == "大类别"


def test_spec_nearly_before_a_bare_magnitude() -> None:
    """spec §2 approx nearly: 近 before 千/万 (近千件, 近万人次) as before digits (近1000条)."""
    found = find_quantities("全年收到群众来信近千件,接待群众近万人次,办理近1000条。")
    assert [(q.text, q.value, q.approx) for q in found] == [
        ("近千件", 1000.0, "nearly"), ("近万人次", 10000.0, "nearly"), ("近1000条", 1000.0, "nearly")]


def test_spec_currency_before_the_number() -> None:
    """spec §2 unit: a currency written before the number names the unit (港币 -> 港元, 新台币)."""
    q = one("每人每月补助港币两千九百六十元。", "港币两千九百六十元")
    assert (q.value, q.unit, q.kind) == (2960.0, "港元", "money")
    q = one("两岸贸易额达新台币 177.1 亿元。", "新台币 177.1 亿元")
    assert (q.value, q.unit, q.kind) == (17710000000.0, "新台币", "money")
    assert one("安排人民币500万元。", "500万元").unit == "元"


def test_spec_fullwidth_thousands_comma_in_arabic_digits() -> None:
    """spec §2 value: a full-width thousands comma inside Arabic digits (28，583万元) is a separator;
    after a money symbol or before other than three digits it stays a clause break."""
    assert one("一般公共预算收入实现28，583万元。", "28，583万元").value == 285830000.0
    assert texts("在下面的价格中选一个，$20，300美圆") == ["$20", "300美圆"]


def test_spec_unit_with_bracketed_alternative() -> None:
    """spec §2 unit: a measure word with a bracketed alternative keeps it (211件(次) -> 件(次))."""
    q = one("累计向市委书面请示、报告211件(次),报送工作报告。", "211件(次)")
    assert (q.value, q.unit, q.kind) == (211.0, "件(次)", "count")
    q = one("国有产权可移动文物有1.1亿件(套)。", "1.1亿件(套)")
    assert (q.value, q.unit) == (110000000.0, "件(套)")


def test_spec_people_counted_after_a_people_noun() -> None:
    """spec §2 unit: a count of people with no measure word (鄉鎮人大代表有188萬) -> 人."""
    found = find_quantities("鄉鎮人大代表有188萬,縣級人大代表有59萬,這五級人大代表合計共有262萬。")
    assert [(q.text, q.value, q.unit, q.kind) for q in found] == [
        ("188萬", 1880000.0, "人", "people"), ("59萬", 590000.0, "人", "people"),
        ("262萬", 2620000.0, "人", "people")]


def test_spec_page_furniture_counts() -> None:
    """spec §2 not quantities: page furniture (最新4篇, 此处隐藏278个字)."""
    assert texts("人大工作总结范文报告(最新4篇)") == []
    assert texts("为了搞好自……此处隐藏278个字……人到甘") == []


def test_spec_a_line_that_is_all_quotation_is_not_a_slogan() -> None:
    """spec §2: a quoted slogan is no quantity, but a quoted line of a page (a project) keeps its count."""
    assert texts("民生实事项目如下:\n“城镇公厕新(改)建10座”\n") == ["10座"]
    assert texts("提出“3815”战略。") == []
