"""LibreOffice headless, the one place it is started: legacy office files converted to DOCX.

Each conversion gets its own throw-away user profile, so two conversions running
at once (documents in parallel workers) never share LibreOffice's profile lock.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.record import ReadError


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise ReadError("LibreOffice (soffice) is not installed; run `make setup`")
    return exe


def convert(data: bytes, suffix: str, to: str = "docx", timeout: int = 180) -> bytes:
    """The file's bytes converted to format `to`."""
    exe = soffice()
    with tempfile.TemporaryDirectory(prefix="chitieu-lo-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", to, "--outdir", tmp, str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise ReadError(f"LibreOffice did not convert the file within {timeout} s")
        out = Path(tmp) / f"input.{to}"
        if not out.exists():
            raise ReadError(f"LibreOffice could not convert this {suffix} file")
        return out.read_bytes()
