"""HTML pages (issue 4, point 3): ``report_to_html`` / ``write_html`` and the pages as headless
Chromium renders them.

The browser tests use Debian's ``chromium`` (``scripts/install-chromium.sh`` installs it; set
``REPORTIE_CHROMIUM`` to use another binary). Without a browser they are skipped, except in CI
(``CI`` set), where a missing browser fails them: CI must exercise the rendering. Screenshots go
to ``tests/artifacts/<doc_id>.png`` (git-ignored).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import Dict, List, Optional

import pytest

import reportie
from reportie.html import CATEGORY_COLOURS, report_to_html, write_html
from reportie.report import LABELS, Quantity, Report, Sentence

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ARTIFACTS = ROOT / "tests" / "artifacts"
WINDOW = (1200, 1600)
BROWSER_TIMEOUT = 120  # seconds per chromium run
# The highlight colour of a quantity (mark.q background in reportie.html): must show in screenshots.
MARK_RGB = (0xFF, 0xF3, 0xA3)
TINTS = {label: tuple(int(tint[i:i + 2], 16) for i in (1, 3, 5)) for label, (tint, _) in CATEGORY_COLOURS.items()}


# ---------------------------------------------------------------- a parser for the served DOM
class PageParser(HTMLParser):
    """Collects quantity marks (with the sentence element around them), sentence elements,
    the legend and the header meta fields, and every external reference."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "col", "source", "wbr", "area", "base", "embed"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: List[Dict[str, str]] = []
        self.marks: List[Dict[str, object]] = []
        self.sentences: Dict[str, Dict[str, str]] = {}
        self.legend: List[str] = []
        self.meta: Dict[str, str] = {}
        self.external: List[str] = []
        self.scripts = 0
        self._mark: Optional[Dict[str, object]] = None
        self._meta_key: Optional[str] = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: (v or "") for k, v in attrs}
        for key in ("src", "href"):
            if key in a and not a[key].startswith("#") and not a[key].endswith(".html"):
                self.external.append(a[key])
        if tag == "script":
            self.scripts += 1
        if tag == "link":
            self.external.append(a.get("href", "link"))
        classes = a.get("class", "").split()
        if tag == "mark" and "q" in classes and "id" in a:
            sentence = next((el["id"] for el in reversed(self.stack) if "s" in el.get("class", "").split()), None)
            self._mark = dict(a, tag_text="", sentence_el=sentence)
        if "s" in classes and a.get("id", "").startswith("s"):
            self.sentences[a["id"]] = dict(a, tag=tag)
        if tag == "li" and a.get("data-label"):
            self.legend.append(a["data-label"])
        if tag == "li" and a.get("class", "").startswith("meta-"):
            self._meta_key = a["class"][len("meta-"):]
            self.meta[self._meta_key] = ""
        if tag not in self.VOID:
            self.stack.append(dict(a, tag=tag))

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._mark is not None:
            self.marks.append(self._mark)
            self._mark = None
        if tag == "li" and self._meta_key is not None:
            prefix = f"{self._meta_key}: "  # "body: 某某区人大常委会"
            if self.meta[self._meta_key].startswith(prefix):
                self.meta[self._meta_key] = self.meta[self._meta_key][len(prefix):]
            self._meta_key = None
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i]["tag"] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if self._mark is not None:
            self._mark["tag_text"] += data  # type: ignore[operator]
        if self._meta_key is not None:
            self.meta[self._meta_key] += data


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def assert_quantities_marked(report: Report, page: PageParser) -> None:
    """Every quantity is one mark with its text, its parsed fields, inside its own sentence."""
    marks = {m["id"]: m for m in page.marks}
    assert len(page.marks) == len(marks) == len(report.quantities), (len(page.marks), len(report.quantities))
    for index, q in enumerate(report.quantities):
        m = marks[f"q{index}"]
        assert m["tag_text"] == q.text
        assert float(m["data-value"]) == q.value
        for name, expected in (("low", q.low), ("high", q.high)):
            assert (float(m[f"data-{name}"]) if m[f"data-{name}"] else None) == expected
        assert m["data-unit"] == q.unit
        assert m["data-kind"] == q.kind
        assert m["data-approx"] == q.approx
        assert (m["data-record-type"] or None) == q.record_type
        assert (m["data-indicator"] or None) == q.indicator
        assert m["sentence_el"] == f"s{q.sentence}"
        tip = str(m["title"])
        for field in (f"unit: {q.unit}", f"kind: {q.kind}", f"approx: {q.approx}",
                      f"record_type: {q.record_type or '—'}"):
            assert field in tip, (field, tip)


def assert_sentences_labelled(report: Report, page: PageParser) -> None:
    assert len(page.sentences) == len(report.sentences)
    for index, s in enumerate(report.sentences):
        el = page.sentences[f"s{index}"]
        assert el["data-label"] == (s.label or "")
        assert f"cat-{s.label}" in el["class"].split()
        assert el["tag"] in (("h2", "h3") if s.heading else ("span",))


# ---------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def seed_reports(reportie_home) -> List[Report]:
    return list(reportie.extract_many(SEEDS))


@pytest.fixture(scope="module")
def pages(seed_reports, tmp_path_factory) -> List[Path]:
    out = tmp_path_factory.mktemp("html")
    return write_html(seed_reports, out)


def find_chromium() -> Optional[str]:
    configured = os.environ.get("REPORTIE_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    binary = find_chromium()
    if binary is None:
        message = "no chromium binary: run scripts/install-chromium.sh (Debian: apt-get install chromium)"
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"CI is set but {message}")
        pytest.skip(message)
    return binary


def run_chromium(binary: str, page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    args = [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", *extra, page.resolve().as_uri(),
    ]
    env = dict(os.environ, HOME=str(profile))  # keep chromium's crash/config files out of $HOME
    result = subprocess.run(args, capture_output=True, timeout=BROWSER_TIMEOUT, env=env)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    return result


def png_size(path: Path) -> tuple:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


# ---------------------------------------------------------------- without a browser
def test_pages_are_written_one_per_report(seed_reports, pages):
    assert [p.name for p in pages] == [f"{r.doc_id}.html" for r in seed_reports] + ["index.html"]
    index = pages[-1].read_text(encoding="utf-8")
    for report in seed_reports:
        assert f'href="{report.doc_id}.html"' in index


def test_seed_pages_carry_every_record(seed_reports, pages):
    for report, path in zip(seed_reports, pages):
        html = path.read_text(encoding="utf-8")
        page = parse(html)
        assert_quantities_marked(report, page)
        assert_sentences_labelled(report, page)
        assert page.legend == list(LABELS)
        assert page.meta["body"] == report.body
        assert page.meta["year"] == str(report.year)
        assert report.level and report.level in page.meta["level"]


def test_pages_are_self_contained(pages):
    for path in pages:
        html = path.read_text(encoding="utf-8")
        page = parse(html)
        assert page.scripts == 0
        assert page.external == [], page.external
        style = html[html.index("<style>"):html.index("</style>")]
        assert "url(" not in style and "@import" not in style


def test_everything_is_escaped():
    nasty = '<script>alert("x")</script> & "引号" \'单引号\'\n开展<b>执法检查</b>3次。'
    start = nasty.index("3次")
    report = Report(
        text=nasty,
        sentences=[Sentence(nasty[: nasty.index("\n")], 0, nasty.index("\n"), None, True, "other", {"other": 1.0}),
                   Sentence(nasty[nasty.index("\n") + 1:], nasty.index("\n") + 1, len(nasty),
                            '<i>section</i>', False, "supervision", {"supervision": 0.9})],
        quantities=[Quantity("3次", start, start + 2, 3.0, None, None, "次", "count", "exact",
                             '<img src=x onerror="alert(1)">', 1, '"><script>')],
        body='<b>某某县</b>人大常委会 & co', level="county", year=2023, source="/tmp/a<b>.txt",
    )
    html = report_to_html(report)
    page = parse(html)
    assert page.scripts == 0 and page.external == []
    for raw in ("<script>", "<b>某某县", "<b>执法检查", "<img", "<i>section", "a<b>"):
        assert raw not in html, raw
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in html
    assert_quantities_marked(report, page)
    assert page.meta["body"] == report.body


def test_empty_and_unlabelled_reports_render():
    assert "(no text)" in report_to_html(Report(text=""))
    text = "一、监督工作\n听取报告5个。"
    report = Report(text=text, sentences=[Sentence("一、监督工作", 0, 6, None, True),
                                          Sentence("听取报告5个。", 7, 14, "一、监督工作")],
                    quantities=[Quantity("5个", 11, 13, 5.0, None, None, "个", "count", "exact", None, 1)])
    page = parse(report_to_html(report))
    assert [el["tag"] for el in page.sentences.values()] == ["h2", "span"]
    assert all("cat-none" in el["class"] for el in page.sentences.values())
    assert len(page.marks) == 1 and page.marks[0]["sentence_el"] == "s1"


def test_duplicate_doc_ids_get_distinct_files(tmp_path):
    reports = [Report(text="甲。", source="a/x.txt"), Report(text="乙。", source="b/x.txt"),
               Report(text="丙。", source="index.txt"), Report(text="丁。")]
    names = [p.name for p in write_html(iter(reports), tmp_path / "out")]
    assert names == ["x.html", "x-2.html", "index-2.html", "text.html", "index.html"]


def test_cli_writes_html(tmp_path, reportie_home):
    from reportie.cli import main

    assert main(["extract", str(SEEDS[0]), "--format", "html", "--output", str(tmp_path)]) == 0
    assert (tmp_path / f"{SEEDS[0].stem}.html").is_file() and (tmp_path / "index.html").is_file()


# ---------------------------------------------------------------- in the browser
def test_rendered_dom_has_the_quantities(chromium, seed_reports, pages, tmp_path):
    """``--dump-dom``: the DOM Chromium built holds every quantity mark with its parsed values."""

    def dump(item):
        n, (report, path) = item
        result = run_chromium(chromium, path, tmp_path / f"profile-dom-{n}", "--dump-dom")
        return report, result.stdout.decode("utf-8")

    with ThreadPoolExecutor(max_workers=2) as pool:
        dumped = list(pool.map(dump, enumerate(zip(seed_reports, pages))))
    for report, dom in dumped:
        page = parse(dom)
        assert_quantities_marked(report, page)
        assert_sentences_labelled(report, page)
        assert page.legend == list(LABELS)
        assert page.meta["body"] == report.body and page.meta["year"] == str(report.year)


def test_screenshots(chromium, seed_reports, pages, tmp_path):
    """``--screenshot``: one PNG per seed page in tests/artifacts, with quantity highlights visible."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def shoot(item):
        n, (report, path) = item
        target = ARTIFACTS / f"{report.doc_id}.png"
        target.unlink(missing_ok=True)
        run_chromium(chromium, path, tmp_path / f"profile-shot-{n}", f"--screenshot={target}",
                     f"--window-size={WINDOW[0]},{WINDOW[1]}", "--hide-scrollbars")
        return target

    with ThreadPoolExecutor(max_workers=2) as pool:
        shots = list(pool.map(shoot, enumerate(zip(seed_reports, pages))))
    for shot in shots:
        assert shot.is_file() and png_size(shot) == WINDOW
    try:
        from PIL import Image
    except ImportError:  # Pillow comes with matplotlib (dev extra); without it only the PNG header is checked
        return
    for report, shot in zip(seed_reports, shots):
        image = Image.open(shot).convert("RGB")
        # Below the header and legend (whose key holds a sample highlight): the report text.
        colours = dict((rgb, n) for n, rgb in image.crop((0, 220, WINDOW[0], WINDOW[1])).getcolors(1 << 20) or [])
        assert len(colours) > 50, f"{shot} looks blank"
        assert colours.get(MARK_RGB, 0) > 500, f"{shot}: no quantity highlight visible"
        tinted = [label for label, rgb in TINTS.items() if colours.get(rgb, 0) > 5000]
        assert len(tinted) >= 2, f"{shot}: sentences are not coloured by category ({tinted})"
