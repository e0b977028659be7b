"""Issue 14 point 6: PDF (text layer) and DOCX reports.

The files are built at test time from a real seed report: the PDF with fpdf2 and Debian's
Noto CJK font (``fonts-noto-cjk``, installed by ``scripts/install-chromium.sh`` that ``make test``
runs), the DOCX with python-docx. ``Report.text`` is the extracted text and offsets index it.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import reportie
from reportie.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "002_9911ad027f31c7ac.txt"
FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/noto"))


def cjk_font() -> Path:
    for folder in FONT_DIRS:
        for name in ("NotoSansCJK-Regular.ttc", "NotoSerifCJK-Regular.ttc"):
            if (folder / name).is_file():
                return folder / name
    raise AssertionError("no Noto CJK font: run `bash scripts/install-chromium.sh` (apt-get install fonts-noto-cjk)")


def seed_lines() -> list:
    return [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]


def build_pdf(path: Path, lines: list) -> Path:
    """A text-layer PDF of ``lines`` (one paragraph each, wrapped to the page by fpdf2)."""
    from fpdf import FPDF
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    pdf = FPDF()
    pdf.add_font("noto", fname=str(cjk_font()), collection_font_number=2)  # 2: the SC face
    pdf.set_font("noto", size=11)
    pdf.add_page()
    for line in lines:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    raw = io.BytesIO()
    pdf.output(raw)
    # fpdf2 writes the font's /Encoding as an embedded CMap; word processors write the standard
    # /Identity-H name, which is what reportie meets in published reports.
    writer = PdfWriter(clone_from=io.BytesIO(raw.getvalue()))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font.get_object()[NameObject("/Encoding")] = NameObject("/Identity-H")
    writer.write(path)
    return path


def build_scan(path: Path) -> Path:
    """A PDF whose page is a picture only (no text layer), like a scanned report."""
    from fpdf import FPDF
    from PIL import Image

    image = Image.new("RGB", (400, 560), "white")
    for x in range(40, 360):
        for y in (60, 61, 90, 91, 120, 121):
            image.putpixel((x, y), (0, 0, 0))
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=180)
    pdf.output(str(path))
    return path


def build_docx(path: Path, lines: list) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "代表建议"
    table.rows[0].cells[1].text = "办结158件"
    document.save(path)
    return path


def core(report) -> list:
    return [(q.text, q.value, q.low, q.high, q.unit, q.kind, q.approx) for q in report.quantities]


@pytest.fixture(scope="module")
def reference(reportie_home):
    return reportie.extract("\n".join(seed_lines()))


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory) -> Path:
    return build_pdf(tmp_path_factory.mktemp("pdf") / "report.pdf", seed_lines())


def test_pdf_text_layer_gives_the_report(pdf_path, reference):
    report = reportie.extract(pdf_path)
    assert report.source == str(pdf_path) and report.doc_id == "report"
    assert [line.strip() for line in report.text.splitlines() if line.strip()] == seed_lines()  # wraps joined
    assert core(report) == core(reference)
    assert [s.text for s in report.sentences] == [s.text for s in reference.sentences]
    assert all(report.text[q.start:q.end] == q.text for q in report.quantities)
    assert all(report.text[s.start:s.end] == s.text for s in report.sentences)
    assert (report.body, report.level, report.year) == (reference.body, reference.level, reference.year)
    assert reportie.extract(pdf_path.read_bytes()).quantities == report.quantities  # bytes too


def test_docx_gives_the_report(tmp_path, reference):
    path = build_docx(tmp_path / "report.docx", seed_lines())
    report = reportie.extract(str(path))
    assert report.text.splitlines() == seed_lines() + ["代表建议\t办结158件"]
    assert core(report)[:-1] == core(reference) and report.quantities[-1].text == "158件"
    assert all(report.text[q.start:q.end] == q.text for q in report.quantities)


def test_scanned_pdf_is_a_clear_error(tmp_path, capsys):
    path = build_scan(tmp_path / "scan.pdf")
    with pytest.raises(reportie.InputError, match=r"scan\.pdf: a PDF without a text layer \(a scan\?\)"):
        reportie.extract(path)
    code = main(["extract", "--quiet", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "OCR" in err


@pytest.mark.parametrize("name,data,message", [
    ("broken.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8, "not a readable PDF"),
    ("broken.docx", b"PK\x03\x04" + bytes(range(256)) * 8, "not a readable DOCX"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "Word 97-2003 .doc"),
])
def test_damaged_documents_are_one_line_errors(tmp_path, capsys, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(reportie.InputError, match=message):
        reportie.extract(path)
    code = main(["extract", "--quiet", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and name in err and "Traceback" not in err


def test_cli_reads_a_directory_of_pdf_docx_and_txt(tmp_path, pdf_path, capsys):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(pdf_path.read_bytes())
    build_docx(folder / "b.docx", seed_lines())
    (folder / "c.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", "--quiet", str(folder), "--format", "jsonl", "--with-text", "--output", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in records] == ["a", "b", "c"]
    for record in records:
        assert all(record["text"][q["start"]:q["end"]] == q["text"] for q in record["quantities"])
        assert any(q["text"] == "360余次" for q in record["quantities"])
