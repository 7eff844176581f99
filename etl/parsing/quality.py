"""The quality grade of one document, from its status and its check results, kept apart from its
disclosure defects.

A failed check either contradicts figures (its doubts name the figure groups it puts in doubt, see
etl.parsing.checks.base.FIGURE_GROUPS) or marks a disclosure defect (doubts empty: a placeholder, a
wrong heading year, a table not printed). Only the first kind grades the figures:

    fail   the document failed, or a check of severity error that puts figures in doubt failed
    warn   the document is partial, or such a check of severity warning failed
    clean  otherwise

`figures_in_doubt` lists the groups the failed error checks put in doubt, so the analysis layer drops
only those figures. `disclosure_defects` counts the failed checks that contradict no figure (info
checks never count). A budget (预算) or unrelated document is not graded (all NULL): no check is run
on it. Every count is NULL when no check was run (a document that failed to parse).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

QUALITIES = ("clean", "warn", "fail")
#: Chinese names of the grades (the audit report; the analysis layer's quality_gate uses the same).
QUALITY_ZH = {"clean": "无问题", "warn": "有警告", "fail": "未通过"}
UNGRADED_KINDS = ("budget", "other", "template")  # not final accounts: not checked, not graded
_NOT_GRADED = {"quality": None, "checks_errors": None, "checks_warnings": None, "disclosure_defects": None,
               "figures_in_doubt": None}


def _get(check: Any, key: str) -> Any:
    return check.get(key) if isinstance(check, dict) else getattr(check, key, None)


def _groups(check: Any) -> list[str]:
    return [g for g in (_get(check, "doubts") or "").split(",") if g]


def grade(status: str | None, doc_kind: str | None, checks: Iterable[Any] | None) -> dict[str, Any]:
    """{'quality', 'checks_errors', 'checks_warnings', 'disclosure_defects', 'figures_in_doubt'} of a
    document. `checks` are CheckResult objects or checks rows (dicts with status, severity and doubts);
    None when no check was run."""
    if doc_kind in UNGRADED_KINDS:
        return dict(_NOT_GRADED)
    errors = warnings = defects = doubted = None
    if checks is not None:
        failed = [c for c in checks if _get(c, "status") == "fail" and _get(c, "severity") != "info"]
        contradicting = [c for c in failed if _groups(c)]
        errors = sum(_get(c, "severity") == "error" for c in contradicting)
        warnings = sum(_get(c, "severity") == "warning" for c in contradicting)
        defects = len(failed) - len(contradicting)
        doubted = ",".join(sorted({g for c in contradicting if _get(c, "severity") == "error"
                                   for g in _groups(c)}))
    if status == "failed" or errors:
        quality = "fail"
    elif status == "partial" or warnings:
        quality = "warn"
    else:
        quality = "clean"
    return {"quality": quality, "checks_errors": errors, "checks_warnings": warnings,
            "disclosure_defects": defects, "figures_in_doubt": doubted}
