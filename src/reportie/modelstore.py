"""Reading and writing the trained sentence classifier: skops with a checksum, never pickle; its
card; and the lean export beside it (computed by ``reportie.leanmodel``)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any, Dict, List, Optional

# Types allowed beyond skops' own safe list. The model is plain scikit-learn (VotingClassifier,
# Pipeline, ColumnTransformer, TfidfVectorizer, LogisticRegression), which skops trusts by default;
# VotingClassifier keeps its fitted readers in a Bunch (a dict with attribute access).
TRUSTED_TYPES: List[str] = ["sklearn.utils._bunch.Bunch"]
MODEL_NAME = "classifier.skops"
CARD_NAME = "classifier.json"
LEAN_NAME = "classifier.lean"  # the same predictions without scikit-learn: see reportie.leanmodel


class ModelError(RuntimeError):
    """A model file is missing, tampered with, truncated or of the wrong kind."""


def default_model_dir() -> Path:
    return Path(str(resources.files("reportie").joinpath("data/model")))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_if_changed(path: Path, data: bytes) -> None:
    """``atomic_write_bytes`` unless ``path`` already holds exactly ``data``."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    atomic_write_bytes(path, data)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=str(path.parent))
    try:
        # mkstemp creates the file 0600; keep the mode the file had, or make it world-readable.
        os.chmod(tmp, (path.stat().st_mode & 0o777) if path.exists() else 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry


def canonical_skops(data: bytes) -> bytes:
    """The same skops archive with nothing that changes from one save to the next: skops names
    objects by ``id()`` (``__id__`` and ``<id>.npy``) and byte blobs by ``uuid4``, and zip entries
    carry the time of writing. Ids and file names are renumbered in schema order and every entry
    gets a fixed date and mode, so the same model always gives the same bytes (and checksum)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    schema = json.loads(entries.pop("schema.json"))
    ids: Dict[Any, int] = {}
    files: Dict[str, str] = {}

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key == "__id__" and isinstance(value, int):
                    value = ids.setdefault(value, len(ids))
                elif key == "file" and isinstance(value, str) and value in entries:
                    value = files.setdefault(value, f"{len(files)}{Path(value).suffix}")
                else:
                    value = walk(value)
                out[key] = value
            return out
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    schema = walk(schema)
    unnamed = sorted(set(entries) - set(files))
    if unnamed:  # a file the schema does not name: keep it, under its own (sorted) name
        files.update({name: name for name in unnamed})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name, payload in [("schema.json", json.dumps(schema, indent=2).encode("utf-8"))] + \
                [(new, entries[old]) for old, new in files.items()]:
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            out.writestr(info, payload, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def save_classifier(model: Any, card: Dict[str, Any], model_dir: Optional[Path] = None) -> Path:
    """Persist ``model`` with skops (and its lean export) and a card carrying their checksums; each
    written atomically, and byte-identical when the model is (``canonical_skops``; files whose
    bytes would not change are not rewritten, so their modification times stay too)."""
    import skops.io as sio

    model_dir = Path(model_dir) if model_dir else default_model_dir()
    data = canonical_skops(sio.dumps(model, compression=zipfile.ZIP_DEFLATED, compresslevel=9))
    card = dict(card, sha256=hashlib.sha256(data).hexdigest(), format="skops")
    _write_if_changed(model_dir / MODEL_NAME, data)
    _write_lean_and_card(model, card, model_dir)  # the same predictions without scikit-learn
    return model_dir / MODEL_NAME


def load_card(model_dir: Optional[Path] = None) -> Dict[str, Any]:
    model_dir = Path(model_dir) if model_dir else default_model_dir()
    try:
        return json.loads((model_dir / CARD_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"no classifier in {model_dir}: run `reportie train`") from None
    except ValueError as err:
        raise ModelError(f"{model_dir / CARD_NAME} is not valid JSON ({err})") from None


def load_classifier(model_dir: Optional[Path] = None) -> Any:
    """Load the classifier after checking its checksum and that it holds only trusted types."""
    import skops.io as sio

    model_dir = Path(model_dir) if model_dir else default_model_dir()
    card = load_card(model_dir)
    path = model_dir / MODEL_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"{path} is missing: run `reportie train`") from None
    if hashlib.sha256(data).hexdigest() != card.get("sha256"):
        raise ModelError(f"{path} failed its checksum (tampered or truncated): run `reportie train` to rebuild it")
    try:
        untrusted = sio.get_untrusted_types(data=data)
    except Exception as err:  # skops raises several kinds on a corrupt archive
        raise ModelError(f"{path} is not a readable skops file ({err})") from None
    unexpected = sorted(set(untrusted) - set(TRUSTED_TYPES))
    if unexpected:
        raise ModelError(f"{path} holds types reportie does not trust: {', '.join(unexpected)}")
    try:
        return sio.loads(data, trusted=TRUSTED_TYPES or None)
    except Exception as err:
        raise ModelError(f"{path} could not be loaded ({err})") from None


def load_predictor(model_dir: Optional[Path] = None) -> Any:
    """What the pipeline classifies with: the lean classifier when the card lists it (after
    checking its checksum and the skops model's), else ``load_classifier``'s scikit-learn model."""
    from .leanmodel import LEAN_FORMATS, LeanClassifier  # numpy: imported only to classify

    model_dir = Path(model_dir) if model_dir else default_model_dir()
    card = load_card(model_dir)
    lean = card.get("lean")
    if (not isinstance(lean, dict) or lean.get("file") != LEAN_NAME or lean.get("format") not in LEAN_FORMATS
            or lean.get("source_sha256") != card.get("sha256")):
        return load_classifier(model_dir)
    path = model_dir / LEAN_NAME
    try:
        model_ok = sha256_file(model_dir / MODEL_NAME) == card.get("sha256")
        data = path.read_bytes()
    except OSError:
        model_ok = False
    if not model_ok:
        return load_classifier(model_dir)  # raises the usual error for a missing or altered model
    if hashlib.sha256(data).hexdigest() != lean.get("sha256"):
        raise ModelError(f"{path} failed its checksum (tampered or truncated): run `reportie train` to rebuild it")
    try:
        return LeanClassifier(data)
    except (ValueError, KeyError, TypeError) as err:
        raise ModelError(f"{path} could not be loaded ({err})") from None


def _write_lean_and_card(model: Any, card: Dict[str, Any], model_dir: Path) -> bool:
    """Write ``model``'s lean export (if it has one) and then the card, listing it."""
    from .leanmodel import LEAN_FORMAT, lean_classifier_bytes

    card = dict(card)
    card.pop("lean", None)
    lean = lean_classifier_bytes(model)
    if lean is not None:
        _write_if_changed(model_dir / LEAN_NAME, lean)
        card["lean"] = {"file": LEAN_NAME, "format": LEAN_FORMAT, "sha256": hashlib.sha256(lean).hexdigest(),
                        "source_sha256": card["sha256"]}
    _write_if_changed(model_dir / CARD_NAME, (card_json(card) + "\n").encode("utf-8"))
    return lean is not None


_NUMBER_LIST = re.compile(r"\[(?:\s*-?[0-9][0-9.eE+-]*,)*\s*-?[0-9][0-9.eE+-]*\s*\]")


def card_json(card: Dict[str, Any]) -> str:
    """The card as indented JSON, each list of numbers on one line (the context layer's weights
    and trees are thousands of numbers: one per line made the card unreadable)."""
    text = json.dumps(card, ensure_ascii=False, indent=2, sort_keys=True)
    return _NUMBER_LIST.sub(lambda m: "[" + ", ".join(part.strip() for part in m.group(0)[1:-1].split(",")) + "]", text)


def add_lean_export(model_dir: Optional[Path] = None) -> bool:
    """Write the lean export of an already saved model and list it in its card (for models
    saved before ``save_classifier`` wrote it). Returns whether the model could be exported."""
    model_dir = Path(model_dir) if model_dir else default_model_dir()
    return _write_lean_and_card(load_classifier(model_dir), load_card(model_dir), model_dir)

