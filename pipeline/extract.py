"""Extract stage: metadata, targets and agencies, each from its extractor."""
from __future__ import annotations

from extractors.agencies import extract_agencies
from extractors.metadata import extract_metadata
from extractors.targets import Context, extract_targets
from pipeline.stages import stage
from pipeline.record import Document


@stage("extract", reads=("text", "paragraphs", "sections", "clauses", "restored_spans"), writes=("metadata", "commitments", "agencies"))
def extract(doc: Document) -> Document:
    m = doc.metadata = extract_metadata(doc)
    period = (m.period_start, m.period_end) if m.period_end else None
    doc.commitments = extract_targets(doc, Context(issue_year=m.issue_year, period=period, title=m.title))
    doc.agencies = extract_agencies(doc)
    return doc
