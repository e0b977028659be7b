"""``reportie model fetch|path|where``: fetch the pkuseg segmentation model into the cache, or
print the model folder in use (``where`` is another name for ``path``)."""

from __future__ import annotations

import argparse
import sys

ACTIONS = ("fetch", "path", "where")


def cmd_model(args: argparse.Namespace) -> int:
    from .. import segmenter

    if args.action == "fetch":
        path = segmenter.fetch_model(force=args.force, progress=lambda msg: print(f"reportie: {msg}", file=sys.stderr))
        print(path)
    else:
        print(segmenter.model_dir())
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("model", help="the pkuseg segmentation model")
    p.add_argument("action", choices=ACTIONS,
                   help="fetch: fetch the pkuseg 'default' model from PyPI (research/academic use only); "
                        "path (or where): print the model folder in use")
    p.add_argument("--force", action="store_true", help="fetch again even if cached")
    p.set_defaults(func=cmd_model)
