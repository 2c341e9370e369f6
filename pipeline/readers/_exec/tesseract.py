"""Tesseract, the one place it is started.

One style of running it: one `tesseract` process per page image, each limited
to one thread (`OMP_THREAD_LIMIT=1` in the child's environment only; the
caller's environment is never changed). Measured on a 2-core machine (issue
#4), Tesseract's own threads make it about 5x slower than one thread per
process with pages spread over threads by the caller (`readers.ocr`).
"""
from __future__ import annotations

import csv
import io
import logging
import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from pipeline.record import OCRError, StageError

log = logging.getLogger(__name__)
TIMEOUT = 300  # seconds for one page; a page that takes longer is reported, not waited on


def _exe() -> str:
    exe = shutil.which("tesseract")
    if not exe:
        raise OCRError("tesseract is not installed; run `make setup`")
    return exe


def _run(args: list[str], timeout: int = TIMEOUT) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        res = subprocess.run([_exe(), *args], capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise OCRError(f"tesseract did not finish within {timeout} s")
    if res.returncode != 0:
        detail = (res.stderr.strip().splitlines() or ["no message"])[-1]
        raise OCRError(f"tesseract failed ({detail})")
    return res.stdout


@lru_cache(maxsize=1)
def version() -> str:
    out = _run(["--version"], timeout=30)
    return out.split()[1] if len(out.split()) > 1 else out.strip()


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    lines = _run(["--list-langs"], timeout=30).splitlines()
    return tuple(ln.strip() for ln in lines[1:] if ln.strip())


def require(lang: str = "vie") -> str:
    """The version, after checking the program and its language model are there."""
    v = version()
    if lang not in languages():
        raise OCRError(f"tesseract has no {'Vietnamese ' if lang == 'vie' else ''}model ({lang}); "
                                "run `make setup`")
    return v


def text(path: Path | str, lang: str = "vie", psm: int = 4, dpi: int | None = None) -> str:
    """Plain text of an image file, as `tesseract FILE - -l LANG --psm PSM` prints it."""
    args = [str(path), "-", "-l", lang, "--psm", str(psm)]
    if dpi:
        args += ["--dpi", str(dpi)]
    return _run(args)


def words(path: Path | str, lang: str = "vie", psm: int = 4, dpi: int | None = None) -> list[dict]:
    """Tesseract's TSV rows for the words of an image file: text, conf, block/par/line numbers, box."""
    args = [str(path), "-", "-l", lang, "--psm", str(psm)]
    if dpi:
        args += ["--dpi", str(dpi)]
    out = _run(args + ["tsv"])
    rows = []
    for r in csv.DictReader(io.StringIO(out), delimiter="\t", quoting=csv.QUOTE_NONE):
        if r.get("level") != "5" or not (r.get("text") or "").strip():
            continue
        rows.append(dict(text=r["text"], conf=float(r["conf"]),
                         line=(int(r["block_num"]), int(r["par_num"]), int(r["line_num"])),
                         box=(int(r["left"]), int(r["top"]), int(r["width"]), int(r["height"]))))
    return rows


def rotation(path: Path | str) -> int:
    """Degrees to turn the page upright (orientation detection, `--psm 0`); 0 when there is too
    little text to tell."""
    return orientation(path)[0]


def orientation(path: Path | str) -> tuple[int, float]:
    """(degrees to turn the page upright, Tesseract's confidence in it) by orientation detection
    (`--psm 0`); (0, 0.0) when there is too little text to tell."""
    try:
        out = _run([str(path), "-", "--psm", "0"], timeout=60)
    except StageError as e:
        log.debug("orientation not detected: %s", e)
        return 0, 0.0
    found = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    try:
        return int(found.get("Rotate", 0)), float(found.get("Orientation confidence", 0.0))
    except ValueError:
        return 0, 0.0


def save_for_ocr(image, directory: str, dpi: int) -> Path:
    """The image as an uncompressed TIFF carrying its resolution (a PNG costs ~0.3 s to write)."""
    path = Path(directory) / "page.tif"
    image.save(path, dpi=(dpi, dpi), compression="raw")
    return path


def image_words(image, lang: str = "vie", psm: int = 4, dpi: int = 300) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="chitieu-ocr-") as tmp:
        return words(save_for_ocr(image, tmp, dpi), lang, psm, dpi)


def image_text(image, lang: str = "vie", psm: int = 4, dpi: int = 300) -> str:
    with tempfile.TemporaryDirectory(prefix="chitieu-ocr-") as tmp:
        return text(save_for_ocr(image, tmp, dpi), lang, psm, dpi)


def image_rotation(image, dpi: int = 300) -> int:
    return image_orientation(image, dpi)[0]


def image_orientation(image, dpi: int = 300) -> tuple[int, float]:
    with tempfile.TemporaryDirectory(prefix="chitieu-osd-") as tmp:
        return orientation(save_for_ocr(image, tmp, dpi))
