"""Archive-scale behaviour: bad inputs, isolation, incremental re-runs, interrupted runs."""
import csv
import os
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_003, chitieu, make_pdf
from pipeline.pool import run_isolated

TEXT = SAMPLE_003.read_text("utf-8")


def read(out, name):
    with open(out / f"{name}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def zero_page_pdf() -> bytes:
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def encrypted_pdf(path: Path, password: str) -> None:
    from fpdf import FPDF

    from conftest import FONT

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Phấn đấu đến năm 2025, tỷ lệ bao phủ bảo hiểm y tế toàn dân đạt 98%.")
    pdf.output(str(path))


@pytest.fixture(scope="module")
def bad_archive(tmp_path_factory):
    from PIL import Image

    src = tmp_path_factory.mktemp("bad") / "in"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "random.pdf").write_bytes(os.urandom(4000))
    (src / "text.pdf").write_text("Kế hoạch số 1", encoding="utf-8")
    make_pdf(TEXT, src / "whole.pdf")
    data = (src / "whole.pdf").read_bytes()
    (src / "truncated.pdf").write_bytes(data[: len(data) // 3])
    (src / "zero.pdf").write_bytes(zero_page_pdf())
    encrypted_pdf(src / "locked.pdf", "mat-khau")
    # a small file that declares a huge image
    img = Image.new("L", (10, 10), 255)
    img.save(src / "huge.png")
    raw = bytearray((src / "huge.png").read_bytes())
    raw[16:24] = (60000).to_bytes(4, "big") + (60000).to_bytes(4, "big")
    raw[29:33] = zlib.crc32(bytes(raw[12:29])).to_bytes(4, "big")  # a valid header that lies
    (src / "huge.png").write_bytes(bytes(raw))
    (src / "english.txt").write_text("The committee shall publish the annual report on employment. " * 30,
                                     encoding="utf-8")
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    (src / "sub").mkdir()
    (src / "sub" / "copy.txt").write_text(TEXT, encoding="utf-8")
    out = src.parent / "out"
    res = chitieu("extract", str(src), "--out", str(out), "--quiet")
    return src, out, res


def test_bad_inputs_are_reported_and_the_batch_goes_on(bad_archive):
    src, out, res = bad_archive
    assert res.returncode == 3, res.stderr  # the dataset is written; some documents failed
    errors = {Path(e["path"]).name: e for e in read(out, "errors")}
    expected = {"empty.txt": "empty file", "random.pdf": "not a PDF", "text.pdf": "not a PDF",
                "truncated.pdf": "PDF", "zero.pdf": "no pages", "locked.pdf": "encrypted",
                "huge.png": "pixels", "english.txt": "not Vietnamese"}
    for name, words in expected.items():
        assert name in errors, name
        assert words in errors[name]["error"], (name, errors[name]["error"])
        assert "\n" not in errors[name]["error"]
    assert errors["english.txt"]["stage"] == "language"
    docs = {d["doc_id"]: d for d in read(out, "documents")}
    assert docs["plan"]["status"] == "ok" and int(docs["plan"]["n_commitments"]) >= 25
    assert docs["sub/copy"]["duplicate_of"] == "plan" and docs["sub/copy"]["n_commitments"] == "0"
    assert docs["locked"]["status"] == "error"


def test_retired_strict_is_accepted_and_the_exit_code_says_a_document_failed(bad_archive, tmp_path):
    src, _, _ = bad_archive
    res = chitieu("extract", str(src / "empty.txt"), "--out", str(tmp_path / "o"), "--strict", "--quiet")
    assert res.returncode == 3
    assert "--strict is retired" in res.stderr


def test_the_password_opens_an_encrypted_pdf(bad_archive, tmp_path):
    src, _, _ = bad_archive
    out = tmp_path / "o"
    res = chitieu("extract", str(src / "locked.pdf"), "--out", str(out), "--password", "mat-khau", "--quiet")
    assert res.returncode == 0
    assert [r["value"] for r in read(out, "commitments")] == ["98"]


def _hang(x):
    if x == "hang":
        time.sleep(60)
    if x == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    if x == "memory":
        bytearray(2 * 1024 ** 3)
    return x.upper()


def test_a_crash_a_hang_or_a_memory_blow_up_fails_one_document_only():
    got = {}
    run_isolated(_hang, ["a", "hang", "crash", "memory", "b"], workers=2, timeout=3,
                 on_result=lambda i, s, v: got.__setitem__(i, (s, v)), memory_mb=1024)
    assert got[0] == ("ok", "A") and got[4] == ("ok", "B")
    assert got[1][0] == "error" and "timed out" in got[1][1]
    assert got[2][0] == "error" and "crashed (SIGSEGV" in got[2][1]
    assert got[3][0] == "error" and "memory" in got[3][1]


def _allocate(mb):
    return len(bytearray(mb * 1024 ** 2)) // 1024 ** 2


def test_the_memory_limit_counts_what_a_worker_allocates_not_what_it_inherits():
    """A parent holding much address space (a model, or per-core reservations of BLAS and allocator
    threads on a many-core host) must not leave its workers without room: the limit is a growth."""
    import mmap

    # reserved read-only and private, never touched: address space, not memory (nor commit charge)
    held = mmap.mmap(-1, 3 * 1024 ** 3, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, prot=mmap.PROT_READ)
    got = {}
    try:
        run_isolated(_allocate, [200, 1500], workers=1, timeout=60,
                     on_result=lambda i, s, v: got.__setitem__(i, (s, v)), memory_mb=1024)
    finally:
        held.close()
    assert got[0] == ("ok", 200)
    assert got[1][0] == "error" and "memory" in got[1][1]


def test_a_hard_memory_limit_already_set_is_kept():
    """Under `ulimit -v`, a worker's limit may not be raised past the hard one (setrlimit would
    refuse and every document fail): it stays within it."""
    code = ("import resource; from pipeline.pool import inherited_address_space, limit_growth; "
            "hard = inherited_address_space() + 2 * 1024 ** 3; "
            "resource.setrlimit(resource.RLIMIT_AS, (hard, hard)); limit_growth(6144); "
            "print(resource.getrlimit(resource.RLIMIT_AS) == (hard, hard))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0 and res.stdout.strip() == "True", res.stderr


def _variants(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        (folder / f"plan_{k:02d}.txt").write_text(TEXT + f"\n{k}\n",
                                                  encoding="utf-8")


def test_rerun_is_incremental(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    _variants(src, 3)
    assert chitieu("extract", str(src), "--out", str(out), "--quiet").returncode == 0
    first = (out / "commitments.csv").read_bytes()
    cached = sorted((out / ".cache" / "documents").rglob("*.json"))
    stamps = [p.stat().st_mtime_ns for p in cached]
    assert len(cached) == 3
    assert chitieu("extract", str(src), "--out", str(out), "--quiet").returncode == 0
    assert (out / "commitments.csv").read_bytes() == first
    assert [p.stat().st_mtime_ns for p in cached] == stamps  # nothing recomputed
    (src / "plan_01.txt").write_text(TEXT.replace("90%", "91%"), encoding="utf-8")
    (src / "plan_02.txt").unlink()
    assert chitieu("extract", str(src), "--out", str(out), "--quiet").returncode == 0
    docs = [d["doc_id"] for d in read(out, "documents")]
    assert docs == ["plan_00", "plan_01"]
    assert "91" in [r["value"] for r in read(out, "commitments") if r["doc_id"] == "plan_01"]
    assert sorted(p.name for p in (out / "text").iterdir()) == ["plan_00.txt", "plan_01.txt"]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_run_leaves_the_previous_dataset_and_resumes(tmp_path, sig):
    src, out = tmp_path / "in", tmp_path / "out"
    _variants(src, 2)
    assert chitieu("extract", str(src), "--out", str(out), "--quiet").returncode == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts}
    _variants(src / "more", 12)
    exe = Path(sys.executable).parent / "chitieu"
    proc = subprocess.Popen([str(exe), "extract", str(src), "--out", str(out), "--quiet", "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    docs_cache = out / ".cache" / "documents"
    deadline = time.time() + 120
    while time.time() < deadline and len(list(docs_cache.rglob("*.json"))) < 3:
        time.sleep(0.05)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts
             and ".staging" not in p.parts}
    assert after == before
    cached = len(list(docs_cache.rglob("*.json")))
    assert cached >= 3
    assert chitieu("extract", str(src), "--out", str(out), "--quiet").returncode == 0
    assert not (out / ".staging").exists()
    assert len(read(out, "documents")) == 14
    assert len(list(docs_cache.rglob("*.json"))) == 14


def test_cluster_mode_runs_in_the_workers_and_matches_a_local_run(tmp_path):
    from distributed import LocalCluster

    from pipeline.run import run_batch
    from pipeline.settings import Settings

    src = tmp_path / "in"
    _variants(src, 3)
    local = tmp_path / "local"
    environ = dict(os.environ)
    run_batch([str(src)], local, Settings(cache_dir=tmp_path / "c1"), quiet=True)
    assert dict(os.environ) == environ  # the batch leaves the caller's environment as it was
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        from distributed import Client

        with Client(cluster) as client:
            worker_pids = set(client.run(os.getpid).values())
        summary = run_batch([str(src)], tmp_path / "cluster",
                            Settings(cache_dir=tmp_path / "c2", scheduler=cluster.scheduler_address), quiet=True)
    assert summary["worker_pids"] and set(summary["worker_pids"]) <= worker_pids
    assert os.getpid() not in summary["worker_pids"]
    for name in ("commitments.csv", "documents.csv", "agencies.csv", "pages.csv", "comparison.csv"):
        assert (tmp_path / "cluster" / name).read_bytes() == (local / name).read_bytes(), name
