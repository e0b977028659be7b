"""Outputs written atomically: to a temporary file beside the target, renamed into place.

A run that fails (or is interrupted) leaves the target as it was and removes its temporary
file; two runs writing the same target each rename a complete file, so the last one wins and
nothing interleaves.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Iterator


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_file(target: Path, mode: str = "w") -> Iterator[IO]:
    """``open(target, mode)`` whose content appears at ``target`` only when the block succeeds."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        kwargs = {"encoding": "utf-8", "newline": ""} if "b" not in mode else {}
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """A temporary folder beside ``target`` to fill; on success its files are renamed into
    ``target`` (created if needed) one by one, each atomically."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield tmp
        if not target.exists():
            with contextlib.suppress(OSError):  # another run may have created it meanwhile
                os.chmod(tmp, 0o777 & ~_umask())
                os.rename(tmp, target)
                return
        target.mkdir(exist_ok=True)
        mask = _umask()
        for item in sorted(tmp.iterdir()):
            os.chmod(item, 0o666 & ~mask)
            os.replace(item, target / item.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
