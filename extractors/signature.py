"""Where a signed document stops being a plan, and where a plan attached to it starts again.

A decision or resolution often promulgates its plan (`Ban hành kèm theo Quyết định này Kế hoạch …`):
the decision's few articles, its recipients (`Nơi nhận`) and signature, then the plan itself under a
heading of its own (`KẾ HOẠCH`, `CHƯƠNG TRÌNH HÀNH ĐỘNG`, `ĐỀ ÁN`), or an appendix (`PHỤ LỤC`, a
task table). The recipients and the signature are no plan; what is attached after them is, and
most of the targets are there. Targets and agencies both read the document through this.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from extractors.lexicon import load
from extractors.orthography import fold_same_length

NOI_NHAN = regex.compile(r"(?m)^\s*n[o0]i\s+nh[a-z]n\b")  # "Nơi nhận", however OCR left its marks
APPENDIX = regex.compile(r"\s*(?:PHỤ LỤC|Phụ lục|PHU LUC|BIỂU|Biểu số)(?![\p{L}])")


@lru_cache(maxsize=1)
def _attached():
    """A paragraph in capitals that opens with a document type (`KẾ HOẠCH`, `QUY ĐỊNH`, from
    documents.yaml): the heading of an attached document."""
    types = sorted(load("documents")["types"], key=len, reverse=True)
    return regex.compile(r"\s*(?:" + "|".join(regex.escape(t) for t in types) + r")(?![\p{L}])[^\p{Ll}]*$")


def plan_gap(doc) -> tuple[int, int]:
    """(start, end) of the recipients-and-signature stretch to leave out: from `Nơi nhận` to the
    first attached document, appendix or table after it; (len, len) when there is none."""
    text = doc.text
    stop = NOI_NHAN.search(fold_same_length(text))
    if not stop:
        return len(text), len(text)
    attached = _attached()
    for c in doc.clauses:
        if c.start <= stop.start():
            continue
        par_end = text.find("\n", c.paragraph_start)
        par_end = len(text) if par_end < 0 else par_end
        if c.table_row or APPENDIX.match(text, c.paragraph_start) or attached.match(text, c.paragraph_start, par_end):
            return stop.start(), c.start
    return stop.start(), len(text)
