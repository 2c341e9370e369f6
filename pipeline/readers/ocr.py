"""Scanned pages: preprocessing and Tesseract (`vie`) through pytesseract.

Measured on this 2-core machine (issue #4): Tesseract's own threads make it
about 5× slower, so every call runs with `OMP_THREAD_LIMIT=1` (in the environment of
the tesseract process only, not this one's) and pages are
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


STEPS = ("greyscale", "orient", "deskew", "borders", "autocontrast", "binarize")


def preprocess(image, steps=PREPROCESS):
    """The steps named, in a fixed order."""
    from PIL import ImageOps

    if "greyscale" in steps:
        image = ImageOps.grayscale(image)
    if "orient" in steps:
        image = orient(image)
    if "deskew" in steps:
        image = deskew(image)
    if "borders" in steps:
        image = remove_borders(image)
    if "autocontrast" in steps:
        image = ImageOps.autocontrast(image, cutoff=1)
    if "binarize" in steps:
        image = binarize(image)
    return image


def orient(image):
    """Turn a page scanned sideways or upside down upright (Tesseract's orientation detection)."""
    import pytesseract

    with tempfile.TemporaryDirectory(prefix="chitieu-osd-") as tmp:
        path = Path(tmp) / "page.png"
        image.save(path, dpi=(DPI, DPI))
        try:
            osd = pytesseract.image_to_osd(str(path), config="--psm 0",
                                           output_type=pytesseract.Output.DICT)
        except Exception:  # too little text to tell: leave the page as it is
            return image
    angle = int(osd.get("rotate", 0))
    return image.rotate(-angle, expand=True, fillcolor=255) if angle else image


def remove_borders(image, max_share: float = 0.06):
    """Whiten the dark frame a scanner leaves around a page (edge rows/columns mostly dark)."""
    import numpy as np
    from PIL import Image

    arr = np.asarray(image.convert("L")).copy()
    dark = arr < 100
    h, w = arr.shape
    for axis, size in ((0, h), (1, w)):
        share = dark.mean(axis=1 - axis)
        limit = int(size * max_share)
        for edge in (range(limit), range(size - 1, size - 1 - limit, -1)):
            for i in edge:
                if share[i] < 0.5:
                    break
                if axis == 0:
                    arr[i, :] = 255
                else:
                    arr[:, i] = 255
    return Image.fromarray(arr)


def binarize(image, window: int = 41, k: float = 0.2):
    """Sauvola's adaptive threshold, with integral images."""
    import numpy as np
    from PIL import Image

    a = np.asarray(image.convert("L"), dtype=np.float64)
    pad = window // 2
    p = np.pad(a, pad + 1, mode="edge")
    s1 = p.cumsum(0).cumsum(1)
    s2 = (p * p).cumsum(0).cumsum(1)
    h, w = a.shape
    y0, y1, x0, x1 = 0, window, 0, window

    def box(s):
        return s[y1:y1 + h, x1:x1 + w] - s[y0:y0 + h, x1:x1 + w] - s[y1:y1 + h, x0:x0 + w] + s[y0:y0 + h, x0:x0 + w]

    n = window * window
    mean = box(s1) / n
    std = np.sqrt(np.maximum(box(s2) / n - mean * mean, 0))
    threshold = mean * (1 + k * (std / 128 - 1))
    return Image.fromarray(np.where(a > threshold, 255, 0).astype(np.uint8))


def _sharpness(small, angle: float) -> float:
    import numpy as np

    arr = np.asarray(small.rotate(angle, fillcolor=255), dtype=np.uint8)
    profile = (arr < 128).sum(axis=1).astype(np.float64)
    return float(np.var(profile))


def deskew(image, max_angle: float = 3.0, step: float = 0.25):
    """Rotate by the angle whose horizontal projection profile is sharpest: every half degree,
    then in quarter degrees around the best."""
    small = image.convert("L").resize((max(1, image.width // 4), max(1, image.height // 4)))
    score = {}

    def sharp(a):
        if a not in score:
            score[a] = (_sharpness(small, a), -abs(a))
        return score[a]

    coarse = [-max_angle + k * 2 * step for k in range(int(max_angle / step) + 1)]
    best = max(coarse, key=sharp)
    best = max((best - step, best, best + step), key=sharp)
    return image.rotate(best, fillcolor=255) if abs(best) > 1e-6 else image


def _tesseract_tsv(path: Path, lang: str, psm: int) -> dict[str, list]:
    """Tesseract's TSV of one page as columns (pytesseract's `image_to_data` dict), run with
    OMP_THREAD_LIMIT=1 in its own environment rather than the process's."""
    import subprocess

    res = subprocess.run(["tesseract", str(path), "stdout", "-l", lang, "--psm", str(psm), "--dpi", str(DPI),
                          "tsv"], capture_output=True, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    if res.returncode != 0:
        last = (res.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise StageError("ocr", f"tesseract failed on a page: {last[:200]}")
    rows = [line.split("\t") for line in res.stdout.decode("utf-8", "replace").splitlines()] or [["text"]]
    header, body = rows[0], [r for r in rows[1:] if len(r) == len(rows[0])]
    data = {name: [r[i] for r in body] for i, name in enumerate(header)}
    for name in header[:-1]:  # every column but the text is a number; pytesseract's ints (conf truncated)
        data[name] = [int(float(v)) for v in data[name]]
    return data


def ocr_image(image, lang: str = "vie", psm: int = PSM) -> tuple[str, float]:
    """Text (lines kept) and mean word confidence of one page image."""
    tesseract_version()
    if image.width * image.height > MAX_PIXELS:
        raise StageError("ocr", f"page image too large ({image.width}x{image.height} pixels)")
    with tempfile.TemporaryDirectory(prefix="chitieu-ocr-") as tmp:
        path = Path(tmp) / "page.tif"
        image.save(path, dpi=(DPI, DPI), compression="raw")  # uncompressed: a PNG costs ~0.3 s to write
        data = _tesseract_tsv(path, lang, psm)
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

    from pipeline.settings import active

    workers = workers or active().ocr_threads or (os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, zip(numbers, images)))
