"""Generalisation check on four reports the project wrote itself (province, city, county, township),
annotated by hand independently of the extractor and never used for training.

Figures here are reported separately from the seed figures: the texts are authored, not real.
"""

import json
from pathlib import Path

import pytest

import reportie
from reportie.scoring import describe, score_quantities

ANNOTATIONS = Path(__file__).resolve().parents[1] / "annotations"
REPORTS = sorted((ANNOTATIONS / "authored_reports").glob("*.txt"))
QUANTITY_F1_FLOOR = 0.95
SENTENCE_ACCURACY_FLOOR = 0.85
RECORD_TYPE_ACCURACY_FLOOR = 0.90
EXPECTED_LEVELS = {"authored-province": "province", "authored-city": "city",
                   "authored-county": "county", "authored-township": "county"}


def _jsonl(name):
    return [json.loads(line) for line in (ANNOTATIONS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def reports(reportie_home):
    return {path.stem: reportie.extract(path) for path in REPORTS}


def test_quantities_on_held_out_reports(reports, capsys):
    """Spec §2 on text of other levels and styles: full-width punctuation, Chinese numerals, vague forms."""
    predicted = [dict(vars(q), doc=doc) for doc, report in reports.items() for q in report.quantities]
    score = score_quantities(predicted, _jsonl("authored_quantities.jsonl"))
    with capsys.disabled():
        print("\nheld-out authored reports: " + describe(score, limit=10))
    assert score.f1 >= QUANTITY_F1_FLOOR
    assert score.record_type_accuracy >= RECORD_TYPE_ACCURACY_FLOOR  # issue 4: record_type on unseen text


def test_sentence_labels_on_held_out_reports(reports, capsys):
    """Spec §1 on reports the classifier never saw."""
    gold = {(r["doc"], r["start"], r["end"]): r["label"] for r in _jsonl("authored_sentences.jsonl")}
    pairs = [(gold[(doc, s.start, s.end)], s.label) for doc, report in reports.items() for s in report.sentences
             if (doc, s.start, s.end) in gold]
    assert len(pairs) == len(gold)
    accuracy = sum(g == p for g, p in pairs) / len(pairs)
    with capsys.disabled():
        print(f"\nheld-out authored reports: sentence accuracy {accuracy:.3f} over {len(pairs)} sentences")
    assert accuracy >= SENTENCE_ACCURACY_FLOOR


def test_metadata_levels(reports):
    """Spec §3: a province, a city, a county and a township body (townships are county level)."""
    assert {doc: r.level for doc, r in reports.items()} == EXPECTED_LEVELS
    assert all(r.year == 2023 and r.body for r in reports.values())
