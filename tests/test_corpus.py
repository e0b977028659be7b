"""``extract_many`` (issue 4 point 3, issue 6 point 2): worker processes give the Reports one
process gives, in input order; errors name the input; stopping early leaves no workers behind."""

import multiprocessing
import os
from pathlib import Path

import pytest

import reportie

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
AUTHORED = sorted((ROOT / "annotations" / "authored_reports").glob("*.txt"))


@pytest.fixture(scope="module")
def inputs(reportie_home):
    # paths and texts mixed, an empty text and a seed twice: every kind of item, out of order
    return [SEEDS[3], AUTHORED[0].read_text(encoding="utf-8"), "", *SEEDS, str(AUTHORED[1]), SEEDS[0]]


@pytest.fixture(scope="module")
def one_process(inputs):
    return list(reportie.extract_many(inputs, n_process=1))


def test_workers_return_the_same_reports_in_order(inputs, one_process):
    two = list(reportie.extract_many(inputs, n_process=2))
    assert two == one_process
    assert [r.source for r in two] == [str(SEEDS[3]), None, None, *map(str, SEEDS), str(AUTHORED[1]), str(SEEDS[0])]


def test_workers_take_a_generator_and_any_batch_size(inputs, one_process):
    for batch_size in (1, 3, 100):
        got = list(reportie.extract_many((item for item in inputs), n_process=2, batch_size=batch_size))
        assert got == one_process


def test_one_report_is_the_same_as_extract(inputs, one_process):
    assert one_process[0] == reportie.extract(SEEDS[3])
    assert one_process[2].sentences == [] and one_process[2].quantities == []


def test_a_missing_file_is_an_input_error_naming_it(tmp_path):
    missing = tmp_path / "没有这个文件.txt"
    with pytest.raises(reportie.InputError, match="没有这个文件"):
        list(reportie.extract_many([SEEDS[0], missing, SEEDS[1]], n_process=2))


def test_stopping_early_leaves_no_worker_processes(inputs):
    stream = reportie.extract_many(inputs * 3, n_process=2, batch_size=1)
    first = next(stream)
    assert first.source == str(SEEDS[3])
    stream.close()
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("bad", [{"n_process": 0}, {"batch_size": 0}])
def test_bad_settings_are_value_errors(bad):
    with pytest.raises(ValueError):
        list(reportie.extract_many(SEEDS, **bad))


def test_a_worker_that_dies_is_an_error_not_a_hang(inputs, monkeypatch):
    """A worker killed mid-run (out of memory, kill -9) surfaces as BrokenProcessPool."""
    from concurrent.futures.process import BrokenProcessPool

    from reportie import parallel

    monkeypatch.setattr(parallel, "_extract_batch", _die)
    with pytest.raises(BrokenProcessPool):
        list(reportie.extract_many(inputs, n_process=2))


def _die(batch):
    os._exit(1)  # as if the OOM killer took the worker (module level: the pool pickles it by name)


def test_reports_cross_processes_as_tuples_unchanged(seed_reports):
    """Workers send Reports packed as plain tuples (``reportie.wire``); unpacked, they are the same."""
    import dataclasses
    import pickle

    from reportie.wire import pack, unpack

    for report in seed_reports.values():
        packed = pack(report)
        assert isinstance(packed, tuple)
        again = unpack(pickle.loads(pickle.dumps(packed)))
        assert again == report and again.to_json() == report.to_json()
    # an item whose text is not a slice of the report's text is sent as it is
    report = next(iter(seed_reports.values()))
    odd = dataclasses.replace(report, sentences=[dataclasses.replace(report.sentences[0], text="x")])
    assert pack(odd) is odd and unpack(odd) is odd


def test_batches_shrink_to_one_input_at_the_end():
    from itertools import islice

    from reportie.corpus import _batch_sizes

    sizes = list(islice(_batch_sizes(80, 2, 8), 20))
    assert sizes[0] == 8 and sizes == sorted(sizes, reverse=True) and sum(sizes) == 80 and sizes[-6:] == [1] * 6
    assert list(islice(_batch_sizes(None, 2, 8), 3)) == [8, 8, 8]
    assert list(islice(_batch_sizes(2, 2, 8), 4)) == [1, 1, 1, 1]  # past the total: one at a time, no end
