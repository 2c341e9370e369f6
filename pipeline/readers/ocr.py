"""Scanned pages: preprocessing, then Tesseract (`vie`) through `_exec.tesseract`.

A page (`read_page`) is made upright and straight, its ruled tables found and their rules erased
(`ruled`), its faint marks dropped, read once by Tesseract, and its words made into text
(`ocr_layout`: tables as rows of cells, the head and the signature block column by column).

Pages are spread over threads, each waiting on its own single-threaded
tesseract process (the one running style of `_exec.tesseract`, measured in
issue #4). Each page is read at its own resolution (`dpi`), which the readers
work out from the scan. Results are cached by page content and settings; digits
read as letters and running page numbers are repaired after (`ocr_text`).
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from pipeline import cache
from pipeline.readers import ruled
from pipeline.readers.ocr_layout import CACHE_KEY as LAYOUT, page_text
from pipeline.readers._exec import tesseract
from pipeline.readers.ocr_text import repair
from pipeline.record import OCRError, Page

log = logging.getLogger(__name__)

DPI = 300         # the resolution a page is rendered at when nothing tells its own, and the most
# The least: a scan below it is enlarged to it. Measured (`python -m benchmarks.ocr --floors`, README):
# on degraded 150-dpi pages, reading at 150 beat enlarging to 200, 250 or 300 dpi.
FLOOR = 150
A4_WIDTH_IN = 8.27
# One uniform block of text. Measured (`python -m benchmarks.ocr --psm 3,6`, README): on degraded
# plan pages at 150 and 200 dpi in two faces, --psm 6 gave 0.977-0.987 syllable accuracy where the
# former --psm 4 gave 0.928-0.976 and --psm 3 0.927-0.978, at the same CPU.
PSM = 6
LINES = "block"   # what a blank line between OCR'd lines marks (part of the page cache key)
LOW_CONFIDENCE = 70.0
MAX_THREADS = 8   # pages read at once by default, however many cores (each waits on one tesseract)
MAX_PIXELS = 60_000_000
# Steps on by default, chosen by `python -m benchmarks.ocr` (README): deskew takes degraded pages
# from 25 % to under 1 % CER; autocontrast helped less and is off.
# `faint` (drop_faint) was measured the same way on pages under a grey seal, a red one and none
# (`--seals grey,red,none --steps greyscale+deskew+faint`, README): at 200 dpi it raised the OCR's
# syllables in five conditions of six (a grey ring: 0.977 -> 0.988 Liberation, 0.981 -> 0.997 DejaVu),
# at 150 dpi it lowered them in five of six (thin strokes are themselves faint there): on from
# FAINT_MIN_DPI.
PREPROCESS = ("greyscale", "upright", "deskew", "faint")
# a page whose rows' ink varies this many times more than its columns' has its lines across it and
# is not shown to orientation detection (`upright`): measured on rendered pages, text 27 upright and
# 0.04 sideways, a ruled table 1.1 and 0.9
ACROSS = 4.0
OSD_CONFIDENCE = 5.0  # Tesseract's orientation confidence: a ruled table sideways gave 12, upright 14
FAINT_MIN_DPI = 200
PALE_SHARE = 0.25  # drop_faint leaves a page alone when fewer of its marks than this are dark ink


def ocr_dpi(native: float | None) -> int:
    """The resolution to read a scan at: its own, raised to the floor, lowered to `DPI` (more
    pixels than 300 dpi cost time and gain nothing); `DPI` when the scan's own is unknown."""
    if not native or native < 30:
        return DPI
    return int(round(min(max(native, FLOOR), DPI)))


def image_dpi(image) -> float:
    """An image file's own resolution: the dpi it declares, or, when it declares none (or an
    implausible one), the one its pixel width gives an A4 page."""
    declared = image.info.get("dpi")
    try:
        d = float(declared[0]) if declared else 0.0
    except (TypeError, ValueError, IndexError):
        d = 0.0
    if 50 <= d <= 1200:
        return d
    return min(image.size) / A4_WIDTH_IN


def at_dpi(image, native: float, dpi: int):
    """The image resampled from its own resolution to `dpi` (unchanged when they agree)."""
    from PIL import Image

    if abs(native - dpi) < 1:
        return image
    scale = dpi / native
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.LANCZOS if scale < 1 else Image.BICUBIC)


def require_tesseract() -> str:
    return tesseract.require("vie")


tesseract_version = require_tesseract  # the version string is part of the OCR cache key


STEPS = ("greyscale", "orient", "upright", "deskew", "borders", "faint", "autocontrast", "binarize")
GEOMETRY = ("greyscale", "orient", "upright", "deskew", "borders")  # the steps that make a page upright and straight
# Red ink (a seal, a red stamp or signature) over a line: where a pixel is redder than it is green or
# blue by more than this, its grey is its red channel raised by that margin, so the seal's ring turns
# white and the black letters under it stay black. Measured (`python -m benchmarks.ocr` conditions,
# README): a red ring over 8 pages of 4 plans cost 0.9 points of syllables and 3 of numbers read as
# plain luminance; dropped, the pages read as well as without it.
RED_MARGIN = 25
# Dark red letters are dropped with it: lifting only light red (R >= 160) kept them but lost 0.5-1.1
# points of syllables under the benchmark's red seal in each of its four conditions (session 7).
DROPOUT = "red"


def preprocess(image, steps=None, dpi: int | None = None):
    """The steps named (PREPROCESS, read when called, so that a benchmark may set it), in a fixed
    order, for a page read at `dpi`."""
    from PIL import ImageOps

    steps = PREPROCESS if steps is None else steps
    if "greyscale" in steps:
        image = greyscale(image)
    if "orient" in steps:
        image = orient(image)
    if "upright" in steps:
        image = upright(image, dpi)
    if "deskew" in steps:
        image = deskew(image)
    if "borders" in steps:
        image = remove_borders(image)
    if "faint" in steps and (dpi is None or dpi >= FAINT_MIN_DPI):
        image = drop_faint(image, dpi)
    if "autocontrast" in steps:
        image = ImageOps.autocontrast(image, cutoff=1)
    if "binarize" in steps:
        image = binarize(image)
    return image


def greyscale(image):
    """Luminance, with red ink dropped (RED_MARGIN): Vietnamese seals and many signatures are red,
    and as luminance a red ring is as dark as the letters it crosses. A grey image is as it is.
    Done in 8-bit bands (saturating arithmetic gives the same pixels as signed sums would): a
    300-dpi colour page in 16-bit arrays took 50 MB more per OCR thread."""
    from PIL import Image, ImageChops, ImageOps

    if image.mode in ("L", "1", "I", "F", "I;16"):
        return image.convert("L")
    rgb = image.convert("RGB")
    grey = ImageOps.grayscale(rgb)
    r, g, b = rgb.split()
    excess = ImageChops.subtract(r, ImageChops.lighter(g, b))  # red over the brighter of green and blue, >= 0
    red = excess.point(lambda v: 255 if v > RED_MARGIN else 0)
    if not red.getbbox():
        return grey
    return Image.composite(ImageChops.add(r, excess), grey, red)  # add saturates at 255


def drop_faint(image, dpi: int | None = None, ink: int = 90, faint: int = 110):
    """Whiten light grey that touches no ink: a grey seal's ring, a fold, background speckle; the
    grey edges of letters lie within two pixels at 200 dpi (more at more dpi) of their dark cores
    and stay. A page whose letters are themselves faint (a pale copy: under PALE_SHARE of its marks
    dark) is left as it is, as nothing tells its letters from a seal."""
    import numpy as np
    from PIL import Image

    reach = max(1, round(2 * (dpi or FAINT_MIN_DPI) / FAINT_MIN_DPI))
    a = np.asarray(image.convert("L"))
    dark = a < ink
    if dark.sum() < PALE_SHARE * (a < 200).sum():
        return image
    near = dark.copy()
    h, w = a.shape
    for dy in range(-reach, reach + 1):
        for dx in range(-reach, reach + 1):
            if dy or dx:
                near[max(0, dy):h + min(0, dy), max(0, dx):w + min(0, dx)] |= \
                    dark[max(0, -dy):h + min(0, -dy), max(0, -dx):w + min(0, -dx)]
    return Image.fromarray(np.where((a > faint) & ~near, 255, a).astype(np.uint8))


def orient(image):
    """Turn a page scanned sideways or upside down upright (Tesseract's orientation detection)."""
    angle = tesseract.image_rotation(image)
    return image.rotate(-angle, expand=True, fillcolor=255) if angle else image


def lines_across(image) -> float:
    """How much more the ink of the page's rows varies than that of its columns: far above 1 when
    its lines of text run across it (a line, then the blank between lines), far below when it lies
    sideways, near 1 for a table (its cells line up both ways). A table's rules are left out first
    (runs of ink longer than a word, either way)."""
    import numpy as np

    small = image.convert("L").resize((max(1, image.width // 4), max(1, image.height // 4)))
    dark = np.asarray(small) < 128
    run = max(8, round(min(small.size) / 12))
    dark &= ~(ruled.covered(dark, run) | ruled.covered(dark.T, run).T)
    if dark.sum() < 50:
        return float("inf")
    cols = float(np.var(dark.mean(axis=0)))
    return float(np.var(dark.mean(axis=1))) / cols if cols else float("inf")


def upright(image, dpi: int | None = None):
    """A page scanned sideways (a landscape table on a portrait scan) turned upright. Tesseract's
    orientation detection costs a second or two a page, so it is asked only where the ink does not
    already say the lines run across (`lines_across` under ACROSS: a sideways page, or a table),
    and followed only for a quarter turn it is sure of (OSD_CONFIDENCE)."""
    if lines_across(image) >= ACROSS:
        return image
    angle, confidence = tesseract.image_orientation(image, dpi or DPI)
    if angle in (90, 270) and confidence >= OSD_CONFIDENCE:
        return image.rotate(-angle, expand=True, fillcolor=255)
    return image


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


def ocr_image(image, lang: str = "vie", psm: int | None = None, dpi: int = DPI,
              tables: list | None = None, columns: bool = False, head: bool = True) -> tuple[str, float]:
    """Text (lines kept) and mean word confidence of one page image, whose resolution is `dpi`.
    The words inside a ruled table (`tables`, found by `ruled.find_tables`) are put into its cells
    and the table given as rows where its first word's line would stand; with `columns`, the head
    (on a document's first page, `head`) and the signature block are read column by column
    (`ocr_layout`)."""
    if image.width * image.height > MAX_PIXELS:
        raise OCRError(f"page image too large ({image.width}x{image.height} pixels)")
    words = tesseract.image_words(image, lang, psm or PSM, dpi)
    confs = [w["conf"] for w in words if w["conf"] >= 0]
    text = page_text(words, tables or [], dpi if columns else 0, head=head)
    return text, (sum(confs) / len(confs) if confs else 0.0)


def read_page(image, dpi: int, first: bool = True) -> tuple[str, float]:
    """One page image through the preprocessing steps and Tesseract. Ruled tables are looked for
    once the page is upright and straight, before the faint marks go (`drop_faint` would take
    the thin grey rules of a scan with them), and their rules are erased before the OCR."""
    steps = PREPROCESS
    straight = preprocess(image, [s for s in steps if s in GEOMETRY], dpi=dpi)
    tables, rules = ruled.find_tables(straight, dpi)
    page = preprocess(straight, [s for s in steps if s not in GEOMETRY], dpi=dpi)
    if tables:
        page = ruled.erase(page, rules)
    return ocr_image(page, dpi=dpi, tables=tables, columns=True, head=first)


def ocr_pages(images: list, file_sha: str, numbers: list[int], source: str | list[str] = "ocr",
              workers: int | None = None, dpis: list[int] | None = None) -> list[Page]:
    """OCR page images in parallel threads, through the cache. An image may be a callable that
    makes it (a PDF page rendered on demand); `dpis` are the pages' resolutions."""
    sources = [source] * len(numbers) if isinstance(source, str) else list(source)
    dpis = list(dpis) if dpis else [DPI] * len(numbers)
    settings = dict(lang="vie", psm=PSM, preprocess=list(PREPROCESS), tesseract=tesseract_version(),
                    lines=LINES, dropout=[DROPOUT, RED_MARGIN],
                    faint=[FAINT_MIN_DPI, PALE_SHARE, drop_faint.__defaults__],
                    ruled=[ruled.H_RULE, ruled.REACH, ruled.MIN_ROW, ruled.INK, ruled.FILL, ruled.SPECK, ruled.SLANT],
                    layout=list(LAYOUT), upright=[ACROSS, OSD_CONFIDENCE])

    def one(args):
        number, image, src, dpi = args
        k = cache.key("ocr", file_sha, number, dict(settings, dpi=dpi))
        hit = cache.get("ocr", k)
        if hit is None:
            text, conf = read_page(image() if callable(image) else image, dpi, first=number == 1)
            hit = dict(text=text, confidence=round(conf, 2))
            cache.put("ocr", k, hit)
        # repaired after the cache, so a change of the repair rules needs no new OCR
        return Page(number, repair(hit["text"]), src, hit["confidence"], dpi)

    from pipeline.settings import active

    from pipeline.pool import cpu_count

    # the cores this process may use (its affinity, not the host's count), no more threads than pages,
    # and at most MAX_THREADS: each thread's stack and allocator arena count in the worker's memory limit
    workers = min(workers or active().ocr_threads or min(cpu_count(), MAX_THREADS), max(1, len(numbers)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, zip(numbers, images, sources, dpis)))
