"""``reportie evaluate``: leave-one-document-out evaluation of the sentence classifier, per source."""

from __future__ import annotations

import argparse

from .train import add_training_options


def cmd_evaluate(args: argparse.Namespace) -> int:
    from ..training import evaluate, format_evaluation

    print(format_evaluation(evaluate(annotations_dir=args.annotations, seeds_dir=args.seeds, progress=not args.quiet)))
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("evaluate", help="leave-one-document-out evaluation per source (dev corpus, seeds, authored)")
    add_training_options(p)
    p.set_defaults(func=cmd_evaluate)
