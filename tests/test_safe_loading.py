"""Safe loading of models (issue 5, point 3).

The sentence classifier loads through skops with reportie's explicit trusted list, after a
sha256 check against its card; the lean export the pipeline predicts with is checked the same
way; no pickle is read at run time. The pkuseg model files are checked against their manifest:
tests/test_segmenter.py covers that (tampered and truncated files, the restricted fetch-time
unpickler), so it is not repeated here.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import skops.io as sio

from reportie.components.classifier import ReportClassifier
from reportie.modelstore import (
    CARD_NAME,
    MODEL_NAME,
    TRUSTED_TYPES,
    ModelError,
    default_model_dir,
    load_card,
    load_classifier,
    load_predictor,
)

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "reportie"
SHIPPED = default_model_dir()


@pytest.fixture
def model_copy(tmp_path) -> Path:
    """The shipped model folder (skops file, lean export, card) copied into a tmp dir."""
    copy = tmp_path / "model"
    shutil.copytree(SHIPPED, copy)
    return copy


def card_of(folder: Path) -> dict:
    return json.loads((folder / CARD_NAME).read_text(encoding="utf-8"))


def write_card(folder: Path, card: dict) -> None:
    (folder / CARD_NAME).write_text(json.dumps(card), encoding="utf-8")


def flip_byte(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def refresh_checksum(folder: Path) -> None:
    """Make the card agree with the (altered) skops file, as an attacker with write access would."""
    card = card_of(folder)
    card["sha256"] = hashlib.sha256((folder / MODEL_NAME).read_bytes()).hexdigest()
    card.pop("lean", None)
    write_card(folder, card)


def assert_clear(err: pytest.ExceptionInfo, path_part: str) -> None:
    message = str(err.value)
    assert path_part in message and "\n" not in message, message


# ----------------------------------------------------------------------------- the shipped model


def test_shipped_model_holds_only_trusted_types():
    data = (SHIPPED / MODEL_NAME).read_bytes()
    assert set(sio.get_untrusted_types(data=data)) <= set(TRUSTED_TYPES)


def test_shipped_model_matches_its_card_and_loads():
    card = load_card()
    assert card["format"] == "skops"
    assert hashlib.sha256((SHIPPED / MODEL_NAME).read_bytes()).hexdigest() == card["sha256"]
    model = load_classifier()
    assert sorted(str(c) for c in model.classes_) == sorted(card["labels"])
    assert sorted(str(c) for c in load_predictor().classes_) == sorted(card["labels"])


# ----------------------------------------------------------------------------- tampering


@pytest.mark.parametrize("where", [0.1, 0.5, -10])
def test_tampered_model_is_refused(model_copy, where):
    path = model_copy / MODEL_NAME
    size = path.stat().st_size
    flip_byte(path, int(size * where) if where > 0 else size + where)
    for load in (load_classifier, load_predictor):
        with pytest.raises(ModelError, match="failed its checksum") as err:
            load(model_copy)
        assert_clear(err, MODEL_NAME)
    # The pipeline component surfaces the same error.
    with pytest.raises(ModelError, match="failed its checksum"):
        ReportClassifier(None, "report_classifier", "reportie", str(model_copy)).model


def test_tampered_model_with_a_matching_card_is_still_refused(model_copy):
    """Second line of defence: with the checksum forged, skops itself must reject the archive."""
    path = model_copy / MODEL_NAME
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)  # zero a block inside the zip
    path.write_bytes(bytes(data))
    refresh_checksum(model_copy)
    with pytest.raises(ModelError) as err:
        load_classifier(model_copy)
    assert_clear(err, MODEL_NAME)


def test_truncated_model_is_refused(model_copy):
    path = model_copy / MODEL_NAME
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    with pytest.raises(ModelError, match="failed its checksum") as err:
        load_classifier(model_copy)
    assert_clear(err, MODEL_NAME)
    refresh_checksum(model_copy)
    with pytest.raises(ModelError, match="not a readable skops file|could not be loaded") as err:
        load_classifier(model_copy)
    assert_clear(err, MODEL_NAME)


def test_card_with_a_mismatching_checksum_is_refused(model_copy):
    card = card_of(model_copy)
    card["sha256"] = "0" * 64
    write_card(model_copy, card)
    for load in (load_classifier, load_predictor):
        with pytest.raises(ModelError, match="failed its checksum"):
            load(model_copy)


@pytest.mark.parametrize("card_text", [None, "{not json", ""])
def test_missing_or_broken_card_is_a_model_error(model_copy, card_text):
    if card_text is None:
        (model_copy / CARD_NAME).unlink()
    else:
        (model_copy / CARD_NAME).write_text(card_text, encoding="utf-8")
    with pytest.raises(ModelError) as err:
        load_classifier(model_copy)
    assert "\n" not in str(err.value)


def test_missing_model_file_is_a_model_error(model_copy):
    (model_copy / MODEL_NAME).unlink()
    with pytest.raises(ModelError, match="missing"):
        load_classifier(model_copy)
    with pytest.raises(ModelError, match="missing"):
        load_predictor(model_copy)


class Gadget:
    """A type skops does not know: a stand-in for anything that could run code on load."""

    def __init__(self) -> None:
        self.payload = "rm -rf"


def test_model_with_an_untrusted_type_is_refused_even_with_a_valid_checksum(model_copy):
    (model_copy / MODEL_NAME).write_bytes(sio.dumps({"model": Gadget()}))
    refresh_checksum(model_copy)
    with pytest.raises(ModelError, match="does not trust") as err:
        load_classifier(model_copy)
    assert "Gadget" in str(err.value)


def test_tampered_or_truncated_lean_export_is_refused(model_copy):
    card = card_of(model_copy)
    if not isinstance(card.get("lean"), dict):
        pytest.skip("the shipped model has no lean export")
    lean = model_copy / card["lean"]["file"]
    original = lean.read_bytes()
    flip_byte(lean, len(original) // 2)
    with pytest.raises(ModelError, match="failed its checksum") as err:
        load_predictor(model_copy)
    assert_clear(err, lean.name)
    lean.write_bytes(original[: len(original) // 2])
    with pytest.raises(ModelError, match="failed its checksum"):
        load_predictor(model_copy)
    # Forged checksum on a broken export: the reader refuses it, it does not crash.
    card["lean"]["sha256"] = hashlib.sha256(lean.read_bytes()).hexdigest()
    write_card(model_copy, card)
    with pytest.raises(ModelError, match="could not be loaded"):
        load_predictor(model_copy)


# ----------------------------------------------------------------------------- no pickle at run time

PICKLE_MODULES = {"pickle", "cPickle", "_pickle", "joblib", "dill", "cloudpickle", "shelve"}


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                yield node, func.value.id, func.attr
            elif isinstance(func, ast.Name):
                yield node, None, func.id


def test_no_pickle_load_in_the_source():
    """``pickle.load``/``pickle.loads``/``joblib.load`` appear nowhere; only the segmenter's
    ``unpickle`` module imports pickle, for its restricted fetch-time unpickler; every
    ``np.load`` refuses pickles."""
    importers = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                names = {(node.module or "").split(".")[0]}
            else:
                continue
            for name in names & PICKLE_MODULES:
                importers.setdefault(path.name, set()).add(name)
        for call, owner, attr in _calls(tree):
            where = f"{path.relative_to(SRC)}:{call.lineno}"
            assert not (owner in PICKLE_MODULES and attr in ("load", "loads", "Unpickler")), where
            if owner in ("np", "numpy") and attr == "load":
                flags = {kw.arg: kw.value for kw in call.keywords}
                assert "allow_pickle" in flags and isinstance(flags["allow_pickle"], ast.Constant) \
                    and flags["allow_pickle"].value is False, where
    assert importers == {"unpickle.py": {"pickle"}}
    segmenter = (SRC / "segmenter" / "unpickle.py").read_text(encoding="utf-8")
    assert "class _DataOnlyUnpickler(pickle.Unpickler)" in segmenter
    assert segmenter.count("pickle.Unpickler") == 1


RUNTIME_PROBE = r"""
import pickle, sys
def refuse(*args, **kwargs):
    raise AssertionError("pickle used at run time")
class Refuse:
    def __init__(self, *args, **kwargs):
        refuse()
pickle.load = pickle.loads = refuse
pickle.Unpickler = Refuse
try:
    import joblib
    joblib.load = refuse
except ImportError:
    pass
import reportie
report = reportie.extract(sys.argv[1])
assert report.sentences and report.quantities and all(s.label for s in report.sentences)
print("ok", len(report.sentences))
"""


def test_extraction_runs_with_pickle_disabled(reportie_home):
    """A fresh process with pickle and joblib loading disabled extracts a seed report, labels
    included: neither the classifier nor the cached segmenter reads a pickle."""
    from reportie.segmenter import model_dir

    model_dir()  # fetch the pkuseg model first if this is a fresh cache: the probe runs offline
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    result = subprocess.run([sys.executable, "-c", RUNTIME_PROBE, str(seed)], capture_output=True, text=True,
                            timeout=600, env={**os.environ, "REPORTIE_OFFLINE": "1"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("ok ")
