"""The counts table scored against truth: generated reports (their truth JSON's `counts`, every wording the
generator prints: 国内/外事 split, bracketed 外事, total only, absent; 编制/实有人数 or none; 中小企业 or none; 购置 in
numerals or Chinese numerals) and the real reports of ../shared (tests/real_counts.json, transcribed by us)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.parsing.parse import parse_pdf
from etl.sample import catalog as cat
from etl.sample import sangong_page
from etl.sample.document import generate
from etl.sample.layout import choose_layout
from etl.sample.seed_report import generate_seed

HERE = Path(__file__).resolve().parent
DEPT = {d.key: d for d in cat.DEPT_TYPES}
SH = ("上海市", "普陀区", "长寿路街道")
GZ = ("广州市", "天河区", "石牌街道")
#: district reports whose hashed wordings cover every counts wording of etl/sample/narrative.py (see the test below)
DISTRICT = [(SH, "财政局", 2021, {}), (GZ, "教育局", 2022, {"unit": "元"}), (SH, "民政局", 2023, {}),
            (GZ, "卫生健康委员会", 2020, {}), (SH, "公安分局", 2022, {"thousands": False}), (SH, "司法局", 2020, {})]
PAGES = ("anhui", "yunnan", "school", "text")


def _key(rows) -> list[tuple]:
    return sorted((r["kind"], r["scope"] or "", round(float(r["value"]), 6), r["unit"]) for r in rows)


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> list[tuple[str, list, list]]:
    """(name, truth counts, parsed counts) of each generated report, parsed in-process (no batch)."""
    folder = tmp_path_factory.mktemp("counts")
    out = []
    generated = [generate(5, *where, DEPT[key], year, choose_layout(5, where[0], where[0] + where[1], year, key,
                                                                    {"inconsistency": None, **force}))
                 for where, key, year, force in DISTRICT]
    generated += [sangong_page.disclosure(5, c) for c in sangong_page.CASES if c.name in PAGES]
    generated.append(generate_seed())  # a real 2017 广州 report's wording (国外来访团组, 单位价值50万元以上设备)
    for n, g in enumerate(generated):
        path = folder / f"{n}{Path(g.file_name).suffix}"
        path.write_bytes(g.pdf)
        parsed = parse_pdf(path, f"doc{n}").rows.get("counts", [])
        out.append((g.file_name, g.truth.get("counts"), parsed))
    return out


def test_generated_counts_score_one(scored):
    for name, truth, parsed in scored:
        assert truth is not None, f"{name}: the generator records no counts truth"
        assert _key(parsed) == _key(truth), name


def test_generated_corpus_covers_every_counts_wording(scored):
    rows = [r for _, truth, _ in scored for r in truth]
    scopes = {(r["kind"], r["scope"]) for r in rows}
    assert {("reception_batches", "domestic"), ("reception_batches", "foreign"), ("reception_batches", None),
            ("reception_people", "domestic")} <= scopes
    for kind in ("staff_authorised", "staff_actual", "units_consolidated", "vehicles_held", "vehicles_purchased",
                 "overseas_groups", "admin_operation_cost", "procurement_total", "procurement_sme", "vehicles_owned"):
        assert any(r["kind"] == kind for r in rows), kind
    # the absent cases: a report printing no 人员情况, no 中小企业 amount, no 公务接待 counts
    district = [{r["kind"] for r in truth} for _, truth, _ in scored[:len(DISTRICT)]]
    for kind in ("staff_actual", "procurement_sme", "reception_batches"):
        assert any(kind not in kinds for kinds in district), kind


REAL = json.loads((HERE / "real_counts.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(REAL["documents"]))
def test_real_reports_counts_match_our_transcription(name, shared):
    pdf = shared / "real-pdfs" / name
    if not pdf.exists():
        pytest.skip(f"{name} not in ../shared")
    parsed = parse_pdf(pdf, "real").rows["counts"]
    expected = REAL["documents"][name]["counts"]
    got = {(r["kind"], r["scope"]): (r["value"], r["page"]) for r in parsed}
    sentences = {(r["kind"], r["scope"]): r["sentence"] for r in parsed}
    for row in expected:
        assert got.get((row["kind"], row["scope"])) == pytest.approx((row["value"], row["page"])), row
        # the sentence it was read from, without the heading above it
        assert row["printed"].replace(" ", "") in sentences[(row["kind"], row["scope"])], row
        assert "情况" not in sentences[(row["kind"], row["scope"])].split("，")[0], row
    assert len(got) == len(expected), sorted(set(got) - {(r["kind"], r["scope"]) for r in expected})
