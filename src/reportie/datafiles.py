"""The one loader of reportie's data files (``reportie/data``): read once, checked by a schema.

Every vocabulary, pattern and taxonomy file is read here and nowhere else. A JSON file may carry
comments as keys starting with ``_`` (dropped on load). A file with a schema in
``data/schemas/<file name>.schema.json`` (JSON Schema, checked with the ``jsonschema`` package, as
dateparser checks its language files) is validated on first load, so a bad edit fails with the
file, the place and the rule, not deep inside a rule that reads it. The two text files are
checked too: ``divisions.tsv`` (:func:`load_tsv`: the header, the column count, and each row as an
object against its schema) and ``user_dict.txt`` (:func:`load_lines`: each word against its
schema); a problem is reported with the file and the line. ``docs/data-files.md`` lists the files.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

__all__ = ["DataFileError", "load_json", "load_jsonl", "load_lines", "load_tsv", "parse_tsv", "read_text",
           "data_path", "schema_names"]


class DataFileError(ValueError):
    """A data file is missing, malformed or breaks its schema."""


def data_path(name: str) -> Any:
    """The file ``reportie/data/<name>`` as an importlib resource."""
    return resources.files("reportie").joinpath("data", *name.split("/"))


def read_text(name: str) -> str:
    """The text of ``reportie/data/<name>``; a word list (``.txt``) with a schema is checked line
    by line as :func:`load_lines` checks it."""
    text = _read(name)
    if name.endswith(".txt"):
        _lines(name, text)
    return text


def _read(name: str) -> str:
    try:
        return data_path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(f"reportie data file {name!r} is missing from the installed package") from None


@lru_cache(maxsize=None)
def load_json(name: str) -> Dict[str, Any]:
    """``reportie/data/<name>`` as a dict, ``_`` comment keys dropped, checked by its schema."""
    try:
        data = json.loads(_read(name))
    except json.JSONDecodeError as err:
        raise DataFileError(f"reportie data file {name}: not valid JSON ({err})") from None
    _check(name, data)
    if isinstance(data, dict):
        return {key: value for key, value in data.items() if not key.startswith("_")}
    return data


@lru_cache(maxsize=None)
def load_jsonl(name: str) -> List[Dict[str, Any]]:
    """``reportie/data/<name>`` as a list of records (one JSON object per line), each checked;
    a problem is reported with its line number."""
    rows = []
    for number, line in enumerate(_read(name).splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise DataFileError(f"reportie data file {name}, line {number}: not valid JSON ({err})") from None
        _check(name, row, where=f"line {number}")
        rows.append(row)
    return rows


@lru_cache(maxsize=None)
def load_lines(name: str) -> Tuple[str, ...]:
    """The entries of a word list ``reportie/data/<name>``: one a line, stripped, blank lines and
    lines starting with ``#`` skipped, each checked by the file's schema (a string schema)."""
    return _lines(name, _read(name))


def _lines(name: str, text: str) -> Tuple[str, ...]:
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.strip()
        if entry and not entry.startswith("#"):
            _check(name, entry, where=f"line {number}")
            out.append(entry)
    return tuple(out)


def load_tsv(name: str, columns: Sequence[str]) -> List[Dict[str, str]]:
    """The rows of the tab-separated table ``reportie/data/<name>`` (see :func:`parse_tsv`)."""
    return parse_tsv(name, _read(name), columns)


def parse_tsv(name: str, text: str, columns: Sequence[str]) -> List[Dict[str, str]]:
    """The rows of a tab-separated table (the text of data file ``name``) as dicts of ``columns``:
    the first line must be the column names, every row must have as many fields, and each row is
    checked as an object against the file's schema. A problem raises :class:`DataFileError` naming
    the file and the line."""
    lines = text.splitlines()
    columns = tuple(columns)
    if not lines or tuple(lines[0].split("\t")) != columns:
        raise DataFileError(f"reportie data file {name}, line 1: the header must be {chr(9).join(columns)!r}")
    fast = _row_checker(name)
    rows = []
    for number, line in enumerate(lines[1:], 2):
        fields = line.split("\t")
        if len(fields) != len(columns):
            raise DataFileError(f"reportie data file {name}, line {number}: {len(fields)} fields, "
                                f"expected {len(columns)} ({', '.join(columns)})")
        row = dict(zip(columns, fields))
        if fast is None or not fast(row):
            _check(name, row, where=f"line {number}")
        rows.append(row)
    return rows


def schema_names() -> List[str]:
    """The data files that have a schema (``data/schemas/*.schema.json``)."""
    folder = data_path("schemas")
    return sorted(p.name[: -len(".schema.json")] for p in folder.iterdir() if p.name.endswith(".schema.json"))


@lru_cache(maxsize=None)
def _validator(name: str) -> Any:
    schema_file = data_path(f"schemas/{name.replace('/', '__')}.schema.json")
    if not schema_file.is_file():
        return None
    import jsonschema  # imported on first load only (about 0.1 s)

    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    # The schemas themselves are checked against their metaschema by tests/test_datafiles.py, not
    # here: that check costs 20-250 ms a schema, on every process's first extraction.
    return cls(schema, format_checker=cls.FORMAT_CHECKER)  # "format": "regex" compiles the pattern


_SIMPLE = {"type", "pattern", "enum", "minLength", "maxLength", "description"}


@lru_cache(maxsize=None)
def _row_checker(name: str) -> Optional[Callable[[Dict[str, str]], bool]]:
    """A quick test that a row of strings passes the file's schema, for tables of thousands of rows
    (jsonschema takes ~35 µs a row): a row it does not pass is checked by jsonschema, which gives
    the message. ``None`` (every row goes to jsonschema) unless the schema is an object of string
    columns with only type/pattern/enum/minLength/maxLength, so that passing it means passing the
    schema."""
    validator = _validator(name)
    schema = validator.schema if validator is not None else {}
    props = schema.get("properties", {})
    if set(schema) - {"$schema", "title", "description", "type", "required", "additionalProperties",
                      "properties"} or schema.get("additionalProperties") is not False \
            or set(schema.get("required", ())) != set(props) \
            or any(set(p) - _SIMPLE or p.get("type", "string") != "string" for p in props.values()):
        return None
    tests = [(key, re.compile(p["pattern"]) if "pattern" in p else None, p.get("enum"),
              p.get("minLength", 0), p.get("maxLength")) for key, p in props.items()]

    def passes(row: Dict[str, str]) -> bool:
        return row.keys() == props.keys() and all(
            (pattern is None or pattern.search(row[key])) and (enum is None or row[key] in enum)
            and len(row[key]) >= low and (high is None or len(row[key]) <= high)
            for key, pattern, enum, low, high in tests)

    return passes


def _check(name: str, data: Any, where: str = "") -> None:
    validator = _validator(name)
    if validator is None:
        return
    error = next(iter(sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))), None)
    if error is not None:
        place = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise DataFileError(f"reportie data file {name}{', ' + where if where else ''}, at {place}: {error.message}")
