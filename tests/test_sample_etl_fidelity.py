"""End to end on a generated corpus that covers every layout feature: `juesuan etl` must score 1.00
against the generated truth, and its checks must fail on exactly the documents whose truth records an
injected inconsistency. Fails until the parser supports every feature the generator produces."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.sample import catalog as cat
from etl.sample.corpus import _write
from etl.sample.document import generate
from etl.sample.figures import INCONSISTENCIES
from etl.sample.layout import choose_layout
from etl.sample.seed_report import generate_seed
from tests.prior_year_scoring import prior_year_misses

REPO = Path(__file__).resolve().parents[1]
GZ = ("广州市", "天河区", "石牌街道")
SH = ("上海市", "普陀区", "长寿路街道")
DEPT = {d.key: d for d in cat.DEPT_TYPES}

#: every layout feature at least once, each inconsistency once
CASES = [
    (
        GZ,
        "财政局",
        2019,
        dict(
            ruled=True,
            repeat_header=True,
            rows_per_page=10,
            spaced=True,
            zero="0.00",
            state_capital=False,
            narrow_labels=True,
        ),
    ),
    (
        GZ,
        "街道办事处",
        2020,
        dict(
            ruled=False,
            repeat_header=False,
            rows_per_page=12,
            zero="-",
            thousands=False,
            unit="元",
            landscape=True,
            number_font=True,
            item_pct=False,
        ),
    ),
    (GZ, "教育局", 2021, dict(zero="—", header_footer=False, full_year_budget=True, narrative_variant=1)),
    (
        SH,
        "民政局",
        2022,
        dict(
            ruled=False,
            repeat_header=False,
            rows_per_page=10,
            zero="",
            split_codes=True,
            number_font=True,
            total_at_bottom=True,
            full_year_budget=True,
            unit="元",
        ),
    ),
    (
        SH,
        "公安分局",
        2021,
        dict(
            ruled=True,
            split_codes=False,
            zero="-",
            spaced=True,
            narrow_labels=True,
            item_pct=False,
            page_number_style="of",
        ),
    ),
    (
        SH,
        "卫生健康委员会",
        2020,
        dict(ruled=True, repeat_header=True, rows_per_page=14, zero="0.00", page_number_style="dash"),
    ),
]
for n, kind in enumerate(sorted(INCONSISTENCIES)):
    region = GZ if n % 2 else SH
    CASES.append((region, cat.DEPT_TYPES[6 + n].key, 2020 + n % 3, dict(inconsistency=kind)))


@pytest.mark.fidelity
def test_generated_corpus_scores_one_and_checks_flag_injected(tmp_path, shared):
    raw, out = tmp_path / "raw", tmp_path / "parquet"
    injected, truths = set(), []
    for (city, district, street), key, year, force in CASES:
        force = {"inconsistency": None, **force}
        lay = choose_layout(5, city, city + district, year, key, force)
        g = generate(5, city, district, street, DEPT[key], year, lay)
        _write(raw, g.file_name, g.pdf, g.truth)
        truths.append(g.truth)
        if g.truth["injected_inconsistency"]:
            injected.add(g.truth["sha256"])
    g = generate_seed()
    _write(raw, g.file_name, g.pdf, g.truth)
    assert len(injected) == len(INCONSISTENCIES)

    run = subprocess.run(
        [sys.executable, "-m", "etl.cli", "etl", str(raw), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=1200,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]

    score = subprocess.run(
        [sys.executable, str(shared / "tools" / "score_fidelity.py"), "--parquet", str(out), "--truth", str(raw),
         "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
    )
    assert score.returncode == 0, score.stderr
    result = json.loads(score.stdout)
    assert result["ratio"] == 1.0, "\n".join(result["misses"][:40])
    assert prior_year_misses(out, truths) == []  # the narrative's year-on-year statements (issue 21 point 2)

    def src(name: str) -> str:
        folder = out / name
        return (
            f"read_parquet('{folder.as_posix()}/**/*.parquet', hive_partitioning=true, union_by_name=true)"
            if folder.is_dir()
            else f"read_parquet('{(out / f'{name}.parquet').as_posix()}')"
        )

    con = duckdb.connect()
    failing = {
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT d.sha256 FROM {src('checks')} c JOIN {src('documents')} d USING (doc_id) "
            "WHERE c.status = 'fail'"
        ).fetchall()
    }
    details = con.execute(
        f"SELECT d.source_file, c.check_id, c.detail FROM {src('checks')} c "
        f"JOIN {src('documents')} d USING (doc_id) WHERE c.status = 'fail'"
    ).fetchall()
    assert failing == injected, details
