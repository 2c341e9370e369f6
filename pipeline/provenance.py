"""What a dataset was made by: the code's hash, the restoration model's id, run.json.

The code hash and model id are part of every cache key, so a cached document is reused only by
the same code with the same model; run.json records both with the inputs' hashes.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
from pathlib import Path

from pipeline import __version__


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """The pipeline version and a hash of its code and data: part of every cache key."""
    h = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parents[1]
    for folder in ("pipeline", "extractors"):
        for f in sorted((root / folder).rglob("*")):
            if f.suffix in (".py", ".yaml", ".txt") and "__pycache__" not in f.parts:
                h.update(f.relative_to(root).as_posix().encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


def current_model_id() -> str:
    """The id of the active settings' restoration model ("none" when there is none)."""
    from pipeline.vietnamese.restore import model_dir

    p = model_dir() / "restore.npz"
    return "restore-" + file_sha256(p)[:12] if p.exists() else "none"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run_info(started: dt.datetime, model_id: str, documents: list[dict], skipped: list) -> dict:
    return dict(tool="chitieu", version=__version__, code=code_version(), model_id=model_id,
                started=started.isoformat(), finished=dt.datetime.now(dt.timezone.utc).isoformat(),
                inputs=[dict(path=d["path"], doc_id=d["doc_id"], sha256=d.get("sha256", "")) for d in documents],
                skipped=[dict(path=str(s.path), reason=s.reason) for s in skipped])
