"""A seeded synthetic corpus of page dumps for scale benchmarks.

    .venv/bin/python scripts/synth_corpus.py DEST --articles 1000 [--seed 7]

Every file looks like a text dump of a news page: site navigation, a title, an
author and date line in one of several formats, the body as one paragraph per
line, then site furniture (share buttons, 'Read more' teasers, related links,
newsletter and cookie notices, an author bio, a copyright line). Bodies come
from two sources:

- the project's own samples in ``raw/`` (their lines, with figures and years
  shifted and words swapped, so no two files are the same text);
- text this script writes: sentences from templates over pools of countries,
  organisations, generated person names, goods, amounts, percentages and dates
  (agreements, exports, trade figures, meetings, statements, analysis).

About a fifth of the articles are rewrites of an earlier one (synonyms swapped,
sentences dropped or added, a different site's furniture), as syndicated news
is. Nothing here comes from third-party text. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COUNTRIES = [
    "Russia", "Iran", "China", "India", "Turkey", "Brazil", "Egypt", "Kazakhstan",
    "Saudi Arabia", "the United States", "Germany", "France", "Japan", "Pakistan",
    "Indonesia", "Nigeria", "South Africa", "Vietnam", "Armenia", "Azerbaijan", "Qatar",
    "the United Arab Emirates", "Syria", "Iraq", "Belarus", "Venezuela", "Mexico",
    "Argentina", "Ukraine", "Poland", "Italy", "Spain", "Canada", "Australia", "Malaysia",
]
ORGS = [
    "the central bank", "the Ministry of Energy", "the Ministry of Defence",
    "the national oil company", "the trade ministry", "the state nuclear agency",
    "the customs service", "the foreign ministry", "the port authority",
    "the International Monetary Fund", "the World Bank", "the United Nations",
    "the European Union", "the Shanghai Cooperation Organisation", "OPEC",
]
FIRST = ["Amir", "Elena", "Dmitri", "Farah", "Javad", "Olga", "Hassan", "Mei", "Rahul",
         "Ayse", "Carlos", "Ngozi", "Sergei", "Leila", "Kenji", "Marta", "Yusuf", "Ines",
         "Viktor", "Sara", "Tomas", "Nadia", "Omar", "Lena"]
LAST = ["Karimi", "Volkova", "Petrov", "Rahimi", "Zarif", "Ivanova", "Nasser", "Chen",
        "Sharma", "Demir", "Silva", "Okafor", "Lavrov", "Hosseini", "Tanaka", "Nowak",
        "Aydin", "Costa", "Orlov", "Haddad", "Novak", "Sokolova", "Farouk", "Berg"]
ROLES = ["foreign minister", "energy minister", "president", "deputy prime minister",
         "ambassador", "trade envoy", "defence minister", "central bank governor",
         "spokesperson"]
GOODS = ["drones", "wheat", "gas turbines", "fighter jets", "oil tankers", "satellites",
         "fertiliser", "railway cars", "air-defence systems", "solar panels", "trucks"]
CITIES = ["Tehran", "Moscow", "Beijing", "Ankara", "Doha", "Baku", "Astana", "Cairo",
          "New Delhi", "Geneva", "Vienna", "Riyadh", "Minsk", "Yerevan", "Tashkent"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
TOPICS = ["energy", "trade", "security", "transport", "banking", "nuclear power",
          "agriculture", "defence", "technology", "shipping"]
SITES = ["Global Affairs Daily", "The Eurasia Monitor", "World Desk", "Regional Times",
         "The Strategic Review", "Policy Watch", "East West Report", "The Brief"]

SYNONYMS = {
    "said": "stated", "signed": "concluded", "agreement": "accord", "increase": "rise",
    "rose": "grew", "talks": "negotiations", "cooperation": "collaboration",
    "announced": "declared", "significant": "substantial", "country": "nation",
    "officials": "authorities", "expected": "anticipated", "major": "key",
    "recent": "latest", "build": "construct", "help": "assist",
}


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def money(rng: random.Random) -> str:
    amount = rng.choice([1.2, 2.5, 3, 4.8, 5, 7.5, 10, 12, 15, 20, 25, 40, 60, 100, 250, 400])
    unit = rng.choice(["million", "billion", "billion", "million"])
    cur = rng.choice(["$", "$", "€"])
    text = f"{amount:g}"
    return rng.choice([f"{cur}{text} {unit}", f"{text} {unit} dollars", f"{cur}{text}{unit[0]}n"
                       if unit == "billion" else f"{cur}{text} {unit}"])


def day(rng: random.Random) -> str:
    y, m, d = rng.randint(1995, 2025), rng.randrange(12), rng.randint(1, 28)
    return rng.choice([f"{MONTHS[m]} {d}, {y}", f"{d} {MONTHS[m]} {y}"])


def date(rng: random.Random) -> str:
    """A date phrase that can follow a verb: 'on March 3, 2024', 'in May 2019', 'in 2021'."""
    y, m = rng.randint(1995, 2025), rng.randrange(12)
    return rng.choice([f"on {day(rng)}", f"in {MONTHS[m]} {y}", f"in {y}"])


def sentence(rng: random.Random, a: str, b: str) -> str:
    """One body sentence from a template over the pools (actors a and b lead)."""
    t = rng.randrange(12)
    year = rng.randint(1995, 2025)
    if t == 0:
        return f"{a} signed an agreement with {b} worth {money(rng)} {date(rng)}."
    if t == 1:
        n = rng.choice(["1,700", "300", "about 2,400", "more than 40", "12", "over 500"])
        return f"{a} delivered {n} {rng.choice(GOODS)} to {b} in {year}, officials said."
    if t == 2:
        pct = rng.choice(["4.5", "12", "18", "27", "3.2", "40"])
        return (f"Trade between {a} and {b} rose by {pct} percent in {year}, according to "
                f"{rng.choice(ORGS)}.")
    if t == 3:
        return (f"{person(rng)}, the {rng.choice(ROLES)} of {a}, said the talks with {b} on "
                f"{rng.choice(TOPICS)} would continue.")
    if t == 4:
        return f"On {MONTHS[rng.randrange(12)]} {rng.randint(1, 28)}, {year}, {a} and {b} held talks in {rng.choice(CITIES)}."
    if t == 5:
        return (f"{a} plans to build a {rng.choice(['railway', 'pipeline', 'power plant', 'port'])} "
                f"with {b} by {rng.randint(2026, 2035)}, at a cost of {money(rng)}.")
    if t == 6:
        return (f"Analysts say the move reflects a broader shift in {a}'s priorities, as "
                f"{rng.choice(TOPICS)} and {rng.choice(TOPICS)} take a larger share of its "
                "foreign policy.")
    if t == 7:
        return (f"The {rng.choice(['deal', 'visit', 'summit', 'package'])} comes after months "
                f"of {rng.choice(['negotiations', 'tension', 'sanctions', 'delays'])} between "
                f"{a} and {b}.")
    if t == 8:
        org = rng.choice(ORGS)
        return (f"{org[0].upper()}{org[1:]} expects the {rng.choice(TOPICS)} sector of "
                f"{a} to grow as much as {rng.choice(['5', '8', '15'])} percent next year.")
    if t == 9:
        return (f"Critics in {b} warned that closer ties with {a} could expose the country to "
                "new sanctions and slow its recovery.")
    if t == 10:
        return (f"{a} and {b} first established diplomatic relations in "
                f"{rng.randint(1700, 1990)}, and their cooperation has grown since {year}.")
    return (f"{person(rng)} of {rng.choice(ORGS)} told reporters that {a} had no plans to "
            f"change course on {rng.choice(TOPICS)}.")


def generated_body(rng: random.Random) -> list[str]:
    a, b = rng.sample(COUNTRIES, 2)
    n = rng.randint(40, 80)
    sents = [sentence(rng, *(rng.sample([a, b, rng.choice([c for c in COUNTRIES
                                                            if c not in (a, b)])], 2)
                             if rng.random() < 0.3 else (a, b))) for _ in range(n)]
    return paragraphs(rng, sents)


def paragraphs(rng: random.Random, sents: list[str]) -> list[str]:
    out, i = [], 0
    while i < len(sents):
        k = rng.randint(1, 4)
        out.append(" ".join(sents[i:i + k]))
        i += k
    return out


def sample_bodies() -> list[list[str]]:
    """The lines of the samples that look like prose (long, ending like a sentence)."""
    bodies = []
    for p in sorted((ROOT / "raw").glob("*.txt")):
        lines = [ln.strip() for ln in p.read_text(encoding="utf-8").splitlines()]
        prose = [ln for ln in lines if len(ln) > 80 and ln[-1:] in '.!?"”']
        if prose:
            bodies.append(prose)
    return bodies


def vary(rng: random.Random, text: str, strength: float) -> str:
    """Shift numbers and swap words, so copies of one text are distinct files."""
    shift = rng.randint(1, 9)

    def num(m: re.Match) -> str:
        s = m.group()
        if len(s) == 4 and s[:2] in ("19", "20"):  # a year: keep it plausible
            return str(min(2025, int(s) + rng.randint(-2, 2)))
        return str(int(s) + shift) if rng.random() < strength else s

    text = re.sub(r"\b\d+\b", num, text)
    words = text.split(" ")
    for i, w in enumerate(words):
        key = w.lower().strip(".,;:")
        if key in SYNONYMS and rng.random() < strength:
            words[i] = w.replace(key, SYNONYMS[key])
    return " ".join(words)


def header(rng: random.Random, body: list[str], site: str) -> list[str]:
    a, b = rng.sample(COUNTRIES, 2)
    title = rng.choice([
        f"{a} and {b} deepen ties on {rng.choice(TOPICS)}",
        f"What the new {rng.choice(TOPICS)} deal means for {a}",
        f"{a}, {b} sign {rng.choice(TOPICS)} pact amid tensions",
        f"Inside the {a}-{b} {rng.choice(TOPICS)} partnership",
    ])
    nav = rng.choice([
        [f"{site}", "Home | World | Politics | Business | Opinion | Video"],
        ["Skip to content", "Menu", "Search", f"{site}"],
        [f"{site} - News and analysis", "Subscribe  Sign in"],
    ])
    by = person(rng)
    d = day(rng)
    meta = rng.choice([[f"By {by}", d], [f"{by}", f"Published {d}"], [f"{d} | {by}"],
                       [f"By {by} | {site} | {d}"]])
    lines = nav + ["", title]
    if rng.random() < 0.4:
        lines.append(f"{rng.choice(['Analysis', 'Explainer', 'Report'])}: {b} weighs its options")
    return lines + [""] + meta + [""]


def furniture(rng: random.Random, site: str) -> list[str]:
    blocks = [
        ["Share this article", "Facebook  Twitter  LinkedIn  Email"],
        [f"Read more: {rng.choice(COUNTRIES)} and {rng.choice(COUNTRIES)} hold "
         f"{rng.choice(TOPICS)} talks"],
        ["Related articles",
         *(f"  • {rng.choice(COUNTRIES)} {rng.choice(['eyes', 'rejects', 'backs'])} "
           f"{rng.choice(TOPICS)} plan" for _ in range(rng.randint(2, 5)))],
        ["Sign up for our newsletter", "Get the day's top stories in your inbox. Subscribe"],
        ["We use cookies to improve your experience on our site. By continuing to browse, "
         "you agree to our use of cookies. Accept  Manage settings"],
        [f"{person(rng)} is a senior correspondent for {site} covering "
         f"{rng.choice(TOPICS)} and {rng.choice(TOPICS)}."],
        ["Tags: " + ", ".join(rng.sample(TOPICS, 3))],
        [f"© {rng.randint(2019, 2025)} {site}. All rights reserved.",
         "Privacy Policy | Terms of Use | Contact"],
    ]
    chosen = rng.sample(blocks, rng.randint(3, len(blocks)))
    out = [""]
    for block in chosen:
        out.extend(block)
        out.append("")
    return out


def rewrite(rng: random.Random, body: list[str]) -> list[str]:
    sents = [s for para in body for s in re.split(r"(?<=[.!?])\s+", para) if s]
    kept = [vary(rng, s, 0.6) for s in sents if rng.random() > 0.12]
    a, b = rng.sample(COUNTRIES, 2)
    for _ in range(rng.randint(1, 4)):
        kept.insert(rng.randrange(len(kept) + 1), sentence(rng, a, b))
    return paragraphs(rng, kept)


def generate(dest: Path, n: int, seed: int = 7, start: int = 0) -> int:
    """Write ``n`` dumps ``{start:06d}_synth.txt``... into ``dest``; returns characters."""
    rng = random.Random(seed * 1_000_003 + start)
    samples = sample_bodies()
    dest.mkdir(parents=True, exist_ok=True)
    bodies: list[list[str]] = []
    chars = 0
    for i in range(start, start + n):
        r = rng.random()
        if bodies and r < 0.2:
            body = rewrite(rng, rng.choice(bodies[-200:]))
        elif r < 0.35 and samples:
            body = [vary(rng, ln, 0.5) for ln in rng.choice(samples)]
        else:
            body = generated_body(rng)
        bodies.append(body)
        site = rng.choice(SITES)
        text = "\n".join(header(rng, body, site) + body + furniture(rng, site)) + "\n"
        (dest / f"{i:06d}_synth.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dest", type=Path)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    chars = generate(args.dest, args.articles, args.seed)
    print(f"{args.articles} dumps, {chars:,} characters in {args.dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
