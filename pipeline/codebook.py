"""`docs/codebook.md`, generated from the data files: `python -m pipeline.codebook > docs/codebook.md`."""
from __future__ import annotations

import sys

from extractors.indicators import indicators
from extractors.lexicon import load
from pipeline.standardise import indicator_units, table


def codebook() -> str:
    sectors = load("sectors")
    inds = indicators()
    units = indicator_units()
    out = ["# Codebook", "",
           "Generated from `extractors/data/sectors.yaml`, `extractors/data/indicators.yaml` and",
           "`pipeline/data/units.yaml` by",
           "`python -m pipeline.codebook`; do not edit by hand.", "", "## Sectors", "",
           "| code | Vietnamese | English |", "|---|---|---|"]
    out += [f"| `{k}` | {v['vi']} | {v['en']} |" for k, v in sectors.items()]
    out += ["", "## Indicators", ""]
    for code, s in sectors.items():
        rows = [i for i in inds.values() if i.sector == code]
        if not rows:
            continue
        out += [f"### {s['en']} (`{code}`)", "",
                "| id | Vietnamese | English | unit kind | standard unit | per year |", "|---|---|---|---|---|---|"]
        for i in rows:
            per = {None: "", True: "yes", False: "no"}[i.per_year]
            out.append(f"| `{i.id}` | {i.vi} | {i.en} | {i.unit_kind} | `{units[i.id]}` | {per} |")
        out.append("")
    out += _units()
    return "\n".join(out)


def _units() -> list[str]:
    """The conversion table: what a row's unit must convert to for it to carry an indicator."""
    t = table()
    out = ["## Units", "",
           "A row carries an indicator only if its unit converts to the indicator's standard unit; its",
           "`value_std` (and `value_max_std`) is its value in that unit, `unit_std` names the unit. A row",
           "without an indicator gets the standard of its own unit, or empty columns when it has none.",
           "A unit is read as [scale word] unit [/ denominator]; a trailing `/năm` is the `per_year` column.",
           "An indicator per person (`đồng/người`) also takes the bare amount (`triệu đồng`). A counted noun",
           "(`người`, `hộ`, `xã`, … of `extractors/data/quantities.yaml`) is a `count`. Display: the report and",
           "`chitieu compare` show large values in the scale given here (money in `tỷ đồng`).", "",
           "| standard unit | quantity | shown as |", "|---|---|---|"]
    for name, s in t.standards.items():
        shown = ", ".join(d[0] for d in s.get("display", []))
        out.append(f"| `{name}` | {s['dimension']} | {shown} |")
    out += ["", "| scale word | factor |", "|---|---|"]
    out += [f"| {w} | {f:g} |" for w, f in t.source["scales"].items()]
    out += ["", "| unit as written | standard unit | factor |", "|---|---|---|"]
    out += [f"| `{u}` | `{std}` | {f:g} |" for u, (std, f) in t.source["units"].items()]
    out += ["", "| denominator | standard | factor |", "|---|---|---|"]
    out += [f"| `/{u}` | `/{std}` | {f:g} |" for u, (std, f) in t.source["denominators"].items()]
    out.append("")
    return out


if __name__ == "__main__":
    sys.stdout.write(codebook())
