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

from extractors.lexicon import load
from extractors.provinces import find_provinces, province_of_place, provinces
from extractors.textkey import fold, match_form

NUMBER = regex.compile(r"(?im)(?:^|\|)\s*S[ốo]\s*:?\s*(\d+[\w]*\s*/\s*[\p{L}\d]+(?:\s*[-–]\s*[\p{L}\d]+)*)|"
                       r"(?i)\bS[ốo]\s*:\s*(\d+[\w]*\s*/\s*[\p{L}\d]+(?:\s*[-–]\s*[\p{L}\d]+)*)")
DATE = regex.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", regex.IGNORECASE)
PLACE_DATE = regex.compile(r"([\p{L}][\p{L}\s\-.]{1,40}?)\s*,\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}",
                           regex.IGNORECASE)
SYMBOL = regex.compile(r"(?<![\p{L}\d/])(\d{1,5}(?:[/-][\p{Lu}Đ][\p{L}Đđ]*)+(?:[/-][\p{Lu}Đ][\p{L}Đđ]*)*)(?![\p{L}\d])")
PERIOD = regex.compile(r"(?:giai đoạn|thời kỳ|từ năm|kế hoạch)?\s*((?:19|20)\d{2})\s*(?:-|–|đến|tới)\s*(?:năm\s*)?((?:19|20)\d{2})")
NAME_LINE = regex.compile(r"^(?:\p{Lu}\p{Ll}+\s){1,4}\p{Lu}\p{Ll}+$")
HEADER_PARAGRAPHS = 14


@lru_cache(maxsize=1)
def _data():
    return load("documents")


def _paragraph_texts(doc) -> list[tuple[int, str]]:
    return [(p.start, doc.text[p.start:p.end]) for p in doc.paragraphs]


def _doc_type(pars, number: str) -> tuple[str, int | None]:
    types = _data()["types"]
    for i, (_, t) in enumerate(pars[:HEADER_PARAGRAPHS + 6]):
        head = t.strip().rstrip(".:")
        for printed, name in sorted(types.items(), key=lambda x: -len(x[0])):
            if match_form(head) == match_form(printed) or fold(head) == fold(printed):
                return name, i
    if number:
        code = regex.search(r"/([\p{L}]+)", number)
        if code and code.group(1) in _data()["symbols"]:
            return _data()["symbols"][code.group(1)], None
    return "", None


def _title(pars, type_index: int | None) -> str:
    if type_index is None:
        return ""
    parts = []
    for _, t in pars[type_index + 1: type_index + 5]:
        if regex.match(r"\s*(?:Căn cứ|[IVX]+\.\s|\d+\.\s)", t) or len(t) > 400:
            break
        parts.append(t.strip())
        if t.rstrip().endswith((".", ":")) or len(" ".join(parts)) > 300:
            break
    return " ".join(parts)


def _header_province(header: str):
    for line in header.split("\n"):
        f = fold(line)
        m = regex.search(r"(?:^|\s)(?:tinh|thanh pho|tp \.?)\s+(.+)$", f)
        if m:
            hits = find_provinces(m.group(1))
            if hits and hits[0][0] <= 2:
                return hits[0][1]
    return None


def _signer(pars) -> tuple[str, str]:
    marks = [fold(m) for m in _data()["signature_marks"]]
    tail = pars[-14:]
    for i, (_, t) in enumerate(tail):
        if any(fold(t.strip()).startswith(m) or m in fold(t) for m in marks):
            title_parts, name = [], ""
            for _, u in tail[i:]:
                u = u.strip()
                if NAME_LINE.match(u):
                    name = u
                    break
                if u.isupper() or fold(u) in marks:
                    title_parts.append(u)
            if name:
                title = next((p for p in reversed(title_parts) if not p.startswith(("KT.", "TM."))), "")
                if not title and title_parts:
                    title = title_parts[-1].split(".", 1)[-1].strip()
                return name, title.capitalize() if title.isupper() else title
    return "", ""


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
    for printed, name in _data()["issuers"].items():
        m = regex.search(r"(?<![\p{L}])" + regex.escape(fold(printed)) + r"(?![\p{L}])", fold(header))
        if m:
            found.append((m.start(), name))
    issuer = min(found)[1] if found else ""
    if not issuer and regex.search(r"(?i)(?:Ủy|Uỷ) ban nhân dân tỉnh|UBND tỉnh", text[:5000]):
        issuer = "Ủy ban nhân dân"
    if issuer and province is not None:
        return f"{issuer} {where} {province.name}"
    return issuer


def extract_metadata(doc) -> dict:
    pars = _paragraph_texts(doc)
    header = "\n".join(t for _, t in pars[:HEADER_PARAGRAPHS])
    meta: dict = {}

    m = NUMBER.search(header)
    meta["doc_number"] = regex.sub(r"\s+", "", m.group(1) or m.group(2)).replace("–", "-") if m else ""
    d = DATE.search(header)
    meta["issued_date"] = ""
    if d:
        day, month, year = int(d.group(1)), int(d.group(2)), int(d.group(3))
        if 1 <= day <= 31 and 1 <= month <= 12:
            meta["issued_date"] = f"{year:04d}-{month:02d}-{day:02d}"
    doc_type, type_index = _doc_type(pars, meta["doc_number"])
    meta["doc_type"] = doc_type
    meta["title"] = _title(pars, type_index)

    province, source = _header_province(header), "header"
    if province is None:
        pd = PLACE_DATE.search(header)
        if pd:
            province, source = province_of_place(pd.group(1).strip()), "place-date"
    if province is None:
        counts = Counter(p.key for _, p in find_provinces(doc.text))
        if counts:
            province, source = provinces()[counts.most_common(1)[0][0]], "body"
    meta["province"] = province.name if province else ""
    meta["province_2025"] = province.successor if province else ""
    meta["province_source"] = source if province else ""

    meta["issuer"] = _issuer(header, doc.text, province)

    meta["signer"], meta["signer_title"] = _signer(pars)

    issue_year = int(meta["issued_date"][:4]) if meta["issued_date"] else None
    period = None
    for pm in PERIOD.finditer(meta["title"]):
        a, b = int(pm.group(1)), int(pm.group(2))
        if a < b and (issue_year is None or b >= issue_year):
            period = (a, b)
    if period is None and meta["title"] and "giai đoạn" not in meta["title"]:
        y = regex.search(r"(?:năm|đến năm)\s+((?:19|20)\d{2})", meta["title"])
        if y and issue_year and int(y.group(1)) >= issue_year:
            period = (issue_year, int(y.group(1)))
    meta["period_start"], meta["period_end"] = period if period else (None, None)

    body_start = next((s for s, t in pars if regex.match(r"[IVX]+\.\s", t)), len(doc.text))
    own = meta["doc_number"]
    basis = []
    for sm in SYMBOL.finditer(doc.text[:body_start]):
        sym = sm.group(1)
        if sym != own and sym not in basis and regex.search(r"\p{L}", sym):
            basis.append(sym)
    meta["legal_basis"] = "; ".join(basis)
    return meta
