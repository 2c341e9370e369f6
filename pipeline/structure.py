"""Structure stage: paragraphs, numbered sections, sentences and clauses, all as offsets.

Plans are lists: `II.` > `1.` > `1.2.` > `1.2.1.` > `a)`, with `-`/`+` items.
A clause is a `;`-separated part of a sentence; a list shares a lead-in
(`Phấn đấu đến năm 2025: …; …`, or a paragraph ending in `:` followed by items),
which later decides the target year of the clauses under it.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from extractors.markers import ARABIC, BULLET, LETTER, ROMAN, ROW_MARKER, ROW_NUMBER_COLUMN, NOTE_COLUMN, SUBROW_LABEL
from extractors.quantities import is_unit, unit_header_words
from extractors.tableheads import HEADER_YEARS, first_year_column, repeating_labels
from pipeline.readers.docx import CELL_SEP
from pipeline.stages import stage
from pipeline.record import Clause, Document, Section, Span

# A sentence ends at . ! ? … before a capital, a quote, a bullet, or a number that opens the
# next statement (`… đúng hạn. 100% hồ sơ …`).
SENT_BREAK = regex.compile(r"(?<=[.!?…][)”\"']?)\s+(?=[\p{Lu}“\"(\-+•]|\d+(?:[.,]\d+)?\s*%|\d{1,3}(?:\.\d{3})+\s)")
ABBREV_END = regex.compile(r"(?:\b(?:TP|Tp|ThS|TS|PGS|GS|BS|Th\.S|v\.v|St|Mr|Ô|B|KT|TM)\.|\b\p{Lu}\.)$")
TITLE_MAX = 160
GROUP_LABEL_MAX = 80  # a heading this short between a table's rows labels a group of them
NOTE_REACH = 2  # a unit note (`ĐVT: triệu đồng`) is for a table this many paragraphs under it at most
ROW_NUMBER = regex.compile(r"\d{1,3}|[IVX]{1,4}")  # a table row's number in OCR'd text
# an OCR'd table row whose number the scan's ruling line was read against, as `|`, `[` or `]`
# touching it (`1| Cải cách thể chế |`, `7] Hoàn thành`, `10 [ Tổ chức`), a space after it (`V|ệc`,
# an OCR's `Vi` of `Việc`, is no row): no bar stands apart there, yet prose never opens so
OCR_ROW_OPEN = regex.compile(rf"\s*(?:[-–]\s*)?(?P<marker>{ROW_NUMBER.pattern})\s*[|\[\]](?=\s+\S)")
# a cell that is a figure alone (`20.954`, `108,40`, `1-1,5`, `95%`): a row of these under a row of
# labels is the rest of that row, which a text flattened from a web page put on a line of its own
FIGURE_CELL = regex.compile(r"[-+]?\d[\d.,]*(?:\s*[-–]\s*\d[\d.,]*)?\s*%?")
# a figure alone on its line with at most a unit's few words (`540.000 đ / tháng`, `95%`, `12 xã`)
VALUE_LINE = regex.compile(r"[-+]?\d[\d.,]*\s*(?:%|[\p{L}][\p{L}\s/]{0,24})?")
# an appendix's heading, in capitals as the format sets it (`PHỤ LỤC`, `PHỤ LỤC II`, `PHU LUC` stripped)
APPENDIX_HEADING = regex.compile(r"\s*(?P<name>(?:PHỤ LỤC|PHU LUC)(?:\s+[IVXLC\d]+\b)?)\.?\s*(?::|$|\s+\p{Lu})")


def _paragraphs(text: str) -> list[Span]:
    spans, pos = [], 0
    for part in text.split("\n"):
        if part.strip():
            spans.append(Span(pos, pos + len(part), "paragraph"))
        pos += len(part) + 1
    return spans


def _heading(par: str) -> tuple[str, int, int] | None:
    """(numbering, level, marker length) when the paragraph is numbered."""
    m = ROMAN.match(par)
    if m:
        return m.group(1) + ".", 0, m.end()
    m = ARABIC.match(par)
    if m:
        num = m.group(1).rstrip(".")
        return num + ".", num.count(".") + 1, m.end()
    m = LETTER.match(par)
    if m:
        return m.group(1) + ")", 9, m.end()
    return None


def _title(body: str) -> str:
    first = regex.split(r"(?<=[.;:])\s", body, maxsplit=1)[0].strip()
    return first[:TITLE_MAX].rstrip(" .:;")


def _section_path(stack: list[Section]) -> str:
    parts = []
    for s in stack:
        parts.append(s.numbering.rstrip(".)") if s.level != 0 else s.numbering.rstrip("."))
    if not parts:
        return ""
    # arabic numbering already carries its parents ("1.2.1"), so keep the roman top and the innermost
    top = [p for s, p in zip(stack, parts) if s.level == 0]
    inner = parts[-1] if stack[-1].level != 0 else ""
    return ".".join([*top[:1], inner] if inner else top[:1])


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, s = [], start
    seg = text[start:end]
    for m in SENT_BREAK.finditer(seg):
        cut = start + m.start()
        if ABBREV_END.search(text[s:cut]) or cut - s < 3:
            continue
        out.append((s, cut))
        s = start + m.end()
    if s < end:
        out.append((s, end))
    return out


LIST_MARKER_BEFORE = regex.compile(r"(?:^|[\s;,:])[a-zđ\d]{1,2}$")


def _list_paren(text: str, j: int) -> bool:
    """Whether the `)` at `j` closes a list marker (`b)`, `2)`), not a bracket."""
    return bool(LIST_MARKER_BEFORE.search(text[max(0, j - 4):j]))


def _closes(text: str, i: int, e: int) -> bool:
    """Whether a bracket closes between `i` and `e`, a list marker's (`; b) …`) not counting."""
    j = text.find(")", i, e)
    while j >= 0:
        if not _list_paren(text, j):
            return True
        j = text.find(")", j + 1, e)
    return False


def _clauses(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The `;`-separated parts of a sentence; a `;` between brackets that close in the sentence
    separates items of the bracket (`(gồm các xã A; B; C)`, `(… ; chi khác …)`), not clauses: cut
    there, the part after it lost what the sentence measures, or was lost itself."""
    out, pos, depth = [], s, 0
    for i in range(s, e):
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")" and not _list_paren(text, i):
            depth = max(0, depth - 1)
        elif c == ";" and depth and _closes(text, i, e):
            continue
        if c == ";":
            if text[pos:i].strip():
                out.append((pos, i + 1))
            pos = i + 1
            while pos < e and text[pos] == " ":
                pos += 1
    if text[pos:e].strip():
        out.append((pos, e))
    return out


def _lead_in(text: str, s: int, e: int) -> tuple[int, int] | None:
    colon = text.find(":", s, e)
    if colon == -1 or colon - s > 200:
        return None
    return (s, colon + 1)


MARKDOWN_RULE = regex.compile(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?")


CELL_BORDER = regex.compile(r"(?:^|(?<=\s))\|(?=\s|$)")


def split_cells(row: str) -> list[str]:
    """A table row's cells. The readers join cells with CELL_SEP and normalising squeezes spaces,
    so an empty cell leaves two separators side by side (`a | | b`) or one at an end (`| TỔNG SỐ |
    50.000`, empty first cell): split on every bar that stands apart (spaces or the line's edge on
    both sides), not on `CELL_SEP`, or the cells after an empty one shift a column left of their
    header's. A bar inside a word (`Tỷ |ệ`, an OCR's `l`; `A|B`) is no border."""
    return [c.strip() for c in CELL_BORDER.split(row.strip())]


def _row_cells(body: str, ocr: bool) -> list[str] | None:
    """The cells of a paragraph that is a table row, else None: cells joined by CELL_SEP, or in OCR'd
    text, a row number against a misread ruling line (OCR_ROW_OPEN) and the cells after it. Read as
    prose, such a row broke the table: the next row started a new one, taken for its header."""
    if ocr:
        m = OCR_ROW_OPEN.match(body)
        if m:
            return [m.group("marker")] + split_cells(body[m.end():])
    return split_cells(body) if CELL_SEP in body else None


@lru_cache(maxsize=1)
def _unit_note():
    """A line over a table that gives its figures' unit (`ĐVT: triệu đồng`, `(Đơn vị tính: ha)`),
    with the words of a unit column's header (quantities.yaml `unit_columns`)."""
    return regex.compile(rf"\(?\s*(?:{unit_header_words()})\s*:\s*(?P<unit>[^|.;:()\d]{{1,30}}?)\s*[.)]*", regex.IGNORECASE)


def _framed(cells: list[str]) -> bool:
    """A row written between bars (`| STT | Chỉ tiêu |`, a markdown table in a text file): its
    first and last cells are empty."""
    return len(cells) >= 3 and not cells[0] and not cells[-1]


def _text_file(doc: Document) -> bool:
    """A plain-text source, where a bar at a line's edge frames a row (markdown); the readers of
    other formats write an empty first or last cell so."""
    return doc.format == "txt" or not doc.format and str(doc.path).lower().endswith((".txt", ".md"))


def _header_like(cells: list[str]) -> bool:
    """Could the row be a table's header: three labels or more (`STT | Nhiệm vụ | Sản phẩm`),
    short, with no figures but years (`Năm 2025`)?"""
    labels = [c for c in cells if c]
    return len(labels) >= 3 and all(len(c) <= 60 and not regex.search(r"\d", HEADER_YEARS.sub("", c))
                                    for c in labels)


def _short_line(body: str) -> bool:
    """A line short enough to label rows (GROUP_LABEL_MAX) that ends in no `:`, `;` or `.`: what a
    flattened table leaves of a row's label, a group's label or a label over its figure."""
    return len(body.strip()) <= GROUP_LABEL_MAX and not regex.search(r"[:;.]\s*$", body)


def _labelled(cells: list[str]) -> list[str]:
    """A header row without the empty cells that end it: a PDF's or DOCX's grid gives the columns a
    merged cell spans as empty cells after it (`GIAI ĐOẠN 2026 - 2030 | | | |`), which label nothing;
    a data row keeps its own, which stand for its empty last columns."""
    k = len(cells)
    while k > 1 and not cells[k - 1].strip():
        k -= 1
    return cells[:k]


def _subheader(cells: list[str], header: list[str]) -> bool:
    """Whether the row under a table's header is its second row: labels of the columns one header
    cell spans (`Năm 2025` over `Kế hoạch | Ước thực hiện`; `GIAI ĐOẠN 2026 - 2030` over `Năm 2026 |
    … | Năm 2030`). Labels have letters in lower case and no figures but years; a row of years may
    be as long as the header (the spanning cell and those beside it), other labels are fewer, but for
    short labels among which some are years under more than one spanning cell."""
    labels = all(regex.search(r"\p{Ll}", c) and not regex.search(r"\d", HEADER_YEARS.sub("", c)) for c in cells)
    years = all(HEADER_YEARS.search(c) for c in cells)
    if repeating_labels(cells, header):
        return True  # `Lượng (Tấn) | Giá trị (Nghìn USD)` under each year of `Kế hoạch 2026 | … | Kế hoạch 2030`
    if len(cells) > len(header):
        # two header cells spanning three columns each (`Năm hiện hành 2025 | Dự kiến 03 năm kế hoạch` over
        # `Dự toán | Ước thực hiện | Đánh giá | Năm 2026 | Năm 2027 | Năm 2028`): short labels, some years
        return labels and any(HEADER_YEARS.search(c) for c in cells) and all(len(c) <= 60 for c in cells)
    return labels and (len(cells) < len(header) or years and len(cells) <= len(header))


def _width(header: list[str], sub: list[str] | None) -> int:
    """How many columns a table has: its header's cells, or, under a second header row wider than the
    header cells it sits under (`Năm hiện hành 2025 | Dự kiến 03 năm kế hoạch` over six labels), the
    cells before the first year column and that row's."""
    k = first_year_column(header)
    if sub and k is not None and k + len(sub) > len(header):
        return k + len(sub)
    return len(header)


def _figures_end(header: list[str], sub: list[str] | None = None) -> int:
    """How many of the table's columns a row's figures may reach: up to the header's last year column
    (`Năm 2030`, not an agency or deadline column after it); where it names no year, all but its last
    cells over notes (`Ghi chú`); under a second header row that widens it, all (`_width`)."""
    wide = _width(header, sub)
    if wide > len(header):
        return wide
    years = [j for j, h in enumerate(header) if HEADER_YEARS.search(h)]
    notes = 0
    while notes < len(header) and NOTE_COLUMN.fullmatch(header[len(header) - 1 - notes].strip()):
        notes += 1
    return years[-1] + 1 if years else len(header) - notes


def _fitted(cells: list[str], header: list[str], sub: list[str] | None = None) -> list[str]:
    """A row with fewer cells than its header and figures at its end, as wide as the header: a table
    flattened from a web page drops empty cells, so the row's label and unit go under the header's
    first columns (after its number column, where the row has no number: `+ Học sinh bán trú |
    Người | …` under `STT | Chỉ tiêu | ĐVT | …`) and its figures under the last ones but for notes
    (`Ghi chú`), the plan's years (the cells it lacks are its past columns), not each a column left
    of its own."""
    wide = _width(header, sub)
    if len(cells) >= wide or not FIGURE_CELL.fullmatch(cells[-1]):
        return cells
    k = len(cells)
    while k > 0 and FIGURE_CELL.fullmatch(cells[k - 1]):
        k -= 1
    labels, figures = cells[:k], cells[k:]
    if wide > len(header) and len(figures) == sum(1 for h in header if HEADER_YEARS.search(h)):
        wide = len(header)  # one figure per header cell a second row divides: merged cells, each its year's
    if not labels or not labels[0]:
        return cells
    if ROW_NUMBER_COLUMN.fullmatch(header[0].strip()) and not ROW_MARKER.fullmatch(labels[0]):
        labels = ["", *labels]
    width = _figures_end(header) if wide == len(header) else wide
    if len(labels) + len(figures) > width:
        return cells
    return labels + [""] * (width - len(labels) - len(figures)) + figures


def _split_row(labels: list[str], figures: list[str], header: list[str], sub: list[str] | None = None) -> bool:
    """Whether `figures` (a row of figures alone) are the rest of the row `labels` (a row without
    a figure, `- Số giáo viên | Người`, or with its first figures, `5 | Dự phòng ngân sách | 463.298`,
    the text having broken the row where a cell held two lines), both within the header's width
    (`_fitted` places them)."""
    return (all(FIGURE_CELL.fullmatch(c) for c in figures) and any(labels)
            and len(labels) + len(figures) <= _width(header, sub))


@stage("structure", reads=("text",), writes=("paragraphs", "sections", "clauses"))
def structure(doc: Document) -> Document:
    text = doc.text
    doc.paragraphs = _paragraphs(text)
    doc.sections, doc.clauses = [], []
    stack: list[Section] = []
    pending_lead: tuple[int, int] | None = None
    table_header: list[str] | None = None
    subheader: list[str] | None = None
    rows_seen = 0
    last_header, since_row = None, 0  # the last table's header, and paragraphs since its last row
    headers: list[list[str]] = []  # in OCR'd text, the headers of the tables since the last heading
    untitled = None  # an appendix whose name stands alone on its line
    group_label = False  # the last heading labels a group of a table's rows
    markdown = _text_file(doc)  # a row between bars is framed, not edged with empty cells
    label_line = False  # the one paragraph since the table's last row labels the rows under it (`Trong đó:`)
    bullet_label = False  # ... a bulleted label, whose rows under it are bulleted too
    # the last row's cells as written, before `_fitted`, with the figures written one per line under it
    raw_row: list[str] = []
    row_label = None  # (paragraph, clauses before it) of a short line right under a row: a row's label?
    value_label = None  # clauses before a short line of words: a label over its figure?
    # a unit note's unit, for a table starting within NOTE_REACH paragraphs of it; the table's
    note_unit, table_unit, since_note = "", "", 0
    ocr = doc.text_condition == "ocr-damaged" or doc.read_off_pages()
    for par in doc.paragraphs:
        body = text[par.start:par.end]
        head = _heading(body)
        content_start = par.start
        if head:
            numbering, level, mlen = head
            while stack and stack[-1].level >= level:
                stack.pop()
            sec = Section(numbering, level, _title(body[mlen:]), par.start)
            stack.append(sec)
            sec.path = _section_path(stack)
            doc.sections.append(sec)
            content_start = par.start + mlen
        else:
            b = BULLET.match(body)
            if b:
                content_start = par.start + b.end()
        is_item = bool(head and head[1] >= 9) or bool(BULLET.match(body))
        if not is_item:
            pending_lead = None
        if MARKDOWN_RULE.fullmatch(body.strip()):
            continue  # `|---|---|` under a text file's table header: no paragraph, the table goes on
        appendix = APPENDIX_HEADING.match(body) if not head else None
        if untitled is not None and not appendix and not head and CELL_SEP not in body:
            untitled.title = _title(body)  # the appendix's title, on the line under its name
        untitled = None
        if appendix:
            # an appendix is under none of the plan's sections: a top-level section of its own
            # (`PHỤ LỤC II`), titled by what follows its name there or on the next line, whose words
            # give its due year and kind as a section's do
            stack.clear()
            rest = body[appendix.end("name"):].lstrip(" .:")
            sec = Section(" ".join(appendix.group("name").split()), 0, _title(rest) if rest.strip() else "", par.start)
            sec.path = sec.numbering
            stack.append(sec)
            doc.sections.append(sec)
            last_header = None
            headers.clear()
            untitled = sec if not sec.title else None
        cells = _row_cells(body, ocr)
        if head:
            # a heading ends whatever table came before, but for a short one straight under a row:
            # the label of a group of the table's rows, written across the whole row (`I. Kinh tế
            # số`: a merged cell, which the readers give as a line of its own)
            group_label = since_row == 0 and last_header is not None and len(body) <= GROUP_LABEL_MAX
            if not group_label:
                last_header = None
                headers.clear()
        elif cells is None:
            if group_label:
                last_header = None  # no row under the label: it was a heading after all
            group_label = False
        if cells is not None:
            if markdown and _framed(cells):
                cells = cells[1:-1]
            prev = doc.clauses[-1] if doc.clauses else None
            if (table_header is not None and since_row == 0 and prev is not None and prev.table_row is not None
                    and prev.table_row is not table_header and _split_row(prev.table_row, cells, table_header, subheader)):
                # the figures of the row above, on a line of their own: one row, the figures in the
                # header's last columns (a flattened table drops empty cells, and a plan's empty
                # ones are its past columns, not the years it plans for)
                raw_row = raw_row + cells  # (a figure on the next line alone goes on it too)
                prev.table_row = _fitted(raw_row, table_header, subheader)
                prev.end = prev.sentence_end = par.end
                continue
            if table_header is None and last_header and not _header_like(cells) and (
                    ocr and not group_label and since_row <= 2 and len(cells) <= len(last_header)
                    or group_label and since_row == 1 and len(cells) == len(last_header)
                    and ROW_MARKER.fullmatch(cells[0])
                    or label_line and since_row == 1 and len(cells) <= _width(last_header, subheader)
                    and (not bullet_label or bool(BULLET.match(cells[0])) or all(FIGURE_CELL.fullmatch(c) for c in cells))):
                # the table goes on: under a group's label, with a numbered row of as many cells
                # (else its first row would be taken for a new table's header, and lost); in OCR'd
                # text, a row a line or two after it that no header would be, past pieces of a
                # wrapped row the page left on lines of their own
                table_header = last_header
            if table_header is None and ocr and ROW_NUMBER.fullmatch(cells[0]) and not _header_like(cells):
                # in OCR'd text, a numbered row is no header, wherever the page broke the table before
                # it (a row read as prose, pieces of a wrapped one): the row goes on the last table
                # of the section with a header as wide
                table_header = next((h for h in reversed(headers) if len(h) >= len(cells) and _header_like(h)), None)
            if table_header is None:
                table_header, subheader, rows_seen = _labelled(cells), None, 0
                if ocr:
                    headers.append(cells)
                table_unit = note_unit if since_note <= NOTE_REACH else ""
                note_unit = ""
            elif rows_seen == 1 and _subheader(labels := _labelled(cells), table_header):
                # the header's second row: labels of the columns a header cell spans
                subheader = cells = labels
            raw_row = cells
            if cells is not table_header and cells is not subheader:
                cells = _fitted(cells, table_header, subheader)
            rows_seen += 1
            last_header, since_row, group_label, label_line = table_header, 0, False, False
            doc.clauses.append(Clause(par.start, par.end, par.start, par.end, None, par.start,
                                      table_row=cells, table_header=table_header, table_subheader=subheader,
                                      table_unit=table_unit))
            continue
        if (markdown and row_label is not None and since_row == 1 and last_header is not None and not head
                and FIGURE_CELL.fullmatch(body.strip())):
            # ... and a row whose label cell lost its bars too (`Tổng I + II` alone on its line): the
            # label, read as prose, is the row's first cell after all
            label_par, kept = row_label
            del doc.clauses[kept:]
            table_header, raw_row = last_header, [text[label_par.start:label_par.end].strip()]
            doc.clauses.append(Clause(label_par.start, label_par.end, label_par.start, label_par.end, None,
                                      label_par.start, table_row=raw_row, table_header=table_header,
                                      table_subheader=subheader, table_unit=table_unit))
            since_row, row_label = 0, None
        prev = doc.clauses[-1] if doc.clauses else None
        if (markdown and table_header is not None and since_row == 0 and not head and FIGURE_CELL.fullmatch(body.strip())
                and prev is not None and prev.table_row is not None and prev.table_row is not table_header):
            if len(raw_row) < _figures_end(table_header, subheader):
                # a text flattened from a web page that wrote a row's figures one per line under its
                # label (`Tổng I + II` over `240.000`, `270.000`, …), or the last of them under the
                # rest: they are the row's cells
                raw_row = raw_row + [body.strip()]
                prev.table_row = _fitted(raw_row, table_header, subheader)
                prev.end = prev.sentence_end = par.end
            # ... and a figure alone under a row that has all its cells (a page's number) ends no table
            continue
        table_header = None
        # a short line of words right under a row: maybe a row whose cells the text wrote one per line
        row_label = (par, len(doc.clauses)) if markdown and since_row == 0 and last_header is not None and not head \
            and _short_line(body) and not regex.search(r":\s", body) else None
        # `Trong đó:`, `Bao gồm:` on a line of its own between a table's rows: the rows go on; so they
        # do, in a flattened text, under a group's bulleted label whose row had no figures (`- Số đối
        # tượng mua BHYT` over `+ Trẻ em dưới 6 tuổi | Người`), where the row under it is bulleted too
        # or figures alone (else a new table's header under a line of prose)
        bullet_label = markdown and bool(BULLET.match(body)) and _short_line(body)
        label_line = since_row == 0 and last_header is not None and not head and (
            bool(SUBROW_LABEL.fullmatch(body.strip())) or bullet_label)
        since_row += 1
        note = _unit_note().fullmatch(body.strip())
        since_note += 1
        if note and is_unit(note.group("unit")):
            note_unit, since_note = note.group("unit"), 1
        elif head:
            note_unit = ""  # a note is for the table under it, not one in another section
        if markdown and not head and value_label is not None and len(doc.clauses) == value_label + 1 \
                and VALUE_LINE.fullmatch(body.strip()):
            # a two-column table a web page flattened: a label alone on its line (`- Nhân viên Thú y`)
            # and its figure alone on the next (`540.000 đ / tháng`): one clause, the label its words
            label = doc.clauses[-1]
            label.end = label.sentence_end = par.end
            value_label = None
            continue
        value_label = len(doc.clauses) if markdown and not head and _short_line(body) \
            and not regex.search(r"\d", body) else None
        for ss, se in _sentences(text, content_start, par.end):
            own_lead = _lead_in(text, ss, se)
            for cs, ce in _clauses(text, ss, se):
                lead = own_lead if own_lead and own_lead[1] <= ce else pending_lead
                doc.clauses.append(Clause(cs, ce, ss, se, lead, par.start))
        if body.rstrip().endswith(":"):
            pending_lead = (content_start, par.end)
    return doc
