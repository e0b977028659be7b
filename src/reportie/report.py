"""The typed records ``extract()`` returns: plain dataclasses, no spaCy inside."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional

from .contract import LABELS  # re-exported: reportie.LABELS
from .frames import summarize, to_frame  # frames imports nothing of this module at run time: no cycle

__all__ = ["LABELS", "Quantity", "Entity", "Sentence", "Report"]


@dataclass
class Quantity:
    """One quantity (spec §2): ``report.text[start:end] == text``."""

    text: str
    start: int
    end: int
    value: float
    low: Optional[float]
    high: Optional[float]
    unit: str
    kind: str
    approx: str
    indicator: Optional[str]
    sentence: int
    record_type: Optional[str] = None  # one of the 23 comparable indicators (spec §4), or None
    record_detail: Optional[str] = None  # the finer type it was read as (budget_funds …), or None


@dataclass
class Entity:
    """A ruler span: an activity, body, law or programme named in the report."""

    text: str
    start: int
    end: int
    label: str


@dataclass
class Sentence:
    """One sentence or heading with its category (spec §1) and the heading of its section."""

    text: str
    start: int
    end: int
    section: Optional[str]
    heading: bool = False
    label: Optional[str] = None
    scores: Dict[str, float] = field(default_factory=dict)


@dataclass
class Report:
    """Everything reportie read from one report."""

    text: str
    sentences: List[Sentence] = field(default_factory=list)
    quantities: List[Quantity] = field(default_factory=list)
    entities: List[Entity] = field(default_factory=list)
    body: Optional[str] = None
    level: Optional[str] = None
    year: Optional[int] = None
    source: Optional[str] = None

    @property
    def doc_id(self) -> str:
        """A short name for tables: the file stem, or ``"text"`` for a string input."""
        if self.source is None:
            return "text"
        name = self.source.replace("\\", "/").rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[0] if "." in name else name

    def to_dict(self, *, include_text: bool = True) -> Dict[str, Any]:
        data = asdict(self)
        data["doc_id"] = self.doc_id
        if not include_text:
            data.pop("text")
        return data

    def to_json(self, *, include_text: bool = True, indent: Optional[int] = None) -> str:
        return json.dumps(self.to_dict(include_text=include_text), ensure_ascii=False, indent=indent)

    def summary(self) -> Dict[str, Any]:
        """Per category the sentence count and share of characters; per record type its values
        with their source sentences (``record_types``) and its comparable figures (``figures``:
        one per kind and unit, summed only when the type is additive, repeats counted once)."""
        return summarize(self)

    def to_frame(self) -> Any:
        """``Frames(sentences, quantities, summary)``: pandas DataFrames of this report."""
        return to_frame(self)

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Report":
        """The inverse of ``to_dict`` (used to ship reports across processes)."""
        return cls(
            text=data.get("text", ""),
            sentences=[Sentence(**s) for s in data.get("sentences", [])],
            quantities=[Quantity(**q) for q in data.get("quantities", [])],
            entities=[Entity(**e) for e in data.get("entities", [])],
            body=data.get("body"),
            level=data.get("level"),
            year=data.get("year"),
            source=data.get("source"),
        )
