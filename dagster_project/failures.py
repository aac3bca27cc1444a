"""Say in one line why a step failed: the step, the file involved if any, and the cause.

Dagster wraps an asset's exception in its own ("Error occurred while executing
op ..."); the cause an operator needs is at the end of the error's ``cause``
chain. Its first line is the message; a path in it (quoted, or after 'file') is
the file involved.
"""

from __future__ import annotations

import re

_PATH = re.compile(r"""["'](/[^"']+)["']|(?<![\w/])(/(?:[\w.@+-]+/)+[\w.@+-]+)""")


def root_cause(error) -> tuple[str, str]:
    """(class name, first line of the message) of the innermost error of the chain."""
    seen = 0
    while error is not None and seen < 20:
        inner = getattr(error, "cause", None) or getattr(error, "context", None)
        if inner is None:
            break
        error, seen = inner, seen + 1
    if error is None:
        return "Error", "unknown error"
    message = (error.message or "").strip()
    # SerializableErrorInfo messages are '[module.]Class: text'; keep the text.
    name = error.cls_name or "Error"
    message = re.sub(rf"^(?:[\w.]+\.)?{re.escape(name)}:\s*", "", message)
    return name, message.splitlines()[0] if message else name


def describe_failure(step_key: str | None, error) -> str:
    name, message = root_cause(error)
    match = _PATH.search(message)
    file_part = f"{match.group(1) or match.group(2)}: " if match else ""
    return f"FAILED: {step_key or 'run'}: {file_part}{name}: {message}"
