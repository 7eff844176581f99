"""Document metadata read from the PDF itself: department, region, fiscal year, kind of document."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from etl.normalise import repair_lines, squeeze
from etl.pagesource.page import Page
from etl.parsing.page_texts import squeezed_lines, squeezed_text

_YEAR = r"(?P<year>(?:19|20)\d{2})年度?"
_KIND = r"(?P<kind>决算|预算)"
#: the subject of a stand-alone 三公 page between the year and 决算 (…2023年度一般公共预算财政拨款“三公”经费支出决算)
_SANGONG_SUBJECT = (r"(?:一般公共预算|公共财政)?(?:财政拨款)?(?:安排的)?[\"'“”‘’]?三公[\"'“”‘’]?经费"
                    r"(?:财政拨款)?(?:支出)?")
#: the report's scope word between the year and 决算: 部门, 单位, 部门（单位） or its short form 部单位; or the 三公
#: subject of a stand-alone 三公 page
_SCOPE_WORD = r"(?:部门[（(]单位[）)]|部单位|部门|单位|" + _SANGONG_SUBJECT + ")?"
_TITLE_PATTERNS = [  # 上海市普陀区财政局2024年度部门决算; 2017年广州市天河区…办公室决算公开报告
    re.compile(r"(?P<dept>[^，。：:\d]{3,40}?)" + _YEAR + _SCOPE_WORD + _KIND),
    re.compile(_YEAR + r"(?P<dept>[^，。：:度]{3,40}?)" + _SCOPE_WORD + _KIND),
]
_DEPT_LINE = re.compile(r"(?:部门|单位)(?:名称)?[:：](?P<dept>[^\s单]{3,40}?)(?:单位[:：]|$)")
_PARTY_PREFIX = re.compile(r"^(中共|中国共产党)")
_REGION = re.compile(  # a province alone names a 省属 body (四川省人民医院, 云南省教育厅)
    r"^(?P<prov>[\u4e00-\u9fff]{2,3}?省|[\u4e00-\u9fff]{2,5}?自治区)?"
    r"(?:(?P<city>[\u4e00-\u9fff]{2,5}?(?:市|地区|盟)|[\u4e00-\u9fff]{2,7}?自治州)"
    r"(?P<county>[\u4e00-\u9fff]{1,4}?(?:新区|区|县|旗)|[\u4e00-\u9fff]{2,3}?市)?)?"
)
#: what may precede a department's own name once the region is gone: the government (人民政府), or
#: the party committee in its short (区委, 委) or full (委员会: 中共…区委员会社会工作部) spelling
_LEADING_NOISE = re.compile(r"^(人民政府|(?:区|县|市)?委(?:员会)?(?!员会)|区|县|市)(?=[\u4e00-\u9fff]{2,})")
_PARTY_COMMITTEE = re.compile(r"^(区|县|市)?委(员会)?$")
#: a name too generic to tell departments apart on its own: the organ it belongs to is kept
_GENERIC_NAMES = ("办公室",)
#: aliases of the same kind of department across regions and years -> one name
DEPARTMENT_ALIASES = {
    "卫生和计划生育局": "卫生健康委员会", "卫生健康局": "卫生健康委员会", "卫生计生委": "卫生健康委员会",
    "卫生和计划生育委员会": "卫生健康委员会", "卫健委": "卫生健康委员会",
    "教育委员会": "教育局", "教育体育局": "教育局",
    "政务管理办公室": "政务服务数据管理局", "政务服务管理局": "政务服务数据管理局",
    "政务服务和数据管理局": "政务服务数据管理局",
    "公安局": "公安分局",
}


@dataclass
class Metadata:
    department: str | None = None
    region: str | None = None
    year: int | None = None
    kind: str | None = None  # 决算 / 预算 as printed in the title
    #: the name or year is a placeholder of a blank form (上海市XX局, 20XX年度): a template, not a report
    placeholder: bool = False
    #: the title names a region's own level as a whole (区本级/全县 “三公”经费…): every department together, often
    #: with 会议费、培训费 counted in: no department's report
    aggregate: bool = False


def _title_text(pages: list[Page]) -> list[str]:
    """The cover's text, then each early page's first lines: where a report names itself."""
    texts = []
    for page in pages[:3]:
        lines = page.lines()
        texts.append(squeeze("".join(ln.text for ln in lines[:8])))
    return [t for t in texts if t]


def read_metadata(pages: list[Page]) -> Metadata:
    meta = Metadata()
    for text in _title_text(pages):
        if m := _title_match(text):
            meta.department = _clean_department(m.group("dept"))
            meta.year, meta.kind = int(m.group("year")), m.group("kind")
            break
    if meta.department:
        meta.department = _replaced_name(meta.department, pages) or meta.department
    else:
        meta.department = _department_from_header(pages) or _department_line_on_cover(pages)
    if meta.year is None:
        meta.year = _most_common_year(pages)
    meta.region = (region_of(meta.department) or _region_named_in_text(meta.department, pages)
                   or supervisor_region(pages) if meta.department else None)
    meta.placeholder = has_placeholder(meta.department) or any(_PLACEHOLDER_YEAR.search(t) for t in _title_text(pages))
    meta.aggregate = any(_AGGREGATE_SANGONG.search(t) for t in _title_text(pages)[:1])
    if meta.aggregate:  # every department of a region together: no department (全县 is none), no kind of its own
        meta.department = meta.region = meta.kind = None
    return meta


#: how many times as many lines must name the tables' department as name the title's for the title's name to be
#: a mirror's replacement
_OUTVOTE = 3
_NAMING_PAGES = 40
#: a name printed on more lines than this is the report's own (a mirror replaces it on its cover and headings)
_TITLE_LINES_MAX = 4
#: and the name that replaces it is printed on at least this many lines (a short page names few bodies)
_MIN_NAMING_LINES = 8
_YEAR_KIND = re.compile(r"(?:19|20)\d{2}年.*[决预]算")


def _replaced_name(title_name: str, pages: list[Page]) -> str | None:
    """The department the rest of the report names, when the title's name is not the report's own: a spam
    mirror prints a site's name on its cover and 第一部分 heading (catalogue §8), while the tables' 部门： lines,
    the other part headings (第二部分 X2023年度部门决算表) and the statements still name the department. Taken
    only when the two names are unrelated (neither holds the other: 普陀区财政局 is 上海市普陀区财政局) and the
    report prints the other on at least _OUTVOTE times as many lines: a researcher files the report under the
    body it reports on."""
    lines = [t for page in pages[:_NAMING_PAGES] for t in squeezed_lines(page)]
    if sum(title_name in t for t in lines) > _TITLE_LINES_MAX:  # named all through the report: its own name
        return None
    lines = repair_lines(lines)  # a mirror's traditional characters and pinyin undone
    title_lines = sum(title_name in t for t in lines)
    if title_lines > _TITLE_LINES_MAX:
        return None
    named = [_clean_department(m.group("dept")) for t in lines if _YEAR_KIND.search(t) and (m := _first_match(t, 0))]
    header = _department_from_header(pages)
    candidates = {n for n in [*named, header] if n and n not in title_name and title_name not in n
                  and (_UNIT_SUFFIX.search(n) or region_of(n))}  # an organ's name, not 一般公共(预算…)
    if not candidates:
        return None
    count = {n: sum(n in t for t in lines) for n in candidates}
    best = max(sorted(candidates), key=lambda n: count[n])
    return best if count[best] >= max(_OUTVOTE * max(title_lines, 1), _MIN_NAMING_LINES) else None


def _title_match(text: str) -> re.Match | None:
    """The report's own title: a portal's posting title before it (…(YYYY+1)年预算公开 above a YYYY 决算, catalogue
    §8) is passed over when a title follows it; alone, it is the title."""
    first = _first_match(text, 0)
    if first is None or not _posting_title(first, text):
        return first
    return _first_match(text, first.end() + len("公开")) or first


def _first_match(text: str, pos: int) -> re.Match | None:
    """The first title pattern's earliest match from `pos` on that names a department (the report's title may
    print its year first: 2023年广州市…局 / 决算公开报告)."""
    for pattern in _TITLE_PATTERNS:
        for m in _matches(pattern, text, pos):
            if is_department_name(_clean_department(m.group("dept"))):
                return m
    return None


def _matches(pattern: re.Pattern, text: str, pos: int) -> Iterator[re.Match]:
    """Every match from `pos` on, one per start position (a failed match may swallow the title after it)."""
    while (m := pattern.search(text, pos)) is not None:
        yield m
        pos = m.start() + 1


def _posting_title(m: re.Match, text: str) -> bool:
    return text.startswith("公开", m.end())


#: a 本级汇总 三公 page: a region's own level, its departments together or the whole region (区本级, 县级部门, 全市,
#: 区级“三公”) before the 三公 subject (a department's own 本级 page, 民政局（本级）, is its report)
_AGGREGATE_SANGONG = re.compile(r"(?:[省市区县州旗]本级|[省市区县州旗]级各?部门|全[省市区县州旗])[^，。：:]{0,16}三公"
                                r"|[省市区县州旗]级(?:一般公共预算)?(?:财政拨款)?[\"'“”‘’]?三公")
#: placeholders of a blank form: XX局, ××单位, ○○, ＊＊; 20XX年度
_PLACEHOLDER = re.compile(r"[XxＸｘ×＊*○〇]{2,}")
_PLACEHOLDER_YEAR = re.compile(r"(?:19|20)[XxＸｘ×]{2}年")
_PLACEHOLDER_AMOUNT = re.compile(r"[XxＸｘ×]{2,}(?:\.[XxＸｘ×]{2})?(?:万元|%|％)")
#: placeholder amounts (XXX万元, XX%) that make a form blank even when its name is filled in
TEMPLATE_MIN_PLACEHOLDER_AMOUNTS = 5


def has_placeholder(text: str | None) -> bool:
    """Whether a name holds a blank form's placeholder (上海市XX局)."""
    return bool(text and _PLACEHOLDER.search(text))


def is_blank_template(pages: list[Page], meta: Metadata) -> bool:
    """A blank form (the national template, a department's unfilled copy), not a department's report: its name
    or year is a placeholder, or its narrative states amounts as placeholders (XXX万元, XX%)."""
    if meta.placeholder:
        return True
    count = 0
    for page in pages:
        count += sum(len(_PLACEHOLDER_AMOUNT.findall(t)) for t in squeezed_lines(page))
        if count >= TEMPLATE_MIN_PLACEHOLDER_AMOUNTS:
            return True
    return False


#: a unit's supervising organ as its 概况 names it (主管部门为四川省教育厅, 隶属于云南省卫生健康委员会)
_SUPERVISOR = re.compile(r"(?:主管部门|归口管理部门|上级主管单位)(?:为|是|[:：])|隶属于")
_SUPERVISOR_NAME = re.compile(r"[\u4e00-\u9fff]{4,24}")


def supervisor_region(pages: list[Page]) -> str | None:
    """The region of the organ a unit reports to, where its name carries none (a 省属 university or hospital
    belongs to its province, not to 中央): read from the 概况's 主管部门 / 隶属于 phrase."""
    text = "".join(squeezed_text(page) for page in pages[:12])
    for m in _SUPERVISOR.finditer(text):
        name = _SUPERVISOR_NAME.match(text, m.end())
        region = region_of(name.group()) if name else None
        if region:
            return region
    return None


_DISTRICT_FIRST = re.compile(r"^(?:中共|中国共产党)?(?P<district>[\u4e00-\u9fff]{1,4}?(?:新区|区|县))")


def _region_named_in_text(department: str, pages: list[Page]) -> str | None:
    """A department named without its city (普陀区财政局): the city is read where the report
    names the district in full (上海市普陀区), else the district alone is the region."""
    m = _DISTRICT_FIRST.match(department)
    if not m:
        return None
    district = m.group("district")
    text = "".join(squeezed_text(page) for page in pages[:6])
    seen: Counter = Counter()
    for m in re.finditer(re.escape(district), text):
        before = text[max(0, m.start() - 6): m.start()]
        if before.endswith("市"):  # the city's name: 2 to 5 characters before 市
            seen.update(before[-k - 1:] for k in range(2, 6) if len(before) > k)
    if not seen:
        return district
    # the true city recurs with the same characters; text in front of it varies: most often, then shortest
    city = max(seen, key=lambda c: (seen[c], -len(c)))
    return city + district


#: headings printed before a name in a title line: 目录, 第二部分, 附件2：, 附表1
_PART_HEADING = re.compile(r"^(?:目录|第[一二三四五六七八九十]+部分|附件[\d一二三四五六七八九十]*[:：、]?"
                           r"|附表\d*[:：、]?)")


_OWN_LEVEL_SUFFIX = re.compile(r"[（(]\s*本级\s*[）)]$")


def _clean_department(name: str) -> str:
    """The department's name as printed, without the scope word （本级） after it (云南, 重庆: the report's
    scope, recorded in documents.scope_printed, not a part of the name)."""
    name = strip_part_headings(name)
    name = re.sub(r"^(关于)?", "", name)
    name = re.sub(r"(的)?(部门|单位)?$", "", name)
    return _OWN_LEVEL_SUFFIX.sub("", name).rstrip()


def strip_part_headings(name: str) -> str:
    """The name without the part headings in front of it (第二部分 上海市普陀区财政局 -> 上海市普陀区财政局)."""
    while True:
        stripped = _PART_HEADING.sub("", name, count=1).lstrip()
        if stripped == name or len(stripped) < 2:
            return name
        name = stripped


#: what a table header prints where a name could stand: a unit (单位：万元）), a column heading, a figure; and
#: the subject of a 三公 page's title (2023年度“三公”经费决算): no department's name holds 三公
_NOT_A_NAME = re.compile(r"^[（(]?(?:千|万|亿)?元|元[）)]?$"
                         r"|^(?:项目|科目|名称|金额|合计|总计|小计|栏次|行次|预算数|决算数)|[:：\d%％]|三公")
_OPENING, _CLOSING = "（(", "）)"


def is_department_name(name: str | None) -> bool:
    """Whether words read where a name is expected are a name: at least two 汉字, not a unit or a column
    heading (a table header's `单位：万元）` is no department), brackets balanced, no figure in it."""
    if not name or sum("\u4e00" <= ch <= "\u9fff" for ch in name) < 2 or _NOT_A_NAME.search(name):
        return False
    return sum(name.count(c) for c in _OPENING) == sum(name.count(c) for c in _CLOSING)


def _department_from_header(pages: list[Page]) -> str | None:
    for page in pages[:30]:
        for line in page.lines()[:12]:
            m = _DEPT_LINE.search(squeeze(line.text))
            if m and is_department_name(m.group("dept")):
                return m.group("dept")
    return None


_UNIT_SUFFIX = re.compile(r"(局|委员会|委|办公室|办|部|院|处|中心|室|会|所|政府|街道办事处|分局|站|队|馆)$")


def _department_line_on_cover(pages: list[Page]) -> str | None:
    """A cover line that is itself a department's name (the title printed on its own line)."""
    for page in pages[:1]:
        for line in page.lines()[:10]:
            text = squeeze(line.text)
            if 4 <= len(text) <= 40 and _UNIT_SUFFIX.search(text) and region_of(text) and is_department_name(text):
                return text
    return None


#: a cell that is only a year: a table's column heading (2023年 | 2024年), not the report naming its year
_BARE_YEAR = re.compile(r"[（(]?(?:19|20)\d{2}年度?[）)]?")


def _most_common_year(pages: list[Page]) -> int | None:
    years = Counter()
    for page in pages[:6]:
        for line in page.lines():
            text = squeeze("".join(w.text for w in line.words if not _BARE_YEAR.fullmatch(w.text)))
            years.update(int(y) for y in re.findall(r"((?:19|20)\d{2})年度?", text))
    return years.most_common(1)[0][0] if years else None


_CITY_BUREAU_BRANCH = re.compile(
    r"^(?P<city>[\u4e00-\u9fff]{2,5}?市)(?P<parent>[\u4e00-\u9fff]{2,10}?局)(?P<district>[\u4e00-\u9fff]{2,3}?)分局$"
)
_GENERIC_UNITS = ("街道办事处", "镇人民政府", "乡人民政府")


def region_of(department: str) -> str | None:
    """The district/county (or the city) a department belongs to, from its name.

    The province is dropped when a city is named (广东省广州市越秀区 -> 广州市越秀区); a city
    bureau's district branch (上海市公安局普陀分局) belongs to that district.
    """
    name = _PARTY_PREFIX.sub("", department)
    branch = _CITY_BUREAU_BRANCH.match(name)
    if branch:
        district = branch.group("district")
        return branch.group("city") + district + ("" if district.endswith(("区", "县")) else "区")
    m = _REGION.match(name)
    if not m:
        return None
    return "".join(g for g in (m.group("city"), m.group("county")) if g) or m.group("prov")


def department_type(department: str | None, region: str | None) -> str | None:
    """The department without its region prefix, aliases unified (上海市普陀区财政局 -> 财政局)."""
    if not department:
        return None
    name = _PARTY_PREFIX.sub("", department)
    branch = _CITY_BUREAU_BRANCH.match(name)
    if branch:
        return branch.group("parent").removesuffix("局") + "分局"
    generic = next((u for u in _GENERIC_UNITS if name.endswith(u)), None)
    if generic:
        return generic
    name = re.sub(r"^[\u4e00-\u9fff]{2,3}?(?:省|自治区)", "", name)
    own = region_of(name)
    if own and name.startswith(own) and len(name) > len(own):  # the name's own region, full or short
        name = name[len(own):]
    elif region and region in name:
        name = name.replace(region, "", 1)
    elif region:  # named without its city (普陀区财政局): strip the district part of the region
        tail = next((region[i:] for i in range(len(region) - 1) if name.startswith(region[i:])), "")
        name = name[len(tail):]
    else:  # no region known: a district named first (普陀区财政局) is the region
        district = _DISTRICT_FIRST.match(name)
        if district and len(name) > district.end():
            name = name[district.end():]
    organs = []
    for _ in range(2):
        noise = _LEADING_NOISE.match(name)
        if noise:
            organs.append(noise.group(1))
            name = name[noise.end():]
    if _PARTY_COMMITTEE.match(name):  # the committee itself: 区委 and 区委员会 are one
        return "党委"
    if name in _GENERIC_NAMES and organs:  # 区委办公室 and 区政府办公室 are two departments
        return ("政府" if "人民政府" in organs else "党委") + name
    name = re.sub(r"[（(]本级[）)]$", "", name)
    for alias, canonical in DEPARTMENT_ALIASES.items():
        if name == alias or name.endswith(alias) and len(name) - len(alias) <= 2:
            return canonical
    return name or None
