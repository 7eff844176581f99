"""Score one document of an ETL output against a ground-truth JSON with ../shared/tools/score_fidelity.py.

The scorer matches documents by sha256 and takes the first, so a file holding several reports (or a
truth written for another file) is scored through a copy of the output holding that doc_id's rows
only, and a copy of the truth naming the sha256 the document was read from.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq


def only_document(out: Path, doc_id: str, dest: Path) -> Path:
    """A copy of every `<table>.parquet` of `out` keeping the rows of `doc_id` only."""
    dest.mkdir(parents=True, exist_ok=True)
    for path in out.glob("*.parquet"):
        table = pq.read_table(path)
        if "doc_id" in table.column_names:
            table = table.filter(pc.equal(table.column("doc_id"), doc_id))
        pq.write_table(table, dest / path.name)
    return dest


def truth_for(truth_file: Path, sha256: str, dest: Path) -> Path:
    """A folder holding the truth JSON with its sha256 replaced by the file the document came from."""
    dest.mkdir(parents=True, exist_ok=True)
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    truth["sha256"] = sha256
    (dest / truth_file.name).write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return dest


def score(shared: Path, parquet: Path, truth: Path, minimum: float = 1.0) -> subprocess.CompletedProcess:
    """Run the scorer with `--min`; its return code is 0 when the ratio reaches `minimum`."""
    return subprocess.run([sys.executable, str(shared / "tools" / "score_fidelity.py"), "--parquet", str(parquet),
                           "--truth", str(truth), "--min", str(minimum)], capture_output=True, text=True,
                          timeout=300)


def score_document(shared: Path, out: Path, doc_id: str, sha256: str, truth_file: Path, work: Path
                   ) -> subprocess.CompletedProcess:
    """Score the rows of `doc_id` in `out` against `truth_file` as if it described the file `sha256`."""
    parquet = only_document(out, doc_id, work / "parquet")
    return score(shared, parquet, truth_for(truth_file, sha256, work / "truth"))
