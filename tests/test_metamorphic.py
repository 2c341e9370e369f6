"""Sample 003 rewritten with new numbers, years, province and issuer gives exactly the rewritten rows."""
import json
import re

import pytest

from conftest import GOLD, SAMPLE_003
from pipeline.run import Input, process

# printed form in 003 → rewritten form (another Vietnamese notation where possible), new value(s)
REWRITES = [
    ("160.000 lao động", "172.500 lao động", 172500), ("32.000 người", "34.500 người", 34500),
    ("105.000 người", "110.250 người", 110250), ("21.000 người", "22.050 người", 22050),
    ("11.000 người", "12.100 người", 12100), ("2.200 người", "2.420 người", 2420),
    ("dưới 2,4%", "dưới 2,15%", 2.15), ("dưới 1,7%", "dưới 1,25%", 1.25), ("trên 85%", "trên 87,5%", 87.5),
    ("đạt 50%", "đạt 55%", 55), ("65 - 70 triệu", "72,5 - 80 triệu", (72.5, 80)),
    ("55 - 60%", "62 - 66,5%", (62, 66.5)), ("35% lực", "38% lực", 38), ("từ 2 - 2,5%", "từ 1,5 - 2%", (1.5, 2)),
    ("từ 4 - 5%", "từ 3,5 - 4,5%", (3.5, 4.5)), ("01 Trung tâm", "03 Trung tâm", 3),
    ("khoảng 200 người", "khoảng 1.250 người", 1250), ("có 99%", "có 99,2%", 99.2),
    ("95% ở bậc", "96% ở bậc", 96), ("98,5% người", "99,1% người", 99.1), ("trên 95% trẻ", "trên 97% trẻ", 97),
    ("dưới 15%", "dưới 13,5%", 13.5), ("trên 60%", "trên 70%", 70), ("trên 90% dân", "trên 92,5% dân", 92.5),
    ("100% dân cư", "100% dân cư", 100), ("70% sử dụng", "75% sử dụng", 75), ("có 80% hộ", "có 85% hộ", 85),
    ("100% xã phủ", "100% xã phủ", 100),
]
HEADERS = {
    "city": ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ ĐÀ NẴNG\nSố: 215/KH-UBND\nĐà Nẵng, ngày 12 tháng 5 năm 2021\n\n",
             "Đà Nẵng", "215/KH-UBND", "2021-05-12", "Ủy ban nhân dân thành phố Đà Nẵng"),
    "council": ("HỘI ĐỒNG NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 45/KH-HĐND\nNghệ An, ngày 03 tháng 02 năm 2021\n\n",
                "Nghệ An", "45/KH-HĐND", "2021-02-03", "Hội đồng nhân dân tỉnh Nghệ An"),
    "department": ("UBND TỈNH HÀ TĨNH\nSỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nSố: 1234 / KH-SLĐTBXH\n"
                   "Hà Tĩnh, ngày 20 tháng 12 năm 2021\n\n", "Hà Tĩnh", "1234/KH-SLĐTBXH", "2021-12-20",
                   "Sở Lao động - Thương binh và Xã hội tỉnh Hà Tĩnh"),
}


def rewrite(text: str, province: str) -> str:
    for old, new, _ in REWRITES:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    text = re.sub(r"(?<!\d)(19|20)(\d{2})(?!\d)", lambda m: str(int(m.group()) + 5), text)
    return text.replace("Quảng Bình", province)


@pytest.mark.parametrize("kind", sorted(HEADERS))
def test_rewritten_plan_gives_the_rewritten_rows(tmp_path, kind):
    header, province, number, date, issuer = HEADERS[kind]
    path = tmp_path / f"rewritten_{kind}.txt"
    path.write_text(header + rewrite(SAMPLE_003.read_text("utf-8"), province), encoding="utf-8")
    result = process(Input(path, path.stem))
    doc = result["document"]
    assert (doc["province"], doc["doc_number"], doc["issued_date"], doc["doc_type"]) == (
        province, number, date, "Kế hoạch")
    assert doc["issuer"] == issuer
    assert (doc["period_start"], doc["period_end"]) == (2021, 2025)

    gold = json.loads(GOLD.read_text("utf-8"))["documents"]["003_5de3a5a80230590c"]["targets"]
    assert len(gold) == len(REWRITES)
    expected = sorted(
        ((float(v[0]), float(v[1])) if isinstance(v, tuple) else (float(v), None)) + (g["year"] + 5,)
        for (_, _, v), g in zip(REWRITES, gold))
    got = sorted((r["value"], r["value_max"], r["target_year"]) for r in result["commitments"])
    assert got == expected
    assert all(r["province"] == province for r in result["commitments"])
