"""Scoring prior_year_statements against a generated corpus's truth (the truth's prior_year_statements)."""

from __future__ import annotations

from pathlib import Path

from etl.analysis import connect


def prior_year_misses(out: Path, truths: list[dict]) -> list[str]:
    """What the ETL's prior_year_statements got wrong against the truths that record statements: a statement
    missing or read with another figure, change or %, a true prior outside the implied interval, or a statement the
    truth does not record (the 项 rows are item_yoy's, scored with it)."""
    con = connect(out)
    misses = []
    for truth in truths:
        if "prior_year_statements" not in truth:
            continue
        got = {(r[0], r[1]): r for r in con.execute(
            "SELECT scope, path, actual, change, change_pct, prior_low, prior_high FROM prior_year_statements "
            "JOIN documents AS d USING (doc_id) WHERE regexp_extract(d.source_file, '[^/\\\\]+$') = ? "
            "AND scope <> 'item'",
            [truth["source_file"]]).fetchall()}
        for t in truth["prior_year_statements"]:
            r = got.pop((t["scope"], t["path"]), None)
            as_read = None if r is None else (float(r[2]), _f(r[3]), _f(r[4]))
            in_interval = r is not None and (t["prior"] is None or float(r[5]) <= t["prior"] <= float(r[6]))
            if as_read != (t["actual"], t["change"], t["change_pct"]) or not in_interval:
                misses.append(f"{truth['source_file']}: {t} read as {r}")
        misses += [f"{truth['source_file']}: not in the truth: {r}" for r in got.values()]
    return misses


def _f(value) -> float | None:
    return None if value is None else float(value)
