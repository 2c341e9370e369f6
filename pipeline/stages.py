"""The registry of stages: name, function, and what each reads from and writes to the record.

Each stage module registers its function with `@stage(...)` (spaCy's registered components are the
model), so the flow is declared where the work is done and `pipeline()` returns it in order. What a
stage reads and writes is declared too, and checked once: every field a stage reads is written by
a stage before it (or set when the record is made), so a reordering that would starve a stage fails
at start, not as a wrong dataset.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

# The order of the flow; each name is registered by its module.
ORDER = ("read", "normalise", "language", "structure", "extract", "link")
MODULES = ("pipeline.ingest", "pipeline.normalise", "pipeline.structure", "pipeline.extract", "pipeline.link")
GIVEN = ("path", "doc_id")  # set when the record is made


@dataclass(frozen=True)
class Stage:
    name: str
    fn: Callable
    reads: tuple[str, ...]
    writes: tuple[str, ...]


REGISTRY: dict[str, Stage] = {}


def stage(name: str, reads: tuple[str, ...], writes: tuple[str, ...]):
    """Register a stage function under `name`."""
    def register(fn):
        if name in REGISTRY and REGISTRY[name].fn is not fn:
            raise ValueError(f"stage {name!r} registered twice")
        REGISTRY[name] = Stage(name, fn, tuple(reads), tuple(writes))
        return fn
    return register


@lru_cache(maxsize=1)
def pipeline() -> tuple[Stage, ...]:
    """The stages in order, their modules imported, their reads checked against earlier writes."""
    import importlib

    for module in MODULES:
        importlib.import_module(module)
    missing = [n for n in ORDER if n not in REGISTRY]
    if missing:
        raise RuntimeError(f"stages not registered: {missing}")
    available = set(GIVEN)
    for name in ORDER:
        s = REGISTRY[name]
        starved = [f for f in s.reads if f not in available]
        if starved:
            raise RuntimeError(f"stage {name!r} reads {starved}, which no earlier stage writes")
        available.update(s.writes)
    return tuple(REGISTRY[n] for n in ORDER)
