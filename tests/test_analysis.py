"""Comparable analysis (spec §4, issue 12): the summary and the README's pivot add only what adds.

Reports are extracted from real text: the seed reports and genre sentences with the traps the
issue names (a rate beside its change in percentage points, people beside person-times, a figure
repeated in one report, a total and its parts after 其中).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

GENRE = (
    "某某市人大常委会2023年工作综述\n"
    "全年审议通过地方性法规8件，其中新制定5件、修改3件。\n"
    "代表建议办结率87.33%，同比提高25个百分点。\n"
    "常委会组成人员走访群众810人，全年接待来访群众10万人次。\n"
    "全年审议通过地方性法规8件，为高质量发展提供法治保障。\n"
    "代表对办理结果满意的占94.8%，基本满意的占5.2%。\n"
)


@pytest.fixture(scope="module")
def genre_report(reportie_home):
    import reportie

    return reportie.extract(GENRE)


@pytest.fixture(scope="module")
def seed_frames(reportie_home):
    import reportie

    return reportie.to_frame(reportie.extract_many(SEEDS))


def _figures(report):
    return {(f["record_type"], f["unit"]): f for f in report.summary()["figures"]}


def test_summary_never_mixes_units_or_kinds(genre_report) -> None:
    """Spec §4: a figure is one record type in one kind and unit: % apart from 百分点, 人 from 人次."""
    figures = _figures(genre_report)
    rate = figures[("suggestion_resolution_rate", "%")]
    change = figures[("suggestion_resolution_rate", "百分点")]
    assert (rate["kind"], rate["value"]) == ("percent", 87.33)
    assert (change["kind"], change["value"]) == ("percentage_point", 25.0)
    people = figures[("constituents_received", "人")]
    visits = figures[("constituents_received", "人次")]
    assert (people["value"], visits["value"]) == (810.0, 100000.0)
    for figure in figures.values():
        assert len({q.unit for q in genre_report.quantities if q.text in figure["sources"]}) == 1


def test_summary_adds_only_additive_types(genre_report) -> None:
    """Spec §4: rates, shares and stocks are never summed; two satisfaction shares give no value."""
    figures = _figures(genre_report)
    satisfaction = figures[("satisfaction_rate", "%")]
    assert satisfaction["additive"] is False
    assert satisfaction["n_values"] == 2 and satisfaction["value"] is None and satisfaction["aggregate"] is None
    for figure in figures.values():
        if not figure["additive"]:
            assert figure["aggregate"] in (None, "single")


def test_repeated_figure_and_parts_counted_once(genre_report) -> None:
    """Spec §4: 审议通过地方性法规8件 said twice counts once; 其中新制定5件 is part of the 8, not added."""
    figure = _figures(genre_report)[("regulations_enacted", "件")]
    assert figure["additive"] is True
    assert figure["repeated"] == 1 and figure["parts"] == 1
    assert figure["value"] == 8.0


def test_frames_summary_rows_are_comparable(seed_frames) -> None:
    """Spec §4: every record_type row of to_frame's summary has one kind and unit and adds only additive types."""
    from reportie.record_types import record_types

    types = record_types()
    rows = seed_frames.summary[seed_frames.summary.group == "record_type"]
    assert len(rows)
    assert not rows.duplicated(["doc_id", "name", "kind", "unit"]).any()
    for row in rows.itertuples():
        assert bool(row.additive) == types[row.name].additive
        assert row.kind in types[row.name].kinds
        if not row.additive:
            assert row.aggregate in (None, "single") or row.aggregate != row.aggregate  # NaN when empty
    # seed 001 (乌海): 87.33 % and 25 percentage points are two rows, never 112.33
    wuhai = rows[(rows.name == "suggestion_resolution_rate") & rows.doc_id.str.startswith("001")]
    assert sorted(wuhai.unit) == ["%", "百分点"]
    assert 112.33 not in set(wuhai.value.round(2))


def _readme_analysis_code() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Analysis", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_pivot_never_adds_incomparable_values(reportie_home) -> None:
    """Spec §4: the README's analysis code, run as written, keeps units apart and adds only additive types."""
    code = _readme_analysis_code()
    lines = code.strip().splitlines()
    namespace: dict = {}
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile("\n".join(lines[:-2]), "README.md", "exec"), namespace)
        additive = eval(lines[-2], namespace)
        other = eval(lines[-1], namespace)
    finally:
        os.chdir(cwd)
    figures = namespace["figures"]
    from reportie.record_types import record_types

    types = record_types()
    assert additive.index.names == ["name", "unit"] and other.index.names == ["name", "unit"]
    assert all(types[name].additive for name, _ in additive.index)
    assert not any(types[name].additive for name, _ in other.index)
    # each cell of the additive pivot is one report's figure (one body and year per seed here)
    per_cell = figures[figures.additive].groupby(["name", "unit", "body", "year"]).size()
    assert (per_cell == 1).all()
    rates = other.loc["suggestion_resolution_rate"]
    assert set(rates.index) >= {"%", "百分点"}
