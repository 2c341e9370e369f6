"""Documents made at test time, shared by the tests and the benchmarks.

The tests import this module by name (their folder is on the path); the benchmarks import it as
`tests.fixtures` (the project root is on the path when they run as `python -m benchmarks.…`), so
neither edits `sys.path` for the other.
"""
from __future__ import annotations

from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def make_pdf(text: str, path: Path) -> None:
    """A born-digital PDF of the text, with a font that has Vietnamese glyphs."""
    from fpdf import FPDF

    assert FONT.exists(), f"{FONT} missing: `make setup` installs fonts-dejavu-core"
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    for para in text.split("\n"):
        if para.strip():
            pdf.multi_cell(0, 6, para.strip().replace("\t", " "), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(3)
    pdf.output(str(path))


def lines_pdf(lines, size: int = 11):
    """An A4 FPDF document in DejaVu Sans, `lines` set one under another (a head, a title, a heading),
    for a test to go on with (a table under them)."""
    from fpdf import FPDF

    assert FONT.exists(), f"{FONT} missing: `make setup` installs fonts-dejavu-core"
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=size)
    pdf.add_page()
    for line in lines:
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return pdf


def make_docx(text: str, path: Path) -> None:
    import docx

    d = docx.Document()
    for para in text.split("\n"):
        if para.strip():
            d.add_paragraph(para.strip())
    d.save(str(path))
