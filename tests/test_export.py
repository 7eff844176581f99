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
import json
import re
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
    NothingToExport,
    check_columns,
    export,
    parse_formats,
    stata_frame,
    table_sql,
)
from etl.analysis.export_schema import (
    CODEBOOK_FIELDS,
    CODEBOOK_FIELDS_ZH,
    DEPARTMENT_YEARS,
    DERIVED_TABLES,
    KEY_COLUMNS,
    LONG_COMPUTED,
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
TABLE_NAMES = ["department_years", *LONG_TABLES, *DERIVED_TABLES]


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


#: The fixture is written as `juesuan etl` writes its output: one snapshot, named by CURRENT.
SNAPSHOT = "20261206T120000.000000Z-0123abcd"


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory) -> Path:
    pq_dir = tmp_path_factory.mktemp("export") / "pq"
    write_tables(pq_dir / "snapshots" / SNAPSHOT, fixture_rows())
    (pq_dir / "CURRENT").write_text(SNAPSHOT, encoding="ascii")
    return pq_dir


@pytest.fixture(scope="module")
def exported(parquet_dir, tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("exports") / "default"
    return out, export(parquet_dir, out)


@pytest.fixture(scope="module")
def exported_all(parquet_dir, tmp_path_factory) -> tuple[Path, object]:
    """--all-quality --lang en: the CSV holds the variable names and the values as stored."""
    out = tmp_path_factory.mktemp("exports") / "all"
    return out, export(parquet_dir, out, ("parquet", "csv"), quality="all", lang="en")


def dy(out: Path) -> pl.DataFrame:
    return pl.read_parquet(out / "department_years.parquet")


# -- the files -----------------------------------------------------------------------------------

def test_every_table_in_every_format_and_the_codebook(exported):
    out, result = exported
    for name in TABLE_NAMES:
        for fmt in FORMATS:
            assert (out / f"{name}.{fmt}").is_file(), (name, fmt)
    assert (out / "codebook.md").is_file() and (out / "codebook.csv").is_file()
    assert (out / "run_record.json").is_file() and (out / "department_years.do").is_file()
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


def test_lang_en_csv_has_a_bom_variable_names_and_reads_back_equal_to_the_parquet(exported_all):
    out, _ = exported_all
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
    assert a1["region"] == "广州市天河区" and a1["quality"] == "warn" and a1["sangong_parts_mismatch"] == "true"


def from_zh_csv(path: Path, table) -> pl.DataFrame:
    """A default (zh) CSV decoded with the declaration alone: Chinese headers back to variable names,
    Chinese value labels back to the stored values, 是/否 back to booleans."""
    df = pl.read_csv(path, infer_schema=False)
    assert df.columns == [c.label for c in table.columns]
    df = df.rename({c.label: c.name for c in table.columns})
    exprs = []
    for c in table.columns:
        if c.values:
            exprs.append(pl.col(c.name).replace_strict({lab: v for v, lab in c.values}, default=None))
        elif pa.types.is_boolean(c.type):
            exprs.append(pl.col(c.name).replace_strict({"是": True, "否": False}, default=None))
        else:
            exprs.append(pl.col(c.name))
    return df.select(exprs)


def test_csv_opens_in_excel_with_chinese_headers_and_chinese_category_values_by_default(exported):
    out, _ = exported
    for name, table in export_tables().items():
        assert (out / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf"), name
        expected = pl.read_parquet(out / f"{name}.parquet")
        back = from_zh_csv(out / f"{name}.csv", table).cast(expected.schema)
        assert back.equals(expected), name            # every value survives the labels
    rows = {r["文件标识（SHA-256前16位）"]: r for r in csv.DictReader(
        (out / "department_years.csv").read_text(encoding="utf-8-sig").splitlines())}
    a1, b1 = rows["a1"], rows["b1"]
    assert (a1["数据质量"], a1["三公经费合计与分项之和不符"], a1["预算完成率口径"]) == ("有警告", "是", "年初预算")
    assert (b1["数据质量"], b1["三公经费合计与分项之和不符"], b1["预算完成率口径"]) == ("无问题", "否", "全年预算")
    assert a1["三公经费决算数（公开合计，万元）"] == "80.50" and a1["年度"] == "2022"
    text = (out / "department_years.csv").read_text(encoding="utf-8-sig")
    assert not {"warn", "clean", "initial", "true", "false"} & set(text.replace("\n", ",").split(","))


def test_every_column_label_is_unique_within_its_table():
    for table in export_tables().values():             # a Chinese header names one column only
        labels = [c.label for c in table.columns]
        assert len(set(labels)) == len(labels), table.name


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
        assert list(rows[0]) == [c.label for c in table.columns]
        assert len(rows) == expected.height + 1
        codebook = list(wb["codebook"].iter_rows(values_only=True))
        assert codebook[0][:3] == ("序号", "中文标签", "变量名")
        assert [r[2] for r in codebook[1:]] == table.column_names          # the variable name beside its label
        assert [r[1] for r in codebook[1:]] == [c.label for c in table.columns]
    wb = openpyxl.load_workbook(out / "department_years.xlsx", read_only=True)
    rows = list(wb["department_years"].iter_rows(values_only=True))
    cols = rows[0]
    a1 = dict(zip(cols, next(r for r in rows if r[cols.index("文件标识（SHA-256前16位）")] == "a1"), strict=True))
    assert a1["三公经费决算数（公开合计，万元）"] == pytest.approx(80.5) and a1["年度"] == 2022
    assert (a1["数据质量"], a1["三公经费合计与分项之和不符"]) == ("有警告", "是")


def test_xlsx_has_a_bold_frozen_filtered_header_fitted_widths_and_number_formats(exported):
    from openpyxl.utils import get_column_letter

    from etl.analysis.export_sheet import display_width

    out, _ = exported
    ws = openpyxl.load_workbook(out / "department_years.xlsx")["department_years"]
    columns = DEPARTMENT_YEARS.columns
    last = get_column_letter(len(columns))
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}" and ws.max_row == 3
    assert all(ws.cell(1, j).font.b for j in range(1, len(columns) + 1))
    assert not ws.cell(2, 1).font.b
    at = {c.name: j for j, c in enumerate(columns, 1)}
    # a cell's own format; an empty cell (not written) takes its column's
    fmt = {name: ws.cell(2, j).number_format if ws.cell(2, j).value is not None
           else ws.column_dimensions[get_column_letter(j)].number_format for name, j in at.items()}
    assert ws.cell(2, at["sangong_actual"]).value is not None and ws.cell(2, at["gpb_completion_pct"]).value
    assert {fmt[n] for n in ("sangong_actual", "personnel_cost", "gpb_budget", "total_expenditure")} == {"#,##0.00"}
    assert fmt["gpb_completion_pct"] == fmt["gpb_completion_pct_printed"] == "0.00"     # 125.00 (%), as printed
    assert fmt["year"] == fmt["checks_failed"] == "0"
    assert fmt["personnel_public_ratio"] == "0.00##"

    def width(name: str) -> float:
        return ws.column_dimensions[get_column_letter(at[name])].width

    departments = [ws.cell(r, at["department"]).value for r in range(2, ws.max_row + 1)]
    assert width("department") >= max(display_width(d) for d in departments) >= 2 * len("广州市天河区财政局")
    assert width("year") < width("department") and width("quality") < width("department")
    assert ws.row_dimensions[1].height >= 30            # long Chinese headers wrap onto two lines or more
    cb = openpyxl.load_workbook(out / "department_years.xlsx")["codebook"]
    assert cb["A1"].font.b and cb.freeze_panes == "A2" and cb.auto_filter.ref
    assert cb.column_dimensions["G"].width <= 81 and cb["G2"].alignment.wrap_text     # 说明 wraps


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
        computed = [c.name for c, _ in LONG_COMPUTED.get(name, ())]   # e.g. both budget bases (issue 21)
        assert df.columns[5:] == PARQUET_TABLES[name].column_names + computed, name
        assert all("/" not in f for f in df["source_file"]), name
    sg = pl.read_parquet(out / "sangong.parquet").filter(pl.col("doc_id") == "a1")
    assert sg["item"].to_list() == ["total", "overseas", "vehicle_total", "vehicle_purchase", "vehicle_operation",
                                    "reception"]
    assert set(sg["source_file"]) == {"a1年度部门决算.pdf"}
    assert set(sg["department_id"]) == set(dy(out).filter(pl.col("doc_id") == "a1")["department_id"])
    assert sg["department_id"][0] and sg["region"][0] == "广州市天河区"


def test_export_before_any_etl_stops_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(NothingToExport, match=r"no documents in .*run `juesuan etl RAW_DIR --out"):
        export(write_tables(tmp_path / "pq", {}), out)          # an empty Parquet set: 0 documents
    (tmp_path / "fresh").mkdir()                                 # a fresh clone's empty data/parquet/
    with pytest.raises(NothingToExport, match="no documents"):
        export(tmp_path / "fresh", out)
    with pytest.raises(NothingToExport, match=r"not found.*juesuan etl"):
        export(tmp_path / "nope", out)
    assert not out.exists()


def test_export_when_the_quality_gate_leaves_out_every_department_year_says_how_to_include_them(tmp_path):
    rows = fixture_rows()
    kept = {"c1", "f1"}                                         # the two that fail the default gate
    rows = {t: [r for r in rs if r.get("doc_id") in kept] for t, rs in rows.items()}
    pq_dir, out = write_tables(tmp_path / "pq", rows), tmp_path / "out"
    with pytest.raises(NothingToExport, match=r"left out all 2 \(fail \(未通过\): 2\).*--all-quality"):
        export(pq_dir, out, ("csv",))
    assert not out.exists()
    assert export(pq_dir, out, ("csv",), quality="all").rows["department_years"] == 2


def test_export_of_documents_without_final_accounts_stops(tmp_path):
    rows = {"documents": [{**doc("g1", "广州市天河区财政局"), "doc_kind": "budget"}]}      # a 部门预算 only
    out = tmp_path / "out"
    with pytest.raises(NothingToExport, match="0 department-years .*none of the 1 document"):
        export(write_tables(tmp_path / "pq", rows), out, quality="all")
    assert not out.exists()


# -- the declarations ----------------------------------------------------------------------------

def test_a_view_that_differs_from_the_declaration_stops_the_export(parquet_dir, tmp_path):
    con = connect(parquet_dir)
    sql = table_sql(con, "department_years", DEPARTMENT_YEARS)
    check_columns(con, sql, DEPARTMENT_YEARS)          # as declared: fine
    fewer = dataclasses.replace(DEPARTMENT_YEARS, columns=DEPARTMENT_YEARS.columns[:-1])
    with pytest.raises(ExportSchemaError, match=f"not declared: {DEPARTMENT_YEARS.columns[-1].name}"):
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
        computed = {c.name for c, _ in LONG_COMPUTED.get(name, ())}   # declared in export_schema itself
        for c in export_tables()[name].columns[len(KEY_COLUMNS):]:
            if c.name in computed:
                continue
            parquet = next(p for p in PARQUET_TABLES[name].columns if p.name == c.name)
            assert (c.type, c.description) == (parquet.type, parquet.description)


def test_codebook_is_generated_from_the_declarations(exported, exported_all):
    out, _ = exported
    with open(exported_all[0] / "codebook.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))                                   # --lang en: the field names
    assert rows == [{k: str(v) for k, v in r.items()} for r in codebook_rows()]
    with open(out / "codebook.csv", encoding="utf-8-sig", newline="") as f:
        zh = list(csv.DictReader(f))                                     # default: Chinese field names
    back = [{k: row[CODEBOOK_FIELDS_ZH[k]] for k in CODEBOOK_FIELDS} for row in zh]
    assert back == [{k: str(v) for k, v in r.items()} for r in codebook_rows(lang="zh")]
    assert list(zh[0])[:4] == ["表", "序号", "中文标签", "变量名"]


def test_codebook_describes_every_column_in_chinese_by_default(exported):
    from etl.analysis.export_zh import description_zh

    out, _ = exported
    for table in export_tables().values():
        for c in table.columns:
            assert description_zh(table.name, c.name), (table.name, c.name)
    with open(out / "codebook.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    english = [r["变量名"] for r in rows if not re.search(r"[\u4e00-\u9fff]", r["说明"])]
    assert not english, english
    quality = next(r for r in rows if r["表"] == "department_years" and r["变量名"] == "quality")
    assert quality["说明"].startswith("各数据组质量等级中最差的一个")
    md = (out / "codebook.md").read_text(encoding="utf-8")
    assert "| # | 变量名 | 类型 | 标签 | 说明 |" in md and "人员经费 ÷ 公用经费" in md
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
    assert sorted(p.name for p in out.glob("department_years.*")) == [
        "department_years.csv", "department_years.do", "department_years.dta"]
    assert pl.read_csv(out / "department_years.csv")["三公经费口径（本次导出）"].unique().to_list() == ["分项之和"]
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "export", "--parquet", str(parquet_dir), "--out",
                           str(tmp_path / "x"), "--format", "sav"], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 2 and "sav" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "export", "--parquet", str(tmp_path / "nope"), "--out",
                           str(tmp_path / "x")], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 2 and "not found" in proc.stderr and "juesuan etl" in proc.stderr
    assert not (tmp_path / "x").exists()


def test_cli_export_with_no_documents_exits_non_zero_and_writes_nothing(tmp_path, capsys):
    import argparse

    from etl.analysis.export import add_arguments, run

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    empty = write_tables(tmp_path / "pq", {})
    assert run(parser.parse_args(["--parquet", str(empty), "--out", str(tmp_path / "x"), "--lang", "en"])) == 2
    err = capsys.readouterr().err
    assert "no documents" in err and "juesuan etl" in err
    assert not (tmp_path / "x").exists()


def test_default_summary_says_what_was_left_out_and_why(exported):
    from etl.analysis.export import summary

    text = summary(exported[1])
    assert "left out by the quality gate: 2 department-year(s)" in text
    assert "fail (未通过): 2" in text and "解析失败" in text


# -- Stata do-file and run record ----------------------------------------------------------------


def do_variables(text: str) -> tuple[set[str], set[str], dict[str, str]]:
    """Variables a do-file names, those it generates, and label values' variable -> value-label name."""
    named, generated, values = set(), set(), {}
    for line in text.splitlines():
        line = line.split("//")[0].strip()
        if not line or line.startswith("*"):
            continue
        if m := re.match(r"encode (\w+), generate\((\w+)\)$", line):
            named.add(m[1])
            generated.add(m[2])
        elif m := re.match(r"(?:isid|xtset|duplicates report) (\w+) (\w+)(?:, yearly)?$", line):
            named |= {m[1], m[2]}
        elif m := re.match(r"label variable (\w+) ", line):
            named.add(m[1])
        elif m := re.match(r"label values (\w+) (\w+)$", line):
            named.add(m[1])
            values[m[1]] = m[2]
    return named, generated, values


def test_stata_do_file_encodes_the_department_and_xtsets_variables_that_exist_in_the_dta(exported):
    out, _ = exported
    text = (out / "department_years.do").read_text(encoding="utf-8")
    _, meta = pyreadstat.read_dta(out / "department_years.dta", metadataonly=True)
    dta = set(meta.column_names)
    named, generated, values = do_variables(text)
    assert 'use "department_years.dta", clear' in text.splitlines()
    assert "encode department_id, generate(department_code)" in text
    assert re.search(r"^xtset department_code year, yearly$", text, re.M)
    assert re.search(r"^isid department_code year$", text, re.M)
    assert text.index("\nencode department_id") < text.index("\nxtset ")      # encode before xtset
    assert generated == {"department_code"} and not generated & dta
    assert named - generated <= dta, sorted(named - generated - dta)         # every variable it names exists
    assert named - generated == dta                                          # and every variable is labelled
    labelled = {c.name for c in DEPARTMENT_YEARS.columns if c.value_labels}
    assert set(values) == labelled == set(meta.variable_value_labels)
    for name in labelled:                      # label define matches the .dta's value labels code by code
        m = re.search(rf"^label define {values[name]} (.*), replace$", text, re.M)
        pairs = dict((int(k), v) for k, v in re.findall(r'(\d+) "([^"]*)"', m[1]))
        assert pairs == meta.variable_value_labels[name], name
    assert "label variable year \"年度\"" in text and re.search(r"^\* .*[\u4e00-\u9fff]", text, re.M)


def test_run_record_lists_every_input_with_its_sha256_and_the_snapshot(parquet_dir, exported_all):
    ident = SNAPSHOT
    out = exported_all[0]
    record = json.loads((out / "run_record.json").read_text(encoding="utf-8"))
    documents = pl.read_parquet(parquet_dir / "snapshots" / ident / "documents.parquet")
    assert sorted(r["sha256"] for r in record["inputs"]) == sorted(documents["sha256"])
    assert {r["file"]: r["sha256"] for r in record["inputs"]} == dict(documents.select("source_file", "sha256").rows())
    assert record["snapshot"] == ident and record["documents"] == documents.height == 4
    assert record["options"] == {"formats": "csv,parquet", "lang": "en", "quality": "all", "all_quality": True,
                                 "sangong_basis": "printed", "balanced": None}
    assert record["juesuan_version"] and record["exported_at"].endswith("+00:00")
    assert set(record["parser_versions"]) == {str(v) if v else "(none)" for v in documents["parser_version"]}
    assert record["rows"]["department_years"] == 4
    md = (out / "codebook.md").read_text(encoding="utf-8")
    assert "## 运行记录 / Run record" in md and ident.replace("-", "\\-").replace(".", "\\.") in md
    for r in record["inputs"]:
        assert r["sha256"] in md
