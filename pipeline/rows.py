"""Row projection: one processed `Document` as the plain rows of the dataset's tables.

Rows are plain dicts so that they cross process boundaries (forked workers, a Dask cluster) and
go into the cache as JSON; the columns they must hold are `pipeline.write`'s.
"""
from __future__ import annotations

from pipeline.record import Document
from pipeline.schema import check

MODEL_ID = "none"


def _section_label(doc: Document, pos: int) -> str:
    sec = doc.section_at(pos)
    if sec is None:
        return ""
    return f"{sec.path} {sec.title}".strip()


def rows_of(doc: Document) -> dict:
    m = doc.metadata
    commitments = []
    for r in sorted(doc.commitments, key=lambda r: (r["char_start"], r["value"], r["_start"])):
        s, e = r["char_start"], r["char_end"]
        row = {k: v for k, v in r.items() if not k.startswith("_")}
        row.update(
            doc_id=doc.doc_id, province=m.get("province", ""), province_2025=m.get("province_2025", ""),
            doc_number=m.get("doc_number", ""), issued_date=m.get("issued_date", ""),
            section=_section_label(doc, s), page=doc.page_of(r["_start"]),
            sentence=doc.text[s:e], source_text=doc.source_of(s, e),
            restored=any(a < e and s < b for a, b in doc.restored_spans),
            lead_in=r.get("lead_in", ""),
        )
        commitments.append(check("commitments", row))
    for n, row in enumerate(commitments, start=1):
        row["commitment_id"] = f"{doc.doc_id}#{n}"
    document = dict(
        doc_id=doc.doc_id, path=doc.path, sha256=doc.sha256, format=doc.format,
        pages=len(doc.pages) if doc.pages and doc.pages[0].number is not None else None,
        ocr=any(p.source.startswith("ocr") for p in doc.pages), encoding=doc.encoding,
        text_condition=doc.text_condition, restored_share=doc.restored_share if doc.text else None,
        language=doc.language or ("vi" if doc.text else ""), model_id=doc.model_id or (MODEL_ID if doc.text else ""),
        n_commitments=len(commitments), duplicate_of=doc.duplicate_of, status=doc.status, error=doc.error,
        **{k: m.get(k) for k in ("province", "province_2025", "province_source", "doc_type", "doc_number",
                                 "issued_date", "title", "issuer", "signer", "signer_title", "period_start",
                                 "period_end", "legal_basis")},
    )
    pages = [dict(doc_id=doc.doc_id, page=p.number, source=p.source, ocr_confidence=p.ocr_confidence,
                  low_confidence=(p.ocr_confidence is not None and p.ocr_confidence < 70), chars=len(p.text),
                  ocr_dpi=p.ocr_dpi)
             for p in doc.pages if p.number is not None]
    agencies = [check("agencies", dict(a, doc_id=doc.doc_id)) for a in doc.agencies]
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
