"""The ``reportie`` command line: thin, it parses arguments and calls the library.

One module per command (``extract``; ``annotate`` lives in ``reportie.annotations``); the output
formats of ``extract`` are a table of writers (``writers.WRITERS``).
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Optional, Sequence

from .. import __version__
from ..modelstore import ModelError
from ..reading import InputError
from .extract import EXIT_INPUT, READABLE_SUFFIXES, cmd_extract
from .writers import FORMATS, CliError

__all__ = ["main", "build_parser", "CliError", "FORMATS", "READABLE_SUFFIXES", "EXIT_INPUT", "cmd_extract"]


def cmd_model(args: argparse.Namespace) -> int:
    from .. import segmenter

    if args.action == "fetch":
        path = segmenter.fetch_model(force=args.force, progress=lambda msg: print(f"reportie: {msg}", file=sys.stderr))
        print(path)
    else:
        print(segmenter.model_dir())
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from ..training import train

    card = train(annotations_dir=args.annotations, model_dir=args.model_dir, seeds_dir=args.seeds, progress=not args.quiet)
    sources = ", ".join(f"{n} {source}" for source, n in card["n_by_source"].items())
    print(f"trained on {card['n_sentences']} sentences of {card['n_documents']} documents ({sources}); "
          f"model sha256 {card['sha256'][:12]}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from ..training import evaluate, format_evaluation

    print(format_evaluation(evaluate(annotations_dir=args.annotations, seeds_dir=args.seeds, progress=not args.quiet)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    from . import extract

    parser = argparse.ArgumentParser(prog="reportie", description="Chinese people's-congress work reports as data.")
    parser.add_argument("--version", action="version", version=f"reportie {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    extract.add_parser(sub)

    p = sub.add_parser("model", help="the pkuseg segmentation model")
    p.add_argument("action", choices=("fetch", "path"))
    p.add_argument("--force", action="store_true", help="fetch again even if cached")
    p.set_defaults(func=cmd_model)

    for name, func, text in (("train", cmd_train, "train the sentence classifier from annotations/"),
                             ("evaluate", cmd_evaluate, "leave-one-document-out evaluation per source (dev corpus, seeds, authored)")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--annotations", type=Path, default=Path("annotations"))
        p.add_argument("--seeds", type=Path, default=None, help="the seed reports (default: seeds/ beside annotations/)")
        p.add_argument("--model-dir", type=Path, default=None,
                       help="where train writes the model (default: the one shipped in the package)")
        p.add_argument("--quiet", action="store_true")
        p.set_defaults(func=func)

    from ..annotations import add_cli

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
