"""Odd input, through ``reportie.extract()`` and the CLI (issue 5, point 1).

Each case has one tested behaviour; none may take the process down. Offsets always index the
input as given (``input[start:end]``), whatever the encoding, markup or control characters.
"""

from __future__ import annotations

import contextlib
import json
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

import reportie
from reportie.cli import main
from reportie.report import LABELS
from reportie.sentences import MAX_SENTENCE_CHARS, split_sentences

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SAMPLE = "全年开展执法检查３次，收集意见建议１５２条，代表建议办结率８４．３８％。"


@pytest.fixture(scope="module")
def nlp(reportie_home):
    return reportie.load()


def core(q, shift: int = 0) -> tuple:
    return (q.text, q.start + shift, q.end + shift, q.value, q.low, q.high, q.unit, q.kind, q.approx)


def cli_jsonl(tmp_path: Path, *paths, name: str = "out.jsonl") -> list:
    out = tmp_path / name
    assert main(["extract", "--quiet", "--format", "jsonl", "--output", str(out), *map(str, paths)]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def cli_error(capsys, *args) -> tuple:
    """Run the CLI on bad input: (exit code, stderr). The CLI must not raise."""
    code = main(["extract", "--quiet", "--format", "jsonl", *map(str, args)])
    err = capsys.readouterr().err
    return code, err


@contextlib.contextmanager
def time_limit(seconds: int, what: str):
    """Fail (rather than hang CI) if ``what`` takes longer than ``seconds`` (POSIX only)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise TimeoutError(f"{what} took more than {seconds} s: is some step quadratic in the text length?")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- empty, no Chinese


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "   \n\t  \u3000\r\n"])
def test_empty_and_whitespace_only_text_gives_an_empty_report(nlp, text):
    report = reportie.extract(text, nlp=nlp)
    assert (report.sentences, report.quantities, report.entities) == ([], [], [])
    assert (report.body, report.level, report.year, report.source) == (None, None, None, None)
    assert report.text == text


@pytest.mark.parametrize("content", [b"", b"\n \n", "\ufeff".encode("utf-8"), b"\xff\xfe"])
def test_empty_file_gives_an_empty_report_in_the_cli(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    report = reportie.extract(path)
    assert (report.sentences, report.quantities, report.source) == ([], [], str(path))
    [record] = cli_jsonl(tmp_path, path)
    assert (record["sentences"], record["quantities"], record["doc_id"]) == ([], [], "empty")


def test_text_without_chinese_has_sentences_but_no_quantities(nlp, tmp_path):
    """No Chinese unit, no quantity (spec §2 quantities carry Chinese measure words);
    the text is still split, labelled and covered."""
    text = "Annual report of the standing committee, 2023.\nThe committee met 12 times; it reviewed 5 laws!\n"
    report = reportie.extract(text, nlp=nlp)
    assert report.quantities == []
    assert [s.text for s in report.sentences] == [
        "Annual report of the standing committee, 2023.", "The committee met 12 times;", "it reviewed 5 laws!"]
    assert all(s.label in LABELS for s in report.sentences)
    path = tmp_path / "english.txt"
    path.write_text(text, encoding="utf-8")
    [record] = cli_jsonl(tmp_path, path)
    assert record["quantities"] == [] and len(record["sentences"]) == 3


# --------------------------------------------------------------------------- full-width, traditional


def test_full_width_digits_and_punctuation(nlp):
    text = "本届共表彰优秀代表５３名，建议办结率达８４．３８％；投入资金１，２００万元。"
    report = reportie.extract(text, nlp=nlp)
    found = {q.text: q for q in report.quantities}
    assert set(found) == {"５３名", "８４．３８％", "１，２００万元"}
    for q in report.quantities:
        assert text[q.start:q.end] == q.text
    assert (found["５３名"].start, found["５３名"].value, found["５３名"].kind) == (text.index("５３名"), 53, "people")
    assert (found["８４．３８％"].start, found["８４．３８％"].value, found["８４．３８％"].unit) == (text.index("８４．３８％"), 84.38, "%")
    assert (found["１，２００万元"].value, found["１，２００万元"].unit) == (12_000_000, "元")
    assert len(report.sentences) == 2  # the full-width ； ends a sentence


def test_traditional_characters(nlp, tmp_path):
    text = "本年度開展執法檢查３次，收集意見建議１５２條。投入資金3.5億元，撥付補助1.2萬元，覆蓋人口２６萬人。"
    expected = [
        ("３次", 3, "次", "count"),
        ("１５２條", 152, "条", "count"),
        ("3.5億元", 350_000_000, "元", "money"),
        ("1.2萬元", 12_000, "元", "money"),
        ("２６萬人", 260_000, "人", "people"),
    ]
    report = reportie.extract(text, nlp=nlp)
    assert [(q.text, q.value, q.unit, q.kind) for q in report.quantities] == expected
    assert all(text[q.start:q.end] == q.text for q in report.quantities)
    path = tmp_path / "traditional.txt"
    path.write_text(text, encoding="utf-8")
    [record] = cli_jsonl(tmp_path, path)
    assert [(q["text"], q["value"], q["unit"]) for q in record["quantities"]] == [e[:3] for e in expected]


# --------------------------------------------------------------------------- HTML


HTML = ("<html><head><style>p {color: red}</style><script>var n = '3次';</script></head><body>"
        "<h1>区人大常委会2023年工作综述</h1>"
        "<p>收集意见建议152条，解决问题210个&nbsp;。</p>"
        "<p>投入资金1.2&#20159;元，办结率&gt;95%。<!-- 注释 8次 --></p>"
        "<div><img src=\"a.jpg\" alt=\"3张\"/>图为代表视察现场</div></body></html>")


def test_html_markup_and_entities_keep_offsets_into_the_input(nlp, tmp_path):
    report = reportie.extract(HTML, nlp=nlp)
    assert len(report.text) == len(HTML)
    by_text = {q.text: q for q in report.quantities}
    # Nothing from markup, scripts, styles, comments or attributes.
    assert [q.value for q in report.quantities] == [152, 210, 120_000_000, 95]
    for q in report.quantities:
        assert report.text[q.start:q.end] == q.text
        if "&" not in HTML[q.start:q.end]:
            assert HTML[q.start:q.end] == q.text
    assert by_text["210个"].start == HTML.index("210个")
    money = next(q for q in report.quantities if q.unit == "元")
    assert HTML[money.start:money.end] == "1.2&#20159;元"  # the entity lies inside the quantity
    for s in report.sentences:
        assert "<" not in s.text and "var n" not in s.text and "color" not in s.text  # no markup
        assert report.text[s.start:s.end] == s.text
    assert [s.text for s in report.sentences][0] == "区人大常委会2023年工作综述"
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    [record] = cli_jsonl(tmp_path, path)
    assert [(q["start"], q["end"], q["value"]) for q in record["quantities"]] == \
        [(q.start, q.end, q.value) for q in report.quantities]


# --------------------------------------------------------------------------- page furniture

FURNITURE = [
    "首页 > 人大要闻",
    "账号+密码登录",
    "一键分享",
    "扫一扫 分享到微信",
    "图为区人大常委会组成人员视察重点项目建设",
    "图为2023年12月20日，代表在联络站接待选民（记者 张三 摄）",
    "责任编辑：张三",
    "来源：乌当区人大常委会  2024-01-15 09:30",
    "第A02版",
]


def test_page_furniture_lines_are_other_sentences_without_quantities(nlp):
    body = "区人大常委会开展执法检查3次。"
    text = "\n".join(FURNITURE) + "\n" + body + "\n"
    report = reportie.extract(text, nlp=nlp)
    assert [s.text for s in report.sentences] == FURNITURE + [body]
    for s in report.sentences[:-1]:
        assert s.label == "other", (s.text, s.scores)
    assert [q.text for q in report.quantities] == ["3次"]  # only the report's own sentence counts
    assert report.quantities[0].sentence == len(FURNITURE)


# --------------------------------------------------------------------------- size


def seed_texts() -> list:
    return [p.read_text(encoding="utf-8") for p in SEEDS]


TEN_MB = 10_000_000
TEN_MB_SECONDS = 20 * 60  # fail, rather than hang CI, if a quadratic step comes back


def cpu_seconds(nlp, text: str) -> float:
    started = time.process_time()
    reportie.extract(text, nlp=nlp)
    return time.process_time() - started


def assert_linear(nlp, text: str, small: int = 8_000, factor: int = 4) -> None:
    """Fail fast if ``factor`` times the text costs much more than ``factor`` times the CPU."""
    cpu_seconds(nlp, text[:1000])  # warm up
    t_small = cpu_seconds(nlp, text[:small])
    t_large = cpu_seconds(nlp, text[:small * factor])
    assert t_large < 2 * factor * t_small + 0.5, (
        f"{small * factor:,} characters took {t_large:.1f} s of CPU, {small:,} took {t_small:.1f} s: "
        "some step is quadratic in the text length (see docs/robustness.md)")


@pytest.mark.slow  # 3.5 min once tokenization is linear (10 min before); CI runs it: nothing deselects `slow`
def test_10_mb_report_completes(nlp, tmp_path, capsys):
    """The seeds repeated to 10 MB of UTF-8 in one file: it completes, and each copy of a seed
    yields exactly the quantities of that seed alone."""
    seeds = seed_texts()
    parts, size, i = [], 0, 0
    while size < TEN_MB:
        parts.append(seeds[i % len(seeds)])
        size += len(seeds[i % len(seeds)].encode("utf-8")) + 1
        i += 1
    text = "\n".join(parts) + "\n"
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size >= TEN_MB
    singles = [reportie.extract(seed, nlp=nlp) for seed in seeds]
    assert_linear(nlp, text)
    started, cpu = time.perf_counter(), time.process_time()
    with time_limit(TEN_MB_SECONDS, "extracting a 10 MB report"):
        report = reportie.extract(path, nlp=nlp)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    with capsys.disabled():
        print(f"\n10 MB report ({len(text):,} characters, {len(report.sentences):,} sentences, "
              f"{len(report.quantities):,} quantities): {elapsed:.0f} s wall, {cpu:.0f} s CPU")
    assert len(report.text) == len(text)
    expected = Counter()
    for k in range(len(parts)):
        expected.update((q.text, q.value, q.unit, q.kind, q.approx) for q in singles[k % len(seeds)].quantities)
    assert Counter((q.text, q.value, q.unit, q.kind, q.approx) for q in report.quantities) == expected
    assert len(report.sentences) == sum(len(singles[k % len(seeds)].sentences) for k in range(len(parts)))
    assert all(text[q.start:q.end] == q.text for q in report.quantities)


def test_slow_tests_are_not_deselected_in_ci():
    """The 10 MB test is marked slow; CI (`.ci/run` → `make test`) must still run it (only the
    development loop, `make test-fast`, leaves slow tests out)."""
    assert "not slow" not in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    recipe, inside = [], False
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith("test:") and "$(DEV_STAMP)" in line:
            inside = True
        elif inside and line.startswith("\t"):
            recipe.append(line)
        elif inside:
            break
    assert any("pytest" in line for line in recipe), recipe
    # no marker selection in the pytest call (`python -m pytest` itself is fine)
    assert not any(" -m " in line.split("pytest", 1)[-1] or "not slow" in line for line in recipe), recipe


def test_100k_character_line_without_punctuation(nlp, capsys):
    """One 100,000-character line with no punctuation: cut into sentences of at most
    MAX_SENTENCE_CHARS that cover it, and no number is split by a cut."""
    unit = "区人大常委会开展执法检查3次收集意见建议152条投入资金1,200万元"
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    started = time.perf_counter()
    with time_limit(10 * 60, "extracting a 100,000-character line"):
        report = reportie.extract(text, nlp=nlp)
    with capsys.disabled():
        print(f"\n100,000-character line: {time.perf_counter() - started:.1f} s")
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in report.sentences)
    assert "".join(s.text for s in report.sentences) == text
    complete = text.count("1,200万元")
    values = Counter(q.value for q in report.quantities)
    assert values[3] == text.count("3次") and values[152] == text.count("152条")
    assert values[12_000_000] == complete
    assert set(values) == {3, 152, 12_000_000}, "a cut split a number"


# --------------------------------------------------------------------------- cut of over-long lines (bug fix)


@pytest.mark.parametrize("tail,expected", [
    ("共计3,000,000元", ("3,000,000元", 3_000_000)),   # a comma inside a number is not a break
    ("编号A3次", None),                                 # a code glued to letters stays one piece
    ("增长率为-5%", ("-5%", -5)),                       # a sign stays with its number
    ("开展执法检查152条", ("152条", 152)),
])
@pytest.mark.parametrize("shift", range(-6, 2))
def test_a_long_line_is_never_cut_inside_a_number(tail, expected, shift):
    """sentences._cut_long used to cut at a comma between digits or hard through a number,
    making quantities such as 000元 or 2次 out of one number."""
    from reportie.quantities import find_quantities

    head = "人大常委会代表工作监督" * 40
    text = head[:MAX_SENTENCE_CHARS - len(tail) // 2 + shift] + tail + "审议报告" * 60
    spans = split_sentences(text)
    assert "".join(text[s.start:s.end] for s in spans) == text
    found = [(q.text, q.value) for s in spans for q in find_quantities(text, s.start, s.end)]
    alone = [(q.text, q.value) for s in spans for q in find_quantities(text[s.start:s.end])]
    assert found == alone == ([expected] if expected else [])


# --------------------------------------------------------------------------- control characters


def test_nul_bytes_and_control_characters(nlp, tmp_path):
    text = "代表建议\x00158件\x07，办结率100%。\x1b\x0c收集意见\x7f建议52条。\x85\ufeff"
    report = reportie.extract(text, nlp=nlp)
    assert [(q.text, q.value) for q in report.quantities] == [("158件", 158), ("100%", 100), ("52条", 52)]
    for q in report.quantities:
        assert text[q.start:q.end] == q.text
    assert not any(ch < " " and ch != "\n" for s in report.sentences for ch in s.text)
    # A report file with a few stray NULs and control characters reads (a file that is mostly
    # control characters is taken for binary, see below).
    seed = SEEDS[2].read_text(encoding="utf-8")
    dirty = seed[:500] + "\x00" + seed[500:1000] + "\x07\x1b" + seed[1000:2000] + "\x00\x0c" + seed[2000:]
    path = tmp_path / "nul.txt"
    path.write_bytes(dirty.encode("utf-8"))
    [record] = cli_jsonl(tmp_path, path)
    assert [(q["text"], q["value"]) for q in record["quantities"]] == \
        [(q.text, q.value) for q in reportie.extract(seed, nlp=nlp).quantities]
    assert all(dirty[q["start"]:q["end"]] == q["text"] for q in record["quantities"])


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-8-sig"])
def test_legacy_and_bom_encodings_give_the_utf8_result(nlp, tmp_path, encoding):
    text = SEEDS[2].read_text(encoding="utf-8")
    reference = reportie.extract(text, nlp=nlp)
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes(text.encode(encoding))  # utf-16 writes a BOM
    report = reportie.extract(path, nlp=nlp)
    assert report.text == text
    assert [core(q) for q in report.quantities] == [core(q) for q in reference.quantities]
    assert [s.label for s in report.sentences] == [s.label for s in reference.sentences]
    [record] = cli_jsonl(tmp_path, path)
    assert [(q["start"], q["end"], q["value"]) for q in record["quantities"]] == \
        [(q.start, q.end, q.value) for q in reference.quantities]


# --------------------------------------------------------------------------- unreadable input


BINARIES = {
    "scan.txt": bytes(range(256)) * 64,
    "photo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16,
    "report.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5000 /Filter /FlateDecode >>\nstream\n"
                  + bytes((i * 7919) % 256 for i in range(5000)) + b"\nendstream\n",
    "archive.docx": b"PK\x03\x04\x14\x00\x06\x00" + bytes((i * 31) % 256 for i in range(3000)),
}


@pytest.mark.parametrize("name", sorted(BINARIES))
def test_binary_file_is_a_clear_error_naming_the_file(nlp, tmp_path, capsys, name):
    path = tmp_path / name
    path.write_bytes(BINARIES[name])
    with pytest.raises(reportie.InputError, match=name.replace(".", r"\.")) as err:
        reportie.extract(path, nlp=nlp)
    assert "\n" not in str(err.value)
    code, stderr = cli_error(capsys, path)
    assert code == 2
    assert stderr.startswith("reportie: error: ") and str(path) in stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr


@pytest.mark.parametrize("missing", ["reports/does-not-exist.txt", "nope.html"])
def test_missing_path_is_a_clear_error(nlp, tmp_path, capsys, missing):
    path = tmp_path / missing
    with pytest.raises(reportie.InputError, match="no such file"):
        reportie.extract(path, nlp=nlp)
    with pytest.raises(reportie.InputError, match="does-not-exist|nope"):
        reportie.extract(str(path), nlp=nlp)
    code, stderr = cli_error(capsys, path)
    assert code == 2
    assert stderr == f"reportie: error: {path}: no such file\n"


def test_one_bad_file_among_good_ones_fails_before_any_output(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code = main(["extract", "--quiet", "--format", "jsonl", "--output", str(out), str(good), str(tmp_path / "gone.txt")])
    assert code == 2 and not out.exists()
    assert capsys.readouterr().err == f"reportie: error: {tmp_path / 'gone.txt'}: no such file\n"


def test_utf16_without_a_bom_is_refused_not_misread(tmp_path, capsys):
    path = tmp_path / "no-bom.txt"
    path.write_bytes(SAMPLE.encode("utf-16-le"))
    with pytest.raises(reportie.InputError, match="no-bom.txt"):
        reportie.extract(path)
    assert cli_error(capsys, path)[0] == 2


def test_big5_file_is_refused_not_misread(tmp_path, capsys):
    """Bug fix: Big5 bytes used to "decode" as GB18030 into private-use garbage, silently."""
    text = "本年度開展執法檢查３次，收集意見建議１５２條。投入資金3.5億元。"
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("big5"))
    with pytest.raises(reportie.InputError, match=r"big5\.txt: .*Big5"):
        reportie.extract(path)
    code, stderr = cli_error(capsys, path)
    assert code == 2 and stderr.count("\n") == 1 and "big5.txt" in stderr
    # The same text in GB18030 (which has traditional characters too) reads fine.
    path.write_bytes(text.encode("gb18030"))
    assert reportie.extract(path).text == text
