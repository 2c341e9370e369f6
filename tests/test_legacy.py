"""TCVN3 (ABC) and VNI text, from bytes, from text pasted as Latin-1, and from fonts in DOCX and PDF.

The fixtures in tests/data/legacy/ were typed by hand from the code charts and checked with
converters that are not this project's (see expected.yaml there)."""
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import SAMPLE_003
from legacy_files import docx_with_fonts, pdf_with_fonts
from pipeline.ingest import ingest
from pipeline.normalise import normalise
from pipeline.record import Document
from pipeline.run import Input, process
from pipeline.vietnamese.legacy import detect, font_encoding, tables, to_unicode

DATA = Path(__file__).parent / "data" / "legacy"
EXPECTED = yaml.safe_load((DATA / "expected.yaml").read_text(encoding="utf-8"))
TCVN3 = (DATA / "tcvn3.txt").read_bytes()
VNI = (DATA / "vni.txt").read_bytes()


def words(text: str) -> list[str]:
    return text.split()


def normalised_file(tmp_path, name: str, data: bytes) -> Document:
    p = tmp_path / name
    p.write_bytes(data)
    return normalise(ingest(Document(path=str(p), doc_id=p.stem)))


def test_tcvn3_table_agrees_with_glibc():
    """Every byte of the table reads as glibc's TCVN5712-1 converter reads it."""
    for char, letter in tables()["tcvn3"].items():
        byte = char.encode("cp1252")
        got = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=byte,
                             capture_output=True, check=True).stdout.decode("utf-8")
        assert got == letter, f"byte {byte.hex()}: table {letter!r}, glibc {got!r}"


@pytest.mark.parametrize("name,data", [("tcvn3", TCVN3), ("vni", VNI)])
def test_legacy_byte_files(tmp_path, name, data):
    doc = normalised_file(tmp_path, f"{name}.txt", data)
    assert doc.encoding == name
    assert doc.text_condition == f"legacy-{name}"
    assert words(doc.text) == words(EXPECTED[name])
    # offsets still point at the bytes as they were: the quoted source is the legacy text
    i = doc.text.index("Thương binh")
    assert doc.source_of(i, i + len("Thương binh")) == data.decode("cp1252")[
        doc.offsets[i]: doc.offsets[i + len("Thương binh") - 1] + 1]
    assert doc.source_of(i, i + 3) != "Thư"


@pytest.mark.parametrize("name,data", [("tcvn3", TCVN3), ("vni", VNI)])
def test_legacy_text_pasted_into_utf8(tmp_path, name, data):
    """Text copied out of a legacy-font document into a UTF-8 file keeps the Latin-1 look-alikes."""
    doc = normalised_file(tmp_path, f"{name}-utf8.txt", data.decode("cp1252").encode("utf-8"))
    assert doc.encoding == "utf-8"
    assert doc.text_condition == f"legacy-{name}"
    assert words(doc.text) == words(EXPECTED[name])


def test_mixed_document_converts_only_its_legacy_lines():
    unicode_lines = "Tỉnh Lai Châu: giải quyết việc làm cho 8.500 lao động mỗi năm.\n"
    text = unicode_lines + TCVN3.decode("cp1252") + unicode_lines
    out, offs, enc, share = to_unicode(text)
    assert enc == "tcvn3" and 0.2 < share < 0.8
    assert words(out) == words(unicode_lines + EXPECTED["tcvn3"] + "\n" + unicode_lines)
    assert len(offs) == len(out)


def test_a_document_pasted_together_is_mixed(tmp_path):
    unicode_lines = "Tỉnh Lai Châu: giải quyết việc làm cho 8.500 lao động mỗi năm, đào tạo nghề cho 8.000 người.\n"
    doc = normalised_file(tmp_path, "pasted.txt", (unicode_lines * 2 + TCVN3.decode("cp1252")).encode("utf-8"))
    assert doc.text_condition == "mixed"
    assert "Thương binh và Xã hội" in doc.text and "8.500 lao động" in doc.text


def test_clean_unicode_is_not_taken_for_a_legacy_encoding():
    text = SAMPLE_003.read_text(encoding="utf-8")
    assert detect(text) == ""
    # Latin-1 letters that are also Vietnamese (à á â ã è é ê ì í ò ó ô õ ù ú ý) stay as they are
    line = "Bảo đảm ổn định, hòa bình; chú ý các chỉ tiêu về y tế, giáo dục, môi trường và việc làm."
    assert to_unicode(line * 3)[:3] == (line * 3, list(range(len(line * 3))), "")


def test_cp1258_is_not_taken_for_tcvn3_or_vni(tmp_path):
    from test_ingest_normalise import to_cp1258

    doc = normalised_file(tmp_path, "cp1258.txt", to_cp1258(EXPECTED["tcvn3"]))
    assert doc.encoding == "cp1258"
    assert words(doc.text) == words(EXPECTED["tcvn3"])


@pytest.mark.parametrize("font,expected", [
    (".VnTime", ("tcvn3", False)), (".VnTimeH", ("tcvn3", True)), ("ABCDEF+.VnArialH,Bold", ("tcvn3", True)),
    ("VnTime-Bold", ("tcvn3", False)), ("VNI-Times", ("vni", False)), ("VNI-Helve-Bold", ("vni", False)),
    ("Times New Roman", ("", False)), ("DejaVuSans", ("", False))])
def test_font_names(font, expected):
    assert font_encoding(font) == expected


def test_docx_runs_are_read_by_their_font(tmp_path):
    tc = TCVN3.decode("cp1252").splitlines()
    vn = VNI.decode("cp1252").splitlines()
    data = docx_with_fonts([
        [(tc[0], ".VnTimeH")],                                   # an H font: drawn upper case
        [("Tỉnh Đồng Tháp: ", "Times New Roman"), (tc[2], ".VnTime")],
        [(vn[2], "VNI-Times")],
    ])
    doc = normalised_file(tmp_path, "legacy.docx", data)
    assert doc.encoding == "tcvn3+vni"
    assert doc.text_condition == "legacy-tcvn3"
    lines = doc.text.split("\n")
    target = EXPECTED["tcvn3"].splitlines()[2]
    assert lines == ["CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Tỉnh Đồng Tháp: " + target, target]


def test_pdf_glyphs_are_read_by_their_font(tmp_path):
    tc = TCVN3.split(b"\r\n")
    vn = VNI.split(b"\r\n")
    # the plain line stands inside the page: first or last, `Trang 1` would be a running page number
    data = pdf_with_fonts([(".VnTimeH", tc[0]), (".VnTime", tc[1]), (".VnTime", tc[2]), ("Helvetica", b"Trang 1"),
                           ("VNI-Times", vn[1]), ("VNI-Times", vn[2])])
    doc = normalised_file(tmp_path, "legacy.pdf", data)
    assert doc.format == "pdf-text"
    assert doc.encoding == "tcvn3"
    exp_t, exp_v = EXPECTED["tcvn3"].splitlines(), EXPECTED["vni"].splitlines()
    assert words(doc.text) == words(" ".join([exp_t[0].upper(), *exp_t[1:], "Trang 1", *exp_v[1:]]))


def test_targets_come_out_of_a_tcvn3_file(tmp_path):
    p = tmp_path / "kh-tcvn3.txt"
    p.write_bytes(TCVN3)
    result = process(Input(path=p, doc_id="kh-tcvn3"))
    rows = result["commitments"]
    assert [(r["value"], r["unit"], r["per_year"]) for r in rows] == [(1.5, "%", True)]
    assert "Phấn đấu đến năm 2025, tỷ lệ hộ nghèo giảm bình quân 1,5%/năm" in rows[0]["sentence"]
