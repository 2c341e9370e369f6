"""The blocks every state document sets in two columns without rules, and how they are read apart,
for every reader that sees a page's words where they stand (a PDF's text layer, a scan's OCR).

Two blocks of every state document are two columns without rules: the head (the issuing body and
the number on the left, the national motto and the place and date on the right) and the signature
block (the recipients on the left, the signer's title and name on the right). Read across, a column
that wraps breaks the number and the date (`Số: 518/QĐ- Bình Định, ngày 23`, then `UBND tháng 02
năm 2023`) and puts recipients between the signer's title and name.

A two-column block is a run of lines that starts at the first line of a document's first page (the
readers say which page that is) or at the recipients' line (`Nơi nhận:`, RECIPIENTS) with a wide gap
(GUTTER inches) between two words (where the recipients' line stands alone, the next line's gap: the
signature may start a line lower), and goes on while each line has such a gap over the same stretch of whitespace or lies on one side of it
(two lines at least have the gap: one is a justified line's wide space); a line that runs across
the gutter (a title, a paragraph of the body) ends it, and so does, in the head, the line naming
the document's type (`KẾ HOẠCH`, from `extractors/data/documents.yaml`: centred, it may stand on one
side of the gutter, and a speck far right may give it a gap) or a line on one side after a blank
line. Its words are then read as two columns, each in lines by where its words stand (a column's
lines need not be the reader's, which joins words at different heights across the page).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

from pipeline.readers import ruled

RECIPIENTS = regex.compile(r"(?i)\s*n[oơ]i\s+nh[aậ]n\b")
# a line on one side of the head's gutter that stands this many line heights below the line
# above it is the title under the head (`QUYẾT ĐỊNH`, centred), not a column's wrapped line; the
# signature's space is blank lines within its block, so this is for the head only
HEAD_GAP = 0.8
PAIRED = 2    # lines with the gap at the gutter that make a block two columns (one is a justified line)
BLOCKS = ("head", "signature")
GUTTER = 0.2  # inches of whitespace between two words that part two columns (a word space is ~0.06)


@lru_cache(maxsize=1)
def _type_words() -> tuple[str, ...]:
    """The document types as printed in capitals, marks folded (OCR may misread them), longest first."""
    from extractors.lexicon import load
    from extractors.orthography import strip_marks

    return tuple(sorted((strip_marks(t).upper() for t in load("documents")["types"]), key=len, reverse=True))


def names_type(text: str) -> bool:
    """Whether the line is a document type's name, alone or before other words (`KẾ HOẠCH`)."""
    from extractors.orthography import strip_marks

    folded = strip_marks(text.strip())
    return any(folded == t or folded.startswith(t + " ") for t in _type_words())


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


def _gap_below(order: list[tuple], k: int, least: float) -> tuple[float, float] | None:
    """The gutter of a recipients' line that stands alone (`Nơi nhận:`, the signature's first line
    a line lower): the next line's gap, where the recipients' line ends short of its right column."""
    below = next((ln for _, ln in order[k + 1:k + 2] if ln), None)
    gap = _gap(below, least) if below else None
    if gap and max(w["box"][0] + w["box"][2] for w in order[k][1]) < gap[1]:
        return gap
    return None


def _opens_block(line: list[dict] | None, first: bool, kinds: tuple[str, ...] = BLOCKS) -> str:
    """"head" or "signature" (of `kinds`) when the line may open a two-column block, else ""."""
    if not line:
        return ""
    kind = "signature" if RECIPIENTS.match(_text(line)) else "head" if first else ""
    return kind if kind in kinds else ""


def _text(line: list[dict]) -> str:
    return unicodedata.normalize("NFC", " ".join(w["text"] for w in sorted(line, key=lambda w: w["box"][0])))


def read_columns(order: list[tuple], least: float, kinds: tuple[str, ...] = BLOCKS) -> list[tuple]:
    """`order` ((key, words) per line, top to bottom) with its two-column blocks of `kinds` (module
    docstring) read column by column; a column's lines are (None, words) entries, and (None, None)
    ends a column. A word is {"text", "box": (left, top, width, height)}; `least` is GUTTER in the
    boxes' unit."""
    heights = sorted(w["box"][3] for _, ln in order if ln for w in ln)
    line_h = heights[len(heights) // 2] if heights else 0
    least_h = ruled.SPECK * line_h
    order = [(key, [dict(w, real=any(ch.isalnum() for ch in w["text"]) and w["box"][3] >= least_h)
                    for w in ln] if ln else ln) for key, ln in order]
    out: list[tuple] = []
    k = 0
    while k < len(order):
        key, line = order[k]
        kind = _opens_block(line, first=k == 0, kinds=kinds)
        gutter = _gap(line, least) if kind else None
        if gutter is None and kind == "signature":
            gutter = _gap_below(order, k, least)
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
