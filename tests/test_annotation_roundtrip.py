"""The annotators' loop end to end through ``reportie.cli.main``, once per labelling tool:
export → change one label in the exported file (as the tool would) → import → train → evaluate;
a new report through the loop; and ``train`` on unchanged annotations leaving the model's files
byte-identical.

Works on copies of the seed annotations (the seed and authored sentences of sentences.jsonl, to
keep the out-of-fold scoring quick) and seeds/ in tmp_path; every model is written to tmp_path
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
from reportie.training import train

ROOT = Path(__file__).resolve().parents[1]
N_SEED_SENTENCES = 436
LIMIT = 25


def _fingerprint(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*")) if p.is_file()} if folder.is_dir() else {}


@pytest.fixture(scope="module")
def base_model(seed_trained_model) -> Path:
    """A classifier trained on the seed annotations, for the export's predictions (the session's
    one model trained on the seed labels, ``conftest.seed_trained_model``)."""
    return seed_trained_model


@pytest.fixture()
def work(seed_workspace: Path) -> Path:
    return seed_workspace


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
    # uncertain: the most uncertain sentence of each report first (round-robin), smallest margin first within a report
    docs = [_meta(fmt, i)["doc"] for i in items]
    assert len(set(docs[:5])) == 5
    for doc in set(docs):
        margins = [_meta(fmt, i)["margin"] for i in items if _meta(fmt, i)["doc"] == doc]
        assert margins == sorted(margins)
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
        assert '<Choices name="category" toName="text" choice="single" required="true">' in config
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

    assert main(["annotate", "lint", *where]) == 0
    if fmt != "label-studio":
        return  # the import is what differs between the tools; train and evaluate once (below)
    model = work / "model"
    assert main(["train", "--model-dir", str(model), "--quiet", *where]) == 0
    card = json.loads((model / CARD_NAME).read_text(encoding="utf-8"))
    assert (model / MODEL_NAME).is_file() and card["n_sentences"] == len(original)
    # Training saw the corrected label: one sentence moved from the old label to the new one.
    base = json.loads((base_model / CARD_NAME).read_text(encoding="utf-8"))["label_counts"]
    moved = {lab: card["label_counts"].get(lab, 0) - base.get(lab, 0) for lab in LABELS}
    assert moved == {lab: (lab == new) - (lab == old) for lab in LABELS}

    assert main(["evaluate", "--quiet", *where]) == 0
    report = capsys.readouterr().out
    assert "macro" in report

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
    # The scores are out of fold: a model that trained on a sentence agrees with its gold label
    # more often than the models that did not.
    from reportie.annotation.loop import _pipeline_with_model
    from reportie.extraction import extract

    nlp = _pipeline_with_model(base_model)
    gold = {(i["meta"]["doc"], i["meta"]["start"], i["meta"]["end"]): i["meta"]["gold"] for i in items}
    in_sample = sum(gold.get((path.stem, s.start, s.end)) == s.label
                    for path in sorted((work / "seeds").glob("*.txt")) for s in extract(path, nlp=nlp).sentences)
    out_of_fold = sum(i["meta"]["prediction"] == i["meta"]["gold"] for i in items)
    assert out_of_fold < in_sample, (out_of_fold, in_sample)


NEW_REPORT = ROOT / "tests" / "data" / "authored-loop-district.txt"  # written for the tests, not a real report


def test_a_new_report_goes_through_the_loop(work, base_model, capsys):
    """A report not in annotations/: its sentences are exported with the model's scores, and
    import stores its text in annotations/reports/ beside the new labels."""
    from reportie.training import build_training_set

    annotations, seeds = work / "annotations", work / "seeds"
    where = ["--annotations", str(annotations), "--seeds", str(seeds)]
    (work / "inbox").mkdir()
    shutil.copy(NEW_REPORT, work / "inbox")
    doc = NEW_REPORT.stem
    assert main(["annotate", "export", str(work / "inbox"), "--format", "doccano", "--select", "random", "--limit", "6",
                 "--output", f"{work}/review/", "--model-dir", str(base_model), *where]) == 0
    items = _read_export("doccano", work / "review" / "tasks.jsonl")
    text = NEW_REPORT.read_text(encoding="utf-8")
    assert len(items) == 6 and (work / "review" / "reports" / f"{doc}.txt").read_text(encoding="utf-8") == text
    for item in items:
        meta = item["meta"]
        assert meta["doc"] == doc and meta["gold"] is None and text[meta["start"]:meta["end"]] == item["text"]
        assert meta["prediction"] in LABELS and set(meta["scores"]) == set(LABELS) and "section" in meta
        assert item["label"] == [meta["prediction"]]  # pre-filled with the model's label: no gold yet
    target = items[0]
    new = next(lab for lab in LABELS if lab != target["meta"]["prediction"])
    target["label"] = [new]
    _write_export("doccano", work / "review" / "export.jsonl", items)
    capsys.readouterr()
    assert main(["annotate", "import", str(work / "review" / "export.jsonl"), "--annotator", "alice", *where]) == 0
    assert "stored report text" in capsys.readouterr().out
    assert (annotations / "reports" / f"{doc}.txt").read_text(encoding="utf-8") == text
    mine = [json.loads(line) for line in (annotations / "sentences.jsonl").read_text(encoding="utf-8").splitlines()
            if json.loads(line)["doc"] == doc]
    assert len(mine) == 6 and {r["source"] for r in mine} == {"report"} and {r["annotator"] for r in mine} == {"alice"}
    assert main(["annotate", "lint", *where]) == 0
    data = build_training_set(annotations, seeds)
    assert data.groups.count(doc) == 6  # training finds the text and rebuilds the context


def test_train_on_unchanged_annotations_leaves_the_model_files_byte_identical(work, base_model):
    model = work / "model"
    shutil.copytree(base_model, model)
    before = _fingerprint(model)
    times = {p.name: p.stat().st_mtime_ns for p in model.iterdir()}
    train(annotations_dir=work / "annotations", model_dir=model, seeds_dir=work / "seeds")  # `reportie train`
    assert _fingerprint(model) == before and set(before) == {MODEL_NAME, CARD_NAME, "classifier.lean"}
    assert {p.name: p.stat().st_mtime_ns for p in model.iterdir()} == times  # not even rewritten


def test_canonical_skops_removes_ids_uuids_and_times():
    import io
    import time as _time
    import zipfile

    import skops.io as sio
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    from reportie.modelstore import canonical_skops

    model = Pipeline([("model", LogisticRegression().fit([[0.0], [1.0]], ["a", "b"]))])
    first = sio.dumps(model, compression=zipfile.ZIP_DEFLATED)
    _time.sleep(2.1)  # zip times have 2-second resolution
    second = sio.dumps(Pipeline([("model", LogisticRegression().fit([[0.0], [1.0]], ["a", "b"]))]),
                       compression=zipfile.ZIP_DEFLATED)
    assert first != second
    assert canonical_skops(first) == canonical_skops(second)
    loaded = sio.loads(canonical_skops(first), trusted=None)
    assert list(loaded.predict([[0.0], [1.0]])) == ["a", "b"]
    with zipfile.ZipFile(io.BytesIO(canonical_skops(first))) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
