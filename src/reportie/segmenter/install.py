"""Replacing files in the cache safely: a finished fetch moved into place by one rename, a new lean
model swapped in with its manifest, the lean model rebuilt from the cached full one when its
settings changed; the models loaded from replaced files are forgotten."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from .base import _LEAN_SUMMARY, DEFAULT_QUANTUM, DEFAULT_THRESHOLD, ModelError, ProgressFn, _sha256_file
from .cache import _is_fetched
from .compact import compact_model
from .pkuseg import _forget


def _refresh_lean(root: Path, say: ProgressFn) -> None:
    """Rebuild ``root/lean`` from ``root/full`` (no download) if it was made with other settings.

    A cache fetched by an older reportie keeps working either way; if the rebuild cannot be
    done (read-only cache, no full model) the lean model it has is used as it is.
    """
    try:
        lean = json.loads((root / "manifest.json").read_text(encoding="utf-8"))["lean"]
    except (OSError, ValueError, KeyError, TypeError):
        return
    if lean.get("threshold") == DEFAULT_THRESHOLD and lean.get("quantum") == DEFAULT_QUANTUM:
        return
    say(f"rebuilding the lean model from the cached full one (threshold {lean.get('threshold')} → "
        f"{DEFAULT_THRESHOLD}), once …")
    try:
        with tempfile.TemporaryDirectory(prefix=".lean-", dir=root.parent) as tmp_s:
            compact_model(root / "full", Path(tmp_s) / "lean")
            install_manifest_lean(root, Path(tmp_s) / "lean")
    except (OSError, ValueError, ModelError) as exc:
        say(f"kept the lean model the cache has ({type(exc).__name__}: {exc})")


def _install(build: Path, root: Path, force: bool, tmp: Path) -> None:
    """Move the finished ``build`` folder to ``root`` atomically (rename)."""
    if root.exists():
        if not force and _is_fetched(root):
            return  # another process finished first; keep theirs
        old = tmp / "old"
        os.rename(root, old)
    try:
        os.rename(build, root)
    except OSError:
        if _is_fetched(root):  # lost a race with another fetch: theirs is as good
            return
        raise


def install_manifest_lean(root: Path, lean_src: Path) -> None:
    """Replace ``root/lean`` by ``lean_src`` and update the manifest (used by the benchmark)."""
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    files = {k: v for k, v in manifest["files"].items() if not k.startswith("lean/")}
    for p in sorted(lean_src.iterdir()):
        files[f"lean/{p.name}"] = {"sha256": _sha256_file(p), "bytes": p.stat().st_size}
    meta = json.loads((lean_src / "meta.json").read_text(encoding="utf-8"))
    manifest["files"] = files
    manifest["lean"] = {k: meta[k] for k in _LEAN_SUMMARY}
    with tempfile.TemporaryDirectory(prefix=".lean-", dir=root.parent) as tmp_s:
        tmp = Path(tmp_s)
        shutil.copytree(lean_src, tmp / "lean")
        os.rename(root / "lean", tmp / "old")
        os.rename(tmp / "lean", root / "lean")
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp / "manifest.json", root / "manifest.json")
    _forget(root)


# --------------------------------------------------------------------------
