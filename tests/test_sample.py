"""juesuan sample: determinism, truth format and consistency, and each layout feature really in the PDFs."""

from __future__ import annotations

import hashlib
import io
import re

import pdfplumber
import pytest

from etl.sample import catalog as cat
from etl.sample.corpus import write_corpus
from etl.sample.document import generate
from etl.sample.layout import choose_layout
from etl.sample.seed_report import generate_seed

GZ = ("广州市", "天河区", "石牌街道")
SH = ("上海市", "普陀区", "长寿路街道")
DEPT = {d.key: d for d in cat.DEPT_TYPES}

#: name -> (region, department type, year, forced layout features)
FEATURE_DOCS = {
    "gz_ruled_repeat": (
        GZ,
        "财政局",
        2020,
        dict(
            ruled=True,
            repeat_header=True,
            rows_per_page=10,
            spaced=True,
            zero="0.00",
            state_capital=False,
            unit="万元",
            inconsistency=None,
        ),
    ),
    "sh_unruled_bare_yuan": (
        SH,
        "教育局",
        2021,
        dict(
            ruled=False,
            repeat_header=False,
            rows_per_page=10,
            unit="元",
            zero="",
            split_codes=True,
            number_font=True,
            thousands=True,
            landscape=True,
            total_at_bottom=True,
            full_year_budget=True,
            inconsistency=None,
            gpb_wording="initial",  # the tests below look for the 年初预算 wording
            sangong_wording="initial",
        ),
    ),
    "sh_joined_dash": (
        SH,
        "民政局",
        2022,
        dict(
            ruled=True,
            split_codes=False,
            zero="-",
            thousands=False,
            narrow_labels=True,
            unit="万元",
            inconsistency=None,
            gpb_wording="initial",  # test_cjk_text_extracts looks for the 年初预算 wording
            sangong_wording="initial",
        ),
    ),
    "gz_emdash_inconsistent": (
        GZ,
        "公安分局",
        2021,
        dict(zero="—", header_footer=False, unit="万元", inconsistency="personnel_public_vs_basic"),
    ),
}

SCHEMA_KEYS = {
    "source_file",
    "sha256",
    "region",
    "department",
    "year",
    "unit",
    "tables_present",
    "summary",
    "expenditure_by_class",
    "expenditure_total_row",
    "gpb_expenditure_total_row",
    "gpb_items",
    "personnel_cost",
    "public_cost",
    "economic_class",
    "sangong",
    "gpb_budget_execution",
    "item_budget_execution",
    "sangong_narrative",
    "notes",
}


def make(name: str):
    (city, district, street), key, year, force = FEATURE_DOCS[name]
    lay = choose_layout(7, city, city + district, year, key, force)
    return generate(7, city, district, street, DEPT[key], year, lay)


@pytest.fixture(scope="module")
def docs():
    out = {name: make(name) for name in FEATURE_DOCS}
    out["seed"] = generate_seed()
    return out


def pages(doc) -> list:
    return pdfplumber.open(io.BytesIO(doc.pdf)).pages


def texts(doc) -> list[str]:
    return [p.extract_text() or "" for p in pages(doc)]


# ----------------------------------------------------------------------------- determinism


def test_same_seed_same_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        write_corpus(out, regions=2, departments=2, years=[2020, 2021], seed=11, seed_report=True)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert len(files) == 2 * (2 * 2 * 2 + 1)
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f
    c = tmp_path / "c"
    write_corpus(c, regions=1, departments=1, years=[2020], seed=12, seed_report=False)
    one = next(c.rglob("*.pdf")).read_bytes()
    assert all(one != p.read_bytes() for p in a.rglob("*.pdf"))  # another seed, another corpus


# ----------------------------------------------------------------------------- truth


def test_truth_has_schema_keys_and_sha(docs):
    for name, d in docs.items():
        t = d.truth
        assert set(t) >= SCHEMA_KEYS, name
        assert t["sha256"] == hashlib.sha256(d.pdf).hexdigest()
        assert t["source_file"] == d.file_name and d.file_name.endswith(".pdf")
        assert t["unit"] == "万元"
        assert set(t["sangong"]["budget"]) == {
            "total",
            "overseas",
            "vehicle_total",
            "vehicle_purchase",
            "vehicle_operation",
            "reception",
        }
        for it in t["item_budget_execution"]:
            assert len(it["path"].split("/")) == 3
        assert "injected_inconsistency" in t


def test_seed_truth_matches_shared_record(docs, shared):
    import json

    refs = list((shared / "seed").glob("*.json"))
    assert refs, f"no seed record under {shared / 'seed'}"
    ref = json.loads(refs[0].read_text(encoding="utf-8"))
    got = docs["seed"].truth
    for k, v in ref.items():
        if k not in ("sha256", "source_file", "notes"):
            assert got[k] == v, k
    assert got["source_file"] == "2017年广州市天河区人民政府政务管理办公室决算公开报告.pdf"


def _close(a, b, n=1):
    return abs(a - b) <= 0.011 * max(n, 1) + 1e-9


def check_consistency(t: dict) -> list[str]:
    """The checks a parser's consistency checks would make; returns what fails."""
    bad = []
    classes = t["expenditure_by_class"]
    row = t["expenditure_total_row"]
    for col in ("total", "basic", "project"):
        if not _close(sum(c[col] for c in classes), row[col], len(classes)):
            bad.append(f"expenditure classes {col}")
    items, g = t["gpb_items"], t["gpb_expenditure_total_row"]
    for col in ("total", "basic", "project"):
        if not _close(sum(i[col] for i in items), g[col], len(items)):
            bad.append(f"gpb items {col}")
    for r in classes + items + [row, g]:
        if not _close(r["basic"] + r["project"], r["total"], 2):
            bad.append(f"basic+project {r.get('code')}")
    if not _close(t["personnel_cost"] + t["public_cost"], g["basic"], 2):
        bad.append("personnel+public")
    for side in ("budget", "actual"):
        s = t["sangong"][side]
        if not _close(s["vehicle_purchase"] + s["vehicle_operation"], s["vehicle_total"], 2):
            bad.append(f"sangong vehicle {side}")
        if not _close(s["overseas"] + s["vehicle_total"] + s["reception"], s["total"], 3):
            bad.append(f"sangong total {side}")
    ex = t["gpb_budget_execution"]
    if not _close(ex["actual"], g["total"]):
        bad.append("narrative gpb actual")
    if ex["initial_budget"]:
        assert ex["completion_pct"] == round(ex["actual"] / ex["initial_budget"] * 100, 2)
    s = t["summary"]
    assert _close(s["grand_total"], s["income_total"] + s["carryover_begin"], 2)
    return bad


def test_truth_figures_consistent_and_plausible(tmp_path):
    write_corpus(tmp_path, regions=4, departments=12, years=[2019, 2020, 2021, 2022], seed=3, seed_report=False)
    import json

    records = [json.loads(p.read_text(encoding="utf-8")) for p in tmp_path.rglob("*.json")]
    assert len(records) == 4 * 12 * 4
    injected = 0
    for t in records:
        bad = check_consistency(t)
        if t["injected_inconsistency"]:
            injected += 1
            assert t["injected_inconsistency"] in " ".join(t["notes"])
        elif t["injected_inconsistency"] != "expenditure_total_vs_class_rows":
            assert not bad, (t["source_file"], bad)
        ex = t["gpb_budget_execution"]
        assert 80 <= ex["completion_pct"] <= 125, t["source_file"]
        g = t["gpb_expenditure_total_row"]
        assert 0.15 <= g["basic"] / g["total"] <= 0.95
        assert t["sangong"]["actual"]["total"] <= t["sangong"]["budget"]["total"] + 1.0 + 0.01
    assert 0 < injected < len(records) * 0.15
    # 三公 falls over the years in the corpus as a whole
    by_year = {}
    for t in records:
        by_year.setdefault(t["year"], 0.0)
        by_year[t["year"]] += t["sangong"]["budget"]["total"]
    assert by_year[2022] < by_year[2019]


def test_feature_docs_consistency(docs):
    for name, d in docs.items():
        bad = check_consistency(d.truth)
        if d.truth["injected_inconsistency"] == "personnel_public_vs_basic":
            assert bad == ["personnel+public"], name
        elif name != "seed":
            assert not bad, (name, bad)


# ----------------------------------------------------------------------------- layout features in the PDFs


def _table_pages(doc, title):
    return [i for i, t in enumerate(texts(doc)) if title in t]


def test_cjk_text_extracts(docs):
    t = "\n".join(texts(docs["sh_joined_dash"]))
    assert "上海市普陀区民政局2022年度部门决算" in t
    assert "一般公共预算财政拨款支出年初预算为" in t
    assert "“三公”经费财政拨款支出年初预算为" in t
    assert re.search(r"\d+\.\d\d", t)


def test_ruled_and_unruled(docs):
    ruled = pages(docs["gz_ruled_repeat"])
    unruled = pages(docs["sh_unruled_bare_yuan"])
    gz_table = next(p for p in ruled if "收入决算表" in (p.extract_text() or "") and "公开02表" in p.extract_text())
    assert gz_table.rects or gz_table.lines
    sh_table = next(p for p in unruled if "收入决算表" in (p.extract_text() or "") and "单位：" in p.extract_text())
    assert not sh_table.rects and not sh_table.lines


def test_continuation_with_and_without_header(docs):
    rep = texts(docs["gz_ruled_repeat"])
    idx = [i for i, t in enumerate(rep) if "一般公共预算财政拨款基本支出决算表" in t and "公开06表" in t]
    assert len(idx) >= 2 and idx[1] == idx[0] + 1  # continued, title and header repeated
    bare = texts(docs["sh_unruled_bare_yuan"])
    i = next(i for i, t in enumerate(bare) if "一般公共预算财政拨款基本支出决算表" in t and "单位：" in t)
    nxt = bare[i + 1]
    assert "决算表" not in nxt.splitlines()[1] and re.search(r"^30\d{3}", nxt, re.M)  # rows go on, no header


def test_unit_yuan_and_codes(docs):
    yuan = "\n".join(texts(docs["sh_unruled_bare_yuan"]))
    assert "单位：元" in yuan and "单位：万元" not in yuan.rsplit("第三部分", 1)[0]
    t = docs["sh_unruled_bare_yuan"].truth
    total = t["gpb_expenditure_total_row"]["total"]
    assert f"{round(total * 10000):,}.00" in yuan  # figures ×10000
    gz = "\n".join(texts(docs["gz_ruled_repeat"]))
    assert "公开01表" in gz and "部门：广州市天河区财政局" in gz and "单位：万元" in gz
    assert re.search(r"^2010601 ", gz, re.M) and "行次" in gz
    assert re.search(r"^2\d\d \d\d \d\d ", yuan, re.M) and "类 款 项" in yuan
    assert "国有资本经营预算财政拨款收入支出决算表" in yuan and "国有资本经营预算财政拨款收入支出决算表" not in gz
    assert "非税收入" in gz


def test_spaced_labels_zero_styles_and_separators(docs):
    gz = "\n".join(texts(docs["gz_ruled_repeat"]))
    assert "项 目" in gz and "栏 次" in gz
    dash = "\n".join(texts(docs["sh_joined_dash"]))
    assert re.search(r" - ", dash) and not re.search(r"\d,\d{3}\.\d\d", dash.rsplit("第三部分", 1)[0])
    emdash = "\n".join(texts(docs["gz_emdash_inconsistent"]))
    assert "—" in emdash.rsplit("第三部分", 1)[0]
    assert re.search(r"\d,\d{3}\.\d\d", gz)


def test_wrapped_labels(docs):
    t = "\n".join(texts(docs["sh_joined_dash"]))
    assert "机关事业单位基本养老保险缴费支出" not in t.rsplit("第三部分", 1)[0].replace("\n", "") or any(
        "机关事业单位基本" in ln and "缴费支出" not in ln for ln in t.splitlines()
    )


def test_landscape_and_portrait(docs):
    ps = pages(docs["sh_unruled_bare_yuan"])
    assert any(p.width > p.height for p in ps) and any(p.width < p.height for p in ps)


def test_page_numbers_and_header(docs):
    with_hf = texts(docs["gz_ruled_repeat"])
    assert any(re.search(r"(^|\n)(— )?\d+( —)?$|第\d+页", t) for t in with_hf[3:])


def test_narrative_numbers_other_font_off_baseline(docs):
    ps = pages(docs["sh_unruled_bare_yuan"])
    page = next(p for p in ps if "一般公共预算财政拨款支出年初预算为" in (p.extract_text() or ""))
    digits = [c for c in page.chars if c["text"].isdigit()]
    cjk = [c for c in page.chars if "\u4e00" <= c["text"] <= "\u9fff"]
    assert digits and all("Times" in c["fontname"] for c in digits)
    assert all("Times" not in c["fontname"] for c in cjk)
    cjk_tops = {round(c["bottom"], 1) for c in cjk}
    assert any(round(c["bottom"], 1) not in cjk_tops for c in digits)


def test_empty_optional_table_and_gov_fund(docs):
    empty = "\n".join(texts(docs["gz_ruled_repeat"]))
    assert "政府性基金" in empty and "故本表无数据" in empty


def test_seed_report_text(docs):
    t = "\n".join(texts(docs["seed"]))
    assert "广州市天河区人民政府政务管理办公室" in t
    for fig in ("3,463.96", "3,457.26", "896.29", "2,560.94", "778.55", "117.74", "3,063.51", "112.85", "1,063.06"):
        assert fig in t, fig
    assert "公开08表" in t and "公开09表" not in t
