"""``reportie extract``: inputs checked up front, outputs checked before any work."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Tuple, Union

from ..reading import DOCUMENT_SUFFIXES, TEXT_SUFFIXES, InputError, decode_any, read_input
from .writers import FORMATS, TABLES, CliError, check_output, write

EXIT_INPUT = 2
EXIT_SKIPPED = 1
READABLE_SUFFIXES = tuple(s for s in TEXT_SUFFIXES if s != ".xml") + DOCUMENT_SUFFIXES
STDIN = "-"

Item = Union[Path, bytes]


def _expand(raw: str) -> List[Path]:
    path = Path(raw)
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES
                       and not p.name.startswith("."))
        if not found:
            raise InputError(f"{path}: directory holds no .txt, .html, .md, .pdf or .docx reports")
        return found
    return [path]


def collect_inputs(raws: List[str]) -> Tuple[List[Item], List[str]]:
    """Every input read and decoded once, before any extraction: ``(readable items, one
    message per unreadable input)``. Standard input (``-``) is read here, once."""
    items: List[Item] = []
    problems: List[str] = []
    if raws.count(STDIN) > 1:
        raise CliError("standard input (-) can be given once")
    for raw in raws:
        if raw == STDIN:
            data = sys.stdin.buffer.read()
            try:
                decode_any(data, "<stdin>")
            except InputError as err:
                problems.append(str(err))
                continue
            items.append(data)
            continue
        try:
            files = _expand(raw)
        except InputError as err:
            problems.append(str(err))
            continue
        for path in files:
            try:
                read_input(path)  # missing, a directory, binary, an unknown encoding, a scanned PDF…
            except InputError as err:
                problems.append(str(err))
                continue
            items.append(path)
    return items, problems


def cmd_extract(args: argparse.Namespace) -> int:
    from ..corpus import extract_many

    if args.n_process < 1:
        raise CliError(f"--n-process must be at least 1, got {args.n_process}")
    args.output_raw = args.output
    args.output = None if args.output in (None, STDIN) else Path(args.output)
    check_output(args)  # before reading anything: a bad --output costs no work
    items, problems = collect_inputs(args.paths)
    if problems and not args.skip_bad:
        for message in problems[:-1]:
            print(f"reportie: error: {message}", file=sys.stderr)
        raise InputError(problems[-1])
    for message in problems:
        print(f"reportie: skipped {message}", file=sys.stderr)
    if not items:
        raise CliError("no readable input left to extract (all were skipped)")
    reports = extract_many(items, n_process=args.n_process, progress=len(items) > 1 and not args.quiet)
    write(reports, args)
    if problems:
        print(f"reportie: {len(problems)} input(s) skipped, {len(items)} extracted", file=sys.stderr)
        return EXIT_SKIPPED
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser(
        "extract", help="extract sentences, categories and quantities from reports",
        description="Extract sentences, categories and quantities. Every input is checked before any "
                    "extraction; outputs are written to a temporary file and renamed into place.")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="report files (.txt/.html/.md in UTF-8, GB18030 or UTF-16 with BOM; .pdf with a text "
                        "layer; .docx), directories of them, or - for standard input")
    p.add_argument("--format", choices=FORMATS, default="table",
                   help="table (default), json, jsonl: one file or standard output; csv, parquet: a directory "
                        "of three tables (or one with --table); html: a directory of pages")
    p.add_argument("--output", metavar="OUT",
                   help="output file (table/json/jsonl, csv/parquet with --table) or directory (csv/parquet/html); "
                        "default: standard output where the format allows it")
    p.add_argument("--table", choices=TABLES, help="csv/parquet: write only this table, to --output FILE or stdout")
    p.add_argument("--n-process", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--with-text", action="store_true", help="include the full report text in json/jsonl")
    p.add_argument("--skip-bad", action="store_true",
                   help="leave out unreadable inputs (listed on stderr), extract the rest, exit with code 1")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_extract)
