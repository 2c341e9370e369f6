"""The dataset's tables as typed rows: one definition from which every writer takes its columns.

Each table of `../shared/spec/dataset.md` is a dataclass here, its fields in the spec's column order
(columns added by the project after the spec's). Commitments and agencies are the extractors' typed
results (`extractors/results.py`), and a document's metadata columns are `Metadata`'s fields: each
column is defined once. The CSV, Parquet, DuckDB and workbook writers read `columns()` of these
classes, and the row projection (`pipeline/rows.py`) checks every plain row against them, so a key
that no table has is an error where it is made, not a column silently dropped.
"""
from __future__ import annotations

import dataclasses
import typing
from datetime import date
from typing import Optional

from extractors.results import Agency, Commitment, Metadata, column_fields

# Commitments and agencies are the extractors' records themselves (`Commitment`, `Agency`); a
# document's row holds its `Metadata` between what the batch knows of the file and what the run
# made of it.


@dataclasses.dataclass
class _DocumentFile:
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


@dataclasses.dataclass
class _DocumentOutcome:
    n_commitments: Optional[int]
    duplicate_of: str
    status: str
    error: str


def _joined(name: str, *parts) -> type:
    """A dataclass whose fields are the column fields of `parts`, in order."""
    return dataclasses.make_dataclass(name, [(f.name, typing.get_type_hints(cls)[f.name])
                                             for cls in parts for f in column_fields(cls)])


DocumentRow = _joined("DocumentRow", _DocumentFile, Metadata, _DocumentOutcome)


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
class ErrorRow:
    path: str
    doc_id: str
    stage: str
    error: str


def _view(name: str, source, names: tuple[str, ...], **added) -> type:
    """A table of some of `source`'s columns (their kinds taken from it) and the `added` ones."""
    hints = typing.get_type_hints(source)
    return dataclasses.make_dataclass(name, [(n, added[n] if n in added else hints[n]) for n in names])


# commitments with an indicator, side by side: the commitments' columns and the indicator's label
ComparisonRow = _view("ComparisonRow", Commitment, (
    "indicator_id", "indicator_label", "sector", "province", "province_2025", "doc_id", "issued_date",
    "comparator", "value", "value_max", "unit", "per_year", "target_year", "commitment_id", "value_std",
    "value_max_std", "unit_std"), indicator_label=str)


TABLES = {"commitments": Commitment, "documents": DocumentRow, "pages": PageRow,
          "agencies": Agency, "errors": ErrorRow, "comparison": ComparisonRow}


def columns(cls) -> list[tuple[str, type]]:
    """(name, kind) of a table's columns in order; kind is str, int, float, bool or date."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in column_fields(cls):
        kind = hints[f.name]
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        out.append((f.name, args[0] if args else kind))
    return out


FIELDS = {name: frozenset(f.name for f in column_fields(cls)) for name, cls in TABLES.items()}


def check(table: str, row: dict) -> dict:
    """The row, after checking that every key is a column of the table (drift is an error)."""
    unknown = set(row) - FIELDS[table]
    if unknown:
        raise ValueError(f"{table} row has keys no column holds: {sorted(unknown)}")
    return row
