"""`--executor dask` on a 2-worker LocalCluster writes the same Parquet as the local executor."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from distributed import LocalCluster

from etl.batch.executors.dask import WORKER_CONFIG
from etl.cli import main
from etl.schema import TABLES

TIMING = {"parse_seconds"}


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory, real_pdfs: dict[str, Path]) -> Path:
    raw = tmp_path_factory.mktemp("dist") / "raw"
    raw.mkdir()
    for name, path in real_pdfs.items():
        shutil.copy(path, raw / f"{name}.pdf")
    (raw / "empty.pdf").write_bytes(b"")
    (raw / "truncated.pdf").write_bytes(real_pdfs["finance"].read_bytes()[:5000])
    return raw


@pytest.fixture(scope="module")
def cluster():
    import dask

    with dask.config.set(WORKER_CONFIG), LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                                       dashboard_address=None) as cluster:
        yield cluster


def _rows(out: Path, table: str) -> list[tuple]:
    columns = [c for c in TABLES[table].arrow_schema().names if c not in TIMING]
    query = f"SELECT {', '.join(columns)} FROM read_parquet('{out}/{table}.parquet') ORDER BY ALL"
    return duckdb.sql(query).fetchall()


def test_dask_output_is_identical_to_local(raw: Path, cluster: LocalCluster) -> None:
    local, remote = raw.parent / "local", raw.parent / "dask"
    assert main(["etl", str(raw), "--out", str(local), "--jobs", "2"]) == 0
    assert main(["etl", str(raw), "--out", str(remote), "--executor", "dask",
                 "--cluster", cluster.scheduler_address]) == 0
    for table in TABLES:
        assert _rows(remote, table) == _rows(local, table), table
    assert len(_rows(local, "documents")) == 5
    assert len(_rows(local, "summary_items")) > 10


def test_cluster_needs_the_dask_executor(raw: Path) -> None:
    assert main(["etl", str(raw), "--out", str(raw.parent / "x"), "--cluster", "tcp://127.0.0.1:1"]) == 2


def test_an_unreachable_scheduler_is_a_usage_error(raw: Path) -> None:
    out = raw.parent / "unreachable"
    assert main(["etl", str(raw), "--out", str(out), "--executor", "dask", "--cluster", "tcp://127.0.0.1:9"]) == 2
