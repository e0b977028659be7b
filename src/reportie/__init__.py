"""reportie: Chinese people's-congress work reports as data.

>>> import reportie
>>> report = reportie.extract("seeds/000_51482b9a4b8c3cb5.txt")
>>> report.quantities[0].value, report.sentences[0].label

spaCy and pandas are imported on first use of the functions that need them, so importing
``reportie`` (or its pure modules ``reportie.numbers``, ``reportie.sentences``) is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .modelstore import ModelError
from .reading import InputError
from .report import LABELS, Entity, Quantity, Report, Sentence

if TYPE_CHECKING:
    from .corpus import extract_many
    from .extraction import extract
    from .frames import Frames, to_frame
    from .pipeline import load

__version__ = "0.1.0"

_LAZY = {
    "extract": ("extraction", "extract"),
    "extract_many": ("corpus", "extract_many"),
    "load": ("pipeline", "load"),
    "to_frame": ("frames", "to_frame"),
    "Frames": ("frames", "Frames"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        value = getattr(import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'reportie' has no attribute {name!r}")


__all__ = [
    "LABELS", "Entity", "Frames", "InputError", "ModelError", "Quantity", "Report", "Sentence",
    "extract", "extract_many", "load", "to_frame", "__version__",
]
