"""The sentence classifier (issues 3 and 10): leave-one-document-out evaluation per source beside
the keyword baseline, calibration, determinism, the shipped model's card."""

from pathlib import Path

import pytest

import reportie
from reportie.modelstore import load_card
from reportie.training import evaluate, format_evaluation

ROOT = Path(__file__).resolve().parents[1]
# Floors a little under the figures `reportie evaluate` printed when the model was shipped (README).
DEV_MACRO_F1_FLOOR = 0.82
SEED_MACRO_F1_FLOOR = 0.83
ECE_CEILING = 0.05  # issue 10 point 6: the dev corpus's expected calibration error
# The seeds (436 sentences, five documents, ten bins) are a noisier gauge: 0.048 with 78 authored
# pages, 0.053 with 140 (reportie evaluate); held under a ceiling of their own.
SEED_ECE_CEILING = 0.06


@pytest.fixture(scope="module")
def evaluation(reportie_home):
    return evaluate(ROOT / "annotations")


def test_leave_one_document_out_per_source_beats_keyword_baseline(evaluation, capsys):
    """Spec §1 labels, judged on documents the model did not train on: the dev corpus (real
    pages of other congresses) first, then the seeds and the authored pages, each beside the
    rulers-only baseline; the scores are calibrated (issue 10 point 6)."""
    with capsys.disabled():
        print("\n" + format_evaluation(evaluation))
    dev, seed = evaluation.by_source["dev-corpus"], evaluation.by_source["seed"]
    assert len(dev["folds"]) == 40 and len(seed["folds"]) == 5 and seed["n_sentences"] == 436
    assert dev["model"]["macro_f1"] >= DEV_MACRO_F1_FLOOR
    assert seed["model"]["macro_f1"] >= SEED_MACRO_F1_FLOOR
    for figures in (dev, seed):
        assert figures["model"]["macro_f1"] > figures["baseline"]["macro_f1"] + 0.2
    assert dev["ece"] <= ECE_CEILING and seed["ece"] <= SEED_ECE_CEILING
    assert evaluation.traditional["n_sentences"] >= 50  # the dev corpus's pages in traditional script


# Determinism (issue 13 point 6: retraining unchanged annotations leaves every model file
# byte-identical) is tested in test_annotation_roundtrip.py.


def test_shipped_model_matches_the_annotations(reportie_home):
    """The model in the package was trained on the annotations in the repo (retrain after editing them)."""
    from reportie.training import _annotation_digest

    card = load_card()
    assert card["annotations_sha256"] == _annotation_digest(ROOT / "annotations")
    assert card["n_by_source"]["seed"] == 436
    # Issue 10: trained on every source, each listed with a checksum.
    assert set(card["training_sources"]) == {"seed", "dev-corpus", "authored"}
    assert card["training_sources"]["dev-corpus"]["documents"] == 40
    assert all(len(entry["sha256"]) == 64 for entry in card["training_sources"].values())


def test_labels_read_right_on_clear_sentences(reportie_home):
    """Spec §1: one sentence of each category, as a reader of these reports would label it."""
    text = ("强化监督 服务大局彰显担当\n"
            "常委会组成人员开展《中华人民共和国食品安全法》执法检查，听取审议区政府关于财政预算执行情况的报告。\n"
            "全年制定地方性法规3部，修改《某某市物业管理条例》。\n"
            "组织全区人大代表集中培训2期，办结代表建议158件。\n"
            "常委会党组坚持“第一议题”制度，扎实开展主题教育。\n"
            "依法任免国家机关工作人员53名。\n")
    labels = [s.label for s in reportie.extract(text).sentences]
    assert labels == ["supervision", "supervision", "legislation", "deputy_work", "self_building", "other"]
