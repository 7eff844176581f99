"""The quality grade of one document, from its status and its check results.

    fail   the document failed, or a check of severity error failed (the figures contradict)
    warn   the document is partial, or a check of severity warning failed
    clean  otherwise

Checks of severity info never change the grade. A budget (预算) or unrelated document is not
graded (quality NULL): no check is run on it. `checks_errors` / `checks_warnings` count the
failed checks of each severity; NULL when no check was run (a document that failed to parse).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

QUALITIES = ("clean", "warn", "fail")
#: Chinese names of the grades (the audit report; the analysis layer's quality_gate uses the same).
QUALITY_ZH = {"clean": "无问题", "warn": "有警告", "fail": "未通过"}
UNGRADED_KINDS = ("budget", "other", "template")  # not final accounts: not checked, not graded


def _get(check: Any, key: str) -> Any:
    return check.get(key) if isinstance(check, dict) else getattr(check, key, None)


def grade(status: str | None, doc_kind: str | None, checks: Iterable[Any] | None) -> dict[str, Any]:
    """{'quality', 'checks_errors', 'checks_warnings'} of a document. `checks` are CheckResult
    objects or checks rows (dicts with status and severity); None when no check was run."""
    if doc_kind in UNGRADED_KINDS:
        return {"quality": None, "checks_errors": None, "checks_warnings": None}
    errors = warnings = None
    if checks is not None:
        failed = [_get(c, "severity") for c in checks if _get(c, "status") == "fail"]
        errors, warnings = failed.count("error"), failed.count("warning")
    if status == "failed" or errors:
        quality = "fail"
    elif status == "partial" or warnings:
        quality = "warn"
    else:
        quality = "clean"
    return {"quality": quality, "checks_errors": errors, "checks_warnings": warnings}
