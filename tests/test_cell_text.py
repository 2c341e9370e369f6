"""A table cell's lines as one text (`pipeline/readers/cell_text.py`): a cell narrower than a word
breaks the word where the line is full; its lines are otherwise words apart."""
import csv
import io

import pytest

from conftest import chitieu, lines_pdf
from pipeline.readers.cell_text import join_lines


@pytest.mark.parametrize("lines, text", [
    (["118.20", "0"], "118.200"),               # a thousands group the break cut short
    (["2.450.00", "0 tấn"], "2.450.000 tấn"),
    (["36", ".800"], "36.800"),                  # broken before the group's dot
    (["36.", "800"], "36.800"),
    (["Nghì", "n USD"], "Nghìn USD"),            # a syllable and no syllable make one syllable
    (["CHĂN NUÔI GIA SÚ", "C"], "CHĂN NUÔI GIA SÚC"),
    (["(triệu đồn", "g)"], "(triệu đồng)"),
    (["qu", "ốc lộ"], "quốc lộ"),
])
def test_a_word_the_cell_broke_is_one_word_again(lines, text):
    assert join_lines(lines) == text


@pytest.mark.parametrize("lines, text", [
    (["Diện tích", "trồng mới"], "Diện tích trồng mới"),   # two syllables: two words
    (["Lạng", "Sơn"], "Lạng Sơn"),
    (["1.500", "2.000"], "1.500 2.000"),         # two figures, each whole
    (["2026", "2030"], "2026 2030"),
    (["125", "40"], "125 40"),                   # no grouping says they were one
    (["12,5", "0"], "12,5 0"),                   # a decimal comma: no group to complete
    (["các xã", "c) Thôn"], "các xã c) Thôn"),   # a list letter opens an item
    (["Mobi", "Fone"], "Mobi Fone"),             # a name that is no syllable joined either
    (["Nội dung", "", "  chính  "], "Nội dung chính"),
    (["Theo mục 2.1", "15 xã đạt chuẩn"], "Theo mục 2.1 15 xã đạt chuẩn"),  # a figure after words on its line
    (["đạt 15.", "200 hộ mới"], "đạt 15. 200 hộ mới"),
])
def test_lines_that_are_words_apart_stay_apart(lines, text):
    assert join_lines(lines) == text


def test_a_narrow_table_in_a_text_pdf_keeps_its_figures_and_units(tmp_path):
    """fpdf2, as Word does, breaks a figure or a word wider than its cell where the line is full
    (`118.20` over `0`, `Nghì` over `n`): read with a space, the figure was 118.2 and the unit lost."""
    pdf = lines_pdf(("ỦY BAN NHÂN DÂN", "TỈNH YÊN BÁI", "Số: 88/KH-UBND", "Yên Bái, ngày 4 tháng 5 năm 2026", "",
                     "KẾ HOẠCH", "Xuất khẩu nông sản giai đoạn 2026 - 2030", "", "II. CHỈ TIÊU CHỦ YẾU"))
    with pdf.table(width=97, col_widths=(8, 44, 11, 17, 17), first_row_as_headings=False, line_height=6) as table:
        for cells in (["TT", "Sản phẩm", "Đơn vị", "Năm 2027", "Năm 2030"],
                      ["1", "Giá trị xuất khẩu chè búp khô", "Nghìn USD", "118.200", "129.100"],
                      ["2", "Sản lượng quế vỏ khô xuất khẩu", "Tấn", "2.450", "3.050"]):
            row = table.row()
            for c in cells:
                row.cell(c)
    src = tmp_path / "in"
    src.mkdir()
    pdf.output(str(src / "narrow.pdf"))
    import pdfplumber

    with pdfplumber.open(src / "narrow.pdf") as p:  # the cells are broken, or the test proves nothing
        cells = p.pages[0].find_tables()[0].extract()
    assert "118.20\n0" in cells[1] and "Nghì\nn" in cells[1][2], cells
    out = tmp_path / "out"
    assert chitieu("extract", str(src), "--out", str(out), "--quiet").returncode == 0
    with open(out / "commitments.csv", encoding="utf-8") as f:
        rows = {(r["value"], r["unit"], r["target_year"]) for r in csv.DictReader(io.StringIO(f.read()))}
    assert {("118200", "Nghìn USD", "2027"), ("129100", "Nghìn USD", "2030"),
            ("2450", "Tấn", "2027"), ("3050", "Tấn", "2030")} <= rows, rows
