"""``reportie sentences FILE...``: a report's sentences as JSONL, one object per sentence (``doc``,
``sentence`` index, ``start``/``end`` offsets, ``heading``, ``section``, ``text``), as
:func:`reportie.sentences.split_sentences` cuts them: the indexes annotations refer to."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .writers import CliError


def cmd_sentences(args: argparse.Namespace) -> int:
    from ..sentences import split_sentences

    texts = []
    for raw in args.paths:  # every file read before any output
        path = Path(raw)
        try:
            texts.append((path, path.read_text(encoding="utf-8-sig")))
        except FileNotFoundError:
            raise CliError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError) as err:
            raise CliError(f"{path}: cannot be read as UTF-8 text ({type(err).__name__})") from None
    for path, text in texts:
        for index, span in enumerate(split_sentences(text)):
            print(json.dumps({"doc": path.stem, "sentence": index, "start": span.start,
                              "end": span.end, "heading": span.heading, "section": span.section,
                              "text": text[span.start:span.end]}, ensure_ascii=False))
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("sentences", help="list a report's sentences as JSONL (the indexes annotations use)",
                       description="List each report's sentences and headings as JSON lines: doc, sentence "
                                   "index, start/end offsets, heading, section, text.")
    p.add_argument("paths", nargs="+", metavar="FILE", help="UTF-8 report text files")
    p.set_defaults(func=cmd_sentences)
