"""Build ``src/reportie/data/divisions.tsv``: the gazetteer of Chinese administrative divisions
that metadata (spec §3) reads bodies and levels from.

Source: the ``adcodes.csv`` and ``56_nations.csv`` files of the PyPI package ``cpca`` 0.5.5
(MIT licence, © 2018 QinYuan Du; the licence text is copied to
``src/reportie/data/divisions.LICENSE``). reportie ships the derived table and does not depend
on cpca (or its pandas/pyahocorasick requirements) at run time.

    python scripts/build_divisions.py            # downloads cpca==0.5.5 with pip
    python scripts/build_divisions.py WHEEL.whl  # or reads a wheel you already have

Columns: ``adcode`` (12 digits), ``name`` (full name, 大足区), ``short`` (the name without its
administrative suffix and nationality words, 大足; empty when shorter than two characters) and
``rank`` (``province``: 省/自治区/直辖市; ``city``: 地级市/自治州/地区/盟; ``county``: districts,
counties, county-level cities, banners, including the districts of municipalities).
"""
from __future__ import annotations

import csv
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

VERSION = "0.5.5"
DATA = Path(__file__).resolve().parents[1] / "src" / "reportie" / "data"
SUFFIXES = ("自治区", "自治州", "自治县", "自治旗", "特别行政区", "林区", "地区", "新区", "矿区",
            "省", "市", "县", "区", "旗", "盟", "州")
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def rank_of(adcode: str) -> str:
    if adcode[2:6] == "0000":
        return "province"
    if adcode[4:6] == "00":
        return "city"
    return "county"


def short_name(name: str, nations: list) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            short = name[: -len(suffix)]
            break
    else:
        short = name
    changed = True
    while changed:  # 黔东南苗族侗族 -> 黔东南
        changed = False
        for nation in nations:
            if short.endswith(nation) and len(short) - len(nation) >= 2:
                short, changed = short[: -len(nation)], True
    return short if len(short) >= 2 else ""


def main() -> None:
    if len(sys.argv) > 1:
        wheel = Path(sys.argv[1])
    else:
        tmp = Path(tempfile.mkdtemp())
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", f"cpca=={VERSION}", "-d", str(tmp)],
                       check=True)
        wheel = next(tmp.glob("cpca-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        adcodes = zf.read("cpca/resources/adcodes.csv").decode("utf-8")
        nations = [n.strip() for n in zf.read("cpca/resources/56_nations.csv").decode("utf-8").splitlines() if n.strip()]
        licence = zf.read(f"cpca-{VERSION}.dist-info/LICENSE").decode("utf-8")
    nations = sorted(set(nations) | {n[:-1] for n in nations if n.endswith("族") and len(n) > 2}, key=len, reverse=True)
    rows = []
    for row in csv.DictReader(io.StringIO(adcodes)):
        if row["name"] in PLACEHOLDERS:
            continue
        rows.append((row["adcode"], row["name"], short_name(row["name"], nations), rank_of(row["adcode"])))
    rows.sort()
    out = io.StringIO()
    out.write("adcode\tname\tshort\trank\n")
    for row in rows:
        out.write("\t".join(row) + "\n")
    (DATA / "divisions.tsv").write_text(out.getvalue(), encoding="utf-8")
    (DATA / "divisions.LICENSE").write_text(
        f"divisions.tsv is derived from adcodes.csv and 56_nations.csv of the PyPI package cpca {VERSION}.\n\n"
        + licence, encoding="utf-8")
    print(f"{len(rows)} divisions written to {DATA / 'divisions.tsv'}")


if __name__ == "__main__":
    main()
