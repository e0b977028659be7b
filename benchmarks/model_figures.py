"""Quantity and label figures of the pipeline on one pkuseg model or several, side by side.

    .venv/bin/python benchmarks/model_figures.py                       # cached full vs cached lean
    .venv/bin/python benchmarks/model_figures.py --model lean=benchmarks/out/lean-0.3-0.01 --model full=full
    .venv/bin/python benchmarks/model_figures.py --loro                # also leave-one-document-out macro-F1

Each model runs in a fresh process (``REPORTIE_PKUSEG_MODEL=<folder>``) and prints:
seed gold quantities P/R/F1 and record_type accuracy, the same on the four held-out authored
reports, sentence-label accuracy on the seeds and on the held-out reports (shipped classifier), and
with ``--loro`` the leave-one-document-out macro-F1 (dev corpus, seeds) of ``reportie evaluate`` (retrained on that
model's words). Then it counts the quantities and sentence labels that differ from the first model.
A model given as ``full`` or ``lean`` is that folder of the cache.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

PROBE = r"""
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import reportie
from reportie.scoring import score_quantities
from reportie.segmenter import model_dir

repo, loro = Path(sys.argv[2]), sys.argv[3] == "1"
ann = repo / "annotations"
def jsonl(p):
    return [json.loads(l) for l in p.read_text(encoding="utf-8").splitlines() if l.strip()]
out = {"model": str(model_dir())}
records = {}
for name, paths, qgold, sgold in (
    ("seeds", sorted((repo / "seeds").glob("*.txt")), "quantities.jsonl", "sentences.jsonl"),
    ("held_out", sorted((ann / "authored_reports").glob("*.txt")), "authored_quantities.jsonl", "authored_sentences.jsonl"),
):
    reports = {p.stem: reportie.extract(p) for p in paths}
    predicted = [dict(vars(q), doc=d) for d, r in reports.items() for q in r.quantities]
    score = score_quantities(predicted, jsonl(ann / qgold))
    gold = {(r["doc"], r["start"], r["end"]): r["label"] for r in jsonl(ann / sgold) if r.get("source", "seed") != "authored" or name == "held_out"}
    pairs = [(gold[(d, s.start, s.end)], s.label) for d, r in reports.items() for s in r.sentences if (d, s.start, s.end) in gold]
    out[name] = {
        "quantity_p": round(score.precision, 4), "quantity_r": round(score.recall, 4), "quantity_f1": round(score.f1, 4),
        "record_type_acc": round(score.record_type_accuracy, 4),
        "sentence_acc": round(sum(g == p for g, p in pairs) / len(pairs), 4), "sentences_scored": len(pairs),
    }
    records[name] = {
        "quantities": sorted(json.dumps(dict(vars(q), doc=d), sort_keys=True, ensure_ascii=False) for d, r in reports.items() for q in r.quantities),
        "labels": [f"{d}:{s.start}:{s.end}:{s.label}" for d, r in reports.items() for s in r.sentences],
    }
if loro:
    from reportie.training import evaluate
    ev = evaluate(ann, repo / "seeds")
    out["lodo_dev_macro_f1"] = round(ev.by_source["dev-corpus"]["model"]["macro_f1"], 4)
    out["lodo_seed_macro_f1"] = round(ev.by_source["seed"]["model"]["macro_f1"], 4)
print(json.dumps({"figures": out, "records": records}, ensure_ascii=False))
"""


def run(model: str, loro: bool) -> dict:
    env = dict(os.environ)
    if model not in ("full", "lean"):
        env["REPORTIE_PKUSEG_MODEL"] = str(Path(model).resolve())
    else:
        from reportie.segmenter import fetch_model

        env["REPORTIE_PKUSEG_MODEL"] = str(fetch_model() / model)
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(REPO / "src"), str(REPO), "1" if loro else "0"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    if proc.returncode:
        sys.exit(f"{model}: the probe failed\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", action="append", metavar="NAME=FOLDER",
                    help="a model to score (default: full=full lean=lean); the first is the reference")
    ap.add_argument("--loro", action="store_true", help="also retrain and score leave-one-report-out (slow)")
    args = ap.parse_args(argv)
    models = [m.split("=", 1) if "=" in m else (m, m) for m in (args.model or ["full=full", "lean=lean"])]
    results = {name: run(folder, args.loro) for name, folder in models}
    names = [n for n, _ in models]
    ref = results[names[0]]
    keys = [(part, k) for part in ("seeds", "held_out") for k in ref["figures"][part]]
    print(f"{'figure':<32}" + "".join(f"{n:>14}" for n in names))
    for part, k in keys:
        print(f"{part + ' ' + k:<32}" + "".join(f"{results[n]['figures'][part][k]:>14}" for n in names))
    if args.loro:
        print(f"{'loro_macro_f1':<32}" + "".join(f"{results[n]['figures']['loro_macro_f1']:>14}" for n in names))
    for n in names[1:]:
        for part in ("seeds", "held_out"):
            a, b = ref["records"][part], results[n]["records"][part]
            q_diff = len(set(a["quantities"]) ^ set(b["quantities"]))
            l_diff = sum(x != y for x, y in zip(a["labels"], b["labels"])) + abs(len(a["labels"]) - len(b["labels"]))
            print(f"{n} vs {names[0]}, {part}: {q_diff} quantity records and {l_diff} sentence labels differ "
                  f"(of {len(a['quantities'])} and {len(a['labels'])})")
    for n in names:
        print(f"{n}: {results[n]['figures']['model']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
