"""The folders of etl/ are its layers, and imports only go down them: page sources → parsing → batch →
reports (with the analysis, the sample generator and the shared contracts beside them), with no import
circle anywhere. A change to one layer then never reaches into a layer below it. etl/textsafety.py, the
one escaping path for untrusted text, is a shared module: whatever writes HTML, spreadsheets or terminal
lines may import it; so is etl/layout.py, the output folder's snapshots and pointer, for whatever reads or
writes the output; and etl/portable.py, what differs between Linux, macOS and Windows, for the batch."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ETL = Path(__file__).resolve().parents[1] / "etl"

#: layer -> the layers (and shared top-level modules) it may import
ALLOWED = {
    "pagesource": {"pagesource", "normalise", "document"},
    "parsing": {"parsing", "pagesource", "normalise", "document", "schema"},
    "batch": {"batch", "parsing", "pagesource", "normalise", "document", "schema", "textsafety", "layout",
              "portable"},
    "analysis": {"analysis", "schema", "textsafety", "layout"},
    "reports": {"reports", "analysis", "batch", "parsing", "normalise", "schema", "textsafety", "layout"},
    "sample": {"sample", "normalise"},
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in ETL.rglob("*.py"):
        parts = path.relative_to(ETL.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """etl modules imported by `path`, at any depth (function-level imports included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("etl"):
            candidates = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            candidates = [a.name for a in node.names if a.name.startswith("etl")]
        else:
            continue
        found |= {c for c in candidates if c in modules}
    return found


def _layer(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "etl"


def test_every_layer_imports_only_the_layers_below_it():
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        layer = _layer(name)
        if layer not in ALLOWED:
            continue
        for target in _imports(path, modules):
            if _layer(target) not in ALLOWED[layer] and target != "etl":
                wrong.append(f"{name} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_circle():
    modules = _modules()
    graph = defaultdict(set)
    for name, path in modules.items():
        graph[name] = {t for t in _imports(path, modules) if t != name and t != "etl"}
    circles = []

    def visit(node: str, stack: list[str], done: set[str]) -> None:
        for nxt in graph[node]:
            if nxt in stack:
                circles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in done:
                done.add(nxt)
                visit(nxt, stack + [nxt], done)

    for start in graph:
        visit(start, [start], {start})
    assert not circles, "\n".join(sorted(set(circles))[:20])


def test_the_layers_are_folders():
    assert {p.name for p in ETL.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(ALLOWED)
