"""A table cell's lines as one text, for the readers that see a cell as lines (a PDF's text layer,
a scan's ruled grid).

A cell's lines are words apart, except where the cell was narrower than a word: Word and
LibreOffice then break the word where the line is full, and a figure or a syllable comes out in
two (`13.50` over `0`, `Nghì` over `n`, `NGHIỆ` over `P`). Joined with a space, the figure would be
13.5 and the unit `Nghì n USD` no unit. A break is read as inside a word only where the two parts
could not both stand alone and make one word together: a thousands-grouped figure alone on its line
whose group the break cut short (`13.50` + `0`, `13` + `.500`), or a Vietnamese syllable of which one part is no
syllable (`Nghì` + `n`; `cà` + `phê` are two words). Lines of a paragraph never break inside a word
(Vietnamese text is not hyphenated), so this is for cells only.
"""
from __future__ import annotations

import regex

GROUPED = regex.compile(r"\d{1,3}(?:\.\d{3})+")       # `13.500`, `1.250.000`
WHOLE = regex.compile(r"\d{1,3}(?:\.\d{3})*|\d+")     # a figure that stands on its own
END_FIGURE = regex.compile(r"[\d.]+$")
START_FIGURE = regex.compile(r"^[\d.]+(?=$|[^\d.\p{L}])")
END_LETTERS = regex.compile(r"(?<![\p{L}\d])\p{L}+$")
START_LETTERS = regex.compile(r"^\p{L}+(?![\p{L}\d])")


def join_lines(lines: list[str]) -> str:
    """The cell's text: its lines (each one line of the cell, top to bottom) joined by a space,
    or with none where the break fell inside a word."""
    out, prev = "", ""
    for line in lines:
        line = " ".join(line.split())
        if not line:
            continue
        out = out + line if prev and breaks_word(prev, line) else f"{out} {line}" if out else line
        prev = line
    return out


def breaks_word(before: str, after: str) -> bool:
    """Whether the line break between the line `before` and the line `after` fell inside one word. A
    figure is cut only where it is alone on its line, as in a column of figures too narrow for it. A line that opens
    with a list letter (`c)`) opens an item."""
    from extractors.markers import LETTER
    from pipeline.vietnamese.syllables import is_syllable

    if LETTER.match(after):
        return False
    a, b = END_FIGURE.search(before), START_FIGURE.search(after)
    if a and b:
        if before[:a.start()].strip():
            return False  # words before it on its line: a section's number, a sentence's end (`mục 2.1` + `15 xã`)
        left, right = a.group(), b.group()
        whole = (left + right).rstrip(".")
        return bool(GROUPED.fullmatch(whole)) and not (WHOLE.fullmatch(left) and WHOLE.fullmatch(right))
    a, b = END_LETTERS.search(before), START_LETTERS.search(after)
    if not (a and b):
        return False
    left, right = a.group(), b.group()
    return is_syllable(left + right) and not (is_syllable(left) and is_syllable(right))
