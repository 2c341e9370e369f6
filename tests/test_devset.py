"""Regression on the dev set of real plans (`../shared/devset`): the macro figures the accuracy
issue set, measured by the acceptance scorer over one pipeline run. Skipped, with that reason,
where `../shared` is absent (it is present in CI)."""
import pytest

from pipeline import evaluate


@pytest.fixture(scope="session")
def devset_report(tmp_path_factory):
    if not (evaluate.DEVSET / "gold.json").exists() or not evaluate.SCORER.exists():
        pytest.skip(f"no dev set at {evaluate.DEVSET} (../shared is not present)")
    return evaluate.run(tmp_path_factory.mktemp("devset") / "out")


def test_devset_macro_figures(devset_report):
    m = evaluate.macro(devset_report)
    assert m["recall"] >= 0.92, m
    assert m["precision"] >= 0.90, m
    assert m["agencies"] >= 0.85, m
    assert m["metadata"] >= 0.90, m


def test_no_devset_document_is_left_without_targets(devset_report):
    empty = [d for d, r in devset_report["documents"].items() if r["gold"] and not r["matched"]]
    assert empty == []
