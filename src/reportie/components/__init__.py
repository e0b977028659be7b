"""spaCy components of the reportie pipeline, one factory per module.

Importing this package registers the factories; values written onto the Doc are plain lists
and dicts so that Docs survive ``nlp.pipe(n_process=...)`` and ``DocBin``.
"""

from . import doctext, quantities, sections  # noqa: F401  (registers the factories)
