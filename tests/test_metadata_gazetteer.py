"""Metadata on real page forms (spec §3, issue 12): body named in full from the gazetteer, level
from the division's rank, year covered. Texts are written in the genre: title lines, delivery
lines (——…在…会议上), 受…委托 openings, bylines, news pages with their furniture."""

from __future__ import annotations

import pytest

from reportie.gazetteer import divisions, names, parse
from reportie.metadata import find_metadata


# --- the gazetteer (data/divisions.tsv) --------------------------------------------------------


def test_gazetteer_schema_and_ranks() -> None:
    """Spec §3 level: the shipped table passes its schema check; ranks follow the divisions."""
    table = divisions()
    assert len(table) > 3000
    rank = {d.name: d.rank for d in table}
    assert rank["重庆市"] == "province" and rank["内蒙古自治区"] == "province"
    assert rank["黔东南苗族侗族自治州"] == "city" and rank["吉安市"] == "city"
    # districts of municipalities and county-level cities are county level
    assert rank["大足区"] == "county" and rank["渝北区"] == "county" and rank["瑞金市"] == "county"
    short = {d.name: d.short for d in table}
    assert short["广西壮族自治区"] == "广西" and short["沿河土家族自治县"] == "沿河" and short["内蒙古自治区"] == "内蒙古"
    assert {d.name for d, full in names()["东安"]} == {"东安县", "东安区"}


@pytest.mark.parametrize("text", [
    "code\tname\tshort\trank\n",
    "adcode\tname\tshort\trank\n5001110000\t大足区\t大足\tcounty\n",
    "adcode\tname\tshort\trank\n500111000000\t大足区\t大足\tdistrict\n",
    "adcode\tname\tshort\trank\n500111000000\t大足区\t大足\tcounty\n500111000000\t大足区\t大足\tcounty\n",
])
def test_gazetteer_schema_check_rejects_malformed_tables(text: str) -> None:
    with pytest.raises(ValueError):
        parse(text)


# --- body and level ----------------------------------------------------------------------------


@pytest.mark.parametrize("text, body, level", [
    # 关于…的报告: the body is never prefixed by 关于
    ("关于青岚市人大常委会2023年工作情况的报告\n一年来，市人大常委会审议法规草案6件。", "青岚市人大常委会", "city"),
    # a bare 县人大常委会 in the title takes the place the delivery line names
    ("关于县人大常委会2023年度工作情况的报告\n——2024年1月20日在武胜县第十八届人民代表大会第三次会议上\n"
     "过去一年，县人大常委会依法履职。", "武胜县人大常委会", "county"),
    # 受…委托: the place comes from elsewhere on the page (a short name)
    ("各位代表：\n受自治区人大常委会委托，我向大会报告工作。\n过去一年，广西人大常委会制定地方性法规15件。",
     "广西壮族自治区人大常委会", "province"),
    # a district of a municipality and a county-level city are county level
    ("渝北区人大常委会工作报告\n——在渝北区第十九届人民代表大会第四次会议上", "渝北区人大常委会", "county"),
    ("瑞金市人大常委会工作报告\n过去一年，市人大常委会开展执法检查4次。", "瑞金市人大常委会", "county"),
    # a byline names the body
    ("工作报告\n温州市人大常委会主任 某某\n各位代表：\n受市人大常委会委托，我向大会报告工作。", "温州市人大常委会", "city"),
    # a township congress as the page names it most (人大 on a tie)
    ("青山镇第十八届人民代表大会第三次会议隆重召开。镇人大主席团向大会报告工作。", "青山镇人大", "county"),
    ("新春乡人大主席团经研究，召开新春乡第十三届人民代表大会第三次会议。会后召开人大主席团会议。",
     "新春乡人大主席团", "county"),
    ("今年以来，樟木镇人大认真履职。镇人大组织代表视察2次。", "樟木镇人大", "county"),
    # a report delivered at a congress session that never names the standing committee
    ("黄平县2022年预算执行情况的报告\n(2023年2月8日在县第十七届人民代表大会第二次会议上)\n"
     "受县人民政府委托，现将预算执行情况提请县十七届人大二次会议审议。", "黄平县人大", "county"),
    # traditional characters: the body is written in simplified characters
    ("永豐縣十六屆人大常委會第二十二次會議於4月26日召開。縣人大常委會主任出席。", "永丰县人大常委会", "county"),
    # an old name of a division (香格里拉县, now a city) keeps the page's suffix and level
    ("截至11月29日，香格里拉县人大常委会交办的建议已全部办复。", "香格里拉县人大常委会", "county"),
    # an autonomous division as its own pages write it: short name + the suffix's last character
    ("州人大常委会组成人员视察\n来源：甘孜州人大常委会\n州人大常委会组成人员到康定视察。",
     "甘孜藏族自治州人大常委会", "city"),
    ("峨边县人大常委会召开会议\n峨边县人大常委会主任主持。", "峨边彝族自治县人大常委会", "county"),
    ("甘孜县人大常委会召开会议\n甘孜县人大常委会主任主持。", "甘孜县人大常委会", "county"),
    # a county renamed a county-level city after the gazetteer's data (京山县 → 京山市) keeps its
    # rank; a prefecture-level city that shares its short name with a county stays a city
    ("京山市人大常委会开展专题询问\n近日，京山市人大常委会召开会议。", "京山市人大常委会", "county"),
    ("抚顺市人大常委会开展执法检查\n近日，抚顺市人大常委会召开会议。", "抚顺市人大常委会", "city"),
])
def test_body_and_level_from_the_gazetteer(text: str, body: str, level: str) -> None:
    meta = find_metadata(text)
    assert (meta.body, meta.level) == (body, level)


def test_several_congresses_the_headline_place_wins() -> None:
    """A county page about a visit of the city congress: the place of the headline speaks."""
    text = ("当前位置：首页>县区传真\n金台区：代表联络站建设好 经验交流促提升\n来源：宝鸡电台 发布时间：2023年06月30日\n"
            "6月29日，市人大常委会主任带领市人大有关工作机构负责人来到金台区。\n"
            "一行人详细了解了金台区人大代表联络站的运行情况。")
    meta = find_metadata(text)
    assert (meta.body, meta.level, meta.year) == ("金台区人大常委会", "county", 2023)


def test_press_briefing_names_the_national_office() -> None:
    text = ("12月17日，全国人大常委会法制工作委员会召开记者会，介绍立法工作情况。\n"
            "今年以来，全国人大及其常委会共制定法律14件。")
    meta = find_metadata(text)
    assert (meta.body, meta.level) == ("全国人大常委会法工委", "national")


def test_a_word_ending_in_a_two_character_county_name_is_not_a_place() -> None:
    """办理县人大… : 理县 is a county, but here 县 is the bare level word after 办理."""
    text = "2024年，巩留县人民政府共办理县十八届人大四次会议议案2件。县人大常委会督办。"
    assert find_metadata(text).body == "巩留县人大常委会"



@pytest.mark.parametrize("text, body, level", [
    # spec §3: 县乡人大 are the county's and its townships' congresses, named by the county
    ("全州县乡人大换届选举工作会议召开\n会议要求，省人大常委会的部署要落实好。", "全州县人大常委会", "county"),
    # an autonomous prefecture the gazetteer does not know: its name ends in the peoples' names
    ("岜山壮族苗族自治州人大常委会工作报告\n过去一年，岜山壮族苗族自治州人大常委会依法履职。州人大常委会召开会议8次。",
     "岜山壮族苗族自治州人大常委会", "city"),
    # the headline names the page's own place; a verb before a bare level word (组织区人大代表) is no place
    ("碧泷区人大常委会2023年工作综述\n一年来，区人大常委会依法履职。组织区人大常委会组成人员视察，组织区人大代表述职。"
     "区人大常委会听取报告6个，区人大常委会开展执法检查2次。",
     "碧泷区人大常委会", "county"),
    # the source line names the publisher, even when the body is written only as 市人大常委会
    ("市人大常委会视察全市重大项目建设情况\n2024-09-11　来源：澧阳市人大常委会办公室\n市人大常委会组成人员视察项目。",
     "澧阳市人大常委会", "city"),
    # a source line naming the congress by its short name publishes the page (湖南人大网); a radio
    # station's place (来源：宝鸡电台) does not
    ("省人大常委会副主任李明到岳阳市调研代表工作\n发布时间：2024-05-10 来源：湖南人大网\n"
     "5月8日，省人大常委会副主任李明到岳阳市调研。岳阳市人大常委会主任陪同。", "湖南省人大常委会", "province"),
    # a name inside a longer one is not named (苕南县 names no 南县)
    ("苕南县人大常委会召开述职评议会\n来源：苕南县人大常委会\n苕南县委、苕南县政府负责人和苕南县人大常委会组成人员出席，"
     "县人大常委会主任讲话，县人大常委会副主任主持。县人大常委会组成人员逐一评议，县人大常委会办公室汇总，"
     "县人大常委会党组研究，县人大常委会各工委跟踪，县人大常委会通报结果。",
     "苕南县人大常委会", "county"),
    # a place with its suffix in the headline resolves the bare level word (not 会同县 glued to 会同)
    ("枫坪县人民政府关于代表建议办理情况的报告\n县人大常委会：\n县人民政府办公室会同县人大常委会选联工委督办。",
     "枫坪县人大常委会", "county"),
    # a level word with the word before it (年度省人大代表) is no place's short name
    ("省人大常委会举办2024年度省人大代表履职学习班\n2024年度省人大代表履职学习班开班。", "省人大常委会", "province"),
])
def test_places_the_text_names_around_bare_level_words(text: str, body: str, level: str) -> None:
    """Spec §3 body: the place a bare level word (县人大常委会) belongs to is one the page names."""
    meta = find_metadata(text)
    assert (meta.body, meta.level) == (body, level)


# --- year --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, year", [
    # the standard layout: title + ——date at a session + 过去一年 covers the year before
    ("南江市人民代表大会常务委员会工作报告\n——2024年1月20日在南江市第十届人民代表大会第三次会议上\n"
     "过去一年，市人大常委会坚持党的领导。", 2023),
    # Chinese numerals in the delivery line
    ("西藏自治区人民代表大会常务委员会工作报告\n——二〇二三年一月十四日在西藏自治区第十二届人民代表大会第一次会议上", 2022),
    # a session held in December reviews its own year
    ("邵阳市人民代表大会常务委员会工作报告\n——2023年12月26日在邵阳市第十七届人民代表大会第三次会议上", 2023),
    # a dated title wins over the delivery date
    ("关于2020年度市本级预算执行审计查出问题整改情况的报告\n——2021年12月28日在市人大常委会会议上", 2020),
    ("2020年镇人大工作总结\n今年以来，镇人大主席团依法履职。", 2020),
    # a year opening the text; a span up to now is not the year covered
    ("2021年当选代表以来，他带领村民发展产业。\n发布时间：2025年11月27日", 2025),
    ("过去一年的主要工作\n2022年，常委会制定地方性法规5件。", 2022),
    # a session reported by a page published in its first half-year reviews the year before
    ("最后编辑时间：2024-03-16 15:02\n樟木镇第三届人民代表大会第七次会议于3月6日举行。", 2023),
    # nothing gives a year
    ("截至11月29日，县人大常委会交办的建议已全部办复。", None),
])
def test_year_covered(text: str, year) -> None:
    assert find_metadata(text).year == year
