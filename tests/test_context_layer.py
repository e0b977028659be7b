"""The context layer (issue 10 point 4): a sentence's label read beside its section and document."""

import numpy as np

import reportie
from reportie.context import ContextLayer, document_features, section_ids


def test_a_heading_run_opens_one_section():
    assert section_ids([True, True, False, False, True, False]) == [0, 0, 0, 0, 1, 1]
    assert section_ids([False, False, True, False]) == [0, 0, 1, 1]


def test_features_read_neighbours_section_and_document():
    p = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    f = document_features(p, [True, False, False])
    k = 2
    assert f.shape == (3, 6 * k + 1)
    np.testing.assert_allclose(f[1, k:2 * k], p[0])  # the sentence before
    np.testing.assert_allclose(f[1, 2 * k:3 * k], p[2])  # the sentence after
    np.testing.assert_allclose(f[0, 2 * k:3 * k], p[1])
    np.testing.assert_allclose(f[0, k:2 * k], [0.5, 0.5])  # nothing before the first: uniform
    np.testing.assert_allclose(f[0, 4 * k:5 * k], (p[1] + p[2]) / 2)  # the document without itself
    assert f[0, 5 * k] == 1.0 and f[1, 5 * k] == 0.0  # the heading flag


def test_layer_round_trips_through_its_card_entry():
    layer = ContextLayer(["a", "b"], np.arange(26, dtype=float).reshape(2, 13) / 10, np.array([0.1, -0.1]))
    again = ContextLayer.from_dict(layer.to_dict())
    p = np.array([[0.7, 0.3], [0.4, 0.6]])
    np.testing.assert_allclose(layer.predict_proba(p, [False, False]), again.predict_proba(p, [False, False]))
    np.testing.assert_allclose(layer.predict_proba(p, [False, False]).sum(axis=1), 1.0)


def test_shipped_model_has_a_context_layer_and_scores_sum_to_one(reportie_home):
    """Spec §1 gives one label per sentence; its scores are a probability distribution."""
    from reportie.modelstore import load_card

    assert load_card()["context_layer"]["format"] == "reportie-context/1"
    report = reportie.extract("常委会组织开展食品安全法执法检查。\n全年办结代表建议120件。\n")
    for sentence in report.sentences:
        assert abs(sum(sentence.scores.values()) - 1.0) < 1e-3
        assert sentence.label == max(sentence.scores, key=sentence.scores.get)
