"""The development corpus (``dev-corpus/*.jsonl``): documents paraphrased from real public pages
of other congresses, with gold labels, quantities, record types and metadata.

A document's text is its sentence texts joined in order, with ``"\\n"`` after each sentence
whose ``para_end`` is true (the corpus README's ``build``); this module assembles it with the
offsets of every gold sentence and quantity, for training, evaluation and the import into
``annotations/`` (``python -m reportie.devcorpus``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence

SOURCE = "dev-corpus"
ANNOTATOR = "dev-corpus-gold"
DEFAULT_DIR = Path("dev-corpus")


@dataclass
class GoldDocument:
    id: str
    text: str
    body: Optional[str]
    level: Optional[str]
    year: Optional[int]
    source_url: Optional[str]
    sentences: List[Dict[str, Any]] = field(default_factory=list)  # text, start, end, label
    quantities: List[Dict[str, Any]] = field(default_factory=list)  # gold fields + start, end, sentence


def assemble(record: Dict[str, Any]) -> GoldDocument:
    """One corpus line as a document with offsets (the README's ``build``)."""
    text, sentences, quantities = "", [], []
    for index, sentence in enumerate(record["sentences"]):
        start, pos = len(text), 0
        for q in sentence.get("quantities", []):
            i = sentence["text"].index(q["text"], pos)
            pos = i + len(q["text"])
            quantities.append({**q, "sentence": index, "start": start + i, "end": start + pos})
        text += sentence["text"]
        sentences.append({"text": sentence["text"], "start": start, "end": len(text), "label": sentence["label"]})
        if sentence.get("para_end"):
            text += "\n"
    return GoldDocument(record["id"], text, record.get("body"), record.get("level"), record.get("year"),
                        record.get("source_url"), sentences, quantities)


def read_corpus(paths: Sequence[Path]) -> Iterator[GoldDocument]:
    """Every document of the given corpus files, in file order."""
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        yield assemble(json.loads(line))
                    except (ValueError, KeyError) as error:
                        raise ValueError(f"{path}:{number}: not a dev-corpus document ({error})") from None


def corpus_files(folder: Path = DEFAULT_DIR) -> List[Path]:
    return sorted(Path(folder).glob("*.jsonl"))


AUTHORED_PAGES = Path("annotations") / "authored_pages"


def import_into_annotations(corpus_dir: Path, annotations_dir: Path, source: str = SOURCE,
                            annotator: str = ANNOTATOR) -> int:
    """Write each document's text to ``annotations/reports/<id>.txt`` and its gold sentence
    labels into ``annotations/sentences.jsonl`` (marked ``source``: ``dev-corpus`` for the
    corpus, ``authored`` for the pages written for training in ``annotations/authored_pages/``),
    replacing the records of those documents already there; returns the number of sentences."""
    from .annotations import locked

    with locked(Path(annotations_dir)):  # the same lock as `annotate import`
        return _import_locked(corpus_dir, Path(annotations_dir), source, annotator)


def _import_locked(corpus_dir: Path, annotations_dir: Path, source: str, annotator: str) -> int:
    from .annotations import SENTENCES_FILE, write_jsonl_atomic
    from .modelstore import atomic_write_bytes

    reports = annotations_dir / "reports"
    reports.mkdir(exist_ok=True)
    path = annotations_dir / SENTENCES_FILE
    kept = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    documents = list(read_corpus(corpus_files(corpus_dir)))
    ids = {doc.id for doc in documents}
    kept = [r for r in kept if r["doc"] not in ids]
    added = []
    for doc in documents:
        atomic_write_bytes(reports / f"{doc.id}.txt", doc.text.encode("utf-8"))
        for s in doc.sentences:
            added.append({"doc": doc.id, "start": s["start"], "end": s["end"], "text": s["text"],
                          "label": s["label"], "source": source, "annotator": annotator,
                          "updated": "2026-12-06T00:00:00Z"})
    write_jsonl_atomic(path, kept + added)
    return len(added)


if __name__ == "__main__":
    # python -m reportie.devcorpus: (re)import the dev corpus and the authored pages.
    n = import_into_annotations(DEFAULT_DIR, Path("annotations"))
    m = import_into_annotations(AUTHORED_PAGES, Path("annotations"), "authored", "authored-pages")
    print(f"{n} dev-corpus and {m} authored-page sentences written to annotations/sentences.jsonl")
