"""Harmonised values for comparison across plans (`value_std`, `unit_std`).

`value` and `unit` stay as printed; these added columns put money in đồng (or
USD), areas in ha and masses in tấn, and keep a per-year change of a rate
apart from a level (`%/năm` vs `%`).
"""
from __future__ import annotations

from extractors.textkey import match_form

SCALES = [("nghìn tỷ", 1e12), ("ngàn tỷ", 1e12), ("tỷ", 1e9), ("triệu", 1e6), ("nghìn", 1e3), ("ngàn", 1e3)]


def standardise(value: float, unit: str, unit_kind: str, per_year: bool) -> tuple[float | None, str]:
    u = match_form(unit)
    if unit_kind == "percent":
        return value, "%/năm" if per_year else "%"
    scale = 1.0
    rest = u
    for word, factor in SCALES:
        if u.startswith(word + " ") or u == word:
            scale, rest = factor, u[len(word):].strip()
            break
    if unit_kind == "money":
        currency = "USD" if ("usd" in rest or "đô la" in rest) else "đồng"
        return value * scale, currency + ("/năm" if per_year else "")
    if rest in ("ha", "héc-ta", "hecta"):
        return value * scale, "ha"
    if rest == "tấn":
        return value * scale, "tấn"
    return value * scale, rest + ("/năm" if per_year else "")
