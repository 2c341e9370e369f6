"""The CLI on the sample corpus, judged by the acceptance scorer's figures."""
import csv
import filecmp
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from conftest import ACCEPTANCE, CORPUS, chitieu, score

DOC_003 = "003_5de3a5a80230590c"


def read(out: Path, name: str) -> list[dict]:
    with open(out / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_sample_003_meets_the_acceptance_figures(corpus_run):
    s = score(corpus_run, DOC_003)
    d = s["documents"][DOC_003]
    assert d["recall"] >= 0.95, d["missed"]
    assert d["precision"] >= 0.95, d["extra"]
    assert d["comparator"] >= 0.95
    assert d["agencies"] == "13/13"
    assert s["summary"]["agency_precision"] >= 0.9
    assert d["metadata"] == {"province": True, "doc_type": True, "signer": True, "period": True}
    assert d["legal_basis"] == "3/3"


def test_lead_agency_has_role_lead(corpus_run):
    gold = json.loads((ACCEPTANCE / "seed_targets.json").read_text("utf-8"))["documents"][DOC_003]
    rows = {r["agency"]: r for r in read(corpus_run, "agencies") if r["doc_id"] == DOC_003}
    assert rows[gold["lead_agency"]]["role"] == "lead"


def test_every_file_of_the_spec_is_written(corpus_run):
    for name in ("commitments.csv", "commitments.parquet", "documents.csv", "pages.csv", "agencies.csv",
                 "errors.csv", "comparison.csv", "chitieu.duckdb", "report.html", "run.json"):
        assert (corpus_run / name).is_file(), name
    assert not (corpus_run / ".staging").exists()
    assert {p.name for p in (corpus_run / "text").iterdir()} == {f.stem + ".txt" for f in CORPUS.iterdir()}


def test_offsets_point_into_the_normalised_text(corpus_run):
    rows = read(corpus_run, "commitments")
    assert rows
    for r in rows:
        text = (corpus_run / "text" / f"{r['doc_id']}.txt").read_text(encoding="utf-8")
        assert text[int(r["char_start"]):int(r["char_end"])] == r["sentence"]
        assert len(r["sentence"]) <= 600


def test_commitment_ids_count_rows_in_output_order(corpus_run):
    rows = read(corpus_run, "commitments")
    by_doc = {}
    for r in rows:
        by_doc.setdefault(r["doc_id"], []).append(r)
    for doc_id, rs in by_doc.items():
        assert [r["commitment_id"] for r in rs] == [f"{doc_id}#{n}" for n in range(1, len(rs) + 1)]
        keys = [(int(r["char_start"]), float(r["value"])) for r in rs]
        assert keys == sorted(keys)


def test_parquet_and_duckdb_hold_exactly_the_csv_rows(corpus_run):
    from pipeline.write import TABLES, cell

    con = duckdb.connect(str(corpus_run / "chitieu.duckdb"), read_only=True)
    for name in ("commitments", "documents", "agencies", "pages"):
        cols = TABLES[name]
        csv_rows = [tuple(r[c] for c, _ in cols) for r in read(corpus_run, name)]
        db_rows = [tuple(cell(v, k) for v, (_, k) in zip(row, cols))
                   for row in con.execute(f"SELECT * FROM {name}").fetchall()]
        assert db_rows == csv_rows, name
        table = pq.read_table(corpus_run / f"{name}.parquet").to_pylist()
        pq_rows = [tuple(cell(r[c], k) for c, k in cols) for r in table]
        assert pq_rows == csv_rows, name
    view = con.execute("SELECT commitment_id FROM comparison ORDER BY commitment_id").fetchall()
    assert sorted(r["commitment_id"] for r in read(corpus_run, "comparison")) == [v[0] for v in view]


def test_csv_format_rules(corpus_run):
    raw = (corpus_run / "commitments.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    for r in read(corpus_run, "commitments"):
        assert r["per_year"] in ("true", "false")
        assert not r["target_year"].endswith(".0")
        assert not r["value"].endswith(".0")


def test_rerun_is_byte_identical(corpus_run, tmp_path):
    out = tmp_path / "again"
    assert chitieu("extract", str(CORPUS), "--out", str(out), "--quiet").returncode == 0
    for name in ("commitments.csv", "documents.csv", "agencies.csv", "comparison.csv", "pages.csv"):
        assert (out / name).read_bytes() == (corpus_run / name).read_bytes(), name
    cmp = filecmp.dircmp(out / "text", corpus_run / "text")
    assert not cmp.diff_files and not cmp.left_only and not cmp.right_only


def test_pdf_and_docx_reach_the_same_gold(variant_runs):
    for kind, out in variant_runs.items():
        d = score(out, DOC_003)["documents"][DOC_003]
        assert d["recall"] >= 0.95 and d["precision"] >= 0.95, (kind, d["missed"], d["extra"])
        assert d["agencies"] == "13/13", kind
        assert d["metadata"]["province"] and d["metadata"]["signer"], kind
    pages = read(variant_runs["pdf"], "pages")
    assert len(pages) >= 2 and all(p["source"] == "text-layer" for p in pages)
    used = {int(r["page"]) for r in read(variant_runs["pdf"], "commitments")}
    assert len(used) >= 2 and used <= set(range(1, len(pages) + 1))


def test_acceptance_copy_equals_shared():
    shared = Path(__file__).resolve().parents[2] / "shared" / "acceptance"
    if not shared.exists():
        shared = Path(__file__).resolve().parents[1].parent / "shared" / "acceptance"
    if shared.exists():
        for f in shared.iterdir():
            assert (ACCEPTANCE / f.name).read_bytes() == f.read_bytes(), f.name


def test_help_teaches_the_commands():
    res = chitieu("--help")
    assert res.returncode == 0 and "extract" in res.stdout and "normalize" in res.stdout
    res = chitieu("extract", "--help")
    assert "--out" in res.stdout


def fill_table(d, rows: list[list[str | None]]):
    """A Word table of `rows` in document `d`; a row `[label, None, …]` is one cell merged across."""
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, cells in enumerate(rows):
        if cells[1] is None:
            table.cell(r, 0).merge(table.cell(r, len(cells) - 1)).text = cells[0]
            continue
        for c, v in enumerate(cells):
            table.cell(r, c).text = v


def extract_docx(tmp_path: Path, d, name: str) -> Path:
    """`chitieu extract` on document `d` saved alone in a folder; the output folder."""
    src = tmp_path / "in"
    src.mkdir()
    d.save(src / name)
    out = tmp_path / "out"
    assert chitieu("extract", str(src), "--out", str(out), "--quiet").returncode == 0
    return out


def test_target_table_in_docx_gives_one_row_per_value(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("ỦY BAN NHÂN DÂN")
    d.add_paragraph("TỈNH NGHỆ AN")
    d.add_paragraph("Số: 12/KH-UBND")
    d.add_paragraph("Nghệ An, ngày 10 tháng 3 năm 2021")
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("Phát triển kinh tế - xã hội giai đoạn 2021 - 2025")
    d.add_paragraph("II. CHỈ TIÊU CHỦ YẾU")
    fill_table(d, [["TT", "Chỉ tiêu", "Đơn vị", "Năm 2023", "Năm 2025"],
                   ["1", "Tỷ lệ che phủ rừng", "%", "57", "58,5"],
                   ["2", "Tỷ lệ hộ nghèo", "%", "3,5", "2"],
                   ["3", "Số xã đạt chuẩn nông thôn mới", "xã", "280", "300"]])
    out = extract_docx(tmp_path, d, "table.docx")
    rows = [(r["indicator_id"], r["value"], r["unit"], r["target_year"]) for r in read(out, "commitments")]
    assert sorted(rows) == sorted([
        ("forest_cover", "57", "%", "2023"), ("forest_cover", "58.5", "%", "2025"),
        ("poverty_rate", "3.5", "%", "2023"), ("poverty_rate", "2", "%", "2025"),
        ("new_rural_communes", "280", "xã", "2023"), ("new_rural_communes", "300", "xã", "2025")])


def test_a_task_table_with_group_rows_names_each_targets_lead(tmp_path):
    """A plan states its targets, then assigns them in a table whose groups are labelled by rows
    merged across (`I. Y tế`): every row of every group is read under the table's header, and a
    target answers to the body its row names as lead (chủ trì), in the table and where the body
    states it in the same words (not its sector's other bodies); a target no row assigns answers to
    its sector's bodies."""
    import docx

    d = docx.Document()
    for line in ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG TRỊ", "Số: 45/KH-UBND", "Quảng Trị, ngày 2 tháng 4 năm 2026",
                 "KẾ HOẠCH", "Chăm lo sức khỏe và học tập giai đoạn 2026 - 2030", "I. MỤC TIÊU",
                 "- Tỷ lệ trạm y tế xã có bác sĩ làm việc đạt 95%.",
                 "- Tỷ lệ học sinh tiểu học học hai buổi mỗi ngày đạt 90%.",
                 "- Số giường bệnh trên một vạn dân đạt 32 giường.",
                 "II. PHÂN CÔNG"]:
        d.add_paragraph(line)
    fill_table(d, [["TT", "Chỉ tiêu", "Cơ quan chủ trì"],
                   ["I. Y tế", None, None],
                   ["1", "Tỷ lệ trạm y tế xã có bác sĩ làm việc đạt 95%.", "Sở Nội vụ"],
                   ["II. Giáo dục", None, None],
                   ["1", "Tỷ lệ học sinh tiểu học học hai buổi mỗi ngày đạt 90%.", "Sở Giáo dục và Đào tạo"],
                   ["2", "Tỷ lệ trường đạt chuẩn quốc gia đạt 80%.", "Ủy ban nhân dân cấp xã"]])
    out = extract_docx(tmp_path, d, "plan.docx")
    leads: dict[str, set] = {}
    for r in read(out, "commitments"):
        leads.setdefault(r["value"], set()).add(r["responsible_agencies"])
    assert leads["95"] == {"Sở Nội vụ"}  # in the table and where the body states it
    assert leads["90"] == {"Sở Giáo dục và Đào tạo"}
    assert len(leads["80"]) == 1 and "xã" in next(iter(leads["80"]))  # a group's second row
    assert leads["32"] and "" not in leads["32"]  # no row names it: its sector's bodies


def test_target_table_in_a_pdf_gives_one_row_per_value(tmp_path):
    from conftest import lines_pdf

    pdf = lines_pdf(("ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN", "Số: 12/KH-UBND", "Nghệ An, ngày 10 tháng 3 năm 2021", "",
                     "KẾ HOẠCH", "Phát triển kinh tế - xã hội giai đoạn 2021 - 2025", "", "II. CHỈ TIÊU CHỦ YẾU"))
    with pdf.table(col_widths=(10, 80, 20, 25, 25), first_row_as_headings=False) as table:
        for cells in (["TT", "Chỉ tiêu", "Đơn vị", "Năm 2023", "Năm 2025"],
                      ["1", "Tỷ lệ che phủ rừng", "%", "57", "58,5"],
                      ["2", "Tỷ lệ hộ nghèo", "%", "3,5", "2"],
                      ["3", "Số xã đạt chuẩn nông thôn mới", "xã", "280", "300"]):
            row = table.row()
            for c in cells:
                row.cell(c)
    pdf.ln(5)
    pdf.multi_cell(0, 7, "III. TỔ CHỨC THỰC HIỆN")
    src = tmp_path / "in"
    src.mkdir()
    pdf.output(str(src / "table.pdf"))
    out = tmp_path / "out"
    assert chitieu("extract", str(src), "--out", str(out), "--quiet").returncode == 0
    rows = [(r["indicator_id"], r["value"], r["unit"], r["target_year"], r["page"]) for r in read(out, "commitments")]
    assert sorted(rows) == sorted([
        ("forest_cover", "57", "%", "2023", "1"), ("forest_cover", "58.5", "%", "2025", "1"),
        ("poverty_rate", "3.5", "%", "2023", "1"), ("poverty_rate", "2", "%", "2025", "1"),
        ("new_rural_communes", "280", "xã", "2023", "1"), ("new_rural_communes", "300", "xã", "2025", "1")])
