"""Change detection for the raw/ sensor: what is new, edited or gone since last look.

The state is a compact map ``path -> (size, mtime_ns, sha256)`` kept in the
sensor's cursor. Files are hashed only when their size or mtime moved, so a
tick over an unchanged folder costs one ``stat`` per file, and a file touched
without a content change triggers nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

from .files import read_file, scan_raw_dir

State = dict[str, tuple[int, int, str]]


@dataclass(frozen=True)
class Changes:
    added: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.modified or self.deleted)

    def run_key(self, state: State) -> str:
        """Same changes to the same contents -> same key, so Dagster runs them once."""
        digest = hashlib.sha256()
        for path in sorted(self.added + self.modified):
            digest.update(f"+{path}:{state[path][2]}\n".encode())
        for path in sorted(self.deleted):
            digest.update(f"-{path}\n".encode())
        return digest.hexdigest()[:24]

    def summary(self) -> str:
        return f"{len(self.added)} new, {len(self.modified)} changed, {len(self.deleted)} deleted"


def diff_raw_dir(raw_dir: Path, previous: State) -> tuple[State, Changes]:
    current: State = {}
    added, modified = [], []
    for f in scan_raw_dir(raw_dir):
        prev = previous.get(f.source_path)
        if prev and prev[0] == f.size_bytes and prev[1] == f.mtime_ns:
            current[f.source_path] = prev
            continue
        if f.problem:  # never read (lib.ingest.safety): the problem stands for the content
            content_hash = "unread:" + f.problem
        else:
            try:
                content_hash = read_file(f.abs_path).content_hash
            except OSError:
                continue  # vanished between scan and read
        current[f.source_path] = (f.size_bytes, f.mtime_ns, content_hash)
        if prev is None:
            added.append(f.source_path)
        elif prev[2] != content_hash:
            modified.append(f.source_path)
    deleted = sorted(set(previous) - set(current))
    return current, Changes(tuple(added), tuple(modified), tuple(deleted))


def encode_state(state: State) -> str:
    raw = json.dumps(state, separators=(",", ":"), sort_keys=True).encode()
    return base64.b64encode(zlib.compress(raw, 6)).decode()


def decode_state(cursor: str | None) -> State:
    if not cursor:
        return {}
    try:
        data = json.loads(zlib.decompress(base64.b64decode(cursor)))
    except (ValueError, zlib.error):
        return {}  # unreadable cursor: start over, run keys still dedupe
    return {k: (int(v[0]), int(v[1]), str(v[2])) for k, v in data.items()}
