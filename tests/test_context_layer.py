"""The context layer (issue 10 point 4): a sentence's label read beside its paragraph, section and
document."""

import numpy as np
import pytest

import reportie
from reportie.context import ContextLayer, document_features, paragraph_ids, section_ids
from reportie.docspans import DocSentence


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


def test_a_line_break_opens_a_paragraph():
    parts = ["一、监督工作", "常委会听取审议计划执行情况报告。", "开展执法检查3次。", "代表建议办结率100%。"]
    text = f"{parts[0]}\n{parts[1]}{parts[2]}\n{parts[3]}"
    sentences = [DocSentence(text.index(part), text.index(part) + len(part), False, None) for part in parts]
    assert paragraph_ids(text, sentences) == [0, 1, 1, 2]
    assert paragraph_ids(text, []) == []


def test_features_read_the_paragraph_without_the_sentence_itself():
    p = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    f = document_features(p, [False] * 4, [0, 1, 1, 1])
    k = 2
    assert f.shape == (4, 7 * k + 1)
    np.testing.assert_allclose(f[1, 4 * k:5 * k], (p[2] + p[3]) / 2)  # its paragraph's other sentences
    np.testing.assert_allclose(f[0, 4 * k:5 * k], [0.5, 0.5])  # alone in its paragraph: uniform
    np.testing.assert_allclose(f[0, 5 * k:6 * k], (p[1] + p[2] + p[3]) / 3)  # the document without itself


def test_layer_round_trips_through_its_card_entry():
    p = np.array([[0.7, 0.3], [0.4, 0.6]])
    for layer in (ContextLayer(["a", "b"], np.arange(30, dtype=float).reshape(2, 15) / 10, np.array([0.1, -0.1])),
                  ContextLayer(["a", "b"], np.arange(26, dtype=float).reshape(2, 13) / 10, np.array([0.1, -0.1]),
                               "reportie-context/1")):  # a layer trained before paragraphs still reads
        again = ContextLayer.from_dict(layer.to_dict())
        assert again.format == layer.format
        np.testing.assert_allclose(layer.predict_proba(p, [False, False], [0, 0]),
                                   again.predict_proba(p, [False, False], [0, 0]))
        np.testing.assert_allclose(layer.predict_proba(p, [False, False]).sum(axis=1), 1.0)


def test_tree_layer_predicts_as_the_fitted_trees_and_round_trips():
    """The boosted-tree layer is exported to arrays: its numpy walk gives scikit-learn's own
    probabilities, before and after the trip through the card (no pickle is loaded)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from reportie.context_trees import export

    rng = np.random.RandomState(0)
    p = rng.dirichlet(np.ones(3), size=240)
    headings = list(rng.rand(240) < 0.2)
    features = document_features(p, headings, list(np.arange(240) // 4))
    labels = np.array(["c", "a", "b"])[p.argmax(axis=1)]
    model = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=7, random_state=0).fit(features, labels)
    layer = export(model, ["a", "b", "c"])
    np.testing.assert_allclose(layer.predict_features(features), model.predict_proba(features), rtol=1e-9, atol=1e-12)
    again = ContextLayer.from_dict(layer.to_dict())
    assert type(again) is type(layer) and again.classes == ["a", "b", "c"]
    np.testing.assert_array_equal(again.predict_proba(p, headings, list(np.arange(240) // 4)),
                                  layer.predict_features(features))
    export_order = export(model, ["c", "b", "a"]).predict_features(features)
    np.testing.assert_allclose(export_order, model.predict_proba(features)[:, ::-1], rtol=1e-9, atol=1e-12)


def test_blended_layer_is_the_mean_of_its_two_layers_and_round_trips():
    from reportie.context_trees import BlendedContextLayer, fit_blended_context_layer

    rng = np.random.RandomState(1)
    p = rng.dirichlet(np.ones(3), size=120)
    labels = np.array(["a", "b", "c"])[p.argmax(axis=1)]
    documents = np.repeat(np.arange(12), 10).astype(str)
    headings, paragraphs = [i % 10 == 0 for i in range(120)], list(np.arange(120) // 3)
    layer = fit_blended_context_layer(p, labels, documents, headings, ["a", "b", "c"], paragraphs)
    assert isinstance(layer, BlendedContextLayer)
    doc = slice(0, 10)
    blended = layer.predict_proba(p[doc], headings[doc], paragraphs[doc])
    parts = [part.predict_proba(p[doc], headings[doc], paragraphs[doc]) for part in (layer.linear, layer.trees)]
    np.testing.assert_allclose(blended, (parts[0] + parts[1]) / 2)
    np.testing.assert_allclose(blended.sum(axis=1), 1.0)
    again = ContextLayer.from_dict(layer.to_dict())
    np.testing.assert_array_equal(again.predict_proba(p[doc], headings[doc], paragraphs[doc]), blended)
    for broken in ({**layer.to_dict(), "trees": {}}, {**layer.to_dict(), "linear": None},
                   {**layer.to_dict(), "trees": {**layer.trees.to_dict(), "left": [10 ** 6]}}):
        with pytest.raises(ValueError):  # a damaged card: a clear error, not an IndexError deep inside
            ContextLayer.from_dict(broken)
    # documents with two labels only: the regression alone
    p2 = p[:, :2] / p[:, :2].sum(axis=1, keepdims=True)
    two = fit_blended_context_layer(p2, np.where(labels == "c", "b", labels), documents, headings, ["a", "b"], paragraphs)
    assert isinstance(two, ContextLayer)
    np.testing.assert_allclose(two.predict_proba(p2[doc], headings[doc], paragraphs[doc]).sum(axis=1), 1.0)


def test_shipped_model_has_a_context_layer_and_scores_sum_to_one(reportie_home):
    """Spec §1 gives one label per sentence; its scores are a probability distribution."""
    from reportie.modelstore import load_card

    assert load_card()["context_layer"]["format"] == "reportie-context-blend/1"
    report = reportie.extract("常委会组织开展食品安全法执法检查。\n全年办结代表建议120件。\n")
    for sentence in report.sentences:
        assert abs(sum(sentence.scores.values()) - 1.0) < 1e-3
        assert sentence.label == max(sentence.scores, key=sentence.scores.get)


def test_a_sentence_reads_the_words_of_its_paragraph(reportie_home):
    """A paragraph of a report usually tells one piece of work (spec §1: the label is the
    function the sentence reports): 推动整改落实 reads beside the audit sentence of its paragraph,
    not beside the next paragraph's deputies."""
    from reportie.features import sentence_tokens
    from reportie.pipeline import load

    doc = load(classifier=False)("常委会听取审议审计工作报告。推动整改落实。\n代表建议全部办结。\n")
    groups = [dict(g) for _text, g in sentence_tokens(doc)]
    assert "审计" in groups[1]["G_"] and "代表" not in groups[1]["G_"]
    assert "整改" in groups[0]["G_"]
    assert groups[2]["G_"] == []  # alone in its paragraph
