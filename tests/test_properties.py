"""Invariants of ``reportie.extract`` on generated reports (issue 5, point 2).

Text is drawn from fragments of the seed reports, numbers (Arabic, full-width, Chinese,
traditional, with 万/亿), units, approximation words, separators and random Unicode.

Hypothesis profiles (registered here, not in the shared conftest), chosen with the
``HYPOTHESIS_PROFILE`` environment variable:

- ``ci`` (the default, and what CI runs): a fixed number of derandomised examples per test,
  a couple of minutes in total;
- ``long``: thousands of examples per test, random, for a local soak run::

      HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_properties.py

The profile is applied to the tests of this module only (as a decorator), so the other
hypothesis tests of the suite keep their own settings.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reportie
from reportie.datafiles import load_json
from reportie.reading import InputError, is_path_like
from reportie.sentences import MAX_SENTENCE_CHARS, split_sentences

settings.register_profile(
    "ci",
    max_examples=int(os.environ.get("REPORTIE_CI_EXAMPLES", "150")),
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("REPORTIE_LONG_EXAMPLES", "2000")),
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE_NAME = os.environ.get("HYPOTHESIS_PROFILE") or "ci"
if PROFILE_NAME not in ("ci", "long"):
    PROFILE_NAME = "ci"
PROFILE = settings.get_profile(PROFILE_NAME)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _seed_fragments() -> list:
    """Every sentence of the seeds, and the pieces between their commas."""
    fragments = []
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        for span in split_sentences(text):
            sentence = text[span.start:span.end]
            fragments.append(sentence)
            fragments.extend(piece for piece in sentence.split("，") if piece)
    return sorted(set(fragments))


def _vocabulary() -> tuple:
    units = load_json("units.json")
    approx = load_json("approximation.json")
    words = [w for group in units["measure_words"].values() for w in group]
    words += list(units["money"]) + list(units["percent"]["suffix_scale"]) + units["percent"]["points"]
    words += ["萬元", "億元", "條", "項", "個", "萬", "億", "亿元", "万元", "人次", "个百分点", "％"]
    approx_words = list(approx["prefix"]) + list(approx["inner"]) + list(approx["suffix"])
    approx_words += approx["range_connectors"] + ["几", "数", "上", "十几", "几十", "数百", "上百"]
    return sorted(set(words)), sorted(set(approx_words))


FRAGMENTS = _seed_fragments()
UNITS, APPROX = _vocabulary()
SEPARATORS = ["。", "，", "；", "、", "：", "\n", "\n\n", " ", "\u3000", "“", "”", "《", "》", "（", "）",
              "第", "届", "年", "月", "日", "号", "！", "？", ".", "-", "～", "(含)"]
CHINESE_NUMERALS = ["一", "两", "二", "三", "十", "十二", "一百二十", "两三", "七八十", "三千", "一万三",
                    "十几", "几十", "数百", "上百", "壹佰", "兩", "萬", "零", "〇", "半", "二〇二三"]
FULL_WIDTH = str.maketrans("0123456789.%,", "０１２３４５６７８９．％，")


@st.composite
def numbers(draw) -> str:
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return str(draw(st.integers(0, 10 ** 9)))
    if kind == 1:
        return f"{draw(st.floats(0, 1e6, allow_nan=False, allow_infinity=False)):.{draw(st.integers(0, 3))}f}"
    if kind == 2:
        return str(draw(st.integers(0, 100000))).translate(FULL_WIDTH)
    if kind == 3:
        return draw(st.sampled_from(CHINESE_NUMERALS))
    if kind == 4 and draw(st.booleans()):
        return f"{draw(st.integers(1000, 10 ** 8)):,}"  # thousands separators: 3,000
    return f"{draw(st.integers(1, 999))}{draw(st.sampled_from(['万', '亿', '千', '百', '.5万', '萬', '億']))}"


@st.composite
def quantities(draw) -> str:
    """A plausible quantity: [approx] number [connector number] unit [approx]."""
    parts = []
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(APPROX)))
    parts.append(draw(numbers()))
    if draw(st.integers(0, 3)) == 0:
        parts.append(draw(st.sampled_from(["至", "到", "-", "～", "—"])))
        parts.append(draw(numbers()))
    parts.append(draw(st.sampled_from(UNITS)))
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(APPROX)))
    return "".join(parts)


FRAGMENT = st.one_of(
    st.sampled_from(FRAGMENTS),
    quantities(),
    numbers(),
    st.sampled_from(UNITS),
    st.sampled_from(APPROX),
    st.sampled_from(SEPARATORS),
    st.text(max_size=12),  # random Unicode, control characters included
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=8),
)
# Inputs without markup: ``<``, ``>`` and ``&`` would make the input HTML, whose cleaning is
# covered by tests/test_robustness.py.
NO_MARKUP = str.maketrans({"<": "〈", ">": "〉", "&": "＆"})
SHORT_REPORTS = st.lists(FRAGMENT, max_size=30).map(lambda parts: "".join(parts).translate(NO_MARKUP))
# Lines longer than MAX_SENTENCE_CHARS without a full stop or line break: cut at commas or hard.
NO_BREAKS = str.maketrans({**{ch: None for ch in "。！？；!?;\n"}, "<": "〈", ">": "〉", "&": "＆"})
LONG_LINES = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), quantities(), numbers(),
              st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=20, max_size=200),
              st.text(alphabet="0123456789,，、.ABC", min_size=1, max_size=30)),
    min_size=5, max_size=40,
).map(lambda parts: "".join(parts).translate(NO_BREAKS))
# A quantity right where an over-long line gets cut (MAX_SENTENCE_CHARS): filler without
# digits or commas, then quantities, so the cut falls inside or next to one of them.
FILLER = "人大常委会代表工作监督法规建设开展审议报告听取视察调研组织推进落实群众意见"
STRADDLING = st.builds(
    lambda head, body, tail: head + body + tail,
    st.integers(MAX_SENTENCE_CHARS - 12, MAX_SENTENCE_CHARS).flatmap(
        lambda n: st.text(alphabet=FILLER, min_size=n, max_size=n)),
    st.lists(st.one_of(quantities(), numbers(), st.sampled_from(["，", "、", ",", "第", "A", "约", "近"])),
             min_size=1, max_size=6).map("".join),
    st.text(alphabet=FILLER, max_size=450),
).map(lambda text: text.translate(NO_BREAKS))
REPORTS = st.one_of(SHORT_REPORTS, LONG_LINES, STRADDLING)
ANY_REPORTS = st.lists(st.one_of(FRAGMENT, st.sampled_from(["<p>", "</p>", "<br/>", "&nbsp;", "&ldquo;", "&#21;", "<!--", "-->", "<script>", "</div>"])),
                       max_size=30).map("".join)


@pytest.fixture(scope="module")
def nlp(reportie_home):
    return reportie.load()


def run(nlp, text: str) -> reportie.Report:
    # A one-line string that ends like a file name (…附件.txt) would be read as a path:
    # a trailing line break keeps it text without changing sentences or offsets.
    return reportie.extract(text + "\n" if is_path_like(text) else text, nlp=nlp)


def is_control(ch: str) -> bool:
    return (ord(ch) < 0x20 and ch not in "\n\t\r" or 0x7F <= ord(ch) <= 0x9F or 0xD800 <= ord(ch) <= 0xDFFF
            or ch in "\ufeff\ufffe\uffff")


@PROFILE
@given(text=ANY_REPORTS)
def test_extract_never_raises(nlp, text):
    """Any text, markup and control characters included, gives a Report of the same length."""
    report = run(nlp, text)
    assert len(report.text) == len(text) + (1 if is_path_like(text) else 0)


@PROFILE
@given(data=st.binary(max_size=300))
def test_bytes_either_read_or_refused_with_input_error(nlp, data):
    """Arbitrary bytes: a Report, or an InputError (binary, bad BOM) — nothing else."""
    try:
        report = reportie.extract(data, nlp=nlp)
    except InputError as err:
        assert "\n" not in str(err)
    else:
        assert isinstance(report, reportie.Report)


@PROFILE
@given(text=REPORTS)
def test_quantity_offsets_point_at_their_text(nlp, text):
    """report.text[start:end] == q.text always; input[start:end] == q.text without markup
    unless a control character (blanked to a space) sits inside the quantity."""
    report = run(nlp, text)
    for q in report.quantities:
        assert report.text[q.start:q.end] == q.text
        if not any(is_control(ch) for ch in text[q.start:q.end]):
            assert text[q.start:q.end] == q.text
        sentence = report.sentences[q.sentence]
        assert sentence.start <= q.start < q.end <= sentence.end


@PROFILE
@given(text=REPORTS)
def test_sentences_cover_the_input_in_order_without_overlap(nlp, text):
    report = run(nlp, text)
    position = 0
    for sentence in report.sentences:
        assert position <= sentence.start < sentence.end <= len(report.text)
        assert report.text[sentence.start:sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip(), "sentences are trimmed"
        assert not report.text[position:sentence.start].strip(), "only whitespace between sentences"
        position = sentence.end
    assert not report.text[position:].strip()
    if not text.strip():
        assert report.sentences == [] and report.quantities == []


@PROFILE
@given(text=REPORTS)
def test_ranges_are_ordered_and_other_quantities_have_no_bounds(nlp, text):
    report = run(nlp, text)
    for q in report.quantities:
        if q.approx in ("range", "vague"):
            assert q.low is not None and q.high is not None, q
            assert q.low <= q.value <= q.high, q
            assert q.value == q.low, q
        else:
            assert q.low is None and q.high is None, q


@PROFILE
@given(text=REPORTS)
def test_same_input_same_output(nlp, text):
    assert run(nlp, text).to_dict() == run(nlp, text).to_dict()


def _core(q, shift: int = 0) -> tuple:
    return (q.text, q.start + shift, q.end + shift, q.value, q.low, q.high, q.unit, q.kind, q.approx)


@PROFILE
@given(text=REPORTS)
def test_report_quantities_equal_sentence_by_sentence_quantities(nlp, text):
    """Extracting each sentence on its own finds the same quantities (offsets shifted)."""
    report = run(nlp, text)
    whole = [_core(q) for q in report.quantities]
    one_by_one = []
    for sentence in report.sentences:
        alone = run(nlp, sentence.text)
        one_by_one.extend(_core(q, sentence.start) for q in alone.quantities)
    assert one_by_one == whole
