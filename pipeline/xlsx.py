"""`chitieu.xlsx`: the dataset as one workbook, for spreadsheet users.

Excel opens a UTF-8 CSV without a byte-order mark as mojibake, and the spec
keeps the CSV files without one; a workbook has no encoding to guess. One
sheet per table, cells typed (numbers, booleans, dates; empty when missing),
a bold frozen header with filters. Written with openpyxl in write-only mode,
so a large dataset streams to disk.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.typed import typed

MAX_CELL = 32767   # Excel's limit on the characters of one cell
SHEETS = ("comparison", "commitments", "documents", "agencies", "pages", "errors")


def _cell(value, kind):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    v = typed(value, kind)
    if isinstance(v, str):
        v = ILLEGAL_CHARACTERS_RE.sub(" ", v)[:MAX_CELL]
    return v


def write_xlsx(path: Path, tables: dict[str, tuple[list[dict], list]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for name in SHEETS:
        rows, cols = tables[name]
        ws = wb.create_sheet(name)
        ws.freeze_panes = "A2"
        for i, (c, k) in enumerate(cols, start=1):
            width = 12 if k is not str else min(60, max(12, len(c) + 2))
            ws.column_dimensions[get_column_letter(i)].width = width
        header = []
        for c, _ in cols:
            cell = WriteOnlyCell(ws, value=c)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for r in rows:
            out = []
            for c, k in cols:
                v = _cell(r.get(c), k)
                if k is dt.date and v is not None:
                    cell = WriteOnlyCell(ws, value=v)
                    cell.number_format = "yyyy-mm-dd"
                    out.append(cell)
                else:
                    out.append(v)
            ws.append(out)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(rows) + 1}"
    wb.save(str(path))
