"""The annotators' loop, in modules:

- ``store``: ``annotations/`` on disk, the adjudication policy, report texts, lock, atomic writes;
- ``tools``: Label Studio / doccano / Prodigy task formats and export readers;
- ``loop``: ``export`` of review queues (annotated or new reports, out-of-fold uncertainty);
- ``merge``: ``import`` and ``resolve``;
- ``lint``: the checks of ``reportie annotate lint``.

The command line ``reportie annotate`` (its arguments) is :mod:`reportie.cli.annotate`.

``reportie.annotations`` re-exports the public names.
"""

from .lint import LintReport, lint
from .loop import SELECTIONS, export, export_items, output_paths
from .merge import Change, ImportReport, import_file, list_conflicts, resolve
from .store import (AUTHORED_ROW, QUANTITIES_FILE, REPORTS_DIR, SENTENCES_FILE, AnnotationError, Consolidated,
                    ReportTexts, SentenceFile, consolidate, decide, load_sentence_file, locked, parse_sid,
                    read_sentence_labels, report_path, sid, utc_now, write_jsonl_atomic)
from .tools import FORMATS, Answer, ExportItem, detect_format, label_studio_config, read_import_file, read_users

__all__ = [
    "AUTHORED_ROW", "QUANTITIES_FILE", "REPORTS_DIR", "SENTENCES_FILE", "SELECTIONS", "FORMATS",
    "AnnotationError", "Answer", "Change", "Consolidated", "ExportItem", "ImportReport", "LintReport",
    "ReportTexts", "SentenceFile", "consolidate", "decide", "detect_format", "export", "export_items",
    "import_file", "label_studio_config", "lint", "list_conflicts", "load_sentence_file", "locked", "output_paths",
    "parse_sid", "read_import_file", "read_sentence_labels", "read_users", "report_path", "resolve",
    "sid", "utc_now", "write_jsonl_atomic",
]
