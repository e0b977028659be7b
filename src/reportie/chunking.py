"""Long lines cut into pieces before word segmentation, so that time and memory stay linear.

spacy_pkuseg segments each whitespace-free stretch of the text in one call that builds a feature
list per character; on one long stretch (a 2 MB line of ASCII without spaces, a web page with
the whole report on one line) that call grows faster than the text and holds hundreds of MB.
``cut_in_pieces`` gives the segmenter lines of at most ``MAX_PIECE`` characters: a longer line
is cut after a sentence end (。！？；!?;), else after a comma or a space, else between a Chinese
and a non-Chinese character, else anywhere. Lines of ordinary reports are far shorter, so their
segmentation is unchanged; a cut only ever moves a word boundary at the cut itself.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, List

MAX_PIECE = 10_000
# Preferred cut points, best first: after a sentence end, after a comma/space, at a script change.
_CUTS = (
    re.compile(r"[。！？；!?;]"),
    re.compile(r"[，、,：:\s]"),
    re.compile(r"(?<=[\u3400-\u9fff])(?=[^\u3400-\u9fff])|(?<=[^\u3400-\u9fff])(?=[\u3400-\u9fff])"),
)


def _cut_at(text: str, start: int, limit: int) -> int:
    """End of the piece that starts at ``start``: at most ``limit`` characters, at a good place."""
    end = start + limit
    if end >= len(text):
        return len(text)
    low = start + limit // 2  # never a piece shorter than half the limit (linear time)
    for pattern in _CUTS:
        best = -1
        for match in pattern.finditer(text, low, end):
            best = match.end() if match.end() > match.start() else match.start()
        if best > start:
            return best
    return end


def pieces(text: str, limit: int = MAX_PIECE) -> Iterator[str]:
    """``text`` as consecutive pieces (their concatenation is ``text``), lines kept whole when
    they are at most ``limit`` characters long."""
    pos = 0
    n = len(text)
    while pos < n:
        newline = text.find("\n", pos)
        line_end = n if newline < 0 else newline + 1
        if line_end - pos <= limit:
            # gather short lines into one piece of at most ``limit`` characters
            end = line_end
            while end < n:
                nxt = text.find("\n", end)
                nxt_end = n if nxt < 0 else nxt + 1
                if nxt_end - pos > limit:
                    break
                end = nxt_end
            yield text[pos:end]
            pos = end
            continue
        end = _cut_at(text, pos, limit)
        yield text[pos:end]
        pos = end


def iter_cut(segmenter: Any, text: str, limit: int = MAX_PIECE) -> Iterator[str]:
    """The words of ``segmenter.cut(text)``, segmented piece by piece and streamed."""
    for piece in pieces(text, limit):
        yield from segmenter.cut(piece)


def cut_in_pieces(segmenter: Any, text: str, limit: int = MAX_PIECE) -> List[str]:
    """``segmenter.cut(text)`` piece by piece: the same words on ordinary text, linear on any."""
    return list(iter_cut(segmenter, text, limit))
