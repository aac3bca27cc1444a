"""Split a page into lines with spans and compute language-independent line features.

Stop-word lists come from jusText (100 languages); the page language is the
list with the most hits over the whole page. Pages in scripts without a list
(e.g. Japanese) fall back to length and sentence punctuation only.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import add, itemgetter

_LINE = re.compile(r"[^\r\n]+")
WORD = re.compile(r"\w+")
# Scripts written without spaces: count ~2 characters as one word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_END_CHARS = frozenset(".!?。！？…:;\"'”’»)]")
# bytes.translate table: ASCII non-word characters but the line break -> space
# (other bytes unchanged).
_ASCII_BLANK = bytes(b if b >= 128 or chr(b).isalnum() or b in (10, 95) else 32 for b in range(256))
SW_MIN = 8  # stop-word density is computed for lines of at least this many words
_SENT_MARK = re.compile(r"[.!?。！？](?:\s|$)")
# Whitespace \s matches besides ' ' and '\n' (all below U+3001), and sentence marks
# beyond ASCII: a page without any counts its sentence ends with str.count. ASCII
# ones (as UTF-8 bytes; '\r' never gets this far), then the others.
_ODD_ASCII_SPACE = (b"\t", b"\v", b"\f", b"\x1c", b"\x1d", b"\x1e", b"\x1f")
_ODD_FOR_COUNT = frozenset(c for c in map(chr, range(128, 0x3001)) if c.isspace()) | frozenset("。！？")
_WIDE_MARKS = frozenset("。！？")
# Non-ASCII characters that are not \w (str.isalnum() or '_'), as re matches them
# (the reference for blank_nonword).
_NONWORD = re.compile(r"[^\w\x00-\x7f]")
_ASCII_BYTES = bytes(range(128))


def blank_nonword(text: str, chars) -> str:
    """``text`` with each of ``chars`` that is not a word character (\\w: str.isalnum()
    or '_') replaced by a space: one ``str.replace`` per distinct character (given
    the page's distinct non-ASCII characters, that is ``_NONWORD.sub(" ", text)``; a
    page has a handful: curly quotes, dashes, no-break spaces)."""
    for c in chars:
        if not (c.isalnum() or c == "_"):
            text = text.replace(c, " ")
    return text


def _lower_bytes(raw_b: bytes, odd: set[str]) -> bytes | None:
    """UTF-8 of ``raw.lower()`` from the page's UTF-8 ``raw_b`` and its distinct non-ASCII
    characters ``odd``: ASCII letters with ``bytes.lower``, then one replace per distinct
    non-ASCII capital. None when some character's lower case is not one character (as
    'İ') or depends on its neighbours (capital sigma). (UTF-8 is self-synchronising, so
    a character's bytes are only found where that character is; lower-casing is
    idempotent, so no replacement is replaced again.)"""
    low_b = raw_b.lower()
    for c in odd:
        lc = c.lower()
        if lc != c:
            if len(lc) != 1 or c == "\u03a3":
                return None
            low_b = low_b.replace(c.encode("utf-8"), lc.encode("utf-8"))
    return low_b


@dataclass(slots=True)
class Line:
    idx: int
    start: int  # span of the stripped line in the raw text
    end: int
    text: str
    _tokens: list[str] | None = None  # \w+ tokens of text; None: found on first use (``tokens``)
    n: int = 0  # effective word count
    sw: float = 0.0  # stop-word density (share of tokens that are stop words; 0 below SW_MIN words)
    ends_sentence: bool = False
    sentences: int = 0
    key: str = ""  # lower-cased tokens joined: normalised form for repetition checks

    @property
    def tokens(self) -> list[str]:
        if self._tokens is None:
            self._tokens = WORD.findall(self.text)
        return self._tokens

    @tokens.setter
    def tokens(self, value: list[str]) -> None:
        self._tokens = value


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
    by_lang, inv = _stoplists()
    if not tokens:
        return None
    english = by_lang["English"]
    if sum(map(english.__contains__, tokens)) >= 0.3 * len(tokens):
        return "English"  # fast path for the common case
    counts: dict[str, int] = {}
    for t, c in Counter(tokens).items():
        langs = inv.get(t)
        if langs:
            for lang in langs:
                counts[lang] = counts.get(lang, 0) + c
    if not counts:
        return None
    # Large lists (thousands of words, some with English ones mixed in) hit
    # more tokens by chance: discount hits by the list size.
    lang, hits = max(counts.items(), key=lambda kv: (kv[1] / len(by_lang[kv[0]]) ** 0.25, kv[0] == "English"))
    if hits < max(3, 0.05 * len(tokens)):
        return None
    return lang


def effective_len(tokens: list[str], text: str = "") -> int:
    if text and not _CJK.search(text):
        return len(tokens)
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
    # Per-line values as flat lists (same order as ``lines``), filled by split_page
    # for the line model: word counts n, stop-word densities, token counts,
    # sentence-end flags, sentence counts.
    ns: list[int] | None = None
    sws: list[float] | None = None
    ntoks: list[int] | None = None
    ends: list[bool] | None = None
    sents: list[int] | None = None
    starts: list[int] | None = None  # line spans in ``raw``
    stops: list[int] | None = None
    lows: list[list[str]] | None = None  # lower-cased \w+ tokens of each line (``key.split()``)
    low: str | None = None  # ``raw.lower()`` when that keeps offsets (None on pages holding \r: not kept)


def split_page(raw: str) -> Page:
    """The page's lines with their spans, tokens, counts, sentence ends, language and
    stop-word density. Each step runs over all lines at once (C-level map/compress
    where possible); tests/clean/test_fast_paths.py holds each to the plain regexes."""
    if "\r" in raw:  # rare: the regex keeps true spans
        return _split_page_cr(raw)
    chars = _page_chars(raw)
    raw_low, low, blank = _lowered(raw, chars)
    # Lines are split on \n: spans come from the segment offsets.
    segs = raw.split("\n")
    stripped = list(map(str.strip, segs))  # '' for blank lines
    texts, starts, stops = _line_spans(segs, stripped)
    toks_l, ntoks, keys, lows = _line_tokens(texts, starts, stops, stripped, low, blank)
    ends = list(map(_END_CHARS.__contains__, map(itemgetter(-1), texts)))
    sents = _sentence_counts(texts, chars)
    lang = guess_language(_language_sample(ntoks, lows, keys))
    stop = stoplist(lang) if lang else frozenset()
    if chars.cjk:  # (effective_len counts tokens only on lines without CJK characters)
        cjk_search, findall = _CJK.search, WORD.findall
        ns = [effective_len(findall(t), t) if cjk_search(t) else nt for t, nt in zip(texts, ntoks)]
    else:
        ns = ntoks
    sws, median_sw = _stop_densities(stop, lows, ns, ntoks)
    lines = list(map(Line, range(len(texts)), starts, stops, texts, toks_l or repeat(None), ns, sws,
                     ends, sents, keys))
    return Page(raw=raw, lines=lines, language=lang, stop=stop, median_sw=median_sw,
                ns=ns, sws=sws, ntoks=ntoks, ends=ends, sents=sents, starts=starts, stops=stops, lows=lows,
                low=raw_low)


@dataclass(slots=True)
class _PageChars:
    """What a page's characters allow the line split to take a shortcut on."""

    raw_b: bytes | None  # the page as UTF-8 (None: it holds a lone surrogate)
    odd: set[str] | None  # its distinct non-ASCII characters (None: no UTF-8)
    cjk: bool  # it holds characters of scripts written without spaces
    # Its only whitespace inside lines is ' ' (no other ASCII space, no CJK) ...
    plain: bool
    # ... and it holds no whitespace or sentence mark beyond ASCII either.
    uniform: bool
    wide_marks: bool  # it holds CJK sentence marks ('。！？')


def _page_chars(raw: str) -> _PageChars:
    try:
        raw_b = raw.encode("utf-8")
    except UnicodeError:  # (lone surrogates)
        raw_b = None
    ascii_page = raw.isascii()
    # The page's distinct non-ASCII characters, from its non-ASCII bytes (None: no UTF-8).
    odd = set() if ascii_page else set(raw_b.translate(None, _ASCII_BYTES).decode("utf-8")) if raw_b is not None else None
    cjk = not ascii_page and _CJK.search("".join(odd) if odd is not None else raw) is not None
    contains = raw_b.__contains__ if raw_b is not None else lambda b: b.decode() in raw
    plain = not cjk and not any(map(contains, _ODD_ASCII_SPACE))
    uniform = plain and (odd.isdisjoint(_ODD_FOR_COUNT) if odd is not None
                         else not any(map(raw.__contains__, _ODD_FOR_COUNT)))
    wide_marks = cjk or (not odd.isdisjoint(_WIDE_MARKS) if odd is not None
                         else any(map(raw.__contains__, _WIDE_MARKS)))
    return _PageChars(raw_b, odd, cjk, plain, uniform, wide_marks)


def _lowered(raw: str, chars: _PageChars) -> tuple[str | None, str | None, str | None]:
    """(``raw.lower()`` when offsets are kept, else None; the lower-cased page with every
    non-word character blanked, or None; the page blanked but not lower-cased, when made).

    \\w on ASCII is [A-Za-z0-9_]: in a copy of the page with every other character
    blanked (one bytes.translate for ASCII, one str.replace per distinct non-ASCII
    non-word character; positions unchanged), a line's \\w+ tokens are simply its
    whitespace-separated words. The lower-cased page (for the furniture needle scan)
    and the blanked lower-cased copy (each line's lower-cased tokens) come from the
    page's bytes when lower-casing is character by character.
    """
    raw_b, odd = chars.raw_b, chars.odd
    low_b = _lower_bytes(raw_b, odd) if raw_b is not None else None
    blank = None
    if low_b is not None:
        # Blank the lower-cased page: the same as lower-casing the blanked one (every
        # character keeps its \w class when lower-cased).
        raw_low = low_b.decode("utf-8")
        low = blank_nonword(low_b.translate(_ASCII_BLANK).decode("utf-8"), {c.lower() for c in odd})
    else:
        raw_low = raw.lower()
        if len(raw_low) != len(raw):  # ('İ': lower-casing moved offsets)
            raw_low = None
        low = None
        if raw_b is not None:
            blank = blank_nonword(raw_b.translate(_ASCII_BLANK).decode("utf-8"), odd)
            low = blank.lower()
    return raw_low, low, blank


def _line_spans(segs: list[str], stripped: list[str]) -> tuple[list[str], list[int], list[int]]:
    """(text, start, stop) of each non-blank line, from the \\n-separated segments."""
    offs = accumulate(map((1).__add__, map(len, segs)), initial=0)  # offset of each segment
    texts = list(compress(stripped, stripped))
    # (text is the segment without surrounding whitespace: it starts at the segment's
    # first occurrence of its first character, all before it being whitespace)
    starts = list(map(add, compress(offs, stripped), map(str.find, compress(segs, stripped), map(itemgetter(0), texts))))
    stops = list(map(add, starts, map(len, texts)))
    return texts, starts, stops


def _line_tokens(texts: list[str], starts: list[int], stops: list[int], stripped: list[str],
                 low: str | None, blank: str | None):
    """(original-case tokens or None, token counts, keys, lower-cased tokens) of each line.

    Original-case tokens are only kept when already at hand: Line.tokens finds them
    on first use otherwise.
    """
    toks_l = None
    if low is None or (blank is not None and len(low) != len(blank)):  # (lower-casing moved offsets)
        findall = WORD.findall
        toks_l = [blank[a:b].split() if blank is not None else findall(t)
                  for a, b, t in zip(starts, stops, texts)]
        ntoks = list(map(len, toks_l))
        keys = list(map(str.lower, map(" ".join, toks_l)))
        lows = list(map(str.split, keys))
    else:
        # (lower-casing keeps offsets: the words of the lower-cased copy's lines; a
        # line there is its stripped text with blanks around it)
        lows = list(map(str.split, compress(low.split("\n"), stripped)))
        ntoks = list(map(len, lows))
        keys = list(map(" ".join, lows))
    return toks_l, ntoks, keys, lows


def _sentence_counts(texts: list[str], chars: _PageChars) -> list[int]:
    """_SENT_MARK matches of each line.

    On a page whose only whitespace inside lines is ' ' and that holds no sentence
    mark beyond ASCII, a line's matches are its '. ', '! ', '? ' plus a final '.',
    '!' or '?': counted with str.count. (Without the other ASCII whitespace, that
    holds for the page's ASCII lines.)
    """
    if chars.uniform:
        return [t.count(". ") + t.count("! ") + t.count("? ") + (t[-1] in ".!?")
                if "." in t or "!" in t or "?" in t else 0 for t in texts]
    # (with wide marks, every non-ASCII line is searched)
    plain, wide_marks, sent_find = chars.plain, chars.wide_marks, _SENT_MARK.findall
    return [(t.count(". ") + t.count("! ") + t.count("? ") + (t[-1] in ".!?") if plain and t.isascii()
             else len(sent_find(t))) if "." in t or "!" in t or "?" in t or (wide_marks and not t.isascii())
            else 0 for t in texts]


def _language_sample(ntoks: list[int], lows: list[list[str]], keys: list[str]) -> list[str]:
    """Up to about 600 lower-cased tokens to guess the language from: those of lines
    of 10 tokens or more, or of every line when they hold fewer than 50."""
    all_tokens: list[str] = []
    for nt, lt in zip(ntoks, lows):
        if nt >= 10:
            all_tokens.extend(lt)
            if len(all_tokens) >= 600:
                break
    if len(all_tokens) < 50:
        all_tokens = " ".join(keys).split()[:600]
    return all_tokens


def _stop_densities(stop: frozenset[str], lows: list[list[str]], ns: list[int],
                    ntoks: list[int]) -> tuple[list[float], float]:
    """Each line's stop-word density and the median over the page's long lines."""
    if stop:  # shorter lines are never prose: no density needed
        contains = stop.__contains__
        sws = [sum(map(contains, lt)) / nt if n >= SW_MIN else 0.0 for lt, n, nt in zip(lows, ns, ntoks)]
        long_sw = [sw for sw, n in zip(sws, ns) if n >= 10]
    else:
        sws = [0.0] * len(ns)
        long_sw = [0.0 for n in ns if n >= 10]
    median_sw = statistics.median(long_sw) if long_sw else 0.0
    return sws, median_sw


def _split_page_cr(raw: str) -> Page:
    """split_page for pages holding \r (line spans from a regex)."""
    lines: list[Line] = []
    all_tokens: list[str] = []
    for m in _LINE.finditer(raw):
        _add_line(lines, m.group(), m.start(), all_tokens)
    if len(all_tokens) < 50:
        all_tokens = " ".join(ln.key for ln in lines).split()[:600]
    lang = guess_language(all_tokens)
    stop = stoplist(lang) if lang else frozenset()
    contains = stop.__contains__
    cjk = not raw.isascii() and _CJK.search(raw) is not None
    sent_find = _SENT_MARK.findall
    if cjk:
        for ln in lines:
            ln.n = effective_len(ln.tokens, ln.text)
    for ln in lines:
        text = ln.text
        if stop and ln.n >= SW_MIN:  # shorter lines are never prose: no density needed
            ln.sw = sum(map(contains, ln.key.split())) / len(ln.tokens)
        if "." in text or "!" in text or "?" in text or cjk:
            ln.sentences = len(sent_find(text))
    long_sw = [ln.sw for ln in lines if ln.n >= 10]
    median_sw = statistics.median(long_sw) if long_sw else 0.0
    return Page(raw=raw, lines=lines, language=lang, stop=stop, median_sw=median_sw,
                ns=[ln.n for ln in lines], sws=[ln.sw for ln in lines], ntoks=[len(ln.tokens) for ln in lines],
                ends=[ln.ends_sentence for ln in lines], sents=[ln.sentences for ln in lines],
                starts=[ln.start for ln in lines], stops=[ln.end for ln in lines])


def _add_line(lines: list[Line], seg: str, s: int, all_tokens: list[str]) -> None:
    ls = len(seg) - len(seg.lstrip())
    rs = len(seg.rstrip())
    if rs <= ls:
        return
    text = seg[ls:rs]
    toks = WORD.findall(text)
    key = " ".join(toks).lower()
    lines.append(Line(len(lines), s + ls, s + rs, text, toks, len(toks), 0.0, text[-1] in _END_CHARS, 0, key))
    if len(toks) >= 10 and len(all_tokens) < 600:
        all_tokens.extend(key.split())
