"""One content-addressed cache for expensive work (OCR pages, today).

A key is a hash of everything the result depends on (file content, page,
settings, program versions, pipeline version); values are JSON files written
atomically, so an interrupted run leaves either a whole entry or none. The
folder is the active settings' `cache_dir` (`chitieu extract` makes it
`OUT/.cache`, or `--cache PATH`); without one nothing is cached.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path


def cache_dir() -> Path | None:
    from pipeline.settings import active

    return active().cache_dir


def key(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def get(kind: str, k: str):
    d = cache_dir()
    if d is None:
        return None
    p = d / kind / k[:2] / f"{k}.json"
    try:
        return json.loads(p.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def put(kind: str, k: str, value) -> None:
    d = cache_dir()
    if d is None:
        return
    p = d / kind / k[:2] / f"{k}.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False)
    os.replace(tmp, p)


def values(kind: str) -> list[tuple[str, object]]:
    """Every (key, value) of a kind, in key order: what earlier runs into the same folder left."""
    d = cache_dir()
    if d is None or not (d / kind).is_dir():
        return []
    out = []
    for p in sorted((d / kind).glob("*/*.json"), key=lambda p: p.stem):
        try:
            out.append((p.stem, json.loads(p.read_text("utf-8"))))
        except (OSError, ValueError):
            continue  # a half-written entry of a killed run is no entry
    return out
