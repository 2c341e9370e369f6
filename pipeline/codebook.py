"""`docs/codebook.md`, generated from the data files: `python -m pipeline.codebook > docs/codebook.md`."""
from __future__ import annotations

import sys

from extractors.indicators import indicators
from extractors.lexicon import load


def codebook() -> str:
    sectors = load("sectors")
    inds = indicators()
    out = ["# Codebook", "",
           "Generated from `extractors/data/sectors.yaml` and `extractors/data/indicators.yaml` by",
           "`python -m pipeline.codebook`; do not edit by hand.", "", "## Sectors", "",
           "| code | Vietnamese | English |", "|---|---|---|"]
    out += [f"| `{k}` | {v['vi']} | {v['en']} |" for k, v in sectors.items()]
    out += ["", "## Indicators", ""]
    for code, s in sectors.items():
        rows = [i for i in inds.values() if i.sector == code]
        if not rows:
            continue
        out += [f"### {s['en']} (`{code}`)", "", "| id | Vietnamese | English | unit kind | per year |",
                "|---|---|---|---|---|"]
        for i in rows:
            per = {None: "", True: "yes", False: "no"}[i.per_year]
            out.append(f"| `{i.id}` | {i.vi} | {i.en} | {i.unit_kind} | {per} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(codebook())
