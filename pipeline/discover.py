"""Which files a run reads, under which doc_id, and which it passes over (and why).

Folders are searched recursively. Passed over, each with a reason that the summary and errors.csv
(stage `skipped`) show, because a file left out without a word looks like a file that was read:
- hidden files and folders (a hidden folder is one entry, not one per file inside);
- files whose extension no reader takes (`.xlsx`, `.zip`, …);
- chitieu output folders (a `run.json` beside `commitments.csv`) and the run's own `--out`:
  an earlier output inside an archive would otherwise be read as new plans (its `text/` folder).
A file named on the command line is always read, whatever its extension (the content decides).
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest import SUPPORTED

log = logging.getLogger(__name__)


@dataclass
class Input:
    path: Path
    doc_id: str
    sha256: str | None = None   # set once by the batch (duplicates, cache keys)


@dataclass
class Skipped:
    path: Path
    reason: str


def is_output_folder(folder: Path) -> bool:
    """A dataset written by chitieu: its run.json beside its commitments.csv."""
    return (folder / "run.json").is_file() and (folder / "commitments.csv").is_file()


def discover(args: list[str], out: Path | None = None) -> tuple[list[Input], list[Skipped]]:
    """Files named, and files under folders named, with the spec's doc_ids: the path relative to the
    folder without its extension, or with it where two files would otherwise share an id."""
    found: list[tuple[Path, str, str]] = []  # path, id without extension, id with extension
    skipped: list[Skipped] = []
    own = out.resolve() if out is not None else None
    for a in args:
        p = Path(a)
        if p.is_dir():
            _walk(p, own, found, skipped)
        else:
            found.append((p, p.stem if p.suffix else p.name, p.name))
    counts: dict[str, int] = {}
    for _, stem, _ in found:
        counts[stem] = counts.get(stem, 0) + 1
    inputs = [Input(f, stem if counts[stem] == 1 else full) for f, stem, full in found]
    log.info("%d input files, %d passed over", len(inputs), len(skipped))
    return inputs, sorted(skipped, key=lambda s: s.path.as_posix())


def _folder_reason(d: Path, own: Path | None) -> str | None:
    if own is not None and d.resolve() == own:
        return "the output folder of this run"
    if is_output_folder(d):
        return "a chitieu output folder (run.json beside commitments.csv)"
    return None


def _walk(root: Path, own: Path | None, found: list, skipped: list[Skipped]) -> None:
    reason = _folder_reason(root, own)
    if reason:
        skipped.append(Skipped(root, reason))
        return
    here_found = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        keep = []
        for d in sorted(dirs):
            reason = "hidden folder" if d.startswith(".") else _folder_reason(here / d, own)
            if reason:
                skipped.append(Skipped(here / d, reason))
            else:
                keep.append(d)
        dirs[:] = keep
        for name in files:
            f = here / name
            if name.startswith("."):
                skipped.append(Skipped(f, "hidden file"))
            elif f.suffix.lower() not in SUPPORTED:
                skipped.append(Skipped(f, f"unsupported file type ({f.suffix.lower() or 'no extension'})"))
            elif f.is_file():
                rel = f.relative_to(root).as_posix()
                here_found.append((f, rel[: -len(f.suffix)] if f.suffix else rel, rel))
    found.extend(sorted(here_found, key=lambda t: t[0]))


def collect_inputs(args: list[str], out: Path | None = None) -> list[Input]:
    """The inputs of `discover`, without what it passed over (for `chitieu model adapt`)."""
    return discover(args, out)[0]
