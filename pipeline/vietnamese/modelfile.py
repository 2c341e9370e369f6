"""The model file: how `restore.npz` is written (bytes that depend only on its content) and named.

Shared by the build (training/) and the run (an adapted model cached in an output folder), so that
neither has to import the other.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _npy(arr) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return buf.getvalue()


def write_model(path: Path, arrays: dict) -> None:
    """An .npz whose bytes depend only on its content (fixed zip times, sorted names), written
    atomically."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, _npy(arrays[name]))
    tmp.replace(path)
