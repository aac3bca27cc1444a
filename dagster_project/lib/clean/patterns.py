"""Line patterns of site furniture, each mapped to a removal reason.

These are generic shapes (cookie notices, credits, 'Read more' teasers,
date-only lines, share buttons, section headers of link lists), not strings
of particular sites. Only short lines are matched by the keyword patterns so
an article sentence that mentions cookies or Facebook stays in the body.

How a line is matched fast (:func:`furniture_reason`, :func:`needle_lines`):
keyword needles of a whole page in one Aho-Corasick pass, and on ASCII lines
the exact lower-cased variants of the patterns, picked by the line's first
character, from :mod:`.regex_fastpath` (which says what they buy).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from functools import lru_cache

import ahocorasick_rs

from .regex_fastpath import ascii_lower_variant, first_char_dispatch

I = re.IGNORECASE

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_TIME_RE = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?"
_DATE_PATTERNS = [
    # July 24, 2023 / Jul. 24 2023
    (re.compile(rf"(?P<mon>{_MONTH_RE})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})", I)),
    # 24 July 2023
    (re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH_RE}),?\s+(?P<year>\d{{4}})", I)),
    # 2023-07-24 / 2023/07/24
    (re.compile(r"(?P<year>\d{4})[-/.](?P<mnum>\d{1,2})[-/.](?P<day>\d{1,2})")),
]
# A line that is only a date (optionally weekday, time, 'Published', 'Updated').
DATE_ONLY = re.compile(
    rf"^(?:(?:published|posted|updated|last updated|date)\s*(?:on)?:?\s*)?"
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:{_MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_RE},?\s+\d{{4}}"
    rf"|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}})"
    rf"{_TIME_RE}\s*(?:\|.*)?$",
    I,
)
RELATIVE_DATE_ONLY = re.compile(
    r"^(?:\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago|yesterday|today|just now)$",
    I,
)


_DIGIT = re.compile(r"\d")


def parse_date(text: str) -> dt.date | None:
    if _DIGIT.search(text) is None:  # (every date pattern holds a digit)
        return None
    for pat in _DATE_PATTERNS:
        m = pat.search(text)
        if not m:
            continue
        g = m.groupdict()
        try:
            month = _MONTHS[g["mon"].lower().rstrip(".")[:3]] if g.get("mon") else int(g["mnum"])
            return dt.date(int(g["year"]), month, int(g["day"]))
        except (KeyError, ValueError):
            continue
    return None


COOKIE = re.compile(
    r"\bcookies?\b|\bconsent\b|\bgdpr\b|\bprivacy (?:policy|settings|preferences)\b", I
)
PHOTO_CREDIT = re.compile(
    r"^[\[(]?\s*(?:photo|image|picture|pic|foto|illustration|graphic|video|credit|source|caption)s?"
    r"(?:\s+credit)?\s*(?:by|:|/|©|\bcourtesy\b)"
    r"|^[\[(]?\s*(?:photo|image)s?\s+(?:courtesy|via)\b"
    r"|\b(?:getty images|shutterstock|istock(?:photo)?|wikimedia commons|associated press|afp|reuters|ap photo|epa|file photo)\b.{0,40}[\])]?$"
    r"|^©",
    I,
)
TOC = re.compile(
    r"^(?:table of contents|contents|in this (?:article|story|post)|jump to(?: section)?|on this page|"
    r"inhaltsverzeichnis|inhalt|sommaire|índice|indice|contenido|conteúdo|содержание|оглавление|目次|목차)\s*:?$",
    I,
)
READ_MORE = re.compile(
    r"(?:^|\s|…|\.\.\.)(?:read more|continue reading|read the full (?:story|article)|read full (?:story|article)|"
    r"mehr lesen|weiterlesen|lire la suite|leia mais|leer más|continua a leggere|читать далее|подробнее)\s*(?:»|›|>|→)?\s*$",
    I,
)
TEASER_END = re.compile(r"(?:…|\.\.\.|\[…\]|\[\.\.\.\])\s*(?:»|›|→)?\s*$")
SOCIAL = re.compile(
    r"^(?:share(?: this| on| via| the article| article| story)?|tweet|pin it|email|e-mail|print|whatsapp|"
    r"facebook|twitter|linkedin|pinterest|reddit|telegram|instagram|youtube|tiktok|flipboard|"
    r"follow us(?: on)?|socials?|copy link|link copied|comment|x)\b[\s:|,/·•-]*"
    r"(?:(?:facebook|twitter|linkedin|pinterest|reddit|whatsapp|email|print|instagram|youtube|x)\b[\s:|,/·•-]*)*$",
    I,
)
NEWSLETTER = re.compile(
    r"\bnewsletters?\b|\bsubscribe\b|\bsign up\b|\bsign-up\b|\bunsubscribe\b|\binbox\b", I
)
ADVERTISING = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content| links?)?|ad|ads|anzeige|publicidade|publicidad|"
    r"pubblicità|реклама|scroll to continue(?: with content)?)\s*:?$",
    I,
)
COMMENTS = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies)\s*(?:\(\d+\))?$|^(?:leave|post|add|write) a (?:comment|reply)\b"
    r"|^(?:view|show|load|see) (?:all )?(?:\d+ )?comments?\b",
    I,
)
# Start of a reader-comments section (comments always follow the article).
COMMENTS_START = re.compile(
    r"^\[?\s*\d+\s+(?:comments?|responses?|replies|kommentare|comentários|comentarios|commenti|"
    r"commentaires|комментари\w*)\b|\b\d+\s+(?:responses?|comments?|replies)\s+to\b|"
    r"^(?:top rated|all|view|show|load|read|post|leave|add|write|join the)(?: a| all| the)?(?: \d+)? "
    r"(?:comments?|discussion|conversation)\b|^(?:comments?|discussion|reader comments|"
    r"kommentare|comentários|comentarios|commenti|commentaires|комментарии)\s*(?:\(\d+\))?\s*:?$|"
    r"^.{1,60}\s(?:says|said|wrote|writes|replied|commented)\s*:$",
    I,
)
FOOTER = re.compile(
    r"©|\bcopyright\b|\ball rights reserved\b|\bterms (?:of|&) (?:use|service)\b|\bprivacy policy\b", I
)
# Phrases of legal notices (site terms, copyright, data-use consent). One may occur
# in an article sentence; a long line holding two different ones is a notice.
LEGAL = re.compile(
    r"©|\bcopyright\b|\ball rights reserved\b|\bterms (?:of|and|&) (?:use|service|conditions)\b|"
    r"\bprivacy (?:policy|notice|statement)\b|\bcookie policy\b|\byou agree\b|\bwritten permission\b|"
    r"\bmay not be (?:published|reproduced|copied|redistributed|republished)\b|\bour (?:partners|affiliates)\b|"
    r"\b(?:this|our) (?:site|website)\b|\bpersonal data\b|\bregistered trademarks?\b",
    I,
)
# Substrings one of which every LEGAL match holds (a cheap pre-check).
_LEGAL_NEEDLES = ("©", "copyright", "rights reserved", "terms", "privacy", "cookie policy", "you agree",
                  "written permission", "may not be", "our partners", "our affiliates", "site",
                  "personal data", "trademark")


def legal_notice(text: str) -> bool:
    """A line with at least two different legal-notice phrases."""
    low = text.lower()
    if not any(map(low.__contains__, _LEGAL_NEEDLES)):
        return False
    if text.isascii() or not _FOLDS_TO_ASCII.search(text):  # same matches on the lower-cased text
        return len({m.group() for m in _LEGAL_FAST.finditer(low)}) >= 2
    return len({m.group().lower() for m in LEGAL.finditer(text)}) >= 2


# LEGAL, lower-cased and case-sensitive, for lower-cased text: every '\bx' (x a
# letter) written 'x(?<!\w.)' (the same test, made after the letter) so each
# alternative starts with a literal and the search skips ahead by its first
# characters instead of trying every alternative at every position. Exact on
# text free of the only non-ASCII characters that IGNORECASE matches to ASCII
# letters (İ ı ſ K): LEGAL has no other non-ASCII character than '©', and
# lower-casing keeps every other character's \w/\s/\d class and its length.
_B = r"(?<!\w.)"
_LEGAL_FAST = re.compile(
    rf"©|c{_B}opyright\b|a{_B}ll rights reserved\b|t{_B}erms (?:of|and|&) (?:use|service|conditions)\b|"
    rf"p{_B}rivacy (?:policy|notice|statement)\b|c{_B}ookie policy\b|y{_B}ou agree\b|w{_B}ritten permission\b|"
    rf"m{_B}ay not be (?:published|reproduced|copied|redistributed|republished)\b|o{_B}ur (?:partners|affiliates)\b|"
    rf"t{_B}his (?:site|website)\b|o{_B}ur (?:site|website)\b|p{_B}ersonal data\b|r{_B}egistered trademarks?\b"
)
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


# Headers of link lists after (or beside) the article.
RECENT_HEADER = re.compile(
    r"^(?:recent (?:posts|articles|stories|news)|latest(?: (?:posts|news|articles|stories))?|"
    r"most (?:read|popular|viewed|shared)|popular (?:posts|now|articles|stories)|trending(?: now| stories)?|"
    r"top stories|what'?s hot|just in)\s*:?$",
    I,
)
RELATED_HEADER = re.compile(
    r"^(?:related(?: (?:posts|articles|stories|news|content|coverage|links|reading|topics))?|"
    r"(?:you|we think you) (?:may|might|will) (?:also )?(?:like|enjoy|be interested in)|"
    r"(?:more|other) (?:from|on|in|stories|articles|news)\b.*|see also|further reading|read (?:also|next)|"
    r"recommended(?: for you| stories| articles)?|(?:don'?t miss|up next|keep reading|also read)|"
    r"previous (?:post|article|story)|next (?:post|article|story)|tags?|topics?|filed under|"
    r"leia também|veja também|lesen sie auch|mehr zum thema|à lire aussi|lire aussi|leggi anche|"
    r"читайте также|см\. также|관련 기사)\s*:?$",
    I,
)
TAGS_LINE = re.compile(r"^(?:tags?|topics?|filed under|categories|category)\s*:", I)
NAV_WORDS = re.compile(
    r"^(?:home|menu|search|login|log in|sign in|register|subscribe|skip to (?:main )?content|"
    r"close|open|back to top|toggle navigation|next|previous|prev|more|about(?: us)?|contact(?: us)?|"
    r"main menu|navigation)$",
    I,
)
# "X is a professor of ..." / "X is an associate fellow at ..." (a closing bio).
BIO = re.compile(
    r"^(?P<name>(?:(?:Dr|Prof|Mr|Ms|Mrs|Md)\.?\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|al|bin|da|di|del|der|la|le)){0,4})"
    r"\s+(?:is|was|has been|serves as|works as)\s+(?:a|an|the|currently|also|senior|associate|assistant|"
    r"professor|director|editor|fellow|founder|co-founder|writer|journalist|reporter|correspondent|"
    r"researcher|analyst|lecturer|doctoral|phd|post-graduate|postgraduate|graduate|student)\b",
)
BIO_ROLE = re.compile(
    r"\b(?:professor|fellow|researcher|analyst|lecturer|student|scholar|journalist|writer|editor|"
    r"correspondent|reporter|author|director|founder|expert|contributor|columnist|consultant|"
    r"university|institute|department|center|centre|school)\b",
    I,
)
BYLINE = re.compile(r"^(?:by|von|par|por|di|от|автор:?)\s+(?P<name>[^\d|,]{3,80}?)\s*(?:[|,•·–-].*)?$", I)
# Generated-profile blocks: "• Name : ...", "Email: ...", social platform headers.
PROFILE_FIELD = re.compile(
    r"^[•·*\-–\s]*(?P<key>name|username|user name|email|e-mail|birthdate|birthday|date of birth|dob|"
    r"address|phone|phone number|company|job|job title|occupation|bio|url|followers|following|website|"
    r"gender|age|location)\s*:\s*(?P<val>.*)$",
    I,
)
PROFILE_HEADER = re.compile(
    r"^(?:detail(?:s)?\s+(?:of\s+)?author|author\s+details?|about\s+the\s+author|author\s+profile|"
    r"author\s+info(?:rmation)?|profile)\s*:?$",
    I,
)
PLATFORM_HEADER = re.compile(
    r"^(?:socials?|social media|social profiles?|facebook|twitter|x|linkedin|instagram|tiktok|youtube|"
    r"pinterest|github|mastodon|threads)\s*:?$",
    I,
)
# Lorem ipsum vocabulary (enough to tell a generated bio from a real one).
LOREM = frozenset(
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore "
    "et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip "
    "ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum eu fugiat "
    "nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui officia deserunt "
    "mollit anim id est laborum molestias nobis excepturi iste dolorum corrupti ducimus aut eos vitae "
    "modi quia magnam at consequatur odio voluptatem nisi architecto odit quaerat exercitationem autem "
    "dolorem rem voluptatibus atque quibusdam aspernatur quo quas quae quod omnis sint natus error "
    "accusantium doloremque laudantium totam aperiam eaque ipsa ab illo inventore veritatis quasi "
    "beatae vitae dicta explicabo nemo ipsam voluptas aspernatur fugit consequuntur magni dolores "
    "eos ratione sequi nesciunt neque porro quisquam dolorem adipisci numquam eius tempora incidunt "
    "perferendis doloribus asperiores repellat facere possimus assumenda repudiandae saepe eveniet "
    "et voluptates recusandae itaque earum rerum hic tenetur sapiente delectus reiciendis maiores "
    "alias perferendis similique mollitia animi harum quidem facilis expedita distinctio libero "
    "tempore cum soluta nobis eligendi optio cumque impedit minus maxime placeat".split()
)
SITE_BLURB = re.compile(
    r"\b(?:our (?:site|website|blog|mission|team|readers)|this (?:site|website|blog)|"
    r"(?:brought|delivered) to you|we (?:bring|deliver|provide|offer|cover|are a)|"
    r"(?:is|are) (?:a|an|the) (?:leading|independent|premier|online|digital)\b.{0,40}\b"
    r"(?:magazine|news|site|website|publication|platform|blog|source))",
    I,
)


# Furniture patterns, in priority order. Line-anchored ones run as one combined
# regex on short lines; the searched ones only when a cheap substring test passes.
# (reason, pattern, max words)
ANCHORED = [
    ("table_of_contents", TOC, 3),
    ("header", DATE_ONLY, 12),
    ("header", RELATIVE_DATE_ONLY, 12),
    ("social", SOCIAL, 8),
    ("advertising", ADVERTISING, 4),
    ("comments", COMMENTS, 8),
    ("recent_posts", RECENT_HEADER, 6),
    ("related_links", RELATED_HEADER, 8),
    ("related_links", TAGS_LINE, 8),
    ("navigation", NAV_WORDS, 4),
]
SEARCHED = [
    ("related_links", READ_MORE, 30,
     ("read", "continu", "mehr", "weiter", "lire", "leia", "leer", "читать", "подробнее")),
    ("photo_credit", PHOTO_CREDIT, 25,
     ("photo", "image", "pictur", "pic", "foto", "illustr", "graphic", "video", "credit", "source",
      "caption", "getty", "shutterst", "istock", "wikimedia", "press", "afp", "reuters", "epa", "©")),
    ("cookie_notice", COOKIE, 40, ("cookie", "consent", "gdpr", "privacy")),
    ("newsletter", NEWSLETTER, 20, ("newsletter", "subscri", "sign up", "sign-up", "inbox")),
    ("footer", FOOTER, 25, ("©", "copyright", "rights reserved", "terms", "privacy")),
]
_ANCHORED_RE = re.compile(
    "|".join(f"(?P<f{k}>{pat.pattern})" for k, (_, pat, _) in enumerate(ANCHORED)), re.IGNORECASE
)


_ANCHORED_LOW = ascii_lower_variant(_ANCHORED_RE)  # (all variants at once: the reference for the dispatch below)


# Line-anchored patterns picked by a line's first character: lower-cased variants for
# lower-cased ASCII lines, the patterns themselves for other lines starting with an
# ASCII character (None: the fast paths are off, every line tries _ANCHORED_RE).
_ANCHORED_BY_FIRST = first_char_dispatch([pat for _, pat, _ in ANCHORED])
_ANCHORED_BY_FIRST_I = first_char_dispatch([pat for _, pat, _ in ANCHORED], lower=False)
_SEARCHED_LOW = [ascii_lower_variant(pat) for _, pat, _, _ in SEARCHED]


_NEEDLE_SETS = [frozenset(nds) for *_, nds in SEARCHED]
_NEEDLE_LIST = tuple(sorted({nd for *_, nds in SEARCHED for nd in nds}))
_ALL_NEEDLES = frozenset(_NEEDLE_LIST)


# Last characters of a line TEASER_END can match (a cheap pre-check).
TEASER_LAST = frozenset("….]»›→")


# One Aho-Corasick automaton finds every furniture and legal-notice needle of a page
# in a single pass. Each needle starts and ends with a non-space character and holds
# no line break, so each match lies inside one (stripped) line.
_PAGE_NEEDLES = _NEEDLE_LIST + tuple(nd for nd in _LEGAL_NEEDLES if nd not in _NEEDLE_LIST)
_IS_FURNITURE_NEEDLE = tuple(nd in _NEEDLE_LIST for nd in _PAGE_NEEDLES)
_IS_LEGAL_NEEDLE = tuple(nd in _LEGAL_NEEDLES for nd in _PAGE_NEEDLES)
_PAGE_NEEDLE_SEARCH = ahocorasick_rs.AhoCorasick(list(_PAGE_NEEDLES))


def needle_lines(low: str, starts: list[int]) -> tuple[set[int], set[int]]:
    """(lines holding a furniture needle, lines holding a legal-notice needle), given
    the lower-cased page ``low`` (same offsets as the page) and its lines' start offsets."""
    furniture: set[int] = set()
    legal: set[int] = set()
    is_furniture, is_legal = _IS_FURNITURE_NEEDLE, _IS_LEGAL_NEEDLE
    for k, s, _ in _PAGE_NEEDLE_SEARCH.find_matches_as_indexes(low, overlapping=True):
        li = bisect_right(starts, s) - 1
        if is_furniture[k]:
            furniture.add(li)
        if is_legal[k]:
            legal.add(li)
    return furniture, legal


@lru_cache(maxsize=65536)
def furniture_reason(text: str, n: int, sentences: int, needles: bool = True) -> str | None:
    """Reason of the first furniture pattern matching a line of ``n`` words, else None.

    Cached: menus, footers and share buttons repeat within a page and across a site's pages.
    """
    # Only the date patterns allow more than 8 words, and dates hold digits.
    if n <= 8 or (n <= 12 and _DIGIT.search(text)):
        if _ANCHORED_BY_FIRST is None or not text:
            m = _ANCHORED_RE.match(text)
        elif text.isascii():
            low = text.lower()
            rx = _ANCHORED_BY_FIRST[low[0]]
            m = rx.match(low) if rx is not None else None
        else:
            rx = _ANCHORED_BY_FIRST_I[text[0]] if text[0].isascii() else _ANCHORED_RE
            m = rx.match(text) if rx is not None else None
        if m is not None:
            reason, _, limit = ANCHORED[int(m.lastgroup[1:])]
            if n <= limit:
                return reason
    if not needles:
        return None
    low = text.lower()
    # The line's needles, overlapping ones too (from the page automaton: its legal-notice
    # needles belong to no pattern's set and change nothing), so every pattern with a
    # needle in the line is tried.
    try:
        hits = set(_PAGE_NEEDLE_SEARCH.find_matches_as_strings(low, overlapping=True))
    except UnicodeEncodeError:  # (a lone surrogate: the automaton reads UTF-8; try every pattern)
        hits = _ALL_NEEDLES
    if not hits:
        return None
    ascii = text.isascii()
    for (reason, pat, limit, _), needles, fast in zip(SEARCHED, _NEEDLE_SETS, _SEARCHED_LOW):
        if n > limit or needles.isdisjoint(hits):
            continue
        m = fast.search(low) if ascii and fast is not None else pat.search(text)
        if m and not (reason == "photo_credit" and (sentences >= 2 or attributes_content(text))):
            return reason
    return None


# A credit line: 'Source:'/'Credit:' and a few names ('Source: Jane Roe/Agency',
# 'Credit: Getty Images via AFP'). A line under such a label that reads as prose (many
# lower-case words: 'Source: the minister, after a meeting of defence ministers, as
# reported by ...') attributes the article's content and is body.
_CONTENT_LABEL = re.compile(r"^[\[(]?\s*(?:source|credit)s?\s*:\s*", I)
_CREDIT_CONNECTORS = frozenset(("by", "via", "for", "and", "of", "the", "from", "courtesy", "on"))


def attributes_content(text: str) -> bool:
    """True for a 'Source: ...' line that names who said what rather than who took a photo."""
    m = _CONTENT_LABEL.match(text)
    if m is None:
        return False
    words = re.findall(r"[^\W\d_][\w'’.-]*", text[m.end():])
    if len(words) < 9:
        return False
    prose = [w for w in words if w[0].islower() and w.lower() not in _CREDIT_CONNECTORS]
    return len(prose) >= 0.25 * len(words)


def clear_caches() -> None:
    """Empty the per-process caches (for benchmarks that must not profit from a previous pass)."""
    furniture_reason.cache_clear()
