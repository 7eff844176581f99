"""Choosing a department and a span of years from what a reader types (notebook 05's parameters).

    from etl.analysis.select import parse_years, choose_department, candidates_from
    years = parse_years("2020–2022")                 # [2020, 2021, 2022]
    dept = choose_department(candidates_from(con), region="天河区", department="卫生健康局")

Names are matched loosely, because a reader types the name as the report prints it, or a short
form of it, while the data hold the full name (广州市天河区卫生健康局), a unified type
(卫生健康委员会) and a stable department_id (广州市天河区/卫生健康委员会, surviving renames):

- a region matches when either name contains the other (天河区 ⊂ 广州市天河区);
- a department is compared with every name the department was published under, its types and
  its department_id, in tiers — exact, then either name containing the other, then the same after
  dropping the institutional suffix (局 / 委员会 / 办公室 …: 卫生健康局 and 卫生健康委员会 both
  become 卫生健康) — and only the best tier is kept;
- a region named inside the department (天河区卫生健康局) restricts the region.

One department_id is one department across the years (renames included). When several match,
`choose_department` raises `ChoiceNeeded` listing them, never picks one silently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

#: Institutional suffixes dropped for the loosest tier (longest first).
_SUFFIXES = ("委员会办公室", "管理委员会", "委员会", "办公室", "管理局", "分局", "局", "委", "办", "厅",
             "中心", "部")
_DASHES = "-–—－~～至到"
_RANGE = re.compile(rf"^(\d{{4}})\s*[{_DASHES}]+\s*(\d{{4}})$")
_YEAR = re.compile(r"^\d{4}$")
_SEPARATORS = re.compile(r"[,，、;；/\s]+")
YEAR_MIN, YEAR_MAX = 1990, 2100


class SelectionError(ValueError):
    """A parameter that cannot be used as given; the message (Chinese) says what to change.

    In a notebook the message is shown without a Python traceback (IPython's
    `_render_traceback_` protocol)."""

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


class ChoiceNeeded(SelectionError):
    """Several departments (or none) match: the message lists the candidates to choose from."""

    def __init__(self, message: str, candidates: list[Candidate]):
        super().__init__(message)
        self.candidates = candidates


def parse_years(spec) -> list[int] | None:
    """Years from '2020-2022', '2020–2022', '2020—2022', '2020,2022', '2017，2019-2022', 2021, [2020, 2021].

    None or '' means all years (None). Raises SelectionError (Chinese message) on anything else."""
    if spec is None:
        return None
    if isinstance(spec, int):
        spec = str(spec)
    if isinstance(spec, (list, tuple, set)):
        spec = ",".join(str(s) for s in spec)
    text = unicodedata.normalize("NFKC", str(spec)).strip()
    # NFKC turns full-width digits and commas into ASCII but keeps the en and em dashes
    text = re.sub(rf"\s*([{_DASHES}]+)\s*", r"\1", text)
    if not text:
        return None
    years: set[int] = set()
    for part in _SEPARATORS.split(text):
        if not part:
            continue
        m = _RANGE.match(part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a > b:
                raise SelectionError(f"年度范围「{part}」的起始年度大于结束年度，请写成「{b}-{a}」。")
            years.update(range(a, b + 1))
        elif _YEAR.match(part):
            years.add(int(part))
        else:
            raise SelectionError(
                f"无法识别的年度「{part}」：请写成 2021、2020-2022（也可用 – 或 —）或 2020,2022。")
    bad = sorted(y for y in years if not YEAR_MIN <= y <= YEAR_MAX)
    if bad:
        raise SelectionError(f"年度 {bad[0]} 不在 {YEAR_MIN}–{YEAR_MAX} 之间。")
    return sorted(years)


def format_years(years) -> str:
    """2017、2019–2022 (consecutive runs joined by an en dash, gaps shown)."""
    ys = sorted({int(y) for y in years if y is not None})
    runs: list[list[int]] = []
    for y in ys:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return "、".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def normalise(name: str | None) -> str:
    """NFKC, no whitespace (CJK text is often spaced out in the PDFs)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


def core_name(name: str) -> str:
    """The name without its institutional suffix (卫生健康委员会 → 卫生健康), kept when too short."""
    n = normalise(name)
    for s in _SUFFIXES:
        if n.endswith(s) and len(n) - len(s) >= 2:
            return n[: -len(s)]
    return n


def region_forms(region: str) -> list[str]:
    """Ways a reader may write a region: 广州市天河区, 天河区, 天河 (longest first, ≥ 2 characters)."""
    r = normalise(region)
    forms = [r]
    short = re.split(r"[省市]", r)[-1] if re.search(r"[省市].", r) else r
    forms.append(short)
    if len(short) > 2 and short[-1] in "区县旗":
        forms.append(short[:-1])
    return sorted({f for f in forms if len(f) >= 2}, key=len, reverse=True)


@dataclass(frozen=True)
class Candidate:
    """One department as the views know it: its stable id and every name it was published under."""
    department_id: str
    region: str                                     # the full region name (region_key)
    names: tuple[str, ...]                          # department names, latest first
    types: tuple[str, ...] = ()                     # department_type values
    regions: tuple[str, ...] = ()                   # region names as printed
    years: tuple[int, ...] = ()
    weight: float = 0.0                             # for the default pick: 三公 决算 summed
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def name(self) -> str:
        return self.names[0] if self.names else self.department_id

    def describe(self) -> str:
        former = f"；曾用名 {'、'.join(self.names[1:])}" if len(self.names) > 1 else ""
        years = f"{format_years(self.years)} 年" if self.years else "无年度"
        return f"{self.region} · {self.name}（{years}{former}；编号 {self.department_id}）"


def candidates_from(con, table: str = "department_year_metrics") -> list[Candidate]:
    """Candidates from the views: one per department_id, with its names, types and years (gated)."""
    rows = con.execute(f"""
        SELECT department_id, any_value(region_key) AS region_key,
               list(DISTINCT department), list(DISTINCT department_type), list(DISTINCT region),
               list(DISTINCT year ORDER BY year), arg_max(department, year) AS latest,
               coalesce(sum(sangong_used_actual), 0)
        FROM (SELECT m.*, i.region_key FROM {table} AS m
              LEFT JOIN department_ids AS i USING (region, department))
        GROUP BY department_id ORDER BY department_id""").fetchall()
    out = []
    for dept_id, region_key, names, types, regions, years, latest, weight in rows:
        names = [latest] + sorted(n for n in names if n != latest)
        out.append(Candidate(dept_id, region_key or (regions[0] if regions else ""), tuple(names),
                             tuple(t for t in types if t), tuple(regions), tuple(years), float(weight)))
    return out


def _region_ok(c: Candidate, region: str) -> bool:
    q = normalise(region)
    return any(q in r or r in q for r in map(normalise, (c.region, *c.regions)) if r)


def _tier(c: Candidate, query: str) -> int | None:
    """0 exact, 1 contains (names, id), 2 contains (types), 3 contains after dropping suffixes."""
    q = normalise(query)
    names = [normalise(n) for n in (*c.names, c.department_id, c.department_id.split("/")[-1])]
    types = [normalise(t) for t in c.types]
    if q in names or q in types:
        return 0
    if any(q in n or n in q for n in names if n):
        return 1
    if any(q in t or t in q for t in types if t):
        return 2
    qc = core_name(q)
    if any(qc in core_name(n) or core_name(n) in qc for n in names + types if n):
        return 3
    return None


def match_departments(cands: list[Candidate], region: str | None = None,
                      department: str | None = None) -> list[Candidate]:
    """The candidates matching region and department (best tier only); all when both are empty."""
    pool = [c for c in cands if not region or _region_ok(c, region)]
    if not department:
        return pool
    query = normalise(department)
    if not region:
        # a region written inside the department name (天河区卫生健康局) restricts the region
        for form in sorted({f for c in pool for r in (c.region, *c.regions) for f in region_forms(r)},
                           key=len, reverse=True):
            if query.startswith(form) and len(query) > len(form) + 1:
                narrowed = [c for c in pool if form in {f for r in (c.region, *c.regions) for f in region_forms(r)}]
                by_full = [c for c in narrowed if _tier(c, query) in (0, 1)]
                if by_full:
                    return _best(by_full, query)
                pool, query = narrowed, query[len(form):]
                break
    return _best(pool, query)


def _best(pool: list[Candidate], query: str) -> list[Candidate]:
    tiers = {}
    for c in pool:
        t = _tier(c, query)
        if t is not None:
            tiers.setdefault(t, []).append(c)
    return tiers[min(tiers)] if tiers else []


def choose_department(cands: list[Candidate], region: str | None = None,
                      department: str | None = None) -> Candidate:
    """The one department meant; raises ChoiceNeeded (listing candidates) when none or several match.

    Both empty: the department with the most years, then the largest 三公 决算 (the default profile)."""
    region = (region or "").strip() or None
    department = (department or "").strip() or None
    if not cands:
        raise ChoiceNeeded("数据中没有任何部门-年度（质量筛选之后）。", [])
    if not region and not department:
        return max(cands, key=lambda c: (len(c.years), c.weight, c.department_id))
    found = match_departments(cands, region, department)
    asked = "、".join(f"{k}「{v}」" for k, v in (("地区", region), ("部门", department)) if v)
    if len(found) == 1:
        return found[0]
    if not found:
        pool = [c for c in cands if not region or _region_ok(c, region)] or cands
        hint = "\n".join(f"  - {c.describe()}" for c in sorted(pool, key=lambda c: c.department_id)[:15])
        more = f"\n  …（共 {len(pool)} 个）" if len(pool) > 15 else ""
        raise ChoiceNeeded(f"没有找到与{asked}匹配的部门。可选的部门有：\n{hint}{more}", [])
    listing = "\n".join(f"  - {c.describe()}" for c in sorted(found, key=lambda c: c.department_id))
    raise ChoiceNeeded(
        f"{asked}匹配到 {len(found)} 个部门，请选定一个：\n{listing}\n"
        "请把地区（参数 REGION，或 --region）写得更具体，或把部门（参数 DEPARTMENT，或 --department）"
        "设为上面括号中的编号。", found)


# ---------------------------------------------------------------- a selection of documents

def matching_regions(regions: list[str], query: str) -> list[str]:
    """The regions (as printed) a reader's region matches: either name contains the other, by any
    of its short forms (天河区, 天河 for 广州市天河区)."""
    q = normalise(query)
    return sorted(r for r in regions if r and any(q in f or f in q for f in (normalise(r), *region_forms(r))))


def documents_where(con, region: str | None = None, years=None) -> str | None:
    """A SQL condition on `documents` for the region and years a reader asked for (None: all).

    Raises SelectionError (Chinese, listing what there is) when the region or the years match
    no document, so that no page goes on to state facts about zero files."""
    conditions = []
    if region and str(region).strip():
        present = [r[0] for r in con.execute(
            "SELECT DISTINCT region FROM documents WHERE region IS NOT NULL ORDER BY 1").fetchall()]
        found = matching_regions(present, str(region))
        if not found:
            listing = "、".join(present[:30]) + (" 等" if len(present) > 30 else "") or "（没有地区）"
            raise SelectionError(f"没有与地区「{region}」匹配的文件。数据中的地区：{listing}。")
        conditions.append("region IN (" + ", ".join("'" + r.replace("'", "''") + "'" for r in found) + ")")
    asked = parse_years(years)
    if asked:
        clause = f"year IN ({', '.join(str(y) for y in asked)})"
        where = " AND ".join([*conditions, clause])
        if not con.execute(f"SELECT count(*) FROM documents WHERE {where}").fetchall()[0][0]:
            present = [r[0] for r in con.execute(
                "SELECT DISTINCT year FROM documents WHERE year IS NOT NULL"
                + (f" AND {' AND '.join(conditions)}" if conditions else "")).fetchall()]
            raise SelectionError(f"所选年度（{format_years(asked)}）没有文件"
                                 + (f"（地区「{region}」）" if conditions else "")
                                 + f"。有文件的年度：{format_years(present) or '无'}。")
        conditions.append(clause)
    return " AND ".join(conditions) or None
