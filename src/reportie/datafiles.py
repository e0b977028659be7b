"""The one loader of reportie's data files (``reportie/data``): read once, checked by a schema.

Every vocabulary, pattern and taxonomy file is read here and nowhere else. A JSON file may carry
comments as keys starting with ``_`` (dropped on load). A file with a schema in
``data/schemas/<file name>.schema.json`` (JSON Schema, checked with the ``jsonschema`` package, as
dateparser checks its language files) is validated on first load, so a bad edit fails with the
file, the place and the rule, not deep inside a rule that reads it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any, Dict, List

__all__ = ["DataFileError", "load_json", "load_jsonl", "read_text", "data_path", "schema_names"]


class DataFileError(ValueError):
    """A data file is missing, malformed or breaks its schema."""


def data_path(name: str) -> Any:
    """The file ``reportie/data/<name>`` as an importlib resource."""
    return resources.files("reportie").joinpath("data", *name.split("/"))


def read_text(name: str) -> str:
    """The text of ``reportie/data/<name>`` (schema-checked if it has a schema)."""
    return _read(name)


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
    """``reportie/data/<name>`` as a list of records (one JSON object per line), each checked."""
    rows = []
    for number, line in enumerate(_read(name).splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as err:
            raise DataFileError(f"reportie data file {name}, line {number}: not valid JSON ({err})") from None
    for number, row in enumerate(rows, 1):
        _check(name, row, where=f"record {number}")
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
    cls.check_schema(schema)
    return cls(schema)


def _check(name: str, data: Any, where: str = "") -> None:
    validator = _validator(name)
    if validator is None:
        return
    error = next(iter(sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))), None)
    if error is not None:
        place = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise DataFileError(f"reportie data file {name}{', ' + where if where else ''}, at {place}: {error.message}")
