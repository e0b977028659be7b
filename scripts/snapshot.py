"""Snapshot ``Report.to_dict()`` of every bundled document, or compare with a snapshot.

A refactoring must leave every output byte-identical (the house rule of issue 16)::

    python scripts/snapshot.py write /tmp/before.jsonl
    ... change the code ...
    python scripts/snapshot.py compare /tmp/before.jsonl

The documents: the seeds, the dev corpus and authored pages (``annotations/reports/``) and the
authored reports (``annotations/authored_reports/``). Exit status 1 on any difference.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("seeds", "annotations/reports", "annotations/authored_reports")


def documents() -> list[Path]:
    return [p for folder in FOLDERS for p in sorted((ROOT / folder).glob("*.txt"))]


def snapshot() -> dict[str, str]:
    import reportie

    out = {}
    for path in documents():
        report = reportie.extract(path.read_text(encoding="utf-8"))
        out[str(path.relative_to(ROOT))] = json.dumps(report.to_dict(), ensure_ascii=False, sort_keys=True)
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("write", "compare"):
        print(__doc__, file=sys.stderr)
        return 2
    action, target = argv[0], Path(argv[1])
    now = snapshot()
    if action == "write":
        target.write_text("".join(json.dumps({"path": k, "report": v}, ensure_ascii=False) + "\n" for k, v in now.items()),
                          encoding="utf-8")
        print(f"{len(now)} reports written to {target}")
        return 0
    before = {row["path"]: row["report"] for row in map(json.loads, target.read_text(encoding="utf-8").splitlines())}
    changed = sorted(k for k in before if before[k] != now.get(k))  # a document gone counts as a change
    for key in changed:
        print(f"differs: {key}")
    added = len(now.keys() - before.keys())  # documents added since the snapshot are not a change
    print(f"{len(before)} reports, {len(changed)} differ" + (f" ({added} new documents not in the snapshot)" if added else ""))
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
