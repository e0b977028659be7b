"""The one reader of pickles, at fetch/conversion time only: a restricted unpickler that refuses
every global, so only plain dicts/lists/str/int/float come out. Loading a model never unpickles."""
from __future__ import annotations

import io
import pickle
from typing import Any

#: What a malformed or refused pickle raises (so callers need not import pickle).
PICKLE_ERRORS = (pickle.UnpicklingError, EOFError, ValueError)


class _DataOnlyUnpickler(pickle.Unpickler):
    """Unpickler that refuses every global: only plain containers/str/int/float come out."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing global {module}.{name}: only plain data is accepted")

    def persistent_load(self, pid: Any) -> Any:
        raise pickle.UnpicklingError("refusing persistent id: only plain data is accepted")


def _load_data_pickle(data: bytes) -> Any:
    return _DataOnlyUnpickler(io.BytesIO(data)).load()
