"""Targets: which quantities of a clause are forward commitments, and their attributes.

A clause's quantities (`extractors.quantities`) are cut into local segments,
one per number: the words between two numbers go to the earlier one up to the
first separator (`,` `;` `và` `(`) and to the later one after it. A number's
indicator, scope and direction come from its segment; a number whose segment
names nothing (`…2,4%, khu vực nông thôn dưới 1,7%`) inherits from the one
before it. The target year follows the dataset spec's inheritance rule:
its clause, its sentence, its lead-in, then the plan period.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from extractors.settings import sets_no_commitments
from extractors.indicators import ClauseTerms, best_indicator
from extractors.lexicon import load, phrase_pattern
from extractors.markers import ROW_MARKER
from extractors.numbers import parse_number
from extractors.quantities import Quantity, find_quantities, is_unit, unit_header_words
from extractors.results import Commitment
from extractors.signature import plan_gap
from extractors.tableheads import repeating_labels
from extractors.orthography import fold_same_length, match_form

MAX_SENTENCE = 600
CITATION_REACH = 150  # characters after a document code within which a year belongs to its citation
YEAR = regex.compile(r"(?<![\d/.,\-])((?:19|20)\d{2})(?:\s*(?:-|–|đến|tới)\s*((?:19|20)\d{2}))?(?![\d/])")
# a consequence that grants (`… thì được hỗ trợ`, `thì còn được`): what stands before it is a condition
GRANTED = regex.compile(r"(?<![\p{L}])thì(?![\p{L}])[^.;]*?(?<![\p{L}])được(?![\p{L}])")
SEPARATOR = regex.compile(r",|;|\(|\)|(?<![\p{L}])và(?![\p{L}])|(?<![\p{L}])trong đó(?![\p{L}])")
PUNCT_SEPARATOR = regex.compile(r",|;|\(|\)")  # restored text: a function word may be a restoration error
TRAIL_END = regex.compile(r"[,;.:()]")


def V(*words: str) -> str:
    """A regex alternation of words, in matching form (see orthography.match_form)."""
    return phrase_pattern(list(words))


@lru_cache(maxsize=None)
def _lex():
    q = load("quantities")
    t = load("temporal")
    s = load("scope")
    # a bound right before a figure (`dưới`, `từ`), not one after a change or attainment (`xuống dưới`)
    bound = (r"(?<!" + phrase_pattern(q["condition"]["attribute_not_after"]) + r"\s+)" +
             phrase_pattern(q["condition"]["attribute_bounds"]) + r"\s*$")
    return dict(
        past=regex.compile(phrase_pattern(t["past"])),
        past_sections=regex.compile(phrase_pattern(t["past_sections"])),
        past_sections_not=regex.compile(phrase_pattern(t["past_sections_not"])),
        scoring_sections=regex.compile(phrase_pattern(t["scoring_sections"])),
        target_sections=regex.compile(phrase_pattern(t["target_sections"])),
        target_columns=regex.compile(phrase_pattern(t["target_columns"])),
        amount_columns=regex.compile(phrase_pattern(t["amount_columns"])),
        name_columns=regex.compile(r"^\s*(?:" + phrase_pattern(t["name_columns"]) + r")"),
        past_columns=regex.compile(phrase_pattern(t["past_columns"])),
        ratio_columns=regex.compile(phrase_pattern(t["ratio_columns"])),
        present_openers=regex.compile(phrase_pattern(t["present_openers"])),
        base_year=regex.compile(phrase_pattern(t["base_year_before"]) + r"\s*$"),
        named_by_year=regex.compile(phrase_pattern(t["named_by_year"]) + r"\s*$"),
        onwards=regex.compile(r"\s*" + phrase_pattern(t["onwards"])),
        own_commitment=regex.compile(phrase_pattern(t["own_commitment"])),
        payments=regex.compile(phrase_pattern(t["payments"])),
        citation=regex.compile(r"(?<![\p{L}\d/])\d{1,5}(?:/\d{4})?/[\p{L}\d]*\p{L}[\p{L}\d]*(?:\s*[-–]\s*[\p{L}\d]+)*"),
        per_year_before=regex.compile(phrase_pattern(q["per_year"]["before"])),
        list_intro=regex.compile(phrase_pattern(q["per_year"]["list_intro"]) + r"\s*:\s*$"),
        # "Hằng năm, …" opening the clause (after a list marker) sets the rate of all of it
        per_year_opening=regex.compile(r"[\s\-+•*]*" + phrase_pattern(q["per_year"]["before"]) + r"\s*,"),
        per_year_later=regex.compile(r"(?<!" + phrase_pattern(q["per_year"]["later_not_after"]) + r"\s*)" +
                                     phrase_pattern(q["per_year"]["later"])),
        directions=[(k, regex.compile(phrase_pattern(v))) for k, v in q["directions"].items()],
        scope_lead=regex.compile(phrase_pattern(s["scope_lead"]) + r"\s+(.+?)\s*(?=" +
                                 phrase_pattern(s["scope_stop"]) + r"|\d|$)"),
        areas=regex.compile(phrase_pattern(s["areas"])),
        bound_year=regex.compile(r"[^\d;]{0,12}?" + V("vào", "đến", "tới", "trong", "đến hết", "đến cuối") +
                                 r"\s+(?:" + V("cuối") + r"\s+)?năm\s+((?:19|20)\d{2})"),
        baseline_gap=regex.compile(
            r"(?:\s*[\p{L}/.\d]+){0,4}?\s*(?:(?:" + V("vào", "của") + r"\s+)?năm\s+((?:19|20)\d{2})|\(năm\s+((?:19|20)\d{2})\)|" +
            V("hiện nay", "hiện tại", "đầu kỳ") + r")?\s*,?\s*(?:" + V("giảm", "tăng") + r"\s+)?" +
            V("xuống", "lên") + r"\s*(?:" + V("còn", "mức", "đạt") + r")?\s*$"),
        # "12m2 / người năm 2010": a year right after the quantity is its due year
        year_after=regex.compile(r"(?:(?!" + phrase_pattern(t["base_year_before"]) + r")[^\d;,.]){0,12}?"
                                 r"(?<![\p{L}])năm\s+((?:19|20)\d{2})(?![\d])"),
        measure_words=regex.compile(V("tỷ lệ", "tỉ lệ", "số", "tổng", "chỉ số", "tốc độ", "mức")),
        from_before=regex.compile(r"(?<![\p{L}])từ\s*(?:mức\s*)?$"),
        strong_future=regex.compile(phrase_pattern(t["future"])),
        condition_open=regex.compile(phrase_pattern(q["condition"]["open"])),
        condition_then=regex.compile(phrase_pattern(q["condition"]["then"])),
        condition_colon=regex.compile(phrase_pattern(q["condition"]["colon_open"])),
        condition_bound=regex.compile(bound),
        condition_attribute=regex.compile(phrase_pattern(q["condition"]["attribute_have"]) + r"\s+(?:\p{L}+\s+){1,4}?" + bound),
    )


@dataclass
class Context:
    """What the targets extractor needs to know about the document."""
    issue_year: int | None = None
    period: tuple[int, int] | None = None
    title: str = ""   # the document's title: the years it names are the plan's, even before its period
    past_section_starts: list[tuple[int, int]] = field(default_factory=list)


def _years(mt: str, start: int, end: int, lex) -> list[tuple[int, int, int]]:
    """(position, end, year) of due-year candidates. Left out: comparison bases (`so với năm
    2020`, but `từ năm 2025 trở đi` is a start, so a due year), years inside the citation of
    another document (`Quyết định số 12/QĐ-TTg … năm 2008 về … đến năm 2030`) and years that name
    an instrument (`Nghị quyết 2005`)."""
    out = []
    for m in YEAR.finditer(mt, start, end):
        if lex["base_year"].search(mt, max(start, m.start() - 15), m.start()) and \
                not lex["onwards"].match(mt, m.end()):
            continue
        if _in_citation(mt, max(start, m.start() - CITATION_REACH), m.start(), lex, own_cue_ends=False):
            continue
        if lex["named_by_year"].search(mt, max(start, m.start() - 15), m.start()):
            continue  # `Nghị quyết 2005`: an instrument's name
        year = int(m.group(2) or m.group(1))
        out.append((m.start(), m.end(), year))
    return out


def _in_citation(mt: str, start: int, pos: int, lex, own_cue_ends: bool = True) -> bool:
    """Whether `pos` stands in the citation of another document begun after `start`: a document
    code, then no `;` or `:` before `pos` (nor, for a figure, a cue of this plan's own commitment;
    a year keeps the stricter reading, as `đến năm 2030` is also how cited titles end)."""
    cite = None
    for cite in lex["citation"].finditer(mt, start, pos):
        pass
    if cite is None:
        return False
    between = mt[cite.end():pos]
    return not regex.search(r"[;:]", between) and not (own_cue_ends and lex["own_commitment"].search(between))


def _in_condition(mt: str, start: int, q: Quantity, end: int, lex, sentence_end: int | None = None) -> bool:
    """Whether the figure stands in a condition (`nếu … thì`, `trường hợp … thì`): after its
    opening word with no `thì` between, and with a `thì` after it in the sentence; or is a bound (`dưới`, `từ`) with a
    `thì` after it in its clause (`Thiệt hại dưới 30% sản lượng thì được giảm …`); or (`đối với
    …: …`) after its opening word with no colon between, and a colon after it that a figure
    follows in the sentence (a fee schedule's bracket, whose rate is the figure after)."""
    opens = list(lex["condition_open"].finditer(mt, start, q.num_start))
    if opens and not lex["condition_then"].search(mt, opens[-1].end(), q.num_start) and \
            lex["condition_then"].search(mt, q.end, end):
        return True
    if lex["condition_bound"].search(mt, max(start, q.num_start - 30), q.num_start) and \
            lex["condition_then"].search(mt, q.end, end):
        return True  # a bracket whose consequence follows (`Thiệt hại từ 30% đến dưới 50% sản lượng thì …`)
    opens = list(lex["condition_colon"].finditer(mt, start, q.num_start))
    if not opens or ":" in mt[opens[-1].end():q.num_start]:
        return False
    stop = sentence_end if sentence_end is not None else end
    colon = mt.find(":", q.end, stop)
    # the bracket runs to the colon (`…, trong đó: …` and `…, cụ thể: …` go on with a list)
    return colon >= 0 and not regex.search(r"[,;]", mt[q.end:colon]) and \
        bool(regex.search(r"\d", mt[colon:stop]))


def _segments(mt: str, qs: list[Quantity], cs: int, ce: int, separator=SEPARATOR
              ) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(before, after) spans of the words belonging to each quantity."""
    bounds = []
    for i, q in enumerate(qs):
        bounds.append([None, None])
    prev_cut = cs
    for i, q in enumerate(qs):
        bounds[i][0] = (prev_cut, q.start)
        if i + 1 < len(qs):
            gap_s, gap_e = q.end, qs[i + 1].start
            sep = separator.search(mt, gap_s, gap_e)
            if sep:
                bounds[i][1] = (gap_s, sep.start())
                prev_cut = sep.end()
            else:
                bounds[i][1] = (gap_s, gap_s)
                prev_cut = gap_s
        else:
            t = TRAIL_END.search(mt, q.end, ce)
            bounds[i][1] = (q.end, t.start() if t else ce)
    return [tuple(b) for b in bounds]


def _first_cue(mt: str, s: int, e: int, lex) -> str:
    """The first change verb (giảm, nâng, duy trì) before the number; `reach` only without one."""
    found = []
    for name, rx in lex["directions"]:
        m = rx.search(mt, s, e)
        if m:
            found.append((name == "reach", m.start(), name))
    return min(found)[2] if found else ""


def _scope(text: str, mt: str, s: int, e: int, lex) -> str:
    m = lex["scope_lead"].search(mt, s, e)
    if m:
        scope = text[m.start(1):m.end(1)].strip(" ,;:")
        if scope:
            return scope
    m = lex["areas"].search(mt, s, e)
    return text[m.start():m.end()] if m else ""


LIST_ITEM_WORDS = 2  # an item this short before a comma is one of a list of nouns (`xã, phường, đặc khu`)
NEXT_ITEM = regex.compile(r",[^,;()\d]*")  # a comma and the words after it, to the next separator or figure
TIDY_WORDS = 14  # words of a phrase the indicator column keeps


def _named_after(text: str, s: int, e: int, stop: int) -> str:
    """What a figure counts, written after it, for the `indicator` column: its words up to the next
    separator, and past a comma where they are a short item of a list of nouns (`50% số xã, phường,
    đặc khu … không có ma túy`, not `số xã`), up to the clause's end (`stop`) or a figure; at most
    TIDY_WORDS words from its start."""
    crossed = 0
    while e < stop and text[e] == "," and 1 <= len(text[s:e].rsplit(",", 1)[-1].split()) <= LIST_ITEM_WORDS:
        nxt = NEXT_ITEM.match(text, e, stop)
        if nxt is None or nxt.end() == e + 1 or not nxt.group()[1:].strip()[:1].islower():
            break
        if not crossed and len(nxt.group()[1:].split()) > LIST_ITEM_WORDS:
            break  # `120 km đường, góp phần bảo đảm …`: no list of nouns, a purpose after a comma
        e, crossed = nxt.end(), crossed + 1
    words = text[s:e].split()
    return " ".join(words[:TIDY_WORDS]) if len(words) > TIDY_WORDS else text[s:e]



def _tidy(phrase: str) -> str:
    phrase = regex.sub(r"^[\s,;:.\-–(]+|[\s,;:.\-–(]+$", "", phrase)
    words = phrase.split()
    return " ".join(words[-TIDY_WORDS:]) if len(words) > TIDY_WORDS else phrase


def _sentence_span(doc, clause, q: Quantity) -> tuple[int, int]:
    """The sentence, or the clause when the sentence is a `;`-list; at most 600 chars."""
    s, e = clause.sentence_start, clause.sentence_end
    if (clause.start, clause.end) != (s, e):
        s, e = clause.start, clause.end
    if e - s > MAX_SENTENCE:
        s = max(s, q.start - 250)
        e = min(e, s + MAX_SENTENCE)
        if q.end > e:
            e = min(clause.end, q.end + 50)
            s = max(clause.start, e - MAX_SENTENCE)
        while s > clause.start and doc.text[s - 1] not in " ,;":
            s += 1
        while e < clause.end and doc.text[e - 1] not in " ,;":
            e -= 1
    while e > s and doc.text[e - 1] == " ":
        e -= 1
    return s, e


def clause_targets(doc, clause, ctx: Context, mt: str, heading_year: int | None = None,
                   heading_future: bool = False) -> list[Commitment]:
    lex = _lex()
    text = doc.text
    qs = find_quantities(text, mt, clause.start, clause.end,
                         fold_same_length(text) if doc.restored_spans else None)
    if not qs:
        return []
    lead = clause.lead_in
    lead_text = mt[lead[0]:lead[1]] if lead else ""
    past_spans = [m.span() for m in lex["past"].finditer(mt, clause.sentence_start, clause.end)]
    said_future = any(not any(ps <= f.start() < pe for ps, pe in past_spans)
                      for f in lex["strong_future"].finditer(mt, clause.sentence_start, clause.end)) \
        or bool(lex["strong_future"].search(lead_text))
    clause_future = said_future or heading_future
    terms = ClauseTerms(text, clause.start, clause.end)
    clause_years = _years(mt, clause.start, clause.end, lex)
    # a sentence that opens telling what there is now (`Hiện nay, … 180 trạm, trong đó có 22 trạm
    # 5G`): a clause of it with no year of its own tells that too (`…; năm 2030 nâng lên 300 trạm`
    # does not)
    opening = regex.match(r"[^\p{L}\d]*", mt[clause.sentence_start:clause.sentence_start + 8]).end()
    sentence_past = not clause_years and bool(lex["present_openers"].match(mt, clause.sentence_start + opening,
                                                                            clause.end))
    sent_years = [y for y in _years(mt, clause.sentence_start, clause.sentence_end, lex)
                  if not (clause.start <= y[0] < clause.end)]
    lead_years = _years(mt, lead[0], lead[1], lex) if lead else []

    # "từ 8,5% năm 2020 xuống còn 3%": the first number is the second's baseline, not a target
    baseline_of: dict[int, tuple[float, int | None]] = {}
    is_baseline = set()
    for i in range(len(qs) - 1):
        a, b = qs[i], qs[i + 1]
        if lex["from_before"].search(mt, max(clause.start, a.start - 10), a.start) and a.value_max is None:
            g = lex["baseline_gap"].match(mt, a.end, b.start)
            if g and g.end() == b.start:
                year = g.group(1) or g.group(2)
                baseline_of[id(b)] = (a.value, int(year) if year else None)
                is_baseline.add(id(a))
    qs = [q for q in qs if id(q) not in is_baseline]
    segs = _segments(mt, qs, clause.start, clause.end, PUNCT_SEPARATOR if doc.restored_spans else SEPARATOR)

    rows: list[Commitment] = []
    prev: Commitment | None = None
    for i, q in enumerate(qs):
        (bs, be), (as_, ae) = segs[i]
        base = baseline_of.get(id(q))
        base_years = {base[1]} if base and base[1] else set()

        # due year: bound after the number, then before it in the clause, then after it, …
        year, bound = None, False
        m = lex["bound_year"].match(mt, q.end, min(clause.end, q.end + 40)) or \
            lex["year_after"].match(mt, q.end, min(clause.end, q.end + 25))
        if m:
            year, bound = int(m.group(1)), True
        if year is None:
            before = [y for p, pe, y in clause_years if pe <= q.start and y not in base_years]
            after = [y for p, pe, y in clause_years if p >= q.end and y not in base_years]
            if before:
                year, bound = before[-1], True
            elif after:
                year, bound = after[0], True
            elif sent_years:
                sb = [y for p, pe, y in sent_years if p < clause.start]
                year = sb[-1] if sb else sent_years[0][2]
            elif lead_years:
                year = lead_years[-1][2]
            elif heading_year:
                year = heading_year
            elif ctx.period:
                year = ctx.period[1]

        # a figure in the title of a cited document (`Quyết định số 338/QĐ-TTg … phê duyệt Đề án
        # "… ít nhất 01 triệu căn hộ …"`) is that document's, not this plan's
        if _in_citation(mt, max(clause.start, q.start - CITATION_REACH), q.start, lex):
            continue
        if _in_condition(mt, clause.sentence_start, q, clause.end, lex, clause.sentence_end):
            continue
        if not clause_years and not said_future and \
                lex["condition_attribute"].search(mt, max(clause.start, q.num_start - 80), q.num_start):
            continue  # a class named by its measure (`kênh có diện tích dưới 50 ha`), in a clause that
            # states no due year: `Đến năm 2030, toàn tỉnh có tỷ lệ hộ nghèo dưới 1,5%` is a target
        # past figures are not targets: a past cue before the figure in its clause, or one opening
        # its sentence (`Hiện nay, … khoảng 180 trạm, trong đó có 22 trạm 5G`: every clause of it
        # tells what there is)
        if lex["payments"].search(mt, clause.start, q.start) or lex["payments"].search(lead_text):
            continue  # what a person or firm pays (`phải đóng tiền ăn 240.000 đồng`), no commitment
        past_cue = lex["past"].search(mt, clause.start, q.start)
        if past_cue and GRANTED.search(mt, past_cue.end(), q.start):
            past_cue = None  # `hộ … đã ở ổn định … thì được hỗ trợ 50%`: the cue is the condition's
        if past_cue and not clause_future or sentence_past and not said_future:
            continue  # (a sentence that opens `Hiện nay` under `MỤC TIÊU` still tells what there is)
        if bound and year:
            ref = ctx.issue_year or (ctx.period[0] if ctx.period else None)
            if ref and year < ref:
                continue  # a plan cannot commit to a year before it was issued

        scope = _scope(text, mt, bs, be, lex) or _scope(text, mt, as_, ae, lex)
        elliptic = bool(lex["scope_lead"].search(mt, bs, be))
        # a lead-in that introduces a list ("… hằng năm như sau:") does not make its items per year
        own_start = max(bs, lead[1]) if lead and clause.start <= lead[0] and lead[1] <= q.start and \
            lex["list_intro"].search(mt, lead[0], lead[1]) else bs
        # `lộ trình thực hiện hằng năm đảm bảo đến năm 2030, ít nhất 50%`: a due year between the
        # per-year words and the figure makes it the level due that year, not a yearly amount
        py_before = [m for m in lex["per_year_before"].finditer(mt, own_start, q.start)
                     if not any(m.end() <= p and pe <= q.start for p, pe, _ in clause_years)]
        per_year = q.per_year_after or bool(py_before) \
            or bool(lex["per_year_opening"].match(mt, clause.start, q.start)) \
            or (bool(lex["per_year_opening"].match(mt, clause.sentence_start, q.start)) and not bound) \
            or bool(lex["per_year_opening"].match(lead_text)) \
            or (i == len(qs) - 1 and bool(lex["per_year_later"].search(mt, q.end, clause.end)))
        if elliptic and prev is not None:
            per_year = per_year or prev.per_year
        direction = _first_cue(mt, bs, be, lex)
        if base and not direction:
            direction = "decrease" if base[0] > q.value else "increase"
        # a rate names what it counts in its unit (`14 bác sĩ/10.000 dân`): that is the indicator's
        local = [(bs, be), (as_, ae)] + ([(q.num_start, q.end)] if "/" in q.unit else [])
        ind, _ = best_indicator(terms, local, q.unit_kind, per_year, (q.num_start, q.end))
        if ind is None and prev is not None and prev.unit_kind == q.unit_kind:
            inherited = prev.indicator_ref
            if inherited is not None and (inherited.per_year is None or inherited.per_year == per_year):
                ind = inherited
            elif inherited is not None:
                ind, _ = best_indicator(terms, [(clause.start, clause.end)], q.unit_kind, per_year)
        if not direction and prev is not None and (elliptic or not ind or ind is prev.indicator_ref):
            direction = prev.direction
        if ind is None and i + 1 < len(qs):
            (nbs, nbe), (nas, nae) = segs[i + 1]
            nxt, _ = best_indicator(terms, [(nbs, nbe), (nas, nae)], q.unit_kind, per_year,
                                    (qs[i + 1].num_start, qs[i + 1].end))
            if nxt is not None and nxt.unit_kind == q.unit_kind:
                ind = nxt
        if ind is not None and q.fraction and ind.unit_kind != q.unit_kind:
            ind = None  # `1/2 kinh phí mua thẻ bảo hiểm y tế` is no coverage rate of 0.5
        phrase = text[bs:be] if lex["measure_words"].search(mt, bs, be) else _named_after(text, as_, ae, clause.end)
        if not phrase.strip():
            phrase = text[bs:be] or text[as_:ae]
        s, e = _sentence_span(doc, clause, q)
        confidence = 0.95 - (0.25 if ind is None else 0) - (0.1 if year is None else 0)
        row = Commitment(
            indicator_ref=ind, start=q.start,
            indicator_id=ind.id if ind else "", indicator=_tidy(phrase),
            sector=ind.sector if ind else "", scope=scope, comparator=q.comparator,
            value=q.value, value_max=q.value_max, unit=q.unit, unit_kind=q.unit_kind,
            per_year=per_year, direction=direction or ("reach" if clause_future else ""),
            target_year=year,
            baseline_value=base[0] if base else None, baseline_year=base[1] if base else None,
            char_start=s, char_end=e, confidence=round(max(0.1, confidence), 2),
            lead_in=text[lead[0]:lead[1]] if lead and not (s <= lead[0] < e) else "",
        )
        rows.append(row)
        prev = row
    return rows


# the row numbering a table's columns under its header: `(1) (2) (3)`, `A | B | 1 | 2 | 3 | 4=3/2 | 5`
NUMBERING_ROW = regex.compile(r"(?:\(?(?:\d{1,2}|[IVX]{1,4}|[A-Z])(?:\s*=\s*\(?(?:\d{1,2}|[A-Z])\)?(?:\s*[+\-*/x]\s*\(?(?:\d{1,2}|[A-Z])\)?)+)?\)?\s*)+")
TIME_COLUMN = regex.compile(r"thời gian|thời hạn|tiến độ|hoàn thành")
TASK_COLUMN = regex.compile(r"chủ trì|thời gian hoàn thành|thời hạn hoàn thành|tiến độ thực hiện")
HEADER_YEAR = regex.compile(r"(?:19|20)\d{2}")


def _aligned(header: list[str], n: int, sub: list[str] | None = None) -> list[str]:
    """The header for a row of `n` cells. A row with more cells than its header sits under a header
    cell that spans sub-columns (`Năm 2025` over `Kế hoạch | Ước thực hiện`, a second header row):
    the label columns stay on the left, the year columns on the right, and the first year column's
    header covers the cells between, so that each later year keeps its own values. Where the second
    row names exactly those cells, each takes its name too (`Năm 2025 Ước thực hiện` is an estimate,
    a past column). A second row of years (`Năm 2026 | … | Năm 2030`) sits under the header cell whose
    period holds them (`GIAI ĐOẠN 2026 - 2030`), not under a year column before it (`ƯTH Năm 2025`);
    where it names every column from the first year column on, under two spanning cells or more, each
    name goes under its own (`Năm hiện hành 2025 Đánh giá thực hiện`, `Dự kiến 03 năm kế hoạch Năm 2027`)."""
    extra = n - len(header)
    k = next((j for j, h in enumerate(header) if HEADER_YEAR.search(h)), None)
    if extra <= 0 or k is None:
        return header
    m = repeating_labels(sub, header) if sub else 0
    if m and n == k + len(sub):
        # the same labels under each year column (`Lượng (Tấn) | Giá trị (Nghìn USD)`): each cell
        # under its year's header and its own label
        return header[:k] + [f"{header[k + j // m]} {name}" for j, name in enumerate(sub)]
    if sub and len(sub) == n - k and len(sub) > extra + 1:
        # the second row names every column from the first year column on, under more than one
        # spanning cell: a name with a year sits under the period or plan cell that holds it (the
        # last, where none names its years), a name without one under the first year column
        def over(name: str) -> str:
            ys = _years_of(name)
            if not ys:
                return header[k]
            j = _period_holding(header[k + 1:], ys)
            return header[k + 1 + j] if j is not None else header[-1]
        return header[:k] + [f"{over(name)} {name}" for name in sub]
    sub_years = [y for name in sub or [] for y in _years_of(name)]
    if sub_years:  # the second row names years: they sit under the period that holds them
        j = _period_holding(header, sub_years)
        k = j if j is not None else k
    spanned = [header[k]] * (extra + 1)
    if sub and len(sub) == extra + 1:
        spanned = [f"{header[k]} {name}" for name in sub]
    return header[:k] + spanned + header[k + 1:]


def _years_of(label: str) -> list[int]:
    return [int(y) for y in HEADER_YEAR.findall(label)]


def _period_holding(labels: list[str], years: list[int]) -> int | None:
    """The index of the first label naming a period (two years or more) that holds `years`."""
    return next((j for j, h in enumerate(labels) if len(hy := _years_of(h)) >= 2
                 and min(hy) <= min(years) and max(years) <= max(hy)), None)


GROUP_NUMBER = regex.compile(r"(?:\d{1,2}|[IVX]{1,4}|[A-Z])\.?")
SUB_ROW = regex.compile(r"[-+•]|\p{Ll}\)?")


def table_group(cells: list[str]) -> str | None:
    """The label of a row that heads a group of rows (`1 | Cà phê`, `II | CÂY ĂN QUẢ`: numbered,
    a label, no figure after it), or None."""
    if len(cells) < 2 or not GROUP_NUMBER.fullmatch(cells[0].strip()) or not regex.search(r"\p{L}", cells[1]):
        return None
    return None if any(regex.search(r"\d", c) for c in cells[2:]) else cells[1].strip()


COLUMN_UNIT = regex.compile(r"\(\s*([^()\d]{1,20}?)\s*\)\s*$")  # `Kế hoạch vốn năm 2026 (triệu đồng)`, `Tỷ lệ (%)`


def _column_unit(header: str) -> str:
    """The unit a column's header gives in brackets at its end (`(%)`, `(triệu đồng)`; not
    `(dự kiến)`)."""
    m = COLUMN_UNIT.search(header)
    return m.group(1) if m and is_unit(m.group(1)) else ""


@lru_cache(maxsize=1)
def _unit_column():
    """A unit column's header (quantities.yaml `unit_columns`), in match form, alone in its cell but
    for a unit in brackets and closing marks."""
    return regex.compile(rf"(?:{unit_header_words()})(?:\s*\([^)]*\))?[\s.:]*")


def _figure(cell: str) -> float | None:
    """A table cell's number (`1.250`, `95%`, `2 500`), or None where it is none."""
    return parse_number(cell.replace(" ", "").rstrip("%"))


RANGE_CELL = regex.compile(r"\s*(\d[\d.,]*)\s*%?\s*[-–]\s*(\d[\d.,]*)\s*%?\s*")


def _range(cell: str) -> tuple[float, float] | None:
    """A table cell's range (`1-1,5`, `85 - 90%`: a plan's band for a year), low then high, or None."""
    m = RANGE_CELL.fullmatch(cell)
    if not m:
        return None
    lo, hi = parse_number(m.group(1)), parse_number(m.group(2))
    if lo is None or hi is None or lo >= hi or HEADER_YEAR.fullmatch(m.group(1)) and HEADER_YEAR.fullmatch(m.group(2)):
        return None  # `2026 - 2030` is a span of years, not a band
    return lo, hi


def _label_col(cells: list[str]) -> int:
    """The column of a table row's label: the next after a number, letter or dash in its first cell
    (`1`, `II`, `a)`, `-`) or after an empty first cell (a row flattened without its number,
    `structure._fitted`; a framed total row) where the next is no figure; else the first."""
    if len(cells) > 1 and (ROW_MARKER.fullmatch(cells[0] or "") or not cells[0] and cells[1] and _figure(cells[1]) is None):
        return 1
    return 0


def table_targets(doc, clause, ctx: Context, mt: str, group: str = "") -> list[Commitment]:
    """A target table row: indicator from the row label, one row per value under a target column.
    A sub-row (`- | Diện tích | Ha | …`) names what it measures with the group it is under
    (`group`, `Cà phê`): `Diện tích` alone compares with nothing."""
    cells, header = clause.table_row, clause.table_header or []
    if cells is header or not cells:
        return []
    text_rows = _cell_targets(doc, clause, ctx, mt)
    if NUMBERING_ROW.fullmatch(" ".join(c.strip() for c in cells)):
        return text_rows  # the row numbering the columns under a header: (1) (2) (3) …
    lex = _lex()
    header = _aligned(header, len(cells), clause.table_subheader)
    keys = [match_form(h) for h in header]
    unit_col = next((j for j, k in enumerate(keys) if _unit_column().fullmatch(k.strip())), None)
    label_col = _label_col(cells)
    label = cells[label_col]
    named = label
    if group and label_col == 1 and SUB_ROW.fullmatch(cells[0].strip()) and \
            match_form(group.split()[-1]) not in match_form(label).split():  # `Sản lượng bưởi quả` names it
        named = f"{label} ({group})"
    unit = cells[unit_col] if unit_col is not None and unit_col < len(cells) else ""
    if unit and not regex.search(r"\p{L}|%", unit):
        unit = ""  # a row with a merged cell less than its header: what stands there is no unit
    if unit and keys[unit_col].strip() == "đơn vị" and not is_unit(unit):
        unit = ""  # `Đơn vị` alone also heads the bodies a table lists (`Xã Tân Phú`): no unit
    terms = ClauseTerms(doc.text, clause.start, clause.end, folded=bool(doc.restored_spans))
    rows = []
    pos = clause.start
    for j, cell in enumerate(cells):
        cell_start = doc.text.find(cell, pos) if cell else -1
        if cell_start >= 0:
            pos = cell_start + len(cell)
        if j <= label_col or j == unit_col or j >= len(keys):
            continue
        value, value_max = _figure(cell), None
        if value is None and (band := _range(cell)):
            value, value_max = band
        if value is None or TIME_COLUMN.search(keys[j]) or HEADER_YEAR.fullmatch(cell.strip()):
            continue  # a schedule column or a year (`2027`; `1.900` is a figure), not a value
        if value == 0 and value_max is None:
            continue  # a zero in a plan's table (`Vay trả nợ gốc | … | 0`) plans nothing: a dash's twin
        years = HEADER_YEAR.findall(header[j])
        year = int(years[-1]) if years else (ctx.period[1] if ctx.period else None)
        hk = keys[j]
        if lex["past_columns"].search(hk) or lex["ratio_columns"].search(hk) or (
                years and (ctx.issue_year and year < ctx.issue_year or ctx.period and year < ctx.period[0]
                           and str(year) not in ctx.title)):
            continue
        if not years and not lex["target_columns"].search(hk) and not (
                lex["amount_columns"].search(hk) and _total_row(cells, label_col)):
            continue  # a count, price or ratio column (`Số mẫu`, `Đơn giá`, `So sánh %`), not a target
        u = unit or ("%" if cell.strip().endswith("%") else "") or _column_unit(header[j]) or clause.table_unit
        kind = "percent" if "%" in u else ("money" if "đồng" in match_form(u) or "usd" in match_form(u)
                                          else ("count" if u else "other"))
        label_start = doc.text.find(label, clause.start)
        ind, _ = best_indicator(terms, [(label_start, label_start + len(label))], kind, False)
        rows.append(Commitment(
            indicator_ref=ind, start=cell_start if cell_start >= 0 else clause.start,
            indicator_id=ind.id if ind else "", indicator=named, sector=ind.sector if ind else "",
            scope="", comparator="range" if value_max is not None else "eq", value=value, value_max=value_max,
            unit=u, unit_kind=kind,
            per_year=False, direction="reach", target_year=year, baseline_value=None, baseline_year=None,
            char_start=clause.start, char_end=clause.end, confidence=0.8 if ind else 0.6,
        ))
    return rows + text_rows


# a cost estimate's total row: `Tổng cộng`, `Cộng`, `Tổng ( I + II )`, `Tổng kinh phí thực hiện kế hoạch`
TOTAL_ROW = regex.compile(r"(?i)(?:tổng|cộng)(?:\s+(?:cộng|số|kinh phí|vốn|chi)(?:\s+\p{L}+){0,4})?\s*(?:\([^()]*\))?\s*:?")
ROMAN_GROUP = regex.compile(r"[IVX]{1,4}\.?")


def _total_row(cells: list[str], label_col: int) -> bool:
    """Whether a row is a table's total (`Tổng cộng`, `Tổng ( I + II )`) or one of its groups,
    numbered in Roman (`II | Hội nghị, tuyên truyền`): the amounts a cost estimate budgets."""
    return bool(TOTAL_ROW.fullmatch(cells[label_col].strip()) or label_col == 1 and ROMAN_GROUP.fullmatch(cells[0].strip()))


def _cell_targets(doc, clause, ctx: Context, mt: str) -> list[Commitment]:
    """A task table's text cells that state a target (`100% hồ sơ … được xử lý trực tuyến` under
    `Sản phẩm`): each cell read as a clause of its own. Numeric cells are the value columns."""
    rows, pos = [], clause.start
    # a task table (`Nhiệm vụ | Sản phẩm | Thời gian hoàn thành | Chủ trì thực hiện`) assigns work
    # to be done: its cells are commitments without a `phấn đấu`, and `kết quả giải quyết thủ tục`
    # in one is a noun, not a report of results
    tasks = any(TASK_COLUMN.search(match_form(h)) for h in clause.table_header or [])
    # a list of projects or works names them in its label column (`Danh mục dự án`: `Trường tiểu học
    # …: Nhà 02 tầng 06 phòng | 600`, a project and its capital): the figures in a name are none
    cells, header = clause.table_row, clause.table_header or []
    label = _label_col(cells)
    names = label < len(header) and _lex()["name_columns"].search(match_form(header[label]))
    for j, cell in enumerate(cells):
        start = doc.text.find(cell, pos) if cell else -1
        if start < 0:
            continue
        pos = start + len(cell)
        if names and j == label:
            continue
        if len(cell) < 12 or _figure(cell) is not None or \
                not regex.search(r"\d", cell):
            continue
        end = start + len(cell)
        sub = dataclasses.replace(clause, start=start, end=end, sentence_start=start, sentence_end=end,
                                  lead_in=None, table_row=None, table_header=None)
        rows.extend(clause_targets(doc, sub, ctx, mt, heading_future=tasks))
    return rows


def is_past_section(title: str) -> bool:
    lex, mt = _lex(), match_form(title)
    spared = [m.span() for m in lex["past_sections_not"].finditer(mt)]
    return any(not any(s <= m.start() and m.end() <= e for s, e in spared) for m in lex["past_sections"].finditer(mt))


def extract_targets(doc, ctx: Context) -> list[Commitment]:
    if sets_no_commitments(ctx.title):
        return []  # a fee schedule, a price table, limits, a new town's description (settings.py)
    mt = match_form(doc.text)
    rows = []
    # the recipients and signature are no plan, but what is attached after them is
    stop_at, resume_at = plan_gap(doc)
    past = _past_flags(doc.sections)
    due = _heading_years(doc.sections, ctx)
    ahead = _future_flags(doc.sections)
    k = -1
    group, table = "", None  # the label of the group row the table's rows are under (`table_group`)
    for clause in doc.clauses:
        if stop_at <= clause.start < resume_at:
            continue
        while k + 1 < len(doc.sections) and doc.sections[k + 1].start <= clause.start:
            k += 1
        if clause.table_row:
            if clause.table_header is not table:  # a new table: no group yet
                group, table = "", clause.table_header
            group = table_group(clause.table_row) or group
        if k >= 0 and past[k]:
            continue
        if clause.table_row:
            rows.extend(table_targets(doc, clause, ctx, mt, group))
        else:
            rows.extend(clause_targets(doc, clause, ctx, mt, due[k] if k >= 0 else None, k >= 0 and ahead[k]))
    return rows


def _down_the_sections(sections, own) -> list:
    """For each section, `own(section)`, or where that is empty, what the nearest enclosing
    section holds: a heading speaks for everything under it."""
    chain: list[tuple[int, object]] = []
    out = []
    for s in sections:
        while chain and chain[-1][0] >= s.level:
            chain.pop()
        mine = own(s)
        value = mine or (chain[-1][1] if chain else mine)
        chain.append((s.level, value))
        out.append(value)
    return out


def _heading_years(sections, ctx: Context) -> list[int | None]:
    """For each section: the due year its heading, or the nearest enclosing heading, names
    (`II. CHỈ TIÊU … ĐẾN NĂM 2030`, `2.1. Đến năm 2030`; a period `giai đoạn 2026 - 2030` gives its
    end), for the targets under it that name none of their own."""
    lex = _lex()
    ref = ctx.issue_year or (ctx.period[0] if ctx.period else None)

    def own(s):
        title = match_form(s.title)
        return next((y for _, _, y in _years(title, 0, len(title), lex) if ref is None or y >= ref), None)

    return _down_the_sections(sections, own)


def _future_flags(sections) -> list[bool]:
    """For each section: is it, or a section enclosing it, a statement of targets (`Mục tiêu cụ
    thể`, `CHỈ TIÊU CHỦ YẾU`)? Its items need no `phấn đấu` of their own to be commitments."""
    rx = _lex()["target_sections"]
    return _down_the_sections(sections, lambda s: bool(rx.search(match_form(s.title))))


def _past_flags(sections) -> list[bool]:
    """For each section: is it, or a section enclosing it, an assessment of the past, or a scoring
    scheme (temporal.yaml `scoring_sections`, the title's opening words: `1. Ban hành thang điểm …`
    is a task)? Neither states a target."""
    scoring = _lex()["scoring_sections"]
    return _down_the_sections(sections, lambda s: is_past_section(s.title) or bool(
        scoring.match(match_form(s.title).lstrip(" .:-–"))))
