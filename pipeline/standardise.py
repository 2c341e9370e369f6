"""One unit per indicator: values converted to a standard unit (`value_std`, `unit_std`).

`value` and `unit` stay as printed; the added columns put every quantity of
one kind in one unit (money in đồng, areas in ha, lengths in km, capacity in
MW, masses in tấn, counts as counts, shares in %), so that `7080 tỷ đồng` and
`1360668000000 đồng` compare without converting by hand. The conversion
table is data (`pipeline/data/units.yaml`), checked when it is loaded.

Each indicator declares its standard unit (`unit_std` in
`extractors/data/indicators.yaml`). `compatible()` is the one gate that
decides whether a row may carry an indicator: the link stage clears the
indicator of a row whose unit does not convert to it, so an indicator never
mixes 10 % and 20.000 ha.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from extractors.lexicon import load
from extractors.orthography import match_form

DATA = Path(__file__).parent / "data" / "units.yaml"
PER_YEAR = ("/ năm", "/năm")
PER_HEAD = "/người"


class UnitTableError(ValueError):
    """The conversion table or an indicator's standard unit is wrong: the run cannot go on."""


@dataclass(frozen=True)
class Table:
    standards: dict[str, dict]
    scales: list[tuple[str, float]]          # longest first
    units: dict[str, tuple[str, float]]      # match form → (standard, factor)
    denominators: dict[str, tuple[str, float]]
    count_nouns: frozenset[str]
    source: dict                             # the file as written, for the codebook


def _factor(x, where: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or x <= 0:
        raise UnitTableError(f"{DATA.name}: {where}: factor must be a positive number, got {x!r}")
    return float(x)


@lru_cache(maxsize=1)
def table() -> Table:
    with open(DATA, encoding="utf-8") as f:
        d = yaml.safe_load(f)
    if set(d) != {"standards", "scales", "units", "denominators"}:
        raise UnitTableError(f"{DATA.name}: expected the sections standards, scales, units, denominators")
    standards = {}
    for name, s in d["standards"].items():
        if not isinstance(s, dict) or "dimension" not in s or set(s) - {"dimension", "display"}:
            raise UnitTableError(f"{DATA.name}: standard {name!r}: needs `dimension`, may have `display`")
        for pair in s.get("display", []):
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                raise UnitTableError(f"{DATA.name}: standard {name!r}: display entries are [unit, factor]")
            _factor(pair[1], f"display of {name}")
        standards[name] = s
    scales = sorted(((match_form(k), _factor(v, f"scale {k}")) for k, v in d["scales"].items()),
                    key=lambda kv: -len(kv[0]))
    units = {}
    for written, pair in d["units"].items():
        std, factor = pair
        if std not in standards:
            raise UnitTableError(f"{DATA.name}: unit {written!r} converts to {std!r}, which is not a standard")
        units[match_form(str(written))] = (std, _factor(factor, f"unit {written}"))
    dens = {match_form(str(k)): (v[0], _factor(v[1], f"denominator {k}")) for k, v in d["denominators"].items()}
    nouns = frozenset(match_form(n) for n in load("quantities")["count_nouns"])
    return Table(standards, scales, units, dens, nouns, d)


def _base(u: str) -> tuple[str, float] | None:
    t = table()
    if u in t.units:
        return t.units[u]
    if u in t.count_nouns or u == "count":
        return "count", 1.0
    return None


def parse(unit: str) -> tuple[str, float] | None:
    """(standard unit, factor) of a unit as written, or None when it converts to no standard."""
    t = table()
    u = " ".join(match_form(unit or "").split())
    for suffix in PER_YEAR:
        if u.endswith(suffix) and u != suffix:
            u = u[: -len(suffix)].strip()
    if not u:
        return None
    whole = _base(u)
    if whole:
        return whole
    scale = 1.0
    for word, factor in t.scales:
        if u.startswith(word + " "):
            scale, u = factor, u[len(word):].strip()
            break
        if u == word:  # "1,5 triệu" alone: a count
            return "count", factor
    whole = _base(u)
    if whole:
        return whole[0], scale * whole[1]
    if "/" in u:
        num, den = (x.strip() for x in u.split("/", 1))
        n = _base(num)
        dd = t.denominators.get(den)
        if n and dd:
            return f"{n[0]}/{dd[0]}", scale * n[1] / dd[1]
    return None


def to_std(value: float | None, unit: str, target: str | None = None) -> tuple[float | None, str]:
    """`value` in the standard unit of `unit` (or in `target`, a unit of the same standard):
    (None, "") when the unit converts to no standard or not to `target`."""
    p = parse(unit)
    if p is None:
        return None, ""
    std, factor = p
    if target is not None:
        q = parse(target)
        if q is None:
            return None, ""
        if q[0] != std:
            if not (q[0].endswith(PER_HEAD) and q[0][: -len(PER_HEAD)] == std):
                return None, ""
            std = q[0]
        factor, std = factor / q[1], target
    if value is None:
        return None, std
    return _clean(value * factor), std


def _clean(x: float) -> float:
    """Drop float noise (62.8 × 1 000 000 = 62800000.00000001)."""
    r = float(f"{x:.12g}")
    return float(int(r)) if r.is_integer() else r


@lru_cache(maxsize=1)
def indicator_units() -> dict[str, str]:
    """indicator id → its standard unit, checked: every indicator has one, and it is a standard."""
    out = {}
    for d in load("indicators"):
        u = d.get("unit_std")
        if not u:
            raise UnitTableError(f"indicators.yaml: {d['id']} has no unit_std")
        p = parse(u)
        if p is None or p[1] != 1.0 or p[0] != u:
            raise UnitTableError(f"indicators.yaml: {d['id']}: unit_std {u!r} is not a standard unit of {DATA.name}")
        out[d["id"]] = u
    return out


def compatible(indicator_id: str, unit: str) -> bool:
    """May a row with this unit carry this indicator? Only when its unit converts to the indicator's."""
    std = indicator_units().get(indicator_id)
    return std is not None and to_std(1.0, unit, std)[1] == std


def standardise(value: float | None, value_max: float | None, unit: str, indicator_id: str
                ) -> tuple[float | None, float | None, str]:
    """(value_std, value_max_std, unit_std) of a commitment: in its indicator's standard unit when
    it has one, else in the standard of its own unit (empty when the unit has none)."""
    target = indicator_units().get(indicator_id or "")
    v, std = to_std(value, unit or "", target)
    vmax = to_std(value_max, unit or "", target)[0] if value_max is not None else None
    return v, vmax, std


def display_unit(unit_std: str, largest: float | None) -> tuple[str, float]:
    """How to show values of a standard unit: (unit, divisor), from the table's `display` scales."""
    num, slash, den = unit_std.partition("/")
    s = table().standards.get(unit_std) or table().standards.get(num) or {}
    for name, factor in s.get("display", []):
        if largest is not None and abs(largest) >= factor:
            return (name + slash + den if unit_std not in table().standards else name), factor
    return unit_std.replace("count", "").strip(), 1.0


def format_vi(x: float | None, decimals: int | None = None) -> str:
    """Vietnamese notation: `.` between thousands, `,` before decimals (7.080; 62,8)."""
    if x is None:
        return ""
    if decimals is None:
        decimals = 2 if abs(x) >= 1 or x == 0 else 4
    s = f"{abs(x):,.{decimals}f}"
    whole, _, frac = s.partition(".")
    frac = frac.rstrip("0")
    out = whole.replace(",", ".") + ("," + frac if frac else "")
    return ("-" if x < 0 and out.strip("0.,") else "") + out
