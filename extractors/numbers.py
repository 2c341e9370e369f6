"""Vietnamese number notation: `8.000` → 8000, `62,8` → 62.8, `1.200,5` → 1200.5, `01` → 1.

A dot followed by exactly three digits groups thousands; a comma is the
decimal mark. English notation (`1,200,000`, `2.5`) is read when it is
unambiguous, because typed plans mix both.
"""
from __future__ import annotations

import regex

# A number stands apart from words, except that typed plans glue a few cue words before it
# (`khoảng1.230`) and units after it (`12m2`, `76.699.000.000đ`): whether what follows is a unit
# is decided by the quantities extractor, so only letters glued before are limited here. A number
# before `/` is a date, a fraction or a document's number, unless a round count follows (a rate:
# `4/100.000 trẻ đẻ sống`), whose unit the quantities extractor must then find.
GLUED_BEFORE = ["khoảng", "đạt", "trên", "dưới", "là", "gần", "tối thiểu", "tối đa", "còn"]
NUMBER = regex.compile(
    r"(?:(?<![\p{L}\d.,/])|(?<=(?<![\p{L}])(?:" + "|".join(GLUED_BEFORE) + r")))(?<!\p{L}-)"
    r"(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|\d+(?:[.,]\d+)?)"
    r"(?!\d|/(?!\s*(?:\d{1,3}(?:\.\d{3})+|\d{3,7})\s*\p{L})|[.,]\d|-\p{L})")


# A simple fraction (`1/3`, `2/3`, `1/2`): only a share of what the words after it name counts
# (`1/3 mức lương tối thiểu`, `giảm 1/3 số hộ nghèo`), which the quantities extractor checks, as
# `1/3` alone is as often the first of March.
FRACTION = regex.compile(r"(?<![\p{L}\d.,/])([1-9])\s*/\s*([2-9]|10)(?![\d/.,]\d|[\d/])")


def parse_number(s: str) -> float | None:
    s = s.strip()
    if not s:
        return None
    if regex.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
        return float(s.replace(".", "").replace(",", "."))
    if regex.fullmatch(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?", s):
        return float(s.replace(",", ""))
    if regex.fullmatch(r"\d+,\d+", s):
        return float(s.replace(",", "."))
    if regex.fullmatch(r"\d+\.\d+", s):
        return float(s)
    if regex.fullmatch(r"\d+", s):
        return float(s)
    return None


def format_number(v: float | None) -> str:
    """Integers without `.0`, others without float noise."""
    if v is None:
        return ""
    if float(v).is_integer():
        return str(int(v))
    return repr(round(float(v), 10)).rstrip("0").rstrip(".")
