"""Memory over a long ``extract_many`` run (issue 5, point 4): a script, not a test.

    .venv/bin/python benchmarks/bench_load.py                  # 1,000 reports, one process
    .venv/bin/python benchmarks/bench_load.py --reports 300 --n-process 2

The seed reports are repeated and shuffled (a fixed random seed, so every run sees the same
order) to ``--reports`` inputs, streamed through ``reportie.extract_many`` and dropped as they
come. The resident set size (RSS) is printed after the first ``--checkpoint`` reports and at the
end, with their ratio: a ratio near 1 means memory does not grow with the corpus. Every streamed
record is compared with one-by-one ``reportie.extract`` of the same file (all of them, against
the per-seed references, plus ``--fresh`` freshly extracted ones), and the script exits 1 on
any difference.

The pkuseg model is taken from ``REPORTIE_HOME`` (default: ``.reportie-home`` in the repository,
as the tests use).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("REPORTIE_HOME", str(REPO / ".reportie-home"))


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_mb()


def peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--checkpoint", type=int, default=100)
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--seed", type=int, default=20240517, help="shuffle seed")
    parser.add_argument("--fresh", type=int, default=20, help="records re-extracted one by one from scratch")
    parser.add_argument("--seeds-dir", type=Path, default=REPO / "seeds")
    args = parser.parse_args(argv)

    import reportie
    from reportie.corpus import DEFAULT_BATCH_SIZE

    seeds = sorted(args.seeds_dir.glob("*.txt"))
    if not seeds:
        parser.error(f"no .txt reports in {args.seeds_dir}")
    rng = random.Random(args.seed)
    items = [seeds[i % len(seeds)] for i in range(args.reports)]
    rng.shuffle(items)
    fresh = set(rng.sample(range(args.reports), min(args.fresh, args.reports)))

    started = time.perf_counter()
    reportie.load()
    print(f"pipeline loaded in {time.perf_counter() - started:.1f} s, RSS {rss_mb():.0f} MB")
    # One-by-one references, extracted before the stream so they do not count in its memory.
    reference = {str(path): reportie.extract(path).to_dict() for path in seeds}
    rss_start = rss_mb()
    print(f"{len(seeds)} reference reports extracted, RSS {rss_start:.0f} MB")

    batch_size = args.batch_size or DEFAULT_BATCH_SIZE
    rss_checkpoint = None
    mismatches = []
    fresh_checked = 0
    started = time.perf_counter()
    stream = reportie.extract_many(items, n_process=args.n_process, batch_size=batch_size)
    for index, report in enumerate(stream):
        record = report.to_dict()
        path = str(items[index])
        if record != reference[path]:
            mismatches.append((index, path, "differs from the reference"))
        if index in fresh:
            fresh_checked += 1
            if reportie.extract(items[index]).to_dict() != record:
                mismatches.append((index, path, "differs from a fresh extract()"))
        del report, record
        if index + 1 == args.checkpoint:
            rss_checkpoint = rss_mb()
            elapsed = time.perf_counter() - started
            print(f"after {index + 1:>5} reports: RSS {rss_checkpoint:.0f} MB ({elapsed:.1f} s)")
    elapsed = time.perf_counter() - started
    rss_end = rss_mb()
    print(f"after {args.reports:>5} reports: RSS {rss_end:.0f} MB ({elapsed:.1f} s, "
          f"{args.reports / elapsed:.1f} reports/s, n_process={args.n_process}, batch_size={batch_size})")
    if rss_checkpoint:
        print(f"RSS ratio {args.reports}/{args.checkpoint}: {rss_end / rss_checkpoint:.3f} "
              f"(growth {rss_end - rss_checkpoint:+.0f} MB); peak RSS {peak_mb():.0f} MB")
    print(f"records checked: {args.reports} against one-by-one references, {fresh_checked} against fresh extract()")
    if mismatches:
        for index, path, what in mismatches[:10]:
            print(f"MISMATCH report #{index} ({path}): {what}")
        print(f"{len(mismatches)} mismatching records")
        return 1
    print("all records equal one-by-one extraction")
    return 0


if __name__ == "__main__":
    sys.exit(main())
