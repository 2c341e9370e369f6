"""Row projection: one processed `Document` as the plain rows of the dataset's tables.

Rows are plain dicts so that they cross process boundaries (forked workers, a Dask cluster) and
go into the cache as JSON; the columns they must hold are `pipeline.schema`'s. A commitment's and an
agency's row is its typed record (`extractors.results`) with the columns only the whole document
knows filled in.
"""
from __future__ import annotations

import dataclasses

from extractors.results import Metadata, as_row, column_fields
from pipeline.record import Document
from pipeline.schema import check

METADATA_COLUMNS = [f.name for f in column_fields(Metadata)]

MODEL_ID = "none"


def _section_label(doc: Document, pos: int) -> str:
    sec = doc.section_at(pos)
    if sec is None:
        return ""
    return f"{sec.path} {sec.title}".strip()


def rows_of(doc: Document) -> dict:
    m = doc.metadata or Metadata()
    commitments = []
    ordered = sorted(doc.commitments, key=lambda r: (r.char_start, r.value, r.start))
    for n, r in enumerate(ordered, start=1):
        s, e = r.char_start, r.char_end
        commitments.append(as_row(dataclasses.replace(
            r, commitment_id=f"{doc.doc_id}#{n}", doc_id=doc.doc_id, province=m.province,
            province_2025=m.province_2025, doc_number=m.doc_number, issued_date=m.issued_date,
            section=_section_label(doc, s), page=doc.page_of(r.start),
            sentence=doc.text[s:e], source_text=doc.source_of(s, e),
            restored=any(a < e and s < b for a, b in doc.restored_spans))))
    document = dict(
        doc_id=doc.doc_id, path=doc.path, sha256=doc.sha256, format=doc.format,
        pages=len(doc.pages) if doc.pages and doc.pages[0].number is not None else None,
        ocr=any(p.source.startswith("ocr") for p in doc.pages), encoding=doc.encoding,
        text_condition=doc.text_condition, restored_share=doc.restored_share if doc.text else None,
        language=doc.language or ("vi" if doc.text else ""), model_id=doc.model_id or (MODEL_ID if doc.text else ""),
        n_commitments=len(commitments), duplicate_of=doc.duplicate_of, status=doc.status, error=doc.error,
        **(as_row(doc.metadata) if doc.metadata else dict.fromkeys(METADATA_COLUMNS)),
    )
    pages = [dict(doc_id=doc.doc_id, page=p.number, source=p.source, ocr_confidence=p.ocr_confidence,
                  low_confidence=(p.ocr_confidence is not None and p.ocr_confidence < 70), chars=len(p.text),
                  ocr_dpi=p.ocr_dpi)
             for p in doc.pages if p.number is not None]
    agencies = [as_row(dataclasses.replace(a, doc_id=doc.doc_id)) for a in doc.agencies]
    error = dict(path=doc.path, doc_id=doc.doc_id, stage=doc.error_stage, error=doc.error) if doc.error else None
    check("documents", document)
    for p in pages:
        check("pages", p)
    return dict(document=document, commitments=commitments, agencies=agencies, pages=pages, error=error,
                text=doc.text if doc.status == "ok" else None)


def failed_rows(path: str, doc_id: str, message: str, stage: str) -> dict:
    """The rows of a document that failed outside the stages (its worker crashed, hung, ran out of memory)."""
    return rows_of(Document(path=path, doc_id=doc_id, status="error", error=message, error_stage=stage))


def duplicate_rows(path: str, doc_id: str, sha256: str, original: dict) -> dict:
    """The rows of a byte-identical copy: no rows of its own; it fails as its original did."""
    doc = original["document"]
    error = original["error"]
    document = dict(doc_id=doc_id, path=path, sha256=sha256, status=doc.get("status", "ok"),
                    duplicate_of=doc["doc_id"], n_commitments=0, error=doc.get("error", ""))
    return dict(document=document, commitments=[], agencies=[], pages=[], text=None,
                error=dict(path=path, doc_id=doc_id, stage=error["stage"], error=error["error"]) if error else None)


def mark_duplicate(result: dict, original_id: str) -> dict:
    """A document found to hold the same text as another: kept in documents.csv (and its pages),
    its targets and agencies dropped so they are not counted twice."""
    document = dict(result["document"], duplicate_of=original_id, n_commitments=0)
    return dict(result, document=document, commitments=[], agencies=[], text=None)
