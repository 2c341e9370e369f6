"""Scanned pages: preprocessing and Tesseract (`vie`) through pytesseract.

Measured on this 2-core machine (issue #4): Tesseract's own threads make it
about 5× slower, so every call runs with `OMP_THREAD_LIMIT=1` and pages are
spread over threads instead (each thread waits on its own tesseract process);
pytesseract is handed a file path, not a PIL image, which saves most of a
second per page. Results are cached by page content and settings.
"""
from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from pipeline import cache
from pipeline.record import Page, StageError

DPI = 300
PSM = 4           # a single column of text of variable sizes: plan pages with headers and lists
LOW_CONFIDENCE = 70.0
MAX_PIXELS = 60_000_000
# Steps on by default, chosen by `python -m benchmarks.ocr` (README): deskew takes degraded pages
# from 25 % to under 1 % CER; autocontrast helped less and is off.
PREPROCESS = ("greyscale", "deskew")


def require_tesseract() -> str:
    import pytesseract

    try:
        version = str(pytesseract.get_tesseract_version())
    except Exception:
        raise StageError("ocr", "tesseract is not installed; run `make setup`")
    if "vie" not in pytesseract.get_languages(config=""):
        raise StageError("ocr", "tesseract has no Vietnamese model (vie); run `make setup`")
    return version


@lru_cache(maxsize=1)
def tesseract_version() -> str:
    return require_tesseract()


def preprocess(image, steps=PREPROCESS):
    from PIL import ImageOps

    if "greyscale" in steps:
        image = ImageOps.grayscale(image)
    if "autocontrast" in steps:
        image = ImageOps.autocontrast(image, cutoff=1)
    if "deskew" in steps:
        image = deskew(image)
    return image


def _sharpness(small, angle: float) -> float:
    import numpy as np

    arr = np.asarray(small.rotate(angle, fillcolor=255), dtype=np.uint8)
    profile = (arr < 128).sum(axis=1).astype(np.float64)
    return float(np.var(profile))


def deskew(image, max_angle: float = 3.0, step: float = 0.25):
    """Rotate by the angle whose horizontal projection profile is sharpest."""
    small = image.convert("L").resize((max(1, image.width // 4), max(1, image.height // 4)))
    angles = [-max_angle + k * step for k in range(int(2 * max_angle / step) + 1)]
    best = max(angles, key=lambda a: (_sharpness(small, a), -abs(a)))
    return image.rotate(best, fillcolor=255) if abs(best) > 1e-6 else image


def ocr_image(image, lang: str = "vie", psm: int = PSM) -> tuple[str, float]:
    """Text (lines kept) and mean word confidence of one page image."""
    import pytesseract

    tesseract_version()
    if image.width * image.height > MAX_PIXELS:
        raise StageError("ocr", f"page image too large ({image.width}x{image.height} pixels)")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    with tempfile.TemporaryDirectory(prefix="chitieu-ocr-") as tmp:
        path = Path(tmp) / "page.png"
        image.save(path, dpi=(DPI, DPI))
        data = pytesseract.image_to_data(str(path), lang=lang, config=f"--psm {psm}",
                                         output_type=pytesseract.Output.DICT)
    lines: dict[tuple, list[str]] = {}
    confs = []
    for i, word in enumerate(data["text"]):
        if not word.strip():
            continue
        k = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(k, []).append(word)
        c = float(data["conf"][i])
        if c >= 0:
            confs.append(c)
    text, prev = [], None
    for k in sorted(lines):
        if prev is not None and k[:2] != prev[:2]:
            text.append("")  # a new block or paragraph
        text.append(" ".join(lines[k]))
        prev = k
    return "\n".join(text), (sum(confs) / len(confs) if confs else 0.0)


def ocr_pages(images: list, file_sha: str, numbers: list[int], source: str = "ocr", workers: int | None = None
              ) -> list[Page]:
    """OCR page images in parallel threads, through the cache."""
    settings = dict(lang="vie", psm=PSM, dpi=DPI, preprocess=list(PREPROCESS), tesseract=tesseract_version())

    def one(args):
        number, image = args
        k = cache.key("ocr", file_sha, number, settings)
        hit = cache.get("ocr", k)
        if hit is not None:
            return Page(number, hit["text"], source, hit["confidence"])
        text, conf = ocr_image(preprocess(image() if callable(image) else image))
        cache.put("ocr", k, dict(text=text, confidence=round(conf, 2)))
        return Page(number, text, source, round(conf, 2))

    workers = workers or int(os.environ.get("CHITIEU_OCR_THREADS", "0")) or (os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, zip(numbers, images)))
