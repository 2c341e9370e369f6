"""Tesseract's words as page text (`pipeline.readers.ocr_layout`): the head and the signature
block, set in two columns without rules, read one column after the other. Words are made here with
the boxes Tesseract would give them (200 dpi: a 13-pt line is ~36 px, a word space ~12 px)."""
from pipeline.readers.ocr_layout import page_text

DPI = 200


def words(*lines):
    """Lines of (x, text) pieces at 45-px steps (a piece's words 12 px apart, 14 px a letter), or
    (y, [(x, text), …]) to set a line's height. Each line is one Tesseract line."""
    out, y = [], 150
    for k, line in enumerate(lines):
        if isinstance(line[0], int) and isinstance(line[1], list):
            y, line = line
        for x, text in line:
            for t in text.split():
                out.append(dict(text=t, conf=90.0, line=(1, 1, k + 1), box=(x, y, 14 * len(t), 32)))
                x += 14 * len(t) + 12
        y += 45
    return out


def test_a_head_whose_columns_wrap_is_read_column_by_column():
    page = words([(220, "ỦY BAN NHÂN"), (800, "CỘNG HÒA XÃ HỘI")],
                 [(220, "DÂN TỈNH AN GIANG"), (800, "CHỦ NGHĨA VIỆT NAM")],
                 [(800, "Độc lập - Tự do - Hạnh phúc")],
                 [(220, "Số: 77/KH-"), (800, "An Giang, ngày 9 tháng")],
                 [(220, "UBND"), (800, "4 năm 2027")],
                 (450, [(700, "KẾ HOẠCH")]),
                 [(300, "Phát triển thể thao quần chúng giai đoạn 2027 - 2030")])
    assert page_text(page, [], DPI).split("\n") == [
        "ỦY BAN NHÂN", "DÂN TỈNH AN GIANG", "Số: 77/KH-", "UBND", "",
        "CỘNG HÒA XÃ HỘI", "CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "An Giang, ngày 9 tháng",
        "4 năm 2027", "", "KẾ HOẠCH", "Phát triển thể thao quần chúng giai đoạn 2027 - 2030"]
    # without the resolution (the model's training pages), the lines are Tesseract's
    assert page_text(page, []).split("\n")[0] == "ỦY BAN NHÂN CỘNG HÒA XÃ HỘI"


def test_the_signature_block_keeps_the_signers_title_and_name_together():
    page = words([(220, "Điều 3. Giám đốc các sở và Chủ tịch UBND các huyện chịu trách nhiệm thi hành.")],
                 [(220, "Nơi nhận:"), (900, "TM. ỦY BAN NHÂN DÂN")],
                 [(220, "- Như Điều 3;"), (960, "KT. CHỦ TỊCH")],
                 [(220, "- Bộ Văn hóa;"), (950, "PHÓ CHỦ TỊCH")],
                 [(220, "- Lưu: VT.")],
                 (500, [(930, "Trần Văn Bình")]))
    assert page_text(page, [], DPI).split("\n") == [
        "Điều 3. Giám đốc các sở và Chủ tịch UBND các huyện chịu trách nhiệm thi hành.",
        "Nơi nhận:", "- Như Điều 3;", "- Bộ Văn hóa;", "- Lưu: VT.", "",
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Bình", ""]


def test_body_text_and_a_sentence_about_recipients_stay_as_read():
    body = words([(220, "Tỷ lệ hộ nghèo giảm bình quân 1,5% mỗi năm; đến năm 2030 còn dưới 3%.")],
                 [(220, "Nơi nhận hồ sơ là Bộ phận một cửa của Ủy ban nhân dân xã.")])
    assert page_text(body, [], DPI).split("\n") == [
        "Tỷ lệ hộ nghèo giảm bình quân 1,5% mỗi năm; đến năm 2030 còn dưới 3%.",
        "Nơi nhận hồ sơ là Bộ phận một cửa của Ủy ban nhân dân xã."]


def test_specks_read_as_words_are_left_out_and_dashes_stay():
    page = words([(220, "Giao Sở Y tế chủ trì")], [(240, "Như trên;")], [(220, "Trần Văn Bình")])
    page += [dict(text="l", conf=0.0, line=(1, 1, 3), box=(520, 262, 3, 2)),
             dict(text=":", conf=12.0, line=(1, 1, 1), box=(1300, 160, 2, 3))]
    at = next(k for k, w in enumerate(page) if w["text"] == "Như")  # Tesseract gives a line left to right
    page.insert(at, dict(text="-", conf=93.0, line=(1, 1, 2), box=(222, 212, 9, 3)))
    assert page_text(page, [], DPI).split("\n") == ["Giao Sở Y tế chủ trì", "- Như trên;", "Trần Văn Bình"]
    assert "l" in page_text(page, []).split()  # the model's training pages keep every word


def test_one_line_with_a_wide_space_is_no_pair_of_columns():
    page = words([(220, "Tăng"), (340, "cường công tác phối hợp giữa các sở, ngành và địa phương")],
                 [(220, "trong việc quản lý, giám sát chất lượng nước sinh hoạt nông thôn.")])
    assert page_text(page, [], DPI).split("\n") == [
        "Tăng cường công tác phối hợp giữa các sở, ngành và địa phương",
        "trong việc quản lý, giám sát chất lượng nước sinh hoạt nông thôn."]


def test_the_type_line_under_the_head_ends_it_even_with_a_mark_far_right():
    """A seal's edge read as a word (`thà.`) far right of `KẾ HOẠCH` gives the line a wide gap at the
    gutter; the type's name still ends the head, so the title stays under it."""
    page = words([(220, "ỦY BAN NHÂN DÂN TỈNH"), (900, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA")],
                 [(240, "Số: 15/KH-UBND"), (900, "Độc lập - Tự do - Hạnh phúc")],
                 (300, [(320, "KẾ HOẠCH"), (1160, "thà.")]),
                 [(320, "Tuyên truyền phổ biến pháp luật năm 2027")])
    assert page_text(page, [], DPI).split("\n") == [
        "ỦY BAN NHÂN DÂN TỈNH", "Số: 15/KH-UBND", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA",
        "Độc lập - Tự do - Hạnh phúc", "", "KẾ HOẠCH thà.", "Tuyên truyền phổ biến pháp luật năm 2027"]
