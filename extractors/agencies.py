"""Bodies assigned work in a plan, read by four rules over the whole document.

1. Organisation items (`TỔ CHỨC THỰC HIỆN` and its synonyms), however numbered or bulleted
   (`extractors.markers`): an item opens with the bodies it addresses (`2. Sở Y tế chủ trì …`) or is
   headed by them (`3. Các doanh nghiệp viễn thông` over its tasks).
2. Clauses anywhere in the body that hand a body work: `Giao Sở … chủ trì`, `Cơ quan thực hiện: …`,
   a known body opening a list item.
3. Task tables: the lead (`Chủ trì`), coordination (`Phối hợp`) and deadline columns per row.
4. A decision's execution clause (`… chịu trách nhiệm thi hành Quyết định này`), with persons'
   titles dropped and `Giám đốc các Sở: A, B` spelled out body by body.
Known bodies are matched from the gazetteer (spaCy PhraseMatcher, abbreviations included) and get
canonical names; an unknown body is still a row, read from a head word (`Sở`, `Ban`, `Chi cục`, …)
up to the verb of its assignment. The issuer, supervising HĐND bodies and national bodies are left out.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from extractors.lexicon import load, phrase_pattern, sector_matchers
from extractors.signature import NOI_NHAN, plan_gap
from extractors.markers import ITEM, body_start
from extractors.nlp import Gazetteer
from extractors.results import Agency
from extractors.orthography import fold, fold_same_length, match_form
from extractors.provinces import communes_of, districts_of, provinces

ROLE_RANK = {"lead": 0, "assigned": 1, "coordinate": 2}
DEADLINE = regex.compile(
    r"(?:trước|chậm nhất|hoàn thành trong|hoàn thành trước|trong)\s+(?:ngày\s+\d{1,2}/\d{1,2}/\d{4}|"
    r"quý\s+[IV]+(?:/|\s+năm\s+)\d{4}|tháng\s+\d{1,2}(?:/|\s+năm\s+)\d{4}|năm\s+\d{4})")


# a province's council or committee issuing the document, in its header
PROVINCE_ISSUER = regex.compile(r"(?:ủy ban nhân dân|uỷ ban nhân dân|hội đồng nhân dân|ubnd|hđnd)\s+tỉnh(?![\p{L}])")
HEADER_REACH = 400
APPENDIX_NAME = regex.compile(r"PH[ỤU] L[ỤU]C", regex.IGNORECASE)  # an appendix's section: not the plan's headings
# a body named as the owner of something cited in a table's cell (`… Quyết định số 1441/QĐ-UBND của Chủ
# tịch UBND tỉnh`): the words right before it
CITED_OWNER = regex.compile(r"(?<![\p{L}])của\s+(?:(?:chủ tịch|giám đốc|thủ trưởng)\s+)?$")
LABEL_MORE = 30  # characters of a role label past its words (`tham mưu thực hiện`)


@lru_cache(maxsize=1)
def _gazetteer():
    entries = load("agencies")
    by_name = {e["name"]: e for e in entries}
    return Gazetteer({e["name"]: [e["name"], *e.get("aliases", [])] for e in entries}), by_name


@lru_cache(maxsize=1)
def _structure():
    s = load("agency_structure")
    return dict(
        titles=regex.compile(phrase_pattern(s["section_titles"])),
        head=regex.compile(r"\s*(?:cac\s+)?(" + "|".join(regex.escape(fold_same_length(h)) for h in
                                                    sorted(s["heads"], key=len, reverse=True)) + r")(?![\p{L}])"),
        verb=regex.compile(phrase_pattern(s["verb_nouns"]) + r"(*SKIP)(*FAIL)|" + phrase_pattern(s["verbs"]) + r"|[,;:.()\n]"),
        lead=regex.compile(phrase_pattern(s["lead"])),
        lead_anywhere=regex.compile(phrase_pattern(s["lead_anywhere"])),
        coordinate=regex.compile(phrase_pattern(s["coordinate"]) + r"\s+(?:với\s+)?"),
        request=regex.compile(r"\s*" + phrase_pattern(s["request"]) + r"\s*"),
        generic=regex.compile(r"\s*" + phrase_pattern(s["generic"])),
        joiner=regex.compile(r"\s*(?:,|và|cùng|;)?\s*(?:các\s+)?(?=\S)"),
        opener=regex.compile(r"\s*" + phrase_pattern(s["assign_openers"]) + r"\s*:?\s*"),
        execution=regex.compile(phrase_pattern(s["execution"])),
        person=regex.compile(r"(?:,|\bvà\b)?\s*" + phrase_pattern(s["person_titles"]) + r"\s*:?\s+(?:các\s+)?"),
        not_agency=regex.compile(phrase_pattern(s["not_agencies"])),
        columns={role: regex.compile(phrase_pattern(words)) for role, words in s["table_columns"].items()},
        heading_not=regex.compile(phrase_pattern(s["heading_not"])),
        # `Đơn vị chủ trì tham mưu thực hiện: …`: a role's label, up to LABEL_MORE characters, a colon
        role_label=regex.compile(r"\s*(?:" + "|".join(
            rf"(?P<{role}>{phrase_pattern(words)})" for role, words in s["role_labels"].items()) +
            rf")[^:\n.;]{{0,{LABEL_MORE}}}:\s*"),
        person_before_body=_person_before_body(s["person_titles"], s["heads"]),
        city_names=dict(s["city_names"]),
        giao=regex.compile(r"(?<![\p{L}])giao(?:\s+cho)?\s+(?=\S)"),
        head_written=regex.compile(r"\s*(?:các\s+)?" + phrase_pattern(s["heads"])),
        local_head=regex.compile(r"\s*" + phrase_pattern(s["local_committee"]["heads"]) + r"\s+"),
        local_kind=regex.compile(r"(?:các\s+)?(" + phrase_pattern(s["local_committee"]["district_kinds"] +
                                                            s["local_committee"]["commune_kinds"]) + r")\s*:?\s*"),
        commune_kinds=frozenset(match_form(k) for k in s["local_committee"]["commune_kinds"]),
        verb_after=regex.compile(r"\s*(?:\([^)]{0,120}\)\s*)?(?:" + phrase_pattern(s["verbs"]) + r")"),
    )


def _person_before_body(titles: list[str], heads: list[str]):
    """What to skip of a person's title (agency_structure.yaml `person_titles`) to reach the body they
    head: the whole title (`Giám đốc Sở Nội vụ`), but where the title ends in a body's head word
    (`heads`), only the words before it (`Chánh Văn phòng Ủy ban …`, `Trưởng Ban Quản lý …`), unless
    the body's own head follows the whole title (`Trưởng ban Ban đền bù …`)."""
    head_words = {match_form(h) for h in heads}
    whole, before_head, bare = [], [], []
    for title in (match_form(t) for t in titles):
        words = title.split()
        k = next((k for k in range(1, len(words)) if " ".join(words[k:]) in head_words), None)
        if k is None:
            bare.append(regex.escape(title))
            continue
        head = regex.escape(" ".join(words[k:]))
        whole.append(rf"{regex.escape(title)}\s+(?={head}(?![\p{{L}}]))")
        before_head.append(rf"{regex.escape(' '.join(words[:k]))}\s+(?={head}(?![\p{{L}}]))")
    return regex.compile(r"\s*(?:" + "|".join(whole + [rf"(?:{'|'.join(bare)})\s+(?=\p{{L}})"] + before_head) + ")")


def org_sections(doc) -> list[tuple[int, int]]:
    """The organisation sections (`IV. TỔ CHỨC THỰC HIỆN`, `III. NỘI DUNG … VÀ PHÂN CÔNG NHIỆM VỤ`),
    as (start, end): each section whose title opens with the words, or names them at the outermost
    level of the plan's headings, less any inside another. A deeper title that only mentions them
    (`c) Nâng cao vai trò … trong tổ chức thực hiện Nghị quyết`, a point of the plan's purpose) is
    none: the first title that named them had stood for the whole section, and in half the recent
    plans of the archive the real one went unread."""
    st = _structure()
    top = min((sec.level for sec in doc.sections if not APPENDIX_NAME.match(sec.numbering)), default=0)
    folded = None
    out: list[tuple[int, int]] = []

    def add(start: int, end: int):
        """The section from `start` to `end`, or to the recipients (`Nơi nhận`) before it."""
        nonlocal folded
        folded = folded if folded is not None else fold_same_length(doc.text)
        stop = NOI_NHAN.search(folded, start, end)
        out.append((start, stop.start() if stop else end))

    for i, sec in enumerate(doc.sections):
        m = st["titles"].search(match_form(sec.title))
        if not m or sec.level > top and sec.title[:m.start()].strip(" .:-–0123456789"):
            continue
        if any(s <= sec.start < e for s, e in out):
            continue
        end = len(doc.text)
        for later in doc.sections[i + 1:]:
            if later.level <= sec.level:
                end = later.start
                break
        add(sec.start, end)
    for i, sec in enumerate(doc.sections):
        if any(s <= sec.start < e for s, e in out):
            continue
        bodies, end = _headed_by_bodies(doc.sections, i)
        if bodies:
            add(sec.start, len(doc.text) if end is None else end)
    # a directive addresses its bodies in its outermost items (`1. Sở Thông tin và Truyền thông:`,
    # `2. Các doanh nghiệp viễn thông …:`): the document is their section, from the paragraph before
    # the first of them (its heading, for `_items`)
    tops = [k for k, sec in enumerate(doc.sections) if sec.level == top and not APPENDIX_NAME.match(sec.numbering)]
    if not out and len(tops) >= BODY_HEADINGS_MIN and _bodies_share([doc.sections[k] for k in tops]):
        first = doc.sections[tops[0]].start
        before = max((p.start for p in doc.paragraphs if p.start < first), default=first)
        add(before, len(doc.text))
    return sorted(out)


BODY_HEADINGS_MIN = 3      # sub-sections, at least, of a section whose sub-sections are bodies' names
BODY_HEADINGS_SHARE = 0.5  # ... and the share of them that are, at least


def _headed_by_bodies(sections, i: int) -> tuple[bool, int | None]:
    """Whether the sub-sections of section `i` are mostly bodies' names (`IV. NHIỆM VỤ CỤ THỂ` over
    `1. Sở Nông nghiệp và Môi trường`, `2. Sở Văn hóa, Thể thao và Du lịch`, …): an organisation
    section whatever its title says; and where the section ends (None: at the document's end). A task
    section's sub-sections are
    tasks (`1. Hoàn thiện thể chế …`), which no body's name opens."""
    sec = sections[i]
    kids, end = [], None
    for later in sections[i + 1:]:
        if later.level <= sec.level:
            end = later.start
            break
        if later.level == sec.level + 1:
            kids.append(later)
    if len(kids) < BODY_HEADINGS_MIN:
        return False, None
    return _bodies_share(kids), end


def _bodies_share(sections) -> bool:
    """Whether at least BODY_HEADINGS_SHARE of the sections' titles open with a body's name."""
    named = 0
    for sec in sections:
        for title in (sec.title, regex.sub(r"^\s*(?:[Cc]ác\s+|[Đđ]ối với (?:các\s+)?)", "", sec.title)):
            # … or `Đối với các Sở: Kế hoạch và Đầu tư, Xây dựng, …`, `Các doanh nghiệp viễn thông …`
            if _opening_body(title) or _structure()["local_head"].match(match_form(title)) or \
                    regex.match(r"(?:Sở\s*(?::|$)|(?:[Cc]ác\s+)?[Dd]oanh nghiệp\s)", title):
                named += 1
                break
    return named >= BODY_HEADINGS_SHARE * len(sections)


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
    while stop and text[stop.start()].isupper() and text[stop.start() - 1] == " ":
        # a verb's word in capitals inside the name is the name's (`Ủy ban Kiểm tra Tỉnh ủy`, `Trung
        # tâm Xúc tiến Đầu tư`): a body's assignment goes on in lower case
        stop = st["verb"].search(mt, stop.end(), end)
    stop_at = stop.start() if stop else min(end, h.end() + 80)
    name_end = stop_at
    while name_end > h.start(1) and text[name_end - 1] == " ":
        name_end -= 1
    words = text[h.start(1):name_end].split()
    opening = text[h.start(1):h.start(1) + 1].isupper() or bool(regex.search(r"Các\s+$", text[max(0, h.start(1) - 5):h.start(1)]))
    if len(words) > 12 or not opening or not any(w[:1].isupper() for w in words[1:] or words):
        return None  # a body's name opens with a capital (`Các doanh nghiệp …` too): `ban hành Quy chế` is a verb's
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


def _opening_body(text: str) -> str | None:
    """The known body whose name opens `text` (the gazetteer's name), if one does."""
    hits = _gazetteer()[0].find(text)
    return hits[0][2] if hits and hits[0][0] == 0 else None


def _opens_known(written: str) -> bool:
    """Whether a name is the opening words of a known body's name (`Sở Nông nghiệp`, `Sở Văn hoá`
    cut at the comma of `Sở Văn hóa, Thể thao và Du lịch`): a name cut short."""
    f = fold(written)
    return any(alias.startswith(f + " ") for alias, _ in _folded_names())


def _fuzzy_known(written: str) -> str | None:
    """A known body behind a name damaged by OCR or restoration (`Sở Kế hoạch và Pâu từ`)."""
    from rapidfuzz import fuzz

    if _opens_known(written):
        return None  # the opening words of known names (`Sở Nông nghiệp`), cut short, not damaged
    f = fold(written)
    # a head word written is kept: `Phòng Tài nguyên và Môi trường` (a district's office) is not the
    # Sở; a name that lost its head (`Quản lý các Khu công nghiệp` after `Trưởng Ban`) may be any body's
    head = f.split(" ", 1)[0] if _structure()["head"].match(fold_same_length(written.strip())) else None
    best = max(((fuzz.ratio(f, alias), name) for alias, name in _folded_names()
                if head is None or alias.split(" ", 1)[0] == head), default=(0, None))
    return best[1] if best[0] >= FUZZY_MIN else None


def _canonical_unknown(name: str) -> str:
    return regex.sub(r"^UBND\b", "Ủy ban nhân dân", name.strip(" ,;:."))


def _sectors(entry, tasks_mt: str, st) -> list[str]:
    found = list(entry.get("sectors", [])) if entry else []
    for code, rx in sector_matchers():
        if rx.search(tasks_mt) and code not in found:
            found.append(code)
    return found


class _Rows:
    """Agency rows of one plan, one per body, each keeping its strongest role."""

    def __init__(self):
        self.rows: dict[str, Agency] = {}
        self.names: dict[str, str] = {}  # folded name -> the name its row has
        self.tasks: dict[str, list[str]] = {}
        self.sectors: dict[str, list[str]] = {}

    def add(self, name, as_written, role, tasks, entry, st, deadline=""):
        tasks_mt = match_form(tasks)
        # one row per body however its name is cased or dashed (`Ngân hàng Nhà nước Việt Nam - Chi
        # nhánh Khu vực II` and `… Việt nam Chi nhánh …`): the first spelling names it
        name = self.names.setdefault(fold(regex.sub(r"\s*[-–]\s*", " ", name)), name)
        row = self.rows.get(name)
        if row is None:
            row = self.rows[name] = Agency(agency=name, agency_2025=(entry or {}).get("successor_2025", ""),
                                           agency_as_written=as_written, role=role)
            self.tasks[name], self.sectors[name] = [], []
        if ROLE_RANK[role] < ROLE_RANK[row.role]:
            row.role = role
        if role != "coordinate" and tasks and tasks not in self.tasks[name]:
            self.tasks[name].append(tasks)
        found = None if deadline else DEADLINE.search(tasks)
        d = deadline or (found.group() if found else "")
        if d and not row.deadline:
            row.deadline = d
        for code in _sectors(entry, tasks_mt if role != "coordinate" else "", st):
            if code not in self.sectors[name]:
                self.sectors[name].append(code)

    def out(self) -> list[Agency]:
        for name, row in self.rows.items():
            row.tasks = " | ".join(self.tasks[name])[:1000]
            row.sectors = "; ".join(self.sectors[name])
        return list(self.rows.values())


def _add_subjects(rows: _Rows, text, subjects, role, tasks, st, skip=(), deadline=""):
    _, by_name = _gazetteer()
    for hs, he, name in subjects:
        written = " ".join(text[hs:he].split())  # a name a text layer broke over two lines is one name
        if st["not_agency"].search(match_form(written)):
            continue
        if name is None:
            name = _fuzzy_known(written)
        if name in skip:
            continue
        if name:  # a known body, or a committee named by its place (`_local_units`)
            rows.add(name, written, role, tasks, by_name.get(name), st, deadline)
        elif len(written.split()) >= 2:  # a heading word alone (`Phòng`) is never a body
            rows.add(_canonical_unknown(written), written, role, tasks, None, st, deadline)


def _role_after(mt: str, after: int, e: int, whole: str, st, requested: bool) -> str:
    head_window = mt[after:min(e, after + 60)]
    if requested:
        return "assigned"
    if st["coordinate"].match(head_window.lstrip(" :,.")) and not st["lead"].search(head_window[:15]):
        return "coordinate"
    if st["lead"].search(head_window) or st["lead_anywhere"].search(whole):
        return "lead"
    return "assigned"


def _org_items(doc, rows: _Rows, mt: str, st):
    """Items of the organisation section: each opens with the bodies it addresses, or is headed
    by them (`3. Các doanh nghiệp viễn thông` over the item's tasks)."""
    text = doc.text
    for s, e in (item for rng in org_sections(doc) for item in _items(doc, *rng)):
        m = ITEM.match(text, s, e)
        body_start = m.end() if m else s
        req = st["request"].match(mt, body_start, e)
        subj_start = req.end() if req else body_start
        first_end = text.find("\n", subj_start, e)
        first_end = e if first_end < 0 else first_end
        heading = _heading_names(text, mt, subj_start, first_end, e, st, _province(doc))
        if heading is not None:
            subjects, after = heading
        else:
            subjects, after, _ = _subjects(text, mt, subj_start, e)
        if not subjects:
            continue
        tasks = " ".join(text[after:e].split()).lstrip(":,. ")
        role = _role_after(mt, after, e, mt[s:e], st, bool(req))
        _add_subjects(rows, text, subjects, role, tasks, st, skip=_issuer_bodies(doc))
        _coordinating(doc, rows, mt, after, e, st)


# what may stand between `phối hợp` and the partners it lists, and between them
LIST_GAP = regex.compile(r"[\s,;:]*(?:(?:chặt chẽ|với|và|các|cùng)\b[\s,;:]*)*")


def _coordinating(doc, rows: _Rows, mt: str, start: int, end: int, st):
    """The known bodies an item or a clause that assigns work asks to cooperate, listed right after
    `phối hợp với` (`Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp với các Sở Tài chính, Sở Xây
    dựng …`): not a body named after the task (`phối hợp triển khai … báo cáo về Sở Kế hoạch và Đầu tư`)."""
    gaz, by_name = _gazetteer()
    text = doc.text
    for c in st["coordinate"].finditer(mt, start, end):
        at = c.end()
        for hs, he, name in gaz.find(text[c.end():min(end, c.end() + 200)]):
            if not LIST_GAP.fullmatch(mt, at, c.end() + hs):
                break  # the list of partners has ended (`phối hợp thẩm định và trình Sở Tài chính`)
            at = c.end() + he
            if name not in _issuer_bodies(doc):
                rows.add(name, text[c.end() + hs:c.end() + he], "coordinate", "", by_name[name], st)


def _heading_names(text, mt, s, first_end, e, st, province: str = ""):
    """An item whose first line is only the names of bodies (no verb): those bodies, even written
    in lower case (`Các doanh nghiệp viễn thông`), the line continued when it was wrapped; a line
    naming committees by their places (`Ủy ban nhân dân các xã: Gia Thuận, Tân Điền`), each."""
    line_end = first_end
    if line_end < e and line_end - s < 120 and not text[s:line_end].rstrip().endswith((".", ":", ";")):
        nxt = text.find("\n", line_end + 1, e)
        nxt = e if nxt < 0 else nxt
        if nxt - line_end < 120 and not ITEM.match(text, line_end + 1, nxt) and \
                not st["heading_not"].search(mt, line_end + 1, nxt):
            line_end = nxt
    # `4. Đối với các Sở: Kế hoạch và Đầu tư, Xây dựng; Ủy ban nhân dân các huyện:` (a directive's
    # heading over what those bodies are to do): each body of the list
    lead = regex.match(r"\s*đối với\s+(?:các\s+)?(?=sở\s*:)", mt[s:line_end])
    if lead and line_end - s <= 400:
        names = _spell_out(text[s + lead.end():line_end].strip(" :"), st, province)
        found = [(s, line_end, name) for name in (_spelled_name(w, st, province) for w in names) if name]
        return (found, line_end) if found else None
    line = mt[s:line_end]
    # a heading may end in a colon where a body's head word opens it (`2. Các doanh nghiệp viễn thông …:`)
    colon_ok = bool(st["head_written"].match(line)) and line.rstrip().endswith(":") and "(" not in line
    if line_end - s > 200 or (regex.search(r"[.:;]\s*$", line) and not colon_ok) or st["heading_not"].search(line):
        return None
    if colon_ok:  # the names end before the colon
        line_end = s + len(line.rstrip()) - 1
        line = mt[s:line_end]
    if not st["head"].match(fold_same_length(text), s, line_end) and \
            not regex.match(r"\s*các\s+\p{L}", line):
        return None
    if st["generic"].match(mt, s, line_end):
        return None
    units = _local_units(text[s:line_end].strip(" .;:"), st, province)
    if units:
        return [(s, line_end, name) for name in units], line_end
    gaz, _ = _gazetteer()
    hits = [(s + a, s + b, name) for a, b, name in gaz.find(text[s:line_end])]
    parts = list(hits)
    for piece in regex.finditer(r"[^,;]+?(?=\s*(?:,|;|\bvà\s+(?=các\s|\p{Lu}))|\s*$)", text[s:line_end]):
        ps, pe = s + piece.start(), s + piece.end()
        # a piece split before `và các …` (`… tỉnh và các tổ chức chính trị - xã hội`): the group, not
        # `và`, opens it, and may be generic; `và Dân vận Thành ủy` stays joined to the body before it
        ps += regex.match(r"\s*(?:và\s+(?=các\s))?", text[ps:pe]).end()
        written = text[ps:pe]
        if not written or st["generic"].match(mt, ps, pe) or any(a < pe and ps < b for a, b, _ in hits):
            continue
        unknown = [q for q in parts if q[2] is None]
        if unknown and written[:1].islower() and not written.lower().startswith("các ") and \
                unknown[-1][1] <= ps and not any(unknown[-1][1] <= a < ps for a, _, _ in hits):
            parts.remove(unknown[-1])  # "thị xã" after "các huyện, thành phố": still one body
            parts.append((unknown[-1][0], pe, None))
        else:
            parts.append((ps, pe, None))
    parts.sort()
    return (parts, line_end) if parts else None


@lru_cache(maxsize=8)
def _issuer_bodies_cached(issuer: str) -> frozenset:
    # (`Ủy ban nhân dân` alone: a provincial committee whose province the text does not name, as
    # metadata's issuer reads it from the body's `Uỷ ban nhân dân tỉnh`)
    if issuer.startswith("Ủy ban nhân dân tỉnh") or issuer.startswith("Ủy ban nhân dân thành phố") \
            or issuer == "Ủy ban nhân dân":
        return frozenset({"Ủy ban nhân dân tỉnh"})
    return frozenset()


def _issuer_bodies(doc) -> frozenset:
    """The issuing committee does not assign work to itself (`Ủy ban nhân dân tỉnh yêu cầu …`)."""
    return _issuer_bodies_cached(doc.metadata.issuer if doc.metadata else "")


def _clause_subjects(doc, rows: _Rows, mt: str, st, start: int, stop: int):
    """Anywhere in the body: a clause or item that opens with bodies and hands them work
    (`Giao Sở Y tế chủ trì …`, `Cơ quan thực hiện: Sở Văn hóa và Thể thao chủ trì …`,
    `+ Sở Xây dựng đăng tải …`)."""
    text = doc.text
    seen = set()
    for clause in doc.clauses:
        if clause.table_row or clause.start < start or clause.start >= stop or clause.start in seen:
            continue
        seen.add(clause.start)
        s = clause.start
        b = ITEM.match(text, s, clause.end)
        if b is None and clause.paragraph_start < s:
            # the structure stage starts an item's clause after its marker (`+ Sở Xây dựng …`)
            pb = ITEM.match(text, clause.paragraph_start, clause.end)
            b = pb if pb is not None and not text[pb.end():s].strip() else None
        s = max(s, b.end()) if b else s
        label = st["role_label"].match(mt, s, clause.end)
        if label:  # `Đơn vị phối hợp: Sở Nội vụ, Sở Tư pháp.`: the bodies after it, in the label's role
            subjects, after, _ = _subjects(text, mt, label.end(), clause.end)
            role = next(r for r, v in label.groupdict().items() if v is not None)
            if role == "assigned":  # `Cơ quan thực hiện: Sở Y tế chủ trì …`: the verb after says
                role = _role_after(mt, after, clause.end, mt[clause.start:clause.end], st, False)
            tasks = " ".join(text[after:clause.sentence_end].split()).lstrip(":,. ")
            _add_subjects(rows, text, subjects, role, tasks, st, skip=_issuer_bodies(doc))
            continue
        op = st["opener"].match(mt, s, clause.end)
        opened = bool(op)
        s = op.end() if op else s
        starts = [(s, opened)] + [(g.end(), True) for g in st["giao"].finditer(mt, s + 1, clause.end)]
        for pos, opened in starts:
            # `Giao Giám đốc Sở Y tế chủ trì`, `1. Trưởng Ban Quản lý … có trách nhiệm`: the body, not its head
            person = st["person_before_body"].match(mt, pos, clause.end)
            pos = person.end() if person else pos
            subjects, after, _ = _subjects(text, mt, pos, clause.end)
            if not subjects:
                continue
            # without an opener the bodies must be followed by a verb of assignment, or be known
            # bodies opening a list item (`+ Sở Xây dựng đăng tải …`)
            if not opened and not st["verb_after"].match(mt, after, clause.end) and not (
                    b and all(n for _, _, n in subjects) and regex.match(r" \p{Ll}", text[after:after + 2])):
                continue
            tasks = " ".join(text[after:clause.sentence_end].split()).lstrip(":,. ")
            role = _role_after(mt, after, clause.end, mt[clause.start:clause.end], st, False)
            _add_subjects(rows, text, subjects, role, tasks, st, skip=_issuer_bodies(doc))
            _coordinating(doc, rows, mt, after, clause.end, st)


def _table_columns(header: list[str], st) -> dict[str, int]:
    """Which column of a task table holds each role (`lead`: chủ trì, `coordinate`: phối hợp,
    `deadline`: thời hạn), by its header's words."""
    cols: dict[str, int] = {}
    for j, h in enumerate(header):
        hm = match_form(h)
        for role, rx in st["columns"].items():
            if role not in cols and rx.search(hm):
                cols[role] = j
    return cols


def _row_bodies(doc, cells: list[str], cols: dict[str, int], st, role: str):
    """(canonical name, as written, gazetteer entry) of each body a task table's row names in its
    `role` column: the gazetteer's, and for the lead, a body it lacks named by its head word."""
    gaz, by_name = _gazetteer()
    j = cols.get(role)
    if j is None or j >= len(cells) or not cells[j].strip():
        return
    cell = cells[j]
    hits = gaz.find(cell)
    for hs, he, name in hits:
        if name in _issuer_bodies(doc) and role != "lead":
            continue
        if CITED_OWNER.search(match_form(cell[max(0, hs - 40):hs])):
            continue  # `Theo phân công tại Quyết định số … của Chủ tịch UBND tỉnh`: whose decision, no lead
        yield name, cell[hs:he], by_name[name]
    if not hits and role == "lead":  # `Các sở, ban, ngành, địa phương; Trung tâm Xúc tiến …`: the centre
        # a comma parts two bodies only where a body's head word follows it (`Các Trường Đại học, Cao
        # đẳng trên địa bàn tỉnh` is one)
        written = cell.strip()
        folded = fold_same_length(written)
        cuts = [m for m in regex.finditer(r"\s*;\s*|\s*,\s*(?=\p{Lu})", written)
                if m.group().strip() == ";" or st["head"].match(folded, m.end())]
        bounds = [0] + [x for m in cuts for x in (m.start(), m.end())] + [len(written)]
        for piece in (written[a:b] for a, b in zip(bounds[::2], bounds[1::2])):
            if len(piece.split()) >= 2 and st["head"].match(fold_same_length(piece)) and \
                    not st["not_agency"].search(match_form(piece)) and not st["generic"].match(match_form(piece)):
                known = _fuzzy_known(piece)
                yield known or _canonical_unknown(piece), piece, by_name.get(known) if known else None


def _task_rows(doc, st):
    """(clause, cells, columns by role) of each row of a task table, one with a lead (chủ trì) column."""
    for clause in doc.clauses:
        cells, header = clause.table_row, clause.table_header or []
        if not cells or cells is header:
            continue
        cols = _table_columns(header, st)
        if "lead" in cols:
            yield clause, cells, cols


def _table_rows(doc, rows: _Rows, st):
    """Task tables (nhiệm vụ / chủ trì / phối hợp / thời hạn): lead, coordinators and deadline per row."""
    for _, cells, cols in _task_rows(doc, st):
        deadline = cells[cols["deadline"]] if "deadline" in cols and cols["deadline"] < len(cells) else ""
        task = next((c for c in cells if len(c) > 30), "")
        for role in ("lead", "coordinate"):
            for name, written, entry in _row_bodies(doc, cells, cols, st, role):
                rows.add(name, written, role, task if role == "lead" else "", entry, st, deadline)


def row_leads(doc) -> list[tuple[int, int, str, list[str]]]:
    """(start, end, statement, bodies) of each row of a task table that names its lead (chủ trì):
    what answers for a target stated in that row, or stated again in the body in the row's words
    (`statement`, its longest cell), rather than every body of the target's sector."""
    st = _structure()
    out = []
    city = _in_city(doc)
    for clause, cells, cols in _task_rows(doc, st):
        names = list(dict.fromkeys(name for name, _, _ in _row_bodies(doc, cells, cols, st, "lead")))
        if names:  # the statement: the longest cell but the lead's, coordinators' and deadline's
            rest = [c for j, c in enumerate(cells) if j not in cols.values()] or [""]
            out.append((clause.start, clause.end, max(rest, key=len), [_local(n, city) for n in names]))
    return out


def _in_city(doc) -> bool:
    """Whether the document is a centrally-run city's (`Thành phố Cần Thơ`), by its province, unless its
    issuer was a province's committee (Huế, a province until 2025)."""
    if PROVINCE_ISSUER.search(match_form(doc.text[:HEADER_REACH])):
        return False  # `ỦY BAN NHÂN DÂN TỈNH THỪA THIÊN HUẾ`: a province then, whatever it is now
    name = _province(doc)
    return bool(name) and _is_city_province(name)


def _local(name: str, city: bool) -> str:
    """A gazetteer name as the document's province calls it: a centrally-run city's bodies are the
    city's (`Công an thành phố`, `Tòa án nhân dân thành phố`), where the gazetteer writes `tỉnh`, and
    its districts are `quận, huyện` (agency_structure.yaml `city_names`)."""
    if not city:
        return name
    return _structure()["city_names"].get(name) or regex.sub(r"(?<![\p{L}])tỉnh$", "thành phố", name)


def _execution_clause(doc, rows: _Rows, mt: str, st, start: int, stop: int):
    """`Chánh Văn phòng …, Giám đốc các Sở: Xây dựng, Tài chính, …, Chủ tịch Ủy ban nhân dân các
    huyện … chịu trách nhiệm thi hành Quyết định này`: every body named, persons' titles dropped
    and a Sở list spelled out body by body."""
    _, by_name = _gazetteer()
    text = doc.text
    for m in st["execution"].finditer(mt, start, stop):
        sent = next((c for c in doc.clauses if c.start <= m.start() < c.end), None)
        if sent is None or sent.table_row:
            continue
        s = sent.sentence_start
        lm = regex.match(r"\s*Điều\s+\d+\s*\.?\s*", text[s:m.start()])
        s += lm.end() if lm else 0
        # a decision's own execution clause (`… chịu trách nhiệm thi hành Quyết định này`, an article's
        # sentence), where a body the gazetteer lacks may be named; not a plan's `tổ chức thực hiện`
        decision = bool(lm) or "thi hành" in mt[m.start():m.end()]
        span = text[s:m.start()]
        if len(span) > 700 or not span.strip():
            continue
        province = _province(doc)
        for written in _spell_out(span, st, province):
            if st["not_agency"].search(match_form(written)) or fold(written).startswith("van phong"):
                continue
            name = _spelled_name(written, st, province)
            if name and name not in _issuer_bodies(doc):
                rows.add(name, written, "assigned", "", by_name.get(name), st)
            elif name is None and decision and _headed(written, st):  # a body the gazetteer lacks, by its own name
                rows.add(_canonical_unknown(written), written, "assigned", "", None, st)


def _headed(written: str, st) -> bool:
    """Whether a name from an execution clause is a body's own, though no known one: it opens with
    a body's head word in capitals (`Ban Tổ chức chính quyền thành phố`) and goes on, with no verb or
    comma in it, and not a known name cut short (`_opens_known`); `Các sở, ban, ngành` and `các cơ
    quan, tổ chức có liên quan` are no body's names, nor a committee of a place the province does not
    have."""
    w = written.strip()
    mt = match_form(w)
    if st["local_head"].match(mt) or regex.search(r"liên quan", mt):
        return False  # a committee is read by its place (`_local_units`) or not at all; `… có liên quan` is anyone
    h = st["head"].match(fold_same_length(w))
    return bool(h) and w[h.start(1)].isupper() and len(w.split()) >= 2 and not st["generic"].match(mt) \
        and not st["verb"].search(mt) and not _opens_known(w)


def _spelled_name(written: str, st, province: str) -> str | None:
    """The body a name `_spell_out` gave stands for: a committee named by its place, else the known
    body it opens with, else the known body it is a damaged spelling of (`_fuzzy_known`)."""
    local = _local_committee(written, st, province)
    if local:
        return local
    return _opening_body(written) or _fuzzy_known(written)


def _local_units(piece: str, st, province: str) -> list[str] | None:
    """The committees of a piece that names district-level units by their places (`Ủy ban nhân dân
    các huyện Bảo Thắng, Bát Xát, thành phố Lào Cai` → `Ủy ban nhân dân huyện Bảo Thắng`, …), one
    per unit, a kind written once standing for the places after it; a kind named without a place
    (`các huyện`) is the district committees of the gazetteer (`Ủy ban nhân dân các huyện`). None
    where the piece is not such a list or names a place that is none of the province's districts
    (or, for `thành phố`/`thị xã`, the province's own name: its capital, `thành phố Yên Bái`): the
    caller reads it as before."""
    mt = match_form(piece)
    h = st["local_head"].match(mt)
    if not h:
        return None
    districts, communes = districts_of(province), communes_of(province)
    own = fold(province) if province and not _is_city_province(province) else ""
    out, kind, named = [], "", False
    for seg in regex.finditer(r"[^,;]+", piece[h.end():]):
        for part in regex.split(r"\s+và\s+", seg.group()):
            part = part.strip(" .:")
            if not part:
                continue
            k = st["local_kind"].match(match_form(part))
            if k:
                kind, part = k.group(1), part[k.end():].strip()
                if not part:
                    out.append(f"Ủy ban nhân dân các {kind}")
                    continue
            f = fold(part)
            places = communes if kind in st["commune_kinds"] else districts
            if not kind or not (f in places or (f == own and kind in ("thành phố", "thị xã"))):
                return None
            out.append(f"Ủy ban nhân dân {kind} {places.get(f, province)}")
            named = True
    return out if named else None


def _province(doc) -> str:
    """The document's province as metadata read it ('' where none was)."""
    return getattr(getattr(doc, "metadata", None), "province", "") or ""


def _is_city_province(name: str) -> bool:
    """Whether a province is a centrally-run city (its `thành phố X` is the province itself)."""
    return any(p.name == name and p.full.startswith("Thành phố") for p in provinces().values())


def _local_committee(written: str, st, province: str) -> str | None:
    """The canonical name of one district-level committee `_local_units` spelled out."""
    units = _local_units(written, st, province)
    return units[0] if units and len(units) == 1 and not units[0].startswith("Ủy ban nhân dân các ") else None


def _spell_out(span: str, st, province: str = "") -> list[str]:
    """Bodies of an execution clause as written, with `Giám đốc các Sở: A, B` → `Sở A`, `Sở B` and
    `Chủ tịch Ủy ban nhân dân các huyện A, B` → `Ủy ban nhân dân huyện A`, `… huyện B`."""
    out = []
    # split on the match form, then take the same offsets from the span
    # a title's words that name the body keep it (`Trưởng Ban Tổ chức chính quyền`, `Chánh Thanh tra
    # thành phố`: `_person_before_body`)
    pos, pieces, kept = 0, [], ""
    mt = match_form(span)
    for m in st["person"].finditer(mt):
        pieces.append(kept + span[pos:m.start()])
        title = regex.match(r"(?:,|\bvà\b)?\s*", mt[m.start():m.end()]).end() + m.start()
        pb = st["person_before_body"].match(mt, title)
        kept = span[pb.end():m.end()] if pb and pb.end() < m.end() else ""
        kept = "" if regex.fullmatch(r"\s*(?:các\s*)?", kept, regex.IGNORECASE) else kept
        pos = m.end()
    pieces.append(kept + span[pos:])
    for piece in pieces:
        piece = piece.strip(" ,;.")
        if not piece:
            continue
        lst = regex.match(r"(Sở|Ban|Hội)(?:\s*,\s*(?:ban\s*,\s*)?ngành)?\s*:\s*(.+)$", piece, regex.IGNORECASE)
        if lst:  # `Giám đốc các Sở, Ngành: Tài chính, Xây dựng, Kho bạc Nhà nước tỉnh`
            head = lst.group(1).capitalize()
            for item in regex.split(r"\s*[,;]\s*", lst.group(2)):
                item = regex.sub(r"\s+và các .*$", "", item).strip()
                if item:  # an item with a head of its own (`Kho bạc …`) is that body, not a Sở
                    out.append(item if st["head"].match(fold_same_length(item)) else f"{head} {item}")
            continue
        units = _local_units(piece, st, province)
        if units:
            out.extend(units)
            continue
        out.extend(_rejoined(regex.split(r"(\s*;\s*|\s*,\s*(?=\p{Lu})|\s+và\s+(?=\p{Lu}|các\s))", piece)))
    return out


def _rejoined(parts: list[str]) -> list[str]:
    """The pieces of a split that kept its separators (piece, separator, piece, …), those split at
    `và` joined again where together they open with one known body (`Sở Khoa học` and `Công nghệ`:
    `Sở Khoa học và Công nghệ`, which the split before a capital had cut in two; `Sở Nông nghiệp` and
    `Phát triển nông thôn thành phố`), or where the part after `và` opens with no body's head word."""
    gaz, _ = _gazetteer()
    st = _structure()
    out: list[str] = []
    for k in range(0, len(parts), 2):
        piece = parts[k]
        sep = parts[k - 1] if k else ""
        if out and sep.strip() == "và":
            joined = f"{out[-1]}{sep}{piece}"
            hits = gaz.find(joined)
            # the known body runs on past the `và` (`… thành phố` after it is the body's place)
            if hits and hits[0][0] == 0 and hits[0][1] > len(out[-1]) + len(sep):
                out[-1] = joined
                continue
            # or, known or not, a body's name goes on where what follows `và` opens no body of its
            # own (`Phòng Giáo dục` and `Đào tạo các huyện`; `KBNN tỉnh`, a known body without a head
            # word, is one)
            if piece[:1].isupper() and st["head"].match(fold_same_length(out[-1])) \
                    and not st["head"].match(fold_same_length(piece)) and not st["local_head"].match(match_form(piece)) \
                    and not _opening_body(piece):
                out[-1] = joined
                continue
        if piece:
            out.append(piece)
    return out


def extract_agencies(doc) -> list[Agency]:
    st = _structure()
    text = doc.text
    mt = match_form(text)
    stop_at, resume_at = plan_gap(doc)
    body = body_start(text, doc.paragraphs, 0)
    rows = _Rows()
    _org_items(doc, rows, mt, st)
    _clause_subjects(doc, rows, mt, st, body, stop_at)
    _clause_subjects(doc, rows, mt, st, resume_at, len(text))  # a plan attached after the signature
    _table_rows(doc, rows, st)
    _execution_clause(doc, rows, mt, st, body, stop_at)
    out = rows.out()
    if _in_city(doc):
        for row in out:
            row.agency, row.agency_2025 = _local(row.agency, True), _local(row.agency_2025, True)
    return out


def responsible_for(sector: str, agencies: list[Agency]) -> list[str]:
    """Bodies of the plan that answer for a sector, leads first."""
    if not sector:
        return []
    hits = [a for a in agencies if sector in a.sectors.split("; ") and a.role != "coordinate"]
    hits.sort(key=lambda a: ROLE_RANK[a.role])
    return [a.agency for a in hits]
