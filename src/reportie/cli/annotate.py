"""``reportie annotate export|import|resolve|lint``: the annotators' loop's arguments, checked and
handed to :mod:`reportie.annotation` (which holds the logic)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..annotation.lint import lint
from ..annotation.loop import SELECTIONS, export, expand_reports, output_paths
from ..annotation.merge import import_file, list_conflicts, resolve
from ..annotation.store import AnnotationError
from ..annotation.tools import FORMATS, read_users


def add_parser(subparsers: Any) -> None:
    """Add ``reportie annotate export|import|resolve|lint`` to the ``reportie`` parser."""
    parser = subparsers.add_parser("annotate", help="export sentences to Label Studio / doccano / Prodigy, "
                                                    "import answers, resolve conflicts, lint")
    actions = parser.add_subparsers(dest="action", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--annotations", type=Path, default=Path("annotations"), help="annotations directory (default annotations)")
        p.add_argument("--seeds", type=Path, default=None,
                       help="the seed reports (default: seeds/ beside the annotations directory, as for train)")

    p = actions.add_parser("export", help="write a review queue with the model's predictions as pre-annotation")
    p.add_argument("reports", nargs="*", metavar="REPORT_OR_DIR",
                   help="new reports to label (files or directories); default: every annotated report")
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("--select", choices=SELECTIONS, default="uncertain",
                   help="uncertain: smallest margin between the top two scores first, round-robin across reports "
                        "(default); all: document order; random: a random sample (--seed)")
    p.add_argument("--limit", type=int, help="at most N sentences")
    p.add_argument("--seed", type=int, default=0, help="random seed of --select random (default 0)")
    p.add_argument("--output", help="DIR/ (writes DIR/tasks.json and DIR/config.xml, or DIR/tasks.jsonl) or a "
                                    "file (doccano/prodigy default: stdout)")
    p.add_argument("--model-dir", type=Path, help="predict with the classifier in DIR instead of the shipped one")
    common(p)

    p = actions.add_parser("import", help="merge answers exported from Label Studio (JSON or JSON-MIN), doccano or Prodigy")
    p.add_argument("path", type=Path, help="the tool's export (format detected)")
    p.add_argument("--annotator", help="who answered, when the file names nobody (or renames its single user)")
    p.add_argument("--users", type=Path, help="JSON map of the tool's user ids to names, or Label Studio's /api/users list")
    p.add_argument("--role", choices=("annotator", "reviewer"), default="annotator",
                   help="reviewer: these labels replace older ones (the newest reviewer label decides)")
    p.add_argument("--reports", type=Path, action="append", default=[],
                   help="where new reports' texts are (default: reports/ beside the export file)")
    common(p)

    p = actions.add_parser("resolve", help="list conflicts, or settle one: resolve SID LABEL --by NAME")
    p.add_argument("sid", nargs="?", help="the sentence id doc:start:end")
    p.add_argument("label", nargs="?", help="the label it gets")
    p.add_argument("--by", help="the reviewer settling it")
    p.add_argument("--annotations", type=Path, default=Path("annotations"))

    p = actions.add_parser("lint", help="check annotations against the report texts and the spec")
    common(p)

    parser.set_defaults(func=cmd_annotate)


def cmd_annotate(args: argparse.Namespace) -> int:
    if args.action == "export":
        if args.limit is not None and args.limit < 0:
            raise AnnotationError("--limit must be >= 0")
        output_paths(args.format, args.output)  # wrong kinds of path: an error before any work
        expand_reports(args.reports)
        written = export(args.format, args.select, args.limit, args.output, args.annotations, args.seeds,
                         model_dir=args.model_dir, reports=args.reports, seed=args.seed)
        for path in written:
            print(f"wrote {path}", file=sys.stderr)
        return 0
    if args.action == "import":
        users = read_users(args.users) if args.users else None
        for folder in args.reports:
            if not folder.is_dir():
                raise AnnotationError(f"--reports {folder}: not a directory")
        report = import_file(args.path, args.annotator, args.annotations, args.seeds, role=args.role,
                             users=users, reports_dirs=args.reports)
        print(report.format_text())
        if report.new_conflicts:
            print(f"reportie: warning: {len(report.new_conflicts)} sentence(s) now have tied answers and are left out "
                  f"of training: `reportie annotate resolve` lists them", file=sys.stderr)
        return 0
    if args.action == "resolve":
        if args.sid is None:
            conflicts = list_conflicts(args.annotations)
            for key, answers in conflicts.items():
                print(f"{key}  " + ", ".join(f"{name}={label}" for name, label in sorted(answers.items())))
            print(f"{len(conflicts)} conflicts" + (": settle each with `reportie annotate resolve SID LABEL --by NAME`"
                                                  if conflicts else ""))
            return 0
        if args.label is None:
            raise AnnotationError("resolve SID LABEL --by NAME: the label is missing")
        change = resolve(args.sid, args.label, args.by, args.annotations)
        print(f"{change.sid}  {change.old or '(conflict)'} -> {change.new}  [{change.annotator}, reviewer]")
        return 0
    report = lint(args.annotations, args.seeds)
    print(report.format_text())
    return 0 if report.ok else 1
