"""Refuse to mark most live articles removed in one run unless told to.

An empty or mostly-empty RAW_DIR is far more often a share that failed to
mount or a wrong path than an editor deleting most of the corpus. Marking
every article removed would publish empty marts, so the inventory stops
before it changes anything and says how to proceed when the removal is meant.
"""

from __future__ import annotations

# Removing more than this share of the live files in one run needs the flag...
MAX_REMOVED_SHARE = 0.5
# ...unless it is only this many files (a small corpus losing one file is routine).
ALWAYS_ALLOWED = 1


class MassRemovalRefused(RuntimeError):
    """The run would mark most live articles removed; nothing was changed."""


def check_removals(raw_dir, n_live: int, n_removed: int, allowed: bool) -> None:
    """Raise :class:`MassRemovalRefused` when ``n_removed`` of ``n_live`` live files
    would be marked removed and that is more than the guard lets through."""
    if allowed or n_removed <= ALWAYS_ALLOWED or n_removed <= MAX_REMOVED_SHARE * n_live:
        return
    raise MassRemovalRefused(
        f"RAW_DIR {raw_dir} is missing {n_removed} of the {n_live} files the warehouse "
        f"holds (more than {MAX_REMOVED_SHARE:.0%}): refusing to mark them removed, "
        "nothing was changed. Check that RAW_DIR is the right folder and is mounted. "
        "If the files were deleted on purpose, run again with "
        "`python -m dagster_project.cli run --allow-mass-removal` (or the run config "
        "`ops: {raw__files: {config: {allow_mass_removal: true}}}`)."
    )
