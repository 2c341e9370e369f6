"""Quantities in a stretch of text: a number with its unit, range and comparator.

This finds every candidate; whether it is a target is decided in
`extractors.targets`. Words are in `data/quantities.yaml`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from extractors.lexicon import load, phrase_pattern, EDGE_R
from extractors.orthography import fold_same_length, match_form
from extractors.numbers import FRACTION, NUMBER, parse_number

YEAR_MIN, YEAR_MAX = 1945, 2100


@dataclass
class Quantity:
    start: int            # first char of the comparator or number
    num_start: int
    end: int              # end of the unit (and any post-comparator)
    value: float
    value_max: float | None
    unit: str
    unit_kind: str
    comparator: str
    per_year_after: bool = False
    fraction: bool = False  # a share (`1/3 mức lương`): compared only with indicators of its kind


# a number right after a rate's slash, written with a space (`/ 1 lao động`; `/1` is no number at all)
DENOMINATOR = regex.compile(r"/\s+$")


@lru_cache(maxsize=None)
def _patterns():
    q = load("quantities")
    kind_of = [(w, {"other_rate": "other"}.get(kind, kind)) for kind, words in q["units"].items() for w in words]
    units = [w for w, _ in kind_of]
    kinds = {" ".join(match_form(w).split()): k for w, k in kind_of}
    unit_re = regex.compile(r"\s*(" + phrase_pattern(units, left=False) + ")")
    # the same units without their marks, for restored text (see _unit_at)
    folded_units = {fold_same_length(match_form(w)): k for w, k in kind_of}
    unit_folded = regex.compile(r"\s*(" + phrase_pattern(folded_units, left=False) + ")")
    count_re = regex.compile(r"\s*((?:" + phrase_pattern(q["scale_words"]) + r"\s+)?" +
                             phrase_pattern(q["count_nouns"]) + ")")
    joiners = "|".join(regex.escape(j) for j in q["range_joiners"])
    range_re = regex.compile(r"\s*(?:" + joiners + r")\s*(?=\d)")
    before = {k: phrase_pattern(v) for k, v in q["comparators"]["before"].items()}
    before_re = [(k, regex.compile("(" + p + r")\s*(?:mức\s*)?$")) for k, p in before.items()]
    after_re = [(k, regex.compile(r"\s*(" + phrase_pattern(v) + ")"))
                for k, v in q["comparators"]["after"].items()]
    # on the number's line: a label over a figure on the next (`- Phó thôn` / `240.000 đ/tháng`) names it not
    not_before = regex.compile(phrase_pattern(q["not_before"]) + r"[^\S\n]*\Z")
    not_before_except = regex.compile(phrase_pattern(q["not_before_except"]) + r"\s*$")
    not_after = regex.compile(r"\s*" + phrase_pattern(q["not_after"]))
    # `/năm`, `mỗi năm` right after the unit, or a rate per head per year (`đồng / người dân / năm`)
    per_year_after = regex.compile(r"\s*(?:" + phrase_pattern(q["per_year"]["after"], edges=False) + EDGE_R +
                                   r"|/\s*[\p{L}\s]{1,25}?\s*/\s*năm" + EDGE_R + ")")
    from_re = regex.compile(r"(?<![\p{L}])từ\s*$")
    # `/100.000 trẻ đẻ sống`, `/vạn dân`: a round number (or `vạn`) and what it counts
    over = r"/\s*(?:(?:\d{1,3}(?:[.,]\d{3})+|\d{3,7})\s*(?:vạn\s+)?|(?:1\s*)?(?:vạn|nghìn|ngàn)\s+)"
    rate = regex.compile(r"\s*(" + over + phrase_pattern(q["rate_denominators"]) + ")")
    rate_folded = regex.compile(r"\s*(" + fold_same_length(over) + phrase_pattern(
        [fold_same_length(match_form(w)) for w in q["rate_denominators"]]) + ")")
    fraction_of = regex.compile(r"\s*(" + phrase_pattern(q["fraction_of"]) + ")")
    spelled = regex.compile(r"\s*\(\s*(?:" + phrase_pattern(q["spelled_numbers"]) + r"[\s,:;]*)+\)")
    once = {match_form(w) for w in q["once"]["units"]}
    multiple = regex.compile(phrase_pattern(q["once"]["not_after"]) + r"\s*$")
    return dict(spelled=spelled, once=once, multiple=multiple, rate=rate, rate_folded=rate_folded, fraction_of=fraction_of, unit=unit_re, kinds=kinds, unit_folded=unit_folded,
                kinds_folded={" ".join(u.split()): k for u, k in folded_units.items()}, count=count_re, range=range_re, before=before_re,
                after=after_re, not_before=not_before, not_before_except=not_before_except, not_after=not_after,
                per_year_after=per_year_after, from_=from_re)


@lru_cache(maxsize=1)
def unit_header_words() -> str:
    """The words that head a table's unit column or open a unit note over it (`Đơn vị tính`, `ĐVT`;
    quantities.yaml `unit_columns`), as one alternation, longest first."""
    return "|".join(regex.escape(w) for w in sorted(load("quantities")["unit_columns"], key=len, reverse=True))


def is_unit(text: str) -> bool:
    """Whether `text` is a unit the plans write (quantities.yaml `units`), or a counted noun with
    its scale (`count_nouns`: `hộ`, `nghìn lượt`), and nothing more: what a table's unit cell, a
    unit note over a table or a bracket in a column's header may give."""
    p = _patterns()
    mt = " ".join(match_form(text).split())
    for rx in (p["unit"], p["count"]):
        m = rx.match(mt)
        if m and m.end() == len(mt):
            return True
    return False


def _unit_at(mt: str, pos: int, p, folded: str | None = None) -> tuple[str, int, int] | None:
    """(unit_kind, start, end) of the unit written at `pos`, if any, with the denominator of a rate
    (`bác sĩ/10.000 dân`; a bare `4/100.000 trẻ đẻ sống` is a rate of kind `other`). In restored
    text (`folded` given: the text without marks, same offsets) a unit is also recognised without
    its marks, as restoration may have put a wrong one on it (`triệu đông`, `000d`)."""
    unit = _plain_unit_at(mt, pos, p, folded)
    at = unit[2] if unit else pos
    r = p["rate"].match(mt, at) or (p["rate_folded"].match(folded, at) if folded is not None else None)
    if r:
        return (unit[0], unit[1], r.end()) if unit else ("other", r.start(1), r.end())
    return unit


def _plain_unit_at(mt: str, pos: int, p, folded: str | None = None) -> tuple[str, int, int] | None:
    m = p["unit"].match(mt, pos)
    if m:
        w = regex.sub(r"\s+", " ", m.group(1))
        return p["kinds"].get(w, "other"), m.start(1), m.end(1)
    m = p["count"].match(mt, pos)
    if m:
        return "count", m.start(1), m.end(1)
    if folded is not None:
        m = p["unit_folded"].match(folded, pos)
        if m:
            return p["kinds_folded"].get(regex.sub(r"\s+", " ", m.group(1)), "other"), m.start(1), m.end(1)
    return None


def find_quantities(text: str, mt: str, start: int, end: int, folded: str | None = None) -> list[Quantity]:
    """Quantities in text[start:end]; `mt` is `match_form(text)` (same offsets); `folded`, for
    restored text, is `fold_same_length(text)`."""
    p = _patterns()
    out: list[Quantity] = []
    pos = start
    while True:
        m = NUMBER.search(mt, pos, end)
        if not m:
            break
        pos = m.end()
        value = parse_number(m.group(1))
        if value is None:
            continue
        if DENOMINATOR.search(mt, max(start, m.start() - 3), m.start()):
            continue  # `1.000.000 đồng / 1 lao động`: what a rate is per, not a figure of its own
        value_max = None
        after = m.end()
        unit = _unit_at(mt, after, p, folded)
        spelled = p["spelled"].match(mt, after, end) if unit is None else None
        if spelled:  # `46.831 (bốn mươi sáu nghìn …) người`: the unit after the words
            after = spelled.end()
            unit = _unit_at(mt, after, p, folded)
        if unit and text[unit[1]:unit[2]] == "D":
            unit = None  # `3D` (three-dimensional): a capital D alone is no `đ`, even where marks were restored
        if (unit is None or unit[0] != "percent") and _names_number(mt, max(start, m.start() - 40), m.start(), p):
            continue  # "Mục 2", "lần thứ 5" (a percentage is never a section or an ordinal)
        rng = p["range"].match(mt, unit[2] if unit else after, end)
        if rng:
            m2 = NUMBER.match(mt, rng.end(), end)
            if m2:
                v2 = parse_number(m2.group(1))
                unit2 = _unit_at(mt, m2.end(), p, folded)
                if v2 is not None and v2 > value and (unit2 or unit) and not (
                        unit and unit2 and unit[0] != unit2[0]):
                    value_max = v2
                    unit = unit2 or unit
                    pos = m2.end()
        if unit is None:
            continue
        kind, ustart, uend = unit
        plain_int = "." not in m.group(1) and "," not in m.group(1)
        if kind == "count" and plain_int and value_max is None and YEAR_MIN <= value <= YEAR_MAX:
            continue  # "năm 2025 người ..." is a year beside a noun, not 2025 people
        if p["not_after"].match(mt, after):
            continue
        if value == 1 and value_max is None and mt[ustart:uend] in p["once"] \
                and not p["multiple"].search(mt, max(start, m.start() - 12), m.start()):
            continue  # `hỗ trợ 01 lần`: a one-off; `tăng 1 lần` is a multiple
        comparator, cstart = "eq", m.start()
        if value_max is not None:
            comparator = "range"
            f = p["from_"].search(mt, max(start, m.start() - 8), m.start())
            if f:
                cstart = f.start()
        else:
            comparator, cstart = _comparator_before(mt, start, m.start(), p)
        qend = uend
        for name, rx in p["after"]:
            a = rx.match(mt, uend, end)
            if a:
                if comparator == "eq":
                    comparator = name
                qend = a.end()
        py = p["per_year_after"].match(mt, uend, end)
        pos = max(pos, uend)
        out.append(Quantity(cstart, m.start(), qend, value, value_max, text[ustart:uend], kind,
                            comparator, bool(py)))
    out += _fractions(text, mt, start, end, p)
    return sorted(out, key=lambda q: q.num_start)


def _comparator_before(mt: str, start: int, pos: int, p) -> tuple[str, int]:
    """The comparator written just before a figure at `pos` (`trên`, `ít nhất`) and where it
    starts; ("eq", pos) when there is none."""
    for name, rx in p["before"]:
        c = rx.search(mt, max(start, pos - 30), pos)
        if c:
            return name, c.start(1)
    return "eq", pos


def _names_number(mt: str, start: int, end: int, p) -> bool:
    """Whether the words right before a number make it a name, section or ordinal (`not_before`)."""
    return bool(p["not_before"].search(mt, start, end)) and not p["not_before_except"].search(mt, start, end)


def _fractions(text: str, mt: str, start: int, end: int, p) -> list[Quantity]:
    """Simple fractions of what the words after them name (`bằng 1/3 mức lương tối thiểu`):
    the share as a number (0.333…), of kind `other`, the words for its unit."""
    out = []
    for m in FRACTION.finditer(mt, start, end):
        num, den = int(m.group(1)), int(m.group(2))
        of = p["fraction_of"].match(mt, m.end(), end)
        if num >= den or not of or _names_number(mt, max(start, m.start() - 40), m.start(), p):
            continue
        comparator, cstart = _comparator_before(mt, start, m.start(), p)
        out.append(Quantity(cstart, m.start(), of.end(1), num / den, None, text[of.start(1):of.end(1)], "other",
                            comparator, fraction=True))
    return out
