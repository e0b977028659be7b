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

TextOrPath = Union[str, "os.PathLike[str]"]

TEXT_SUFFIXES = (".txt", ".text", ".htm", ".html", ".md", ".xml")
# A str this short with no line break that names an existing file, or ends like a file name, is a path.
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
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
_HTML_HINT = re.compile(r"</?(?:p|br|div|span|html|body|td|li|h[1-6]|strong|img|a)\b[^>]*>|&(?:nbsp|ldquo|rdquo|amp|lt|gt|quot|#\d+);", re.I)
_HTML_DROP = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_HTML_TAG = re.compile(r"<[^<>]{0,2000}>")
_HTML_BLOCK = re.compile(r"</?(?:p|br|div|li|tr|h[1-6]|table|section|article|ul|ol)\b", re.I)
_HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")


class InputError(ValueError):
    """Input reportie cannot read: a missing, unreadable or binary file. The message names it."""


def is_path_like(obj: object) -> bool:
    """Whether ``extract(obj)`` treats ``obj`` as a file rather than as report text."""
    if isinstance(obj, os.PathLike):
        return True
    if not isinstance(obj, str) or "\n" in obj or not obj.strip() or len(obj) > MAX_PATH_CHARS:
        return False
    candidate = obj.strip()
    try:
        if Path(candidate).is_file():
            return True
    except (OSError, ValueError):
        return False
    return candidate.lower().endswith(TEXT_SUFFIXES)


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Decode a report's bytes: BOMs first, then UTF-8, then GB18030 (which covers GBK and GB2312)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError as err:
                raise InputError(f"{name}: starts with a {encoding} byte-order mark but does not decode ({err.reason})") from None
    if b"\x00" in data[:4096] and data.count(b"\x00") > len(data) // 100:
        raise InputError(f"{name}: looks like a binary file, not a text report")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(f"{name}: not UTF-8, UTF-16 or GB18030 text (binary file?)")
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


def read_file(path: "os.PathLike[str] | str") -> str:
    """Read and decode a report file; every failure is an ``InputError`` naming the file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a report file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or err})") from None
    return decode(data, str(path))


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
    """``(clean text, source name)`` for a path or a string; ``InputError`` on bad input."""
    if isinstance(obj, bytes):
        return clean(decode(obj)), None
    if is_path_like(obj):
        path = os.fspath(obj).strip()  # type: ignore[arg-type]
        return clean(read_file(path)), path
    if not isinstance(obj, str):
        raise InputError(f"expected report text, a path or bytes, got {type(obj).__name__}")
    return clean(obj), None
