"""The package layers hold: no import cycles, a run never loads the model-building package, and
nothing but the command-line entry point writes the process environment."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pipeline", "extractors")


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of the project that `name` imports anywhere in its source (functions included: a
    deferred import is still a dependency)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for t in targets:
            if t in known and t != name:
                found.add(t)
    return found


def test_no_import_cycle_between_modules():
    mods = _modules()
    graph = {m: _imports(m, p, set(mods)) for m, p in mods.items()}
    # a package's __init__ importing its own children is not a cycle of layers
    graph = {m: {d for d in deps if not d.startswith(m + ".")} for m, deps in graph.items()}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                cycles.append(stack[stack.index(d):] + [d])
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_extractors_do_not_import_the_pipeline():
    mods = _modules()
    bad = {m: sorted(d for d in _imports(m, p, set(mods)) if d.startswith("pipeline"))
           for m, p in mods.items() if m.startswith("extractors")}
    assert not {m: d for m, d in bad.items() if d}


def test_a_run_never_imports_the_model_building_package(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "plan.txt").write_text(
        "KẾ HOẠCH\nPhấn đấu đến năm 2030, tỷ lệ hộ nghèo giảm xuống dưới 2%.\n"
        "Chi tiet: phan dau den nam 2030 ty le tre em di hoc dat 99%.\n", encoding="utf-8")
    code = ("import sys\nfrom pipeline.cli import main\n"
            f"rc = main(['extract', {str(tmp_path / 'in')!r}, '-o', {str(tmp_path / 'out')!r}, '--quiet', '-j', '1'])\n"
            "print(rc, sorted(m for m in sys.modules if m.startswith('pipeline.vietnamese.training')))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "0 []"


def test_only_the_entry_point_writes_the_environment():
    writers = []
    for m, path in _modules().items():
        if m == "pipeline.cli":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            target = None
            if isinstance(node, (ast.Assign, ast.AugAssign)):
                tgts = node.targets if isinstance(node, ast.Assign) else [node.target]
                target = next((t for t in tgts if isinstance(t, ast.Subscript)
                               and ast.unparse(t.value) == "os.environ"), None)
            elif isinstance(node, ast.Call):
                fn = ast.unparse(node.func)
                if fn in ("os.environ.update", "os.environ.setdefault", "os.environ.pop", "os.putenv",
                          "os.unsetenv"):
                    target = node
            if target is not None:
                writers.append(f"{m}:{node.lineno}")
    assert not writers, writers
