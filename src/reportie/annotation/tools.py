"""The labelling tools' formats: the Label Studio / doccano / Prodigy tasks ``export`` writes,
the labelling config, and the readers of each tool's export (Label Studio JSON and JSON-MIN).

Every item read becomes an ``Answer`` tied to a sentence id (``doc:start:end``) and, where the
tool records one, a user identity: Label Studio's ``completed_by`` (a user object's email or
username when the export carries one, else ``label-studio:<id>``, renamed through a ``--users``
map), doccano's ``username``, Prodigy's ``_annotator_id``/``_session_id``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from ..contract import LABELS
from .store import AnnotationError, Key, parse_sid, read_utf8, sid

FORMATS = ("label-studio", "doccano", "prodigy")
# Label Studio: the names tying the predictions and answers to the labelling config.
LS_FROM_NAME = "category"
LS_TO_NAME = "text"
# Keys of a Label Studio JSON-MIN record that are not task data.
_LS_MIN_KEYS = {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time", "agreement", LS_FROM_NAME}


@dataclass
class ExportItem:
    """One sentence to review: the model's answer, the current gold label and where it comes from."""

    doc: str
    start: int
    end: int
    text: str
    section: Optional[str]
    prediction: Optional[str]
    score: float
    margin: float
    gold: Optional[str]
    conflict: Optional[Dict[str, str]] = None  # annotator → label, when the answers tie
    scores: Optional[Dict[str, float]] = None
    report: Optional[str] = None  # the report file shipped beside the tasks, for a new report

    @property
    def sid(self) -> str:
        return sid(self.doc, self.start, self.end)

    @property
    def prefill(self) -> Optional[str]:
        return self.gold or self.prediction

    def meta(self) -> Dict[str, Any]:
        meta = {"sid": self.sid, "doc": self.doc, "start": self.start, "end": self.end, "section": self.section,
                "prediction": self.prediction, "score": self.score, "margin": self.margin, "gold": self.gold}
        if self.scores:
            meta["scores"] = self.scores
        if self.report:
            meta["report"] = self.report
        if self.conflict:
            meta["conflict"] = self.conflict
        return meta


def label_studio_config() -> str:
    """The labelling config: one required choice among the labels (an empty submission is refused)."""
    choices = "".join(f'<Choice value="{label}"/>' for label in LABELS)
    return (f'<View><Header value="$hint"/><Text name="{LS_TO_NAME}" value="$text"/>'
            f'<Choices name="{LS_FROM_NAME}" toName="{LS_TO_NAME}" choice="single" required="true">'
            f'{choices}</Choices></View>\n')


def label_studio_task(item: ExportItem, model_version: str) -> Dict[str, Any]:
    hint = f"gold: {item.gold or '-'} | model: {item.prediction or '-'} ({item.score:.2f}) | section: {item.section or '-'}"
    # No top-level "id": Label Studio assigns its own integer ids; the sentence id travels in data.sid
    # (data survives both the JSON and the JSON-MIN export).
    data = {"text": item.text, "doc": item.doc, "start": item.start, "end": item.end, "sid": item.sid,
            "section": item.section or "", "gold": item.gold or "", "hint": hint}
    if item.report:
        data["report"] = item.report
    task: Dict[str, Any] = {"data": data, "meta": item.meta(), "predictions": []}
    if item.prediction:
        task["predictions"].append({
            "model_version": model_version,
            "score": item.score,
            "result": [{"from_name": LS_FROM_NAME, "to_name": LS_TO_NAME, "type": "choices",
                        "value": {"choices": [item.prediction]}}],
        })
    return task


def doccano_line(item: ExportItem) -> Dict[str, Any]:
    return {"text": item.text, "label": [item.prefill] if item.prefill else [], "meta": item.meta()}


def prodigy_task(item: ExportItem) -> Dict[str, Any]:
    return {"text": item.text, "options": [{"id": label, "text": label} for label in LABELS],
            "accept": [item.prefill] if item.prefill else [], "answer": "accept", "meta": item.meta(),
            "score": item.score}


# ---------------------------------------------------------------------------------------------
# Reading the tools' exports


@dataclass
class Answer:
    """One human answer read from a tool's export."""

    where: str  # "line 7", "item 3 (task 12)": for error messages
    key: Key
    text: str
    label: str
    annotator: Optional[str]
    updated: str = ""  # the tool's own time stamp of the answer, when it has one
    order: int = 0  # the tool's answer id, when it has one: breaks ties between time stamps
    report: Optional[str] = None  # data.report / meta.report: the report file beside the tasks


class ItemError(Exception):
    pass


def load_items(path: Path) -> List[Tuple[str, Any]]:
    """``[(where, item)]`` from a JSON array (Label Studio) or a JSONL file (doccano, Prodigy)."""
    raw = read_utf8(path, "not a file: name the tool's export file in it")
    if raw.lstrip().startswith("["):
        try:
            data = json.loads(raw)
        except ValueError as err:
            raise AnnotationError(f"{path}: line {err.lineno}: not valid JSON ({err.msg})") from None
        return [(f"item {i}", item) for i, item in enumerate(data)]
    items = []
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append((f"line {number}", json.loads(line)))
        except ValueError as err:
            raise AnnotationError(f"{path}: line {number}: not valid JSON ({err.msg}, column {err.colno})") from None
    return items


def detect_format(item: Any) -> str:
    """Which tool (and which of its export formats) an exported item comes from."""
    if not isinstance(item, dict):
        raise ItemError(f"expected a JSON object, got {type(item).__name__}")
    if "annotations" in item or "data" in item:
        return "label-studio"
    if "annotation_id" in item:
        return "label-studio-min"
    if "answer" in item or "accept" in item:
        return "prodigy"
    if "label" in item or "labels" in item:
        return "doccano"
    raise ItemError("not a Label Studio task (data/annotations) or JSON-MIN record (annotation_id), "
                    "doccano line (label) or Prodigy task (answer/accept)")


def _locate(item: Dict[str, Any]) -> Key:
    """The sentence an item stands for: its sid, else doc/start/end, in meta, data or at top level."""
    places = [item.get("meta"), item.get("data"), item]
    for place in places:
        if isinstance(place, dict) and isinstance(place.get("sid"), str):
            try:
                return parse_sid(place["sid"])
            except ValueError:
                raise ItemError(f"sid {place['sid']!r} is not doc:start:end") from None
    for place in places:
        if isinstance(place, dict) and all(k in place for k in ("doc", "start", "end")):
            doc, start, end = place["doc"], place["start"], place["end"]
            if isinstance(doc, str) and type(start) is int and type(end) is int:
                return doc, start, end
    if isinstance(item.get("id"), str):
        try:
            return parse_sid(item["id"])
        except ValueError:
            pass
    raise ItemError("no sentence id: expected meta.sid (doc:start:end) or doc/start/end")


def _report_of(item: Dict[str, Any]) -> Optional[str]:
    for place in (item.get("data"), item.get("meta"), item):
        if isinstance(place, dict) and isinstance(place.get("report"), str) and place["report"]:
            return place["report"]
    return None


def _item_text(item: Dict[str, Any]) -> str:
    text = item.get("data", {}).get("text") if isinstance(item.get("data"), dict) else item.get("text")
    if not isinstance(text, str):
        raise ItemError("no text")
    return text


def _check_label(label: Any) -> str:
    if label not in LABELS:
        raise ItemError(f"unknown label {label!r} (expected one of {', '.join(LABELS)})")
    return label


def label_studio_user(completed_by: Any, users: Optional[Dict[str, str]] = None) -> Optional[str]:
    """The identity of a Label Studio answer: ``users[id]`` when mapped, a user object's email or
    username, else ``label-studio:<id>``."""
    users = users or {}
    if isinstance(completed_by, dict):
        uid = completed_by.get("id")
        if uid is not None and str(uid) in users:
            return users[str(uid)]
        for key in ("email", "username"):
            if completed_by.get(key) not in (None, ""):
                return str(completed_by[key])
        return f"label-studio:{uid}" if uid not in (None, "") else None
    if completed_by in (None, ""):
        return None
    if str(completed_by) in users:
        return users[str(completed_by)]
    return f"label-studio:{completed_by}"


def _task_name(item: Dict[str, Any], key: Key) -> str:
    return f"task {item['id']} ({sid(*key)})" if item.get("id") is not None else f"task {sid(*key)}"


def _answers_label_studio(where: str, item: Dict[str, Any], users: Dict[str, str]) -> List[Answer]:
    key, text = _locate(item), _item_text(item)
    annotations = item.get("annotations", item.get("completions", []))
    if not isinstance(annotations, list):
        raise ItemError("annotations must be a list")
    answers = []
    for n, annotation in enumerate(annotations):
        if not isinstance(annotation, dict):
            raise ItemError(f"annotations[{n}] must be an object")
        if annotation.get("was_cancelled") or annotation.get("skipped"):
            continue
        results = annotation.get("result", [])
        if not isinstance(results, list):
            raise ItemError(f"annotations[{n}].result must be a list")
        choices = [c for r in results if isinstance(r, dict) and r.get("type") == "choices"
                   for c in (r.get("value", {}) or {}).get("choices", [])]
        if not choices:
            raise ItemError(f"{_task_name(item, key)}: annotations[{n}] was submitted with no choice "
                            f"(skip the task in Label Studio instead, or choose a label)")
        if len(choices) > 1:
            raise ItemError(f"annotations[{n}] has {len(choices)} choices, expected one")
        answers.append(Answer(f"{where} ({_task_name(item, key)})", key, text, _check_label(choices[0]),
                              label_studio_user(annotation.get("completed_by"), users),
                              str(annotation.get("updated_at") or annotation.get("created_at") or ""),
                              annotation.get("id") if type(annotation.get("id")) is int else 0, _report_of(item)))
    return answers


def _answers_label_studio_min(where: str, item: Dict[str, Any], users: Dict[str, str]) -> List[Answer]:
    """A JSON-MIN record: the task data flattened, the choice under the Choices name, ``annotator``."""
    key = _locate(item)
    text = item.get("text")
    if not isinstance(text, str):
        raise ItemError("no text")
    if item.get("annotation_id") is None and item.get("annotator") is None:
        return []  # a task nobody answered
    name = _task_name(item, key)
    choice = item.get(LS_FROM_NAME)
    if choice is None or choice == [] or choice == "":
        raise ItemError(f"{name}: annotation {item.get('annotation_id')} was submitted with no choice "
                        f"(skip the task in Label Studio instead, or choose a label)")
    if isinstance(choice, list):
        if len(choice) != 1:
            raise ItemError(f"{name}: {len(choice)} choices, expected one")
        choice = choice[0]
    if isinstance(choice, dict):  # prettify_result keeps a multi-choice value as {"choices": [...]}
        chosen = choice.get("choices", [])
        if len(chosen) != 1:
            raise ItemError(f"{name}: {len(chosen)} choices, expected one")
        choice = chosen[0]
    return [Answer(f"{where} ({name})", key, text, _check_label(choice), label_studio_user(item.get("annotator"), users),
                   str(item.get("updated_at") or item.get("created_at") or ""),
                   item["annotation_id"] if type(item.get("annotation_id")) is int else 0, _report_of(item))]


def _answers_doccano(where: str, item: Dict[str, Any], users: Dict[str, str]) -> List[Answer]:
    key, text = _locate(item), _item_text(item)
    labels = item.get("label", item.get("labels"))
    if isinstance(labels, str):
        labels = [labels]
    if not isinstance(labels, list):
        raise ItemError("label must be a list of labels")
    if not labels:
        return []
    if len(labels) > 1:
        raise ItemError(f"{len(labels)} labels, expected one")
    meta = item.get("meta") if isinstance(item.get("meta"), dict) else {}
    annotator = item.get("username") or meta.get("username") or item.get("annotator")
    name = users.get(str(annotator), f"doccano:{annotator}") if annotator else None
    return [Answer(where, key, text, _check_label(labels[0]), name, report=_report_of(item))]


def _answers_prodigy(where: str, item: Dict[str, Any], users: Dict[str, str]) -> List[Answer]:
    key, text = _locate(item), _item_text(item)
    answer = item.get("answer")
    if answer not in ("accept", "reject", "ignore"):
        raise ItemError(f"answer must be accept, reject or ignore, got {answer!r}")
    if answer != "accept":
        return []
    if "accept" in item:  # choice view
        accepted = item["accept"]
        if not isinstance(accepted, list):
            raise ItemError("accept must be a list of option ids")
        if not accepted:
            return []
        if len(accepted) > 1:
            raise ItemError(f"{len(accepted)} options accepted, expected one")
        label = accepted[0]
    else:  # binary classification view
        label = item.get("label")
    annotator = item.get("_annotator_id") or item.get("_session_id")
    name = users.get(str(annotator), f"prodigy:{annotator}") if annotator else None
    return [Answer(where, key, text, _check_label(label), name, str(item.get("_timestamp") or ""),
                   report=_report_of(item))]


READERS = {"label-studio": _answers_label_studio, "label-studio-min": _answers_label_studio_min,
           "doccano": _answers_doccano, "prodigy": _answers_prodigy}


def read_import_file(path: Path, users: Optional[Dict[str, str]] = None) -> Tuple[str, List[Answer], int]:
    """``(format, answers, skipped items)`` from a Label Studio (JSON or JSON-MIN), doccano or Prodigy export."""
    items = load_items(Path(path))
    if not items:
        raise AnnotationError(f"{path}: holds no items")
    fmt = None
    answers: List[Answer] = []
    skipped = 0
    for where, item in items:
        try:
            fmt = fmt or detect_format(item)
            if not isinstance(item, dict):
                raise ItemError(f"expected a JSON object, got {type(item).__name__}")
            found = READERS[fmt](where, item, users or {})
        except ItemError as err:
            raise AnnotationError(f"{path}: {where}: {err}" + (f" (reading as {fmt})" if fmt else "")) from None
        skipped += not found
        answers.extend(found)
    assert fmt is not None
    return fmt, answers, skipped


def read_users(path: Path) -> Dict[str, str]:
    """A ``--users`` map: ``{"1": "alice", ...}``, or Label Studio's ``/api/users`` list (or a
    JSON export of it) whose users are named by email, else username."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise AnnotationError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise AnnotationError(f"{path}: is a directory, expected a JSON file of users") from None
    except (ValueError, UnicodeDecodeError) as err:
        raise AnnotationError(f"{path}: not valid JSON ({err})") from None
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    if isinstance(data, dict) and all(isinstance(v, str) and v for v in data.values()):
        return {str(k): v for k, v in data.items()}
    if isinstance(data, list) and all(isinstance(u, dict) and "id" in u for u in data):
        users = {}
        for user in data:
            name = user.get("email") or user.get("username")
            if not name:
                raise AnnotationError(f"{path}: user {user['id']} has neither email nor username")
            users[str(user["id"])] = str(name)
        return users
    raise AnnotationError(f"{path}: expected {{\"<id>\": \"<name>\"}} or a list of users with id and email")
