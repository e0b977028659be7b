"""Pure parsing of numerals as they appear in Chinese people's-congress reports.

No spaCy, no pandas, no state: every function here is a pure function of its input. The words
(digits, magnitudes, traditional and financial forms, range pairs, vague prefixes) live in
``data/numerals.json`` and ``data/exclusions.json``; this package holds the mechanism, one job
per module:

- :mod:`~reportie.numbers.base` -- the records (:class:`Numeral`, :class:`NumeralMatch`), the
  error, :data:`SPACES` and :func:`load_data` (the old name of ``reportie.datafiles.load_json``);
- :mod:`~reportie.numbers.vocab` -- the compiled vocabulary of ``data/numerals.json``;
- :mod:`~reportie.numbers.chars` -- :func:`normalize`, length-preserving (full-width -> ASCII,
  traditional and financial numerals -> plain simplified numerals), so offsets stay valid;
- :mod:`~reportie.numbers.exact` -- :func:`parse_number` (one exact numeral string -> ``float``;
  raises :class:`NumeralError` on anything else) and :func:`try_parse_number`;
- :mod:`~reportie.numbers.numeral` -- :func:`parse_numeral`: one numeral that may also be an
  adjacent-numeral range (``两三`` -> 2..3, ``七八十`` -> 70..80), a vague form (``十几`` ->
  10..20, ``数百`` -> 100..1000) or carry an inner approximation (``十多万``, ``500余万``) ->
  :class:`Numeral`; and :func:`try_parse_numeral`;
- :mod:`~reportie.numbers.find` -- :func:`find_numerals` (every numeral in a text, numeral-only
  spans; used for numeral-level checks, not for quantities) and :func:`numeral_spans`.

Rules (spec §2 ``value``): 万/亿/千/百 are applied, Chinese numerals are converted
(``两`` = 2, ``十`` = 10, ``一百二十`` = 120), mixed forms work (``3万4000``, ``1千零1``,
``2.6亿``, ``25万6千``), abbreviated tails follow usage (``一万三`` = 13000, ``两千四百五`` =
2450), adjacent numerals are never glued (``两三`` is 2..3, never 23; a digit-by-digit
reading such as ``二〇二三`` = 2023 needs three digits or a 零).
"""

from __future__ import annotations

from .base import SPACES, Numeral, NumeralError, NumeralMatch, load_data
from .chars import normalize, without_spaces
from .exact import parse_number, try_parse_number
from .find import find_numerals, in_lexical_word, lexical_spans, normalized_lexical_spans, numeral_spans
from .numeral import parse_numeral, try_parse_numeral

__all__ = [
    "NumeralError",
    "Numeral",
    "NumeralMatch",
    "normalize",
    "parse_number",
    "try_parse_number",
    "parse_numeral",
    "try_parse_numeral",
    "find_numerals",
    "load_data",
    "SPACES",
    "without_spaces",
    "numeral_spans",
    "lexical_spans",
    "normalized_lexical_spans",
    "in_lexical_word",
]
