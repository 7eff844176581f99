"""`juesuan demo`, the demo without make (Windows): the same steps as `make demo`, never writing the sample
over a researcher's own files, stopping at the first step that fails with its exit code."""

from __future__ import annotations

import subprocess
from pathlib import Path

from etl import demo
from etl.cli import build_parser


def _args(tmp_path: Path, raw: Path):
    return build_parser(only="demo").parse_args(
        ["demo", "--raw", str(raw), "--out", str(tmp_path / "pq"), "--reports", str(tmp_path / "rep")])


def test_an_empty_raw_folder_gets_the_sample_corpus_then_etl_then_report(tmp_path):
    steps = demo.demo_steps(tmp_path / "raw", tmp_path / "pq", tmp_path / "rep")
    assert [s[0] for s in steps] == ["sample", "etl", "report"]
    assert steps[1] == ["etl", str(tmp_path / "raw"), "--out", str(tmp_path / "pq")]


def test_a_folder_holding_the_researchers_own_reports_gets_no_sample_written_over_it(tmp_path):
    raw = tmp_path / "raw" / "2023"
    raw.mkdir(parents=True)
    (raw / "某局2023年部门决算.PDF").write_bytes(b"%PDF-1.4")
    steps = demo.demo_steps(tmp_path / "raw", tmp_path / "pq", tmp_path / "rep")
    assert [s[0] for s in steps] == ["etl", "report"]


def test_a_failing_step_stops_the_demo_with_its_exit_code(tmp_path, monkeypatch, capsys):
    ran = []

    def fake_run(cmd, check):
        ran.append(cmd[3])
        return subprocess.CompletedProcess(cmd, 2 if cmd[3] == "etl" else 0)

    monkeypatch.setattr(demo.subprocess, "run", fake_run)
    assert demo.run(_args(tmp_path, tmp_path / "raw")) == 2
    assert ran == ["sample", "etl"]  # report never started
    assert "`juesuan etl` exited with 2" in capsys.readouterr().err


def test_make_demo_is_juesuan_demo():
    made = subprocess.run(["make", "-n", "demo"], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[1]).stdout
    assert "juesuan demo --raw data/raw --out data/parquet --reports reports" in made
