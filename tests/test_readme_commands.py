"""README's Commands section works as written after set-up: its command lines are `uv run juesuan …` (no
environment to activate) or make targets, each names a real sub-command with options that sub-command takes,
and the make targets it lists run a juesuan command those options parse. Lines are read from the README
itself, so a renamed option or a target dropped from the Makefile fails here."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from etl.cli import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[1]
JUESUAN = Path(sys.executable).with_name("juesuan.exe" if os.name == "nt" else "juesuan")
SYNOPSIS_MARKS = ("[", "…", "|")


def commands_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text[text.index("## Commands\n"):text.index("## Output tables\n")]


def command_lines() -> list[tuple[str, bool]]:
    """(command line, is a row of the commands table) for every code span or indented code line of the
    section that is a juesuan or make command; an indented synopsis' continuation lines joined to it."""
    found: list[tuple[str, bool]] = []
    block: list[str] = []
    for line in commands_section().splitlines() + [""]:
        if line.startswith("    ") and not line.lstrip().startswith("-"):
            block.append(line.strip())
            continue
        if block:
            found.append((" ".join(block), False))
            block = []
        for span in re.findall(r"`([^`]+)`", line.replace("\\|", "|")):
            found.append((span, line.startswith("| `uv run juesuan") or line.startswith("| `juesuan")))
    return [(c, row) for c, row in found if c.startswith(("uv run juesuan", "juesuan ", "make "))]


def juesuan_args(line: str) -> list[str]:
    words = shlex.split(line.replace("…", ""), posix=True)
    return words[words.index("juesuan") + 1:]


@cache
def help_options(command: str | None) -> set[str]:
    """The options `juesuan [COMMAND] --help` lists (the same parser, asked in this process: a process per
    sub-command costs seconds; test_the_juesuan_script_and_uv_run_work runs the real ones)."""
    parser = build_parser(only=command)
    if command:
        parser = parser.parse_args([command])._parser
    return set(re.findall(r"--[a-z][a-z-]*", parser.format_help()))


def test_the_commands_table_is_typed_with_uv_run_so_it_works_without_activation() -> None:
    rows = [line for line, row in command_lines() if row]
    assert len(rows) == len(COMMANDS), rows  # one row per sub-command
    assert all(line.startswith("uv run juesuan ") for line in rows), rows


def test_the_section_says_how_to_run_juesuan_on_every_system() -> None:
    section = commands_section()
    for needed in ("uv run juesuan", "make export FORMAT=xlsx", "make audit", "source .venv/bin/activate",
                   ".venv\\Scripts\\activate"):
        assert needed in section, needed


def test_every_juesuan_line_names_a_sub_command_and_options_it_takes() -> None:
    lines = [line for line, _ in command_lines() if not line.startswith("make ")]
    assert len(lines) >= len(COMMANDS)
    for line in lines:
        args = juesuan_args(line)
        command = args[0] if args and not args[0].startswith("-") else None
        if command is None and any(mark in line for mark in SYNOPSIS_MARKS):
            continue  # `juesuan …`: the command itself, as prose
        assert command is None or command in COMMANDS, line
        options = set(re.findall(r"--[a-z][a-z-]*", line))
        assert options <= help_options(command), (line, options - help_options(command))
        if "--help" not in args and not any(mark in line for mark in SYNOPSIS_MARKS):
            build_parser(only=command).parse_args(args)  # a concrete example parses as typed


@pytest.mark.skipif(shutil.which("make") is None, reason="no make on this system (Windows: the uv run line)")
def test_every_make_target_runs_a_juesuan_command_that_parses() -> None:
    lines = [line for line, _ in command_lines() if line.startswith("make ") and line != "make demo"]
    assert {"make export", "make audit", "make export FORMAT=xlsx"} <= set(lines)
    for line in lines:
        done = subprocess.run(["make", "-n", *shlex.split(line)[1:]], capture_output=True, text=True,
                              encoding="utf-8", cwd=ROOT, timeout=60)
        assert done.returncode == 0, (line, done.stderr)
        runs = [x for x in done.stdout.splitlines() if " run juesuan " in x]
        assert len(runs) == 1, (line, done.stdout)
        args = juesuan_args(runs[0])
        build_parser(only=args[0]).parse_args(args)
        for assignment in shlex.split(line)[2:]:  # FORMAT=xlsx reaches the command
            name, value = assignment.split("=", 1)
            assert value in args, (line, runs[0])


@pytest.mark.parametrize("launcher", ["uv run", "venv script"])
def test_the_juesuan_script_and_uv_run_work_from_the_project_folder(launcher: str) -> None:
    if launcher == "uv run":
        uv = os.environ.get("UV") or shutil.which("uv") or str(Path.home() / ".local/bin/uv")
        if not Path(uv).exists():
            pytest.skip("uv is not installed here")
        argv = [uv, "run", "--no-sync", "juesuan"]
    else:
        argv = [str(JUESUAN)]
    done = subprocess.run([*argv, "etl", "--help"], capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert set(re.findall(r"--[a-z][a-z-]*", done.stdout)) == help_options("etl")
