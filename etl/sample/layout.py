"""Which typesetting features a document uses.

The family follows the city (Guangzhou → the 2017 公开NN表 family, Shanghai → the 2024 family);
the other features are drawn per region-year (a collection is typeset by one office in one year)
with a few per document (元 instead of 万元, an injected inconsistency). `force` sets any field by
name, which the tests use to get every feature into a tiny corpus.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields


@dataclass
class Layout:
    family: str  # "gz" (公开01表, 部门：… 单位：万元, 7-digit codes, 行次) or "sh" (类/款/项 columns, 09 table)
    ruled: bool = True  # tables drawn with ruling lines (False: no lines at all)
    repeat_header: bool = True  # a table continuing on the next page repeats title and header
    zero: str = "0.00"  # how a zero cell prints: "0.00", "", "-", "—"
    thousands: bool = True  # 2,940.05 rather than 2940.05
    unit: str = "万元"  # "元": table cells ×10000 and the unit line says 单位：元
    spaced: bool = False  # spaced-out header labels (项 目, 合 计, 因 公 出 国…)
    narrow_labels: bool = False  # a narrow 科目名称 column, so long names wrap onto a second line
    landscape: bool = True  # wide tables on landscape pages
    header_footer: bool = True  # running header with the report name, page numbers at the foot
    page_number_style: str = "plain"  # "plain" 3, "dash" — 3 —, "of" 第3页
    number_font: bool = False  # narrative numbers in Times, slightly off the baseline (ONLYOFFICE look)
    table_number_font: bool = True  # table figures in Times rather than the CJK font
    rows_per_page: int = 26  # body rows before a table continues on the next page
    total_at_bottom: bool = False  # gpb table 合计 row printed last
    split_codes: bool = True  # sh: 类/款/项 code columns (False: one joined code column)
    full_year_budget: bool = False  # narrative gives 全年预算 besides 年初预算
    item_pct: bool = True  # item paragraphs print 完成年初预算的 Z%
    state_capital: bool = True  # 09 table present
    nontax_table: bool = False  # 非税收入 table in the narrative
    narrative_variant: int = 0  # wording variant of the narrative statements
    gpb_wording: str | None = None  # narrative.GPB_WORDINGS entry; None: chosen per document
    sangong_wording: str | None = None  # narrative.SANGONG_WORDINGS entry; None: chosen per document
    inconsistency: str | None = None  # id from figures.INCONSISTENCIES
    totals_wording: str | None = None  # "comma_joined": 收、支总计各是X,Y万元 (catalogue §8); None: 均为
    sangong_yoy_wording: str | None = None  # narrative.SANGONG_YOY_WORDINGS entry; None: 增加/减少 X，增长/下降 Y%

    @property
    def split_fiscal(self) -> bool:
        """Income side of 收入支出决算总表 splits 一般公共预算 / 政府性基金 (post-2018 layout)."""
        return self.family == "sh"


FIELD_NAMES = {f.name for f in fields(Layout)}
#: Features added after the default corpus's bytes were recorded (tests/test_sample_families.py): a truth's
#: `layout` lists them only when set, so a document that does not use them keeps its truth byte for byte.
OPT_IN_FIELDS = ("totals_wording", "sangong_yoy_wording")


def choose_layout(seed: int, city: str, region: str, year: int, doc_key: str, force: dict | None = None) -> Layout:
    """The layout of one document; region-year features are shared by all its departments."""
    ry = random.Random(f"{seed}|layout|{region}|{year}")
    doc = random.Random(f"{seed}|layout|{region}|{year}|{doc_key}")
    family = "gz" if city == "广州市" else "sh"
    lay = Layout(family=family)
    lay.ruled = ry.random() < 0.75
    lay.repeat_header = ry.random() < 0.6
    lay.thousands = ry.random() < 0.7
    lay.spaced = ry.random() < 0.5
    lay.narrow_labels = ry.random() < 0.5
    lay.landscape = family == "sh" or ry.random() < 0.3
    lay.header_footer = ry.random() < 0.7
    lay.page_number_style = ry.choice(["plain", "dash", "of"])
    lay.number_font = ry.random() < 0.5
    lay.table_number_font = ry.random() < 0.7
    lay.rows_per_page = ry.choice([14, 18, 22, 26, 30])
    lay.narrative_variant = ry.randrange(3)
    if family == "gz":
        lay.zero = ry.choice(["0.00", "0.00", "-", ""])
        lay.state_capital = year >= 2019 and ry.random() < 0.7
        lay.nontax_table = True
        lay.full_year_budget = ry.random() < 0.3
        lay.item_pct = ry.random() < 0.7
        lay.split_codes = False
    else:
        lay.zero = ry.choice(["", "", "-", "—", "0.00"])
        lay.state_capital = True
        lay.total_at_bottom = ry.random() < 0.3
        lay.split_codes = ry.random() < 0.75
        lay.full_year_budget = ry.random() < 0.4
        lay.item_pct = ry.random() < 0.5
    lay.unit = "元" if doc.random() < 0.1 else "万元"
    if doc.random() < 0.06:
        from etl.sample.figures import INCONSISTENCIES

        lay.inconsistency = doc.choice(sorted(INCONSISTENCIES))
    for k, v in (force or {}).items():
        if k not in FIELD_NAMES:
            raise ValueError(f"unknown layout feature {k!r}")
        setattr(lay, k, v)
    return lay
