"""The stage registry: the flow is the registered stages in order, each reading only what an
earlier stage wrote; a document's failure carries its stage."""
import pytest

from pipeline import stages
from pipeline.record import DecodeError, LanguageError, OCRError, ReadError, StageError


def test_the_flow_is_the_registered_stages_in_order():
    names = [s.name for s in stages.pipeline()]
    assert names == ["read", "normalise", "language", "structure", "extract", "link"]
    assert [s.fn.__module__ for s in stages.pipeline()] == [
        "pipeline.ingest", "pipeline.normalise", "pipeline.normalise", "pipeline.structure",
        "pipeline.extract", "pipeline.link"]


def test_a_stage_that_reads_what_no_earlier_stage_writes_fails_at_start(monkeypatch):
    stages.pipeline()
    registry = dict(stages.REGISTRY)
    s = registry["structure"]
    registry["structure"] = stages.Stage(s.name, s.fn, s.reads + ("commitments",), s.writes)
    monkeypatch.setattr(stages, "REGISTRY", registry)
    stages.pipeline.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="structure.*commitments"):
            stages.pipeline()
    finally:
        monkeypatch.undo()
        stages.pipeline.cache_clear()


def test_failures_carry_their_stage():
    assert [(e.stage, e.message) for e in (ReadError("empty file"), DecodeError("x"), OCRError("y"),
                                           LanguageError("z"))] == [
        ("read", "empty file"), ("decode", "x"), ("ocr", "y"), ("language", "z")]
    assert all(isinstance(e, StageError) for e in (ReadError("a"), OCRError("b")))


def test_every_writer_takes_its_columns_from_the_typed_rows():
    import dataclasses

    from pipeline import schema, write

    for name, cls in schema.TABLES.items():
        assert [c for c, _ in write.TABLES[name]] == [f.name for f in dataclasses.fields(cls)
                                                      if f.metadata.get("column", True)]
    assert dict(write.COMMITMENT_COLUMNS)["target_year"] is int
    assert dict(write.DOCUMENT_COLUMNS)["issued_date"].__name__ == "date"


def test_a_row_key_that_no_column_holds_is_an_error_where_it_is_made():
    from extractors.results import Commitment
    from pipeline.rows import rows_of
    from pipeline.record import Document
    from pipeline.schema import check

    with pytest.raises(TypeError, match="forgotten_column"):
        Commitment(char_start=0, char_end=3, value=1.0, unit="%", forgotten_column="?")
    with pytest.raises(ValueError, match="forgotten_column"):
        check("documents", dict(rows_of(Document(path="x.txt", doc_id="x"))["document"], forgotten_column="?"))
