"""Legacy office formats (.doc, .rtf, .odt) through LibreOffice headless, then the DOCX reader."""
from __future__ import annotations

from pipeline.readers._exec.libreoffice import convert, soffice  # noqa: F401  (soffice: the set-up check)
from pipeline.readers.docx import read_docx
from pipeline.record import Page


def read_office(data: bytes, suffix: str, timeout: int = 180) -> tuple[list[Page], str]:
    return read_docx(convert(data, suffix, "docx", timeout))
