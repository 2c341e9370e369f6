"""`make eval`: run the pipeline on the dev set of real plans and score it against its gold.

The dev set (`../shared/devset/plans`, gold in `../shared/devset/gold.json`) is what the
extractors are judged by, so one command runs it, keeps the output folder it scored, and prints
per document and as a macro mean over documents (every plan counts once, whatever its size) the
figures of the acceptance scorer (`../shared/acceptance/score.py`): recall, precision, agencies
found and metadata fields right. The scorer is run as the acceptance process runs it, never
re-implemented here.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEVSET = SHARED / "devset"
SCORER = SHARED / "acceptance" / "score.py"


def _fraction(text: str) -> tuple[int, int]:
    a, b = text.split()[0].split("/")
    return int(a), int(b)


def macro(report: dict) -> dict:
    """Macro means over documents of recall, precision, agencies and metadata shares."""
    docs = report["documents"].values()
    n = max(1, len(docs))

    def share(text):
        a, b = _fraction(text)
        return a / b if b else 1.0

    meta = [(sum(d["metadata"].values()), len(d["metadata"])) for d in docs]
    return dict(
        recall=round(sum(d["recall"] for d in docs) / n, 3),
        precision=round(sum(d["precision"] for d in docs) / n, 3),
        agencies=round(sum(share(d["agencies"]) for d in docs if _fraction(d["agencies"])[1])
                       / max(1, sum(1 for d in docs if _fraction(d["agencies"])[1])), 3),
        metadata=round(sum(a for a, _ in meta) / max(1, sum(b for _, b in meta)), 3),
    )


def score(gold: Path, out: Path) -> dict:
    """The scorer's JSON report of an output folder."""
    res = subprocess.run([sys.executable, str(SCORER), str(gold), str(out), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


def run(out: Path, workers: int = 2) -> dict:
    """Extract the dev-set plans into `out` and score them."""
    subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(DEVSET / "plans"), "--out", str(out),
                    "--workers", str(workers)], check=True, cwd=ROOT)
    return score(DEVSET / "gold.json", out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.evaluate", description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "outputs-devset",
                    help="output folder to write and score (beside outputs/, not in it: `make extract` "
                         "replaces outputs/ whole)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--verbose", action="store_true", help="also print what was missed and what was extra")
    a = ap.parse_args(argv)
    if not (DEVSET / "gold.json").exists() or not SCORER.exists():
        print(f"no dev set at {DEVSET} (it lives in ../shared): nothing to evaluate")
        return 0
    report = run(a.out, a.workers)
    print(f"{'document':<44} {'recall':>7} {'prec.':>7} {'agencies':>9} {'metadata':>9}")
    for doc_id, d in sorted(report["documents"].items()):
        meta = f"{sum(d['metadata'].values())}/{len(d['metadata'])}"
        print(f"{doc_id[:44]:<44} {d['recall']:>7.3f} {d['precision']:>7.3f} {d['agencies']:>9} {meta:>9}")
        if a.verbose:
            for m in d["missed"]:
                print("    missed:", m)
            for e in d["extra"]:
                print("    extra: ", e)
    m = macro(report)
    print(f"{'macro mean':<44} {m['recall']:>7.3f} {m['precision']:>7.3f} {m['agencies']:>9.3f} {m['metadata']:>9.3f}")
    print("micro (scorer's summary):", json.dumps(report["summary"], ensure_ascii=False))
    print(f"output folder: {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
