"""Reading input (issue 2 point 6, issue 5 point 1): encodings, paths, HTML, control characters."""

from pathlib import Path

import pytest

from reportie.reading import InputError, clean, decode, is_path_like, read_input

SEED = Path(__file__).resolve().parents[1] / "seeds" / "002_9911ad027f31c7ac.txt"
SAMPLE = "建设基层人大代表联络点35个，累计接待群众500多人次。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_file_encodings_decode_to_the_same_text(tmp_path, encoding):
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes(SAMPLE.encode(encoding))
    text, source = read_input(path)
    assert text == SAMPLE and source == str(path)


def test_gb2312_seed_decodes(tmp_path):
    original = SEED.read_text(encoding="utf-8")
    path = tmp_path / "old.txt"
    path.write_bytes(original.encode("gb18030"))
    assert read_input(str(path))[0] == original


def test_binary_file_is_a_clear_error_naming_the_file(tmp_path):
    path = tmp_path / "scan.pdf.txt"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(InputError, match="scan.pdf.txt"):
        read_input(path)


def test_missing_path_is_a_clear_error():
    with pytest.raises(InputError, match="no such file"):
        read_input("reports/does-not-exist.txt")


def test_directory_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="directory"):
        read_input(Path(tmp_path))


def test_text_is_not_mistaken_for_a_path():
    assert not is_path_like(SAMPLE)
    assert read_input(SAMPLE) == (SAMPLE, None)


def test_html_markup_is_blanked_keeping_offsets():
    raw = "<p>收集意见建议&ldquo;52条&rdquo;</p><p>解决问题210个。</p>"
    text = clean(raw)
    assert len(text) == len(raw)
    assert "<" not in text and "&" not in text
    start = raw.index("210个")
    assert text[start:start + 4] == raw[start:start + 4] == "210个"
    assert "\n" in text  # a closing block tag separates sentences


def test_control_characters_and_nul_are_blanked():
    raw = "代表建议\x00158件\x07，办结率100%。"
    text = clean(raw)
    assert len(text) == len(raw) and "\x00" not in text and "158件" in text


def test_utf16_without_bom_like_binary_is_refused():
    with pytest.raises(InputError):
        decode(b"\x00\x01\x02\x03" * 100, "blob")


def test_lone_surrogates_are_blanked_keeping_offsets():
    """A lone surrogate (a byte mis-decoded with surrogateescape) is no character: it becomes a
    space, so the script conversion and the JSON output never meet it."""
    import reportie

    text = "县人大常委会审议法规3件。\udcb3第二句。"
    assert clean(text) == text.replace("\udcb3", " ")
    report = reportie.extract(text)
    assert len(report.text) == len(text)
    assert [q.text for q in report.quantities] == ["3件"]
