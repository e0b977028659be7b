"""The ``reportie`` command line: thin, it parses arguments and calls the library.

One module per command, each with ``add_parser(subparsers)`` and a ``cmd_<name>(args)``:
``extract``, ``model``, ``train``, ``evaluate``, ``annotate``, ``sentences`` (:data:`COMMANDS`,
in the order ``reportie --help`` lists them). The output formats of ``extract`` are a table of
writers (``writers.WRITERS``).
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures.process import BrokenProcessPool
from importlib import import_module
from typing import Optional, Sequence

from .. import __version__
from ..modelstore import ModelError
from ..reading import InputError
from .extract import EXIT_INPUT, READABLE_SUFFIXES, cmd_extract
from .writers import FORMATS, CliError

__all__ = ["main", "build_parser", "COMMANDS", "CliError", "FORMATS", "READABLE_SUFFIXES", "EXIT_INPUT",
           "cmd_extract"]

#: The command modules of ``reportie.cli``, in ``reportie --help`` order.
COMMANDS = ("extract", "model", "train", "evaluate", "annotate", "sentences")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reportie", description="Chinese people's-congress work reports as data.")
    parser.add_argument("--version", action="version", version=f"reportie {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        import_module(f"{__name__}.{name}").add_parser(sub)
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
