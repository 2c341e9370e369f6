"""DOCX: paragraphs and tables in body order.

Table rows become lines whose cells are joined by " | ", so that the
structure stage can treat a target table row by row.
"""
from __future__ import annotations

import io

from pipeline.record import Page, StageError

CELL_SEP = " | "


def _cell_text(cell) -> str:
    return " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


def read_docx(data: bytes) -> list[Page]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:
        raise StageError("read", f"not a readable DOCX ({type(e).__name__})")
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            table = Table(block, document)
            lines.append("")
            for row in table.rows:
                cells = []
                for cell in row.cells:
                    t = _cell_text(cell)
                    if not cells or t != cells[-1]:  # merged cells repeat
                        cells.append(t)
                lines.append(CELL_SEP.join(cells))
            lines.append("")
    return [Page(number=None, text="\n".join(lines), source="text")]
