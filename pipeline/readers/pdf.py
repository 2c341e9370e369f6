"""PDFs, page by page: the text layer where it covers the page, Tesseract where it does not.

Each page's `source` says how it was read and why:
- `text-layer`: its text layer, which is usable and covers the page;
- `ocr`: the layer is missing, empty, `(cid:NN)` glyph soup or undecodable;
- `ocr-redo`: the layer is itself English-model OCR (diacritics lost, as the
  normalise stage detects) over an image: reading the page beats any repair;
- `ocr-stamp-only`: an image covers most of the page and the layer is a stamp
  of a few lines (a digital-signature note over a scanned cover letter), so
  the number, date, issuer and signer would be lost without OCR;
- `ocr-image`: an image covers most of the page and the layer's lines cover
  little of it (text in the image that the layer does not carry). A scanned page is rendered with pypdfium2 at the
resolution of its largest image (its pixels over its placed size), raised to the
OCR floor and lowered to 300 dpi; a page without images at 300 dpi.
"""
from __future__ import annotations

import io
import logging
import threading
import unicodedata

import regex

from pipeline.readers.blocks import BLOCKS, GUTTER, read_columns
from pipeline.readers.cell_text import join_lines
from pipeline.readers.docx import CELL_SEP
from pipeline.readers.ocr import ocr_dpi, ocr_pages
from pipeline.readers.ocr_text import drop_page_numbers, is_page_number
from pipeline.readers.page_breaks import join_split_rows
from pipeline.readers.widgets import add_widget_text
from pipeline.record import Page, ReadError

log = logging.getLogger(__name__)
CID = regex.compile(r"\(cid:\d+\)")


def _fix_winansi() -> None:
    """pdfminer reads byte 0xAD of WinAnsiEncoding as a space (its table puts `space` there, where
    the PDF reference has the soft hyphen, Windows-1252's U+00AD). TCVN3 fonts draw `ư` at
    0xAD, so without this every `ương` of a `.VnTime` PDF would break in two."""
    from pdfminer.encodingdb import EncodingDB

    EncodingDB.win2unicode[0xAD] = "\u00ad"


_fix_winansi()
LETTER = regex.compile(r"\p{L}")
MIN_LETTERS = 20
IMAGE_COVERS = 0.5     # an image over this share of the page is the page (a scan)
TEXT_COVERS = 0.15     # text lines whose heights add up to less than this share of the page cover little
STAMP_LINES = 3        # a layer of at most this many lines over a scan is a stamp


def _tables(page) -> list[tuple[float, float, list[str]]]:
    """Ruled tables of the page as (top, bottom, rows), each row its cells joined by " | ", the
    form the structure stage reads target tables in (as for DOCX). A ruled box of one row and two
    columns or more is a table too: a long task table leaves one tall row, or the rest of a row a
    page break split, on a page of its own, which read as lines would interleave its columns; a
    framed note is one cell."""
    out = []
    for t in page.find_tables():
        rows = []
        for row in t.extract():
            cells = [join_lines((c or "").split("\n")) for c in row]
            if any(cells):
                rows.append(CELL_SEP.join(cells))
        if len(rows) >= 2 or rows and len(rows[0].split(CELL_SEP)) >= 2:
            out.append((t.bbox[1], t.bbox[3], rows))
    return out


def _page_text(page) -> str:
    """Lines of the text layer; a line that stops short of the right margin, or is followed by
    a wide vertical gap, ends a paragraph and gets a blank line after it. Lines inside a ruled
    table are replaced by the table's rows. A running page number at the head or foot is left out
    (once: a body line that is only a figure, under it, stays)."""
    lines = page.extract_text_lines(layout=False, strip=True, return_chars=True)
    if not lines:
        return drop_page_numbers(page.extract_text() or "")
    tables = _tables(page)
    lines = _columns(lines, [(top, bottom) for top, bottom, _ in tables], head=page.page_number == 1)
    if tables:
        kept, emitted = [], set()
        for ln in lines:
            mid = (ln["top"] + ln["bottom"]) / 2
            hit = next((k for k, (top, bottom, _) in enumerate(tables) if top <= mid <= bottom), None)
            if hit is None:
                kept.append(ln)
            elif hit not in emitted:
                emitted.add(hit)
                kept.append(dict(ln, text="\n".join(["", *tables[hit][2], ""]), x1=0, table=True))
        lines = kept
    # a running page number at the head or foot is no line of the body: the gap that sets it apart
    # must not end the paragraph the page splits (`drop_page_numbers` says why)
    if len(lines) > 1 and not lines[0].get("table") and is_page_number(lines[0]["text"]):
        lines = lines[1:]
    if len(lines) > 1 and not lines[-1].get("table") and is_page_number(lines[-1]["text"]):
        lines = lines[:-1]
    right = sorted(ln["x1"] for ln in lines)[int(0.9 * (len(lines) - 1))]
    left = min(ln["x0"] for ln in lines)
    heights = sorted(ln["bottom"] - ln["top"] for ln in lines)
    line_h = heights[len(heights) // 2] or 10
    out = []
    for k, ln in enumerate(lines):
        out.append(ln["text"])
        if ln.get("table"):
            continue
        if ln.get("column"):  # a line of a two-column block: a column's end ends a paragraph
            if ln.get("ends"):
                out.append("")
            continue
        short = ln["x1"] < right - 0.12 * (right - left)
        gap = k + 1 < len(lines) and lines[k + 1]["top"] - ln["bottom"] > 0.9 * line_h
        if short or gap:
            out.append("")
    return "\n".join(out)


def _columns(lines: list[dict], tables: list[tuple[float, float]], head: bool = True) -> list[dict]:
    """The page's lines with its head and its signature block read column by column, by the rule a
    scan's are read by (`blocks.read_columns`, pdfplumber's points for pixels at 72 dpi). A column's
    lines are marked `column`, its last `ends`. Only a document's first page (`head`) has a head, and
    not when it opens with a ruled table: a list set in two columns at another page's top is no head."""
    if not lines:
        return lines
    opens_in_table = any(top <= (lines[0]["top"] + lines[0]["bottom"]) / 2 <= bottom for top, bottom in tables)
    order = [((0, k), _words(ln)) for k, ln in enumerate(lines)]
    read = read_columns(order, GUTTER * 72, kinds=BLOCKS if head and not opens_in_table else ("signature",))
    if all(key is not None for key, _ in read):
        return lines
    out: list[dict] = []
    for key, words in read:
        if key is not None:
            if words:
                out.append(lines[key[1]])
        elif words is None:
            if out and out[-1].get("column"):
                out[-1] = dict(out[-1], ends=True)
        else:
            out.append({"text": " ".join(w["text"] for w in words), "column": True,
                        "x0": min(w["box"][0] for w in words), "x1": max(w["box"][0] + w["box"][2] for w in words),
                        "top": min(w["box"][1] for w in words), "bottom": max(w["box"][1] + w["box"][3] for w in words)})
    return out


def _words(line: dict) -> list[dict]:
    """A text line's words as `blocks.read_columns` takes them ({"text", "box": (left, top, width, height)}):
    the words of the line's text (pdfplumber puts a space where letters stand apart), each over the
    letters it was read from; a line whose letters do not spell its text is one word."""
    chars = [c for c in line.get("chars") or [] if c["text"].strip()]
    words, out, k = line["text"].split(), [], 0
    for word in words:
        group, spelt = [], ""
        while k < len(chars) and len(spelt) < len(word):
            group.append(chars[k])
            spelt += chars[k]["text"]
            k += 1
        if spelt != word:
            out = []
            break
        x0, x1 = min(c["x0"] for c in group), max(c["x1"] for c in group)
        top, bottom = min(c["top"] for c in group), max(c["bottom"] for c in group)
        out.append({"text": unicodedata.normalize("NFC", word), "box": (x0, top, x1 - x0, bottom - top)})
    if not out or k != len(chars):
        return [{"text": line["text"], "box": (line["x0"], line["top"], line["x1"] - line["x0"], line["bottom"] - line["top"])}]
    return out


def convert_legacy_fonts(page) -> str:
    """Read the glyphs set in TCVN3 or VNI fonts (`.VnTime`, `VNI-Times`) as the letters those
    fonts draw, in place, before any text is taken from the page; the encoding found, or ""."""
    from pipeline.vietnamese.legacy import add_vni_mark, convert_glyph, font_encoding

    chars = page.chars
    if not any(font_encoding(ch.get("fontname"))[0] for ch in chars):
        return ""
    out: list[dict] = []
    found = ""
    for ch in chars:
        enc, upper = font_encoding(ch.get("fontname"))
        if not enc:
            out.append(ch)
            continue
        found = found or enc
        prev = out[-1] if out else None
        if enc == "vni" and prev is not None and prev.get("fontname") == ch.get("fontname"):
            marked = add_vni_mark(prev["text"], ch["text"])
            if marked:
                out[-1] = dict(prev, text=marked, x1=ch["x1"], width=ch["x1"] - prev["x0"])
                continue
        text = convert_glyph(ch["text"], enc)
        out.append(dict(ch, text=text.upper() if upper else text))
    page.objects["char"] = out
    return found


def usable(text: str) -> bool:
    letters = len(LETTER.findall(text))
    if letters < MIN_LETTERS:
        return False
    if len(CID.findall(text)) * 4 > letters:
        return False
    bad = sum(1 for c in text if c == "\ufffd" or 0xE000 <= ord(c) <= 0xF8FF)
    return bad * 20 < letters


def native_dpi(page) -> float | None:
    """The resolution of the page's largest image as placed: its pixel width over its width in
    inches (the smaller of the two axes' figures, for an image stretched one way)."""
    best, dpi = 0.0, None
    for im in page.images:
        w_pt, h_pt = im["x1"] - im["x0"], im["bottom"] - im["top"]
        src = im.get("srcsize") or (0, 0)
        if w_pt <= 1 or h_pt <= 1 or not src[0] or not src[1]:
            continue
        if w_pt * h_pt > best:
            best, dpi = w_pt * h_pt, min(src[0] / (w_pt / 72), src[1] / (h_pt / 72))
    return dpi


def coverage(page) -> tuple[float, int, float]:
    """(share of the page under its largest image, lines of the text layer, share of the page's
    height those lines take up)."""
    area = float(page.width * page.height) or 1.0
    image = 0.0
    for im in page.images:
        w = min(im["x1"], page.width) - max(im["x0"], 0)
        h = min(im["bottom"], page.height) - max(im["top"], 0)
        image = max(image, max(w, 0) * max(h, 0) / area)
    lines = page.extract_text_lines(layout=False, strip=True, return_chars=False)
    lines = [ln for ln in lines if ln["text"].strip()]
    height = sum(ln["bottom"] - ln["top"] for ln in lines) / (float(page.height) or 1.0)
    return image, len(lines), height


def page_source(page, text: str, condition) -> str:
    """How to read the page: `text-layer`, or the reason it must be OCR'd (module docstring)."""
    if not usable(text):
        return "ocr"
    image, n_lines, height = coverage(page) if page.images else (0.0, 0, 1.0)
    if image and condition(text) == "ocr-damaged":
        return "ocr-redo"
    if image >= IMAGE_COVERS and height < TEXT_COVERS:
        return "ocr-stamp-only" if n_lines <= STAMP_LINES else "ocr-image"
    return "text-layer"


# PDFium is not thread-safe, not even across documents (pypdfium2's "Incompatibility with
# Threading"), and the OCR threads render their own pages: one renders at a time. Rendering is a
# small part of a page's time beside Tesseract, which still runs in parallel.
PDFIUM = threading.Lock()


def _renderer(data: bytes, password: str | None, index: int, dpi: int):
    def render():
        import pypdfium2 as pdfium

        with PDFIUM:
            pdf = pdfium.PdfDocument(data, password=password)
            try:
                pdf.init_forms()  # without it pdfium leaves form fields out: a signed scan's number and date
            except Exception as e:
                log.warning("page %d: form fields not drawn (%s)", index + 1, e)
            try:
                return pdf[index].render(scale=dpi / 72).to_pil()
            finally:
                pdf.close()
    return render


def read_pdf(data: bytes, password: str | None = None, sha256: str = "") -> tuple[list[Page], str, str]:
    """(pages, format, legacy encoding named by the fonts or "")."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    from pipeline.normalise import text_condition

    try:
        pdf = pdfplumber.open(io.BytesIO(data), password=password or "")
    except Exception as e:  # pdfplumber wraps pdfminer's many exception types
        inner = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
        if isinstance(inner, PDFPasswordIncorrect) or isinstance(e, PDFPasswordIncorrect):
            raise ReadError("encrypted PDF: give its password with --password"
                             if not password else "encrypted PDF: the password given does not open it")
        detail = f"{type(inner).__name__}: {inner}".strip().rstrip(":")
        raise ReadError(f"not a readable PDF ({detail})".splitlines()[0])
    pages: list[Page | None] = []
    to_ocr: list[tuple[int, str]] = []
    dpis: dict[int, int] = {}
    legacy = ""
    with pdf:
        try:
            n = len(pdf.pages)
        except Exception as e:
            raise ReadError(f"not a readable PDF ({type(e).__name__})")
        if not n:
            raise ReadError("PDF has no pages")
        for i, page in enumerate(pdf.pages, start=1):
            try:
                legacy = convert_legacy_fonts(page) or legacy
                add_widget_text(page)
                text = _page_text(page)
                source = page_source(page, text, text_condition)
            except Exception as e:  # pdfminer's many exception types: the page image is still there
                log.warning("page %d: text layer unreadable (%s: %s); OCR'ing it", i, type(e).__name__, e)
                source = "ocr"
            if source == "text-layer":  # its running page number already left out (`_page_text`)
                pages.append(Page(number=i, text=text, source=source))
            else:
                log.info("page %d: %s", i, source)
                pages.append(None)
                to_ocr.append((i, source))
                try:
                    dpis[i] = ocr_dpi(native_dpi(page))
                except Exception as e:
                    log.warning("page %d: image sizes unreadable (%s); rendering at the default", i, e)
                    dpis[i] = ocr_dpi(None)
    if to_ocr:
        nums = [i for i, _ in to_ocr]
        done = ocr_pages([_renderer(data, password, i - 1, dpis[i]) for i in nums], sha256, nums,
                         [s for _, s in to_ocr], dpis=[dpis[i] for i in nums])
        for p in done:
            pages[p.number - 1] = p
    join_split_rows(pages)
    fmt = "pdf-text" if not to_ocr else ("pdf-scan" if len(to_ocr) == len(pages) else "pdf-mixed")
    return pages, fmt, legacy
