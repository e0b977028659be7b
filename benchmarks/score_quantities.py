"""Score quantities and their indicators (spec §2) on the seed gold and on a dev corpus, separately.

Usage (from the repository root, with the project's python):

    .venv/bin/python benchmarks/score_quantities.py                      # seed gold + dev-corpus/*.jsonl
    .venv/bin/python benchmarks/score_quantities.py --misses 40          # and print up to 40 misses of each kind
    .venv/bin/python benchmarks/score_quantities.py --dev other/*.jsonl  # another corpus in the dev format

Figures, per gold set:
- quantities P/R/F1: a hit needs the same span, value (or low/high), unit, kind and approx;
- indicator overlap: over quantities found at the gold span whose gold has an indicator, the
  predicted and gold phrases hold one another and both have at least two characters;
- cut words: predicted indicators whose start or end falls inside a word of the pipeline's
  segmentation (pkuseg, on the simplified view of the text);
- none: gold indicators the pipeline left as ``None``.
The seed gold is ``annotations/quantities.jsonl`` on ``seeds/*.txt``; the dev corpus format is
described in ``dev-corpus/README.md``.
"""

from __future__ import annotations

import argparse
import glob
import json
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("value", "low", "high", "unit", "kind", "approx")


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def _value_ok(p: dict, g: dict) -> bool:
    if g.get("approx") == "range" or g.get("low") is not None:
        return _close(p["low"], g.get("low")) and _close(p["high"], g.get("high")) and p["unit"] == g["unit"]
    return _close(p["value"], g["value"]) and p["unit"] == g["unit"]


def dev_documents(paths: Iterable[str]) -> List[Tuple[str, str, List[dict]]]:
    """(id, text, gold quantities with offsets) per document of the dev format."""
    out = []
    for path in paths:
        for line in open(path, encoding="utf-8"):
            if not line.strip():
                continue
            doc = json.loads(line)
            text, quants = "", []
            for s in doc["sentences"]:
                start, pos = len(text), 0
                for q in s.get("quantities", []):
                    i = s["text"].index(q["text"], pos)
                    pos = i + len(q["text"])
                    quants.append({**q, "start": start + i, "end": start + pos})
                text += s["text"] + ("\n" if s.get("para_end") else "")
            out.append((doc["id"], text, quants))
    return out


def seed_documents() -> List[Tuple[str, str, List[dict]]]:
    gold: Dict[str, List[dict]] = defaultdict(list)
    for line in open(ROOT / "annotations" / "quantities.jsonl", encoding="utf-8"):
        if line.strip():
            q = json.loads(line)
            gold[q["doc"]].append(q)
    return [(path.stem, path.read_text(encoding="utf-8"), gold.get(path.stem, []))
            for path in sorted((ROOT / "seeds").glob("*.txt"))]


def score(nlp, documents) -> dict:
    from reportie.extraction import doc_to_report

    tp = fp = fn = ind_n = ind_ok = none = cut = 0
    misses = defaultdict(list)
    for doc_id, text, gold in documents:
        doc = nlp(text)
        report = doc_to_report(doc)
        # word edges of the segmentation; a word that straddles a quantity's edge counts as split there
        edges = {q.start for q in report.quantities} | {q.end for q in report.quantities}
        starts = {t.idx for t in doc} | edges
        ends = {t.idx + len(t.text) for t in doc} | edges
        pred = {(q.start, q.end): q for q in report.quantities}
        gspans = {(g["start"], g["end"]): g for g in gold}
        for span, g in gspans.items():
            p = pred.get(span)
            ctx = text[max(0, span[0] - 20):span[1] + 8].replace("\n", "⏎")
            if p is None:
                fn += 1
                misses["quantity missed"].append((doc_id, g["text"], ctx))
                continue
            pd = {k: getattr(p, k) for k in FIELDS}
            if _value_ok(pd, g) and p.kind == g["kind"] and p.approx == g["approx"]:
                tp += 1
            else:
                fp += 1
                fn += 1
                misses["quantity wrong"].append((doc_id, g["text"], {k: g.get(k) for k in FIELDS}, pd))
            gi, pi = g.get("indicator") or "", p.indicator or ""
            if gi:
                ind_n += 1
                ok = bool(pi) and (pi in gi or gi in pi) and min(len(pi), len(gi)) >= 2
                ind_ok += ok
                none += not pi
                if not ok:
                    misses["indicator"].append((doc_id, g["text"], gi, pi, ctx))
        for span, p in pred.items():
            if span not in gspans:
                fp += 1
                misses["quantity spurious"].append((doc_id, p.text, text[max(0, span[0] - 20):span[1] + 8]))
        for q in report.quantities:
            if q.indicator:
                sent = report.sentences[q.sentence]
                found = []
                i = text.find(q.indicator, sent.start, sent.end)
                while i >= 0:
                    found.append(i)
                    i = text.find(q.indicator, i + 1, sent.end)
                # the occurrence nearest the number must start and end at word boundaries
                i = min(found, key=lambda j: min(abs(j - q.end), abs(j + len(q.indicator) - q.start)), default=-1)
                if i >= 0 and (i not in starts or i + len(q.indicator) not in ends):
                    cut += 1
                    misses["indicator cuts a word"].append((doc_id, q.text, q.indicator))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"p": prec, "r": rec, "f1": f1,
            "indicator_overlap": ind_ok / max(1, ind_n), "indicator_n": ind_n, "indicator_none": none,
            "cut_words": cut, "misses": misses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", nargs="*", default=None, help="dev-format JSONL files (default dev-corpus/*.jsonl)")
    parser.add_argument("--misses", type=int, default=0, help="print up to N misses of each kind")
    parser.add_argument("--no-seeds", action="store_true")
    args = parser.parse_args()
    from reportie.pipeline import load

    nlp = load()
    sets = []
    if not args.no_seeds:
        sets.append(("seed gold", seed_documents()))
    dev = args.dev if args.dev is not None else sorted(glob.glob(str(ROOT / "dev-corpus" / "*.jsonl")))
    if dev:
        sets.append(("dev corpus", dev_documents(dev)))
    for name, documents in sets:
        s = score(nlp, documents)
        print(f"{name}: quantities P={s['p']:.3f} R={s['r']:.3f} F1={s['f1']:.3f} | "
              f"indicator overlap={s['indicator_overlap']:.3f} (n={s['indicator_n']}, none={s['indicator_none']}, "
              f"cut words={s['cut_words']})")
        if args.misses:
            for kind, rows in s["misses"].items():
                print(f"  -- {kind} ({len(rows)})")
                for row in rows[:args.misses]:
                    print("    ", row)


if __name__ == "__main__":
    main()
