"""``annotations/`` on disk: reading and validating ``sentences.jsonl``, the adjudication policy
that turns several answers into one training label, report texts, the lock and atomic writes.

Records (``sentences.jsonl``, one JSON object per line): ``doc``, ``start``, ``end``, ``text``,
``label``, ``source`` (``seed``: a sentence of ``seeds/<doc>.txt``; ``report``: a sentence of a
report imported through the loop, stored in ``annotations/reports/<doc>.txt``; ``dev-corpus``:
a label of the dev corpus, its text also in ``reports/``, on the corpus's own sentence
boundaries; ``authored``: a sentence written for training, standing alone), ``annotator``, ``updated`` (UTC) and, for a
reviewer's label, ``role: "reviewer"``. Other keys are kept as they are. There is at most one
record per ``(doc, start, end, annotator)``.

Adjudication (``decide``), per sentence:

1. If a reviewer labelled it, the newest reviewer label wins (``updated``, then file order);
   the other answers stay in the file as history.
2. Otherwise each annotator has one vote: one answer, or all answers agreeing, is the label;
   a strict majority wins (3 against 1, 2 against 1: a lone dissent does not block);
3. a tie (1 against 1, 2 against 2) is a *conflict*: listed by ``import``, ``lint`` and
   ``resolve``, left out of training until a reviewer settles it (``reportie annotate
   resolve SID LABEL --by NAME``) or a further answer breaks the tie.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from ..modelstore import atomic_write_bytes
from ..reading import InputError
from ..contract import LABELS

SENTENCES_FILE = "sentences.jsonl"
QUANTITIES_FILE = "quantities.jsonl"
REPORTS_DIR = "reports"  # annotations/reports/<doc>.txt: report texts brought in by `import`
LOCK_FILE = ".lock"
LOCK_TIMEOUT = 120.0  # seconds to wait for another import before giving up
REQUIRED_KEYS = ("doc", "start", "end", "text", "label")
SOURCES = ("seed", "report", "dev-corpus", "authored")  # dev-corpus: the lead's import, texts in reports/
ROLES = ("annotator", "reviewer")
REVIEWER = "reviewer"
AUTHORED_ROW = "(authored)"
DEFAULT_ANNOTATOR = "unknown"

Key = Tuple[str, int, int]


class AnnotationError(InputError):
    """An annotation or import file that cannot be used; the message names the file and line."""


def sid(doc: str, start: int, end: int) -> str:
    """The stable id of a sentence in every export: ``doc:start:end``."""
    return f"{doc}:{start}:{end}"


def parse_sid(value: str) -> Key:
    doc, start, end = value.rsplit(":", 2)
    return doc, int(start), int(end)


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def clip(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def where_differ(a: str, b: str, context: int = 12) -> str:
    """Where two texts first differ, with a little context on each side: for error messages."""
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    lo = max(0, at - context)

    def part(s: str) -> str:
        return ("…" if lo else "") + repr(s[lo:at + context])[1:-1] + ("…" if at + context < len(s) else "")

    return f"they differ at character {at} (lengths {len(a)} and {len(b)}): {part(a)!s} | {part(b)!s}"


# ---------------------------------------------------------------------------------------------
# Writing and locking


def write_jsonl_atomic(path: Path, records: Iterable[Dict[str, Any]]) -> None:
    """Write ``records`` as JSONL to ``path`` atomically: the only way reportie writes ``annotations/``."""
    data = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    atomic_write_bytes(Path(path), data.encode("utf-8"))


@contextlib.contextmanager
def locked(annotations_dir: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold ``annotations/.lock`` (an OS file lock, via ``filelock``) around a read-modify-write,
    so two imports at once both land instead of one overwriting the other."""
    from filelock import FileLock, Timeout

    annotations_dir = Path(annotations_dir)
    if not annotations_dir.is_dir():
        raise AnnotationError(f"{annotations_dir}: no such directory")
    lock = FileLock(str(annotations_dir / LOCK_FILE), timeout=timeout)
    try:
        with lock:
            yield
    except Timeout:
        raise AnnotationError(f"{annotations_dir / LOCK_FILE}: another import has held the lock for "
                              f"{timeout:.0f} s; try again when it has finished") from None


# ---------------------------------------------------------------------------------------------
# Report texts


def default_seeds(annotations_dir: Path, seeds_dir: Optional[Path]) -> Path:
    return Path(seeds_dir) if seeds_dir is not None else Path(annotations_dir).parent / "seeds"


def report_path(doc: str, annotations_dir: Path = Path("annotations"), seeds_dir: Optional[Path] = None) -> Optional[Path]:
    """The file holding the text of document ``doc``: ``seeds/<doc>.txt``, else
    ``annotations/reports/<doc>.txt`` (stored by ``import``), else ``annotations/authored_reports/``;
    ``None`` for none.
    Offsets in ``sentences.jsonl`` index this text as ``reportie.reading.read_input`` returns it."""
    folders = (default_seeds(annotations_dir, seeds_dir), Path(annotations_dir) / REPORTS_DIR,
               Path(annotations_dir) / "authored_reports")  # the same order as training.report_text
    for path in (folder / f"{doc}.txt" for folder in folders):
        if path.is_file():
            return path
    return None


class ReportTexts:
    """Report texts by doc id (seeds/, then annotations/reports/), read as ``extract()`` reads them, once each."""

    def __init__(self, annotations_dir: Path, seeds_dir: Optional[Path] = None) -> None:
        self.annotations_dir = Path(annotations_dir)
        self.seeds_dir = default_seeds(annotations_dir, seeds_dir)
        self._texts: Dict[str, Optional[str]] = {}

    def path(self, doc: str) -> Optional[Path]:
        return report_path(doc, self.annotations_dir, self.seeds_dir)

    def get(self, doc: str) -> Optional[str]:
        if doc not in self._texts:
            path = self.path(doc)
            if path is None:
                self._texts[doc] = None
            else:
                from ..reading import read_input

                self._texts[doc] = read_input(path)[0]
        return self._texts[doc]

    def add(self, doc: str, text: str) -> None:
        self._texts[doc] = text


# ---------------------------------------------------------------------------------------------
# Reading and validating sentences.jsonl


@dataclass
class SentenceFile:
    """Every record of ``sentences.jsonl`` with its line number, and what is wrong with them."""

    path: Path
    records: List[Dict[str, Any]] = field(default_factory=list)
    lines: List[int] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)

    def by_sentence(self) -> Dict[Key, List[Dict[str, Any]]]:
        groups: Dict[Key, List[Dict[str, Any]]] = defaultdict(list)
        for record in self.records:
            groups[key_of(record)].append(record)
        return groups


def key_of(record: Dict[str, Any]) -> Key:
    return record["doc"], record["start"], record["end"]


def annotator_of(record: Dict[str, Any]) -> str:
    return record.get("annotator") or DEFAULT_ANNOTATOR


def role_of(record: Dict[str, Any]) -> str:
    return record.get("role") or "annotator"


def read_utf8(path: Path, directory_hint: str = "not a file") -> str:
    """A file's text (UTF-8, a BOM dropped), or an ``AnnotationError`` naming it."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise AnnotationError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise AnnotationError(f"{path}: is a directory, {directory_hint}") from None
    except UnicodeDecodeError as err:
        raise AnnotationError(f"{path}: not UTF-8 ({err.reason})") from None


def iter_json_lines(path: Path) -> Iterator[Tuple[int, Any, Optional[str]]]:
    """``(line number, object, error)`` for every non-blank line of a JSONL file."""
    text = read_utf8(path)
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line), None
        except ValueError as err:
            yield number, None, f"not valid JSON ({err.msg}, column {err.colno})"


def sentence_record_problem(record: Any) -> Optional[str]:
    if not isinstance(record, dict):
        return f"expected a JSON object, got {type(record).__name__}"
    missing = [key for key in REQUIRED_KEYS if key not in record]
    if missing:
        return f"missing key{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
    if not isinstance(record["doc"], str) or not record["doc"]:
        return "doc must be a non-empty string"
    start, end = record["start"], record["end"]
    if not (type(start) is int and type(end) is int and 0 <= start < end):
        return f"start/end must be integers with 0 <= start < end, got {start!r}, {end!r}"
    if not isinstance(record["text"], str) or len(record["text"]) != end - start:
        return f"text must be a string of end - start = {end - start} characters"
    if record["label"] not in LABELS:
        return f"unknown label {record['label']!r} (expected one of {', '.join(LABELS)})"
    if record.get("source", "seed") not in SOURCES:
        return f"unknown source {record.get('source')!r} (expected one of {', '.join(SOURCES)})"
    if role_of(record) not in ROLES:
        return f"unknown role {record.get('role')!r} (expected one of {', '.join(ROLES)})"
    annotator = record.get("annotator")
    if annotator is not None and (not isinstance(annotator, str) or not annotator):
        return "annotator must be a non-empty string"
    return None


def load_sentence_file(annotations_dir: Path) -> SentenceFile:
    """Parse ``sentences.jsonl``, collecting (not raising) a problem per bad line."""
    path = Path(annotations_dir) / SENTENCES_FILE
    parsed = SentenceFile(path)
    for number, record, error in iter_json_lines(path):
        error = error or sentence_record_problem(record)
        if error:
            parsed.problems.append(f"{path}:{number}: {error}")
            continue
        parsed.records.append(record)
        parsed.lines.append(number)
    return parsed


def raise_problems(problems: Sequence[str], limit: int = 10) -> None:
    if problems:
        more = f"\n... and {len(problems) - limit} more" if len(problems) > limit else ""
        raise AnnotationError("\n".join(problems[:limit]) + more)


# ---------------------------------------------------------------------------------------------
# Adjudication


@dataclass
class Decision:
    label: Optional[str]  # None: a conflict
    how: str  # "single", "agreed", "majority", "reviewer", "tie"


def _newest(group: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    return max(enumerate(group), key=lambda pair: (str(pair[1].get("updated", "")), pair[0]))[1]


def decide(group: Sequence[Dict[str, Any]]) -> Decision:
    """The label the answers of one sentence give under the policy in this module's docstring."""
    reviewers = [r for r in group if role_of(r) == REVIEWER]
    if reviewers:
        return Decision(_newest(reviewers)["label"], "reviewer")
    per_person: Dict[str, set] = defaultdict(set)
    for record in group:
        per_person[annotator_of(record)].add(record["label"])
    if any(len(labels) > 1 for labels in per_person.values()):
        return Decision(None, "tie")  # one person, two answers: broken data (lint reports the duplicate)
    votes = Counter(next(iter(labels)) for labels in per_person.values())
    ranked = votes.most_common()
    if len(ranked) == 1:
        return Decision(ranked[0][0], "single" if len(group) == 1 else "agreed")
    if ranked[0][1] > ranked[1][1]:
        return Decision(ranked[0][0], "majority")
    return Decision(None, "tie")


@dataclass
class Consolidated:
    """One view per sentence: the decided records, and the sentences whose answers tie."""

    agreed: Dict[Key, Dict[str, Any]]
    conflicts: Dict[Key, List[Dict[str, Any]]]
    duplicates: List[Tuple[Key, str]]  # (sentence, annotator) appearing on more than one line
    outvoted: Dict[Key, List[Dict[str, Any]]] = field(default_factory=dict)  # decided over a dissent


def consolidate(records: Sequence[Dict[str, Any]]) -> Consolidated:
    groups: Dict[Key, List[Dict[str, Any]]] = defaultdict(list)
    for record in records:
        groups[key_of(record)].append(record)
    view = Consolidated({}, {}, [])
    for key, group in groups.items():
        seen = Counter(annotator_of(r) for r in group)
        view.duplicates += [(key, name) for name, n in seen.items() if n > 1]
        decision = decide(group)
        if decision.label is None:
            view.conflicts[key] = group
            continue
        # The newest record giving the decided label stands for the sentence.
        view.agreed[key] = dict(_newest([r for r in group if r["label"] == decision.label]))
        if len({r["label"] for r in group}) > 1:
            view.outvoted[key] = group
    return view


def answers_of(group: Sequence[Dict[str, Any]]) -> Dict[str, str]:
    """``{annotator: label}`` of a sentence, reviewers marked: for listings."""
    return {annotator_of(r) + (" (reviewer)" if role_of(r) == REVIEWER else ""): r["label"] for r in group}


def read_sentence_labels(annotations_dir: Path) -> List[Dict[str, Any]]:
    """The labels training uses: one record per sentence (the adjudicated label), conflicts left out.

    Raises ``AnnotationError`` naming the file and line on malformed JSON, a missing key or an
    unknown label. A sentence whose answers tie is not returned (training must not guess); a
    warning on stderr says how many were left out.
    """
    parsed = load_sentence_file(Path(annotations_dir))
    raise_problems(parsed.problems)
    view = consolidate(parsed.records)
    if view.conflicts:
        print(f"reportie: warning: {parsed.path}: {len(view.conflicts)} sentence"
              f"{'s' if len(view.conflicts) != 1 else ''} with conflicting labels left out "
              f"(`reportie annotate resolve` lists and settles them)", file=sys.stderr)
    return [dict(view.agreed[key]) for key in sorted(view.agreed)]


def store_report_text(annotations_dir: Path, doc: str, text: str) -> Path:
    """Write a report's text to ``annotations/reports/<doc>.txt`` (UTF-8, atomically; call under ``locked``)."""
    path = Path(annotations_dir) / REPORTS_DIR / f"{doc}.txt"
    atomic_write_bytes(path, text.encode("utf-8"))
    return path


