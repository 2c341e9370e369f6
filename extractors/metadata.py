"""Document metadata: issuer, province, type, number, date, title, signer, period, legal basis.

The header of a plan is two columns (`ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI …`,
`TỈNH LAI CHÂU | Độc lập - Tự do - Hạnh phúc`, `Số: 767/KH-UBND | Lai Châu,
ngày …`) which text layers and OCR interleave; every rule here therefore
searches lines for patterns rather than expecting a layout. The province is
taken from the header, then the place-date line, then the body.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

import regex

from extractors.lexicon import load, phrase_pattern
from extractors.markers import body_start
from extractors.provinces import find_provinces, province_of_place, provinces
from extractors.results import Metadata
from extractors.orthography import fold, fold_same_length, match_form

# `Số: 767/KH-UBND`; before 2012 a number carried its year (`Số: 15/2008/NQ-HĐND`)
_NUMBER_BODY = r"(\d+[\w]*\s*/\s*(?:(?:19|20)\d{2}\s*/\s*)?[\p{L}\d]+(?:\s*[-–/]\s*[\p{L}\d&]+)*)"
NUMBER = regex.compile(r"(?im)(?:^|\|)\s*S[ốo]\s*:?\s*" + _NUMBER_BODY + "|"
                       r"(?<!(?:định|hoạch|thị|quyết|trình|bản|cáo|báo)\s{1,2})(?-i:Số)\s*:\s*" + _NUMBER_BODY)
# A date written out (`ngày 11 tháng 12 năm 2008`) or with slashes (`ngày 11/12/2008`).
DATE = regex.compile(r"ngày\s+(\d{1,2})\s*(?:tháng\s+|[/.-])\s*(\d{1,2})\s*(?:năm\s+|[/.-])\s*(\d{4})", regex.IGNORECASE)
# The place-date line: `Lâm Đồng, ngày 11 tháng 12 năm 2008`; day and month may be left blank in a draft.
# Not the date of a document cited on a `Căn cứ` line (`… Nghị định số 188/2004/NĐ-CP, ngày 16 tháng 11
# năm 2004`): the place starts a word, not a symbol's code, and its line opens with no citation.
PLACE_DATE = regex.compile(r"(?<![\p{L}\d/\-])([\p{L}][\p{L} \t\u00a0\-.]{1,40}?)\s*,\s*ngày\s+(\d{0,2})\s*tháng\s+(\d{0,2})\s*năm\s+(\d{4})",
                           regex.IGNORECASE)
CITING_LINE = regex.compile(r"[^\S\n]*(?:căn cứ|theo|xét)\b", regex.IGNORECASE)
# The symbol of a cited document: number, the year where it was written (before 2012), then the
# issuers' codes (`1676/QĐ-TTg`, `76/2004/QĐ-TTg`, `202/2025/QH15`, `8935/BNV-CTTN&BĐG`,
# `196-TB/TW`). Text layers space the separators (`1676/QĐ - TTg`, `103/2004/TTLT / BTC-UBTDTT`);
# after a spaced one only a code in capitals continues the symbol, not the next sentence's word.
# An ordinal is none (`Nghị quyết kỳ họp thứ 14 - HĐND tỉnh`: a session, not `14-HĐND`).
# A code may go on after a dot in capitals (`QĐ-UB.NN`, `TT.HĐND`, older symbols): not into a sentence
# glued after it (`…/QĐ-UBND.Căn cứ`), whose word is not all capitals.
_CODE = r"[\p{Lu}Đ][\p{L}\d&]*(?:\.[\p{Lu}Đ][\p{Lu}Đ&]*(?![\p{L}\d]))*"
SYMBOL = regex.compile(r"(?<![\p{L}\d/])(?<!\b(?i:thứ)\s{1,3})(\d{1,5}[a-z]?(?:\s*/\s*(?:19|20)\d{2})?(?:[/-]" + _CODE + r"|(?:\s+[/-]\s*|[/-]\s+)"
                       r"(?=[\p{Lu}Đ][\p{Lu}Đ&]|TTg\b)" + _CODE + r")+)(?![\p{L}\d])")
# a span of years (`2026 - 2030`, `2008 đến năm 2010`), its first and last year the groups
YEAR_SPAN = r"\s*((?:19|20)\d{2})\s*(?:-|–|đến|tới)\s*(?:năm\s*)?((?:19|20)\d{2})"
PERIOD = regex.compile(r"(?:giai đoạn|thời kỳ|từ năm|kế hoạch)?" + YEAR_SPAN)
# on one line (`Mẫu biểu số 01` under a signature is no name), but for its last words wrapped alone onto
# the next line (`Hoàng Đức` / `Thắng`, `Lê` / `Trường Sơn`)
NAME = r"\p{Lu}\p{Ll}+(?:[^\S\n]+\p{Lu}\p{Ll}+|[^\S\n]*\n[^\S\n]*\p{Lu}\p{Ll}+(?:[^\S\n]+\p{Lu}\p{Ll}+){0,2}(?=[^\S\n]*(?:\n|$))){1,4}"
HEADER_PARAGRAPHS = 14
# `Nghị quyết này đã được … thông qua ngày …`: the adoption date of a resolution without a date line.
ADOPTED = regex.compile(r"(?:Nghị quyết|Quyết định|Chỉ thị|Kế hoạch) này[^.;]{0,160}?thông qua\s+(?:vào\s+)?" +
                        DATE.pattern, regex.IGNORECASE)
# A cited document inside a title (`điều chỉnh nghị quyết số 42/2006/nq-hđnd ngày … năm 2006`).
CITED = regex.compile(r"số\s*\d+[^\s,;]*\s*(?:ngày\s+\d{1,2}\s*(?:tháng\s+|/)\s*\d{1,2}\s*(?:năm\s+|/)\s*\d{4})?")


@lru_cache(maxsize=1)
def _data():
    return load("documents")


def _paragraph_texts(doc) -> list[tuple[int, str]]:
    return [(p.start, doc.text[p.start:p.end]) for p in doc.paragraphs]


@lru_cache(maxsize=1)
def _types():
    """(types as (printed, name, match form, fold), longest first; the title openers' pattern)."""
    d = _data()
    types = [(printed, name, match_form(printed), fold(printed))
             for printed, name in sorted(d["types"].items(), key=lambda x: -len(x[0]))]
    return types, regex.compile(r"\s*" + phrase_pattern(d["title_openers"]))


def _doc_type(pars, number: str) -> tuple[str, int | None, str]:
    """(type, index of the paragraph that names it, title written on the same line).

    The type stands alone in the heading (`KẾ HOẠCH`), or opens a title line when the header is
    lost (`Nghị quyết về kế hoạch đầu tư …`, `Quyết định về việc phê duyệt …`)."""
    types, title_open = _types()
    for i, (_, t) in enumerate(pars[:HEADER_PARAGRAPHS + 6]):
        head = t.strip().rstrip(".:")
        mt = match_form(head)
        for printed, name, key, folded in types:
            if mt == key or fold(head) == folded or _with_speck(head, printed):
                return name, i, ""
        for printed, name, key, _ in types:
            if mt.startswith(key + " ") and title_open.match(mt, len(key)):
                return name, i, head[len(key):].strip()
    if number:
        symbols = _data()["symbols"]
        code = regex.search(r"/([\p{L}]+)", number)
        if code and code.group(1) in symbols:
            return symbols[code.group(1)], None, ""
    return "", None, ""


# a scan's speck or a seal's edge read as a short word or signs beside the type line (`KẾ HOẠCH thà.`,
# `KẾ HOẠCH "¬`)
SPECK_WORD = regex.compile(r"\s+[\p{Ll}\p{P}\p{S}]{1,4}")


def _with_speck(head: str, printed: str) -> bool:
    """Whether the line is the type in capitals and one short word in small letters after it: no
    title goes on in small letters from the type's capitals, a speck read as a word does."""
    cap = printed.upper()
    return head.startswith(cap) and bool(SPECK_WORD.fullmatch(head[len(cap):]))


# What opens the preamble or the body after a title. A title may itself open with one of the
# `title_may` words (`Thực hiện Nghị quyết …`); a later paragraph that does is the preamble.
PREAMBLE = regex.compile(r"\s*(?:(?P<title_may>Thực hiện|Triển khai|Xét|Theo|Sau khi|Trên cơ sở)|"
                         r"Căn cứ|Điều\s+\d|[IVX]+\.\s|\d+\.\s)")


def _title(pars, type_index: int | None) -> str:
    if type_index is None:
        return ""
    parts = []
    for _, t in pars[type_index + 1: type_index + 5]:
        pre = PREAMBLE.match(t)
        if (pre and (parts or not pre.group("title_may"))) or len(t) > 400 or " | " in t:
            break  # ... or a table row (cells joined by the readers' ` | `): a table under the title is none of it
        parts.append(t.strip())
        if t.rstrip().endswith((".", ":")) or len(" ".join(parts)) > 300:
            break
    return " ".join(parts)


def _dates(header: str, text: str, preamble_end: int) -> tuple[str, int | None]:
    """(issue date, issue year). The date is the place-date line's, else the adoption clause's
    (`Nghị quyết này đã được … thông qua ngày …`), never a cited document's. Where the line leaves
    day or month blank (a draft), the year still counts; where there is no date at all, the
    latest date of the preamble (a cited Tờ trình is at most weeks older) stands for the year."""
    pd = _place_date(header)
    if pd:
        year = int(pd.group(4))
        if pd.group(2) and pd.group(3):
            iso = _iso(int(pd.group(2)), int(pd.group(3)), year)
            if iso:
                return iso, year
        return "", year
    m = ADOPTED.search(text)
    if m:
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            return iso, int(m.group(3))
    years = [int(d.group(3)) for d in DATE.finditer(text, 0, preamble_end)]
    return "", (max(years) if years else None)


KIND_BEFORE = regex.compile(r"(?:thanh pho|tp)(?:\s*\.)?\s+$")  # `TP. Hồ Chí Minh` folds to `tp . ho chi minh`


def _body_provinces(text: str) -> Counter:
    """How often the text names each province, a name after a person only after its kind
    (documents.yaml `named_after_people`)."""
    people = {fold(n) for n in _data()["named_after_people"]}
    folded = fold(text)
    return Counter(p.key for pos, p in find_provinces(text)
                   if fold(p.name) not in people or KIND_BEFORE.search(folded, max(0, pos - 12), pos))


def _place_date(header: str):
    """The place-date line's match, passing over dates on a line that cites (`Căn cứ …, ngày …`)."""
    for m in PLACE_DATE.finditer(header):
        if not CITING_LINE.match(header, header.rfind("\n", 0, m.start()) + 1):
            return m
    return None


def _iso(day: int, month: int, year: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 and 1 <= month <= 12 else ""


def _period(title: str, issue_year: int | None) -> tuple[int, int] | None:
    """The plan period from the title: `giai đoạn 2026 - 2030`, `đến năm 2030` (from the issue
    year), or one year for an annual plan (`kế hoạch đầu tư … năm 2009`). Years inside the
    citation of another document in the title do not count."""
    mt = match_form(title)
    mt = CITED.sub(lambda m: " " * len(m.group()), mt)
    for pm in PERIOD.finditer(mt):
        a, b = int(pm.group(1)), int(pm.group(2))
        if a < b and (issue_year is None or b >= issue_year):
            return a, b
    until = regex.search(r"(?:đến|tới)\s+(?:hết\s+)?năm\s+((?:19|20)\d{2})", mt)
    if until:
        y = int(until.group(1))
        return (issue_year, y) if issue_year and y >= issue_year else None
    single = [int(y) for y in regex.findall(r"(?<![\p{L}])năm\s+((?:19|20)\d{2})", mt)]
    if len(set(single)) == 1 and (issue_year is None or single[0] >= issue_year):
        return single[0], single[0]
    return None


@lru_cache(maxsize=1)
def _period_heading():
    """The heading's words with their marks folded, to be matched on a title folded alike: a scan read
    with a wrong tone (`Thời gian thì đua`) still names the plan's time, and no other phrase folds to
    these."""
    d = _data()["period_headings"]
    words, objects = ([fold(w) for w in d[k]] for k in ("words", "objects"))
    return regex.compile(rf"\s*{phrase_pattern(words)}(?:\s+{phrase_pattern(objects)})?\s*(?::|$)")


PERIOD_SPAN_MAX = 15  # years: a longer span under such a heading is a history, not the plan's time


def _heading_period(doc, issue_year: int | None) -> tuple[int, int] | None:
    """The plan's period from a heading on its time (documents.yaml `period_headings`: `2. Thời gian
    thi đua`, with the campaign's dates under it), where the title names no year: the first and last
    years written in that section. A campaign plan (`Kế hoạch tổ chức đợt thi đua …`) has its time
    only there, and its undated targets had no year to take. A span it states (`Giai đoạn 2026 -
    2030`) is the period; a lettered point's time is a task's."""
    sections = doc.sections
    for i, sec in enumerate(sections):
        if sec.level >= 9 or not _period_heading().match(fold_same_length(sec.title)):
            continue  # a lettered point's time (`b) Thời gian thực hiện: Quý III/2026`) is a task's
        end = next((later.start for later in sections[i + 1:] if later.level <= sec.level), len(doc.text))
        span = PERIOD.search(match_form(doc.text[sec.start:end]))
        if span and int(span.group(1)) < int(span.group(2)):  # `Giai đoạn 2026 - 2030, định hướng đến năm 2035`
            return int(span.group(1)), int(span.group(2))
        years = [int(y) for y in regex.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", doc.text[sec.start:end])]
        years = [y for y in years if issue_year is None or issue_year - 1 <= y]
        if years and max(years) - min(years) <= PERIOD_SPAN_MAX and (issue_year is None or max(years) >= issue_year):
            return min(years), max(years)
    return None


# a span an article gives the document's rules (`… trên địa bàn tỉnh giai đoạn 2008-2010, cụ thể như sau`,
# `… áp dụng từ năm ngân sách 2008 - 2010`): a span word right before it
ARTICLE = regex.compile(r"\s*điều\s+\d+\s*[.:]")
EFFECT = regex.compile(r"(?<![\p{L}])có hiệu lực(?![\p{L}])")  # the effect clause, an article's or standing alone
ARTICLE_SPAN = regex.compile(r"(?:giai đoạn|thời kỳ|năm ngân sách|từ năm)" + YEAR_SPAN)


def _article_period(doc, issue_year: int | None) -> tuple[int, int] | None:
    """The period a decision's or resolution's articles give its rules where neither its title nor a
    heading on its time names one: the first span after a span word in an article (`Điều 1. … giai
    đoạn 2008-2010`) or its effect clause (`… có hiệu lực … và áp dụng từ năm ngân sách 2008 - 2010`),
    outside the citation of another document (`Nghị quyết số 71/2007/NQ-HĐND …`)."""
    for par in doc.paragraphs:
        mt = match_form(doc.text[par.start:par.end])
        if not ARTICLE.match(mt) and not EFFECT.search(mt):
            continue
        mt = CITED.sub(lambda m: " " * len(m.group()), mt)
        for span in ARTICLE_SPAN.finditer(mt):
            a, b = int(span.group(1)), int(span.group(2))
            if a < b and b - a <= PERIOD_SPAN_MAX and (issue_year is None or b >= issue_year):
                return a, b
    return None


@lru_cache(maxsize=1)
def _proposal_opener():
    return regex.compile(r"[\s\-–•]*" + phrase_pattern(_data()["proposal_openers"]))


def _proposed(text: str, pos: int) -> bool:
    """Whether the symbol at `pos` stands in a line that puts a proposal before the issuer (`Theo đề
    nghị … tại Tờ trình số …`; documents.yaml `proposal_openers`): a Tờ trình is no legal basis."""
    line = text.rfind("\n", 0, pos) + 1
    return bool(_proposal_opener().match(match_form(text[line:pos])))


def _signer(text: str) -> tuple[str, str]:
    """Signer and title from the last signature block: `KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Nguyễn Minh`,
    whether its parts stand on their own lines or were run together by a table layout."""
    last = None
    for m in _signature().finditer(text):
        last = m
    if not last:
        return _signer_beside_recipients(text)
    title = " ".join(last.group("title").split())
    return " ".join(last.group("name").split()), title.capitalize()


SIGN_REACH = 2000  # characters from the end of the text where a signature block is looked for


def _signer_beside_recipients(text: str) -> tuple[str, str]:
    """A signature block printed beside the recipients' list (`Nơi nhận`) and read line by line with
    it: its title ends a recipients' line (`- Bộ Tài chính; CHỦ TỊCH`), its name stands alone on a
    line further down (`Nguyễn Tuấn Anh`)."""
    start = text.rfind("Nơi nhận", max(0, len(text) - SIGN_REACH))
    if start < 0:
        return "", ""
    titles = list(_title_at_line_end().finditer(text, start))
    if not titles:
        return "", ""
    title = titles[-1]
    for line in text[title.end():].split("\n")[1:]:
        if regex.fullmatch(NAME, line.strip()) and 2 <= len(line.split()) <= 5:
            return " ".join(line.split()), " ".join(title.group("title").split()).capitalize()
    return "", ""


@lru_cache(maxsize=1)
def _title_at_line_end():
    return regex.compile(r"(?<![\p{L}])(?P<title>" + _signature_titles() + r")[^\S\n]*$", regex.MULTILINE)


def _signature_titles() -> str:
    """The signers' titles (documents.yaml `signature`), an alternation, the longest first."""
    return "|".join(r"\s+".join(regex.escape(w) for w in t.split())
                    for t in sorted(_data()["signature"]["titles"], key=len, reverse=True))


@lru_cache(maxsize=1)
def _signature():
    sig = _data()["signature"]
    prefixes = "|".join(regex.escape(p) for p in sig["prefixes"])
    titles = _signature_titles()
    signed = "|".join(regex.escape(w) for w in sig["signed_marks"])
    return regex.compile(
        r"(?<![\p{L}])(?:(?:" + prefixes + r")\.\s*[\p{Lu}\s]+?\s+)*(?P<title>" + titles + r")"
        r"\s*(?:(?:" + signed + r")\s*)?(?:\|\s*)?(?P<name>" + NAME + r")(?![\p{L}])")


def _header_province(header: str):
    for line in header.split("\n"):
        f = fold(line)
        m = regex.search(r"(?:^|\s)(?:tinh|thanh pho|tp \.?)\s+(.+)$", f)
        if m:
            hits = find_provinces(m.group(1))
            if hits and hits[0][0] <= 2:
                return hits[0][1]
    return None


def _issuer(header: str, text: str, province) -> str:
    """The body that issued the plan: a department line under its committee, else the first
    issuer of the header, else the committee that the body text says issues it."""
    from extractors.agencies import _gazetteer

    where = "tỉnh"
    if province is not None and province.full.lower().startswith("thành phố"):
        where = "thành phố"
    lines = header.split("\n")
    for line in lines[:6]:
        if fold(line).startswith("so "):
            hits = _gazetteer()[0].find(line)
            if hits and hits[0][0] == 0:
                return f"{hits[0][2]} {where} {province.name}" if province else hits[0][2]
    found = []
    # `Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân`, `Luật Ban hành văn bản … của Hội đồng nhân dân
    # và Ủy ban nhân dân`: a law's name, no issuer
    folded = regex.sub(r"hoi dong nhan dan va uy ban nhan dan", lambda m: " " * len(m.group()), fold(header))
    for printed, name in _data()["issuers"].items():
        m = regex.search(r"(?<![\p{L}])" + regex.escape(fold(printed)) + r"(?![\p{L}])", folded)
        if m:
            found.append((m.start(), m.end(), name))
    # a match inside a longer one is none: a title ending `… thuộc tỉnh` over the line `Ủy ban nhân
    # dân tỉnh` reads, folded, `tỉnh ủy ban nhân dân`, where `tỉnh ủy` (the party committee) is no issuer
    found = [f for f in found if not any(o[0] < f[1] and f[0] < o[1] and o[1] - o[0] > f[1] - f[0] for o in found)]
    issuer = min(found)[2] if found else ""
    if not issuer and regex.search(r"(?i)(?:Ủy|Uỷ) ban nhân dân tỉnh|UBND tỉnh", text[:5000]):
        issuer = "Ủy ban nhân dân"
    if issuer and province is not None:
        return f"{issuer} {where} {province.name}"
    return issuer


def extract_metadata(doc) -> Metadata:
    pars = _paragraph_texts(doc)
    header = "\n".join(t for _, t in pars[:HEADER_PARAGRAPHS])
    meta = Metadata()

    m = NUMBER.search(header)
    meta.doc_number = regex.sub(r"\s+", "", m.group(1) or m.group(2)).replace("–", "-") if m else ""
    doc_type, type_index, inline_title = _doc_type(pars, meta.doc_number)
    meta.doc_type = doc_type
    meta.title = inline_title or _title(pars, type_index)
    preamble_end = body_start(doc.text, doc.paragraphs, len(doc.text))
    meta.issued_date, meta.issue_year = _dates(header, doc.text, preamble_end)

    province, source = _header_province(header), "header"
    if province is None:
        pd = _place_date(header)
        if pd:
            province, source = province_of_place(pd.group(1).strip()), "place-date"
    if province is None:
        counts = _body_provinces(doc.text)
        if counts:
            province, source = provinces()[counts.most_common(1)[0][0]], "body"
    meta.province = province.name if province else ""
    meta.province_2025 = province.successor if province else ""
    meta.province_source = source if province else ""

    meta.issuer = _issuer(header, doc.text, province)

    meta.signer, meta.signer_title = _signer(doc.text)
    period = _period(meta.title, meta.issue_year) or _heading_period(doc, meta.issue_year) or \
        _article_period(doc, meta.issue_year)
    meta.period_start, meta.period_end = period if period else (None, None)

    own = meta.doc_number
    basis = []
    for sm in SYMBOL.finditer(doc.text[:preamble_end]):
        sym = regex.sub(r"\s+", "", sm.group(1))
        if sym != own and sym not in basis and regex.search(r"\p{L}", sym) and not _proposed(doc.text, sm.start()):
            basis.append(sym)
    meta.legal_basis = "; ".join(basis)
    return meta
