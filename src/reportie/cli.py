"""The ``reportie`` command line: thin, it parses arguments and calls the library."""

from __future__ import annotations

import argparse
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Iterable, List, Optional, Sequence

from .modelstore import ModelError
from .reading import InputError

EXIT_INPUT = 2
FORMATS = ("table", "json", "jsonl", "csv", "parquet", "html")
READABLE_SUFFIXES = (".txt", ".text", ".htm", ".html", ".md")


class CliError(Exception):
    """A usage problem the user can fix; printed as one line, exit code 2."""


def _expand(paths: Sequence[str]) -> List[Path]:
    files: List[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES)
            if not found:
                raise InputError(f"{path}: directory holds no .txt or .html reports")
            files.extend(found)
        else:
            files.append(path)
    return files


def _print_table(reports: Iterable, out) -> None:
    from .tables import clip, render

    for report in reports:
        out.write(f"\n== {report.source or report.doc_id}  body={report.body}  level={report.level}  year={report.year}\n")
        out.write(f"\nsentences ({len(report.sentences)})\n")
        rows = [
            (i, s.label or "-", f"{s.scores.get(s.label, 0):.2f}" if s.label else "", ("# " if s.heading else "") + clip(s.text, 60))
            for i, s in enumerate(report.sentences)
        ]
        out.write(render(["#", "label", "score", "text"], rows) + "\n")
        out.write(f"\nquantities ({len(report.quantities)})\n")
        rows = [
            (q.sentence, q.text, f"{q.value:g}", "" if q.low is None else f"{q.low:g}-{q.high:g}", q.unit, q.kind,
             q.approx, q.indicator or "", q.record_type or "")
            for q in report.quantities
        ]
        out.write(render(["sent", "text", "value", "range", "unit", "kind", "approx", "indicator", "record_type"], rows) + "\n")


def _write_tables(reports, fmt: str, output: Optional[Path]) -> None:
    from .frames import to_frame

    frames = to_frame(list(reports))
    if output is None:
        frames.quantities.to_csv(sys.stdout, index=False)
        return
    output.mkdir(parents=True, exist_ok=True)
    for name, frame in frames._asdict().items():
        target = output / f"{name}.{fmt}"
        if fmt == "csv":
            frame.to_csv(target, index=False)
        else:
            try:
                frame.to_parquet(target, index=False)
            except ImportError:
                raise CliError("--format parquet needs pyarrow: pip install 'reportie[parquet]'") from None
        print(f"wrote {target} ({len(frame)} rows)", file=sys.stderr)


def cmd_extract(args: argparse.Namespace) -> int:
    from .corpus import extract_many

    if args.format == "parquet" and args.output is None:
        raise CliError("--format parquet needs --output DIR")
    files = _expand(args.paths)
    for path in files:  # fail before any work on a path that cannot exist
        if not path.exists():
            raise InputError(f"{path}: no such file")
    reports = extract_many(files, n_process=args.n_process, progress=len(files) > 1 and not args.quiet)
    fmt = args.format
    if fmt in ("csv", "parquet"):
        _write_tables(reports, fmt, args.output)
        return 0
    if fmt == "html":
        from .html import write_html

        for path in write_html(reports, args.output or Path("reportie-html")):
            print(f"wrote {path}", file=sys.stderr)
        return 0
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        if fmt == "table":
            _print_table(reports, out)
        elif fmt == "jsonl":
            for report in reports:
                out.write(report.to_json(include_text=args.with_text) + "\n")
        else:
            out.write("[\n")
            for n, report in enumerate(reports):
                out.write((",\n" if n else "") + report.to_json(include_text=args.with_text, indent=1))
            out.write("\n]\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def cmd_model(args: argparse.Namespace) -> int:
    from . import segmenter

    if args.action == "fetch":
        path = segmenter.fetch_model(force=args.force, progress=lambda msg: print(f"reportie: {msg}", file=sys.stderr))
        print(path)
    else:
        print(segmenter.model_dir())
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from .training import train

    card = train(annotations_dir=args.annotations, model_dir=args.model_dir, seeds_dir=args.seeds, progress=not args.quiet)
    print(f"trained on {card['n_sentences']} sentences ({card['n_seed']} seed, {card['n_authored']} authored); "
          f"model sha256 {card['sha256'][:12]}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .training import evaluate, format_evaluation

    print(format_evaluation(evaluate(annotations_dir=args.annotations, seeds_dir=args.seeds, progress=not args.quiet)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reportie", description="Chinese people's-congress work reports as data.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="extract sentences, categories and quantities from reports")
    p.add_argument("paths", nargs="+", help="report files (.txt/.html, UTF-8, GB18030 or UTF-16) or directories")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--output", type=Path, help="output file (json/jsonl/table) or directory (csv/parquet/html)")
    p.add_argument("--n-process", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--with-text", action="store_true", help="include the full report text in json/jsonl")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("model", help="the pkuseg segmentation model")
    p.add_argument("action", choices=("fetch", "path"))
    p.add_argument("--force", action="store_true", help="fetch again even if cached")
    p.set_defaults(func=cmd_model)

    for name, func, text in (("train", cmd_train, "train the sentence classifier from annotations/"),
                             ("evaluate", cmd_evaluate, "leave-one-report-out evaluation on seed sentences")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--annotations", type=Path, default=Path("annotations"))
        p.add_argument("--seeds", type=Path, default=None, help="the seed reports (default: seeds/ beside annotations/)")
        p.add_argument("--model-dir", type=Path, default=None,
                       help="where train writes the model (default: the one shipped in the package)")
        p.add_argument("--quiet", action="store_true")
        p.set_defaults(func=func)

    from .annotations import add_cli

    add_cli(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (InputError, CliError) as err:
        print(f"reportie: error: {err}", file=sys.stderr)
        return EXIT_INPUT
    except ModelError as err:
        print(f"reportie: model error: {err}", file=sys.stderr)
        return 1
    except BrokenProcessPool:
        print("reportie: error: a worker process died (out of memory?); try a smaller --n-process",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
