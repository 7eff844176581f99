"""The mechanism that keeps docs/views.md true to the SQL (`views_doc --check`, also run by
`juesuan dictionary --check`), tested on stand-in views so it does not depend on today's views
being fully described."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from etl import dictionary
from etl.analysis import views_doc

FAKE_VIEWS = {
    "fake_metrics": [("region", "VARCHAR"), ("cost_group", "VARCHAR"), ("sangong_actual", "DECIMAL(38,2)")],
    "fake_other": [("year", "INTEGER")],
}


@pytest.fixture
def fake_views(monkeypatch: pytest.MonkeyPatch) -> dict:
    views = {k: list(v) for k, v in FAKE_VIEWS.items()}
    monkeypatch.setattr(views_doc, "view_columns", lambda: views)
    return views


def test_diff_reports_a_changed_line_and_nothing_when_equal(tmp_path: Path) -> None:
    doc = tmp_path / "views.md"
    expected = "# Analytical views\n\n| `a` | INTEGER | first |\n| `b` | VARCHAR | second |\n"
    doc.write_text(expected, encoding="utf-8")
    assert views_doc.diff(doc, expected) is None
    doc.write_text(expected.replace("second", "edited by hand"), encoding="utf-8")
    delta = views_doc.diff(doc, expected)
    assert "-| `b` | VARCHAR | edited by hand |" in delta and "+| `b` | VARCHAR | second |" in delta
    assert "first" in delta  # a line of context
    assert views_doc.diff(tmp_path / "absent.md", expected).endswith("is missing")


def test_a_long_diff_is_cut(tmp_path: Path) -> None:
    doc = tmp_path / "views.md"
    doc.write_text("".join(f"line {i}\n" for i in range(200)), encoding="utf-8")
    delta = views_doc.diff(doc, "", limit=10)
    assert len(delta.splitlines()) == 11 and delta.splitlines()[-1].endswith("more diff lines")


def test_missing_descriptions_lists_each_undescribed_column_by_view() -> None:
    columns = {"v1": [("region", "VARCHAR"), ("zz_new_metric", "DOUBLE"), ("zz_other", "DOUBLE")],
               "v2": [("cost_group", "VARCHAR")],  # described by etl.schema, as in the rendered page
               "v3": [("zz_new_metric", "DOUBLE")]}
    assert views_doc.missing_descriptions(columns) == {"v1": ["zz_new_metric", "zz_other"], "v3": ["zz_new_metric"]}


def test_check_passes_on_a_current_doc_and_reports_an_edited_one(tmp_path: Path, fake_views, capsys) -> None:
    doc = tmp_path / "views.md"
    assert views_doc.main([str(doc)]) == 0
    assert views_doc.main(["--check", str(doc)]) == 0
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace("# Analytical views", "# Analytical views (edited)"), encoding="utf-8")
    capsys.readouterr()
    assert views_doc.main(["--check", str(doc)]) == 1
    out = capsys.readouterr().out
    assert "is out of date" in out and "-# Analytical views (edited)" in out and "+# Analytical views" in out


def test_check_fails_naming_an_undescribed_column(tmp_path: Path, fake_views, capsys) -> None:
    doc = tmp_path / "views.md"
    fake_views["fake_other"].append(("zz_undocumented", "DOUBLE"))
    views_doc.main([str(doc)])  # the page is current, but a column has no meaning
    capsys.readouterr()
    assert views_doc.main(["--check", str(doc)]) == 1
    out = capsys.readouterr().out
    assert "fake_other: no description for column(s) zz_undocumented" in out and "out of date" not in out


def test_views_that_do_not_build_are_a_reported_problem(tmp_path: Path, monkeypatch) -> None:
    def broken():
        raise RuntimeError("012_department_ids.sql: Binder Error")

    monkeypatch.setattr(views_doc, "view_columns", broken)
    problems = views_doc.check(tmp_path / "views.md")
    assert len(problems) == 1 and "do not build" in problems[0] and "Binder Error" in problems[0]


def _dictionary_args(tmp_path: Path, current: bool) -> argparse.Namespace:
    out = tmp_path / "data-dictionary.md"
    out.write_text(dictionary.render() if current else "stale", encoding="utf-8")
    return argparse.Namespace(out=str(out), check=True, views=str(tmp_path / "views.md"))


def test_dictionary_check_runs_the_views_check(tmp_path: Path, monkeypatch, capsys) -> None:
    seen = []
    monkeypatch.setattr(views_doc, "check", lambda path: seen.append(path) or [])
    assert dictionary.run(_dictionary_args(tmp_path, current=True)) == 0
    assert seen == [tmp_path / "views.md"]

    monkeypatch.setattr(views_doc, "check", lambda path: [f"{path} is out of date: …"])
    assert dictionary.run(_dictionary_args(tmp_path, current=True)) == 1
    assert "views.md is out of date" in capsys.readouterr().out

    monkeypatch.setattr(views_doc, "check", lambda path: [])
    assert dictionary.run(_dictionary_args(tmp_path, current=False)) == 1
    assert "data-dictionary.md is out of date" in capsys.readouterr().out


def test_dictionary_check_option_is_wired() -> None:
    parser = argparse.ArgumentParser()
    dictionary.add_arguments(parser)
    args = parser.parse_args(["--check"])
    assert args.check and args.views == "docs/views.md"


def _described(view: str, column: str) -> str:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "views.md").read_text(encoding="utf-8")
    section = doc.split(f"## `{view}`")[1].split("\n## ")[0]
    return next(line for line in section.splitlines() if line.startswith(f"| `{column}` |"))


def test_the_three_descriptions_the_review_found_wrong_say_what_the_sql_computes():
    """Review 2026-12-05 B13: cur_summary_items.item is the summary item, not a 三公 key; cur_budget_execution's
    completion_pct is the printed % (DECIMAL from the narrative), not computed on budget_basis; the 三公
    completion views have no budget_basis column, so their completion is not described on it."""
    item = _described("cur_summary_items", "item")
    assert "三公" not in item and "income_total" in item
    printed = _described("cur_budget_execution", "completion_pct")
    assert "printed" in printed and "budget_basis" not in printed and "DECIMAL" in printed
    for view in ("sangong_region_year_type", "budget_completion_sangong"):
        assert "budget_basis" not in _described(view, "completion_pct"), view
