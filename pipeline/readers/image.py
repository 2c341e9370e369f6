"""Page images (PNG, JPEG, TIFF with any number of pages), read by Tesseract."""
from __future__ import annotations

import io

from pipeline.readers.ocr import MAX_PIXELS, ocr_pages
from pipeline.record import Page, StageError


def read_image(data: bytes, sha256: str = "") -> list[Page]:
    from PIL import Image, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError) as e:
        raise StageError("read", f"not a readable image ({type(e).__name__})")
    w, h = img.size
    if w * h > MAX_PIXELS:
        raise StageError("read", f"image declares {w}x{h} pixels, over the {MAX_PIXELS:,} limit")
    frames = []
    try:
        for k in range(getattr(img, "n_frames", 1)):
            img.seek(k)
            frames.append(img.copy())
    except (OSError, Image.DecompressionBombError) as e:
        raise StageError("read", f"broken image ({type(e).__name__}: {e})".splitlines()[0])
    return ocr_pages(frames, sha256, list(range(1, len(frames) + 1)))
