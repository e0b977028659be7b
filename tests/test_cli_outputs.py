"""Issue 14: the command line's outputs, batches, standard input and table (points 1, 2, 4, 5).

Output problems are one line, exit code 2, and are found before any extraction; outputs are
written to a temporary file and renamed into place; every input is checked up front.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import reportie
from reportie.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SAMPLE = "全年开展执法检查３次，收集意见建议１５２条。投入资金3.5亿元，补助300万元，惠及12800人。"


@pytest.fixture()
def good(tmp_path) -> Path:
    path = tmp_path / "in" / "good.txt"
    path.parent.mkdir()
    path.write_text(SAMPLE, encoding="utf-8")
    return path


@pytest.fixture()
def no_extraction(monkeypatch):
    """Fails the test if extraction starts: output problems must be found before any work."""
    import reportie.corpus

    def refuse(*args, **kwargs):
        raise AssertionError("extraction started before the output was checked")

    monkeypatch.setattr(reportie.corpus, "extract_many", refuse)


def run(capsys, *args) -> tuple:
    code = main(["extract", "--quiet", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line_error(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("reportie: error: ") and "Traceback" not in err, err
    return err


def leftovers(folder: Path) -> list:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# --------------------------------------------------------------------------- 1. outputs checked first


@pytest.mark.parametrize("case", [
    "jsonl-missing-dir", "jsonl-into-dir", "json-trailing-slash", "table-into-dir", "csv-onto-file",
    "csv-x.csv", "parquet-x.parquet", "html-onto-file", "html-no-output", "csv-no-output",
    "parquet-no-output", "table-option-with-jsonl", "readonly-dir",
])
def test_output_problems_are_one_line_exit_2_before_any_extraction(tmp_path, good, capsys, no_extraction, case):
    existing_file = tmp_path / "existing.txt"
    existing_file.write_text("keep me", encoding="utf-8")
    readonly = tmp_path / "ro"
    readonly.mkdir()
    readonly.chmod(0o555)
    args = {
        "jsonl-missing-dir": ["--format", "jsonl", "--output", tmp_path / "nonexistent" / "dir" / "out.jsonl"],
        "jsonl-into-dir": ["--format", "jsonl", "--output", tmp_path],
        "json-trailing-slash": ["--format", "json", "--output", f"{tmp_path / 'newdir'}/"],
        "table-into-dir": ["--output", tmp_path],
        "csv-onto-file": ["--format", "csv", "--output", existing_file],
        "csv-x.csv": ["--format", "csv", "--output", tmp_path / "x.csv"],
        "parquet-x.parquet": ["--format", "parquet", "--output", tmp_path / "x.parquet"],
        "html-onto-file": ["--format", "html", "--output", existing_file],
        "html-no-output": ["--format", "html"],
        "csv-no-output": ["--format", "csv"],
        "parquet-no-output": ["--format", "parquet"],
        "table-option-with-jsonl": ["--format", "jsonl", "--table", "quantities"],
        "readonly-dir": ["--format", "jsonl", "--output", readonly / "out.jsonl"],
    }[case]
    if case == "readonly-dir" and os.access(readonly, os.W_OK):
        readonly.chmod(0o755)  # root ignores permission bits: make the parent a file instead
        args = ["--format", "jsonl", "--output", existing_file / "out.jsonl"]
    code, out, err = run(capsys, good, *args)
    assert code == 2 and out == ""
    one_line_error(err)
    assert existing_file.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "x.parquet").exists()
    assert not (tmp_path / "nonexistent").exists() and not (tmp_path / "newdir").exists()
    assert not Path("reportie-html").exists()
    readonly.chmod(0o755)


def test_specific_messages(tmp_path, good, capsys, no_extraction):
    code, _, err = run(capsys, good, "--format", "csv", "--output", tmp_path / "x.csv")
    assert "writes a directory" in err and "--table" in err
    code, _, err = run(capsys, good, "--format", "jsonl", "--output", tmp_path / "no" / "out.jsonl")
    assert err == f"reportie: error: {tmp_path / 'no' / 'out.jsonl'}: directory {tmp_path / 'no'} does not exist\n"
    code, _, err = run(capsys, good, "--format", "html")
    assert "--output DIR" in err


def test_n_process_0_is_a_one_line_error(good, capsys, no_extraction):
    code, out, err = run(capsys, good, "--n-process", "0")
    assert code == 2 and err == "reportie: error: --n-process must be at least 1, got 0\n"


def test_a_failed_run_leaves_nothing_half_written(tmp_path, good, capsys, monkeypatch):
    """Extraction fails after one report was written: the old output stays, no temporary file."""
    import reportie.corpus

    out = tmp_path / "out.jsonl"
    out.write_text("previous run\n", encoding="utf-8")
    real = reportie.corpus.extract_many

    def dies_half_way(items, **kwargs):
        yield from real(items[:1], **kwargs)
        raise reportie.InputError(f"{items[1]}: vanished during the run")

    monkeypatch.setattr(reportie.corpus, "extract_many", dies_half_way)
    second = good.with_name("second.txt")
    second.write_text(SAMPLE, encoding="utf-8")
    code, _, err = run(capsys, good, second, "--format", "jsonl", "--output", out)
    assert code == 2 and "vanished" in one_line_error(err)
    assert out.read_text(encoding="utf-8") == "previous run\n"
    assert leftovers(tmp_path) == []
    folder = tmp_path / "tables"
    code, _, err = run(capsys, good, second, "--format", "csv", "--output", folder)
    assert code == 2 and not folder.exists() and leftovers(tmp_path) == []


def test_two_runs_writing_the_same_file_never_interleave(tmp_path):
    """Two processes write the same JSONL at once: the file is one run's complete output."""
    out = tmp_path / "same.jsonl"
    inputs = [str(p) for p in SEEDS[:4]]
    cmd = [sys.executable, "-m", "reportie", "extract", "--quiet", "--format", "jsonl", "--with-text", "--output", str(out)]
    procs = [subprocess.Popen(cmd + inputs, stderr=subprocess.PIPE),
             subprocess.Popen(cmd + inputs[::-1], stderr=subprocess.PIPE)]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()
    data = out.read_bytes()
    assert b"\x00" not in data
    ids = [json.loads(line)["doc_id"] for line in data.decode("utf-8").splitlines()]
    assert ids in ([Path(p).stem for p in inputs], [Path(p).stem for p in inputs[::-1]])
    assert leftovers(tmp_path) == []


def test_csv_table_to_stdout_and_to_a_file(tmp_path, good, capsys):
    code, out, _ = run(capsys, good, "--format", "csv", "--table", "quantities")
    assert code == 0
    table = pd.read_csv(io.StringIO(out))
    assert 350_000_000 in set(table["value"]) and set(table["doc_id"]) == {"good"}
    target = tmp_path / "q.csv"
    code, _, err = run(capsys, good, "--format", "csv", "--table", "sentences", "--output", target)
    assert code == 0 and target.is_file() and "label" in pd.read_csv(target).columns
    folder = tmp_path / "tables"
    assert run(capsys, good, "--format", "csv", "--output", folder)[0] == 0
    assert sorted(p.name for p in folder.iterdir()) == ["quantities.csv", "sentences.csv", "summary.csv"]
    assert leftovers(tmp_path) == []


def test_html_into_an_existing_directory(tmp_path, good, capsys):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "keep.txt").write_text("x", encoding="utf-8")
    assert run(capsys, good, "--format", "html", "--output", folder)[0] == 0
    assert sorted(p.name for p in folder.iterdir()) == ["good.html", "index.html", "keep.txt"]
    assert leftovers(folder) == [] and leftovers(tmp_path) == []


# --------------------------------------------------------------------------- 2. batches


def bad_inputs(folder: Path) -> dict:
    paths = {
        "binary.txt": bytes(range(256)) * 64,
        "utf16.txt": SAMPLE.encode("utf-16-le"),
        "big5.txt": "本年度開展執法檢查３次，收集意見建議１５２條。".encode("big5"),
    }
    for name, data in paths.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in paths}


def test_every_input_is_checked_before_any_extraction(tmp_path, good, capsys, no_extraction):
    bad = bad_inputs(good.parent)
    out = tmp_path / "out.jsonl"
    code, _, err = run(capsys, good.parent, tmp_path / "gone.txt", "--format", "jsonl", "--output", out)
    assert code == 2 and not out.exists()
    lines = err.splitlines()
    assert len(lines) == 4 and all(line.startswith("reportie: error: ") for line in lines)
    for path in [*bad.values(), tmp_path / "gone.txt"]:
        assert sum(str(path) in line for line in lines) == 1


def test_skip_bad_extracts_the_rest_and_exits_1(tmp_path, good, capsys):
    bad = bad_inputs(good.parent)
    out = tmp_path / "out.jsonl"
    code, _, err = run(capsys, good.parent, "--skip-bad", "--format", "jsonl", "--output", out)
    assert code == 1
    assert [json.loads(line)["doc_id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["good"]
    skipped = [line for line in err.splitlines() if line.startswith("reportie: skipped ")]
    assert len(skipped) == 3 and all(any(str(p) in line for line in skipped) for p in bad.values())
    assert any("UTF-16" in line and "byte-order mark" in line for line in skipped)
    assert err.splitlines()[-1] == "reportie: 3 input(s) skipped, 1 extracted"


def test_skip_bad_with_nothing_left_is_an_error(tmp_path, capsys):
    bad = bad_inputs(tmp_path)
    code, _, err = run(capsys, *bad.values(), "--skip-bad", "--format", "jsonl")
    assert code == 2 and err.splitlines()[-1].startswith("reportie: error: no readable input")


# --------------------------------------------------------------------------- 4. version, stdin, bytes


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out == f"reportie {reportie.__version__}\n"


def test_dash_reads_standard_input(capsys, monkeypatch, reportie_home):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SAMPLE.encode("gb18030"))))
    code, out, _ = run(capsys, "-", "--format", "jsonl", "--with-text")
    assert code == 0
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["text"] == SAMPLE and {q["text"] for q in record["quantities"]} >= {"１５２条", "3.5亿元"}


def test_dash_with_bad_bytes_is_a_one_line_error(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SAMPLE.encode("utf-16-le"))))
    code, _, err = run(capsys, "-")
    assert code == 2 and "<stdin>" in one_line_error(err) and "UTF-16" in err


def test_bytearray_and_memoryview_read_like_bytes(reportie_home):
    data = SAMPLE.encode("utf-8")
    expected = reportie.extract(data).to_dict()
    assert reportie.extract(bytearray(data)).to_dict() == expected
    assert reportie.extract(memoryview(data)).to_dict() == expected


def test_utf16_without_a_bom_says_so(tmp_path):
    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(SAMPLE.encode(encoding))
        with pytest.raises(reportie.InputError, match=r"UTF-16 text without a byte-order mark \(BOM\)"):
            reportie.extract(path)
    ascii_utf16 = tmp_path / "ascii.txt"
    ascii_utf16.write_bytes("Annual report of the standing committee.\n".encode("utf-16-le"))
    with pytest.raises(reportie.InputError, match="UTF-16"):
        reportie.extract(ascii_utf16)


# --------------------------------------------------------------------------- 5. the table


def test_table_numbers_have_thousands_separators_and_a_legend(good, capsys):
    code, out, _ = run(capsys, good)
    assert code == 0
    assert "350,000,000" in out and "3,000,000" in out and "12,800" in out
    assert "e+" not in out
    assert "# = a heading" in out and "60 columns" in out


def test_number_format():
    from reportie.cli.writers import number

    assert [number(v) for v in (3e6, 1.2568e11, 84.38, 0.5, 152.0, None, 1e-9)] == \
        ["3,000,000", "125,680,000,000", "84.38", "0.5", "152", "", "1e-09"]


# --------------------------------------------------------------------------- 7. first use


def test_make_run_installs_only_what_extraction_needs_with_progress():
    """`make run` installs `-e .` (no dev extras) and shows pip's progress (no --quiet)."""
    # Run from `make test` this is a make inside make: without its variables and directory lines.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    dry = subprocess.run(["make", "--no-print-directory", "-n", "-B", "run"], cwd=ROOT, capture_output=True,
                         text=True, check=True, env=env).stdout
    installs = [line for line in dry.splitlines() if " pip " in line and " install " in line and "-e" in line]
    assert installs and all(line.rstrip().endswith("-e .") for line in installs), installs
    assert "[dev]" not in dry and "--quiet" not in dry
    assert dry.strip().splitlines()[-1].endswith("reportie extract seeds/*.txt")
    dry = subprocess.run(["make", "--no-print-directory", "-n", "-B", "test"], cwd=ROOT, capture_output=True,
                         text=True, check=True, env=env).stdout
    assert '-e ".[dev]"' in dry and "install-chromium.sh" in dry


def test_tests_and_the_command_line_share_one_model_cache(reportie_home):
    from reportie.segmenter import model_home

    assert reportie_home == model_home()
    if "REPORTIE_HOME" not in os.environ:
        from platformdirs import user_cache_dir

        assert reportie_home == Path(user_cache_dir("reportie"))  # where `make run` fetched it
    assert ".reportie-home" not in (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
