"""Own only what is ours: the output folder is marked as juesuan's, and a folder that is not is refused.

juesuan removes what its killed runs left behind in the output folder, so it must never take a
folder that holds someone else's files: `--out ~` would otherwise be a juesuan output. A folder is
accepted when it is new or empty (a `.gitkeep` aside), carries the marker `<out>/.juesuan`, or is
an output of a juesuan that predates the marker (it holds `documents.parquet`, `runs.parquet` or
`.cache/fragments`). The marker is written on first use; everything juesuan deletes there has a
name it chose (`.juesuan-tmp-*`, `snapshots/<id>.partial`, `.cache/juesuan-tmp`).
"""

from __future__ import annotations

from pathlib import Path

from etl.layout import MARKER

#: What an output written before the marker existed holds (any one of them).
OLD_OUTPUT_SIGNS = ("documents.parquet", "runs.parquet", ".cache/fragments")
#: Entries an empty output folder may hold (data/parquet ships with one).
HARMLESS = frozenset({".gitkeep"})
MARKER_TEXT = "This folder is a juesuan output (Parquet snapshots). juesuan may remove files it created here.\n"


def ownership_problem(out_dir: Path) -> str | None:
    """Why juesuan must not write into `out_dir`, or None if it may."""
    if not out_dir.is_dir() or is_juesuan_output(out_dir):
        return None
    if {entry.name for entry in out_dir.iterdir()} <= HARMLESS:
        return None
    return (f"--out {out_dir} is not empty and is not a juesuan output (no {MARKER} marker); "
            "juesuan removes files it left there, so it writes only into a new, empty or juesuan folder")


def is_juesuan_output(out_dir: Path) -> bool:
    return (out_dir / MARKER).is_file() or any((out_dir / sign).exists() for sign in OLD_OUTPUT_SIGNS)


def mark_output(out_dir: Path) -> None:
    """Write the marker if it is missing (first use of the folder)."""
    marker = out_dir / MARKER
    if not marker.is_file():
        marker.write_text(MARKER_TEXT, encoding="utf-8")
