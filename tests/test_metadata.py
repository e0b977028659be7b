"""Report metadata: body, level, year (spec §3)."""

from pathlib import Path

import pytest

from reportie.metadata import find_metadata

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# Read off each seed by hand: the organ the report speaks for and the year it covers.
SEED_METADATA = {
    "000_51482b9a4b8c3cb5": ("乌当区人大常委会", "county", 2023),
    "001_9612dff2f627523d": ("乌海市人大常委会", "city", 2023),
    "002_9911ad027f31c7ac": ("大足区人大常委会", "county", 2022),
    "003_55a128b351437751": ("沿河土家族自治县人大常委会", "county", 2023),
    "004_e921fd02ba14072a": ("清城区人大常委会", "county", 2024),
}


@pytest.mark.parametrize("doc,expected", SEED_METADATA.items())
def test_seed_metadata(doc, expected):
    meta = find_metadata((SEEDS / f"{doc}.txt").read_text(encoding="utf-8"))
    assert (meta.body, meta.level, meta.year) == expected


@pytest.mark.parametrize("text,expected", [
    ("浙江省人大常委会2021年工作报告\n过去一年，省人大常委会制定地方性法规12件。", ("浙江省人大常委会", "province", 2021)),
    ("重庆市人民代表大会常务委员会工作报告\n过去的2020年，市人大常委会审议法规草案9件。", ("重庆市人大常委会", "province", 2020)),
    ("全国人民代表大会常务委员会工作报告\n2022年，全国人大常委会审议法律案20件。", ("全国人大常委会", "national", 2022)),
    ("某某镇人大主席团2019年度工作总结\n一年来，镇人大主席团组织代表视察3次。", ("某某镇人大主席团", "county", 2019)),
    ("黔东南苗族侗族自治州人大常委会2022年工作综述", ("黔东南苗族侗族自治州人大常委会", "city", 2022)),
])
def test_metadata_other_levels(text, expected):
    meta = find_metadata(text)
    assert (meta.body, meta.level, meta.year) == expected


def test_law_titles_do_not_name_the_body():
    text = "《贵州省人民代表大会常务委员会关于开展活动的决议》发布以来，某某县人大常委会及时传达学习。县人大常委会还组织代表视察。"
    assert find_metadata(text).body == "某某县人大常委会"


def test_no_body_no_year():
    meta = find_metadata("这是一段没有机关名称的文字。")
    assert (meta.body, meta.level, meta.year) == (None, None, None)
