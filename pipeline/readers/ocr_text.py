"""Repairs of OCR text where the context leaves no doubt: digits read as letters, page numbers.

Tesseract's `vie` model reads `1` as `l` or `I` (`ít nhất l buổi`, `2l5`) and
`5` as `Š` or `S` in a section number (`Š.2.`); a running page number printed
at the head or foot of a page lands in the middle of the paragraph the page
break splits. Only contexts where a letter cannot be meant are touched: `l` is
no Vietnamese word and `Š` no Vietnamese letter, a letter between two digits
is a misread digit, and `I` is changed only before a counted noun (it is also
the Roman numeral of a heading). The words that count are data
(`data/ocr_repair.yaml`).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import regex
import yaml

DATA = Path(__file__).parent / "data" / "ocr_repair.yaml"
ONE_IN_NUMBER = regex.compile(r"(?<=\d[.,]?)[lI|](?=[.,]?\d)|(?<=\d)[lI](?=[\s%.,;:)/\-–]|$)|"
                              r"(?<![\p{L}\d])[lI](?=\d)|(?<![\p{L}\d.,|])[iIl](?=\.\d{3}(?:\.\d{3})*(?!\d|[.,]\d))")
FIVE_IN_NUMBER = regex.compile(r"(?<=\d[.,]?)[ŠS](?=[.,]?\d)|(?<![\p{L}\d])Š(?=[.,]?\d)|(?<=\d[.,]?)Š(?![\p{L}])")
SPECK_ONES = "¡!Íí"  # a 1 Tesseract read with a speck (`tháng 1Í`)
ONE_LIKE = "Il|" + SPECK_ONES  # what it reads a 1 of a date's day or month as (`tháng II`, `tháng 1Í`)
SECTION = regex.compile(r"(?m)^(\s*)((?:[\dSŠl]{1,2}\.){1,4}[\dSŠl]{0,2})(?=[\s)])")
# a section number's point read as a comma (`5, Sở Giáo dục và Đào tạo`): a line opening with a figure,
# a comma and a word in sentence case, under a line that ends a sentence or a heading
# (`_after_line_end`); a code in capitals goes on a citation (`STT` + `7, PL 6, QĐ 66`)
SECTION_COMMA = regex.compile(r"(?m)^(\s*\d{1,2}),(?=\s+\p{Lu}\p{Ll})")


@lru_cache(maxsize=1)
def _data() -> dict:
    with open(DATA, encoding="utf-8") as f:
        return yaml.safe_load(f)


@lru_cache(maxsize=1)
def _lone_one():
    nouns = sorted(_data()["counted_nouns"], key=len, reverse=True)
    words = "|".join(regex.escape(n) for n in nouns)
    return regex.compile(rf"(?<![\p{{L}}\d])(?:l|I)(?=\s+(?:{words})(?![\p{{L}}]))")


@lru_cache(maxsize=1)
def _page_number():
    return regex.compile("^(?:" + "|".join(_data()["page_number_lines"]) + ")$")


def _section(m) -> str:
    number = m.group(2)
    if not regex.search(r"[\dŠ]", number) and not number.startswith(("S.", "l.")):
        return m.group(0)
    return m.group(1) + number.replace("Š", "5").replace("S", "5").replace("l", "1")


@lru_cache(maxsize=1)
def _date_part():
    """The day or month of a written date, with a `1` read as a letter in it (`date_words`)."""
    w = {k: regex.escape(v) for k, v in _data()["date_words"].items()}
    o = ONE_LIKE
    # `II`, `1Í`, and `1 ¡` (a speck beside the 1, never a table bar: `Ngày 2 | tháng 3`)
    ones = rf"(?=[\d{o}]?[{o}])[\d{o}]{{1,2}}|[\dIl]\s[{SPECK_ONES}]"
    return regex.compile(rf"(?i:(?<=\b{w['day']}\s{{1,3}})){ones}(?=\s{{1,3}}(?i:{w['month']})\b)|"
                         rf"(?i:(?<=\b{w['month']}\s{{1,3}})){ones}(?=\s{{1,3}}(?i:{w['year']})\s{{1,3}}\d)")


@lru_cache(maxsize=1)
def _date_glue():
    """A date word OCR glued to its figure or to the comma before it (`Bình Định,ngày23`)."""
    w = "|".join(regex.escape(v) for v in _data()["date_words"].values())
    return regex.compile(rf"(?i)(?<=,)(?=(?:{w})\s*\d)|(?<=\b(?:{w}))(?=\d)")


def repair_digits(text: str) -> str:
    """`1` and `5` where OCR wrote a letter in a number's place."""
    text = _date_glue().sub(" ", text)
    text = _date_part().sub(lambda m: regex.sub(rf"[{ONE_LIKE}]", "1", m.group(0)).replace(" ", ""), text)
    text = SECTION_COMMA.sub(lambda m: m.group(1) + "." if _after_line_end(text, m.start()) else m.group(), text)
    text = SECTION.sub(_section, text)
    text = FIVE_IN_NUMBER.sub("5", text)
    text = ONE_IN_NUMBER.sub("1", text)
    return _lone_one().sub("1", text)


def _after_line_end(text: str, at: int) -> bool:
    """Whether the line before offset `at` (a line's start) ends a sentence or a heading (a point, a
    colon, or no line at all): a heading's place. A line that stops on a word goes on with its
    number (`tại Điều` + `5, Nghị định …`, `các Phường` + `5, Phường 7`)."""
    before = text[:at].rstrip()
    return not before or before.endswith((".", ":"))


def is_page_number(line: str) -> bool:
    """Whether a line is only a running page number (`12`, `- 7 -`, `Trang 3/10`)."""
    return bool(_page_number().match(line.strip()))


def drop_page_numbers(text: str) -> str:
    """The page's first and last non-blank lines, when they are only a page number, removed, with
    the blank lines that set them apart from the body: a page break is a line break (the pages are
    joined by one), and a paragraph the page splits goes on across it. A blank line left there would
    end that paragraph in the middle of its sentence (`được nuôi` | `dưỡng, chăm sóc`); where the
    page's last line does end one, the paragraph joiner sees it as it sees any line end."""
    lines = text.split("\n")
    filled = [k for k, ln in enumerate(lines) if ln.strip()]
    if len(filled) < 2:
        return text
    head, foot = is_page_number(lines[filled[0]]), is_page_number(lines[filled[-1]])
    if not head and not foot:
        return text
    body = lines[filled[1] if head else 0:filled[-2] + 1 if foot else len(lines)]
    return "\n".join(body)


# a seal, a stamp's ring or a fold read as marks at the edge of a line: `KẾ HOẠCH \`, `KẾ HOẠCH ¬¬`, `'ỦY BAN`,
# `. I. MỤC ĐÍCH`, `năm 2030 _ ——Z`, `ngày 23 _.`. Bullets (`-`, `+`, `•`), table bars (`|`) and brackets stay.
EDGE_JUNK_END = regex.compile(r"(?:\s+(?:[\\/_~`=—¬ˆ]+(?:\p{Lu}|[.,])?|[\\/]\s*\p{L}))+\s*$")
EDGE_JUNK_START = regex.compile(r"^(?:['‘’`\\/_~=]+(?=\p{Lu})|[.,:;'‘’`\\/_~=]+\s+(?=[\p{Lu}\d]))")
LONE_POINT_END = regex.compile(r"(?<=\p{L})\s+[.,]\s*$")
LOWER_START = regex.compile(r"^\s*\p{Ll}")
# `300:000` for `300.000`: a colon never separates a thousands group (a scale is `1:500`)
COLON_IN_NUMBER = regex.compile(r"(?<![\d.,:])(\d{2,3}):(?=\d{3}(?:[.,]\d{3})*(?![\d:]))")

# a speck of noise read as a mark glued to a figure: `3.phòng`, `50-doanh nghiệp` (a number is never
# joined to the word it counts by a point or a dash; a section number at the start of a line, `2.a`,
# is left alone), `hải sản,.55 chợ` (no number starts with a point)
SPECK_AFTER_NUMBER = regex.compile(r"(?m)(?<=\d)(?<!^\s*[\d.]+)[.\-](?=\p{Ll}{2})")
SPECK_BEFORE_NUMBER = regex.compile(r"(?<=[,;:(]|\s)\.(?=\d)(?!\d*\.\d)")
# ... or between a word and the figure after it: `diện tích.2,95 ha`, `và-3 phòng` (a word is never
# joined to a figure by a point, nor by a dash unless it is a code, `COVID-19`, which is no syllable)
SPECK_AFTER_WORD = regex.compile(r"(?<![\p{L}\d])(\p{Ll}{2,7})[.\-](?=\d)")
# ... or glued to the front of a word inside a sentence: `đường Hùng .Vương` (a point ends a word;
# one that opens a name is a file's or a domain's, `.vn`, `.pdf`, `.NET`, which is no syllable in
# sentence case)
SPECK_BEFORE_WORD = regex.compile(r"(?<=\p{L}) \.(?=(\p{Lu}\p{Ll}+)(?![\p{L}\d]))")


JUNK = set("\\/_~`=—|⁄^¬ˆ")


def _drop_end_junk(line: str) -> str:
    """Trailing tokens made of marks only (`KẾ HOẠCH \\ |`), when one of them is more than a table
    bar: `| 2026 |` keeps its bars."""
    tokens = line.split(" ")
    cut = len(tokens)
    while cut > 1 and tokens[cut - 1] and (set(tokens[cut - 1]) <= JUNK or not tokens[cut - 1].strip()):
        cut -= 1
    dropped = "".join(tokens[cut:])
    if cut < len(tokens) and set(dropped) - {"|", " "}:
        return " ".join(tokens[:cut]).rstrip()
    return line


def drop_edge_junk(text: str) -> str:
    """Marks at the start or end of a line that no text begins or ends with; and a lone point at the
    end of a line that the next line goes on from in lower case (`năng lực .` + `công nghệ …`): a
    speck, which would end the sentence in the middle."""
    lines = [EDGE_JUNK_START.sub("", _drop_end_junk(EDGE_JUNK_END.sub("", ln))) for ln in text.split("\n")]
    for k in range(len(lines) - 1):
        if LONE_POINT_END.search(lines[k]) and LOWER_START.match(lines[k + 1]):
            lines[k] = LONE_POINT_END.sub("", lines[k])
    return "\n".join(lines)


def drop_specks(text: str) -> str:
    """Points and dashes that noise put between a figure and its words."""
    from pipeline.vietnamese.syllables import is_syllable

    text = SPECK_AFTER_WORD.sub(lambda m: m.group(1) + " " if is_syllable(m.group(1)) else m.group(), text)
    text = SPECK_AFTER_NUMBER.sub(" ", text)
    text = SPECK_BEFORE_WORD.sub(lambda m: " " if is_syllable(m.group(1)) else m.group(), text)
    return SPECK_BEFORE_NUMBER.sub(lambda m: "" if text[m.start() - 1].isspace() else " ", text)


# a table bar with a space on one side only, in a line of cells (` | ` twice or more): a cell's edge
# OCR glued to its text (`- |pH | 2 | 6`), which would shift every cell after it
GLUED_BAR = regex.compile(r"(?<=[^\s|])\|(?= |$)|(?<= )\|(?=[^\s|])")
ROW = regex.compile(r" \| .* \| ")


def unglue_bars(text: str) -> str:
    """Bars of a table row that OCR glued to a cell's text, set apart (`GLUED_BAR`)."""
    return "\n".join(GLUED_BAR.sub(" | ", ln).replace("  ", " ").rstrip()
                     if ROW.search(ln) else ln for ln in text.split("\n"))


def repair(text: str) -> str:
    text = unglue_bars(repair_digits(drop_edge_junk(drop_page_numbers(text))))
    return drop_specks(COLON_IN_NUMBER.sub(r"\1.", text))
