"""Legacy office formats (.doc, .rtf, .odt) through LibreOffice headless, then the DOCX reader."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.readers.docx import read_docx
from pipeline.record import Page, StageError


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise StageError("read", "LibreOffice (soffice) is not installed; run `make setup`")
    return exe


def read_office(data: bytes, suffix: str, timeout: int = 180) -> tuple[list[Page], str]:
    exe = soffice()
    with tempfile.TemporaryDirectory(prefix="chitieu-lo-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", tmp, str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise StageError("read", f"LibreOffice did not convert the file within {timeout} s")
        out = Path(tmp) / "input.docx"
        if not out.exists():
            raise StageError("read", f"LibreOffice could not convert this {suffix} file")
        return read_docx(out.read_bytes())
