"""Shared fixtures. The tests use the same pkuseg model cache as the command line (``make run``):
``$REPORTIE_HOME`` if set, else the user cache directory, so the model is fetched at most once
per machine."""

from pathlib import Path

import pytest

from reportie.segmenter import model_home


@pytest.fixture(scope="session")
def reportie_home() -> Path:
    """The model cache used by the whole session (fetching the model on first use)."""
    return model_home()
