"""OCR of scanned plan pages: the pipeline against bare Tesseract, clean and degraded.

    python -m benchmarks.ocr [--pages N]

Pages of the sample plans are rendered at 300 dpi at run time, clean and
degraded (skew, blur, noise, JPEG). For each page: bare `tesseract PAGE.png -
-l vie --psm 4` (OMP_THREAD_LIMIT=1), and the pipeline's reader (rendering
excluded, preprocessing and OCR included) with its default steps and with
each preprocessing step switched on or off. CER and WER are Levenshtein
distances after NFC, `Ð`→`Đ` and collapsed whitespace.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).replace("Ð", "Đ").split())


def cer(ref: str, hyp: str) -> float:
    r, h = norm(ref), norm(hyp)
    return Levenshtein.distance(r, h) / max(1, len(r))


def wer(ref: str, hyp: str) -> float:
    r, h = norm(ref).split(), norm(hyp).split()
    return Levenshtein.distance(r, h) / max(1, len(r))


def degrade(img, seed: int):
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    img = img.rotate(rng.choice([-1.5, -1.0, 1.0, 1.5]), fillcolor=255, expand=False)
    img = img.filter(ImageFilter.GaussianBlur(radius=1.0))
    px = img.load()
    for _ in range(img.size[0] * img.size[1] // 300):
        px[rng.randrange(img.size[0]), rng.randrange(img.size[1])] = rng.choice([0, 255])
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=45)
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def bare_tesseract(img) -> tuple[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "page.png"
        img.save(p, dpi=(300, 300))
        t0 = time.time()
        out = subprocess.run(["tesseract", str(p), "-", "-l", "vie", "--psm", "4"], capture_output=True, text=True,
                             env=dict(os.environ, OMP_THREAD_LIMIT="1"), check=True).stdout
        return out, time.time() - t0


def pipeline_ocr(img, steps) -> tuple[str, float]:
    from pipeline.readers import ocr

    t0 = time.time()
    text, _ = ocr.ocr_image(ocr.preprocess(img, steps))
    return text, time.time() - t0


def main(argv=None) -> int:
    from scans import render_pages, wrap  # noqa: F401

    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=4)
    ap.add_argument("--out", default="bench-results")
    a = ap.parse_args(argv)
    texts = [(ROOT / "corpus" / "003_5de3a5a80230590c.txt").read_text("utf-8")]
    from PIL import ImageFont

    from scans import FONT, PAGE

    font = ImageFont.truetype(str(FONT), 34)
    lines = wrap(texts[0], font, PAGE[0] - 340)
    pages = render_pages(texts[0], size=34, max_pages=10)[: a.pages]
    per_page = (PAGE[1] - 340) // int(34 * 1.45)
    truths = ["\n".join(lines[i * per_page:(i + 1) * per_page]) for i in range(len(pages))]
    from pipeline.readers.ocr import PREPROCESS, tesseract_version

    tesseract_version()  # the one-time version and language check is not a per-page cost

    variants = {"default": PREPROCESS}
    from pipeline.readers.ocr import STEPS

    for step in STEPS:
        if step in PREPROCESS:
            variants[f"-{step}"] = tuple(s for s in PREPROCESS if s != step)
        else:
            variants[f"+{step}"] = PREPROCESS + (step,)
    results = {}
    for condition in ("clean", "degraded"):
        imgs = pages if condition == "clean" else [degrade(p, 11 + i) for i, p in enumerate(pages)]
        row = {}
        bare = [bare_tesseract(im) for im in imgs]
        row["bare_tesseract"] = dict(cer=sum(cer(t, o) for t, (o, _) in zip(truths, bare)) / len(imgs),
                                     wer=sum(wer(t, o) for t, (o, _) in zip(truths, bare)) / len(imgs),
                                     seconds_per_page=sum(s for _, s in bare) / len(imgs))
        for name, steps in variants.items():
            got = [pipeline_ocr(im, steps) for im in imgs]
            row[name] = dict(cer=sum(cer(t, o) for t, (o, _) in zip(truths, got)) / len(imgs),
                             wer=sum(wer(t, o) for t, (o, _) in zip(truths, got)) / len(imgs),
                             seconds_per_page=sum(s for _, s in got) / len(imgs))
        for k, v in row.items():
            print(condition, k, {m: round(x, 4) for m, x in v.items()}, flush=True)
        results[condition] = row
    Path(a.out).mkdir(parents=True, exist_ok=True)
    (Path(a.out) / "ocr.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
