"""Issue 14 point 3 and 8: strings that look like paths, and long lines cut before segmentation."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest

import reportie
from reportie.chunking import MAX_PIECE, cut_in_pieces, pieces
from reportie.reading import is_path_like

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.mark.parametrize("text,message", [
    ("seeds", "is a directory"),                      # a directory
    ("reports/2023", "no such file"),                 # a mistyped path: a separator, no Chinese
    ("reports\\2023\\report", "no such file"),        # Windows separators
    ("report-2023.pdf", "no such file"),              # a known suffix
    ("./missing.docx", "no such file"),
])
def test_a_string_that_looks_like_a_path_is_an_input_error(monkeypatch, text, message):
    monkeypatch.chdir(ROOT)
    assert is_path_like(text)
    with pytest.raises(reportie.InputError, match=message) as err:
        reportie.extract(text)
    assert "\n" not in str(err.value) and text.replace("\\", "/").split("/")[0] in str(err.value).replace("\\", "/")


@pytest.mark.parametrize("text", [
    "全年开展执法检查3次/收集意见建议152条",          # Chinese: report text even with a slash
    "Revenue grew in 2023/2024.",                   # spaces: a sentence, not a path
    "The standing committee met 12 times",
    "seeds/a\nseeds/b",                             # more than one line
    "a/" * 600,                                     # longer than 1,024 characters
])
def test_report_text_is_not_taken_for_a_path(monkeypatch, text, reportie_home):
    monkeypatch.chdir(ROOT)
    assert not is_path_like(text)
    assert reportie.extract(text).text == text


def test_existing_files_and_paths_are_read(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    Path("报告").write_text("收集意见建议152条。", encoding="utf-8")  # an existing file, whatever its name
    assert is_path_like("报告") and is_path_like(Path("anything"))
    assert reportie.extract("报告").source == "报告"


# --------------------------------------------------------------------------- point 8: long lines


@pytest.fixture(scope="module")
def segmenter(reportie_home):
    return reportie.load().tokenizer.pkuseg_seg


def test_ordinary_reports_are_segmented_as_before(segmenter):
    text = "\n".join(p.read_text(encoding="utf-8") for p in SEEDS)
    assert len(text) > MAX_PIECE and max(len(line) for line in text.splitlines()) < MAX_PIECE
    assert cut_in_pieces(segmenter, text) == segmenter.cut(text)


def test_a_long_line_is_cut_at_sentence_ends_then_anywhere(segmenter):
    chinese = "".join(line.strip() for p in SEEDS for line in p.read_text(encoding="utf-8").splitlines())
    parts = list(pieces(chinese))
    assert "".join(parts) == chinese and len(parts) > 1
    assert all(MAX_PIECE // 2 <= len(p) <= MAX_PIECE and p[-1] in "。！？；!?;" for p in parts[:-1])
    rng = random.Random(0)
    ascii_line = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(3 * MAX_PIECE + 7))
    parts = list(pieces(ascii_line))
    assert "".join(parts) == ascii_line and [len(p) for p in parts] == [MAX_PIECE] * 3 + [7]
    words = cut_in_pieces(segmenter, ascii_line)
    assert "".join(words) == ascii_line


def test_a_long_ascii_line_extracts_with_offsets(reportie_home):
    rng = random.Random(1)
    text = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(25_000))
    report = reportie.extract(text)
    assert report.text == text and report.sentences
    assert all(text[s.start:s.end] == s.text for s in report.sentences)
    covered = sum(len(s.text) for s in report.sentences)
    assert covered == len(text)
