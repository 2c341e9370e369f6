"""Word's automatic numbering written out by the DOCX reader (`pipeline/readers/numbering.py`): a
plan set with list styles keeps its `I.`, `1.`, `a)`, `-` in the numbering definitions, not in its
text, and the structure stage needs them. (Sentences written for these tests.)"""
import io

import pytest

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _numbered_docx(items: list[tuple[str, int | None, str]], levels: list[tuple[str, str]],
                   restart_second_list: bool = False) -> bytes:
    """A DOCX whose paragraphs (text, level or None, list id `A`/`B`) use one abstract definition
    with `levels` ((format, pattern) per level); list `B` is a second instance of it."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    numbering = d.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{k}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{pat}"/></w:lvl>'
        for k, (fmt, pat) in enumerate(levels))
    numbering.insert(0, parse_xml(f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="90">{lvls}</w:abstractNum>'))
    override = ('<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
                if restart_second_list else "")
    for num_id, extra in (("91", ""), ("92", override)):
        numbering.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="90"/>'
                                   f'{extra}</w:num>'))
    for text, level, which in items:
        p = d.add_paragraph(text)
        if level is not None:
            num_id = "91" if which == "A" else "92"
            p._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


LEVELS = [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)"), ("bullet", "\uf0b7")]


def test_sections_items_and_bullets_get_their_numbers_as_word_shows_them():
    from pipeline.readers.docx import read_docx

    data = _numbered_docx([
        ("MỤC TIÊU", 0, "A"),
        ("Mục tiêu chung", 1, "A"),
        ("Mục tiêu cụ thể đến năm 2030:", 1, "A"),
        ("Tỷ lệ trẻ em đi học đúng độ tuổi đạt 99%;", 2, "A"),
        ("Mỗi xã có một trường mầm non đạt chuẩn.", 2, "A"),
        ("Trong đó, các xã vùng cao được ưu tiên", 3, "A"),
        ("Đoạn văn không đánh số.", None, "A"),
        ("NHIỆM VỤ", 0, "A"),
        ("Rà soát mạng lưới trường lớp", 1, "A"),
    ], LEVELS)
    lines = [ln for ln in read_docx(data)[0][0].text.split("\n") if ln]
    assert lines == ["I. MỤC TIÊU", "1. Mục tiêu chung", "2. Mục tiêu cụ thể đến năm 2030:",
                     "a) Tỷ lệ trẻ em đi học đúng độ tuổi đạt 99%;", "b) Mỗi xã có một trường mầm non đạt chuẩn.",
                     "- Trong đó, các xã vùng cao được ưu tiên", "Đoạn văn không đánh số.",
                     "II. NHIỆM VỤ", "1. Rà soát mạng lưới trường lớp"]


@pytest.mark.parametrize("restart, second", [(False, "3. Xã thứ ba"), (True, "1. Xã thứ ba")])
def test_two_lists_of_one_definition_share_their_count_unless_one_restarts(restart, second):
    from pipeline.readers.docx import read_docx

    data = _numbered_docx([("Xã thứ nhất", 0, "A"), ("Xã thứ hai", 0, "A"), ("Xã thứ ba", 0, "B")],
                          [("decimal", "%1.")], restart_second_list=restart)
    lines = [ln for ln in read_docx(data)[0][0].text.split("\n") if ln]
    assert lines == ["1. Xã thứ nhất", "2. Xã thứ hai", second]


def test_a_list_style_numbers_its_paragraphs_and_a_plan_keeps_its_lead_in(tmp_path):
    """Numbering through a paragraph style (`List Number`, `List Bullet`), end to end: the bullets
    make the items of a lead-in, whose year the targets take."""
    import docx

    from pipeline.ingest import ingest
    from pipeline.normalise import normalise
    from pipeline.record import Document
    from pipeline.structure import structure

    d = docx.Document()
    opening = ["Căn cứ Luật Tổ chức chính quyền địa phương và các văn bản hướng dẫn thi hành của cơ quan có thẩm quyền;",
               "Ủy ban nhân dân tỉnh ban hành Kế hoạch chăm sóc sức khỏe nhân dân của tỉnh như sau:"] * 3
    for par in opening:
        d.add_paragraph(par)
    d.add_paragraph("Chỉ tiêu chủ yếu", style="List Number")
    d.add_paragraph("Phấn đấu đến năm 2030:")
    d.add_paragraph("100% trạm y tế xã có bác sĩ;", style="List Bullet")
    d.add_paragraph("95% người dân có thẻ bảo hiểm y tế.", style="List Bullet")
    path = tmp_path / "plan.docx"
    d.save(str(path))
    doc = structure(normalise(ingest(Document(path=str(path), doc_id="plan"))))
    assert doc.text.split("\n") == opening + ["1. Chỉ tiêu chủ yếu", "Phấn đấu đến năm 2030:",
                                    "- 100% trạm y tế xã có bác sĩ;", "- 95% người dân có thẻ bảo hiểm y tế."]
    assert [s.numbering for s in doc.sections] == ["1."]
    items = [c for c in doc.clauses if doc.text[c.start:c.end].lstrip("- ").startswith(("100%", "95%"))]
    assert len(items) == 2 and all(c.lead_in and doc.text[c.lead_in[0]:c.lead_in[1]].startswith("Phấn đấu đến năm 2030") for c in items)


def test_a_numbered_cell_merged_down_two_rows_counts_once():
    """python-docx hands back a vertically merged cell in each row it spans: it is one item."""
    import docx

    from pipeline.readers.docx import read_docx

    d = docx.Document()
    t = d.add_table(rows=3, cols=2)
    for i, row in enumerate(t.rows):
        if i != 1:
            row.cells[0].paragraphs[0].text = f"Nhiệm vụ {i + 1}"
            row.cells[0].paragraphs[0].style = d.styles["List Number"]
        row.cells[1].text = f"kết quả {i + 1}"
    t.cell(0, 0).merge(t.cell(1, 0))
    d.add_paragraph("Việc sau bảng", style="List Number")
    buf = io.BytesIO()
    d.save(buf)
    lines = [ln for ln in read_docx(buf.getvalue())[0][0].text.split("\n") if ln]
    assert lines == ["1. Nhiệm vụ 1 | kết quả 1", "1. Nhiệm vụ 1 | kết quả 2", "2. Nhiệm vụ 3 | kết quả 3",
                     "3. Việc sau bảng"]


def test_styles_based_on_each_other_in_a_loop_do_not_hang_the_reader():
    import docx
    from docx.oxml import parse_xml

    from pipeline.readers.docx import read_docx

    d = docx.Document()
    styles = d.styles.element
    for sid, base in (("LoopA", "LoopB"), ("LoopB", "LoopA")):
        styles.append(parse_xml(f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:styleId="{sid}">'
                                f'<w:name w:val="{sid}"/><w:basedOn w:val="{base}"/></w:style>'))
    d.add_paragraph("Đoạn văn theo kiểu vòng", style="LoopA")
    buf = io.BytesIO()
    d.save(buf)
    assert "Đoạn văn theo kiểu vòng" in read_docx(buf.getvalue())[0][0].text


def test_a_definition_linked_to_a_list_style_numbers_as_that_style_list():
    """Word keeps a multilevel list in a list style: the definition a paragraph names has no levels
    of its own, only `w:numStyleLink` to the style, whose list has them."""
    import docx
    from docx.oxml import parse_xml

    from pipeline.readers.docx import read_docx

    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="80"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'))
    numbering.insert(1, parse_xml(
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="81"><w:numStyleLink w:val="KeHoachList"/></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="80"><w:abstractNumId w:val="80"/></w:num>'))
    numbering.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="81"><w:abstractNumId w:val="81"/></w:num>'))
    d.styles.element.append(parse_xml(
        f'<w:style xmlns:w="{W_NS}" w:type="numbering" w:styleId="KeHoachList"><w:name w:val="KeHoachList"/>'
        f'<w:pPr><w:numPr><w:numId w:val="80"/></w:numPr></w:pPr></w:style>'))
    for text in ("MỤC ĐÍCH, YÊU CẦU", "NHIỆM VỤ"):
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="0"/><w:numId w:val="81"/></w:numPr>'))
    buf = io.BytesIO()
    d.save(buf)
    lines = [ln for ln in read_docx(buf.getvalue())[0][0].text.split("\n") if ln]
    assert lines == ["I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ"]


def test_heading_styles_numbered_by_one_list_take_the_level_that_names_them():
    """`Heading 1` and `Heading 2` carry the list but no level; the list's levels name their style."""
    import docx
    from docx.oxml import parse_xml

    from pipeline.readers.docx import read_docx

    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="70">'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:pStyle w:val="Heading1"/>'
        f'<w:lvlText w:val="%1."/></w:lvl>'
        f'<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading2"/>'
        f'<w:lvlText w:val="%2."/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="70"><w:abstractNumId w:val="70"/></w:num>'))
    for sid in ("Heading1", "Heading2"):
        d.styles.element.find(f'.//{{{W_NS}}}style[@{{{W_NS}}}styleId="{sid}"]').get_or_add_pPr().append(
            parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:numId w:val="70"/></w:numPr>'))
    d.add_heading("MỤC TIÊU", level=1)
    d.add_heading("Mục tiêu chung", level=2)
    d.add_heading("Mục tiêu cụ thể", level=2)
    d.add_heading("NHIỆM VỤ", level=1)
    buf = io.BytesIO()
    d.save(buf)
    lines = [ln for ln in read_docx(buf.getvalue())[0][0].text.split("\n") if ln]
    assert lines == ["I. MỤC TIÊU", "1. Mục tiêu chung", "2. Mục tiêu cụ thể", "II. NHIỆM VỤ"]
