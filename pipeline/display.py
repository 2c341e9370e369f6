"""How a target reads to a person: `≥ 7.080 tỷ đồng (2025)`, in the report and in `chitieu compare`.

Values are shown in their indicator's standard unit, scaled for reading
(money in tỷ đồng), with Vietnamese number notation (`.` between thousands,
`,` before decimals). One scale per indicator, so that the values of one
column or chart read against each other.
"""
from __future__ import annotations

from pipeline.standardise import display_unit, format_vi

SIGNS = {"gt": "> ", "ge": "≥ ", "lt": "< ", "le": "≤ ", "approx": "≈ "}


def scale_for(rows: list[dict]) -> dict[str, tuple[str, float]]:
    """indicator id → (unit shown, divisor), from the largest standard value of its rows."""
    largest: dict[str, float] = {}
    units: dict[str, str] = {}
    for r in rows:
        v = r.get("value_max_std") if r.get("value_max_std") is not None else r.get("value_std")
        key = r.get("indicator_id")
        if v is None or not r.get("unit_std") or not key:
            continue
        units[key] = r["unit_std"]
        largest[key] = max(largest.get(key, 0.0), abs(v))
    return {k: display_unit(units[k], largest[k]) for k in units}


def target(r: dict, shown: tuple[str, float] | None = None, year: bool = True) -> str:
    """The target as text; in the standard unit when the row has one, else as printed."""
    if r.get("value_std") is not None and r.get("unit_std"):
        unit, div = shown or display_unit(r["unit_std"], abs(r.get("value_max_std") or r["value_std"]))
        v, vmax = r["value_std"] / div, (r["value_max_std"] / div if r.get("value_max_std") is not None else None)
    else:
        unit, v, vmax = r.get("unit") or "", r.get("value"), r.get("value_max")
    text = SIGNS.get(r.get("comparator") or "", "") + format_vi(v)
    if vmax is not None:
        text += "–" + format_vi(vmax)
    if unit:
        text += " " + unit
    if r.get("per_year") and "/năm" not in unit:
        text += "/năm"
    if year and r.get("target_year"):
        text += f" ({r['target_year']})"
    return text
