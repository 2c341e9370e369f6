"""Checks made before a run reads a document or writes a byte.

Each failure is one line, raised as a `RunError`, so that a mistyped path or an unwritable
`--out` is said in the first second, not after hours of OCR, and the dataset already in `--out`
is left as it was.
"""
from __future__ import annotations

import csv
import logging
import os
import shutil
import tempfile
from pathlib import Path

from pipeline.discover import Input, is_output_folder
from pipeline.errors import OutputError, UsageError

log = logging.getLogger(__name__)

# Disk a run needs: the cache (per-document rows and text, OCR pages) and the dataset (CSV, Parquet,
# DuckDB, text/), measured on the dev set (119 documents, `du` of OUT and OUT/.cache against the
# inputs' sizes): 4.7x the bytes of a text-dense input (.txt 4.7, .docx 4.2-4.8) and 0.2x those of a
# PDF or image, whose bytes are mostly layout and pixels (a text-layer PDF 0.17, a scan 0.06),
# plus the fixed part of the Parquet and DuckDB files (1.5 MB for two documents), rounded up.
DENSE_RATIO = 4.7
SPARSE_RATIO = 0.2
BASE_MB = 20
SPARSE_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp"}


def check_inputs(args: list[str]) -> None:
    """Every path named exists and is a file or a folder."""
    for a in args:
        p = Path(a)
        if not p.exists():
            hint = " (a broken link)" if p.is_symlink() else ""
            raise UsageError(f"input not found: {a}{hint}")
        if not (p.is_file() or p.is_dir()):
            raise UsageError(f"input is not a file or a folder: {a}")


def check_model(model: Path) -> None:
    """A restoration model folder: it holds a readable restore.npz."""
    if not model.is_dir():
        raise UsageError(f"--model {model}: no such folder (build one with `chitieu model build` "
                         "or `chitieu model adapt`)")
    npz = model / "restore.npz"
    if not npz.is_file():
        raise UsageError(f"--model {model}: no restore.npz in it")
    try:
        import numpy as np

        with np.load(npz) as z:
            missing = {"channel", "uni_k"} - set(z.files)
    except Exception as e:
        raise UsageError(f"--model {model}: restore.npz is not a model ({type(e).__name__})")
    if missing:
        raise UsageError(f"--model {model}: restore.npz lacks {', '.join(sorted(missing))}")


def space_needed(inputs: list[Input]) -> int:
    """Bytes a run over these inputs may add to the output and cache folders, as far as can be told."""
    total = BASE_MB * 1024 * 1024
    for inp in inputs:
        try:
            size = inp.path.stat().st_size
        except OSError:
            continue
        total += size * (SPARSE_RATIO if inp.path.suffix.lower() in SPARSE_SUFFIXES else DENSE_RATIO)
    return int(total)


def _writable_folder(folder: Path, what: str) -> None:
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{what} {folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".chitieu-probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise OutputError(f"cannot write to {what} {folder}: {e.strerror or e}")


def check_output(out: Path, cache: Path, inputs: list[Input], force: bool = False) -> None:
    """`--out` (and the cache) can be written, with room for the run; an existing folder that is
    not a chitieu dataset is not written into unless `force`."""
    if out.exists() and out.is_dir() and not force and not is_output_folder(out):
        other = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
        if other:
            raise OutputError(f"--out {out} holds files that are not a chitieu dataset "
                              f"({', '.join(other[:3])}{', …' if len(other) > 3 else ''}); "
                              "choose another folder, or --force to write into it")
    _writable_folder(out, "--out")
    _writable_folder(cache, "--cache")
    need = space_needed(inputs)
    free = min(shutil.disk_usage(out).free, shutil.disk_usage(cache).free)
    log.info("about %d MB needed, %d MB free", need >> 20, free >> 20)
    if free < need:
        raise OutputError(f"not enough free space for {out}: {free >> 20} MB free, this run needs "
                          f"about {need >> 20} MB")


def dataset_size(out: Path) -> int | None:
    """Commitments in the dataset already in `out` (None when there is none)."""
    if not is_output_folder(out):
        return None
    try:
        with open(out / "commitments.csv", encoding="utf-8", newline="") as f:
            return max(0, sum(1 for _ in csv.reader(f)) - 1)
    except OSError:
        return None
