"""Plain text in the encodings Vietnamese archives hold.

The encoding is read from the bytes, never from the file name: a BOM first,
then the NUL pattern of BOM-less UTF-16, then strict UTF-8, and finally
TCVN3 or VNI when their reading gives Vietnamese (kept as the Windows-1252
characters of their bytes, which the normalise stage converts), and finally
Windows-1258, the Vietnamese code page (its tone marks are combining
characters, which the normalise stage composes).
"""
from __future__ import annotations

import codecs

from pipeline.record import DecodeError, Page


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def detect_encoding(data: bytes) -> tuple[str, str]:
    """Return (codec for Python, name recorded in documents.csv)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "utf-8"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", "utf-16"
    bomless = _utf16_without_bom(data)
    if bomless:
        return bomless, "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8", "utf-8"
    except UnicodeDecodeError:
        pass
    import unicodedata

    from pipeline.vietnamese.legacy import convert, detect, valid_syllables

    surface = as_cp1252(data)
    legacy = detect(surface)
    try:
        cp1258 = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        cp1258 = None
    if legacy in ("tcvn3", "vni") and (
            cp1258 is None or valid_syllables(convert(surface, legacy)) > valid_syllables(cp1258)):
        return "legacy", legacy
    if cp1258 is None:
        raise DecodeError("not text in UTF-8, UTF-16, Windows-1258, TCVN3 or VNI")
    return "cp1258", "cp1258"


def _byte_chars() -> list[str]:
    out = []
    for b in range(256):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return out


BYTE_CHARS = _byte_chars()


def as_cp1252(data: bytes) -> str:
    """Bytes as the characters a Windows-1252 machine shows, the form the TCVN3 and VNI tables
    are written in; the five bytes Windows-1252 leaves undefined read as Latin-1."""
    return "".join(BYTE_CHARS[b] for b in data)


def read_text(data: bytes) -> tuple[list[Page], str]:
    codec, name = detect_encoding(data)
    if codec == "legacy":
        return [Page(number=None, text=as_cp1252(data), source="text")], name
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as e:
        raise DecodeError(f"undecodable as {name}: {e.reason} at byte {e.start}")
    if "\x00" in text:
        raise DecodeError("binary data (NUL bytes) in a text file")
    return [Page(number=None, text=text, source="text")], name
