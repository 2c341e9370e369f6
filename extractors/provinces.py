"""Provinces before and after the 2025 merger, from the `vietnamadminunits` package.

Nothing here is typed by hand: the 63 provinces as issued, the 34 after
1 July 2025, the districts (to place a document dated in a district town),
and the mapping old → new all come from the package's data files.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from extractors.orthography import fold


@dataclass(frozen=True)
class Province:
    key: str          # the package's key, e.g. "tinhquangbinh"
    name: str         # short canonical name, e.g. "Quảng Bình"
    full: str         # "Tỉnh Quảng Bình"
    successor: str    # short name after the 2025 merger


def _package_dir() -> Path:
    import vietnamadminunits
    return Path(vietnamadminunits.__file__).parent


@lru_cache(maxsize=1)
def provinces() -> dict[str, Province]:
    from vietnamadminunits.database.main import query

    legacy = query("SELECT DISTINCT province, provinceShort, provinceKey FROM admin_units_legacy")
    new = query("SELECT DISTINCT province, provinceShort, provinceKey FROM admin_units")
    new_short = {r["provinceKey"]: r["provinceShort"] for r in new}
    mapping = json.loads((_package_dir() / "data" / "converter_2025.json").read_text("utf-8"))["DICT_PROVINCE"]
    successor = {old: new_key for new_key, olds in mapping.items() for old in olds}
    out = {}
    for r in legacy:
        key = r["provinceKey"]
        out[key] = Province(key, r["provinceShort"], r["province"], new_short.get(successor.get(key, ""), ""))
    for r in new:  # documents issued after the merger name the new provinces
        if r["provinceKey"] not in out:
            out[r["provinceKey"]] = Province(r["provinceKey"], r["provinceShort"], r["province"], r["provinceShort"])
    return out


@lru_cache(maxsize=1)
def _name_patterns():
    pats = []
    for p in provinces().values():
        pats.append((p, regex.compile(r"(?<![\p{L}\d])" + regex.escape(fold(p.name)) + r"(?![\p{L}\d])")))
    pats.sort(key=lambda x: -len(x[0].name))
    return pats


def find_provinces(text: str) -> list[tuple[int, Province]]:
    """Province names in text (accent-insensitive), as (position in the folded text, province)."""
    folded = fold(text)
    found, taken = [], []
    for p, rx in _name_patterns():
        for m in rx.finditer(folded):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), p))
    return sorted(found, key=lambda x: x[0])


@lru_cache(maxsize=1)
def _districts() -> dict[str, set[str]]:
    from vietnamadminunits.database.main import query

    out: dict[str, set[str]] = {}
    for r in query("SELECT DISTINCT districtShort, provinceKey FROM admin_units_legacy"):
        out.setdefault(fold(r["districtShort"]), set()).add(r["provinceKey"])
    return out


def _keys_of(name: str) -> set[str]:
    """The package's keys of a province by its short name (empty where the package has none)."""
    return {p.key for p in provinces().values() if p.name == name}


@lru_cache(maxsize=None)
def districts_of(name: str) -> dict[str, str]:
    """The district-level units (huyện, quận, thị xã, thành phố) of a province as the package lists
    them before the 2025 reform, folded name -> name (`van yen` -> `Văn Yên`); every province's when
    `name` is none the package has (a document whose province was not read)."""
    from vietnamadminunits.database.main import query

    keys = _keys_of(name)
    out: dict[str, str] = {}
    for r in query("SELECT DISTINCT districtShort, provinceKey FROM admin_units_legacy"):
        if not keys or r["provinceKey"] in keys:
            out[fold(r["districtShort"])] = r["districtShort"]
    return out


@lru_cache(maxsize=None)
def communes_of(name: str) -> dict[str, str]:
    """The commune-level units (xã, phường, thị trấn, đặc khu) of a province, before and after the
    2025 reform, folded name -> name; every province's when `name` is none the package has."""
    from vietnamadminunits.database.main import query

    keys = _keys_of(name)
    out: dict[str, str] = {}
    for table in ("admin_units_legacy", "admin_units"):
        for r in query(f"SELECT DISTINCT wardShort, provinceKey FROM {table}"):
            if r["wardShort"] and (not keys or r["provinceKey"] in keys):
                out[fold(r["wardShort"])] = r["wardShort"]
    return out


def province_of_place(place: str) -> Province | None:
    """A place-date line names a province or a district town: resolve either."""
    hits = find_provinces(place)
    if hits:
        return hits[0][1]
    keys = _districts().get(fold(place), set())
    if len(keys) == 1:
        return provinces()[next(iter(keys))]
    return None
