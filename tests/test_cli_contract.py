"""The command-line contract (issue 13), each test running `chitieu` as a subprocess: nothing lost
by a typo, failures said plainly in one line, exit codes a script can trust."""
from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SAMPLE_003, chitieu, make_docx
from pipeline.errors import EXIT_DOCUMENTS, EXIT_INTERRUPTED, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE

EXE = Path(sys.executable).parent / "chitieu"
TEXT = SAMPLE_003.read_text("utf-8")


def read(out: Path, name: str) -> list[dict]:
    with open(out / f"{name}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def snapshot(folder: Path) -> dict:
    """Every file under the folder (the cache too) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def error_lines(res) -> list[str]:
    return [ln for ln in res.stderr.splitlines() if ln.strip()]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """An archive as a user has one: a plan as .txt and as .docx, a spreadsheet, a hidden file, a
    broken PDF and its byte copy, a damaged DOCX, and the output folder of an earlier run."""
    base = tmp_path_factory.mktemp("contract")
    src = base / "archive"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    earlier = base / "earlier"
    res = chitieu("extract", str(src), "-o", str(earlier), "--quiet")
    assert res.returncode == EXIT_OK, res.stderr
    shutil.copytree(earlier, src / "old-run")  # an earlier output filed inside the archive
    make_docx(TEXT, src / "plan-word.docx")
    (src / "figures.xlsx").write_bytes(b"PK\x03\x04 a spreadsheet")
    (src / ".~lock.plan.txt#").write_text("lock", encoding="utf-8")
    (src / "broken.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(3000))
    (src / "sub").mkdir()
    (src / "sub" / "broken-copy.pdf").write_bytes((src / "broken.pdf").read_bytes())
    (src / "damaged.docx").write_bytes(b"PK\x03\x04" + os.urandom(2000))
    out = base / "out"
    res = chitieu("extract", str(src), "-o", str(out), "--quiet", "-j", "2")
    return dict(src=src, out=out, res=res, earlier=earlier)


def test_a_failed_document_gives_exit_code_3_and_the_summary_names_it(archive):
    res, out = archive["res"], archive["out"]
    assert res.returncode == EXIT_DOCUMENTS, res.stderr
    lines = error_lines(res)
    assert lines[0].startswith("chitieu: 5 documents: 2 ok (1 duplicate of others), 3 failed; 3 files skipped;")
    failed = [ln for ln in lines if ln.startswith("  failed:")]
    assert len(failed) == 3 and any("damaged.docx (read): named .docx but is not a readable Word file" in ln
                                    for ln in failed)
    assert f"  all listed in {out / 'errors.csv'}" in lines
    assert "Traceback" not in res.stderr


def test_skipped_files_are_counted_named_and_listed_in_errors_csv(archive):
    res, out, src = archive["res"], archive["out"], archive["src"]
    skipped = {Path(e["path"]).name: e["error"] for e in read(out, "errors") if e["stage"] == "skipped"}
    assert skipped == {"figures.xlsx": "unsupported file type (.xlsx)", ".~lock.plan.txt#": "hidden file",
                       "old-run": "a chitieu output folder (run.json beside commitments.csv)"}
    assert f"  skipped: {src / 'figures.xlsx'}: unsupported file type (.xlsx)" in res.stderr.splitlines()


def test_an_earlier_output_folder_inside_the_input_is_not_read(archive):
    docs = {d["doc_id"] for d in read(archive["out"], "documents")}
    assert not any(d.startswith("old-run") for d in docs), docs
    assert docs == {"plan", "plan-word", "broken", "sub/broken-copy", "damaged"}  # 5 rows + the byte copy
    earlier = read(archive["earlier"], "commitments")
    assert len(read(archive["out"], "commitments")) == len(earlier) > 0  # not doubled by old-run/text


def test_a_duplicate_of_a_failed_file_fails_with_the_same_reason(archive):
    docs = {d["doc_id"]: d for d in read(archive["out"], "documents")}
    original, copy = docs["broken"], docs["sub/broken-copy"]
    assert original["status"] == copy["status"] == "error"
    assert copy["error"] == original["error"] != ""
    assert copy["duplicate_of"] == "broken"
    errors = {e["doc_id"]: e for e in read(archive["out"], "errors") if e["doc_id"]}
    assert errors["sub/broken-copy"]["error"] == errors["broken"]["error"]


def test_one_plan_as_txt_and_docx_is_counted_once(archive):
    docs = {d["doc_id"]: d for d in read(archive["out"], "documents")}
    txt, word = docs["plan"], docs["plan-word"]
    assert {txt["format"], word["format"]} == {"txt", "docx"}
    assert {txt["duplicate_of"], word["duplicate_of"]} == {"", "plan"} or \
        {txt["duplicate_of"], word["duplicate_of"]} == {"", "plan-word"}
    copy = txt if txt["duplicate_of"] else word
    assert copy["n_commitments"] == "0" and copy["status"] == "ok"
    rows = read(archive["out"], "commitments")
    assert {r["doc_id"] for r in rows} == {"plan", "plan-word"} - {copy["doc_id"]}
    assert "same text:" in archive["res"].stderr


def test_a_mistyped_path_changes_nothing(archive, tmp_path):
    out = tmp_path / "ds"
    shutil.copytree(archive["out"], out)
    before = snapshot(out)
    typo = str(archive["src"])[:-1]  # one letter missing
    for args in ([typo], [str(archive["src"] / "plan.txt"), typo]):
        t = time.monotonic()
        res = chitieu("extract", *args, "-o", str(out))
        assert res.returncode == EXIT_USAGE, res.stderr
        assert error_lines(res) == [f"chitieu: error: input not found: {typo}"]
        assert time.monotonic() - t < 2
        assert snapshot(out) == before


def test_nothing_to_read_does_not_replace_a_dataset_unless_forced(archive, tmp_path):
    out, empty = tmp_path / "ds", tmp_path / "empty"
    shutil.copytree(archive["out"], out)
    empty.mkdir()
    before = snapshot(out)
    res = chitieu("extract", str(empty), "-o", str(out))
    assert res.returncode == EXIT_USAGE
    assert len(error_lines(res)) == 1 and "left as it was" in res.stderr
    assert snapshot(out) == before
    res = chitieu("extract", str(empty), "-o", str(out), "--force", "--quiet")
    assert res.returncode == EXIT_OK, res.stderr
    assert read(out, "commitments") == [] and read(out, "documents") == []


def test_out_that_is_a_file_fails_at_once(archive, tmp_path):
    target = tmp_path / "a-file"
    target.write_text("keep me", encoding="utf-8")
    t = time.monotonic()
    res = chitieu("extract", str(archive["src"]), "-o", str(target))
    assert time.monotonic() - t < 2
    assert res.returncode == EXIT_OUTPUT
    assert error_lines(res) == [f"chitieu: error: --out {target} is a file, not a folder"]
    assert target.read_text(encoding="utf-8") == "keep me"


def _read_only(folder: Path) -> None:
    """No new entries in the folder, for whoever runs the tests: root ignores permission bits, so
    for root the folder is made immutable (`chattr +i`, undone by the test)."""
    os.chmod(folder, 0o555)
    if os.geteuid() == 0:
        res = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
        if res.returncode != 0:
            pytest.skip(f"running as root, and this file system cannot make a folder read-only: {res.stderr}")


def test_out_in_a_read_only_folder_fails_at_once(tmp_path):
    src, locked = tmp_path / "in", tmp_path / "locked"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    locked.mkdir()
    _read_only(locked)
    try:
        t = time.monotonic()
        res = chitieu("extract", str(src), "-o", str(locked / "ds"))
        assert time.monotonic() - t < 2
        assert res.returncode == EXIT_OUTPUT, res.stderr
        lines = error_lines(res)
        assert len(lines) == 1 and lines[0].startswith(f"chitieu: error: cannot write to --out {locked / 'ds'}: ")
        assert list(locked.iterdir()) == []
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(locked)], check=True)
        os.chmod(locked, 0o755)


def test_a_bad_model_is_an_argument_error(archive, tmp_path):
    not_a_model = tmp_path / "not-a-model"
    not_a_model.mkdir()
    (not_a_model / "restore.npz").write_bytes(b"not numpy")
    cases = {tmp_path / "modles": "no such folder", tmp_path: "no restore.npz in it",
             not_a_model: "restore.npz is not a model"}
    out = tmp_path / "o"
    for model, words in cases.items():
        t = time.monotonic()
        res = chitieu("extract", str(archive["src"]), "-o", str(out), "--model", str(model))
        assert time.monotonic() - t < 2
        assert res.returncode == EXIT_USAGE
        lines = error_lines(res)
        assert len(lines) == 1 and lines[0].startswith("chitieu: error: --model") and words in lines[0], lines
        assert not out.exists()


def test_help_documents_the_exit_codes_and_ends_with_examples():
    for args in (("--help",), ("extract", "--help")):
        res = chitieu(*args)
        assert res.returncode == 0
        assert "exit codes:" in res.stdout and "130" in res.stdout
    for args in (("--help",), ("extract", "--help"), ("normalize", "--help"), ("compare", "--help"),
                 ("model", "build", "--help"), ("model", "adapt", "--help")):
        last = chitieu(*args).stdout.rstrip().rsplit("\n\n", 1)[1]  # the help's last block
        assert last.startswith("examples:") and last.count("\n  chitieu ") >= 2, args


def test_verbose_shows_the_module_loggers(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    res = chitieu("extract", str(src), "-o", str(tmp_path / "o"), "-v", "--quiet")
    assert res.returncode == EXIT_DOCUMENTS
    assert "chitieu: pipeline.discover: 1 input files" in res.stderr
    quiet = chitieu("extract", str(src), "-o", str(tmp_path / "o2"), "--quiet")
    assert "pipeline.discover" not in quiet.stderr


def test_sigint_mid_run_stops_cleanly(tmp_path):
    from scans import image_pdf, render_pages

    src, out, tmp = tmp_path / "in", tmp_path / "out", tmp_path / "tmp"
    src.mkdir()
    tmp.mkdir()
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    assert chitieu("extract", str(src), "-o", str(out), "--quiet").returncode == EXIT_OK
    before = snapshot(out)
    image_pdf(render_pages(TEXT), src / "scan.pdf")
    env = dict(os.environ, TMPDIR=str(tmp))
    # started as from a terminal: with SIGINT at its default, whatever the runner of the tests set (a
    # shell's background job, or GNU time, ignores SIGINT, and a child inherits that)
    proc = subprocess.Popen([str(EXE), "extract", str(src), "-o", str(out), "--quiet"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 120
    while time.time() < deadline and not any(p.suffix == ".tif" for p in tmp.rglob("*")):
        time.sleep(0.05)  # OCR under way: a page image in the run's temporary folder
    assert any(p.suffix == ".tif" for p in tmp.rglob("*")), "OCR never started"
    os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C in a terminal: the whole foreground group
    t = time.monotonic()
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - t < 5
    assert proc.returncode == EXIT_INTERRUPTED
    assert [ln for ln in err.splitlines() if ln.strip()] == [f"chitieu: interrupted; the dataset in {out} is as it was"]
    after = {k: v for k, v in snapshot(out).items() if not k.startswith(".cache/")}
    assert after == {k: v for k, v in before.items() if not k.startswith(".cache/")}
    assert list(tmp.iterdir()) == []  # no page image, no run folder left behind


def test_near_duplicates_need_another_format_and_agreeing_figures():
    from pipeline.dedupe import Text, near_duplicates

    plan = " ".join(f"Đến năm 2030 xã số {k} có trạm y tế đạt chuẩn, trường học được kiên cố hóa và "
                    f"đường giao thông nông thôn được cứng hóa." for k in range(12))
    other = " ".join(f"Năm tới huyện số {k} hoàn thành chợ đầu mối, bến xe khách và hệ thống thoát nước "
                     f"đô thị." for k in range(12))
    facts = ("Tỉnh A", "12/KH-UBND", "2024-05-02")

    def text(key, kind, body, figures=(("95", "%"),), where=facts):
        return Text(key=key, kind=kind, rank=(key,), text=body, facts=where, figures=frozenset(figures))

    found = near_duplicates([text("a", "txt", plan), text("b", "docx", plan + " Phụ lục kèm theo.")])
    assert list(found) == ["b"] and found["b"][0] == "a" and 0.82 <= found["b"][1] < 1
    assert near_duplicates([text("a", "txt", plan), text("b", "txt", plan)]) == {}  # one format: two documents
    assert near_duplicates([text("a", "txt", plan), text("b", "docx", plan, figures=[("90", "%")])]) == {}
    assert near_duplicates([text("a", "txt", plan), text("b", "docx", plan, where=("Tỉnh B", "", ""))]) == {}
    assert near_duplicates([text("a", "txt", plan), text("b", "docx", other)]) == {}
    half = plan[: len(plan) // 2] + " " + other[len(other) // 2:]
    assert near_duplicates([text("a", "txt", plan), text("b", "docx", half)]) == {}
