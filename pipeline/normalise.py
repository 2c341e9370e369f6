"""Normalise stage: one clean string per document, with a map back to the raw input.

What it does, and why each step keeps offsets:
- NFC, per grapheme cluster, so that a base letter and its combining marks
  (Windows-1258 text, or decomposed Unicode) map back to where they started;
- `Ð` (U+00D0, Icelandic eth, a common look-alike) becomes `Đ`;
- lines wrapped by a PDF or a scanner are joined into paragraphs (a line
  well short of the text's wrap width ends one); a line
  ending in a hyphen glued to a letter or digit is joined without a space
  (Vietnamese does not hyphenate syllables, so the hyphen is real: `2021-` +
  `2025`); list items, headings and blank lines start new paragraphs;
- runs of spaces and tabs become one space.
Tone-mark placement is never touched here: `hoà` stays `hoà` (it is unified
only in matching keys, see `extractors.orthography`).
"""
from __future__ import annotations

import bisect
import itertools
import unicodedata

import regex

from extractors.markers import LIST_START
from pipeline.stages import stage
from pipeline.record import Document, LanguageError, NormaliseError
from pipeline.vietnamese.tokens import UNIT

LOOKALIKES = {"\u00d0": "\u0110", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ",
              "\u200b": "", "\ufeff": "", "\u00ad": ""}

RANGE_CONTINUES = regex.compile(r"^[-–]\s*\d")
RANGE_OPEN = regex.compile(r"\d\s*[-–]$")
SENTENCE_END = regex.compile(r"[.:;!?…]['\"”)]?\s*$|/\.\s*$")
LOWER_START = regex.compile(r"^\p{Ll}")
# ... or a figure that counts or measures in lower case (`33.386 triệu đồng`, `95% số xã`): no list
# marker (`2. Vốn`) and no heading starts so
FIGURE_START = regex.compile(r"^\d+(?:[.,]\d+)*\s*(?:%|\p{Ll})")
CELL_GAP = regex.compile(r"[ \t]\|[ \t]")  # what `_squeeze` makes a table row's ` | `
LETTER_CELL = regex.compile(r"^\p{Ll}[.)]?\s*\|")  # a table row numbered `b | Chi …`
UPPER_LINE = regex.compile(r"^[^\p{Ll}]*\p{Lu}[^\p{Ll}]*$")


def nfc_with_offsets(raw: str) -> tuple[list[str], list[int]]:
    """NFC per cluster (a base char and the combining marks after it)."""
    chars: list[str] = []
    offs: list[int] = []
    i, n = 0, len(raw)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(raw[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", raw[i:j])
        for c in cluster:
            c = LOOKALIKES.get(c, c)
            for cc in c:
                chars.append(cc)
                offs.append(i)
        i = j
    return chars, offs


def _split_lines(chars: list[str], offs: list[int]) -> list[tuple[str, list[int]]]:
    lines, cur, cur_o = [], [], []
    for c, o in zip(chars, offs):
        if c in "\n\f\r\v\u2028\u2029":
            if c == "\r":
                continue
            lines.append(("".join(cur), cur_o))  # a page break joins like a line break
            cur, cur_o = [], []
        else:
            cur.append(c)
            cur_o.append(o)
    lines.append(("".join(cur), cur_o))
    return lines


def _squeeze(line: str, offs: list[int]) -> tuple[str, list[int]]:
    out, out_o, space = [], [], False
    for c, o in zip(line, offs):
        if c in " \t":
            if out and not space:
                out.append(" ")
                out_o.append(o)
            space = True
        else:
            out.append(c)
            out_o.append(o)
            space = False
    while out and out[-1] == " ":
        out.pop()
        out_o.pop()
    return "".join(out), out_o


def goes_on(line: str) -> bool:
    """Whether a line reads as the rest of a sentence: it starts in lower case or with a figure."""
    return bool(LOWER_START.match(line) or FIGURE_START.match(line))


def _starts_paragraph(prev: str, line: str, wrap_width: float, ocr: bool = False) -> bool:
    if " | " in prev or " | " in line:
        # table rows (cells joined by the DOCX or PDF reader) stay one per line; but on an OCR'd page
        # a row comes wrapped: a line stops inside a sentence and the next goes on (`90%. | Hằng
        # năm`), with no list marker (`a)`, or `b` alone in its cell, starts a row). A reader's rows
        # are never joined: `trong đó: | ngân sách tỉnh | …` is a row of its own
        return not (ocr and not SENTENCE_END.search(prev) and goes_on(line) and not LIST_START.match(line)
                    and not LETTER_CELL.match(line))
    if prev[-1:].isdigit() and RANGE_CONTINUES.match(line) or RANGE_OPEN.search(prev):
        return False  # "từ 2" + "- 2,5%" or "65 -" + "70 triệu": a range wrapped at its dash
    if LIST_START.match(line):
        return True
    if len(prev) < 0.6 * wrap_width:  # a line well short of the text width ends its paragraph
        return True
    if SENTENCE_END.search(prev):
        # ... except a colon or a semicolon the next line goes on from in lower case (`…, thành phố
        # Mỹ Tho:` + `khoảng 1.230 tỷ đồng`, or `33.386 triệu đồng`; `… tăng trên 3%;` + `số vụ …
        # tăng trên 5%`): the wrap fell there, inside the sentence. A list's next item opens with its
        # marker or a capital; a short line ended its paragraph above.
        return not (prev.endswith((":", ";")) and goes_on(line))
    if UPPER_LINE.match(prev) and len(prev) < 120:
        return True
    if UPPER_LINE.match(line) and len(regex.findall(r"\p{L}", line)) > 3:
        return True
    return False


def _wrap_width(lines: list[str]) -> float:
    """The width at which the text was wrapped: the 90th percentile of line lengths, table rows
    left out (a PDF's task table, its cells joined on one line, would make every line look short)."""
    lengths = sorted(len(x) for x in lines if x and " | " not in x)  # table rows are not wrapped text
    if len(lengths) < 5:
        return 0.0
    return float(lengths[int(0.9 * (len(lengths) - 1))])


def join_paragraphs(chars: list[str], offs: list[int], ocr: bool = False) -> tuple[str, list[int]]:
    """The text with its wrapped lines joined into paragraphs, and each character's offset in the
    source. `ocr`: the text was read off page images (its table rows may come wrapped)."""
    out: list[str] = []
    out_o: list[int] = []
    prev = ""
    lines = [_squeeze(line, lo) for line, lo in _split_lines(chars, offs)]
    wrap_width = _wrap_width([line for line, _ in lines])
    for line, lo in lines:
        if not line:
            prev = ""
            if out and out[-1] != "\n":
                out.append("\n")
                out_o.append(out_o[-1])
            continue
        if prev and out and out[-1] != "\n":
            if _starts_paragraph(prev, line, wrap_width, ocr):
                out.append("\n")
                out_o.append(out_o[-1])
            elif prev.endswith("-") and len(prev) > 1 and prev[-2].isalnum():
                pass
            else:
                out.append(" ")
                out_o.append(out_o[-1])
        out.extend(line)
        out_o.extend(lo)
        prev = line
    while out and out[-1] == "\n":
        out.pop()
        out_o.pop()
    return "".join(out), out_o


VIET_MARKED = regex.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]",
                            regex.IGNORECASE)
WORD = regex.compile(r"\p{L}+")
MIXED = 0.2   # each kind of text makes up at least this share of a `mixed` document's words
# A digit inside a lower-case word (`d6ng`, `ngu0i`, `S6:` read as `s6`) is English-model OCR's mark;
# units, figures with their unit and technology names (`m2`, `km2`, `12m2`, `500kW`, `5G`, `3G/4G`,
# `H2O`) are not: the units are the tokeniser's (`tokens.UNIT`).
DIGIT_IN_WORD = regex.compile(rf"\b(?!{UNIT}\b)(?!\d+(?:[.,]\d+)*{UNIT}\b)"
                              r"(?=\w*\p{Ll})(?=\w*\d)\w*(?:\p{Ll}\d|\d\p{Ll})\w*\b")


def text_condition(text: str) -> str:
    """Classify the text: clean Unicode Vietnamese, stripped ASCII, or damaged OCR."""
    words = WORD.findall(text)
    if not words:
        return "clean"
    marked = sum(1 for w in words if VIET_MARKED.search(w))
    share = marked / len(words)
    if share >= 0.3:
        return "clean"
    mixed = len(DIGIT_IN_WORD.findall(text)) / len(words)
    if share > 0.05 or mixed > 0.01:
        return "ocr-damaged"
    return "stripped"


def _marked_share(text: str) -> float:
    words = WORD.findall(text)
    return sum(1 for w in words if VIET_MARKED.search(w)) / len(words) if words else 1.0


def _spelled_share(text: str) -> float:
    """The share of the marked words (acronyms and list letters aside) that are Vietnamese
    syllables: nearly all in clean text; a few in English-model OCR (`triéu déng`, `khoéi céng`)."""
    from pipeline.vietnamese.syllables import canonical, inventory

    words = [w for w in WORD.findall(text) if len(w) > 1 and not w.isupper() and VIET_MARKED.search(w)]
    if not words:
        return 1.0
    syllables = inventory()
    return sum(1 for w in words if canonical(w.lower()) in syllables) / len(words)


def stripped_paragraph(par: str) -> bool:
    """A paragraph of a clean document that lost its marks (pasted from an ASCII file): eight
    words or more, almost none marked, nearly all of them the skeleton of a Vietnamese syllable
    (an English paragraph is not)."""
    from pipeline.vietnamese.syllables import skeletons

    words = WORD.findall(par)
    if len(words) < 8 or _marked_share(par) >= 0.05:
        return False
    skel = skeletons()
    return sum(1 for w in words if w.lower() in skel) >= 0.8 * len(words)


def ocr_read(doc: Document, raw_index: int) -> bool:
    """Whether the raw character comes from a page Tesseract `vie` read (a scan, an image page)."""
    if not doc.page_starts:
        return False
    page = bisect.bisect_right(doc.page_starts, raw_index) - 1
    return 0 <= page < len(doc.pages) and doc.pages[page].source.startswith("ocr")


def _ocr_hyphens(doc: Document, chars: list[str], offs: list[int]) -> None:
    """On pages Tesseract read, a hyphen between two lower-case letters is a space it misread
    (`triển khai-thực-hiện`, `đơn vị hành-chính`): plans write a hyphen between words with spaces
    around it (`kinh tế - xã hội`), or between capitals and digits (`Mác-Lênin`, `QĐ-UBND`), or after
    a letter alone (`e-form`), which stay. In place, so offsets do not move."""
    for i in range(2, len(chars) - 2):
        if chars[i] == "-" and chars[i - 1].islower() and chars[i + 1].islower() and chars[i - 2].isalpha() \
                and chars[i + 2].isalpha() and ocr_read(doc, offs[i]):
            chars[i] = " "


def _ocr_glued(doc: Document, chars: list[str], offs: list[int]) -> tuple[list[str], list[int]]:
    """On pages Tesseract read, a word that is two syllables without the space between them
    (`Kếhoạch`, `vốnnăm`: `vietnamese.glued` says when) gets its space back; the space takes the
    offset of the letter after it."""
    from pipeline.vietnamese.glued import split

    text = "".join(chars)
    count, asked = None, False
    out_c: list[str] = []
    out_o: list[int] = []
    cur = 0
    for m in WORD.finditer(text):
        if len(m.group()) < 4 or not ocr_read(doc, offs[m.start()]):
            continue
        if not asked:
            count, asked = _syllable_counts(), True
        pair = split(m.group(), count)
        if pair is None:
            continue
        cut = m.start() + len(pair[0])
        out_c += chars[cur:cut] + [" "]
        out_o += offs[cur:cut] + [offs[cut]]
        cur = cut
    if not cur:
        return chars, offs
    return out_c + chars[cur:], out_o + offs[cur:]


def _syllable_counts():
    """How often the restoration model saw a syllable (0 without a model: no split is chosen
    between two ways then)."""
    from pipeline.vietnamese.restore import load_restorer

    try:
        lm = load_restorer().lm
    except FileNotFoundError:
        return None
    return lambda s: lm.uni.get(lm.ids.get(s, -1), 0)


def restore(doc: Document, only: str = "") -> Document:
    """Restore diacritics in the paragraphs that lost them (all of a damaged document's; with
    `only="stripped"`, the stripped paragraphs of an otherwise clean one; with `only="vie"`, the
    paragraphs of pages Tesseract `vie` read, whose wrong tones the `vie` channel and the language
    model correct). A document with substantial stretches of both kinds is `mixed`."""
    from pipeline.vietnamese.channel import VIE
    from pipeline.vietnamese.restore import load_restorer

    try:
        restorer = load_restorer()
    except FileNotFoundError as e:
        raise NormaliseError(str(e))
    text, offs = doc.text, doc.offsets
    vie = only == "vie" and VIE in restorer.channels.groups
    ocr = doc.text_condition == "ocr-damaged" or vie
    group = VIE if vie else restorer.pick(text) if ocr else ""

    def to_restore(par: str, pos: int) -> bool:
        if only == "vie":
            return vie and bool(par) and ocr_read(doc, offs[pos])
        if only:
            return stripped_paragraph(par)
        # English-model OCR writes é for many letters, so only a paragraph with most of its
        # syllables marked, and marked as syllables are (`tiền`, not `triéu`), counts as clean in
        # such a document
        if ocr:
            return _marked_share(par) < 0.7 or _spelled_share(par) < 0.8
        return _marked_share(par) < 0.3

    pars = text.split("\n")
    starts = itertools.accumulate((len(par) + 1 for par in pars[:-1]), initial=0)
    damaged = [to_restore(par, pos) for par, pos in zip(pars, starts)]
    restored = iter(restorer.restore_document([p for p, d in zip(pars, damaged) if d], ocr, group))
    out: list[str] = []
    out_o: list[int] = []
    spans, pos, changed, total, clean_words = [], 0, 0, 0, 0
    for par, hurt in zip(pars, damaged):
        if pos:
            out.append("\n")
            out_o.append(offs[pos - 1])
        n = len(WORD.findall(par))
        total += n
        clean_words += 0 if hurt and only != "vie" else n  # `vie` pages are corrected, not damaged
        changes = next(restored) if hurt else []
        cur = 0
        for c in changes:
            out.extend(par[cur:c.start])
            out_o.extend(offs[pos + cur:pos + c.start])
            start = len(out)
            src = offs[pos + c.start:pos + c.end]
            out.extend(c.text)
            out_o.extend(src[min(i, len(src) - 1)] for i in range(len(c.text)))
            spans.append((start, len(out)))
            changed += 1
            cur = c.end
        out.extend(par[cur:])
        out_o.extend(offs[pos + cur:pos + len(par)])
        pos += len(par) + 1
    doc.text, doc.offsets = "".join(out), out_o
    doc.restored_spans = spans
    doc.restored_share = round(changed / total, 4) if total else 0.0
    doc.model_id = restorer.model_id
    if total and MIXED <= clean_words / total <= 1 - MIXED:
        doc.text_condition = "mixed"
    return doc


@stage("normalise", reads=("raw", "pages"), writes=("text", "offsets", "text_condition", "restored_share", "restored_spans", "model_id"))
def normalise(doc: Document) -> Document:
    from pipeline.vietnamese.legacy import to_unicode

    # legacy bytes first: TCVN3 puts ư and é where the look-alike table has soft hyphen and Ð
    text, legacy_offs, found, share = to_unicode(doc.raw)
    chars, offs = nfc_with_offsets(text)
    offs = [legacy_offs[o] for o in offs]
    if doc.read_off_pages():
        _ocr_hyphens(doc, chars, offs)
        chars, offs = _ocr_glued(doc, chars, offs)
    named = doc.encoding.split("+")[0]  # what a reader learnt from the fonts
    legacy = found or (named if named in ("tcvn3", "vni") else "")
    # whether the text was read off page images matters only to table rows (` | ` once a line's
    # spaces are squeezed): a text without cells is not classified twice
    joined = "".join(chars)
    ocr = bool(CELL_GAP.search(joined)) and (doc.read_off_pages() or text_condition(joined) == "ocr-damaged")
    doc.text, doc.offsets = join_paragraphs(chars, offs, ocr=ocr)
    condition = text_condition(doc.text)
    doc.text_condition = f"legacy-{legacy}" if legacy else condition
    if found and share < 1 - MIXED and condition == "clean":
        doc.text_condition = "mixed"  # legacy lines among Unicode ones: a plan pasted together
    doc.restored_share = 0.0
    if doc.text_condition in ("stripped", "ocr-damaged"):
        doc = restore(doc)
    elif doc.text_condition == "clean" and any(stripped_paragraph(p) for p in doc.text.split("\n")):
        doc = restore(doc, only="stripped")
    elif doc.text_condition == "clean" and any(p.source.startswith("ocr") for p in doc.pages):
        doc = restore(doc, only="vie")
    return doc


@stage("language", reads=("text",), writes=("language",))
def check_language(doc: Document) -> Document:
    """Set aside documents that are not Vietnamese: most of their words are no Vietnamese syllable."""
    from pipeline.vietnamese.syllables import inventory, skeletons, strip_marks

    words = [w.lower() for w in WORD.findall(doc.text)][:5000]
    if len(words) < 20:
        doc.language = "vi"
        return doc
    inv, skel = inventory(), skeletons()
    share = sum(1 for w in words if w in inv or strip_marks(w) in skel) / len(words)
    if share < 0.5:
        doc.language = "other"
        raise LanguageError(f"not Vietnamese ({share:.0%} of its words are Vietnamese syllables)")
    doc.language = "vi"
    return doc
