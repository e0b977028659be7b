"""The command line (issue 2 point 8, issue 4 point 3): formats, outputs and exit codes."""

import json
from pathlib import Path

import pandas as pd
import pytest

from reportie.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "002_9911ad027f31c7ac.txt"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def test_table_lists_labels_and_quantities(capsys, reportie_home):
    assert main(["extract", str(SEED), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "body=大足区人大常委会" in out and "level=county" in out and "year=2022" in out
    assert "360余次" in out and "more_than" in out  # spec §2 approx: 余 → more_than
    sentence_rows = out.split("sentences (")[1].split("quantities (")[0].strip().splitlines()[3:]
    assert sentence_rows and all(row.split()[1] in {"supervision", "legislation", "deputy_work", "self_building", "other"}
                                 for row in sentence_rows if row.strip())


def test_jsonl_and_json(tmp_path, reportie_home):
    out = tmp_path / "reports.jsonl"
    assert main(["extract", str(SEED), str(SEEDS[0]), "--format", "jsonl", "--output", str(out), "--quiet"]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in lines] == [SEED.stem, SEEDS[0].stem] and "text" not in lines[0]
    out = tmp_path / "reports.json"
    assert main(["extract", str(SEED), "--format", "json", "--output", str(out), "--with-text", "--quiet"]) == 0
    (report,) = json.loads(out.read_text(encoding="utf-8"))
    text = report["text"]
    assert all(text[q["start"]:q["end"]] == q["text"] for q in report["quantities"])


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_directory_to_three_tables(tmp_path, fmt, reportie_home):
    """Issue 4: `reportie extract DIR --format csv|parquet` writes sentences, quantities and summary."""
    out = tmp_path / "tables"
    assert main(["extract", str(ROOT / "seeds"), "--format", fmt, "--output", str(out), "--quiet"]) == 0
    read = pd.read_csv if fmt == "csv" else pd.read_parquet
    quantities = read(out / f"quantities.{fmt}")
    sentences = read(out / f"sentences.{fmt}")
    summary = read(out / f"summary.{fmt}")
    assert set(quantities["doc_id"]) == {p.stem for p in SEEDS}
    assert {"body", "level", "year", "value", "unit", "kind", "approx", "record_type"} <= set(quantities.columns)
    assert sentences["label"].notna().all()
    assert set(summary["group"]) == {"category", "record_type"}


def test_missing_file_exits_2_with_one_line(capsys):
    assert main(["extract", "no/such/report.txt"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["reportie: error: no/such/report.txt: no such file"]


def test_parquet_to_stdout_is_a_usage_error(capsys):
    assert main(["extract", str(SEED), "--format", "parquet", "--quiet"]) == 2
    assert "--output" in capsys.readouterr().err


def test_model_path_names_the_cached_model(capsys, reportie_home):
    assert main(["model", "path"]) == 0
    assert Path(capsys.readouterr().out.strip()).exists()
    assert main(["model", "where"]) == 0  # the old `python -m reportie.segmenter where`
    assert Path(capsys.readouterr().out.strip()).exists()


def test_model_path_through_python_m_reportie(reportie_home):
    """`reportie model path` as a fresh process (`python -m reportie` is the `reportie` command)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "reportie", "model", "path"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).is_dir()


def test_sentences_lists_a_reports_sentences_as_jsonl(capsys):
    """`reportie sentences FILE` (formerly `python -m reportie.sentences FILE`): one JSON object per
    sentence of split_sentences, with the document, index, offsets, heading flag, section and text."""
    from reportie.sentences import split_sentences

    path = ROOT / "seeds" / "000_51482b9a4b8c3cb5.txt"
    assert main(["sentences", str(path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    text = path.read_text(encoding="utf-8-sig")
    spans = split_sentences(text)
    assert len(rows) == len(spans) > 10
    assert rows == [{"doc": path.stem, "sentence": i, "start": s.start, "end": s.end, "heading": s.heading,
                     "section": s.section, "text": text[s.start:s.end]} for i, s in enumerate(spans)]
    assert list(rows[0]) == ["doc", "sentence", "start", "end", "heading", "section", "text"]
    assert any(r["heading"] for r in rows) and not all(r["heading"] for r in rows)


def test_sentences_of_a_missing_file_exits_2_with_one_line(capsys):
    assert main(["sentences", "no/such/report.txt"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip().splitlines() == ["reportie: error: no/such/report.txt: no such file"]


def test_one_command_line_one_module_per_command():
    """Issue 16: every command is a module of reportie.cli; the old side entry points are gone."""
    import importlib
    import importlib.util

    import reportie.cli as cli
    import reportie.segmenter as segmenter
    import reportie.sentences as sentences

    parser = cli.build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    assert tuple(sub.choices) == cli.COMMANDS == ("extract", "model", "train", "evaluate", "annotate", "sentences")
    for name in cli.COMMANDS:
        module = importlib.import_module(f"reportie.cli.{name}")
        assert module.__doc__ and callable(module.add_parser)
    assert not hasattr(segmenter, "main") and importlib.util.find_spec("reportie.segmenter.__main__") is None
    assert "__main__" not in Path(sentences.__file__).read_text(encoding="utf-8")
    assert importlib.util.find_spec("reportie.annotation.cli") is None
