"""Near-duplicate threshold: shingle similarity of one plan in two formats vs distinct plans.

    python -m benchmarks.duplicates [--devset ../shared/devset]

Distinct documents: every pair of the dev set's plans and archive (normalised text). The same plan
in two formats: each DOCX of the dev set and the PDF LibreOffice prints from it, and each plan .txt
re-made as a .docx and printed to PDF the same way. `pipeline.dedupe.THRESHOLD` must sit between
the highest distinct pair and the lowest same-plan pair.
"""
from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def normalised(path: Path) -> str:
    from pipeline.ingest import ingest
    from pipeline.normalise import normalise
    from pipeline.record import Document

    return normalise(ingest(Document(path=str(path), doc_id=path.stem))).text


def main(argv=None) -> int:
    from tests.fixtures import make_docx

    from pipeline.dedupe import THRESHOLD, jaccard, shingles

    ap = argparse.ArgumentParser()
    ap.add_argument("--devset", default=str(ROOT.parent / "shared" / "devset"))
    a = ap.parse_args(argv)
    dev = Path(a.devset)
    if not dev.exists():
        print(f"no dev set at {dev}", file=sys.stderr)
        return 1
    files = sorted(f for d in ("plans", "archive") for f in (dev / d).iterdir())
    texts = {f.relative_to(dev).as_posix(): normalised(f) for f in files}
    sets = {k: shingles(t) for k, t in texts.items()}
    distinct = sorted(((jaccard(sets[x], sets[y]), x, y) for x, y in itertools.combinations(sets, 2)), reverse=True)
    print(f"distinct pairs: {len(distinct)}; the most similar:")
    for s, x, y in distinct[:5]:
        print(f"  {s:.3f}  {x} ~ {y}")
    same = []
    with tempfile.TemporaryDirectory(prefix="chitieu-dup-") as tmp:
        for f in files:
            if f.suffix not in (".docx", ".txt") or (f.suffix == ".txt" and f.parent.name != "plans"):
                continue
            word = f
            if f.suffix == ".txt":
                word = Path(tmp) / f"{f.stem}.docx"
                make_docx(texts[f.relative_to(dev).as_posix()], word)
            subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                            "--convert-to", "pdf", "--outdir", tmp, str(word)], capture_output=True, check=True)
            pdf = normalised(Path(tmp) / f"{f.stem}.pdf")
            same.append((jaccard(sets[f.relative_to(dev).as_posix()], shingles(pdf)), f.name))
    same.sort()
    print(f"the same plan as Word and as its PDF: {len(same)}; the least similar:")
    for s, name in same[:5]:
        print(f"  {s:.3f}  {name}")
    ok = distinct[0][0] < THRESHOLD <= same[0][0]
    print(f"threshold {THRESHOLD}: {'between' if ok else 'NOT between'} {distinct[0][0]:.3f} and {same[0][0]:.3f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
