"""Find, read and decode the raw files editors drop into RAW_DIR.

Pure functions over the file system: no Dagster, no database. The raw files
are only ever read, never modified or deleted.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES


class BadInput(ValueError):
    """A raw file that cannot be processed; the message is the quarantine reason."""


@dataclass(frozen=True)
class RawFile:
    source_path: str  # relative to RAW_DIR, '/'-separated
    abs_path: Path
    size_bytes: int
    mtime_ns: int

    @property
    def article_id(self) -> str:
        return article_id_for(self.source_path)


@dataclass(frozen=True)
class FileContent:
    """The bytes of one file as read once in a run, with their fingerprint."""

    data: bytes
    content_hash: str
    size_bytes: int
    mtime_ns: int


@dataclass(frozen=True)
class DecodedFile:
    detected_format: str  # 'text' | 'html'
    encoding: str
    text: str


def article_id_for(source_path: str) -> str:
    """Stable id of the article living at ``source_path`` (survives edits of the file)."""
    return hashlib.sha256(source_path.encode("utf-8")).hexdigest()[:16]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def scan_raw_dir(raw_dir: Path) -> Iterator[RawFile]:
    """Every regular file under ``raw_dir`` (recursively), hidden files and folders skipped."""
    raw_dir = Path(raw_dir)
    for root, dirs, files in os.walk(raw_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root, name)
            try:
                st = path.stat()
            except FileNotFoundError:  # removed while we walked
                continue
            rel = path.relative_to(raw_dir).as_posix()
            yield RawFile(rel, path, st.st_size, st.st_mtime_ns)


def read_file(path: Path) -> FileContent:
    """Read a file once: its bytes, their sha256, and the size/mtime of what was read."""
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        data = fh.read()
    return FileContent(data, sha256_bytes(data), len(data), st.st_mtime_ns)


def decode_file(data: bytes, source_path: str) -> DecodedFile:
    """Detect the format and decode one file, or raise :class:`BadInput`."""
    suffix = Path(source_path).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise BadInput(
            f"unsupported file type {suffix or '(no extension)'!r}: "
            "only .txt, .html and .htm files are processed"
        )
    if not data.strip():
        raise BadInput("empty file: no bytes besides white space")
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadInput("binary content: NUL bytes found, not a text or HTML page")
    text, encoding = _decode(data)
    if not text.strip():
        raise BadInput("empty file: no text after decoding")
    if _control_char_share(text) > 0.05:
        raise BadInput("binary content: too many control characters for a text page")
    sniff = text.lstrip()[:512].lower()
    looks_html = sniff.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in sniff
    detected = "html" if suffix in HTML_SUFFIXES or looks_html else "text"
    return DecodedFile(detected, encoding, text)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise BadInput("undecodable content: no text encoding fits these bytes")
    return str(best), best.encoding


def _control_char_share(text: str) -> float:
    sample = text[:20000]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return bad / max(len(sample), 1)
