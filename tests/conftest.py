"""Session fixtures: the pipeline runs once per input set, and tests read its outputs."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ACCEPTANCE = ROOT / "tests" / "acceptance"
GOLD = ACCEPTANCE / "seed_targets.json"
SAMPLE_003 = CORPUS / "003_5de3a5a80230590c.txt"

sys.path.insert(0, str(Path(__file__).parent))

from fixtures import FONT, lines_pdf, make_docx, make_pdf  # noqa: E402  (re-exported: tests import them from here)


def chitieu(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "chitieu"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=600)


def score(out: Path, docs: str | None = None) -> dict:
    cmd = [sys.executable, str(ACCEPTANCE / "score.py"), str(GOLD), str(out), "--json"]
    if docs:
        cmd += ["--docs", docs]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


def extract_run(src: Path, tmp_path_factory, name: str) -> Path:
    """`chitieu extract SRC` into a fresh folder; the output folder (the run must succeed)."""
    out = tmp_path_factory.mktemp(name) / "outputs"
    res = chitieu("extract", str(src), "--out", str(out), "--quiet")
    assert res.returncode == 0, res.stderr
    return out


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory) -> Path:
    return extract_run(CORPUS, tmp_path_factory, "run")


@pytest.fixture(scope="session")
def variant_runs(tmp_path_factory) -> dict[str, Path]:
    """Sample 003 as a PDF with a text layer and as a DOCX, each run through the CLI."""
    text = SAMPLE_003.read_text(encoding="utf-8")
    outs = {}
    for kind, maker in (("pdf", make_pdf), ("docx", make_docx)):
        base = tmp_path_factory.mktemp(kind)
        src = base / "in"
        src.mkdir()
        maker(text, src / f"003_5de3a5a80230590c.{kind}")
        out = base / "outputs"
        res = chitieu("extract", str(src), "--out", str(out), "--quiet")
        assert res.returncode == 0, res.stderr
        outs[kind] = out
    return outs
