"""The sentence model's two readers (issue 10 point 4): one reads a sentence with its section,
neighbours, paragraph and document, the other the sentence alone; their probabilities are averaged.
The lean export the pipeline predicts with gives the scikit-learn model's floats."""

import copy
import json
from pathlib import Path

import numpy as np
import pytest

from reportie.features import ROW_WIDTH, feature_rows, own_groups, sentence_tokens
from reportie.leanmodel import LEAN_FORMAT, LeanClassifier, _LEAN_MAGIC, lean_classifier_bytes
from reportie.modelstore import load_card, load_classifier, load_predictor

ROOT = Path(__file__).resolve().parents[1]
CONTEXT_PREFIXES = ("S_", "P_", "N_", "C_", "D_", "G_")


@pytest.fixture(scope="module")
def seed_sentences(reportie_home):
    from reportie.pipeline import load

    text = (ROOT / "seeds" / "002_9911ad027f31c7ac.txt").read_text(encoding="utf-8")
    return sentence_tokens(load(classifier=False)(text))


@pytest.fixture(scope="module")
def model(reportie_home):
    return load_classifier()


def test_the_own_column_holds_the_sentence_alone(seed_sentences):
    rows = feature_rows(seed_sentences)
    assert rows.shape == (len(seed_sentences), ROW_WIDTH)
    for (text, groups), (sentence, tokens, own) in zip(seed_sentences, rows.tolist()):
        assert sentence == text
        assert not any(token.startswith(CONTEXT_PREFIXES) for token in own.split())
        assert set(own.split()) <= set(tokens.split())  # the same words and spans, nothing else
        assert own.split() == [word for _prefix, words in own_groups(groups) for word in words]
    # the context column does hold the neighbours' words
    assert any(token.startswith("N_") for row in rows.tolist() for token in row[1].split())


def test_the_sentence_reader_does_not_read_the_neighbours(seed_sentences, model):
    sentence_reader = model.named_estimators_["sentence"]
    rows = feature_rows(seed_sentences)
    moved = rows.copy()
    moved[:, 1] = moved[::-1, 1]  # every sentence given another sentence's context
    np.testing.assert_array_equal(sentence_reader.predict_proba(rows), sentence_reader.predict_proba(moved))
    assert not np.array_equal(model.predict_proba(rows), model.predict_proba(moved))


def test_the_model_is_the_mean_of_its_readers(seed_sentences, model):
    rows = feature_rows(seed_sentences)
    readers = [reader.predict_proba(rows) for reader in model.estimators_]
    np.testing.assert_array_equal(model.predict_proba(rows), np.mean(readers, axis=0))


def test_the_lean_export_gives_the_same_floats_on_a_report(seed_sentences, model):
    card = load_card()
    assert card["lean"]["format"] == LEAN_FORMAT
    lean = load_predictor()
    assert isinstance(lean, LeanClassifier) and len(lean._readers) == 2
    expected = model.predict_proba(feature_rows(seed_sentences))
    grouped = lean.predict_proba_grouped([(text, groups, own_groups(groups)) for text, groups in seed_sentences])
    assert expected.tobytes() == grouped.tobytes()
    assert expected.tobytes() == lean.predict_proba(feature_rows(seed_sentences)).tobytes()
    # the readers' character vectorizers are one and the same: read once
    blocks = [id(block) for blocks, _coef, _intercept in lean._readers for block, _offset in blocks]
    assert len(set(blocks)) == 3


def test_a_lean_export_of_one_reader_still_loads_in_the_first_format(seed_sentences, model):
    """A model saved before the second reader (format /1: one reader, its blocks at the top)."""
    voting = model
    model = copy.deepcopy(voting.named_estimators_["context"])
    model.named_steps["model"].classes_ = voting.classes_  # a reader fitted alone: named labels
    rows = feature_rows(seed_sentences)
    data = lean_classifier_bytes(model)  # a single Pipeline exports as one reader
    assert data is not None
    size = int.from_bytes(data[8:16], "little")
    meta = json.loads(data[16:16 + size].decode("utf-8"))
    (reader,) = meta.pop("readers")
    meta.update(reader, format="reportie-tfidf-logreg/1")
    meta["arrays"] = {name[len("r0_"):]: layout for name, layout in meta["arrays"].items()}
    header = json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8")
    old = _LEAN_MAGIC + len(header).to_bytes(8, "little") + header + data[16 + size:]
    got = LeanClassifier(old).predict_proba(rows)
    assert got.tobytes() == model.predict_proba(rows).tobytes()


def test_a_model_of_two_columns_still_classifies_without_its_lean_export(seed_sentences, model, tmp_path):
    """A skops model trained before the sentence reader (rows of two columns, no lean export)."""
    from reportie.components.classifier import ReportClassifier
    from reportie.modelstore import save_classifier
    from reportie.pagehead import page_head, settle_page_head

    voting = model
    reader = copy.deepcopy(voting.named_estimators_["context"])
    reader.named_steps["model"].classes_ = voting.classes_
    rows = feature_rows(seed_sentences)
    two_columns = copy.deepcopy(reader)
    two_columns.named_steps["features"].n_features_in_ = 2  # as fitted on [sentence, tokens] rows
    save_classifier(two_columns, {"labels": [str(c) for c in voting.classes_]}, tmp_path)
    card = json.loads((tmp_path / "classifier.json").read_text(encoding="utf-8"))
    card.pop("lean")  # no lean export: the skops model predicts
    (tmp_path / "classifier.json").write_text(json.dumps(card), encoding="utf-8")
    classifier = ReportClassifier(None, model_dir=tmp_path)
    labels = classifier._labels(seed_sentences)
    assert len(labels) == len(seed_sentences)
    classes = [str(c) for c in voting.classes_]
    expected = settle_page_head(reader.predict_proba(rows), classes, page_head([text for text, _groups in seed_sentences]))
    assert [label.label for label in labels] == [classes[i] for i in expected.argmax(axis=1)]
