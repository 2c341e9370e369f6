"""The settings of one run, as one object passed down, instead of environment variables.

Earlier the batch wrote `CHITIEU_CACHE_DIR`, `CHITIEU_MODEL_DIR` and `CHITIEU_OCR_THREADS` into
`os.environ` while it ran, so calling it from Python changed the caller's environment. Now the batch
builds a `Settings`, hands it to every worker, and a worker makes it the active settings for the
document it runs (`use`); deep stages that are not handed it (the cache, the OCR threads, the
restoration model's folder) read `active()`. The environment variables are still read, once, as
defaults (`from_env`), so a shell that sets them keeps working.
"""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    cache_dir: Path | None = None      # finished work (documents, OCR pages); None: nothing cached
    model_dir: Path | None = None      # restoration model folder; None: models/ of the checkout
    ocr_threads: int = 0               # Tesseract pages in parallel per document; 0: all cores
    workers: int | None = None         # documents in parallel; None: all cores
    timeout: float | None = 900        # seconds per document before it is given up
    memory_mb: int | None = 6144       # how far a worker's address space may grow past its fork
    password: str | None = None        # for encrypted PDFs
    scheduler: str | None = None       # a Dask distributed scheduler to run documents on
    adapt: bool = True                 # the run's clean plans adapt the model before damaged ones are restored

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Defaults from the environment (read, never written), then the overrides given."""
        env = os.environ
        base = cls(cache_dir=Path(env["CHITIEU_CACHE_DIR"]) if env.get("CHITIEU_CACHE_DIR") else None,
                   model_dir=Path(env["CHITIEU_MODEL_DIR"]) if env.get("CHITIEU_MODEL_DIR") else None,
                   ocr_threads=int(env.get("CHITIEU_OCR_THREADS") or 0))
        return replace(base, **{k: v for k, v in overrides.items() if v is not None})

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)


_active: Settings | None = None


def active() -> Settings:
    """The settings of the document being processed (or the environment's, outside a run)."""
    return _active if _active is not None else Settings.from_env()


@contextlib.contextmanager
def use(settings: Settings):
    """Make `settings` the active ones for the block; the previous ones are restored after.
    A module variable rather than a context variable, so the OCR threads of a document see it."""
    global _active
    previous, _active = _active, settings
    try:
        yield settings
    finally:
        _active = previous
