"""The output formats of ``reportie extract``, as a table of writers.

Each writer says what its ``--output`` is (one file, or a directory of files), whether standard
output is allowed, and how it writes a stream of Reports. Targets are checked before any
extraction (``check_output``) and written atomically (``atomic``).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Dict, Iterable, Optional

from ..report import Report
from .atomic import atomic_dir, atomic_file

TABLES = ("sentences", "quantities", "summary")
CLIP = 60  # columns of sentence text in the table format
LEGEND = (f"(# = a heading, which starts a section; text longer than {CLIP} columns is cut at …; "
          "--format jsonl --with-text has it in full)")


class CliError(Exception):
    """A usage problem the user can fix; printed as one line, exit code 2."""


@dataclass(frozen=True)
class Writer:
    name: str
    target: str  # "file": one file or standard output; "dir": a directory of files
    write: Callable  # (reports, target, args) -> None
    binary: bool = False
    stdout_ok: bool = True


# --------------------------------------------------------------------------- stream writers


def number(value: Optional[float]) -> str:
    """A value for people: thousands separators, never scientific notation (3,000,000; 84.38)."""
    if value is None:
        return ""
    if float(value).is_integer() and abs(value) < 1e18:
        return f"{int(value):,}"
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text if text not in ("0", "-0") else f"{value:.3g}"


def write_table(reports: Iterable[Report], out: IO, args) -> None:
    from ..tables import clip, render

    for report in reports:
        out.write(f"\n== {report.source or report.doc_id}  body={report.body}  level={report.level}  year={report.year}\n")
        out.write(f"\nsentences ({len(report.sentences)})  {LEGEND}\n")
        rows = [
            (i, s.label or "-", f"{s.scores.get(s.label, 0):.2f}" if s.label else "",
             ("# " if s.heading else "") + clip(s.text, CLIP))
            for i, s in enumerate(report.sentences)
        ]
        out.write(render(["#", "label", "score", "text"], rows) + "\n")
        out.write(f"\nquantities ({len(report.quantities)})\n")
        rows = [
            (q.sentence, q.text, number(q.value), "" if q.low is None else f"{number(q.low)}-{number(q.high)}", q.unit,
             q.kind, q.approx, q.indicator or "", q.record_type or "")
            for q in report.quantities
        ]
        out.write(render(["sent", "text", "value", "range", "unit", "kind", "approx", "indicator", "record_type"], rows) + "\n")


def write_jsonl(reports: Iterable[Report], out: IO, args) -> None:
    for report in reports:
        out.write(report.to_json(include_text=args.with_text) + "\n")


def write_json(reports: Iterable[Report], out: IO, args) -> None:
    out.write("[\n")
    for n, report in enumerate(reports):
        out.write((",\n" if n else "") + report.to_json(include_text=args.with_text, indent=1))
    out.write("\n]\n")


# --------------------------------------------------------------------------- tables and pages


def _frames(reports: Iterable[Report]):
    from ..frames import to_frame

    return to_frame(list(reports))._asdict()


def _save(frame, target, fmt: str) -> None:
    if fmt == "csv":
        frame.to_csv(target, index=False)
    else:
        frame.to_parquet(target, index=False)


def write_tables(reports: Iterable[Report], out, args) -> None:
    """csv/parquet: the three tables into a directory, or one (``--table``) into a file or stdout."""
    fmt = args.format
    frames = _frames(reports)
    if args.table:
        _save(frames[args.table], out, fmt)
        return
    for name in TABLES:
        _save(frames[name], out / f"{name}.{fmt}", fmt)
        print(f"wrote {args.output / f'{name}.{fmt}'} ({len(frames[name])} rows)", file=sys.stderr)


def write_pages(reports: Iterable[Report], out: Path, args) -> None:
    from ..html import write_html

    paths = write_html(reports, out)
    for path in paths:
        print(f"wrote {args.output / path.name}", file=sys.stderr)


WRITERS: Dict[str, Writer] = {
    w.name: w
    for w in (
        Writer("table", "file", write_table),
        Writer("json", "file", write_json),
        Writer("jsonl", "file", write_jsonl),
        Writer("csv", "dir", write_tables),
        Writer("parquet", "dir", write_tables, binary=True, stdout_ok=False),
        Writer("html", "dir", write_pages, stdout_ok=False),
    )
}
FORMATS = tuple(WRITERS)


def target_kind(args) -> str:
    """"file" or "dir": csv and parquet with ``--table`` write one file."""
    writer = WRITERS[args.format]
    return "file" if writer.target == "dir" and getattr(args, "table", None) else writer.target


# --------------------------------------------------------------------------- checks, before any work


def _writable_dir(folder: Path, output: Path) -> None:
    if not folder.is_dir():
        raise CliError(f"{output}: {folder} is not a directory")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CliError(f"{output}: cannot write in {folder} (permission denied)")


def check_output(args) -> None:
    """Every problem with ``--format``/``--output``/``--table`` as a ``CliError``, before any extraction."""
    fmt, output, writer = args.format, args.output, WRITERS[args.format]
    kind = target_kind(args)
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise CliError("--format parquet needs pyarrow: pip install 'reportie[parquet]'") from None
    if args.table and writer.target != "dir":
        raise CliError(f"--table is for --format csv or parquet, not --format {fmt}")
    if output is None:
        if fmt == "parquet":
            raise CliError("--format parquet needs --output DIR (three tables), or --table NAME --output FILE")
        if fmt == "csv" and not args.table:
            raise CliError("--format csv writes three tables (sentences, quantities, summary): give --output DIR, "
                           "or --table NAME to print one table")
        if fmt == "html":
            raise CliError("--format html writes one page per report and an index.html: give --output DIR")
        return
    if kind == "file":
        if output.is_dir() or str(args.output_raw).endswith(("/", os.sep)):
            raise CliError(f"{output}: is a directory; --format {fmt} writes one file: give a file name")
        parent = output.parent if str(output.parent) else Path(".")
        if not parent.exists():
            raise CliError(f"{output}: directory {parent} does not exist")
        _writable_dir(parent, output)
        return
    if output.exists() and not output.is_dir():
        raise CliError(f"{output}: exists and is not a directory; --format {fmt} writes a directory of files")
    if not output.exists() and output.suffix.lower() in (".csv", ".parquet", ".html", ".htm", ".json", ".jsonl"):
        what = ("sentences, quantities and summary tables" if fmt != "html" else "one page per report")
        hint = f", or add --table NAME to write one table to {output}" if fmt != "html" else ""
        raise CliError(f"{output}: --format {fmt} writes a directory ({what}): give a directory name{hint}")
    ancestor = output
    while not ancestor.exists():
        if ancestor.parent == ancestor:
            break
        ancestor = ancestor.parent
    _writable_dir(ancestor, output)


def write(reports: Iterable[Report], args) -> None:
    """Write ``reports`` in ``args.format`` to ``args.output`` (atomically) or standard output."""
    writer = WRITERS[args.format]
    if args.output is None:
        writer.write(reports, sys.stdout.buffer if writer.binary else sys.stdout, args)
        sys.stdout.flush()
        return
    if target_kind(args) == "file":
        with atomic_file(args.output, "wb" if writer.binary else "w") as out:
            writer.write(reports, out, args)
        if writer.target == "dir":
            print(f"wrote {args.output}", file=sys.stderr)
        return
    with atomic_dir(args.output) as folder:
        writer.write(reports, folder, args)
