"""Body detection for plain-text page dumps (one block per line, no markup).

1. Each line gets a score: prose lines (long enough, stop-word density near
   the page's own) add their length, long non-prose lines subtract theirs,
   short lines and lines matching furniture patterns (including long legal
   notices) pay a fixed penalty, rows of data tables (runs of tab-separated
   lines) score zero. With a trained model (:mod:`.model`), the scores of
   non-furniture lines are blended with the model's.
2. The maximum-sum run of lines is the body region (so in-body headings
   survive, menus and teaser lists around it do not); strong prose runs close
   to it are merged in.
3. End markers ('Recent Posts', 'Related', comments ...) cut the region when
   what follows them is mostly not prose.
4. Lines inside the region that match furniture patterns are removed; lines
   outside get a reason from their pattern or from the list header above them.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import patterns as P
from .lines import Line, Page

SHORT = 8  # below this many words a line is 'short' (heading, link, label)
SHORT_PENALTY = 12.0
LEGAL_MIN, LEGAL_MAX = 12, 150  # word range of lines checked for legal notices
NONPROSE_WEIGHT = 1.0


@dataclass
class Params:
    short: int = SHORT
    short_penalty: float = SHORT_PENALTY
    nonprose_weight: float = NONPROSE_WEIGHT
    rel_sw: float = 0.55  # prose: stop-word density >= rel_sw * page median
    min_sw: float = 0.12
    merge_ratio: float = 0.25  # merge a nearby run worth this share of the main one
    merge_gap: int = 6  # ... at most this many lines away
    no_punct_min: int = 20  # a line without closing punctuation needs this many words to be prose


DEFAULT = Params()


def furniture(ln: Line, needles: bool = True) -> str | None:
    """Reason for a line that is site furniture wherever it stands, else None.

    ``needles=False``: the line is known to hold none of the keyword needles.
    """
    if ln.n > 40:
        return None
    return P.furniture_reason(ln.text, ln.n, ln.sentences, needles)


def page_furniture(page: Page) -> list[str | None]:
    lines = page.lines
    # Lines holding a keyword needle, from one scan of the lower-cased page (None:
    # lower-casing moved offsets, as 'İ' does, or the page is not valid Unicode:
    # every line is tried).
    low = page.low if page.low is not None else page.raw.lower()
    hit = legal_hit = None
    if len(low) == len(page.raw) and page.starts is not None:
        try:
            hit, legal_hit = P.needle_lines(low, page.starts)
        except UnicodeEncodeError:  # (a lone surrogate: the automaton reads UTF-8)
            pass
    reason, digit = P.furniture_reason, P._DIGIT.search
    # (a line of more than 8 words without a needle matches no pattern unless it is a
    # date line, of at most 12 words holding a digit: no call)
    out = [None if ln.n > 40 or (ln.n > 8 and hit is not None and ln.idx not in hit
                                 and (ln.n > 12 or digit(ln.text) is None))
           else reason(ln.text, ln.n, ln.sentences, hit is None or ln.idx in hit) for ln in lines]
    # Long legal notices (site terms, copyright, data-use consent) are furniture too.
    for i in legal_hit if legal_hit is not None else range(len(lines)):
        ln = lines[i]
        if out[i] is None and LEGAL_MIN <= ln.n <= LEGAL_MAX and P.legal_notice(ln.text):
            out[i] = "footer"
    return out


def table_rows(lines: list[Line], min_rows: int = 3) -> set[int]:
    """Lines of data tables: runs of >= ``min_rows`` consecutive lines with the same
    number (>= 1) of tab-separated cell breaks (dumps separate table cells by tabs)."""
    out: set[int] = set()
    run: list[int] = []
    prev = -1
    for i, ln in enumerate(lines):
        t = ln.text.count("\t") if "\t" in ln.text else 0
        if t and t == prev:
            run.append(i)
        else:
            if len(run) >= min_rows:
                out.update(run)
            run = [i] if t else []
        prev = t
    if len(run) >= min_rows:
        out.update(run)
    return out


def fake_profile_lines(lines: list[Line]) -> set[int]:
    """Indices of generated author-profile blocks ('Name : ...', 'Email : ...', socials)."""
    out: set[int] = set()
    i = 0
    n = len(lines)
    while i < n:
        # Find a dense cluster of 'key : value' profile fields.
        if ":" not in lines[i].text or not P.PROFILE_FIELD.match(lines[i].text):
            i += 1
            continue
        j = i
        keys = set()
        last_field = i
        while j < n and j - last_field <= 3:
            m = P.PROFILE_FIELD.match(lines[j].text)
            if m:
                keys.add(m.group("key").lower())
                last_field = j
            elif not (P.PLATFORM_HEADER.match(lines[j].text) or P.PROFILE_HEADER.match(lines[j].text)
                      or lines[j].n <= 2):
                break
            j += 1
        personal = keys & {"name", "username", "user name", "email", "e-mail", "birthdate", "birthday",
                           "date of birth", "dob", "address", "phone", "phone number", "company",
                           "job", "job title", "occupation"}
        if len(personal) >= 3 or (len(keys) >= 3 and "username" in keys):
            start = i
            # Pull in a header line just above ('Detail Author:', 'Profile').
            k = i - 1
            while k >= 0 and i - k <= 2 and (P.PROFILE_HEADER.match(lines[k].text)
                                             or (lines[k].text.endswith(":") and lines[k].n <= 3)):
                start = k
                k -= 1
            out.update(range(start, last_field + 1))
            i = last_field + 1
            # Socials following the block belong to it.
            while i < n and (P.PLATFORM_HEADER.match(lines[i].text) or P.PROFILE_FIELD.match(lines[i].text)):
                out.add(i)
                i += 1
        else:
            i = j if j > i else i + 1
    return out


def _kadane(scores: list[float], lo: int, hi: int) -> tuple[float, int, int]:
    best, bs, be = float("-inf"), lo, lo - 1
    cur, cs = 0.0, lo
    for i in range(lo, hi):
        if cur <= 0:
            cur, cs = scores[i], i
        else:
            cur += scores[i]
        if cur > best:
            best, bs, be = cur, cs, i
    return best, bs, be


def _mostly_not_prose(idx: range, prose: list[bool], lines: list[Line]) -> bool:
    tot = sum(lines[i].n for i in idx)
    if tot == 0:
        return True
    pro = sum(lines[i].n for i in idx if prose[i])
    return pro < 0.5 * tot


@dataclass
class TextResult:
    labels: list[str | None]  # None = body, else removal reason
    region: tuple[int, int]
    prose: list[bool]
    furn: list[str | None] = None  # furniture reason of each line (None if none)
    teaser: list[bool] = None


def classify(page: Page, p: Params = DEFAULT, score_fn=None) -> TextResult:
    """Body region and per-line labels. ``score_fn(page, furn, prose, teaser, scores)``
    may return learned line scores that replace the heuristic ones of non-furniture lines."""
    lines = page.lines
    n = len(lines)
    if n == 0:
        return TextResult([], (0, -1), [], [], [])
    furn, prose, teaser = _line_kinds(page, p)
    scores = _line_scores(page, p, furn, prose, teaser)
    if score_fn is not None:
        learned = score_fn(page, furn, prose, teaser, scores)
        if learned is not None:
            scores = [s if f is not None else x for s, f, x in zip(scores, furn, learned)]
    a, b = _body_region(scores, lines, p)
    b = _cut_at_end_marker(lines, furn, prose, teaser, a, b)
    b = _cut_at_comments(lines, furn, prose, a, b)
    a, b = _trim_region(lines, furn, prose, a, b, p)
    _mark_repeated_lines(lines, furn)
    return TextResult(_labels(lines, furn, prose, teaser, a, b), (a, b), prose, furn, teaser)


def _line_kinds(page: Page, p: Params) -> tuple[list[str | None], list[bool], list[bool]]:
    """Per line: its furniture reason (generated profiles included), whether it is
    prose, whether it ends like a teaser ('...', '…', '[…]', optionally an arrow)."""
    lines = page.lines
    furn = page_furniture(page)
    for i in fake_profile_lines(lines):
        furn[i] = "fake_author_profile"
    # Prose: long enough, stop-word density near the page's own (without a stop-word
    # list: some sentence punctuation), and closing punctuation unless long (headlines
    # and link titles carry none; a long line without it may be a paragraph cut off).
    short, no_punct_min = p.short, p.no_punct_min
    thr = max(p.min_sw, p.rel_sw * page.median_sw) if page.stop else None
    prose = [f is None and ln.n >= short
             and (ln.sw >= thr if thr is not None else (ln.ends_sentence or ln.sentences >= 1))
             and (ln.ends_sentence or ln.n >= no_punct_min)
             for ln, f in zip(lines, furn)]
    last, teaser_end = P.TEASER_LAST, P.TEASER_END.search
    teaser = [ln.n <= 60 and ln.text[-1] in last and teaser_end(ln.text) is not None for ln in lines]
    return furn, prose, teaser


def _line_scores(page: Page, p: Params, furn: list[str | None], prose: list[bool],
                 teaser: list[bool]) -> list[float]:
    """Heuristic score of each line for the body-region search (see the module docstring)."""
    lines = page.lines
    table = table_rows(lines) if "\t" in page.raw else set()  # (rows are tab-separated)
    short, penalty, nonprose_weight = p.short, p.short_penalty, p.nonprose_weight
    return [
        -max(penalty, float(ln.n)) if f is not None
        else 0.0 if table and i in table  # data-table rows neither attract nor block the body region
        else float(ln.n) if pr and not te
        else -penalty if ln.n < short
        else -nonprose_weight * ln.n
        for i, (ln, f, pr, te) in enumerate(zip(lines, furn, prose, teaser))]


def _body_region(scores: list[float], lines: list[Line], p: Params) -> tuple[int, int]:
    """The maximum-sum run of lines, with strong prose runs close to it merged in
    (boxes splitting the body); the longest line when nothing scores positive."""
    n = len(scores)
    best, a, b = _kadane(scores, 0, n)
    if b < a:  # nothing positive: keep the longest line
        k = max(range(n), key=lambda i: lines[i].n)
        a = b = k
        best = scores[k]
    changed = True
    while changed:
        changed = False
        if a > 0:
            sl, s1, e1 = _kadane(scores, max(0, a - 60), a)
            if e1 >= s1 and sl >= p.merge_ratio * best and a - e1 - 1 <= p.merge_gap:
                gap = sum(scores[e1 + 1:a])
                if sl + gap > 0 or sl >= 0.5 * best:
                    best += sl + gap
                    a = s1
                    changed = True
        if b < n - 1:
            sr, s2, e2 = _kadane(scores, b + 1, min(n, b + 61))
            if e2 >= s2 and sr >= p.merge_ratio * best and s2 - b - 1 <= p.merge_gap:
                gap = sum(scores[b + 1:s2])
                if sr + gap > 0 or sr >= 0.5 * best:
                    best += sr + gap
                    b = e2
                    changed = True
    return a, b


def _cut_at_end_marker(lines: list[Line], furn: list[str | None], prose: list[bool],
                       teaser: list[bool], a: int, b: int) -> int:
    """The region's end, cut before an end marker ('Recent Posts', 'Related', comments)
    inside it when what follows is mostly not prose."""
    for i in range(a + 1, b + 1):
        if furn[i] in ("recent_posts", "related_links", "comments") and lines[i].n <= 8:
            rest = range(i + 1, b + 1)
            if _mostly_not_prose(rest, prose, lines) or all(teaser[j] or not prose[j] for j in rest):
                return i - 1
    return b


def _cut_at_comments(lines: list[Line], furn: list[str | None], prose: list[bool],
                     a: int, b: int) -> int:
    """The region's end, cut where a reader-comments section starts (after enough of the
    body); the section's lines get the reason 'comments' in ``furn``."""
    region_prose = sum(lines[i].n for i in range(a, b + 1) if prose[i])
    enough = min(80, 0.4 * region_prose)
    before = 0
    for i in range(a, b + 1):
        if prose[i]:
            before += lines[i].n
        elif before >= enough and lines[i].n <= 12 and P.COMMENTS_START.search(lines[i].text):
            furn[i] = "comments"
            for j in range(i, b + 1):
                if furn[j] is None:
                    furn[j] = "comments"
            return i - 1
    return b


def _trim_region(lines: list[Line], furn: list[str | None], prose: list[bool],
                 a: int, b: int, p: Params) -> tuple[int, int]:
    """The region without its trailing short lines, leading short furniture and leading
    headline-like lines (title, kicker: header, not body)."""
    while b > a and not prose[b] and lines[b].n < p.short:
        b -= 1
    while a < b and not prose[a] and lines[a].n < p.short and furn[a] is not None:
        a += 1
    while (a < b and lines[a].n <= 25 and prose[a + 1]
           and not lines[a].text.endswith((".", "。", "!", ".\"", ".”", ":"))):
        a += 1
    return a, b


def _mark_repeated_lines(lines: list[Line], furn: list[str | None]) -> None:
    """Lines repeated right after each other are link lists, not body: 'related_links'."""
    n = len(lines)
    rep = [i > 0 and lines[i].key == lines[i - 1].key and lines[i].n > 0 for i in range(n)]
    for i in range(n):
        if rep[i] and furn[i - 1] is None:
            furn[i - 1] = "related_links"
        if rep[i] and furn[i] is None:
            furn[i] = "related_links"


def _labels(lines: list[Line], furn: list[str | None], prose: list[bool], teaser: list[bool],
            a: int, b: int) -> list[str | None]:
    """None for a body line of the region [a, b], else the line's removal reason: its
    furniture reason, a teaser's 'related_links', and outside the region 'navigation'
    above it, the reason of the list header above it, or 'related_links'/'footer'."""
    labels: list[str | None] = [None] * len(lines)
    section = None
    for i, ln in enumerate(lines):
        if a <= i <= b:
            if furn[i] is not None:
                labels[i] = furn[i]
            elif teaser[i] and not prose[i]:
                labels[i] = "related_links"
            continue
        f = furn[i]
        if f in ("recent_posts", "related_links", "comments") and ln.n <= 8:
            section = f
        if f is not None:
            labels[i] = f
        elif i < a:
            labels[i] = "navigation"
        else:
            labels[i] = section or ("related_links" if ln.n < 20 or teaser[i] else "footer")
    return labels
