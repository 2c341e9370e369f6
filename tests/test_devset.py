"""Regression on the dev set of real plans (`../shared/devset`): the macro figures the accuracy
issue set, measured by the acceptance scorer over one pipeline run. Skipped, with that reason,
where `../shared` is absent (it is present in CI)."""
import json

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


@pytest.fixture(scope="session")
def archive_run(tmp_path_factory):
    """(output folder, scorer's report) of the archive's documents with a gold of their own."""
    if not (evaluate.DEVSET / "archive").exists() or not evaluate.SCORER.exists():
        pytest.skip(f"no archive at {evaluate.DEVSET / 'archive'} (../shared is not present)")
    out = tmp_path_factory.mktemp("archive") / "out"
    return out, evaluate.run(out, archive=True)


def test_archive_gold_macro_figures(archive_run):
    """Archive documents annotated blind (benchmarks/archive_gold). Session 16's fourteen: on the
    first nine, the rules of its start gave recall 0.829, precision 0.593, agencies 0.439; on all
    fourteen at its end, 0.956, 0.721, 0.708. Session 17 added fourteen (twenty-eight in all): at
    its end 0.953, 0.740, 0.803. Session 18 added thirty-two (sixty in all): its start's rules gave
    0.949, 0.623, 0.777 on the sixty, its end 0.974, 0.780, 0.864. Session 19 added forty-four (all
    but one archive document, 104): its start's rules gave 0.915, 0.727, 0.816 on the 104, its end
    0.986, 0.856, 0.871."""
    m = evaluate.macro(archive_run[1])
    assert m["recall"] >= 0.97, m
    assert m["precision"] >= 0.83, m
    assert m["agencies"] >= 0.85, m


def test_archive_drug_control_plans_of_two_provinces_compare(archive_run, tmp_path):
    """Every province's drug-control plan copies the national programme's targets (indicators.yaml
    has them): the two provinces' plans in the archive gold give matching indicator ids."""
    gold = json.loads(evaluate.ARCHIVE_GOLD.read_text("utf-8"))
    pair = {k: v for k, v in gold["documents"].items() if "PCMT" in k}
    assert len(pair) == 2, sorted(pair)
    subset = tmp_path / "gold.json"
    subset.write_text(json.dumps(dict(gold, documents=pair), ensure_ascii=False), "utf-8")
    concepts = evaluate.score(subset, archive_run[0])["summary"]["concepts"]
    good, pairs = (int(x) for x in concepts.split("/"))
    assert pairs and good / pairs >= 0.85, concepts


def test_macro_leaves_out_recall_without_gold_and_precision_without_rows():
    """A decision that commits to nothing, read so (no gold targets, no rows), is right: the scorer's
    0/0 must not count as a miss."""
    report = {"documents": {
        "plan": dict(recall=1.0, precision=0.5, gold=4, rows=8, agencies="1/2", metadata={"province": True}),
        "rules": dict(recall=0.0, precision=0.0, gold=0, rows=0, agencies="0/0", metadata={"province": True}),
        "noisy": dict(recall=0.0, precision=0.0, gold=0, rows=3, agencies="1/1", metadata={"province": False})}}
    m = evaluate.macro(report)
    assert (m["recall"], m["precision"], m["agencies"], m["metadata"]) == (1.0, 0.25, 0.75, 0.667)
