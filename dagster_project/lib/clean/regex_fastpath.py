"""Faster exact equivalents of case-insensitive regexes, from reading their parse trees.

Why: Python's regex engine skips ahead to a literal first character only in
case-sensitive patterns, and enters every alternative of a case-insensitive
alternation at every position. The furniture vocabulary (:mod:`.patterns`)
is long case-insensitive alternations tried on every short line of every
page, so :mod:`.patterns` runs, on ASCII lines, lower-cased case-sensitive
variants of them (:func:`ascii_lower_variant`), and picks the line-anchored
ones by the line's first character (:func:`first_chars`,
:func:`first_char_dispatch`). Measured on the 121 text dumps of the
article-extraction benchmark (2026-11-30, six interleaved runs of seven rounds,
caches emptied per page, outputs identical): ``furniture_reason`` takes about
1.95-2.4 us per line with these variants against 3.0-3.1 us with the plain
patterns, and whole-page cleaning 1.79-1.82 ms per page (median) against
1.87-2.0 ms (about 8%), which the 10x cleaning-speed target has no margin to
give up (README, Cleaning quality).

How: it reads patterns with the standard library's regex parser
(``re._parser``, ``re._constants``), which is not a public API. Everything here
refuses what it does not read and returns None, and the callers then use the
plain patterns, so a Python whose parser changed gets the same output, only
slower; tests/clean/test_fast_paths.py holds every variant to its pattern.
"""

from __future__ import annotations

import re


def _walk(items):
    """All (op, av) nodes of a parsed pattern, depth first."""
    from re import _constants as C

    for op, av in items:
        yield op, av
        if op is C.BRANCH:
            for sub in av[1]:
                yield from _walk(sub)
        elif op is C.SUBPATTERN:
            yield from _walk(av[3])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT, C.ATOMIC_GROUP):
            yield from _walk(av[-1])
        elif op in (C.ASSERT, C.ASSERT_NOT):
            yield from _walk(av[1])


def ascii_lower_variant(pattern: re.Pattern) -> re.Pattern | None:
    """A case-sensitive regex that, run on ``text.lower()`` of an ASCII ``text``,
    matches exactly as the IGNORECASE ``pattern`` does on ``text`` (same spans and
    groups), or None when that can't be guaranteed. Case-sensitive alternatives
    that start with a literal are skipped by the regex engine at once, which
    IGNORECASE ones are not: several times faster on long alternations.

    Why it is exact: on ASCII text IGNORECASE compares the lower-cased character
    with the lower-cased pattern; lower-casing the source does the latter as long
    as it holds no upper-case escapes (\\S, \\D, ...), its class ranges are lower-cased
    range by range (A-Z -> a-z) and none of its non-ASCII characters matches an
    ASCII one case-insensitively (Kelvin sign, long s)."""
    from re import _constants as C
    from re import _parser

    src = pattern.pattern
    if not pattern.flags & re.IGNORECASE or re.search(r"\\[A-Z]", src) or "(?" in src.replace("(?:", "").replace("(?P<", ""):
        return None
    try:
        tree = _parser.parse(src, pattern.flags)
        for op, av in _walk(tree):
            if op is C.IN:
                for iop, iav in av:
                    if iop is C.RANGE:
                        lo, hi = iav
                        if lo >= 128 and hi >= 128:
                            continue
                        if (lo, hi) in ((65, 90), (97, 122)):
                            continue
                        if any(chr(c).isalpha() for c in range(lo, min(hi, 127) + 1)) or hi >= 128:
                            return None
            elif op not in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.AT, C.BRANCH, C.SUBPATTERN,
                            C.MAX_REPEAT, C.MIN_REPEAT, C.CATEGORY):
                return None
        ascii_chars = [chr(c) for c in range(128)]
        for ch in {c for c in src if not c.isascii()}:
            one = re.compile(re.escape(ch), re.IGNORECASE)
            if any(one.fullmatch(a) for a in ascii_chars) or any(c.isascii() for c in ch.lower()):
                return None
        low = src.lower().replace("(?p<", "(?P<")
        return re.compile(low, pattern.flags & ~re.IGNORECASE)
    except (re.error, ValueError, KeyError, AttributeError, ImportError):
        return None


def first_chars(pattern: re.Pattern) -> frozenset[str] | None:
    """The characters a match of the case-sensitive ``pattern`` can start with, as far as
    ASCII text goes (\\d and \\s stand for their ASCII members), or None when that is
    not known (any character, or a construct this does not read)."""
    from re import _constants as C
    from re import _parser

    if pattern.flags & re.IGNORECASE:
        return None
    any_char = object()
    categories = {C.CATEGORY_DIGIT: "0123456789",
                  C.CATEGORY_SPACE: "".join(c for c in map(chr, range(128)) if c.isspace())}

    def seq(items) -> tuple[set | object, bool]:  # (first characters, can be empty)
        out: set[str] = set()
        for op, av in items:
            if op is C.LITERAL:
                out.add(chr(av))
                return out, False
            if op is C.AT:
                continue  # zero width
            if op is C.IN:
                for iop, iav in av:
                    if iop is C.LITERAL:
                        out.add(chr(iav))
                    elif iop is C.RANGE:
                        out.update(map(chr, range(iav[0], iav[1] + 1)))
                    elif iop is C.CATEGORY and iav in categories:
                        out.update(categories[iav])
                    else:
                        return any_char, False
                return out, False
            if op is C.BRANCH:
                empty = False
                for sub in av[1]:
                    f, e = seq(sub)
                    if f is any_char:
                        return any_char, False
                    out |= f
                    empty = empty or e
            elif op is C.SUBPATTERN:
                f, empty = seq(av[3])
                if f is any_char:
                    return any_char, False
                out |= f
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
                f, e = seq(av[2])
                if f is any_char:
                    return any_char, False
                out |= f
                empty = e or av[0] == 0
            else:
                return any_char, False
            if not empty:
                return out, False
        return out, True

    try:
        first, empty = seq(_parser.parse(pattern.pattern, pattern.flags))
    except (re.error, ValueError, TypeError, KeyError, AttributeError):
        return None
    return None if first is any_char or empty else frozenset(first)


def first_char_dispatch(patterns: list[re.Pattern], lower: bool = True) -> dict[str, re.Pattern | None] | None:
    """For each ASCII character: the case-insensitive ``patterns`` (in priority order, one
    named group ``f<k>`` each, k its position) that can match a text starting with it,
    combined into one regex (None: none can; None for the whole table when some pattern
    has no exact lower-cased variant). Leaving out the alternatives that cannot match keeps the
    first one that does, and the engine no longer enters each alternative's group to
    find out. ``lower``: the lower-cased variants, for lower-cased ASCII texts; else
    the case-insensitive patterns, for other texts starting with an ASCII character
    (which such a pattern matches as the variant matches its lower case: no pattern
    character matches an ASCII one case-insensitively but the ASCII letter itself)."""
    lows = [ascii_lower_variant(pat) for pat in patterns]
    if any(low is None for low in lows):
        return None
    firsts = [first_chars(low) for low in lows]
    pats = lows if lower else list(patterns)
    combined: dict[tuple[int, ...], re.Pattern | None] = {(): None}
    out = {}
    for ch in map(chr, range(128)):
        key = ch if lower else ch.lower()
        ks = tuple(k for k, f in enumerate(firsts) if f is None or key in f)
        if ks not in combined:
            combined[ks] = re.compile("|".join(f"(?P<f{k}>{pats[k].pattern})" for k in ks), pats[ks[0]].flags)
        out[ch] = combined[ks]
    return out
