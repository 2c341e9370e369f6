"""Typed results: the extractors' records are the dataset's rows, each column defined once."""
import dataclasses
import re
from pathlib import Path

import pytest

from extractors.results import Agency, Commitment, Metadata, column_fields
from helpers import document_from_text
from pipeline import write
from pipeline.extract import extract
from pipeline.link import link
from pipeline.rows import rows_of

SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec" / "dataset.md"
PLAN = """KẾ HOẠCH
Phát triển nông nghiệp giai đoạn 2026 - 2030
I. MỤC TIÊU
Phấn đấu đến năm 2030 tỷ lệ che phủ rừng đạt 48%; giảm tỷ lệ hộ nghèo bình quân 1,5%/năm.
II. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường chủ trì, theo dõi tỷ lệ che phủ rừng.
"""


def names(cls) -> list[str]:
    return [f.name for f in column_fields(cls)]


def test_the_records_fields_are_the_output_columns():
    assert names(Commitment) == [c for c, _ in write.COMMITMENT_COLUMNS]
    assert names(Agency) == [c for c, _ in write.AGENCY_COLUMNS]
    documents = [c for c, _ in write.DOCUMENT_COLUMNS]
    i = documents.index(names(Metadata)[0])
    assert documents[i:i + len(names(Metadata))] == names(Metadata)
    # state passed between steps is no column
    assert {"indicator_ref", "start"} <= {f.name for f in dataclasses.fields(Commitment)} - set(names(Commitment))
    assert "issue_year" not in documents and "issue_year" in {f.name for f in dataclasses.fields(Metadata)}


def test_the_extractors_return_records_and_a_rows_keys_are_its_columns():
    doc = link(extract(document_from_text(PLAN)))
    assert isinstance(doc.metadata, Metadata) and doc.metadata.period_end == 2030
    assert doc.commitments and all(isinstance(c, Commitment) for c in doc.commitments)
    assert doc.agencies and all(isinstance(a, Agency) for a in doc.agencies)
    rows = rows_of(doc)
    assert [list(r) for r in rows["commitments"]] == [names(Commitment)] * len(doc.commitments)
    assert [list(r) for r in rows["agencies"]] == [names(Agency)] * len(doc.agencies)
    assert set(rows["document"]) == {c for c, _ in write.DOCUMENT_COLUMNS}
    forest = next(r for r in rows["commitments"] if r["value"] == 48.0)
    assert (forest["target_year"], forest["doc_id"], forest["commitment_id"]) == (2030, "t", "t#1")
    assert forest["sentence"] and forest["sector"]


def _spec_columns(heading: str) -> list[str]:
    """The columns the spec lists under a heading: a table's first cells, or a paragraph's names."""
    text = SPEC.read_text("utf-8")
    part = text[text.index(heading):]
    part = part[part.index("\n") + 1:]
    part = part[:part.index("\n## ")]
    if part.lstrip().startswith("|"):
        cells = [ln.split("|")[1].strip() for ln in part.splitlines() if ln.startswith("|")][2:]
        return [c.strip() for cell in cells for c in cell.split(",")]
    part = part.split("\n\n")[0].replace("\n", " ")
    while "(" in part:  # drop every explanation in brackets, nested ones too
        part = re.sub(r"\([^()]*\)", "", part)
    return [re.match(r"\s*([a-z_0-9]+)", c).group(1) for c in part.split(",") if c.strip()]


@pytest.mark.parametrize("table,heading", [("commitments", "## commitments.csv"), ("documents", "## documents.csv"),
                                           ("agencies", "## agencies.csv"), ("pages", "## pages.csv")])
def test_the_specs_columns_come_first_in_its_order(table, heading):
    """Columns may be added after the spec's, never renamed or reordered."""
    if not SPEC.exists():
        pytest.skip(f"no spec at {SPEC} (../shared is not present)")
    spec = _spec_columns(heading)
    ours = [c for c, _ in write.TABLES[table]]
    assert len(spec) >= 4 and ours[:len(spec)] == spec
