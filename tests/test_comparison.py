"""One unit per indicator, typed outputs (Parquet, DuckDB, xlsx) and `chitieu compare`."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import ROOT, chitieu, extract_run

PLANS = ROOT / "tests" / "data" / "plans"


@pytest.fixture(scope="module")
def plans_run(tmp_path_factory) -> Path:
    """Three plans of three provinces, written for these tests."""
    return extract_run(PLANS, tmp_path_factory, "plans")


def read(out: Path, name: str) -> list[dict]:
    with open(out / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- one unit per indicator -------------------------------------------------------------------

def test_conversion_table_reads_units_as_plans_write_them():
    from pipeline.standardise import compatible, parse, to_std

    assert to_std(7080, "tỷ đồng") == (7080e9, "đồng")
    assert to_std(2, "nghìn ha") == (2000, "ha")
    assert to_std(3, "km2") == (300, "ha")
    assert to_std(1.5, "triệu tấn") == (1.5e6, "tấn")
    assert to_std(45, "tạ/ha") == (4.5, "tấn/ha")
    assert to_std(62.8, "%/năm") == (62.8, "%")
    assert to_std(12, "‰") == (1.2, "%")
    assert to_std(8000, "người") == (8000, "count")
    assert to_std(9, "bác sĩ/vạn dân") == (9, "count/vạn dân")
    assert to_std(120, "triệu đồng", "đồng/người") == (120e6, "đồng/người")
    assert parse("cây số vuông lạ") is None and to_std(5, "") == (None, "")
    assert compatible("total_investment", "tỷ đồng") and compatible("total_investment", "đồng")
    assert not compatible("total_investment", "%") and not compatible("total_investment", "triệu USD")
    assert compatible("crop_area", "nghìn ha") and not compatible("crop_area", "%")


def test_every_indicator_declares_a_standard_unit_of_the_table():
    import yaml

    from pipeline.standardise import indicator_units, parse

    entries = yaml.safe_load((ROOT / "extractors" / "data" / "indicators.yaml").read_text("utf-8"))
    units = indicator_units()
    assert set(units) == {e["id"] for e in entries}
    for e in entries:
        assert parse(e["unit_std"]) == (e["unit_std"], 1.0), e["id"]
        if e["unit_kind"] == "percent":
            assert e["unit_std"] == "%", e["id"]


def test_a_broken_conversion_table_stops_with_the_entry_named(tmp_path, monkeypatch):
    from pipeline import standardise

    bad = tmp_path / "units.yaml"
    text = (ROOT / "pipeline" / "data" / "units.yaml").read_text("utf-8")
    bad.write_text(text.replace("kg: [tấn, 0.001]", "kg: [tonne, 0.001]"), "utf-8")
    monkeypatch.setattr(standardise, "DATA", bad)
    standardise.table.cache_clear()
    try:
        with pytest.raises(standardise.UnitTableError, match="kg"):
            standardise.table()
    finally:
        standardise.table.cache_clear()


def test_link_clears_an_indicator_whose_unit_does_not_convert():
    from extractors.results import Commitment
    from pipeline.link import link
    from pipeline.record import Document

    text = "Diện tích gieo trồng đạt 20 nghìn ha. Diện tích gieo trồng tăng 10%. Số hộ có nhà ở tăng 10%."
    rows = [Commitment(indicator_id="crop_area", indicator="diện tích gieo trồng", sector="agriculture",
                       unit="nghìn ha", value=20.0, value_max=None, char_start=0, char_end=36),
            Commitment(indicator_id="crop_area", indicator="diện tích gieo trồng", sector="agriculture", unit="%",
                       value=10.0, value_max=None, char_start=37, char_end=68),
            Commitment(indicator_id="crop_area", indicator="số hộ", sector="agriculture", unit="%",
                       value=10.0, value_max=None, char_start=69, char_end=len(text))]
    doc = link(Document(path="x.txt", doc_id="x", text=text, commitments=rows))
    kept, cleared, words = doc.commitments
    assert kept.indicator_id == "crop_area" and (kept.value_std, kept.unit_std) == (20000, "ha")
    assert cleared.indicator_id == "" and cleared.sector == "agriculture"  # from its own words
    assert words.indicator_id == "" and words.sector == "housing"  # the dropped indicator's sector went with it
    assert (cleared.value_std, cleared.unit_std) == (10, "%")


@pytest.mark.parametrize("run", ["plans_run", "corpus_run"])
def test_no_indicator_mixes_units_and_value_std_is_the_converted_value(run, request):
    from pipeline.standardise import indicator_units, to_std

    out = request.getfixturevalue(run)
    rows = read(out, "comparison")
    assert rows
    units = indicator_units()
    seen: dict[str, set] = {}
    for r in rows:
        seen.setdefault(r["indicator_id"], set()).add(r["unit_std"])
        assert r["unit_std"] == units[r["indicator_id"]], r
        v, std = to_std(float(r["value"]), r["unit"], r["unit_std"])
        assert std == r["unit_std"] and float(r["value_std"]) == pytest.approx(v, rel=1e-12), r
        if r["value_max"]:
            assert float(r["value_max_std"]) == pytest.approx(to_std(float(r["value_max"]), r["unit"],
                                                                     r["unit_std"])[0], rel=1e-12)
        else:
            assert r["value_max_std"] == ""
    assert all(len(u) == 1 for u in seen.values()), seen


def test_money_written_three_ways_compares_in_one_unit(plans_run):
    rows = {r["province"]: r for r in read(plans_run, "comparison") if r["indicator_id"] == "total_investment"}
    assert set(rows) == {"Hà Giang", "Sơn La", "Yên Bái"}
    assert {r["unit"] for r in rows.values()} == {"tỷ đồng", "đồng", "nghìn tỷ đồng"}
    assert rows["Hà Giang"]["value_std"] == "7080000000000" and rows["Sơn La"]["value_std"] == "1360668000000"
    assert (rows["Yên Bái"]["value_std"], rows["Yên Bái"]["value_max_std"]) == ("50000000000000", "60000000000000")
    assert all(r["unit_std"] == "đồng" for r in rows.values())
    share = [r for r in read(plans_run, "commitments") if r["unit"] == "%" and r["sector"] == "agriculture"]
    assert share and all(r["indicator_id"] == "" for r in share)  # 10 % never joins an area indicator


# --- typed outputs ----------------------------------------------------------------------------

def test_duckdb_and_parquet_have_types_and_null_for_missing(corpus_run):
    import duckdb
    import pyarrow.parquet as pq

    from pipeline.write import TABLES

    con = duckdb.connect(str(corpus_run / "chitieu.duckdb"), read_only=True)
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = 'commitments'").fetchall())
    assert types["target_year"] == "BIGINT" and types["value"] == "DOUBLE" and types["per_year"] == "BOOLEAN"
    assert types["issued_date"] == "DATE" and types["value_std"] == "DOUBLE" and types["indicator_id"] == "VARCHAR"
    for name in ("commitments", "documents", "pages", "agencies", "comparison"):
        csv_rows = read(corpus_run, name)
        assert con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == len(csv_rows)
        table = pq.read_table(corpus_run / f"{name}.parquet")
        for col, _ in TABLES[name]:
            empty = sum(1 for r in csv_rows if r[col] == "")
            nulls = con.execute(f'SELECT count(*) FROM {name} WHERE "{col}" IS NULL').fetchone()[0]
            assert nulls == empty, (name, col)
            assert table.column(col).null_count == empty, (name, col)
            if name == "commitments" and col == "target_year":
                assert empty > 0  # the corpus has targets without a year: the check counts something
    assert con.execute("SELECT count(*) FROM commitments WHERE indicator_id = ''").fetchone()[0] == 0
    years = con.execute("SELECT target_year FROM comparison WHERE target_year IS NOT NULL").fetchall()
    assert years and all(isinstance(y, int) for (y,) in years)
    view = [d[0] for d in con.execute("SELECT * FROM comparison LIMIT 1").description]
    assert view[-3:] == ["value_std", "value_max_std", "unit_std"]


def test_xlsx_workbook_has_a_typed_sheet_per_table(corpus_run):
    import datetime as dt

    from openpyxl import load_workbook

    wb = load_workbook(corpus_run / "chitieu.xlsx", read_only=True)
    assert set(wb.sheetnames) == {"comparison", "commitments", "documents", "agencies", "pages", "errors"}
    for name in ("commitments", "comparison", "documents"):
        rows = list(wb[name].iter_rows(values_only=True))
        csv_rows = read(corpus_run, name)
        assert list(rows[0]) == list(csv_rows[0]) and len(rows) == len(csv_rows) + 1
    head, *body = list(wb["commitments"].iter_rows(values_only=True))
    r = dict(zip(head, body[0]))
    assert isinstance(r["value"], (int, float)) and isinstance(r["per_year"], bool)
    assert isinstance(r["char_start"], int) and isinstance(r["sentence"], str) and "ệ" in "".join(
        str(dict(zip(head, b))["sentence"]) for b in body)
    dates = [dict(zip(head, b))["issued_date"] for b in body]
    assert any(isinstance(d, dt.datetime) for d in dates)
    assert all(d is None or isinstance(d, dt.datetime) for d in dates)


# --- chitieu compare --------------------------------------------------------------------------

def test_compare_wraps_instead_of_cutting(plans_run):
    import os

    env_cols = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "60"
    try:
        res = chitieu("compare", str(plans_run))
    finally:
        if env_cols is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = env_cols
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert max(len(ln) for ln in lines) <= 60 and "…" not in res.stdout
    spans, pos = [], 0
    for dashes in lines[1].split("  "):  # the rule under the header gives each column's place
        spans.append((pos, pos + len(dashes)))
        pos += len(dashes) + 2
    columns = [" ".join(" ".join(ln[a:b].strip() for ln in lines[2:]).split()) for a, b in spans]
    assert "Tổng vốn đầu tư toàn xã hội" in columns[0]
    assert "7.080 tỷ đồng (2025)" in columns[3] and "50.000–60.000 tỷ đồng (2030)" in columns[3]
    assert "1.360,67 tỷ đồng (2022)" in columns[3]


@pytest.mark.parametrize("args, wanted", [
    (["--indicator", "total_investmnt"], "total_investment"),
    (["--sector", "helth"], "health"),
    (["--province", "Son La"], None),
    (["--province", "Sơn Lâm"], "Sơn La"),
])
def test_compare_unknown_names_exit_2_with_the_closest(plans_run, args, wanted):
    res = chitieu("compare", str(plans_run), *args)
    if wanted is None:  # a province written without marks is the same province
        assert res.returncode == 0 and "Sơn La" in res.stdout, res.stderr
        return
    assert res.returncode == 2 and res.stdout == ""
    assert wanted in res.stderr and "closest" in res.stderr


def test_compare_csv_and_json_are_typed(plans_run, tmp_path):
    res = chitieu("compare", str(plans_run), "--indicator", "total_investment", "health_insurance_coverage",
                  "--csv", str(tmp_path / "c.csv"), "--json", str(tmp_path / "c.json"))
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(open(tmp_path / "c.csv", encoding="utf-8")))
    assert {r["indicator_id"] for r in rows} == {"total_investment", "health_insurance_coverage"}
    for r in rows:
        float(r["value"]), float(r["value_std"])
        assert r["per_year"] in ("true", "false") and "." not in r["target_year"]
    j = json.loads((tmp_path / "c.json").read_text("utf-8"))
    assert len(j) == len(rows)
    money = [x for x in j if x["province"] == "Hà Giang" and x["indicator_id"] == "total_investment"][0]
    assert money["value"] == 7080 and money["value_std"] == 7.08e12 and money["unit_std"] == "đồng"
    assert money["value_max"] is None and money["per_year"] is False and money["target_year"] == 2025


def test_compare_wide_is_a_province_by_indicator_matrix(plans_run, tmp_path):
    res = chitieu("compare", str(plans_run), "--wide", "--indicator", "total_investment",
                  "health_insurance_coverage")
    assert res.returncode == 0, res.stderr
    head = res.stdout.splitlines()[0].split()
    assert head[:2] == ["province", "plan"] and "health_insurance_coverage" in " ".join(res.stdout.split()[:8])
    for p in ("Hà", "Sơn", "Yên"):
        assert sum(1 for ln in res.stdout.splitlines()[2:] if ln.startswith(p)) == 1, p
    assert chitieu("compare", str(plans_run), "--wide", "--csv", str(tmp_path / "w.csv"),
                   "--json", str(tmp_path / "w.json")).returncode == 0
    rows = list(csv.DictReader(open(tmp_path / "w.csv", encoding="utf-8")))
    col = "total_investment (đồng)"
    assert col in rows[0]
    by = {r["province"]: r for r in rows if r[col]}
    assert by["Hà Giang"][col] == "7080000000000" and by["Sơn La"][col] == "1360668000000"
    j = json.loads((tmp_path / "w.json").read_text("utf-8"))
    assert j["units"]["total_investment"] == "đồng"
    assert any(r["total_investment"] == 7.08e12 and r["target_year"] == 2025 for r in j["rows"])


def _linked(text: str):
    from helpers import document_from_text
    from pipeline.extract import extract
    from pipeline.link import link

    return link(extract(document_from_text(text))).commitments


def test_a_plan_on_one_area_files_its_targets_under_it():
    rows = _linked("ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN\nKẾ HOẠCH\nPhát triển nhà ở xã hội giai đoạn 2026 - 2030\n"
                   "I. MỤC TIÊU\n1. Hoàn thành 3.000 căn hộ cho công nhân các khu công nghiệp đến năm 2030.\n"
                   "2. Dự án khu nhà ở Hòa Vinh có diện tích khoảng 12 ha, hoàn thành năm 2028.\n")
    assert [(r.value, r.sector) for r in rows] == [(3000.0, "housing"), (12.0, "housing")]
    assert rows[1].indicator_id != "crop_area"  # an area in a housing plan is no cultivated area


def test_a_plan_of_many_areas_files_each_target_by_its_words():
    rows = _linked("KẾ HOẠCH\nPhát triển kinh tế - xã hội tỉnh Hà Nam năm 2027\nI. CHỈ TIÊU\n"
                   "1. Số người tham gia bảo hiểm thất nghiệp đạt 120.000 người.\n"
                   "2. Tỷ lệ bao phủ sóng di động 5G tại các khu dân cư đạt 90%.\n")
    assert [(r.value, r.sector) for r in rows] == [(120000.0, "social_insurance"), (90.0, "information")]


def test_public_investment_lines_by_source_of_capital():
    rows = _linked("HỘI ĐỒNG NHÂN DÂN TỈNH HÀ NAM\nNGHỊ QUYẾT\nVề kế hoạch đầu tư công năm 2027\n"
                   "Điều 1. Thông qua kế hoạch đầu tư công năm 2027 như sau:\n"
                   "1. Tổng vốn đầu tư công năm 2027: 4.250.000 triệu đồng, gồm:\n"
                   "a) Vốn cân đối ngân sách địa phương: 2.100.000 triệu đồng;\n"
                   "b) Vốn ngân sách trung ương hỗ trợ: 1.800.000 triệu đồng;\n"
                   "c) Vốn các chương trình mục tiêu quốc gia: 600.000 triệu đồng;\n"
                   "d) Vốn nước ngoài (ODA): 350.000 triệu đồng.\n")
    assert [(r.value, r.indicator_id) for r in rows] == [
        (4250000.0, "public_investment_total"), (2100000.0, "public_investment_local_budget"),
        (1800000.0, "public_investment_central_support"),
        (600000.0, "public_investment_national_target_programmes"), (350000.0, "public_investment_oda")]
    assert {r.sector for r in rows} == {"public_investment"}


def test_a_rate_keeps_its_denominator_and_its_indicator():
    rows = _linked("KẾ HOẠCH\nPhát triển y tế cơ sở năm 2027\nI. MỤC TIÊU\n"
                   "1. Đạt 14 bác sĩ/10.000 dân và 38 giường bệnh/vạn dân.\n")
    assert [(r.value, r.indicator_id, r.value_std, r.unit_std) for r in rows] == [
        (14.0, "doctors_per_10000", 14.0, "count/vạn dân"), (38.0, "hospital_beds_per_10000", 38.0, "count/vạn dân")]


def test_the_drug_control_programme_targets_of_two_provinces_share_their_ids():
    """Every province's plan takes its drug-control targets from the national programme, worded a
    little differently; each target must get the same id in both, and the three kinds of detected
    cases must stay apart. The sentences are my own."""
    a = _linked("KẾ HOẠCH\nPhòng, chống ma túy đến năm 2030\nI. MỤC TIÊU\n"
                "1. Đến năm 2030 có ít nhất 60% số xã, phường trên địa bàn tỉnh không có ma túy.\n"
                "2. Hằng năm, số vụ phạm tội về ma túy bị phát hiện tại tuyến biên giới đường bộ tăng trên 4%; "
                "số vụ về ma túy có tổ chức xuyên quốc gia bị phát hiện tăng trên 4%; "
                "số vụ về ma túy trên không gian mạng bị phát hiện tăng trên 6%.\n"
                "3. Trên 75% xã có người nghiện bố trí điểm tiếp nhận, tư vấn cai nghiện ma túy.\n")
    b = _linked("KẾ HOẠCH\nThực hiện Chương trình phòng, chống ma túy giai đoạn 2026 - 2030\nII. CHỈ TIÊU\n"
                "- Phấn đấu 55% đơn vị hành chính cấp xã không ma túy vào năm 2030.\n"
                "- Trên 70% phường, xã có điểm tiếp nhận người cai nghiện ma túy tự nguyện.\n")
    assert [r.indicator_id for r in a] == ["drug_free_communes", "drug_cases_detected_growth",
                                           "transnational_drug_cases_detected_growth",
                                           "cyber_drug_cases_detected_growth", "communes_rehab_reception_points"]
    assert [r.indicator_id for r in b] == ["drug_free_communes", "communes_rehab_reception_points"]
    assert {r.sector for r in a + b} == {"drug_control"}
