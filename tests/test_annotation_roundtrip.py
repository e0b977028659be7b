"""The annotators' loop end to end through ``reportie.cli.main``, once per labelling tool:
export → change one label in the exported file (as the tool would) → import → train → evaluate.

Works on copies of annotations/ and seeds/ in tmp_path; every model is written to tmp_path
(``--model-dir``), so the shipped model and the repo's annotations are never touched.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reportie import LABELS
from reportie.cli import main
from reportie.modelstore import CARD_NAME, MODEL_NAME, default_model_dir

ROOT = Path(__file__).resolve().parents[1]
N_SEED_SENTENCES = 436
LIMIT = 25


def _fingerprint(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*")) if p.is_file()} if folder.is_dir() else {}


@pytest.fixture(scope="module")
def base_model(tmp_path_factory) -> Path:
    """A classifier trained on the seed annotations, for the export's predictions."""
    work = tmp_path_factory.mktemp("base")
    shutil.copytree(ROOT / "annotations", work / "annotations")
    shutil.copytree(ROOT / "seeds", work / "seeds")
    model = work / "model"
    assert main(["train", "--annotations", str(work / "annotations"), "--seeds", str(work / "seeds"),
                 "--model-dir", str(model), "--quiet"]) == 0
    return model


@pytest.fixture()
def work(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "annotations", tmp_path / "annotations")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


def _read_export(fmt: str, path: Path) -> list:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if fmt == "label-studio" else [json.loads(line) for line in text.splitlines()]


def _write_export(fmt: str, path: Path, items: list) -> None:
    if fmt == "label-studio":
        path.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")


def _meta(fmt: str, item: dict) -> dict:
    return item["meta"]


def _check_shape(fmt: str, items: list, out: Path) -> None:
    assert len(items) == LIMIT
    margins = [_meta(fmt, i)["margin"] for i in items]
    assert margins == sorted(margins), "uncertain: smallest margin first"
    for item in items:
        meta = _meta(fmt, item)
        assert meta["sid"] == f"{meta['doc']}:{meta['start']}:{meta['end']}"
        assert meta["prediction"] in LABELS and meta["gold"] in LABELS and 0 < meta["score"] <= 1
        assert "section" in meta
        seed = (out.parent / "seeds" / f"{meta['doc']}.txt").read_text(encoding="utf-8")
        text = item["data"]["text"] if fmt == "label-studio" else item["text"]
        assert seed[meta["start"]:meta["end"]] == text
    if fmt == "label-studio":
        config = out.with_name(out.stem + ".config.xml").read_text(encoding="utf-8")
        assert '<Choices name="category" toName="text" choice="single">' in config
        assert all(f'<Choice value="{label}"/>' in config for label in LABELS)
        for task in items:
            assert "id" not in task  # Label Studio assigns its own integer ids
            assert {"text", "doc", "start", "end", "sid"} <= set(task["data"])
            (prediction,) = task["predictions"]
            assert prediction["model_version"].startswith("reportie") and prediction["score"] == task["meta"]["score"]
            assert prediction["result"] == [{"from_name": "category", "to_name": "text", "type": "choices",
                                             "value": {"choices": [task["meta"]["prediction"]]}}]
    elif fmt == "doccano":
        # Pre-filled with the gold label (the model's label where there is none).
        assert all(item["label"] == [item["meta"]["gold"]] for item in items)
    else:
        for item in items:
            assert [o["id"] for o in item["options"]] == list(LABELS)
            assert item["accept"] == [item["meta"]["gold"]] and item["answer"] == "accept"
            assert item["score"] == item["meta"]["score"]


def _edit_one(fmt: str, items: list) -> tuple:
    """Change the label of the most uncertain sentence the way the tool's export would show it."""
    item = items[0]
    meta = _meta(fmt, item)
    new = next(lab for lab in LABELS if lab not in (meta["gold"], meta["prediction"]))
    if fmt == "label-studio":
        item["annotations"] = [{"id": 1, "completed_by": 1, "was_cancelled": False, "lead_time": 3.2,
                                "result": [{"id": "r1", "from_name": "category", "to_name": "text",
                                            "type": "choices", "origin": "manual", "value": {"choices": [new]}}]}]
    elif fmt == "doccano":
        item["label"] = [new]
    else:
        item["accept"] = [new]
    return (meta["doc"], meta["start"], meta["end"]), meta["gold"], new


@pytest.mark.parametrize("fmt", ["label-studio", "doccano", "prodigy"])
def test_export_edit_import_train_evaluate(fmt, work, base_model, capsys):
    annotations, seeds = work / "annotations", work / "seeds"
    where = ["--annotations", str(annotations), "--seeds", str(seeds)]
    sentences = annotations / "sentences.jsonl"
    original = sentences.read_text(encoding="utf-8").splitlines()
    shipped = _fingerprint(default_model_dir())

    out = work / ("queue.json" if fmt == "label-studio" else "queue.jsonl")
    assert main(["annotate", "export", "--format", fmt, "--select", "uncertain", "--limit", str(LIMIT),
                 "--output", str(out), "--model-dir", str(base_model), *where]) == 0
    items = _read_export(fmt, out)
    _check_shape(fmt, items, out)

    # The untouched export changes nothing.
    assert main(["annotate", "import", str(out), "--annotator", "gold-1", *where]) == 0
    assert sentences.read_text(encoding="utf-8").splitlines() == original
    capsys.readouterr()

    key, old, new = _edit_one(fmt, items)
    _write_export(fmt, out, items)
    assert main(["annotate", "import", str(out), "--annotator", "gold-1", *where]) == 0
    printed = capsys.readouterr().out
    assert f"{key[0]}:{key[1]}:{key[2]}  {old} -> {new}" in printed and "1 changed" in printed

    after = sentences.read_text(encoding="utf-8").splitlines()
    assert len(after) == len(original)
    differing = [(json.loads(a), json.loads(b)) for a, b in zip(original, after) if a != b]
    assert len(differing) == 1
    before_record, after_record = differing[0]
    assert (after_record["doc"], after_record["start"], after_record["end"]) == key
    assert (before_record["label"], after_record["label"]) == (old, new)
    assert after_record["annotator"] == "gold-1" and after_record["updated"] != before_record["updated"]
    assert {k: v for k, v in after_record.items() if k not in ("label", "updated")} == \
        {k: v for k, v in before_record.items() if k not in ("label", "updated")}

    model = work / "model"
    assert main(["train", "--model-dir", str(model), "--quiet", *where]) == 0
    assert f"({N_SEED_SENTENCES} seed, " in capsys.readouterr().out
    card = json.loads((model / CARD_NAME).read_text(encoding="utf-8"))
    assert (model / MODEL_NAME).is_file() and card["n_seed"] == N_SEED_SENTENCES
    # Training saw the corrected label: one sentence moved from the old label to the new one.
    base = json.loads((base_model / CARD_NAME).read_text(encoding="utf-8"))["label_counts"]
    moved = {lab: card["label_counts"].get(lab, 0) - base.get(lab, 0) for lab in LABELS}
    assert moved == {lab: (lab == new) - (lab == old) for lab in LABELS}

    assert main(["evaluate", "--quiet", *where]) == 0
    report = capsys.readouterr().out
    assert f"{N_SEED_SENTENCES} seed sentences" in report and "macro" in report

    assert main(["annotate", "lint", *where]) == 0
    assert _fingerprint(default_model_dir()) == shipped


def test_export_all_keeps_document_order_and_covers_every_sentence(work, base_model):
    out = work / "all.jsonl"
    assert main(["annotate", "export", "--format", "doccano", "--select", "all", "--output", str(out),
                 "--model-dir", str(base_model), "--annotations", str(work / "annotations"),
                 "--seeds", str(work / "seeds")]) == 0
    items = _read_export("doccano", out)
    assert len(items) == N_SEED_SENTENCES
    keys = [(i["meta"]["doc"], i["meta"]["start"]) for i in items]
    assert keys == sorted(keys)
    assert all(i["meta"]["gold"] is not None for i in items)


def test_export_uses_the_shipped_model_by_default(work):
    if not (default_model_dir() / CARD_NAME).is_file():
        pytest.skip("no shipped classifier in reportie/data/model yet")
    out = work / "queue.jsonl"
    assert main(["annotate", "export", "--format", "prodigy", "--limit", "5", "--output", str(out),
                 "--annotations", str(work / "annotations"), "--seeds", str(work / "seeds")]) == 0
    assert len(_read_export("prodigy", out)) == 5
