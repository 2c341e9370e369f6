"""Archive scale: documents per second at 1 and 2 workers, peak memory, and the re-run's cost.

    python -m benchmarks.scale [--docs 500]

A generated archive: variations of the sample plans made at run time (another
province in the body, numbers and years shifted, every tenth one as a PDF
with a text layer, every twenty-fifth one sample 000's damaged text with its
numbers changed), so no two files are alike.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROVINCES = ["Nghệ An", "Hà Tĩnh", "Thanh Hóa", "Quảng Trị", "Lào Cai", "Yên Bái", "Sơn La", "Điện Biên",
             "Bắc Giang", "Nam Định", "Thái Bình", "Kiên Giang", "An Giang", "Cà Mau", "Đắk Lắk"]


def make_archive(folder: Path, n: int) -> None:
    from tests.fixtures import make_pdf

    clean = (ROOT / "corpus" / "003_5de3a5a80230590c.txt").read_text("utf-8")
    damaged = (ROOT / "corpus" / "000_cfea897aaf665822.txt").read_text("utf-8")
    rng = random.Random(2026)
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        base = damaged if k % 25 == 24 else clean
        text = base.replace("Quảng Bình", rng.choice(PROVINCES)).replace("90%", f"{rng.randint(80, 99)}%")
        text = text.replace("160.000", f"{rng.randint(100, 300)}.000") + f"\n(bản số {k})\n"
        if k % 10 == 9:
            make_pdf(text, folder / f"plan_{k:04d}.pdf")
        else:
            (folder / f"plan_{k:04d}.txt").write_text(text, encoding="utf-8")


def run(src: Path, out: Path, workers: int) -> tuple[float, int]:
    exe = Path(sys.executable).parent / "chitieu"
    t0 = time.time()
    subprocess.run([str(exe), "extract", str(src), "--out", str(out), "--workers", str(workers), "--quiet"],
                   check=True)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return time.time() - t0, peak_kb


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--dir", default="bench-results/scale")
    a = ap.parse_args(argv)
    base = Path(a.dir)
    src = base / "archive"
    if not src.exists():
        make_archive(src, a.docs)
    results = {}
    for w in (1, 2):
        out = base / f"out{w}"
        secs, peak = run(src, out, w)
        results[f"workers_{w}"] = dict(seconds=round(secs, 1), docs_per_second=round(a.docs / secs, 2),
                                       peak_rss_mb=round(peak / 1024))
        print(w, results[f"workers_{w}"], flush=True)
        if w == 2:
            again, _ = run(src, out, w)
            same = all((out / f).read_bytes() == (base / "out1" / f).read_bytes()
                       for f in ("commitments.csv", "documents.csv", "agencies.csv"))
            results["rerun"] = dict(seconds=round(again, 2), share_of_first=round(again / secs, 4),
                                    outputs_equal_to_1_worker=same)
            print("rerun", results["rerun"], flush=True)
    results["speedup_2_vs_1"] = round(results["workers_2"]["docs_per_second"] / results["workers_1"]["docs_per_second"], 2)
    print("speedup", results["speedup_2_vs_1"])
    (base / "scale.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
