"""Ruled tables on a page image: their grid found in the pixels, their rules erased, the OCR'd
words put back into their cells.

Why: a scanned plan's targets are mostly in ruled tables (a row per indicator, a column per year).
Read as lines, a table interleaves its columns (a cell of three lines beside a cell of one) and
Tesseract reads its rules as `|`, `I` or `1` glued to the figures beside them. The PDF reader
gives a text layer's ruled tables as rows of cells (`pdf._tables`, pdfplumber's `find_tables`);
this does the same for a page image, so that the structure stage meets one form of table
whichever reader made it.

How: a horizontal rule is a long run of dark pixels (at least H_RULE inches, FILL of it ink) found
with run sums over the page array, after thickening the marks a pixel across the run so that a
rule left slightly askew by the deskew, or broken by a speck of noise, still counts. A table row
is the band between two horizontal rules that two vertical rules or more cross from one to the
other (a column of pixels that is ink for FILL of the band's height); consecutive such bands make
a table; each band's cells are split at the
vertical rules that cross it (a missing one is a merged cell, read as pdfplumber does: its text in
the first cell, the others empty). A letter's stem never crosses a band, and an underline has no
verticals, so neither makes a table.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.readers.cell_text import join_lines

H_RULE = 0.5     # inches: the shortest horizontal rule (a narrow column's cell border is longer)
REACH = 0.02     # inches: how far a rule's end may miss the rule it meets
MIN_ROW = 0.08   # inches: rules closer than this are one rule drawn double
INK = 150        # grey levels below this are ink
FILL = 0.9       # the share of a rule's pixels that must be ink
# how far a vertical rule may walk sideways per pixel down a band: deskew leaves a page up to ~0.3°
# off (tan 0.3° = 0.005; a dev plan's printed scan was left 0.26° off), and a row that fills the
# page then has its rules 8 pixels off their column at the bottom at 200 dpi
SLANT = 0.005
SPECK = 0.3      # a word smaller than this share of a line's height both ways is a speck
DASHES = {"-", "–", "—", "+", "•", "*"}


@dataclass
class Rule:
    pos: float   # y of a horizontal rule, x of a vertical one (pixels)
    start: int   # its extent along itself
    end: int
    first: int   # the rows (columns) of pixels it lies on
    last: int


@dataclass
class Table:
    """A ruled table: row bands top to bottom, and per band the x of the verticals crossing it."""
    bands: list[tuple[float, float]] = field(default_factory=list)
    splits: list[list[float]] = field(default_factory=list)
    columns: list[float] = field(default_factory=list)  # every band's splits, merged
    rules: list[Rule] = field(default_factory=list)      # the rules drawn, horizontal then vertical

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.columns[0], self.bands[0][0], self.columns[-1], self.bands[-1][1]

    def cell_of(self, x: float, y: float) -> tuple[int, int] | None:
        """(band, column) of the point, or None outside the table."""
        for b, (top, bottom) in enumerate(self.bands):
            if top <= y < bottom:
                xs = self.splits[b]
                if not xs[0] <= x < xs[-1]:
                    return None
                # the column at the left split of the band's cell that holds x (a merged cell's
                # text goes to its first column)
                left = max(s for s in xs if s <= x)
                return b, _nearest(self.columns, left)
        return None


def _nearest(values: list[float], v: float) -> int:
    return min(range(len(values)), key=lambda k: abs(values[k] - v))


def covered(dark, length: int):
    """Pixels lying on a run of `length` pixels along axis 1 of which FILL are marked: a thin
    rule, blurred and specked by the scan, has gaps a strict run would stop at."""
    import numpy as np

    h, w = dark.shape
    if w < length:
        return np.zeros_like(dark)
    c = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(dark, axis=1, dtype=np.int32, out=c[:, 1:])
    starts = (c[:, length:] - c[:, :-length]) >= FILL * length  # such a run starting at j
    s = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(np.pad(starts, ((0, 0), (0, length - 1))), axis=1, dtype=np.int32, out=s[:, 1:])
    lo = np.clip(np.arange(w) - length + 1, 0, None)
    return (s[:, np.arange(w) + 1] - s[:, lo]) > 0  # a run starts within length-1 before j, or at j


def _thick(dark, axis: int, r: int = 1):
    """Marks spread `r` pixels each way across `axis`."""
    out = dark.copy()
    for k in range(1, r + 1):
        if axis == 0:
            out[k:] |= dark[:-k]
            out[:-k] |= dark[k:]
        else:
            out[:, k:] |= dark[:, :-k]
            out[:, :-k] |= dark[:, k:]
    return out


def _groups(values, gap: float) -> list[list]:
    """Sorted numbers in runs whose neighbours are at most `gap` apart."""
    out: list[list] = []
    for v in values:
        if out and v - out[-1][-1] <= gap:
            out[-1].append(v)
        else:
            out.append([v])
    return out


def _rules(mask, length: int, gap: int) -> list[Rule]:
    """Rules along axis 1 of a run mask: rows with a long run, in groups (one rule is a few pixels
    thick), each group's runs split where they break by more than `gap`."""
    import numpy as np

    rows = np.flatnonzero(mask.sum(axis=1) >= length)
    out = []
    for g in _groups(rows.tolist(), 2):
        on = np.flatnonzero(mask[g[0]:g[-1] + 1].any(axis=0))
        for seg in _groups(on.tolist(), gap):
            if seg[-1] - seg[0] + 1 >= length:
                out.append(Rule((g[0] + g[-1]) / 2, seg[0], seg[-1], g[0], g[-1]))
    return out


def find_tables(image, dpi: int) -> tuple[list[Table], object]:
    """The ruled tables of a page image, and the mask of their rules' pixels (a boolean array)."""
    import numpy as np

    a = np.asarray(image.convert("L"))
    dark = a < INK
    reach = max(2, round(REACH * dpi))
    length = max(8, round(H_RULE * dpi))
    hmask = covered(_thick(dark, 0), length)
    horizontal = _joined(_rules(hmask, length, reach), reach)
    upright = _thick(dark, 1)
    tables: list[Table] = []
    current: Table | None = None
    mask = np.zeros_like(dark)
    for upper, lower in zip(horizontal, horizontal[1:]):
        if lower.pos - upper.pos < MIN_ROW * dpi:
            continue
        lo, hi = max(upper.start, lower.start, 0), min(upper.end, lower.end)
        rows = slice(upper.last + 2, max(upper.last + 3, lower.first - 1))
        # a tall band (a row that fills a page) lets the page's leftover slant walk a vertical rule
        # out of one column of pixels: the columns are widened as far as SLANT lets it walk
        walk = int((rows.stop - rows.start) * SLANT)
        inside = upright[rows, lo:hi + 1] if walk <= 1 else _thick(dark[rows, lo:hi + 1], 1, walk)
        # a vertical rule crosses the band from one rule to the other: its column is ink nearly
        # all the way down; a letter's stem, or a column of figures, is not
        full = np.flatnonzero(inside.mean(axis=0) >= FILL)
        crossing = [(lo + g[0], lo + g[-1]) for g in _groups(full.tolist(), 1)]
        if len(crossing) < 2:
            current = None
            continue
        if current is None or current.bands[-1][1] != upper.pos:
            current = Table()
            tables.append(current)
            current.rules.append(upper)
        current.bands.append((upper.pos, lower.pos))
        current.splits.append([(x0 + x1) / 2 for x0, x1 in crossing])
        current.rules.append(lower)
        for x0, x1 in crossing:
            rows, cols = slice(upper.first, lower.last + 1), slice(max(0, x0 - 1), x1 + 2)
            mask[rows, cols] |= dark[rows, cols]
    for t in tables:
        t.columns = _merge(sorted(x for xs in t.splits for x in xs), reach)
    # a single box of one cell is a framed note, not a table (as `pdf._tables` has it)
    tables = [t for t in tables if len(t.bands) >= 2 or len(t.splits[0]) >= 3]
    keep = np.zeros_like(dark)
    for t in tables:
        x0, y0, x1, y1 = (round(v) for v in t.box)
        box = (slice(max(0, y0 - reach), y1 + reach + 1), slice(max(0, x0 - reach), x1 + reach + 1))
        keep[box] = mask[box]
        for r in t.rules:
            rows, cols = slice(max(0, r.first - 1), r.last + 2), slice(r.start, r.end + 1)
            keep[rows, cols] |= hmask[rows, cols] & dark[rows, cols]
    return tables, keep


def _joined(rules: list[Rule], reach: int) -> list[Rule]:
    """Horizontal rules at one height as one, top to bottom: a merged cell breaks a row's rule."""
    out: list[Rule] = []
    for r in sorted(rules, key=lambda r: r.pos):
        if out and r.pos - out[-1].pos <= reach:
            last = out[-1]
            out[-1] = Rule((last.pos + r.pos) / 2, min(last.start, r.start), max(last.end, r.end),
                           min(last.first, r.first), max(last.last, r.last))
        else:
            out.append(r)
    return out


def _merge(xs: list[float], reach: int) -> list[float]:
    """Positions within `reach` of each other as one (their mean)."""
    return [sum(g) / len(g) for g in _groups(xs, reach)]


def erase(image, mask):
    """The page with the rules' pixels (and the pixel around each) made white, so that Tesseract
    reads no `|` and the figures beside a rule come apart from it."""
    import numpy as np
    from PIL import Image

    a = np.asarray(image.convert("L")).copy()
    a[_thick(_thick(mask, 0), 1)] = 255
    return Image.fromarray(a)


def lines_of(words: list[dict]) -> list[list[dict]]:
    """Words as lines, top to bottom, each left to right: a word joins a line it overlaps by half
    its height (a cell's lines, a column's)."""
    out: list[list[dict]] = []
    for w in sorted(words, key=lambda w: w["box"][1]):
        top, h = w["box"][1], w["box"][3]
        for line in out:
            ltop = min(x["box"][1] for x in line)
            lbot = max(x["box"][1] + x["box"][3] for x in line)
            if min(lbot, top + h) - max(ltop, top) >= 0.5 * min(h, lbot - ltop):
                line.append(w)
                break
        else:
            out.append([w])
    return [sorted(line, key=lambda w: w["box"][0]) for line in out]


def speck_size(words: list[dict]) -> float:
    """The size under which a word's box is a speck: SPECK of the words' median height."""
    heights = sorted(w["box"][3] for w in words)
    return SPECK * heights[len(heights) // 2] if heights else 0.0


def is_speck(word: dict, least: float) -> bool:
    """A speck of noise read as a word (`l`, `:`, `` ` ``): its box under `least` both ways. A dash
    or a plus is as small and is text (a bullet, an empty cell's `-`)."""
    return max(word["box"][2], word["box"][3]) < least and word["text"] not in DASHES


def table_rows(table: Table, words: list[dict], sep: str) -> list[str]:
    """The table's rows as the readers give them: cells joined by `sep`, empty rows left out.
    A speck read as a word (its box under SPECK of the words' median height both ways: `,`, `l`,
    `` ` `` beside a figure, which would keep the cell from being read as one) is left out."""
    least = speck_size(words)
    cells: dict[tuple[int, int], list[dict]] = {}
    for w in words:
        if not is_speck(w, least):
            cells.setdefault(w["cell"], []).append(w)
    rows = []
    for b in range(len(table.bands)):
        texts = [join_lines([" ".join(w["text"] for w in line) for line in lines_of(cells.get((b, c), []))])
                 for c in range(len(table.columns) - 1)]
        if any(texts):
            rows.append(sep.join(texts))
    return rows
