"""The parameters of a report: what `juesuan report --region … --years …` passes to each notebook.

Every notebook has a code cell tagged `parameters` (REGION, YEARS, ALL_QUALITY, SANGONG_BASIS, and
DEPARTMENT in 05) that a JupyterLab user edits. `juesuan report` leaves it as it is and adds,
papermill-style, a cell tagged `injected-parameters` right after it assigning the values given on
the command line (Python literals via repr, so a name cannot become code); a notebook gets only
the parameters its cell declares. The output name carries the values given, e.g.
`05_department_profile--天河区-卫生健康局-2020-2022.html`, so reports for different selections
sit side by side instead of overwriting each other.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from etl.analysis.select import format_years, parse_years

#: Characters no file name may hold on Windows, macOS or Linux, plus whitespace and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')
NAME_LIMIT = 80


@dataclass(frozen=True)
class ReportParams:
    region: str | None = None
    department: str | None = None
    years: str | None = None
    all_quality: bool = False
    sangong_basis: str | None = None

    def values(self) -> dict[str, object]:
        """The notebook variables the command line sets (those left at their default are not set)."""
        out: dict[str, object] = {}
        for name, value in (("REGION", self.region), ("DEPARTMENT", self.department), ("YEARS", self.years),
                            ("SANGONG_BASIS", self.sangong_basis)):
            if value:
                out[name] = value
        if self.all_quality:
            out["ALL_QUALITY"] = True
        return out

    def as_dict(self) -> dict:
        return asdict(self)


def declared(nb) -> set[str]:
    """The variables assigned in the notebook's `parameters` cell (empty when it has none)."""
    cell = next((c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    return set(re.findall(r"^([A-Z_][A-Z0-9_]*)\s*=", cell.source, re.M)) if cell is not None else set()


def applied(nb, params: ReportParams) -> dict[str, object]:
    """The values of `params` that this notebook takes."""
    names = declared(nb)
    return {k: v for k, v in params.values().items() if k in names}


def inject(nb, values: dict[str, object]) -> None:
    """Add a cell tagged `injected-parameters` after the `parameters` cell (papermill's convention)."""
    if not values:
        return
    import nbformat

    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    source = "# juesuan report 传入的参数\n" + "\n".join(f"{k} = {v!r}" for k, v in values.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    if nb.get("nbformat_minor", 0) < 5:   # cell ids exist from nbformat 4.5 on
        cell.pop("id", None)
    nb.cells.insert(at + 1, cell)


def _years_text(years: str) -> str:
    return format_years(parse_years(years) or []).replace("–", "-").replace("、", "_")


def name_suffix(values: dict[str, object]) -> str:
    """`天河区-卫生健康局-2020-2022` from the values a notebook takes ('' when none)."""
    parts = [str(values[k]) for k in ("REGION", "DEPARTMENT") if k in values]
    if "YEARS" in values:
        parts.append(_years_text(str(values["YEARS"])))
    if values.get("ALL_QUALITY"):
        parts.append("不筛选质量")
    if values.get("SANGONG_BASIS") == "parts":
        parts.append("三公三项之和")
    text = _UNSAFE.sub("_", "-".join(parts)).strip("._-")
    return text[:NAME_LIMIT]


def output_name(stem: str, values: dict[str, object]) -> str:
    suffix = name_suffix(values)
    return f"{stem}--{suffix}.html" if suffix else f"{stem}.html"


def describe_zh(values: dict[str, object]) -> str:
    """The parameters as a reader reads them: 地区 天河区；年度 2020–2022 …"""
    parts = []
    if "REGION" in values:
        parts.append(f"地区 {values['REGION']}")
    if "DEPARTMENT" in values:
        parts.append(f"部门 {values['DEPARTMENT']}")
    if "YEARS" in values:
        parts.append(f"年度 {format_years(parse_years(str(values['YEARS'])) or [])}")
    parts.append("质量筛选 关闭（全部部门-年度）" if values.get("ALL_QUALITY") else "质量筛选 开启")
    parts.append("三公经费合计 三项之和" if values.get("SANGONG_BASIS") == "parts" else "三公经费合计 公开的合计数")
    return "；".join(parts)
