"""Rendering text lines to page images and reading them back with Tesseract.

Used to learn the OCR channel (`build.py`) and by benchmarks: the damage a
real archive's English-model OCR did is reproduced on text whose truth is known.
"""
from __future__ import annotations

import random
from pathlib import Path

FONTS = ["/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
         "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
         "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
         "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"]


def available_fonts() -> list[str]:
    fonts = [f for f in FONTS if Path(f).exists()]
    if not fonts:
        raise RuntimeError("no fonts with Vietnamese glyphs; `make setup` installs fonts-dejavu-core")
    return fonts


def render_lines(lines: list[str], font_path: str, size: int, seed: int, degrade: bool = False):
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(font_path, size)
    rng = random.Random(seed)
    line_h = int(size * 1.6)
    width = 2480
    img = Image.new("L", (width, line_h * len(lines) + 200), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((150, 100 + i * line_h), line, font=font, fill=0)
    if degrade:
        img = img.filter(ImageFilter.GaussianBlur(radius=rng.choice([0.6, 0.9, 1.2])))
        px = img.load()
        for _ in range(img.size[0] * img.size[1] // 400):
            x, y = rng.randrange(img.size[0]), rng.randrange(img.size[1])
            px[x, y] = rng.choice([0, 255])
    return img


def tesseract(image, lang: str = "eng", psm: int = 6) -> str:
    from pipeline.readers._exec import tesseract as exe

    return exe.image_text(image, lang, psm, dpi=300)


def ocr_lines(lines: list[str], font: str, size: int, seed: int, degrade: bool = False) -> list[str]:
    """OCR of rendered lines, one output line per input line (blank lines dropped)."""
    text = tesseract(render_lines(lines, font, size, seed, degrade))
    return [ln for ln in text.split("\n") if ln.strip()]


def scan_lines(lines: list[str], font: str, size: int, seed: int, dpi: int) -> list[str]:
    """Lines rendered and degraded as a scan at `dpi`, read as the pipeline reads a scanned page
    (its preprocessing, Tesseract `vie`, its repairs): one output line per input line."""
    from pipeline.readers.ocr import ocr_image, preprocess
    from pipeline.readers.ocr_text import repair

    text, _ = ocr_image(preprocess(render_lines(lines, font, size, seed, degrade=True), dpi=dpi), "vie", dpi=dpi)
    return [ln for ln in repair(text).split("\n") if ln.strip()]
