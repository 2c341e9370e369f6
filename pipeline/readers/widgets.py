"""Text drawn by a PDF's form-field annotations (widgets), placed where it stands on the page.

E-signed plans often carry the document number and the issue date not in the
page content but in signature or text fields whose appearance streams draw
them: the page reads `Số: /QĐ-UBND … ngày tháng năm 2026` while a viewer (and
`pdftotext`) shows `Số: 1234/QĐ-UBND … ngày 12 tháng 5 năm 2026`. Each visible
widget's normal appearance is run through pdfminer with the matrix that maps
its bounding box onto the widget's rectangle, and the characters it draws are
added to the page's own, so the layout puts them in their lines.
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)
HIDDEN = 2 | 32  # annotation flags Hidden and NoView


def _name(obj) -> str:
    return getattr(obj, "name", obj if isinstance(obj, str) else "")


def _appearance(annot):
    """The widget's normal appearance stream (the state named by /AS where there are several)."""
    from pdfminer.pdftypes import PDFStream, resolve1

    ap = resolve1(annot.get("AP"))
    if not isinstance(ap, dict):
        return None
    normal = resolve1(ap.get("N"))
    if isinstance(normal, dict):  # appearance states (check boxes, signed/unsigned)
        normal = resolve1(normal.get(_name(annot.get("AS")))) if annot.get("AS") else None
    return normal if isinstance(normal, PDFStream) else None


def _placement(stream, rect, origin) -> tuple | None:
    """The matrix from the appearance's own space to the page's: its /Matrix, then the map of
    the transformed /BBox onto the annotation's /Rect (PDF 32000-1, 12.5.5)."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import apply_matrix_pt, mult_matrix

    bbox = [float(resolve1(v)) for v in resolve1(stream.attrs.get("BBox")) or []]
    if len(bbox) != 4:
        return None
    m = tuple(float(resolve1(v)) for v in (resolve1(stream.attrs.get("Matrix")) or (1, 0, 0, 1, 0, 0)))
    pts = [apply_matrix_pt(m, (x, y)) for x in (bbox[0], bbox[2]) for y in (bbox[1], bbox[3])]
    tx0, ty0 = min(p[0] for p in pts), min(p[1] for p in pts)
    tx1, ty1 = max(p[0] for p in pts), max(p[1] for p in pts)
    rx0, ry0, rx1, ry1 = min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3])
    if tx1 - tx0 <= 0 or ty1 - ty0 <= 0:
        return None
    sx, sy = (rx1 - rx0) / (tx1 - tx0), (ry1 - ry0) / (ty1 - ty0)
    fit = (sx, 0, 0, sy, rx0 - sx * tx0 - origin[0], ry0 - sy * ty0 - origin[1])
    return mult_matrix(m, fit)


class _Box:
    """What pdfminer's aggregator needs of a page: a media box and a rotation."""
    def __init__(self, mediabox):
        self.mediabox, self.rotate = mediabox, 0


def widget_chars(page) -> list[dict]:
    """pdfplumber character dicts for the text the page's visible widgets draw."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTContainer
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.pdftypes import resolve1

    annots = resolve1(page.page_obj.annots) if page.page_obj.annots else None
    if not annots:
        return []
    mediabox = [float(v) for v in page.page_obj.mediabox]
    out: list[dict] = []
    for ref in annots:
        annot = resolve1(ref)
        if not isinstance(annot, dict) or _name(annot.get("Subtype")) != "Widget":
            continue
        if int(resolve1(annot.get("F")) or 0) & HIDDEN:
            continue
        stream = _appearance(annot)
        rect = [float(resolve1(v)) for v in resolve1(annot.get("Rect")) or []]
        if stream is None or len(rect) != 4:
            continue
        ctm = _placement(stream, rect, mediabox[:2])
        if ctm is None:
            continue
        device = PDFPageAggregator(page.pdf.rsrcmgr, pageno=page.page_number)
        try:
            device.begin_page(_Box(mediabox), (1, 0, 0, 1, 0, 0))
            PDFPageInterpreter(page.pdf.rsrcmgr, device).render_contents(
                resolve1(stream.attrs.get("Resources")) or {}, [stream], ctm=ctm)
            device.end_page(_Box(mediabox))
        except Exception as e:  # a broken appearance stream loses that widget, not the page
            log.warning("page %d: widget appearance unreadable (%s: %s)", page.page_number, type(e).__name__, e)
            continue

        def chars(items):
            for obj in items:
                if isinstance(obj, LTChar):
                    yield obj
                elif isinstance(obj, LTContainer):
                    yield from chars(obj)
        out.extend(page.process_object(c) for c in chars(device.get_result()))
    return out


def add_widget_text(page) -> int:
    """Add the widgets' characters to the page's own; how many were added."""
    extra = widget_chars(page)
    if extra:
        page.objects["char"] = [*page.objects.get("char", []), *extra]
    return len(extra)
