"""Link stage: sectors for targets without an indicator, and the agencies that answer for each.

It is also where a row keeps its indicator only if its unit converts to the indicator's standard
unit (`standardise.compatible`): `10 %` never stands beside `20.000 ha` under one indicator. The
row keeps its sector, and its standardised value (`value_std`, `value_max_std`, `unit_std`).
"""
from __future__ import annotations

from extractors.agencies import responsible_for
from extractors.lexicon import sector_matchers
from extractors.orthography import match_form
from pipeline.stages import stage
from pipeline.record import Document
from pipeline.standardise import compatible, standardise


def sector_of(text: str) -> str:
    mt = match_form(text)
    best = None
    for code, rx in sector_matchers():
        m = rx.search(mt)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), code)
    return best[1] if best else ""


@stage("link", reads=("commitments", "agencies", "sections", "text"), writes=("commitments",))
def link(doc: Document) -> Document:
    for row in doc.commitments:
        if row.indicator_id and not compatible(row.indicator_id, row.unit):
            row.indicator_id = ""
        row.value_std, row.value_max_std, row.unit_std = standardise(row.value, row.value_max, row.unit,
                                                                     row.indicator_id)
        if not row.sector:
            sentence = doc.text[row.char_start:row.char_end]
            row.sector = sector_of(row.indicator) or sector_of(sentence)
            if not row.sector:
                sec = doc.section_at(row.char_start)
                row.sector = sector_of(sec.title) if sec else ""
        row.responsible_agencies = "; ".join(responsible_for(row.sector, doc.agencies))
    return doc
