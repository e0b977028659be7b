"""Unit tests for reportie.numbers: each test names the spec §2 rule (or brief item) it checks.

Spec §2 ``value``: "the number as a float, with 万/亿/千/百 applied and Chinese numerals
converted (两 = 2, 十 = 10, 一百二十 = 120)"; ``approx`` range/vague for adjacent numerals
and 几/数/上; "Adjacent numerals are never glued into one number (两三个 is 2 to 3, never 23)".
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportie.numbers import (
    Numeral,
    NumeralError,
    find_numerals,
    normalize,
    parse_number,
    parse_numeral,
    try_parse_number,
    try_parse_numeral,
)

# --- spec §2 value: Arabic, full-width, decimals, thousands separators -------------------


@pytest.mark.parametrize("text, value", [
    ("152", 152.0),
    ("84.38", 84.38),
    ("１２３", 123.0),            # full-width digits
    ("３．５", 3.5),              # full-width decimal point
    ("1,234", 1234.0),            # thousands separator
    ("1,234.5", 1234.5),
    ("９，９９９", 9999.0),        # full-width separator between full-width digits
    ("3541.07万", 35410700.0),    # spec §2: 万 scales the value
    ("2.6亿", 260000000.0),
    ("1,100.9亿", 110090000000.0),
])
def test_spec_value_arabic_forms(text: str, value: float) -> None:
    """spec §2 value: Arabic numerals, full-width digits, decimals and separators."""
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text, value", [
    ("两", 2.0), ("十", 10.0), ("一百二十", 120.0),      # the spec's own examples
    ("十一", 11.0), ("一十一", 11.0), ("二十", 20.0),
    ("一百零一", 101.0), ("一千零一十", 1010.0), ("一千零十", 1010.0),
    ("一万零一", 10001.0), ("十万零一千", 101000.0),
    ("一百九十万零三千九百七十一", 1903971.0),
    ("四亿五千六百四十二万零一十五", 456420015.0),
    ("一万五千亿", 1500000000000.0),
    ("二十一万亿", 21000000000000.0),
    ("四万万", 400000000.0),
    ("零", 0.0), ("〇", 0.0),
    ("廿二", 22.0),
])
def test_spec_value_chinese_numerals(text: str, value: float) -> None:
    """spec §2 value: Chinese numerals with 十/百/千/万/亿 and 零."""
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text, value", [
    ("壹佰贰拾", 120.0), ("肆佰叁拾萬", 4300000.0), ("壹仟玖佰", 1900.0),
    ("兩千六", 2600.0), ("倆千两百贰拾二", 2222.0), ("拾万零五十六", 100056.0),
    ("陸", 6.0), ("柒拾捌萬伍佰零陸", 780506.0), ("五億零六", 500000006.0),
])
def test_spec_value_financial_and_traditional(text: str, value: float) -> None:
    """brief: financial/traditional forms 壹贰叁肆伍陆柒捌玖拾佰仟萬億兩."""
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text, value", [
    ("3万4000", 34000.0), ("1千零1", 1001.0), ("25万6千", 256000.0), ("2千零30万", 20300000.0),
    ("5亿1万4千6百", 500014600.0), ("100万三千", 1003000.0), ("1百01", 101.0),
    ("200亿零四千230", 20000004230.0),
])
def test_spec_value_mixed_forms(text: str, value: float) -> None:
    """brief: mixed Arabic/Chinese forms (3万4000, 1千零1, 25万6千)."""
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text, value", [
    ("一万三", 13000.0), ("两千四百五", 2450.0), ("九百九", 990.0), ("十三万五", 135000.0),
    ("千三", 1300.0), ("两千三点一", 2300.1),
])
def test_value_abbreviated_tail(text: str, value: float) -> None:
    """spec §2 value: an abbreviated last digit takes the next lower place (一万三 = 13000)."""
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text, value", [
    ("零点五", 0.5), ("十五点七", 15.7), ("一百点123", 100.123), ("两千万点五五四四", 20000000.5544),
    ("负三十二", -32.0), ("负零点一", -0.1), ("-10.1万", -101000.0), ("零下四", -4.0),
    ("二〇〇二", 2002.0), ("一七二零点一三四", 1720.134), ("一二三", 123.0),
    ("五分之一", 0.2), ("三百五十又3分之1", 350 + 1 / 3), ("负一又二分之一", -1.5),
    ("１６分之5", 0.3125),
])
def test_value_decimals_signs_digit_strings_fractions(text: str, value: float) -> None:
    """spec §2 value: 点 decimals, signs, digit-by-digit readings (二〇〇二) and fractions."""
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", [
    "", "负", "万", "万万", "百十一", "十一十二", "十七十八", "零点", "点一", "零点点",
    "元整", "10..1万", "10.1万零100", "abc", "两两",
])
def test_malformed_numerals_raise(text: str) -> None:
    """brief: a clear exception (NumeralError, a ValueError) on bad input; None from try_*."""
    with pytest.raises(NumeralError):
        parse_number(text)
    assert try_parse_number(text) is None
    assert issubclass(NumeralError, ValueError)


def test_parse_number_rejects_non_string() -> None:
    """brief: a clear exception on bad input types."""
    with pytest.raises(NumeralError):
        parse_number(12)  # type: ignore[arg-type]


# --- spec §2 approx: range (adjacent numerals) and vague ----------------------------------


@pytest.mark.parametrize("text, low, high", [
    ("两三", 2, 3), ("一两", 1, 2), ("七八", 7, 8), ("三五", 3, 5),
    ("七八十", 70, 80), ("十七八", 17, 18), ("三五百", 300, 500), ("二三十万", 200000, 300000),
    ("八九亿", 800000000, 900000000), ("一两百", 100, 200),
])
def test_spec_range_adjacent_numerals_never_glued(text: str, low: float, high: float) -> None:
    """spec §2 approx range: adjacent numerals 两三 -> 2..3, 七八十 -> 70..80, never 23."""
    num = parse_numeral(text)
    assert num == Numeral(float(low), float(low), float(high), "range")
    with pytest.raises(NumeralError):
        parse_number(text)  # an exact parse would have to glue them


@pytest.mark.parametrize("text, low, high", [
    ("十几", 10, 20), ("几十", 10, 100), ("数百", 100, 1000), ("上百", 100, 1000),
    ("上万", 10000, 100000), ("几十万", 100000, 1000000), ("数十亿", 1e9, 1e10),
    ("二十几万", 200000, 300000), ("三千四百五十几万", 34500000, 34600000),
])
def test_spec_vague_forms(text: str, low: float, high: float) -> None:
    """spec §2 approx vague: 十几 -> 10..20, 几十 -> 10..100, 数百/上百 -> 100..1000; value = low."""
    num = parse_numeral(text)
    assert (num.value, num.low, num.high, num.approx) == (low, low, high, "vague")


@pytest.mark.parametrize("text, value", [
    ("十多万", 100000.0), ("500余万", 5000000.0), ("一千多万", 10000000.0),
    ("三十万多亿", 3e13), ("四百多", 400.0), ("100余", 100.0),
])
def test_spec_more_than_inner_duo_yu(text: str, value: float) -> None:
    """spec §2 approx: 余/多 -> more_than, also between the number and its magnitude."""
    num = parse_numeral(text)
    assert num.value == pytest.approx(value) and num.approx == "more_than"
    assert num.low is None and num.high is None


def test_spec_range_never_glued_in_text() -> None:
    """spec §2: 两三个 is 2 to 3, never 23 -- also when found in running text."""
    (match,) = find_numerals("开展两三个专题")
    assert (match.text, match.low, match.high, match.approx) == ("两三", 2.0, 3.0, "range")


# --- normalisation and the numeral finder ---------------------------------------------------


def test_normalize_is_length_preserving() -> None:
    """offsets contract: normalisation never changes the length of the text."""
    text = "壹佰贰拾萬元，１２．５％，兩個"
    assert len(normalize(text)) == len(text)
    assert normalize(text) == "一百二十万元,12.5%,两个"


def test_strict_commas_keep_clause_breaks() -> None:
    """a full-width comma is a thousands separator only between full-width digits."""
    assert normalize("$20，300", strict_commas=True) == "$20，300"
    assert normalize("９，９９９", strict_commas=True) == "9,999"


@pytest.mark.parametrize("text, values", [
    ("九年八吨", [9.0, 8.0]),
    ("两百点两", [200.0, 2.0]),                 # 两 is never a decimal digit
    ("我家在四川", []), ("一切都好", []), ("陆地上", []), ("队伍", []), ("收拾房间", []),
    ("1502222, 二百五, 还有二分之。", [1502222.0, 250.0, 2.0]),
    ("百分之五十五点五七九", [55.579]),
    ("1/2的努力", [0.5]),
    ("半斤", [0.5]), ("两半", [2.0]), ("半岛", []),
])
def test_find_numerals(text: str, values: list) -> None:
    """numeral finder: longest well-formed numerals, numeral characters in words are not numbers."""
    assert [m.value for m in find_numerals(text)] == pytest.approx(values)


def test_find_numerals_offsets_and_window() -> None:
    """offsets are absolute into the text and respect start/end."""
    text = "全年召开会议12次，审议报告8项"
    matches = find_numerals(text, 9, len(text))
    assert [(m.text, m.start) for m in matches] == [("8", text.index("8"))]
    for m in find_numerals(text):
        assert text[m.start:m.end] == m.text


# --- property tests ----------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def _to_chinese(n: int) -> str:
    """Independent reference renderer (standard 读法) used to check the parser."""
    if n == 0:
        return "零"

    def below_10000(k: int) -> str:
        out, zero = "", False
        for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = k // value
            k %= value
            if d:
                if zero:
                    out += "零"
                    zero = False
                out += _DIGITS[d] + name
            elif out:
                zero = True
        return out

    parts = []
    for scale, name in ((10 ** 8, "亿"), (10 ** 4, "万"), (1, "")):
        group = n // scale
        n %= scale
        parts.append((group, name))
    out = ""
    pending_zero = False
    for group, name in parts:
        if group:
            if pending_zero or (out and group < 1000):
                out += "零"
            out += below_10000(group) + name
            pending_zero = False
        elif out:
            pending_zero = True
    return out


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=0, max_value=10 ** 12 - 1))
def test_property_chinese_roundtrip(n: int) -> None:
    """spec §2 value: every standard Chinese rendering of an integer parses back to it."""
    assert parse_number(_to_chinese(n)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10 ** 15))
def test_property_arabic_roundtrip(n: int) -> None:
    """spec §2 value: Arabic integers, with or without thousands separators."""
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="零一二两三四五六七八九十百千万亿点多余几数上负0123456789.,%个名元年",
               max_size=12))
def test_property_parsers_never_crash(text: str) -> None:
    """brief: bad input gives NumeralError/None, never another exception."""
    try_parse_number(text)
    try_parse_numeral(text)
    for m in find_numerals(text):
        assert text[m.start:m.end] == m.text
