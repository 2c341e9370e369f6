"""Tesseract's words as a page's text: its lines, its ruled tables as rows, two-column blocks
read one column after the other.

Why: Tesseract reads the page as one block of text (`--psm 6`, measured best for plan pages), so
anything set side by side comes out interleaved. Ruled tables are put back into their cells
(`ruled`). Two blocks of every state document are two columns without rules: the head (the issuing
body and the number on the left, the national motto and the place and date on the right) and the
signature block (the recipients on the left, the signer's title and name on the right). Read
across, a column that wraps breaks the number and the date (`Số: 518/QĐ- Bình Định, ngày 23`, then
`UBND tháng 02 năm 2023`) and puts recipients between the signer's title and name. A text layer's
signature block is read by columns too (`pdf._signature_columns`).

A two-column block is a run of lines that starts at the page's first line or at the recipients'
line (`blocks.RECIPIENTS`) with a wide gap (GUTTER inches) between two words, and goes on while each
line has such a gap over the same stretch of whitespace or lies on one side of it (two lines at
least have the gap: one is a justified line's wide space); a line that
runs across the gutter (a title, a paragraph of the body) ends it, and so does, in the head, the
line naming the document's type (`KẾ HOẠCH`, centred, may stand on one side of the gutter, and a
speck far right may give it a gap) or a line on one side after a blank line. Its words are then read as two
columns, each in lines by where its words stand (a column's lines need not be Tesseract's, which
joins words at different heights across the page).
"""
from __future__ import annotations

import unicodedata

from pipeline.readers import ruled
from pipeline.readers.blocks import RECIPIENTS, names_type

# a line on one side of the head's gutter that stands this many line heights below the line
# above it is the title under the head (`QUYẾT ĐỊNH`, centred), not a column's wrapped line; the
# signature's space is blank lines within its block, so this is for the head only
HEAD_GAP = 0.8
PAIRED = 2    # lines with the gap at the gutter that make a block two columns (one is a justified line)
GUTTER = 0.2  # inches of whitespace between two words that part two columns (a word space is ~0.06)
# part of the OCR cache key (a page's text is cached after its layout): change the tag with the rules
CACHE_KEY = ("layout-1", GUTTER, HEAD_GAP, PAIRED)


def page_text(words: list[dict], tables: list, dpi: int = 0) -> str:
    """The page's lines, a ruled table's words as its rows (where its first word's line would
    stand), and, when `dpi` is given, the head and signature blocks column by column and specks
    read as words (`ruled.is_speck`) left out. Without `dpi` (the pages `make model` renders to
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
        order = _read_columns(order, GUTTER * dpi)
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


def _gap(line: list[dict], least: float) -> tuple[float, float] | None:
    """The widest stretch of whitespace of at least `least` between two words of the line (its
    words of letters or digits: a speck read as `"` or `:` far right is no column)."""
    ws = sorted((w for w in line if w.get("real", True)), key=lambda w: w["box"][0])
    best = None
    for a, b in zip(ws, ws[1:]):
        start, end = a["box"][0] + a["box"][2], b["box"][0]
        if end - start >= least and (best is None or end - start > best[1] - best[0]):
            best = (start, end)
    return best


def _opens_block(line: list[dict] | None, first: bool) -> str:
    """"head" or "signature" when the line may open a two-column block, else ""."""
    if not line:
        return ""
    return "signature" if RECIPIENTS.match(_text(line)) else "head" if first else ""


def _text(line: list[dict]) -> str:
    return unicodedata.normalize("NFC", " ".join(w["text"] for w in sorted(line, key=lambda w: w["box"][0])))


def _read_columns(order: list[tuple], least: float) -> list[tuple]:
    """`order` with its two-column blocks (module docstring) read column by column; a column's
    lines are (None, words) entries, and (None, None) ends a column."""
    heights = sorted(w["box"][3] for _, ln in order if ln for w in ln)
    line_h = heights[len(heights) // 2] if heights else 0
    least_h = ruled.SPECK * line_h
    order = [(key, [dict(w, real=any(ch.isalnum() for ch in w["text"]) and w["box"][3] >= least_h)
                    for w in ln] if ln else ln) for key, ln in order]
    out: list[tuple] = []
    k = 0
    while k < len(order):
        key, line = order[k]
        kind = _opens_block(line, first=k == 0)
        gutter = _gap(line, least) if kind else None
        if gutter is None:
            out.append((key, line))
            k += 1
            continue
        end, split = k + 1, 1
        bottom = max(w["box"][1] + w["box"][3] for w in line)
        while end < len(order) and order[end][1]:
            ln = [w for w in order[end][1] if w["real"]]
            if not ln:
                end += 1
                continue
            gap = _gap(ln, least)
            x0 = min(w["box"][0] for w in ln)
            x1 = max(w["box"][0] + w["box"][2] for w in ln)
            top = min(w["box"][1] for w in ln)
            if kind == "head" and names_type(_text(ln)):
                break  # the document's type under the head (`KẾ HOẠCH`): its title follows
            if gap and gap[0] < gutter[1] and gap[1] > gutter[0]:
                gutter = (max(gutter[0], gap[0]), min(gutter[1], gap[1]))
                split += 1
            elif not (x1 <= gutter[1] or x0 >= gutter[0]):
                break  # a line across the gutter: the block is over
            elif kind == "head" and top - bottom > HEAD_GAP * line_h:
                break  # a line on one side after a blank line: the title under the head
            bottom = max(bottom, max(w["box"][1] + w["box"][3] for w in ln))
            end += 1
        if split < PAIRED:  # one line with a wide space (a justified line) is no pair of columns
            out.append((key, line))
            k += 1
            continue
        cut = (gutter[0] + gutter[1]) / 2
        block = [w for _, ln in order[k:end] for w in ln]
        out.append((key, []))  # the block stands where its first line stood
        for side in ([w for w in block if _middle(w) < cut], [w for w in block if _middle(w) >= cut]):
            out += [(None, ln) for ln in ruled.lines_of(side)]
            out.append((None, None))
        k = end
    return out


def _middle(w: dict) -> float:
    return w["box"][0] + w["box"][2] / 2
