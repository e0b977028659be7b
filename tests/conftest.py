"""Shared fixtures. The pkuseg model is fetched once into ``<repo>/.reportie-home`` (git-ignored)
unless ``REPORTIE_HOME`` is already set, so repeated runs reuse the cache."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("REPORTIE_HOME", str(ROOT / ".reportie-home"))


@pytest.fixture(scope="session")
def reportie_home() -> Path:
    """The model cache used by the whole session (fetching the model on first use)."""
    return Path(os.environ["REPORTIE_HOME"])
