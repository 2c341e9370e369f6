"""List and heading markers, from `data/markers.yaml`: one definition for every stage.

Plans number their parts `II.` > `1.` > `1.2.` > `a)` and bullet their items with `-`, `+`,
`▪`, `*`, `•` and more; a number may be closed by `)` or `-` (`1)`, `2 -`). Normalising wrapped
lines, opening sections, reading organisation items and finding where the body starts all need
the same answer to "does this paragraph open with a marker?", so the patterns are built here once.
"""
from __future__ import annotations

import regex

from extractors.lexicon import load

_M = load("markers")
_BULLETS = "".join(regex.escape(b) for b in _M["bullets"])
_ROMAN_AFTER = "|".join(regex.escape(a) for a in _M["roman_after"] if a != ".")
_ARABIC_AFTER = "".join(regex.escape(a) for a in _M["arabic_after"])

# "II.", "II -", "II:", "II)" before a word
# (or glued to a heading in capitals, as OCR and hurried typing write it: "V.TỔ CHỨC THỰC HIỆN")
ROMAN = regex.compile(r"^([IVXLC]{1,6})(?:(?:\.|\s*(?:" + _ROMAN_AFTER + r"))\s+(?=\p{L})|\.(?=\p{Lu}\p{Lu}))")
# "1.", "1.2.1", "1)", "1 -"
ARABIC = regex.compile(r"^(\d{1,2}(?:\.\d{1,2})*\.|\d{1,2}(?:\.\d{1,2})+|\d{1,2}(?=\s*[" + _ARABIC_AFTER +
                       r"]\s+\p{Lu}))\s*[" + _ARABIC_AFTER + r"]?\s*(?=\p{L})")
# "a)", "đ)"
LETTER = regex.compile(r"^([a-zđ])\)\s+")
BULLET = regex.compile(r"^[" + _BULLETS + r"]\s*")
# A table row's number, letter or dash in its first cell (`1`, `2.1`, `II`, `a)`, `-`): a row of
# the table labelled by its next cell, which a header's first cell (`TT`, `Chỉ tiêu`) never is.
ROW_MARKER = regex.compile(r"[\dIVXivx.a-zđ)]{1,6}|[-+•]")
# A header cell over the rows' numbers (`STT`, `TT`), whole.
ROW_NUMBER_COLUMN = regex.compile("|".join(regex.escape(c) for c in _M["row_number_columns"]), regex.IGNORECASE)
# A header cell over notes (`Ghi chú`), whole.
NOTE_COLUMN = regex.compile("|".join(regex.escape(c) for c in _M["note_columns"]), regex.IGNORECASE)
# A line that labels the rows under it inside a table (`Trong đó:`, `Bao gồm:`), whole.
SUBROW_LABEL = regex.compile(r"(?:" + "|".join(regex.escape(c) for c in _M["subrow_labels"]) + r")\s*:", regex.IGNORECASE)
# Any of them opening a paragraph: an item or a heading.
ITEM = regex.compile(r"(?:" + "|".join(p.pattern.lstrip("^") for p in (ROMAN, ARABIC, LETTER)) +
                     r"|[" + _BULLETS + r"]\s*)")
# A line that opens a new paragraph however the text was wrapped (normalise).
LIST_START = regex.compile(
    r"^\s*(?:[" + _BULLETS + r"]\s|[IVXLC]{1,6}(?:\.|\s*(?:" + _ROMAN_AFTER + r"))\s|[IVXLC]{1,6}\.(?=\p{Lu}\p{Lu})|\d{1,2}\.\s|"
    r"\d{1,2}(?:\.\d{1,2}){1,4}\.?\s|\d{1,2}\s*[" + _ARABIC_AFTER + r"]\s+(?=\p{Lu})|[a-zđ]\)\s|\(\d+\)\s|"
    r"(?:" + "|".join(_M["legal_headings"]) + r")\s+\d)")


# Where a decision's or a plan's body begins: its first article (`Điều 1.`) or first Roman part
# (`I. MỤC TIÊU`); what stands before is header, title and legal basis.
BODY_START = regex.compile(r"\s*(?:Điều\s+1\b|[IVX]+\.(?:\s|(?=\p{Lu}\p{Lu})))")


def body_start(text: str, paragraphs, default: int) -> int:
    """Offset of the first paragraph that opens the body, else `default`."""
    return next((p.start for p in paragraphs if BODY_START.match(text, p.start, p.end)), default)
