"""The notebooks (issue 4, point 5): committed without outputs, and they run.

Each notebook is executed by nbmake in a child ``python -m pytest --nbmake <notebook>``. A child
process, rather than ``--nbmake`` in ``addopts``, keeps notebook execution part of a plain
``python -m pytest`` run *and* of any narrower run (``pytest tests/test_notebooks.py``) with no
configuration to keep in step, never collects stray ``.ipynb`` files elsewhere in the tree,
never lets a notebook's kernel state touch this process, and shows nbmake's own report of the
failing cell when one fails. Outputs are never written back (no ``--overwrite``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 600  # seconds per cell: the first cell builds the pipeline and extracts the seeds
RUN_TIMEOUT = 1800


def test_there_are_notebooks():
    assert {path.name for path in NOTEBOOKS} >= {"01_corpus_overview.ipynb", "02_indicators.ipynb"}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_is_stripped(notebook):
    """Committed notebooks carry no outputs, execution counts or widget state."""
    data = json.loads(notebook.read_text(encoding="utf-8"))
    for index, cell in enumerate(data["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{notebook.name} cell {index} has outputs"
            assert cell.get("execution_count") is None, f"{notebook.name} cell {index} has an execution count"
        assert "attachments" not in cell or not cell["attachments"], f"{notebook.name} cell {index} has attachments"
    assert "widgets" not in data.get("metadata", {}), f"{notebook.name} stores widget state"


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_runs(notebook, reportie_home):
    env = dict(os.environ)
    env["REPORTIE_HOME"] = str(reportie_home)  # the session's model cache, for the kernel too
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    command = [
        sys.executable, "-m", "pytest", "--nbmake", f"--nbmake-timeout={CELL_TIMEOUT}",
        "-p", "no:cacheprovider", "-q", "--no-header", str(notebook),
    ]
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{notebook.name} failed under nbmake:\n{output[-8000:]}"
    assert "1 passed" in output, output[-2000:]
    print(f"{notebook.name}: ran in {time.monotonic() - started:.0f} s")
