"""``reportie.dask`` (issue 4, point 4): extraction on a two-process ``LocalCluster`` gives the
same records as ``extract_many`` on the seeds, with the pipeline built once per worker."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import reportie

pytest.importorskip("dask.bag", reason="the dask extra is not installed")
distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def plain(frame):
    """Text columns as Python objects with None for missing (dask may use pyarrow strings)."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or str(frame[column].dtype).startswith(("string", "str")):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


@pytest.fixture(scope="module")
def expected(reportie_home):
    return list(reportie.extract_many(SEEDS))


@pytest.fixture(scope="module")
def client(reportie_home):
    # Loopback only, no dashboard; worker processes inherit REPORTIE_HOME from conftest.
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                                  host="127.0.0.1", silence_logs=40) as cluster:
        with distributed.Client(cluster) as client:
            yield client


@pytest.mark.slow
def test_bag_equals_extract_many(client, expected):
    from reportie.dask import as_reports, extract_bag, load_on_workers

    versions = load_on_workers(client)
    assert len(versions) == 2 and set(versions.values()) == {reportie.__version__}
    bag = extract_bag(SEEDS, npartitions=3)
    assert bag.npartitions == 3
    records = bag.compute()
    assert records == [report.to_dict() for report in expected]
    assert as_reports(extract_bag(SEEDS[:2], include_text=False)).compute() == [
        reportie.Report.from_dict(report.to_dict(include_text=False)) for report in expected[:2]
    ]


@pytest.mark.slow
def test_pipeline_is_built_once_per_worker(client):
    import os

    from reportie.dask import extract_bag, load_on_workers

    def pipeline_id():
        from reportie.pipeline import loaded

        nlp = loaded()
        return None if nlp is None else id(nlp)

    load_on_workers(client)
    before = client.run(pipeline_id)
    assert len(before) == 2 and None not in before.values()
    extract_bag(SEEDS[:4], npartitions=4).compute()
    assert client.run(pipeline_id) == before  # the tasks reused each worker's pipeline
    pids = client.run(os.getpid)  # …which lives in two worker processes, not in this one
    assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()


@pytest.mark.slow
def test_frames_equal_to_frame(client, expected):
    import dask
    import pandas as pd

    from reportie.dask import extract_frames

    want = reportie.to_frame(expected)
    lazy = extract_frames(SEEDS, npartitions=2)
    assert all(isinstance(frame, dask.dataframe.DataFrame) for frame in lazy)
    got = extract_frames(SEEDS, npartitions=2, compute=True)
    for name in ("sentences", "quantities", "summary"):
        left, right = getattr(got, name), getattr(want, name)
        assert list(left.columns) == list(right.columns)
        pd.testing.assert_frame_equal(plain(left), plain(right), check_dtype=False)
    assert all(frame.npartitions == 2 for frame in lazy)
    assert got.quantities["year"].dtype == "Int64" and got.quantities["value"].dtype == "float64"


def test_texts_and_empty_input_synchronously(reportie_home):
    import dask

    from reportie.dask import extract_bag, extract_frames

    text = SEEDS[0].read_text(encoding="utf-8")
    with dask.config.set(scheduler="synchronous"):
        (record,) = extract_bag(text).compute()
        assert record == reportie.extract(text).to_dict()
        empty = extract_frames([], compute=True)
        assert [len(frame) for frame in empty] == [0, 0, 0]
        assert len(extract_frames([]).sentences.compute()) == 0


def test_clear_error_without_dask(tmp_path):
    """With dask hidden, importing reportie.dask names the extra to install."""
    blocker = tmp_path / "dask.py"
    blocker.write_text("raise ImportError('No module named dask (hidden by the test)')\n")
    code = "import reportie.dask"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                            env={"PYTHONPATH": str(tmp_path), "PATH": ""})
    assert result.returncode != 0
    assert "pip install 'reportie[dask]'" in result.stderr, result.stderr
