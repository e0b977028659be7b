"""(Re)build the lean pkuseg model from the full one and measure it.

    .venv/bin/python benchmarks/compact_model.py                     # default threshold
    .venv/bin/python benchmarks/compact_model.py -t 0.02 -t 0.05 -t 0.1
    .venv/bin/python benchmarks/compact_model.py -t 0.05 --install   # make it the cached lean model

For each threshold it builds a lean model from ``<cache>/full`` into
``benchmarks/out/lean-<t>`` (git-ignored) and prints

* token agreement with the full model on the seed corpus (``seeds/*.txt``, cut
  line by line, without user dictionary so that only the models differ):
  F1 of the token spans, share of the full model's tokens reproduced, share of
  lines segmented identically;
* load time and RSS of a fresh process that loads the model, and peak RSS /
  speed after it segmented the seeds (full model too).

The model is fetched into the cache (``REPORTIE_HOME`` or the user cache) if it
is not there yet. ``--install`` (one threshold) replaces the cache's ``lean/``
and its manifest entries.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from reportie import segmenter  # noqa: E402

SEEDS = REPO / "seeds"
OUT = REPO / "benchmarks" / "out"

# Run in a fresh interpreter: imports, then load (timed), then segment the seeds.
PROBE = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
def rss_mb(field="VmRSS:"):
    # /proc, not getrusage: ru_maxrss survives exec and would report the parent's peak
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
t0 = time.perf_counter()
import spacy_pkuseg
from reportie.segmenter import load_segmenter
t1 = time.perf_counter()
rss_import = rss_mb()
seg = load_segmenter(model_path=sys.argv[2], domain_dict=False)
t2 = time.perf_counter()
rss_load = rss_mb()
peak_load = rss_mb("VmHWM:")
lines = [l for p in sorted(Path(sys.argv[3]).glob("*.txt")) for l in p.read_text(encoding="utf-8").splitlines() if l.strip()]
n_chars = sum(len("".join(l.split())) for l in lines)
t3 = time.perf_counter()
for l in lines:
    seg.cut(l)
t4 = time.perf_counter()
print(json.dumps({
    "import_s": t1 - t0, "load_s": t2 - t1, "rss_import_mb": rss_import, "rss_load_mb": rss_load,
    "peak_load_mb": peak_load, "peak_rss_mb": rss_mb("VmHWM:"),
    "chars": n_chars, "chars_per_s": n_chars / (t4 - t3), "total_s": t4 - t0,
}))
"""


def seed_lines() -> list[str]:
    return [
        line
        for path in sorted(SEEDS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def spans(tokens: list[str]) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for tok in tokens:
        out.add((pos, pos + len(tok)))
        pos += len(tok)
    return out


def agreement(reference: list[list[str]], other: list[list[str]]) -> dict[str, float]:
    """Token-span agreement of ``other`` with ``reference`` (line by line)."""
    common = n_ref = n_other = same = 0
    for a, b in zip(reference, other, strict=True):
        sa, sb = spans(a), spans(b)
        common += len(sa & sb)
        n_ref += len(sa)
        n_other += len(sb)
        same += a == b
    return {
        "f1": 2 * common / (n_ref + n_other),
        "recall": common / n_ref,
        "lines_identical": same / len(reference),
        "tokens_full": n_ref,
        "tokens_differing": n_ref - common,
    }


def probe(model_path: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(REPO / "src"), str(model_path), str(SEEDS)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fmt_probe(name: str, p: dict[str, float]) -> str:
    return (
        f"{name:<14} load {p['load_s']:5.2f} s  (imports {p['import_s']:.2f} s)  "
        f"RSS after load {p['rss_load_mb']:4.0f} MB, peak {p['peak_load_mb']:4.0f} MB (imports alone {p['rss_import_mb']:.0f} MB)  "
        f"peak after seeds {p['peak_rss_mb']:6.0f} MB  speed {p['chars_per_s']:,.0f} chars/s"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-t", "--threshold", type=float, action="append",
                    help=f"drop features whose weights span less than this (default {segmenter.DEFAULT_THRESHOLD})")
    ap.add_argument("-q", "--quantum", type=float, default=segmenter.DEFAULT_QUANTUM,
                    help=f"round the kept weights to multiples of this; 0: no sharing (default {segmenter.DEFAULT_QUANTUM})")
    ap.add_argument("--install", action="store_true", help="install the (single) lean model into the cache")
    ap.add_argument("--no-probe", action="store_true", help="skip the fresh-process load time / RSS measurements")
    args = ap.parse_args(argv)
    thresholds = args.threshold or [segmenter.DEFAULT_THRESHOLD]
    if args.install and len(thresholds) != 1:
        ap.error("--install takes exactly one --threshold")

    root = segmenter.fetch_model(progress=lambda m: print(f"fetch: {m}", file=sys.stderr))
    full = root / "full"
    lines = seed_lines()
    print(f"cache: {root}")
    print(f"seed corpus: {len(lines)} lines, {sum(len(''.join(l.split())) for l in lines):,} chars")

    t = time.perf_counter()
    full_seg = segmenter.load_segmenter(model_path=full, domain_dict=False)
    print(f"full model loaded in-process in {time.perf_counter() - t:.1f} s: {full_seg.n_feature:,} features")
    t = time.perf_counter()
    reference = [full_seg.cut(line) for line in lines]
    print(f"full model: segmented the seeds in {time.perf_counter() - t:.2f} s")

    if not args.no_probe:
        print(fmt_probe("full", probe(full)))

    for thr in thresholds:
        out = OUT / f"lean-{thr:g}-{args.quantum:g}"
        if out.exists():
            import shutil

            shutil.rmtree(out)
        t = time.perf_counter()
        meta = segmenter.compact_model(full, out, thr, args.quantum)
        size = sum(f["bytes"] for f in meta["files"].values()) / 1e6
        print(
            f"\nthreshold {thr:g}, quantum {args.quantum:g}: kept {meta['n_keys']:,} of {meta['features_full']:,} "
            f"features ({meta['n_keys'] / meta['features_full']:.1%}) sharing {meta['n_rows']:,} weight rows, "
            f"{meta['bigram_kept']:,} of "
            f"{meta['bigram_full']:,} bigrams, {size:.1f} MB on disk, built in {time.perf_counter() - t:.1f} s"
        )
        lean_seg = segmenter.load_segmenter(model_path=out, domain_dict=False)
        agree = agreement(reference, [lean_seg.cut(line) for line in lines])
        print(
            f"  agreement with full: token F1 {agree['f1']:.4%}, full tokens reproduced {agree['recall']:.4%} "
            f"({agree['tokens_differing']} of {agree['tokens_full']:,} differ), "
            f"lines identical {agree['lines_identical']:.2%}"
        )
        if not args.no_probe:
            print("  " + fmt_probe(f"lean {thr:g}/{args.quantum:g}", probe(out)))
        if args.install:
            segmenter.install_manifest_lean(root, out)
            print(f"  installed as {root / 'lean'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
