"""An e-signed decision whose number and date are form-field widgets, not page content (test helper).

The page (fpdf2, DejaVu Serif) prints `Số:` and `ngày … tháng … năm 2026` with
gaps; pypdf adds widget annotations whose appearance streams draw the number
and the day and month into those gaps, as signing software does.
"""
from __future__ import annotations

from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
MM = 72 / 25.4
SIZE = 12


def helvetica_width(text: str) -> float:
    """Width in points of digits in Helvetica (all 0.556 em)."""
    return len(text) * 0.556 * SIZE


def make(path: Path, number: str, day: str, month: str) -> None:
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject,
                               StreamObject, TextStringObject)

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=SIZE)
    page_h = 297 * MM
    widgets = []

    def text(x, y, s):
        pdf.text(x, y, s)
        return x + pdf.get_string_width(s)

    def gap(x, y, value, pad):
        widgets.append((x + pad, page_h - y, value))
        return x + pad + helvetica_width(value) + pad

    text(60, 60, "ỦY BAN NHÂN DÂN")
    text(300, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    text(70, 76, "TỈNH LAI CHÂU")
    text(330, 76, "Độc lập - Tự do - Hạnh phúc")
    x = text(70, 105, "Số: ")
    x = gap(x, 105, number, 0)
    text(x, 105, "/QĐ-UBND")
    x = text(310, 105, "Lai Châu, ngày ")
    x = gap(x, 105, day, 1)
    x = text(x, 105, " tháng ")
    x = gap(x, 105, month, 1)
    text(x, 105, " năm 2026")
    text(250, 150, "QUYẾT ĐỊNH")
    text(110, 168, "Ban hành Kế hoạch bảo vệ và phát triển rừng giai đoạn 2026 - 2030")
    text(60, 200, "Căn cứ Luật Lâm nghiệp ngày 15 tháng 11 năm 2017;")
    text(60, 220, "Phấn đấu đến năm 2030, tỷ lệ che phủ rừng của tỉnh đạt 51%.")
    base = path.with_suffix(".base.pdf")
    pdf.output(str(base))

    writer = PdfWriter(clone_from=PdfReader(base))
    page = writer.pages[0]
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica"),
                             NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
    fields = ArrayObject()
    for k, (x, baseline, value) in enumerate(widgets):
        w, h = helvetica_width(value), SIZE * 1.3
        ap = StreamObject()
        ap.set_data(f"/Tx BMC q BT /Helv {SIZE} Tf 0 g 0 {0.3 * SIZE:.2f} Td ({value}) Tj ET Q EMC".encode())
        ap.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                   NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(w), FloatObject(h)]),
                   NameObject("/Resources"): DictionaryObject({NameObject("/Font"): DictionaryObject(
                       {NameObject("/Helv"): writer._add_object(font)})})})
        widget = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Sig" if k == 0 else "/Tx"),
            NameObject("/T"): TextStringObject(f"field{k}"), NameObject("/F"): NumberObject(4),
            NameObject("/Rect"): ArrayObject([FloatObject(x), FloatObject(baseline - 0.3 * SIZE),
                                              FloatObject(x + w), FloatObject(baseline - 0.3 * SIZE + h)]),
            NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(ap)}),
            NameObject("/P"): page.indirect_reference,
        })
        if k:
            widget[NameObject("/V")] = TextStringObject(value)
        ref = writer._add_object(widget)
        page.annotations.append(ref) if page.annotations is not None else \
            page.__setitem__(NameObject("/Annots"), ArrayObject([ref]))
        fields.append(ref)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): fields})
    writer.write(path)
    base.unlink()
