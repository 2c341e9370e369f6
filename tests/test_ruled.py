"""Ruled tables found in page images (`pipeline.readers.ruled`): no OCR here, only the grid."""
import pytest

from scans import ruled_table_page

ROWS = [["TT", "Chỉ tiêu", "Đơn vị", "2027", "2030"],
        ["1", "Số trạm quan trắc tự động", "trạm", "6", "12"],
        ["A", "Giáo dục", "", "", ""],
        ["2", "Số trường đạt chuẩn quốc gia, tính cả các điểm trường lẻ ở vùng cao", "trường", "140", "185"]]
WIDTHS = [100, 560, 180, 160, 160]


def test_a_ruled_table_gives_its_rows_and_columns_and_a_merged_cell_its_span():
    from pipeline.readers.ruled import find_tables

    page = ruled_table_page(None, ROWS, WIDTHS, "Bảng 1. Chỉ tiêu chủ yếu", merged=(2, 1))
    tables, rules = find_tables(page, 200)
    assert len(tables) == 1
    t = tables[0]
    assert len(t.bands) == 4 and len(t.columns) == 6
    assert [len(s) for s in t.splits] == [6, 6, 5, 6]  # the merged row lacks one rule
    # a cell of two lines is one band, not two
    assert t.bands[3][1] - t.bands[3][0] > 1.6 * (t.bands[1][1] - t.bands[1][0])
    # a point in the merged cell's second column belongs to its first
    (top, bottom), xs = t.bands[2], t.columns
    assert t.cell_of((xs[2] + xs[3]) / 2, (top + bottom) / 2) == (2, 1)
    assert t.cell_of(xs[0] - 20, (top + bottom) / 2) is None


def test_a_row_as_tall_as_a_page_is_a_row_though_the_page_is_slightly_slanted():
    """A task table's row that fills a page (its text in a narrow column), on a page that deskew left
    0.25° off: its vertical rules walk 6 pixels sideways from top to bottom, and no single column of
    pixels is ink from one rule to the other. (Text written for this test.)"""
    from pipeline.readers.ruled import find_tables

    long = ("Rà soát, cắt giảm thành phần hồ sơ, đơn giản hóa quy trình giải quyết thủ tục hành chính "
            "liên thông giữa các cấp chính quyền, công khai tiến độ trên cổng dịch vụ công của tỉnh; ") * 7
    rows = [["TT", "Nhiệm vụ", "Kết quả", "Thời gian"],
            ["1", long, "Quy trình nội bộ được phê duyệt", "Năm 2027"],
            ["2", "Tập huấn cán bộ một cửa", "Lớp tập huấn", "Năm 2028"]]
    page = ruled_table_page(None, rows, [100, 330, 420, 260], tilt=0.25, noise=False)
    tables, _ = find_tables(page, 200)
    assert len(tables) == 1
    heights = [b - a for a, b in tables[0].bands]
    assert len(heights) == 3 and max(heights) > 1000, heights


def test_erasing_the_rules_keeps_the_letters():
    import numpy as np

    from pipeline.readers.ruled import erase, find_tables

    page = ruled_table_page(None, ROWS, WIDTHS, noise=False)
    tables, rules = find_tables(page, 200)
    after = np.asarray(erase(page, rules)) < 150
    x0, y0, x1, y1 = (round(v) for v in tables[0].box)
    # no rule is left: no column of the table's box is ink from top to bottom
    box = after[y0 + 6:y1 - 6, x0 - 3:x1 + 4]
    assert box.mean(axis=0).max() < 0.5
    # and the letters are there: the ink of the page drawn without its rules stays
    letters = np.asarray(ruled_table_page(None, ROWS, WIDTHS, noise=False)) < 150
    letters &= ~(np.asarray(ruled_table_page(None, ROWS, WIDTHS, noise=False, text_fill=255)) < 200)
    assert after[letters].mean() > 0.97


@pytest.mark.parametrize("what", ["underline", "box", "text"])
def test_an_underline_a_framed_note_and_plain_text_are_no_table(what):
    from PIL import Image, ImageDraw, ImageFont

    from pipeline.readers.ruled import find_tables
    from scans import FONT

    img = Image.new("L", (1654, 800), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 24)
    for k in range(8):
        d.text((120, 100 + 40 * k), "Phấn đấu đến năm 2030 có 95% số xã đạt chuẩn; lllllllllll IIIIIII", font=font, fill=0)
    if what == "underline":
        d.line((120, 130, 900, 130), fill=60, width=2)
    if what == "box":
        d.rectangle((100, 90, 1300, 440), outline=60, width=2)
    assert find_tables(img, 200)[0] == []


def test_words_go_to_their_cells_in_reading_order():
    from pipeline.readers.ruled import Table, table_rows

    t = Table(bands=[(0, 50), (50, 130)], splits=[[0, 100, 300], [0, 100, 300]], columns=[0, 100, 300])

    def word(text, x, y):
        cell = t.cell_of(x + 10, y + 10)
        return dict(text=text, box=(x, y, 20, 20), cell=cell[1] if cell else None, b=cell)

    words = [word("đạt", 150, 95), word("Tỷ", 110, 60), word("lệ", 150, 61), word("2", 20, 60),
             word("TT", 20, 10), word("Nội", 110, 10), word("dung", 160, 12)]
    rows = table_rows(t, [dict(w, cell=w["b"]) for w in words], " | ")
    assert rows == ["TT | Nội dung", "2 | Tỷ lệ đạt"]
