"""From a path or a string to clean text whose offsets still match the input.

Clean-up never changes the length of the text: markup, entities and control characters are
blanked with spaces (or a line break where an HTML block ends), so every offset reportie
reports points at the same place in the original input.
"""

from __future__ import annotations

import codecs
import html
import os
import re
from pathlib import Path
from typing import Tuple, Union

TextOrPath = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]

TEXT_SUFFIXES = (".txt", ".text", ".htm", ".html", ".md", ".xml")
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".doc")
KNOWN_SUFFIXES = TEXT_SUFFIXES + DOCUMENT_SUFFIXES
# A str this long or longer, or with a line break, is always report text (see ``is_path_like``).
MAX_PATH_CHARS = 1024
# Share of control characters (after decoding) above which a file is taken for binary.
BINARY_CONTROL_SHARE = 0.05
# Share of private-use characters (of the non-ASCII ones) above which GB18030 was the wrong guess.
MISREAD_SHARE = 0.05

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
# control characters, BOM and noncharacters; lone surrogates (a mis-decoded byte) are no text either
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
_HTML_HINT = re.compile(r"</?(?:p|br|div|span|html|body|td|li|h[1-6]|strong|img|a)\b[^>]*>|&(?:nbsp|ldquo|rdquo|amp|lt|gt|quot|#\d+);", re.I)
_HTML_DROP = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_HTML_TAG = re.compile(r"<[^<>]{0,2000}>")
_HTML_BLOCK = re.compile(r"</?(?:p|br|div|li|tr|h[1-6]|table|section|article|ul|ol)\b", re.I)
_HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")


_UTF16_HINT = ("{name}: looks like UTF-16 text without a byte-order mark (BOM): "
               "save it as UTF-8, or as UTF-16 with a BOM")


class InputError(ValueError):
    """Input reportie cannot read: a missing, unreadable or binary file. The message names it."""


def is_path_like(obj: object) -> bool:
    """Whether ``extract(obj)`` treats ``obj`` as a file rather than as report text.

    A ``pathlib.Path`` (any ``os.PathLike``) is a path. A ``str`` is a path when it is one line
    of at most 1,024 characters and either names an existing file or directory, or has no
    Chinese character and looks like a path: it ends in a known suffix (``.txt``, ``.text``,
    ``.htm``, ``.html``, ``.md``, ``.xml``, ``.pdf``, ``.docx``, ``.doc``) or contains a path
    separator (``/`` or ``\\``) and no space. Reading such a path that is missing or a
    directory raises ``InputError``; everything else is report text.
    """
    if isinstance(obj, os.PathLike):
        return True
    if not isinstance(obj, str) or "\n" in obj or "\r" in obj or not obj.strip() or len(obj) > MAX_PATH_CHARS:
        return False
    candidate = obj.strip()
    try:
        if Path(candidate).exists():
            return True
    except (OSError, ValueError):
        return False
    if _CJK.search(candidate):
        return candidate.lower().endswith(TEXT_SUFFIXES)  # 附件.txt: a file name in Chinese
    if candidate.lower().endswith(KNOWN_SUFFIXES):
        return True
    return ("/" in candidate or "\\" in candidate) and not any(ch.isspace() for ch in candidate)


def _plausible(text: str) -> bool:
    """Whether decoded text reads like a report: ASCII, CJK and their punctuation, few others."""
    if not text:
        return False
    good = sum(1 for ch in text if (" " <= ch <= "~") or ch in "\t\n\r" or _CJK.match(ch))
    return good >= 0.9 * len(text)


def _utf16_without_bom(data: bytes) -> bool:
    if len(data) < 4 or len(data) % 2:
        return False
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            if _plausible(data[:65536].decode(encoding, errors="strict")):
                return True
        except UnicodeDecodeError:
            continue
    return False


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Decode a report's bytes: BOMs first, then UTF-8, then GB18030 (which covers GBK and GB2312)."""
    data = bytes(data)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError as err:
                raise InputError(f"{name}: starts with a {encoding} byte-order mark but does not decode ({err.reason})") from None
    utf16 = _UTF16_HINT.format(name=name)
    if b"\x00" in data[:4096] and data.count(b"\x00") > len(data) // 100:
        if _utf16_without_bom(data):
            raise InputError(utf16)
        raise InputError(f"{name}: looks like a binary file, not a text report")
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        if _utf16_without_bom(data):
            raise InputError(utf16) from None
        try:
            text = data.decode("gb18030")
            encoding = "gb18030"
        except UnicodeDecodeError:
            raise InputError(f"{name}: not UTF-8, UTF-16 or GB18030 text (binary file?)") from None
    if encoding == "gb18030" and _misread(text):
        # Big5 (and other double-byte encodings) "decode" as GB18030 into private-use garbage.
        raise InputError(f"{name}: not UTF-8, UTF-16 or GB18030 text (Big5 or another encoding?)")
    if text and len(_CONTROL.findall(text)) > BINARY_CONTROL_SHARE * len(text):
        raise InputError(f"{name}: looks like a binary file, not a text report")
    return text


def _misread(text: str) -> bool:
    """Whether GB18030-decoded text is mostly not Chinese: private-use characters, which real
    reports never contain, make up more than ``MISREAD_SHARE`` of its non-ASCII characters."""
    wide = sum(1 for ch in text if ord(ch) > 0x7F)
    private = sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff")
    return wide > 0 and private > MISREAD_SHARE * wide


def read_bytes(path: "os.PathLike[str] | str") -> bytes:
    """A report file's bytes; every failure is an ``InputError`` naming the file."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a report file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or err})") from None


def decode_any(data: bytes, name: str = "<bytes>", suffix: str = "") -> str:
    """Text of a report's bytes: a PDF's text layer, a DOCX's paragraphs, or decoded text."""
    from .inputs import kind_of, read_document

    kind = kind_of(data, suffix.lower())
    if kind is not None:
        return read_document(data, kind, name)
    return decode(data, name)


def read_file(path: "os.PathLike[str] | str") -> str:
    """Read and decode a report file (text, HTML, PDF or DOCX); failures are ``InputError``."""
    path = Path(path)
    return decode_any(read_bytes(path), str(path), path.suffix)


def _blank(match: "re.Match[str]") -> str:
    return " " * len(match.group(0))


def _blank_tag(match: "re.Match[str]") -> str:
    tag = match.group(0)
    # A block tag becomes a line break so sentences and headings stay apart.
    return ("\n" + " " * (len(tag) - 1)) if _HTML_BLOCK.match(tag) else " " * len(tag)


def _entity(match: "re.Match[str]") -> str:
    raw = match.group(0)
    char = html.unescape(raw)
    if len(char) != 1 or char == raw or _CONTROL.match(char):
        return " " * len(raw)
    char = " " if char == "\u00a0" else char
    return char + " " * (len(raw) - 1)


def clean(text: str) -> str:
    """Blank control characters and, in HTML input, markup and entities, keeping the length."""
    text = _CONTROL.sub(_blank, text)
    if _HTML_HINT.search(text):
        text = _HTML_DROP.sub(_blank, text)
        text = _HTML_TAG.sub(_blank_tag, text)
        text = _HTML_ENTITY.sub(_entity, text)
    return text


def read_input(obj: object) -> Tuple[str, "str | None"]:
    """``(clean text, source name)`` for a path, a string or bytes; ``InputError`` on bad input."""
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return clean(decode_any(bytes(obj))), None
    if is_path_like(obj):
        path = os.fspath(obj).strip()  # type: ignore[arg-type]
        return clean(read_file(path)), path
    if not isinstance(obj, str):
        raise InputError(f"expected report text, a path or bytes, got {type(obj).__name__}")
    return clean(obj), None
