"""Page images (PNG, JPEG, TIFF with any number of pages), read by Tesseract.

Each frame is read at its own resolution (the dpi it declares, or the one its
width gives an A4 page), raised to the OCR floor or lowered to 300 dpi.
"""
from __future__ import annotations

import io

from pipeline.readers.ocr import MAX_PIXELS, at_dpi, image_dpi, ocr_dpi, ocr_pages
from pipeline.readers.page_breaks import join_split_rows
from pipeline.record import Page, ReadError


def read_image(data: bytes, sha256: str = "") -> list[Page]:
    from PIL import Image, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError) as e:
        raise ReadError(f"not a readable image ({type(e).__name__})")
    w, h = img.size
    if w * h > MAX_PIXELS:
        raise ReadError(f"image declares {w}x{h} pixels, over the {MAX_PIXELS:,} limit")
    frames, dpis = [], []
    try:
        for k in range(getattr(img, "n_frames", 1)):
            img.seek(k)
            frame = img.copy()
            native = image_dpi(frame)
            dpis.append(ocr_dpi(native))
            frames.append(_resampler(frame, native, dpis[-1]))
    except (OSError, Image.DecompressionBombError) as e:
        raise ReadError(f"broken image ({type(e).__name__}: {e})".splitlines()[0])
    pages = ocr_pages(frames, sha256, list(range(1, len(frames) + 1)), dpis=dpis)
    join_split_rows(pages)
    return pages


def _resampler(frame, native: float, dpi: int):
    return lambda: at_dpi(frame, native, dpi)
