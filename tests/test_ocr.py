"""Scanned plans through Tesseract (`vie`): at most 3 pages per test. Fails when tesseract is missing."""
import csv
from pathlib import Path

import pytest

from conftest import SAMPLE_003, chitieu, score
from scans import image_pdf, render_pages, ruled_table_page, two_column_header, wrapped_head

DOC_003 = "003_5de3a5a80230590c"


def read(out, name):
    with open(out / f"{name}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def scanned_003_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("scan")
    (base / "in").mkdir()
    image_pdf(render_pages(SAMPLE_003.read_text("utf-8")), base / "in" / f"{DOC_003}.pdf")
    out = base / "outputs"
    res = chitieu("extract", str(base / "in"), "--out", str(out), "--quiet")
    assert res.returncode == 0, res.stderr
    return base, out


def test_tesseract_with_vietnamese_is_installed():
    from pipeline.readers.ocr import require_tesseract

    assert require_tesseract()


def test_scanned_003_reaches_the_gold(scanned_003_run):
    _, out = scanned_003_run
    d = score(out, DOC_003)["documents"][DOC_003]
    assert d["recall"] >= 0.90, d["missed"]
    assert d["precision"] >= 0.90, d["extra"]
    doc = read(out, "documents")[0]
    assert doc["format"] == "pdf-scan" and doc["ocr"] == "true"
    pages = read(out, "pages")
    assert pages and all(p["source"] == "ocr" and float(p["ocr_confidence"]) > 50 for p in pages)


def test_second_run_reads_ocr_from_the_cache(scanned_003_run):
    base, out = scanned_003_run
    cached = list((out / ".cache" / "ocr").rglob("*.json"))
    assert len(cached) == len(read(out, "pages"))
    import time

    t0 = time.time()
    again = base / "again"
    res = chitieu("extract", str(base / "in"), "--out", str(again), "--cache", str(out / ".cache"), "--quiet")
    assert res.returncode == 0
    assert (again / "commitments.csv").read_bytes() == (out / "commitments.csv").read_bytes()
    assert time.time() - t0 < 30


def extracted(tmp_path, name: str, draw) -> Path:
    """`chitieu extract` on a folder holding one page image, `draw(path)` made; the output folder."""
    src = tmp_path / "in"
    src.mkdir()
    draw(src / name)
    out = tmp_path / "out"
    assert chitieu("extract", str(src), "--out", str(out), "--quiet").returncode == 0
    return out


def test_two_column_header_scan_gives_the_metadata(tmp_path):
    out = extracted(tmp_path, "header.png", two_column_header)
    doc = read(out, "documents")[0]
    assert (doc["province"], doc["doc_number"], doc["issued_date"]) == ("Lai Châu", "767/KH-UBND", "2021-03-31")
    assert doc["format"] == "image"
    rows = read(out, "commitments")
    assert [(r["value"], r["target_year"], r["indicator_id"]) for r in rows] == [("98", "2025", "health_insurance_coverage")]


def test_a_scanned_ruled_table_gives_rows_of_cells_and_its_targets(tmp_path):
    """Read as lines, a ruled table's rules come out as `|`, `I` or `1` beside its figures and a
    cell of two lines breaks its row in two; read by its grid, each row is one line of cells."""
    rows = [["STT", "Chỉ tiêu", "Đơn vị", "Năm 2027", "Năm 2030"],
            ["1", "Tỷ lệ trường học có phòng tin học đạt chuẩn, tính cả các điểm trường ở thôn bản", "%", "65", "90"],
            ["2", "Số xã có điểm bưu điện văn hóa", "xã", "41", "57"],
            ["II", "Văn hóa", "", "", ""],
            ["3", "Số trạm y tế xã đạt chuẩn quốc gia", "trạm", "7", "11"]]
    out = extracted(tmp_path, "phu_luc.png", lambda path: ruled_table_page(
        path, rows, [130, 700, 240, 230, 230], "Phụ lục. Các chỉ tiêu của kế hoạch giai đoạn 2026 - 2030",
        merged=(3, 1)))
    text = (out / "text" / "phu_luc.txt").read_text("utf-8")
    table = [ln for ln in text.splitlines() if " | " in ln]
    assert len(table) == 5, text
    assert all(ln.count("|") == 4 for ln in table), table
    assert table[1].endswith("| % | 65 | 90") and "thôn bản" in table[1]
    found = {(r["value"], r["unit"], r["target_year"]) for r in read(out, "commitments")}
    assert {("65", "%", "2027"), ("90", "%", "2030"), ("41", "xã", "2027"), ("57", "xã", "2030"),
            ("11", "trạm", "2030")} <= found, found


def test_a_page_scanned_sideways_is_turned_upright_and_an_upright_one_is_not_asked():
    """A landscape appendix table is often scanned on its side. The ink's rows and columns tell a
    page of text lying sideways at once; a table (cells line up both ways) is shown to Tesseract's
    orientation detection, which tells 90 from 270 degrees."""
    from pipeline.readers.ocr import ACROSS, lines_across, read_page

    text = render_pages("Phấn đấu đến năm 2030, tỷ lệ che phủ rừng đạt 45%. " * 12, size=40)[0]
    assert lines_across(text) >= ACROSS > lines_across(text.rotate(90, expand=True))
    rows = [["TT", "Chỉ tiêu", "Đơn vị", "Năm 2028", "Năm 2030"]] + \
        [[str(k), f"Số hợp tác xã nông nghiệp kiểu mới ở vùng {k}", "hợp tác xã", str(10 + k), str(20 + k)]
         for k in range(1, 9)]
    table = ruled_table_page(None, rows, [100, 620, 260, 200, 200])
    for angle in (90, 270):
        page, _ = read_page(table.rotate(angle, expand=True), 200)
        lines = [ln for ln in page.splitlines() if " | " in ln]
        assert len(lines) == 9 and lines[3].endswith("| 13 | 23"), page


def test_a_head_whose_columns_wrap_gives_the_number_and_date(tmp_path):
    """Read across, a wrapped head gives `Số: 1245/KH- Điện Biên, ngày 17 tháng` and then `UBND 10
    năm 2026`: the number and the date both break. Read column by column, both hold."""
    out = extracted(tmp_path, "head.png", wrapped_head)
    doc = read(out, "documents")[0]
    assert (doc["province"], doc["doc_number"], doc["issued_date"]) == ("Điện Biên", "1245/KH-UBND", "2026-10-17")
    assert [(r["value"], r["target_year"]) for r in read(out, "commitments")] == [("100", "2030")]


def test_multipage_tiff_gives_one_page_row_per_frame(tmp_path):
    from scans import render_pages

    pages = render_pages("Phấn đấu đến năm 2025, tỷ lệ che phủ rừng đạt 45%.\n" * 3, size=40) + \
        render_pages("Phấn đấu đến năm 2025, tỷ lệ hộ nghèo giảm bình quân 1,5%/năm.", size=40)
    src = tmp_path / "in"
    src.mkdir()
    pages[0].save(src / "scan.tif", save_all=True, append_images=pages[1:], compression="tiff_lzw")
    out = tmp_path / "out"
    assert chitieu("extract", str(src), "--out", str(out), "--quiet").returncode == 0
    assert [(p["page"], p["source"]) for p in read(out, "pages")] == [("1", "ocr"), ("2", "ocr")]
    rows = read(out, "commitments")
    assert {(r["value"], r["page"], r["indicator_id"]) for r in rows} == {
        ("45", "1", "forest_cover"), ("1.5", "2", "poverty_rate_reduction")}


def test_preprocessing_steps_keep_the_page():
    from scans import render_pages

    from pipeline.readers.ocr import STEPS, preprocess

    page = render_pages("Tỷ lệ hộ nghèo giảm bình quân 1,5%/năm.", size=40)[0].rotate(1.5, fillcolor=255)
    for step in STEPS:
        out = preprocess(page, (step,))
        assert out.size == page.size or step == "orient", step
        assert out.convert("L").getextrema()[0] < 100, step  # the text is still there


def test_a_150_dpi_scan_is_read_at_its_own_resolution_not_300(tmp_path):
    """A 150-dpi scan is read at 150 dpi raised to the floor (200), not rendered at 300."""
    from pipeline.readers.ocr import DPI, FLOOR
    from pipeline.readers.pdf import native_dpi

    src = tmp_path / "in"
    src.mkdir()
    pages = render_pages("Phấn đấu đến năm 2025, tỷ lệ che phủ rừng đạt 45%.\n" * 3, size=40, dpi=150)
    image_pdf(pages, src / "scan150.pdf", dpi=150)
    import pdfplumber

    with pdfplumber.open(src / "scan150.pdf") as pdf:
        assert abs(native_dpi(pdf.pages[0]) - 150) < 1
    pages[0].save(src / "scan150.png", dpi=(150, 150))
    out = tmp_path / "out"
    assert chitieu("extract", str(src), "--out", str(out), "--quiet").returncode == 0
    rows = read(out, "pages")
    assert len(rows) == 2 and {r["ocr_dpi"] for r in rows} == {str(max(150, FLOOR))} != {str(DPI)}
    got = [(r["doc_id"], r["value"]) for r in read(out, "commitments")]
    assert len({d for d, _ in got}) == 2 and {v for _, v in got} == {"45"}, got


def stamped_scan(path, text: str, stamp: str, dpi: int = 200) -> None:
    """A scanned page (a full-page image) with a one-line text layer: a digital-signature stamp."""
    from fpdf import FPDF

    from scans import FONT

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.image(render_pages(text, size=40, dpi=dpi)[0], x=0, y=0, w=210, h=297)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=7)
    pdf.set_xy(120, 285)
    pdf.cell(text=stamp)
    pdf.output(str(path))


def test_a_scan_whose_text_layer_is_only_a_stamp_is_ocr_d(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    stamped_scan(src / "letter.pdf", "Phấn đấu đến năm 2030, tỷ lệ che phủ rừng đạt 47%.\n" * 2,
                 "Ký số bởi: Văn phòng Ủy ban nhân dân tỉnh - Thời gian ký: 03.04.2026 09:15")
    out = tmp_path / "out"
    assert chitieu("extract", str(src), "--out", str(out), "--quiet").returncode == 0
    assert [(p["source"], p["ocr_dpi"]) for p in read(out, "pages")] == [("ocr-stamp-only", "200")]
    rows = read(out, "commitments")
    assert {(r["value"], r["target_year"], r["indicator_id"]) for r in rows} == {("47", "2030", "forest_cover")}


@pytest.mark.parametrize("ocr, fixed", [
    ("Tổ chức ít nhất l buổi tập huấn mỗi năm", "Tổ chức ít nhất 1 buổi tập huấn mỗi năm"),
    ("mỗi xã có I trạm y tế", "mỗi xã có 1 trạm y tế"),
    ("đạt 2l5 km đường giao thông, tăng l0%", "đạt 215 km đường giao thông, tăng 10%"),
    ("giảm còn 1I,5% theo Luật số 2l/2015/QH13", "giảm còn 11,5% theo Luật số 21/2015/QH13"),
    ("Š.2. Giải pháp về vốn", "5.2. Giải pháp về vốn"),
    ("2.S. Phát triển nông nghiệp", "2.5. Phát triển nông nghiệp"),
    ("S. Tổ chức thực hiện", "5. Tổ chức thực hiện"),
    ("l. Mục tiêu chung", "1. Mục tiêu chung"),
    ("đến năm 202Š", "đến năm 2025"),
    # a section number's point read as a comma, where a heading stands; a list of figures goes on
    ("- Mở 2 lớp tập huấn.\n5, Sở Y tế\n- Chủ trì", "- Mở 2 lớp tập huấn.\n5. Sở Y tế\n- Chủ trì"),
    ("theo các khoản 3, 4,\n5, 6 và Điều 7", "theo các khoản 3, 4,\n5, 6 và Điều 7"),
    ("các điểm a, b khoản 4,\n5, Điều 12", "các điểm a, b khoản 4,\n5, Điều 12"),
    ("3 | 450.483 | STT\n7, PL 6, QĐ 66", "3 | 450.483 | STT\n7, PL 6, QĐ 66"),
    ("quy định tại Điều\n5, Nghị định số 12/2026/NĐ-CP", "quy định tại Điều\n5, Nghị định số 12/2026/NĐ-CP"),
    ("tên miền .vn, tệp .pdf và nền tảng .NET", "tên miền .vn, tệp .pdf và nền tảng .NET"),
    # a 1 before a thousands group, read as a letter
    ("Vốn đầu tư công: i.250.300 triệu đồng; l.500 ha", "Vốn đầu tư công: 1.250.300 triệu đồng; 1.500 ha"),
    # a day or month of a written date is a figure, never a Roman numeral
    ("Hà Giang, ngày 2l tháng II năm 2024", "Hà Giang, ngày 21 tháng 11 năm 2024"),
    ("NGÀY 1I THÁNG l NĂM 2023", "NGÀY 11 THÁNG 1 NĂM 2023"),
    ("Sơn La,ngày5 tháng 6 năm2026", "Sơn La, ngày 5 tháng 6 năm 2026"),
    ("Yên Bái, ngày 20 tháng 1 ¡ năm 2026; ngày 2Í tháng 1Í năm 2027", "Yên Bái, ngày 20 tháng 11 năm 2026; ngày 21 tháng 11 năm 2027"),
    # left alone: a Roman-numeral heading, words in capitals, a lone I not before a count
    ("I. MỤC TIÊU", "I. MỤC TIÊU"),
    ("SỞ Y TẾ chủ trì; Sở Tài chính phối hợp", "SỞ Y TẾ chủ trì; Sở Tài chính phối hợp"),
    ("Phụ lục I kèm theo", "Phụ lục I kèm theo"),
    ("Chương II năm 2024 có hiệu lực", "Chương II năm 2024 có hiệu lực"),
    ("Mục I.1 và mục i.2; tỷ lệ 1,500", "Mục I.1 và mục i.2; tỷ lệ 1,500"),
    ("3 |.150.161 | 450.483", "3 |.150.161 | 450.483"),  # a table bar is no 1
    ("| Ngày 2 | tháng 3 năm 2026 |", "| Ngày 2 | tháng 3 năm 2026 |"),  # nor in a date
    ("tổng số i.250, trong đó l.200.", "tổng số 1.250, trong đó 1.200."),
])
def test_digits_read_as_letters_are_repaired_in_number_context(ocr, fixed):
    from pipeline.readers.ocr_text import repair_digits

    assert repair_digits(ocr) == fixed


def test_running_page_numbers_are_dropped_from_ocr_pages():
    from pipeline.readers.ocr_text import drop_page_numbers

    page = "- 7 -\nPhấn đấu đến năm 2025, tỷ lệ hộ nghèo\ngiảm còn 2%; đạt 45 xã\n12\n\n8"
    assert drop_page_numbers(page) == "Phấn đấu đến năm 2025, tỷ lệ hộ nghèo\ngiảm còn 2%; đạt 45 xã\n12"
    assert drop_page_numbers("Trang 3/10\nCó 45 xã đạt chuẩn.") == "Có 45 xã đạt chuẩn."
    assert drop_page_numbers("Có 45 xã đạt chuẩn đến năm\n2025") == "Có 45 xã đạt chuẩn đến năm\n2025"


@pytest.mark.parametrize("ocr, fixed", [
    # a seal's ring or a fold read as marks at the edge of a line
    ("'ỦY BAN NHÂN DÂN TỈNH", "ỦY BAN NHÂN DÂN TỈNH"),
    ("KẾ HOẠCH \\", "KẾ HOẠCH"),
    ("NGHỊ QUYẾT ¬¬", "NGHỊ QUYẾT"),
    (". II. NHIỆM VỤ TRỌNG TÂM", "II. NHIỆM VỤ TRỌNG TÂM"),
    ("về phát triển du lịch đến năm 2035 _ ——Z", "về phát triển du lịch đến năm 2035"),
    ("đời sống Nhân dân / \\ j", "đời sống Nhân dân"),
    ("Lạng Sơn, ngày 14 _.\ntháng 3 năm 2027", "Lạng Sơn, ngày 14\ntháng 3 năm 2027"),
    # a colon is no thousands separator; a map scale and a time stay
    ("Vốn đối ứng: 450:000 triệu đồng", "Vốn đối ứng: 450.000 triệu đồng"),
    ("bản đồ tỷ lệ 1:500 và 1:2.000, họp lúc 14:30", "bản đồ tỷ lệ 1:500 và 1:2.000, họp lúc 14:30"),
    # a speck read as a lone point at the end of a line the next goes on from
    ("đạt trình độ và năng lực .\ncông nghệ trung bình trở lên .\nHình thành",
     "đạt trình độ và năng lực\ncông nghệ trung bình trở lên .\nHình thành"),
    # a speck read as a point or a dash between a figure and the word it counts
    ("mỗi xã có 2.trạm và ít nhất 40-cán bộ", "mỗi xã có 2 trạm và ít nhất 40 cán bộ"),
    ("gồm 3 chợ đầu mối,.12 chợ hạng hai; đạt .8 điểm", "gồm 3 chợ đầu mối, 12 chợ hạng hai; đạt 8 điểm"),
    # ... or between a word and the figure after it, or before a word inside a sentence
    ("diện tích.4,5 ha, trong đó-2 ha rừng", "diện tích 4,5 ha, trong đó 2 ha rừng"),
    ("trường Tiểu học Lê .Lợi đạt chuẩn", "trường Tiểu học Lê Lợi đạt chuẩn"),
    # ... but a code, a page reference (no syllable) and a sentence's point stay
    ("mã SARS-2, tr.15, covid-19; đạt 2025 .Tiếp", "mã SARS-2, tr.15, covid-19; đạt 2025 .Tiếp"),
    # ... but a range, a code, a section number and a decimal stay
    ("từ 3-5 năm, COVID-19, mục 2.3.Giải pháp, 1.500 ha", "từ 3-5 năm, COVID-19, mục 2.3.Giải pháp, 1.500 ha"),
    ("2.1.xây dựng kế hoạch\n3.tổ chức thực hiện", "2.1.xây dựng kế hoạch\n3.tổ chức thực hiện"),
    # a table bar OCR glued to a cell's text, in a row of cells, is set apart
    ("- |Độ mặn (đo tại hiện trường) | 4 | 12 | 96.300|", "- | Độ mặn (đo tại hiện trường) | 4 | 12 | 96.300 |"),
    # bullets, list letters and table bars are text
    ("- Hoàn thiện thể chế | 2026 |", "- Hoàn thiện thể chế | 2026 |"),
    ("b) Các xã, phường", "b) Các xã, phường"),
])
def test_marks_at_line_edges_and_colons_in_numbers_are_repaired(ocr, fixed):
    from pipeline.readers.ocr_text import repair

    assert repair(ocr) == fixed


def test_tone_errors_of_tesseract_vie_on_a_rendered_scan_are_corrected(tmp_path):
    """A line set in a Times-metric face at 150 dpi, degraded: Tesseract `vie` reads `tổ`, `kiểm`,
    `tổng`, `đổi` with a sắc for their hỏi; the normalise stage's `vie` channel and language model
    put the hỏi back. (Sentences written for this test.)"""
    from pipeline.ingest import ingest
    from pipeline.normalise import normalise
    from pipeline.record import Document
    from pipeline.vietnamese.training.render import render_lines

    lines = ["Ủy ban nhân dân tỉnh tổ chức kiểm tra, thẩm định hồ sơ và tổng hợp kết quả",
             "để báo cáo Bộ Kế hoạch và Đầu tư về quyền sử dụng đất của các tổ chức, cá nhân.",
             "Các sở, ngành chủ động bổ sung nguồn lực, đẩy mạnh đổi mới, kiểm soát thủ tục."]
    img = render_lines(lines, "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", 25, 1,
                       degrade=True)
    pdf = tmp_path / "scan.pdf"
    img.convert("RGB").save(pdf, resolution=150)
    doc = ingest(Document(path=str(pdf), doc_id="scan"))
    assert doc.pages[0].source.startswith("ocr")
    read = " ".join(doc.raw.split())
    assert "tố chức" in read and "kiếm" in read  # what Tesseract vie made of it
    text = " ".join(normalise(doc).text.split())
    for right in ("tỉnh tổ chức kiểm tra", "tổng hợp kết quả", "các tổ chức, cá nhân", "đẩy mạnh đổi mới, kiểm soát"):
        assert right in text, (right, text)


def _stamped_page():
    """Three lines at 300 dpi with a red seal (two rings and a bar, as ink multiplies paper) over
    the middle of them: a colour scan of a signed page. (Sentences written for this test.)"""
    from PIL import Image, ImageChops, ImageDraw

    from pipeline.vietnamese.training.render import render_lines

    lines = ["Giám đốc Sở Tài chính ký thay Chủ tịch Ủy ban nhân dân tỉnh,",
             "đóng dấu và gửi kế hoạch cho các xã, phường trước ngày 15 tháng 3;",
             "mỗi xã bố trí ít nhất 02 cán bộ theo dõi, tổng hợp kết quả hằng quý."]
    page = render_lines(lines, "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", 42, 3)
    seal = Image.new("RGB", page.size, (255, 255, 255))
    d = ImageDraw.Draw(seal)
    cx, cy, r, red = 900, page.height // 2, 150, (205, 35, 45)
    for k, width in ((0, 14), (40, 6)):
        d.ellipse((cx - r + k, cy - r + k, cx + r - k, cy + r - k), outline=red, width=width)
    d.line((cx - r + 45, cy, cx + r - 45, cy), fill=red, width=10)
    return ImageChops.multiply(page.convert("RGB"), seal), (cx - r + 7, cy)


def test_a_red_seal_is_dropped_and_the_lines_under_it_are_read(tmp_path):
    """As luminance a red ring is as dark as the letters it crosses, and Tesseract loses the words
    under it (`Chủ dân tỉnh`); the greyscale step turns red ink white and leaves black ink black."""
    from pipeline.ingest import ingest
    from pipeline.readers.ocr import greyscale
    from pipeline.record import Document

    page, on_ring = _stamped_page()
    grey = greyscale(page)
    assert grey.getpixel(on_ring) > 240 and page.convert("L").getpixel(on_ring) < 110
    assert min(grey.getpixel((x, y)) for x in range(150, 400) for y in range(100, 160)) < 60  # text
    pdf = tmp_path / "stamped.pdf"
    page.save(pdf, resolution=300)
    doc = ingest(Document(path=str(pdf), doc_id="stamped"))
    read = " ".join(doc.raw.split())
    for words in ("ký thay Chủ tịch Ủy ban nhân dân tỉnh", "các xã, phường trước ngày 15 tháng 3",
                  "cán bộ theo dõi"):
        assert words in read, (words, read)


def test_a_grey_seals_ring_is_whitened_from_200_dpi_and_the_letters_stay():
    """A photocopied seal is a light grey ring; drawn over a line at 200 dpi, the `faint` step turns
    the ring white where it touches no letter and keeps every dark pixel of the letters. At 150 dpi
    the step is off (thin strokes are faint themselves there: measured, README), and a pale copy is
    left as it is."""
    from PIL import ImageChops, ImageDraw

    from scans import render_pages

    from pipeline.readers.ocr import FAINT_MIN_DPI, preprocess

    page = render_pages("Tỷ lệ hộ nghèo giảm bình quân 1,5%/năm; 100% xã có nhà văn hóa.", size=40,
                        dpi=200)[0]
    ring = page.copy()
    ring.paste(255, (0, 0, *ring.size))
    ImageDraw.Draw(ring).ellipse((300, 20, 600, 320), outline=150, width=6)
    stamped = ImageChops.darker(page, ring)
    out = preprocess(stamped, ("greyscale", "faint"), dpi=FAINT_MIN_DPI)
    def clear_of_ink(x, y):  # the ring beside a letter stays: edges of letters are grey too
        return page.crop((x - 3, y - 3, x + 4, y + 4)).getextrema()[0] > 90

    ring_only = [(x, y) for x in range(300, 601) for y in range(20, 321)
                 if ring.getpixel((x, y)) == 150 and clear_of_ink(x, y)]
    assert ring_only and all(out.getpixel(p) == 255 for p in ring_only)
    ink = [(x, y) for x in range(page.width) for y in range(100, 220) if page.getpixel((x, y)) < 90]
    assert ink and all(out.getpixel(p) == stamped.getpixel(p) for p in ink)
    low = preprocess(stamped, ("greyscale", "faint"), dpi=150)
    assert all(low.getpixel(p) == 150 for p in ring_only[:50])
    # a pale copy, whose letters are themselves light grey, keeps them
    pale = page.point(lambda v: 235 - (235 - 130) * (255 - v) // 255)
    assert preprocess(pale, ("greyscale", "faint"), dpi=FAINT_MIN_DPI).tobytes() == pale.tobytes()
