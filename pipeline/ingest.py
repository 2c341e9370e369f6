"""Ingest stage: read a file's bytes into pages, choosing the reader from the content.

The format comes from the file's magic bytes first and its extension second,
so a text file named `.pdf` is reported as such rather than crashing pdfminer.
"""
from __future__ import annotations

import hashlib
import zipfile
import io
from pathlib import Path

from pipeline.readers.docx import read_docx
from pipeline.readers.image import read_image
from pipeline.readers.office import read_office
from pipeline.readers.pdf import read_pdf
from pipeline.readers.text import read_text
from pipeline.stages import stage
from pipeline.record import Document, ReadError

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
OFFICE_SUFFIXES = {".doc", ".rtf", ".odt"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp"}
SUPPORTED = TEXT_SUFFIXES | OFFICE_SUFFIXES | IMAGE_SUFFIXES | {".pdf", ".docx"}
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"GIF8", b"RIFF")


def sniff(data: bytes, suffix: str) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "docx-broken" if suffix == ".docx" else "unknown"
        if "word/document.xml" in names:
            return "docx"
        if "content.xml" in names:
            return "odt"
        return "docx-broken" if suffix == ".docx" else "unknown"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(IMAGE_MAGIC):
        return "image"
    if suffix == ".pdf":
        return "pdf-broken"
    if suffix in IMAGE_SUFFIXES:
        return "image-broken"
    if suffix == ".docx":
        return "docx-broken"
    return "txt"


@stage("read", reads=("path",), writes=("sha256", "format", "encoding", "pages", "raw", "page_starts"))
def ingest(doc: Document, password: str | None = None) -> Document:
    if password is None:  # the run's settings carry it (`--password`)
        from pipeline.settings import active

        password = active().password
    path = Path(doc.path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ReadError(f"cannot read file: {e.strerror}")
    doc.sha256 = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise ReadError("empty file")
    kind = sniff(data, path.suffix.lower())
    if kind == "pdf":
        doc.pages, doc.format, doc.encoding = read_pdf(data, password, doc.sha256)
    elif kind == "image":
        doc.pages = read_image(data, doc.sha256)
        doc.format = "image"
    elif kind == "pdf-broken":
        raise ReadError("named .pdf but is not a PDF (no %PDF header)")
    elif kind == "docx-broken":
        raise ReadError("named .docx but is not a readable Word file (damaged or truncated)")
    elif kind == "image-broken":
        raise ReadError(f"named {path.suffix} but is not an image")
    elif kind == "docx":
        doc.pages, doc.encoding = read_docx(data)
        doc.format = "docx"
    elif kind in ("doc", "rtf", "odt"):
        doc.pages, doc.encoding = read_office(data, "." + kind)
        doc.format = kind
    elif kind == "txt":
        doc.pages, doc.encoding = read_text(data)
        doc.format = "txt"
    else:
        raise ReadError(f"unsupported file format ({path.suffix or 'no extension'})")
    starts, parts, pos = [], [], 0
    for page in doc.pages:
        starts.append(pos)
        parts.append(page.text)
        pos += len(page.text) + 1
    doc.raw = "\f".join(parts)
    doc.page_starts = starts if doc.pages and doc.pages[0].number is not None else []
    if not doc.raw.strip():
        raise ReadError("no text in the file (a scan without a text layer needs OCR)")
    return doc
