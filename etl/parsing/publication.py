"""What a final-accounts report publishes (documents.publication): full, tables_only, narrative_only or
sangong_only — a stand-alone 三公 disclosure (the 三公 table and/or its 总体/具体 text, nothing else).

Read from what was found, never from the file's name or source: the standard tables located, and whether the
pages without a table hold a narrative (statements the readers took, or sentences).
"""

from __future__ import annotations

from etl.pagesource.page import Page

FULL, TABLES_ONLY, NARRATIVE_ONLY, SANGONG_ONLY = "full", "tables_only", "narrative_only", "sangong_only"
#: sentences (。) on the pages without a table that make a narrative even when no figure was read from them
MIN_SENTENCES = 3


def has_narrative(pages: list[Page], statements: list, yoy: list[dict], sangong_text: list[dict]) -> bool:
    if statements or yoy or sangong_text:
        return True
    return sum(ln.text.count("。") for p in pages for ln in p.lines()) >= MIN_SENTENCES


def publication(table_keys: set[str], narrative: bool, statements: list, yoy: list[dict],
                sangong_text: list[dict]) -> str:
    """`table_keys`: the standard tables found; `statements`, `yoy`, `sangong_text`: what the narrative readers
    took (budget statements, year-on-year rows, 三公 figures read from the text)."""
    if table_keys and table_keys <= {"sangong"}:
        return SANGONG_ONLY
    if table_keys:
        return FULL if narrative else TABLES_ONLY
    only_sangong = not yoy and all(s.scope.startswith("sangong") for s in statements)
    if sangong_text and only_sangong:
        return SANGONG_ONLY
    return NARRATIVE_ONLY
