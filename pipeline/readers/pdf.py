"""PDFs with a text layer, page by page, through pdfplumber."""
from __future__ import annotations

import io

from pipeline.record import Page, StageError


def _page_text(page) -> str:
    """Lines of the text layer; a line that stops short of the right margin, or is followed by
    a wide vertical gap, ends a paragraph and gets a blank line after it."""
    lines = page.extract_text_lines(layout=False, strip=True, return_chars=False)
    if not lines:
        return page.extract_text() or ""
    right = sorted(ln["x1"] for ln in lines)[int(0.9 * (len(lines) - 1))]
    left = min(ln["x0"] for ln in lines)
    heights = sorted(ln["bottom"] - ln["top"] for ln in lines)
    line_h = heights[len(heights) // 2] or 10
    out = []
    for k, ln in enumerate(lines):
        out.append(ln["text"])
        short = ln["x1"] < right - 0.12 * (right - left)
        gap = k + 1 < len(lines) and lines[k + 1]["top"] - ln["bottom"] > 0.9 * line_h
        if short or gap:
            out.append("")
    return "\n".join(out)


def read_pdf(data: bytes, password: str | None = None) -> list[Page]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data), password=password or "")
    except PDFPasswordIncorrect:
        raise StageError("read", "encrypted PDF: give the password with --password")
    except PDFSyntaxError as e:
        raise StageError("read", f"not a readable PDF ({e})")
    except Exception as e:  # pdfminer raises many types on broken files
        raise StageError("read", f"not a readable PDF ({type(e).__name__}: {e})".splitlines()[0])
    pages = []
    with pdf:
        if not pdf.pages:
            raise StageError("read", "PDF has no pages")
        for i, page in enumerate(pdf.pages, start=1):
            pages.append(Page(number=i, text=_page_text(page), source="text-layer"))
    return pages
