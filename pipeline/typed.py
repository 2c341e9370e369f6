"""Typed copies of the dataset: Parquet files and `chitieu.duckdb`.

The CSV files follow the spec's text conventions (empty for missing); here
every column has its real type (integers, floats, booleans, dates, text) and
a missing value is NULL, never `''`, so `WHERE target_year IS NULL` counts
exactly the CSV's empty cells. The column lists (names and kinds) are the
ones `pipeline.write` uses for the CSV files, so the two never drift apart.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

# The DuckDB view of the spec: one row per commitment that has an indicator, with its label and
# its value in the indicator's standard unit.
COMPARISON_VIEW = """
CREATE OR REPLACE VIEW comparison AS
SELECT c.indicator_id, l.indicator_label, c.sector, c.province, c.province_2025,
       c.doc_id, c.issued_date, c.comparator, c.value, c.value_max, c.unit, c.per_year,
       c.target_year, c.commitment_id, c.value_std, c.value_max_std, c.unit_std
FROM commitments c LEFT JOIN indicator_labels l USING (indicator_id)
WHERE c.indicator_id IS NOT NULL
ORDER BY c.indicator_id, c.province, c.doc_id, c.commitment_id"""


def typed(value, kind):
    """One cell as its Python type; None for a missing value of any kind."""
    if value is None or value == "":
        return None
    if kind is bool:
        return value if isinstance(value, bool) else str(value).lower() == "true"
    if kind is dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return None
    return kind(value)


def arrow_table(rows: list[dict], columns):
    import pyarrow as pa

    types = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_(), dt.date: pa.date32()}
    schema = pa.schema([(c, types[k]) for c, k in columns])
    data = {c: [typed(r.get(c), k) for r in rows] for c, k in columns}
    return pa.table(data, schema=schema)


def write_parquet(path: Path, rows: list[dict], columns) -> None:
    import pyarrow.parquet as pq

    pq.write_table(arrow_table(rows, columns), path)


def write_duckdb(path: Path, tables: dict[str, tuple[list[dict], list]], indicator_rows: list[tuple]) -> None:
    """Tables documents, commitments, agencies, pages, errors; `indicator_labels` (id, label, English
    label, sector, unit kind, standard unit); the view `comparison`."""
    import duckdb

    con = duckdb.connect(str(path))
    try:
        for name in ("documents", "commitments", "agencies", "pages", "errors"):
            rows, cols = tables[name]
            arrow_data = arrow_table(rows, cols)
            con.register("arrow_data", arrow_data)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM arrow_data")
            con.unregister("arrow_data")
        con.execute("CREATE TABLE indicator_labels (indicator_id VARCHAR, indicator_label VARCHAR, "
                    "indicator_label_en VARCHAR, sector VARCHAR, unit_kind VARCHAR, unit_std VARCHAR)")
        con.executemany("INSERT INTO indicator_labels VALUES (?, ?, ?, ?, ?, ?)", indicator_rows)
        con.execute(COMPARISON_VIEW)
    finally:
        con.close()
