"""One department-year in two files: the tables in one PDF, the narrative in another.

After every file is parsed on its own, files of one department-year (same region, department, year,
both final accounts) where one holds the standard tables and no narrative statements and the other a
决算 title and no tables are a pair. The pair is parsed once more as one report (the tables' pages, then
the narrative's) under the tables file's doc_id, so the narrative's statements and checks belong to the
document that has the figures. The result is cached as a fragment keyed `<tables>+<narrative>`, so it is
redone when either file changes; a pair whose joint parse fails falls back to the two files' own results.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from etl.batch.collection_names import Rename
from etl.batch.fragments import FragmentStore
from etl.document import ParsedDocument
from etl.pagesource import DEFAULT_PAGES

FINAL_ACCOUNTS = "final_accounts"
#: document_pages.source_file in a pair's fragment for the narrative file's pages; etl.batch.assemble writes the
#: narrative file's name (the tables file's pages carry etl.parsing.parse.OWN_FILE, the document's own file)
NARRATIVE_FILE = "+narrative"
#: a tables file prints at least this many of the standard tables (whatever its template's set)
MIN_STANDARD_TABLES = 3


#: The documents columns the collection stage reads (find_pairs, etl.batch.collection_names.resolve, the pairs'
#: outcome): converting only these to Python is a quarter of converting the whole row, once per cached document.
SUMMARY_COLUMNS = ("doc_id", "status", "doc_kind", "region", "department", "year", "companion_of")


@dataclass(frozen=True)
class FileSummary:
    """What one file's fragment says about it: its documents rows (SUMMARY_COLUMNS) and which tables it has rows
    in."""

    doc_id: str
    documents: list[dict]
    tables: frozenset[str]
    table_keys: frozenset[str]


@dataclass(frozen=True)
class Pair:
    tables: str     # doc_id of the file with the tables
    narrative: str  # doc_id of the file with the narrative

    @property
    def key(self) -> str:
        """The pair's fragment key: changes when either file does."""
        return f"{self.tables}+{self.narrative}"


def read_summaries(store: FragmentStore, doc_ids: Iterable[str]) -> list[FileSummary]:
    """The summary of every cached fragment among `doc_ids`; a missing or unreadable one is left out."""
    out = []
    for doc_id in doc_ids:
        try:
            fragment = store.open(doc_id)
            documents = fragment.table("documents").select(SUMMARY_COLUMNS).to_pylist()
            keys = (frozenset(fragment.table("tables_found").column("table_key").to_pylist())
                    if "tables_found" in fragment else frozenset())
        except (OSError, ValueError, KeyError):
            continue
        out.append(FileSummary(doc_id, documents, frozenset(fragment.names), keys))
    return out


def find_pairs(summaries: list[FileSummary], renames: Iterable[Rename] = ()) -> list[Pair]:
    """The tables file and the narrative file of each department-year that comes as exactly those two files."""
    names = {r.doc_id: (r.region, r.department) for r in renames}
    groups: dict[tuple, list[FileSummary]] = defaultdict(list)
    for s in summaries:
        if len(s.documents) != 1:  # a volume of several reports is never half of a pair
            continue
        doc = s.documents[0]
        region, department = names.get(doc["doc_id"], (doc.get("region"), doc.get("department")))
        if doc.get("doc_kind") != FINAL_ACCOUNTS or doc.get("status") == "failed" or not department \
                or doc.get("year") is None or doc.get("companion_of"):
            continue
        groups[(region, department, doc["year"])].append(s)
    pairs = []
    for files in groups.values():
        tables = [s for s in files if is_tables_file(s)]
        narratives = [s for s in files if is_narrative_file(s)]
        if len(files) == 2 and len(tables) == 1 and len(narratives) == 1:
            pairs.append(Pair(tables[0].doc_id, narratives[0].doc_id))
    return pairs


def is_tables_file(s: FileSummary) -> bool:
    """The standard tables and no narrative statement."""
    return len(s.table_keys - {"other"}) >= MIN_STANDARD_TABLES and "budget_execution" not in s.tables


def is_narrative_file(s: FileSummary) -> bool:
    """A 决算 report printing none of the standard tables."""
    return not s.table_keys


def parse_pair(tables_path: Path, narrative_path: Path, doc_id: str, ocr: str = "auto",
               pages: str = DEFAULT_PAGES) -> ParsedDocument:
    """The two files as one report under `doc_id`: the tables' pages, then the narrative's numbered after them
    (so a page number names one page of the pair; document_pages maps each to its file and own page); `pages` is
    the tables file's own count. Each file's pages
    come from its text layer (read by the `pages` source), or from OCR where `ocr` asks for it
    (etl.pagesource.read_pages)."""
    from etl.pagesource import read_pages, source_format
    from etl.parsing.parse import parse_report

    tables_read = read_pages(tables_path, ocr=ocr, pages=pages)
    tables = tables_read.pages
    narrative = [replace(p, number=p.number + len(tables), _lines=None)
                 for p in read_pages(narrative_path, ocr=ocr, pages=pages).pages]
    parsed = parse_report(tables + narrative, doc_id)
    parsed.document.update(pages=len(tables), report_part=1, source_format=source_format(tables_path),
                           page_source=tables_read.page_source)
    for row in parsed.rows.get("document_pages", []):
        if row["page"] > len(tables):  # the narrative file's page: its own number, its file named at assembly
            row.update(source_file=NARRATIVE_FILE, file_page=row["page"] - len(tables))
    return parsed
