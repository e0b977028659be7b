"""The contract every module shares (``docs/extraction-spec.md``): one place, imported by all.

Sentence labels (spec §1, from ``data/labels.json``), quantity kinds and approximation classes
(spec §2), the entity labels of the rulers and the key of their spans on a Doc. The data files'
schemas (``data/schemas``) state KINDS, the approximation classes of words and ENTITY_LABELS as
enums; ``tests/test_datafiles.py`` checks that they agree with these.
"""

from __future__ import annotations

from typing import Dict, Tuple

from .datafiles import load_json

__all__ = ["SPANS_KEY", "LABELS", "LABEL_INFO", "KINDS", "APPROX_CLASSES", "ENTITY_LABELS"]

# Doc.spans key under which the rulers (and the quantity component) keep their spans.
SPANS_KEY = "reportie"

LABEL_INFO: Dict[str, dict] = {row["name"]: row for row in load_json("labels.json")["labels"]}
LABELS: Tuple[str, ...] = tuple(LABEL_INFO)

KINDS = ("count", "money", "percent", "percentage_point", "area", "people", "measure")
APPROX_CLASSES = ("exact", "more_than", "about", "nearly", "at_least", "at_most", "less_than",
                  "range", "vague")

ENTITY_LABELS = ("ACTIVITY", "BODY", "LAW", "PROGRAMME")
