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

from .safety import display_name, entry_problem

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
    # Why this entry must not be read (lib.ingest.safety), or None.
    problem: str | None = None
    # The name as the file system gives it, when ``source_path`` had to be made
    # readable (not valid UTF-8): the article id comes from its bytes.
    fs_path: str | None = None

    @property
    def article_id(self) -> str:
        return article_id_for(self.fs_path or self.source_path)


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
    """Stable id of the article living at ``source_path`` (survives edits of the file).

    From the name's bytes: the same as its UTF-8 for every valid name, and
    defined for a name that is not valid UTF-8 too."""
    return hashlib.sha256(os.fsencode(source_path)).hexdigest()[:16]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def scan_raw_dir(raw_dir: Path) -> Iterator[RawFile]:
    """Every file under ``raw_dir`` (recursively), hidden files and folders skipped (see
    the README). An entry that must not be read (a link out of RAW_DIR, a broken
    link, a FIFO, a name that is not UTF-8, too large) comes with its ``problem``;
    links to folders are not followed."""
    raw_dir = Path(raw_dir)
    for root, dirs, files in os.walk(raw_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root, name)
            rel = path.relative_to(raw_dir).as_posix()
            problem = entry_problem(raw_dir, path, rel)
            try:
                # A problem entry is never followed: the link's own stat.
                st = os.lstat(path) if problem else path.stat()
            except FileNotFoundError:  # removed while we walked
                continue
            shown = display_name(rel)
            yield RawFile(shown, path, st.st_size, st.st_mtime_ns, problem,
                          rel if shown != rel else None)


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
    utf16 = _utf16_without_bom(data)
    if utf16:
        text, encoding = _decode_utf16(data, utf16)
    else:
        nul = data.find(b"\x00")
        if nul >= 0 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise BadInput(
                f"binary content: NUL byte at byte {nul:,} (text and HTML pages hold none)"
            )
        text, encoding = _decode(data)
    if "\x00" in text:
        raise BadInput(
            f"binary content: NUL character at character {text.index(chr(0)):,} after "
            f"decoding as {encoding} (text and HTML pages hold none)"
        )
    if not text.strip():
        raise BadInput("empty file: no text after decoding")
    if _control_char_share(text) > 0.05:
        raise BadInput("binary content: too many control characters for a text page")
    sniff = text.lstrip()[:512].lower()
    looks_html = sniff.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in sniff
    detected = "html" if suffix in HTML_SUFFIXES or looks_html else "text"
    return DecodedFile(detected, encoding, text)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes look like UTF-16 text without a byte
    order mark: mostly Latin-script text has a NUL as every second byte, on one side."""
    head = data[:8192]
    if len(head) < 4 or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    even, odd = head[0::2], head[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / max(len(odd), 1)
    if odd_nul > 0.3 and even_nul < 0.02:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.02:
        return "utf-16-be"
    return None


def _decode_utf16(data: bytes, encoding: str) -> tuple[str, str]:
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"undecodable content: looks like {encoding} without a byte order mark, but "
            f"byte {exc.start:,} does not decode"
        ) from None


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
