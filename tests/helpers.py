"""Running the stages on text made in a test, without files."""
from extractors.results import Commitment
from extractors.targets import Context, extract_targets
from pipeline.normalise import normalise
from pipeline.record import Document, Page
from pipeline.structure import structure


def document_from_text(text: str, doc_id: str = "t") -> Document:
    doc = Document(path=f"{doc_id}.txt", doc_id=doc_id, pages=[Page(None, text)], raw=text)
    return structure(normalise(doc))


def targets_of(text: str, issue_year: int | None = None, period=None) -> list[Commitment]:
    doc = document_from_text(text)
    return extract_targets(doc, Context(issue_year=issue_year, period=period))
