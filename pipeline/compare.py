"""`chitieu compare`: indicators by province from a finished dataset, in the terminal or as files.

Reads `OUTPUT_DIR/comparison.csv` with its column types. In the terminal,
cells wrap to the terminal's width instead of being cut; values are in each
indicator's standard unit with Vietnamese notation. A name that is neither
in the codebook (indicators, sectors) nor in the dataset (provinces) is an
error (exit 2) that lists the closest known names, so a typo never reads as
"no targets". `--csv`/`--json` write typed values (numbers as numbers,
`true`/`false`, empty or null when missing); `--wide` gives the province ×
indicator matrix.
"""
from __future__ import annotations

import csv
import difflib
import json
import shutil
import sys
import textwrap
from pathlib import Path

from extractors.indicators import indicators
from extractors.lexicon import load
from extractors.orthography import fold
from pipeline.display import scale_for, target
from pipeline.typed import typed
from pipeline.write import COMPARISON_COLUMNS, cell

LONG_COLUMNS = ["indicator_id", "indicator_label", "sector", "province", "province_2025", "doc_id",
                "issued_date", "comparator", "value", "value_max", "unit", "per_year", "target_year",
                "value_std", "value_max_std", "unit_std", "commitment_id"]
KINDS = dict(COMPARISON_COLUMNS)
WIDE_KEY = ["province", "province_2025", "doc_id", "issued_date"]


class UnknownName(Exception):
    pass


def read_rows(out: Path) -> list[dict]:
    path = out / "comparison.csv"
    if not path.exists():
        raise SystemExit(f"chitieu compare: no comparison.csv in {out} (run `chitieu extract` first)")
    with open(path, encoding="utf-8", newline="") as f:
        return [{k: typed(v, KINDS.get(k, str)) for k, v in r.items()} for r in csv.DictReader(f)]


def _closest(name: str, known: list[str]) -> str:
    by_fold = {fold(k): k for k in known}
    near = difflib.get_close_matches(fold(name), list(by_fold), n=5, cutoff=0.4)
    near = [by_fold[n] for n in near] or [k for k in known if fold(name) in fold(k)][:5]
    return ", ".join(near) if near else "(none close; see docs/codebook.md)"


def check_names(rows: list[dict], ids, sector, province) -> None:
    """Unknown indicator, sector or province → UnknownName with the closest known names."""
    known_ids = list(indicators())
    for i in ids or []:
        if i not in known_ids:
            raise UnknownName(f"unknown indicator {i!r}; closest: {_closest(i, known_ids)}")
    sectors = list(load("sectors"))
    if sector and sector not in sectors:
        raise UnknownName(f"unknown sector {sector!r}; closest: {_closest(sector, sectors)}")
    provinces = sorted({p for r in rows for p in (r["province"], r["province_2025"]) if p})
    if province and fold(province) not in {fold(p) for p in provinces}:
        raise UnknownName(f"no province {province!r} in this dataset; closest: {_closest(province, provinces)}")


def select(rows: list[dict], ids, sector, province) -> list[dict]:
    want = fold(province) if province else None
    return [r for r in rows if (not ids or r["indicator_id"] in ids) and (not sector or r["sector"] == sector)
            and (not want or want in (fold(r["province"] or ""), fold(r["province_2025"] or "")))]


def long_table(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    """One line per target, grouped by indicator: what a person reads in the terminal."""
    shown = scale_for(rows)
    head = ["indicator", "province", "plan", "target"]
    body = []
    for r in sorted(rows, key=lambda r: (r["indicator_id"], r["province"] or "", str(r["issued_date"] or ""),
                                         r["doc_id"], r["commitment_id"])):
        plan = r["doc_id"] + (f" ({r['issued_date']})" if r["issued_date"] else "")
        body.append([f"{r['indicator_id']} — {r['indicator_label']}", r["province"] or "?", plan,
                     target(r, shown.get(r["indicator_id"]))])
    return head, body


def wide_table(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    """Province (and plan, by date) × indicator; several targets in one cell are `; `-joined."""
    shown = scale_for(rows)
    ids = sorted({r["indicator_id"] for r in rows})
    cells: dict[tuple, dict[str, list[str]]] = {}
    for r in sorted(rows, key=lambda r: r["commitment_id"]):
        key = (r["province"] or "?", str(r["issued_date"] or ""), r["doc_id"])
        cells.setdefault(key, {}).setdefault(r["indicator_id"], []).append(target(r, shown.get(r["indicator_id"])))
    head = ["province", "plan", *ids]
    body = [[p, doc + (f" ({d})" if d else ""), *["; ".join(cells[(p, d, doc)].get(i, [])) for i in ids]]
            for p, d, doc in sorted(cells)]
    return head, body


def render(head: list[str], body: list[list[str]], width: int | None = None) -> str:
    """A plain-text table whose cells wrap (never cut) so that it fits `width` columns."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    gap = 2
    natural = [max(len(x) for x in [h, *(b[i] for b in body)]) for i, h in enumerate(head)]
    cols = natural[:]
    floor = [max(8, min(n, max(len(w) for w in (h.split() or [""])))) for n, h in zip(natural, head)]
    while sum(cols) + gap * (len(cols) - 1) > width:
        i = max(range(len(cols)), key=lambda k: cols[k] - floor[k])
        if cols[i] <= floor[i]:
            break
        cols[i] -= 1

    def lines(row):
        wrapped = [textwrap.wrap(x, w, break_long_words=True, break_on_hyphens=False) or [""]
                   for x, w in zip(row, cols)]
        return ["  ".join((c[k] if k < len(c) else "").ljust(w) for c, w in zip(wrapped, cols)).rstrip()
                for k in range(max(len(c) for c in wrapped))]

    out = lines(head) + ["  ".join("-" * w for w in cols)]
    for b in body:
        out += lines(b)
    return "\n".join(out)


def _json_value(v):
    return v.isoformat() if hasattr(v, "isoformat") else v


def write_long(rows: list[dict], csv_path, json_path) -> None:
    rows = sorted(rows, key=lambda r: (r["indicator_id"], r["province"] or "", r["doc_id"], r["commitment_id"]))
    if csv_path:
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(LONG_COLUMNS)
            w.writerows([[cell(r.get(c), KINDS.get(c, str)) for c in LONG_COLUMNS] for r in rows])
    if json_path:
        Path(json_path).write_text(json.dumps([{c: _json_value(r.get(c)) for c in LONG_COLUMNS} for r in rows],
                                              ensure_ascii=False, indent=1), encoding="utf-8")


def write_wide(rows: list[dict], csv_path, json_path) -> None:
    """Typed matrix: one line per (province, plan, target year, k), a column per indicator holding
    `value_std`; the k-th value of a cell that has several goes on the k-th line, so none is lost."""
    ids = sorted({r["indicator_id"] for r in rows})
    groups: dict[tuple, dict[str, list[dict]]] = {}
    for r in sorted(rows, key=lambda r: r["commitment_id"]):
        key = (r["province"] or "", r["province_2025"] or "", r["doc_id"], r["issued_date"], r["target_year"])
        groups.setdefault(key, {}).setdefault(r["indicator_id"], []).append(r)
    units = {r["indicator_id"]: r["unit_std"] for r in rows}
    lines = []
    for key in sorted(groups, key=lambda k: (k[0], str(k[3] or ""), k[2], k[4] or 0)):
        g = groups[key]
        for k in range(max(len(v) for v in g.values())):
            line = dict(zip(["province", "province_2025", "doc_id", "issued_date", "target_year"], key))
            for i in ids:
                line[i] = g[i][k]["value_std"] if i in g and k < len(g[i]) else None
            lines.append(line)
    if csv_path:
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["province", "province_2025", "doc_id", "issued_date", "target_year",
                        *[f"{i} ({units[i]})" for i in ids]])
            for ln in lines:
                w.writerow([cell(ln["province"], str), cell(ln["province_2025"], str), ln["doc_id"],
                            cell(ln["issued_date"], str), cell(ln["target_year"], int),
                            *[cell(ln[i], float) for i in ids]])
    if json_path:
        Path(json_path).write_text(json.dumps(dict(
            units={i: units[i] for i in ids},
            rows=[{k: _json_value(v) for k, v in ln.items()} for ln in lines]), ensure_ascii=False, indent=1),
            encoding="utf-8")


def compare(out: Path, ids=None, sector=None, province=None, csv_path=None, json_path=None,
            wide: bool = False, width: int | None = None) -> int:
    """0: printed or written; 1: known names but no target matches; 2: an unknown name."""
    rows = read_rows(out)
    try:
        check_names(rows, ids, sector, province)
    except UnknownName as e:
        print(f"chitieu compare: {e}", file=sys.stderr)
        return 2
    rows = select(rows, ids, sector, province)
    if not rows:
        print("chitieu compare: no target in this dataset matches", file=sys.stderr)
        return 1
    if csv_path or json_path:
        (write_wide if wide else write_long)(rows, csv_path, json_path)
        return 0
    head, body = wide_table(rows) if wide else long_table(rows)
    sys.stdout.write(render(head, body, width) + "\n")
    return 0
