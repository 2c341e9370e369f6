"""Word's automatic numbering, written out: the `I.`, `1.`, `a)`, `-` that a DOCX keeps in its
numbering definitions instead of its text.

Why: a plan set in Word often numbers its sections and bullets its items with list styles; the text
of such a paragraph is only `Cải cách thể chế`. Without its `1.` the structure stage sees no
section, and without its `-` no item under a lead-in (`Phấn đấu đến năm 2030:` + `- 100% …`), so
the year and the figures' context are lost. LibreOffice prints the numbers; a reader of the text
must too.

How Word counts (ECMA-376 §17.9): a paragraph names a list instance (`w:numId`, directly or through
its style) and a level (`w:ilvl`); the instance points at an abstract definition whose levels give
the format (`decimal`, `upperRoman`, `lowerLetter`, `bullet`, …), the pattern (`%1.`, `%1.%2.`,
`%1)`) and the start. Instances of one definition share its counters unless they restart a level
(`w:startOverride`); a paragraph at a level restarts the levels below it. A definition may only
point at a list style (`w:numStyleLink`), whose list gives the levels.
"""
from __future__ import annotations

import re

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BULLETS = "-+"  # bullets a plan writes as text; any other bullet glyph (``, `•`, `o`) is written `-`


PLACEHOLDER = re.compile(r"%\d+")


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:  # a damaged file: Word would fall back as well
        return default


def style_chain(style):
    """A style and those it is based on, nearest first; a `basedOn` loop is walked once."""
    seen = set()
    while style is not None and style.style_id not in seen:
        seen.add(style.style_id)
        yield style
        style = style.base_style


def _val(el, tag: str) -> str | None:
    child = el.find(W + tag) if el is not None else None
    return child.get(W + "val") if child is not None else None


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    """Word's letters: a … z, then aa … zz (the letter repeated)."""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def formatted(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)  # decimal, and the formats no plan uses read as decimal


class Numbering:
    """The numbering of one document, counted in reading order (`label` once per paragraph, in the
    order of the body)."""

    def __init__(self, document):
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstract id -> level -> (format, pattern, start)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # num id -> (abstract id, level -> start override)
        self.style_levels: dict[tuple[str, str], int] = {}  # (abstract id, paragraph style id) -> level
        if root is not None:
            for ab in root.iter(W + "abstractNum"):
                levels = {}
                for lvl in ab.iter(W + "lvl"):
                    levels[_int(lvl.get(W + "ilvl"), 0)] = (
                        _val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "", _int(_val(lvl, "start"), 1))
                    if _val(lvl, "pStyle"):  # the level a style's paragraphs take (`Heading 2` -> level 1)
                        self.style_levels[(ab.get(W + "abstractNumId"), _val(lvl, "pStyle"))] = _int(lvl.get(W + "ilvl"), 0)
                self.levels[ab.get(W + "abstractNumId")] = levels
            for num in root.iter(W + "num"):
                overrides = {_int(o.get(W + "ilvl"), 0): _int(_val(o, "startOverride"), 1)
                             for o in num.iter(W + "lvlOverride") if _val(o, "startOverride") is not None}
                self.nums[num.get(W + "numId")] = (_val(num, "abstractNumId"), overrides)
            self._follow_style_links(root, document)
        self.counts: dict[str, dict[int, int]] = {}  # abstract id -> level -> last number given
        self.started: set[str] = set()  # list instances whose start overrides were applied

    def _follow_style_links(self, root, document) -> None:
        """A definition that only points at a list style (`w:numStyleLink`, as Word writes a
        multilevel list kept in a style) numbers as the definition that style's list names: the
        list instances of both count together."""
        try:
            styles = {el.get(W + "styleId"): el for el in document.styles.element.iter(W + "style")}
        except AttributeError:
            return
        target: dict[str, str] = {}
        for ab in root.iter(W + "abstractNum"):
            link = _val(ab, "numStyleLink")
            style = styles.get(link) if link else None
            ppr = style.find(W + "pPr") if style is not None else None
            num_pr = ppr.find(W + "numPr") if ppr is not None else None
            num_id = _val(num_pr, "numId") if num_pr is not None else None
            if num_id in self.nums and self.nums[num_id][0] != ab.get(W + "abstractNumId"):
                target[ab.get(W + "abstractNumId")] = self.nums[num_id][0]
        for num_id, (abstract, overrides) in self.nums.items():
            if abstract in target:
                self.nums[num_id] = (target[abstract], overrides)

    def _level_of_style(self, abstract: str, style) -> int:
        """The level of `abstract` that names the style (or one it is based on), else 0."""
        return next((self.style_levels[abstract, s.style_id] for s in style_chain(style)
                     if (abstract, s.style_id) in self.style_levels), 0)

    @staticmethod
    def _style_numbering(style) -> tuple[str | None, str | None]:
        """(num id, level) a paragraph style (or the style it is based on) gives its paragraphs."""
        for s in style_chain(style):
            ppr = s.element.pPr
            num_pr = ppr.find(W + "numPr") if ppr is not None else None
            if num_pr is not None:
                return _val(num_pr, "numId"), _val(num_pr, "ilvl")
        return None, None

    def label(self, paragraph) -> str:
        """The paragraph's number or bullet as Word shows it (`1.`, `II.`, `a)`, `-`), or ""."""
        if not self.nums:
            return ""
        ppr = paragraph._p.pPr
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        num_id, ilvl = (_val(num_pr, "numId"), _val(num_pr, "ilvl")) if num_pr is not None else (None, None)
        if num_id is None or ilvl is None:
            s_id, s_lvl = self._style_numbering(paragraph.style)
            num_id = num_id or s_id
            ilvl = ilvl or s_lvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract, overrides = self.nums[num_id]
        # a style numbered without a level: the level that names the style, else 0
        level = _int(ilvl, 0) if ilvl is not None else self._level_of_style(abstract, paragraph.style)
        levels = self.levels.get(abstract, {})
        if level not in levels:
            return ""
        counts = self.counts.setdefault(abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for lv, start in overrides.items():
                counts[lv] = start - 1
        fmt, pattern, start = levels[level]
        counts[level] = counts.get(level, start - 1) + 1
        for deeper in [lv for lv in counts if lv > level]:
            del counts[deeper]  # a new item restarts the levels under it
        if fmt == "bullet":
            return pattern if pattern in BULLETS else "-"
        out = pattern
        for lv in range(level, -1, -1):  # %10 before %1
            lv_fmt, _, lv_start = levels.get(lv, ("decimal", "", 1))
            out = out.replace(f"%{lv + 1}", formatted(counts.get(lv, lv_start), lv_fmt))
        return PLACEHOLDER.sub("", out).strip()  # a level deeper than the paragraph's: nothing
