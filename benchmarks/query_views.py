"""Time the headline views in DuckDB against the same computation in plain pandas.

    uv run python benchmarks/query_views.py [--dept-years 100000] [--threads 2] [--keep DIR]

Builds a synthetic Parquet set (etl.analysis.synthetic: 100 regions x 100 department types x
10 years = 100,000 department-years by default, same arrow schemas as the ETL), then for each
headline view times `SELECT * FROM view` materialised to Arrow in DuckDB (best of 3; connect()
materialises the version layer once, its time is printed separately), and the same result
computed with pandas from the Parquet files
(read time excluded, so pandas gets the benefit of the doubt). Prints a side-by-side table and the
pandas/DuckDB ratio; target: every view < 1 s on 2 cores.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from etl.analysis import connect
from etl.analysis.synthetic import write_synthetic

TARGET_S = 1.0


def best_of(fn, n=3):
    best = math.inf
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


# ---- pandas equivalents --------------------------------------------------------------------------

def load(pq: Path) -> dict[str, pd.DataFrame]:
    names = ["documents", "tables_found", "sangong", "cost_totals", "summary_items",
             "function_expenditure", "budget_execution", "checks"]
    return {n: pd.read_parquet(pq / f"{n}.parquet") for n in names}


KEY = ["region", "department", "year"]
STATUS_ORDER = {"ok": 0, "partial": 1}


def pd_versions(t):
    d = t["documents"]
    d = d[d["doc_kind"].fillna("final_accounts").eq("final_accounts")].dropna(subset=KEY)
    nt = t["tables_found"].groupby("doc_id")["table_key"].nunique().rename("n_tables")
    v = d.join(nt, on="doc_id")
    v["n_tables"] = v["n_tables"].fillna(0)
    v["s"] = v["status"].map(STATUS_ORDER).fillna(2)
    v = v.sort_values(["s", "n_tables", "source_file", "doc_id"], ascending=[True, False, False, True])
    v["version_rank"] = v.groupby(KEY, sort=False).cumcount() + 1
    v["versions"] = v.groupby(KEY, sort=False)["doc_id"].transform("size")
    return v


def pd_cur(t, v, name):
    r = t[name].merge(v[["doc_id", *KEY, "department_type", "version_rank"]], on="doc_id")
    best = r.groupby(KEY, sort=False)["version_rank"].transform("min")
    return r[r["version_rank"] == best]


def ratio(a, b):
    a = a.astype("float64")
    b = b.astype("float64")
    return (a / b.where(b != 0)).astype("float64")


def pd_metrics(t, v=None):
    v = pd_versions(t) if v is None else v
    dy = v[v["version_rank"] == 1][[*KEY, "department_type", "doc_id", "status", "versions"]]
    sg = pd_cur(t, v, "sangong").pivot_table(index=KEY, columns="item", values=["budget", "actual"],
                                             aggfunc="first")
    sg.columns = [f"{c[1]}_{c[0]}" for c in sg.columns]
    ct = pd_cur(t, v, "cost_totals").groupby(KEY)[["personnel_cost", "public_cost"]].first()
    si = pd_cur(t, v, "summary_items")
    si = si[(si["side"] == "expenditure") & (si["item"] == "expenditure_total")].groupby(KEY)["amount"].first()
    fe = pd_cur(t, v, "function_expenditure")
    fe = fe[(fe["table_key"] == "gpb_expenditure") & (fe["level"] == "total")].groupby(KEY)[["total", "basic"]].first()
    be = pd_cur(t, v, "budget_execution")
    be = be[be["scope"] == "gpb_total"].groupby(KEY)[["initial_budget", "full_year_budget", "actual"]].first()
    be.columns = ["gpb_initial_budget", "gpb_full_year_budget", "gpb_actual"]
    m = dy.join(sg, on=KEY).join(ct, on=KEY).join(si.rename("total_expenditure"), on=KEY)
    m = m.join(fe.rename(columns={"total": "gpb_expenditure", "basic": "basic_expenditure"}), on=KEY).join(be, on=KEY)
    m["personnel_public_ratio"] = ratio(m["personnel_cost"], m["public_cost"])
    m["personnel_share_pct"] = 100 * ratio(m["personnel_cost"], m["basic_expenditure"])
    m["sangong_completion_pct"] = 100 * ratio(m["total_actual"], m["total_budget"])
    m["gpb_completion_pct"] = 100 * ratio(m["gpb_actual"], m["gpb_initial_budget"])
    return m


def pd_sangong_region(t, m=None):
    m = pd_metrics(t) if m is None else m
    a = (m.dropna(subset=["total_actual"]).groupby(["region", "year", "department_type"])
         .agg(departments=("doc_id", "size"), sangong_budget=("total_budget", "sum"),
              sangong_actual=("total_actual", "sum")).reset_index())
    p = a[["region", "year", "department_type", "sangong_actual"]].copy()
    p["year"] += 1
    a = a.merge(p, on=["region", "year", "department_type"], how="left", suffixes=("", "_prev"))
    a["yoy_change"] = a["sangong_actual"] - a["sangong_actual_prev"]
    a["yoy_pct"] = 100 * ratio(a["yoy_change"], a["sangong_actual_prev"])
    a["rank_in_type"] = a.groupby(["department_type", "year"])["sangong_actual"].rank(method="min", ascending=False)
    return a


def pd_personnel(t, m=None):
    m = pd_metrics(t) if m is None else m
    r = m[["region", "department", "department_type", "year", "personnel_public_ratio"]].copy()
    g = r.groupby(["department_type", "year"])["personnel_public_ratio"]
    r["med"] = g.transform("median")
    r["n"] = g.transform("count")
    r["dev"] = (r["personnel_public_ratio"] - r["med"]).abs()
    r["mad"] = r.groupby(["department_type", "year"])["dev"].transform("median")
    z = (r["personnel_public_ratio"] - r["med"]) / (1.4826 * r["mad"]).replace(0, np.nan)
    r["robust_z"] = z.where(r["n"] >= 3)
    r["is_outlier"] = r["robust_z"].abs() > 3.5
    return r


def flag(p):
    return np.select([p.isna(), p > 110, p < 90], ["no_budget", "over", "under"], "on_target")


def pd_completion_department(t, v=None):
    v = pd_versions(t) if v is None else v
    b = pd_cur(t, v, "budget_execution")
    b = b[b["scope"] == "gpb_total"].copy()
    budget = b["initial_budget"].where(b["initial_budget"].notna(), b["full_year_budget"])
    b["completion_pct"] = 100 * ratio(b["actual"], budget)
    b["flag"] = flag(b["completion_pct"])
    return b


def pd_completion_item(t, v=None):
    v = pd_versions(t) if v is None else v
    b = pd_cur(t, v, "budget_execution")
    b = b[b["scope"] == "item"].copy()
    fx = pd_cur(t, v, "function_expenditure")
    fx = fx[(fx["level"] == "item") & fx["code"].notna()].groupby([*KEY, "code"])[["name", "total"]].first()
    b = b.join(fx, on=[*KEY, "code"])
    b["item_name"] = b["path"].str.rsplit("/", n=1).str[-1]
    budget = b["initial_budget"].where(b["initial_budget"].notna(), b["full_year_budget"])
    b["completion_pct"] = 100 * ratio(b["actual"], budget)
    b["flag"] = flag(b["completion_pct"])
    return b


def pd_completion_sangong(t, v=None):
    v = pd_versions(t) if v is None else v
    s = pd_cur(t, v, "sangong").copy()
    s["completion_pct"] = 100 * ratio(s["actual"], s["budget"])
    s["flag"] = flag(s["completion_pct"])
    return s


def pd_dq_summary(t):
    d = t["documents"]
    tf = t["tables_found"].groupby("doc_id")["table_key"].nunique().rename("tables_found")
    c = t["checks"]
    ck = c.assign(fail=c["status"].eq("fail")).groupby("doc_id").agg(checks_run=("check_id", "size"),
                                                                       checks_failed=("fail", "sum"))
    v = pd_versions(t)[["doc_id", "version_rank", "versions"]]
    return d.join(tf, on="doc_id").join(ck, on="doc_id").merge(v, on="doc_id", how="left")


PANDAS = {
    "department_year_metrics": pd_metrics,
    "sangong_region_year_type": pd_sangong_region,
    "personnel_public_ratio": pd_personnel,
    "budget_completion_department": pd_completion_department,
    "budget_completion_item": pd_completion_item,
    "budget_completion_sangong": pd_completion_sangong,
    "dq_document_summary": pd_dq_summary,
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dept-years", type=int, default=100_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--keep", metavar="DIR", help="write the Parquet set here and keep it")
    args = ap.parse_args(argv)

    side = max(1, round((args.dept_years / 10) ** 0.5))
    years = list(range(2015, 2025))
    with tempfile.TemporaryDirectory() as tmp:
        pq = Path(args.keep) if args.keep else Path(tmp)
        t0 = time.perf_counter()
        counts = write_synthetic(pq, n_regions=side, n_types=side, years=years, threads=args.threads)
        print(f"synthetic set: {side * side * len(years):,} department-years, {counts['documents']:,} documents, "
              f"{sum(counts.values()):,} rows in {time.perf_counter() - t0:.1f} s -> {pq}")
        t0 = time.perf_counter()
        con = connect(pq, threads=args.threads)  # materialises the version layer (document_versions, cur_*)
        t_connect = time.perf_counter() - t0
        t0 = time.perf_counter()
        connect(pq, threads=args.threads, materialize=False)
        t_connect_views = time.perf_counter() - t0
        tables = load(pq)
        print(f"threads: DuckDB {args.threads}; pandas single-threaded (read_parquet excluded)")
        print(f"connect(): {t_connect:.3f} s with the version layer materialised "
              f"({t_connect_views:.3f} s as plain views); pandas rebuilds versions inside each view\n")
        print(f"{'view':32} {'rows':>9} {'duckdb s':>9} {'pandas s':>9} {'pandas/duckdb':>14}  target")
        worst = 0.0
        for view, fn in PANDAS.items():
            rows = con.sql(f"SELECT count(*) FROM {view}").fetchall()[0][0]
            d = best_of(lambda v=view: con.sql(f"SELECT * FROM {v}").to_arrow_table())
            p = best_of(lambda f=fn: f(tables))
            worst = max(worst, d)
            print(f"{view:32} {rows:>9,} {d:>9.3f} {p:>9.3f} {p / d:>13.1f}x  {'ok' if d < TARGET_S else 'SLOW'}")
        print(f"\nslowest DuckDB view: {worst:.3f} s (target < {TARGET_S:.0f} s)")
    return 0 if worst < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
