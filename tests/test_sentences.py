"""Target sentences written for the project, across sectors, each with its expected rows."""
from pathlib import Path

import pytest
import yaml

from helpers import targets_of

DATA = yaml.safe_load((Path(__file__).parent / "data" / "sentences.yaml").read_text("utf-8"))
FIELDS = ("value", "value_max", "comparator", "unit", "unit_kind", "per_year", "target_year")


def test_the_data_file_is_large_enough():
    assert len(DATA["targets"]) >= 60
    assert len(DATA["non_targets"]) >= 30


@pytest.mark.parametrize("case", DATA["targets"], ids=lambda c: c["text"][:50])
def test_target_sentence(case):
    got = [{k: getattr(r, k) for k in FIELDS} for r in targets_of(case["text"], DATA["issue_year"])]
    expected = [{k: (float(r[k]) if k in ("value", "value_max") and r[k] is not None else r[k]) for k in FIELDS}
                for r in case["rows"]]
    assert got == expected


@pytest.mark.parametrize("text", DATA["non_targets"], ids=lambda t: t[:50])
def test_non_target_sentence(text):
    assert [(r.value, r.unit) for r in targets_of(text, DATA["issue_year"])] == []


def test_scope_and_direction_and_baseline():
    rows = targets_of("Phấn đấu giảm tỷ lệ hộ nghèo bình quân 3%/năm (riêng các huyện nghèo 4,3%).", 2021)
    assert [(r.value, r.scope, r.direction, r.per_year) for r in rows] == [
        (3.0, "", "decrease", True), (4.3, "các huyện nghèo", "decrease", True)]
    assert rows[0].indicator_id == rows[1].indicator_id == "poverty_rate_reduction"
    rows = targets_of("Tỷ lệ hộ nghèo giảm từ 8,5% năm 2020 xuống còn 3% năm 2025.", 2021)
    assert [(r.value, r.baseline_value, r.baseline_year, r.indicator_id) for r in rows] == [
        (3.0, 8.5, 2020, "poverty_rate")]
    rows = targets_of("Duy trì 100% tỷ lệ phủ sóng phát thanh và truyền hình.", 2021)
    assert rows[0].direction == "maintain" and rows[0].indicator_id == "broadcast_coverage"


def test_lead_in_gives_the_year_to_list_items():
    text = ("Mục tiêu cụ thể đến năm 2025:\n- Tỷ lệ che phủ rừng đạt 45%;\n"
            "- Tỷ lệ hộ gia đình được sử dụng điện lưới đạt 99%.")
    rows = targets_of(text, 2021)
    assert [(r.value, r.target_year, r.indicator_id) for r in rows] == [
        (45.0, 2025, "forest_cover"), (99.0, 2025, "grid_electricity_households")]
    assert [r.lead_in for r in rows] == ["Mục tiêu cụ thể đến năm 2025:"] * 2


def test_plan_period_is_the_last_resort_for_the_year():
    rows = targets_of("Giải quyết việc làm cho 8.500 lao động.", 2021, period=(2021, 2025))
    assert rows[0].target_year == 2025
    rows = targets_of("Giải quyết việc làm cho 8.500 lao động đến năm 2023.", 2021, period=(2021, 2025))
    assert rows[0].target_year == 2023


def test_a_table_sub_row_is_named_with_the_group_it_is_under():
    """`- | Diện tích | Ha | …` under `1 | Cây bưởi`: the indicator says whose area it is; a label that
    names the group already, or a numbered row, is left as written. (Table written for this test.)"""
    text = ("STT | Chỉ tiêu | Đơn vị tính | Năm 2027 | Năm 2028\n"
            "I | CÂY ĂN QUẢ\n"
            "1 | Cây bưởi\n"
            "- | Diện tích | Ha | 1.200 | 1.300\n"
            "- | Sản lượng bưởi quả | Tấn | 18.000 | 19.500\n"
            "2 | Số hợp tác xã trồng cây ăn quả | Hợp tác xã | 12 | 15\n")
    got = {(r.value, r.indicator) for r in targets_of(text, 2026)}
    assert got == {(1200, "Diện tích (Cây bưởi)"), (1300, "Diện tích (Cây bưởi)"),
                   (18000, "Sản lượng bưởi quả"), (19500, "Sản lượng bưởi quả"),
                   (12, "Số hợp tác xã trồng cây ăn quả"), (15, "Số hợp tác xã trồng cây ăn quả")}


def test_a_unit_column_is_one_headed_by_a_unit_word_alone():
    """`Đơn vị tính` / `ĐVT` head a table's unit column; `Đơn vị thực hiện` heads the bodies that
    do the work, whose names are no unit of the row's figure."""
    units = {r.value: r.unit for r in targets_of(
        "STT | Chỉ tiêu | ĐVT | Năm 2030\n1 | Diện tích rừng trồng mới | ha | 1.200", 2026)}
    assert units == {1200.0: "ha"}
    rows = targets_of("STT | Chỉ tiêu | Đơn vị thực hiện | Năm 2030\n"
                      "1 | Số trạm y tế xã đạt chuẩn | Sở Y tế | 45", 2026)
    assert [(r.value, r.unit) for r in rows] and all(r.unit != "Sở Y tế" for r in rows)
    rows = targets_of("STT | Đơn vị | Vốn năm 2027 (dự kiến)\n1 | Xã Tân Phú | 1.200", 2026)
    assert [(r.value, r.unit) for r in rows] == [(1200.0, "")]  # a body's name, a bracket that is no unit


def test_a_table_takes_its_unit_from_the_note_over_it_or_its_columns_header():
    """Budget and allocation tables give their unit once, in a note over the table (`ĐVT: triệu
    đồng`) or in a column's header (`(%)`): every figure of the table is in that unit, where its row
    names none. A note over one table says nothing of a table in another section."""
    rows = targets_of("Đơn vị tính: triệu đồng\n"
                      "STT | Công trình | Kế hoạch vốn năm 2027 | Tỷ lệ giải ngân năm 2027 (%)\n"
                      "1 | Trường tiểu học Hòa Bình | 2.400 | 90\n"
                      "2 | Trạm y tế xã Tân An | 800 | 100\n"
                      "Đơn vị: tỷ đồng\n"
                      "II. CHỈ TIÊU KHÁC\n"
                      "STT | Chỉ tiêu | Năm 2030\n"
                      "1 | Số xã đạt chuẩn nông thôn mới | 35\n", 2026)
    units = {r.value: (r.unit, r.unit_kind) for r in rows}
    assert units[2400.0] == units[800.0] == ("triệu đồng", "money")
    assert units[90.0] == units[100.0] == ("%", "percent")
    assert units[35.0] == ("", "other")


def test_the_indicator_column_names_a_list_of_nouns_whole():
    """`xã, phường, đặc khu` is one list of what the figure counts: the indicator is not cut at its
    first comma (`số xã`), and runs on to what the list is said to be, at most fourteen words."""
    rows = targets_of("Phấn đấu đến năm 2030 có 60% số xã, phường, đặc khu trên địa bàn tỉnh không còn "
                      "rác thải nhựa dùng một lần.")
    assert [r.value for r in rows] == [60]
    assert rows[0].indicator.startswith("số xã, phường, đặc khu trên địa bàn tỉnh không còn")
    assert len(rows[0].indicator.split()) <= 14
    rows = targets_of("Đến năm 2030, 95% hộ gia đình, 15% doanh nghiệp được cấp chữ ký số.")
    assert [r.indicator for r in rows][:1] == ["hộ gia đình"]


def test_a_semicolon_inside_brackets_does_not_cut_the_clause():
    """`Chi khác (chi phí kiểm tra; chi phí thuê chuyên gia): 80.000.000 đồng/năm.`: the `;` parts
    the bracket's items; cut there, the figure's clause lost `Chi khác`, what it is the cost of."""
    rows = targets_of("III. KINH PHÍ\nChi khác (chi phí kiểm tra, giám sát; chi phí thuê chuyên gia đánh giá): "
                      "80.000.000 đồng/năm.")
    assert [r.value for r in rows] == [80000000]
    from helpers import document_from_text
    doc = document_from_text("Thực hiện tại 03 xã (xã An Phú; xã An Hòa; xã An Lạc); hoàn thành trong năm 2027.")
    clauses = [doc.text[c.start:c.end] for c in doc.clauses]
    assert clauses[0].startswith("Thực hiện tại 03 xã (xã An Phú; xã An Hòa; xã An Lạc);"), clauses
    assert clauses[1].startswith("hoàn thành"), clauses


def test_the_indicator_stops_at_a_purpose_after_a_comma_and_an_open_bracket_does_not_merge_clauses():
    """A purpose after a comma (`…, góp phần …`) is no item of a list of nouns; a bracket that never
    closes (`(số liệu kiểm kê năm 2025; b) …`: `b)` is a list marker) leaves the next clause its own
    (merged, the past cue of the first silenced the second's target)."""
    rows = targets_of("Đến năm 2027, nâng cấp 85 km đường giao thông nông thôn, góp phần giảm tai nạn.")
    assert [(r.value, r.indicator) for r in rows] == [(85, "đường giao thông nông thôn")]
    from helpers import document_from_text
    doc = document_from_text("Các chỉ tiêu chủ yếu: a) trồng rừng tập trung đã thực hiện 900 ha (số liệu kiểm kê "
                             "năm 2025; b) trồng mới 600 ha rừng sản xuất năm 2027.")
    clauses = [doc.text[c.start:c.end] for c in doc.clauses]
    assert len(clauses) == 2 and clauses[1].startswith("b) trồng mới 600 ha"), clauses
