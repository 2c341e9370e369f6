"""What the extractors return, typed: a plan's commitments, its agencies and its metadata.

Each is also the one definition of its part of the dataset (`../shared/spec/dataset.md`): the
fields of `Commitment` and `Agency` are the columns of commitments.csv and agencies.csv, in their
order, and those of `Metadata` the metadata columns of documents.csv. `pipeline/schema.py` takes
the tables' columns from here, so a new column is one new field (and the code that fills it).

An extractor fills what it reads from the text; the fields it cannot know are filled later on the
same record: the row projection (`pipeline/rows.py`) adds what needs the whole document (its id,
page, section, quoted source), the link stage what needs every extractor's result (sector,
responsible agencies, standardised values). A field marked `working()` is state passed between
those steps, never written out.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

COLUMN = "column"


def working(default=None):
    """A field that is no column: state the extractors and stages pass on, never written out."""
    return field(default=default, metadata={COLUMN: False}, compare=False, repr=False)


def column_fields(cls) -> list[dataclasses.Field]:
    """The fields of a record that are columns of its table, in order."""
    return [f for f in dataclasses.fields(cls) if f.metadata.get(COLUMN, True)]


def as_row(record) -> dict:
    """A record as a plain row of its table (columns only): plain dicts cross process boundaries
    and go into the cache as JSON."""
    return {f.name: getattr(record, f.name) for f in column_fields(type(record))}


@dataclass(kw_only=True)
class Commitment:
    """One target value of a plan: a row of commitments.csv."""
    commitment_id: str = ""                  # row projection: doc_id#n in reading order
    doc_id: str = ""                         # row projection, from the document
    province: str = ""                       # row projection, from the metadata
    province_2025: str = ""
    doc_number: str = ""
    issued_date: Optional[date] = None
    section: str = ""                        # row projection
    sector: str = ""                         # the indicator's, else the link stage's
    indicator_id: str = ""
    indicator: str = ""
    scope: str = ""
    comparator: str = ""
    value: Optional[float] = None
    value_max: Optional[float] = None
    unit: str = ""
    unit_kind: str = ""
    per_year: Optional[bool] = None
    direction: str = ""
    target_year: Optional[int] = None
    baseline_value: Optional[float] = None
    baseline_year: Optional[int] = None
    responsible_agencies: str = ""           # link stage
    page: Optional[int] = None               # row projection
    char_start: Optional[int] = None
    char_end: Optional[int] = None
    sentence: str = ""                       # row projection: text[char_start:char_end]
    source_text: str = ""                    # row projection
    restored: Optional[bool] = None          # row projection
    confidence: Optional[float] = None
    value_std: Optional[float] = None        # link stage
    unit_std: str = ""                       # link stage
    lead_in: str = ""
    value_max_std: Optional[float] = None    # link stage
    # the matched indicator (extractors.indicators.Indicator), inherited by the next number
    indicator_ref: Any = working()
    # where the quantity starts: its page, and the order of two rows of one sentence
    start: int = working(0)


@dataclass(kw_only=True)
class Agency:
    """One body assigned work in a plan: a row of agencies.csv."""
    doc_id: str = ""                         # row projection
    agency: str
    agency_2025: str = ""
    agency_as_written: str
    role: str
    tasks: str = ""
    deadline: str = ""
    sectors: str = ""                        # `; `-joined sector codes


@dataclass(kw_only=True)
class Metadata:
    """What a plan says about itself: the metadata columns of documents.csv."""
    province: str = ""
    province_2025: str = ""
    province_source: str = ""
    doc_type: str = ""
    doc_number: str = ""
    issued_date: Optional[date] = None       # written as ISO text (`2021-03-31`), empty when unknown
    title: str = ""
    issuer: str = ""
    signer: str = ""
    signer_title: str = ""
    period_start: Optional[int] = None
    period_end: Optional[int] = None
    legal_basis: str = ""
    # the year of issue, also when only the year is known (a draft leaves day and month blank)
    issue_year: Optional[int] = working()
