"""Reports as tuples of plain values, the form worker processes send them in (``reportie.parallel``).

Unpickling a Report as dataclasses (hundreds of Sentence, Quantity and Entity objects, each
rebuilt from a state dict) cost the parent about 1 ms per seed report, CPU taken from the workers
on a two-core machine; unpickling these tuples and rebuilding the objects with the classes' own
constructors costs about 0.3 ms. The texts of sentences, quantities and entities are slices of
the report's text, so they are not sent but cut again on arrival.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import Tuple, Union

from .report import Entity, Quantity, Report, Sentence

Packed = Union[Tuple, Report]  # a Report whose item texts are not slices is sent as it is

_LISTS = ("sentences", "quantities", "entities")


def _names(cls, first: Tuple[str, ...]) -> Tuple[str, ...]:
    names = tuple(f.name for f in fields(cls))
    if names[: len(first)] != first:  # unpack() passes these fields by position
        raise TypeError(f"{cls.__name__} fields must start with {first}, not {names}")
    return names


# Each item as a tuple of its fields but ``text`` (start and end first); the report's own fields
# but its three lists. Taken from the dataclasses, so a field added there is sent too.
_ITEM = {cls: attrgetter(*_names(cls, ("text", "start", "end"))[1:]) for cls in (Sentence, Quantity, Entity)}
_REPORT = attrgetter(*_names(Report, ("text",) + _LISTS)[4:])


def _sliced(report: Report) -> bool:
    text = report.text
    return all(item.text == text[item.start:item.end] for name in _LISTS for item in getattr(report, name))


def pack(report: Report) -> Packed:
    """``report`` as nested tuples of plain values (or itself, when an item's text is not a slice)."""
    if not _sliced(report):
        return report
    return (
        report.text,
        tuple(map(_ITEM[Sentence], report.sentences)),
        tuple(map(_ITEM[Quantity], report.quantities)),
        tuple(map(_ITEM[Entity], report.entities)),
        _REPORT(report),
    )


def unpack(packed: Packed) -> Report:
    """The Report ``pack`` was given, equal field for field."""
    if isinstance(packed, Report):
        return packed
    text, sentences, quantities, entities, rest = packed
    return Report(
        text,
        [Sentence(text[s[0]:s[1]], *s) for s in sentences],
        [Quantity(text[q[0]:q[1]], *q) for q in quantities],
        [Entity(text[e[0]:e[1]], *e) for e in entities],
        *rest,
    )
