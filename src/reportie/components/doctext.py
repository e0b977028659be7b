"""``doc_text`` / ``doc_view`` now live in :mod:`reportie.docspans` (below the components, so
that ``features`` can read a Doc without importing a component); kept here for old imports."""

from __future__ import annotations

from ..docspans import doc_text, doc_view

__all__ = ["doc_text", "doc_view"]
