"""PDFs with a text layer, page by page, through pdfplumber."""
from __future__ import annotations

import io

from pipeline.record import Page, StageError


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
            text = page.extract_text(layout=False) or ""
            pages.append(Page(number=i, text=text, source="text-layer"))
    return pages
