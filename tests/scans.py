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


def ruled_table_page(path: Path | None, rows: list[list[str]], widths: list[int], heading: str = "",
                     dpi: int = 200, merged: tuple[int, int] | None = None, noise: bool = True,
                     text_fill: int = 0, tilt: float = 0.5):
    """A page with a heading and a ruled table (thin grey rules, as a scanner gives a 0.5-pt line),
    cells of several lines where the text is longer than the column, tilted by `tilt` degrees,
    blurred and specked. `widths` in pixels at `dpi`; `merged` (row, column): that cell spans the
    next column too, whose rule is left out in that row; `text_fill` 255 draws the rules alone."""
    import random

    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(str(FONT), round(30 * dpi / 300))
    page = (round(PAGE[0] * dpi / 300), round(PAGE[1] * dpi / 300))
    img = Image.new("L", page, 255)
    d = ImageDraw.Draw(img)
    x0, y = round(170 * dpi / 300), round(170 * dpi / 300)
    line_h, pad = round(font.size * 1.35), round(font.size * 0.4)
    if heading:
        for line in wrap(heading, font, page[0] - 2 * x0):
            d.text((x0, y), line, font=font, fill=text_fill)
            y += line_h
        y += line_h
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    top = y
    d.line((xs[0], y, xs[-1], y), fill=90, width=2)
    for r, row in enumerate(rows):
        cells = [wrap(text, font, widths[c] - 2 * pad) for c, text in enumerate(row)]
        height = max(len(c) for c in cells) * line_h + 2 * pad
        for c, lines in enumerate(cells):
            for k, line in enumerate(lines):
                d.text((xs[c] + pad, y + pad + k * line_h), line, font=font, fill=text_fill)
        for c, x in enumerate(xs):
            if merged != (r, c - 1):
                d.line((x, y, x, y + height), fill=90, width=2)
        y += height
        d.line((xs[0], y, xs[-1], y), fill=90, width=2)
    assert y < page[1] - x0 and top < y
    img = img.rotate(tilt, fillcolor=255, resample=Image.BICUBIC)
    if noise:
        img = img.filter(ImageFilter.GaussianBlur(radius=0.6))
        rng = random.Random(7)
        px = img.load()
        for _ in range(img.width * img.height // 800):
            px[rng.randrange(img.width), rng.randrange(img.height)] = rng.choice([0, 255])
    if path is not None:
        img.save(path, dpi=(dpi, dpi))
    return img


def wrapped_head(path: Path) -> None:
    """A head whose narrow columns wrap: the number and the place-and-date each on two lines, as a
    plan set in a narrow head table prints them; then the title and one target."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), 38)
    img = Image.new("L", (PAGE[0], 1500), 255)
    d = ImageDraw.Draw(img)
    left, right = 260, 1060
    for k, (a, b) in enumerate([("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA"),
                                ("TỈNH ĐIỆN BIÊN", "VIỆT NAM"),
                                ("", "Độc lập - Tự do - Hạnh phúc"),
                                ("Số: 1245/KH-", "Điện Biên, ngày 17 tháng"),
                                ("UBND", "10 năm 2026")]):
        y = 150 + k * 60 + (60 if k >= 3 else 0)
        if a:
            d.text((left, y), a, font=font, fill=0)
        d.text((right, y), b, font=font, fill=0)
    d.text((1080, 640), "KẾ HOẠCH", font=font, fill=0)
    d.text((420, 700), "Phát triển văn hóa đọc trên địa bàn tỉnh giai đoạn 2027 - 2030", font=font, fill=0)
    d.text((200, 830), "Phấn đấu đến năm 2030, 100% thư viện cấp xã được số hóa tài liệu.", font=font, fill=0)
    img.save(path, dpi=(300, 300))
