"""Scanned pages made at test time: text rendered to 300 dpi images with a Vietnamese font."""
from __future__ import annotations

from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
PAGE = (2480, 3508)  # A4 at 300 dpi


def wrap(text: str, font, width: int) -> list[str]:
    lines = []
    for par in text.split("\n"):
        cur = ""
        for w in par.split():
            trial = f"{cur} {w}".strip()
            if cur and font.getlength(trial) > width:
                lines.append(cur)
                cur = w
            else:
                cur = trial
        lines.append(cur)
    return lines


def render_pages(text: str, size: int = 34, max_pages: int = 3, dpi: int = 300) -> list:
    """A4 pages at `dpi`; `size` is the font size in pixels at 300 dpi (34 px: 8 pt)."""
    from PIL import Image, ImageDraw, ImageFont

    assert FONT.exists(), f"{FONT} missing: `make setup` installs fonts-dejavu-core"
    scale = dpi / 300
    size = round(size * scale)
    page = (round(PAGE[0] * scale), round(PAGE[1] * scale))
    font = ImageFont.truetype(str(FONT), size)
    margin = round(170 * scale)
    lines = wrap(text, font, page[0] - 2 * margin)
    step = int(size * 1.45)
    per_page = (page[1] - 2 * margin) // step
    pages = []
    for p in range(0, len(lines), per_page):
        img = Image.new("L", page, 255)
        draw = ImageDraw.Draw(img)
        for k, line in enumerate(lines[p:p + per_page]):
            draw.text((margin, margin + k * step), line, font=font, fill=0)
        pages.append(img)
    assert len(pages) <= max_pages, f"{len(pages)} pages: OCR tests use at most {max_pages}"
    return pages


def image_pdf(images, path: Path, dpi: int = 300) -> None:
    images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi)


def two_column_header(path: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), 38)
    bold = ImageFont.truetype(str(FONT).replace("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"), 38) \
        if Path(str(FONT).replace("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf")).exists() else font
    img = Image.new("L", (PAGE[0], 1400), 255)
    d = ImageDraw.Draw(img)
    left, right = 200, 1150
    d.text((left + 90, 150), "ỦY BAN NHÂN DÂN", font=font, fill=0)
    d.text((right, 150), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=bold, fill=0)
    d.text((left + 120, 210), "TỈNH LAI CHÂU", font=bold, fill=0)
    d.text((right + 180, 210), "Độc lập - Tự do - Hạnh phúc", font=bold, fill=0)
    d.text((left + 40, 330), "Số: 767/KH-UBND", font=font, fill=0)
    d.text((right + 120, 330), "Lai Châu, ngày 31 tháng 3 năm 2021", font=font, fill=0)
    d.text((1100, 520), "KẾ HOẠCH", font=bold, fill=0)
    d.text((500, 590), "Triển khai thực hiện chính sách an sinh xã hội trên địa bàn tỉnh", font=font, fill=0)
    d.text((200, 720), "Phấn đấu đến năm 2025, tỷ lệ bao phủ bảo hiểm y tế toàn dân đạt 98%.", font=font, fill=0)
    img.save(path, dpi=(300, 300))
