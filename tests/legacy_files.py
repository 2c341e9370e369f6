"""Files set in legacy Vietnamese fonts, made the way old word processors made them."""
from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn


def docx_with_fonts(runs_by_paragraph: list[list[tuple[str, str]]]) -> bytes:
    """A DOCX whose paragraphs are runs of (text, font name)."""
    d = docx.Document()
    for runs in runs_by_paragraph:
        p = d.add_paragraph()
        for text, font in runs:
            r = p.add_run(text)
            r.font.name = font
            r._element.rPr.rFonts.set(qn("w:hAnsi"), font)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _pdf_string(data: bytes) -> bytes:
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_with_fonts(lines: list[tuple[str, bytes]]) -> bytes:
    """A one-page PDF whose lines are (font name, bytes) in non-embedded TrueType fonts with the
    Windows ANSI encoding: what printing a `.VnTime` document to PDF without embedding gives."""
    fonts = sorted({f for f, _ in lines})
    ops = []
    for k, (font, data) in enumerate(lines):
        ops.append(b"BT /F%d 11 Tf 56 %d Td " % (fonts.index(font), 780 - 16 * k) + _pdf_string(data) + b" Tj ET")
    content = b"\n".join(ops)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << "
            + b" ".join(b"/F%d %d 0 R" % (i, 5 + i) for i in range(len(fonts))) + b" >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    for i, f in enumerate(fonts):
        name = b"/" + f.encode().replace(b" ", b"#20")
        objs.append(b"<< /Type /Font /Subtype /TrueType /BaseFont " + name + b" /Encoding /WinAnsiEncoding"
                    b" /FirstChar 32 /LastChar 255 /Widths [" + b" 500" * 224 + b"]"
                    b" /FontDescriptor %d 0 R >>" % (5 + len(fonts) + i))
    for f in fonts:
        name = b"/" + f.encode().replace(b" ", b"#20")
        objs.append(b"<< /Type /FontDescriptor /FontName " + name + b" /Flags 32 /FontBBox [0 -210 1000 900]"
                    b" /ItalicAngle 0 /Ascent 900 /Descent -210 /CapHeight 700 /StemV 80 >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)
