"""`chitieu compare`: indicators by province from a finished dataset, in the terminal or as files."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from extractors.indicators import indicators


def load_rows(out: Path, ids: list[str] | None, sector: str | None, province: str | None) -> list[dict]:
    path = out / "comparison.csv"
    if not path.exists():
        raise SystemExit(f"chitieu compare: no comparison.csv in {out} (run `chitieu extract` first)")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r for r in rows if (not ids or r["indicator_id"] in ids) and (not sector or r["sector"] == sector)
            and (not province or province in (r["province"], r["province_2025"]))]


def cell(r: dict) -> str:
    sign = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤", "approx": "≈", "range": ""}.get(r["comparator"], "")
    v = r["value"] + (f"–{r['value_max']}" if r["value_max"] else "")
    per = "/năm" if r["per_year"] == "true" and "/" not in r["unit"] else ""
    year = f" ({r['target_year']})" if r["target_year"] else ""
    return f"{sign}{v}{r['unit'] if r['unit'] == '%' else ' ' + r['unit']}{per}{year}".strip()


def table(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    provinces = sorted({r["province"] for r in rows})
    by: dict[str, dict[str, list[str]]] = {}
    for r in rows:
        by.setdefault(r["indicator_id"], {}).setdefault(r["province"], []).append(cell(r))
    head = ["indicator", *provinces]
    body = [[ind, *["; ".join(by[ind].get(p, [])) for p in provinces]] for ind in sorted(by)]
    return head, body


def render(head: list[str], body: list[list[str]], width: int = 38) -> str:
    def clip(s):
        return s if len(s) <= width else s[: width - 1] + "…"
    cols = [max(len(clip(x)) for x in [h, *(b[i] for b in body)]) for i, h in enumerate(head)]
    line = lambda xs: "  ".join(clip(x).ljust(w) for x, w in zip(xs, cols))  # noqa: E731
    return "\n".join([line(head), line(["-" * w for w in cols]), *(line(b) for b in body)])


def compare(out: Path, ids=None, sector=None, province=None, csv_path=None, json_path=None) -> int:
    rows = load_rows(out, ids, sector, province)
    head, body = table(rows)
    labels = {i.id: i.vi for i in indicators().values()}
    if csv_path:
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(head)
            w.writerows(body)
    if json_path:
        Path(json_path).write_text(json.dumps(
            [dict(indicator_id=b[0], indicator_label=labels.get(b[0], ""),
                  provinces={p: v for p, v in zip(head[1:], b[1:]) if v}) for b in body],
            ensure_ascii=False, indent=1), encoding="utf-8")
    if not csv_path and not json_path:
        sys.stdout.write(render(head, body) + "\n")
    return 0
