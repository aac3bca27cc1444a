"""Numeric facts: value, range, unit, qualifier, measure, period.

Numbers are found by pattern; the spaCy parse of the sentence tells which
noun a number counts ('300,000 artillery shells' -> 'artillery shell'; the
noun it modifies across other words, '48 FA-50 fighter jets'; the whole of a
part, '35 of the 36 jets'; a copula's subject, 'the valid votes were
24,025,940') and which verb a repeated happening belongs to ('met Raisi
thrice' -> 3 'meeting'). Years, dates, times, ordinals, model numbers (Su-35,
Shahed-136, S400, 'Boeing 737'), scores, windows of time ('in five months')
and anaphoric counts ('the two states') are not figures.

The vocabulary is in :mod:`.figure_vocab`, the reading of the parse in
:mod:`.figure_syntax`; this module decides, number by number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS

from .dates import DateExpr, period_text
from .figure_syntax import (
    counted_noun,
    governed_noun,
    happening_counted,
    measure_phrase,
    partitive_noun,
    stated_quantity,
)
from .figure_vocab import (
    ACTOR_NOUNS,
    AGREEMENT_NOUNS,
    CURRENCIES,
    CURRENCY_SYMBOL,
    CURRENCY_WORD,
    DETERMINERS,
    FIGURE_RE,
    MEASURE_UNITS,
    MONTH_AFTER,
    MONTH_BEFORE,
    MULTIPLIER_WORDS,
    NUM,
    QUALIFIER_RE,
    QUALIFIERS,
    REPEAT_RE,
    REPEAT_WORDS,
    SCALE,
    SCALE_WORD_RE,
    parse_number,
    singular,
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


def _qualifier(before: str) -> tuple[str, int]:
    m = QUALIFIER_RE.search(before)
    if not m:
        return "exact", 0
    word = m.group(1).lower()
    for pat, q in QUALIFIERS:
        if re.fullmatch(pat, word, re.I):
            return q, len(before) - m.start(1)
    return "exact", 0


@dataclass
class _Sentence:
    """One sentence being read: its text and parse, its dates, and the spans taken."""

    text: str  # the whole body (offsets are body offsets)
    start: int
    end: int
    doc: object  # the spaCy parse of the body, or None
    dates: list[DateExpr]
    date_spans: list[tuple[int, int]]
    numbers: list[tuple[int, int]]  # spans of the sentence's numbers outside its dates
    used: list[tuple[int, int]] = field(default_factory=list)  # spans of the figures so far

    def overlaps(self, a: int, b: int) -> bool:
        """[a, b) overlaps a date or a figure already read."""
        return any(x < b and a < y for x, y in self.date_spans + self.used)

    def period_for(self, a: int, b: int) -> str | None:
        """The period of the figure at [a, b): the nearest date no other number is nearer
        to, else a 'currently'-like word of the sentence."""
        best = None
        for d in self.dates:
            dist = _gap(a, b, d)
            if dist < 0:
                continue
            rivals = (_gap(x, y, d) for x, y in self.numbers if not (x < b and a < y))
            if any(0 <= r < dist for r in rivals):
                continue
            if best is None or dist < best[0]:
                best = (dist, d)
        if best is None:
            m = re.search(
                r"\b(currently|at present|now|so far|to date)\b",
                self.text[self.start : self.end],
                re.I,
            )
            return m.group(1) if m else None
        return period_text(best[1])


def _gap(a: int, b: int, d: DateExpr) -> int:
    return d.start - b if d.start >= b else a - d.end


def find_figures(
    body: str, s_start: int, s_end: int, doc, dates: list[DateExpr], actors: tuple[str, ...]
) -> list[Figure]:
    """The figures of the sentence ``body[s_start:s_end]``, in order of their start."""
    date_spans = [(d.start, d.end) for d in dates]
    # Most sentences state no number: the number and repeat patterns (long, slow
    # alternations) run only where one of their words can match.
    has_number = _NUMBER.search(body, s_start, s_end) is not None
    # Other numbers of the sentence compete for its dates: a date belongs to the
    # figure nearest to it ('$5 billion ..., and during 2022-2023, Russia invested
    # $2.76 billion': the years are the second figure's period, not the first's).
    numbers = [
        (mm.start("num"), mm.end())
        for mm in (FIGURE_RE.finditer(body, s_start, s_end) if has_number else ())
        if not any(x < mm.end() and mm.start("num") < y for x, y in date_spans)
    ]
    sent = _Sentence(body, s_start, s_end, doc, dates, date_spans, numbers)
    out = _one_in_n_figures(sent, actors) if has_number else []  # 'one in five adults'
    if has_number:
        out += _number_figures(sent, actors)
    # Repeats and multipliers: 'met Raisi thrice', 'fought each other six times', 'nearly quadrupled'.
    if _REPEAT_HINT.search(body, s_start, s_end):
        out += _repeat_figures(sent, actors)
    out += _fraction_figures(sent, actors)
    out.sort(key=lambda f: f.start)
    return _between_ranges(body, out)


def _between_ranges(text: str, figs: list[Figure]) -> list[Figure]:
    """'between 20 and 30 ships', 'between $4 billion and $6 billion': one figure with a
    high end, the first number taking the second's unit and, if it has none, its scale."""
    out: list[Figure] = []
    for f in figs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.value_high is None
            and re.search(r"\bbetween\s+$", text[max(0, prev.start - 12) : prev.start], re.I)
            and re.fullmatch(r"\s+and\s+", text[prev.end : f.start])
            and f.value_high is None
            and (prev.unit == f.unit or re.fullmatch(r"[\d.,]+", text[prev.start : prev.end]))
        ):
            low = prev.value
            scale = SCALE_WORD_RE.search(text[f.start : f.end])
            if scale and not SCALE_WORD_RE.search(text[prev.start : prev.end]):
                low *= SCALE[scale.group(0).lower()]
            if low < f.value:
                out[-1] = Figure(prev.start, f.end, low, f.unit, prev.qualifier, f.value,
                                 f.measure or prev.measure, f.period_text or prev.period_text,
                                 f.actor_names)
                continue
        out.append(f)
    return out


_ONE_IN_N = re.compile(rf"\b(?:one|1)\s+(?:in|out\s+of)\s+(?P<n>{NUM})\b", re.I)


def _one_in_n_figures(sent: _Sentence, actors: tuple[str, ...]) -> list[Figure]:
    """Shares stated as 'one in five (adults)', '1 out of 10': the fraction 1/n."""
    out = []
    for m in _ONE_IN_N.finditer(sent.text, sent.start, sent.end):
        n = parse_number(m.group("n"))
        if not n or n < 2 or sent.overlaps(*m.span()):
            continue
        a, b = m.span()
        before = sent.text[max(sent.start, a - 30) : a]
        qual, qlen = _qualifier(before)
        sent.used.append((a, b))
        out.append(Figure(a - qlen if qual != "exact" else a, b, 1 / n, "fraction", qual, None,
                          measure_phrase(sent.doc, a, b, "fraction"), sent.period_for(a, b),
                          actors))
    return out


def _number_figures(sent: _Sentence, actors: tuple[str, ...]) -> list[Figure]:
    """Figures stated with a number (digits or number words), left to right."""
    text, out = sent.text, []
    pos = sent.start
    while True:
        m = FIGURE_RE.search(text, pos, sent.end)
        if m is None:
            break
        pos = m.end("num")
        if m.group("num2") and bool(m.group("cur")) != bool(m.group("cur2")) and m.group("cur2"):
            # '2023 to $4 billion': not a range; rescan from the second number.
            continue
        pos = m.end()
        if _is_code_or_compound(text, m):
            continue
        if sent.overlaps(m.start("num"), m.end("num")):
            pos = m.end("num")
            continue
        fig = _number_figure(sent, m, actors)
        if fig is not None:
            out.append(fig)
    return out


def _is_code_or_compound(text: str, m: re.Match) -> bool:
    """Model numbers and compounds (Su-35, Shahed-136, S400, pre-2022, COVID-19),
    ratios, scores and references ('3:1', '24/7', '#5')."""
    num_s, num_e = m.start("num"), m.end("num")
    prev = text[max(0, num_s - 2) : num_s]
    if (
        re.search(r"[A-Za-z]-$", prev)
        or re.search(r"[A-Za-z]$", prev[-1:])
        and m.group("cur") is None
    ):
        return True
    if (
        re.match(r"[-–]?[A-Za-z]", text[num_e : num_e + 2])
        and not (m.group("cur") and m.group("cur2"))  # 'HK$4-HK$6 billion': a range
        and not m.group("scale")
        and not m.group("pct")
        and not re.match(r"-(?:year|month|week|day|hour|km|mile|strong|member)", text[num_e : num_e + 8])
        and not (
            m.group("num")[0].isdigit()
            and re.match(r"-(?!fold\b|odd\b|plus\b|ish\b)[a-z]{2,}\b", text[num_e : num_e + 12])
        )
    ):
        if not re.match(r"\s", text[num_e : num_e + 1]):
            return True
    return text[num_e : num_e + 1] in (":", "/") or prev.endswith((":", "/", "#"))


def _is_clock_or_day(text: str, m: re.Match) -> bool:
    """A time of day ('9 am') or a day of a month ('July 4', '4th of July')."""
    num_s, num_e = m.start("num"), m.end("num")
    if re.match(r"\s*(?:[ap]\.?m\.?|AM|PM|GMT|UTC|[ECMP][SD]T)\b", text[m.end() : m.end() + 6]):
        return True
    return bool(
        MONTH_BEFORE.search(text[max(0, num_s - 12) : num_s])
        or MONTH_AFTER.match(text[num_e : num_e + 20])
    )


def _value_and_range(m: re.Match) -> tuple[float, float | None, int] | None:
    """(value, high end of a range or None, end of the figure's number part), scales
    applied ('3 to 4 billion' is 3e9-4e9); None when a number cannot be read."""
    value = parse_number(m.group("num"))
    if value is None:
        return None
    b = m.end()
    scale = (m.group("scale") or "").lower()
    if scale:
        value *= SCALE[scale]
    high = None
    if m.group("num2"):
        v2 = parse_number(m.group("num2"))
        if v2 is None:
            return None
        sc2 = (m.group("scale2") or scale or "").lower()
        if sc2:
            v2 *= SCALE[sc2]
            if not scale and m.group("scale2"):
                value *= SCALE[sc2]
        if v2 > value:
            high = v2
        else:
            b = m.end("num")  # not a range ('2-1 vote'): keep the first number only
    return value, high, b


def _currency(m: re.Match) -> str | None:
    if m.group("cur"):
        return CURRENCY_SYMBOL.get(m.group("cur").strip(), m.group("cur").strip())
    if m.group("curw"):
        return CURRENCY_WORD[m.group("curw").lower()]
    if m.group("won"):
        return "KRW"
    return None


def _counted_unit(
    sent: _Sentence, m: re.Match, b: int, high: float | None, is_word: bool, prev_word: str
) -> tuple[str, int] | None:
    """(unit, end) of a number without currency or percent: a duration of an agreement
    ('a 20-year deal') or the noun it counts; None when it is not a figure (a year, an
    ordinal, 'two of them', 'the past two years')."""
    text, raw = sent.text, m.group("num")
    after = text[b : b + 30]
    dur = re.match(r"-(year|month|week|day|hour)(?:-old)?\b", after)
    if dur:
        if "-old" in after[: len(dur.group(0))] or not raw[0].isdigit():
            return None
        following = re.findall(r"[a-z]+", text[b + dur.end() : b + dur.end() + 60].lower())[:4]
        if not any(singular(w) in AGREEMENT_NOUNS for w in following):
            return None
        return dur.group(1), b + dur.end()
    # A compound counts its noun: 'a 94-point document', 'a 12-member panel'.
    comp = re.match(r"-([a-z]{2,})\b", after)
    if comp and raw[0].isdigit() and comp.group(1) not in ("minute", "second", "decade", "century"):
        if comp.group(1) in MEASURE_UNITS:
            return MEASURE_UNITS[comp.group(1)], b + comp.end()
        return singular(comp.group(1)), b + comp.end()
    # Years without units are dates, not figures ('the 1943 conference').
    if re.fullmatch(r"1\d{3}|20\d{2}", raw) and not m.group("scale") and not high:
        nxt = re.match(r"\s+([a-z]+)", after)
        if not (nxt and nxt.group(1).endswith("s") and nxt.group(1) not in ("was", "has", "is")):
            return None
    if re.match(r"\s+times\b", after):
        return None  # handled with the repeat words
    if re.match(r"\s*(?:st|nd|rd|th)\b", after):
        return None
    per = _PER.match(after)
    if per and per.group(1).lower() in CURRENCY_WORD:
        # An exchange rate or a price in another currency ('traded at 111.52 per dollar').
        return f"per {CURRENCY_WORD[per.group(1).lower()]}", b + per.end()
    if re.match(r"\s+(?:out\s+)?of\b", after):
        unit, end = partitive_noun(sent.doc, m.start("num"), b)
        return (unit, _before_next_number(text, b, end)) if unit else None
    unit_follows = re.match(r"\s*([A-Za-z]+)", after)
    if (not is_word and not m.group("scale") and _labels_a_name(text, sent.start, m)
            and not (unit_follows and unit_follows.group(1).lower() in MEASURE_UNITS)):
        return None
    unit, end = counted_noun(text, b, sent.doc)
    if unit is None:
        unit, end = governed_noun(sent.doc, m.start("num"), b)
        end = _before_next_number(text, b, end)
    if unit is None:
        if is_word or m.group("num2") or not _bare_quantity(text, sent.start, m):
            return None
        # A number with a scale and nothing counted is an amount in the article's
        # currency ('investment is approaching 20 billion': resolved per article),
        # unless the parse says what it counts ('a population of 1.4 billion').
        end = b
        unit = stated_quantity(sent.doc, m.start("num"), b)
        if per:
            unit, end = f"per {singular(per.group(1).lower())}", b + per.end()
        elif m.group("scale") and unit == "count":
            unit = ARTICLE_CURRENCY
    # A stretch of time after 'in', 'within', 'over', 'the past' ... is the window a
    # statement covers ('in five months', 'over the next 10 years'), not a quantity;
    # after a verb it is one ('the talks lasted 13 days').
    if unit.split()[-1] in (
        "s", "year", "month", "week", "day", "decade", "century", "hour", "minute"
    ) and prev_word in (
        "past", "last", "next", "first", "coming", "in", "within", "over", "during", "across"
    ):
        return None
    return unit, end


# The unit of an amount whose currency the sentence does not state; the article's
# currency replaces it (:func:`article_currency`, applied per article by the caller).
ARTICLE_CURRENCY = "article currency"


def _before_next_number(text: str, b: int, end: int) -> int:
    """A figure's span stops before another number it shares its noun with ('35 of the
    36 jets', '16 and 12 seats'): that number is a figure of its own."""
    return b if _NUMBER.search(text[b:end]) else end


_NUMBER = re.compile(NUM)  # digits or number words, as the figures read them
# A word every match of REPEAT_RE holds (same case rule), to skip it where none is.
_REPEAT_HINT = re.compile(r"twice|thrice|once|doubl|tripl|trebl|quadrupl|quintupl|fold|times",
                          re.I)


_PER = re.compile(r"\s+per\s+([A-Za-z]+)\b")


def _bare_quantity(text: str, s_start: int, m: re.Match) -> bool:
    """A number in digits standing alone ('the total votes were 24,025,940', 'a total of
    listed ships to 153') states a quantity, unless it labels or scores something ('No. 10',
    'page 12', '(3)', an age after a name, '2-1'); names ('Article 5') are told apart
    before (:func:`_labels_a_name`)."""
    before = text[s_start : m.start("num")]
    prev = re.search(r"(\S+)\s*$", before)
    if prev is None:
        return False  # a sentence opening with a bare number: a list item or heading
    w = prev.group(1)
    if w.lower() in ("no.", "no", "number", "nos.", "nr.", "#", "page", "p.", "pp."):
        return False
    after = text[m.end("num") : m.end("num") + 1]
    if w == "(" and after == ")":
        return False  # an enumerator: '(3)'
    if w.endswith(",") and w[:1].isupper() and after == ",":
        return False  # an age after a name: 'Jane Roe, 54, said'
    return not re.match(r"\s*[-–]\s*\d", text[m.end("num") : m.end("num") + 4])  # a score: '2-1'


def _labels_a_name(text: str, s_start: int, m: re.Match) -> bool:
    """A number in digits right after a capitalised word other than a function word or a
    possessive is part of a name ('Article 5', 'Chapter 11', 'Boeing 737', 'Resolution 2231')."""
    prev = re.search(r"(\S+)\s*$", text[s_start : m.start("num")])
    if prev is None:
        return False
    w = prev.group(1)
    return bool(re.fullmatch(r"[A-Z][\w.-]*", w)) and w.lower() not in STOP_WORDS and not (
        # 'Just', 'Only' are stop words and 'Roughly' a qualifier already.
        QUALIFIER_RE.search(w) or w.lower() == "exactly"
    )


def article_currency(units: list[str]) -> str:
    """The article's currency (its most frequent stated one) for amounts stated without
    one ('investment is approaching 20 billion'); 'count' when it states none."""
    codes = [u for u in units if u in CURRENCIES]
    return max(codes, key=lambda c: (codes.count(c), -codes.index(c))) if codes else "count"


def _number_figure(sent: _Sentence, m: re.Match, actors: tuple[str, ...]) -> Figure | None:
    """The figure of one number match, or None when it is not one."""
    text = sent.text
    if _is_clock_or_day(text, m):
        return None
    read = _value_and_range(m)
    if read is None:
        return None
    value, high, b = read
    raw = m.group("num")
    a = m.start() if m.group("cur") is not None else m.start("num")
    is_word = not raw[0].isdigit()
    before = text[max(sent.start, a - 30) : a]
    prev_word = re.search(r"(\w+)\W*$", before)
    prev_word = prev_word.group(1).lower() if prev_word else ""
    currency, pct = _currency(m), m.group("pct")
    if currency:
        unit, end = currency, b
    elif pct:
        unit, end = ("percentage point" if "point" in pct else "percent"), b
    else:
        counted = _counted_unit(sent, m, b, high, is_word, prev_word)
        if counted is None:
            return None
        unit, end = counted
    # Anaphoric or pronoun-like small counts: 'the two states', ', two crucial players',
    # 'between two key players' – they name actors, not a quantity.
    if is_word and not m.group("scale") and not currency and not pct:
        if value == 1 or prev_word in DETERMINERS:
            return None
        # 'two countries' are the two parties; 'three states' are counted.
        if unit.split()[-1] in ACTOR_NOUNS and (value <= 2 or before.rstrip().endswith(",")):
            return None
    qual, qlen = _qualifier(before)
    a_span = a - qlen if qual != "exact" else a
    rate = _PER.match(text, end)
    if (rate and not pct and " per " not in f" {unit} "
            and rate.group(1).lower() not in CURRENCY_WORD):
        # A rate: 'USD per barrel', 'barrel per day', 'USD per share'.
        unit, end = f"{unit} per {singular(rate.group(1).lower())}", rate.end()
    sent.used.append((a, end))
    measure = measure_phrase(sent.doc, a, end, unit)
    return Figure(a_span, end, value, unit, qual, high, measure, sent.period_for(a, end), actors)


def _repeat_figures(sent: _Sentence, actors: tuple[str, ...]) -> list[Figure]:
    """Repeats and multipliers ('met Raisi thrice', 'six times', 'nearly quadrupled')."""
    text, out = sent.text, []
    for m in REPEAT_RE.finditer(text, sent.start, sent.end):
        a, b = m.span()
        if sent.overlaps(a, b):
            continue
        before = text[max(sent.start, a - 30) : a]
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
                unit = happening_counted(sent.doc, a, before)
        qual, qlen = _qualifier(before)
        a_span = a - qlen if qual != "exact" else a
        sent.used.append((a, b))
        out.append(
            Figure(
                a_span,
                b,
                float(value),
                unit,
                qual,
                None,
                measure_phrase(sent.doc, a, b, unit),
                sent.period_for(a, b),
                actors,
            )
        )
    return out


# Shares in words: 'half of', 'a quarter of the', 'two-thirds of its'. Only when a
# share of something follows, and not a half of a period ('the first half of 2023').
_FRACTIONS = {
    "half": 0.5, "a half": 0.5, "one half": 0.5,
    "a third": 1 / 3, "one third": 1 / 3, "two thirds": 2 / 3,
    "a quarter": 0.25, "one quarter": 0.25, "three quarters": 0.75,
    "a fifth": 0.2, "one fifth": 0.2, "a tenth": 0.1, "one tenth": 0.1,
}
FRACTION_RE = re.compile(
    r"\b(?P<f>(?:a|one|two|three)[\s-](?:half|third|quarter|fifth|tenth)s?|half)\b"
    r"(?=\s+(?:of|the|its|their|his|her|all)\b)",
    re.I,
)


def _fraction_figures(sent: _Sentence, actors: tuple[str, ...]) -> list[Figure]:
    """Fractions and shares stated in words ('just over half the gas', 'a quarter of')."""
    text, out = sent.text, []
    for m in FRACTION_RE.finditer(text, sent.start, sent.end):
        a, b = m.span()
        key = re.sub(r"[\s-]+", " ", m.group("f").lower())
        value = _FRACTIONS.get(key) or _FRACTIONS.get(key.rstrip("s"))
        before = text[max(sent.start, a - 30) : a]
        if value is None or sent.overlaps(a, b):
            continue
        if re.search(r"\b(?:first|second|latter|other|the)\s+$", before, re.I) and key == "half":
            continue  # 'the first half of 2023', 'the other half'
        qual, qlen = _qualifier(before)
        a_span = a - qlen if qual != "exact" else a
        sent.used.append((a, b))
        out.append(Figure(a_span, b, value, "fraction", qual, None,
                          measure_phrase(sent.doc, a, b, "fraction"), sent.period_for(a, b), actors))
    return out
