"""Reports as self-contained HTML pages: ``reportie extract … --format html --output DIR``.

One page per report, with inline CSS and nothing else (no scripts, fonts or images to fetch):

- a header with the reporting body, its level and the year covered;
- a legend of the sentence categories with their colours, sentence counts and shares;
- the report text, every sentence tinted by its category (its label, scores and section on
  hover), headings styled as headings, paragraphs kept;
- every quantity highlighted; hovering shows its parsed value, unit, kind, approximation,
  record type and indicator. The same fields are on the element as ``data-*`` attributes, so
  the page is also machine-readable;
- a table of all quantities, each row linking to the highlighted text.

Everything taken from the report is HTML-escaped.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from html import escape
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from .contract import LABEL_INFO, LABELS
from .report import Quantity, Report, Sentence

CATEGORY_NAMES: Dict[str, str] = {name: f"{info['zh']} {info['en']}" for name, info in LABEL_INFO.items()}
# Colour-blind-friendly hues (Okabe-Ito), from data/labels.json: (text-tint background, strong colour).
CATEGORY_COLOURS: Dict[str, Tuple[str, str]] = {name: (info["background"], info["colour"]) for name, info in LABEL_INFO.items()}
LEVEL_NAMES: Dict[str, str] = {
    "national": "全国 national",
    "province": "省级 province",
    "city": "市级 city",
    "county": "县级 county",
    "township": "乡镇 township",
}
_MAJOR_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+[部章])")
_UNSAFE_NAME = re.compile(r"[^\w.\-]+")


def _attr(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _number(value: Optional[float]) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


def quantity_fields(q: Quantity) -> List[Tuple[str, str]]:
    """The parsed fields of a quantity as (name, shown value) pairs, in display order."""
    value = _number(q.value)
    if q.low is not None or q.high is not None:
        value += f" (range {_number(q.low)} – {_number(q.high)})"
    return [
        ("value", value),
        ("unit", q.unit or "—"),
        ("kind", q.kind or "—"),
        ("approx", q.approx or "—"),
        ("record_type", q.record_type or "—"),
        ("indicator", q.indicator or "—"),
    ]


def _quantity_tip(q: Quantity) -> str:
    return "\n".join(f"{name}: {shown}" for name, shown in quantity_fields(q))


def _sentence_tip(index: int, s: Sentence) -> str:
    lines = [f"sentence {index}" + (" (heading)" if s.heading else ""), f"label: {s.label or '—'}"]
    if s.scores:
        ranked = sorted(s.scores.items(), key=lambda kv: -kv[1])
        lines.append("scores: " + ", ".join(f"{name} {score:.2f}" for name, score in ranked))
    if s.section:
        lines.append(f"section: {s.section}")
    return "\n".join(lines)


def _mark_quantity(text: str, index: int, q: Quantity) -> str:
    data = {
        "value": q.value, "low": q.low, "high": q.high, "unit": q.unit, "kind": q.kind,
        "approx": q.approx, "record-type": q.record_type, "indicator": q.indicator, "sentence": q.sentence,
    }
    attrs = " ".join(f'data-{name}="{_attr(value)}"' for name, value in data.items())
    return (
        f'<mark class="q kind-{_attr(q.kind)}" id="q{index}" {attrs} title="{_attr(_quantity_tip(q))}">'
        f"{escape(text[q.start:q.end])}</mark>"
    )


def _render_span(text: str, start: int, end: int, quantities: Sequence[Tuple[int, Quantity]]) -> str:
    """``text[start:end]`` escaped, with the quantities that lie wholly inside it marked."""
    out: List[str] = []
    pos = start
    for index, q in quantities:
        if q.start < pos or q.end > end or q.start >= q.end:
            continue  # outside this span, or overlapping a quantity already marked
        out.append(escape(text[pos:q.start]))
        out.append(_mark_quantity(text, index, q))
        pos = q.end
    out.append(escape(text[pos:end]))
    return "".join(out)


def _label_class(label: Optional[str]) -> str:
    return f"cat-{label}" if label in CATEGORY_COLOURS else "cat-none"


def _body(report: Report) -> str:
    """The report text as paragraphs and headings, sentences tinted and quantities marked."""
    text = report.text
    ordered = sorted(enumerate(report.quantities), key=lambda iq: (iq[1].start, -iq[1].end))
    sentences = sorted(enumerate(report.sentences), key=lambda isn: isn[1].start)
    out: List[str] = []
    paragraph: List[str] = []

    starts = [q.start for _, q in ordered]

    def in_range(start: int, end: int) -> List[Tuple[int, Quantity]]:
        window = ordered[bisect_left(starts, start):bisect_left(starts, end)]
        return [(i, q) for i, q in window if q.end <= end]

    def flush() -> None:
        content = "".join(paragraph).strip()
        if content:
            out.append(f"<p>{content}</p>")
        paragraph.clear()

    def gap(start: int, end: int) -> None:
        # Text between sentences: a line break ends the paragraph, other text is kept.
        for n, piece in enumerate(text[start:end].split("\n")):
            if n:
                flush()
            if piece.strip():
                paragraph.append(_render_span(text, start, start + len(piece), in_range(start, start + len(piece))))
            start += len(piece) + 1

    pos = 0
    for index, s in sentences:
        if s.start < pos:
            continue
        gap(pos, s.start)
        inner = _render_span(text, s.start, s.end, in_range(s.start, s.end))
        attrs = f'class="s {_label_class(s.label)}" id="s{index}" data-label="{_attr(s.label)}"'
        attrs += f' title="{_attr(_sentence_tip(index, s))}"'
        if s.heading:
            flush()
            tag = "h2" if _MAJOR_HEADING.match(s.text) else "h3"
            out.append(f'<{tag} {attrs}>{inner}</{tag}>')
        else:
            paragraph.append(f"<span {attrs}>{inner}</span>")
        pos = s.end
    gap(pos, len(text))
    flush()
    return "\n".join(out) if out else '<p class="empty">(no text)</p>'


def _share(share: float) -> str:
    return "<1%" if 0 < share < 0.005 else f"{share:.0%}"


def _legend(report: Report) -> str:
    total = sum(s.end - s.start for s in report.sentences) or 1
    counts = {label: 0 for label in LABELS}
    chars = {label: 0 for label in LABELS}
    for s in report.sentences:
        if s.label in counts:
            counts[s.label] += 1
            chars[s.label] += s.end - s.start
    items = []
    for label in LABELS:
        share = chars[label] / total
        items.append(
            f'<li class="{_label_class(label)}" data-label="{label}"><span class="swatch"></span>'
            f'{escape(CATEGORY_NAMES.get(label, label))} <span class="n">{counts[label]} sentences · {_share(share)}</span>'
            f'<span class="bar" style="width:{share * 100:.1f}%"></span></li>'
        )
    items.append('<li class="qkey"><mark class="q">123项</mark> quantity: hover for its parsed value</li>')
    return '<ul class="legend">' + "".join(items) + "</ul>"


def _quantity_table(report: Report) -> str:
    if not report.quantities:
        return ""
    head = "".join(f"<th>{name}</th>" for name in ("#", "text", "value", "unit", "kind", "approx",
                                                     "record_type", "indicator", "sentence"))
    rows = []
    for index, q in sorted(enumerate(report.quantities), key=lambda iq: iq[1].start):
        fields = dict(quantity_fields(q))
        cells = [f'<a href="#q{index}">{index}</a>', escape(q.text)]
        cells += [escape(fields[name]) for name in ("value", "unit", "kind", "approx", "record_type", "indicator")]
        cells.append(f'<a href="#s{q.sentence}">{q.sentence}</a>')
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    return (
        '<section class="quantities"><h2>Quantities</h2><table><thead><tr>'
        + head + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></section>"
    )


def _css() -> str:
    rules = [
        ":root{color-scheme:light}",
        "body{margin:0;background:#fafafa;color:#222;font:16px/1.9 'Noto Sans CJK SC','Noto Serif CJK SC',"
        "'PingFang SC','Microsoft YaHei','Source Han Sans SC',sans-serif}",
        "header{background:#1f2933;color:#fff;padding:18px 32px}",
        "header h1{margin:0;font-size:24px;line-height:1.4}",
        "header .meta{margin:6px 0 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:6px 20px;"
        "font-size:14px;color:#cfd8e3}",
        "header .meta b{color:#fff;font-weight:600}",
        ".legend{position:sticky;top:0;z-index:2;margin:0;padding:8px 32px;list-style:none;display:flex;"
        "flex-wrap:wrap;gap:6px 18px;background:#fff;border-bottom:1px solid #ddd;font-size:14px}",
        ".legend li{position:relative;padding-bottom:3px}",
        ".legend .swatch{display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:-2px;"
        "border-radius:3px}",
        ".legend .n{color:#666}",
        ".legend .bar{position:absolute;left:0;bottom:0;height:3px;border-radius:2px}",
        "main{max-width:960px;margin:0 auto;padding:8px 32px 48px}",
        "p{margin:0 0 14px;text-align:justify}",
        "h2,h3{font-weight:700;margin:26px 0 10px;padding:4px 10px;border-left:6px solid;border-radius:0 4px 4px 0}",
        "h2{font-size:20px}",
        "h3{font-size:17px}",
        ".s{border-radius:3px;padding:1px 0;box-decoration-break:clone;-webkit-box-decoration-break:clone}",
        "span.s:hover{outline:2px solid currentColor;outline-offset:0}",
        "mark.q{background:#fff3a3;color:#111;border-bottom:2px solid #d4a800;border-radius:2px;padding:0 1px;"
        "font-weight:600;cursor:help}",
        "mark.q:hover,mark.q:target{background:#ffd43b;outline:2px solid #b8860b}",
        "span.s:target,h2:target,h3:target{outline:3px solid #222}",
        ".quantities{max-width:960px;margin:0 auto;padding:0 32px 48px}",
        "table{border-collapse:collapse;width:100%;font-size:13px;line-height:1.5;background:#fff}",
        "th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}",
        "th{background:#f0f0f0}",
        "footer{color:#888;font-size:12px;text-align:center;padding:0 0 24px}",
        ".empty{color:#888}",
        "@media print{.legend{position:static}}",
    ]
    for label, (tint, strong) in CATEGORY_COLOURS.items():
        rules.append(f".{_label_class(label)}.s{{background:{tint}}}")
        rules.append(f"h2.cat-{label},h3.cat-{label}{{border-color:{strong};background:{tint}}}")
        rules.append(f".legend .cat-{label} .swatch,.legend .cat-{label} .bar{{background:{strong}}}")
        rules.append(f"span.cat-{label}:hover{{outline-color:{strong}}}")
    rules.append("h2.cat-none,h3.cat-none{border-color:#bbb}")
    return "\n".join(rules)


def _title(report: Report) -> str:
    parts = [report.body or report.doc_id]
    if report.year:
        parts.append(f"{report.year}年")
    return " ".join(parts) + " · reportie"


def report_to_html(report: Report) -> str:
    """One report as a complete, self-contained HTML page (a string)."""
    from . import __version__

    level = LEVEL_NAMES.get(report.level or "", report.level or "—")
    meta = [
        ("body", report.body or "—"),
        ("level", level),
        ("year", str(report.year) if report.year else "—"),
        ("document", report.doc_id),
        ("sentences", str(len(report.sentences))),
        ("quantities", str(len(report.quantities))),
    ]
    meta_html = "".join(
        f'<li class="meta-{name}">{name}: <b>{escape(value)}</b></li>' for name, value in meta
    )
    heading = escape(report.body or report.doc_id) + (f" <small>{report.year}年</small>" if report.year else "")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="reportie {__version__}">\n'
        f"<title>{escape(_title(report))}</title>\n"
        f"<style>\n{_css()}\n</style>\n</head>\n<body>\n"
        f'<header><h1>{heading}</h1><ul class="meta">{meta_html}</ul></header>\n'
        f"{_legend(report)}\n"
        f"<main>\n{_body(report)}\n</main>\n"
        f"{_quantity_table(report)}\n"
        f"<footer>generated by reportie {__version__}; categories and quantities are machine-extracted"
        f"</footer>\n</body>\n</html>\n"
    )


def _file_name(report: Report, taken: set) -> str:
    stem = _UNSAFE_NAME.sub("_", report.doc_id).strip("._") or "report"
    name, n = stem, 1
    while name.lower() in taken:
        n += 1
        name = f"{stem}-{n}"
    taken.add(name.lower())
    return f"{name}.html"


def _index_row(name: str, report: Report) -> str:
    level = LEVEL_NAMES.get(report.level or "", report.level or "—")
    cells = [f'<a href="{_attr(name)}">{escape(report.doc_id)}</a>', escape(report.body or "—"), escape(level),
             str(report.year or "—"), str(len(report.sentences)), str(len(report.quantities))]
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def _index(rows: List[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>reportie reports</title>\n'
        f"<style>\n{_css()}\n</style>\n</head>\n<body>\n<header><h1>reportie: {len(rows)} reports</h1></header>\n"
        "<main><table><thead><tr><th>document</th><th>body</th><th>level</th><th>year</th><th>sentences</th>"
        f"<th>quantities</th></tr></thead><tbody>{''.join(rows)}</tbody></table></main>\n</body>\n</html>\n"
    )


def write_html(reports: Iterable[Report], output_dir: Path) -> List[Path]:
    """Write one ``<doc_id>.html`` page per report (plus ``index.html`` linking them) into
    ``output_dir`` (created if needed); return the paths written, the index last.

    Reports are written as they arrive, so a lazy ``extract_many`` stream is never held in
    memory. Two reports with the same ``doc_id`` get ``-2``, ``-3``… suffixes.
    """
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    taken = {"index"}
    written: List[Path] = []
    rows: List[str] = []
    for report in reports:
        name = _file_name(report, taken)
        path = output_dir / name
        path.write_text(report_to_html(report), encoding="utf-8")
        written.append(path)
        rows.append(_index_row(name, report))  # the index keeps one row per report, not the report
    index = output_dir / "index.html"
    index.write_text(_index(rows), encoding="utf-8")
    written.append(index)
    return written
