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

    def share(text):
        a, b = _fraction(text)
        return a / b if b else 1.0

    meta = [(sum(d["metadata"].values()), len(d["metadata"])) for d in docs]
    # a document without gold targets has no recall, and one without rows no precision (the scorer
    # writes 0 for 0/0): a decision that sets rules and commits to nothing, read so, is right
    with_gold = [d for d in docs if d.get("gold", 1)]
    with_rows = [d for d in docs if d.get("rows", 1)]
    return dict(
        recall=round(sum(d["recall"] for d in with_gold) / max(1, len(with_gold)), 3),
        precision=round(sum(d["precision"] for d in with_rows) / max(1, len(with_rows)), 3),
        agencies=round(sum(share(d["agencies"]) for d in docs if _fraction(d["agencies"])[1])
                       / max(1, sum(1 for d in docs if _fraction(d["agencies"])[1])), 3),
        metadata=round(sum(a for a, _ in meta) / max(1, sum(b for _, b in meta)), 3),
    )


def score(gold: Path, out: Path) -> dict:
    """The scorer's JSON report of an output folder."""
    res = subprocess.run([sys.executable, str(SCORER), str(gold), str(out), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


# the archive's documents with a gold of their own (all but one), annotated blind in sessions 16 to 19 (its NOTES.md)
ARCHIVE_GOLD = ROOT / "benchmarks" / "archive_gold" / "gold.json"


def archive_inputs() -> list[Path]:
    """The archive's files the archive gold covers (by file name without its extension)."""
    wanted = set(json.loads(ARCHIVE_GOLD.read_text("utf-8"))["documents"])
    return sorted(p for p in (DEVSET / "archive").iterdir() if p.stem in wanted)


def run(out: Path, workers: int = 2, archive: bool = False) -> dict:
    """Extract the dev-set plans (or the archive's documents with a gold) into `out` and score them."""
    inputs = [str(p) for p in archive_inputs()] if archive else [str(DEVSET / "plans")]
    subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", *inputs, "--out", str(out),
                    "--workers", str(workers)], check=True, cwd=ROOT)
    return score(ARCHIVE_GOLD if archive else DEVSET / "gold.json", out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.evaluate", description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "outputs-devset",
                    help="output folder to write and score (beside outputs/, not in it: `make extract` "
                         "replaces outputs/ whole)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--verbose", action="store_true", help="also print what was missed and what was extra")
    ap.add_argument("--archive", action="store_true",
                    help="score the sixty archive documents of benchmarks/archive_gold instead of the dev plans "
                         "(output folder outputs-archive-gold unless --out is given)")
    a = ap.parse_args(argv)
    if a.archive and a.out == ROOT / "outputs-devset":
        a.out = ROOT / "outputs-archive-gold"
    if not (DEVSET / "gold.json").exists() or not SCORER.exists():
        print(f"no dev set at {DEVSET} (it lives in ../shared): nothing to evaluate")
        return 0
    report = run(a.out, a.workers, a.archive)
    print(f"{'document':<44} {'recall':>7} {'prec.':>7} {'agencies':>9} {'metadata':>9}")
    for doc_id, d in sorted(report["documents"].items()):
        meta = f"{sum(d['metadata'].values())}/{len(d['metadata'])}"
        rec = f"{d['recall']:.3f}" if d.get("gold", 1) else "-"  # no gold targets: no recall
        prec = f"{d['precision']:.3f}" if d.get("rows", 1) else "-"
        print(f"{doc_id[:44]:<44} {rec:>7} {prec:>7} {d['agencies']:>9} {meta:>9}")
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
