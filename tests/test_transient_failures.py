"""Transient failures are not results: a killed worker, the memory ceiling, a file moved while it was read are
tried once more in a fresh worker within the run, and again on later runs; the document's own failures are not.
(etl.batch.retry; the faults are batch_fakes' `%KILL<n>`, `%ABORT<n>`, `%MEM<n>`, `%MOVE<n>`.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batch_fakes import calls, calls_log, documents, fake_pdf, run_fake

from etl.batch import pipeline
from etl.batch.fragments import FragmentStore
from etl.batch.limits import memory_limit_message
from etl.batch.pipeline import BatchResult
from etl.batch.retry import FILE_CHANGED, MEMORY, RECORD_FILE, RUNS_RETRIED, TIMEOUT, WORKER_DIED, RetryRecord


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(pipeline, "parser_version", lambda: "test+1")
    return calls_log(tmp_path / "raw")


def run(raw: Path, out: Path, **options) -> BatchResult:
    return run_fake(raw, out, **{"timeout": 60, **options})


def retry_records(out: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text()) for p in (out / ".cache/fragments").rglob(RECORD_FILE)}


def test_a_killed_worker_is_retried_at_once_in_a_fresh_worker(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "killed.pdf", "KILL1")
    fake_pdf(raw / "good.pdf")
    result = run(raw, out)
    assert documents(out)["killed.pdf"]["status"] == "ok"
    assert calls(log).count("killed.pdf") == 2 and result.totals.failed == 0
    assert retry_records(out) == {}


def test_a_worker_killed_twice_fails_and_is_retried_on_the_next_run(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "killed.pdf", "KILL2")
    run(raw, out)
    row = documents(out)["killed.pdf"]
    assert row["status"] == "failed" and "killed by SIGKILL" in row["error"]
    assert [r["kind"] for r in retry_records(out).values()] == [WORKER_DIED]
    result = run(raw, out)
    assert result.parsed == 1 and documents(out)["killed.pdf"]["status"] == "ok"
    assert calls(log).count("killed.pdf") == 3 and retry_records(out) == {}
    assert run(raw, out).parsed == 0


def test_a_memory_stop_is_retried_in_a_fresh_worker(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "hungry.pdf", "MEM1")
    fake_pdf(raw / "bomb.pdf", "MEM2")
    run(raw, out, jobs=1, max_memory_mb=100)
    docs = documents(out)
    assert docs["hungry.pdf"]["status"] == "ok" and calls(log).count("hungry.pdf") == 2
    assert docs["bomb.pdf"]["status"] == "failed"
    assert docs["bomb.pdf"]["error"].startswith("memory limit exceeded (--max-memory 100 MB per worker)")
    assert list(retry_records(out).values()) == [{"kind": MEMORY, "runs": 1, "limit": 100}]
    assert run(raw, out, jobs=1, max_memory_mb=100).parsed == 1
    assert documents(out)["bomb.pdf"]["status"] == "ok"


def test_a_native_abort_under_the_memory_ceiling_is_the_memory_limit(tmp_path: Path, log: Path) -> None:
    # PDFium calls abort() when an allocation fails at the RLIMIT_AS backstop (a decompression bomb): the worker
    # dies of SIGABRT instead of raising MemoryError, and must be reported and retried as the ceiling, not a crash
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "aborts-once.pdf", "ABORT1")
    fake_pdf(raw / "bomb.pdf", "ABORT2")
    run(raw, out, jobs=1, max_memory_mb=100)
    docs = documents(out)
    assert docs["aborts-once.pdf"]["status"] == "ok" and calls(log).count("aborts-once.pdf") == 2
    assert docs["bomb.pdf"]["status"] == "failed"
    assert docs["bomb.pdf"]["error"] == memory_limit_message(100)  # the message a MemoryError or the watchdog gives
    assert list(retry_records(out).values()) == [{"kind": MEMORY, "runs": 1, "limit": 100}]


def test_a_native_abort_without_a_memory_ceiling_is_a_crash(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "bomb.pdf", "ABORT2")
    run(raw, out, jobs=1, max_memory_mb=None)
    row = documents(out)["bomb.pdf"]
    assert row["status"] == "failed" and row["error"] == "worker process died while parsing (killed by SIGABRT)"
    assert [r["kind"] for r in retry_records(out).values()] == [WORKER_DIED]


def test_a_file_moved_while_read_is_parsed_where_it_is_on_the_next_run(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "2020/教育局-2020.pdf", "MOVE1")
    run(raw, out)
    row = documents(out)["2020/教育局-2020.pdf"]
    assert row["status"] == "failed" and row["error"].startswith("file disappeared while being parsed")
    assert calls(log) == ["教育局-2020.pdf"]  # not retried in the run: the file is not where it was
    assert [r["kind"] for r in retry_records(out).values()] == [FILE_CHANGED]
    result = run(raw, out)
    assert result.parsed == 1 and documents(out)["2020/moved/教育局-2020.pdf"]["status"] == "ok"
    assert documents(out)["2020/moved/教育局-2020.pdf"]["doc_id"] == row["doc_id"]


def test_the_document_s_own_failures_are_not_retried(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "locked.pdf", "DOCERR")
    fake_pdf(raw / "bug.pdf", "RAISE")
    run(raw, out)
    assert run(raw, out).parsed == 0
    assert sorted(calls(log)) == ["bug.pdf", "locked.pdf"] and retry_records(out) == {}


def test_a_worker_that_always_dies_is_given_up_after_its_runs(tmp_path: Path, log: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "crash.pdf", "CRASH")
    runs = RUNS_RETRIED[WORKER_DIED]
    for _ in range(runs):
        assert run(raw, out, jobs=1).parsed == 1
    assert calls(log).count("crash.pdf") == 2 * runs  # each run: the parse and its retry in a fresh worker
    assert run(raw, out, jobs=1).parsed == 0
    assert run(raw, out, jobs=1, force=True).parsed == 1


def test_the_retry_rule() -> None:
    assert RetryRecord(TIMEOUT, 1, 120.0).due(120.0, 2048) is False
    assert RetryRecord(TIMEOUT, 1, 120.0).due(180.0, 2048) is True
    assert RetryRecord(MEMORY, 1, 2048).due(120.0, 2048) is True
    assert RetryRecord(MEMORY, RUNS_RETRIED[MEMORY], 2048).due(120.0, 2048) is False
    assert RetryRecord(MEMORY, RUNS_RETRIED[MEMORY], 2048).due(120.0, 4096) is True
    assert RetryRecord(MEMORY, RUNS_RETRIED[MEMORY], 2048).due(120.0, None) is True
    assert RetryRecord(WORKER_DIED, RUNS_RETRIED[WORKER_DIED]).due(1e9, None) is False


def test_a_cache_of_timeouts_json_is_migrated(tmp_path: Path, log: Path) -> None:
    """Caches written before retry records kept timed-out documents in timeouts.json."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    fake_pdf(raw / "hang.pdf", "SLEEP")
    run(raw, out, timeout=1)
    store = FragmentStore(out, "test+1")
    (doc_id,) = store.cached_ids()
    (store.dir / doc_id / RECORD_FILE).unlink()
    (store.dir / "timeouts.json").write_text(json.dumps({doc_id: 1.0}))
    assert store.retries() == {doc_id: RetryRecord(TIMEOUT, 1, 1.0)}
    assert not (store.dir / "timeouts.json").exists()
