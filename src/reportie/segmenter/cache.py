"""Where the model cache is, and whether it holds a complete model: ``$REPORTIE_HOME`` (else the
user cache dir) and its ``pkuseg-default-<version>/`` folder."""
from __future__ import annotations

import json
import os
from pathlib import Path

from .base import ENV_HOME, ENV_OFFLINE, MANIFEST_FORMAT, PKUSEG_VERSION


def model_home() -> Path:
    """The cache root: ``$REPORTIE_HOME`` if set, else the user cache dir."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser().absolute()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("reportie"))


def model_root() -> Path:
    """``model_home()/pkuseg-default-<version>``: where :func:`reportie.segmenter.fetch_model` writes."""
    return model_home() / f"pkuseg-default-{PKUSEG_VERSION}"


def _is_fetched(root: Path) -> bool:
    """A complete cache of the current format (an older format is fetched again)."""
    if not (root / "lean" / "meta.json").is_file():
        return False
    try:
        return json.loads((root / "manifest.json").read_text(encoding="utf-8")).get("format") == MANIFEST_FORMAT
    except (OSError, ValueError, AttributeError):
        return False


def _offline() -> bool:
    return os.environ.get(ENV_OFFLINE, "").strip().lower() not in ("", "0", "false", "no")
