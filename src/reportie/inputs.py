"""PDF (text layer) and DOCX reports: their text, as ``Report.text``.

``Report.text`` is the text extracted here and every offset indexes it (there is no other
"input" text to point into). PDF text is read with ``pypdf``, DOCX with ``python-docx``; both are
dependencies of reportie (``pip install reportie`` brings them). A PDF without a text layer (a
scanned page) is an ``InputError``: OCR it first.

Lines a PDF wrapped to fit the page are joined again (a line as wide as the page's widest lines
and without end punctuation continues on the next), so that sentences, which end at line breaks
too, are not cut at every wrap.
"""

from __future__ import annotations

import io
import logging
import re
from typing import List, Optional

from .reading import InputError

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc (and .xls, .ppt)
# A line at least this share of the page's widest line, with no end punctuation, wraps on.
WRAP_SHARE = 0.85
_END = tuple("。！？；：!?;:…")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")

logging.getLogger("pypdf").addHandler(logging.NullHandler())  # no warnings on stderr for a damaged file


def kind_of(data: bytes, suffix: str) -> Optional[str]:
    """``"pdf"``, ``"docx"``, ``"doc"`` or None (a text file), from the content, then the suffix."""
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(OLE_MAGIC):
        return "doc"
    if data.startswith(ZIP_MAGIC) and (suffix == ".docx" or b"word/" in data[:65536]):
        return "docx"
    return {".pdf": "pdf", ".docx": "docx", ".doc": "doc"}.get(suffix)


def read_document(data: bytes, kind: str, name: str) -> str:
    """The text of a PDF or DOCX file's bytes; ``InputError`` naming ``name`` if it has none."""
    if kind == "pdf":
        return pdf_text(data, name)
    if kind == "docx":
        return docx_text(data, name)
    raise InputError(f"{name}: a Word 97-2003 .doc file: save it as .docx, .txt or PDF")


def _width(line: str) -> int:
    return len(line) + len(_CJK.findall(line))  # CJK characters are twice as wide


def unwrap(pages: List[str]) -> str:
    """The pages' text with the lines the PDF wrapped to the page width joined again (across a
    page break too); pages are separated by a line break."""
    lines: List[str] = []
    full: List[bool] = []
    for page in pages:
        page_lines = [ln.rstrip() for ln in page.splitlines()]
        widest = max((_width(ln) for ln in page_lines), default=0)
        lines.extend(page_lines)
        full.extend(bool(ln) and _width(ln) >= WRAP_SHARE * widest and not ln.endswith(_END) for ln in page_lines)
    out: List[str] = []
    for n, line in enumerate(lines):
        out.append(line)
        if n + 1 == len(lines):
            break
        nxt = lines[n + 1].lstrip()
        if full[n] and nxt:
            latin = line[-1].isascii() and line[-1].isalnum() and nxt[:1].isascii() and nxt[:1].isalnum()
            out.append(" " if latin else "")
        else:
            out.append("\n")
    return "".join(out)


def pdf_text(data: bytes, name: str) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a dependency
        raise InputError(f"{name}: reading PDF needs pypdf: pip install pypdf") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name}: an encrypted PDF: save it without a password first")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception as err:  # pypdf raises many kinds of error on a damaged file
        raise InputError(f"{name}: not a readable PDF ({type(err).__name__}: {_one_line(err)})") from None
    if not pages:
        raise InputError(f"{name}: a PDF with no pages")
    if not any(page.strip() for page in pages):
        raise InputError(f"{name}: a PDF without a text layer (a scan?): run OCR on it first, then extract the text")
    return unwrap(pages)


def docx_text(data: bytes, name: str) -> str:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise InputError(f"{name}: reading DOCX needs python-docx: pip install python-docx") from None
    try:
        document = docx.Document(io.BytesIO(data))
        lines: List[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:  # one line per row, cells separated by a tab
                    lines.append("\t".join(cell.text.replace("\n", " ") for cell in row.cells))
    except Exception as err:  # zipfile.BadZipFile, PackageNotFoundError, lxml's XMLSyntaxError…: a damaged file
        raise InputError(f"{name}: not a readable DOCX file ({type(err).__name__}: {_one_line(err)})") from None
    return "\n".join(lines)


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())[:200] or "damaged"
