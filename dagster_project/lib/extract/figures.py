"""Numeric facts: value, range, unit, qualifier, measure, period.

Numbers are found by pattern; the spaCy parse of the sentence only tells
which noun a bare number counts ('300,000 artillery shells' -> 'artillery
shell') and which verb a repeated happening belongs to ('met Raisi thrice' ->
3 'meeting'). Years, dates, ordinals, model numbers (Su-35, Shahed-136, S400)
and anaphoric counts ('the two states') are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import DateExpr, period_text
from .numwords import WORD_NUM

_WN = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a\s+dozen|a\s+hundred|hundreds|dozens"
NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|(?i:\b(?:{_WN})\b))"
SCALE = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "bn": 1e9,
    "mn": 1e6,
    "mln": 1e6,
    "tn": 1e12,
    "k": 1e3,
    "m": 1e6,
    "b": 1e9,
}
_SCALE_RE = r"(?:thousand|million|billion|trillion|bn|mn|mln|tn)\b"
CURRENCY_SYMBOL = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₽": "RUB",
    "₹": "INR",
}
CURRENCY_WORD = {
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "ruble": "RUB",
    "rubles": "RUB",
    "rouble": "RUB",
    "roubles": "RUB",
    "rial": "IRR",
    "rials": "IRR",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rupee": "INR",
    "rupees": "INR",
    "yen": "JPY",
    "lira": "TRY",
    "manat": "AZN",
    "hryvnia": "UAH",
    "hryvnias": "UAH",
    "dirham": "AED",
    "dirhams": "AED",
}
_CODE_RE = r"(?:USD|EUR|GBP|RUB|IRR|CNY|INR|JPY|TRY|AED|UAH|CHF|SAR)"
# Units of measure (normalised).
MEASURE_UNITS = {
    "km": "km",
    "kilometres": "km",
    "kilometers": "km",
    "kilometre": "km",
    "kilometer": "km",
    "miles": "mile",
    "mile": "mile",
    "metres": "m",
    "meters": "m",
    "metre": "m",
    "meter": "m",
    "kg": "kg",
    "kilograms": "kg",
    "kilogram": "kg",
    "tonnes": "tonne",
    "tonne": "tonne",
    "tons": "ton",
    "ton": "ton",
    "barrels": "barrel",
    "barrel": "barrel",
    "bpd": "barrel per day",
    "mw": "MW",
    "gw": "GW",
    "bcm": "bcm",
    "hectares": "hectare",
    "hectare": "hectare",
    "feet": "foot",
    "foot": "foot",
    "litres": "litre",
    "liters": "litre",
    "percentage points": "percentage point",
    "percentage point": "percentage point",
}
# Counted nouns that take an 'of' complement ('rounds of ammunition').
MEASURE_WORDS = {
    "round",
    "ton",
    "tonne",
    "barrel",
    "piece",
    "unit",
    "pair",
    "set",
    "batch",
    "shipment",
    "dose",
    "litre",
    "box",
    "crate",
    "cubic meter",
    "kind",
    "type",
    "squadron",
    "battery",
    "battalion",
    "brigade",
    "consignment",
}
# Verb -> the happening it counts ('met thrice' -> meeting).
EVENT_NOUN = {
    "meet": "meeting",
    "met": "meeting",
    "meeting": "meeting",
    "visit": "visit",
    "visited": "visit",
    "call": "call",
    "called": "call",
    "phone": "call",
    "fight": "war",
    "fought": "war",
    "fighting": "war",
    "attack": "attack",
    "attacked": "attack",
    "strike": "strike",
    "struck": "strike",
    "vote": "vote",
    "voted": "vote",
    "talk": "talk",
    "spoke": "conversation",
    "speak": "conversation",
    "travel": "trip",
    "travelled": "trip",
    "traveled": "trip",
    "invade": "invasion",
    "invaded": "invasion",
    "veto": "veto",
    "vetoed": "veto",
}
MULTIPLIER_WORDS = {
    "doubled": 2,
    "double": 2,
    "tripled": 3,
    "trebled": 3,
    "triple": 3,
    "quadrupled": 4,
    "quintupled": 5,
}
REPEAT_WORDS = {"twice": 2, "thrice": 3}
AGREEMENT_NOUNS = {
    "agreement",
    "treaty",
    "deal",
    "pact",
    "contract",
    "lease",
    "plan",
    "partnership",
    "accord",
    "program",
    "programme",
    "strategy",
    "memorandum",
    "alliance",
    "cooperation",
    "term",
    "mandate",
    "moratorium",
    "ban",
    "sentence",
    "loan",
    "bond",
    "concession",
}
QUALIFIERS = [
    (r"in\s+excess\s+of|more\s+than|upwards\s+of|over|above|just\s+over|well\s+over", "more_than"),
    (
        r"at\s+least|no\s+fewer\s+than|no\s+less\s+than|a\s+minimum\s+of|not\s+less\s+than",
        "at_least",
    ),
    (r"up\s+to|a\s+maximum\s+of|at\s+most", "up_to"),
    (r"as\s+much\s+as|as\s+many\s+as|as\s+high\s+as|as\s+large\s+as", "as_much_as"),
    (r"less\s+than|fewer\s+than|under|below|just\s+under", "less_than"),
    (
        r"about|around|some|nearly|almost|roughly|approximately|an\s+estimated|estimated|close\s+to|"
        r"circa|approx\.?|~|roughly|more\s+or\s+less|just\s+about|an\s+approximate",
        "about",
    ),
]
_QUAL_RE = re.compile(
    r"(?:(?<=\s)|^)(" + "|".join(f"(?:{p})" for p, _ in QUALIFIERS) + r")\s*$", re.I
)
ACTOR_NOUNS = {
    "country",
    "state",
    "nation",
    "player",
    "side",
    "party",
    "power",
    "piece",
    "actor",
    "partner",
    "leader",
    "government",
    "capital",
    "neighbour",
    "neighbor",
    "ally",
    "rival",
    "superpower",
    "giant",
    "member",
    "counterpart",
}
DETERMINERS = {
    "the",
    "these",
    "those",
    "its",
    "their",
    "his",
    "her",
    "our",
    "both",
    "all",
    "each",
    "other",
    "first",
    "last",
    "next",
    "previous",
    "only",
    "every",
}

_FIG = re.compile(
    rf"(?P<cur>US\$|\$|€|£|¥|₽|₹|{_CODE_RE}\s?)?(?P<num>{NUM})"
    rf"(?:\s*(?P<scale>{_SCALE_RE}))?"
    rf"(?:\s*(?:-|–|—|to)\s*(?P<cur2>US\$|\$|€|£)?(?P<num2>{NUM})(?:\s*(?P<scale2>{_SCALE_RE}))?)?"
    rf"(?P<pct>\s*%|\s+percent\b|\s+per\s+cent\b|\s+percentage\s+points?\b)?"
    rf"(?:\s+(?P<curw>{'|'.join(CURRENCY_WORD)})\b)?"
)
_REPEAT = re.compile(
    r"\b(?P<w>twice|thrice)\b|\b(?P<mult>doubled|tripled|trebled|quadrupled|quintupled)\b"
    rf"|\b(?P<n>{NUM})[- ]fold\b|\b(?P<n2>{NUM})\s+times\b",
    re.I,
)
_MONTH_BEFORE = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s*$"
)
_MONTH_AFTER = re.compile(
    r"^(?:st|nd|rd|th)?\s+(?:of\s+)?(?:January|February|March|April|May|June|July|August|September"
    r"|October|November|December)\b"
)


@dataclass
class Figure:
    start: int
    end: int
    value: float
    unit: str
    qualifier: str = "exact"
    value_high: float | None = None
    measure: str | None = None
    period_text: str | None = None
    actor_names: tuple[str, ...] = ()


def parse_number(s: str) -> float | None:
    s = s.strip().lower()
    s = re.sub(r"\s+", " ", s)
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", s):
        return float(s.replace(",", ""))
    if s in ("a dozen",):
        return 12.0
    if s in ("a hundred",):
        return 100.0
    if s in ("hundreds", "dozens"):
        return None
    parts = re.split(r"[- ]", s)
    total = 0.0
    for p in parts:
        if p not in WORD_NUM:
            return None
        total += WORD_NUM[p]
    return total


def singular(word: str) -> str:
    w = word
    if re.fullmatch(r"[A-Z0-9]{2,}s", w):
        return w[:-1]
    lw = w.lower()
    irregular = {
        "people": "person",
        "men": "man",
        "women": "woman",
        "children": "child",
        "feet": "foot",
        "mice": "mouse",
        "personnel": "personnel",
        "aircraft": "aircraft",
        "series": "series",
        "species": "species",
        "troops": "troop",
        "ammunition": "ammunition",
    }
    if lw in irregular:
        return irregular[lw]
    if lw.endswith("ies") and len(lw) > 4:
        return w[:-3] + "y"
    if re.search(r"(?:ss|x|ch|sh|zz)es$", lw):
        return w[:-2]
    if lw.endswith("ses") and len(lw) > 4:
        return w[:-1]
    if lw.endswith("s") and not lw.endswith(("ss", "us", "is")) and len(lw) > 2:
        return w[:-1]
    return w


def _qualifier(before: str) -> tuple[str, int]:
    m = _QUAL_RE.search(before)
    if not m:
        return "exact", 0
    word = m.group(1).lower()
    for pat, q in QUALIFIERS:
        if re.fullmatch(pat, word, re.I):
            return q, len(before) - m.start(1)
    return "exact", 0


def _tok_at(doc, char: int):
    if doc is None:
        return None
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _counted_noun(body: str, pos: int, doc) -> tuple[str | None, int]:
    """The noun counted by a number ending at ``pos``: (unit, end offset)."""
    tail = body[pos : pos + 80]
    m = re.match(r"\s*[-–]?\s*(?P<u>percentage\s+points?|[A-Za-z]+)\b", tail)
    if m and m.group("u").lower() in MEASURE_UNITS:
        return MEASURE_UNITS[m.group("u").lower()], pos + m.end()
    tok = _tok_at(doc, pos + (len(tail) - len(tail.lstrip())))
    if tok is None:
        return None, pos
    i = tok.i
    nouns = []
    end = pos
    n_adj = 0
    while i < len(doc) and len(nouns) < 4:
        t = doc[i]
        if t.idx >= pos + 80 or "\n" in t.text:
            break
        if t.pos_ in ("NOUN",) or (t.pos_ == "PROPN" and re.fullmatch(r"[A-Z0-9]{2,}s?", t.text)):
            if t.text.lower() in ("of", "times", "time"):
                break
            nouns.append(t)
            end = t.idx + len(t.text)
            i += 1
            continue
        if (
            not nouns
            and (
                t.pos_ in ("ADJ", "VERB")
                and t.tag_ in ("JJ", "VBN", "VBG", "NNP")
                or t.tag_ == "NNP"
                or t.text in ("-", "–")
            )
            and n_adj < 3
        ):
            if t.tag_ == "VBG" and i + 1 < len(doc) and doc[i + 1].pos_ != "NOUN":
                break
            n_adj += 1
            i += 1
            continue
        break
    if not nouns:
        return None, pos
    words = [n.text for n in nouns]
    # Drop possessive/lower-value leading nouns that are clearly classifiers of time.
    unit = " ".join(words[:-1] + [singular(words[-1])])
    if unit[:1].isupper() and not unit.isupper() and not re.fullmatch(r"[A-Z0-9]+", words[-1]):
        unit = unit[0].lower() + unit[1:]
    last = nouns[-1]
    if (
        singular(last.text.lower()) in MEASURE_WORDS
        and last.i + 2 < len(doc)
        and doc[last.i + 1].lower_ == "of"
        and doc[last.i + 2].pos_ in ("NOUN",)
    ):
        unit = f"{unit} of {doc[last.i + 2].text}"
        end = doc[last.i + 2].idx + len(doc[last.i + 2].text)
    return unit, end


def _measure(doc, start: int, end: int, unit: str) -> str | None:
    """A short phrase saying what the number counts or values."""
    if doc is None:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    node = root
    for _ in range(4):
        if node.head.i == node.i:
            break
        node = node.head
        if node.pos_ in ("VERB", "AUX", "NOUN") and not (node.idx >= start and node.idx < end):
            break
    if node.pos_ == "NOUN" and not (start <= node.idx < end):
        mods = [c for c in node.children if c.dep_ in ("compound", "amod") and c.i < node.i]
        words = [t.text for t in sorted(mods + [node], key=lambda t: t.i)]
        return " ".join(words)
    if node.pos_ in ("VERB", "AUX"):
        parts = []
        subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            s = subj[0]
            sub = [t for t in s.subtree if t.dep_ in ("compound", "amod") or t is s]
            parts.append(" ".join(t.text for t in sorted(sub, key=lambda t: t.i)[-4:]))
        parts.append(node.text)
        for c in node.children:
            if c.dep_ == "prep" and c.i > node.i and not (start <= c.idx < end):
                sub = list(c.subtree)
                if any(start <= t.idx < end for t in sub):
                    continue
                parts.append(" ".join(t.text for t in sub[:6]))
                break
        return " ".join(p for p in parts if p)[:120] or None
    return unit


def find_figures(
    body: str, s_start: int, s_end: int, doc, dates: list[DateExpr], actors: tuple[str, ...]
) -> list[Figure]:
    text = body
    date_spans = [(d.start, d.end) for d in dates]
    out: list[Figure] = []
    used: list[tuple[int, int]] = []

    def overlaps(a: int, b: int) -> bool:
        return any(x < b and a < y for x, y in date_spans + used)

    # Other numbers of the sentence compete for its dates: a date belongs to the
    # figure nearest to it ('$5 billion ..., and during 2022-2023, Russia invested
    # $2.76 billion': the years are the second figure's period, not the first's).
    numbers = [
        (mm.start("num"), mm.end())
        for mm in _FIG.finditer(text, s_start, s_end)
        if not any(x < mm.end() and mm.start("num") < y for x, y in date_spans)
    ]

    def gap(a: int, b: int, d: DateExpr) -> int:
        return d.start - b if d.start >= b else a - d.end

    def period_for(a: int, b: int) -> str | None:
        best = None
        for d in dates:
            dist = gap(a, b, d)
            if dist < 0:
                continue
            rivals = (gap(x, y, d) for x, y in numbers if not (x < b and a < y))
            if any(0 <= r < dist for r in rivals):
                continue
            if best is None or dist < best[0]:
                best = (dist, d)
        if best is None:
            m = re.search(
                r"\b(currently|at present|now|so far|to date)\b", text[s_start:s_end], re.I
            )
            return m.group(1) if m else None
        return period_text(text, best[1])

    pos = s_start
    while True:
        m = _FIG.search(text, pos, s_end)
        if m is None:
            break
        pos = m.end("num")
        if m.group("num2") and bool(m.group("cur")) != bool(m.group("cur2")) and m.group("cur2"):
            # '2023 to $4 billion': not a range; rescan from the second number.
            continue
        pos = m.end()
        a, b = m.start(), m.end()
        num_s = m.start("num")
        if m.group("cur") is None:
            a = num_s
        prev = text[max(0, num_s - 2) : num_s]
        # Model numbers and compounds: Su-35, Shahed-136, S400, pre-2022, COVID-19.
        if (
            re.search(r"[A-Za-z]-$", prev)
            or re.search(r"[A-Za-z]$", prev[-1:])
            and m.group("cur") is None
        ):
            continue
        if (
            re.match(r"[-–]?[A-Za-z]", text[m.end("num") : m.end("num") + 2])
            and not m.group("scale")
            and not m.group("pct")
            and not re.match(
                r"-(?:year|month|week|day|km|mile|strong|member)",
                text[m.end("num") : m.end("num") + 8],
            )
        ):
            if not re.match(r"\s", text[m.end("num") : m.end("num") + 1]):
                continue
        if text[m.end("num") : m.end("num") + 1] in (":", "/") or prev.endswith((":", "/", "#")):
            continue
        if overlaps(num_s, m.end("num")):
            pos = m.end("num")
            continue
        if re.match(r"\s*(?:[ap]\.?m\.?|AM|PM)\b", text[b : b + 6]):
            continue
        if _MONTH_BEFORE.search(text[max(0, num_s - 12) : num_s]) or _MONTH_AFTER.match(
            text[m.end("num") : m.end("num") + 20]
        ):
            continue
        raw = m.group("num")
        value = parse_number(raw)
        if value is None:
            continue
        is_word = not raw[0].isdigit()
        before = text[max(s_start, a - 30) : a]
        prev_word = re.search(r"(\w+)\W*$", before)
        prev_word = prev_word.group(1).lower() if prev_word else ""
        scale = (m.group("scale") or "").lower()
        if scale:
            value *= SCALE[scale]
        high = None
        if m.group("num2"):
            v2 = parse_number(m.group("num2"))
            if v2 is None:
                continue
            sc2 = (m.group("scale2") or scale or "").lower()
            if sc2:
                v2 *= SCALE[sc2]
                if not scale and m.group("scale2"):
                    value *= SCALE[sc2]
            if v2 > value:
                high = v2
            else:
                b = m.end("num")  # not a range ('2-1 vote'): keep the first number only
        # Years without units are dates, not figures ('the 1943 conference').
        currency = None
        if m.group("cur"):
            currency = CURRENCY_SYMBOL.get(m.group("cur").strip(), m.group("cur").strip())
        elif m.group("curw"):
            currency = CURRENCY_WORD[m.group("curw").lower()]
        pct = m.group("pct")
        unit = None
        end = b
        if currency:
            unit = currency
        elif pct:
            unit = "percentage point" if "point" in pct else "percent"
        else:
            after = text[b : b + 30]
            dur = re.match(r"-(year|month|week|day)(?:-old)?\b", after)
            if dur:
                if "-old" in after[: len(dur.group(0))] or not raw[0].isdigit():
                    continue
                following = re.findall(r"[a-z]+", text[b + dur.end() : b + dur.end() + 60].lower())[
                    :4
                ]
                if not any(singular(w) in AGREEMENT_NOUNS for w in following):
                    continue
                unit = dur.group(1)
                end = b + dur.end()
            else:
                if re.fullmatch(r"1\d{3}|20\d{2}", raw) and not scale and not high:
                    nxt = re.match(r"\s+([a-z]+)", after)
                    if not (
                        nxt
                        and nxt.group(1).endswith("s")
                        and nxt.group(1) not in ("was", "has", "is")
                    ):
                        continue
                if re.match(r"\s+times\b", after):
                    continue  # handled with the repeat words
                if re.match(r"\s+of\b", after) or re.match(r"\s*(?:st|nd|rd|th)\b", after):
                    continue
                unit, end = _counted_noun(text, b, doc)
                if unit is None:
                    continue
                if (
                    unit.split()[-1]
                    in ("s", "year", "month", "week", "day", "decade", "century", "hour", "minute")
                    and is_word
                    and prev_word in ("past", "last", "next", "first")
                ):
                    continue
        # Anaphoric or pronoun-like small counts: 'the two states', ', two crucial players',
        # 'between two key players' – they name actors, not a quantity.
        if is_word and not scale and not currency and not pct:
            if value == 1 or prev_word in DETERMINERS or before.rstrip().endswith(","):
                continue
            if value <= 3 and unit.split()[-1] in ACTOR_NOUNS:
                continue
        qual, qlen = _qualifier(before)
        a_span = a - qlen if qual != "exact" else a
        used.append((a, end))
        measure = _measure(doc, a, end, unit)
        out.append(
            Figure(a_span, end, value, unit, qual, high, measure, period_for(a, end), actors)
        )
    # Repeats and multipliers: 'met Raisi thrice', 'fought each other six times', 'nearly quadrupled'.
    for m in _REPEAT.finditer(text, s_start, s_end):
        a, b = m.span()
        if overlaps(a, b):
            continue
        before = text[max(s_start, a - 30) : a]
        if m.group("mult"):
            value, unit = MULTIPLIER_WORDS[m.group("mult").lower()], "multiplier"
        elif m.group("n"):
            value, unit = parse_number(m.group("n")), "multiplier"
        else:
            value = REPEAT_WORDS.get((m.group("w") or "").lower()) or parse_number(
                m.group("n2") or ""
            )
            if value is None:
                continue
            after = text[b : b + 25].lower()
            if re.match(r"\s+(?:more|less|as|larger|bigger|higher|greater|smaller|the)\b", after):
                unit = "multiplier"
            else:
                unit = "time"
                tok = _tok_at(doc, a)
                verb = None
                if tok is not None:
                    node = tok
                    for _ in range(3):
                        node = node.head
                        if node.pos_ in ("VERB", "AUX"):
                            verb = node
                            break
                if verb is None:
                    # Nearest verb-like word to the left.
                    words = re.findall(r"[a-z]+", before.lower())
                    for w in reversed(words):
                        if w in EVENT_NOUN:
                            verb = w
                            break
                vt = verb if isinstance(verb, str) else (verb.lower_ if verb is not None else "")
                vl = (
                    verb.lemma_.lower()
                    if verb is not None and not isinstance(verb, str) and verb.lemma_
                    else vt
                )
                unit = EVENT_NOUN.get(vt) or EVENT_NOUN.get(vl) or "time"
        qual, qlen = _qualifier(before)
        a_span = a - qlen if qual != "exact" else a
        used.append((a, b))
        out.append(
            Figure(
                a_span,
                b,
                float(value),
                unit,
                qual,
                None,
                _measure(doc, a, b, unit),
                period_for(a, b),
                actors,
            )
        )
    out.sort(key=lambda f: f.start)
    return out
