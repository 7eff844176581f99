"""A stand-in parser for tests of the batch machinery (not of parsing).

Its behaviour is chosen by a marker line in the file: `%SLEEP` hangs, `%CRASH` kills its own
worker, `%RAISE` raises a bug, `%DOCERR` raises DocumentError, `%BUDGET` is a budget document,
`%BADCOL` returns a column etl.schema does not declare; the transient faults `%KILL<n>` (the worker kills
itself), `%ABORT<n>` (it aborts, SIGABRT, as native code does when an allocation fails), `%MEM<n>` (it
allocates past a small --max-memory) and `%MOVE<n>` (the file is moved into `moved/`
while parsed) strike on the first n calls for that file only, then it parses. Every call is logged (one file name per
line) to `calls.log` beside the folder named `raw` the PDF is in, so tests can count parse calls
across worker processes (which do not see a test's environment: they fork from a server).
"""

from __future__ import annotations

import os
import signal
import time
from decimal import Decimal
from pathlib import Path

from etl.document import DocumentError, ParsedDocument


def fake_pdf(path: Path, marker: str = "", salt: str = "") -> Path:
    """Bytes that pass the batch's %PDF- sniffing; `salt` makes the sha256 differ."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(f"%PDF-1.4\n%{marker}\n%{salt or path.name}\n%%EOF\n".encode())
    return path


def calls(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def fake_parse(path: Path, doc_id: str) -> ParsedDocument:
    earlier = _log_call(path)
    data = path.read_bytes()
    _transient_faults(path, data, earlier)
    if b"%SLEEP" in data:
        time.sleep(600)
    if b"%CRASH" in data:
        os.kill(os.getpid(), signal.SIGKILL)
    if b"%RAISE" in data:
        raise ZeroDivisionError("a parser bug")
    if b"%DOCERR" in data:
        raise DocumentError("encrypted: a password is needed to open this PDF")
    kind = "budget" if b"%BUDGET" in data else "final_accounts"
    return ParsedDocument(_document(doc_id, kind), _rows(doc_id, bad_column=b"%BADCOL" in data))


def run_fake(raw: Path, out: Path, **options):
    """run_batch over `raw` with fake_parse, no progress bar, 2 jobs and a 30 s limit unless given."""
    from etl.batch.pipeline import BatchOptions, run_batch  # here: workers import this module to find fake_parse

    options = {"jobs": 2, "timeout": 30, **options}
    return run_batch(BatchOptions(raw, out, progress=False, **options), parser=fake_parse)


def documents(out: Path) -> dict[str, dict]:
    """The documents rows of an output folder, by source_file."""
    import pyarrow.parquet as pq

    return {row["source_file"]: row for row in pq.read_table(out / "documents.parquet").to_pylist()}


def calls_log(raw: Path) -> Path:
    return raw.parent / "calls.log"


def _log_call(path: Path) -> int:
    """Log the call; return how many earlier calls there were for this file name."""
    raw = next((p for p in path.parents if p.name == "raw"), None)
    if raw is None:
        return 0
    earlier = calls(calls_log(raw)).count(path.name)
    with open(calls_log(raw), "a", encoding="utf-8") as fh:
        fh.write(path.name + "\n")
    return earlier


def _strikes(data: bytes, marker: bytes) -> int:
    """n of a `%<marker><n>` line (0 without one)."""
    at = data.find(b"%" + marker)
    if at < 0:
        return 0
    digits = data[at + len(marker) + 1:].split(b"\n", 1)[0]
    return int(digits) if digits.isdigit() else 0


def _transient_faults(path: Path, data: bytes, earlier: int) -> None:
    if earlier < _strikes(data, b"KILL"):
        os.kill(os.getpid(), signal.SIGKILL)
    if earlier < _strikes(data, b"ABORT"):
        os.abort()
    if earlier < _strikes(data, b"MEM"):
        hoard = []
        for _ in range(8):  # 256 MiB in steps the watchdog sees grow, each touched (b"x" * n writes its pages)
            hoard.append(b"x" * (32 << 20))
            time.sleep(0.02)
        time.sleep(30)  # the watchdog stops the worker long before
    if earlier < _strikes(data, b"MOVE"):
        (path.parent / "moved").mkdir(exist_ok=True)
        path.rename(path.parent / "moved" / path.name)


def _document(doc_id: str, kind: str) -> dict:
    return {
        "doc_id": doc_id, "region": "广州市天河区", "department": "广州市天河区财政局",
        "department_type": "财政局", "year": 2017, "doc_kind": kind, "unit": "万元", "layout": "joined",
        "pages": 3, "status": "ok", "error": None, "metadata_source": "document",
    }


def _rows(doc_id: str, bad_column: bool) -> dict[str, list[dict]]:
    summary = {"doc_id": doc_id, "side": "income", "item": "income_total",
               "label": "本年收入合计", "amount": Decimal("1234.5"), "page": 2}
    if bad_column:
        summary["colour"] = "red"
    return {
        "summary_items": [summary],
        "tables_found": [{"doc_id": doc_id, "table_key": "income_expenditure_summary", "first_page": 2,
                          "last_page": 2, "title": "收入支出决算总表", "rows": 1, "empty": False}],
        "checks": [
            {"doc_id": doc_id, "check_id": "summary_balances", "status": "pass", "detail": None},
            {"doc_id": doc_id, "check_id": "classes_sum", "status": "fail", "detail": "off by 0.05"},
        ],
    }
