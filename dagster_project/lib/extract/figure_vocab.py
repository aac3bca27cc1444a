"""The words and patterns of numeric facts: numbers, scales, currencies, units, qualifiers.

A vocabulary, no logic but reading a number (:func:`parse_number`) and a
counted noun's singular (:func:`singular`): :mod:`.figures` decides what is a
figure, :mod:`.figure_syntax` reads the parse around it.
"""

from __future__ import annotations

import re

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
    # Indian numbering: a lakh is 100,000, a crore 10 million ('Rs3.2 lakh crore' = 3.2e12).
    "lakh": 1e5,
    "lakhs": 1e5,
    "crore": 1e7,
    "crores": 1e7,
    "lakh crore": 1e12,
}
_SCALE_RE = r"(?:thousand|million|billion|trillion|bn|mn|mln|tn|lakh crore|lakhs?|crores?)\b"
# A scale word anywhere in a figure's text, glued to its number or not ('6bn', '$4 billion').
SCALE_WORD_RE = re.compile(rf"(?<![A-Za-z]){_SCALE_RE}", re.I)
CURRENCY_SYMBOL = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₽": "RUB",
    "₹": "INR",
    "₩": "KRW",
    "Rs": "INR",
    "Rs.": "INR",
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
    "naira": "NGN",
    "riyal": "SAR",
    "riyals": "SAR",
}


def _cldr_symbols() -> dict[str, str]:
    """Currency symbols English text uses beyond the ones above ('HK$', 'A$', 'CA$',
    'NT$', 'CN¥', '₪', '₱'), from the Unicode CLDR data Babel ships; symbols made of
    letters only ('R', 'Br') are left out: they read as words."""
    from babel.numbers import get_currency_symbol, list_currencies

    out = {}
    for code in sorted(list_currencies()):
        sym = get_currency_symbol(code, "en")
        if sym != code and not sym.isalpha() and not sym.endswith(".") and sym != "¤":
            out.setdefault(sym, code)
    return out


for _sym, _code in _cldr_symbols().items():
    CURRENCY_SYMBOL.setdefault(_sym, _code)
# Longest first, so 'HK$' is read before '$'.
_SYMBOL_RE = "|".join(
    re.escape(x) for x in sorted((k for k in CURRENCY_SYMBOL if not k.startswith("Rs")), key=len,
                                 reverse=True)
)
# ISO 4217 codes read before an amount ('CHF 3 billion', 'USD5m'). Not every code:
# some are English words in capitals ('ALL', 'TOP', 'CUP').
CURRENCY_CODES = (
    "USD", "EUR", "GBP", "RUB", "IRR", "CNY", "INR", "JPY", "TRY", "AED", "UAH", "CHF", "SAR",
    "KRW", "NGN", "PKR", "QAR", "BRL", "ZAR", "AUD", "CAD", "HKD", "SGD", "MXN", "TWD", "ILS",
    "EGP", "KZT", "IDR", "MYR", "THB", "VND", "PHP", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
)
_CODE_RE = rf"(?:{'|'.join(CURRENCY_CODES)})"
# Every currency a figure's unit can be: the one list the article's currency is chosen from.
CURRENCIES = (frozenset(CURRENCY_CODES) | frozenset(CURRENCY_SYMBOL.values())
              | frozenset(CURRENCY_WORD.values()))
# A currency written before a number, the first of a range's or the second's
# ('$4-$6 billion', 'HK$4 to HK$6 billion').
_CUR_BEFORE = rf"{_SYMBOL_RE}|Rs\.?\s?(?=\d)|{_CODE_RE}\s?"
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
    "quadruple": 4,
    "quadrupled": 4,
    "quintupled": 5,
}
REPEAT_WORDS = {"once": 1, "twice": 2, "thrice": 3}
# Nouns whose term is a figure ('a 20-year deal', 'a 36-hour visit').
AGREEMENT_NOUNS = {
    "visit",
    "trip",
    "tour",
    "stay",
    "ceasefire",
    "truce",
    "mission",
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
        r"circa|approx\.?|~|more\s+or\s+less|just\s+about|an\s+approximate",
        "about",
    ),
]
QUALIFIER_RE = re.compile(
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

FIGURE_RE = re.compile(
    rf"(?P<cur>{_CUR_BEFORE})?(?P<num>{NUM})"
    rf"(?:\s*(?P<scale>{_SCALE_RE}))?"
    rf"(?:\s*(?:-|–|—|to)\s*(?P<cur2>{_CUR_BEFORE})?(?P<num2>{NUM})(?:\s*(?P<scale2>{_SCALE_RE}))?)?"
    rf"(?P<pct>\s*%|\s+percent\b|\s+per\s+cent\b|\s+percentage\s+points?\b)?"
    rf"(?:\s+(?P<curw>{'|'.join(CURRENCY_WORD)})\b"
    # 'won' is a currency only after a scale ('20 trillion won'), else the verb ('won 16 seats').
    rf"|(?<=illion)\s+(?P<won>won)\b)?"
)
REPEAT_RE = re.compile(
    r"\b(?P<w>twice|thrice|(?:(?<=only )|(?<=than )|(?<=least ))once)\b"
    r"|\b(?P<mult>doubled|tripled|trebled|quadrupled|quintupled"
    # 'more than double the size', 'triple what it was'; not 'a double standard'.
    r"|(?:double|triple|quadruple)(?=\s+(?:the|its|their|that|what|this)\b))\b"
    rf"|\b(?P<n>{NUM})[- ]fold\b|\b(?P<n2>{NUM})\s+times\b",
    re.I,
)
MONTH_BEFORE = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s*$"
)
MONTH_AFTER = re.compile(
    r"^(?:st|nd|rd|th)?\s+(?:of\s+)?(?:January|February|March|April|May|June|July|August|September"
    r"|October|November|December)\b"
)



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
    if re.fullmatch(r"[A-Z0-9]{2,}s|[A-Z][a-z]?[A-Z][A-Za-z]*s", w):  # 'UAVs', 'MoUs'
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

