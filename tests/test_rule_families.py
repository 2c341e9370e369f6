"""One runner for the rule families' sentence corpora (`tests/data/rules/*.yaml`).

Each family (due year, what is a target, agencies, metadata) has its own corpus of small plans
written for this project across sectors and provinces, each with the rows the extractors must give.
The whole extract stage runs on each, so a rule is tested where it acts, with the rules around it.
"""
from pathlib import Path

import pytest
import yaml

from helpers import document_from_text
from pipeline.extract import extract

RULES = Path(__file__).parent / "data" / "rules"
CASES = [(f.stem, c) for f in sorted(RULES.glob("*.yaml")) for c in yaml.safe_load(f.read_text("utf-8"))["cases"]]


def run(text: str):
    return extract(document_from_text(text))


@pytest.mark.parametrize("family,case", CASES, ids=[f"{f}: {c['name']}" for f, c in CASES])
def test_rule_family_case(family, case):
    doc = run(case["text"])
    if family == "due_year":
        got = [[r.value, r.target_year, r.per_year] for r in doc.commitments]
        assert got == [[float(v), y, p] for v, y, p in case["rows"]]
    elif family == "targets":
        got = [[r.value, r.unit] for r in doc.commitments]
        assert got == [[float(v), str(u)] for v, u in case["rows"]]
    elif family == "agencies":
        found = {a.agency: a.role for a in doc.agencies}
        for name, role in case["agencies"]:
            assert found.get(name) == role, (name, found)
        for name in case.get("absent", []):
            assert name not in found, found
    elif family == "metadata":
        for field, value in case["fields"].items():
            got = getattr(doc.metadata, field)
            assert (got if got is not None else "") == value, (field, got)
    else:
        pytest.fail(f"no runner for rule family {family}")


def test_every_family_has_a_corpus_of_its_own():
    families = {f for f, _ in CASES}
    assert families == {"due_year", "targets", "agencies", "metadata"}
    assert all(sum(1 for f, _ in CASES if f == fam) >= 4 for fam in families)
