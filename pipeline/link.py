"""Link stage: sectors for targets without an indicator (the plan's own, else the target's words,
else its section's), and the agencies that answer for each.

It is also where a row keeps its indicator only if its unit converts to the indicator's standard
unit (`standardise.compatible`): `10 %` never stands beside `20.000 ha` under one indicator. The
row keeps its sector, and its standardised value (`value_std`, `value_max_std`, `unit_std`).
"""
from __future__ import annotations

import regex

from extractors.agencies import responsible_for, row_leads
from extractors.lexicon import sector_matchers
from extractors.orthography import match_form
from pipeline.stages import stage
from pipeline.record import Document
from pipeline.standardise import compatible, standardise


def sector_of(text: str) -> str:
    """The sector whose keyword comes first in `text`; of two at one place, the longer keyword's
    (`vốn đầu tư xây dựng cơ bản` is public investment before it is `vốn đầu tư`)."""
    mt = match_form(text)
    best = None
    for code, rx in sector_matchers():
        m = rx.search(mt)
        if m and (best is None or (m.start(), -m.end()) < best[0]):
            best = ((m.start(), -m.end()), code)
    return best[1] if best else ""


@stage("link", reads=("commitments", "agencies", "sections", "text", "metadata"), writes=("commitments",))
def link(doc: Document) -> Document:
    # a plan on one policy area (`Kế hoạch phòng, chống ma túy`, `Chương trình phát triển nhà ở`)
    # files its targets under that area, whatever else their sentences mention: that is the
    # comparison a researcher makes; a plan of many areas names none in its title
    plan_sector = sector_of(doc.metadata.title) if doc.metadata else ""
    rows = row_leads(doc)
    stated: dict[str, list[str]] = {}
    for _, _, statement, names in rows:
        key = _statement(statement)
        if len(key) >= STATEMENT_MIN:
            stated[key] = list(dict.fromkeys(stated.get(key, []) + names))
    for row in doc.commitments:
        if row.indicator_id and not compatible(row.indicator_id, row.unit):
            row.indicator_id, row.sector = "", ""  # the sector was the indicator's
        row.value_std, row.value_max_std, row.unit_std = standardise(row.value, row.value_max, row.unit,
                                                                     row.indicator_id)
        if not row.sector:
            sentence = doc.text[row.char_start:row.char_end]
            row.sector = plan_sector or sector_of(row.indicator) or sector_of(sentence)
            if not row.sector:
                sec = doc.section_at(row.char_start)
                row.sector = sector_of(sec.title) if sec else ""
        own = _stated_leads(row, doc.text[row.char_start:row.char_end], rows, stated)
        row.responsible_agencies = "; ".join(own or responsible_for(row.sector, doc.agencies))
    return doc


STATEMENT_MIN = 20  # a statement shorter than this could be any row's (`Tỷ lệ`, `Năm 2030`)


def _statement(text: str) -> str:
    """A target's words for comparing the body's statement with a table row's: folded, spaced
    once, without the marker, the closing stop or the spaces around."""
    mt = " ".join(match_form(text).split())
    return regex.sub(r"^[^\p{L}\d]+|[\s.;:,]+$", "", mt)


def _stated_leads(row, sentence: str, rows, stated) -> list[str]:
    """The bodies a task table names as lead (chủ trì) for a target: of the row it stands in, else
    of the rows that state it in the same words (a plan lists its targets, then assigns them in an
    appendix's table)."""
    for start, end, _, names in rows:
        if start <= row.char_start < end:
            return names
    return stated.get(_statement(sentence), [])
