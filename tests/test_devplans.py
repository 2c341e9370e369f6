"""The dev-plan benchmark's form makers: each damage is the one named, and the same text gives the
same bytes (the benchmark caches made inputs by content, so a maker that drifted would mix runs)."""
from benchmarks.devplans import cache_key, make_form

TEXT = "Đến năm 2030, tỷ lệ hộ dùng nước sạch đạt 95%.\nMỗi xã có ít nhất một điểm bưu điện văn hóa."


def test_stripped_removes_every_mark_and_the_bar_of_d():
    out = make_form(TEXT, "stripped").decode("utf-8")
    assert out == "Den nam 2030, ty le ho dung nuoc sach dat 95%.\nMoi xa co it nhat mot diem buu dien van hoa."


def test_ocr_form_is_english_model_damage_and_deterministic():
    a, b = make_form(TEXT, "ocr_times"), make_form(TEXT, "ocr_times")
    assert a == b
    words = a.decode("utf-8").split()
    assert "2030," in words and len(words) >= 15  # the text is read back ...
    assert a.decode("utf-8") != TEXT + "\n"        # ... by a model that does not know Vietnamese marks


def test_scan_form_is_an_image_only_pdf_and_deterministic():
    import io

    import pypdfium2 as pdfium

    a, b = make_form(TEXT, "scan"), make_form(TEXT, "scan")
    assert a == b and a.startswith(b"%PDF")
    doc = pdfium.PdfDocument(io.BytesIO(a))
    assert len(doc) == 1 and doc[0].get_textpage().get_text_range().strip() == ""


def test_cache_key_follows_text_and_form():
    assert cache_key(TEXT, "stripped") == cache_key(TEXT, "stripped")
    assert cache_key(TEXT, "stripped") != cache_key(TEXT + " ", "stripped")
    assert cache_key(TEXT, "ocr_times") != cache_key(TEXT, "ocr_dejavu")


def test_pdf_form_is_a_text_layer_pdf_with_its_table_and_the_same_text_each_time():
    """LibreOffice stamps each PDF with the time it made it: the text layer is what must not drift."""
    import io

    import pypdfium2 as pdfium

    text = TEXT + "\nSTT | Nhiệm vụ | Thời gian\n1 | Lắp đặt đồng hồ nước cho các hộ | Năm 2027"
    a, b = make_form(text, "pdf"), make_form(text, "pdf")
    assert a.startswith(b"%PDF")
    layers = [pdfium.PdfDocument(io.BytesIO(x))[0].get_textpage().get_text_range() for x in (a, b)]
    assert layers[0] == layers[1]
    assert "tỷ lệ hộ dùng nước sạch" in layers[0] and "Lắp đặt đồng hồ nước" in layers[0]


def test_docx_form_is_a_word_file_whose_table_is_a_word_table_and_reads_as_rows():
    """The `docx` form (the `pdf` form before LibreOffice prints it): its ` | ` rows are a Word table,
    which the DOCX reader gives back as rows of cells."""
    import io

    import docx

    from pipeline.readers.docx import read_docx

    text = TEXT + "\nSTT | Nhiệm vụ | Thời gian\n1 | Lắp đặt đồng hồ nước cho các hộ | Năm 2027"
    data = make_form(text, "docx")
    d = docx.Document(io.BytesIO(data))
    assert len(d.tables) == 1 and [c.text for c in d.tables[0].rows[1].cells] == ["1", "Lắp đặt đồng hồ nước cho các hộ", "Năm 2027"]
    pages, _ = read_docx(data)
    read = "\n".join(p.text for p in pages)
    assert "1 | Lắp đặt đồng hồ nước cho các hộ | Năm 2027" in read and "tỷ lệ hộ dùng nước sạch" in read
