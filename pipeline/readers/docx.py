"""DOCX: paragraphs and tables in body order.

Table rows become lines whose cells are joined by " | ", so that the
structure stage can treat a target table row by row. Runs set in a TCVN3
or VNI font (`.VnTime`, `.VnTimeH`, `VNI-Times`: the font is how Word knew
what the bytes meant) are converted here, where the font is still known; an
`H` font draws lower-case codes as capitals, so its runs are upper-cased. Word's automatic
numbers and bullets are written out before their paragraphs (`numbering.py`).
"""
from __future__ import annotations

import io

from pipeline.readers.numbering import Numbering, style_chain
from pipeline.record import Page, ReadError

CELL_SEP = " | "


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _fonts_of(rpr) -> list[str]:
    if rpr is None:
        return []
    fonts = rpr.find(W + "rFonts")
    if fonts is None:
        return []
    return [v for k in ("hAnsi", "ascii", "cs") if (v := fonts.get(W + k))]


class Fonts:
    """The font each run is drawn in: its own, else its paragraph style's (and that style's
    bases), else the document default."""

    def __init__(self, document):
        self.default: list[str] = []
        styles = document.styles.element
        for rpr in styles.iter(W + "rPrDefault"):
            self.default = _fonts_of(rpr.find(W + "rPr"))
        self.any_legacy = self._scan(document)

    @staticmethod
    def _scan(document) -> bool:
        from pipeline.vietnamese.legacy import font_encoding

        names = set()
        for part in (document.element, document.styles.element):
            for f in part.iter(W + "rFonts"):
                names.update(f.attrib.values())
        return any(font_encoding(n)[0] for n in names)

    def of_run(self, run, paragraph) -> list[str]:
        own = _fonts_of(run._element.rPr)
        if own:
            return own
        for style in style_chain(paragraph.style):
            got = _fonts_of(style.element.rPr)
            if got:
                return got
        return self.default


def _convert_run(text: str, fonts: list[str]) -> tuple[str, str]:
    from pipeline.vietnamese.legacy import convert, font_encoding

    for name in fonts:
        enc, upper = font_encoding(name)
        if enc:
            text = convert(text, enc)
            return (text.upper() if upper else text), enc
    return text, ""


def _paragraph_text(paragraph, fonts: Fonts | None, found: set[str], numbering: Numbering | None = None) -> str:
    label = numbering.label(paragraph) if numbering is not None else ""
    text = _run_text(paragraph, fonts, found)
    return f"{label} {text.lstrip()}" if label and text.strip() else text


def _run_text(paragraph, fonts: Fonts | None, found: set[str]) -> str:
    if fonts is None or not fonts.any_legacy:
        return paragraph.text
    parts = []
    for item in paragraph.iter_inner_content():
        for run in getattr(item, "runs", [item]):
            text, enc = _convert_run(run.text, fonts.of_run(run, paragraph))
            if enc:
                found.add(enc)
            parts.append(text)
    return "".join(parts)


def _cell_text(cell, fonts: Fonts | None = None, found: set[str] | None = None,
               numbering: Numbering | None = None) -> str:
    found = set() if found is None else found
    texts = [_paragraph_text(p, fonts, found, numbering).strip() for p in cell.paragraphs]
    return " ".join(t for t in texts if t)


def read_docx(data: bytes) -> tuple[list[Page], str]:
    """(pages, legacy encoding named by the fonts or "")."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:
        raise ReadError(f"not a readable DOCX ({type(e).__name__})")
    fonts = Fonts(document)
    numbering = Numbering(document)
    found: set[str] = set()
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_paragraph_text(Paragraph(block, document), fonts, found, numbering))
        elif tag == "tbl":
            table = Table(block, document)
            lines.append("")
            # each cell's text by its element (kept here, so that lxml hands back the same proxy):
            # a merged cell is read, and numbered, once
            read: dict[object, str] = {}
            for row in table.rows:
                cells, here = [], set()
                for cell in row.cells:
                    key = cell._tc
                    if key in here:
                        continue  # the same cell again in the columns it spans
                    here.add(key)
                    if key not in read:
                        read[key] = _cell_text(cell, fonts, found, numbering)
                    t = read[key]  # a cell merged down the rows gives its text to each of them
                    if not cells or t != cells[-1]:  # merged cells repeat
                        cells.append(t)
                lines.append(CELL_SEP.join(cells))
            lines.append("")
    return [Page(number=None, text="\n".join(lines), source="text")], "+".join(sorted(found))
