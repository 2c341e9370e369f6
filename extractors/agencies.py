"""Bodies assigned work, found from the structure of the organisation section.

The section (`TỔ CHỨC THỰC HIỆN` and its synonyms) is a list of items, each
opening with the bodies it addresses: `2. Sở Lao động - Thương binh và Xã hội
xây dựng …`, `7. Công an tỉnh phối hợp với …`, or an item whose heading is the
body's name and whose text follows. Known bodies are matched from the
gazetteer (spaCy PhraseMatcher, abbreviations included) and get canonical
names; an unknown body is still a row, read from a head word (`Sở`, `Ban`,
`Chi cục`, …) up to the verb of its assignment.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from extractors.lexicon import load, phrase_pattern
from extractors.nlp import Gazetteer
from extractors.textkey import fold, fold_same_length, match_form

NOI_NHAN = regex.compile(r"(?m)^\s*n[o0]i\s+nh[a-z]n\b")  # "Nơi nhận", however OCR left its marks
ROLE_RANK = {"lead": 0, "assigned": 1, "coordinate": 2}
DEADLINE = regex.compile(
    r"(?:trước|chậm nhất|hoàn thành trong|hoàn thành trước|trong)\s+(?:ngày\s+\d{1,2}/\d{1,2}/\d{4}|"
    r"quý\s+[IV]+(?:/|\s+năm\s+)\d{4}|tháng\s+\d{1,2}(?:/|\s+năm\s+)\d{4}|năm\s+\d{4})")
ITEM = regex.compile(r"(?m)^(?:\d{1,2}(?:\.\d{1,2})*\.?|[a-zđ]\)|[-+•])\s*")


@lru_cache(maxsize=1)
def _gazetteer():
    entries = load("agencies")
    by_name = {e["name"]: e for e in entries}
    return Gazetteer({e["name"]: [e["name"], *e.get("aliases", [])] for e in entries}), by_name


@lru_cache(maxsize=1)
def _structure():
    s = load("agency_structure")
    sectors = load("sectors")
    return dict(
        titles=regex.compile(phrase_pattern(s["section_titles"])),
        head=regex.compile(r"\s*(?:cac\s+)?(" + "|".join(regex.escape(fold_same_length(h)) for h in
                                                    sorted(s["heads"], key=len, reverse=True)) + r")(?![\p{L}])"),
        verb=regex.compile(phrase_pattern(s["verbs"]) + r"|[,;:.()\n]"),
        lead=regex.compile(phrase_pattern(s["lead"])),
        lead_anywhere=regex.compile(phrase_pattern(s["lead_anywhere"])),
        coordinate=regex.compile(phrase_pattern(s["coordinate"]) + r"\s+(?:với\s+)?"),
        request=regex.compile(r"\s*" + phrase_pattern(s["request"]) + r"\s*"),
        generic=regex.compile(r"\s*" + phrase_pattern(s["generic"])),
        joiner=regex.compile(r"\s*(?:,|và|cùng|;)?\s*(?:các\s+)?(?=\S)"),
        sector_words=[(code, regex.compile(phrase_pattern(d["keywords"]))) for code, d in sectors.items()],
    )


def org_section_range(doc) -> tuple[int, int] | None:
    st = _structure()
    for i, sec in enumerate(doc.sections):
        if st["titles"].search(match_form(sec.title)):
            end = len(doc.text)
            for later in doc.sections[i + 1:]:
                if later.level <= sec.level:
                    end = later.start
                    break
            stop = NOI_NHAN.search(fold_same_length(doc.text), sec.start, end)
            if stop:
                end = stop.start()
            return sec.start, end
    return None


def _items(doc, start: int, end: int) -> list[tuple[int, int]]:
    """Numbered or bulleted items of the section, each with the paragraphs under it."""
    pars = [p for p in doc.paragraphs if start <= p.start < end][1:]  # skip the heading itself
    items: list[list[int]] = []
    for p in pars:
        body = doc.text[p.start:p.end]
        if ITEM.match(body) or not items:
            items.append([p.start, p.end])
        else:
            items[-1][1] = p.end
    return [(s, e) for s, e in items]


def _unknown_name(text: str, mt: str, pos: int, end: int, st) -> tuple[int, int] | None:
    h = st["head"].match(fold_same_length(text), pos, end)  # cached per text: not refolded per item
    if not h:
        return None
    stop = st["verb"].search(mt, h.end(), end)
    stop_at = stop.start() if stop else min(end, h.end() + 80)
    name_end = stop_at
    while name_end > h.start(1) and text[name_end - 1] == " ":
        name_end -= 1
    words = text[h.start(1):name_end].split()
    if len(words) > 12 or not any(w[:1].isupper() for w in words[1:] or words):
        return None
    return h.start(1), name_end


def _subjects(text: str, mt: str, s: int, e: int):
    """Bodies opening an item, as (start, end, canonical or None)."""
    gaz, _ = _gazetteer()
    st = _structure()
    first_verb = st["verb"].search(mt, s, e)
    window_end = e
    hits = [(hs + s, he + s, name) for hs, he, name in gaz.find(text[s:window_end])]
    out, pos = [], s
    while pos < e:
        j = st["joiner"].match(mt, pos, e)
        p = j.end() if j else pos
        known = next((h for h in hits if h[0] == p), None)
        if known:
            out.append(known)
            pos = known[1]
            continue
        if st["generic"].match(mt, p, e):
            break
        unknown = _unknown_name(text, mt, p, e, st)
        if unknown:
            out.append((unknown[0], unknown[1], None))
            pos = unknown[1]
            continue
        break
    return out, pos, first_verb


FUZZY_MIN = 88


@lru_cache(maxsize=1)
def _folded_names() -> list[tuple[str, str]]:
    _, by_name = _gazetteer()
    return [(fold(alias), name) for name, e in by_name.items() for alias in [name, *e.get("aliases", [])]]


def _fuzzy_known(written: str) -> str | None:
    """A known body behind a name damaged by OCR or restoration (`Sở Kế hoạch và Pâu từ`)."""
    from rapidfuzz import fuzz

    f = fold(written)
    best = max(((fuzz.ratio(f, alias), name) for alias, name in _folded_names()), default=(0, None))
    return best[1] if best[0] >= FUZZY_MIN else None


def _canonical_unknown(name: str) -> str:
    return regex.sub(r"^UBND\b", "Ủy ban nhân dân", name.strip(" ,;:."))


def _sectors(entry, tasks_mt: str, st) -> list[str]:
    found = list(entry.get("sectors", [])) if entry else []
    for code, rx in st["sector_words"]:
        if rx.search(tasks_mt) and code not in found:
            found.append(code)
    return found


def extract_agencies(doc) -> list[dict]:
    rng = org_section_range(doc)
    if not rng:
        return []
    gaz, by_name = _gazetteer()
    st = _structure()
    text = doc.text
    mt = match_form(text)
    rows: dict[str, dict] = {}

    def add(name, as_written, role, tasks, entry):
        tasks_mt = match_form(tasks)
        row = rows.get(name)
        if row is None:
            row = rows[name] = dict(agency=name, agency_2025=(entry or {}).get("successor_2025", ""),
                                    agency_as_written=as_written, role=role, tasks=[], deadline="",
                                    sectors=[])
        if ROLE_RANK[role] < ROLE_RANK[row["role"]]:
            row["role"] = role
        if role != "coordinate" and tasks and tasks not in row["tasks"]:
            row["tasks"].append(tasks)
        d = DEADLINE.search(tasks)
        if d and not row["deadline"]:
            row["deadline"] = d.group()
        for code in _sectors(entry, tasks_mt if role != "coordinate" else "", st):
            if code not in row["sectors"]:
                row["sectors"].append(code)

    for s, e in _items(doc, *rng):
        m = ITEM.match(text, s, e)
        body_start = m.end() if m else s
        req = st["request"].match(mt, body_start, e)
        subj_start = req.end() if req else body_start
        subjects, after, _ = _subjects(text, mt, subj_start, e)
        if not subjects:
            continue
        tasks = " ".join(text[after:e].split()).lstrip(":,. ")
        head_window = mt[after:min(e, after + 60)]
        whole = mt[s:e]
        if req:
            role = "assigned"
        elif st["coordinate"].match(head_window.lstrip(" :,.")) and not st["lead"].search(head_window[:15]):
            role = "coordinate"
        elif st["lead"].search(head_window) or st["lead_anywhere"].search(whole):
            role = "lead"
        else:
            role = "assigned"
        for hs, he, name in subjects:
            written = text[hs:he]
            if name:
                add(name, written, role, tasks, by_name[name])
            elif (known := _fuzzy_known(written)) is not None:
                add(known, written, role, tasks, by_name[known])
            else:
                add(_canonical_unknown(written), written, role, tasks, None)
        # bodies this item asks to cooperate ("phối hợp với Sở Y tế, …")
        for c in st["coordinate"].finditer(mt, after, e):
            for hs, he, name in gaz.find(text[c.end():min(e, c.end() + 200)]):
                if hs > 120:
                    break
                add(name, text[c.end() + hs:c.end() + he], "coordinate", "", by_name[name])
    out = []
    for row in rows.values():
        row["tasks"] = " | ".join(row["tasks"])[:1000]
        row["sectors"] = "; ".join(row["sectors"])
        out.append(row)
    return out


def responsible_for(sector: str, agencies: list[dict]) -> list[str]:
    """Bodies of the plan that answer for a sector, leads first."""
    if not sector:
        return []
    hits = [a for a in agencies if sector in a["sectors"].split("; ") and a["role"] != "coordinate"]
    hits.sort(key=lambda a: ROLE_RANK[a["role"]])
    return [a["agency"] for a in hits]
