"""The run record of an export: which juesuan, parser, page source, inputs (file + sha256), snapshot,
time and options made these files. Written as run_record.json beside them and as a section of
codebook.md, so a table handed on says where its numbers come from.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

RECORD_FILE = "run_record.json"


def snapshot_id(parquet_dir: Path) -> str | None:
    """The id of the snapshot the export read (None: a folder not written as snapshots)."""
    from etl.layout import SNAPSHOT_ID, resolve_snapshot

    name = resolve_snapshot(parquet_dir).name
    return name if SNAPSHOT_ID.match(name) else None


def _counts(con, column: str) -> dict[str, int]:
    rows = con.execute(f"SELECT coalesce({column}, '(none)') AS v, count(*) FROM documents GROUP BY v "
                       "ORDER BY v").fetchall()
    return {v: n for v, n in rows}


def run_record(con, parquet_dir: str | os.PathLike, options: dict, rows: dict[str, int],
               exported_at: dt.datetime) -> dict:
    """The record as a JSON-ready dict; inputs are every document of the snapshot, sorted by file."""
    from etl import __version__

    inputs = con.execute("SELECT source_file, sha256, doc_id, status FROM documents "
                         "ORDER BY source_file, report_part, doc_id").fetchall()
    return {
        "juesuan_version": __version__,
        "exported_at": exported_at.isoformat(timespec="seconds"),
        "parquet": str(parquet_dir),
        "snapshot": snapshot_id(Path(parquet_dir)),
        "options": options,
        "parser_versions": _counts(con, "parser_version"),
        "page_sources": _counts(con, "page_source"),
        "documents": len(inputs),
        "rows": dict(rows),
        "inputs": [{"file": f, "sha256": s, "doc_id": d, "status": st} for f, s, d, st in inputs],
    }


def record_markdown(record: dict) -> str:
    """The human-readable section of codebook.md (file names escaped: they come from the folder)."""
    from etl.textsafety import markdown_text

    def counts(d: dict) -> str:
        return "; ".join(f"{markdown_text(k)} ({n})" for k, n in d.items()) or "—"

    opts = ", ".join(f"{k} = {markdown_text(v)}" for k, v in record["options"].items())
    lines = [
        "## 运行记录 / Run record",
        "",
        f"Also in `{RECORD_FILE}` beside these files.",
        "",
        f"- juesuan: {markdown_text(record['juesuan_version'])}",
        f"- 导出时间 / exported at (UTC): {record['exported_at']}",
        f"- 数据快照 / snapshot: {markdown_text(record['snapshot'] or '(not a snapshot folder)')}",
        f"- 解析器版本 / parser version(s): {counts(record['parser_versions'])}",
        f"- 文字层读取 / page source: {counts(record['page_sources'])}",
        f"- 选项 / options: {opts}",
        f"- 输入文件 / inputs: {record['documents']} documents",
        "",
        "| # | 文件 / file | sha256 | 状态 / status |",
        "|---|---|---|---|",
    ]
    lines += [f"| {i} | {markdown_text(r['file'])} | {markdown_text(r['sha256'])} | {markdown_text(r['status'])} |"
              for i, r in enumerate(record["inputs"], 1)]
    return "\n".join(lines) + "\n"
