"""The cleaner's fast paths give exactly what the plain regexes give."""

from __future__ import annotations

import random
import re

from dagster_project.lib.clean import patterns as P
from dagster_project.lib.clean import regex_fastpath as R
from dagster_project.lib.clean.lines import (
    _CJK,
    _NONWORD,
    _SENT_MARK,
    WORD,
    _lower_bytes,
    blank_nonword,
    split_page,
)

_PHRASES = ["©", "copyright", "All Rights Reserved", "terms of use", "Terms & Service", "privacy policy",
            "cookie policy", "you agree", "written permission", "may not be copied", "our partners",
            "This Site", "our website", "personal data", "registered trademarks", "Read more", "Photo: AP",
            "Share this", "July 24, 2023", "Comments (3)", "Related", "ourwebsite", "x", "_", "é", "’", "1",
            " ", ".", "a", "ß", "—", "\u00a0", "日本", "Ü"]


def _samples(n: int = 4000) -> list[str]:
    rng = random.Random(7)
    out = []
    for _ in range(n):
        out.append("".join(rng.choice(_PHRASES) + rng.choice(["", " ", "_", "é", "-", "a", "’", ":"])
                           for _ in range(rng.randint(1, 8))))
    return out


def test_legal_fast_variant_matches_legal():
    for text in _samples():
        if P._FOLDS_TO_ASCII.search(text):
            continue
        ref = [(m.span(), m.group().lower()) for m in P.LEGAL.finditer(text)]
        fast = [(m.span(), m.group()) for m in P._LEGAL_FAST.finditer(text.lower())]
        assert ref == fast, text


def test_lower_cased_variants_match_on_ascii_text():
    pats = [P._ANCHORED_RE] + [pat for _, pat, _, _ in P.SEARCHED]
    lows = [P._ANCHORED_LOW] + P._SEARCHED_LOW
    assert all(low is not None for low in lows)
    for text in _samples():
        if not text.isascii():
            continue
        for pat, low in zip(pats, lows):
            a, b = pat.search(text), low.search(text.lower())
            assert (a is None) == (b is None), (pat.pattern[:40], text)
            if a is not None:
                assert a.span() == b.span() and a.lastgroup == b.lastgroup


def test_anchored_patterns_picked_by_first_character_match_as_all_of_them():
    # furniture_reason tries only the line-anchored patterns that can start with the
    # line's first character: the same match (and the same pattern) as trying them all.
    rng = random.Random(13)
    texts = [t for t in _samples() if t.isascii()]
    texts += [chr(c) + t for c in range(32, 127) for t in rng.sample(texts, 20)]
    texts += ["july 24, 2023", "2 hours ago", "share on facebook", "3 comments", "tags: a", "home", "x",
              "table of contents", "advertisement", "recent posts", "related articles", "published: 2023-07-24"]
    for text in texts:
        low = text.lower()
        a = P._ANCHORED_LOW.match(low)
        rx = P._ANCHORED_BY_FIRST[low[0]]
        b = rx.match(low) if rx is not None else None
        assert (a is None) == (b is None), text
        if a is not None:
            assert a.span() == b.span() and a.lastgroup == b.lastgroup, text
    # Lines with other characters, starting with an ASCII one: the case-insensitive patterns.
    others = [t for t in _samples() if not t.isascii() and t[0].isascii()]
    others += [chr(c) + t for c in range(32, 127) for t in rng.sample(others, 20)]
    others += ["Share on Facebook ’", "JULY 24, 2023 – 10:00", "Tags: café", "Related Stories «", "x ·"]
    for text in others:
        a = P._ANCHORED_RE.match(text)
        rx = P._ANCHORED_BY_FIRST_I[text[0]]
        b = rx.match(text) if rx is not None else None
        assert (a is None) == (b is None), text
        if a is not None:
            assert a.span() == b.span() and a.lastgroup == b.lastgroup, text


def test_first_chars_reads_patterns_or_says_it_cannot():
    assert R.first_chars(re.compile(r"(?:ab|c)?d")) == frozenset("acd")
    assert R.first_chars(re.compile(r"^\s*[x-z]")) == frozenset("xyz\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f ")
    assert R.first_chars(re.compile(r"a?")) is None  # may match the empty string
    assert R.first_chars(re.compile(r".b")) is None
    assert R.first_chars(re.compile(r"ab", re.I)) is None


def test_lower_cased_variant_refuses_unsafe_patterns():
    assert R.ascii_lower_variant(re.compile(r"\Sfoo", re.I)) is None
    assert R.ascii_lower_variant(re.compile(r"[A-z]", re.I)) is None
    assert R.ascii_lower_variant(re.compile("\u212a", re.I)) is None  # Kelvin sign matches 'k'
    assert R.ascii_lower_variant(re.compile("foo")) is None  # not case-insensitive


def test_line_tokens_keys_and_sentences_match_the_regexes():
    # split_page finds tokens, keys and sentence ends page-wide (blanked copy of the
    # page, str.count): the same as the per-line regexes, whatever the script.
    rng = random.Random(3)
    alphabet = [chr(c) for c in range(1, 128) if chr(c) != "\r"] + [
        "é", "’", "日本", "\u00a0", "\u2028", "ß", "İ", "한", "—", "«", "»", "…", "。", "！", "\u3000", "\x1c",
        "Σ", "σ", "ΣΑ", "Привет", "мир", "²", "\u0301", "Ⅻ", "١٢"]
    plain_pool = [".", "!", "?", " ", "\n", "a", "b", "’", "“", "—", "é", "Ω"]
    for k in range(3000):
        pool = alphabet + ["\n", " ", "a", "b", ".", ". "] * 5 if k % 2 else plain_pool + ["Σ", "ии", "x. "]
        raw = "".join(rng.choice(pool) for _ in range(rng.randint(1, 200)))
        page = split_page(raw)
        assert page.low == (raw.lower() if len(raw.lower()) == len(raw) else None)
        for ln in page.lines:
            assert ln.tokens == WORD.findall(ln.text)
            assert ln.key == " ".join(WORD.findall(ln.text)).lower(), ln.text
            assert raw[ln.start:ln.end] == ln.text
            if not _CJK.search(raw):
                assert ln.sentences == len(_SENT_MARK.findall(ln.text)), ln.text


def test_non_ascii_blanking_matches_the_regex_for_every_code_point():
    # split_page blanks non-ASCII non-word characters with one str.replace per distinct
    # character (str.isalnum() or '_' decides): the same as the regex, code point by code point.
    for lo in range(128, 0x110000, 4096):
        chars = [chr(c) for c in range(lo, min(lo + 4096, 0x110000)) if not 0xD800 <= c < 0xE000]
        if not chars:
            continue
        text = "a.".join(chars)
        assert blank_nonword(text, set(chars)) == _NONWORD.sub(" ", text), hex(lo)


def test_lower_casing_from_bytes_matches_str_lower_for_every_code_point():
    # split_page lower-cases a page from its UTF-8 bytes (ASCII letters, then one replace
    # per distinct non-ASCII capital) unless a character lower-cases to several or
    # depends on its neighbours: then it must say so (None).
    def check(chars):
        text = "Ab.".join(chars) + "Q"
        got = _lower_bytes(text.encode("utf-8"), set(chars))
        if got is not None:
            assert got.decode("utf-8") == text.lower()
        return got is not None

    for lo in range(128, 0x110000, 4096):
        chars = [chr(c) for c in range(lo, min(lo + 4096, 0x110000)) if not 0xD800 <= c < 0xE000]
        if chars and not check(chars):
            refused = [c for c in chars if not check([c])]
            assert all(len(c.lower()) != 1 or c == "\u03a3" for c in refused), refused


def test_lower_casing_keeps_every_characters_word_class():
    # split_page blanks the lower-cased page instead of lower-casing the blanked one:
    # the same as long as no character changes its \w class when lower-cased.
    for c in map(chr, range(0x110000)):
        low = c.lower()
        if len(low) == 1:
            assert (c.isalnum() or c == "_") == (low.isalnum() or low == "_"), hex(ord(c))


def test_page_furniture_matches_the_line_by_line_patterns():
    # page_furniture finds needles and line-anchored patterns page-wide; each line
    # must get what furniture() (the patterns tried on the line alone) gives it.
    from dagster_project.lib.clean.text import LEGAL_MAX, LEGAL_MIN, furniture, page_furniture

    rng = random.Random(11)
    pool = _PHRASES + ["\n"] * 12 + ["Home", "Menu", "Latest news", "Recent Posts", "Table of Contents",
                                     "3 Comments", "Share on Facebook", "Tags:", "2 hours ago",
                                     "Photo: Getty Images", "Привет", " : ", "Related\n:", "By ",
                                     "İstanbul", "ΣΑ", "sign up", "Terms", "\ud800"]
    for _ in range(1500):
        raw = "".join(rng.choice(pool) + rng.choice(["", " ", " ", "x"]) for _ in range(rng.randint(1, 60)))
        page = split_page(raw)
        got = page_furniture(page)
        for ln, reason in zip(page.lines, got):
            expected = furniture(ln)
            if expected is None and LEGAL_MIN <= ln.n <= LEGAL_MAX and P.legal_notice(ln.text):
                expected = "footer"
            assert reason == expected, (ln.text, reason, expected)


def test_parse_date_skips_lines_without_digits_only():
    import datetime as dt

    assert P.parse_date("Published July 24, 2023") == dt.date(2023, 7, 24)
    assert P.parse_date("\u0662\u0664 July \u0662\u0660\u0662\u0663") == dt.date(2023, 7, 24)  # Arabic-Indic digits are \\d
    assert P.parse_date("Twenty-fourth of July") is None


def test_a_page_with_a_lone_surrogate_is_cleaned():
    from dagster_project.lib.clean import clean_document

    art = clean_document("Share this\nA long enough sentence of the article body \ud800 is kept here.\n", "text")
    assert "\ud800" in art.body_text
    assert any(b.text == "Share this" for b in art.removed_blocks)


def _every_pattern_in_order(text: str, n: int, sentences: int) -> str | None:
    """furniture_reason without its shortcuts: the line-anchored patterns, then every
    searched pattern in order, no keyword needles, no first-character dispatch."""
    if n <= 8 or (n <= 12 and re.search(r"\d", text)):
        m = P._ANCHORED_RE.match(text)
        if m is not None:
            reason, _, limit = P.ANCHORED[int(m.lastgroup[1:])]
            if n <= limit:
                return reason
    for reason, pat, limit, _ in P.SEARCHED:
        if n <= limit and pat.search(text) and not (reason == "photo_credit" and sentences >= 2):
            return reason
    return None


def test_furniture_reason_gives_the_first_matching_pattern():
    # The keyword needles (found by an Aho-Corasick automaton, overlapping ones too)
    # only skip patterns that cannot match: the reason is the first pattern's that does.
    texts = _samples(3000) + ["Photo: Getty Images", "Share this article on Facebook", "Recent Posts",
                              "Read more »", "Cookies help us deliver our services.", "x\ud800 Share this"]
    lines = [ln for t in texts for ln in split_page(t).lines]
    assert any(P.furniture_reason(ln.text, ln.n, ln.sentences) for ln in lines)
    for ln in lines:
        assert P.furniture_reason.__wrapped__(ln.text, ln.n, ln.sentences) == \
            _every_pattern_in_order(ln.text, ln.n, ln.sentences), ln.text
