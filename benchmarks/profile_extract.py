"""Where reportie spends its time: cProfile of ``load()`` and of ``extract()`` on one seed.

    REPORTIE_HOME=... .venv/bin/python benchmarks/profile_extract.py [--seed PATH] [--top N]
        [--sort cumulative|tottime] [--output FILE]

Each part runs in a fresh interpreter (``subprocess``) so that imports are profiled as a user
meets them:

1. ``import reportie; reportie.load()`` (cold start: spaCy import, pkuseg model, pipeline);
2. the first ``extract(seed)`` after ``load()`` (includes the classifier's lazy load);
3. a warm ``extract(seed)`` (everything loaded; the steady-state cost per report);
4. the warm ``extract(seed)`` split per pipeline component (wall time of each ``nlp`` step,
   with the tokenizer alone for comparison).

The top of each profile is printed (and written to ``--output`` if given), for issue notes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED = ROOT / "seeds" / "000_51482b9a4b8c3cb5.txt"

_CHILD = r"""
import cProfile, io, pstats, sys, time
part, seed, top, sort = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
prof = cProfile.Profile()
if part == "load":
    t0 = time.perf_counter()
    prof.enable()
    import reportie
    reportie.load()
    prof.disable()
    took = time.perf_counter() - t0
elif part in ("first", "warm"):
    import reportie
    reportie.load()
    if part == "warm":
        reportie.extract(seed)
    t0 = time.perf_counter()
    prof.enable()
    reportie.extract(seed)
    prof.disable()
    took = time.perf_counter() - t0
elif part == "components":
    import reportie
    from reportie.reading import read_input
    nlp = reportie.load()
    text, _ = read_input(seed)
    reportie.extract(seed)
    from reportie.extraction import doc_to_report
    rounds = 5
    clock = time.process_time  # CPU time: steadier than wall time on a shared machine
    times = {}
    def step(name, fn, *args):
        t = clock(); out = fn(*args); times[name] = times.get(name, 0) + clock() - t
        return out
    for _ in range(rounds):
        step("read_input", read_input, seed)
        doc = step("tokenizer", nlp.make_doc, text)
        for name, proc in nlp.pipeline:
            doc = step(name, proc, doc)
        step("doc_to_report", doc_to_report, doc, seed)
    total = sum(times.values())
    print(f"per-step CPU time, mean of {rounds} warm runs on {len(text):,} characters:")
    for name, secs in times.items():
        print(f"  {name:22s} {secs / rounds * 1000:8.1f} ms  {secs / total:6.1%}")
    rest = total - times["tokenizer"]
    print(f"  everything but the tokenizer: {rest / times['tokenizer']:.1%} of the tokenizer's time "
          f"(pipeline/tokenizer speed ratio {times['tokenizer'] / total:.2f})")
    sys.exit(0)
out = io.StringIO()
stats = pstats.Stats(prof, stream=out)
stats.sort_stats(sort).print_stats(top)
print(f"wall {took:.3f} s (under the profiler)")
text = out.getvalue()
# drop pstats' header lines up to the table, keep the table
print(text[text.find("   ncalls"):] if "   ncalls" in text else text)
"""


def run_part(part: str, seed: Path, top: int, sort: str) -> str:
    env = dict(os.environ)
    env.setdefault("REPORTIE_HOME", str(ROOT / ".reportie-home"))
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, part, str(seed), str(top), sort],
        capture_output=True, text=True, env=env, cwd=str(ROOT),
    )
    if proc.returncode != 0:
        raise SystemExit(f"profile part {part!r} failed:\n{proc.stderr}")
    return proc.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    parser.add_argument("--parts", default="load,first,warm,components")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    titles = {
        "load": "import reportie; reportie.load()  (fresh process)",
        "first": "first extract(seed) after load()  (includes the classifier's lazy load)",
        "warm": "warm extract(seed)",
        "components": "warm extract(seed) per step (CPU time)",
    }
    chunks = []
    for part in args.parts.split(","):
        body = run_part(part, args.seed, args.top, args.sort)
        chunk = f"## {titles[part]} — sorted by {args.sort}\n\n{body.rstrip()}\n"
        print(chunk, flush=True)
        chunks.append(chunk)
    if args.output:
        args.output.write_text("\n".join(chunks), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
