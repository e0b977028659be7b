"""annotations.py on the real seed annotations: reading and validation, lint, conflicts, imports
that change nothing when malformed, and writes that survive a SIGKILL.

Every test works on a copy of annotations/ and seeds/ in tmp_path: the repo files are never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportie import LABELS
from reportie.annotations import (
    AnnotationError,
    import_file,
    lint,
    read_sentence_labels,
    sid,
    write_jsonl_atomic,
)
from reportie.cli import main

ROOT = Path(__file__).resolve().parents[1]
N_SEED_SENTENCES = 436  # GUIDELINES.md: 128 + 67 + 71 + 109 + 61


@pytest.fixture()
def work(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "annotations", tmp_path / "annotations")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


def sentences_path(work: Path) -> Path:
    return work / "annotations" / "sentences.jsonl"


def records(work: Path) -> list:
    return [json.loads(line) for line in sentences_path(work).read_text(encoding="utf-8").splitlines()]


def rewrite_line(path: Path, number: int, change) -> None:
    """Replace line ``number`` (1-based) of a JSONL file by ``change(record)`` (a dict or raw str)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    new = change(json.loads(lines[number - 1]))
    lines[number - 1] = new if isinstance(new, str) else json.dumps(new, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def other_label(label: str) -> str:
    return next(lab for lab in LABELS if lab != label)


def doccano_line(record: dict, label: str, **extra) -> dict:
    meta = {"sid": sid(record["doc"], record["start"], record["end"]), "doc": record["doc"],
            "start": record["start"], "end": record["end"]}
    return {"text": record["text"], "label": [label], "meta": meta, **extra}


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


# --- reading and validation ----------------------------------------------------------------------


def test_read_real_annotations_gives_one_record_per_sentence(work):
    labels = read_sentence_labels(work / "annotations")
    assert len(labels) == len(records(work))
    assert sum(r["source"] == "seed" for r in labels) == N_SEED_SENTENCES
    assert {r["label"] for r in labels} <= set(LABELS)
    assert len({(r["doc"], r["start"], r["end"]) for r in labels}) == len(labels)


@pytest.mark.parametrize(
    "line, change, message",
    [
        (5, lambda r: '{"doc": "000", "start": 1,', "sentences.jsonl:5: not valid JSON"),
        (3, lambda r: {k: v for k, v in r.items() if k != "label"}, "sentences.jsonl:3: missing key label"),
        (7, lambda r: dict(r, label="supervison"), "sentences.jsonl:7: unknown label 'supervison'"),
        (9, lambda r: dict(r, start="12"), "sentences.jsonl:9: start/end must be integers"),
        (11, lambda r: dict(r, text=r["text"] + "x"), "sentences.jsonl:11: text must be a string of end - start"),
    ],
)
def test_read_names_file_and_line_of_a_bad_record(work, line, change, message):
    rewrite_line(sentences_path(work), line, change)
    with pytest.raises(AnnotationError) as err:
        read_sentence_labels(work / "annotations")
    assert message in str(err.value)
    assert str(sentences_path(work)) in str(err.value)


def test_read_missing_file_names_it(tmp_path):
    with pytest.raises(AnnotationError, match="sentences.jsonl: no such file"):
        read_sentence_labels(tmp_path)


# --- lint ----------------------------------------------------------------------------------------


def test_lint_is_clean_on_the_real_annotations(work, capsys):
    report = lint(work / "annotations", work / "seeds")
    assert report.errors == [] and report.warnings == [] and report.conflicts == {}
    total = len(records(work))
    assert sum(sum(c.values()) for c in report.label_counts.values()) == total
    seed_docs = {p.stem for p in (work / "seeds").glob("*.txt")}
    assert sum(sum(c.values()) for doc, c in report.label_counts.items() if doc in seed_docs) == N_SEED_SENTENCES
    assert report.label_counts["000_51482b9a4b8c3cb5"]["deputy_work"] == 51  # GUIDELINES.md counts
    assert sum(report.label_counts["001_9612dff2f627523d"].values()) == 67
    assert report.n_quantities == 148
    assert main(["annotate", "lint", "--annotations", str(work / "annotations"), "--seeds", str(work / "seeds")]) == 0
    out = capsys.readouterr().out
    assert "total" in out and str(total) in out and "0 errors" in out


def test_lint_catches_a_shifted_offset(work, capsys):
    rewrite_line(sentences_path(work), 10, lambda r: dict(r, start=r["start"] + 1, end=r["end"] + 1))
    report = lint(work / "annotations", work / "seeds")
    shifted = [e for e in report.errors if "sentences.jsonl:10:" in e]
    assert shifted and "no longer match" in shifted[0] and "shifted by -1" in shifted[0]
    assert main(["annotate", "lint", "--annotations", str(work / "annotations"), "--seeds", str(work / "seeds")]) == 1
    assert "sentences.jsonl:10:" in capsys.readouterr().out


def test_lint_catches_an_unknown_label(work):
    rewrite_line(sentences_path(work), 20, lambda r: dict(r, label="budget"))
    report = lint(work / "annotations", work / "seeds")
    assert any("sentences.jsonl:20: unknown label 'budget'" in e for e in report.errors)


def test_lint_catches_a_duplicate(work):
    path = sentences_path(work)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:31] + [lines[30]] + lines[31:]) + "\n", encoding="utf-8")
    report = lint(work / "annotations", work / "seeds")
    assert any("duplicate record" in e and "lines 31, 32" in e for e in report.errors)


def test_lint_catches_a_seed_sentence_missing_from_the_annotations(work):
    path = sentences_path(work)
    lines = path.read_text(encoding="utf-8").splitlines()
    dropped = json.loads(lines[40])
    path.write_text("\n".join(lines[:40] + lines[41:]) + "\n", encoding="utf-8")
    report = lint(work / "annotations", work / "seeds")
    missing = [e for e in report.errors if "is not annotated" in e]
    assert len(missing) == 1 and sid(dropped["doc"], dropped["start"], dropped["end"]) in missing[0]


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda q: dict(q, start=q["start"] + 2, end=q["end"] + 2), "no longer match"),
        (lambda q: dict(q, kind="amount"), "unknown kind 'amount'"),
        (lambda q: dict(q, approx="roughly"), "unknown approx 'roughly'"),
        (lambda q: {k: v for k, v in q.items() if k != "unit"}, "missing key unit"),
        (lambda q: dict(q, low=1.0, high=2.0), "low/high are only for approx range or vague"),
        (lambda q: dict(q, sentence=q["sentence"] + 1), "is not inside sentence"),
    ],
)
def test_lint_checks_quantities(work, change, message):
    rewrite_line(work / "annotations" / "quantities.jsonl", 4, change)
    report = lint(work / "annotations", work / "seeds")
    assert any("quantities.jsonl:4:" in e and message in e for e in report.errors), report.errors


# --- imports, own re-labels and conflicts -----------------------------------------------------------


def test_same_annotator_relabelling_replaces_their_record(work):
    before = records(work)
    target = before[50]
    new = other_label(target["label"])
    upload = write_jsonl(work / "fix.jsonl", [doccano_line(target, new)])
    report = import_file(upload, "gold-1", work / "annotations", now="2030-01-01T00:00:00Z")
    after = records(work)
    assert len(after) == len(before)
    assert after[50] == dict(target, label=new, updated="2030-01-01T00:00:00Z")
    assert [r for i, r in enumerate(after) if i != 50] == [r for i, r in enumerate(before) if i != 50]
    assert [(c.old, c.new, c.annotator) for c in report.changes] == [(target["label"], new, "gold-1")]
    assert report.new_conflicts == {}


def test_conflict_is_kept_listed_and_left_out_of_training(work, capsys):
    before = records(work)
    target = before[12]
    key = sid(target["doc"], target["start"], target["end"])
    new = other_label(target["label"])
    upload = write_jsonl(work / "second.jsonl", [doccano_line(target, new)])
    report = import_file(upload, "gold-2", work / "annotations")
    assert report.new_conflicts == {key: {"gold-1": target["label"], "gold-2": new}}
    assert "new conflicts" in report.format_text() and key in report.format_text()

    after = records(work)
    answers = [r for r in after if (r["doc"], r["start"], r["end"]) == (target["doc"], target["start"], target["end"])]
    assert len(after) == len(before) + 1
    assert {(r["annotator"], r["label"]) for r in answers} == {("gold-1", target["label"]), ("gold-2", new)}

    capsys.readouterr()
    labels = read_sentence_labels(work / "annotations")
    assert len(labels) == len(before) - 1
    assert all((r["doc"], r["start"], r["end"]) != (target["doc"], target["start"], target["end"]) for r in labels)
    assert "1 sentence with conflicting labels left out" in capsys.readouterr().err

    report = lint(work / "annotations", work / "seeds")
    assert report.ok and report.conflicts == {key: {"gold-1": target["label"], "gold-2": new}}

    # gold-2 comes round to gold-1's answer: their own record is replaced and the conflict is gone.
    upload = write_jsonl(work / "agree.jsonl", [doccano_line(target, target["label"])])
    report = import_file(upload, "gold-2", work / "annotations")
    assert report.resolved_conflicts == [key]
    assert len(read_sentence_labels(work / "annotations")) == len(before)


def test_agreeing_answers_are_recorded_as_votes_and_change_no_label(work):
    labels_before = read_sentence_labels(work / "annotations")
    upload = write_jsonl(work / "same.jsonl", [doccano_line(r, r["label"]) for r in records(work)[:30]])
    report = import_file(upload, "gold-2", work / "annotations")
    assert len(report.changes) == 30 and all(c.old == c.new == c.label for c in report.changes)
    assert "(0 training labels)" in report.format_text()
    assert sum(r["annotator"] == "gold-2" for r in records(work)) == 30
    assert [r["label"] for r in read_sentence_labels(work / "annotations")] == [r["label"] for r in labels_before]
    # The same file again: the votes are there already.
    assert import_file(upload, "gold-2", work / "annotations").changes == []


def test_prodigy_reject_and_ignore_change_nothing(work):
    original = sentences_path(work).read_bytes()
    rows = []
    for record, answer in zip(records(work)[:3], ("reject", "ignore", "reject")):
        row = doccano_line(record, other_label(record["label"]))
        rows.append({"text": row["text"], "options": [{"id": lab, "text": lab} for lab in LABELS],
                     "accept": row["label"], "answer": answer, "meta": row["meta"]})
    report = import_file(write_jsonl(work / "prodigy.jsonl", rows), "gold-1", work / "annotations")
    assert report.format == "prodigy" and report.skipped == 3 and report.changes == []
    assert sentences_path(work).read_bytes() == original


def test_label_studio_answers_carry_their_annotator(work):
    target = records(work)[7]
    new = other_label(target["label"])
    task = {"id": 17, "data": {"text": target["text"], "sid": sid(target["doc"], target["start"], target["end"])},
            "annotations": [{"completed_by": 3, "was_cancelled": False,
                             "result": [{"from_name": "category", "to_name": "text", "type": "choices",
                                         "value": {"choices": [new]}}]}],
            "predictions": []}
    upload = work / "ls.json"
    upload.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    report = import_file(upload, None, work / "annotations")
    assert report.format == "label-studio"
    assert [(c.annotator, c.label, c.old, c.new) for c in report.changes] == [("label-studio:3", new, target["label"], None)]
    assert list(report.new_conflicts) == [sid(target["doc"], target["start"], target["end"])]


def test_doccano_labels_key_and_top_level_meta_are_accepted(work):
    """Older doccano files use ``labels``; doccano's own export lifts meta to the top level."""
    first, second = records(work)[3], records(work)[4]
    row1 = doccano_line(first, other_label(first["label"]))
    row1["labels"] = row1.pop("label")
    row2 = doccano_line(second, other_label(second["label"]))
    row2.update(row2.pop("meta"), id=41)
    report = import_file(write_jsonl(work / "old.jsonl", [row1, row2]), "gold-1", work / "annotations")
    assert report.format == "doccano" and len(report.changes) == 2


def test_cancelled_label_studio_annotation_changes_nothing(work):
    original = sentences_path(work).read_bytes()
    target = records(work)[0]
    task = {"data": {"text": target["text"], "sid": sid(target["doc"], target["start"], target["end"])},
            "annotations": [{"completed_by": 2, "was_cancelled": True,
                             "result": [{"type": "choices", "value": {"choices": [other_label(target["label"])]}}]}]}
    upload = work / "ls.json"
    upload.write_text(json.dumps([task]), encoding="utf-8")
    report = import_file(upload, None, work / "annotations")
    assert report.skipped == 1 and report.changes == []
    assert sentences_path(work).read_bytes() == original


def test_same_annotator_duplicate_that_disagrees_is_left_out_of_training(work, capsys):
    path = sentences_path(work)
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[5])
    twin = json.dumps(dict(record, label=other_label(record["label"])), ensure_ascii=False)
    path.write_text("\n".join(lines[:6] + [twin] + lines[6:]) + "\n", encoding="utf-8")
    labels = read_sentence_labels(work / "annotations")
    assert len(labels) == len(lines) - 1 and "1 sentence with conflicting labels" in capsys.readouterr().err


def _malformed_doccano(work):
    rows = [doccano_line(r, other_label(r["label"])) for r in records(work)[:5]]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    return rows, lines


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda rows, lines: lines.__setitem__(3, lines[3][:-5]), "line 4: not valid JSON"),
        (lambda rows, lines: lines.__setitem__(2, json.dumps(dict(rows[2], label=["budget"]), ensure_ascii=False)),
         "line 3: unknown label 'budget'"),
        (lambda rows, lines: lines.__setitem__(4, json.dumps(dict(rows[4], text=rows[4]["text"][1:] + "。"), ensure_ascii=False)),
         "line 5: text of"),
        (lambda rows, lines: lines.__setitem__(1, json.dumps({"text": rows[1]["text"], "label": [rows[1]["label"][0]]}, ensure_ascii=False)),
         "line 2: no sentence id"),
        (lambda rows, lines: lines.__setitem__(2, json.dumps(dict(rows[2], meta=dict(rows[2]["meta"], sid="nosuchdoc:0:4")), ensure_ascii=False)),
         "line 3: unknown sentence nosuchdoc:0:4"),
    ],
)
def test_malformed_import_changes_nothing_and_names_the_line(work, capsys, spoil, message):
    original = sentences_path(work).read_bytes()
    rows, lines = _malformed_doccano(work)
    spoil(rows, lines)
    upload = work / "bad.jsonl"
    upload.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(AnnotationError) as err:
        import_file(upload, "gold-1", work / "annotations")
    assert message in str(err.value) and str(upload) in str(err.value)
    assert sentences_path(work).read_bytes() == original
    # Through the command line: exit 2, one-line error, nothing written.
    code = main(["annotate", "import", str(upload), "--annotator", "gold-1", "--annotations", str(work / "annotations")])
    assert code == 2 and message in capsys.readouterr().err
    assert sentences_path(work).read_bytes() == original
    assert [p.name for p in (work / "annotations").iterdir() if p.name.startswith(".") and p.name not in (".lock", ".gitignore")] == []


def test_malformed_label_studio_item_is_named_by_index(work):
    original = sentences_path(work).read_bytes()
    target = records(work)[0]
    good = {"data": {"text": target["text"], "sid": sid(target["doc"], target["start"], target["end"])}, "annotations": []}
    bad = dict(good, annotations=[{"completed_by": 1, "result": [{"type": "choices", "value": {"choices": ["other", "legislation"]}}]}])
    upload = work / "ls.json"
    upload.write_text(json.dumps([good, good, bad]), encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"item 2: annotations\[0\] has 2 choices"):
        import_file(upload, None, work / "annotations")
    assert sentences_path(work).read_bytes() == original


def test_import_without_any_annotator_is_refused(work):
    original = sentences_path(work).read_bytes()
    target = records(work)[0]
    upload = write_jsonl(work / "anon.jsonl", [doccano_line(target, other_label(target["label"]))])
    with pytest.raises(AnnotationError, match="line 1: no annotator in the file: name one with --annotator"):
        import_file(upload, None, work / "annotations")
    assert sentences_path(work).read_bytes() == original


# --- atomic writes -----------------------------------------------------------------------------------


def test_write_jsonl_atomic_reproduces_the_file_byte_for_byte(work):
    path = sentences_path(work)
    original = path.read_bytes()
    write_jsonl_atomic(path, records(work))
    assert path.read_bytes() == original


# Runs the CLI with os.replace held back until the parent kills it: the new file has been written
# and fsynced under its temporary name, and the rename has not happened yet.
_SLOW_RENAME = """
import os, sys, time
from pathlib import Path
marker = Path(sys.argv[1])
real_replace = os.replace
def held_replace(src, dst, *args, **kwargs):
    if str(dst).endswith("sentences.jsonl"):
        marker.write_text(str(src))
        time.sleep(120)
    return real_replace(src, dst, *args, **kwargs)
os.replace = held_replace
from reportie.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _big_import(work: Path) -> Path:
    """gold-1 relabels every one of their sentences: the whole file is rewritten."""
    rows = [doccano_line(r, other_label(r["label"])) for r in records(work) if r["annotator"] == "gold-1"]
    assert len(rows) == N_SEED_SENTENCES
    return write_jsonl(work / "big.jsonl", rows)


def _run_held(work: Path, upload: Path, marker: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, "-c", _SLOW_RENAME, str(marker), "annotate", "import", str(upload),
         "--annotator", "gold-1", "--annotations", str(work / "annotations"), "--seeds", str(work / "seeds")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def test_sigkill_during_import_leaves_the_previous_file_intact(work):
    path = sentences_path(work)
    original = path.read_bytes()
    total = len(records(work))
    upload = _big_import(work)
    marker = work / "renaming"
    proc = _run_held(work, upload, marker)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            if proc.poll() is not None:
                pytest.fail(f"import ended before the rename: {proc.communicate()}")
            if time.monotonic() > deadline:
                pytest.fail("import never reached the rename")
            time.sleep(0.05)
        temp = Path(marker.read_text())
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # The new content was complete on disk under the temporary name; the real file never saw it.
    assert temp.parent == path.parent and temp.exists()
    assert len(temp.read_text(encoding="utf-8").splitlines()) == total
    assert path.read_bytes() == original
    assert len(read_sentence_labels(work / "annotations")) == total
    report = lint(work / "annotations", work / "seeds")
    assert report.ok and any("temporary files left by an interrupted write" in w for w in report.warnings)


def test_the_same_import_not_killed_does_change_the_file(work):
    """The control for the SIGKILL test: the import it interrupts would have changed every label."""
    before = records(work)
    report = import_file(_big_import(work), "gold-1", work / "annotations")
    assert len(report.changes) == N_SEED_SENTENCES and report.new_conflicts == {}
    assert [r["label"] for r in records(work)] == [
        other_label(r["label"]) if r["annotator"] == "gold-1" else r["label"] for r in before]


# --- adjudication: majority, reviewers, resolve ------------------------------------------------------


def _vote(work, target, name, label, role=None, now=None):
    upload = write_jsonl(work / f"{name}.jsonl", [doccano_line(target, label)])
    return import_file(upload, name, work / "annotations", role=role, now=now)


def _label_of(work, target):
    key = (target["doc"], target["start"], target["end"])
    return next((r["label"] for r in read_sentence_labels(work / "annotations")
                 if (r["doc"], r["start"], r["end"]) == key), None)


def test_a_lone_dissent_does_not_block_what_the_others_agree_on(work):
    target = records(work)[20]
    gold, other = target["label"], other_label(target["label"])
    _vote(work, target, "bob", gold)
    report = _vote(work, target, "carol", other)
    assert report.new_conflicts == {} and _label_of(work, target) == gold  # 2 against 1
    assert [(c.old, c.new, c.label) for c in report.changes] == [(gold, gold, other)]
    _vote(work, target, "dave", other)
    assert _label_of(work, target) is None  # 2 against 2: a tie
    _vote(work, target, "erin", other)
    assert _label_of(work, target) == other  # 3 against 2
    assert lint(work / "annotations", work / "seeds").n_outvoted == 1


def test_a_new_annotators_correction_is_a_listed_conflict_and_a_reviewers_replaces(work, capsys):
    target = records(work)[21]
    key = sid(target["doc"], target["start"], target["end"])
    new = other_label(target["label"])
    report = _vote(work, target, "alice", new)
    text = report.format_text()
    assert report.new_conflicts == {key: {"gold-1": target["label"], "alice": new}}
    assert f"{key}  {target['label']} -> CONFLICT  [alice: {new}]" in text
    assert "reportie annotate resolve SID LABEL --by NAME" in text
    # The same correction by a reviewer replaces the old label at once.
    _vote(work, target, "alice", new, role="reviewer")
    assert _label_of(work, target) == new
    assert [r.get("role") for r in records(work) if r["annotator"] == "alice"] == ["reviewer"]
    # A later reviewer's answer replaces the earlier reviewer's.
    _vote(work, target, "rita", target["label"], role="reviewer", now="2099-01-01T00:00:00Z")
    assert _label_of(work, target) == target["label"]


def test_resolve_lists_and_settles_conflicts(work, capsys):
    target = records(work)[22]
    key = sid(target["doc"], target["start"], target["end"])
    new = other_label(target["label"])
    _vote(work, target, "alice", new)
    where = ["--annotations", str(work / "annotations")]
    capsys.readouterr()
    assert main(["annotate", "resolve", *where]) == 0
    out = capsys.readouterr().out
    assert key in out and f"alice={new}" in out and "1 conflicts" in out
    assert main(["annotate", "resolve", key, "budget", "--by", "rita", *where]) == 2
    assert main(["annotate", "resolve", key, new, "--by", "rita", *where]) == 0
    assert f"{key}  (conflict) -> {new}  [rita, reviewer]" in capsys.readouterr().out
    assert _label_of(work, target) == new
    assert main(["annotate", "resolve", *where]) == 0 and "0 conflicts" in capsys.readouterr().out
    assert lint(work / "annotations", work / "seeds").ok


# --- Label Studio as it exports ----------------------------------------------------------------------


def _ls_task(target, answers, task_id=7):
    """A Label Studio JSON task; ``answers``: (completed_by, label or None, updated_at, annotation id)."""
    return {"id": task_id, "data": {"text": target["text"], "sid": sid(target["doc"], target["start"], target["end"])},
            "annotations": [{"id": aid, "completed_by": who, "was_cancelled": False, "updated_at": when,
                             "result": [] if label is None else [{"from_name": "category", "to_name": "text",
                                                                   "type": "choices", "value": {"choices": [label]}}]}
                            for who, label, when, aid in answers]}


def _write_json(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_label_studio_users_stay_apart_and_are_named(work, capsys):
    target = records(work)[30]
    new = other_label(target["label"])
    task = _ls_task(target, [({"id": 4, "email": "ann@example.com"}, new, "2026-01-01T00:00:00Z", 1),
                             (5, new, "2026-01-01T00:00:01Z", 2)])
    upload = _write_json(work / "ls.json", [task])
    where = ["--annotations", str(work / "annotations")]
    # Several users are never merged under one --annotator.
    assert main(["annotate", "import", str(upload), "--annotator", "someone", *where]) == 2
    err = capsys.readouterr().err
    assert "2 users (ann@example.com, label-studio:5)" in err and "--annotator would merge them" in err
    users = _write_json(work / "users.json", [{"id": 5, "email": "bo@example.com", "username": "bo"}])
    assert main(["annotate", "import", str(upload), "--users", str(users), *where]) == 0
    names = {r["annotator"] for r in records(work) if r["text"] == target["text"]}
    assert names == {"gold-1", "ann@example.com", "bo@example.com"}
    assert _label_of(work, target) == new  # two against one


def test_label_studio_json_min_is_read(work):
    first, second = records(work)[31], records(work)[32]
    new = other_label(first["label"])
    rows = [{"text": first["text"], "sid": sid(first["doc"], first["start"], first["end"]), "id": 3, "category": new,
             "annotator": 2, "annotation_id": 9, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
             "lead_time": 1.5},
            {"text": second["text"], "sid": sid(second["doc"], second["start"], second["end"]), "id": 4,
             "annotator": None, "annotation_id": None, "created_at": None, "updated_at": None, "lead_time": None}]
    report = import_file(_write_json(work / "min.json", rows), None, work / "annotations")
    assert report.format == "label-studio-min" and report.skipped == 1
    assert [(c.annotator, c.label) for c in report.changes] == [("label-studio:2", new)]


def test_an_empty_label_studio_submission_is_an_error_naming_the_task(work):
    original = sentences_path(work).read_bytes()
    target = records(work)[33]
    task = _ls_task(target, [(2, None, "2026-01-01T00:00:00Z", 11)], task_id=42)
    with pytest.raises(AnnotationError) as err:
        import_file(_write_json(work / "ls.json", [task]), None, work / "annotations")
    assert f"task 42 ({sid(target['doc'], target['start'], target['end'])})" in str(err.value)
    assert "no choice" in str(err.value)
    min_row = {"text": target["text"], "sid": sid(target["doc"], target["start"], target["end"]), "id": 42,
               "annotator": 2, "annotation_id": 11, "updated_at": "2026-01-01T00:00:00Z"}
    with pytest.raises(AnnotationError, match=r"task 42 .*no choice"):
        import_file(_write_json(work / "min.json", [min_row]), None, work / "annotations")
    assert sentences_path(work).read_bytes() == original


def test_label_studio_config_requires_a_choice():
    from reportie.annotations import label_studio_config

    assert '<Choices name="category" toName="text" choice="single" required="true">' in label_studio_config()


def test_import_does_not_depend_on_the_order_of_answers(tmp_path):
    results = []
    for order in (0, 1):
        work = tmp_path / str(order)
        shutil.copytree(ROOT / "annotations", work / "annotations")
        shutil.copytree(ROOT / "seeds", work / "seeds")
        a, b = records(work)[40], records(work)[41]
        answers_a = [(2, other_label(a["label"]), "2026-01-01T00:00:00Z", 1), (2, a["label"], "2026-01-02T00:00:00Z", 2),
                     (3, other_label(a["label"]), "2026-01-01T00:00:00Z", 3)]
        tasks = [_ls_task(a, answers_a if order == 0 else answers_a[::-1], 1),
                 _ls_task(b, [(3, other_label(b["label"]), "2026-01-01T00:00:00Z", 4)], 2)]
        import_file(_write_json(work / "ls.json", tasks if order == 0 else tasks[::-1]), None, work / "annotations",
                    now="2030-01-01T00:00:00Z")
        results.append(sentences_path(work).read_bytes())
    assert results[0] == results[1]
    # User 2's newest answer (a's gold label) counts: a stays 2-1 for its gold label.
    assert _label_of(tmp_path / "0", records(tmp_path / "0")[40]) == records(tmp_path / "0")[40]["label"]


def test_a_changed_text_error_shows_where_the_texts_differ(work):
    target = max(records(work)[:100], key=lambda r: len(r["text"]))
    changed = target["text"][:30] + "X" + target["text"][31:]
    row = doccano_line(dict(target, text=changed), target["label"])
    with pytest.raises(AnnotationError) as err:
        import_file(write_jsonl(work / "t.jsonl", [row]), "gold-2", work / "annotations")
    message = str(err.value)
    assert "differ at character 30" in message and "X" in message and target["text"][30] in message


# --- paths and the lock -------------------------------------------------------------------------------


def test_export_output_paths_and_wrong_kinds_of_path(work, capsys):
    from reportie.annotations import output_paths

    assert output_paths("label-studio", f"{work}/review/") == (work / "review" / "tasks.json", work / "review" / "config.xml")
    assert output_paths("doccano", f"{work}/review/") == (work / "review" / "tasks.jsonl", None)
    assert output_paths("label-studio", work / "q.json") == (work / "q.json", work / "q.config.xml")
    (work / "review").mkdir()
    assert output_paths("label-studio", work / "review")[0] == work / "review" / "tasks.json"  # an existing directory
    (work / "afile").write_text("x")
    where = ["--annotations", str(work / "annotations"), "--seeds", str(work / "seeds")]
    for output, message in ((f"{work}/afile/", "exists and is not a directory"),
                            (f"{work}/no/such/q.json", "is not a directory"),
                            (f"{work}/afile/q.json", "is not a directory")):
        assert main(["annotate", "export", "--format", "label-studio", "--output", output, *where]) == 2
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1
    assert main(["annotate", "export", str(work / "nothere.txt"), "--format", "doccano", "--output", f"{work}/r/", *where]) == 2
    assert "nothere.txt: no such file or directory" in capsys.readouterr().err
    assert main(["annotate", "import", str(work / "review"), *where]) == 2
    assert "is a directory" in capsys.readouterr().err


_IMPORT = "import sys; from reportie.cli import main; sys.exit(main(sys.argv[1:]))"


def test_two_imports_at_once_both_land(work):
    rows = records(work)
    gold = [r for r in rows if r["annotator"] == "gold-1"]
    first = write_jsonl(work / "a.jsonl", [doccano_line(r, other_label(r["label"])) for r in gold[:200]])
    second = write_jsonl(work / "b.jsonl", [doccano_line(r, other_label(r["label"])) for r in gold[200:400]])
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    procs = [subprocess.Popen([sys.executable, "-c", _IMPORT, "annotate", "import", str(upload), "--annotator", "gold-1",
                               "--annotations", str(work / "annotations"), "--seeds", str(work / "seeds")],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for upload in (first, second)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    after = {(r["doc"], r["start"], r["end"], r["annotator"]): r["label"] for r in records(work)}
    for r in gold[:400]:
        assert after[(r["doc"], r["start"], r["end"], "gold-1")] == other_label(r["label"])
    assert len(records(work)) == len(rows)
