"""Archive-adaptive restoration in `chitieu extract`: the run's clean plans teach the model before
its damaged documents are restored (`pipeline/vietnamese/adaptation.py`)."""
import csv
import hashlib
import json

from conftest import chitieu

CLEAN = """KẾ HOẠCH
Phát triển sản xuất lúa gạo giai đoạn 2026 - 2030
I. MỤC TIÊU
1. Đưa các giống lúa thuần ngắn ngày vào sản xuất trên toàn bộ diện tích lúa của tỉnh.
2. Mở rộng diện tích gieo cấy giống lúa thuần ngắn ngày chất lượng cao đạt 12.000 ha.
3. Hỗ trợ nông dân chuyển đổi sang giống lúa thuần ngắn ngày, giảm chi phí sản xuất.
II. NHIỆM VỤ VÀ GIẢI PHÁP
1. Sở Nông nghiệp và Môi trường chủ trì, phối hợp với các địa phương xây dựng vùng sản xuất tập trung.
2. Các xã, phường tổ chức tập huấn kỹ thuật canh tác cho nông dân; hướng dẫn sử dụng phân bón hợp lý.
3. Khuyến khích hợp tác xã liên kết với doanh nghiệp bao tiêu sản phẩm cho nông dân trồng lúa.
4. Tăng cường ứng dụng cơ giới hóa trong khâu làm đất, gieo cấy, thu hoạch và sau thu hoạch.
5. Xây dựng và nhân rộng mô hình cánh đồng lớn gắn với giống lúa thuần ngắn ngày.
III. TỔ CHỨC THỰC HIỆN
Ủy ban nhân dân các huyện căn cứ kế hoạch này xây dựng kế hoạch chi tiết, báo cáo kết quả thực hiện
hằng năm về Sở Nông nghiệp và Môi trường để tổng hợp, báo cáo Ủy ban nhân dân tỉnh.
"""
STRIPPED = """KE HOACH
Trien khai mo hinh san xuat nam 2027
Phan dau den nam 2027, dien tich gieo cay giong lua thuan ngan ngay dat 8.000 ha.
Cac xa to chuc tap huan ky thuat cho nong dan ve giong lua thuan ngan ngay va phan bon.
"""


def _run(tmp_path, name, *extra):
    src = tmp_path / "in"
    if not src.exists():
        src.mkdir()
        (src / "a_clean.txt").write_text(CLEAN * 3, encoding="utf-8")
        (src / "b_stripped.txt").write_text(STRIPPED, encoding="utf-8")
    out = tmp_path / name
    res = chitieu("extract", str(src), "--out", str(out), "--quiet", *extra)
    assert res.returncode == 0, res.stderr
    docs = {r["doc_id"]: r for r in csv.DictReader(open(out / "documents.csv", encoding="utf-8"))}
    return out, docs, (out / "text" / "b_stripped.txt").read_text("utf-8")


def test_the_runs_clean_plans_teach_the_model_before_damaged_ones_are_restored(tmp_path):
    out, docs, text = _run(tmp_path, "adapted", "-j", "2")
    plain_out, plain_docs, plain_text = _run(tmp_path, "plain", "--no-adapt")
    assert "giống lúa thuần ngắn ngày" in text
    assert "giống lúa thuần ngắn ngày" not in plain_text
    info = json.loads((out / "run.json").read_text("utf-8"))["adapted_model"]
    assert docs["b_stripped"]["model_id"] == info["model_id"] != info["base"] == plain_docs["b_stripped"]["model_id"]
    assert info["documents"] == [docs["a_clean"]["sha256"]] and info["restored_with_it"] == 1
    assert "adapted_model" not in json.loads((plain_out / "run.json").read_text("utf-8"))
    # the same inputs give the same bytes whatever the number of workers
    one, _, _ = _run(tmp_path, "one", "-j", "1")
    for name in ("commitments.csv", "documents.csv", "agencies.csv"):
        assert (one / name).read_bytes() == (out / name).read_bytes(), name


def test_clean_plans_of_an_earlier_run_into_the_same_folder_teach_a_later_one(tmp_path):
    """A researcher extracts a province's clean plans, then adds its stripped copies to the same output
    folder: the second run has no clean plan of its own, yet restores with what the first one read."""
    first, second = tmp_path / "clean", tmp_path / "damaged"
    first.mkdir()
    second.mkdir()
    (first / "a_clean.txt").write_text(CLEAN * 3, encoding="utf-8")
    (second / "b_stripped.txt").write_text(STRIPPED, encoding="utf-8")
    out, alone = tmp_path / "out", tmp_path / "alone"
    for src, dest in ((first, out), (second, out), (second, alone)):
        res = chitieu("extract", str(src), "--out", str(dest), "--quiet")
        assert res.returncode == 0, res.stderr
    assert "giống lúa thuần ngắn ngày" in (out / "text" / "b_stripped.txt").read_text("utf-8")
    assert "giống lúa thuần ngắn ngày" not in (alone / "text" / "b_stripped.txt").read_text("utf-8")
    info = json.loads((out / "run.json").read_text("utf-8"))["adapted_model"]
    clean_sha = hashlib.sha256((first / "a_clean.txt").read_bytes()).hexdigest()
    assert info["documents"] == [clean_sha] and info["restored_with_it"] == 1
