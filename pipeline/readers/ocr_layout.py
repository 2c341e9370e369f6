"""Tesseract's words as a page's text: its lines, its ruled tables as rows, two-column blocks
read one column after the other.

Why: Tesseract reads the page as one block of text (`--psm 6`, measured best for plan pages), so
anything set side by side comes out interleaved. Ruled tables are put back into their cells
(`ruled`); the head and the signature block are read column by column (`blocks.read_columns`, the
rule a text layer's are read by too).
"""
from __future__ import annotations

from pipeline.readers import ruled
from pipeline.readers.blocks import BLOCKS, GUTTER, HEAD_GAP, PAIRED, read_columns

# part of the OCR cache key (a page's text is cached after its layout): change the tag with the rules
CACHE_KEY = ("layout-3", GUTTER, HEAD_GAP, PAIRED)


def page_text(words: list[dict], tables: list, dpi: int = 0, head: bool = True) -> str:
    """The page's lines, a ruled table's words as its rows (where its first word's line would
    stand), and, when `dpi` is given, the head (on a document's first page, `head`) and signature
    blocks column by column and specks read as words (`ruled.is_speck`) left out. Without `dpi` (the pages `make model` renders to
    learn Tesseract's errors from) the lines are Tesseract's, word for word."""
    from pipeline.readers.docx import CELL_SEP

    lines: dict[tuple, list[dict]] = {}
    in_table: dict[int, list[dict]] = {}
    least = ruled.speck_size(words) if dpi else 0.0
    for w in words:
        if dpi and ruled.is_speck(w, least):
            continue  # a speck of the scan read as `l` or `:` beside a word
        left, top, width, height = w["box"]
        cell = next(((k, c) for k, t in enumerate(tables)
                     if (c := t.cell_of(left + width / 2, top + height / 2)) is not None), None)
        if cell is None:
            lines.setdefault(w["line"], []).append(w)
        else:
            in_table.setdefault(cell[0], []).append(dict(w, cell=cell[1]))
    anchor: dict[tuple, list[int]] = {}  # a table stands at the line of its first word
    for k in sorted(in_table):
        anchor.setdefault(min(w["line"] for w in in_table[k]), []).append(k)
    keys = sorted(set(lines) | set(anchor))
    order = [(key, lines.get(key)) for key in keys]
    if dpi:
        order = read_columns(order, GUTTER * dpi, kinds=BLOCKS if head else ("signature",))
    text, prev = [], None
    for key, line in order:
        if key is not None:
            # a new block is a new paragraph; Tesseract's own paragraphs are not (on a degraded page
            # it makes every line one, which would cut every sentence at its line ends): within a
            # block, the normalise stage joins lines into paragraphs as it does for a text layer
            if prev is not None and key[0] != prev[0]:
                text.append("")
            for k in anchor.get(key, []):
                text += ["", *ruled.table_rows(tables[k], in_table[k], CELL_SEP), ""]
            prev = key
        elif line is None:
            text.append("")  # the end of a column
        if line:
            text.append(" ".join(w["text"] for w in line))
    return "\n".join(text)
