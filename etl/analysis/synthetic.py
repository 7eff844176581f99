"""A synthetic Parquet set in the ETL's output schema, built directly (no PDFs).

Used by the tests, the notebooks' smoke run and the query benchmark until (and besides) a real
corpus from `juesuan sample` + `juesuan etl`. Rows are generated in DuckDB with hash-based
pseudo-random numbers (deterministic for a seed), cast to the arrow schemas declared in
`etl.schema` and written as `<out>/<table>.parquet`.

What it contains, per department-year: a `documents` row; for status ok all nine tables found,
for partial six (no 三公 / 08 / 09 tables), for failed none and no figures; 三公 budget and
actual per item; 人员/公用经费 (public cost 0 for about 1 % so ratios hit a zero denominator);
a 05/03 合计, 类, 款 and two 项 rows; 收入支出决算总表 key items; narrative budget_execution for the
whole 一般公共预算 (gpb_total), the two 项 (linked by code) and 三公 (sangong_total); three checks.
About `dup_rate` of department-years arrive twice (a corrected re-publication, suffix _更正).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from etl.schema import TABLES

REGIONS = ["广州市天河区", "广州市越秀区", "广州市海珠区", "广州市荔湾区", "广州市白云区", "广州市黄埔区",
           "广州市番禺区", "广州市花都区", "广州市南沙区", "广州市从化区", "广州市增城区"]
DEPT_TYPES = ["财政局", "教育局", "公安分局", "卫生健康局", "民政局", "人力资源和社会保障局",
              "司法局", "审计局", "统计局", "住房和城乡建设局", "交通运输局", "水务局", "农业农村局",
              "文化广电旅游体育局", "市场监督管理局", "应急管理局", "城市管理和综合执法局",
              "退役军人事务局", "医疗保障局", "科技工业商务和信息化局"]


def _names(base: list[str], n: int, fmt: str) -> list[str]:
    return base[:n] if n <= len(base) else base + [fmt.format(i) for i in range(len(base) + 1, n + 1)]


def _setup(con: duckdb.DuckDBPyConnection, n_regions: int, n_types: int, years: list[int],
           seed: int, dup_rate: float) -> None:
    regions = _names(REGIONS, n_regions, "示例市第{}区")
    types = _names(DEPT_TYPES, n_types, "第{}类机构")
    con.execute("CREATE TABLE regions AS SELECT unnest($r) AS region, generate_subscripts($r, 1) AS ri",
                {"r": regions})
    con.execute("CREATE TABLE types AS SELECT unnest($t) AS department_type, "
                "generate_subscripts($t, 1) AS ti", {"t": types})
    con.execute("CREATE TABLE years AS SELECT unnest($y)::INTEGER AS year", {"y": years})
    # u(i, salt): deterministic uniform [0, 1)
    con.execute(f"CREATE MACRO u(i, salt) AS (hash(i, salt, {int(seed)}) % 1000003) / 1000003.0")
    con.execute("CREATE MACRO amt(x) AS CAST(round(x, 2) AS DECIMAL(18,2))")
    con.execute("""
        CREATE TABLE dy AS
        SELECT row_number() OVER (ORDER BY ri, ti, year) AS i, region, department_type,
               replace(region, '广州市', '') || department_type AS short_dept,
               region || department_type AS department, year, ri, ti
        FROM regions, types, years
    """)
    con.execute(f"""
        CREATE TABLE docs AS
        WITH base AS (
            SELECT dy.*, 0 AS v,
                   CASE WHEN u(i, 'st') < 0.03 THEN 'failed' WHEN u(i, 'st') < 0.08 THEN 'partial'
                        ELSE 'ok' END AS status
            FROM dy
        ),
        dup AS (
            SELECT dy.*, 1 AS v, 'ok' AS status FROM dy WHERE u(i, 'dup') < {float(dup_rate)}
        ),
        allv AS (SELECT * FROM base UNION ALL SELECT * FROM dup)
        SELECT *,
               substr(sha256(department || year || v), 1, 16) AS doc_id,
               sha256(department || year || v) AS sha256,
               region || '/' || year || '/' || short_dept || year || '年度部门决算'
                   || CASE WHEN v = 1 THEN '_更正' ELSE '' END || '.pdf' AS source_file,
               -- scale of the department, 万元; the corrected version revises figures by +1 %
               (300 + 3000 * u(i, 'scale') * (1 + ti % 5)) * (1 + 0.01 * v) AS scale
        FROM allv
    """)
    con.execute("CREATE TABLE okdocs AS SELECT * FROM docs WHERE status <> 'failed'")


_TABLE_SQL: dict[str, str] = {
    "documents": """
        SELECT doc_id, source_file, sha256, 100000 + (hash(doc_id) % 900000)::BIGINT AS file_bytes,
               region, department, department_type, year, 'final_accounts' AS doc_kind, '万元' AS unit,
               'joined' AS layout, 20 AS pages, status,
               CASE status WHEN 'failed' THEN '没有可提取的文字层'
                           WHEN 'partial' THEN '部分表格无法解析' END AS error,
               'document' AS metadata_source, 'synthetic' AS parser_version, 0.5 AS parse_seconds
        FROM docs""",
    "tables_found": """
        SELECT d.doc_id, k.table_key, k.title, k.n * 2 AS first_page, k.n * 2 AS last_page, 5 AS rows,
               false AS empty
        FROM okdocs d, (VALUES (1, 'income_expenditure_summary', '收入支出决算总表'),
               (2, 'income', '收入决算表'),
               (3, 'expenditure', '支出决算表'), (4, 'fiscal_summary', '财政拨款收入支出决算总表'),
               (5, 'gpb_expenditure', '一般公共预算财政拨款支出决算表'),
               (6, 'gpb_basic_expenditure', '一般公共预算财政拨款基本支出决算表'),
               (7, 'sangong', '一般公共预算财政拨款“三公”经费支出决算表'),
               (8, 'gov_fund', '政府性基金预算财政拨款收入支出决算表'),
               (9, 'state_capital', '国有资本经营预算财政拨款收入支出决算表')) AS k(n, table_key, title)
        WHERE d.status = 'ok' OR k.n <= 6""",
    "sangong": """
        WITH b AS (
            SELECT doc_id, i,
                   amt(scale * 0.004 * u(i, 'ov') * (u(i, 'ovz') > 0.4)::INT) AS ob,
                   amt(scale * 0.010 * u(i, 'vp') * (u(i, 'vpz') > 0.7)::INT) AS pb,
                   amt(scale * 0.006 * u(i, 'vo')) AS opb,
                   amt(scale * 0.003 * u(i, 're')) AS rb,
                   0.5 + 0.7 * u(i, 'sgx') AS x
            FROM okdocs WHERE status = 'ok'
        ), a AS (
            SELECT *, amt(ob * x) AS oa, amt(pb * x) AS pa, amt(opb * x) AS opa, amt(rb * x) AS ra FROM b
        )
        SELECT doc_id, item, budget, actual, 14 AS page FROM a,
        LATERAL (VALUES ('total', ob + pb + opb + rb, oa + pa + opa + ra), ('overseas', ob, oa),
                        ('vehicle_total', pb + opb, pa + opa), ('vehicle_purchase', pb, pa),
                        ('vehicle_operation', opb, opa), ('reception', rb, ra)) AS t(item, budget, actual)""",
    "cost_totals": """
        SELECT doc_id,
               amt(scale * 0.45 * (0.6 + 0.8 * u(i, 'pc')) * CASE WHEN u(i, 'pout') < 0.02 THEN 3 ELSE 1 END)
                   AS personnel_cost,
               CASE WHEN u(i, 'pz') < 0.01 THEN 0::DECIMAL(18,2)
                    ELSE amt(scale * 0.08 * (0.5 + u(i, 'pu'))) END AS public_cost,
               12 AS page
        FROM okdocs""",
    "economic_expenditure": """
        SELECT c.doc_id, e.code, 'class' AS level, e.name,
               CASE e.cost_group WHEN 'personnel' THEN c.personnel_cost ELSE c.public_cost END AS amount,
               e.cost_group, 12 AS page
        FROM cost_totals c,
             (VALUES ('301', '工资福利支出', 'personnel'), ('302', '商品和服务支出', 'public'))
                 AS e(code, name, cost_group)""",
    "function_expenditure": """
        WITH f AS (
            SELECT d.doc_id, d.i, c.personnel_cost + c.public_cost AS basic,
                   amt(d.scale * 0.3 * u(d.i, 'proj')) AS project
            FROM okdocs d JOIN cost_totals c USING (doc_id)
        )
        SELECT doc_id, tk AS table_key, r.code, r.level, r.name, r.total, r.basic, r.project,
               r.row_order, 8 AS page
        FROM f, LATERAL (VALUES
            (NULL, 'total', '合计', basic + project, basic, project, 0),
            ('201', 'class', '一般公共服务支出', basic + project, basic, project, 1),
            ('20101', 'section', '人大事务', basic + project, basic, project, 2),
            ('2010101', 'item', '行政运行', basic, basic, 0::DECIMAL(18,2), 3),
            ('2010102', 'item', '一般行政管理事务', project, 0::DECIMAL(18,2), project, 4)
        ) AS r(code, level, name, total, basic, project, row_order),
        (VALUES ('expenditure'), ('gpb_expenditure')) AS k(tk)""",
    "summary_items": """
        SELECT f.doc_id, s.side, s.item, s.label, s.amount, 2 AS page
        FROM (SELECT doc_id, total FROM function_expenditure
              WHERE table_key = 'expenditure' AND level = 'total') AS f,
        LATERAL (VALUES ('income', 'income_total', '本年收入合计', f.total),
                        ('income', 'fiscal_appropriation_income', '财政拨款收入', f.total),
                        ('income', 'grand_total', '总计', f.total),
                        ('expenditure', 'expenditure_total', '本年支出合计', f.total),
                        ('expenditure', 'grand_total', '总计', f.total)) AS s(side, item, label, amount)""",
    "budget_execution": """
        WITH g AS (
            SELECT f.doc_id, d.i, f.code, f.total AS actual, f.level,
                   CASE f.level WHEN 'total' THEN 0.85 + 0.3 * u(d.i, 'gx')
                                ELSE 0.6 + 0.8 * u(d.i, f.code) END AS x,
                   f.name
            FROM function_expenditure f JOIN okdocs d USING (doc_id)
            WHERE f.table_key = 'gpb_expenditure' AND f.level IN ('total', 'item')
        ), b AS (
            SELECT *, amt(actual / x) AS initial_budget FROM g
        )
        SELECT doc_id,
               CASE level WHEN 'total' THEN 'gpb_total' ELSE 'item' END AS scope,
               CASE level WHEN 'total' THEN NULL ELSE '一般公共服务支出/人大事务/' || name END AS path,
               code, initial_budget,
               CASE WHEN u(i, 'fy') < 0.3 THEN amt(initial_budget * 1.05) END AS full_year_budget,
               actual,
               CAST(round(100 * actual / nullif(initial_budget, 0), 2) AS DECIMAL(9,2)) AS completion_pct,
               CASE WHEN abs(actual / nullif(initial_budget, 0) - 1) > 0.1
                    THEN '主要原因是' || CASE WHEN actual > initial_budget THEN '年中追加人员经费。'
                                               ELSE '部分项目未达到支付条件。' END END AS reason,
               5 AS page
        FROM b
        UNION ALL
        SELECT doc_id, 'sangong_total', NULL, NULL, budget, NULL, actual,
               CAST(round(100 * actual / nullif(budget, 0), 2) AS DECIMAL(9,2)),
               '主要原因是厉行节约，严控“三公”经费支出。', 6
        FROM sangong WHERE item = 'total'""",
    "checks": """
        SELECT d.doc_id, c.check_id,
               CASE WHEN c.check_id = 'summary_balances' AND u(d.i, 'ck') < 0.05 THEN 'fail'
                    WHEN c.check_id = 'sangong_sum' AND d.status = 'partial' THEN 'skipped'
                    ELSE 'pass' END AS status,
               c.check_id || ': 比较结果' AS detail,
               c.severity,
               c.label || CASE WHEN c.check_id = 'summary_balances' AND u(d.i, 'ck') < 0.05
                               THEN '：不符' ELSE '：相符' END AS message
        FROM okdocs d,
             (VALUES ('summary_balances', 'error', '收入支出决算总表收支总计'),
                     ('function_total_sum', 'error', '支出决算表各类合计'),
                     ('sangong_sum', 'warning', '三公经费分项之和')) AS c(check_id, severity, label)""",
}


def write_synthetic(out_dir: str | Path, *, n_regions: int = 4, n_types: int = 6,
                    years: list[int] | tuple[int, ...] = (2021, 2022, 2023), seed: int = 7,
                    dup_rate: float = 0.05, threads: int | None = None) -> dict[str, int]:
    """Write `<out_dir>/<table>.parquet` for every table in etl.schema.TABLES; return row counts.

    n_regions × n_types × len(years) department-years (100 × 100 × 10 = 100,000 for the benchmark).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    _setup(con, n_regions, n_types, list(years), seed, dup_rate)
    counts = {}
    for name, sql in _TABLE_SQL.items():
        con.execute(f"CREATE TABLE {name} AS {sql}")
        counts[name] = _write(con, name, out)
    for name in TABLES:  # any table the generator does not fill is written empty
        if name not in counts:
            pq.write_table(TABLES[name].arrow_schema().empty_table(), out / f"{name}.parquet")
            counts[name] = 0
    con.close()
    return counts


def _write(con: duckdb.DuckDBPyConnection, name: str, out: Path) -> int:
    schema = TABLES[name].arrow_schema()
    have = {c for c, *_ in con.execute(f"DESCRIBE {name}").fetchall()}
    cols = [f.name if f.name in have else f"NULL AS {f.name}" for f in schema]
    table = con.sql(f"SELECT {', '.join(cols)} FROM {name}").to_arrow_table()
    table = pa.Table.from_arrays(
        [table.column(i).cast(f.type) for i, f in enumerate(schema)], schema=schema
    )
    pq.write_table(table, out / f"{name}.parquet")
    return table.num_rows


def write_tables(out_dir: str | Path, rows: dict[str, list[dict]]) -> Path:
    """Write hand-made rows as `<out_dir>/<table>.parquet` with the declared arrow schemas.

    Columns a row leaves out are NULL; tables not given are written empty. Amounts may be given
    as str, int or Decimal (they are converted to Decimal exactly).
    """
    from decimal import Decimal

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in TABLES.items():
        schema = table.arrow_schema()
        data = rows.get(name, [])
        cols = {}
        for f in schema:
            vals = [r.get(f.name) for r in data]
            if pa.types.is_decimal(f.type):
                vals = [None if v is None else Decimal(str(v)) for v in vals]
            cols[f.name] = pa.array(vals, type=f.type)
        pq.write_table(pa.table(cols, schema=schema), out / f"{name}.parquet")
    return out
