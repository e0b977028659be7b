"""spaCy components of the reportie pipeline, one module per component.

Importing this package registers the factories ``reportie_sections``, ``reportie_quantities``
and ``reportie_classifier`` (alias ``report_classifier``), and the ruler's pattern readers
(``reportie.ruler_patterns.v1``, ``reportie.ruler_phrases.v1``; the ruler itself is spaCy's
``span_ruler``). What the components write onto a Doc is declared in :mod:`reportie.docspans`:
plain data, so that Docs survive ``nlp.pipe(n_process=...)`` and ``DocBin``.
"""

from . import classifier, quantities, rulers, sections  # noqa: F401  (registers the factories)
