"""``reportie.extract`` end to end on the seeds (issue 2): records, gold F1, exclusions."""

import json
from pathlib import Path

import pytest

import reportie
from reportie.report import LABELS
from reportie.scoring import describe, score_quantities

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLD = [json.loads(line) for line in (ROOT / "annotations" / "quantities.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
F1_FLOOR = 0.97  # issue 2, point 7


def test_seed_gold_f1(seed_reports, capsys):
    """Spec §2 as a whole: a hit needs span, value or bounds, unit, kind and approx."""
    predicted = [dict(vars(q), doc=doc) for doc, report in seed_reports.items() for q in report.quantities]
    score = score_quantities(predicted, GOLD)
    with capsys.disabled():
        print("\n" + describe(score, limit=15))
    assert score.f1 >= F1_FLOOR, describe(score)


def test_offsets_point_at_the_text(seed_reports):
    """Spec §2 `start`, `end`: input[start:end] == text, for quantities, sentences and entities."""
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        report = seed_reports[path.stem]
        assert report.text == text
        for record in [*report.quantities, *report.sentences, *report.entities]:
            assert text[record.start:record.end] == record.text


def test_every_sentence_has_a_label_and_scores(seed_reports):
    """Spec §1: one label per sentence, with a probability per label summing to one."""
    for report in seed_reports.values():
        for sentence in report.sentences:
            assert sentence.label in LABELS
            assert set(sentence.scores) == set(LABELS)
            assert sentence.scores[sentence.label] == max(sentence.scores.values())
            assert abs(sum(sentence.scores.values()) - 1) < 1e-3


def test_quantity_sentence_index_is_the_enclosing_sentence(seed_reports):
    for report in seed_reports.values():
        for q in report.quantities:
            s = report.sentences[q.sentence]
            assert s.start <= q.start and q.end <= s.end


def test_metadata_on_report(seed_reports):
    """Spec §3."""
    report = seed_reports["001_9612dff2f627523d"]
    assert (report.body, report.level, report.year) == ("乌海市人大常委会", "city", 2023)


def test_excluded_forms_are_not_quantities(reportie_home):
    """Spec §2 'Not quantities': dates, 十八届, slogans, 一府一委两院, 3号线, 五年来."""
    text = ("2023年1月15日，十八届人大常委会第三次会议召开，坚持“三个到位”，监督一府一委两院，"
            "调研地铁3号线建设，五年来开展执法检查12次。")
    report = reportie.extract(text)
    assert [q.text for q in report.quantities] == ["12次"]
    q = report.quantities[0]
    assert (q.value, q.unit, q.kind, q.approx) == (12.0, "次", "count", "exact")


def test_money_and_approximation(reportie_home):
    """Spec §2 `value`/`unit`/`approx`: 万元 scales into 元; 余 is more_than."""
    report = reportie.extract("每年增加150万元村集体收入，收集意见建议80余条。")
    by_text = {q.text: q for q in report.quantities}
    assert by_text["150万元"].value == 1_500_000 and by_text["150万元"].unit == "元" and by_text["150万元"].kind == "money"
    assert by_text["80余条"].approx == "more_than" and by_text["80余条"].value == 80


def test_str_and_path_give_the_same_report(seed_reports):
    path = SEEDS[2]
    from_text = reportie.extract(path.read_text(encoding="utf-8"))
    assert [vars(q) for q in from_text.quantities] == [vars(q) for q in seed_reports[path.stem].quantities]
    assert [s.label for s in from_text.sentences] == [s.label for s in seed_reports[path.stem].sentences]


def test_to_dict_and_json_round_trip(seed_reports):
    report = seed_reports["002_9911ad027f31c7ac"]
    data = json.loads(report.to_json())
    assert data["quantities"][0].keys() >= {"text", "start", "end", "value", "low", "high", "unit", "kind",
                                             "approx", "indicator", "sentence"}
    assert reportie.Report.from_dict(data) == report


@pytest.mark.parametrize("text", ["", "   \n\t  \u3000"])
def test_empty_and_whitespace_give_an_empty_report(text):
    report = reportie.extract(text)
    assert report.sentences == [] and report.quantities == [] and report.text == text


def test_entities_from_rulers(seed_reports):
    """Issue 3 point 2: ACTIVITY, BODY, LAW, PROGRAMME spans land in Report.entities."""
    labels = {e.label for r in seed_reports.values() for e in r.entities}
    assert {"ACTIVITY", "BODY", "LAW", "PROGRAMME"} <= labels
    laws = [e.text for r in seed_reports.values() for e in r.entities if e.label == "LAW"]
    assert "《内蒙古自治区促进民族团结进步条例》" in laws
