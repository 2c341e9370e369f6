"""A table row that a page break split, put back together: for every reader of pages (a PDF's text
layer, its scanned pages, a multi-page image).

Word and LibreOffice let a row break across pages: its cells' sentences go on at the head of the next
page as a row of their own (`3 | Triển khai các hệ thống thông tin dùng | 100% hệ thống … có sử` +
` | chung của tỉnh … | dụng dịch vụ …`), and a target would lose its figure or its words. A printed
and scanned plan has the same break, read by its grid (`ruled`) into the same rows.
"""
from __future__ import annotations

import regex

from pipeline.readers.docx import CELL_SEP
from pipeline.record import Page

# a line with a word or a figure: a scan's last or first lines may be specks and rule ends (`|`, `Ị`)
FILLED = regex.compile(r"[\p{L}\d]{2}")
# a bar between two cells, or at a row's end where its cell is empty (`| quy định …`, `… Sở Nội vụ |`):
# a bar inside a cell's text (`A|B`) has no space beside it
BAR = regex.compile(r"^\s*\|\s*|\s+\|\s*|\s*\|\s+|\s*\|\s*$")


def _filled(line: str) -> bool:
    """A row of cells, or a line with a word or a figure (`FILLED`)."""
    return CELL_SEP in line or bool(FILLED.search(line))


def join_split_rows(pages: list[Page]) -> None:
    """The split rows of `pages` joined, in place. The next page's first row (after a header row the
    table repeats there) continues the last one when it has as many cells, none in the first (the
    row's number stays with its first part), a cell that goes on from a cell with text
    (`_cell_goes_on`) and none that opens with a capital, as a new row's cells do (`Kiên cố hóa bờ
    kênh | 12 km | Năm 2029`). A row three pages long leaves the page between empty: the third part
    joins the first."""
    seen: set[str] = set()  # the rows read so far: a header row the table repeats is among them
    prev = None  # the last page with text of its own (more than a repeated header)
    for page in pages:
        if prev is not None:
            _continue_row(prev, page, seen)
        lines = [ln for ln in page.text.split("\n") if _filled(ln)]
        if any(ln not in seen for ln in lines):
            prev = page
        seen.update(ln for ln in lines if CELL_SEP in ln)


def _continue_row(prev: Page, page: Page, seen: set[str]) -> None:
    """`page`'s first row joined to `prev`'s last where it continues it (`join_split_rows`)."""
    above = prev.text.rstrip("\n").split("\n")
    below = page.text.split("\n")
    last_k = next((k for k in range(len(above) - 1, -1, -1) if _filled(above[k])), None)
    filled = [k for k, ln in enumerate(below) if _filled(ln)]
    if last_k is None or CELL_SEP not in above[last_k] or not filled:
        return
    k = filled[0]
    if below[k] in seen and len(filled) > 1:
        k = filled[1]
    last, first = _cells(above[last_k]), _cells(below[k])
    if len(first) != len(last) or first[0] or not any(_cell_goes_on(a, b) for a, b in zip(last, first)) or any(
            b[:1].isupper() for b in first):
        return
    above[last_k] = CELL_SEP.join(" ".join(x for x in (a, b) if x) for a, b in zip(last, first))
    del below[k]
    prev.text = "\n".join(above)
    page.text = "\n".join(below)


def _cells(row: str) -> list[str]:
    """A row's cells, an empty one wherever its bars say so: a row a page's text begins with may have
    lost the space before its first bar (`| quy định … | | vị, địa phương | |`), and one whose last
    cells are empty ends in a bar (`BAR`)."""
    return [c.strip() for c in BAR.split(row)]


def _cell_goes_on(cell: str, rest: str) -> bool:
    """Whether `rest` reads as the rest of `cell`'s sentence, as a wrapped line does
    (`normalise.goes_on`), a figure only where the cell stopped inside a phrase (on a letter:
    `… thôn thứ` + `32 trong xã`). A list item (`- …`, `a) …`) starts a row of its own: a merged
    first column leaves sub-rows without a number too."""
    from extractors.markers import BULLET, LETTER
    from pipeline.normalise import goes_on

    if not cell or not rest or BULLET.match(rest) or LETTER.match(rest):
        return False
    return goes_on(rest) and (rest[0].islower() or cell[-1].isalpha())
