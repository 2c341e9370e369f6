"""The one record that flows through the stages.

Every stage takes a `Document` and returns it with more filled in, so the
flow in `pipeline.run` reads as a list of functions. Offsets are carried from
ingest to output: `offsets[i]` is the index in `raw` that produced character
`i` of `text`, so every row can quote the input as it stood.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from extractors.results import Agency, Commitment, Metadata


@dataclass
class Page:
    number: int | None          # 1-based, None for unpaged inputs
    text: str
    source: str = "text"        # text | text-layer | ocr | ocr-redo | ocr-stamp-only | ocr-image
    ocr_confidence: float | None = None
    ocr_dpi: int | None = None  # the resolution the page was OCR'd at


@dataclass
class Span:
    """A stretch of the normalised text: a paragraph, sentence or clause."""
    start: int
    end: int
    kind: str = "sentence"


@dataclass
class Section:
    numbering: str              # as printed: "II.", "1.2.1.", "a)"
    level: int
    title: str
    start: int                  # char offset of the heading in `text`
    path: str = ""              # "II.1.2.1"


@dataclass
class Clause:
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    lead_in: tuple[int, int] | None = None   # span of "Phấn đấu đến năm 2025:" shared by a list
    paragraph_start: int = 0
    table_row: list[str] | None = None       # cells, when the clause is a table row
    table_header: list[str] | None = None
    # a table's second header row, under a header cell that spans columns (`Kế hoạch | Ước thực hiện`)
    table_subheader: list[str] | None = None
    # the unit a note over the table gives its figures (`ĐVT: triệu đồng`), where a row has none
    table_unit: str = ""


@dataclass
class Document:
    path: str
    doc_id: str
    sha256: str = ""
    format: str = ""
    encoding: str = ""
    pages: list[Page] = field(default_factory=list)
    raw: str = ""                      # the pages' text, joined with "\f"
    page_starts: list[int] = field(default_factory=list)
    text: str = ""                     # normalised text
    offsets: list[int] = field(default_factory=list)
    text_condition: str = ""
    restored_share: float = 0.0
    model_id: str = ""
    language: str = ""
    restored_spans: list[tuple[int, int]] = field(default_factory=list)
    paragraphs: list[Span] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    metadata: Metadata | None = None   # None until the extract stage has run
    commitments: list[Commitment] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    duplicate_of: str = ""
    status: str = "ok"
    error: str = ""
    error_stage: str = ""

    def page_of(self, char_index: int) -> int | None:
        """1-based page of a normalised offset, None for unpaged inputs."""
        if not self.page_starts or not self.offsets:
            return None
        raw_i = self.offsets[min(char_index, len(self.offsets) - 1)]
        page = 0
        for i, s in enumerate(self.page_starts):
            if raw_i >= s:
                page = i
        return self.pages[page].number

    def read_off_pages(self) -> bool:
        """Whether the pipeline OCR'd any of the document's pages (a scan, a stamp-only text layer)."""
        return any(p.source.startswith("ocr") for p in self.pages)

    def source_of(self, start: int, end: int) -> str:
        """The raw input behind a normalised span."""
        if start >= end or not self.offsets:
            return ""
        return self.raw[self.offsets[start]: self.offsets[end - 1] + 1]

    def section_at(self, char_index: int) -> Section | None:
        current = None
        for s in self.sections:
            if s.start <= char_index:
                current = s
            else:
                break
        return current


class StageError(Exception):
    """A document-level failure with a one-line reason a person understands; `stage` names where
    it happened (errors.csv's `stage` column). Raise the subclass of the stage."""

    def __init__(self, stage: str, message: str):
        super().__init__(message)
        self.stage = stage
        self.message = message


class _Failure(StageError):
    STAGE = ""

    def __init__(self, message: str):
        super().__init__(self.STAGE, message)


class ReadError(_Failure):
    """The file cannot be read as a document (missing, empty, damaged, encrypted, unsupported)."""
    STAGE = "read"


class DecodeError(_Failure):
    """The bytes are no text in any encoding the readers know."""
    STAGE = "decode"


class OCRError(_Failure):
    """A page image could not be read by OCR."""
    STAGE = "ocr"


class NormaliseError(_Failure):
    """The text could not be normalised (restoration model missing or unusable)."""
    STAGE = "normalise"


class LanguageError(_Failure):
    """The document is not Vietnamese; it is set aside."""
    STAGE = "language"
