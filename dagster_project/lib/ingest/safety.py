"""Which entries of RAW_DIR may be read at all, decided before a byte is read.

RAW_DIR is a drop folder anyone may write to, so its entries are checked
before they are opened:

- a symbolic link is followed only when its target resolves inside RAW_DIR: a
  link to ``/etc/passwd`` must not turn a system file into an article;
- a broken link, a FIFO, a socket or a device is not a file to read (opening a
  FIFO would block the run forever);
- a file name that is not valid UTF-8 cannot be stored or shown as text: the
  file gets a row with a readable form of its name and a reason, its id comes
  from the name's bytes, and the rest of the inventory goes on;
- a file larger than :data:`MAX_FILE_BYTES` is not read (a news page is far
  smaller; reading and cleaning must stay bounded per article).

Each problem is a quarantine reason: the entry gets a row in ``raw.files``
(status ``quarantined``), nothing is read from it, and it is looked at again
when it changes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 5 * 1024 * 1024


def display_name(rel: str) -> str:
    """``rel`` as storable text: a name that is not valid UTF-8 (``os.walk`` gives it
    with surrogate escapes) is shown with its bad bytes as ``\\xNN``."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return os.fsencode(rel).decode("utf-8", "backslashreplace") + " (name not UTF-8)"


def entry_problem(raw_dir: Path, path: Path, rel: str) -> str | None:
    """Why the entry at ``path`` (``rel`` under ``raw_dir``) must not be read, or None."""
    if display_name(rel) != rel:
        return (
            f"file name is not valid UTF-8 ({os.fsencode(rel)!r}): not read; rename the "
            "file with a UTF-8 name to process it"
        )
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None  # gone since it was listed: the caller skips it
    if stat.S_ISLNK(st.st_mode):
        target = os.path.realpath(path)
        root = os.path.realpath(raw_dir)
        if os.path.commonpath([root, target]) != root:
            return f"symbolic link to {target}, outside RAW_DIR: not read"
        try:
            st = os.stat(path)
        except OSError:
            return f"broken symbolic link (its target {target} does not exist)"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a FIFO, socket or device): not read"
    if st.st_size > MAX_FILE_BYTES:
        return (
            f"file too large: {st.st_size:,} bytes, over the limit of {MAX_FILE_BYTES:,} "
            "bytes for one article: not read"
        )
    return None


# Longest article body that goes to extraction. News articles run to a few
# thousand words (tens of thousands of characters); extraction time grows with
# the body, so a pathological page is refused rather than stalling the run.
MAX_BODY_CHARS = 200_000


def body_problem(body_text: str) -> str | None:
    """Why a cleaned body is refused before extraction, or None."""
    if len(body_text) > MAX_BODY_CHARS:
        return (
            f"article body too long: {len(body_text):,} characters after cleaning, over "
            f"the limit of {MAX_BODY_CHARS:,} for one article"
        )
    return None
