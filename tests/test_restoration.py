"""Diacritic restoration and OCR repair: on sentences written here, on sample 000, and the model build."""
import hashlib
import json
import shutil
import subprocess
import sys

import pytest

from conftest import CORPUS, ROOT, chitieu, score
from helpers import document_from_text
from pipeline.vietnamese.restore import load_restorer, model_dir
from pipeline.vietnamese.syllables import canonical, inventory

DOC_000 = "000_cfea897aaf665822"


def restored(text: str, ocr: bool) -> str:
    r = load_restorer()
    for c in reversed(r.restore(text, ocr)):
        text = text[:c.start] + c.text + text[c.end:]
    return text


def test_the_model_is_built():
    assert (model_dir() / "restore.npz").exists(), "run `make model` (make setup builds it)"


def test_inventory_follows_spelling_rules():
    inv = inventory()
    assert 12000 < len(inv) < 25000
    for s in ("người", "được", "nghiệp", "quốc", "giữa", "khuya", "thủy", "hóa", "gì", "thuở"):
        assert s in inv, s
    for s in ("ká", "ghá", "ngé", "cép", "àp", "ảc"):  # k/gh/ngh before front vowels only; p/t/c/ch take sắc/nặng
        assert s not in inv, s
    assert canonical("hoà") == "hòa" and canonical("thuỷ") == "thủy" and canonical("Uỷ") == "Ủy"


@pytest.mark.parametrize("ascii_text,expected", [
    ("Tang cuong cong tac tuyen truyen ve bao hiem y te cho nguoi dan",
     "Tăng cường công tác tuyên truyền về bảo hiểm y tế cho người dân"),
    ("Phan dau giam ty le ho ngheo binh quan 3%/nam",
     "Phấn đấu giảm tỷ lệ hộ nghèo bình quân 3%/năm"),
    ("Uy ban nhan dan tinh ban hanh ke hoach thuc hien nghi quyet",
     "Ủy ban nhân dân tỉnh ban hành kế hoạch thực hiện nghị quyết"),
])
def test_stripped_text_is_restored(ascii_text, expected):
    assert restored(ascii_text, ocr=False) == expected


@pytest.mark.parametrize("ocr_text,expected", [
    ("S6: 767 /KH-UBND", "Số: 767 /KH-UBND"),
    ("Trién khai thuc hién Két luan s6 92-KL/TW ngay 05/11/2020", "Triển khai thực hiện Kết luận số 92-KL/TW ngày 05/11/2020"),
    ("chinh sach an sinh x4 hoi cho ngudi dan", "chính sách an sinh xã hội cho người dân"),
    ("111. GIAI PHAP", "III. GIẢI PHÁP"),
])
def test_english_model_ocr_is_repaired(ocr_text, expected):
    assert restored(ocr_text, ocr=True) == expected


@pytest.mark.parametrize("ascii_text,expected,also_as_ocr", [
    # the commas are context: between `sở` and `ngành` it is `ban`, not the far commoner `bản`
    ("Yeu cau cac so, ban, nganh, doan the, dia phuong", "Yêu cầu các sở, ban, ngành, đoàn thể, địa phương", True),
    ("binh quan 21.000 nguoi/nam", "bình quân 21.000 người/năm", False),
    # list items keep their letters: a lone consonant is no damaged syllable
    ("theo diem a, b, c khoan 1 Dieu 5", "theo điểm a, b, c khoản 1 Điều 5", True),
])
def test_punctuation_and_list_letters_are_context(ascii_text, expected, also_as_ocr):
    assert restored(ascii_text, ocr=False) == expected
    if also_as_ocr:
        assert restored(ascii_text, ocr=True) == expected


def test_the_channel_picked_for_a_text_reads_its_ocr():
    """English-model OCR of text set in a Times-like face (Liberation Serif 2) and in DejaVu Serif: the
    channel the restorer picks from the text reads it at least as well as the other family's, and
    restores more than nine words in ten. (Since the Liberation channel is learnt from renders with
    Vietnamese letters, the two families' channels read both faces about equally well, so the pick
    matters less than it did; what matters is that it is never the worse one.)"""
    from pipeline.vietnamese.training.render import ocr_lines

    lines = ["Phấn đấu đến năm 2025, tỷ lệ hộ nghèo giảm bình quân 1,5%/năm; giải quyết việc làm",
             "cho 8.500 lao động, đào tạo nghề cho 8.000 người; Sở Lao động - Thương binh và Xã hội",
             "chủ trì, phối hợp với các sở, ban, ngành, Ủy ban nhân dân các huyện, thành phố thực hiện."]
    gold = " ".join(lines).split()
    r = load_restorer()
    assert set(r.channels.groups) == {"liberation", "dejavu"}
    for face in ("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
                 "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"):
        ocr = " ".join(ocr_lines(lines, face, 42, 1))

        def right(group):
            text = ocr
            for c in reversed(r.restore(ocr, True, group)):
                text = text[:c.start] + c.text + text[c.end:]
            return sum(a == b for a, b in zip(text.split(), gold))

        picked = r.channels.pick(ocr)
        assert right(picked) == max(right(g) for g in r.channels.groups), (face, picked)
        assert right(picked) > 0.9 * len(gold), (face, ocr)


def test_numbers_codes_and_acronyms_never_change():
    text = "dat 8.000 nguoi, 62,8%, 1.200,5 ha theo 92-KL/TW, 767/KH-UBND ngay 05/11/2020 cua UBND va HIV/AIDS (khoa XI)"
    out = restored(text, ocr=True)
    for token in ("8.000", "62,8%", "1.200,5", "92-KL/TW", "767/KH-UBND", "05/11/2020", "UBND", "HIV/AIDS", "XI"):
        assert token in out, token


def test_clean_documents_are_not_restored():
    doc = document_from_text("Tỷ lệ hộ nghèo giảm bình quân 1,5%/năm; tin học hóa các hoạt động tại xã Tân Lập.")
    assert doc.text_condition == "clean" and doc.restored_spans == [] and doc.model_id == ""


def test_stripped_paragraphs_of_a_clean_document_are_restored():
    """A plan whose body was pasted from an ASCII file: the body is restored, the clean header and
    an English paragraph are left as they are, and the document is `mixed`."""
    header = ("ỦY BAN NHÂN DÂN TỈNH LAI CHÂU\nKế hoạch thực hiện chính sách an sinh xã hội giai đoạn "
              "2021 - 2025 của tỉnh Lai Châu, ban hành kèm theo quyết định của Ủy ban nhân dân tỉnh.")
    english = "The plan is available in English at the provincial portal for all readers and partners."
    body = "Phan dau den nam 2025, ty le bao phu bao hiem y te toan dan dat 98%."
    doc = document_from_text("\n".join([header, body, english]))
    assert doc.text_condition == "mixed"
    assert doc.text.split("\n") == [*header.split("\n"),
                                     "Phấn đấu đến năm 2025, tỷ lệ bao phủ bảo hiểm y tế toàn dân đạt 98%.", english]
    assert 0 < doc.restored_share < 0.5


def test_stripped_document_is_restored_with_offsets_to_the_raw_text():
    raw = "Phan dau den nam 2025, ty le bao phu bao hiem y te\ntoan dan la 98%."
    doc = document_from_text(raw)
    assert doc.text_condition == "stripped"
    assert doc.text == "Phấn đấu đến năm 2025, tỷ lệ bao phủ bảo hiểm y tế toàn dân là 98%."
    i = doc.text.index("toàn")
    assert doc.source_of(i, i + 4) == "toan"
    assert doc.restored_share > 0.5 and doc.model_id.startswith("restore-")


def test_adaptation_learns_the_register_of_an_archive(tmp_path):
    """The base model, trained on legal codes, reads `doi tuong thu huong` as `đối tượng thư
    hương`; an archive's clean plans teach it `thụ hưởng` (beneficiaries), and the adapted model has
    a new id."""
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "plan.txt").write_text(
        "Mở rộng đối tượng thụ hưởng chính sách trợ giúp xã hội; các đối tượng thụ hưởng được hỗ trợ "
        "kịp thời. Khuyến khích các đối tượng thụ hưởng nỗ lực vươn lên.\n" * 3, encoding="utf-8")
    (archive / "scan.txt").write_text("doi tuong thu huong", encoding="utf-8")  # damaged: not used to adapt
    assert restored("doi tuong thu huong", ocr=False) != "đối tượng thụ hưởng"
    out = tmp_path / "adapted"
    res = chitieu("model", "adapt", str(archive), "--base", str(model_dir()), "--out", str(out))
    assert res.returncode == 0, res.stderr
    from pipeline.vietnamese.restore import Restorer

    adapted = Restorer(out / "restore.npz")
    assert adapted.model_id != load_restorer().model_id
    assert adapted.lmb is not None  # both models learnt the archive
    text = "doi tuong thu huong"
    for c in reversed(adapted.restore(text, False)):
        text = text[:c.start] + c.text + text[c.end:]
    assert text == "đối tượng thụ hưởng"


def test_sample_000_alone_reaches_the_acceptance_figures(tmp_path):
    out = tmp_path / "o000"
    res = chitieu("extract", str(CORPUS / f"{DOC_000}.txt"), "--out", str(out), "--quiet")
    assert res.returncode == 0, res.stderr
    d = score(out, DOC_000)["documents"][DOC_000]
    assert d["recall"] >= 0.90, d["missed"]
    assert d["precision"] >= 0.90, d["extra"]
    assert all(d["metadata"].values()), d["metadata"]
    import csv

    rows = list(csv.DictReader(open(out / "documents.csv", encoding="utf-8")))
    assert rows[0]["text_condition"] == "ocr-damaged" and rows[0]["model_id"].startswith("restore-")
    commitments = list(csv.DictReader(open(out / "commitments.csv", encoding="utf-8")))
    assert all(r["restored"] == "true" for r in commitments)
    assert all(r["source_text"] != r["sentence"] for r in commitments)


def test_model_rebuilds_bit_for_bit(tmp_path):
    """`make model` on the same sources writes the same bytes."""
    built = model_dir() / "restore.npz"
    shutil.copytree(model_dir() / "sources", tmp_path / "sources")
    pages = json.loads((model_dir() / "manifest.json").read_text("utf-8"))["pages"]
    subprocess.run([sys.executable, "-m", "pipeline.vietnamese.training.build", "--out", str(tmp_path), "--pages", str(pages)],
                   check=True, capture_output=True, cwd=ROOT)
    digest = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()  # noqa: E731
    assert digest(tmp_path / "restore.npz") == digest(built)


def test_technology_names_and_units_do_not_make_stripped_text_look_ocr_damaged():
    from pipeline.normalise import text_condition

    text = ("Phat trien mang 5G va 3G/4G tai cac khu cong nghiep, dien tich 120 m2 moi tram; "
            "phan dau den nam 2030 co 95% doanh nghiep su dung dich vu so. ") * 3
    assert text_condition(text) == "stripped"
    assert text_condition("S6: 12/KH-UBND ngay 5 thang 3 nam 2026, t9 16 h6 ngheo giam con 2%") == "ocr-damaged"


def test_a_unit_restored_with_a_wrong_mark_is_still_that_unit():
    from helpers import targets_of

    rows = targets_of("Tong kinh phi thuc hien de an: 12.500.000.000d; von ngan sach tinh 830 trieu dong.", 2026)
    assert [(r.value, r.unit_kind) for r in rows] == [(12500000000.0, "money"), (830.0, "money")]


def test_the_model_learns_a_frozen_phrase_list(monkeypatch):
    """Editing an indicator changes extraction at once but not the restoration model: the build
    reads the phrase list frozen by `make phrases`, not extractors/data."""
    from extractors import lexicon
    from pipeline.vietnamese.training import corpus

    frozen = corpus.frozen_phrases()
    assert frozen == sorted(set(frozen)) and len(frozen) > 10000
    assert {"tỉnh Lâm Đồng", "huyện An Lão", "tổng số: 643.780 triệu đồng"} <= set(frozen)
    real = lexicon.load
    monkeypatch.setattr(lexicon, "load", lambda name: [] if name == "indicators" else real(name))
    assert corpus.frozen_phrases() == frozen
    source = (ROOT / "pipeline" / "vietnamese" / "training" / "build.py").read_text("utf-8")
    assert "frozen_phrases()" in source and "gazetteer_phrases()" not in source
