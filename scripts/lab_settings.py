"""Make a double-click on a notebook's .py open it as a notebook in this environment's JupyterLab.

The notebooks' only source is the jupytext percent `.py` (no .ipynb beside it: one entry per notebook in the
file browser, and saving writes no outputs into a tracked file). JupyterLab opens a .py in its text editor
unless the default viewer for Python files is jupytext's; this writes that default as a settings override of
the project's environment only (`<env>/share/jupyter/lab/settings/overrides.d/juesuan.json`), never the
user's own JupyterLab settings. `make lab` runs it; on Windows: `uv run python scripts/lab_settings.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

from jupyterlab.commands import get_app_dir

OVERRIDES = {"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"python": "Jupytext Notebook"}}}


def overrides_file() -> Path:
    return Path(get_app_dir()) / "settings" / "overrides.d" / "juesuan.json"


def main() -> None:
    path = overrides_file()
    text = json.dumps(OVERRIDES, indent=2) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"JupyterLab: a notebook's .py opens as a notebook ({path.name} in {path.parent})")


if __name__ == "__main__":
    main()
