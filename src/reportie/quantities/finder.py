"""The quantity finder: every quantity of a text window, number by number (ranges first, then
single numbers), with the exclusions applied; :func:`find_quantities` also gives each its
indicator (:mod:`reportie.indicators`), :func:`locate_quantities` leaves that to the caller.
"""

from __future__ import annotations

from typing import Iterable, List, Optional, Tuple

from ..indicators import attach_indicators
from ..numbers import normalize
from .base import Atom, QuantityMatch, Tail
from .exclusions import Blocks
from .money import symbol_before
from .ranges import make_range, range_partner
from .single import make_single
from .units import read_atoms, read_tail

__all__ = ["find_quantities", "locate_quantities", "locate_all"]


def find_quantities(text: str, start: int = 0, end: Optional[int] = None, *,
                    bare: bool = False, _lenient_commas: bool = False) -> List[QuantityMatch]:
    """All quantities in ``text[start:end]``; offsets are absolute into ``text``.

    ``bare=True`` also returns numbers without a unit (``unit == ""``, ``kind ==
    "count"``); they are not quantities under spec §2 and exist for numeral-level checks.
    Each quantity has its ``indicator`` (:func:`reportie.indicators.attach_indicators`, read on
    the words of its fallback reading: the pipeline reads it on pkuseg's words instead).
    """
    window = _window(text, start, end)
    if window is None:
        return []
    local, lo, hi, base = window
    found, plain = _find(local, lo, hi, bare, _lenient_commas, base)
    return attach_indicators(local, plain, lo, hi, found, base=base)


def locate_quantities(text: str, start: int = 0, end: Optional[int] = None, *,
                      bare: bool = False) -> List[QuantityMatch]:
    """:func:`find_quantities` without the indicators (``indicator`` is None): for a caller that
    reads them itself (the pipeline, on its own segmentation)."""
    window = _window(text, start, end)
    if window is None:
        return []
    local, lo, hi, base = window
    return _find(local, lo, hi, bare, False, base)[0]


def locate_all(text: str, spans: Iterable[Tuple[int, int]]) -> List[List[QuantityMatch]]:
    """:func:`locate_quantities` of each ``(start, end)`` of ``spans`` (the sentences of a text).

    Step by step over all the windows (normalised, then their numerals read, then what follows
    each numeral, then the quantities found): the script conversion (C++), the numeral regexes
    and the word lists run between the Python steps of each window made all slower (a fifth of
    the finder's time)."""
    windows = [_window(text, start, end) for start, end in spans]
    norms = [normalize(window[0], strict_commas=True) if window else "" for window in windows]
    atoms = [read_atoms(window[0], norm, window[1], window[2]) if window else []
             for window, norm in zip(windows, norms)]
    tails = [[read_tail(norm, a, window[2], norm[a.start:a.end]) for a in found]
             for window, norm, found in zip(windows, norms, atoms)]
    return [_find(window[0], window[1], window[2], False, False, window[3], norm, found, their_tails)[0]
            if found else [] for window, norm, found, their_tails in zip(windows, norms, atoms, tails)]


LEFT_CONTEXT = 64


def _window(text: str, start: int, end: Optional[int]) -> Optional[Tuple[str, int, int, int]]:
    """The local slice the finder reads, ``(slice, start, end, base)`` with ``start``/``end``
    relative to the slice, which starts at ``base`` of ``text``; None for an empty window.

    The slice is the window plus a little left context (for 届…次会议 and titles opened just
    before it), so that per-sentence calls stay linear in the text."""
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    if start >= end:
        return None
    base = max(0, start - LEFT_CONTEXT)
    return text[base:end], start - base, end - base, base


def _find(text: str, start: int, end: int, bare: bool, lenient_commas: bool, base: int,
          norm: Optional[str] = None, atoms: Optional[List[Atom]] = None, tails: Optional[List[Tail]] = None
          ) -> Tuple[List[QuantityMatch], str]:
    """The quantities of ``text[start:end]``, sorted, with offsets moved by ``base`` (where the
    local slice ``text`` starts in the whole text), and the plain normalised slice (``norm`` is
    the normalised slice, ``atoms`` its numerals and ``tails`` what follows each, if the caller
    has them)."""
    if norm is None:
        norm = normalize(text, strict_commas=not lenient_commas)
    if atoms is None:
        atoms = read_atoms(text, norm, start, end)
    if not atoms:  # most sentences: no numeral, so nothing below can find a quantity
        return [], norm
    plain = norm.replace("，", ",")  # normalize(text): a strict comma is the only difference
    blocks = Blocks(text, norm, plain, start, end)
    out: List[QuantityMatch] = []
    consumed = -1  # in the slice
    i = 0
    while i < len(atoms):
        a = atoms[i]
        i += 1
        if a.start < consumed:
            continue
        tail = tails[i - 1] if tails is not None else read_tail(norm, a, end, norm[a.start:a.end])
        # range: A [unit] connector B unit
        rng = range_partner(norm, atoms, i, a, tail, end, tails)
        if rng is not None:
            b, b_tail, _ = rng
            consumed = b.end
            i += 1  # past b, which is atoms[i]
            if tail.excluded or b_tail.excluded or blocks.reject(a) or blocks.reject(b):
                consumed = max(consumed, b_tail.end)
                continue
            if not b_tail.unit and not bare:
                continue
            q = make_range(text, norm, a, tail, b, b_tail, end, start, base)
            if q is not None:
                out.append(q)
                consumed = q.end - base
            continue
        if tail.excluded:
            consumed = max(consumed, tail.end)
            continue
        unitless = not tail.unit and not bare and not symbol_before(norm, a.start)
        if unitless and tail.end == a.end:
            continue  # no quantity, and a rejection would consume nothing past the numeral
        if blocks.reject(a):
            consumed = max(consumed, tail.end)
            continue
        if unitless:
            continue
        q = make_single(text, norm, a, tail, end, start, base)
        if q is not None:
            out.append(q)
            consumed = q.end - base
    out.sort(key=lambda q: q.start)
    return out, plain
