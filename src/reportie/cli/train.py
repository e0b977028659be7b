"""``reportie train``: train the sentence classifier from ``annotations/`` (the options it shares
with ``reportie evaluate`` are added by :func:`add_training_options`)."""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_train(args: argparse.Namespace) -> int:
    from ..training import train

    card = train(annotations_dir=args.annotations, model_dir=args.model_dir, seeds_dir=args.seeds, progress=not args.quiet)
    sources = ", ".join(f"{n} {source}" for source, n in card["n_by_source"].items())
    print(f"trained on {card['n_sentences']} sentences of {card['n_documents']} documents ({sources}); "
          f"model sha256 {card['sha256'][:12]}")
    return 0


def add_training_options(p: argparse.ArgumentParser) -> None:
    """``--annotations``, ``--seeds``, ``--model-dir``, ``--quiet`` (train and evaluate)."""
    p.add_argument("--annotations", type=Path, default=Path("annotations"))
    p.add_argument("--seeds", type=Path, default=None, help="the seed reports (default: seeds/ beside annotations/)")
    p.add_argument("--model-dir", type=Path, default=None,
                   help="where train writes the model (default: the one shipped in the package)")
    p.add_argument("--quiet", action="store_true")


def add_parser(sub) -> None:
    p = sub.add_parser("train", help="train the sentence classifier from annotations/")
    add_training_options(p)
    p.set_defaults(func=cmd_train)
