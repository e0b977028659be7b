"""The data files of ``reportie/data`` and their schemas (issue 16; ``docs/data-files.md``).

Every data file (the model excepted: it has its own checks) has a schema in ``data/schemas`` and
passes it; a broken copy fails with the file and the place; the rules one schema cannot state
(one file naming entries of another) are checked here, each with the spec rule it serves
(``docs/extraction-spec.md``)."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from reportie import datafiles
from reportie.contract import APPROX_CLASSES, ENTITY_LABELS, KINDS, LABEL_INFO, LABELS, SPANS_KEY
from reportie.datafiles import DataFileError
from reportie.gazetteer import COLUMNS, RANKS

DATA = Path(datafiles.data_path("")).resolve()
SCHEMAS = DATA / "schemas"
NOT_DATA = {"divisions.LICENSE"}  # the licence of divisions.tsv, read by people only
# Checked by their own reader, not by a JSON schema: the spaCy config (spaCy validates it when the
# pipeline is built; test_pipeline_config_names_the_data below checks what it names).
OWN_CHECKS = {"pipeline.cfg"}


def data_files() -> list:
    """Every data file, as its name under ``data/`` (``patterns/law.jsonl``): model/ and the
    schemas themselves excepted."""
    return sorted(p.relative_to(DATA).as_posix() for p in DATA.rglob("*")
                  if p.is_file() and p.parts[len(DATA.parts)] not in ("model", "schemas", "__pycache__")
                  and p.name not in NOT_DATA | OWN_CHECKS)


def load(name: str):
    """The data file through its loader in ``reportie.datafiles``."""
    if name.endswith(".json"):
        return datafiles.load_json(name)
    if name.endswith(".jsonl"):
        return datafiles.load_jsonl(name)
    if name.endswith(".tsv"):
        return datafiles.load_tsv(name, COLUMNS)
    if name.endswith(".txt"):
        return datafiles.load_lines(name)
    raise AssertionError(f"no loader for {name}")


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name.replace('/', '__')}.schema.json").read_text(encoding="utf-8"))


def test_the_data_files_are_known() -> None:
    names = data_files()
    assert "metadata.json" in names and "patterns/law.jsonl" in names and "divisions.tsv" in names
    assert len(names) == 16  # 10 JSON, 4 JSON lines, a table and a word list


@pytest.mark.parametrize("name", data_files())
def test_every_data_file_has_a_schema_and_passes_it(name: str) -> None:
    assert (SCHEMAS / f"{name.replace('/', '__')}.schema.json").is_file(), f"{name} has no schema"
    assert load(name)


def test_every_schema_is_a_valid_schema_of_a_data_file() -> None:
    """The metaschema check (not made at run time, it costs 20-250 ms a schema)."""
    for path in SCHEMAS.glob("*.schema.json"):
        body = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validators.validator_for(body).check_schema(body)
        name = path.name[: -len(".schema.json")].replace("__", "/")
        assert name in data_files(), f"{path.name} checks no data file"
    assert len(datafiles.schema_names()) == len(data_files())


# --- a broken copy fails with the file and the place ------------------------------------------


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of ``reportie/data`` the loaders read instead (the real files are never touched)."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns("model", "__pycache__"))
    monkeypatch.setattr(datafiles, "data_path", lambda name: copy.joinpath(*name.split("/")))
    caches = (datafiles.load_json, datafiles.load_jsonl, datafiles.load_lines, datafiles._validator,
              datafiles._row_checker)
    for cached in caches:
        cached.cache_clear()
    yield copy
    for cached in caches:
        cached.cache_clear()


def edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def replace_line(path: Path, number: int, line: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[number - 1] = line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("name, change, place", [
    # spec §3 level: a suffix implies one of the gazetteer's ranks
    ("metadata.json", lambda d: d["level_by_suffix"].update({"市": "town"}), "at level_by_suffix/市"),
    ("metadata.json", lambda d: d.pop("organs"), "at (top): 'organs' is a required property"),
    ("metadata.json", lambda d: d.update({"head_chars": "600"}), "at head_chars"),
    ("metadata.json", lambda d: d.update({"surprise": 1}), "at (top): 'surprise' does not match any of the regexes: '^_'"),
    # spec §3 year: a congress's term in the anchor year is a whole number; only 全国 and provinces
    ("congress_terms.json", lambda d: d["congresses"]["全国"].update({"term": "十四"}), "at congresses/全国/term"),
    ("congress_terms.json", lambda d: d["congresses"].update({"梧州": {"term": 16, "earliest_term": 11}}),
     "at congresses"),
    # spec §2 kind and approx: one of the kinds and approximation classes
    ("record_types.json", lambda d: d["types"]["regulations_enacted"].update({"kinds": ["counts"]}),
     "at types/regulations_enacted/kinds/0"),
    ("units.json", lambda d: d["latin_units"].update({"km": "length"}), "at latin_units/km"),
    ("approximation.json", lambda d: d["prefix"].update({"约": "roughly"}), "at prefix/约"),
    ("numerals.json", lambda d: d["char_map"].update({"壹": "一二"}), "at char_map/壹"),
    ("exclusions.json", lambda d: d.update({"url_pattern": "(https?://"}), "at url_pattern"),
    ("indicators.json", lambda d: d.update({"verbs": []}), "at verbs"),
    ("labels.json", lambda d: d["labels"][0].update({"colour": "blue"}), "at labels/0/colour"),
    ("keyword_labels.json", lambda d: d.update({"执法检查": "Supervision"}), "at 执法检查"),
])
def test_a_broken_json_file_names_the_file_and_the_place(data_copy, name, change, place) -> None:
    edit_json(data_copy / name, change)
    with pytest.raises(DataFileError, match=re.escape(f"reportie data file {name}, {place}")):
        datafiles.load_json(name)


def test_malformed_json_names_the_file(data_copy) -> None:
    (data_copy / "units.json").write_text('{"money": ', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"reportie data file units\.json: not valid JSON .*line 1"):
        datafiles.load_json("units.json")


def test_a_missing_file_is_named(data_copy) -> None:
    (data_copy / "numerals.json").unlink()
    with pytest.raises(DataFileError, match=r"'numerals\.json' is missing"):
        datafiles.load_json("numerals.json")


def test_a_broken_pattern_names_the_file_and_the_line(data_copy) -> None:
    """Each patterns file holds the patterns of its own entity label."""
    replace_line(data_copy / "patterns" / "body.jsonl", 3, '{"label": "LAW", "pattern": "人大", "id": "人大"}')
    with pytest.raises(DataFileError, match=re.escape("patterns/body.jsonl, line 3, at label")):
        datafiles.load_jsonl("patterns/body.jsonl")
    replace_line(data_copy / "patterns" / "law.jsonl", 1,
                 '{"label": "LAW", "id": "title", "pattern": [{"NORM": {"REGEX": "(法|条例$"}}]}')
    with pytest.raises(DataFileError, match=re.escape("patterns/law.jsonl, line 1, at pattern")):
        datafiles.load_jsonl("patterns/law.jsonl")
    replace_line(data_copy / "patterns" / "programme.jsonl", 2, '{"label": "PROGRAMME", "pattern": ')
    with pytest.raises(DataFileError, match=re.escape("patterns/programme.jsonl, line 2: not valid JSON")):
        datafiles.load_jsonl("patterns/programme.jsonl")


@pytest.mark.parametrize("line, message", [
    ("110101000000\t东城区\tcounty", "line 3: 3 fields, expected 4"),
    ("110101000000\t东城区\t东城\tdistrict", "line 3, at rank"),
    ("11010100000\t东城区\t东城\tcounty", "line 3, at adcode"),
    ("110101000000\t东城区\t东\tcounty", "line 3, at short"),
])
def test_a_broken_division_names_the_line(data_copy, line: str, message: str) -> None:
    """Spec §3 level: every division has a 12-digit adcode, names and a rank."""
    replace_line(data_copy / "divisions.tsv", 3, line)
    with pytest.raises(DataFileError, match=re.escape(f"reportie data file divisions.tsv, {message}")):
        datafiles.load_tsv("divisions.tsv", COLUMNS)
    from reportie import gazetteer

    with pytest.raises(DataFileError, match=re.escape(message)):
        gazetteer.parse(datafiles.read_text("divisions.tsv"))


def test_a_broken_dictionary_word_names_the_line(data_copy) -> None:
    replace_line(data_copy / "user_dict.txt", 4, "主任 会议")
    with pytest.raises(DataFileError, match=re.escape("reportie data file user_dict.txt, line 4, at (top)")):
        datafiles.load_lines("user_dict.txt")
    with pytest.raises(DataFileError, match=re.escape("user_dict.txt, line 4")):
        datafiles.read_text("user_dict.txt")  # the segmenter's reader checks the words too


def test_an_unknown_keyword_label_is_refused_on_load(data_copy, monkeypatch) -> None:
    """Spec §1: the keyword baseline votes for labels of labels.json only (a cross-file rule)."""
    from reportie import training

    edit_json(data_copy / "keyword_labels.json", lambda d: d.update({"执法检查": "oversight"}))
    monkeypatch.setattr(training, "_KEYWORDS", None)
    with pytest.raises(DataFileError, match=re.escape("keyword_labels.json, at 执法检查: 'oversight'")):
        training.keyword_labels()


# --- rules across files -----------------------------------------------------------------------


def ruler_ids() -> set:
    return {f"{row['label']}:{row['id']}" for name in data_files() if name.startswith("patterns/")
            for row in datafiles.load_jsonl(name)}


def test_keyword_labels_are_labels_and_ruler_phrases() -> None:
    """Spec §1: a ruler phrase votes for one of the sentence labels (else ``other``)."""
    table = datafiles.load_json("keyword_labels.json")
    assert set(table.values()) <= set(LABELS)
    phrases = {row["pattern"] for name in data_files() if name.startswith("patterns/")
               for row in datafiles.load_jsonl(name) if isinstance(row["pattern"], str)}
    assert set(table) <= phrases, "a keyword that no ruler matches never votes"
    assert "other" in LABELS  # the label of a sentence with no vote


def test_labels_have_distinct_names_and_colours() -> None:
    """Spec §1: the labels in their canonical order, each drawn in its own colours in the HTML view."""
    rows = datafiles.load_json("labels.json")["labels"]
    assert tuple(row["name"] for row in rows) == LABELS and len(set(LABELS)) == len(LABELS)
    for key in ("background", "colour", "zh", "en"):
        values = [info[key] for info in LABEL_INFO.values()]
        assert len(set(values)) == len(values), f"two labels share their {key}"
    assert all(info["background"] != info["colour"] for info in LABEL_INFO.values())


def test_schema_enums_are_the_contract() -> None:
    """Spec §2 kind and approx, §3 level: the schemas' fixed sets are those of the code."""
    rt = schema("record_types.json")
    assert rt["properties"]["types"]["additionalProperties"]["properties"]["kinds"]["items"]["enum"] == list(KINDS)
    units = schema("units.json")["properties"]
    assert units["latin_units"]["additionalProperties"]["enum"] == list(KINDS)
    assert units["measure_words"]["propertyNames"]["enum"] == list(KINDS)
    approx = schema("approximation.json")["properties"]["prefix"]["additionalProperties"]["enum"]
    assert set(approx) <= set(APPROX_CLASSES) and not {"exact", "range", "vague"} & set(approx)
    assert schema("divisions.tsv")["properties"]["rank"]["enum"] == list(RANKS)
    assert schema("metadata.json")["properties"]["level_by_suffix"]["additionalProperties"]["enum"] == list(RANKS)
    labels = {schema(f"patterns/{name}.jsonl")["properties"]["label"]["const"]
              for name in ("activity", "body", "law", "programme")}
    assert labels == set(ENTITY_LABELS)
    assert schema("divisions.tsv")["required"] == list(COLUMNS)


def test_record_types_refer_to_what_exists() -> None:
    """Spec §4: 23 comparable types; finer types map to one of them; cues name ruler patterns."""
    data = datafiles.load_json("record_types.json")
    types = {name: spec for name, spec in data["types"].items() if not name.startswith("_")}
    gold = {name for name, spec in types.items() if spec.get("gold_type", name) == name}
    assert len(gold) == 23
    for name, spec in types.items():
        assert spec.get("gold_type", name) in gold | {None}, name
        if "assigned_by" in spec:
            assert not spec["patterns"] and spec["assigned_by"] in data, name
    assert [name for name, spec in types.items() if spec.get("default")] == ["funds"]
    money = {name for name, spec in types.items() if spec.get("assigned_by") == "money_cues"}
    assert {t for t in data["money_cues"] if not t.startswith("_")} == money
    for domain in data["domains"]:
        assert {domain["type"], *domain["absorbs"]} <= set(types)
    rulers = {r for spec in types.values() for p in spec["patterns"] for r in p.get("rulers", ())}
    missing = (rulers | set(data["null_cues"]["rulers"])) - ruler_ids()
    assert not missing, f"record_types.json names rulers no pattern has: {sorted(missing)}"


def test_metadata_words_agree() -> None:
    """Spec §3: the suffix of a place is matched longest first; organs and townships are consistent."""
    vocab = datafiles.load_json("metadata.json")
    suffixes = list(vocab["level_by_suffix"])
    assert [len(s) for s in suffixes] == sorted((len(s) for s in suffixes), reverse=True)
    assert set(vocab["organ_short"]) <= set(vocab["organs"])
    assert set(vocab["township_suffixes"]) <= set(suffixes)
    assert set(vocab["stem_suffixes"]) <= set(suffixes)


def test_congress_terms_name_provinces() -> None:
    """Spec §3 year: the congresses whose sessions are dated by term are 全国 and province-level
    divisions of the gazetteer (written in full), each term no earlier than its first term in step."""
    from reportie.gazetteer import divisions

    provinces = {d.name for d in divisions() if d.rank == "province"}
    terms = datafiles.load_json("congress_terms.json")
    assert "全国" in terms["congresses"]
    assert set(terms["congresses"]) - {"全国"} <= provinces
    assert all(1 <= c["earliest_term"] <= c["term"] for c in terms["congresses"].values())
    assert not set(terms["reported_words"]) & set(terms["not_reported_words"])


def test_pattern_ids_are_unique() -> None:
    """A record-type cue names a pattern by LABEL:id: one pattern a name."""
    ids = Counter(f"{row['label']}:{row['id']}" for name in data_files() if name.startswith("patterns/")
                  for row in datafiles.load_jsonl(name))
    assert [key for key, n in ids.items() if n > 1] == []


def test_divisions_load_quickly_and_agree_with_the_gazetteer() -> None:
    """The row check takes a quick path on rows that pass (3,000 rows through jsonschema: 0.1 s)."""
    from reportie.gazetteer import divisions

    rows = datafiles.load_tsv("divisions.tsv", COLUMNS)
    assert datafiles._row_checker("divisions.tsv") is not None
    assert [tuple(row.values()) for row in rows] == [(d.adcode, d.name, d.short, d.rank) for d in divisions()]


def test_pipeline_config_names_the_data() -> None:
    """The spaCy config (``pipeline.cfg``, validated by spaCy on build): every ``spans_key`` is the
    contract's, and the rulers read exactly the shipped patterns files."""
    pytest.importorskip("spacy")
    from spacy.util import load_config_from_str

    text = datafiles.read_text("pipeline.cfg")
    config = load_config_from_str(text, interpolate=True)
    keys = re.findall(r"^spans_key\s*=\s*\"([^\"]*)\"", text, flags=re.M)
    assert keys and set(keys) == {SPANS_KEY}
    files = config["initialize"]["components"]["reportie_rulers"]["patterns"]["files"]
    assert sorted(f"patterns/{name}.jsonl" for name in files) == \
        sorted(name for name in data_files() if name.startswith("patterns/"))
