"""The year a report covers (spec §3 *Year*): a national or provincial session named by term and
session ordinal dates the report delivered there (data/congress_terms.json)."""

import pytest

from reportie.metadata import find_metadata
from reportie.metadata_year import find_year


def year(text: str):
    """The year both ways: with the body find_metadata read, and find_year alone."""
    meta = find_metadata(text)
    assert meta.year == find_year(text)
    return meta.year


@pytest.mark.parametrize("text, expected", [
    # spec §3: a news page gives the year a session it reports reviews (广西 14th term opened 2023)
    ("1月14日，广西十四届人大一次会议召开第二次全体会议。受自治区十三届人大常委会委托，广西人大常委会副主任"
     "向大会报告自治区人大常委会的工作。五年来，自治区人大常委会制定法规。", 2022),
    # the national congress: 14th term from 2023, its second session in 2024 reviews 2023
    ("十四届全国人大二次会议3月8日下午举行第二次全体会议，听取全国人大常委会工作报告。"
     "报告显示，全国人大常委会一年来审议法律案34件。", 2023),
    # a bare 省 on a province's own page is that province (河南省: 14th term from 2023)
    ("3月5日讯 省十四届人大二次会议今天在郑州开幕。受省人大常委会委托，省人大常委会副主任向大会报告"
     "河南省人大常委会工作。一年来，省人大常委会制定地方性法规12件。", 2023),
    # a bare 市 on a municipality's own page (北京市: 16th term from 2023)
    ("1月15日，市十六届人大一次会议开幕。受市十五届人大常委会委托，北京市人大常委会主任向大会报告工作。"
     "五年来，市人大常委会制定法规。", 2022),
    # spec §3: a report delivered at a session from January to September covers the year before — an
    # undated delivery line (宁夏 13th term from 2023)
    ("宁夏回族自治区人民代表大会常务委员会工作报告\n——在宁夏回族自治区第十三届人民代表大会第二次会议上\n"
     "各位代表：\n现在，我受自治区人大常委会委托，向大会报告工作，请予审议。\n过去一年，常委会制定法规15件。", 2023),
    # a term before the anchor: the 12th NPC opened in 2013, its first session reviews 2012
    ("第十二届全国人民代表大会第一次会议上，全国人大常委会委员长作常委会工作报告。全国人大常委会五年来制定法律。", 2012),
])
def test_a_provincial_or_national_session_dates_the_report(text, expected):
    assert year(text) == expected


def test_traditional_script_is_read_on_the_simplified_view():
    """Spec §3 (read on the simplified view): 十四屆全國人大二次會議 is the 2024 session, reviewing 2023."""
    assert year("十四屆全國人大二次會議3月8日舉行第二次全體會議，聽取全國人大常委會工作報告。"
                "報告顯示，常委會一年來審議法律案34件。") == 2023
    assert year("廣東省第十三屆人民代表大會第一次會議1月25日在廣州開幕，受省人大常委會委託，"
                "向大會報告廣東省人大常委會的工作。") == 2017


def test_a_dated_delivery_line_wins_over_the_session_ordinal():
    """Spec §3: the dated delivery line is stronger evidence than the term arithmetic."""
    text = ("江苏省人民代表大会常务委员会工作报告\n——{}在江苏省第十三届人民代表大会第三次会议上\n"
            "各位代表：常委会审议法规草案。")
    assert year(text.format("2020年1月15日")) == 2019  # date and arithmetic (2018 + 2 = 2020) agree
    assert year(text.format("2021年1月15日")) == 2020  # they disagree: the date wins


@pytest.mark.parametrize("text", [
    # spec §3: county and township terms are not in step nationally — never dated by term
    "遂溪县十八届人大三次会议召开第二次全体会议，听取遂溪县人大常委会工作报告。县人大常委会主任作报告。",
    "樟木镇第十八届人民代表大会第三次会议召开，镇人大主席团向大会报告工作。镇人大主席团组织代表视察3次。",
    # a city's bare 市 (梧州's 十六届 is its own count)
    "市十六届人大一次会议召开第二次全体会议，听取梧州市人大常委会工作报告。梧州市人大常委会主任作报告。",
    # a national session on a county's page is not the session the page reports
    "遂溪县人大常委会组织收看十四届全国人大二次会议开幕会。县人大常委会主任出席。县人大常委会要求各代表认真学习。",
    # the session's aftermath (its spirit, its suggestions) belongs to the session's own year
    "浙江省人大常委会党组召开会议，传达学习贯彻十四届全国人大二次会议精神。省人大常委会主任主持会议。",
    "浙江省人大常委会听取省政府关于省十四届人大一次会议代表建议办理情况的报告。省人大常委会主任出席。",
])
def test_sessions_not_dated_by_term(text):
    assert year(text) is None


def test_a_province_not_in_the_table_is_not_dated():
    """Spec §3: only congresses whose terms are known (data/congress_terms.json) are dated by term."""
    assert year("东渠省第十四届人民代表大会第二次会议开幕，听取东渠省人大常委会工作报告。东渠省人大常委会主任作报告。") is None
