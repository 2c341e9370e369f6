"""Encodings detected from bytes, formats sniffed from content, and what normalisation may change."""
import unicodedata
from pathlib import Path

import pytest

from conftest import SAMPLE_003
from helpers import document_from_text, targets_of
from pipeline.extract import extract
from pipeline.ingest import ingest
from pipeline.normalise import normalise
from pipeline.readers.text import detect_encoding
from pipeline.record import Document, StageError

TEXT = SAMPLE_003.read_text(encoding="utf-8")
TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 stores base letters (â, ơ, …) precomposed and tone marks as combining characters."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES))
        tones = "".join(c for c in d if c in TONES)
        out.append(base + tones)
    return "".join(out).replace("\u00d0", "\u0110").encode("cp1258")


def normalised(tmp_path, name: str, data: bytes) -> Document:
    p = tmp_path / name
    p.write_bytes(data)
    return normalise(ingest(Document(path=str(p), doc_id=p.stem)))


@pytest.mark.parametrize("encoding,data", [
    ("utf-8", TEXT.encode("utf-8")),
    ("utf-8", b"\xef\xbb\xbf" + TEXT.encode("utf-8")),
    ("utf-16", TEXT.encode("utf-16")),
    ("utf-16", TEXT.encode("utf-16-le")),
    ("utf-16", TEXT.encode("utf-16-be")),
    ("cp1258", to_cp1258(TEXT)),
])
def test_every_encoding_gives_the_same_text(tmp_path, encoding, data):
    reference = normalised(tmp_path, "ref.txt", TEXT.encode("utf-8")).text
    doc = normalised(tmp_path, "plan.dat.txt", data)
    assert doc.encoding == encoding
    assert doc.text == reference


def test_cp1258_detection_does_not_use_the_name(tmp_path):
    assert detect_encoding(to_cp1258("Kế hoạch phát triển"))[1] == "cp1258"


def test_clean_text_changes_only_by_nfc_and_eth():
    decomposed = unicodedata.normalize("NFD", "Ðẩy mạnh công tác hoà giải, thuỷ lợi: 8.000 người; 62,8%; 92-KL/TW.")
    doc = document_from_text(decomposed)
    assert doc.text == "Đẩy mạnh công tác hoà giải, thuỷ lợi: 8.000 người; 62,8%; 92-KL/TW."
    # tone placement (hoà, thuỷ) is kept as written
    assert "hoà" in doc.text and "thuỷ" in doc.text


def test_wrapped_lines_join_and_offsets_map_back():
    raw = "- Phấn đấu đến năm 2025, tỷ lệ bao phủ bảo\nhiểm y tế đạt 98%; giai đoạn 2021-\n2025.\n\nII. NHIỆM VỤ"
    doc = document_from_text(raw)
    assert doc.text.split("\n") == [
        "- Phấn đấu đến năm 2025, tỷ lệ bao phủ bảo hiểm y tế đạt 98%; giai đoạn 2021-2025.", "II. NHIỆM VỤ"]
    i = doc.text.index("98%")
    assert doc.source_of(i, i + 3) == "98%"
    j = doc.text.index("bảo hiểm")
    assert doc.source_of(j, j + 8) == "bảo\nhiểm"


def _ocr_page_document(text: str) -> Document:
    """A document whose one page the pipeline OCR'd, normalised and structured."""
    from pipeline.record import Page
    from pipeline.structure import structure

    return structure(normalise(Document(path="t.pdf", doc_id="t", pages=[Page(1, text, source="ocr")], raw=text)))


def test_a_hyphen_tesseract_read_for_a_space_between_words_is_a_space_on_ocr_pages_only():
    line = "Sở Tư pháp triển khai-thực-hiện Nghị quyết Mác-Lênin, mẫu e-form, số 12/QĐ-UBND, kinh tế - xã hội."
    from pipeline.record import Page

    doc = normalise(Document(path="t.pdf", doc_id="t", pages=[Page(1, line, source="ocr")], raw=line, page_starts=[0]))
    assert "triển khai thực hiện Nghị quyết Mác-Lênin, mẫu e-form, số 12/QĐ-UBND, kinh tế - xã hội." in doc.text
    assert len(doc.text) == len(line)  # in place: offsets unchanged
    typed = normalise(Document(path="t.txt", doc_id="t", raw=line))
    assert "triển khai-thực-hiện" in typed.text  # a typed text keeps what it wrote


def test_empty_cells_keep_their_columns_and_a_markdown_frame_is_no_cell():
    """Normalising squeezes the spaces between two separators, so an empty cell of a Word table
    leaves `| |` or a bar at the row's end: the cells after it stay under their own header. A text
    file's markdown table writes every row between bars; those bars are its frame, not empty
    cells, whether its header has them or not. A bar inside a word (an OCR's `l`) is no border."""
    from pipeline.record import Page
    from pipeline.structure import structure

    raw = ("STT | Nhiệm vụ | Chủ trì | Phối hợp | Theo dõi\n"
           "1 | Rà soát văn bản hết hiệu lực | Sở Tư pháp |  | Văn phòng UBND tỉnh\n"
           " | Cộng | 2 nhiệm vụ |  | ")
    word = Document(path="t.docx", doc_id="t", pages=[Page(None, raw)], raw=raw, format="docx")
    rows = [c.table_row for c in structure(normalise(word)).clauses if c.table_row]
    assert rows[1] == ["1", "Rà soát văn bản hết hiệu lực", "Sở Tư pháp", "", "Văn phòng UBND tỉnh"]
    assert rows[2] == ["", "Cộng", "2 nhiệm vụ", "", ""]
    framed = ("| TT | Công trình | Vốn năm 2027 | Ghi chú |\n"
              "|---|---|---|---|\n"
              "| | TỔNG SỐ | 3.500 | |\n"
              "| 1 | Trạm y tế xã Phú Lộc | 1.200 | khởi công mới |")
    doc = document_from_text(framed)
    rows = [c.table_row for c in doc.clauses if c.table_row]
    assert rows[0] == ["TT", "Công trình", "Vốn năm 2027", "Ghi chú"]
    assert rows[1] == ["", "TỔNG SỐ", "3.500", ""]
    assert rows[2] == ["1", "Trạm y tế xã Phú Lộc", "1.200", "khởi công mới"]
    rows = [c.table_row for c in document_from_text("TT | Chỉ tiêu | Năm 2030\n| 1 | Tỷ |ệ che phủ rừng | 45% |").clauses
            if c.table_row]
    assert rows[1] == ["1", "Tỷ |ệ che phủ rừng", "45%"]


def test_a_table_goes_on_under_a_group_label_written_across_its_rows():
    """A merged row labelling a group of rows (`II. Môi trường`) comes out of the readers as a line
    of its own, and reads as a heading: the numbered row under it is still one of the table's, not
    the header of a new table (whose values would be lost). A heading before a new table with
    its own header, or a note paragraph before a table that lacks one, still starts afresh."""
    raw = ("STT | Chỉ tiêu | Cơ quan chủ trì\n"
           "I. Kinh tế\n"
           "1 | Thu ngân sách trên địa bàn tăng bình quân 10%/năm | Sở Tài chính\n"
           "2 | Kim ngạch xuất khẩu đạt 3 tỷ USD | Sở Công Thương\n"
           "II. Môi trường\n"
           "1 | Tỷ lệ chất thải rắn đô thị được thu gom đạt 98% | Sở Nông nghiệp và Môi trường\n"
           "2 | Tỷ lệ che phủ rừng đạt 42% | Sở Nông nghiệp và Môi trường\n"
           "III. Biểu phân bổ vốn\n"
           "TT | Đơn vị | Vốn năm 2027\n"
           "1 | Xã Tân Phú | 1.200\n"
           "Ghi chú: số liệu sơ bộ.\n"
           "1 | Xã An Bình | 800 | ")
    doc = document_from_text(raw)
    header = {c.table_row[1]: c.table_header for c in doc.clauses if c.table_row}
    assert header["Tỷ lệ chất thải rắn đô thị được thu gom đạt 98%"][1] == "Chỉ tiêu"
    assert header["Thu ngân sách trên địa bàn tăng bình quân 10%/năm"][1] == "Chỉ tiêu"
    assert header["Xã Tân Phú"][1] == "Đơn vị"
    assert header["Xã An Bình"][1] == "Xã An Bình"  # after a note, a table of its own


def test_a_flattened_table_goes_on_past_a_label_line_and_joins_a_row_split_from_its_figures():
    """A table flattened from a web page drops empty cells, puts a row's figures on a line under its
    label (`- Số bác sĩ | Người` over `1.250 | 1.300 | 1.350`) and a `Trong đó:` on a line of its
    own. The figures are the rest of the row above, in the header's last columns (the plan's years;
    the empty cells are its past columns); the rows under the label line are still the table's.
    A row flattened without its number cell (`+ Bác sĩ tuyến xã | Người | …`) is shifted under the
    header's label column. A note that is no label (`Ghi chú …`, no colon at its end) still ends the
    table."""
    raw = ("STT | Chỉ tiêu | ĐVT | Ước năm 2025 | Năm 2026 | Năm 2027 | Năm 2028\n"
           "1 | Số giường bệnh | Giường | 3.100 | 3.200 | 3.300 | 3.400\n"
           "- Số bác sĩ | Người\n"
           "1.250 | 1.300 | 1.350\n"
           "Trong đó:\n"
           "+ Bác sĩ tuyến xã | Người | 310 | 330 | 350 | 370\n"
           "Ghi chú số liệu sơ bộ\n"
           "2 | Số trạm y tế | Trạm | 90 | 92 | 94 | 96\n")
    doc = document_from_text(raw)
    rows = {c.table_row[1] if c.table_row[0] in ("1", "2", "") else c.table_row[0]: c for c in doc.clauses if c.table_row}
    assert rows["- Số bác sĩ"].table_row == ["", "- Số bác sĩ", "Người", "", "1.250", "1.300", "1.350"]
    assert rows["+ Bác sĩ tuyến xã"].table_row == ["", "+ Bác sĩ tuyến xã", "Người", "310", "330", "350", "370"]
    assert rows["+ Bác sĩ tuyến xã"].table_header[1] == "Chỉ tiêu"
    assert rows["Số trạm y tế"].table_header[1] == "Số trạm y tế"  # after a note, a table of its own
    years = {(r.value, r.target_year) for r in extract(doc).commitments if "bác sĩ" in r.indicator.lower()}
    assert {(1300.0, 2027), (1350.0, 2028), (330.0, 2026), (370.0, 2028)} <= years


def test_a_flattened_table_with_measures_under_each_year_and_figures_one_per_line():
    """A web page's table flattened to text: a second header row names the same two measures under
    each year (`Lượng (tấn) | Giá trị (nghìn USD)`), so each figure is its year's and its measure's;
    a row whose figures stand one per line under its label, with or without bars around the label
    (a merged cell), is one row, its figures under the years."""
    raw = ("Danh mục hàng hóa tham gia xuất khẩu của tỉnh giai đoạn 2027 - 2028 được xây dựng trên cơ sở\n"
           "năng lực sản xuất của các vùng nguyên liệu, các nhà máy chế biến và nhu cầu của các thị trường\n"
           "nhập khẩu chính; các sở, ngành rà soát, cập nhật danh mục hằng năm theo tình hình thực tế.\n"
           "TT | Mặt hàng | Kế hoạch 2027 | Kế hoạch 2028\n"
           "Lượng (tấn) | Giá trị (nghìn USD) | Lượng (tấn) | Giá trị (nghìn USD)\n"
           "Tổng cộng\n"
           "52.000\n"
           "58.000\n"
           "1 | Bưởi da xanh | 4.100 | 2.300 | 4.600 | 2.700\n"
           "2 | Mật ong\n"
           "900\n"
           "1.100\n")
    doc = document_from_text(raw)
    rows = {c.table_row[1]: c.table_row for c in doc.clauses if c.table_row and c.table_row[1:2] != ["Mặt hàng"]}
    assert rows["Tổng cộng"] == ["", "Tổng cộng", "52.000", "58.000"]
    assert rows["Mật ong"] == ["2", "Mật ong", "900", "1.100"]
    got = {(r.indicator, r.value, r.unit, r.target_year) for r in extract(doc).commitments}
    assert {("Bưởi da xanh", 4600.0, "tấn", 2028), ("Bưởi da xanh", 2700.0, "nghìn USD", 2028),
            ("Tổng cộng", 58000.0, "", 2028), ("Mật ong", 1100.0, "", 2028)} <= got


def test_a_flattened_row_without_its_number_fits_a_header_a_second_row_widens():
    """Under `Năm hiện hành 2026 | Dự kiến 03 năm kế hoạch` a second row names six columns: the table
    is eight wide, not four, and a sub-row flattened without its number cell (`- Thuế tài nguyên | …`,
    seven cells) goes one column right, each figure under its own year."""
    raw = ("Biểu dự toán thu ngân sách nhà nước trên địa bàn tỉnh giai đoạn 03 năm 2027 - 2029 được lập trên\n"
           "cơ sở đánh giá thực hiện năm 2026 và dự báo tăng trưởng kinh tế của tỉnh trong giai đoạn tới,\n"
           "theo hướng dẫn của Bộ Tài chính về lập kế hoạch tài chính - ngân sách nhà nước 03 năm.\n"
           "STT | Nội dung | Năm hiện hành 2026 | Dự kiến 03 năm kế hoạch\n"
           "Dự toán giao | Dự toán HĐND quyết định | Ước thực hiện | Năm 2027 | Năm 2028 | Năm 2029\n"
           "1 | Thu từ doanh nghiệp nhà nước | 700.000 | 700.000 | 710.000 | 760.000 | 800.000 | 850.000\n"
           "- Thuế tài nguyên | 4.100 | 4.100 | 4.500 | 5.200 | 5.400 | 5.600\n")
    doc = document_from_text(raw)
    rows = [c.table_row for c in doc.clauses if c.table_row and "Thuế tài nguyên" in " ".join(c.table_row)]
    assert rows == [["", "- Thuế tài nguyên", "4.100", "4.100", "4.500", "5.200", "5.400", "5.600"]]
    got = {(r.value, r.target_year) for r in extract(doc).commitments if "tài nguyên" in r.indicator}
    assert {(5200.0, 2027), (5400.0, 2028), (5600.0, 2029)} <= got and (4500.0, 2027) not in got


def test_a_short_row_fits_under_the_years_not_a_trailing_column_and_a_colon_line_ends_a_table():
    """A row short of its header puts its figures under the last year column, not under an agency
    column after it; a line ending in a colon that is no sub-row label (`Kinh phí dự kiến như sau:`)
    ends the table, and the next table has its own header; a lone figure after a full row (a page
    number) joins no row."""
    prose = ("Kế hoạch đặt ra các chỉ tiêu chủ yếu về phát triển trường lớp, đội ngũ giáo viên và cơ sở vật\n"
             "chất của ngành giáo dục tỉnh giai đoạn 2026 - 2030, làm căn cứ để các sở, ngành và địa phương\n"
             "xây dựng kế hoạch hằng năm và bố trí nguồn lực thực hiện theo đúng tiến độ đề ra.\n")
    raw = (prose +
           "STT | Chỉ tiêu | ĐVT | Năm 2026 | Năm 2030 | Cơ quan chủ trì\n"
           "1 | Số phòng học được kiên cố hóa | Phòng | 300 | 900 | Sở Giáo dục và Đào tạo\n"
           "2 | Số trường đạt chuẩn quốc gia | Trường | 120 | 160\n"
           "7\n"
           "Kinh phí dự kiến như sau:\n"
           "Nguồn vốn | Kinh phí (triệu đồng)\n"
           "Ngân sách tỉnh | 5.000\n")
    doc = extract(document_from_text(raw))
    rows = {c.table_row[1] if len(c.table_row) > 2 else c.table_row[0]: c for c in doc.clauses if c.table_row}
    assert rows["Số trường đạt chuẩn quốc gia"].table_row == ["2", "Số trường đạt chuẩn quốc gia", "Trường", "120", "160"]
    assert rows["Ngân sách tỉnh"].table_header == ["Nguồn vốn", "Kinh phí (triệu đồng)"]
    got = {(r.value, r.target_year) for r in doc.commitments}
    assert {(120.0, 2026), (160.0, 2030)} <= got and not any(v == 7.0 for v, _ in got)
    assert any(r.value == 5000.0 and r.unit == "triệu đồng" for r in doc.commitments)


def test_a_row_whose_figures_come_on_two_lines_keeps_them_all():
    """The figures of a row of labels, part on the line under it and the last alone on the next
    (`1.250 | 1.300` then `1.350`), are all that row's, each under its year."""
    prose = ("Biểu chỉ tiêu phát triển y tế của tỉnh giai đoạn 2027 - 2029 được xây dựng trên cơ sở đánh giá\n"
             "kết quả thực hiện các năm trước và khả năng cân đối nguồn lực của ngân sách địa phương trong kỳ\n"
             "kế hoạch, làm căn cứ để các đơn vị xây dựng kế hoạch hằng năm và tổ chức thực hiện cho phù hợp.\n")
    raw = (prose + "STT | Chỉ tiêu | ĐVT | Năm 2027 | Năm 2028 | Năm 2029\n"
           "1 | Số giường bệnh | Giường | 3.100 | 3.200 | 3.300\n"
           "- Số bác sĩ | Người\n"
           "1.250 | 1.300\n"
           "1.350\n")
    rows = [c.table_row for c in document_from_text(raw).clauses if c.table_row and "bác sĩ" in " ".join(c.table_row)]
    assert rows == [["", "- Số bác sĩ", "Người", "1.250", "1.300", "1.350"]]


def test_a_label_over_its_figure_alone_is_one_clause():
    """A two-column table a web page flattened (`- Phó thôn` over `260.000 đ / tháng`, lines the
    paragraph joiner keeps apart): the label line and the figure line are one clause, so the row's
    sentence names what the figure is for, and `thôn` on the line above names no number."""
    raw = ("QUYẾT ĐỊNH\nVề điều chỉnh mức phụ cấp\n"
           "Điều 1. Điều chỉnh mức phụ cấp đối với một số chức danh:\n"
           "- Nhân viên khuyến nông\n480.000 đ / tháng\n- Phó thôn\n260.000 đ / tháng\n")
    doc = document_from_text(raw)
    assert "Phó thôn\n260.000 đ / tháng" in [doc.text[c.start:c.end] for c in doc.clauses]
    assert [c.value for c in targets_of(raw)] == [480000, 260000]


def test_a_table_row_wrapped_on_the_page_is_joined_but_rows_stay_apart():
    """A scanned task table comes out of OCR as page lines: a row that stops inside a sentence and a
    next line that goes on in lower case are one row; a row that ends its sentence, or a next row
    that starts with its number, stays apart. A reader's rows (DOCX, a PDF's ruled table) are never
    joined: `trong đó: | …` is a row of its own."""
    raw = ("2 | Nâng cấp cổng thông tin của tỉnh | 100% thủ tục được tiếp nhận\n"
           "trực tuyến tại bộ phận một cửa. | Hằng\n"
           "năm\n"
           "3 | Mở lớp tập huấn cho cán bộ làm công tác\n"
           "lưu trữ ở cấp\n"
           "xã, phường và số hóa hồ sơ | Tỷ lệ số hóa đạt\n"
           "90%. | 2027\n"
           "4 | Đào tạo cán bộ | Mỗi năm 200 lượt người | Sở Nội vụ\n"
           "a) Kiểm tra | 02 đợt | Văn phòng\n"
           "b | Giám sát | 01 đợt")
    assert _ocr_page_document(raw).text.split("\n") == [
        "2 | Nâng cấp cổng thông tin của tỉnh | 100% thủ tục được tiếp nhận trực tuyến tại bộ phận "
        "một cửa. | Hằng năm",
        "3 | Mở lớp tập huấn cho cán bộ làm công tác lưu trữ ở cấp xã, phường và số hóa hồ sơ | "
        "Tỷ lệ số hóa đạt 90%. | 2027",
        "4 | Đào tạo cán bộ | Mỗi năm 200 lượt người | Sở Nội vụ",
        "a) Kiểm tra | 02 đợt | Văn phòng",
        "b | Giám sát | 01 đợt"]
    rows = ["Tổng vốn đầu tư | 5.000 | tỷ đồng", "trong đó: | ngân sách tỉnh | 3.000", "2a | Cổng dịch vụ | 2027"]
    assert document_from_text("\n".join(rows)).text.split("\n") == rows


def test_a_table_keeps_its_header_past_a_piece_of_a_wrapped_row_but_a_new_table_has_its_own():
    """OCR'd tables leave pieces of rows on lines of their own (`Văn phòng UBND tỉnh`), and text
    files write markdown rules (`|---|---|`): the rows after them are still under the table's header.
    A table after a title paragraph, whose first row reads like a header, starts afresh; in a
    reader's text every table after a paragraph does (`Chỉ tiêu | Kế hoạch 5 năm 2026-2030` reads
    like no header, yet is one)."""
    raw = ("STT | Nhiệm vụ | Sản phẩm | Chủ trì\n"
           "1 | Rà soát thủ tục | Báo cáo | Sở Tư pháp;\n"
           "Văn phòng UBND tỉnh\n"
           "2 | Số hóa hồ sơ | 90% hồ sơ được số hóa | Sở Nội vụ\n"
           "\n"
           "Bảng 2. Vốn phân bổ năm 2027 cho các huyện\n"
           "TT | Đơn vị | Vốn năm 2027 | Ghi chú\n"
           "|---|---|---|---|\n"
           "1 | Huyện Đông Sơn | 1.500 |")
    doc = _ocr_page_document(raw)
    rows = {c.table_row[1]: c.table_header for c in doc.clauses if c.table_row and c.table_row[0].isdigit()}
    assert rows["Số hóa hồ sơ"][:3] == ["STT", "Nhiệm vụ", "Sản phẩm"]
    assert rows["Huyện Đông Sơn"][:3] == ["TT", "Đơn vị", "Vốn năm 2027"]
    clean = ("STT | Nhiệm vụ | Sản phẩm | Chủ trì\n"
             "1 | Rà soát thủ tục | Báo cáo | Sở Tư pháp\n"
             "Biểu 2\n"
             "Chỉ tiêu | Kế hoạch 5 năm 2026-2030\n"
             "|---|---|\n"
             "1 | Tỷ lệ hồ sơ trực tuyến | 90%")
    rows = {c.table_row[1]: c.table_header for c in document_from_text(clean).clauses
            if c.table_row and c.table_row[0].isdigit()}
    assert rows["Tỷ lệ hồ sơ trực tuyến"] == ["Chỉ tiêu", "Kế hoạch 5 năm 2026-2030"]


def test_an_ocr_table_keeps_its_header_past_rows_whose_bars_touch_their_numbers_and_pieces_between():
    """A scan's ruling line read against a row's number (`1| Rà soát`, `7] Xây dựng`) leaves no bar
    standing apart, and pieces of wrapped rows lie between rows: a numbered row is never a header,
    so every row stays under the table's header, with its number in the first column. In a text
    file such a line is prose."""
    raw = ("STT | Nhiệm vụ | Sản phẩm | Chủ trì\n"
           "I | Cải cách thể chế |\n"
           "1| Rà soát văn bản quy phạm | Báo cáo | Sở Tư pháp\n"
           "Văn phòng\n"
           "UBND tỉnh\n"
           "cấp xã.\n"
           "2 | Số hóa hồ sơ thủ tục | 90% hồ sơ được số hóa | Sở Nội vụ\n"
           "7] Xây dựng kho dữ liệu | Kho dữ liệu | Sở Khoa học và Công nghệ")
    doc = _ocr_page_document(raw)
    rows = {c.table_row[1]: (c.table_row[0], c.table_header) for c in doc.clauses if c.table_row}
    for task, number in (("Rà soát văn bản quy phạm", "1"), ("Số hóa hồ sơ thủ tục", "2"),
                         ("Xây dựng kho dữ liệu", "7")):
        assert rows[task][0] == number
        assert rows[task][1][:3] == ["STT", "Nhiệm vụ", "Sản phẩm"], task
    text = document_from_text("Kết quả năm trước:\n1| Rà soát văn bản quy phạm | Báo cáo")
    assert not any(c.table_row and c.table_row[0] == "1" for c in text.clauses)


def test_a_line_wrapped_after_a_colon_goes_on_when_the_next_begins_in_lower_case():
    """`…, huyện Châu Thành:` + `khoảng 250 tỷ đồng` (or + `18.450 triệu đồng`): the wrap fell inside
    the sentence, and the
    figure must stay with the project it costs; a colon before a list item or a capital still ends
    its paragraph."""
    raw = ("+ Dự án nâng cấp tuyến đê bao ven sông Hậu, xã Tân Phú, huyện Châu Thành, tỉnh An Giang:\n"
           "khoảng 250 tỷ đồng, chiều dài 12 km.\n"
           "Mục tiêu của kế hoạch trong giai đoạn tới được xác định như sau đây:\n"
           "- Giảm tỷ lệ hộ nghèo còn 2%.\n"
           "Các nhiệm vụ trọng tâm của kế hoạch giai đoạn tới được giao cụ thể như sau:\n"
           "Sở Tài chính chủ trì.\n"
           "+ Chương trình kiên cố hóa kênh mương nội đồng, trạm bơm điện của các xã vùng trũng:\n"
           "18.450 triệu đồng, trong đó ngân sách tỉnh hỗ trợ một phần.\n"
           "Vốn đầu tư của các chương trình được phân bổ cho các lĩnh vực cụ thể như sau đây:\n"
           "2. Vốn sự nghiệp.")
    assert document_from_text(raw).text.split("\n") == [
        "+ Dự án nâng cấp tuyến đê bao ven sông Hậu, xã Tân Phú, huyện Châu Thành, tỉnh An Giang: "
        "khoảng 250 tỷ đồng, chiều dài 12 km.",
        "Mục tiêu của kế hoạch trong giai đoạn tới được xác định như sau đây:",
        "- Giảm tỷ lệ hộ nghèo còn 2%.",
        "Các nhiệm vụ trọng tâm của kế hoạch giai đoạn tới được giao cụ thể như sau:",
        "Sở Tài chính chủ trì.",
        "+ Chương trình kiên cố hóa kênh mương nội đồng, trạm bơm điện của các xã vùng trũng: "
        "18.450 triệu đồng, trong đó ngân sách tỉnh hỗ trợ một phần.",
        "Vốn đầu tư của các chương trình được phân bổ cho các lĩnh vực cụ thể như sau đây:",
        "2. Vốn sự nghiệp."]


def test_list_items_and_headings_stay_paragraphs():
    doc = document_from_text("1. Mục tiêu\na) Tỷ lệ hộ nghèo\n+ Bảo đảm y tế\nIII. TỔ CHỨC THỰC HIỆN")
    assert len(doc.text.split("\n")) == 4
    assert [s.numbering for s in doc.sections] == ["1.", "a)", "III."]


@pytest.mark.parametrize("name,data,message", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"   \n\n", "empty file"),
    ("fake.pdf", "Kế hoạch".encode("utf-8"), "not a PDF"),
    ("random.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 20, "not a readable PDF"),
    ("binary.txt", bytes([0, 1, 2, 3, 0, 0, 0, 255, 254, 0, 7]) * 10, ""),
])
def test_bad_inputs_raise_a_clear_stage_error(tmp_path, name, data, message):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(StageError) as e:
        ingest(Document(path=str(p), doc_id=p.stem))
    assert message in e.value.message
    assert "\n" not in e.value.message


def test_viqr_is_detected_and_converted(tmp_path):
    """The fixture was written by hand from the rules of RFC 1456 (VIQR), not by the converter."""
    data = Path(__file__).parent / "data"
    doc = normalised(tmp_path, "viqr.txt", (data / "viqr_sentence.txt").read_bytes())
    assert doc.text_condition == "legacy-viqr"
    assert doc.text == (data / "viqr_sentence.expected.txt").read_text("utf-8").strip()
    assert "Phấn" in doc.text and doc.source_of(0, 4).startswith("Pha^")


def test_plain_text_with_question_marks_is_not_viqr(tmp_path):
    doc = normalised(tmp_path, "q.txt", "Tỷ lệ này là bao nhiêu? Chỉ tiêu nào cần điều chỉnh?".encode("utf-8"))
    assert doc.text_condition == "clean"


def rtf(text: str) -> bytes:
    """A minimal RTF document; non-ASCII characters as \\uN? escapes."""
    body = "".join(c if ord(c) < 128 else f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?" for c in text)
    return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0 " +
            body.replace("\n", "\\par\n") + "\\par}").encode("ascii")


def test_rtf_goes_through_libreoffice(tmp_path):
    from pipeline.readers.office import soffice

    assert soffice()  # fails, never skips, when LibreOffice is missing: `make setup` installs it
    text = "KẾ HOẠCH\nPhấn đấu đến năm 2025, tỷ lệ bao phủ bảo hiểm y tế toàn dân đạt 98%."
    doc = normalised(tmp_path, "plan.rtf", rtf(text))
    assert doc.format == "rtf"
    assert doc.text == "KẾ HOẠCH\nPhấn đấu đến năm 2025, tỷ lệ bao phủ bảo hiểm y tế toàn dân đạt 98%."


def test_numbering_variants_open_sections():
    doc = document_from_text("I - MỤC TIÊU\n1) Mục tiêu chung\n2 - Mục tiêu cụ thể\nII: TỔ CHỨC THỰC HIỆN\n"
                             "Tỷ lệ đạt 55 - 60% vào năm 2025.")
    assert [(s.numbering, s.path) for s in doc.sections] == [("I.", "I"), ("1.", "I.1"), ("2.", "I.2"), ("II.", "II")]
    assert doc.text.split("\n")[-1] == "Tỷ lệ đạt 55 - 60% vào năm 2025."


def test_number_and_date_drawn_by_signature_widgets_reach_the_metadata(tmp_path):
    """An e-signed decision whose number and day/month are widget annotations, not page content:
    they are read and placed in their lines, so the date is the decision's, not the cited law's."""
    import csv

    from conftest import chitieu
    from widget_pdf import make

    src = tmp_path / "in"
    src.mkdir()
    make(src / "signed.pdf", "1234", "12", "5")
    doc = ingest(Document(path=str(src / "signed.pdf"), doc_id="signed"))
    assert "Số: 1234/QĐ-UBND" in doc.raw and "ngày 12 tháng 5 năm 2026" in doc.raw
    out = tmp_path / "out"
    assert chitieu("extract", str(src), "--out", str(out), "--quiet").returncode == 0
    with open(out / "documents.csv", encoding="utf-8") as f:
        row = next(csv.DictReader(f))
    assert (row["doc_number"], row["issued_date"]) == ("1234/QĐ-UBND", "2026-05-12")


def test_a_pdf_with_a_task_table_and_running_page_numbers_keeps_its_paragraphs_whole(tmp_path):
    """Long table rows must not make every wrapped line look like a paragraph of its own, and a
    page number at the foot of a text-layer page must not land inside a sentence."""
    from fpdf import FPDF

    from conftest import FONT
    from pipeline.ingest import ingest
    from pipeline.normalise import normalise
    from pipeline.record import Document

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=11)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.multi_cell(0, 6, "- 100% hồ sơ đăng ký doanh nghiệp của các huyện miền núi trong tỉnh được tiếp nhận và "
                         "giải quyết trên môi trường điện tử bảo đảm đúng hạn theo quy định của pháp luật.",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(280)
    pdf.cell(0, 6, "2", align="C")
    pdf.add_page()
    row = ("1 | Số hóa hồ sơ đăng ký doanh nghiệp và hồ sơ đất đai của các huyện miền núi | Sở Tài chính | "
           "Sở Nông nghiệp và Môi trường | Năm 2027 | Hằng năm báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện")
    for _ in range(12):
        pdf.multi_cell(0, 6, row, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "plan.pdf"
    pdf.output(str(path))
    doc = normalise(ingest(Document(path=str(path), doc_id="plan")))
    first = doc.text.split("\n")[0]
    assert first.startswith("- 100% hồ sơ") and first.rstrip().endswith("theo quy định của pháp luật."), doc.text[:300]
    assert "\n2\n" not in doc.text and " 2 " not in first


def _plan_pdf(path, paragraphs: list[str], table: list[list[str]] | None = None) -> None:
    """A text-layer PDF laid out as state documents are: the page number at the head of every page
    but the first, justified paragraphs, and a ruled table after them."""
    from fpdf import FPDF

    from conftest import FONT

    class Plan(FPDF):
        def header(self):
            if self.page_no() > 1:
                self.cell(0, 8, str(self.page_no()), align="C", new_x="LMARGIN", new_y="NEXT")

    pdf = Plan(format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    for par in paragraphs:
        pdf.multi_cell(0, 7, par, align="J", new_x="LMARGIN", new_y="NEXT")
    if table:
        with pdf.table(first_row_as_headings=False, line_height=6) as t:
            for cells in table:
                row = t.row()
                for c in cells:
                    row.cell(c)
    pdf.output(str(path))


# paragraphs written for these tests, each long enough that one of them runs over a page break
PLAN_PARAGRAPHS = [
    f"- Phấn đấu đến năm {2026 + k}, tỷ lệ hộ gia đình ở xã miền núi thứ {k + 1} được dùng nước sạch "
    "đạt trên 90%, mỗi thôn có ít nhất một tổ hợp tác sản xuất rau an toàn, các trường mầm non có bếp ăn "
    "bán trú đạt chuẩn, trạm y tế xã có bác sĩ làm việc thường xuyên và đường giao thông nông thôn được "
    "cứng hóa đến trung tâm các thôn, bản, bảo đảm đi lại thuận tiện trong mùa mưa lũ cho người dân."
    for k in range(9)]


def test_a_paragraph_a_page_breaks_goes_on_past_the_page_number_at_the_next_page_head(tmp_path):
    """State documents number their pages at the head from page 2; the gap under that number must
    not end the paragraph the page break splits (its sentence would lose its figures or its cue)."""
    from pipeline.ingest import ingest
    from pipeline.normalise import normalise
    from pipeline.record import Document

    path = tmp_path / "plan.pdf"
    _plan_pdf(path, PLAN_PARAGRAPHS)
    doc = ingest(Document(path=str(path), doc_id="plan"))
    assert len(doc.pages) >= 2
    lines = normalise(doc).text.split("\n")
    assert lines == PLAN_PARAGRAPHS, [ln[:60] for ln in lines]


def test_a_table_row_left_alone_on_a_page_is_still_a_row(tmp_path):
    """A long task table leaves a tall row on the next page by itself: read as lines, its cells
    would interleave; it is one row of the table, under the header of the page before."""
    from pipeline.ingest import ingest
    from pipeline.normalise import normalise
    from pipeline.record import Document

    tall = ("Xây dựng cơ sở dữ liệu hộ nghèo, hộ cận nghèo của toàn tỉnh, kết nối với hệ thống thông tin "
            "của các xã và cập nhật hằng quý ") * 4
    table = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"],
             ["1", "Rà soát hộ nghèo trên địa bàn các xã", "Sở Y tế", "Năm 2027"],
             ["2", tall.strip(), "Sở Tài chính", "Hằng năm"]]
    path = tmp_path / "plan.pdf"
    _plan_pdf(path, PLAN_PARAGRAPHS[:5], table)
    doc = ingest(Document(path=str(path), doc_id="plan"))
    last = doc.pages[-1].text
    assert "Rà soát hộ nghèo" not in last, "the row must stand alone on its page for this test"
    lines = normalise(doc).text.split("\n")
    assert "STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian" in lines
    assert f"2 | {tall.strip()} | Sở Tài chính | Hằng năm" in lines, [ln[:80] for ln in lines]


@pytest.mark.parametrize("body, recipients, top, signature", [
    # the title on the recipients' line
    ("Phấn đấu đến năm 2030, 100% đường xã được cứng hóa; giao Sở Xây dựng theo dõi, đôn đốc các địa phương "
     "thực hiện kế hoạch này và báo cáo kết quả hằng năm./.",
     ["Nơi nhận:", "- Bộ Xây dựng;", "- TT. Tỉnh ủy, TT. HĐND tỉnh;", "- Các sở, ban, ngành;",
      "- UBND các huyện, thị xã;", "- Lưu: VT, KT."], 60,
     ((60, "TM. ỦY BAN NHÂN DÂN"), (66, "KT. CHỦ TỊCH"), (72, "PHÓ CHỦ TỊCH"), (100, "Lò Văn Khiêm"))),
    # `Nơi nhận:` on a line of its own, the title from the next line down: the block opens at the
    # recipients' line and takes its gutter from the line under it
    ("Giao Sở Y tế theo dõi, đôn đốc các địa phương thực hiện kế hoạch này và báo cáo kết quả về Ủy ban "
     "nhân dân tỉnh trước ngày 20 tháng 12 hằng năm./.",
     ["Nơi nhận:", "- Bộ Y tế;", "- TT. Tỉnh ủy;", "- Lưu: VT, VX."], 50,
     ((56, "TM. ỦY BAN NHÂN DÂN"), (62, "KT. CHỦ TỊCH"), (68, "PHÓ CHỦ TỊCH"), (96, "Hà Thị Mơ"))),
])
def test_a_text_pdf_signature_block_is_read_column_by_column(tmp_path, body, recipients, top, signature):
    """Recipients on the left, the signature on the right (the state format, no rules): read line by
    line across the page, the two interleave and the title stands lines away from the name; the
    reader takes the left column, then the right, and the signer is found. (Names written for this
    test.)"""
    from fpdf import FPDF

    from conftest import FONT
    from extractors.metadata import _signer
    from pipeline.ingest import ingest
    from pipeline.normalise import normalise
    from pipeline.record import Document

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    pdf.set_xy(20, 20)
    pdf.multi_cell(170, 7, body)
    for k, line in enumerate(recipients):
        pdf.set_xy(20, top + 6 * k)
        pdf.cell(70, 6, line)  # left-aligned: its width does not move the text
    for y, line in signature:
        pdf.set_xy(100, y)
        pdf.cell(90, 6, line, align="C")
    path = tmp_path / "plan.pdf"
    pdf.output(str(path))
    doc = normalise(ingest(Document(path=str(path), doc_id="plan")))
    lines = doc.text.split("\n")
    n = len(recipients)
    assert lines[1:n + 1] == recipients, lines
    assert lines[n + 1:] == [line for _, line in signature], lines
    assert _signer(doc.text) == (signature[-1][1], "Phó chủ tịch")


def test_a_text_pdf_head_whose_columns_wrap_gives_the_number_and_the_date(tmp_path):
    """A head set in two narrow columns (a borderless table, as Word prints it): read across, the
    number and the date come out as `Số: 1245/KH- Điện Biên, ngày 17 tháng` and `UBND 10 năm 2026`;
    read column by column, as a scan's head is, they are whole. (Written for this test.)"""
    from fpdf import FPDF

    from conftest import FONT
    from extractors.metadata import extract_metadata
    from pipeline.ingest import ingest
    from pipeline.normalise import normalise
    from pipeline.record import Document
    from pipeline.structure import structure

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    for k, (a, b) in enumerate([("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA"), ("TỈNH ĐIỆN BIÊN", "VIỆT NAM"),
                                ("", "Độc lập - Tự do - Hạnh phúc"), ("Số: 1245/KH-", "Điện Biên, ngày 17 tháng"),
                                ("UBND", "10 năm 2026")]):
        y = 15 + 6 * k + (4 if k >= 3 else 0)
        if a:
            pdf.set_xy(20, y)
            pdf.cell(55, 6, a, align="C")
        pdf.set_xy(95, y)
        pdf.cell(95, 6, b, align="C")
    pdf.set_xy(20, 60)
    pdf.multi_cell(170, 7, "KẾ HOẠCH", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(170, 7, "Phát triển văn hóa đọc trên địa bàn tỉnh giai đoạn 2027 - 2030", align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(170, 7, "Phấn đấu đến năm 2030, 100% thư viện cấp xã được số hóa tài liệu.", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "plan.pdf"
    pdf.output(str(path))
    doc = structure(normalise(ingest(Document(path=str(path), doc_id="plan"))))
    meta = extract_metadata(doc)
    assert (meta.doc_number, meta.issued_date, meta.province) == ("1245/KH-UBND", "2026-10-17", "Điện Biên"), doc.text[:400]


def test_a_text_pdf_page_after_the_first_that_opens_with_two_columns_is_no_head(tmp_path):
    """Labels and their figures set apart at the top of page 2 (tab stops) are lines of the body: only
    a document's first page opens with the head. (Written for this test.)"""
    from fpdf import FPDF

    from conftest import FONT
    from pipeline.ingest import ingest
    from pipeline.record import Document

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 7, "Giao Sở Tài chính bố trí vốn thực hiện các dự án sau:")
    pdf.add_page()
    pairs = [("- Tổng vốn đầu tư:", "1.250 tỷ đồng"), ("- Vốn ngân sách tỉnh:", "450 tỷ đồng"),
             ("- Vốn huy động khác:", "800 tỷ đồng")]
    for k, (label, figure) in enumerate(pairs):
        pdf.set_xy(20, 20 + 7 * k)
        pdf.cell(70, 7, label)
        pdf.set_xy(120, 20 + 7 * k)
        pdf.cell(60, 7, figure)
    path = tmp_path / "plan.pdf"
    pdf.output(str(path))
    doc = ingest(Document(path=str(path), doc_id="plan"))
    second = [ln for ln in doc.pages[1].text.split("\n") if ln.strip()]
    assert second == [f"{a} {b}" for a, b in pairs], second


def test_a_sentence_that_opens_with_noi_nhan_is_no_signature_block(tmp_path):
    """`Nơi nhận hồ sơ: …` in the body, with a centred heading under it: no columns are cut."""
    from fpdf import FPDF

    from conftest import FONT
    from pipeline.ingest import ingest
    from pipeline.normalise import normalise
    from pipeline.record import Document

    body = ["Các cơ quan, đơn vị gửi báo cáo kết quả thực hiện kế hoạch về Sở Kế hoạch và Đầu tư trước ngày 15 "
            "tháng 12 hằng năm để tổng hợp, báo cáo Ủy ban nhân dân tỉnh theo quy định.",
            "Nơi nhận hồ sơ: Sở Tài chính tỉnh và Văn phòng.", "IV. TỔ CHỨC THỰC HIỆN",
            "Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp với các sở, ban, ngành và Ủy ban nhân dân các huyện, "
            "thị xã, thành phố triển khai thực hiện kế hoạch này; định kỳ tổng hợp báo cáo Ủy ban nhân dân tỉnh."]
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    for text, align in zip(body, "JLCJ"):
        pdf.multi_cell(0, 7, text, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    path = tmp_path / "plan.pdf"
    pdf.output(str(path))
    lines = normalise(ingest(Document(path=str(path), doc_id="plan"))).text.split("\n")
    assert lines == body, lines


def test_a_wrapped_line_that_ends_with_a_semicolon_goes_on_in_lower_case():
    """`… tăng trên 3%;` at the end of a full line and `số vụ … tăng trên 5%` on the next are one
    sentence the wrap cut; a list's next item (`- `, a capital) and a short line still start anew.
    (Sentences written for this test.)"""
    from pipeline.normalise import join_paragraphs

    raw = ("- Hằng năm, số lớp học xóa mù chữ được mở ở các xã vùng cao của tỉnh tăng trên 3%;\n"
           "số học viên hoàn thành chương trình tăng trên 5% so với năm trước liền kề đó;\n"
           "- Mỗi xã vùng cao có ít nhất một điểm đọc sách cho học viên được mở cửa hằng ngày;\n"
           "Giao Sở Giáo dục và Đào tạo chủ trì, theo dõi việc thực hiện các chỉ tiêu này;\n"
           "đạt 95%;\n"
           "mỗi năm mở thêm 20 lớp.")
    text, _ = join_paragraphs(list(raw), list(range(len(raw))))
    assert text.split("\n") == [
        "- Hằng năm, số lớp học xóa mù chữ được mở ở các xã vùng cao của tỉnh tăng trên 3%; "
        "số học viên hoàn thành chương trình tăng trên 5% so với năm trước liền kề đó;",
        "- Mỗi xã vùng cao có ít nhất một điểm đọc sách cho học viên được mở cửa hằng ngày;",
        "Giao Sở Giáo dục và Đào tạo chủ trì, theo dõi việc thực hiện các chỉ tiêu này; đạt 95%;",
        "mỗi năm mở thêm 20 lớp."]


def test_a_table_row_a_page_break_split_is_one_row_again():
    """Word and LibreOffice let a row break across pages: the rest of its cells opens the next page
    as a row with no number; it is joined back (after the header the table may repeat there). A row
    with its own number, or one that does not go on in lower case, stays a row."""
    from pipeline.readers.page_breaks import join_split_rows
    from pipeline.record import Page

    header = "STT | Nhiệm vụ | Kết quả | Thời gian"
    pages = [Page(1, f"{header}\n1 | Lắp đặt trạm bơm | 100% trạm bơm có | Năm 2027", "text-layer"),
             Page(2, f"{header}\n | điện mặt trời mái nhà | đồng hồ đo lưu lượng | \n"
                     "2 | Nạo vét kênh | 30 km | Năm 2028", "text-layer"),
             Page(3, " | Kiên cố hóa bờ kênh | 12 km | Năm 2029", "text-layer")]
    join_split_rows(pages)
    assert pages[0].text.split("\n")[-1] == ("1 | Lắp đặt trạm bơm điện mặt trời mái nhà | "
                                             "100% trạm bơm có đồng hồ đo lưu lượng | Năm 2027")
    assert pages[1].text.split("\n") == [header, "2 | Nạo vét kênh | 30 km | Năm 2028"]
    assert pages[2].text == " | Kiên cố hóa bờ kênh | 12 km | Năm 2029"
    # three pages long, the header repeated on each: the third part joins the first, not the header
    pages = [Page(1, f"{header}\n1 | Lắp đặt trạm bơm | 100% trạm bơm có | Năm 2027", "text-layer"),
             Page(2, f"{header}\n | điện mặt trời | đồng hồ | ", "text-layer"),
             Page(3, f"{header}\n | mái nhà | đo lưu lượng | \n2 | Nạo vét kênh | 30 km | Năm 2028", "text-layer")]
    join_split_rows(pages)
    assert pages[0].text.split("\n")[-1] == ("1 | Lắp đặt trạm bơm điện mặt trời mái nhà | "
                                             "100% trạm bơm có đồng hồ đo lưu lượng | Năm 2027")
    assert pages[2].text.split("\n") == [header, "2 | Nạo vét kênh | 30 km | Năm 2028"]
    # a first column merged down its sub-rows: a dashed item or a figure after a figure is a row of its own
    group = ["STT | Chỉ tiêu | Năm 2030\n1 | Về xã hội: | \n | - Tỷ lệ trẻ em đi học đúng độ tuổi | 95%",
             " | - Tỷ lệ hộ nghèo giảm bình quân | 1,5%/năm\n | 2026 | 98%"]
    pages = [Page(1, group[0], "text-layer"), Page(2, group[1], "text-layer")]
    join_split_rows(pages)
    assert [p.text for p in pages] == group
    # scanned pages, read by their grid: a speck or a rule's end read as a line under the row, or over
    # the next page's, is no row; the page's text may begin with the bar of an empty first cell
    pages = [Page(1, f"{header}\n1 | Lắp đặt trạm bơm | 100% trạm bơm có | Năm 2027\n|\nỊ", "ocr"),
             Page(2, "|\n| điện mặt trời mái nhà | đồng hồ đo lưu lượng | \n2 | Nạo vét kênh | 30 km | Năm 2028", "ocr")]
    join_split_rows(pages)
    assert pages[0].text.split("\n")[1] == ("1 | Lắp đặt trạm bơm điện mặt trời mái nhà | "
                                            "100% trạm bơm có đồng hồ đo lưu lượng | Năm 2027")
    assert pages[1].text.split("\n") == ["|", "2 | Nạo vét kênh | 30 km | Năm 2028"]
    # a last row with no word of two letters is a row all the same; a bar inside a cell is no cell's edge
    pages = [Page(1, f"{header}\n1 | Lắp đặt trạm bơm | 100% trạm bơm có | Năm 2027\n2 | - | 5 | -", "ocr"),
             Page(2, " | và A|B | đồng hồ đo | ", "ocr")]
    join_split_rows(pages)
    assert pages[0].text.split("\n")[1:] == ["1 | Lắp đặt trạm bơm | 100% trạm bơm có | Năm 2027",
                                              "2 | - và A|B | 5 đồng hồ đo | -"]


def test_a_pdf_printed_from_word_keeps_a_row_that_breaks_across_pages(tmp_path):
    """The same, end to end: a DOCX whose tall row LibreOffice breaks across two pages, printed to
    PDF and read back (the test needs LibreOffice, which `make setup` installs)."""
    import io

    import docx
    from docx.shared import Pt

    from pipeline.ingest import ingest
    from pipeline.normalise import normalise
    from pipeline.readers._exec.libreoffice import convert
    from pipeline.record import Document

    d = docx.Document()
    d.styles["Normal"].font.size = Pt(12)
    for par in PLAN_PARAGRAPHS[:6]:
        d.add_paragraph(par)
    t = d.add_table(rows=0, cols=3)
    t.style = "Table Grid"
    tall = " ".join(f"bước {k + 1}: rà soát hồ sơ hộ nghèo của thôn thứ {k + 1} trong xã;" for k in range(40))
    for cells in (["STT", "Nhiệm vụ", "Kết quả"], ["1", "Cập nhật cơ sở dữ liệu hộ nghèo, " + tall,
                                                   "100% hộ nghèo được cập nhật hằng quý"]):
        row = t.add_row().cells
        for cell, value in zip(row, cells):
            cell.text = value
    buf = io.BytesIO()
    d.save(buf)
    path = tmp_path / "plan.pdf"
    path.write_bytes(convert(buf.getvalue(), ".docx", "pdf"))
    import pypdfium2 as pdfium

    layer = [" ".join(page.get_textpage().get_text_range().split()) for page in pdfium.PdfDocument(str(path))]
    assert next(k for k, t in enumerate(layer) if "bước 40" in t) > next(k for k, t in enumerate(layer) if "bước 1:" in t), \
        "the row must break across pages for this test"
    doc = ingest(Document(path=str(path), doc_id="plan"))
    rows = [ln for ln in normalise(doc).text.split("\n") if ln.startswith("1 | ")]
    assert len(rows) == 1 and "bước 1:" in rows[0] and "bước 40:" in rows[0], rows


def test_figures_with_their_units_are_no_evidence_of_ocr_damage():
    """A digit inside a word is English-model OCR's mark (`d6ng`), but a figure with its unit glued on
    (`45m2`, `2.500m3`, `500kW`) is a quantity: a stripped plan full of them is still `stripped`.
    (Sentences written for this test.)"""
    from pipeline.normalise import text_condition

    stripped = ("Dien tich nha o binh quan dat 45m2/nguoi, can ho toi thieu 30m2; be chua 2.500m3 "
                "va tram bien ap 500kW cho khu 12ha. ") * 5
    assert text_condition(stripped) == "stripped"
    assert text_condition("Dién tich nha 6 binh quan dat 45m2, h6 tro d6ng bd cho ngu0i dan " * 5) \
        == "ocr-damaged"


def test_an_appendix_is_a_section_of_its_own_not_the_last_one_of_the_plan():
    """`PHỤ LỤC` ends the plan's numbered sections: what it lists takes neither the section nor the
    due year of the heading that came before it. (Text written for this test.)"""
    from helpers import targets_of

    text = ("II. CHỈ TIÊU ĐẾN NĂM 2030\n"
            "- Tỷ lệ hộ dùng nước sạch đạt 95%.\n"
            "PHỤ LỤC II\n"
            "CÁC VIỆC LÀM THƯỜNG XUYÊN\n"
            "- Phấn đấu lắp đặt đồng hồ nước cho 500 hộ.\n")
    doc = document_from_text(text)
    assert [(s.numbering, s.level, s.title) for s in doc.sections] == [
        ("II.", 0, "CHỈ TIÊU ĐẾN NĂM 2030"), ("PHỤ LỤC II", 0, "CÁC VIỆC LÀM THƯỜNG XUYÊN")]
    assert document_from_text("PHỤ LỤC 3: DANH MỤC CÔNG TRÌNH\n- Xây mới 2 trường.").sections[0].title == \
        "DANH MỤC CÔNG TRÌNH"
    years = {c.value: c.target_year for c in targets_of(text, issue_year=2025)}
    assert years == {95: 2030, 500: None}


def test_an_ocr_misread_letter_against_a_bar_opens_no_row():
    """`V|ệc` is an OCR's `Vi` of `Việc`, not a row numbered V: no space follows the bar."""
    doc = _ocr_page_document("V|ệc phát triển du lịch phấn đấu đón 4 triệu lượt khách trong năm 2027.")
    assert not any(c.table_row for c in doc.clauses)
