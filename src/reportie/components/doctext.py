"""A Doc's text (and its simplified view), read once: ``Doc.text`` builds every Token and joins their texts on each access.

The tokenizer stores the text it was given (the Doc's text by construction); every component
reads it from here. A Doc made elsewhere gets it computed and stored on first use.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..script import simplified_view

if not Doc.has_extension("reportie_text"):
    Doc.set_extension("reportie_text", default=None)
if not Doc.has_extension("reportie_view"):
    Doc.set_extension("reportie_view", default=None)


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed at most once per Doc."""
    text = doc._.reportie_text
    # O(1) guard against a Doc carrying another Doc's text (e.g. copied user data)
    if text is None or (len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) != len(text)):
        text = doc.text
        doc._.reportie_text = text
    return text


def doc_view(doc: Doc) -> str:
    """The Doc's text as the readers of words see it (:func:`reportie.script.simplified_view`:
    simplified, half-width digits; the same length), computed at most once per Doc."""
    text = doc_text(doc)
    view = doc._.reportie_view
    if view is None or len(view) != len(text):
        view = simplified_view(text)
        doc._.reportie_view = view
    return view
