"""Split a page into lines with spans and compute language-independent line features.

Stop-word lists come from jusText (100 languages); the page language is the
list with the most hits over the whole page. Pages in scripts without a list
(e.g. Japanese) fall back to length and sentence punctuation only.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from functools import lru_cache

_LINE = re.compile(r"[^\r\n]+")
WORD = re.compile(r"\w+")
# Scripts written without spaces: count ~2 characters as one word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SENT_END = re.compile(r"[.!?。！？…:;\"'”’»)\]]\s*$")
_SENT_MARK = re.compile(r"[.!?。！？](?:\s|$)")


@dataclass
class Line:
    idx: int
    start: int  # span of the stripped line in the raw text
    end: int
    text: str
    tokens: list[str] = field(default_factory=list)
    n: int = 0  # effective word count
    sw: float = 0.0  # stop-word density (share of tokens that are stop words)
    ends_sentence: bool = False
    sentences: int = 0
    cap_ratio: float = 0.0  # share of alphabetic tokens starting upper-case
    digit_ratio: float = 0.0

    @property
    def key(self) -> str:
        """Normalised form for repetition checks."""
        return " ".join(t.lower() for t in self.tokens)


@lru_cache(maxsize=1)
def _stoplists() -> tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]]]:
    """(language -> stop words, word -> languages). Loaded once."""
    import justext  # trafilatura depends on it

    by_lang: dict[str, frozenset[str]] = {}
    for name in justext.get_stoplists():
        if name == "Simple_English":
            continue
        by_lang[name] = frozenset(w.lower() for w in justext.get_stoplist(name))
    inv: dict[str, list[str]] = {}
    for name, words in by_lang.items():
        for w in words:
            inv.setdefault(w, []).append(name)
    return by_lang, {w: tuple(v) for w, v in inv.items()}


def stoplist(language: str) -> frozenset[str]:
    return _stoplists()[0].get(language, frozenset())


def guess_language(tokens: list[str]) -> str | None:
    """Language whose stop-word list covers most page tokens (None if hardly any)."""
    _, inv = _stoplists()
    counts: dict[str, int] = {}
    for t in tokens:
        langs = inv.get(t)
        if langs:
            for lang in langs:
                counts[lang] = counts.get(lang, 0) + 1
    if not counts:
        return None
    lang, hits = max(counts.items(), key=lambda kv: (kv[1], kv[0] == "English"))
    if hits < max(3, 0.05 * len(tokens)):
        return None
    return lang


def effective_len(tokens: list[str]) -> int:
    n = 0
    for t in tokens:
        if _CJK.search(t):
            n += max(1, len(t) // 2)
        else:
            n += 1
    return n


@dataclass
class Page:
    raw: str
    lines: list[Line]
    language: str | None
    stop: frozenset[str]
    median_sw: float  # median stop-word density of the page's long lines


def split_page(raw: str) -> Page:
    lines: list[Line] = []
    all_tokens: list[str] = []
    for m in _LINE.finditer(raw):
        s, e = m.start(), m.end()
        seg = m.group()
        ls = len(seg) - len(seg.lstrip())
        rs = len(seg.rstrip())
        if rs <= ls:
            continue
        text = seg[ls:rs]
        toks = WORD.findall(text)
        ln = Line(idx=len(lines), start=s + ls, end=s + rs, text=text, tokens=toks)
        lines.append(ln)
        all_tokens.extend(t.lower() for t in toks)
    lang = guess_language(all_tokens)
    stop = stoplist(lang) if lang else frozenset()
    for ln in lines:
        toks = ln.tokens
        ln.n = effective_len(toks)
        if toks:
            low = [t.lower() for t in toks]
            ln.sw = sum(1 for t in low if t in stop) / len(toks) if stop else 0.0
            alpha = [t for t in toks if t[0].isalpha()]
            if alpha:
                ln.cap_ratio = sum(1 for t in alpha if t[0].isupper()) / len(alpha)
            ln.digit_ratio = sum(1 for t in toks if t[0].isdigit()) / len(toks)
        ln.ends_sentence = bool(_SENT_END.search(ln.text))
        ln.sentences = len(_SENT_MARK.findall(ln.text))
    long_sw = [ln.sw for ln in lines if ln.n >= 10]
    median_sw = statistics.median(long_sw) if long_sw else 0.0
    return Page(raw=raw, lines=lines, language=lang, stop=stop, median_sw=median_sw)
