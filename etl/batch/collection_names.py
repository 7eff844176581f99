"""Department names resolved against the rest of the collection.

A report without a cover takes its name from a table heading, which may omit the district
(`上海市规划和自然资源局2024年度部门决算表` in a Putuo collection). When exactly one department named elsewhere
in the collection (any year) is that name with a district inserted after the city
(上海市普陀区规划和自然资源局), the report is that department. Nothing is invented: a name no other document
completes, or that several complete, stays as printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from etl.parsing.metadata import department_type, region_of

_PARTY = re.compile(r"^(中共|中国共产党)")
_CITY = re.compile(r"^[\u4e00-\u9fff]{2,5}?市")
#: what may be inserted after the city: a district or county (普陀区, 浦东新区, 崇明县) or a county-level city
_DISTRICT = re.compile(r"^[\u4e00-\u9fff]{1,4}?(?:新区|区|县|旗|市)$")


@dataclass(frozen=True)
class Rename:
    """A report's department as the collection names it, with the region and type that follow."""

    doc_id: str
    department: str
    region: str | None
    department_type: str | None


def resolve(documents: Iterable[dict], coverless: set[str] | None = None) -> list[Rename]:
    """Renames for reports whose printed department is a collection department without its district.

    Only reports in `coverless` (doc_ids of files without a cover, e.g. tables-only files; every report
    when None) are renamed: a city-level department's full report (上海市财政局) names itself on its cover
    and is never taken for a district's."""
    documents = [d for d in documents if d.get("department") and d.get("status") != "failed"]
    index = district_index({d["department"] for d in documents})
    out = []
    for doc in documents:
        if coverless is not None and doc["doc_id"] not in coverless:
            continue
        full = completed_name(doc["department"], index)
        if full is not None:
            region = region_of(full)
            out.append(Rename(doc["doc_id"], full, region, department_type(full, region)))
    return out


Index = dict[tuple[str, str, str], set[str]]


def district_index(names: Iterable[str]) -> Index:
    """Each name with a district after its city, under (party prefix, city, the rest after the district):
    every way of reading a district there counts, so a lookup needs no scan of the collection."""
    index: Index = {}
    for name in names:
        prefix, bare = _split_party(name)
        city = _CITY.match(bare)
        if not city:
            continue
        for k in range(2, 7):
            if _DISTRICT.match(bare[city.end(): city.end() + k]) and len(bare) - city.end() - k >= 2:
                index.setdefault((prefix, city.group(0), bare[city.end() + k:]), set()).add(name)
    return index


def completed_name(printed: str, names: Index | set[str]) -> str | None:
    """The only name of the collection that is `printed` with a district inserted after its city, else None."""
    index = names if isinstance(names, dict) else district_index(names)
    prefix, bare = _split_party(printed)
    city = _CITY.match(bare)
    if not city or region_of(bare) != city.group(0):  # the printed name already has a district
        return None
    found = index.get((prefix, city.group(0), bare[city.end():]), set())
    return next(iter(found)) if len(found) == 1 else None


def _split_party(name: str) -> tuple[str, str]:
    m = _PARTY.match(name)
    return (m.group(0), name[m.end():]) if m else ("", name)
