"""Logging of a run: JSON lines to a file (for machines), readable lines on the terminal.

Each record carries `event` (a short stable name such as `etl.done`) and any fields given with
`extra={"fields": {...}}`; the JSON line holds them as keys, the terminal line shows the message.
JSON escapes every control character itself (\u001b, \n); the terminal lines go through
etl.textsafety.terminal_lines.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from etl.textsafety import terminal_lines

LOGGER = "juesuan.run"


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "event": getattr(record, "event", None) or record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", None) or {})
        return json.dumps(entry, ensure_ascii=False, default=str)


class Readable(logging.Formatter):
    """Terminal lines: no control character reaches the terminal (terminal_lines); a value that
    could hold a line break is escaped where the message is built (terminal_text)."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        level = "" if record.levelno == logging.INFO else f"{record.levelname.lower()}: "
        return terminal_lines(f"{stamp} juesuan {level}{record.getMessage()}")


def open_log(log_file: Path, stream: TextIO | None = None) -> logging.Logger:
    """The run's logger, writing to `log_file` (appended, created with its folder) and the terminal.

    Raises OSError when the file cannot be opened (the caller reports the output as unwritable)."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    file_handler = logging.FileHandler(log_file, encoding="utf-8")
    file_handler.setFormatter(JsonLines())
    terminal = logging.StreamHandler(stream or sys.stderr)
    terminal.setFormatter(Readable())
    logger = logging.getLogger(LOGGER)
    close_log(logger)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(file_handler)
    logger.addHandler(terminal)
    return logger


def terminal_log(stream: TextIO | None = None) -> logging.Logger:
    """A logger writing readable lines to the terminal only (`juesuan etl`)."""
    logger = logging.getLogger(LOGGER)
    close_log(logger)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(Readable())
    logger.addHandler(handler)
    return logger


def close_log(logger: logging.Logger) -> None:
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def event(logger: logging.Logger, level: int, name: str, message: str, **fields: Any) -> None:
    logger.log(level, message, extra={"event": name, "fields": fields})
