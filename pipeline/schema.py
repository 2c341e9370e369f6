"""The dataset's tables as typed rows: one definition from which every writer takes its columns.

Each table of `../shared/spec/dataset.md` is a dataclass here, its fields in the spec's column order
(columns added by the project after the spec's). The CSV, Parquet, DuckDB and workbook writers read
`columns()` of these classes, and the row projection (`pipeline/rows.py`) checks every row against
them, so a key that no table has is an error where it is made, not a column silently dropped.
"""
from __future__ import annotations

import dataclasses
import typing
from datetime import date
from typing import Optional


@dataclasses.dataclass
class CommitmentRow:
    commitment_id: str
    doc_id: str
    province: str
    province_2025: str
    doc_number: str
    issued_date: Optional[date]
    section: str
    sector: str
    indicator_id: str
    indicator: str
    scope: str
    comparator: str
    value: Optional[float]
    value_max: Optional[float]
    unit: str
    unit_kind: str
    per_year: Optional[bool]
    direction: str
    target_year: Optional[int]
    baseline_value: Optional[float]
    baseline_year: Optional[int]
    responsible_agencies: str
    page: Optional[int]
    char_start: Optional[int]
    char_end: Optional[int]
    sentence: str
    source_text: str
    restored: Optional[bool]
    confidence: Optional[float]
    value_std: Optional[float]
    unit_std: str
    lead_in: str
    value_max_std: Optional[float]


@dataclasses.dataclass
class DocumentRow:
    doc_id: str
    path: str
    sha256: str
    format: str
    pages: Optional[int]
    ocr: Optional[bool]
    encoding: str
    text_condition: str
    restored_share: Optional[float]
    language: str
    model_id: str
    province: str
    province_2025: str
    province_source: str
    doc_type: str
    doc_number: str
    issued_date: Optional[date]
    title: str
    issuer: str
    signer: str
    signer_title: str
    period_start: Optional[int]
    period_end: Optional[int]
    legal_basis: str
    n_commitments: Optional[int]
    duplicate_of: str
    status: str
    error: str


@dataclasses.dataclass
class PageRow:
    doc_id: str
    page: Optional[int]
    source: str
    ocr_confidence: Optional[float]
    low_confidence: Optional[bool]
    chars: Optional[int]
    ocr_dpi: Optional[int]


@dataclasses.dataclass
class AgencyRow:
    doc_id: str
    agency: str
    agency_2025: str
    agency_as_written: str
    role: str
    tasks: str
    deadline: str
    sectors: str


@dataclasses.dataclass
class ErrorRow:
    path: str
    doc_id: str
    stage: str
    error: str


@dataclasses.dataclass
class ComparisonRow:
    indicator_id: str
    indicator_label: str
    sector: str
    province: str
    province_2025: str
    doc_id: str
    issued_date: Optional[date]
    comparator: str
    value: Optional[float]
    value_max: Optional[float]
    unit: str
    per_year: Optional[bool]
    target_year: Optional[int]
    commitment_id: str
    value_std: Optional[float]
    value_max_std: Optional[float]
    unit_std: str


TABLES = {"commitments": CommitmentRow, "documents": DocumentRow, "pages": PageRow,
          "agencies": AgencyRow, "errors": ErrorRow, "comparison": ComparisonRow}


def columns(cls) -> list[tuple[str, type]]:
    """(name, kind) of a table's columns in order; kind is str, int, float, bool or date."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        kind = hints[f.name]
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        out.append((f.name, args[0] if args else kind))
    return out


FIELDS = {name: frozenset(f.name for f in dataclasses.fields(cls)) for name, cls in TABLES.items()}


def check(table: str, row: dict) -> dict:
    """The row, after checking that every key is a column of the table (drift is an error)."""
    unknown = set(row) - FIELDS[table]
    if unknown:
        raise ValueError(f"{table} row has keys no column holds: {sorted(unknown)}")
    return row
