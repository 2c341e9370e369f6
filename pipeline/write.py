"""Write stage: the dataset of the spec, for the whole batch, atomically.

Two phases: everything is written into `OUT/.staging/`, which is then marked
complete; only then are the files moved into place (`os.replace`, and the
`text/` folder by a rename). A run killed in phase one leaves the previous
dataset untouched; one killed in phase two is finished by the next start
(`recover`). A reader never sees a half-written file. CSV formatting is
explicit (integers without `.0`, `true`/`false`, empty for missing) so that
re-runs are byte-identical; Parquet, DuckDB and the .xlsx workbook get the same rows with types
and NULL for missing values (`pipeline.typed`, `pipeline.xlsx`).
"""
from __future__ import annotations

import csv
import io
import json
import logging
import os
import shutil
from datetime import date
from pathlib import Path

from extractors.numbers import format_number
from pipeline.schema import TABLES as SCHEMA_TABLES, columns

log = logging.getLogger(__name__)

# The columns of each table, from its typed row in pipeline/schema.py (the one definition).
TABLES = {name: columns(cls) for name, cls in SCHEMA_TABLES.items()}
COMMITMENT_COLUMNS, DOCUMENT_COLUMNS, PAGE_COLUMNS = TABLES["commitments"], TABLES["documents"], TABLES["pages"]
AGENCY_COLUMNS, ERROR_COLUMNS, COMPARISON_COLUMNS = TABLES["agencies"], TABLES["errors"], TABLES["comparison"]


def cell(value, kind) -> str:
    if value is None or value == "":
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(int(value))
    if kind is float:
        return format_number(float(value))
    return str(value)


def csv_bytes(rows: list[dict], columns) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([c for c, _ in columns])
    for r in rows:
        w.writerow([cell(r.get(c), k) for c, k in columns])
    return buf.getvalue().encode("utf-8")


def _write_duckdb(path: Path, tables: dict[str, tuple[list[dict], list]]):
    from pipeline.standardise import indicator_units
    from pipeline.typed import write_duckdb

    from extractors.indicators import indicators  # loads spaCy: only when a dataset is written

    units = indicator_units()
    labels = [(i.id, i.vi, i.en, i.sector, i.unit_kind, units.get(i.id)) for i in indicators().values()]
    write_duckdb(path, tables, labels)


def comparison_rows(commitments: list[dict]) -> list[dict]:
    from extractors.indicators import indicators  # loads spaCy: only when a dataset is written

    labels = {i.id: i.vi for i in indicators().values()}
    rows = [dict(r, indicator_label=labels.get(r["indicator_id"], "")) for r in commitments if r["indicator_id"]]
    rows.sort(key=lambda r: (r["indicator_id"], r["province"], r["doc_id"], r["commitment_id"]))
    return rows


def write_dataset(out: Path, commitments, documents, pages, agencies, errors, texts: dict[str, str],
                  run_info: dict) -> None:
    """Phase one, then phase two. Stopped in phase one (an interrupt, a full disk), the staging
    folder is removed and the previous dataset stays as it was."""
    out.mkdir(parents=True, exist_ok=True)
    staging = out / ".staging"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        _stage(staging, commitments, documents, pages, agencies, errors, texts, run_info)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("dataset staged; moving it into %s", out)
    _swap(out)


def _stage(staging: Path, commitments, documents, pages, agencies, errors, texts, run_info) -> None:
    comparison = comparison_rows(commitments)
    tables = {"commitments": (commitments, COMMITMENT_COLUMNS), "documents": (documents, DOCUMENT_COLUMNS),
              "pages": (pages, PAGE_COLUMNS), "agencies": (agencies, AGENCY_COLUMNS),
              "errors": (errors, ERROR_COLUMNS), "comparison": (comparison, COMPARISON_COLUMNS)}
    for name, (rows, cols) in tables.items():
        (staging / f"{name}.csv").write_bytes(csv_bytes(rows, cols))
    from pipeline.typed import write_parquet
    from pipeline.xlsx import write_xlsx

    for name in ("commitments", "documents", "agencies", "pages", "errors", "comparison"):
        rows, cols = tables[name]
        write_parquet(staging / f"{name}.parquet", rows, cols)
    _write_duckdb(staging / "chitieu.duckdb", tables)
    write_xlsx(staging / "chitieu.xlsx", tables)
    text_dir = staging / "text"
    for doc_id, text in texts.items():
        p = text_dir / f"{doc_id}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8", newline="\n")
    text_dir.mkdir(exist_ok=True)
    from pipeline.report import build_report

    (staging / "report.html").write_text(build_report(commitments, documents), encoding="utf-8")
    (staging / "run.json").write_text(json.dumps(run_info, ensure_ascii=False, indent=1), encoding="utf-8")

    (staging / COMPLETE).write_text("complete\n", encoding="utf-8")


COMPLETE = ".complete"


def _swap(out: Path) -> None:
    """Phase two: move a complete staging folder into place. Idempotent, so `recover` can finish
    a swap that a killed run started."""
    staging = out / ".staging"
    for f in sorted(staging.iterdir()):
        if f.is_file() and f.name != COMPLETE:
            os.replace(f, out / f.name)
    new_text = staging / "text"
    if new_text.exists():
        old = out / ".text-old"
        if old.exists():
            shutil.rmtree(old)
        if (out / "text").exists():
            os.replace(out / "text", old)
        os.replace(new_text, out / "text")
        shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)


def recover(out: Path) -> None:
    """At start: finish an interrupted swap, or drop a staging folder that was never completed."""
    staging = out / ".staging"
    if (staging / COMPLETE).exists():
        _swap(out)
    elif staging.exists():
        shutil.rmtree(staging)
    if (out / ".text-old").exists() and (out / "text").exists():
        shutil.rmtree(out / ".text-old")
