"""`juesuan export` on a small hand-built Parquet set: every file opens and says the same thing.

The fixture has four department-years (Parquet written with etl.schema's arrow types by
etl.analysis.synthetic.write_tables):
  a1  天河区财政局 2022   三公 printed 合计 80.50 ≠ parts 79.50 (warn), 年初预算 800 → completion 125 %
  b1  天河区教育局 2022   clean; 年初预算 0, 全年预算 500, 决算 480 → basis full_year, 96 %
  c1  天河区民政局 2022   a check of severity error failed → fail
  f1  越秀区财政局 2022   document failed → fail
"""

from __future__ import annotations

import csv
import dataclasses
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pyreadstat
import pytest

from etl.analysis import connect
from etl.analysis.export import (
    FORMATS,
    ExportSchemaError,
    check_columns,
    export,
    parse_formats,
    stata_frame,
    table_sql,
)
from etl.analysis.export_schema import (
    DEPARTMENT_YEARS,
    KEY_COLUMNS,
    LONG_TABLES,
    QUALITY,
    codebook_rows,
    export_tables,
    stata_problems,
    with_columns_section,
)
from etl.analysis.synthetic import write_tables
from etl.schema import TABLES as PARQUET_TABLES

REPO = Path(__file__).resolve().parents[1]
TABLE_NAMES = ["department_years", *LONG_TABLES]


def doc(doc_id, department, region="广州市天河区", year=2022, status="ok", **kw):
    return dict(doc_id=doc_id, source_file=f"{region}/{year}/{doc_id}年度部门决算.pdf", sha256=doc_id * 4,
                region=region, department=department, department_type=department.removeprefix(region),
                year=year, doc_kind="final_accounts", status=status, **kw)


def found(doc_id):
    keys = ("income_expenditure_summary", "expenditure", "gpb_expenditure", "gpb_basic_expenditure", "sangong")
    return [dict(doc_id=doc_id, table_key=k) for k in keys]


def sangong(doc_id, page=14, **items):
    return [dict(doc_id=doc_id, item=k, budget=b, actual=a, page=page) for k, (b, a) in items.items()]


def figures(doc_id, gpb_total, basic, initial, full_year, actual):
    return {
        "function_expenditure": [
            dict(doc_id=doc_id, table_key="gpb_expenditure", code=None, level="total", name="合计",
                 total=gpb_total, basic=basic, project=str(Decimal(gpb_total) - Decimal(basic)), row_order=0, page=8),
            dict(doc_id=doc_id, table_key="gpb_expenditure", code="201", level="class", name="一般公共服务支出",
                 total=gpb_total, basic=basic, project=str(Decimal(gpb_total) - Decimal(basic)), row_order=1, page=8),
        ],
        "summary_items": [
            dict(doc_id=doc_id, side="income", item="income_total", label="本年收入合计", amount=gpb_total, page=2),
            dict(doc_id=doc_id, side="expenditure", item="expenditure_total", label="本年支出合计",
                 amount=gpb_total, page=2),
        ],
        "budget_execution": [
            dict(doc_id=doc_id, scope="gpb_total", initial_budget=initial, full_year_budget=full_year,
                 actual=actual, page=5, reason="主要原因是项目调整，" + "说明" * 400),   # a long text (strL)
        ],
        "economic_expenditure": [
            dict(doc_id=doc_id, code="301", level="class", name="工资福利支出", amount=basic,
                 cost_group="personnel", page=12),
        ],
        "checks": [dict(doc_id=doc_id, check_id="sangong.parts_sum_to_total.actual", status="pass",
                        severity="warning", message="相符")],
    }


def fixture_rows() -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {t: [] for t in PARQUET_TABLES}
    rows["documents"] = [doc("a1", "广州市天河区财政局"), doc("b1", "广州市天河区教育局"),
                         doc("c1", "广州市天河区民政局"),
                         doc("f1", "广州市越秀区财政局", region="广州市越秀区", status="failed", error="没有文字层")]
    for d in ("a1", "b1", "c1"):
        rows["tables_found"] += found(d)
    rows["sangong"] = (
        sangong("a1", total=("100.00", "80.50"), overseas=("10.00", "12.00"), vehicle_total=("50.00", "40.00"),
                vehicle_purchase=("20.00", "10.00"), vehicle_operation=("30.00", "30.00"),
                reception=("40.00", "27.50"))
        + sangong("b1", total=("9.00", "6.00"), overseas=("0", "0"), vehicle_total=("5.00", "4.00"),
                  vehicle_purchase=("0", "0"), vehicle_operation=("5.00", "4.00"), reception=("4.00", "2.00"))
        + sangong("c1", total=("3.00", "3.00"), overseas=("0", "0"), vehicle_total=("2.00", "2.00"),
                  vehicle_purchase=("0", "0"), vehicle_operation=("2.00", "2.00"), reception=("1.00", "1.00"))
    )
    rows["cost_totals"] = [dict(doc_id="a1", personnel_cost="300.00", public_cost="100.00", page=12),
                           dict(doc_id="b1", personnel_cost="50.00", public_cost="0", page=12),
                           dict(doc_id="c1", personnel_cost="70.00", public_cost="30.00", page=12)]
    for d, args in {"a1": ("1000.00", "400.00", "800.00", None, "1000.00"),
                    "b1": ("480.00", "50.00", "0", "500.00", "480.00"),
                    "c1": ("200.00", "100.00", "200.00", None, "200.00")}.items():
        for table, r in figures(d, *args).items():
            rows[table] += r
    rows["checks"].append(dict(doc_id="c1", check_id="expenditure.classes_sum_to_total.total", status="fail",
                               severity="error", detail="差 100.00", message="支出决算表：各类合计与合计行不符"))
    return rows


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory) -> Path:
    return write_tables(tmp_path_factory.mktemp("export") / "pq", fixture_rows())


@pytest.fixture(scope="module")
def exported(parquet_dir, tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("exports") / "default"
    return out, export(parquet_dir, out)


@pytest.fixture(scope="module")
def exported_all(parquet_dir, tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("exports") / "all"
    return out, export(parquet_dir, out, ("parquet", "csv"), quality="all")


def dy(out: Path) -> pl.DataFrame:
    return pl.read_parquet(out / "department_years.parquet")


# -- the files -----------------------------------------------------------------------------------

def test_every_table_in_every_format_and_the_codebook(exported):
    out, result = exported
    for name in TABLE_NAMES:
        for fmt in FORMATS:
            assert (out / f"{name}.{fmt}").is_file(), (name, fmt)
    assert (out / "codebook.md").is_file() and (out / "codebook.csv").is_file()
    assert not list(out.glob(".*tmp*")), "temporary files left behind"
    assert list(result.rows) == TABLE_NAMES


def test_parquet_has_the_declared_types_and_amounts_stay_exact(exported):
    out, _ = exported
    for name, table in export_tables().items():
        schema = pq.read_schema(out / f"{name}.parquet")
        assert schema.names == table.column_names
        assert [f.type for f in schema] == [c.type for c in table.columns], name
    a1 = dy(out).filter(pl.col("doc_id") == "a1").row(0, named=True)
    assert a1["sangong_actual"] == Decimal("80.50") and a1["sangong_parts_actual"] == Decimal("79.50")
    assert a1["personnel_public_ratio"] == pytest.approx(3.0)


def test_csv_has_a_bom_and_reads_back_equal_to_the_parquet(exported):
    out, _ = exported
    for name in TABLE_NAMES:
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        expected = pl.read_parquet(out / f"{name}.parquet")
        back = pl.read_csv(out / f"{name}.csv", schema=expected.schema)
        assert back.columns == expected.columns
        assert back.equals(expected), name
        assert back.height == expected.height
    text = (out / "department_years.csv").read_text(encoding="utf-8-sig")
    header, *lines = text.splitlines()
    assert header.split(",") == DEPARTMENT_YEARS.column_names
    a1 = next(csv.DictReader([header, *[line for line in lines if ",a1," in line]]))
    assert (a1["sangong_actual"], a1["sangong_parts_actual"], a1["public_cost"]) == ("80.50", "79.50", "100.00")
    assert a1["region"] == "广州市天河区" and a1["quality"] == "warn"


def test_dta_carries_chinese_variable_labels_and_value_labels(exported):
    out, _ = exported
    for name, table in export_tables().items():
        df, meta = pyreadstat.read_dta(out / f"{name}.dta", output_format="polars")
        assert meta.column_names == table.column_names, name
        assert meta.column_names_to_labels == {c.name: c.label for c in table.columns}, name
        expected = pl.read_parquet(out / f"{name}.parquet")
        assert df.height == expected.height
        for c in table.columns:
            if c.values:   # coded 1, 2, … with the Chinese labels of the declaration
                assert meta.variable_value_labels[c.name] == {i: lab for i, (_, lab) in enumerate(c.values, 1)}
                codes = {v: i for i, (v, _) in enumerate(c.values, 1)}
                assert df[c.name].to_list() == [codes.get(v) for v in expected[c.name].to_list()], (name, c.name)
            elif pa.types.is_boolean(c.type):
                assert meta.variable_value_labels[c.name] == {0: "否", 1: "是"}
                assert df[c.name].to_list() == [None if v is None else int(v) for v in expected[c.name]]
            elif pa.types.is_decimal(c.type):
                assert meta.readstat_variable_types[c.name] == "double", (name, c.name)
                assert df[c.name].to_list() == [None if v is None else float(v) for v in expected[c.name]]
            elif pa.types.is_string(c.type):
                assert df[c.name].to_list() == [v or "" for v in expected[c.name]], (name, c.name)
    q = pyreadstat.read_dta(out / "department_years.dta", apply_value_formats=True, output_format="polars")[0]
    assert set(q["quality"].cast(pl.String)) <= {lab for _, lab in QUALITY}
    assert set(q["budget_basis"].cast(pl.String)) == {"年初预算", "全年预算"}
    reasons = pl.read_parquet(out / "budget_execution.parquet")["reason"]
    assert max(len(r.encode()) for r in reasons) > 2045        # written as strL, read back whole


def test_xlsx_opens_with_a_reader_and_holds_the_rows(exported):
    out, _ = exported
    for name, table in export_tables().items():
        wb = openpyxl.load_workbook(out / f"{name}.xlsx", read_only=True)
        assert wb.sheetnames == [name, "codebook"]
        rows = list(wb[name].iter_rows(values_only=True))
        expected = pl.read_parquet(out / f"{name}.parquet")
        assert list(rows[0]) == table.column_names
        assert len(rows) == expected.height + 1
        codebook = list(wb["codebook"].iter_rows(values_only=True))
        assert [r[1] for r in codebook[1:]] == table.column_names
    wb = openpyxl.load_workbook(out / "department_years.xlsx", read_only=True)
    rows = list(wb["department_years"].iter_rows(values_only=True))
    cols = rows[0]
    a1 = dict(zip(cols, next(r for r in rows if r[cols.index("doc_id")] == "a1"), strict=True))
    assert a1["sangong_actual"] == pytest.approx(80.5) and a1["year"] == 2022 and a1["quality"] == "warn"


# -- what goes in --------------------------------------------------------------------------------

def test_default_gate_leaves_out_the_fail_department_years_everywhere(exported):
    out, result = exported
    assert sorted(dy(out)["doc_id"]) == ["a1", "b1"]
    assert set(dy(out)["quality"]) == {"warn", "clean"}
    for name in LONG_TABLES:
        ids = set(pl.read_parquet(out / f"{name}.parquet")["doc_id"])
        assert ids <= {"a1", "b1"}, name
        assert "c1" not in ids
    assert {g["quality"]: g["department_years"] for g in result.left_out} == {"fail": 2}


def test_all_quality_includes_every_department_year(exported_all):
    out, result = exported_all
    rows = {r["doc_id"]: r for r in dy(out).iter_rows(named=True)}
    assert sorted(rows) == ["a1", "b1", "c1", "f1"]
    assert rows["c1"]["quality"] == rows["f1"]["quality"] == "fail"
    assert "各类合计与合计行不符" in rows["c1"]["quality_reason"]
    assert rows["f1"]["source_file"] == "f1年度部门决算.pdf"
    assert set(pl.read_parquet(out / "sangong.parquet")["doc_id"]) == {"a1", "b1", "c1"}
    assert result.quality == "all" and result.left_out == []
    assert sorted(p.suffix for p in out.glob("department_years.*")) == [".csv", ".parquet"]


def test_sangong_basis_switch(parquet_dir, exported, tmp_path):
    out, result = exported
    printed = dy(out).filter(pl.col("doc_id") == "a1").row(0, named=True)
    assert result.sangong_basis == "printed"
    assert (printed["sangong_basis"], printed["sangong_used_actual"], printed["sangong_used_budget"]) == (
        "printed", Decimal("80.50"), Decimal("100.00"))
    assert printed["sangong_parts_mismatch"] is True and printed["quality"] == "warn"
    parts_out = tmp_path / "parts"
    result = export(parquet_dir, parts_out, ("parquet", "dta"), sangong_basis="parts")
    parts = dy(parts_out).filter(pl.col("doc_id") == "a1").row(0, named=True)
    assert (parts["sangong_basis"], parts["sangong_used_actual"], parts["sangong_used_budget"]) == (
        "parts", Decimal("79.50"), Decimal("100.00"))
    assert parts["sangong_actual"] == Decimal("80.50")           # the printed figure stays beside it
    assert result.sangong_basis == "parts"
    stata = pyreadstat.read_dta(parts_out / "department_years.dta", apply_value_formats=True,
                                output_format="polars")[0]
    assert set(stata["sangong_basis"].cast(pl.String)) == {"分项之和"}


def test_budget_basis_and_completion(exported):
    out, _ = exported
    rows = {r["doc_id"]: r for r in dy(out).iter_rows(named=True)}
    assert (rows["a1"]["budget_basis"], rows["a1"]["gpb_budget"]) == ("initial", Decimal("800.00"))
    assert rows["a1"]["gpb_completion_pct"] == pytest.approx(125.0)
    assert (rows["b1"]["budget_basis"], rows["b1"]["gpb_budget"]) == ("full_year", Decimal("500.00"))
    assert rows["b1"]["gpb_completion_pct"] == pytest.approx(96.0)
    assert rows["b1"]["personnel_public_ratio"] is None                       # public_cost 0


def test_long_tables_start_with_who_when_and_which_file(exported):
    out, _ = exported
    for name in LONG_TABLES:
        df = pl.read_parquet(out / f"{name}.parquet")
        assert df.columns[:5] == [c.name for c in KEY_COLUMNS]
        assert df.columns[5:] == PARQUET_TABLES[name].column_names, name
        assert all("/" not in f for f in df["source_file"]), name
    sg = pl.read_parquet(out / "sangong.parquet").filter(pl.col("doc_id") == "a1")
    assert sg["item"].to_list() == ["total", "overseas", "vehicle_total", "vehicle_purchase", "vehicle_operation",
                                    "reception"]
    assert set(sg["source_file"]) == {"a1年度部门决算.pdf"}
    assert set(sg["department_id"]) == set(dy(out).filter(pl.col("doc_id") == "a1")["department_id"])
    assert sg["department_id"][0] and sg["region"][0] == "广州市天河区"


def test_an_empty_parquet_set_exports_empty_files_that_open(tmp_path):
    out = tmp_path / "out"
    result = export(write_tables(tmp_path / "pq", {}), out)
    assert set(result.rows.values()) == {0}
    assert pl.read_csv(out / "department_years.csv").columns == DEPARTMENT_YEARS.column_names
    df, meta = pyreadstat.read_dta(out / "sangong.dta", output_format="polars")
    assert df.height == 0 and meta.column_names_to_labels["item"] == "三公经费项目"
    assert list(openpyxl.load_workbook(out / "checks.xlsx")["checks"].iter_rows(values_only=True))[0][0] == "region"


# -- the declarations ----------------------------------------------------------------------------

def test_a_view_that_differs_from_the_declaration_stops_the_export(parquet_dir, tmp_path):
    con = connect(parquet_dir)
    sql = table_sql(con, "department_years", DEPARTMENT_YEARS)
    check_columns(con, sql, DEPARTMENT_YEARS)          # as declared: fine
    fewer = dataclasses.replace(DEPARTMENT_YEARS, columns=DEPARTMENT_YEARS.columns[:-1])
    with pytest.raises(ExportSchemaError, match="not declared: gpb_table_page"):
        check_columns(con, sql, fewer)
    swapped = list(DEPARTMENT_YEARS.columns)
    swapped[1], swapped[2] = swapped[2], swapped[1]
    with pytest.raises(ExportSchemaError, match="order differs"):
        check_columns(con, sql, dataclasses.replace(DEPARTMENT_YEARS, columns=tuple(swapped)))
    retyped = [dataclasses.replace(c, type=pa.int32()) if c.name == "quality" else c
               for c in DEPARTMENT_YEARS.columns]
    with pytest.raises(ExportSchemaError, match="quality is VARCHAR, declared INTEGER"):
        check_columns(con, sql, dataclasses.replace(DEPARTMENT_YEARS, columns=tuple(retyped)))


def test_a_categorical_value_without_a_label_stops_the_stata_file():
    df = pl.DataFrame({c.name: [None] for c in DEPARTMENT_YEARS.columns}).with_columns(
        quality=pl.lit("bogus"))
    with pytest.raises(ExportSchemaError, match="bogus"):
        stata_frame(df, DEPARTMENT_YEARS)


def test_an_undeclared_value_in_the_data_stops_the_export_before_any_file(tmp_path):
    rows = fixture_rows()
    rows["sangong"].append(dict(doc_id="a1", item="training", budget="1.00", actual="1.00", page=14))
    out = tmp_path / "out"
    with pytest.raises(ExportSchemaError, match=r"sangong\.item: values \['training'\]"):
        export(write_tables(tmp_path / "pq", rows), out, ("csv",))
    assert not out.exists()


def test_every_column_has_a_stata_name_and_a_chinese_label():
    for table in export_tables().values():
        assert stata_problems(table) == []
        assert len(set(table.column_names)) == len(table.column_names)
        for c in table.columns:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in c.label), (table.name, c.name)
            assert c.description, (table.name, c.name)


def test_department_years_has_the_researcher_columns_first():
    assert DEPARTMENT_YEARS.column_names[:19] == [
        "source_file", "region", "department", "department_id", "year", "quality", "sangong_budget",
        "sangong_actual", "sangong_parts_actual", "overseas_actual", "vehicle_actual", "reception_actual",
        "personnel_cost", "public_cost", "personnel_public_ratio", "gpb_budget", "gpb_actual", "gpb_completion_pct",
        "budget_basis"]


def test_long_table_descriptions_come_from_the_parquet_schema():
    for name in LONG_TABLES:
        for c in export_tables()[name].columns[len(KEY_COLUMNS):]:
            parquet = next(p for p in PARQUET_TABLES[name].columns if p.name == c.name)
            assert (c.type, c.description) == (parquet.type, parquet.description)


def test_codebook_is_generated_from_the_declarations(exported):
    out, _ = exported
    with open(out / "codebook.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows == [{k: str(v) for k, v in r.items()} for r in codebook_rows()]
    md = (out / "codebook.md").read_text(encoding="utf-8")
    for table in export_tables().values():
        assert f"### `{table.name}`" in md
        for c in table.columns:
            assert f"`{c.name}`" in md and c.label in md
    assert "1 = clean 无问题; 2 = warn 有警告; 3 = fail 未通过" in md
    assert "department-years left out: 2" in md


def test_docs_export_columns_section_is_up_to_date():
    doc = (REPO / "docs" / "export.md").read_text(encoding="utf-8")
    assert with_columns_section(doc) == doc, "run: uv run python -m etl.analysis.export_schema docs/export.md"


# -- the command line ----------------------------------------------------------------------------

def test_parse_formats():
    assert parse_formats("dta, CSV") == ("csv", "dta")
    with pytest.raises(ValueError, match="sav"):
        parse_formats("csv,sav")


def test_cli_exports_and_prints_a_summary(parquet_dir, tmp_path):
    out = tmp_path / "cli"
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "export", "--parquet", str(parquet_dir), "--out",
                           str(out), "--format", "csv,dta", "--all-quality", "--sangong-basis", "parts"],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "department_years" in proc.stdout and "left out by the quality gate: none" in proc.stdout
    assert sorted(p.name for p in out.glob("department_years.*")) == ["department_years.csv", "department_years.dta"]
    assert pl.read_csv(out / "department_years.csv")["sangong_basis"].unique().to_list() == ["parts"]
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "export", "--parquet", str(parquet_dir), "--out",
                           str(tmp_path / "x"), "--format", "sav"], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 2 and "sav" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "export", "--parquet", str(tmp_path / "nope"), "--out",
                           str(tmp_path / "x")], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 1 and "not found" in proc.stderr
    assert not (tmp_path / "x").exists()


def test_default_summary_says_what_was_left_out_and_why(exported):
    from etl.analysis.export import summary

    text = summary(exported[1])
    assert "left out by the quality gate: 2 department-year(s)" in text
    assert "fail (未通过): 2" in text and "解析失败" in text
