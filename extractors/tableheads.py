"""What a table's header says about its columns, for the structure stage and the target rules alike.

A header names the years of its columns (`Kế hoạch 2026`), and a second row may name, under each
year, the same few measures (`Lượng (Tấn) | Giá trị (Nghìn USD)`): structure must know that row for a
header's, and the target rules must put each cell under its year and its measure.
"""
from __future__ import annotations

import regex

HEADER_YEARS = regex.compile(r"\b(?:19|20)\d\d\b")  # a year in a table header's label: no figure


def first_year_column(header: list[str]) -> int | None:
    """The index of the header's first cell naming a year (`Kế hoạch 2026`), or None."""
    return next((j for j, h in enumerate(header) if HEADER_YEARS.search(h)), None)


def repeating_labels(cells: list[str], header: list[str]) -> int:
    """How many labels a second header row repeats under each of the header's year columns
    (`Lượng (Tấn) | Giá trị (Nghìn USD)` five times under `Kế hoạch 2026` … `Kế hoạch 2030`: 2), or 0:
    the same two labels or more, in the same order, once per year column, from the first on."""
    first = first_year_column(header)
    if first is None:
        return 0
    n = len(header) - first
    if n < 2 or len(cells) % n or len(cells) // n < 2:
        return 0
    m = len(cells) // n
    if not all(regex.search(r"\p{L}", c) for c in cells[:m]) or len(set(cells[:m])) < m:
        return 0
    return m if all(cells[j] == cells[j % m] for j in range(len(cells))) else 0
